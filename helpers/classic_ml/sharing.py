"""Why MLPs struggle with images, in numbers: weights per neuron and parameter sharing (lesson 07).

- :func:`count_neuron_weights`: one fully connected neuron has a weight for every value of its
  input, H·W·C of them (the entry's §3.1: 250×250×3 = 187,500).
- :func:`count_unshared_parameters`: what a convolutional layer would need if every output
  position had its own kernels and biases (a "locally connected" layer) — the parameter count that
  sharing saves; :func:`count_multiply_adds`: the work, which sharing does *not* change.
- :func:`count_with_keras`: the same counts read from Keras layers (``count_params``), to check
  the formulas.

The counts of a whole dense or convolutional layer come from their lessons:
:func:`helpers.fully_connected.count_dense_parameters` (04) and
:func:`helpers.convolution.count_conv_parameters` (02).
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers import convolution, validate

#: The layers :func:`count_with_keras` can build.
LAYER_KINDS = ("dense", "conv")


def _check_shape(input_shape: Sequence[int]) -> tuple[int, int, int]:
    shape = tuple(input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels), e.g. (250, 250, 3); got "
                         f"{input_shape}")
    return tuple(validate.whole_number(v, "each side of input_shape") for v in shape)


def count_neuron_weights(input_shape: Sequence[int], *, bias: bool = False) -> int:
    """Weights of one fully connected neuron reading a whole (H, W, C) image: H·W·C
    (+ 1 with its ``bias``). Every pixel of every channel has its own weight."""
    h, w, c = _check_shape(input_shape)
    return h * w * c + (1 if bias else 0)


def count_output_positions(input_shape: Sequence[int], kernel_size: int, *,
                           padding: str = "valid", stride: int = 1) -> int:
    """Positions of the kernel on an (H, W, C) input: H'·W' by lesson 02's output-size rule
    (:func:`helpers.convolution.conv_output_size`; "same" keeps ⌈H/s⌉ × ⌈W/s⌉)."""
    h, w, _ = _check_shape(input_shape)
    validate.one_of(padding, ("valid", "same"), "padding")
    return (convolution.conv_output_size(h, kernel_size, padding, stride)
            * convolution.conv_output_size(w, kernel_size, padding, stride))


def count_unshared_parameters(input_shape: Sequence[int], kernel_size: int, filters: int, *,
                              padding: str = "valid", stride: int = 1) -> int:
    """Parameters of a convolutional layer *without* parameter sharing: every output position
    has its own k·k·C weights and bias per filter, so the shared count is multiplied by the
    number of positions (:func:`count_output_positions`)."""
    _, _, c = _check_shape(input_shape)
    shared = convolution.count_conv_parameters(kernel_size, c, filters)
    return count_output_positions(input_shape, kernel_size, padding=padding,
                                  stride=stride) * shared


def count_multiply_adds(input_shape: Sequence[int], kernel_size: int, filters: int, *,
                        padding: str = "valid", stride: int = 1) -> int:
    """Multiplications (each followed by an addition) of one forward pass of the layer:
    positions · k·k·C · filters. Shared or not, every position does the same amount of work."""
    _, _, c = _check_shape(input_shape)
    k = validate.whole_number(kernel_size, "kernel_size")
    filters = validate.whole_number(filters, "filters")
    positions = count_output_positions(input_shape, k, padding=padding, stride=stride)
    return positions * k * k * c * filters


def count_with_keras(input_shape: Sequence[int], kind: str, size: int, *,
                     kernel_size: int = 3, padding: str = "valid") -> int:
    """``count_params()`` of one Keras layer applied to an (H, W, C) input.

    kind "dense": ``Flatten`` then ``Dense(size)`` (size neurons, each reading the whole image);
    kind "conv": ``Conv2D(size, kernel_size, padding=padding)`` (size filters).
    """
    from helpers.course import import_tensorflow_quietly

    import_tensorflow_quietly()
    import keras

    shape = _check_shape(input_shape)
    validate.one_of(kind, LAYER_KINDS, "kind")
    size = validate.whole_number(size, "size", hint="(neurons or filters)")
    if kind == "dense":
        layers = [keras.layers.Flatten(), keras.layers.Dense(size)]
    else:
        layers = [keras.layers.Conv2D(size, kernel_size, padding=padding)]
    model = keras.Sequential([keras.Input(shape), *layers])
    return int(model.count_params())
