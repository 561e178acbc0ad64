"""Activation functions, lesson 06 (``notebooks/06_activations.ipynb``).

    from helpers import activations
    activations.sigmoid(x), activations.softmax(scores)

Modules:

- ``activations.ops``         – sigmoid, tanh, ReLU, leaky ReLU and softmax with their derivatives,
  from the formulas; the entry's misprinted versions; the Keras and autodiff versions they are
  checked against; a stack of linear layers collapsed into one.
- ``activations.experiments`` – the measurements: gradient norms per layer of a deep network
  (``tf.GradientTape``), dead ReLU units after a bias shift or a too-large learning rate.
- ``activations.figures``     – activation curves and derivatives, gradient norms per layer, class
  probabilities.
- ``activations.widget``      – the interactive demo: :data:`DEMO_CONTROLS`, the pure
  :func:`compute_activation_demo` and the drawing.

Every public name of these modules is available here, e.g. ``activations.softmax``.
"""

from helpers.activations.experiments import (
    DyingReluRun,
    build_deep_net,
    compare_gradient_norms,
    dead_fraction,
    make_regression_data,
    measure_dying_relu,
    measure_gradient_norms,
)
from helpers.activations.figures import (
    COLOURS,
    LABELS,
    plot_activations,
    plot_class_probabilities,
    plot_gradient_norms,
)
from helpers.activations.ops import (
    ACTIVATIONS,
    LEAKY_SLOPE,
    apply_activation,
    apply_derivative,
    autodiff_derivative,
    autodiff_softmax_jacobian,
    collapse_linear_stack,
    forward_stack,
    keras_activation,
    keras_activation_tensor,
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_as_printed,
    sigmoid_derivative,
    softmax,
    softmax_as_printed,
    softmax_jacobian,
    softmax_naive,
    tanh,
    tanh_as_printed,
    tanh_derivative,
)
from helpers.activations.widget import (
    DEMO_CONTROLS,
    FLAT,
    ActivationDemo,
    compute_activation_demo,
    draw_activation_demo,
    make_activation_widget,
    plot_activation_demo,
)

__all__ = [
    "ACTIVATIONS", "COLOURS", "DEMO_CONTROLS", "FLAT", "LABELS", "LEAKY_SLOPE", "ActivationDemo",
    "DyingReluRun", "apply_activation", "apply_derivative", "autodiff_derivative",
    "autodiff_softmax_jacobian", "build_deep_net", "collapse_linear_stack",
    "compare_gradient_norms", "compute_activation_demo", "dead_fraction", "draw_activation_demo",
    "forward_stack", "keras_activation", "keras_activation_tensor", "leaky_relu",
    "leaky_relu_derivative", "make_activation_widget", "make_regression_data",
    "measure_dying_relu", "measure_gradient_norms", "plot_activation_demo", "plot_activations",
    "plot_class_probabilities", "plot_gradient_norms", "relu", "relu_derivative", "sigmoid",
    "sigmoid_as_printed", "sigmoid_derivative", "softmax", "softmax_as_printed",
    "softmax_jacobian", "softmax_naive", "tanh", "tanh_as_printed", "tanh_derivative",
]
