"""helpers.checks.convolution: the exercise checkers of notebook 02 accept the right answers,
name the typical mistakes, and never reveal the answer."""

import math

import numpy as np
import scipy.signal
from quiz_keys import assert_answer_key

from helpers import convolution, course
from helpers.checks import convolution as check_convolution


def _conv_solution(image, kernel):
    f, h = np.asarray(image, float), np.asarray(kernel, float)
    out = np.zeros((f.shape[0] - h.shape[0] + 1, f.shape[1] - h.shape[1] + 1))
    for m in range(out.shape[0]):
        for n in range(out.shape[1]):
            out[m, n] = np.sum(f[m : m + h.shape[0], n : n + h.shape[1]] * h[::-1, ::-1])
    return out


def _not_written(image, kernel):
    raise NotImplementedError


def test_check_conv2d():
    assert check_convolution.check_conv2d(_conv_solution)
    assert check_convolution.check_conv2d(lambda f, h: scipy.signal.convolve2d(f, h, mode="valid"))
    wrong = {
        "did you flip the kernel": lambda f, h: scipy.signal.correlate2d(f, h, mode="valid"),
        "upside down only": lambda f, h: scipy.signal.correlate2d(f, h[::-1], mode="valid"),
        "left-right only": lambda f, h: scipy.signal.correlate2d(f, h[:, ::-1], mode="valid"),
        "transposed": lambda f, h: scipy.signal.correlate2d(f, h.T, mode="valid"),
        "size of the input": lambda f, h: scipy.signal.convolve2d(f, h, mode="same"),
        "'full' convolution": lambda f, h: scipy.signal.convolve2d(f, h, mode="full"),
        "'full' cross-correlation": lambda f, h: scipy.signal.correlate2d(f, h, mode="full"),
        "raised ZeroDivisionError": lambda f, h: 1 / 0,
        "not written yet": _not_written,
        "returns None": lambda f, h: None,
    }
    for hint, function in wrong.items():
        result = check_convolution.check_conv2d(function)
        assert not result and hint in result.message, (hint, result.message)


def test_check_output_size_formula():
    assert check_convolution.check_output_size_formula(lambda n, k, p, s: (n + 2 * p - k) // s + 1)
    assert check_convolution.check_output_size_formula(
        lambda n, k, p, s: math.floor((n + 2 * p - k) / s) + 1)
    wrong = {
        "off by one": lambda n, k, p, s: (n + 2 * p - k) // s,
        "padding counts on both sides": lambda n, k, p, s: (n + p - k) // s + 1,
        "forgot the stride": lambda n, k, p, s: n + 2 * p - k + 1,
        "forgot the padding": lambda n, k, p, s: (n - k) // s + 1,
        "round down, not up": lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1,
        "use //": lambda n, k, p, s: (n + 2 * p - k) / s + 1,
        "returns None": lambda n, k, p, s: None,
    }
    for hint, function in wrong.items():
        result = check_convolution.check_output_size_formula(function)
        assert not result and hint in result.message, (hint, result.message)


def test_output_size_cases_agree_with_the_lesson_and_tell_the_mistakes_apart():
    cases = check_convolution.OUTPUT_SIZE_CASES
    assert check_convolution.check_output_size_formula(
        lambda n, k, p, s: convolution.conv_output_size(n, k, p, s))
    formulas = [lambda n, k, p, s: (n + 2 * p - k) // s + 1, lambda n, k, p, s: (n + 2 * p - k) // s,
                lambda n, k, p, s: (n + p - k) // s + 1, lambda n, k, p, s: n + 2 * p - k + 1,
                lambda n, k, p, s: (n - k) // s + 1, lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1,
                lambda n, k, p, s: (n + 2 * p - k + 1) // s]
    answers = {tuple(f(*case) for case in cases) for f in formulas}
    assert len(answers) == len(formulas)


def test_check_shift_kernel():
    correct = np.zeros((3, 3))
    correct[1, 2] = 1
    assert check_convolution.check_shift_kernel(correct)
    assert check_convolution.check_shift_kernel(correct.tolist())
    image = np.random.default_rng(0).random((6, 6))
    moved = convolution.convolve2d_fast(image, correct, padding="same")
    np.testing.assert_allclose(moved[:, 1:], image[:, :-1])  # the claim the exercise makes
    cases = {"cross-correlation": (1, 0), "the first index is the row": (0, 1), "identity": (1, 1)}
    for hint, (row, col) in cases.items():
        wrong = np.zeros((3, 3))
        wrong[row, col] = 1
        result = check_convolution.check_shift_kernel(wrong)
        assert not result and hint in result.message, (hint, result.message)
    assert "shape" in check_convolution.check_shift_kernel(np.zeros((2, 2))).message
    assert "no answer" in check_convolution.check_shift_kernel(...).message


def test_check_parameter_count():
    assert check_convolution.check_parameter_count((3 * 3 * 1 * 16 + 16) + (3 * 3 * 16 * 32 + 32))
    wrong = {
        "forgot the biases:": 3 * 3 * 16 + 3 * 3 * 16 * 32,
        "forgot the input channels": (3 * 3 * 16 + 16) + (3 * 3 * 32 + 32),
        "biases and the input channels": 3 * 3 * 16 + 3 * 3 * 32,
        "second layer alone": 3 * 3 * 16 * 32 + 32,
        "first layer alone": 3 * 3 * 16 + 16,
        "not per input channel": (3 * 3 * 16 + 1) + (3 * 3 * 16 * 32 + 16),
    }
    for hint, answer in wrong.items():
        result = check_convolution.check_parameter_count(answer)
        assert not result and hint in result.message, (hint, result.message)


def test_parameter_count_exercise_agrees_with_keras():
    course.import_tensorflow_quietly()
    import keras

    model = keras.Sequential([keras.Input((64, 64, 1)), keras.layers.Conv2D(16, 3), keras.layers.Conv2D(32, 3)])
    assert check_convolution.check_parameter_count(model.count_params())


def test_checkers_never_reveal_the_answer():
    results = [check_convolution.check_parameter_count(1), check_convolution.check_parameter_count(4752),
               check_convolution.check_shift_kernel(np.ones((3, 3)))]
    for result in results:
        assert "4800" not in result.message and "[1, 2]" not in result.message


def test_output_size_rounded_to_the_nearest_is_named():
    for rounding in (round, lambda x: math.floor(x + 0.5)):
        result = check_convolution.check_output_size_formula(
            lambda n, k, p, s, r=rounding: r((n + 2 * p - k) / s) + 1)
        assert not result and "nearest" in result.message


def test_the_quiz_answer_key():
    assert_answer_key(check_convolution.QUIZ, "convolution")
    assert check_convolution.QUIZ.questions[1].key() == convolution.conv_output_size(100, 5, 0, 3)
