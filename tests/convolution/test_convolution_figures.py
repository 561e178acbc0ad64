"""helpers.convolution.figures (notebook 02): every figure returns what it drew on."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import convolution


def test_figures_return_what_they_drew_on():
    image = convolution.load_widget_image("ct_vertebra")
    assert isinstance(convolution.plot_kernels(), Figure)
    assert isinstance(convolution.plot_kernel_responses(image), Figure)
    maps = convolution.conv_layer_forward(image[..., None], np.random.default_rng(0).normal(size=(3, 3, 1, 4)))
    assert isinstance(convolution.plot_signed_maps(maps), Figure)
    fig, ax = plt.subplots()
    assert convolution.plot_padded_input(image[:16, :16], 3, 2, 1, ax=ax) is ax
    assert convolution.plot_kernel(np.eye(3), ax=ax) is ax


def test_signed_maps_are_centred_on_zero_with_their_own_scale():
    maps = np.stack([np.linspace(-1, 3, 64).reshape(8, 8), np.zeros((8, 8))], axis=-1)
    fig = convolution.plot_signed_maps(maps, ["ramp", "flat"])
    ramp, flat = (ax.images[0] for ax in fig.axes if ax.images)
    low, high = ramp.get_clim()
    assert low == -high and high == pytest.approx(np.percentile(np.abs(maps[..., 0]), 99.5))
    assert flat.get_clim() == (-1.0, 1.0)  # an all-zero map still gets a usable scale
    with pytest.raises(ValueError, match="2 titles for 3"):
        convolution.plot_signed_maps(np.zeros((4, 4, 3)), ["a", "b"])


def test_responses_are_grey_for_blurs_and_signed_for_edges():
    _, ax = plt.subplots()
    response = np.linspace(-2, 2, 16).reshape(4, 4)
    grey = convolution.show_response(response, convolution.make_kernel("box blur", 3), ax)
    signed = convolution.show_response(response, convolution.make_kernel("laplacian"), ax, limit=0.5)
    assert grey.get_cmap().name == "gray" and grey.get_clim() == pytest.approx((0.0, 1.0))
    assert signed.get_cmap().name == "RdBu_r" and signed.get_clim() == (-0.5, 0.5)
