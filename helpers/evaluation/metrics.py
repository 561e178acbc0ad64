"""ROC curve, AUC and the operating-point metrics of a binary classifier (plain NumPy).

Conventions of the whole :mod:`helpers.evaluation` package:

- ``y_true``: (N,) integer labels, 0 = negative (normal) and 1 = positive (disease).
- ``y_score``: (N,) float scores, higher = more likely positive; for most functions a predicted
  probability in [0, 1] (the calibration functions require that range).
- A case is called positive when ``y_score >= threshold``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

#: The metrics :func:`compute_binary_metrics` returns besides the counts.
RATE_NAMES = ("sensitivity", "specificity", "ppv", "npv", "accuracy")


# --------------------------------------------------------------------------- input checks


def check_binary_inputs(y_true, y_score) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert labels and scores.

    Returns ``(y, s)``: y (N,) int64 in {0, 1}, s (N,) float64. Accepts column vectors (N, 1).
    Raises ``ValueError`` when the lengths differ, the input is empty, labels are not 0/1,
    or scores are not finite.
    """
    y = np.asarray(y_true)
    s = np.asarray(y_score, dtype=np.float64)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if y.ndim != 1 or s.ndim != 1:
        raise ValueError(
            f"y_true and y_score must be 1-D (N,), got shapes {y.shape} and {s.shape}; for a "
            "softmax output with two columns pass the probability of class 1, p[:, 1]"
        )
    if len(y) != len(s):
        raise ValueError(f"y_true has {len(y)} labels but y_score has {len(s)} scores")
    if len(y) == 0:
        raise ValueError("y_true is empty: there is nothing to evaluate")
    if not np.all(np.isin(y, (0, 1))):
        found = np.unique(y)[:6]
        raise ValueError(f"y_true must hold only 0 (negative) and 1 (positive); found {found}")
    if not np.all(np.isfinite(s)):
        raise ValueError("y_score contains NaN or infinite values: check the model's output")
    return y.astype(np.int64), s


def require_both_classes(y: np.ndarray, what: str) -> None:
    """``ValueError`` saying that ``what`` needs both classes when ``y`` (N,) holds only one."""
    n_pos = int(y.sum())
    if n_pos == 0 or n_pos == len(y):
        present = "positive (1)" if n_pos else "negative (0)"
        raise ValueError(
            f"{what} needs both classes, but y_true holds only {present} cases: "
            "evaluate on a split that contains normal and diseased images"
        )


def _ratio(numerator: int, denominator: int) -> float:
    return float(numerator) / float(denominator) if denominator else math.nan


# --------------------------------------------------------------------------- ROC and AUC


def compute_roc(y_true, y_score) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve: ``(fpr, tpr, thresholds)``, each (K,) float64, thresholds decreasing.

    Point k is what you get by calling positive every case with ``score >= thresholds[k]``;
    the first point is (0, 0) with threshold ``inf``. Both classes must be present.
    """
    from sklearn.metrics import roc_curve

    y, s = check_binary_inputs(y_true, y_score)
    require_both_classes(y, "a ROC curve")
    fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
    return fpr, tpr, thresholds


def auc_by_ranks(y: np.ndarray, s: np.ndarray) -> float:
    """AUC as the Mann-Whitney statistic: P(score of a random positive > a random negative),
    ties counted as one half. y (N,) in {0, 1}, s (N,) float, already checked; NaN when a
    class is absent (a bootstrap resample may lack one)."""
    from scipy.stats import rankdata

    ranks = rankdata(s)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def compute_auc(y_true, y_score) -> float:
    """Area under the ROC curve, in [0, 1] (0.5 = guessing). Both classes must be present.

    Computed as the probability that a randomly drawn positive case scores higher than a
    randomly drawn negative one (ties count one half), which equals the trapezoidal area.
    """
    y, s = check_binary_inputs(y_true, y_score)
    require_both_classes(y, "the AUC")
    return auc_by_ranks(y, s)


# --------------------------------------------------------------------------- operating point


def compute_confusion(y_true, y_score, threshold: float = 0.5) -> np.ndarray:
    """Confusion matrix at a threshold: (2, 2) int64 ``[[TN, FP], [FN, TP]]``.

    Rows are the true class (0, 1), columns the predicted class; positive means
    ``y_score >= threshold``.
    """
    y, s = check_binary_inputs(y_true, y_score)
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be a finite number, got {threshold}")
    pred = s >= threshold
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    tn = int(np.sum(~pred & (y == 0)))
    return np.array([[tn, fp], [fn, tp]], dtype=np.int64)


def rates_from_confusion(confusion: np.ndarray) -> dict[str, float]:
    """Sensitivity, specificity, PPV, NPV and accuracy from ``[[TN, FP], [FN, TP]]``.

    A rate whose denominator is zero (e.g. sensitivity without any positive case) is NaN.
    """
    (tn, fp), (fn, tp) = np.asarray(confusion, dtype=np.int64)
    return {
        "sensitivity": _ratio(tp, tp + fn),  # recall, true-positive rate
        "specificity": _ratio(tn, tn + fp),  # true-negative rate
        "ppv": _ratio(tp, tp + fp),  # precision
        "npv": _ratio(tn, tn + fn),
        "accuracy": _ratio(tp + tn, tp + tn + fp + fn),
    }


def compute_binary_metrics(y_true, y_score, threshold: float = 0.5) -> dict[str, float]:
    """All operating-point metrics at ``threshold``.

    Returns a dict with the counts ``tp, fp, tn, fn, n`` (ints), ``threshold``, and the rates
    of :data:`RATE_NAMES` (floats in [0, 1]). Rates that cannot be computed because a class is
    absent are NaN, and a ``RuntimeWarning`` says which.
    """
    confusion = compute_confusion(y_true, y_score, threshold)
    (tn, fp), (fn, tp) = confusion
    rates = rates_from_confusion(confusion)
    undefined = [name for name, value in rates.items() if math.isnan(value)]
    if undefined:
        warnings.warn(
            f"{', '.join(undefined)} undefined (NaN): a class is absent among the true labels "
            "or the predictions",
            RuntimeWarning,
            stacklevel=2,
        )
    return {
        "threshold": float(threshold),
        "n": int(confusion.sum()),
        "tp": int(tp),
        "fp": int(fp),
        "tn": int(tn),
        "fn": int(fn),
        **rates,
    }


# --------------------------------------------------------------------------- another prevalence


def predictive_values(sensitivity, specificity, prevalence):
    """PPV and NPV of a test used where the disease has another ``prevalence`` (Bayes' rule).

    PPV = se·p / (se·p + (1 − sp)·(1 − p)) and NPV = sp·(1 − p) / (sp·(1 − p) + (1 − se)·p)
    (Altman & Bland, BMJ 1994): sensitivity and specificity belong to the test, the predictive
    values also to the population it is used in. All three arguments are numbers or arrays in
    [0, 1] that broadcast together (e.g. one prevalence per row of a table). Returns
    ``(ppv, npv)``: floats for scalar arguments, else float64 arrays of the broadcast shape.
    A value whose denominator is zero (0/0, e.g. the PPV of a test that calls no one positive)
    is NaN, without a warning; NaN arguments give NaN.
    """
    se, sp, p = (np.asarray(value, dtype=np.float64)
                 for value in (sensitivity, specificity, prevalence))
    for name, value in (("sensitivity", se), ("specificity", sp), ("prevalence", p)):
        if np.any((value < 0.0) | (value > 1.0)):
            raise ValueError(f"{name} must lie in [0, 1] (a proportion: 0.05 for 5 %), got values "
                             f"from {np.nanmin(value):g} to {np.nanmax(value):g}")
    true_pos, false_pos = se * p, (1.0 - sp) * (1.0 - p)
    true_neg, false_neg = sp * (1.0 - p), (1.0 - se) * p
    with np.errstate(invalid="ignore", divide="ignore"):
        ppv = np.where(true_pos + false_pos > 0, true_pos / (true_pos + false_pos), np.nan)
        npv = np.where(true_neg + false_neg > 0, true_neg / (true_neg + false_neg), np.nan)
    if ppv.ndim == 0:
        return float(ppv), float(npv)
    return ppv, npv
