"""Convolution from scratch: Equation (1) with loops and vectorised, padding, stride, kernels, figures.

Taught in ``notebooks/02_convolution.ipynb``.

Conventions used everywhere in this module:

- images are (H, W) arrays (any real dtype; computations run in float64), kernels (kH, kW);
- ``padding`` is ``"valid"`` (no padding), ``"same"`` (enough zeros that stride 1 keeps the size)
  or a non-negative integer p (p rows/columns of zeros on *every* side);
- ``stride`` is a positive integer s: the kernel jumps s pixels between two output pixels.

*Convolution* is Equation (1) of the course's source, G[m, n] = Σ_j Σ_k h[j, k] f[m−j, n−k]: the kernel
is flipped. *Cross-correlation*, G[m, n] = Σ_j Σ_k h[j, k] f[m+j, n+k], does not flip it; it is what
``keras.layers.Conv2D`` and ``tf.nn.conv2d`` compute. For an even kernel size "same" cannot pad both
sides equally: the extra row/column of zeros goes bottom/right for cross-correlation (as in Keras)
and top/left for convolution (as in ``scipy.signal.convolve2d``), the mirror image, because the
kernel is flipped.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.lib.stride_tricks import sliding_window_view

from helpers.data import medimg

Padding = str | int
Pads = tuple[tuple[int, int], tuple[int, int]]  # ((top, bottom), (left, right))

# --------------------------------------------------------------------------- input checks


def _as_image(image, name: str = "image") -> np.ndarray:
    array = np.asarray(image)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (H, W), got shape {array.shape}: for a colour or "
            "multi-channel image use conv_layer_forward, or pick one channel with image[..., c]"
        )
    if array.size == 0 or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must be a non-empty numeric array, got dtype {array.dtype}")
    return array.astype(np.float64)


def _check_stride(stride) -> int:
    if isinstance(stride, bool) or not isinstance(stride, int | np.integer) or stride < 1:
        raise ValueError(f"stride must be a positive integer (1, 2, ...), got {stride!r}")
    return int(stride)


def _check_padding(padding) -> Padding:
    if isinstance(padding, str):
        if padding.lower() not in ("valid", "same"):
            raise ValueError(f"padding must be 'valid', 'same' or a number of pixels, got {padding!r}")
        return padding.lower()
    if isinstance(padding, bool) or not isinstance(padding, int | np.integer) or padding < 0:
        raise ValueError(
            f"padding must be 'valid', 'same' or a non-negative integer p, got {padding!r}"
        )
    return int(padding)


def max_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Largest absolute difference between two arrays of the same shape (any numeric dtypes)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"the arrays have different shapes, {a.shape} and {b.shape}: compare like with like")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def flip_kernel(kernel: np.ndarray) -> np.ndarray:
    """The kernel turned by 180°: rows and columns reversed, ``kernel[::-1, ::-1]``."""
    return _as_image(kernel, "kernel")[::-1, ::-1]


# --------------------------------------------------------------------------- padding and sizes


def resolve_padding(
    image_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    stride: int = 1,
    padding: Padding = "valid",
    *,
    flipped: bool = False,
) -> Pads:
    """The zeros to add as ((top, bottom), (left, right)).

    "same" follows Keras: the output has ⌈n / s⌉ pixels along each axis, and an odd number of
    padding zeros puts the extra one bottom/right (top/left when ``flipped``, i.e. for convolution).
    """
    stride, padding = _check_stride(stride), _check_padding(padding)
    if padding == "valid":
        return (0, 0), (0, 0)
    if isinstance(padding, int):
        return (padding, padding), (padding, padding)
    pads = []
    for n, k in zip(image_shape, kernel_shape, strict=True):
        total = max((math.ceil(n / stride) - 1) * stride + k - n, 0)
        small, large = total // 2, total - total // 2
        pads.append((large, small) if flipped else (small, large))
    return pads[0], pads[1]


def pad_image(image: np.ndarray, pads: Pads | int) -> np.ndarray:
    """The image with zeros around it; ``pads`` is p or ((top, bottom), (left, right)). float64."""
    image = _as_image(image)
    if isinstance(pads, int | np.integer):
        pads = ((int(pads), int(pads)), (int(pads), int(pads)))
    return np.pad(image, pads, mode="constant", constant_values=0.0)


def conv_output_size(n: int, k: int, padding: Padding = 0, stride: int = 1) -> int:
    """Output side length of a convolution: ⌊(n + 2p − k) / s⌋ + 1.

    n: input side length, k: kernel side length, padding: p (an integer), "valid" (p = 0) or
    "same" (then ⌈n / s⌉). Raises ``ValueError`` when the kernel does not fit in the padded image.
    """
    stride, padding = _check_stride(stride), _check_padding(padding)
    if n < 1 or k < 1:
        raise ValueError(f"image and kernel sizes must be at least 1, got n={n}, k={k}")
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    if k > n + 2 * p:
        raise ValueError(
            f"the {k}×{k} kernel does not fit in the {n}-pixel image padded to {n + 2 * p}: "
            "choose a smaller kernel, more padding, or 'same'"
        )
    return (n + 2 * p - k) // stride + 1


def _prepare(image, kernel, stride, padding, flipped: bool):
    image, kernel = _as_image(image), _as_image(kernel, "kernel")
    pads = resolve_padding(image.shape, kernel.shape, stride, padding, flipped=flipped)
    padded = pad_image(image, pads)
    for axis, name in ((0, "rows"), (1, "columns")):
        if kernel.shape[axis] > padded.shape[axis]:
            raise ValueError(
                f"the kernel ({kernel.shape[0]}×{kernel.shape[1]}) does not fit in the image "
                f"padded to {padded.shape[0]}×{padded.shape[1]} ({name}): choose a smaller "
                "kernel, more padding, or 'same'"
            )
    return padded, kernel, _check_stride(stride)


# --------------------------------------------------------------------------- Equation (1)


def convolve2d_loops(
    image: np.ndarray, kernel: np.ndarray, *, stride: int = 1, padding: Padding = "valid"
) -> np.ndarray:
    """Equation (1) with explicit loops: G[m, n] = Σ_j Σ_k h[j, k] f[m − j, n − k].

    image f: (H, W); kernel h: (kH, kW). Only positions where the whole (flipped) kernel lies
    on the padded image are kept; output (H', W') float64 with H' = ⌊(H + 2p − kH) / s⌋ + 1.
    Slow on purpose: it shows every multiplication.
    """
    f, h, s = _prepare(image, kernel, stride, padding, flipped=True)
    k_rows, k_cols = h.shape
    out = np.zeros(((f.shape[0] - k_rows) // s + 1, (f.shape[1] - k_cols) // s + 1))
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            m = row * s + k_rows - 1  # f[m - j, n - k] must stay inside f for every j, k
            n = col * s + k_cols - 1
            total = 0.0
            for j in range(k_rows):
                for k in range(k_cols):
                    total += h[j, k] * f[m - j, n - k]
            out[row, col] = total
    return out


def correlate2d_loops(
    image: np.ndarray, kernel: np.ndarray, *, stride: int = 1, padding: Padding = "valid"
) -> np.ndarray:
    """Cross-correlation with explicit loops: G[m, n] = Σ_j Σ_k h[j, k] f[m·s + j, n·s + k].

    What ``keras.layers.Conv2D`` computes (no flip). Shapes as in :func:`convolve2d_loops`.
    """
    f, h, s = _prepare(image, kernel, stride, padding, flipped=False)
    k_rows, k_cols = h.shape
    out = np.zeros(((f.shape[0] - k_rows) // s + 1, (f.shape[1] - k_cols) // s + 1))
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            total = 0.0
            for j in range(k_rows):
                for k in range(k_cols):
                    total += h[j, k] * f[row * s + j, col * s + k]
            out[row, col] = total
    return out


def correlate2d_fast(
    image: np.ndarray, kernel: np.ndarray, *, stride: int = 1, padding: Padding = "valid"
) -> np.ndarray:
    """Vectorised cross-correlation: every kH×kW window at once, then one weighted sum.

    ``sliding_window_view`` gives the windows as a (H', W', kH, kW) view without copying;
    ``einsum`` multiplies each by the kernel and adds up. Output (H', W') float64.
    """
    f, h, s = _prepare(image, kernel, stride, padding, flipped=False)
    windows = sliding_window_view(f, h.shape)[::s, ::s]
    return np.einsum("mnjk,jk->mn", windows, h, optimize=True)


def convolve2d_fast(
    image: np.ndarray, kernel: np.ndarray, *, stride: int = 1, padding: Padding = "valid"
) -> np.ndarray:
    """Vectorised Equation (1): cross-correlation with the flipped kernel. Output (H', W') float64."""
    f, h, s = _prepare(image, kernel, stride, padding, flipped=True)
    windows = sliding_window_view(f, h.shape)[::s, ::s]
    return np.einsum("mnjk,jk->mn", windows, h[::-1, ::-1], optimize=True)


def correlate2d_keras(
    image: np.ndarray, kernel: np.ndarray, *, stride: int = 1, padding: Padding = "valid"
) -> np.ndarray:
    """The same cross-correlation computed by Keras (``keras.ops.conv``, float32).

    An integer padding p is applied with zeros first, then Keras runs with "valid".
    Output (H', W') float32.
    """
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    image, kernel = _as_image(image), _as_image(kernel, "kernel")
    padding = _check_padding(padding)
    _prepare(image, kernel, stride, padding, flipped=False)  # same checks and messages
    if isinstance(padding, int):
        image, padding = pad_image(image, padding), "valid"
    inputs = image[None, :, :, None].astype(np.float32)
    weights = kernel[:, :, None, None].astype(np.float32)
    out = keras.ops.conv(inputs, weights, strides=_check_stride(stride), padding=padding)
    return keras.ops.convert_to_numpy(out)[0, :, :, 0]


# --------------------------------------------------------------------------- conv layers


def conv_layer_forward(
    inputs: np.ndarray,
    weights: np.ndarray,
    bias: np.ndarray | None = None,
    *,
    stride: int = 1,
    padding: Padding = "valid",
) -> np.ndarray:
    """What a Conv2D layer computes, from scratch (cross-correlation, no activation).

    inputs: (H, W, C_in); weights: (k, k, C_in, C_out) as in Keras; bias: (C_out,) or None.
    Output (H', W', C_out) float64: out[..., o] = Σ_c correlate(inputs[..., c], weights[..., c, o]) + bias[o].
    """
    inputs, weights = np.asarray(inputs, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    if inputs.ndim != 3 or weights.ndim != 4:
        raise ValueError(
            f"inputs must be (H, W, C_in) and weights (k, k, C_in, C_out), got {inputs.shape} and "
            f"{weights.shape}: add a channel axis with image[..., None] for a single image"
        )
    if inputs.shape[2] != weights.shape[2]:
        raise ValueError(
            f"inputs have {inputs.shape[2]} channels but the weights expect {weights.shape[2]}: "
            "weights[:, :, c, :] must exist for every input channel c"
        )
    s = _check_stride(stride)
    (top, bottom), (left, right) = resolve_padding(inputs.shape[:2], weights.shape[:2], s, padding)
    padded = np.pad(inputs, ((top, bottom), (left, right), (0, 0)))
    if weights.shape[0] > padded.shape[0] or weights.shape[1] > padded.shape[1]:
        raise ValueError("the kernel does not fit in the padded input: use a smaller kernel or more padding")
    windows = sliding_window_view(padded, weights.shape[:2], axis=(0, 1))[::s, ::s]  # (H', W', C, k, k)
    out = np.einsum("mncjk,jkco->mno", windows, weights, optimize=True)
    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (weights.shape[3],):
            raise ValueError(f"bias must have shape ({weights.shape[3]},), one per filter, got {bias.shape}")
        out = out + bias
    return out


def count_conv_parameters(
    kernel_size: int | tuple[int, int], in_channels: int, filters: int, *, use_bias: bool = True
) -> int:
    """Trainable numbers in a Conv2D layer: k·k·C_in·C_out weights + C_out biases.

    Every filter has one k×k kernel per input channel and one bias; the count does not depend
    on the image size, because the same weights are used at every position.
    """
    k_rows, k_cols = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if min(k_rows, k_cols, in_channels, filters) < 1:
        raise ValueError("kernel size, input channels and filters must all be at least 1")
    return k_rows * k_cols * in_channels * filters + (filters if use_bias else 0)


# --------------------------------------------------------------------------- classic kernels

#: Kernels :func:`make_kernel` knows; the first two change size, the others are 3×3.
KERNEL_NAMES = ("identity", "box blur", "gaussian", "sharpen", "sobel x", "sobel y", "laplacian")
SIZE_VARIABLE = ("box blur", "gaussian")

_FIXED = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}


def make_kernel(name: str, size: int = 3, sigma: float | None = None) -> np.ndarray:
    """A classic image-processing kernel as (size, size) float64.

    name: one of :data:`KERNEL_NAMES`. ``size`` applies to "box blur" and "gaussian" only (the
    others are 3×3); ``sigma`` (pixels) to "gaussian", default size / 5 so the kernel spans ±2.5σ.
    Blurs sum to 1 (a flat region keeps its brightness); Sobel and Laplacian sum to 0 (a flat
    region gives 0, only changes respond). Sobel x responds positively where brightness increases
    to the right (+x) under cross-correlation, Sobel y where it increases downwards (+y).
    """
    key = name.lower()
    if key not in KERNEL_NAMES:
        raise ValueError(f"unknown kernel {name!r}; choose from {', '.join(KERNEL_NAMES)}")
    if key not in SIZE_VARIABLE:
        return np.array(_FIXED[key], dtype=np.float64)
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
        raise ValueError(f"kernel size must be a positive integer, got {size!r}")
    if key == "box blur":
        return np.full((size, size), 1.0 / size**2)
    sigma = size / 5.0 if sigma is None else float(sigma)
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    x = np.arange(size) - (size - 1) / 2.0
    bell = np.exp(-(x**2) / (2.0 * sigma**2))
    kernel = np.outer(bell, bell)
    return kernel / kernel.sum()


# --------------------------------------------------------------------------- figures

#: Kernels whose weights add up to less than this (in absolute value) are shown as signed responses.
_ZERO_SUM = 1e-6


def plot_kernel(
    kernel: np.ndarray,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    limit: float | None = None,
    colorbar: bool | None = None,
) -> Axes:
    """A kernel as a heatmap centred on 0 ("RdBu_r", red positive, blue negative).

    The weights of kernels up to 5×5 are written in their cells, and those numbers are the
    legend; larger kernels get a colorbar instead (``colorbar`` True/False overrides this).
    ``limit``: colour range ±limit, default ±max|weight|."""
    kernel = _as_image(kernel, "kernel")
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.2))
    limit = limit if limit is not None else max(float(np.abs(kernel).max()), 1e-12)
    image = ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    annotate = max(kernel.shape) <= 5
    if annotate:
        for (j, k), value in np.ndenumerate(kernel):
            colour = "white" if abs(value) > 0.6 * limit else "black"
            ax.text(k, j, f"{value:.2g}", ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if colorbar or (colorbar is None and not annotate):
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set_title(title if title is not None else f"kernel {kernel.shape[0]}×{kernel.shape[1]}")
    return ax


def plot_kernels(names: Sequence[str] = KERNEL_NAMES, size: int = 3, axes=None) -> Figure:
    """The named kernels side by side (see :func:`plot_kernel`), each on its own ±max|w| scale."""
    if axes is None:
        _, axes = plt.subplots(1, len(names), figsize=(2.3 * len(names), 2.2), squeeze=False)
    axes = np.ravel(np.asarray(axes, dtype=object))
    if len(axes) < len(names):
        raise ValueError(f"got {len(axes)} axes for {len(names)} kernels")
    for ax, name in zip(axes, names, strict=False):
        plot_kernel(make_kernel(name, size), ax, title=name)
    return axes[0].figure


def show_response(response: np.ndarray, kernel: np.ndarray, ax: Axes, *, limit: float | None = None):
    """Draw a kernel's output on ``ax`` the way it should be read; returns the AxesImage.

    A kernel whose weights sum to S > 0 maps a flat region of grey level b (input in [0, 1]) to
    S·b, so its output is an image: grey, fixed range [0, S]. A kernel summing to ≈ 0 (edges) or
    less gives a signed response: "RdBu_r" centred on 0, range ±limit (default: the 99.5th
    percentile of |response|, so that one bright pixel does not wash the map out).
    """
    total = float(np.sum(kernel))
    if total > _ZERO_SUM:
        return ax.imshow(response, cmap="gray", vmin=0.0, vmax=total, interpolation="nearest")
    if limit is None:
        limit = float(np.percentile(np.abs(response), 99.5)) or 1.0
    return ax.imshow(response, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")


def plot_kernel_responses(image: np.ndarray, names: Sequence[str] = KERNEL_NAMES, axes=None) -> Figure:
    """The input (grey, [0, 1]) and its cross-correlation with each named 3×3 kernel ("same").

    image: (H, W) float in [0, 1]. Blurred/sharpened outputs share the input's grey scale; each
    signed edge response gets its own ±limit ("RdBu_r" centred on 0) and colorbar, because a
    Laplacian answers a step edge about four times more weakly than a Sobel kernel.
    """
    image = _as_image(image)
    count = len(names) + 1
    if axes is None:
        ncols = min(4, count)
        _, axes = plt.subplots(-(-count // ncols), ncols, figsize=(3.2 * ncols, 3.0 * -(-count // ncols)))
    axes = np.ravel(np.asarray(axes, dtype=object))
    if len(axes) < count:
        raise ValueError(f"got {len(axes)} axes for the input and {len(names)} kernels")
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    axes[0].set_title("input")
    for ax, name in zip(axes[1:], names, strict=False):
        kernel = make_kernel(name)
        drawn = show_response(correlate2d_fast(image, kernel, padding="same"), kernel, ax)
        if abs(kernel.sum()) <= _ZERO_SUM:
            ax.figure.colorbar(drawn, ax=ax, fraction=0.046, pad=0.04)
        ax.set_title(name)
    for ax in axes:
        ax.set_axis_off()
    return axes[0].figure


def plot_feature_maps(maps: np.ndarray, titles: Sequence[str] | None = None, axes=None) -> Figure:
    """Feature maps (H, W, C) side by side, each on its own signed scale ("RdBu_r" centred on 0,
    ±99.5th percentile of |map|) with its own colorbar, so that a weak map is still readable."""
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 3:
        raise ValueError(f"maps must be (H, W, C), got shape {maps.shape}")
    count = maps.shape[2]
    if titles is not None and len(titles) != count:
        raise ValueError(f"got {len(titles)} titles for {count} feature maps")
    if axes is None:
        _, axes = plt.subplots(1, count, figsize=(3.3 * count, 2.9), squeeze=False)
    axes = np.ravel(np.asarray(axes, dtype=object))
    if len(axes) < count:
        raise ValueError(f"got {len(axes)} axes for {count} feature maps")
    for c, ax in enumerate(axes[:count]):
        limit = float(np.percentile(np.abs(maps[..., c]), 99.5)) or 1.0
        shown = ax.imshow(maps[..., c], cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
        ax.set_title(titles[c] if titles is not None else f"feature map {c}")
        ax.set_axis_off()
    return axes[0].figure


def plot_padded_input(
    image: np.ndarray,
    kernel_size: int | tuple[int, int],
    stride: int = 1,
    padding: Padding = "valid",
    ax: Axes | None = None,
    *,
    flipped: bool = False,
) -> Axes:
    """The padded input (grey, [0, 1]): a dashed line marks the original image, and the kernel's
    first two positions along the top row show the stride (orange, then dotted cyan)."""
    image = _as_image(image)
    k_rows, k_cols = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    pads = resolve_padding(image.shape, (k_rows, k_cols), stride, padding, flipped=flipped)
    padded = pad_image(image, pads)
    if ax is None:
        _, ax = plt.subplots(figsize=(3.2, 3.2))
    ax.imshow(padded, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    (top, _), (left, _) = pads
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), image.shape[1], image.shape[0], fill=False,
                           ls="--", lw=1.2, ec="gold"))
    second = stride if stride + k_cols <= padded.shape[1] else None
    for offset, colour, style in ((0, "tab:orange", "-"), (second, "cyan", ":")):
        if offset is not None and k_rows <= padded.shape[0] and k_cols <= padded.shape[1]:
            ax.add_patch(Rectangle((offset - 0.5, -0.5), k_cols, k_rows, fill=False, lw=1.8, ec=colour,
                                   ls=style))
    ax.set_title(f"input {image.shape[0]}×{image.shape[1]}, padded {padded.shape[0]}×{padded.shape[1]}")
    ax.set_axis_off()
    return ax


# --------------------------------------------------------------------------- the widget

#: Images of the widget: key → (label, sample name, crop (row, col, side) or None, size or None).
WIDGET_IMAGES: dict[str, tuple[str, str, tuple[int, int, int] | None, int | None]] = {
    "ct_vertebra": ("CT vertebra 128×128", "ct_vertebra", None, 128),
    "ct_zoom": ("CT spinal canal, 16×16 zoom", "ct_vertebra", (50, 60, 16), 128),
    "mr_abdomen": ("MR abdomen 128×128", "mr_abdomen", None, 128),
    "mr_small": ("MR small 64×64", "mr_small", None, None),
}
WIDGET_KERNELS = (*KERNEL_NAMES, "custom 3×3")
WIDGET_SIZES = (3, 7, 21)  # 7×7 is a common first-layer size; 21 is wider than the zoomed crop
WIDGET_STRIDES = (1, 2, 4)
WIDGET_PADDINGS: tuple[Padding, ...] = ("valid", "same", 2, 5)
CUSTOM_NAMES = tuple(f"w{j}{k}" for j in range(3) for k in range(3))


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
    if kernel == "custom 3×3":
        values = np.asarray(custom if custom is not None else np.zeros((3, 3)), dtype=np.float64)
        if values.shape != (3, 3) or not np.all(np.isfinite(values)):
            raise ValueError("the custom kernel needs 9 finite numbers (3 rows of 3)")
        if size != 3:
            raise ValueError("the custom kernel is 3×3: set size to 3")
        return values, "custom 3×3"
    if kernel not in KERNEL_NAMES:
        raise ValueError(f"unknown kernel {kernel!r}; choose from {', '.join(WIDGET_KERNELS)}")
    if kernel in SIZE_VARIABLE:
        return make_kernel(kernel, size), f"{kernel} {size}×{size}"
    if size != 3:
        raise ValueError(f"{kernel} is a fixed 3×3 kernel: set size to 3 (only "
                         f"{' and '.join(SIZE_VARIABLE)} come in other sizes)")
    return make_kernel(kernel), f"{kernel} 3×3"


def draw_convolution_demo(
    image: str = "ct_vertebra",
    kernel: str = "sobel x",
    size: int = 3,
    stride: int = 1,
    padding: Padding = "valid",
    custom: Sequence[Sequence[float]] | np.ndarray | None = None,
) -> Figure:
    """The widget's figure: padded input, kernel and output (cross-correlation, as Conv2D computes it).

    image: a key of :data:`WIDGET_IMAGES`; kernel: one of :data:`WIDGET_KERNELS` (``custom`` gives
    the 3×3 weights of "custom 3×3"); size: side of the box/Gaussian kernel; stride ≥ 1; padding:
    "valid", "same" or p ≥ 0. Raises ``ValueError`` (with what to change) for impossible choices.
    """
    pixels = load_widget_image(image)
    weights, label = _widget_kernel(kernel, size, custom)
    n, k = pixels.shape[0], weights.shape[0]
    out_side = conv_output_size(n, k, padding, stride)  # raises when the kernel does not fit
    output = correlate2d_fast(pixels, weights, stride=stride, padding=padding)
    p_text = "same" if padding == "same" else f"p = {0 if padding == 'valid' else padding}"
    formula = (f"⌈{n}/{stride}⌉ = {out_side}" if padding == "same" else
               f"⌊({n} + 2·{0 if padding == 'valid' else padding} − {k})/{stride}⌋ + 1 = {out_side}")
    # Colorbars only where colour carries a value the panel does not state otherwise: they are
    # the slowest part of the figure, and the widget must redraw fast.
    # A fixed layout rather than the course's constrained one: it draws about 100 ms faster.
    fig, axes = plt.subplots(1, 3, figsize=(11.5, 3.9), layout="none",
                             gridspec_kw={"width_ratios": [1, 0.8, 1], "left": 0.01, "right": 0.97,
                                          "bottom": 0.02, "top": 0.84, "wspace": 0.15})
    plot_padded_input(pixels, k, stride, padding, ax=axes[0])
    plot_kernel(weights, axes[1], title=label)
    shown = show_response(output, weights, axes[2])
    total = float(weights.sum())
    if total > _ZERO_SUM:
        scale = f"grey 0 to {total:.3g}"
    else:
        fig.colorbar(shown, ax=axes[2], fraction=0.046, pad=0.04, label="signed response")
        scale = "signed"
    axes[2].set_title(f"output {output.shape[0]}×{output.shape[1]} ({scale})")
    axes[2].set_axis_off()
    fig.suptitle(f"{WIDGET_IMAGES[image][0]} · stride {stride} · {p_text} · output side {formula}",
                 fontsize=10)
    return fig


def update_convolution_widget(
    image: str, kernel: str, size: int, stride: int, padding: Padding, **weights: float
) -> Figure:
    """The widget's update function: like :func:`draw_convolution_demo`, with the custom kernel
    given as nine numbers ``w00`` … ``w22`` (row, column), as the nine boxes of the widget deliver them."""
    unknown = set(weights) - set(CUSTOM_NAMES)
    if unknown:
        raise ValueError(f"unknown controls {sorted(unknown)}; the custom weights are {', '.join(CUSTOM_NAMES)}")
    custom = [[float(weights.get(f"w{j}{k}", 0.0)) for k in range(3)] for j in range(3)]
    return draw_convolution_demo(image, kernel, size, stride, padding, custom)


def make_convolution_widget():
    """The notebook's widget: image, kernel, size, stride and padding, plus nine boxes for a custom 3×3."""
    import ipywidgets as ipw

    from helpers import widgets

    controls = {
        "image": ipw.Dropdown(options=[(v[0], key) for key, v in WIDGET_IMAGES.items()],
                              value="ct_vertebra", description="image"),
        "kernel": ipw.Dropdown(options=list(WIDGET_KERNELS), value="sobel x", description="kernel"),
        "size": ipw.SelectionSlider(options=list(WIDGET_SIZES), value=3, description="size",
                                    continuous_update=False),
        "stride": ipw.ToggleButtons(options=list(WIDGET_STRIDES), value=1, description="stride"),
        "padding": ipw.Dropdown(options=[(p if isinstance(p, str) else f"zeros, p = {p}", p)
                                         for p in WIDGET_PADDINGS], value="valid", description="padding"),
    }
    def lock_size(change) -> None:  # registered before the redraw, so it runs first
        if change["new"] not in SIZE_VARIABLE:
            controls["size"].value = 3
        controls["size"].disabled = change["new"] not in SIZE_VARIABLE

    controls["kernel"].observe(lock_size, names="value")
    controls["size"].disabled = True
    sharpen = make_kernel("sharpen")
    boxes = {name: ipw.FloatText(value=float(sharpen[int(name[1]), int(name[2])]),
                                 layout=ipw.Layout(width="70px")) for name in CUSTOM_NAMES}
    # The main controls in two rows, the nine boxes of the custom kernel as a 3×3 grid.
    grid = ipw.GridBox(list(boxes.values()), layout=ipw.Layout(grid_template_columns="repeat(3, 75px)"))
    c = controls
    arrangement = ipw.HBox([ipw.VBox([ipw.HBox([c["image"], c["kernel"], c["padding"]]),
                                      ipw.HBox([c["size"], c["stride"]])]),
                            ipw.VBox([ipw.Label("custom 3×3 kernel"), grid])])
    box = widgets.interactive_figure(update_convolution_widget, arrangement=arrangement,
                                     **controls, **boxes)
    return box


# --------------------------------------------------------------------------- speed


def time_call(function: Callable, *args, repeats: int = 3, **kwargs) -> float:
    """Best wall time in seconds of ``repeats`` calls of ``function(*args, **kwargs)``."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def compare_speed(image: np.ndarray, kernel: np.ndarray, *, repeats: int = 3) -> dict[str, float]:
    """Seconds per call (best of ``repeats``) of the three implementations on the same input:
    {"loops": ..., "vectorised NumPy": ..., "Keras": ...}. Keras is called once before timing,
    so that its one-off start-up cost is not counted."""
    correlate2d_keras(image, kernel)
    return {
        "loops": time_call(correlate2d_loops, image, kernel, repeats=repeats),
        "vectorised NumPy": time_call(correlate2d_fast, image, kernel, repeats=repeats),
        "Keras": time_call(correlate2d_keras, image, kernel, repeats=repeats),
    }
