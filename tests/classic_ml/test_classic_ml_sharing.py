"""helpers.classic_ml.sharing: weights per neuron and parameter sharing, by formula and by Keras."""

import pytest

from helpers import convolution
from helpers.classic_ml import sharing


def test_one_neuron_on_the_entrys_image_has_187500_weights():
    assert sharing.count_neuron_weights((250, 250, 3)) == 250 * 250 * 3 == 187_500
    assert sharing.count_neuron_weights((250, 250, 3), bias=True) == 187_501


@pytest.mark.parametrize("shape", [(28, 28, 1), (250, 250, 3), (7, 5, 2)])
def test_formulas_agree_with_keras(shape):
    neuron = sharing.count_neuron_weights(shape, bias=True)
    assert sharing.count_with_keras(shape, "dense", 1) == neuron
    assert sharing.count_with_keras(shape, "dense", 4) == 4 * neuron
    assert sharing.count_with_keras(shape, "conv", 8, kernel_size=3) == \
        convolution.count_conv_parameters(3, shape[2], 8)


def test_unshared_layer_multiplies_the_shared_count_by_the_positions():
    shared = convolution.count_conv_parameters(3, 3, 32)
    assert sharing.count_output_positions((250, 250, 3), 3) == 248 * 248
    assert sharing.count_output_positions((250, 250, 3), 3, padding="same") == 250 * 250
    assert sharing.count_output_positions((250, 250, 3), 3, stride=2) == 124 * 124
    assert sharing.count_unshared_parameters((250, 250, 3), 3, 32) == 248 * 248 * shared
    assert sharing.count_unshared_parameters((250, 250, 3), 3, 32, padding="same") == \
        250 * 250 * shared


def test_sharing_saves_parameters_not_multiply_adds():
    """The work is positions × k·k·C × filters whether or not the kernels are shared."""
    shape, k, filters = (28, 28, 1), 3, 8
    positions = sharing.count_output_positions(shape, k, padding="same")
    assert sharing.count_multiply_adds(shape, k, filters, padding="same") == positions * 9 * filters


@pytest.mark.parametrize(("call", "message"), [
    (lambda: sharing.count_neuron_weights((250, 250)), "height, width, channels"),
    (lambda: sharing.count_neuron_weights((250, 0, 3)), "positive integer"),
    (lambda: sharing.count_output_positions((5, 5, 1), 7), "does not fit"),
    (lambda: sharing.count_output_positions((5, 5, 1), 3, padding="full"), "padding"),
    (lambda: sharing.count_with_keras((5, 5, 1), "pool", 2), "kind"),
])
def test_bad_arguments_say_what_to_change(call, message):
    with pytest.raises(ValueError, match=message):
        call()
