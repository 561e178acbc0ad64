"""Choosing the decision threshold of a binary classifier on the validation split.

:func:`choose_threshold` applies one rule (Youden's J, equal error, best accuracy, a target
sensitivity) once; :func:`choose_threshold_robustly` takes the median of that choice over
bootstrap resamples, which is what ``python -m helpers.classifier train`` saves with a model.
"""

from __future__ import annotations

import numpy as np

from helpers import validate
from helpers.evaluation.metrics import check_binary_inputs, require_both_classes

#: Threshold-selection rules known to :func:`choose_threshold`.
THRESHOLD_METHODS = ("youden", "equal_error", "max_accuracy", "sensitivity")


def choose_threshold(
    y_val,
    p_val,
    method: str = "youden",
    *,
    target_sensitivity: float = 0.95,
) -> float:
    """Pick a decision threshold on the **validation** split (never on the test split).

    y_val: (N,) labels in {0, 1}; p_val: (N,) scores. Methods:

    - ``"youden"``: maximise sensitivity + specificity - 1 (Youden's J). It weighs both
      classes equally, so it does not depend on the prevalence of the validation split.
    - ``"equal_error"``: the point where sensitivity and specificity are closest.
    - ``"max_accuracy"``: maximise accuracy on the validation split. Depends on its
      prevalence: a poor choice when the deployed prevalence differs.
    - ``"sensitivity"``: the highest threshold whose sensitivity is at least
      ``target_sensitivity`` (a screening test that must not miss cases).

    The returned threshold lies half-way between the two neighbouring validation scores, not on
    a score itself, so a tiny change in a score does not flip a decision. When several
    thresholds are equally good, the middle one of them is taken.
    """
    if method not in THRESHOLD_METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(THRESHOLD_METHODS)}")
    y, s = check_binary_inputs(y_val, p_val)
    require_both_classes(y, "choosing a threshold")
    cuts = np.unique(s)[::-1]  # candidate thresholds, decreasing: positive if s >= cut
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    order = np.argsort(-s, kind="stable")
    sorted_s, sorted_y = s[order], y[order]
    # number of positives / negatives with score >= cut, for every cut
    last = np.searchsorted(-sorted_s, -cuts, side="right")
    tp = np.concatenate([[0], np.cumsum(sorted_y)])[last]
    fp = last - tp
    tpr, tnr = tp / n_pos, 1.0 - fp / n_neg
    if method == "youden":
        objective = tpr + tnr - 1.0
    elif method == "equal_error":
        objective = -np.abs(tpr - tnr)
    elif method == "max_accuracy":
        objective = (tp + (n_neg - fp)) / len(y)
    else:
        if not 0.0 < target_sensitivity <= 1.0:
            raise ValueError(f"target_sensitivity must be in (0, 1], got {target_sensitivity}")
        objective = np.where(tpr >= target_sensitivity - 1e-12, 1.0, 0.0)
        best = int(np.argmax(objective))  # the first (highest) cut that reaches the target
        return _between(cuts, best)
    best_value = objective.max()
    ties = np.flatnonzero(np.isclose(objective, best_value, rtol=0.0, atol=1e-12))
    return _between(cuts, int(ties[len(ties) // 2]))


def _between(cuts: np.ndarray, k: int) -> float:
    """Midpoint between cut k and the next lower distinct score (or below the lowest one)."""
    upper = float(cuts[k])
    if k + 1 < len(cuts):
        return (upper + float(cuts[k + 1])) / 2.0
    return upper - 1e-6 if upper > 0.0 else upper


def choose_threshold_robustly(y_val, p_val, method: str = "youden", *, n_boot: int = 200,
                              seed: int = 0) -> float:
    """The median over ``n_boot`` bootstrap resamples of the validation split of
    :func:`choose_threshold`, moved to the middle of the gap between the validation scores
    around it.

    y_val: (N,) labels in {0, 1}; p_val: (N,) scores. A validation split with about a hundred
    normal images gives a noisy threshold: which of several nearly equal cut points wins
    depends on a handful of images. The median over resamples (each class resampled on its
    own, seeded) is much less sensitive to them. ``n_boot=0`` returns the plain choice.
    """
    y, p = check_binary_inputs(y_val, p_val)
    n_boot = validate.whole_number(n_boot, "n_boot", minimum=0)
    plain = choose_threshold(y, p, method)
    if n_boot == 0:
        return plain
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in (0, 1)]
    picks = []
    for _ in range(n_boot):
        idx = np.concatenate([rng.choice(g, size=len(g), replace=True) for g in groups])
        picks.append(choose_threshold(y[idx], p[idx], method))
    return _centre_in_gap(p, float(np.median(picks)))


def _centre_in_gap(scores: np.ndarray, threshold: float) -> float:
    """Move ``threshold`` to the middle of the gap between the validation scores around it.

    The decisions on the validation split stay the same, and no validation score lies close
    to the threshold, where float rounding could flip it.
    """
    below, above = scores[scores < threshold], scores[scores >= threshold]
    if len(below) and len(above):
        return (float(below.max()) + float(above.min())) / 2.0
    return threshold
