"""helpers.pooling.ops (notebook 03): pooling from scratch against Keras, the output-size rule and
"same" padding (convolution's window arithmetic), and clear messages for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import convolution, course, pooling

course.import_tensorflow_quietly()


@pytest.fixture(scope="module")
def feature_map() -> np.ndarray:
    """A (31, 29, 3) map with distinct values: odd sides, several channels."""
    rng = np.random.default_rng(0)
    return rng.permutation(31 * 29 * 3).reshape(31, 29, 3).astype(np.float32) / (31 * 29 * 3)


@pytest.mark.parametrize("kind", pooling.POOL_KINDS)
@pytest.mark.parametrize("padding", pooling.PADDINGS)
@pytest.mark.parametrize("pool_size, stride", [(1, 1), (2, 2), (2, 1), (3, 2), (3, 3), (4, 2),
                                               (2, 3), (5, 4)])
def test_pool2d_matches_keras_multichannel(feature_map, kind, padding, pool_size, stride):
    ours = pooling.pool2d(feature_map, pool_size, stride, padding, kind)
    theirs = pooling.pool_with_keras(feature_map, pool_size, stride, padding, kind)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-6, rtol=0)


@pytest.mark.parametrize("kind", pooling.POOL_KINDS)
@pytest.mark.parametrize("padding", pooling.PADDINGS)
def test_pool2d_matches_keras_on_a_scan(kind, padding):
    from helpers.data import medimg

    image = medimg.load_sample_image("ct_vertebra", 128)
    ours = pooling.pool2d(image, 3, 2, padding, kind)
    assert ours.shape == ((63, 63) if padding == "valid" else (64, 64))
    np.testing.assert_allclose(ours, pooling.pool_with_keras(image, 3, 2, padding, kind), atol=1e-6)


def test_each_channel_is_pooled_on_its_own(feature_map):
    pooled = pooling.max_pool2d(feature_map, 2)
    for c in range(feature_map.shape[-1]):
        np.testing.assert_array_equal(pooled[..., c], pooling.max_pool2d(feature_map[..., c], 2))


def test_stride_defaults_to_pool_size_and_small_example():
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    np.testing.assert_array_equal(pooling.max_pool2d(x, 2), [[5, 7], [13, 15]])
    np.testing.assert_array_equal(pooling.average_pool2d(x, 2), [[2.5, 4.5], [10.5, 12.5]])
    assert pooling.pool2d(np.arange(16).reshape(4, 4), 2).dtype == np.float64


def test_same_padding_leaves_padded_cells_out_of_the_mean():
    x = pooling.TOY_IMAGE
    out = pooling.average_pool2d(x, 2, padding="same")
    assert out.shape == (3, 3)
    assert out[2, 2] == x[4, 4]  # the corner window holds one real pixel
    assert out[0, 2] == pytest.approx((x[0, 4] + x[1, 4]) / 2)


@pytest.mark.parametrize("kind", pooling.POOL_KINDS)
def test_global_pooling_matches_keras(feature_map, kind):
    ours = pooling.global_pool2d(feature_map, kind)
    assert ours.shape == (3,)
    np.testing.assert_allclose(ours, pooling.global_pool_with_keras(feature_map, kind), atol=1e-6)
    assert pooling.global_pool2d(feature_map[..., 0], kind).shape == ()


@pytest.mark.parametrize("n", range(1, 13))
@pytest.mark.parametrize("pool_size", range(1, 5))
@pytest.mark.parametrize("stride", range(1, 5))
def test_output_size_formula(n, pool_size, stride):
    x = np.zeros((n, n))
    for padding in pooling.PADDINGS:
        if padding == "valid" and pool_size > n:
            with pytest.raises(ValueError, match="does not fit"):
                pooling.compute_pooled_size(n, pool_size, stride, padding)
            continue
        size = pooling.compute_pooled_size(n, pool_size, stride, padding)
        expected = (n - pool_size) // stride + 1 if padding == "valid" else -(-n // stride)
        assert size == expected
        assert pooling.pool2d(x, pool_size, stride, padding).shape == (size, size)


def test_same_padding_is_convolutions_with_the_extra_cell_at_the_end():
    assert pooling.compute_same_padding(5, 2) == (0, 1)  # stride 2 = pool size: 3 windows, 1 extra cell
    assert pooling.compute_same_padding(128, 3, 2) == (0, 1)
    assert pooling.compute_same_padding(7, 4, 1) == (1, 2)
    for n, k, s in [(5, 2, 2), (128, 3, 2), (7, 4, 1), (10, 3, 3)]:
        rows, _ = convolution.resolve_padding((n, n), (k, k), s, "same")
        assert pooling.compute_same_padding(n, k, s) == rows


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"x": np.zeros((4, 4)), "pool_size": 0}, "pool_size must be a positive integer"),
        ({"x": np.zeros((4, 4)), "stride": 0}, "stride must be a positive integer"),
        ({"x": np.zeros((4, 4)), "stride": 1.5}, "or None for stride = pool_size"),
        ({"x": np.zeros((4, 4)), "padding": "full"}, "padding must be"),
        ({"x": np.zeros((4, 4)), "kind": "min"}, "kind must be"),
        ({"x": np.zeros((1, 4, 4, 1))}, "for a batch"),
        ({"x": np.full((4, 4), np.nan)}, "NaN"),
        ({"x": np.zeros((3, 3)), "pool_size": 4}, "choose a pool size of at most 3"),
    ],
)
def test_bad_input_gives_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pooling.pool2d(**kwargs)


def test_complex_input_is_refused():
    with pytest.raises(TypeError, match="real numbers"):
        pooling.max_pool2d(np.zeros((4, 4), dtype=complex))
