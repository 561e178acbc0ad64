"""Simple and complex cells: bar and grating stimuli, Gabor receptive fields, tuning and
position curves, the recorded "mystery" cell, and a bank of cells slid over an image.

Taught in ``notebooks/01_history.ipynb``. Conventions used throughout:

- Images and stimuli are (H, W) float32 arrays in [0, 1]; row 0 is the top of the picture.
- Orientations are in degrees, counter-clockwise from horizontal as seen on the screen:
  0° is a horizontal bar, 90° a vertical one, 45° runs from bottom-left to top-right.
  Orientations repeat every 180°.
- A *simple cell* is an oriented Gabor filter at a fixed place, followed by rectification
  (negative drive gives no spikes). A *complex cell* takes the maximum of simple cells with the
  same preferred orientation at every position of a small neighbourhood.

Sliding a receptive field over a picture is the cross-correlation of lesson 02: this module
calls :func:`helpers.convolution.correlate2d_fast` for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from helpers import convolution, validate

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


def _check_image(name: str, image: np.ndarray, min_side: int = 1) -> np.ndarray:
    """``image`` as (H, W) float32, at least ``min_side`` pixels each way; else an error."""
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
    orientation_deg = validate.real_number(orientation_deg, "orientation_deg")
    position = validate.real_number(position, "position")
    size = validate.whole_number(size, "size", minimum=3)
    width = validate.positive_number(width, "width", unit="pixels")
    distance = np.abs(_across(size, orientation_deg) - position)
    return np.clip(width / 2.0 + 0.5 - distance, 0.0, 1.0).astype(np.float32)


def make_grating(
    orientation_deg: float,
    *,
    size: int = FIELD_SIZE,
    wavelength: float = WAVELENGTH,
    phase_deg: float = 0.0,
) -> np.ndarray:
    """A sinusoidal grating with stripes at ``orientation_deg``: (size, size) float32 in [0, 1]."""
    orientation_deg = validate.real_number(orientation_deg, "orientation_deg")
    wavelength = validate.positive_number(wavelength, "wavelength", unit="pixels")
    phase = math.radians(validate.real_number(phase_deg, "phase_deg"))
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
    orientation_deg = validate.real_number(orientation_deg, "orientation_deg")
    if not validate.real_number(wavelength, "wavelength") >= 2:
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


def simple_cell_response(stimulus: np.ndarray, preferred_deg: float) -> float:
    """Firing of a simple cell whose receptive field sits at the centre of ``stimulus``.

    r = max(0, Σ g·s) over the receptive field, with g from :func:`make_gabor_kernel`.
    stimulus: (H, W) in [0, 1], H and W at least :data:`KERNEL_SIZE`. Returns a float ≥ 0
    (1 for the best bar).
    """
    kernel = _cached_kernel(validate.real_number(preferred_deg, "preferred_deg"), WAVELENGTH)
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
    kernel = _cached_kernel(validate.real_number(preferred_deg, "preferred_deg"), WAVELENGTH)
    pool_radius = validate.whole_number(pool_radius, "pool_radius", minimum=0)
    stimulus = _check_image("stimulus", stimulus, kernel.shape[0] + 2 * pool_radius)
    drive = convolution.correlate2d_fast(stimulus, kernel)  # the simple cell at every shift
    cy, cx = drive.shape[0] // 2, drive.shape[1] // 2
    pooled = drive[cy - pool_radius : cy + pool_radius + 1, cx - pool_radius : cx + pool_radius + 1]
    return max(0.0, float(pooled.max()))


def cell_response(stimulus: np.ndarray, preferred_deg: float, cell: str) -> float:
    """:func:`simple_cell_response` or :func:`complex_cell_response`, as ``cell`` says
    ("simple" or "complex")."""
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
    validate.one_of(cell, CELL_KINDS, "cell")
    validate.one_of(stimulus, STIMULI, "stimulus")
    responses = []
    for angle in np.asarray(angles_deg, dtype=float).ravel():
        image = make_bar(angle, position) if stimulus == "bar" else make_grating(angle)
        responses.append(cell_response(image, preferred_deg, cell))
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
    validate.one_of(cell, CELL_KINDS, "cell")
    positions = np.asarray(positions, dtype=float).ravel()
    return np.asarray([cell_response(make_bar(bar_deg, p), preferred_deg, cell)
                       for p in positions])


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
        kernel = _cached_kernel(validate.real_number(orientation, "orientation"),
                                validate.real_number(wavelength, "wavelength"))
        r = kernel.shape[0] // 2
        if min(image.shape) <= r:
            raise ValueError(f"the image must be larger than {r} pixels for this wavelength")
        padded = np.pad(image, r, mode="reflect")
        maps.append(np.maximum(convolution.correlate2d_fast(padded, kernel), 0.0))
    return np.stack(maps).astype(np.float32)
