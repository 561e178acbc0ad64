"""Plotting helpers shared by the notebooks.

Every helper takes ``ax=None`` (or ``axes=None``), creates a figure only when none is given,
returns what it drew on, and never calls ``plt.show()`` or changes rcParams.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def panel_axes(axes, count: int, what: str, *, figsize: tuple[float, float],
               ncols: int | None = None, **subplots_options) -> np.ndarray:
    """The Axes to draw ``count`` panels on, as a flat array.

    ``axes`` given (one Axes, a list or a grid): flattened, and ``ValueError`` ("got 2 axes for
    4 kernels", with ``what`` = "kernels") when there are fewer than ``count``. ``axes=None``: a
    new figure of size ``figsize`` with ``ncols`` panels per row (default: all in one row);
    ``subplots_options`` go to ``plt.subplots`` (e.g. ``layout="constrained"``).
    """
    if axes is None:
        ncols = count if ncols is None else max(1, min(ncols, count))
        _, axes = plt.subplots(-(-count // ncols), ncols, figsize=figsize, squeeze=False,
                               **subplots_options)
    axes = np.ravel(np.asarray(axes, dtype=object))
    if len(axes) < count:
        raise ValueError(f"got {len(axes)} axes for {count} {what}")
    return axes


def set_margins(fig: Figure, *, left: float, right: float, bottom: float, top: float,
                wspace: float | None = None) -> None:
    """A fixed layout for ``fig``: the room between its axes and each edge of its canvas, in
    inches (labels need the same room whatever the figure's size). ``wspace`` as in
    ``subplots_adjust``: the gap between panels, a fraction of their width. The widgets draw
    this way: the course's constrained layout would cost a large part of every redraw."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                        top=1 - top / height, wspace=wspace)


def grey_levels(images: np.ndarray) -> tuple[float, float]:
    """The fixed display range for a batch of images: (0, 255) for uint8, (0, 1) for floats in [0, 1].

    Raises ``ValueError`` for other ranges (e.g. Hounsfield units): pass ``vmin``/``vmax``
    (a CT window) explicitly then, so that images compared side by side share one grey scale.
    """
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return 0.0, 255.0
    if images.size and np.issubdtype(images.dtype, np.number):
        low, high = float(np.nanmin(images)), float(np.nanmax(images))
        if low >= 0.0 and high <= 1.0:
            return 0.0, 1.0
        raise ValueError(
            f"images range from {low:g} to {high:g}, not [0, 1]: pass vmin= and vmax= "
            "(for CT, a window such as vmin=-160, vmax=240 HU) so all panels share one grey scale"
        )
    raise TypeError(f"images must be numeric, got dtype {images.dtype}")


def plot_image_grid(
    images: np.ndarray | Sequence[np.ndarray],
    titles: Sequence[str] | None = None,
    *,
    ncols: int = 8,
    vmin: float | None = None,
    vmax: float | None = None,
    cmap: str = "gray",
    axes: Sequence[Axes] | np.ndarray | None = None,
    panel_size: float = 1.6,
) -> Figure:
    """Show images side by side on one fixed grey scale and return the figure.

    images: (N, H, W), (N, H, W, 1) or (N, H, W, 3); uint8 in [0, 255] or float in [0, 1]
    unless ``vmin``/``vmax`` are given. ``titles``: N strings or None. ``axes``: N or more
    Axes to draw on (spare ones are hidden); when None a figure with ``ncols`` columns is made.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 3):
        raise ValueError(
            f"images must have shape (N, H, W), (N, H, W, 1) or (N, H, W, 3), got {images.shape}"
        )
    n = len(images)
    if n == 0:
        raise ValueError("images is empty: nothing to plot")
    if titles is not None and len(titles) != n:
        raise ValueError(f"got {len(titles)} titles for {n} images")
    if vmin is None or vmax is None:
        low, high = grey_levels(images)
        vmin = low if vmin is None else vmin
        vmax = high if vmax is None else vmax
    columns = max(1, min(ncols, n))
    axes = panel_axes(axes, n, "images", ncols=columns,
                      figsize=(panel_size * columns, panel_size * -(-n // columns) + 0.3))
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i >= n:
            continue
        image = images[i]
        if image.ndim == 3:  # colour: imshow ignores vmin/vmax, so scale to [0, 1] ourselves
            image = np.clip((image.astype(np.float32) - vmin) / (vmax - vmin), 0, 1)
        ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    return axes[0].figure


def plot_training_curves(
    history,
    metrics: Sequence[str] = ("loss",),
    *,
    ax: Axes | np.ndarray | None = None,
) -> np.ndarray:
    """Plot training and validation curves per metric, one panel per metric.

    history: a ``keras.callbacks.History`` or a mapping such as ``history.history``
    ({"loss": [...], "val_loss": [...], ...}). Returns the array of Axes used.
    """
    record = history.history if hasattr(history, "history") else history
    if not isinstance(record, Mapping):
        raise TypeError("history must be a keras History or a dict of lists such as history.history")
    unknown = [m for m in metrics if m not in record]
    if unknown:
        raise ValueError(f"metrics {unknown} not in the history; it has {sorted(record)}")
    axes = panel_axes(ax, len(metrics), "metrics", figsize=(4.2 * len(metrics), 3.2))
    for panel, metric in zip(axes, metrics, strict=False):
        epochs = np.arange(1, len(record[metric]) + 1)
        panel.plot(epochs, record[metric], marker="o", ms=3, label="training")
        if f"val_{metric}" in record:
            panel.plot(epochs, record[f"val_{metric}"], marker="s", ms=3, label="validation")
        panel.set_xlabel("epoch")
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs 1, 2, ..., never 1.5
        panel.set_ylabel(metric)
        panel.set_title(metric)
        panel.legend()
    return axes
