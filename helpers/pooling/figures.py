"""Figures of lesson 03 (``notebooks/03_pooling.ipynb``): an input with its pooling windows beside
the pooled output, and the result of the shift experiment.

Every function takes ``ax=None``/``axes=None`` (a new figure only when none is given) and returns
what it drew on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers.pooling.ops import _check_window, compute_same_padding


def _draw_windows(ax: Axes, pool_size: int, stride: int, offset: int, count: int) -> None:
    """Outline the first ``count`` (≤ 2) windows of the top row, where stride and overlap show."""
    for k, (colour, style) in enumerate([("tab:red", "-"), ("tab:cyan", "--")][:count]):
        ax.add_patch(Rectangle((offset + k * stride - 0.5, offset - 0.5), pool_size, pool_size,
                               fill=False, edgecolor=colour, linestyle=style, linewidth=2))


def _annotate(ax: Axes, values: np.ndarray, vmin: float, vmax: float) -> None:
    middle = (vmin + vmax) / 2
    for (i, j), value in np.ndenumerate(values):
        ax.text(j, i, f"{value:.3g}", ha="center", va="center", fontsize=9,
                color="black" if value > middle else "white")


def _draw_cell_borders(ax: Axes, shape: tuple[int, int]) -> None:
    rows, cols = shape
    ax.hlines(np.arange(1, rows) - 0.5, -0.5, cols - 0.5, colors="0.5", linewidth=0.6)
    ax.vlines(np.arange(1, cols) - 0.5, -0.5, rows - 0.5, colors="0.5", linewidth=0.6)


def plot_pooling(
    image: np.ndarray, pooled: np.ndarray, *, pool_size: int, stride: int | None = None,
    padding: str = "valid", cmap: str = "gray", vmin: float = 0.0, vmax: float = 1.0,
    titles: tuple[str, str] = ("input", "output"), show_grid: bool = False,
    colorbar_label: str = "", axes: Sequence[Axes] | None = None,
) -> Figure:
    """Input (with its first two pooling windows outlined) beside the pooled output.

    image, pooled: (H, W) and (H', W') arrays shown on one fixed scale ``vmin``..``vmax``.
    Small arrays (at most 6×6) show their numbers. ``show_grid`` draws a green line every
    ``stride`` pixels: the window boundaries when the stride equals the pool size. A colour map
    other than grey gets one colorbar (labelled ``colorbar_label``) for both panels.
    ``axes``: two Axes to draw on; when None a new figure is made. Returns the figure.
    """
    image, pooled = np.asarray(image), np.asarray(pooled)
    if image.ndim != 2 or pooled.ndim != 2:
        raise ValueError(f"pass one channel: got shapes {image.shape} and {pooled.shape}")
    pool_size, stride = _check_window(pool_size, stride, padding)
    colorbar_axes = None
    if axes is None:  # a fixed layout: 2-3 times faster to draw than constrained layout
        fig = plt.figure(figsize=(7.6, 3.9), layout="none")
        axes = [fig.add_axes((0.02, 0.03, 0.41, 0.74)), fig.add_axes((0.48, 0.03, 0.41, 0.74))]
        colorbar_axes = fig.add_axes((0.91, 0.03, 0.018, 0.74)) if cmap != "gray" else None
    left, right = axes
    for ax, values, title in [(left, image, titles[0]), (right, pooled, titles[1])]:
        shown = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        ax.set_title(f"{title}\n{values.shape[0]}×{values.shape[1]}", fontsize=10)
        ax.set_axis_off()
        if max(values.shape) <= 6:
            _annotate(ax, values, vmin, vmax)
            _draw_cell_borders(ax, values.shape)
    if colorbar_axes is not None:  # one colorbar: both panels share the scale
        left.figure.colorbar(shown, cax=colorbar_axes, label=colorbar_label)
    elif cmap != "gray":
        left.figure.colorbar(shown, ax=[left, right], fraction=0.046, pad=0.04, label=colorbar_label)
    offset = -compute_same_padding(image.shape[1], pool_size, stride)[0] if padding == "same" else 0
    if show_grid:
        rows, cols = image.shape
        left.hlines(np.arange(offset + stride, rows, stride) - 0.5, -0.5, cols - 0.5,
                    colors="tab:green", linewidth=1.2)
        left.vlines(np.arange(offset + stride, cols, stride) - 0.5, -0.5, rows - 0.5,
                    colors="tab:green", linewidth=1.2)
    count = min(2, pooled.shape[1])
    _draw_windows(left, pool_size, stride, offset, count)
    left.set_xlim(min(-0.5, offset - 0.5),
                  max(image.shape[1], offset + (count - 1) * stride + pool_size) - 0.5)
    left.set_ylim(max(image.shape[0], offset + pool_size) - 0.5, min(-0.5, offset - 0.5))
    return left.figure


def plot_shift_sensitivity(shifts: Sequence[int], changes: Mapping[str, np.ndarray], *,
                           ax: Axes | None = None) -> Axes:
    """Relative change of each pooling's output against the shift in pixels (one line each)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.6))
    markers = "osD^v<>"
    for (name, values), marker in zip(changes.items(), markers * 3, strict=False):
        if len(values) != len(shifts):
            raise ValueError(f"{name}: {len(values)} values for {len(shifts)} shifts")
        ax.plot(shifts, values, marker=marker, ms=4, label=name)
    ax.set_xlabel("shift of the input (pixels)")
    ax.set_ylabel("relative change of the output")
    ax.set_xticks(list(shifts))
    ax.set_ylim(bottom=0)
    ax.set_title("how much the output moves when the scan moves")
    ax.legend(fontsize=8)
    return ax
