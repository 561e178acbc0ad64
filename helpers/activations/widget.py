"""The widget of lesson 06 (``notebooks/06_activations.ipynb``): chosen activations and, if
wanted, their derivatives over an input range, with the leaky slope as a control.

:data:`DEMO_CONTROLS` lists every value of every control: it builds the widget's controls, and
the tests walk through its whole grid. :func:`compute_activation_demo` is the pure part (what is
shown, or a ``ValueError`` saying what to change); :func:`plot_activation_demo` draws it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from helpers import validate, viz
from helpers.activations.figures import LABELS, plot_activations
from helpers.activations.ops import ACTIVATIONS, apply_activation, apply_derivative

#: Points drawn across the range (odd, so that x = 0 is one of them).
N_POINTS = 401
#: A derivative below this counts as "flat": the gradient through the unit nearly vanishes.
FLAT = 0.01

#: Every value each control of the widget can take (the tests walk through the whole grid).
DEMO_CONTROLS: dict[str, tuple] = {
    "activations": tuple(combo for k in range(1, len(ACTIVATIONS) + 1)
                         for combo in itertools.combinations(ACTIVATIONS, k)),
    "x_range": (1, 2, 3, 5, 8, 10),
    "slope": (0.0, 0.01, 0.05, 0.1, 0.2, 0.3),
    "show_derivative": (True, False),
}


@dataclass(frozen=True)
class ActivationDemo:
    """What the widget shows for one setting of its controls (computed, not drawn yet)."""

    x: np.ndarray  #: (N_POINTS,) inputs from −x_range to x_range
    values: dict  #: activation name → f(x)
    derivatives: dict  #: activation name → f′(x) (empty when not shown)
    slope: float
    note: str  #: per activation: the largest derivative and where it is flat


def compute_activation_demo(activations=("sigmoid", "relu"), x_range: float = 5,
                            slope: float = 0.01, show_derivative: bool = True) -> ActivationDemo:
    """The widget's content without drawing it. Raises ValueError for impossible settings."""
    names = tuple(activations)
    if not names:
        raise ValueError("no activation chosen: select at least one in the list "
                         "(Ctrl/Cmd-click to select several)")
    for name in names:
        validate.one_of(name, ACTIVATIONS, "activation")
    x_range = validate.positive_number(x_range, "the input range")
    if not 0.0 <= slope < 1.0:
        raise ValueError(f"the leaky slope must be in [0, 1) (0 gives plain ReLU), got {slope}")
    x = np.linspace(-x_range, x_range, N_POINTS)
    values = {name: apply_activation(name, x, slope) for name in names}
    slopes = {name: apply_derivative(name, x, slope) for name in names}
    lines = []
    for name in names:
        d = slopes[name]
        lines.append(f"{LABELS[name]}: largest derivative {d.max():.3g}, below {FLAT} on "
                     f"{np.mean(d < FLAT):.0%} of [−{x_range:g}, {x_range:g}]")
    return ActivationDemo(x, values, slopes if show_derivative else {}, float(slope),
                          "\n".join(lines))


def plot_activation_demo(demo: ActivationDemo) -> Figure:
    """Draw an :class:`ActivationDemo` in a new figure, with its note below the panels."""
    import matplotlib.pyplot as plt

    # a fixed layout (margins in inches): the course's constrained one would cost a quarter of
    # every redraw
    count, lines = (2 if demo.derivatives else 1), demo.note.count("\n") + 1
    width, height = 4.4 * count, 3.2 + 0.17 * lines
    fig, axes = plt.subplots(1, count, figsize=(width, height), layout="none", squeeze=False)
    viz.set_margins(fig, left=0.5, right=0.15, top=0.3, bottom=0.6 + 0.17 * lines,
                    wspace=0.7 / 4.4)
    plot_activations(demo.x, list(demo.values), slope=demo.slope,
                     show_derivative=bool(demo.derivatives), axes=axes[0])
    fig.supxlabel(demo.note, fontsize=9, y=0.05 / height, va="bottom")
    return fig


def draw_activation_demo(activations=("sigmoid", "relu"), x_range: float = 5, slope: float = 0.01,
                         show_derivative: bool = True) -> Figure:
    """The widget's update function: activations (names from :data:`ACTIVATIONS`) over
    [−x_range, x_range], with their derivatives if ``show_derivative``; ``slope`` is the slope
    of leaky ReLU for x < 0. Raises ValueError for impossible settings."""
    return plot_activation_demo(compute_activation_demo(activations, x_range, slope,
                                                        show_derivative))


def make_activation_widget():
    """Controls for :func:`draw_activation_demo`: which activations, input range, leaky slope,
    derivative on or off."""
    import ipywidgets as ipw

    from helpers import widgets

    style = {"description_width": "initial"}
    return widgets.interactive_figure(
        draw_activation_demo,
        activations=ipw.SelectMultiple(options=[(LABELS[n], n) for n in ACTIVATIONS],
                                       value=("sigmoid", "relu"), rows=4,
                                       description="activations", style=style),
        x_range=ipw.SelectionSlider(options=list(DEMO_CONTROLS["x_range"]), value=5,
                                    description="input range ±", continuous_update=False,
                                    style=style),
        slope=ipw.SelectionSlider(options=list(DEMO_CONTROLS["slope"]), value=0.01,
                                  description="leaky slope", continuous_update=False, style=style),
        show_derivative=ipw.Checkbox(value=True, description="show derivative"),
    )
