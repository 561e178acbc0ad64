"""The measurements of lesson 06: gradients that vanish through a deep sigmoid network, ReLU
units that die, and softmax overflowing. Small, seeded, and fast on a laptop CPU.

- :func:`measure_gradient_norms` – the norm of the loss gradient for every layer's weights of a
  deep dense network, by ``tf.GradientTape``.
- :func:`dead_fraction` and :func:`measure_dying_relu` – the share of ReLU units that output 0
  for every input, after a negative bias shift or gradient steps with a too-large learning rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import validate
from helpers.activations.ops import ACTIVATIONS


def make_regression_data(n: int = 512, n_features: int = 16, *, seed: int = 0
                         ) -> tuple[np.ndarray, np.ndarray]:
    """A small non-linear regression task: inputs x (n, n_features) float32, standard normal;
    targets y (n, 1) float32 = sin(2 x·u) + 0.5 (x·v)², with random directions u, v of length
    about 1 fixed by ``seed``."""
    n = validate.whole_number(n, "n")
    n_features = validate.whole_number(n_features, "n_features")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, n_features))
    u, v = rng.standard_normal((2, n_features)) / np.sqrt(n_features)
    y = np.sin(2.0 * x @ u) + 0.5 * (x @ v) ** 2
    return x.astype(np.float32), y[:, np.newaxis].astype(np.float32)


def build_deep_net(activation: str, depth: int = 10, width: int = 32, n_features: int = 16, *,
                   seed: int = 0):
    """A dense network of ``depth`` hidden layers of ``width`` units, all with ``activation``
    (one of :data:`ACTIVATIONS`), and one linear output. Glorot-uniform weights from ``seed``,
    zero biases: Keras's defaults, made reproducible."""
    import keras

    validate.one_of(activation, ACTIVATIONS, "activation")
    depth = validate.whole_number(depth, "depth")
    width = validate.whole_number(width, "width")
    layers = [keras.Input((n_features,))]
    for i in range(depth):
        layers.append(keras.layers.Dense(
            width, activation=activation, name=f"hidden{i + 1}",
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed + i)))
    layers.append(keras.layers.Dense(1, name="output",
                                     kernel_initializer=keras.initializers.GlorotUniform(seed=seed + depth)))
    return keras.Sequential(layers, name=f"deep_{activation}")


def measure_gradient_norms(model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Euclidean norm of ∂(mean squared error)/∂(kernel) for every Dense layer of ``model``,
    from the first layer to the output: (n_layers,) float64, by ``tf.GradientTape``."""
    import tensorflow as tf

    kernels = [layer.kernel for layer in model.layers if hasattr(layer, "kernel")]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((model(x, training=True) - y) ** 2)
    gradients = tape.gradient(loss, kernels)
    return np.array([float(tf.norm(g)) for g in gradients])


def compare_gradient_norms(activations=("sigmoid", "relu"), depth: int = 10, width: int = 32, *,
                           n: int = 256, seed: int = 0) -> dict[str, np.ndarray]:
    """:func:`measure_gradient_norms` for the same deep network with each activation, on the
    same data (:func:`make_regression_data`): {activation: norms, first layer first}."""
    x, y = make_regression_data(n, seed=seed)
    return {name: measure_gradient_norms(build_deep_net(name, depth, width, x.shape[1], seed=seed),
                                         x, y)
            for name in activations}


# --------------------------------------------------------------------------- dying ReLU


def dead_fraction(pre_activations: np.ndarray) -> float:
    """Share of units whose input z is ≤ 0 for *every* example, so ReLU outputs 0 and passes
    no gradient for all of them: pre_activations (N examples, units) → a number in [0, 1]."""
    z = np.asarray(pre_activations)
    if z.ndim != 2 or z.size == 0:
        raise ValueError(f"pre_activations must be (examples, units), got shape {z.shape}")
    return float(np.mean(np.all(z <= 0, axis=0)))


@dataclass(frozen=True)
class DyingReluRun:
    """The dead share of the hidden units before and after ``steps`` gradient steps."""

    learning_rate: float
    bias_shift: float
    dead_before: float
    dead_after: float
    loss_before: float
    loss_after: float


def measure_dying_relu(learning_rate: float = 0.01, bias_shift: float = 0.0, *, steps: int = 50,
                       width: int = 64, n: int = 512, seed: int = 0) -> DyingReluRun:
    """Train one hidden ReLU layer (``width`` units) and a linear output by plain full-batch
    gradient descent on :func:`make_regression_data`, after adding ``bias_shift`` to every
    hidden bias, and report the dead share (:func:`dead_fraction` over all n inputs) before
    and after ``steps`` steps. The gradients come from ``tf.GradientTape``."""
    import tensorflow as tf

    learning_rate = validate.positive_number(learning_rate, "learning_rate")
    bias_shift = validate.real_number(bias_shift, "bias_shift")
    steps = validate.whole_number(steps, "steps", minimum=0)
    x_np, y_np = make_regression_data(n, seed=seed)
    rng = np.random.default_rng(seed + 1)
    d = x_np.shape[1]
    limit1, limit2 = np.sqrt(6 / (d + width)), np.sqrt(6 / (width + 1))
    w1 = tf.Variable(rng.uniform(-limit1, limit1, (d, width)), dtype=tf.float64)
    b1 = tf.Variable(np.full(width, bias_shift), dtype=tf.float64)
    w2 = tf.Variable(rng.uniform(-limit2, limit2, (width, 1)), dtype=tf.float64)
    b2 = tf.Variable(np.zeros(1), dtype=tf.float64)
    x, y = tf.constant(x_np, tf.float64), tf.constant(y_np, tf.float64)
    variables = [w1, b1, w2, b2]

    def loss_and_z():
        z = x @ w1 + b1
        return tf.reduce_mean((tf.nn.relu(z) @ w2 + b2 - y) ** 2), z

    loss_before, z = loss_and_z()
    dead_before = dead_fraction(z.numpy())
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss, _ = loss_and_z()
        for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
            variable.assign_sub(learning_rate * gradient)
    loss_after, z = loss_and_z()
    return DyingReluRun(learning_rate, bias_shift, dead_before, dead_fraction(z.numpy()),
                        float(loss_before), float(loss_after))
