"""The widget of lesson 02 (``notebooks/02_convolution.ipynb``): an image, a kernel, its size, the
stride and the padding, and the padded input, the kernel and the output they give.

:data:`DEMO_CONTROLS` lists every value of every control: it builds the widget's controls, and the
tests walk through its whole grid. :func:`compute_convolution_demo` is the pure part (what is shown,
or a ``ValueError`` saying what to change); :func:`plot_convolution_demo` draws it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.convolution.figures import _ZERO_SUM, plot_kernel, plot_padded_input, show_response
from helpers.convolution.kernels import KERNEL_NAMES, SIZE_VARIABLE, make_kernel
from helpers.convolution.ops import Padding, conv_output_size, correlate2d_fast
from helpers.data import medimg

#: Images of the widget: key → (label, sample name, crop (row, col, side) or None, size or None).
WIDGET_IMAGES: dict[str, tuple[str, str, tuple[int, int, int] | None, int | None]] = {
    "ct_vertebra": ("CT vertebra 128×128", "ct_vertebra", None, 128),
    "ct_zoom": ("CT spinal canal, 16×16 zoom", "ct_vertebra", (50, 60, 16), 128),
    "mr_abdomen": ("MR abdomen 128×128", "mr_abdomen", None, 128),
    "mr_small": ("MR small 64×64", "mr_small", None, None),
}
CUSTOM = "custom 3×3"

#: Every value each control of the widget can take (the tests walk through the whole grid).
DEMO_CONTROLS: dict[str, tuple] = {
    "image": tuple(WIDGET_IMAGES),
    "kernel": (*KERNEL_NAMES, CUSTOM),
    "size": (3, 7, 21),  # 7×7 is a common first-layer size; 21 is wider than the zoomed crop
    "stride": (1, 2, 4),
    "padding": ("valid", "same", 2, 5),
}
#: The nine boxes of the custom kernel, w<row><column>.
CUSTOM_NAMES = tuple(f"w{j}{k}" for j in range(3) for k in range(3))
#: What each box says when the pointer rests on it (the boxes have no description of their own).
CUSTOM_TOOLTIPS = {name: f"weight row {int(name[1]) + 1}, column {int(name[2]) + 1}"
                   for name in CUSTOM_NAMES}


@functools.lru_cache(maxsize=8)
def load_widget_image(key: str) -> np.ndarray:
    """One of :data:`WIDGET_IMAGES` through its default window: (H, W) float32 in [0, 1], read-only."""
    if key not in WIDGET_IMAGES:
        raise ValueError(f"unknown image {key!r}; choose from {', '.join(WIDGET_IMAGES)}")
    _, sample, crop, size = WIDGET_IMAGES[key]
    image = medimg.load_sample_image(sample, size)
    if crop is not None:
        row, col, side = crop
        image = image[row : row + side, col : col + side]
    image = np.ascontiguousarray(image, dtype=np.float32)
    image.setflags(write=False)
    return image


def _widget_kernel(kernel: str, size: int, custom) -> tuple[np.ndarray, str]:
    if kernel == CUSTOM:
        values = np.asarray(custom if custom is not None else np.zeros((3, 3)), dtype=np.float64)
        if values.shape != (3, 3) or not np.all(np.isfinite(values)):
            raise ValueError("the custom kernel needs 9 finite numbers (3 rows of 3)")
        if size != 3:
            raise ValueError("the custom kernel is 3×3: set size to 3")
        return values, CUSTOM
    if kernel not in KERNEL_NAMES:
        raise ValueError(f"unknown kernel {kernel!r}; choose from {', '.join(DEMO_CONTROLS['kernel'])}")
    if kernel in SIZE_VARIABLE:
        return make_kernel(kernel, size), f"{kernel} {size}×{size}"
    if size != 3:
        raise ValueError(f"{kernel} is a fixed 3×3 kernel: set size to 3 (only "
                         f"{' and '.join(SIZE_VARIABLE)} come in other sizes)")
    return make_kernel(kernel), f"{kernel} 3×3"


@dataclass(frozen=True)
class ConvolutionDemo:
    """What the widget shows for one setting of its controls (computed, not drawn yet)."""

    image: str  #: key of :data:`WIDGET_IMAGES`
    pixels: np.ndarray  #: (H, W) float32 in [0, 1]
    weights: np.ndarray  #: (k, k) float64
    label: str  #: the kernel's name and size
    stride: int
    padding: Padding
    output: np.ndarray  #: (H', W') float64, the cross-correlation
    title: str  #: image, stride, padding and the output-size formula with its numbers


def compute_convolution_demo(
    image: str = "ct_vertebra",
    kernel: str = "sobel x",
    size: int = 3,
    stride: int = 1,
    padding: Padding = "valid",
    custom: Sequence[Sequence[float]] | np.ndarray | None = None,
) -> ConvolutionDemo:
    """The widget's content without drawing it: input, kernel, output and the size formula.

    Arguments as in :func:`draw_convolution_demo`. Raises ``ValueError`` (with what to change)
    for impossible choices: a fixed 3×3 kernel with another size, or a kernel larger than the
    padded image.
    """
    pixels = load_widget_image(image)
    weights, label = _widget_kernel(kernel, size, custom)
    n, k = pixels.shape[0], weights.shape[0]
    out_side = conv_output_size(n, k, padding, stride)  # raises when the kernel does not fit
    output = correlate2d_fast(pixels, weights, stride=stride, padding=padding)
    p_text = "same" if padding == "same" else f"p = {0 if padding == 'valid' else padding}"
    formula = (f"⌈{n}/{stride}⌉ = {out_side}" if padding == "same" else
               f"⌊({n} + 2·{0 if padding == 'valid' else padding} − {k})/{stride}⌋ + 1 = {out_side}")
    title = f"{WIDGET_IMAGES[image][0]} · stride {stride} · {p_text} · output side {formula}"
    return ConvolutionDemo(image, pixels, weights, label, stride, padding, output, title)


def plot_convolution_demo(demo: ConvolutionDemo) -> Figure:
    """Draw a :class:`ConvolutionDemo`: padded input, kernel and output in a new figure."""
    # Colorbars only where colour carries a value the panel does not state otherwise: they are
    # the slowest part of the figure, and the widget must redraw fast.
    # A fixed layout rather than the course's constrained one: it draws about 100 ms faster.
    fig, axes = plt.subplots(1, 3, figsize=(11.5, 3.9), layout="none",
                             gridspec_kw={"width_ratios": [1, 0.8, 1], "left": 0.01, "right": 0.93,
                                          "bottom": 0.02, "top": 0.84, "wspace": 0.15})
    plot_padded_input(demo.pixels, demo.weights.shape[0], demo.stride, demo.padding, ax=axes[0])
    plot_kernel(demo.weights, axes[1], title=demo.label)
    shown = show_response(demo.output, demo.weights, axes[2])
    total = float(demo.weights.sum())
    if total > _ZERO_SUM:
        scale = f"grey 0 to {total:.3g}"
    else:
        fig.colorbar(shown, ax=axes[2], fraction=0.046, pad=0.04, label="signed response")
        scale = "signed"
    axes[2].set_title(f"output {demo.output.shape[0]}×{demo.output.shape[1]} ({scale})")
    axes[2].set_axis_off()
    fig.suptitle(demo.title, fontsize=10)
    return fig


def draw_convolution_demo(
    image: str = "ct_vertebra",
    kernel: str = "sobel x",
    size: int = 3,
    stride: int = 1,
    padding: Padding = "valid",
    custom: Sequence[Sequence[float]] | np.ndarray | None = None,
) -> Figure:
    """The widget's figure: padded input, kernel and output (cross-correlation, as Conv2D computes it).

    image: a key of :data:`WIDGET_IMAGES`; kernel: one of ``DEMO_CONTROLS["kernel"]`` (``custom``
    gives the 3×3 weights of "custom 3×3"); size: side of the box/Gaussian kernel; stride ≥ 1;
    padding: "valid", "same" or p ≥ 0. Raises ``ValueError`` (with what to change) for impossible
    choices.
    """
    return plot_convolution_demo(compute_convolution_demo(image, kernel, size, stride, padding, custom))


def custom_kernel(**weights: float) -> list[list[float]]:
    """The 3×3 custom kernel from the nine boxes ``w00`` … ``w22`` (row, column); missing ones are 0."""
    unknown = set(weights) - set(CUSTOM_NAMES)
    if unknown:
        raise ValueError(f"unknown controls {sorted(unknown)}; the custom weights are {', '.join(CUSTOM_NAMES)}")
    return [[float(weights.get(f"w{j}{k}", 0.0)) for k in range(3)] for j in range(3)]


def update_convolution_widget(
    image: str, kernel: str, size: int, stride: int, padding: Padding, **weights: float
) -> Figure:
    """The widget's update function: like :func:`draw_convolution_demo`, with the custom kernel
    given as nine numbers ``w00`` … ``w22`` (row, column), as the nine boxes of the widget deliver them."""
    return draw_convolution_demo(image, kernel, size, stride, padding, custom_kernel(**weights))


def make_convolution_widget():
    """The notebook's widget: image, kernel, size, stride and padding, plus nine boxes for a custom 3×3."""
    import ipywidgets as ipw

    from helpers import widgets

    options = DEMO_CONTROLS
    controls = {
        "image": ipw.Dropdown(options=[(WIDGET_IMAGES[key][0], key) for key in options["image"]],
                              value="ct_vertebra", description="image",
                              layout=ipw.Layout(width="27em", flex="0 0 auto")),  # names in full
        "kernel": ipw.Dropdown(options=list(options["kernel"]), value="sobel x", description="kernel"),
        "size": ipw.SelectionSlider(options=list(options["size"]), value=3, description="size",
                                    continuous_update=False),
        "stride": ipw.ToggleButtons(options=list(options["stride"]), value=1, description="stride"),
        "padding": ipw.Dropdown(options=[(p if isinstance(p, str) else f"zeros, p = {p}", p)
                                         for p in options["padding"]], value="valid", description="padding"),
    }

    def lock_size(change) -> None:  # registered before the redraw, so it runs first
        if change["new"] not in SIZE_VARIABLE:
            controls["size"].value = 3
        controls["size"].disabled = change["new"] not in SIZE_VARIABLE

    controls["kernel"].observe(lock_size, names="value")
    controls["size"].disabled = True
    sharpen = make_kernel("sharpen")
    boxes = {name: ipw.FloatText(value=float(sharpen[int(name[1]), int(name[2])]),
                                 tooltip=CUSTOM_TOOLTIPS[name], layout=ipw.Layout(width="70px"))
             for name in CUSTOM_NAMES}
    # The main controls in two rows, the nine boxes of the custom kernel as a 3×3 grid beside
    # them; every row wraps, so that a narrow notebook puts the grid below instead of cutting it.
    grid = ipw.GridBox(list(boxes.values()), layout=ipw.Layout(grid_template_columns="repeat(3, 75px)"))
    c = controls
    wrap = ipw.Layout(flex_flow="row wrap")
    arrangement = ipw.HBox([ipw.VBox([ipw.HBox([c["image"], c["kernel"], c["padding"]], layout=wrap),
                                      ipw.HBox([c["size"], c["stride"]], layout=wrap)]),
                            ipw.VBox([ipw.Label("custom 3×3 kernel"), grid])], layout=wrap)
    return widgets.interactive_figure(update_convolution_widget, arrangement=arrangement,
                                      **controls, **boxes)
