"""The fully connected layer and the losses of lesson 04, from scratch and checked against Keras.

Taught in ``notebooks/04_fully_connected.ipynb``. Conventions:

- a dense layer computes ``W·x + b`` with ``W`` of shape (n_out, n_in), ``x`` (n_in,) and
  ``b`` (n_out,). Keras stores the same numbers transposed: ``Dense.kernel`` is (n_in, n_out)
  and the layer computes ``x·kernel + bias``, so ``W = kernel.T``;
- labels ``y`` are 0/1 for the binary loss and one-hot rows for the categorical loss;
  probabilities are clipped to [ε, 1 − ε] with Keras's ε = 1e-7 before the logarithm, which
  is the natural logarithm.
"""

from __future__ import annotations

import numpy as np

from helpers import validate
from helpers.convolution.ops import conv_layer_forward
from helpers.pooling.ops import global_pool2d, max_pool2d
from helpers.pooling.shift import compute_relative_change, crop_shifted

#: Keras's fuzz factor: probabilities are clipped to [EPSILON, 1 − EPSILON] before the log.
EPSILON = 1e-7


def _as_float_array(value, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


# --------------------------------------------------------------------------- the dense layer


def flatten(feature_map) -> np.ndarray:
    """Keras's ``Flatten`` for one example: (H, W, C) → (H·W·C,), row by row, channels last."""
    return np.asarray(feature_map).reshape(-1)


def dense_forward(weights, x, bias=None) -> np.ndarray:
    """A fully connected layer without activation: ``W·x + b``.

    weights: (n_out, n_in); x: (n_in,) one example, or (N, n_in) a batch; bias: (n_out,) or None.
    Returns (n_out,) or (N, n_out) float64: every output is a weighted sum of *all* inputs.
    """
    w, x = _as_float_array(weights, "weights"), _as_float_array(x, "x")
    if w.ndim != 2:
        raise ValueError(f"weights must be a matrix (n_out, n_in), got shape {w.shape}")
    if x.shape[-1] != w.shape[1]:
        raise ValueError(f"x has {x.shape[-1]} values but the weights expect n_in = {w.shape[1]}: "
                         "flatten the feature map first, or check which axis of W is n_in")
    out = x @ w.T  # = W·x for one example, one row per example for a batch
    if bias is not None:
        b = _as_float_array(bias, "bias")
        if b.shape != (w.shape[0],):
            raise ValueError(f"bias must have shape ({w.shape[0]},), one per output, got {b.shape}")
        out = out + b
    return out


def dense_with_keras(weights, x, bias) -> np.ndarray:
    """The same layer computed by ``keras.layers.Dense`` (float64) with kernel = ``weights.T``."""
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    w, x, b = (_as_float_array(v, n) for v, n in ((weights, "weights"), (x, "x"), (bias, "bias")))
    layer = keras.layers.Dense(w.shape[0], dtype="float64")
    layer.build((None, w.shape[1]))
    layer.set_weights([w.T, b])
    batch = x if x.ndim == 2 else x[np.newaxis]
    out = keras.ops.convert_to_numpy(layer(batch))
    return out if x.ndim == 2 else out[0]


def count_dense_parameters(n_in: int, n_out: int, *, use_bias: bool = True) -> int:
    """Trainable numbers of a dense layer: n_in·n_out weights (+ n_out biases)."""
    n_in, n_out = validate.whole_number(n_in, "n_in"), validate.whole_number(n_out, "n_out")
    return n_in * n_out + (n_out if use_bias else 0)


# --------------------------------------------------------------------------- activations and losses


def _clipped(p) -> np.ndarray:
    p = _as_float_array(p, "probabilities")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("probabilities must lie in [0, 1]: apply the sigmoid (or softmax) first")
    return np.clip(p, EPSILON, 1.0 - EPSILON)


def binary_cross_entropy(y, p) -> float:
    """Mean of −[y·ln p + (1 − y)·ln(1 − p)] over the examples.

    y: labels 0/1, any shape; p: predicted probabilities of class 1, same shape. A confident right
    answer costs almost 0, a confident wrong one a lot (−ln 1e-7 ≈ 16 at most, after clipping).
    """
    y, p = _as_float_array(y, "y"), _clipped(p)
    if y.shape != p.shape:
        raise ValueError(f"y {y.shape} and p {p.shape} must have the same shape")
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))


def categorical_cross_entropy(y_onehot, p) -> float:
    """Mean over examples of −Σ_k y_k·ln p_k: minus the log-probability given to the true class.

    y_onehot, p: (K,) for one example or (N, K); each row of p sums to 1 (a softmax output).
    """
    y, p = _as_float_array(y_onehot, "y_onehot"), _clipped(p)
    if y.shape != p.shape:
        raise ValueError(f"y_onehot {y.shape} and p {p.shape} must have the same shape")
    if not np.allclose(p.sum(axis=-1), 1.0, atol=1e-6):
        raise ValueError("every row of p must sum to 1: apply the softmax first")
    return float(np.mean(-np.sum(y * np.log(p), axis=-1)))


def loss_with_keras(kind: str, y, p) -> float:
    """``keras.losses.binary_crossentropy`` (kind "binary") or ``categorical_crossentropy``
    (kind "categorical") on the same inputs, averaged over the examples, as a float."""
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    validate.one_of(kind, ("binary", "categorical"), "kind")
    y, p = _as_float_array(y, "y"), _as_float_array(p, "p")
    if kind == "binary":  # Keras averages over the last axis: one example per row
        values = keras.losses.binary_crossentropy(y.reshape(-1, 1), p.reshape(-1, 1))
    else:
        values = keras.losses.categorical_crossentropy(np.atleast_2d(y), np.atleast_2d(p))
    return float(np.mean(keras.ops.convert_to_numpy(values)))


# --------------------------------------------------------------------------- what a dense layer sees

#: The layers compared in the shift experiment (see :func:`measure_dense_shift`).
SHIFT_LAYERS = ("pixels", "dense", "conv + ReLU + max 2×2", "conv + ReLU + global max")


def measure_dense_shift(image, shifts, *, units: int = 16, filters: int = 8, margin: int = 5,
                        seed: int = 0) -> dict[str, np.ndarray]:
    """How much each layer's output changes when the image moves by each shift (pixels).

    image: (H, W) float. The image is put on a black background ``2·margin`` pixels wide and
    seen through a window moved s pixels (``pooling.crop_shifted``), so the whole image stays in
    view: only its position changes (shifts up to ``margin − 2`` keep every 3×3 window that
    touches it inside the view). Each layer of :data:`SHIFT_LAYERS` (random weights drawn with
    ``seed``, the same for every shift) is applied and compared with the unshifted output
    (``pooling.compute_relative_change``). Returns name → (len(shifts),) relative changes;
    0 means the output did not change at all.
    """
    image = _as_float_array(image, "image")
    if image.ndim != 2:
        raise ValueError(f"image must be (H, W), got shape {image.shape}")
    margin = validate.whole_number(margin, "margin", minimum=2)
    canvas = np.pad(image, 2 * margin)
    rng = np.random.default_rng(seed)
    n_view = (image.shape[0] + 2 * margin) * (image.shape[1] + 2 * margin)
    dense_w = rng.normal(0.0, 1.0 / np.sqrt(n_view), (units, n_view))
    kernels = rng.normal(0.0, 1.0 / 3.0, (3, 3, 1, filters))
    bias = np.full(filters, -0.05)  # a small negative bias: ReLU keeps only clear responses

    def features(x):
        return np.maximum(conv_layer_forward(x[..., np.newaxis], kernels, bias), 0.0)

    layers = {
        "pixels": lambda x: x,
        "dense": lambda x: dense_forward(dense_w, flatten(x)),
        "conv + ReLU + max 2×2": lambda x: max_pool2d(features(x), 2),
        "conv + ReLU + global max": lambda x: global_pool2d(features(x), "max"),
    }
    reference = crop_shifted(canvas, 0, margin)
    return {name: np.array([compute_relative_change(layer(reference), layer(crop_shifted(canvas, s, margin)))
                            for s in shifts])
            for name, layer in layers.items()}
