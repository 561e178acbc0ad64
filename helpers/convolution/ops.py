"""Equation (1) from scratch: padding, output size, convolution and cross-correlation with loops,
vectorised and with Keras, a whole Conv2D layer, its parameter count, and a speed comparison.

Taught in ``notebooks/02_convolution.ipynb``. Conventions used everywhere in this package:

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

The window arithmetic here (:func:`conv_output_size`, :func:`same_padding`) is also the one of
pooling (lesson 03): ``helpers.pooling`` calls it rather than restating it.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers import timing, validate

Padding = str | int
Pads = tuple[tuple[int, int], tuple[int, int]]  # ((top, bottom), (left, right))
PADDING_NAMES = ("valid", "same")

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
    return validate.whole_number(stride, "stride")


def _check_padding(padding) -> Padding:
    """"valid", "same" (any case) or a whole number of pixels p ≥ 0."""
    if isinstance(padding, str) and padding.lower() in PADDING_NAMES:
        return padding.lower()
    return validate.whole_number(padding, "padding", minimum=0, hint="or 'valid' or 'same'")


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


def conv_output_size(n: int, k: int, padding: Padding = 0, stride: int = 1) -> int:
    """Output side length of a convolution (or of a pooling window): ⌊(n + 2p − k) / s⌋ + 1.

    n: input side length, k: kernel (window) side length, padding: p (an integer), "valid"
    (p = 0) or "same" (then ⌈n / s⌉). Raises ``ValueError`` when the kernel does not fit in the
    padded image.
    """
    stride, padding = _check_stride(stride), _check_padding(padding)
    n = validate.whole_number(n, "the image side n")
    k = validate.whole_number(k, "the kernel side k")
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    if k > n + 2 * p:
        raise ValueError(
            f"the {k}×{k} kernel does not fit in the {n}-pixel image padded to {n + 2 * p}: "
            "choose a smaller kernel, more padding, or 'same'"
        )
    return (n + 2 * p - k) // stride + 1


def same_padding(n: int, k: int, stride: int = 1, *, flipped: bool = False) -> tuple[int, int]:
    """Zeros (before, after) that "same" adds along one axis of side ``n`` for a window of ``k``.

    The total is what the last of the ⌈n / s⌉ windows needs to fit, (⌈n / s⌉ − 1)·s + k − n
    (never negative). An odd total puts the extra zero after (bottom/right), as Keras and
    TensorFlow do, or before (top/left) when ``flipped``, i.e. for convolution.
    """
    out = conv_output_size(n, k, "same", stride)
    total = max((out - 1) * stride + k - n, 0)
    small, large = total // 2, total - total // 2
    return (large, small) if flipped else (small, large)


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
    padding zeros puts the extra one bottom/right (top/left when ``flipped``, i.e. for convolution);
    see :func:`same_padding`.
    """
    stride, padding = _check_stride(stride), _check_padding(padding)
    if padding == "valid":
        return (0, 0), (0, 0)
    if isinstance(padding, int):
        return (padding, padding), (padding, padding)
    rows, cols = (same_padding(n, k, stride, flipped=flipped)
                  for n, k in zip(image_shape, kernel_shape, strict=True))
    return rows, cols


def pad_image(image: np.ndarray, pads: Pads | int) -> np.ndarray:
    """The image with zeros around it; ``pads`` is p or ((top, bottom), (left, right)). float64."""
    image = _as_image(image)
    if isinstance(pads, int | np.integer):
        pads = ((int(pads), int(pads)), (int(pads), int(pads)))
    return np.pad(image, pads, mode="constant", constant_values=0.0)


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
    k_rows = validate.whole_number(k_rows, "the kernel size")
    k_cols = validate.whole_number(k_cols, "the kernel size")
    in_channels = validate.whole_number(in_channels, "in_channels")
    filters = validate.whole_number(filters, "filters")
    return k_rows * k_cols * in_channels * filters + (filters if use_bias else 0)


# --------------------------------------------------------------------------- speed


def compare_speed(image: np.ndarray, kernel: np.ndarray, *, repeats: int = 3) -> dict[str, float]:
    """Seconds per call (best of ``repeats``, :func:`helpers.timing.time_call`) of the three
    implementations on the same input: {"loops": ..., "vectorised NumPy": ..., "Keras": ...}.
    Keras is called once before timing, so that its one-off start-up cost is not counted."""
    implementations = {"loops": (correlate2d_loops, 0), "vectorised NumPy": (correlate2d_fast, 0),
                       "Keras": (correlate2d_keras, 1)}
    return {name: timing.time_call(lambda f=function: f(image, kernel), repeats=repeats, warmup=warmup)
            for name, (function, warmup) in implementations.items()}
