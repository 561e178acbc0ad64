"""Figures of lesson 08 (``notebooks/08_transfer_learning.ipynb``): AUCs with their intervals,
weights per stage (trainable or frozen), and a confusion matrix of ordered grades.

Every function takes ``ax=None`` (a new figure then), returns what it drew on, and never calls
``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from helpers import viz

TRAINABLE_COLOUR = "#2c7fb8"
FROZEN_COLOUR = "#bdbdbd"


def plot_auc_intervals(results: Mapping, *, ax: Axes | None = None,
                       reference: float | None = 0.5) -> Axes:
    """One row per strategy: its AUC (dot) and 95 % interval (bar), on a shared [0, 1] axis.

    results: ``{name: result}`` with ``.auc`` and ``.ci = (low, high)`` (see
    :func:`helpers.transfer.run_transfer_experiment`); ``reference``: a dashed line (chance).
    """
    if not results:
        raise ValueError("results is empty: run at least one strategy")
    ax = viz.panel_axes(ax, 1, "panels", figsize=(6.4, 0.6 + 0.55 * len(results)))[0]
    names = list(results)
    for row, name in enumerate(names):
        result = results[name]
        low, high = result.ci
        ax.plot([low, high], [row, row], color=TRAINABLE_COLOUR, linewidth=3, solid_capstyle="butt")
        ax.plot(result.auc, row, "o", color="black", zorder=3)
    if reference is not None:
        ax.axvline(reference, color="grey", linestyle="--", linewidth=1, label="chance (AUC 0.5)")
        ax.legend(loc="lower left", fontsize=8)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("AUC on the evaluation images (dot) with 95 % bootstrap interval (bar)")
    return ax


def plot_stage_weights(stages: Sequence[str], totals: Sequence[int], trainable: Sequence[int],
                       *, ax: Axes | None = None, title: str = "") -> Axes:
    """Horizontal bars, one per stage: weights training changes (blue) and weights it leaves
    alone (grey: frozen layers and BatchNormalization's running statistics), log scale."""
    if not (len(stages) == len(totals) == len(trainable)) or not stages:
        raise ValueError("stages, totals and trainable must have the same, non-zero length")
    ax = viz.panel_axes(ax, 1, "panels", figsize=(6.4, 0.8 + 0.42 * len(stages)))[0]
    totals, trainable = np.asarray(totals), np.asarray(trainable)
    rows = np.arange(len(stages))
    ax.barh(rows, totals, color=FROZEN_COLOUR, label="not trained (frozen, BN statistics)")
    ax.barh(rows, np.maximum(trainable, 0), color=TRAINABLE_COLOUR, label="trained")
    for row, (total, train) in enumerate(zip(totals, trainable, strict=True)):
        ax.text(total * 1.15, row, f"{train:,} of {total:,}", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(1, totals.max() * 20)
    ax.set_yticks(rows, list(stages))
    ax.invert_yaxis()
    ax.set_xlabel("weights (log scale)")
    ax.legend(loc="lower right", fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax
