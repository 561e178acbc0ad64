"""Activation functions and their derivatives from the formulas, lesson 06
(``notebooks/06_activations.ipynb``), with the entry's misprinted versions beside them.

Every function takes an array-like of real numbers and returns a float64 array of the same
shape (softmax works along ``axis``, by default the last one). The Keras and autodiff versions
that the lesson checks these against are :func:`keras_activation` and :func:`autodiff_derivative`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers import validate

#: The element-wise activations of the lesson, in the order they are introduced.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")
#: The slope of leaky ReLU for x < 0 in the entry (and the usual default).
LEAKY_SLOPE = 0.01


def _as_float(x) -> np.ndarray:
    array = np.asarray(x, dtype=np.float64)
    return array


def _check_slope(slope: float) -> float:
    slope = validate.real_number(slope, "slope")
    if not 0.0 <= slope < 1.0:
        raise ValueError(f"the leaky slope must be in [0, 1) (0 gives plain ReLU), got {slope}")
    return slope


# --------------------------------------------------------------------------- the formulas


def sigmoid(x) -> np.ndarray:
    """σ(x) = 1 / (1 + e^(−x)), in (0, 1). Written so that e^(...) never overflows: for x < 0
    the same value is computed as e^x / (1 + e^x)."""
    x = _as_float(x)
    e = np.exp(-np.abs(x))  # ≤ 1, never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(x) -> np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)), in (0, 0.25]; largest at x = 0."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x) -> np.ndarray:
    """tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)), in (−1, 1). Computed as (1 − e^(−2|x|)) /
    (1 + e^(−2|x|)) with the sign of x, the same fraction divided by e^|x|, so it never
    overflows."""
    x = _as_float(x)
    e = np.exp(-2.0 * np.abs(x))
    return np.sign(x) * (1.0 - e) / (1.0 + e)


def tanh_derivative(x) -> np.ndarray:
    """tanh'(x) = 1 − tanh(x)², in (0, 1]; largest at x = 0."""
    return 1.0 - tanh(x) ** 2


def relu(x) -> np.ndarray:
    """ReLU(x) = max(0, x)."""
    return np.maximum(0.0, _as_float(x))


def relu_derivative(x) -> np.ndarray:
    """1 for x > 0, 0 for x ≤ 0 (at x = 0 we take 0, as TensorFlow does)."""
    return (_as_float(x) > 0).astype(np.float64)


def leaky_relu(x, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """x for x ≥ 0, ``slope``·x for x < 0 (slope in [0, 1); 0 gives ReLU)."""
    x, slope = _as_float(x), _check_slope(slope)
    return np.where(x >= 0, x, slope * x)


def leaky_relu_derivative(x, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """1 for x > 0, ``slope`` for x ≤ 0 (at x = 0 we take the slope, as TensorFlow does)."""
    x, slope = _as_float(x), _check_slope(slope)
    return np.where(x > 0, 1.0, slope)


def softmax(z, axis: int = -1) -> np.ndarray:
    """softmax(z)_i = e^(z_i) / Σ_j e^(z_j) along ``axis``: positive, summing to 1.

    The largest score is subtracted first; this changes nothing mathematically (e^(−max)
    cancels) and keeps every e^(...) ≤ 1, so large scores cannot overflow."""
    z = _as_float(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_naive(z, axis: int = -1) -> np.ndarray:
    """The formula taken literally, e^(z_i) / Σ_j e^(z_j), without subtracting the maximum:
    overflows to inf/inf = NaN once a score passes log(max float) ≈ 709.8 (88.7 in float32).
    Shown to demonstrate the problem; use :func:`softmax`."""
    z = _as_float(z)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z) -> np.ndarray:
    """∂softmax_i/∂z_j = s_i (δ_ij − s_j) for one score vector z of shape (K,): (K, K)."""
    s = softmax(np.ravel(z))
    return np.diag(s) - np.outer(s, s)


# --------------------------------------------------------------------------- as printed


def sigmoid_as_printed(x) -> np.ndarray:
    """The entry's sigmoid, f(x) = 1 / e^(−x): that is e^x, which is not in (0, 1)."""
    with np.errstate(over="ignore"):
        return 1.0 / np.exp(-_as_float(x))


def tanh_as_printed(x) -> np.ndarray:
    """The entry's tanh, (e^x − e^(−x)) / (e^x − e^(−x)): 1 wherever defined, NaN at x = 0."""
    x = _as_float(x)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        top = np.exp(x) - np.exp(-x)
        return top / top


def softmax_as_printed(z, axis: int = -1) -> np.ndarray:
    """The entry's softmax, e^(z_j) / Σ_{k=1..K} e^(z_j): the sum adds the same term K times,
    so every output is 1/K whatever the scores."""
    z = _as_float(z)
    k = z.shape[axis]
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / (k * e)


# --------------------------------------------------------------------------- by name

_FUNCTIONS = {"sigmoid": (sigmoid, sigmoid_derivative), "tanh": (tanh, tanh_derivative),
              "relu": (relu, relu_derivative), "leaky_relu": (leaky_relu, leaky_relu_derivative)}


def _check_name(name: str) -> str:
    return validate.one_of(name, ACTIVATIONS, "activation")


def apply_activation(name: str, x, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """The activation ``name`` (one of :data:`ACTIVATIONS`) of x; ``slope`` is used by leaky ReLU."""
    function = _FUNCTIONS[_check_name(name)][0]
    return function(x, slope) if name == "leaky_relu" else function(x)


def apply_derivative(name: str, x, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """The derivative of the activation ``name`` at x (see :func:`apply_activation`)."""
    function = _FUNCTIONS[_check_name(name)][1]
    return function(x, slope) if name == "leaky_relu" else function(x)


def keras_activation(name: str, x, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """The same activation from ``keras.activations`` (``"softmax"`` too, along the last
    axis), computed in float64 and returned as a NumPy array."""
    import keras

    if name != "softmax":
        _check_name(name)
    tensor = keras.ops.convert_to_tensor(_as_float(x))
    if name == "leaky_relu":
        out = keras.activations.leaky_relu(tensor, negative_slope=_check_slope(slope))
    else:
        out = getattr(keras.activations, name)(tensor)
    return np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float64)


def autodiff_derivative(name: str, x, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """The derivative of the Keras activation ``name`` at every x, by automatic differentiation
    (``tf.GradientTape``), in float64. Element-wise activations only."""
    import tensorflow as tf

    _check_name(name)
    variable = tf.Variable(_as_float(x))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.convert_to_tensor(keras_activation_tensor(name, variable, slope)))
    return tape.gradient(y, variable).numpy().astype(np.float64)


def keras_activation_tensor(name: str, x, slope: float = LEAKY_SLOPE):
    """:func:`keras_activation` without the conversion to NumPy (keeps the gradient tape)."""
    import keras

    if name == "leaky_relu":
        return keras.activations.leaky_relu(x, negative_slope=_check_slope(slope))
    return getattr(keras.activations, name)(x)


def autodiff_softmax_jacobian(z) -> np.ndarray:
    """The Jacobian of ``keras.activations.softmax`` at one score vector z (K,), by autodiff."""
    import keras
    import tensorflow as tf

    variable = tf.Variable(_as_float(np.ravel(z))[np.newaxis])
    with tf.GradientTape() as tape:
        s = keras.activations.softmax(variable)[0]
    return tape.jacobian(s, variable).numpy()[:, 0, :].astype(np.float64)


# --------------------------------------------------------------------------- linear layers collapse


def collapse_linear_stack(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]
                          ) -> tuple[np.ndarray, np.ndarray]:
    """One linear layer (W, b) equal to the stack x → x W1 + b1 → (…) W2 + b2 → … without
    activations: W = W1 W2 … Wn and b = (…((b1 W2 + b2) W3 + b3) …) Wn + bn.

    weights[i]: (d_i, d_{i+1}); biases[i]: (d_{i+1},). Returns W (d_0, d_n) and b (d_n,)."""
    if len(weights) != len(biases) or not weights:
        raise ValueError("give one bias per weight matrix, and at least one layer")
    total_w = np.asarray(weights[0], dtype=np.float64)
    total_b = np.asarray(biases[0], dtype=np.float64)
    for w, b in zip(weights[1:], biases[1:], strict=True):
        w = np.asarray(w, dtype=np.float64)
        if w.shape[0] != total_w.shape[1]:
            raise ValueError(f"layer shapes do not chain: {total_w.shape} then {w.shape}")
        total_w, total_b = total_w @ w, total_b @ w + np.asarray(b, dtype=np.float64)
    return total_w, total_b


def forward_stack(x, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                  activation: str | None = None) -> np.ndarray:
    """Apply the layers one after the other: x W + b, then ``activation`` (None = linear),
    for every layer. x: (N, d_0) → (N, d_n)."""
    out = _as_float(x)
    for w, b in zip(weights, biases, strict=True):
        out = out @ np.asarray(w, dtype=np.float64) + np.asarray(b, dtype=np.float64)
        if activation is not None:
            out = apply_activation(activation, out)
    return out
