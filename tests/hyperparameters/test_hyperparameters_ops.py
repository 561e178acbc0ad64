"""helpers.hyperparameters.ops (notebook 05): parameter tally, visit counts, receptive field,
dropout and the learning-rate schedule, each against an independent computation or Keras."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from helpers import course
from helpers import hyperparameters as hp
from helpers.convolution import conv_output_size


@pytest.fixture(scope="module")
def keras():
    course.import_tensorflow_quietly()
    import keras

    return keras


def test_tally_matches_keras_and_the_formulas(keras):
    from helpers import models

    for model in (models.build_figure3_cnn(), hp.build_small_cnn(dropout=0.5)):
        rows = hp.tally_parameters(model)
        assert all(row["counted"] == row["keras"] for row in rows), rows
        assert sum(row["counted"] for row in rows) == model.count_params()
    conv1 = next(r for r in hp.tally_parameters(models.build_figure3_cnn()) if r["name"] == "conv1")
    assert conv1["formula"] == "3·3·1·8 + 8" and conv1["counted"] == 80


def test_tally_refuses_layers_without_a_formula(keras):
    model = keras.Sequential([keras.Input((4, 4, 2)), keras.layers.BatchNormalization()])
    with pytest.raises(ValueError, match="no formula"):
        hp.tally_parameters(model)


def test_list_hyperparameters_reads_the_layers(keras):
    listed = dict(hp.list_hyperparameters(hp.build_small_cnn(dropout=0.25), learning_rate=3e-3,
                                          batch_size=32, epochs=5))
    assert listed["number of kernels (filters)"] == "8, 16"
    assert listed["dropout rate"] == "0.25" and listed["learning rate"] == "0.003"
    with pytest.raises(ValueError, match="batch_size"):
        hp.list_hyperparameters(hp.build_small_cnn(), learning_rate=1e-3, batch_size=0, epochs=1)


def test_relu_with_bias_kinks_at_minus_b_over_w():
    x = np.array([-2.0, -1.0, 0.0, 1.0])
    np.testing.assert_allclose(hp.relu_with_bias(x, 2.0, 2.0), [0, 0, 2, 4])
    with pytest.raises(TypeError):
        hp.relu_with_bias(x, "2", 0.0)


def _visits_by_brute_force(shape, k, stride, padding):
    pad = {"valid": 0}.get(padding, padding)
    counts = np.zeros(shape, dtype=int)
    if padding == "same":
        from helpers.convolution import same_padding

        tops = [same_padding(n, k, stride)[0] for n in shape]
        outs = [math.ceil(n / stride) for n in shape]
    else:
        tops = [pad, pad]
        outs = [conv_output_size(n, k, pad, stride) for n in shape]
    for i, j in itertools.product(range(outs[0]), range(outs[1])):
        r0, c0 = i * stride - tops[0], j * stride - tops[1]
        counts[max(r0, 0):max(r0 + k, 0), max(c0, 0):max(c0 + k, 0)] += 1
    return counts


@pytest.mark.parametrize("k, stride", [(1, 1), (3, 1), (5, 1), (3, 2), (4, 3), (2, 2)])
@pytest.mark.parametrize("padding", ["valid", "same", 1, 2])
def test_count_visits_matches_a_brute_force_count(k, stride, padding):
    np.testing.assert_array_equal(hp.count_visits((9, 7), k, stride, padding),
                                  _visits_by_brute_force((9, 7), k, stride, padding))


def test_count_visits_matches_keras_gradient(keras):
    for k, stride, padding in [(3, 1, "valid"), (5, 1, "same"), (4, 3, "same"), (3, 2, 1)]:
        np.testing.assert_array_equal(hp.count_visits((12, 10), k, stride, padding),
                                      hp.count_visits_with_keras((12, 10), k, stride, padding))


def test_count_visits_corner_and_centre():
    valid, same = hp.count_visits((128, 128), 3), hp.count_visits((128, 128), 3, padding="same")
    assert (valid[0, 0], valid[64, 64], same[0, 0], same[64, 64]) == (1, 9, 4, 9)
    with pytest.raises(ValueError, match="does not fit"):
        hp.count_visits((2, 2), 3)
    with pytest.raises(ValueError, match="height, width"):
        hp.count_visits((4, 4, 1), 3)


def test_receptive_field_recurrence_and_measurement(keras):
    assert hp.receptive_field(hp.FIGURE3_STACK) == [(1, 1), (3, 1), (4, 2), (8, 2), (10, 4)]
    for stack in [hp.FIGURE3_STACK, [(5, 2), (3, 2)], [(7, 3), (3, 1), (1, 1)]]:
        size, gradient = hp.measure_receptive_field(stack)
        assert size == hp.receptive_field(stack)[-1][0]
        assert gradient.min() >= 0 and gradient.max() > 1  # paths add up in the middle
    with pytest.raises(ValueError, match="empty"):
        hp.receptive_field([])
    with pytest.raises(ValueError, match="stride of layer 0"):
        hp.receptive_field([(3, 0)])


def test_dropout_forward_keeps_the_mean_and_matches_keras(keras):
    x = np.linspace(0.5, 1.5, 200_000).reshape(400, 500)
    keep = hp.make_keep_mask(x.shape, 0.3, seed=1)
    out = hp.dropout_forward(x, keep, 0.3, training=True)
    assert abs(out.mean() / x.mean() - 1) < 0.01
    np.testing.assert_allclose(out[keep], x[keep] / 0.7)
    assert np.all(out[~keep] == 0)
    np.testing.assert_array_equal(hp.dropout_forward(x, keep, 0.3, training=False), x)
    theirs = hp.dropout_with_keras(x, 0.3, training=True, seed=3)
    kept = theirs != 0
    np.testing.assert_allclose(theirs[kept], x[kept] / 0.7, rtol=1e-6)
    assert abs((~kept).mean() - 0.3) < 0.01
    np.testing.assert_allclose(hp.dropout_with_keras(x, 0.3, training=False), x, rtol=1e-6)


def test_dropout_rejects_bad_rates_and_masks():
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        hp.make_keep_mask((3,), 1.0)
    with pytest.raises(ValueError, match="boolean mask"):
        hp.dropout_forward(np.ones(3), np.ones(3), 0.5, True)


def test_cosine_decay_matches_the_compiled_schedule(keras):
    model = hp.build_small_cnn()
    from helpers import models

    models.compile_classifier(model, 2e-3, decay_steps=40)
    config = hp.read_schedule(model)
    assert config["class_name"] == "CosineDecay"
    steps = np.arange(0, 50)
    ours = hp.cosine_decay(steps, config["initial_learning_rate"], config["decay_steps"],
                           config["alpha"])
    np.testing.assert_allclose(ours, hp.schedule_values(model, steps), rtol=1e-5)
    assert ours[0] == pytest.approx(2e-3) and ours[-1] == pytest.approx(2e-3 * config["alpha"])
    models.compile_classifier(model, 2e-3)
    with pytest.raises(ValueError, match="constant"):
        hp.read_schedule(model)


def test_descend_parabola_converges_below_two_over_a():
    assert abs(hp.descend_parabola(0.3, 5.0)[-1]) < 1e-5
    np.testing.assert_allclose(np.abs(hp.descend_parabola(0.4, 5.0, steps=6)), 1.0)
    assert abs(hp.descend_parabola(0.5, 5.0)[-1]) > 1e3
    assert hp.descend_parabola(0.2, 5.0, steps=3).tolist() == [1.0, 0.0, 0.0, 0.0]


def test_constant_prediction_loss():
    assert hp.constant_prediction_loss([0, 1]) == pytest.approx(math.log(2))
    assert hp.constant_prediction_loss([1, 1]) == 0.0
    with pytest.raises(ValueError):
        hp.constant_prediction_loss([0, 2])
