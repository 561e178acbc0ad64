"""Max, average and global pooling from scratch, the output-size rule, and the same pooling by Keras.

Taught in ``notebooks/03_pooling.ipynb``. Every pooling function here follows the conventions of
``keras.layers.MaxPooling2D`` / ``AveragePooling2D`` (channels last, ``stride`` defaults to the
pool size, "same" padding spread as evenly as possible with the extra row/column at the end, and
padded cells ignored by the maximum and by the mean), so that the notebook can check them
against Keras.

A pooling window slides like a convolution kernel, so its window arithmetic is convolution's
(lesson 02): :func:`compute_pooled_size` and :func:`compute_same_padding` call
:func:`helpers.convolution.conv_output_size` and :func:`helpers.convolution.same_padding`.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers import validate
from helpers.convolution import ops as conv_ops

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

# --------------------------------------------------------------------------- sizes and padding


def _check_window(pool_size: int, stride: int | None, padding: str) -> tuple[int, int]:
    """``(pool_size, stride)`` as ints, ``stride=None`` meaning ``stride = pool_size``."""
    pool_size = validate.whole_number(pool_size, "pool_size")
    stride = pool_size if stride is None else validate.whole_number(
        stride, "stride", hint="(or None for stride = pool_size)")
    validate.one_of(padding, PADDINGS, "padding")
    return pool_size, stride


def _check_kind(kind: str) -> str:
    return validate.one_of(kind, POOL_KINDS, "kind")


def compute_pooled_size(n: int, pool_size: int, stride: int | None = None,
                        padding: str = "valid") -> int:
    """Side length of the output of pooling an ``n``-pixel side.

    valid: ``floor((n - pool_size) / stride) + 1`` (the window must fit: ``pool_size <= n``);
    same:  ``ceil(n / stride)``. ``stride=None`` means ``stride = pool_size``, as in Keras.
    It is the output-size rule of a convolution with a ``pool_size`` kernel and no zeros added
    (``helpers.convolution.conv_output_size``); only the default stride and the message differ.
    """
    pool_size, stride = _check_window(pool_size, stride, padding)
    n = validate.whole_number(n, "the input side n")
    if padding == "valid" and pool_size > n:
        raise ValueError(
            f"the {pool_size}×{pool_size} window does not fit in an input of side {n} with "
            f"'valid' padding: choose a pool size of at most {n}, or padding='same'"
        )
    return conv_ops.conv_output_size(n, pool_size, padding, stride)


def compute_same_padding(n: int, pool_size: int, stride: int | None = None) -> tuple[int, int]:
    """Cells added (before, after) one side of length ``n`` by "same" padding, as TensorFlow does.

    The total is what the last window needs to fit; an odd total puts the extra cell at the end.
    The same rule as convolution's "same" (``helpers.convolution.same_padding``).
    """
    pool_size, stride = _check_window(pool_size, stride, "same")
    return conv_ops.same_padding(n, pool_size, stride)


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
    _check_kind(kind)
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
    _check_kind(kind)
    array = _as_feature_map(x)
    reduce = np.max if kind == "max" else np.mean
    return np.asarray(reduce(array, axis=(0, 1)), dtype=array.dtype)


def pool_with_keras(x, pool_size: int = 2, stride: int | None = None, padding: str = "valid",
                    kind: str = "max") -> np.ndarray:
    """The same pooling done by ``keras.layers.MaxPooling2D``/``AveragePooling2D``.

    x: (H, W) or (H, W, C); returns float32 of the shape :func:`pool2d` returns.
    """
    import keras

    _check_kind(kind)
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

    _check_kind(kind)
    array = _as_feature_map(x)
    layer = keras.layers.GlobalMaxPooling2D() if kind == "max" else keras.layers.GlobalAveragePooling2D()
    out = keras.ops.convert_to_numpy(layer(array.reshape(1, *array.shape[:2], -1).astype(np.float32)))
    return out[0] if array.ndim == 3 else out[0, 0]
