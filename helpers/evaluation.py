"""Clinical evaluation of a binary classifier: ROC/AUC, operating points, confidence intervals,
calibration, and the published PneumoniaMNIST results to compare with.

Conventions used throughout:

- ``y_true``: (N,) integer labels, 0 = negative (normal) and 1 = positive (disease).
- ``y_score``: (N,) float scores, higher = more likely positive; for most functions a predicted
  probability in [0, 1] (the calibration functions require that range).
- A case is called positive when ``y_score >= threshold``.

Everything here is plain NumPy (plus scikit-learn's ROC curve), so it can be tested on tiny
hand-made cases. The plot helpers take ``ax=None`` and return the Axes they drew on.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

#: The metrics :func:`compute_binary_metrics` returns besides the counts.
RATE_NAMES = ("sensitivity", "specificity", "ppv", "npv", "accuracy")

#: Threshold-selection rules known to :func:`choose_threshold`.
THRESHOLD_METHODS = ("youden", "equal_error", "max_accuracy", "sensitivity")


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


def _require_both_classes(y: np.ndarray, what: str) -> None:
    n_pos = int(y.sum())
    if n_pos == 0 or n_pos == len(y):
        present = "positive (1)" if n_pos else "negative (0)"
        raise ValueError(
            f"{what} needs both classes, but y_true holds only {present} cases: "
            "evaluate on a split that contains normal and diseased images"
        )


def _check_probabilities(p: np.ndarray) -> None:
    if p.min() < 0.0 or p.max() > 1.0:
        raise ValueError(
            f"probabilities must lie in [0, 1], got values from {p.min():g} to {p.max():g}: "
            "pass the sigmoid output, not the logits"
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
    _require_both_classes(y, "a ROC curve")
    fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
    return fpr, tpr, thresholds


def _auc_by_ranks(y: np.ndarray, s: np.ndarray) -> float:
    """AUC as the Mann-Whitney statistic: P(score of a random positive > a random negative),
    ties counted as one half."""
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
    _require_both_classes(y, "the AUC")
    return _auc_by_ranks(y, s)


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
    _require_both_classes(y, "choosing a threshold")
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


# --------------------------------------------------------------------------- uncertainty


def bootstrap_ci(
    y_true,
    y_score,
    metric: Callable[[np.ndarray, np.ndarray], float],
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    stratified: bool = True,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval ``(low, high)`` of ``metric(y, s)``.

    The cases are resampled with replacement ``n_boot`` times (seeded: the same ``seed`` gives
    the same interval). ``stratified=True`` resamples positives and negatives separately, so
    every resample keeps the prevalence and both classes, as the AUC needs. Resamples on which
    the metric is NaN are ignored; a ``ValueError`` is raised if more than half are.
    """
    y, s = check_binary_inputs(y_true, y_score)
    if not isinstance(n_boot, int | np.integer) or n_boot < 10:
        raise ValueError(f"n_boot must be an integer of at least 10, got {n_boot!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level}")
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in (0, 1)] if stratified else [np.arange(len(y))]
    groups = [g for g in groups if len(g)]
    values = np.empty(n_boot)
    for b in range(n_boot):
        idx = np.concatenate([rng.choice(g, size=len(g), replace=True) for g in groups])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            values[b] = metric(y[idx], s[idx])
    valid = values[np.isfinite(values)]
    if len(valid) < n_boot / 2:
        raise ValueError(
            "the metric was undefined on most bootstrap resamples: does the data contain both "
            "classes, and enough of each?"
        )
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(valid, [alpha, 1.0 - alpha])
    return float(low), float(high)


def metric_at(name: str, threshold: float = 0.5) -> Callable[[np.ndarray, np.ndarray], float]:
    """A ``metric(y, s)`` function for :func:`bootstrap_ci`: ``"auc"`` or one of
    :data:`RATE_NAMES` at ``threshold``."""
    if name == "auc":
        return _auc_by_ranks
    if name not in RATE_NAMES:
        raise ValueError(f"unknown metric {name!r}; choose 'auc' or one of {', '.join(RATE_NAMES)}")

    def metric(y: np.ndarray, s: np.ndarray) -> float:
        return rates_from_confusion(compute_confusion(y, s, threshold))[name]

    metric.__name__ = f"{name}_at_{threshold:g}"
    return metric


def evaluate_binary(
    y_true,
    y_score,
    threshold: float = 0.5,
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> dict[str, float]:
    """A full report: AUC, the operating-point metrics at ``threshold`` and at 0.5, the Brier
    score, and bootstrap intervals ``<name>_ci_low``/``<name>_ci_high`` for the AUC and every
    rate (skipped when ``n_boot=0``).

    Keys: ``auc, threshold, n, n_positive, tp, fp, tn, fn, sensitivity, specificity, ppv, npv,
    accuracy, accuracy_at_0.5, sensitivity_at_0.5, specificity_at_0.5, brier`` and the CIs.
    """
    y, s = check_binary_inputs(y_true, y_score)
    _require_both_classes(y, "the evaluation")
    report: dict[str, float] = {"auc": _auc_by_ranks(y, s)}
    report.update(compute_binary_metrics(y, s, threshold))
    report["n_positive"] = int(y.sum())
    at_half = rates_from_confusion(compute_confusion(y, s, 0.5))
    for name in ("accuracy", "sensitivity", "specificity"):
        report[f"{name}_at_0.5"] = at_half[name]
    if s.min() >= 0.0 and s.max() <= 1.0:
        report["brier"] = compute_brier(y, s)
    if n_boot:
        for name in ("auc", *RATE_NAMES):
            low, high = bootstrap_ci(y, s, metric_at(name, threshold), n_boot=n_boot,
                                     level=level, seed=seed)
            report[f"{name}_ci_low"], report[f"{name}_ci_high"] = low, high
    return report


# --------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class CalibrationBins:
    """Reliability-diagram data for ``n_bins`` equal-width probability bins.

    edges: (n_bins + 1,) in [0, 1]; mean_predicted, fraction_positive: (n_bins,) float64,
    NaN for empty bins; counts: (n_bins,) int64.
    """

    edges: np.ndarray
    mean_predicted: np.ndarray
    fraction_positive: np.ndarray
    counts: np.ndarray

    def expected_calibration_error(self) -> float:
        """Count-weighted mean |fraction positive - mean predicted| over non-empty bins."""
        used = self.counts > 0
        gaps = np.abs(self.fraction_positive[used] - self.mean_predicted[used])
        return float(np.sum(gaps * self.counts[used]) / np.sum(self.counts[used]))


def compute_calibration(y_true, y_prob, n_bins: int = 10) -> CalibrationBins:
    """Bin the predicted probabilities into ``n_bins`` equal-width bins on [0, 1] and compare
    the mean prediction of each bin with the observed fraction of positives.

    A well-calibrated model has fraction_positive ≈ mean_predicted in every bin. Bins are
    closed on the left, ``[a, b)``, except the last, which includes 1.0.
    """
    y, p = check_binary_inputs(y_true, y_prob)
    _check_probabilities(p)
    if not isinstance(n_bins, int | np.integer) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, n_bins - 1)
    counts = np.bincount(which, minlength=n_bins).astype(np.int64)
    sums = np.bincount(which, weights=p, minlength=n_bins)
    positives = np.bincount(which, weights=y, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_predicted = np.where(counts > 0, sums / counts, np.nan)
        fraction_positive = np.where(counts > 0, positives / counts, np.nan)
    return CalibrationBins(edges, mean_predicted, fraction_positive, counts)


def compute_brier(y_true, y_prob) -> float:
    """Brier score: mean of (p - y)^2, in [0, 1]; 0 is perfect, 0.25 is always answering 0.5."""
    y, p = check_binary_inputs(y_true, y_prob)
    _check_probabilities(p)
    return float(np.mean((p - y) ** 2))


# --------------------------------------------------------------------------- published results


#: PneumoniaMNIST test-split results published with MedMNIST v2 (Yang et al., Scientific Data
#: 10, 41, 2023, Table 4): (method, AUC, ACC). ACC is at the authors' decision rule.
PNEUMONIAMNIST_BENCHMARK: tuple[tuple[str, float, float], ...] = (
    ("ResNet-18 (28)", 0.944, 0.854),
    ("ResNet-18 (224)", 0.956, 0.864),
    ("ResNet-50 (224)", 0.962, 0.884),
    ("auto-sklearn", 0.942, 0.855),
    ("AutoKeras", 0.947, 0.878),
    ("Google AutoML Vision", 0.991, 0.946),
)

BENCHMARK_SOURCE = "MedMNIST v2, Yang et al., Scientific Data 10, 41 (2023)"


def benchmark_table(extra_rows: Sequence[tuple[str, float, float]] = ()) -> list[dict]:
    """Published PneumoniaMNIST **test** results as rows ``{"method", "auc", "acc", "source"}``,
    followed by ``extra_rows`` given as ``(method, auc, acc)`` (e.g. your own model).
    """
    rows = [{"method": m, "auc": a, "acc": c, "source": BENCHMARK_SOURCE}
            for m, a, c in PNEUMONIAMNIST_BENCHMARK]
    for row in extra_rows:
        if len(row) != 3:
            raise ValueError(f"extra rows are (method, auc, acc) triples, got {row!r}")
        method, auc, acc = row
        rows.append({"method": str(method), "auc": float(auc), "acc": float(acc),
                     "source": "this course"})
    return rows


def format_table(rows: Sequence[dict], columns: Sequence[str] = ("method", "auc", "acc")) -> str:
    """Rows of dicts as a Markdown table; floats with three decimals."""
    if not rows:
        raise ValueError("no rows to format")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise ValueError(f"columns {missing} not in the rows; they have {sorted(rows[0])}")

    def cell(value) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- plots


def _axes(ax: Axes | None, size: tuple[float, float] = (4.2, 4.0)) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size)
    return ax


def _frame_unit_square(ax: Axes, xlabel: str, ylabel: str, title: str) -> None:
    """Square axes over [0, 1] × [0, 1] (with a hair of margin), labelled: ROC and calibration."""
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def plot_roc(
    y_true,
    y_score,
    *,
    threshold: float | None = None,
    label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the ROC curve (x: 1 - specificity, y: sensitivity) with its AUC in the legend,
    the chance diagonal, and, if ``threshold`` is given, the operating point it selects."""
    fpr, tpr, _ = compute_roc(y_true, y_score)
    auc = compute_auc(y_true, y_score)
    ax = _axes(ax)
    ax.plot(fpr, tpr, lw=2, label=f"{label or 'model'} (AUC = {auc:.3f})")
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="chance")
    if threshold is not None:
        rates = rates_from_confusion(compute_confusion(y_true, y_score, threshold))
        ax.plot(1 - rates["specificity"], rates["sensitivity"], "o", ms=8, color="black",
                label=f"threshold {threshold:.3f}")
    _frame_unit_square(ax, "1 - specificity (false-positive rate)",
                       "sensitivity (true-positive rate)", "ROC curve")
    ax.legend(loc="lower right")
    return ax


def plot_confusion(
    y_true,
    y_score,
    threshold: float = 0.5,
    *,
    class_names: Sequence[str] = ("normal", "pneumonia"),
    ax: Axes | None = None,
    cmap: str = "viridis",
) -> Axes:
    """Draw the confusion matrix at ``threshold`` as a heatmap (perceptually uniform colormap,
    with a colorbar) annotated with counts and row percentages. Rows: true class."""
    if len(class_names) != 2:
        raise ValueError(f"class_names must name the two classes, got {list(class_names)}")
    confusion = compute_confusion(y_true, y_score, threshold)
    ax = _axes(ax, (4.4, 3.6))
    image = ax.imshow(confusion, cmap=cmap, vmin=0)
    ax.figure.colorbar(image, ax=ax, label="cases")
    row_totals = confusion.sum(axis=1, keepdims=True)
    norm = image.norm
    for (i, j), count in np.ndenumerate(confusion):
        share = f"\n{100 * count / row_totals[i, 0]:.0f}% of row" if row_totals[i, 0] else ""
        dark = norm(count) < 0.5  # light text on the dark end of the colormap
        ax.text(j, i, f"{count}{share}", ha="center", va="center",
                color="white" if dark else "black", fontsize=10)
    ax.set_xticks([0, 1], [f"pred. {name}" for name in class_names])
    ax.set_yticks([0, 1], [f"true {name}" for name in class_names])
    ax.set_title(f"confusion matrix at threshold {threshold:.3f}")
    ax.grid(False)
    return ax


def plot_calibration(
    y_true,
    y_prob,
    n_bins: int = 10,
    *,
    label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw a reliability diagram: observed fraction of positives against mean predicted
    probability per bin (marker area ∝ cases in the bin), the diagonal of perfect calibration,
    and the Brier score in the legend."""
    bins = compute_calibration(y_true, y_prob, n_bins)
    brier = compute_brier(y_true, y_prob)
    ax = _axes(ax)
    used = bins.counts > 0
    sizes = 20 + 200 * bins.counts[used] / bins.counts.max()
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    ax.plot(bins.mean_predicted[used], bins.fraction_positive[used], "-", lw=1.5)
    ax.scatter(bins.mean_predicted[used], bins.fraction_positive[used], s=sizes, zorder=3,
               label=f"{label or 'model'} (Brier = {brier:.3f})")
    _frame_unit_square(ax, "mean predicted probability", "observed fraction of positives",
                       "reliability diagram")
    ax.legend(loc="upper left")
    return ax
