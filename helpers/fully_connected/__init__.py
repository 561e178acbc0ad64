"""Fully connected layers, losses and backpropagation by hand, lesson 04
(``notebooks/04_fully_connected.ipynb``).

    from helpers import fully_connected
    fully_connected.dense_forward(W, x, b)

Modules:

- ``fully_connected.ops``      – flatten, the dense layer W·x + b (sigmoid and softmax come from
  ``activations.ops``), binary and
  categorical cross-entropy (each checked against Keras), parameter counts, the shift experiment.
- ``fully_connected.backprop`` – the tiny CNN (conv → ReLU → max pool → dense → sigmoid): its
  forward pass, its backward pass layer by layer, gradient descent, the same network in Keras.
- ``fully_connected.figures``  – the forward and backward pass as pictures; loss curves.
- ``fully_connected.widget``   – gradient descent on a two-weight model, one step at a time:
  :data:`DEMO_CONTROLS`, the pure :func:`compute_descent_demo` and the drawing.

Every public name of these modules is available here, e.g. ``fully_connected.forward``.
"""

from helpers.activations.ops import sigmoid, softmax  # the one home: lesson 06
from helpers.fully_connected.backprop import (
    PARAMETER_NAMES,
    BackwardPass,
    ForwardPass,
    backward,
    build_keras_tiny_network,
    conv_backward,
    dense_backward,
    feature_side,
    forward,
    gradient_descent,
    init_tiny_network,
    keras_gradients,
    loss_and_gradients,
    max_pool_backward,
    relu_backward,
    sigmoid_bce_backward,
)
from helpers.fully_connected.figures import plot_loss_curves, plot_passes
from helpers.fully_connected.ops import (
    EPSILON,
    SHIFT_LAYERS,
    binary_cross_entropy,
    categorical_cross_entropy,
    count_dense_parameters,
    dense_forward,
    dense_with_keras,
    flatten,
    loss_with_keras,
    measure_dense_shift,
)
from helpers.fully_connected.widget import (
    DEMO_CONTROLS,
    START,
    DescentDemo,
    compute_descent_demo,
    compute_edge_sharpness,
    descend_two_weights,
    draw_descent_demo,
    make_descent_widget,
    plot_descent_demo,
    standardise,
    two_weight_loss,
)

__all__ = [
    "DEMO_CONTROLS", "EPSILON", "PARAMETER_NAMES", "SHIFT_LAYERS", "START", "BackwardPass",
    "DescentDemo", "ForwardPass", "backward", "binary_cross_entropy", "build_keras_tiny_network",
    "categorical_cross_entropy", "compute_descent_demo", "compute_edge_sharpness", "conv_backward",
    "count_dense_parameters", "dense_backward", "dense_forward", "dense_with_keras",
    "descend_two_weights", "draw_descent_demo", "feature_side", "flatten", "forward",
    "gradient_descent", "init_tiny_network", "keras_gradients", "loss_and_gradients",
    "loss_with_keras", "make_descent_widget", "max_pool_backward", "measure_dense_shift",
    "plot_descent_demo", "plot_loss_curves", "plot_passes", "relu_backward", "sigmoid",
    "sigmoid_bce_backward", "softmax", "standardise", "two_weight_loss",
]
