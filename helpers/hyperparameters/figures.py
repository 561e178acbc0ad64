"""Figures of lesson 05 (``notebooks/05_hyperparameters.ipynb``): the bias as a shift, visit-count
maps, a measured receptive field, gradient descent on a parabola, training runs side by side, a
learning-rate sweep and a learning-rate schedule.

Every function takes ``ax=None``/``axes=None`` (a new figure only when none is given) and returns
what it drew on. Heatmaps use viridis with a colorbar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from helpers import viz
from helpers.hyperparameters.ops import relu_with_bias


def plot_bias_shift(biases: Sequence[float] = (-1.0, 0.0, 1.0), weight: float = 1.0, *,
                    x_range: tuple[float, float] = (-3.0, 3.0), ax: Axes | None = None) -> Axes:
    """ReLU(weight·x + b) against x for each bias b, with the kink x = −b/weight marked."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 3.4))
    x = np.linspace(*x_range, 601)
    for b in biases:
        line, = ax.plot(x, relu_with_bias(x, weight, b), label=f"b = {b:g}")
        ax.plot([-b / weight], [0.0], "o", color=line.get_color(), ms=5)
    ax.set_xlabel("input x")
    ax.set_ylabel(f"ReLU({weight:g}·x + b)")
    ax.set_title("the bias moves the point where the unit switches on")
    ax.legend(fontsize=8)
    return ax


def plot_visit_counts(maps: Mapping[str, np.ndarray], *, zoom: int | None = None,
                      axes=None) -> np.ndarray:
    """One heatmap per visit-count map (title → (H, W) ints), on one colour scale from 0 to the
    largest count, with one colorbar. ``zoom``: show only the top-left ``zoom``×``zoom`` corner
    (with the numbers written in when it is at most 12). Returns the Axes."""
    if not maps:
        raise ValueError("give at least one visit-count map")
    axes = viz.panel_axes(axes, len(maps), "maps", figsize=(3.3 * len(maps) + 0.8, 3.3),
                          layout="constrained")
    top = max(int(np.max(m)) for m in maps.values())
    for ax, (title, counts) in zip(axes, maps.items(), strict=False):
        shown_counts = counts if zoom is None else counts[:zoom, :zoom]
        shown = ax.imshow(shown_counts, cmap="viridis", vmin=0, vmax=top, interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.set_axis_off()
        if zoom is not None and zoom <= 12:
            for (i, j), value in np.ndenumerate(shown_counts):
                ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                        color="white" if value < top * 0.6 else "black")
    axes[0].figure.colorbar(shown, ax=list(axes[:len(maps)]), label="windows covering the pixel",
                            fraction=0.046, pad=0.02)
    return axes


def plot_receptive_field(gradient: np.ndarray, size: int, *, title: str = "",
                         ax: Axes | None = None) -> Axes:
    """The gradient of one output pixel with respect to the input (a heatmap) and the square
    of side ``size`` (the receptive field from the recurrence) drawn around it."""
    gradient = np.asarray(gradient, dtype=np.float64)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 3.6), layout="constrained")
    shown = ax.imshow(gradient, cmap="viridis", vmin=0, interpolation="nearest")
    rows, cols = np.nonzero(gradient)
    if rows.size:
        centre_r, centre_c = (rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2
        ax.add_patch(Rectangle((centre_c - size / 2, centre_r - size / 2), size, size, fill=False,
                               edgecolor="tab:red", linewidth=2, label=f"recurrence: {size}×{size}"))
        ax.legend(loc="upper right", fontsize=8)
    ax.set_title(title or "gradient of the centre output pixel", fontsize=9)
    ax.set_axis_off()
    ax.figure.colorbar(shown, ax=ax, label="paths from the input pixel", fraction=0.046, pad=0.03)
    return ax


def plot_parabola_descent(paths: Mapping[float, np.ndarray], curvature: float, *,
                          ax: Axes | None = None) -> Axes:
    """|w| after each gradient-descent step on L(w) = curvature/2·w² (log scale), one line per
    learning rate ({learning rate: w per step})."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 3.4))
    floor = 1e-6  # w = 0 exactly (η = 1/curvature) would sit at minus infinity
    for lr, path in paths.items():
        factor = 1 - lr * curvature
        ax.semilogy(np.maximum(np.abs(path), floor), marker="o", ms=3,
                    label=f"η = {lr:g}  (× {factor:+.2f} per step)")
    ax.axhline(1.0, color="0.5", linestyle=":", linewidth=1)
    ax.set_ylim(bottom=floor / 2)
    ax.set_xlabel("step")
    ax.set_ylabel(f"|w| (log scale, {floor:g} and below at the bottom)")
    ax.set_title(f"gradient descent on L(w) = {curvature:g}/2 · w²; diverges for η > {2 / curvature:g}")
    ax.legend(fontsize=8)
    return ax


def plot_runs(histories: Mapping[str, Mapping[str, Sequence[float]]], *,
              baseline: float | None = None, metric: str = "loss", log: bool = False,
              axes=None) -> np.ndarray:
    """Training (left) and validation (right) ``metric`` per epoch, one line per run
    ({label: history}). ``baseline``: a horizontal line, e.g. the loss of a constant
    prediction. ``log``: a logarithmic y axis (for runs whose loss explodes). Both panels
    share the y axis. Returns the two Axes."""
    if not histories:
        raise ValueError("give at least one run")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True, layout="constrained")
    axes = viz.panel_axes(axes, 2, "panels", figsize=(10, 3.4))
    for label, history in histories.items():
        for ax, key in zip(axes, (metric, f"val_{metric}"), strict=True):
            if key not in history:
                raise ValueError(f"run {label!r} has no {key!r}; it has {sorted(history)}")
            values = np.asarray(history[key], dtype=np.float64)
            ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3, label=label)
    for ax, title in zip(axes, ("training", "validation"), strict=True):
        if baseline is not None:
            ax.axhline(baseline, color="0.4", linestyle="--", linewidth=1,
                       label="constant prediction")
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel(metric + (" (log scale)" if log else ""))
        if log:
            ax.set_yscale("log")
        ax.set_title(f"{title} {metric}")
        ax.legend(fontsize=8)
    return axes


def plot_learning_rate_sweep(learning_rates: Sequence[float], losses: Mapping[str, Sequence[float]],
                             *, baseline: float | None = None, ax: Axes | None = None) -> Axes:
    """Final losses against the learning rate (log x axis), one line per series
    ({"training": [...], "validation": [...]})."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 3.4))
    for (label, values), marker in zip(losses.items(), "os^", strict=False):
        if len(values) != len(learning_rates):
            raise ValueError(f"{label}: {len(values)} losses for {len(learning_rates)} rates")
        ax.semilogx(learning_rates, values, marker=marker, label=label)
    if baseline is not None:
        ax.axhline(baseline, color="0.4", linestyle="--", linewidth=1, label="constant prediction")
    ax.set_xlabel("learning rate (log scale)")
    ax.set_ylabel("loss after the last epoch")
    ax.set_title("learning-rate sweep")
    ax.legend(fontsize=8)
    return ax


def plot_schedule(steps: Sequence[int], rates: Sequence[float], *, steps_per_epoch: int | None = None,
                  ax: Axes | None = None) -> Axes:
    """The learning rate against the update step; dotted lines mark the epochs."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.6, 3.2))
    ax.plot(steps, rates)
    if steps_per_epoch:
        for boundary in range(steps_per_epoch, int(max(steps)) + 1, steps_per_epoch):
            ax.axvline(boundary, color="0.75", linestyle=":", linewidth=0.8)
    ax.set_xlabel("update step")
    ax.set_ylabel("learning rate")
    ax.set_ylim(bottom=0)
    ax.set_title("cosine decay (dotted lines: epochs)")
    return ax
