"""A tiny CNN by hand, lesson 04: conv 3×3 → ReLU → max pool 2×2 → flatten → dense → sigmoid,
its forward pass, its backward pass one layer at a time, and gradient descent.

Taught in ``notebooks/04_fully_connected.ipynb``. The parameters are a dict of float64 arrays::

    "conv_kernel" (3, 3, 1, C)   as in Keras's Conv2D
    "conv_bias"   (C,)
    "dense_W"     (1, P·P·C)     the dense layer's W in W·x + b (Keras stores its transpose)
    "dense_b"     (1,)

One image is (H, W) float in [0, 1]; its label y is 0 or 1. The forward pass reuses the course's
``convolution.conv_layer_forward`` and ``pooling.max_pool2d``; the backward pass is written here,
layer by layer, and checked in the notebook against ``tf.GradientTape`` and finite differences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers import validate
from helpers.activations.ops import sigmoid  # taught in lesson 06: one home
from helpers.convolution.ops import conv_layer_forward, correlate2d_fast
from helpers.fully_connected.ops import binary_cross_entropy, dense_forward, flatten
from helpers.pooling.ops import max_pool2d

#: The parameter names, in the order of ``keras_model.get_weights()``.
PARAMETER_NAMES = ("conv_kernel", "conv_bias", "dense_W", "dense_b")
KERNEL_SIZE, POOL_SIZE = 3, 2


def feature_side(image_side: int) -> int:
    """Side of the pooled feature map: a 3×3 'valid' convolution, then 2×2 pooling."""
    side = validate.whole_number(image_side, "image_side", minimum=KERNEL_SIZE + 1)
    return (side - KERNEL_SIZE + 1) // POOL_SIZE


def init_tiny_network(image_side: int = 28, filters: int = 2, seed: int = 0) -> dict[str, np.ndarray]:
    """Random starting parameters (Glorot-like scales, zero biases), float64, reproducible with seed."""
    filters = validate.whole_number(filters, "filters")
    rng = np.random.default_rng(seed)
    n_flat = feature_side(image_side) ** 2 * filters
    return {
        "conv_kernel": rng.normal(0.0, 0.5, (KERNEL_SIZE, KERNEL_SIZE, 1, filters)),
        "conv_bias": np.zeros(filters),
        "dense_W": rng.normal(0.0, 1.0 / np.sqrt(n_flat), (1, n_flat)),
        "dense_b": np.zeros(1),
    }


@dataclass(frozen=True)
class ForwardPass:
    """Every intermediate value of one forward pass (kept for the backward pass)."""

    image: np.ndarray  #: x, (H, W)
    conv: np.ndarray   #: z1 = conv(x) + bias, (H−2, W−2, C)
    relu: np.ndarray   #: a1 = ReLU(z1)
    pooled: np.ndarray  #: m = max pool 2×2 of a1, (P, P, C)
    flat: np.ndarray   #: f = flatten(m), (P·P·C,)
    logit: float       #: z = W·f + b
    probability: float  #: p = σ(z), the predicted probability of class 1
    label: float       #: y
    loss: float        #: −[y ln p + (1 − y) ln(1 − p)]


def forward(params: Mapping[str, np.ndarray], image, label) -> ForwardPass:
    """The forward pass of the tiny network on one image; returns every intermediate value."""
    x = np.asarray(image, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"image must be (H, W), got shape {x.shape}: drop the channel axis")
    conv = conv_layer_forward(x[..., np.newaxis], params["conv_kernel"], params["conv_bias"])
    relu = np.maximum(conv, 0.0)
    pooled = max_pool2d(relu, POOL_SIZE)
    flat = flatten(pooled)
    logit = float(dense_forward(params["dense_W"], flat, params["dense_b"])[0])
    p = float(sigmoid(logit))
    y = float(label)
    return ForwardPass(x, conv, relu, pooled, flat, logit, p, y, binary_cross_entropy(y, p))


# --------------------------------------------------------------------------- backward, layer by layer


def sigmoid_bce_backward(probability: float, label: float) -> float:
    """dL/dz for L = BCE(y, σ(z)): the sigmoid's σ(1 − σ) cancels the loss's 1/(p(1 − p)),
    leaving p − y."""
    return float(probability) - float(label)


def dense_backward(weights, x, upstream) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a dense layer out = W·x + b, given upstream = dL/dout (n_out,).

    Returns (dL/dW (n_out, n_in) = outer(upstream, x), dL/db = upstream, dL/dx = Wᵀ·upstream).
    """
    upstream = np.atleast_1d(np.asarray(upstream, dtype=np.float64))
    x = np.asarray(x, dtype=np.float64)
    return np.outer(upstream, x), upstream.copy(), np.asarray(weights).T @ upstream


def max_pool_backward(inputs, upstream, pool_size: int = POOL_SIZE) -> np.ndarray:
    """Gradient of 'valid' max pooling (stride = pool size) w.r.t. its input.

    inputs: (H, W, C) what was pooled; upstream: (H', W', C) dL/d(pooled). Each window passes its
    upstream value to the position of its maximum (the first one, on ties) and 0 to the others;
    rows/columns that no window covered get 0. Returns (H, W, C).
    """
    a, g = np.asarray(inputs, dtype=np.float64), np.asarray(upstream, dtype=np.float64)
    k = validate.whole_number(pool_size, "pool_size")
    rows, cols, channels = g.shape
    windows = a[: rows * k, : cols * k].reshape(rows, k, cols, k, channels).transpose(0, 2, 4, 1, 3)
    winner = windows.reshape(rows, cols, channels, k * k).argmax(axis=-1)  # (rows, cols, C)
    routed = np.zeros((rows, cols, channels, k * k))
    np.put_along_axis(routed, winner[..., np.newaxis], g[..., np.newaxis], axis=-1)
    grad = np.zeros_like(a)
    grad[: rows * k, : cols * k] = (routed.reshape(rows, cols, channels, k, k)
                                    .transpose(0, 3, 1, 4, 2).reshape(rows * k, cols * k, channels))
    return grad


def relu_backward(pre_activation, upstream) -> np.ndarray:
    """Gradient through ReLU: upstream where the input was positive, 0 elsewhere (the mask)."""
    return np.asarray(upstream, dtype=np.float64) * (np.asarray(pre_activation) > 0)


def conv_backward(image, upstream) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of a 'valid' 3×3 convolution layer on a one-channel image.

    image: (H, W); upstream: (H−2, W−2, C) = dL/d(conv output). dL/dK[u, v, 0, c] =
    Σ_ij x[i+u, j+v]·upstream[i, j, c], i.e. the cross-correlation of the image with the upstream
    gradient map; dL/d(bias c) = Σ_ij upstream[i, j, c]. Returns ((3, 3, 1, C), (C,)).
    """
    x, g = np.asarray(image, dtype=np.float64), np.asarray(upstream, dtype=np.float64)
    kernel = np.stack([correlate2d_fast(x, g[..., c]) for c in range(g.shape[-1])], axis=-1)
    return kernel[:, :, np.newaxis, :], g.sum(axis=(0, 1))


@dataclass(frozen=True)
class BackwardPass:
    """Every gradient of one backward pass, from the loss back to the first layer."""

    logit: float            #: dL/dz
    dense_W: np.ndarray     #: (1, n)
    dense_b: np.ndarray     #: (1,)
    flat: np.ndarray        #: dL/df (n,)
    pooled: np.ndarray      #: dL/dm (P, P, C)
    relu: np.ndarray        #: dL/da1 (H−2, W−2, C): non-zero only at each window's maximum
    conv: np.ndarray        #: dL/dz1: the same, masked where z1 ≤ 0
    conv_kernel: np.ndarray  #: (3, 3, 1, C)
    conv_bias: np.ndarray   #: (C,)

    def parameter_gradients(self) -> dict[str, np.ndarray]:
        """The gradients of the parameters, keyed like the parameters."""
        return {name: getattr(self, name) for name in PARAMETER_NAMES}


def backward(params: Mapping[str, np.ndarray], cache: ForwardPass) -> BackwardPass:
    """The chain rule, from the loss back to the kernel, one layer at a time."""
    d_logit = sigmoid_bce_backward(cache.probability, cache.label)
    d_w, d_b, d_flat = dense_backward(params["dense_W"], cache.flat, d_logit)
    d_pooled = d_flat.reshape(cache.pooled.shape)
    d_relu = max_pool_backward(cache.relu, d_pooled)
    d_conv = relu_backward(cache.conv, d_relu)
    d_kernel, d_bias = conv_backward(cache.image, d_conv)
    return BackwardPass(d_logit, d_w, d_b, d_flat, d_pooled, d_relu, d_conv, d_kernel, d_bias)


def _batch_as_channels(maps: np.ndarray) -> np.ndarray:
    """(N, H, W, C) → (H, W, N·C): the pooling helpers handle every channel on its own."""
    n, h, w, c = maps.shape
    return maps.transpose(1, 2, 0, 3).reshape(h, w, n * c)


def _channels_as_batch(maps: np.ndarray, n: int) -> np.ndarray:
    h, w, nc = maps.shape
    return maps.reshape(h, w, n, nc // n).transpose(2, 0, 1, 3)


def _window_rows(images) -> np.ndarray:
    """Every 3×3 window of every image as a row of 9 pixels, (N, H−2, W−2, 9): with it, the
    convolution and its kernel gradient are two matrix products (an einsum over the strided
    window view is many times slower). :func:`gradient_descent` makes it once for all steps."""
    x = np.asarray(images, dtype=np.float64)
    windows = sliding_window_view(x, (KERNEL_SIZE, KERNEL_SIZE), axis=(1, 2))  # (N, H', W', 3, 3)
    return windows.reshape(*windows.shape[:3], KERNEL_SIZE * KERNEL_SIZE)


def loss_and_gradients(params: Mapping[str, np.ndarray], images, labels, *,
                       window_rows: np.ndarray | None = None) -> tuple[float, dict]:
    """Mean loss and mean parameter gradients over a batch: images (N, H, W), labels (N,).

    The same chain rule as :func:`forward` and :func:`backward`, vectorised over the batch (the
    tests check that it equals the mean of the one-image passes); used by
    :func:`gradient_descent`, which passes the images' ``window_rows`` made once.
    """
    x = np.asarray(images, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64).reshape(-1)
    if x.ndim != 3 or len(x) != len(y) or len(x) == 0:
        raise ValueError(f"images must be (N, H, W) with one label each, got {x.shape} and {y.shape}")
    n, kernel = len(x), params["conv_kernel"][:, :, 0, :]  # (3, 3, C)
    rows = _window_rows(x) if window_rows is None else window_rows  # (N, H−2, W−2, 9)
    patches = rows.reshape(-1, rows.shape[-1])
    conv = (patches @ kernel.reshape(-1, kernel.shape[-1])).reshape(*rows.shape[:3], -1)
    conv += params["conv_bias"]
    relu = np.maximum(conv, 0.0)
    pooled = _channels_as_batch(max_pool2d(_batch_as_channels(relu), POOL_SIZE), n)
    flat = pooled.reshape(n, -1)
    p = sigmoid(dense_forward(params["dense_W"], flat, params["dense_b"])[:, 0])
    loss = binary_cross_entropy(y, p)
    d_logit = (p - y) / n                                      # (N,), the mean's 1/N included
    d_flat = np.outer(d_logit, params["dense_W"][0])           # (N, n_flat)
    d_relu = _channels_as_batch(max_pool_backward(_batch_as_channels(relu),
                                                  _batch_as_channels(d_flat.reshape(pooled.shape))), n)
    d_conv = relu_backward(conv, d_relu)
    grads = {
        "conv_kernel": (patches.T @ d_conv.reshape(len(patches), -1)).reshape(
            kernel.shape)[:, :, np.newaxis],
        "conv_bias": d_conv.sum(axis=(0, 1, 2)),
        "dense_W": (d_logit @ flat)[np.newaxis],
        "dense_b": np.array([d_logit.sum()]),
    }
    return loss, grads


def gradient_descent(params: Mapping[str, np.ndarray], images, labels, *, learning_rate: float,
                     steps: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Plain full-batch gradient descent: w ← w − learning_rate · dL/dw, ``steps`` times.

    Returns (the final parameters, the loss before each step, shape (steps,)). ``params`` is
    not changed.
    """
    rate = validate.positive_number(learning_rate, "learning_rate")
    steps = validate.whole_number(steps, "steps")
    params = {name: np.array(params[name], dtype=np.float64) for name in PARAMETER_NAMES}
    losses = np.empty(steps)
    rows = _window_rows(images)
    for step in range(steps):
        losses[step], grads = loss_and_gradients(params, images, labels, window_rows=rows)
        for name in PARAMETER_NAMES:
            params[name] -= rate * grads[name]
    return params, losses


# --------------------------------------------------------------------------- the same network in Keras


def build_keras_tiny_network(params: Mapping[str, np.ndarray], image_side: int = 28):
    """The tiny network as a float64 Keras model holding ``params`` (dense kernel = Wᵀ)."""
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    filters = params["conv_kernel"].shape[-1]
    model = keras.Sequential([
        keras.Input(shape=(image_side, image_side, 1), dtype="float64"),
        keras.layers.Conv2D(filters, KERNEL_SIZE, dtype="float64", name="conv"),
        keras.layers.ReLU(dtype="float64", name="relu"),
        keras.layers.MaxPooling2D(POOL_SIZE, dtype="float64", name="pool"),
        keras.layers.Flatten(dtype="float64", name="flatten"),
        keras.layers.Dense(1, activation="sigmoid", dtype="float64", name="dense"),
    ], name="tiny_cnn")
    model.set_weights([params["conv_kernel"], params["conv_bias"], params["dense_W"].T,
                       params["dense_b"]])
    return model


def keras_gradients(model, images, labels) -> tuple[float, dict[str, np.ndarray]]:
    """Mean binary cross-entropy of a Keras model and its gradients from ``tf.GradientTape``,
    keyed like :data:`PARAMETER_NAMES` (the dense kernel transposed back to W)."""
    import keras
    import tensorflow as tf

    x = np.asarray(images, dtype=np.float64)[..., np.newaxis]
    y = np.asarray(labels, dtype=np.float64).reshape(-1, 1)
    with tf.GradientTape() as tape:
        loss = keras.losses.BinaryCrossentropy(dtype="float64")(y, model(x))
    grads = [g.numpy() for g in tape.gradient(loss, model.trainable_weights)]
    grads[2] = grads[2].T
    return float(loss), dict(zip(PARAMETER_NAMES, grads, strict=True))
