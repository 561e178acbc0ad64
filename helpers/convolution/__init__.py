"""Convolution from scratch, lesson 02 (``notebooks/02_convolution.ipynb``).

    from helpers import convolution
    convolution.correlate2d_fast(image, kernel, stride=2, padding="same")

Modules:

- ``convolution.ops``     – Equation (1) with loops, vectorised and with Keras; padding rules and the
  output-size rule (also used by pooling, lesson 03); a Conv2D layer from scratch, its parameter
  count, and the speed comparison.
- ``convolution.kernels`` – the classic kernels (blur, sharpen, Sobel, Laplacian): the one home of
  the Sobel kernel.
- ``convolution.figures`` – kernels, kernel responses, signed maps, the padded input.
- ``convolution.widget``  – the interactive demo: :data:`DEMO_CONTROLS`, the pure
  :func:`compute_convolution_demo` and the drawing.

Every public name of these modules is available here, e.g. ``convolution.make_kernel``.
"""

from helpers.convolution.figures import (
    plot_kernel,
    plot_kernel_responses,
    plot_kernels,
    plot_padded_input,
    plot_signed_maps,
    show_response,
    signed_limit,
)
from helpers.convolution.kernels import KERNEL_NAMES, SIZE_VARIABLE, make_kernel
from helpers.convolution.ops import (
    PADDING_NAMES,
    Padding,
    Pads,
    compare_speed,
    conv_layer_forward,
    conv_output_size,
    convolve2d_fast,
    convolve2d_loops,
    correlate2d_fast,
    correlate2d_keras,
    correlate2d_loops,
    count_conv_parameters,
    flip_kernel,
    max_difference,
    pad_image,
    resolve_padding,
    same_padding,
)
from helpers.convolution.widget import (
    CUSTOM,
    CUSTOM_NAMES,
    DEMO_CONTROLS,
    WIDGET_IMAGES,
    ConvolutionDemo,
    compute_convolution_demo,
    custom_kernel,
    draw_convolution_demo,
    load_widget_image,
    make_convolution_widget,
    plot_convolution_demo,
    update_convolution_widget,
)

__all__ = [
    "CUSTOM", "CUSTOM_NAMES", "DEMO_CONTROLS", "KERNEL_NAMES", "PADDING_NAMES", "SIZE_VARIABLE",
    "WIDGET_IMAGES", "ConvolutionDemo", "Padding", "Pads", "compare_speed",
    "compute_convolution_demo", "conv_layer_forward", "conv_output_size", "convolve2d_fast",
    "convolve2d_loops", "correlate2d_fast", "correlate2d_keras", "correlate2d_loops",
    "count_conv_parameters", "custom_kernel", "draw_convolution_demo", "flip_kernel",
    "load_widget_image", "make_convolution_widget", "make_kernel", "max_difference", "pad_image",
    "plot_convolution_demo", "plot_kernel", "plot_kernel_responses", "plot_kernels",
    "plot_padded_input", "plot_signed_maps", "resolve_padding", "same_padding", "show_response",
    "signed_limit", "update_convolution_widget",
]
