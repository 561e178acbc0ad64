"""helpers.checks.activations: the exercise checkers of notebook 06 accept the right answers,
however written, name the typical mistakes, and never reveal the answer."""

from __future__ import annotations

import math

import numpy as np
import pytest
from quiz_keys import assert_answer_key
from scipy import special

from helpers import activations
from helpers.checks import activations as check_activations


def _assert_fails_with(result, hint):
    assert not result.ok
    assert hint in result.message, result.message


# --------------------------------------------------------------------------- exercise 1


def correct_softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def test_check_stable_softmax_accepts_correct_functions():
    assert check_activations.check_stable_softmax(correct_softmax).ok
    assert check_activations.check_stable_softmax(lambda z: special.softmax(z, axis=-1)).ok
    assert check_activations.check_stable_softmax(activations.softmax).ok

    def per_row(z):  # a loop over rows, written out
        z = np.asarray(z, dtype=float)
        if z.ndim == 1:
            e = np.exp(z - z.max())
            return e / e.sum()
        return np.array([per_row(row) for row in z])

    assert check_activations.check_stable_softmax(per_row).ok


def _naive(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (_naive, "NaN for large scores"),
        (lambda z: np.exp(z - np.max(z, axis=-1, keepdims=True)), "do not add up to 1"),
        (lambda z: np.exp(z), "you returned e^z only"),
        (lambda z: np.exp(z - np.max(z)) / np.sum(np.exp(z - np.max(z))), "along the last axis"),
        (lambda z: activations.softmax(z, axis=0), "you normalised the columns"),
        (lambda z: np.exp(z - z.min(axis=-1, keepdims=True))
         / np.exp(z - z.min(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True),
         "subtracted the smallest score"),
        (lambda z: np.exp(z - z.max(axis=-1, keepdims=True))
         / np.exp(z - z.max(axis=-1, keepdims=True)).max(axis=-1, keepdims=True),
         "do not add up to 1"),
        (lambda z: np.full(np.shape(z), 1.0 / np.shape(z)[-1]), "every output is 1/K"),
        (lambda z: z, "test it on"),
        (lambda z: None, "returns None"),
    ],
)
def test_check_stable_softmax_recognises_mistakes(wrong, hint):
    with np.errstate(over="ignore", invalid="ignore"):
        _assert_fails_with(check_activations.check_stable_softmax(wrong), hint)


def test_check_stable_softmax_reports_errors_and_non_functions():
    _assert_fails_with(check_activations.check_stable_softmax(...), "no answer yet")
    _assert_fails_with(check_activations.check_stable_softmax([0.1, 0.9]), "expected a function")

    def crashes(z):
        raise KeyError("oops")

    _assert_fails_with(check_activations.check_stable_softmax(crashes), "raised KeyError")


# --------------------------------------------------------------------------- exercise 2

SIGMA = 1 / (1 + math.exp(-2.0))


def test_check_sigmoid_derivative_accepts_correct_answers():
    x = check_activations.DERIVATIVE_POINT
    assert x == 2.0
    for answer in (SIGMA * (1 - SIGMA), math.exp(-x) / (1 + math.exp(-x)) ** 2,
                   float(special.expit(x) * special.expit(-x)), 0.105, [0.105], np.float32(0.10499)):
        assert check_activations.check_sigmoid_derivative(answer).ok, answer


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (SIGMA, "that is σ(x) itself"),
        (0.881, "that is σ(x) itself"),
        (1 - math.tanh(2.0) ** 2, "derivative of tanh"),
        (1 - SIGMA**2, "pattern of tanh's derivative"),
        (math.exp(2.0), "entry's printed formula"),
        (1 - SIGMA, "one of the two factors"),
        (math.exp(-2.0) / (1 + math.exp(-2.0)), "one of the two factors"),
        (0.3, "use σ'(x) = σ(x)(1 − σ(x))"),
        ("0.105", "your answer is text"),
        (None, "no answer yet"),
    ],
)
def test_check_sigmoid_derivative_recognises_mistakes(wrong, hint):
    _assert_fails_with(check_activations.check_sigmoid_derivative(wrong), hint)


# --------------------------------------------------------------------------- exercise 3


def test_check_sigmoid_layers_bound():
    for answer in (0.25**10, 4.0**-10, (1 / 4) ** 10, 9.54e-7, 2.0**-20):
        assert check_activations.check_sigmoid_layers_bound(answer).ok, answer
    _assert_fails_with(check_activations.check_sigmoid_layers_bound(0.25), "that is one layer")
    _assert_fails_with(check_activations.check_sigmoid_layers_bound(2.5), "does not add them")
    _assert_fails_with(check_activations.check_sigmoid_layers_bound(0.5**10), "sigmoid's value")
    _assert_fails_with(check_activations.check_sigmoid_layers_bound(1), "largest slope of tanh")
    _assert_fails_with(check_activations.check_sigmoid_layers_bound(0.25**9), "count again")
    _assert_fails_with(check_activations.check_sigmoid_layers_bound(...), "no answer yet")


# --------------------------------------------------------------------------- exercise 4


def test_check_smaller_first_gradient():
    for answer in ("sigmoid", " Sigmoid ", "SIGMOID", "σ"):
        assert check_activations.check_smaller_first_gradient(answer).ok, answer
    _assert_fails_with(check_activations.check_smaller_first_gradient("tanh"), "measure it")
    _assert_fails_with(check_activations.check_smaller_first_gradient("relu"),
                       "not one of the two networks")
    _assert_fails_with(check_activations.check_smaller_first_gradient(0.25), "name in quotes")
    _assert_fails_with(check_activations.check_smaller_first_gradient(...), "no answer yet")


def test_the_prediction_exercise_agrees_with_the_measurement():
    from helpers import course

    course.import_tensorflow_quietly()
    measured = activations.compare_gradient_norms(check_activations.PREDICTION_CHOICES, 10, 32,
                                                  seed=42)
    smaller = min(measured, key=lambda name: measured[name][0])
    assert check_activations.check_smaller_first_gradient(smaller).ok


def test_checkers_never_reveal_the_answer():
    messages = [check_activations.check_sigmoid_derivative(v).message
                for v in (SIGMA, 0.3, 1 - SIGMA, math.exp(2.0))]
    messages += [check_activations.check_sigmoid_layers_bound(v).message for v in (0.25, 1, 3.0)]
    for message in messages:
        assert "0.105" not in message and "9.54" not in message


def test_the_quiz_answer_key():
    assert_answer_key(check_activations.QUIZ, "activations")
    x = np.linspace(-10, 10, 2001)
    assert check_activations.QUIZ.questions[2].key() == pytest.approx(
        activations.sigmoid_derivative(x).max())
    # the misprints the first two questions describe
    assert activations.sigmoid_as_printed(2.0) == pytest.approx(math.exp(2.0))
    assert activations.softmax_as_printed(np.array([3.0, 1.0, -2.0])) == pytest.approx(1 / 3)
