"""The cell explorer of ``notebooks/01_history.ipynb``: move a bar and watch a simple and a
complex cell respond.

:func:`compute_cell_responses` is the pure part (every number the figure shows),
:func:`plot_cell_responses` draws it, :func:`draw_cell_responses` is the widget's update
function (both in one call) and :func:`make_cell_explorer` wires sliders to it.
:data:`EXPLORER_CONTROLS` holds every value the sliders can take; the tests walk that grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers import validate
from helpers.history.cells import (
    CELL_KINDS,
    FIELD_SIZE,
    KERNEL_SIZE,
    POOL_RADIUS,
    WAVELENGTH,
    _cached_kernel,
    cell_response,
    make_bar,
    measure_position_curve,
    measure_tuning_curve,
)

#: Every value each slider of the cell explorer can take (the tests walk through the whole grid).
EXPLORER_CONTROLS: dict[str, tuple[int, ...]] = {
    "bar_angle": tuple(range(0, 180, 15)),
    "bar_position": tuple(range(-POOL_RADIUS, POOL_RADIUS + 1, 2)),
}
#: Where the curves of the figure are sampled: every slider value lies on these grids.
CURVE_ANGLES = np.arange(0.0, 180.1, 7.5)
CURVE_POSITIONS = np.arange(-POOL_RADIUS, POOL_RADIUS + 0.1, 1.0)


@lru_cache(maxsize=128)
def _curves_vs_angle(preferred: float, position: float) -> tuple[np.ndarray, ...]:
    return tuple(measure_tuning_curve(preferred, CURVE_ANGLES, cell=c, position=position)
                 for c in CELL_KINDS)


@lru_cache(maxsize=128)
def _curves_vs_position(preferred: float, angle: float) -> tuple[np.ndarray, ...]:
    return tuple(measure_position_curve(preferred, angle, CURVE_POSITIONS, cell=c)
                 for c in CELL_KINDS)


@dataclass(frozen=True)
class CellResponses:
    """What the cell explorer shows for one stimulus.

    ``stimulus`` and ``receptive_field`` (the simple cell's kernel placed at the centre of an
    otherwise empty field) are (FIELD_SIZE, FIELD_SIZE) float32; ``now`` maps "simple" and
    "complex" to the responses (≥ 0) to this stimulus; ``by_angle`` and ``by_position`` hold the
    (simple, complex) curves over :data:`CURVE_ANGLES` at this offset and over
    :data:`CURVE_POSITIONS` at this angle, float64 ≥ 0.
    """

    bar_angle: float
    bar_position: float
    preferred_angle: float
    stimulus: np.ndarray
    receptive_field: np.ndarray
    now: dict[str, float]
    by_angle: tuple[np.ndarray, ...]
    by_position: tuple[np.ndarray, ...]


def compute_cell_responses(
    bar_angle: float = 30.0, bar_position: float = 0.0, preferred_angle: float = 45.0
) -> CellResponses:
    """Everything :func:`draw_cell_responses` shows, without drawing.

    bar_angle in degrees (any value; orientations repeat every 180°, so it is reduced to
    [0, 180)); bar_position in pixels, within ±:data:`POOL_RADIUS`; preferred_angle in degrees.
    Raises ValueError with what to change for other values.
    """
    bar_angle = validate.real_number(bar_angle, "bar angle") % 180.0
    preferred_angle = validate.real_number(preferred_angle, "preferred angle") % 180.0
    bar_position = validate.real_number(bar_position, "bar position")
    if not abs(bar_position) <= POOL_RADIUS:
        raise ValueError(
            f"a bar {bar_position:g} px from the centre lies outside the complex cell's field "
            f"(±{POOL_RADIUS} px): choose a position between {-POOL_RADIUS} and {POOL_RADIUS}"
        )
    stimulus = make_bar(bar_angle, bar_position)
    field = np.zeros_like(stimulus)
    start = (FIELD_SIZE - KERNEL_SIZE) // 2
    field[start : start + KERNEL_SIZE, start : start + KERNEL_SIZE] = _cached_kernel(
        preferred_angle, WAVELENGTH)
    return CellResponses(
        bar_angle=bar_angle,
        bar_position=bar_position,
        preferred_angle=preferred_angle,
        stimulus=stimulus,
        receptive_field=field,
        now={c: cell_response(stimulus, preferred_angle, c) for c in CELL_KINDS},
        by_angle=_curves_vs_angle(preferred_angle, bar_position),
        by_position=_curves_vs_position(preferred_angle, bar_angle),
    )


def plot_cell_responses(responses: CellResponses) -> Figure:
    """The widget's figure for :func:`compute_cell_responses`' result.

    Left: the stimulus with the simple cell's receptive field (square; its excitatory stripe
    outlined) and both responses to it. Middle: both cells' responses vs bar angle at this
    offset. Right: vs bar offset at this angle. Dotted lines mark the current stimulus.
    """
    r = responses
    fig, (left, middle, right) = plt.subplots(
        1, 3, figsize=(11.0, 3.5), gridspec_kw={"width_ratios": [1.0, 1.35, 1.35]},
        layout="none",  # a fixed layout: redrawing stays fast while a slider moves
    )
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.15, top=0.84, wspace=0.25)
    left.imshow(r.stimulus, cmap="gray", vmin=0, vmax=1)
    k, start = KERNEL_SIZE, (FIELD_SIZE - KERNEL_SIZE) // 2
    left.add_patch(Rectangle((start - 0.5, start - 0.5), k, k, fill=False, ec="#E69F00", lw=1.5))
    left.contour(r.receptive_field, levels=[0.5 * float(r.receptive_field.max())],
                 colors="#E69F00", linewidths=1.0)
    left.set_title(f"bar {r.bar_angle:g}°, offset {r.bar_position:+g} px\n"
                   f"simple {r.now['simple']:.2f} · complex {r.now['complex']:.2f}", fontsize=10)
    left.set_axis_off()

    for ax, x, curves, current, label in (
        (middle, CURVE_ANGLES, r.by_angle, r.bar_angle, "bar orientation (degrees)"),
        (right, CURVE_POSITIONS, r.by_position, r.bar_position, "bar offset (pixels)"),
    ):
        ax.plot(x, curves[0], label="simple cell")
        ax.plot(x, curves[1], ls="--", label="complex cell")
        ax.axvline(current, color="grey", ls=":", lw=1.2, label="this stimulus")
        ax.set_xlabel(label)
        ax.set_ylim(-0.05, 1.15)
    fig.legend(*middle.get_legend_handles_labels(), loc="upper right", ncols=3, fontsize=8)
    middle.set_xticks(np.arange(0, 181, 45))
    middle.set_ylabel("response (1 = best bar)")
    middle.set_title(f"vs angle (cells prefer {r.preferred_angle:g}°)", fontsize=10)
    right.set_title(f"vs position (bar at {r.bar_angle:g}°)", fontsize=10)
    return fig


def draw_cell_responses(
    bar_angle: float = 30.0, bar_position: float = 0.0, preferred_angle: float = 45.0
) -> Figure:
    """The widget's update function: a bar stimulus and what a simple and a complex cell make
    of it (:func:`compute_cell_responses`, drawn by :func:`plot_cell_responses`)."""
    return plot_cell_responses(compute_cell_responses(bar_angle, bar_position, preferred_angle))


def make_cell_explorer(preferred_angle: float = 45.0):
    """Sliders for the bar's angle and offset (values from :data:`EXPLORER_CONTROLS`), wired to
    :func:`draw_cell_responses` for cells preferring ``preferred_angle``."""
    import ipywidgets as ipw

    from helpers import widgets

    preferred_angle = validate.real_number(preferred_angle, "preferred_angle")
    style = {"description_width": "initial"}

    def slider(name: str, value: int, description: str):
        values = EXPLORER_CONTROLS[name]
        return ipw.IntSlider(value=value, min=values[0], max=values[-1],
                             step=values[1] - values[0], description=description,
                             continuous_update=False, style=style)

    def update(bar_angle: float, bar_position: float) -> Figure:
        return draw_cell_responses(bar_angle, bar_position, preferred_angle)

    return widgets.interactive_figure(update,
                                      bar_angle=slider("bar_angle", 30, "bar angle (°)"),
                                      bar_position=slider("bar_position", 0, "bar offset (px)"))
