"""helpers.checks.pooling: the exercise checkers of notebook 03 accept the right answers, name the
typical mistakes, and never reveal the answer."""

from __future__ import annotations

import math

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers import course, pooling
from helpers.checks import pooling as check_pooling


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
        (lambda x: np.swapaxes(correct_max_pool(x), 0, 1), "rows and columns are swapped"),
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
    _assert_fails_with(check_pooling.check_pooled_size(...), "no answer yet")


def test_check_pooling_parameters():
    assert check_pooling.check_pooling_parameters(0).ok
    _assert_fails_with(check_pooling.check_pooling_parameters(4), "has no weights")
    _assert_fails_with(check_pooling.check_pooling_parameters(128), "has no weights")
    _assert_fails_with(check_pooling.check_pooling_parameters(4128), "like a convolution")
    _assert_fails_with(check_pooling.check_pooling_parameters(None), "no answer yet")


def test_parameter_answers_agree_with_keras():
    course.import_tensorflow_quietly()
    import keras

    pool = keras.layers.MaxPooling2D(2)
    pool.build((None, 64, 64, 32))
    assert check_pooling.check_pooling_parameters(pool.count_params()).ok
    conv = keras.layers.Conv2D(32, 3, strides=2, padding="same")
    conv.build((None, 64, 64, 32))
    assert check_pooling.check_strided_conv_parameters(conv.count_params()).ok


def test_check_strided_conv_parameters():
    _assert_fails_with(check_pooling.check_strided_conv_parameters(9216), "forgot the biases")
    _assert_fails_with(check_pooling.check_strided_conv_parameters(320), "spans all 32 input channels")
    _assert_fails_with(check_pooling.check_strided_conv_parameters(0), "learns its kernels")


def test_checkers_never_reveal_the_answer():
    results = [check_pooling.check_pooling_parameters(v) for v in (1, 4, 128, 32, 7)]
    results += [check_pooling.check_strided_conv_parameters(v) for v in (9216, 320, 1, 2304)]
    for result in results:
        assert "9248" not in result.message


def test_pooled_size_rounded_to_the_nearest_is_named():
    for rounding in (round, lambda x: math.floor(x + 0.5)):
        result = check_pooling.check_pooled_size(lambda n, k, s, r=rounding: r((n - k) / s) + 1)
        assert not result and "nearest" in result.message


def test_the_quiz_answer_key():
    assert_answer_key(check_pooling.QUIZ, "pooling")
    pooled = pooling.max_pool2d(np.zeros((64, 64, 1)), 3, 2)
    assert check_pooling.QUIZ.questions[0].key() == pooled.shape[0]
