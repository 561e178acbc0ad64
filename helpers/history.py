"""Receptive fields, the Neocognitron and the big picture: simulations and figures.

Taught in ``notebooks/01_history.ipynb``.

Conventions used throughout:

- Images and stimuli are (H, W) float32 arrays in [0, 1]; row 0 is the top of the picture.
- Orientations are in degrees, counter-clockwise from horizontal as seen on the screen:
  0° is a horizontal bar, 90° a vertical one, 45° runs from bottom-left to top-right.
  Orientations repeat every 180°.
- A *simple cell* is an oriented Gabor filter at a fixed place, followed by rectification
  (negative drive gives no spikes). A *complex cell* takes the maximum of simple cells with the
  same preferred orientation at every position of a small neighbourhood.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle
from numpy.lib.stride_tricks import sliding_window_view

#: Preferred orientations of the small bank of cells used in the notebook (degrees).
ORIENTATIONS: tuple[float, ...] = (0.0, 45.0, 90.0, 135.0)
#: Period of the simple cells' stripes, in pixels; the other sizes follow from it.
WAVELENGTH = 10.0
#: Side of a simple cell's receptive field for :data:`WAVELENGTH` (pixels, odd).
KERNEL_SIZE = 21
#: A complex cell pools simple cells shifted by up to this many pixels in each direction.
POOL_RADIUS = 10
#: Side of the stimulus field: a simple-cell receptive field plus the pooling shifts.
FIELD_SIZE = KERNEL_SIZE + 2 * POOL_RADIUS
#: Width of the bar stimulus (pixels): about the width of the excitatory stripe.
BAR_WIDTH = 0.4 * WAVELENGTH

CELL_KINDS = ("simple", "complex")
STIMULI = ("bar", "grating")


# --------------------------------------------------------------------------- validation


def _check_orientation(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number of degrees, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of degrees, got {value}")
    return float(value)


def _check_image(name: str, image: np.ndarray, min_side: int = 1) -> np.ndarray:
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"{name} must be a 2-D (H, W) image, got shape {image.shape}")
    if not np.issubdtype(image.dtype, np.number):
        raise TypeError(f"{name} must be numeric, got dtype {image.dtype}")
    if min(image.shape) < min_side:
        raise ValueError(
            f"{name} is {image.shape[0]}×{image.shape[1]} pixels but must be at least "
            f"{min_side}×{min_side}: use a larger stimulus (e.g. size={FIELD_SIZE})"
        )
    return image.astype(np.float32, copy=False)


def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (x to the right, y up) of a size×size grid centred on its middle pixel."""
    centre = (size - 1) / 2.0
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float64)
    return cols - centre, centre - rows


def _across(size: int, orientation_deg: float) -> np.ndarray:
    """Signed distance of every pixel from the line through the centre at ``orientation_deg``."""
    x, y = _grid(size)
    theta = math.radians(orientation_deg)
    return -x * math.sin(theta) + y * math.cos(theta)


# --------------------------------------------------------------------------- stimuli


def make_bar(
    orientation_deg: float,
    position: float = 0.0,
    *,
    size: int = FIELD_SIZE,
    width: float = BAR_WIDTH,
) -> np.ndarray:
    """A bright bar on a dark screen, as Hubel and Wiesel projected slits of light.

    The bar crosses the whole (size, size) field; ``position`` moves it perpendicular to its
    length, in pixels (for a horizontal bar, positive is up). Edges are anti-aliased over one
    pixel. Returns (size, size) float32 in [0, 1].
    """
    orientation_deg = _check_orientation("orientation_deg", orientation_deg)
    if size < 3:
        raise ValueError(f"size must be at least 3 pixels, got {size}")
    if not width > 0:
        raise ValueError(f"width must be a positive number of pixels, got {width}")
    distance = np.abs(_across(size, orientation_deg) - float(position))
    return np.clip(width / 2.0 + 0.5 - distance, 0.0, 1.0).astype(np.float32)


def make_grating(
    orientation_deg: float,
    *,
    size: int = FIELD_SIZE,
    wavelength: float = WAVELENGTH,
    phase_deg: float = 0.0,
) -> np.ndarray:
    """A sinusoidal grating with stripes at ``orientation_deg``: (size, size) float32 in [0, 1]."""
    orientation_deg = _check_orientation("orientation_deg", orientation_deg)
    if not wavelength > 0:
        raise ValueError(f"wavelength must be a positive number of pixels, got {wavelength}")
    phase = math.radians(phase_deg)
    stripes = np.cos(2 * np.pi * _across(size, orientation_deg) / wavelength + phase)
    return (0.5 + 0.5 * stripes).astype(np.float32)


# ------------------------------------------------------------------------ simple and complex cells


def gabor_size(wavelength: float) -> int:
    """Odd side length that holds a Gabor of this wavelength out to two envelope widths."""
    return 2 * math.ceil(2 * 0.5 * wavelength) + 1


def make_gabor_kernel(
    orientation_deg: float,
    *,
    wavelength: float = WAVELENGTH,
    normalise: bool = True,
) -> np.ndarray:
    """The receptive field of a simple cell preferring bright bars at ``orientation_deg``.

    g(x, y) = exp(-u²/(2σ∥²) - v²/(2σ⊥²)) · cos(2π v / λ),
    with u = x cosθ + y sinθ along the preferred bar, v = -x sinθ + y cosθ across it,
    λ = ``wavelength``, σ∥ = λ/2 and σ⊥ = 0.3 λ: an excitatory (positive) stripe flanked by
    inhibitory (negative) ones.

    With ``normalise=True`` (the default) the kernel is made blind to uniform light (its weights
    sum to 0, removed in proportion to the envelope) and scaled so that the best bar — centred,
    at the preferred orientation, 0.4 λ wide — gives a response of exactly 1.
    Returns (n, n) float32 with n = :func:`gabor_size` (21 for λ = 10).
    """
    orientation_deg = _check_orientation("orientation_deg", orientation_deg)
    if not wavelength >= 2:
        raise ValueError(f"wavelength must be at least 2 pixels, got {wavelength}")
    size = gabor_size(wavelength)
    x, y = _grid(size)
    theta = math.radians(orientation_deg)
    along = x * math.cos(theta) + y * math.sin(theta)
    across = -x * math.sin(theta) + y * math.cos(theta)
    sigma_along, sigma_across = 0.5 * wavelength, 0.3 * wavelength
    envelope = np.exp(-(along**2) / (2 * sigma_along**2) - across**2 / (2 * sigma_across**2))
    kernel = envelope * np.cos(2 * np.pi * across / wavelength)
    if normalise:
        kernel = kernel - envelope * (kernel.sum() / envelope.sum())
        best_bar = make_bar(orientation_deg, size=size, width=0.4 * wavelength)
        kernel = kernel / float(np.sum(kernel * best_bar))
    return kernel.astype(np.float32)


@lru_cache(maxsize=256)
def _cached_kernel(orientation_deg: float, wavelength: float) -> np.ndarray:
    kernel = make_gabor_kernel(orientation_deg, wavelength=wavelength)
    kernel.setflags(write=False)
    return kernel


def correlate_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image`` without padding and take the dot product at each place.

    image: (H, W); kernel: (k, k). Returns (H - k + 1, W - k + 1) float32. This is what a
    Keras ``Conv2D(padding="valid")`` computes (a cross-correlation: the kernel is not flipped).
    """
    image = _check_image("image", image)
    kernel = np.asarray(kernel, dtype=np.float32)
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (k, k), got shape {kernel.shape}")
    if image.shape[0] < kernel.shape[0] or image.shape[1] < kernel.shape[1]:
        raise ValueError(
            f"the {kernel.shape[0]}×{kernel.shape[1]} kernel does not fit in the "
            f"{image.shape[0]}×{image.shape[1]} image: use a larger image or a smaller kernel"
        )
    windows = sliding_window_view(image, kernel.shape)
    return np.einsum("ijkl,kl->ij", windows, kernel, optimize=True).astype(np.float32)


def simple_cell_response(stimulus: np.ndarray, preferred_deg: float) -> float:
    """Firing of a simple cell whose receptive field sits at the centre of ``stimulus``.

    r = max(0, Σ g·s) over the receptive field, with g from :func:`make_gabor_kernel`.
    stimulus: (H, W) in [0, 1], H and W at least :data:`KERNEL_SIZE`. Returns a float ≥ 0
    (1 for the best bar).
    """
    kernel = _cached_kernel(_check_orientation("preferred_deg", preferred_deg), WAVELENGTH)
    stimulus = _check_image("stimulus", stimulus, KERNEL_SIZE)
    k = kernel.shape[0]
    top, left = (stimulus.shape[0] - k) // 2, (stimulus.shape[1] - k) // 2
    drive = float(np.sum(kernel * stimulus[top : top + k, left : left + k]))
    return max(0.0, drive)


def complex_cell_response(
    stimulus: np.ndarray, preferred_deg: float, pool_radius: int = POOL_RADIUS
) -> float:
    """Firing of a complex cell: the largest simple-cell response over shifted positions.

    c = max over shifts (dx, dy) with |dx|, |dy| ≤ ``pool_radius`` of r(dx, dy), where r is a
    simple cell of the same preferred orientation moved by (dx, dy). stimulus: (H, W) with H and
    W at least :data:`KERNEL_SIZE` + 2·pool_radius. Returns a float ≥ 0.
    """
    kernel = _cached_kernel(_check_orientation("preferred_deg", preferred_deg), WAVELENGTH)
    if int(pool_radius) != pool_radius or pool_radius < 0:
        raise ValueError(f"pool_radius must be a non-negative whole number, got {pool_radius}")
    pool_radius = int(pool_radius)
    stimulus = _check_image("stimulus", stimulus, kernel.shape[0] + 2 * pool_radius)
    drive = correlate_valid(stimulus, kernel)
    cy, cx = drive.shape[0] // 2, drive.shape[1] // 2
    pooled = drive[cy - pool_radius : cy + pool_radius + 1, cx - pool_radius : cx + pool_radius + 1]
    return max(0.0, float(pooled.max()))


def _respond(stimulus: np.ndarray, preferred_deg: float, cell: str) -> float:
    if cell == "simple":
        return simple_cell_response(stimulus, preferred_deg)
    if cell == "complex":
        return complex_cell_response(stimulus, preferred_deg)
    raise ValueError(f"cell must be one of {CELL_KINDS}, got {cell!r}")


def measure_tuning_curve(
    preferred_deg: float,
    angles_deg: Sequence[float] | np.ndarray,
    *,
    cell: str = "simple",
    stimulus: str = "bar",
    position: float = 0.0,
) -> np.ndarray:
    """Response of one cell to a bar (or grating) shown at each angle of ``angles_deg``.

    ``position`` offsets the bar from the centre of the field (ignored for gratings).
    Returns (len(angles_deg),) float64, ≥ 0.
    """
    if cell not in CELL_KINDS:
        raise ValueError(f"cell must be one of {CELL_KINDS}, got {cell!r}")
    if stimulus not in STIMULI:
        raise ValueError(f"stimulus must be one of {STIMULI}, got {stimulus!r}")
    responses = []
    for angle in np.asarray(angles_deg, dtype=float).ravel():
        image = make_bar(angle, position) if stimulus == "bar" else make_grating(angle)
        responses.append(_respond(image, preferred_deg, cell))
    return np.asarray(responses, dtype=np.float64)


def measure_position_curve(
    preferred_deg: float,
    bar_deg: float,
    positions: Sequence[float] | np.ndarray,
    *,
    cell: str = "simple",
) -> np.ndarray:
    """Response of one cell to a bar at ``bar_deg`` moved to each offset in ``positions`` (px).

    Offsets beyond ±:data:`POOL_RADIUS` leave the complex cell's field. Returns
    (len(positions),) float64, ≥ 0.
    """
    if cell not in CELL_KINDS:
        raise ValueError(f"cell must be one of {CELL_KINDS}, got {cell!r}")
    positions = np.asarray(positions, dtype=float).ravel()
    return np.asarray([_respond(make_bar(bar_deg, p), preferred_deg, cell) for p in positions])


#: The "recorded" cell of exercise 1: its preferred orientation is for the learner to find.
_MYSTERY_PREFERRED = 120.0


def record_mystery_cell() -> tuple[np.ndarray, np.ndarray]:
    """A simulated recording: a simple cell's mean firing rate (spikes/s, 10 trials, Poisson)
    for a centred bar at 0°, 5°, …, 175°. Deterministic.

    Returns (angles, rates), both (36,) float64.
    """
    angles = np.arange(0.0, 180.0, 5.0)
    rate = 2.0 + 38.0 * measure_tuning_curve(_MYSTERY_PREFERRED, angles)
    rng = np.random.default_rng(1980)
    rates = rng.poisson(rate, size=(10, angles.size)).mean(axis=0)
    return angles, rates


# --------------------------------------------------------------------------- plots of the cells


def plot_recording(angles_deg: np.ndarray, rates: np.ndarray, *, ax: Axes | None = None) -> Axes:
    """Firing rate (spikes/s) vs bar orientation (degrees), as recorded from one cell.

    angles_deg and rates: (N,) arrays of the same length, e.g. from :func:`record_mystery_cell`.
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
    if axes is None:
        fig, axes = plt.subplots(1, len(kernels), figsize=(2.0 * len(kernels) + 0.8, 2.4),
                                 squeeze=False, layout="constrained")
    axes = np.ravel(np.asarray(axes, dtype=object))
    if len(axes) < len(kernels):
        raise ValueError(f"got {len(axes)} axes for {len(kernels)} receptive fields")
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


# --------------------------------------------------------------------------- the widget


#: Control values of the widget (the tests run the update function over all of them).
WIDGET_ANGLES = tuple(range(0, 180, 15))
WIDGET_POSITIONS = tuple(range(-POOL_RADIUS, POOL_RADIUS + 1, 2))
_CURVE_ANGLES = np.arange(0.0, 180.1, 7.5)
_CURVE_POSITIONS = np.arange(-POOL_RADIUS, POOL_RADIUS + 0.1, 1.0)


@lru_cache(maxsize=128)
def _curves_vs_angle(preferred: float, position: float) -> tuple[np.ndarray, np.ndarray]:
    return tuple(measure_tuning_curve(preferred, _CURVE_ANGLES, cell=c, position=position)
                 for c in CELL_KINDS)


@lru_cache(maxsize=128)
def _curves_vs_position(preferred: float, angle: float) -> tuple[np.ndarray, np.ndarray]:
    return tuple(measure_position_curve(preferred, angle, _CURVE_POSITIONS, cell=c)
                 for c in CELL_KINDS)


def draw_cell_responses(
    bar_angle: float = 30.0, bar_position: float = 0.0, preferred_angle: float = 45.0
) -> Figure:
    """The widget's figure: a bar stimulus and what a simple and a complex cell make of it.

    Left: the stimulus with the simple cell's receptive field (square; its excitatory stripe
    outlined) and both responses to it. Middle: both cells' responses vs bar angle at this
    offset. Right: vs bar offset at this angle. Dotted lines mark the current stimulus.
    bar_angle in degrees (any value; orientations repeat every 180°); bar_position in pixels,
    within ±:data:`POOL_RADIUS`; preferred_angle in degrees.
    """
    bar_angle = _check_orientation("bar angle", bar_angle) % 180.0
    preferred_angle = _check_orientation("preferred angle", preferred_angle) % 180.0
    bar_position = float(bar_position)
    if not abs(bar_position) <= POOL_RADIUS:
        raise ValueError(
            f"a bar {bar_position:g} px from the centre lies outside the complex cell's field "
            f"(±{POOL_RADIUS} px): choose a position between {-POOL_RADIUS} and {POOL_RADIUS}"
        )
    stimulus = make_bar(bar_angle, bar_position)
    now = {c: _respond(stimulus, preferred_angle, c) for c in CELL_KINDS}
    by_angle = _curves_vs_angle(preferred_angle, bar_position)
    by_position = _curves_vs_position(preferred_angle, bar_angle)

    fig, (left, middle, right) = plt.subplots(
        1, 3, figsize=(11.0, 3.5), gridspec_kw={"width_ratios": [1.0, 1.35, 1.35]},
        layout="none",  # a fixed layout: redrawing stays fast while a slider moves
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.15, top=0.84, wspace=0.25)
    left.imshow(stimulus, cmap="gray", vmin=0, vmax=1)
    k, start = KERNEL_SIZE, (FIELD_SIZE - KERNEL_SIZE) // 2
    left.add_patch(Rectangle((start - 0.5, start - 0.5), k, k, fill=False, ec="#E69F00", lw=1.5))
    field = np.zeros_like(stimulus)
    field[start : start + k, start : start + k] = _cached_kernel(preferred_angle, WAVELENGTH)
    left.contour(field, levels=[0.5 * float(field.max())], colors="#E69F00", linewidths=1.0)
    left.set_title(f"bar {bar_angle:g}°, offset {bar_position:+g} px\n"
                   f"simple {now['simple']:.2f} · complex {now['complex']:.2f}", fontsize=10)
    left.set_axis_off()

    for ax, x, curves, current, label in (
        (middle, _CURVE_ANGLES, by_angle, bar_angle, "bar orientation (degrees)"),
        (right, _CURVE_POSITIONS, by_position, bar_position, "bar offset (pixels)"),
    ):
        ax.plot(x, curves[0], label="simple cell")
        ax.plot(x, curves[1], ls="--", label="complex cell")
        ax.axvline(current, color="grey", ls=":", lw=1.2, label="this stimulus")
        ax.set_xlabel(label)
        ax.set_ylim(-0.05, 1.15)
    fig.legend(*middle.get_legend_handles_labels(), loc="upper right", ncols=3, fontsize=8)
    middle.set_xticks(np.arange(0, 181, 45))
    middle.set_ylabel("response (1 = best bar)")
    middle.set_title(f"vs angle (cells prefer {preferred_angle:g}°)", fontsize=10)
    right.set_title(f"vs position (bar at {bar_angle:g}°)", fontsize=10)
    return fig


def make_cell_explorer(preferred_angle: float = 45.0):
    """Sliders for the bar's angle and offset, wired to :func:`draw_cell_responses` for cells
    preferring ``preferred_angle``."""
    import ipywidgets as widgets

    from helpers.widgets import interactive_figure

    preferred_angle = _check_orientation("preferred_angle", preferred_angle)
    style = {"description_width": "initial"}
    angle = widgets.IntSlider(value=30, min=0, max=165, step=15, description="bar angle (°)",
                              continuous_update=False, style=style)
    position = widgets.IntSlider(value=0, min=-POOL_RADIUS, max=POOL_RADIUS, step=2,
                                 description="bar offset (px)", continuous_update=False,
                                 style=style)

    def update(bar_angle: float, bar_position: float) -> Figure:
        return draw_cell_responses(bar_angle, bar_position, preferred_angle)

    return interactive_figure(update, bar_angle=angle, bar_position=position)


# --------------------------------------------------------------------------- cells on an image


def apply_cell_bank(
    image: np.ndarray,
    orientations: Sequence[float] = ORIENTATIONS,
    *,
    wavelength: float = 8.0,
) -> np.ndarray:
    """Response maps of simple cells of every orientation, one cell centred on every pixel.

    image: (H, W) float in [0, 1]. Borders are extended by mirroring, so the maps keep the
    image's size. Returns (len(orientations), H, W) float32 ≥ 0 (1 = an ideal bar).
    """
    image = _check_image("image", image, 2)
    if len(orientations) == 0:
        raise ValueError("give at least one orientation")
    maps = []
    for orientation in orientations:
        kernel = _cached_kernel(_check_orientation("orientation", orientation), float(wavelength))
        r = kernel.shape[0] // 2
        if min(image.shape) <= r:
            raise ValueError(f"the image must be larger than {r} pixels for this wavelength")
        padded = np.pad(image, r, mode="reflect")
        maps.append(np.maximum(correlate_valid(padded, kernel), 0.0))
    return np.stack(maps).astype(np.float32)


def plot_response_maps(
    image: np.ndarray,
    maps: np.ndarray,
    orientations: Sequence[float] = ORIENTATIONS,
    *,
    axes: Sequence[Axes] | np.ndarray | None = None,
) -> Figure:
    """The image (grey, fixed 0–1) beside its response maps (viridis, shared scale, colorbar).

    image: (H, W) in [0, 1]; maps: (N, H, W) ≥ 0 with N = len(orientations).
    """
    image = _check_image("image", image)
    maps = np.asarray(maps)
    if maps.ndim != 3 or maps.shape[0] != len(orientations) or maps.shape[1:] != image.shape:
        raise ValueError(
            f"maps must have shape ({len(orientations)}, {image.shape[0]}, {image.shape[1]}), "
            f"got {maps.shape}"
        )
    n = len(orientations) + 1
    if axes is None:
        fig, axes = plt.subplots(1, n, figsize=(2.2 * n + 0.8, 2.7), squeeze=False,
                                 layout="constrained")
    axes = np.ravel(np.asarray(axes, dtype=object))
    if len(axes) < n:
        raise ValueError(f"got {len(axes)} axes for {n} panels")
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


# --------------------------------------------------------------------------- the Neocognitron


def _draw_segment(image: np.ndarray, start, end, width: float) -> None:
    """Draw an anti-aliased line from ``start`` to ``end`` ((row, col), pixels) in place."""
    rows, cols = np.mgrid[0 : image.shape[0], 0 : image.shape[1]].astype(np.float64)
    p = np.stack([rows, cols], axis=-1)
    a, b = np.asarray(start, float), np.asarray(end, float)
    t = np.clip(((p - a) @ (b - a)) / float((b - a) @ (b - a)), 0.0, 1.0)
    distance = np.linalg.norm(p - (a + t[..., None] * (b - a)), axis=-1)
    np.maximum(image, np.clip(width / 2.0 + 0.5 - distance, 0.0, 1.0), out=image)


#: The four glyphs of :func:`make_glyph_image` as line segments in a unit square (row, col).
GLYPHS: dict[str, list[tuple[tuple[float, float], tuple[float, float]]]] = {
    "plus": [((0.5, 0.1), (0.5, 0.9)), ((0.1, 0.5), (0.9, 0.5))],
    "cross": [((0.15, 0.15), (0.85, 0.85)), ((0.15, 0.85), (0.85, 0.15))],
    "L": [((0.1, 0.2), (0.85, 0.2)), ((0.85, 0.2), (0.85, 0.85))],
    "slash": [((0.85, 0.15), (0.15, 0.85))],
}


def make_glyph_image(size: int = 64, width: float = 2.0) -> np.ndarray:
    """Four line drawings on a dark background: ``+`` (top left), ``×`` (top right),
    ``L`` (bottom left) and ``/`` (bottom right). Returns (size, size) float32 in [0, 1]."""
    if size < 32 or size % 4:
        raise ValueError(f"size must be a multiple of 4 and at least 32 pixels, got {size}")
    image = np.zeros((size, size), np.float64)
    half = size / 2
    for (name, segments), (top, left) in zip(GLYPHS.items(),
                                             [(0, 0), (0, half), (half, 0), (half, half)],
                                             strict=True):
        del name
        for start, end in segments:
            _draw_segment(image, (top + start[0] * half, left + start[1] * half),
                          (top + end[0] * half, left + end[1] * half), width)
    return image.astype(np.float32)


def apply_s_layer(
    x: np.ndarray, kernels: np.ndarray, bias: np.ndarray | None = None
) -> np.ndarray:
    """S-cells: at every position, weighted sum of a k×k neighbourhood over all input maps,
    plus a bias, rectified — what ``Conv2D(F, k, padding="same", activation="relu")`` computes.

    x: (H, W, C); kernels: (k, k, C, F) with k odd; bias: (F,) or None. Zero padding keeps the
    size. Returns (H, W, F) float32 ≥ 0.
    """
    x = np.asarray(x, dtype=np.float32)
    kernels = np.asarray(kernels, dtype=np.float32)
    if x.ndim != 3:
        raise ValueError(f"x must be (H, W, C), got shape {x.shape}: add a channel axis "
                         "with x[..., None]")
    if kernels.ndim != 4 or kernels.shape[0] != kernels.shape[1] or kernels.shape[0] % 2 == 0:
        raise ValueError(f"kernels must be (k, k, C, F) with k odd, got shape {kernels.shape}")
    if kernels.shape[2] != x.shape[2]:
        raise ValueError(
            f"the kernels expect {kernels.shape[2]} input map(s) but x has {x.shape[2]} channel(s)"
        )
    bias = np.zeros(kernels.shape[3], np.float32) if bias is None else np.asarray(bias, np.float32)
    if bias.shape != (kernels.shape[3],):
        raise ValueError(f"bias must have shape ({kernels.shape[3]},), got {bias.shape}")
    r = kernels.shape[0] // 2
    padded = np.pad(x, ((r, r), (r, r), (0, 0)))
    windows = sliding_window_view(padded, kernels.shape[:2], axis=(0, 1))  # (H, W, C, k, k)
    drive = np.einsum("hwcij,ijcf->hwf", windows, kernels, optimize=True) + bias
    return np.maximum(drive, 0.0).astype(np.float32)


def apply_c_layer(x: np.ndarray, size: int = 2) -> np.ndarray:
    """C-cells: the maximum of each non-overlapping size×size block of every map — what
    ``MaxPooling2D(size)`` computes. x: (H, W, C). Returns (H // size, W // size, C), same dtype;
    rows and columns that do not fill a whole block are dropped."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must be (H, W, C), got shape {x.shape}")
    if int(size) != size or size < 1 or size > min(x.shape[:2]):
        raise ValueError(f"size must be a whole number from 1 to {min(x.shape[:2])}, got {size}")
    h, w = x.shape[0] // size, x.shape[1] // size
    blocks = x[: h * size, : w * size].reshape(h, size, w, size, x.shape[2])
    return blocks.max(axis=(1, 3))


def make_s1_kernels(
    orientations: Sequence[float] = ORIENTATIONS, wavelength: float = 4.0
) -> np.ndarray:
    """First S-layer: one oriented bar detector per orientation, (k, k, 1, N) float32 (k = 9)."""
    return np.stack([make_gabor_kernel(o, wavelength=wavelength) for o in orientations],
                    axis=-1)[:, :, None, :]


def make_s2_kernels(size: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Second S-layer, set by hand: two "crossing" detectors reading the four C1 maps
    (0°, 45°, 90°, 135°). The first adds the 0° map along its middle row and the 90° map along
    its middle column (a ``+``); the second adds the 45° and 135° maps along its diagonals
    (an ``×``). The bias (−1.2) is a threshold: one line alone gives at most about 1 and stays
    silent; two crossing lines give about 2. Returns kernels (size, size, 4, 2) and bias (2,)."""
    if size < 3 or size % 2 == 0:
        raise ValueError(f"size must be odd and at least 3, got {size}")
    kernels = np.zeros((size, size, 4, 2), np.float32)
    middle = size // 2
    kernels[middle, :, 0, 0] = 1.0 / size  # horizontal lines along the middle row
    kernels[:, middle, 2, 0] = 1.0 / size  # vertical lines along the middle column
    diagonal = np.arange(size)
    kernels[size - 1 - diagonal, diagonal, 1, 1] = 1.0 / size  # 45°: bottom-left to top-right
    kernels[diagonal, diagonal, 3, 1] = 1.0 / size  # 135°: top-left to bottom-right
    return kernels, np.array([-1.2, -1.2], np.float32)


def run_neocognitron(image: np.ndarray) -> dict[str, np.ndarray]:
    """A two-stage S→C→S→C hierarchy with hand-set weights.

    image: (H, W) in [0, 1], H and W multiples of 4. Returns the maps of every stage:
    "input" (H, W, 1), "S1" (H, W, 4), "C1" (H/2, W/2, 4), "S2" (H/2, W/2, 2), "C2" (H/4, W/4, 2).
    """
    image = _check_image("image", image, 8)
    if image.shape[0] % 4 or image.shape[1] % 4:
        raise ValueError(f"image sides must be multiples of 4, got {image.shape}")
    stages = {"input": image[..., None]}
    stages["S1"] = apply_s_layer(stages["input"], make_s1_kernels())
    stages["C1"] = apply_c_layer(stages["S1"], 2)
    stages["S2"] = apply_s_layer(stages["C1"], *make_s2_kernels())
    stages["C2"] = apply_c_layer(stages["S2"], 2)
    return stages


def plot_hierarchy(stages: dict[str, np.ndarray], *, fig: Figure | None = None) -> Figure:
    """One column per stage of :func:`run_neocognitron`, one row per map.

    The input is grey (0–1); every other stage is viridis from 0, one scale and colorbar per stage.
    """
    names = list(stages)
    rows = max(v.shape[-1] for v in stages.values())
    fig = fig or plt.figure(figsize=(2.0 * len(names) + 0.6, 1.75 * rows + 0.4),
                           layout="constrained")
    grid = fig.add_gridspec(rows, len(names))
    labels = {"S1": [f"{o:g}°" for o in ORIENTATIONS], "C1": [f"{o:g}°" for o in ORIENTATIONS],
              "S2": ["+ detector", "× detector"], "C2": ["+ detector", "× detector"]}
    for column, name in enumerate(names):
        maps = stages[name]
        vmax = 1.0 if name == "input" else max(float(maps.max()), 1e-6)
        column_axes = []
        for channel in range(maps.shape[-1]):
            ax = fig.add_subplot(grid[channel, column])
            cmap = "gray" if name == "input" else "viridis"
            shown = ax.imshow(maps[..., channel], cmap=cmap, vmin=0, vmax=vmax)
            suffix = labels.get(name, [""] * maps.shape[-1])[channel]
            h, w = maps.shape[:2]
            ax.set_title(f"{name} {suffix}\n{h}×{w}", fontsize=8)
            ax.set_axis_off()
            column_axes.append(ax)
        if name != "input":
            fig.colorbar(shown, ax=column_axes, shrink=0.6, location="bottom", pad=0.02)
    return fig


# --------------------------------------------------------------------------- the timeline


@dataclass(frozen=True)
class Milestone:
    """One event of the timeline; ``in_entry`` is True when the course's source entry names it."""

    year: int
    label: str
    kind: str
    reference: str
    in_entry: bool = False


KIND_COLOURS = {
    "neuroscience": "#009E73",
    "networks": "#0072B2",
    "data": "#E69F00",
    "medical imaging": "#D55E00",
}

MILESTONES: tuple[Milestone, ...] = (
    Milestone(1959, "Hubel & Wiesel: orientation-selective cells in cat striate cortex",
              "neuroscience", "J Physiol 148:574–591", True),
    Milestone(1962, "Hubel & Wiesel: simple and complex cells, a hierarchy",
              "neuroscience", "J Physiol 160:106–154"),
    Milestone(1980, "Fukushima: Neocognitron (S-cells and C-cells)",
              "networks", "Biol Cybern 36:193–202", True),
    Milestone(1986, "Rumelhart, Hinton & Williams: backpropagation",
              "networks", "Nature 323:533–536"),
    Milestone(1989, "LeCun et al.: convolution weights learned by backpropagation",
              "networks", "Neural Comput 1:541–551"),
    Milestone(1995, "Lo et al.: a CNN for lung nodules on chest radiographs",
              "medical imaging", "IEEE Trans Med Imaging 14:711–718"),
    Milestone(1998, "LeCun et al.: LeNet-5 reads handwritten digits",
              "networks", "Proc IEEE 86:2278–2324"),
    Milestone(2009, "ImageNet; the entry counts 14,197,122 images in 21,841 categories",
              "data", "Deng et al., CVPR 2009; counts from the entry, §3.3", True),
    Milestone(2012, "AlexNet wins the ImageNet challenge: top-5 error 15.3 % (next 26.2 %)",
              "networks", "Krizhevsky et al., NIPS 2012"),
    Milestone(2015, "U-Net segments biomedical images",
              "medical imaging", "Ronneberger et al., MICCAI 2015"),
    Milestone(2015, "ResNet: very deep networks train",
              "networks", "He et al., CVPR 2016 (arXiv 2015)"),
    Milestone(2016, "Diabetic retinopathy on fundus photographs",
              "medical imaging", "Gulshan et al., JAMA 316:2402–2410"),
    Milestone(2017, "Skin cancer classified at dermatologist level",
              "medical imaging", "Esteva et al., Nature 542:115–118"),
    Milestone(2017, "Retinopathy and other eye diseases, multiethnic cohorts",
              "medical imaging", "Ting et al., JAMA 318:2211–2223", True),
    Milestone(2017, "Breast cancer on histopathology slides",
              "medical imaging", "IEEE Healthcom 2017 (as cited by the entry)", True),
    Milestone(2019, "Alzheimer's disease from brain MRI",
              "medical imaging", "Jain et al., Cogn Syst Res 57:147–159", True),
    Milestone(2020, "Inflammatory skin disease; corneal disease on slit-lamp photos",
              "medical imaging", "Wu et al., Ann Transl Med 2020; Gu et al., Sci Rep 10:17851",
              True),
    Milestone(2021, "COVID-19 detected on chest X-ray and CT",
              "medical imaging", "the entry, §3", True),
)


def plot_timeline(milestones: Sequence[Milestone] = MILESTONES, *, ax: Axes | None = None) -> Axes:
    """A vertical, to-scale time axis (left) with one evenly spaced label per milestone (right),
    joined by thin lines and coloured by kind. Filled dots: named by the source entry."""
    milestones = sorted(milestones, key=lambda m: m.year)
    if not milestones:
        raise ValueError("give at least one milestone")
    unknown = {m.kind for m in milestones} - set(KIND_COLOURS)
    if unknown:
        raise ValueError(f"unknown kind(s) {sorted(unknown)}; use one of {list(KIND_COLOURS)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(10.0, 0.42 * len(milestones) + 1.0), layout="constrained")
    first, last = milestones[0].year - 2, milestones[-1].year + 2
    slots = np.linspace(first, last, len(milestones))
    ax.plot([0, 0], [first, last], color="black", lw=1.2)
    for decade in range(10 * math.ceil(first / 10), last + 1, 10):
        ax.plot([-0.04, 0.0], [decade, decade], color="black", lw=1)
        ax.text(-0.06, decade, str(decade), ha="right", va="center", fontsize=9)
    for milestone, slot in zip(milestones, slots, strict=True):
        colour = KIND_COLOURS[milestone.kind]
        ax.plot([0, 0.1, 0.25, 0.35], [milestone.year, milestone.year, slot, slot], color=colour,
                lw=0.8)
        ax.plot(0, milestone.year, "o", ms=6, color=colour,
                mfc=colour if milestone.in_entry else "white")
        ax.text(0.38, slot, f"{milestone.year}  {milestone.label}", va="center", fontsize=9)
        ax.text(3.75, slot, milestone.reference, va="center", fontsize=7.5, color="0.35")
    for kind, colour in KIND_COLOURS.items():
        ax.plot([], [], "o", color=colour, label=kind)
    ax.plot([], [], "o", color="0.3", mfc="white", label="not in the entry")
    ax.set_xlim(-0.5, 6.0)
    ax.set_ylim(last + 1, first - 1)
    ax.set_axis_off()
    ax.legend(loc="lower left", fontsize=8, ncols=5, bbox_to_anchor=(0.0, -0.06))
    ax.set_title("From receptive fields to medical imaging")
    return ax


# --------------------------------------------------------------------------- the layer stack


def describe_layers(model) -> list[dict]:
    """One row per layer of a built Keras model, input first.

    Each row: ``name``, ``kind`` (class name), ``detail`` (e.g. "8 filters 3×3", "relu"),
    ``shape`` (output shape without the batch axis, a tuple of ints) and ``params`` (int).
    """
    if not getattr(model, "inputs", None):
        raise ValueError("the model is not built: start it with keras.Input(shape=...)")
    rows = [{"name": "input", "kind": "Input", "detail": "",
             "shape": tuple(int(d) for d in model.inputs[0].shape[1:]), "params": 0}]
    for layer in model.layers:
        config = layer.get_config()
        kind = type(layer).__name__
        if "filters" in config:
            kh, kw = config["kernel_size"]
            detail = f"{config['filters']} filters {kh}×{kw}"
        elif "pool_size" in config:
            detail = f"{config['pool_size'][0]}×{config['pool_size'][1]}"
        elif "units" in config:
            detail = f"{config['units']} units"
        elif kind == "Activation":
            detail = str(config["activation"])
        else:
            detail = ""
        rows.append({"name": layer.name, "kind": kind, "detail": detail,
                     "shape": tuple(int(d) for d in layer.output.shape[1:]),
                     "params": int(layer.count_params())})
    return rows


def format_layer_table(rows: Sequence[dict]) -> str:
    """The rows of :func:`describe_layers` as a fixed-width text table with a total."""
    lines = [f"{'layer':<13}{'kind':<14}{'output shape':<16}{'params':>8}"]
    for row in rows:
        shape = "×".join(str(d) for d in row["shape"])
        lines.append(f"{row['name']:<13}{row['kind']:<14}{shape:<16}{row['params']:>8,}")
    lines.append(f"{'total':<43}{sum(r['params'] for r in rows):>8,}")
    return "\n".join(lines)


_ROLE_COLOURS = {"Input": "0.55", "Conv2D": "#0072B2", "Activation": "#E69F00",
                 "ReLU": "#E69F00", "MaxPooling2D": "#009E73", "AveragePooling2D": "#009E73",
                 "Flatten": "0.55", "Dense": "#CC79A7", "Softmax": "#000000"}


def plot_layer_stack(model, *, ax: Axes | None = None) -> Axes:
    """Draw the layers of a built Keras model from left to right, read from the model itself.

    Box height grows with the fourth root of the number of values a layer outputs; under each box
    its output shape and parameter count. Arrows show the forward pass (top) and the backward
    pass of the gradients (bottom).
    """
    rows = describe_layers(model)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.35 * len(rows) + 0.6, 3.6), layout="constrained")
    sizes = [math.prod(r["shape"]) ** 0.25 for r in rows]
    biggest = max(sizes)
    for i, (row, size) in enumerate(zip(rows, sizes, strict=True)):
        height = 0.1 + 0.9 * size / biggest
        colour = _ROLE_COLOURS.get(row["kind"], "0.55")
        ax.add_patch(Rectangle((i - 0.38, -height / 2), 0.76, height, fc=colour, alpha=0.8,
                               ec="black", lw=0.8))
        label = row["kind"].replace("MaxPooling2D", "MaxPool")
        ax.text(i, 0.62, f"{label}\n{row['detail']}", ha="center", va="bottom", fontsize=8)
        shape = "×".join(str(d) for d in row["shape"])
        params = f"{row['params']:,} params" if row["params"] else "no weights"
        ax.text(i, -0.62, f"{shape}\n{params}", ha="center", va="top", fontsize=7.5)
    n = len(rows) - 1
    ax.add_patch(FancyArrowPatch((-0.3, 1.25), (n + 0.3, 1.25), arrowstyle="-|>",
                                 mutation_scale=14, color="#0072B2", lw=1.5))
    ax.text(n / 2, 1.3, "forward propagation: image → class scores → loss", ha="center",
            va="bottom", fontsize=9, color="#0072B2")
    ax.add_patch(FancyArrowPatch((n + 0.3, -1.3), (-0.3, -1.3), arrowstyle="-|>",
                                 mutation_scale=14, color="#D55E00", lw=1.5))
    ax.text(n / 2, -1.36, "backward propagation: gradients of the loss → weight updates",
            ha="center", va="top", fontsize=9, color="#D55E00")
    ax.set_xlim(-0.6, n + 0.6)
    ax.set_ylim(-1.75, 1.7)
    ax.set_axis_off()
    return ax


# --------------------------------------------------------------------------- gradients


def finite_difference(
    loss: Callable[[np.ndarray], float], weights: np.ndarray, index: tuple[int, ...],
    eps: float = 1e-6,
) -> float:
    """Central difference (L(w + ε) − L(w − ε)) / (2ε) for the entry ``index`` of ``weights``.

    ``loss`` takes an array shaped like ``weights`` and returns a number; ``weights`` is not
    changed. Use float64 weights: in float32 the rounding error swamps small ε.
    """
    weights = np.asarray(weights)
    if not np.issubdtype(weights.dtype, np.floating):
        raise TypeError(f"weights must be floating point, got {weights.dtype}")
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    plus, minus = weights.copy(), weights.copy()
    plus[index] += eps
    minus[index] -= eps
    return (float(loss(plus)) - float(loss(minus))) / (2.0 * eps)
