"""Tests of the pooling lesson: helpers.pooling (against Keras), its widget, and its checkers."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import course, pooling, widgets
from helpers.checks import pooling as check_pooling

course.import_tensorflow_quietly()


@pytest.fixture(scope="module")
def feature_map() -> np.ndarray:
    """A (31, 29, 3) map with distinct values: odd sides, several channels."""
    rng = np.random.default_rng(0)
    return rng.permutation(31 * 29 * 3).reshape(31, 29, 3).astype(np.float32) / (31 * 29 * 3)


# --------------------------------------------------------------------------- pooling = Keras


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
        assert pooling.pool2d(x, pool_size, stride, padding).shape == (size, size)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"x": np.zeros((4, 4)), "pool_size": 0}, "pool_size must be a positive integer"),
        ({"x": np.zeros((4, 4)), "stride": 0}, "stride must be a positive integer"),
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


# --------------------------------------------------------------------------- shift experiment


def test_shift_experiment_orders_the_poolings():
    from helpers.data import medimg

    features = pooling.compute_edge_features(medimg.load_sample_image("ct_vertebra", 128))
    assert features.shape == (128, 128, 4) and features.min() >= 0
    changes = pooling.measure_shift_sensitivity(features, [0, 1, 2])
    assert all(values[0] == 0 for values in changes.values())
    assert changes["no pooling"][1] > changes["max 2×2"][1] > changes["max 4×4"][1]
    assert changes["global average"][1] < 0.05


def test_crop_shifted_moves_the_content_left():
    x = np.arange(20 * 20).reshape(20, 20)
    assert pooling.crop_shifted(x, 3, margin=4)[0, 0] == pooling.crop_shifted(x, 0, margin=4)[0, 3]
    with pytest.raises(ValueError, match="between 0 and margin"):
        pooling.crop_shifted(x, 5, margin=4)


def test_stripes_alias_under_subsampling_but_not_under_average_pooling():
    for phase in (0, 1):
        stripes = pooling.make_stripes(16, 2, phase)
        assert pooling.average_pool2d(stripes, 2).mean() == 0.5
    assert stripes[::2, ::2].mean() != pooling.make_stripes(16, 2, 0)[::2, ::2].mean()


# --------------------------------------------------------------------------- widget

GRID = list(itertools.product(*pooling.DEMO_CONTROLS.values()))


@pytest.mark.slow
def test_widget_update_over_the_whole_grid():
    names = list(pooling.DEMO_CONTROLS)
    messages = 0
    for values in GRID:
        result = widgets.render(pooling.draw_pooling_demo, **dict(zip(names, values, strict=True)))
        if isinstance(result, str):
            messages += 1
            assert "window does not fit" in result and "padding='same'" in result
        else:
            assert isinstance(result, Figure)
            plt.close(result)
    assert 0 < messages < len(GRID)


def test_widget_message_names_what_to_change():
    message = widgets.render(pooling.draw_pooling_demo, source="toy", kind="max", pool_size=6,
                             stride=2, padding="valid")
    assert message.startswith("⚠️") and "at most 5" in message
    message = widgets.render(pooling.draw_pooling_demo, source="mri", kind="max", pool_size=2,
                             stride=2, padding="valid")
    assert "choose from" in message


def test_widget_builds():
    box = pooling.make_pooling_widget()
    assert len(box.children[0].children) == len(pooling.DEMO_CONTROLS)
    plt.close("all")


# --------------------------------------------------------------------------- exercise checkers


def _assert_fails_with(result, hint):
    assert not result.ok
    assert hint in result.message, result.message


def correct_max_pool(x):
    h, w = x.shape[0] // 2 * 2, x.shape[1] // 2 * 2
    x = x[:h, :w]
    return x.reshape(h // 2, 2, w // 2, 2, x.shape[2]).max(axis=(1, 3))


def test_check_max_pool_accepts_a_correct_function():
    assert check_pooling.check_max_pool(correct_max_pool).ok
    assert check_pooling.check_max_pool(lambda x: pooling.max_pool2d(x, 2)).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda x: correct_max_pool(x).max(axis=-1), "you pooled over channels"),
        (lambda x: correct_max_pool(x).max(axis=-1, keepdims=True), "you pooled over channels"),
        (lambda x: pooling.max_pool2d(x, 2, 1), "your windows overlap: the stride should equal the pool size"),
        (lambda x: np.array([[x[i : i + 2, j : j + 2].max(axis=(0, 1)) for j in range(x.shape[1] // 2)]
                             for i in range(x.shape[0] // 2)]), "must start at row 2·i"),
        (lambda x: pooling.average_pool2d(x, 2), "you averaged instead of taking the maximum"),
        (lambda x: pooling.max_pool2d(x, 2, padding="same"), "with 'valid' padding a window that does not fit"),
        (lambda x: -correct_max_pool(-x), "minimum"),
        (lambda x: x, "output shape"),
        (lambda x: ..., "returns `...`"),
        (lambda x: None, "returns None"),
    ],
)
def test_check_max_pool_recognises_mistakes(wrong, hint):
    _assert_fails_with(check_pooling.check_max_pool(wrong), hint)


def test_check_max_pool_reports_errors_and_non_functions():
    def crashes(x):
        raise IndexError("oops")

    _assert_fails_with(check_pooling.check_max_pool(crashes), "raised IndexError")
    _assert_fails_with(check_pooling.check_max_pool(42), "expected a function")


def test_check_pooled_size():
    assert check_pooling.check_pooled_size(lambda n, k, s: (n - k) // s + 1).ok
    _assert_fails_with(check_pooling.check_pooled_size(lambda n, k, s: (n - k) // s), "off by one")
    _assert_fails_with(check_pooling.check_pooled_size(lambda n, k, s: n - k + 1), "forgot the stride")
    _assert_fails_with(check_pooling.check_pooled_size(lambda n, k, s: (n - k) / s + 1), "fractions")
    _assert_fails_with(check_pooling.check_pooled_size(lambda n, k, s: -(-n // s)), "'same' padding")
    _assert_fails_with(check_pooling.check_pooled_size(lambda n, k, s: float((n - k) // s + 1)),
                       "return an integer")
    _assert_fails_with(check_pooling.check_pooled_size(lambda n, k, s: None), "returns None")
    _assert_fails_with(check_pooling.check_pooled_size(lambda n, k: n - k), "raised TypeError")


def test_check_pooling_parameters():
    assert check_pooling.check_pooling_parameters(0).ok
    _assert_fails_with(check_pooling.check_pooling_parameters(4), "has no weights")
    _assert_fails_with(check_pooling.check_pooling_parameters(128), "has no weights")
    _assert_fails_with(check_pooling.check_pooling_parameters(4128), "like a convolution")
    _assert_fails_with(check_pooling.check_pooling_parameters(None), "no answer yet")


def test_check_strided_conv_parameters():
    import keras

    layer = keras.layers.Conv2D(32, 3, strides=2, padding="same")
    layer.build((None, 64, 64, 32))
    assert check_pooling.check_strided_conv_parameters(layer.count_params()).ok
    _assert_fails_with(check_pooling.check_strided_conv_parameters(9216), "forgot the biases")
    _assert_fails_with(check_pooling.check_strided_conv_parameters(320), "spans all 32 input channels")
    _assert_fails_with(check_pooling.check_strided_conv_parameters(0), "learns its kernels")


def test_pooling_layer_has_no_parameters_in_keras():
    import keras

    layer = keras.layers.MaxPooling2D(2)
    layer.build((None, 64, 64, 32))
    assert layer.count_params() == 0
    assert check_pooling.check_pooling_parameters(layer.count_params()).ok


def test_checkers_never_reveal_the_answer():
    results = [check_pooling.check_pooling_parameters(v) for v in (1, 4, 128, 32, 7)]
    results += [check_pooling.check_strided_conv_parameters(v) for v in (9216, 320, 1, 2304)]
    for result in results:
        assert "9248" not in result.message
