"""helpers.pooling.shift (notebook 03): the shift experiment and striped images that alias."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from helpers import convolution, pooling
from helpers.data import medimg


def test_edge_features_are_the_relu_of_sobel_responses():
    ct = medimg.load_sample_image("ct_vertebra", 128)
    features = pooling.compute_edge_features(ct)
    assert features.shape == (128, 128, 4) and features.dtype == np.float32 and features.min() >= 0
    gx = scipy.signal.correlate2d(ct, convolution.make_kernel("sobel x") / 4, mode="same", boundary="symm")
    np.testing.assert_allclose(features[..., 0], np.maximum(gx, 0), atol=1e-6)
    np.testing.assert_allclose(features[..., 1], np.maximum(-gx, 0), atol=1e-6)
    step = np.repeat([[0.0] * 4 + [1.0] * 4], 8, axis=0)
    assert pooling.compute_edge_features(step)[..., 0].max() == 1.0  # a 0→1 step gives 1
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        pooling.compute_edge_features(np.zeros((4, 4, 3)))


def test_shift_experiment_orders_the_poolings():
    features = pooling.compute_edge_features(medimg.load_sample_image("ct_vertebra", 128))
    changes = pooling.measure_shift_sensitivity(features, [0, 1, 2])
    assert all(values[0] == 0 for values in changes.values())
    assert changes["no pooling"][1] > changes["max 2×2"][1] > changes["max 4×4"][1]
    assert changes["global average"][1] < 0.05


def test_crop_shifted_moves_the_content_left():
    x = np.arange(20 * 20).reshape(20, 20)
    assert pooling.crop_shifted(x, 3, margin=4)[0, 0] == pooling.crop_shifted(x, 0, margin=4)[0, 3]
    assert pooling.crop_shifted(x, 4, margin=4).shape == (12, 12)
    with pytest.raises(ValueError, match="shift must be a whole number from 0 to 4"):
        pooling.crop_shifted(x, 5, margin=4)
    with pytest.raises(ValueError, match="leaves nothing"):
        pooling.crop_shifted(x, 0, margin=10)


def test_relative_change_is_zero_for_no_change_and_needs_a_reference():
    a = np.array([1.0, -2.0, 3.0])
    assert pooling.compute_relative_change(a, a) == 0.0
    assert pooling.compute_relative_change(a, 2 * a) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="all zeros"):
        pooling.compute_relative_change(np.zeros(3), a)
    with pytest.raises(ValueError, match="shapes differ"):
        pooling.compute_relative_change(a, a[:2])


def test_stripes_alias_under_subsampling_but_not_under_average_pooling():
    for phase in (0, 1):
        stripes = pooling.make_stripes(16, 2, phase)
        assert pooling.average_pool2d(stripes, 2).mean() == 0.5
    assert stripes[::2, ::2].mean() != pooling.make_stripes(16, 2, 0)[::2, ::2].mean()
    with pytest.raises(ValueError, match="period must be a positive integer"):
        pooling.make_stripes(16, 0)
