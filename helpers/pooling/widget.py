"""The widget of lesson 03 (``notebooks/03_pooling.ipynb``): an input, the pooling type, pool size,
stride and padding, and the pooled output beside the input.

:data:`DEMO_CONTROLS` lists every value of every control: it builds the widget's controls, and the
tests walk through its whole grid. :func:`compute_pooling_demo` is the pure part (what is shown, or
a ``ValueError`` saying what to change); :func:`plot_pooling_demo` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from matplotlib.figure import Figure

from helpers.pooling.figures import plot_pooling
from helpers.pooling.ops import PADDINGS, POOL_KINDS, TOY_IMAGE, pool2d
from helpers.pooling.shift import compute_edge_features

#: The inputs of the widget: value → label shown in its drop-down.
DEMO_SOURCES = {
    "ct": "CT scan (128×128)",
    "edges": "edge feature map of the CT",
    "toy": "5×5 numbers",
}

#: Every value each control of the widget can take (the tests walk through the whole grid).
DEMO_CONTROLS: dict[str, tuple] = {
    "source": tuple(DEMO_SOURCES),
    "kind": POOL_KINDS,
    "pool_size": tuple(range(1, 7)),
    "stride": tuple(range(1, 7)),
    "padding": PADDINGS,
}


@cache
def load_demo_input(source: str) -> tuple[np.ndarray, str, float, float]:
    """The widget's input as (image (H, W) read-only, cmap, vmin, vmax); see :data:`DEMO_SOURCES`."""
    if source == "toy":
        image, cmap, vmin, vmax = TOY_IMAGE.copy(), "gray", 0.0, 9.0
    elif source in ("ct", "edges"):
        from helpers.data import medimg

        image, cmap, vmin, vmax = medimg.load_sample_image("ct_vertebra", 128), "gray", 0.0, 1.0
        if source == "edges":
            image = compute_edge_features(image)[..., 0]
            cmap, vmax = "magma", float(np.ceil(image.max() * 10) / 10)
    else:
        raise ValueError(f"unknown source {source!r}; choose from {', '.join(DEMO_SOURCES)}")
    image.setflags(write=False)
    return image, cmap, vmin, vmax


@dataclass(frozen=True)
class PoolingDemo:
    """What the widget shows for one setting of its controls (computed, not drawn yet)."""

    image: np.ndarray  #: (H, W) input
    pooled: np.ndarray  #: (H', W') output
    pool_size: int
    stride: int
    padding: str
    cmap: str
    vmin: float
    vmax: float
    titles: tuple[str, str]  #: input and output panels
    note: str  #: the output-size rule with its numbers, and whether windows overlap or skip pixels


def compute_pooling_demo(source: str = "ct", kind: str = "max", pool_size: int = 2,
                         stride: int = 2, padding: str = "valid") -> PoolingDemo:
    """The widget's content without drawing it: input, pooled output and the size rule.

    Arguments as in :func:`draw_pooling_demo`. Raises ValueError for impossible settings.
    """
    image, cmap, vmin, vmax = load_demo_input(source)
    pooled = pool2d(image, pool_size, stride, padding, kind)  # raises a clear ValueError
    n = image.shape[0]
    rule = (f"⌊({n} − {pool_size}) / {stride}⌋ + 1" if padding == "valid"
            else f"⌈{n} / {stride}⌉")
    note = f"output side = {rule} = {pooled.shape[0]}"
    if stride > pool_size:
        note += "   (stride > pool size: some pixels are never looked at)"
    elif stride < pool_size:
        note += "   (stride < pool size: windows overlap)"
    titles = (DEMO_SOURCES[source], f"{kind} pooling, {pool_size}×{pool_size}, stride {stride}, '{padding}'")
    return PoolingDemo(image, pooled, pool_size, stride, padding, cmap, vmin, vmax, titles, note)


def plot_pooling_demo(demo: PoolingDemo) -> Figure:
    """Draw a :class:`PoolingDemo` in a new figure: input and output with the size rule on top."""
    fig = plot_pooling(demo.image, demo.pooled, pool_size=demo.pool_size, stride=demo.stride,
                       padding=demo.padding, cmap=demo.cmap, vmin=demo.vmin, vmax=demo.vmax,
                       colorbar_label="edge response", titles=demo.titles)
    fig.suptitle(demo.note, fontsize=10, y=0.97)
    return fig


def draw_pooling_demo(source: str = "ct", kind: str = "max", pool_size: int = 2,
                      stride: int = 2, padding: str = "valid") -> Figure:
    """The widget's update function: input and pooled output side by side, with the output shape.

    source: a key of :data:`DEMO_SOURCES`; kind: "max" or "average"; pool_size and stride:
    positive integers; padding: "valid" or "same". Raises ValueError for impossible settings.
    """
    return plot_pooling_demo(compute_pooling_demo(source, kind, pool_size, stride, padding))


def make_pooling_widget():
    """Controls for :func:`draw_pooling_demo`: input, pooling type, pool size, stride, padding."""
    import ipywidgets as ipw

    from helpers import widgets

    style = {"description_width": "initial"}
    sizes = DEMO_CONTROLS["pool_size"], DEMO_CONTROLS["stride"]
    return widgets.interactive_figure(
        draw_pooling_demo,
        source=ipw.Dropdown(options=[(DEMO_SOURCES[key], key) for key in DEMO_CONTROLS["source"]],
                            value="ct", description="input", style=style),
        kind=ipw.Dropdown(options=list(DEMO_CONTROLS["kind"]), value="max", description="pooling"),
        pool_size=ipw.IntSlider(value=2, min=min(sizes[0]), max=max(sizes[0]),
                                description="pool size", continuous_update=False, style=style),
        stride=ipw.IntSlider(value=2, min=min(sizes[1]), max=max(sizes[1]), description="stride",
                             continuous_update=False, style=style),
        padding=ipw.Dropdown(options=list(DEMO_CONTROLS["padding"]), value="valid",
                             description="padding"),
    )
