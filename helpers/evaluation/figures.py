"""Plots of a binary classifier's evaluation: ROC curve, confusion matrix, reliability diagram.

Each takes ``ax=None`` (a new figure is made only when none is given) and returns the Axes it
drew on; none calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from helpers.evaluation.calibration import compute_brier, compute_calibration
from helpers.evaluation.metrics import (
    compute_auc,
    compute_confusion,
    compute_roc,
    rates_from_confusion,
)


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


def plot_multiclass_confusion(y_true, y_pred, label_names: Sequence[str], *,
                         ax: Axes | None = None) -> Axes:
    """Confusion matrix of K classes (e.g. ordered grades), rows normalised to 1 (true class), annotated,
    on a fixed [0, 1] viridis scale with a colorbar. y_true, y_pred: (N,) ints in 0..K-1."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    k = len(label_names)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in shape: {y_true.shape} vs {y_pred.shape}")
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    ax = _axes(ax, (5.4, 4.4))
    image = ax.imshow(shares, cmap="viridis", vmin=0, vmax=1)
    ax.figure.colorbar(image, ax=ax, label="share of the true class's images")
    for (i, j), share in np.ndenumerate(shares):
        ax.text(j, i, f"{share:.2f}", ha="center", va="center", fontsize=8,
                color="white" if share < 0.5 else "black")
    ax.set_xticks(range(k), list(label_names), rotation=30, ha="right")
    ax.set_yticks(range(k), list(label_names))
    ax.set(xlabel="predicted", ylabel="true")
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
