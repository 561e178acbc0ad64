"""Pooling from scratch: max, average and global pooling, the output-size rule, a shift
experiment, and the figures and widget of the pooling lesson.

Taught in ``notebooks/03_pooling.ipynb``. Every pooling function here follows the conventions of
``keras.layers.MaxPooling2D`` / ``AveragePooling2D`` (channels last, ``stride`` defaults to the
pool size, "same" padding spread as evenly as possible with the extra row/column at the end, and
padded cells ignored by the maximum and by the mean), so that the notebook can check them
against Keras.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.lib.stride_tricks import sliding_window_view

POOL_KINDS = ("max", "average")
PADDINGS = ("valid", "same")

#: A 5×5 grid of small integers for examples that are read number by number (odd on purpose:
#: 2×2 windows with stride 2 do not tile it, so "valid" and "same" padding differ).
TOY_IMAGE = np.array(
    [
        [1, 3, 2, 0, 4],
        [5, 6, 1, 2, 0],
        [0, 2, 9, 8, 1],
        [1, 1, 7, 6, 3],
        [4, 0, 2, 1, 5],
    ],
    dtype=np.float32,
)

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


# --------------------------------------------------------------------------- sizes and padding


def _check_window(pool_size: int, stride: int | None, padding: str) -> tuple[int, int]:
    if isinstance(pool_size, bool) or not isinstance(pool_size, int | np.integer) or pool_size < 1:
        raise ValueError(f"pool_size must be a positive integer, got {pool_size!r}")
    stride = pool_size if stride is None else stride
    if isinstance(stride, bool) or not isinstance(stride, int | np.integer) or stride < 1:
        raise ValueError(f"stride must be a positive integer (or None for stride = pool_size), "
                         f"got {stride!r}")
    if padding not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return int(pool_size), int(stride)


def compute_pooled_size(n: int, pool_size: int, stride: int | None = None,
                        padding: str = "valid") -> int:
    """Side length of the output of pooling an ``n``-pixel side.

    valid: ``floor((n - pool_size) / stride) + 1`` (the window must fit: ``pool_size <= n``);
    same:  ``ceil(n / stride)``. ``stride=None`` means ``stride = pool_size``, as in Keras.
    """
    pool_size, stride = _check_window(pool_size, stride, padding)
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"the input side n must be a positive integer, got {n!r}")
    if padding == "same":
        return math.ceil(n / stride)
    if pool_size > n:
        raise ValueError(
            f"the {pool_size}×{pool_size} window does not fit in an input of side {n} with "
            f"'valid' padding: choose a pool size of at most {n}, or padding='same'"
        )
    return (n - pool_size) // stride + 1


def compute_same_padding(n: int, pool_size: int, stride: int | None = None) -> tuple[int, int]:
    """Cells added (before, after) one side of length ``n`` by "same" padding, as TensorFlow does.

    The total is what the last window needs to fit; an odd total puts the extra cell at the end.
    """
    pool_size, stride = _check_window(pool_size, stride, "same")
    out = compute_pooled_size(n, pool_size, stride, "same")
    total = max((out - 1) * stride + pool_size - n, 0)
    return total // 2, total - total // 2


# --------------------------------------------------------------------------- pooling


def _as_feature_map(x) -> np.ndarray:
    array = np.asarray(x)
    if array.ndim not in (2, 3):
        raise ValueError(
            f"expected an image (H, W) or a feature map (H, W, C), got shape {array.shape}; "
            "for a batch, pool each item (or use the Keras layer)"
        )
    if not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        raise TypeError(f"x must hold real numbers, got dtype {array.dtype}")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError("x contains NaN or infinite values: clean the input before pooling")
    return array


def pool2d(x, pool_size: int = 2, stride: int | None = None, padding: str = "valid",
           kind: str = "max") -> np.ndarray:
    """Max or average pooling of one image or feature map, each channel on its own.

    x: (H, W) or (H, W, C), real numbers (integers become float64). Windows are
    ``pool_size``×``pool_size`` and move by ``stride`` (default: ``pool_size``).
    Returns (H', W') or (H', W', C) in x's float dtype, with H' = ``compute_pooled_size(H, ...)``.
    With ``padding="same"`` the padded cells are left out of the maximum and of the mean.
    """
    if kind not in POOL_KINDS:
        raise ValueError(f"kind must be 'max' or 'average', got {kind!r}")
    pool_size, stride = _check_window(pool_size, stride, padding)
    array = _as_feature_map(x)
    image = array[..., np.newaxis] if array.ndim == 2 else array
    height, width = image.shape[:2]
    out_h = compute_pooled_size(height, pool_size, stride, padding)
    out_w = compute_pooled_size(width, pool_size, stride, padding)
    reduce = np.max if kind == "max" else np.mean
    if padding == "same":  # padded cells are NaN and skipped by nanmax/nanmean
        image = np.pad(image, (compute_same_padding(height, pool_size, stride),
                               compute_same_padding(width, pool_size, stride), (0, 0)),
                       constant_values=np.nan)
        reduce = np.nanmax if kind == "max" else np.nanmean
    # windows[i, j, c] is the pool_size×pool_size patch under output pixel (i, j) of channel c
    windows = sliding_window_view(image, (pool_size, pool_size), axis=(0, 1))
    windows = windows[::stride, ::stride][:out_h, :out_w]
    pooled = reduce(windows, axis=(-2, -1)).astype(array.dtype, copy=False)
    return pooled[..., 0] if array.ndim == 2 else pooled


def max_pool2d(x, pool_size: int = 2, stride: int | None = None,
               padding: str = "valid") -> np.ndarray:
    """Max pooling; see :func:`pool2d` for shapes and dtypes."""
    return pool2d(x, pool_size, stride, padding, kind="max")


def average_pool2d(x, pool_size: int = 2, stride: int | None = None,
                   padding: str = "valid") -> np.ndarray:
    """Average pooling; see :func:`pool2d` for shapes and dtypes."""
    return pool2d(x, pool_size, stride, padding, kind="average")


def global_pool2d(x, kind: str = "average") -> np.ndarray:
    """One number per channel: the mean (or maximum) over all positions.

    x: (H, W, C) → (C,); an image (H, W) → a 0-d array. Same float dtype as :func:`pool2d`.
    """
    if kind not in POOL_KINDS:
        raise ValueError(f"kind must be 'max' or 'average', got {kind!r}")
    array = _as_feature_map(x)
    reduce = np.max if kind == "max" else np.mean
    return np.asarray(reduce(array, axis=(0, 1)), dtype=array.dtype)


def pool_with_keras(x, pool_size: int = 2, stride: int | None = None, padding: str = "valid",
                    kind: str = "max") -> np.ndarray:
    """The same pooling done by ``keras.layers.MaxPooling2D``/``AveragePooling2D``.

    x: (H, W) or (H, W, C); returns float32 of the shape :func:`pool2d` returns.
    """
    import keras

    if kind not in POOL_KINDS:
        raise ValueError(f"kind must be 'max' or 'average', got {kind!r}")
    pool_size, stride = _check_window(pool_size, stride, padding)
    array = _as_feature_map(x)
    for side in array.shape[:2]:
        compute_pooled_size(side, pool_size, stride, padding)  # clear message before Keras fails
    layer_class = keras.layers.MaxPooling2D if kind == "max" else keras.layers.AveragePooling2D
    layer = layer_class(pool_size=pool_size, strides=stride, padding=padding)
    batch = array.reshape(1, *array.shape[:2], -1).astype(np.float32)
    out = keras.ops.convert_to_numpy(layer(batch))[0]
    return out[..., 0] if array.ndim == 2 else out


def global_pool_with_keras(x, kind: str = "average") -> np.ndarray:
    """``keras.layers.GlobalAveragePooling2D``/``GlobalMaxPooling2D`` on (H, W, C) → (C,) float32."""
    import keras

    if kind not in POOL_KINDS:
        raise ValueError(f"kind must be 'max' or 'average', got {kind!r}")
    array = _as_feature_map(x)
    layer = keras.layers.GlobalMaxPooling2D() if kind == "max" else keras.layers.GlobalAveragePooling2D()
    out = keras.ops.convert_to_numpy(layer(array.reshape(1, *array.shape[:2], -1).astype(np.float32)))
    return out[0] if array.ndim == 3 else out[0, 0]


# --------------------------------------------------------------------------- feature maps and shifts

#: Sobel kernel that responds to intensity rising from left to right (a vertical edge).
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float32) / 4.0


def compute_edge_features(image) -> np.ndarray:
    """A fixed "convolution + ReLU" layer with four edge detectors.

    image: (H, W) float in [0, 1]. Returns (H, W, 4) float32 ≥ 0: the ReLU of the Sobel
    responses to edges getting brighter to the right, to the left, downwards and upwards.
    Borders are handled by mirroring, so the map has the image's size.
    """
    from scipy.signal import correlate2d

    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(f"image must have shape (H, W), got {image.shape}")
    gx = correlate2d(image, SOBEL_X, mode="same", boundary="symm")
    gy = correlate2d(image, SOBEL_X.T, mode="same", boundary="symm")
    return np.maximum(np.stack([gx, -gx, gy, -gy], axis=-1), 0.0).astype(np.float32)


def crop_shifted(x, shift: int, margin: int = 8) -> np.ndarray:
    """The view of ``x`` seen through a window moved ``shift`` pixels to the right.

    x: (H, W) or (H, W, C). Returns (H - 2·margin, W - 2·margin[, C]): the content appears
    moved ``shift`` pixels to the left, and no pixel wraps around. Needs ``0 <= shift <= margin``.
    """
    x = np.asarray(x)
    if not 0 <= shift <= margin:
        raise ValueError(f"shift must be between 0 and margin={margin}, got {shift}")
    height, width = x.shape[:2]
    if 2 * margin >= min(height, width):
        raise ValueError(f"margin={margin} leaves nothing of a {height}×{width} input")
    return x[margin : height - margin, margin + shift : width - margin + shift]


def compute_relative_change(reference, other) -> float:
    """mean |other − reference| / mean |reference|: 0 when nothing changed (same shapes)."""
    reference, other = np.asarray(reference, dtype=np.float64), np.asarray(other, dtype=np.float64)
    if reference.shape != other.shape:
        raise ValueError(f"shapes differ: {reference.shape} vs {other.shape}")
    scale = np.mean(np.abs(reference))
    if scale == 0:
        raise ValueError("the reference is all zeros: the relative change is undefined")
    return float(np.mean(np.abs(other - reference)) / scale)


#: The poolings compared in the shift experiment: name → function of an (H, W, C) map.
SHIFT_POOLINGS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "no pooling": lambda f: f,
    "max 2×2": lambda f: max_pool2d(f, 2),
    "max 4×4": lambda f: max_pool2d(f, 4),
    "average 4×4": lambda f: average_pool2d(f, 4),
    "global max": lambda f: global_pool2d(f, "max"),
    "global average": lambda f: global_pool2d(f, "average"),
}


def measure_shift_sensitivity(
    features, shifts: Sequence[int], poolings: Mapping[str, Callable] | None = None,
    margin: int = 8,
) -> dict[str, np.ndarray]:
    """How much each pooling's output changes when the input moves by each shift.

    features: (H, W, C) feature map of the whole scan. For every shift s, the map seen through a
    window moved by s pixels (:func:`crop_shifted`) is pooled and compared with the unshifted
    one at the same output positions. Returns name → (len(shifts),) relative changes
    (:func:`compute_relative_change`; 0 means the pooled output did not change at all).
    """
    poolings = SHIFT_POOLINGS if poolings is None else poolings
    reference = crop_shifted(features, 0, margin)
    return {
        name: np.array([compute_relative_change(pool(reference), pool(crop_shifted(features, s, margin)))
                        for s in shifts])
        for name, pool in poolings.items()
    }


def make_stripes(size: int = 16, period: int = 2, phase: int = 0) -> np.ndarray:
    """Vertical stripes: (size, size) float32, columns ``(j + phase) % period == 0`` are 1, others 0."""
    if size < 1 or period < 1:
        raise ValueError(f"size and period must be positive, got size={size}, period={period}")
    columns = (np.arange(size) + phase) % period == 0
    return np.broadcast_to(columns.astype(np.float32), (size, size)).copy()


# --------------------------------------------------------------------------- figures


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


# --------------------------------------------------------------------------- the widget


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


def draw_pooling_demo(source: str = "ct", kind: str = "max", pool_size: int = 2,
                      stride: int = 2, padding: str = "valid") -> Figure:
    """The widget's update function: input and pooled output side by side, with the output shape.

    source: a key of :data:`DEMO_SOURCES`; kind: "max" or "average"; pool_size and stride:
    positive integers; padding: "valid" or "same". Raises ValueError for impossible settings.
    """
    image, cmap, vmin, vmax = load_demo_input(source)
    pooled = pool2d(image, pool_size, stride, padding, kind)  # raises a clear ValueError
    n = image.shape[0]
    rule = (f"⌊({n} − {pool_size}) / {stride}⌋ + 1" if padding == "valid"
            else f"⌈{n} / {stride}⌉")
    fig = plot_pooling(image, pooled, pool_size=pool_size, stride=stride, padding=padding,
                       cmap=cmap, vmin=vmin, vmax=vmax, colorbar_label="edge response",
                       titles=(DEMO_SOURCES[source], f"{kind} pooling, {pool_size}×{pool_size}, "
                               f"stride {stride}, '{padding}'"))
    note = f"output side = {rule} = {pooled.shape[0]}"
    if stride > pool_size:
        note += "   (stride > pool size: some pixels are never looked at)"
    elif stride < pool_size:
        note += "   (stride < pool size: windows overlap)"
    fig.suptitle(note, fontsize=10, y=0.97)
    return fig


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
