"""The widget of lesson 04 (``notebooks/04_fully_connected.ipynb``): gradient descent on a model
with two weights, one step at a time.

The model is the smallest dense layer there is: one input feature f (how sharp an X-ray is,
standardised), one weight w and one bias b, then the sigmoid: p = σ(w·f + b), trained with
binary cross-entropy. With only two weights the whole loss surface can be drawn, and the path
that gradient descent takes across it.

:data:`DEMO_CONTROLS` lists every value of every control: it builds the widget's controls, and
the tests walk through its whole grid. :func:`compute_descent_demo` is the pure part;
:func:`plot_descent_demo` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from helpers import validate, viz
from helpers.activations.ops import sigmoid
from helpers.fully_connected.figures import plot_loss_curves
from helpers.fully_connected.ops import EPSILON

#: Every value each control of the widget can take (the tests walk through the whole grid).
DEMO_CONTROLS: dict[str, tuple] = {
    "learning_rate": (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0),
    "steps": (1, 2, 5, 10, 20, 50, 100),
}
#: Where gradient descent starts, (w, b): the wrong sign of w, on purpose.
START = (2.0, -2.0)
#: The part of the (w, b) plane drawn as the loss surface.
W_RANGE, B_RANGE = (-4.0, 3.0), (-3.0, 4.0)


def compute_edge_sharpness(images) -> np.ndarray:
    """One number per image: the mean |difference| between horizontally neighbouring pixels.

    images: (N, H, W) float in [0, 1]. Returns (N,) float64; hazy (blurred) images score low.
    """
    x = np.asarray(images, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"images must be (N, H, W), got shape {x.shape}: drop the channel axis")
    return np.abs(np.diff(x, axis=2)).mean(axis=(1, 2))


def standardise(values) -> np.ndarray:
    """(values − mean) / standard deviation: mean 0, spread 1, so one learning rate suits w and b."""
    v = np.asarray(values, dtype=np.float64)
    spread = v.std()
    if spread == 0:
        raise ValueError("all values are equal: a feature must vary to be standardised")
    return (v - v.mean()) / spread


def two_weight_loss(w, b, features, labels) -> np.ndarray:
    """Mean binary cross-entropy of p = σ(w·f + b) over the examples, for every (w, b) given
    (w and b broadcast against each other; the examples run along a new last axis)."""
    w, b = np.asarray(w, dtype=np.float64)[..., np.newaxis], np.asarray(b, dtype=np.float64)[..., np.newaxis]
    p = np.clip(sigmoid(w * features + b), EPSILON, 1 - EPSILON)
    return -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p), axis=-1)


def descend_two_weights(features, labels, learning_rate: float, steps: int,
                        start: tuple[float, float] = START) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent on (w, b): dL/dw = mean((p − y)·f), dL/db = mean(p − y).

    Returns the path (steps + 1, 2) of (w, b), start included, and the loss at each point."""
    rate = validate.positive_number(learning_rate, "learning_rate")
    steps = validate.whole_number(steps, "steps")
    f, y = np.asarray(features, dtype=np.float64), np.asarray(labels, dtype=np.float64)
    path = np.empty((steps + 1, 2))
    path[0] = start
    for step in range(steps):
        w, b = path[step]
        error = sigmoid(w * f + b) - y            # dL/dz for every example
        path[step + 1] = w - rate * np.mean(error * f), b - rate * np.mean(error)
    return path, two_weight_loss(path[:, 0], path[:, 1], f, y)


@dataclass(frozen=True)
class DescentDemo:
    """What the widget shows for one setting (computed, not drawn yet)."""

    path: np.ndarray     #: (steps + 1, 2) the (w, b) visited
    losses: np.ndarray   #: (steps + 1,) the loss at each
    grid_w: np.ndarray   #: (G,) weights of the loss surface
    grid_b: np.ndarray   #: (G,) biases
    surface: np.ndarray  #: (G, G) loss at (b, w)
    title: str
    note: str            #: what happened: converging, or overshooting and diverging


def _check_data(features, labels) -> tuple[np.ndarray, np.ndarray]:
    f, y = np.asarray(features, dtype=np.float64), np.asarray(labels, dtype=np.float64).reshape(-1)
    if f.ndim != 1 or f.shape != y.shape or f.size == 0:
        raise ValueError(f"features and labels must be two 1-D arrays of the same length, got "
                         f"{f.shape} and {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("labels must be 0 or 1")
    return f, y


@lru_cache(maxsize=4)
def _loss_surface(features: bytes, labels: bytes, grid_points: int):
    """The loss over the drawn part of the (w, b) plane; cached, since moving a slider does not
    change it. Takes the data as bytes (hashable); returns read-only arrays."""
    f, y = np.frombuffer(features), np.frombuffer(labels)
    grid_w, grid_b = np.linspace(*W_RANGE, grid_points), np.linspace(*B_RANGE, grid_points)
    surface = two_weight_loss(grid_w[np.newaxis, :], grid_b[:, np.newaxis], f, y)
    for array in (grid_w, grid_b, surface):
        array.setflags(write=False)
    return grid_w, grid_b, surface


def compute_descent_demo(features, labels, learning_rate: float = 0.3, steps: int = 20,
                         *, grid_points: int = 61) -> DescentDemo:
    """The widget's content without drawing it. Raises ValueError for impossible settings."""
    f, y = _check_data(features, labels)
    path, losses = descend_two_weights(f, y, learning_rate, steps)
    grid_w, grid_b, surface = _loss_surface(f.tobytes(), y.tobytes(), grid_points)
    w, b = path[-1]
    title = f"learning rate {learning_rate:g}, {steps} step{'s' if steps > 1 else ''}"
    if not np.all(np.isfinite(path)) or losses[-1] > losses[0]:
        note = (f"loss went UP from {losses[0]:.3f} to {losses[-1]:.3f}: the steps overshoot the "
                "valley; lower the learning rate")
    elif np.any(np.diff(losses) > 1e-12):
        note = (f"loss {losses[0]:.3f} → {losses[-1]:.3f}, but not at every step: the path "
                "zig-zags across the valley (learning rate on the large side)")
    else:
        note = f"loss {losses[0]:.3f} → {losses[-1]:.3f} at every step down; now w = {w:.2f}, b = {b:.2f}"
    return DescentDemo(path, losses, grid_w, grid_b, surface, title, note)


def plot_descent_demo(demo: DescentDemo) -> Figure:
    """Left: the loss surface over (w, b) with the path; right: the loss after each step."""
    # a fixed layout: constrained layout would double the time of every slider move
    axes = viz.panel_axes(None, 2, "panels", figsize=(10.5, 4.0), layout="none")
    shown = axes[0].contourf(demo.grid_w, demo.grid_b, demo.surface, levels=20, cmap="viridis")
    # few ticks: every tick label costs time at each redraw
    axes[0].figure.colorbar(shown, ax=axes[0], label="loss (binary cross-entropy)",
                            ticks=MaxNLocator(4))
    axes[0].plot(demo.path[:, 0], demo.path[:, 1], "-o", color="white", ms=3, lw=1)
    axes[0].plot(*demo.path[0], "s", color="tab:red", ms=7, label="start")
    axes[0].plot(*demo.path[-1], "*", color="tab:orange", ms=12, label="last step")
    axes[0].set_xlim(demo.grid_w[0], demo.grid_w[-1])
    axes[0].set_ylim(demo.grid_b[0], demo.grid_b[-1])
    axes[0].locator_params(nbins=4)
    axes[0].set_xlabel("weight w")
    axes[0].set_ylabel("bias b")
    axes[0].set_title("path of (w, b) on the loss surface")
    axes[0].legend(loc="upper right", fontsize=8)
    plot_loss_curves({"gradient descent": demo.losses}, ax=axes[1], title=demo.title)
    axes[1].set_xlabel("step")
    fig = axes[0].figure
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.84, wspace=0.25)
    fig.suptitle(demo.note, fontsize=10)
    return fig


def draw_descent_demo(features, labels, learning_rate: float = 0.3, steps: int = 20) -> Figure:
    """The widget's update function (features and labels fixed by :func:`make_descent_widget`)."""
    return plot_descent_demo(compute_descent_demo(features, labels, learning_rate, steps))


def make_descent_widget(features, labels):
    """Controls for :func:`draw_descent_demo` on the given data: learning rate and steps."""
    import ipywidgets as ipw

    from helpers import widgets

    style = {"description_width": "initial"}
    _check_data(features, labels)
    return widgets.interactive_figure(
        partial(draw_descent_demo, features, labels),
        learning_rate=ipw.SelectionSlider(options=list(DEMO_CONTROLS["learning_rate"]), value=0.3,
                                          description="learning rate", style=style,
                                          continuous_update=False),
        steps=ipw.SelectionSlider(options=list(DEMO_CONTROLS["steps"]), value=20,
                                  description="steps", style=style, continuous_update=False),
    )
