"""helpers.checks.history: the exercise checkers of notebook 01 accept the correct answers and
name the typical mistakes without showing the answer."""

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers import convolution, history, pooling
from helpers.checks import history as check_history


def _assert_fails_with(result, hint_part):
    assert not result.ok, result
    assert hint_part in result.message, result.message


@pytest.mark.parametrize("checker", [
    check_history.check_preferred_orientation, check_history.check_c_cell_layer,
    check_history.check_output_shape, check_history.check_parameter_count,
])
def test_every_checker_waits_for_an_answer(checker):
    _assert_fails_with(checker(...), "no answer yet")


def test_preferred_orientation_checker():
    angles, rates = history.record_mystery_cell()
    best = int(np.argmax(rates))
    correct = angles[best]
    assert check_history.check_preferred_orientation(correct).ok
    assert check_history.check_preferred_orientation(int(correct)).ok
    _assert_fails_with(check_history.check_preferred_orientation(best), "index")
    _assert_fails_with(check_history.check_preferred_orientation(angles[np.argmin(rates)]),
                       "fires least")
    _assert_fails_with(check_history.check_preferred_orientation(np.deg2rad(correct)), "radians")
    _assert_fails_with(check_history.check_preferred_orientation(rates[best]), "how strongly")
    _assert_fails_with(check_history.check_preferred_orientation(correct + 5), "close")
    for wrong in (best, np.deg2rad(correct), correct + 5, 7.0):
        assert f"{correct:g}" not in check_history.check_preferred_orientation(wrong).message


# Learners' versions of exercise 2, written out so that the test does not lean on the checker's
# own reference code (helpers.pooling).


def _c_cell(feature_map, size):
    x = np.asarray(feature_map)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))


def _average(feature_map, size):
    x = np.asarray(feature_map)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).mean(axis=(1, 3))


def _overlapping(feature_map, size):
    x = np.asarray(feature_map)
    return np.array([[x[r : r + size, c : c + size].max() for c in range(x.shape[1] - size + 1)]
                     for r in range(x.shape[0] - size + 1)])


def _with_partial_blocks(feature_map, size):
    x = np.asarray(feature_map)
    return np.array([[x[r : r + size, c : c + size].max() for c in range(0, x.shape[1], size)]
                     for r in range(0, x.shape[0], size)])


def test_c_cell_layer_checker():
    assert check_history.check_c_cell_layer(_c_cell).ok
    assert check_history.check_c_cell_layer(
        lambda m, s: history.apply_c_layer(np.asarray(m)[..., None], s)[..., 0]).ok
    _assert_fails_with(check_history.check_c_cell_layer(_average), "averaged")
    _assert_fails_with(check_history.check_c_cell_layer(_overlapping), "overlap")
    _assert_fails_with(check_history.check_c_cell_layer(_with_partial_blocks), "incomplete")


def test_output_shape_checker():
    assert check_history.check_output_shape((31, 31, 32)).ok
    assert check_history.check_output_shape([31, 31, 32]).ok
    _assert_fails_with(check_history.check_output_shape((32, 32, 32)), "padded")
    _assert_fails_with(check_history.check_output_shape((30, 30, 32)), "padding='same'")
    _assert_fails_with(check_history.check_output_shape((62, 62, 32)), "two pooling layers")
    _assert_fails_with(check_history.check_output_shape((31, 31, 16)), "last")
    _assert_fails_with(check_history.check_output_shape((None, 31, 31, 32)), "batch")
    _assert_fails_with(check_history.check_output_shape((31, 31)), "three numbers")
    _assert_fails_with(check_history.check_output_shape("31x31x32"), "text")
    for wrong in [(32, 32, 32), (30, 30, 32), (1, 2, 3)]:
        message = check_history.check_output_shape(wrong).message
        assert "31" not in message


def test_parameter_count_checker():
    assert check_history.check_parameter_count(4640).ok
    _assert_fails_with(check_history.check_parameter_count(4608), "biases")
    _assert_fails_with(check_history.check_parameter_count(320), "16 input channels")
    _assert_fails_with(check_history.check_parameter_count(5120), "one bias per filter")
    _assert_fails_with(check_history.check_parameter_count(416), "first convolution")
    for wrong in (4608, 320, 1):
        assert "4640" not in check_history.check_parameter_count(wrong).message
        assert "4,640" not in check_history.check_parameter_count(wrong).message


def test_parameter_count_matches_keras():
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    model = keras.Sequential([keras.Input((128, 128, 1)), keras.layers.Conv2D(16, 5),
                              keras.layers.MaxPooling2D(2),
                              keras.layers.Conv2D(32, 3, padding="same"),
                              keras.layers.MaxPooling2D(2)])
    shape = tuple(model.layers[-1].output.shape[1:])
    assert shape == (31, 31, 32)
    assert check_history.check_output_shape(shape).ok
    assert check_history.check_parameter_count(model.layers[2].count_params()).ok


def test_the_quiz_answer_key():
    assert_answer_key(check_history.QUIZ, "history")
    _, _, _, shape, parameters = check_history.QUIZ.questions
    feature_map = convolution.convolve2d_fast(np.zeros((64, 64)), np.ones((3, 3)))
    assert shape.key() == pooling.max_pool2d(feature_map[..., None], 2).shape[0]
    assert parameters.key() == convolution.count_conv_parameters(3, 8, 16)
