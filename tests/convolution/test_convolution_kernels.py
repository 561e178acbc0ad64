"""helpers.convolution.kernels (notebook 02): the classic kernels' shapes, sums and symmetries."""

import numpy as np
import pytest

from helpers import convolution


@pytest.mark.parametrize("name", convolution.KERNEL_NAMES)
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 9, 21])
def test_kernels_have_the_documented_shape_and_sum(name, size):
    kernel = convolution.make_kernel(name, size)
    side = size if name in convolution.SIZE_VARIABLE else 3
    assert kernel.shape == (side, side) and kernel.dtype == np.float64
    expected_sum = 0.0 if name in ("sobel x", "sobel y", "laplacian") else 1.0
    assert kernel.sum() == pytest.approx(expected_sum, abs=1e-12)
    np.testing.assert_allclose(kernel, kernel[::-1, ::-1] if name not in ("sobel x", "sobel y")
                               else -kernel[::-1, ::-1])


def test_sobel_x_is_positive_where_brightness_increases_to_the_right():
    ramp = np.tile(np.arange(10.0), (6, 1))
    assert np.all(convolution.correlate2d_fast(ramp, convolution.make_kernel("sobel x")) > 0)
    assert np.all(convolution.convolve2d_fast(ramp, convolution.make_kernel("sobel x")) < 0)
    np.testing.assert_array_equal(convolution.make_kernel("sobel y"), convolution.make_kernel("sobel x").T)


def test_gaussian_sigma_sets_the_width():
    narrow, wide = convolution.make_kernel("gaussian", 9, sigma=0.8), convolution.make_kernel("gaussian", 9, 3.0)
    assert narrow[4, 4] > wide[4, 4]
    with pytest.raises(ValueError, match="sigma must be a positive number"):
        convolution.make_kernel("gaussian", 5, sigma=0)


def test_unknown_kernel_and_bad_size_raise():
    with pytest.raises(ValueError, match="choose from"):
        convolution.make_kernel("emboss")
    with pytest.raises(ValueError, match="positive"):
        convolution.make_kernel("gaussian", 0)
