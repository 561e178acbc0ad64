"""Figures of the cells of ``notebooks/01_history.ipynb``: a recording, receptive fields, tuning
and position curves, and the response maps of a bank of cells on an image.

Every helper takes ``ax=None``/``axes=None`` (a new figure only when none is given) and returns
what it drew on.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import viz
from helpers.history.cells import (
    ORIENTATIONS,
    WAVELENGTH,
    _check_image,
    make_gabor_kernel,
    measure_position_curve,
    measure_tuning_curve,
)


def plot_recording(angles_deg: np.ndarray, rates: np.ndarray, *, ax: Axes | None = None) -> Axes:
    """Firing rate (spikes/s) vs bar orientation (degrees), as recorded from one cell.

    angles_deg and rates: (N,) arrays of the same length, e.g. from
    :func:`helpers.history.cells.record_mystery_cell`.
    """
    angles_deg, rates = np.asarray(angles_deg, dtype=float), np.asarray(rates, dtype=float)
    if angles_deg.ndim != 1 or angles_deg.shape != rates.shape:
        raise ValueError(f"angles and rates must be 1-D of equal length, got shapes "
                         f"{angles_deg.shape} and {rates.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.0), layout="constrained")
    ax.plot(angles_deg, rates, "o-", ms=3)
    ax.set_xticks(np.arange(0, 181, 45))
    ax.set_xlabel("bar orientation (degrees)")
    ax.set_ylabel("firing rate (spikes/s)")
    ax.set_title("a recorded cell")
    return ax


def plot_receptive_fields(
    orientations: Sequence[float] = ORIENTATIONS,
    *,
    wavelength: float = WAVELENGTH,
    axes: Sequence[Axes] | np.ndarray | None = None,
) -> Figure:
    """Show simple-cell receptive fields on one grey scale: white excites, black inhibits.

    One panel per orientation and a shared colorbar; mid-grey is a weight of 0.
    """
    kernels = [make_gabor_kernel(o, wavelength=wavelength) for o in orientations]
    if not kernels:
        raise ValueError("give at least one orientation")
    axes = viz.panel_axes(axes, len(kernels), "receptive fields", layout="constrained",
                          figsize=(2.0 * len(kernels) + 0.8, 2.4))
    limit = max(float(np.abs(k).max()) for k in kernels)
    for ax, kernel, orientation in zip(axes, kernels, orientations, strict=False):
        image = ax.imshow(kernel, cmap="gray", vmin=-limit, vmax=limit)
        ax.set_title(f"prefers {orientation:g}°")
        ax.set_axis_off()
    axes[0].figure.colorbar(image, ax=list(axes[: len(kernels)]), shrink=0.8,
                            label="weight (+ excites, − inhibits)")
    return axes[0].figure


def plot_tuning_curves(
    angles_deg: Sequence[float] | np.ndarray,
    preferred: Sequence[float] = ORIENTATIONS,
    *,
    cell: str = "simple",
    stimulus: str = "bar",
    ax: Axes | None = None,
) -> Axes:
    """Orientation tuning: response vs stimulus angle, one curve per preferred orientation."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.4), layout="constrained")
    angles = np.asarray(angles_deg, dtype=float)
    for orientation in preferred:
        curve = measure_tuning_curve(orientation, angles, cell=cell, stimulus=stimulus)
        ax.plot(angles, curve, label=f"prefers {orientation:g}°")
    ax.set_xticks(np.arange(0, 181, 45))
    ax.set_xlabel(f"{stimulus} orientation (degrees)")
    ax.set_ylabel("response (1 = best bar)")
    ax.set_title(f"{cell} cells: orientation tuning")
    ax.legend(fontsize=8, loc="upper right")
    return ax


def plot_position_curves(
    positions: Sequence[float] | np.ndarray,
    preferred_deg: float = 45.0,
    bar_deg: float | None = None,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Response vs bar position for a simple and a complex cell with the same preferred orientation.

    The bar is shown at ``bar_deg`` (default: the preferred orientation).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.4), layout="constrained")
    bar_deg = preferred_deg if bar_deg is None else bar_deg
    positions = np.asarray(positions, dtype=float)
    ax.plot(positions, measure_position_curve(preferred_deg, bar_deg, positions, cell="simple"),
            label="simple cell")
    ax.plot(positions, measure_position_curve(preferred_deg, bar_deg, positions, cell="complex"),
            ls="--", label="complex cell")
    ax.set_xlabel("bar offset from the centre (pixels)")
    ax.set_ylabel("response (1 = best bar)")
    ax.set_title(f"bar at {bar_deg:g}°, cells prefer {preferred_deg:g}°")
    ax.set_ylim(-0.05, 1.15)
    ax.legend(fontsize=8)
    return ax


def plot_response_maps(
    image: np.ndarray,
    maps: np.ndarray,
    orientations: Sequence[float] = ORIENTATIONS,
    *,
    axes: Sequence[Axes] | np.ndarray | None = None,
) -> Figure:
    """The image (grey, fixed 0–1) beside its response maps (viridis, shared scale, colorbar).

    image: (H, W) in [0, 1]; maps: (N, H, W) ≥ 0 with N = len(orientations), e.g. from
    :func:`helpers.history.cells.apply_cell_bank`.
    """
    image = _check_image("image", image)
    maps = np.asarray(maps)
    if maps.ndim != 3 or maps.shape[0] != len(orientations) or maps.shape[1:] != image.shape:
        raise ValueError(
            f"maps must have shape ({len(orientations)}, {image.shape[0]}, {image.shape[1]}), "
            f"got {maps.shape}"
        )
    n = len(orientations) + 1
    axes = viz.panel_axes(axes, n, "panels", layout="constrained",
                          figsize=(2.2 * n + 0.8, 2.7))
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title("input")
    vmax = max(float(maps.max()), 1e-6)
    for ax, response, orientation in zip(axes[1:], maps, orientations, strict=False):
        shown = ax.imshow(response, cmap="viridis", vmin=0, vmax=vmax)
        ax.set_title(f"cells preferring {orientation:g}°", fontsize=9)
    for ax in axes[:n]:
        ax.set_axis_off()
    axes[0].figure.colorbar(shown, ax=list(axes[1:n]), shrink=0.8, label="response")
    return axes[0].figure
