"""helpers.checks.fully_connected: the exercise checkers of notebook 04 accept the right answers
however they are written, name the typical mistakes, and never reveal the answer."""

from __future__ import annotations

import math

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers import fully_connected
from helpers.checks import fully_connected as check_fc


def _assert_fails_with(result, hint):
    assert not result.ok
    assert hint in result.message, result.message


# --------------------------------------------------------------------------- exercise 1


def test_check_dense_forward_accepts_correct_functions():
    assert check_fc.check_dense_forward(lambda W, x, b: W @ x + b).ok
    assert check_fc.check_dense_forward(lambda W, x, b: np.dot(W, x) + b).ok
    assert check_fc.check_dense_forward(
        lambda W, x, b: np.array([sum(W[i, j] * x[j] for j in range(len(x))) + b[i]
                                  for i in range(len(b))])).ok
    assert check_fc.check_dense_forward(lambda W, x, b: fully_connected.dense_forward(W, x, b)).ok
    assert check_fc.check_dense_forward(lambda W, x, b: (x @ W.T + b).tolist()).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda W, x, b: W @ x, "forgot the bias"),
        (lambda W, x, b: W.T @ x + b, "multiplied by Wᵀ"),
        (lambda W, x, b: x @ W + b, "multiplied by Wᵀ"),
        (lambda W, x, b: W.T @ x, "multiplied by Wᵀ and forgot the bias"),
        (lambda W, x, b: W @ x - b, "added, not subtracted"),
        (lambda W, x, b: np.maximum(W @ x + b, 0), "applied a ReLU"),
        (lambda W, x, b: 1 / (1 + np.exp(-(W @ x + b))), "applied the sigmoid"),
        (lambda W, x, b: np.full(len(b), (W @ x).sum()) + b, "same weighted sum"),
        (lambda W, x, b: None, "returns None"),
        (lambda W, x, b: (W @ x + b)[:1], "output shape"),
    ],
)
def test_check_dense_forward_recognises_mistakes(wrong, hint):
    _assert_fails_with(check_fc.check_dense_forward(wrong), hint)


def test_check_dense_forward_reports_non_functions():
    _assert_fails_with(check_fc.check_dense_forward(...), "no answer yet")
    _assert_fails_with(check_fc.check_dense_forward(3.0), "expected a function")


# --------------------------------------------------------------------------- exercise 2

Y, P = np.array(check_fc.BCE_LABELS, float), np.array(check_fc.BCE_PROBABILITIES)
BCE = float(np.mean(-(Y * np.log(P) + (1 - Y) * np.log(1 - P))))


def test_check_bce_value_accepts_every_correct_form():
    assert check_fc.check_bce_value(BCE).ok
    assert check_fc.check_bce_value(fully_connected.binary_cross_entropy(Y, P)).ok
    assert check_fc.check_bce_value(fully_connected.loss_with_keras("binary", Y, P)).ok
    assert check_fc.check_bce_value(float(f"{BCE:.3g}")).ok           # 3 significant digits
    assert check_fc.check_bce_value([BCE]).ok
    assert check_fc.check_bce_value(np.float32(BCE)).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (BCE / math.log(10), "log10"),
        (np.mean(-(Y * np.log10(P) + (1 - Y) * np.log10(1 - P))), "log10"),
        (BCE / math.log(2), "log2"),
        (np.mean(-(Y * np.log(P))), "(1 − y)·ln(1 − p)"),
        (np.mean(-np.log(P)), "not −ln(p)"),
        (3 * BCE, "Keras reports their mean"),
        (-BCE, "mind the sign"),
        (np.mean((Y - P) ** 2), "mean squared error"),
        (-np.log(0.9), "first X-ray only"),
        (1.0, "take the mean"),
    ],
)
def test_check_bce_value_recognises_mistakes(wrong, hint):
    _assert_fails_with(check_fc.check_bce_value(wrong), hint)


def test_check_bce_value_handles_non_answers():
    _assert_fails_with(check_fc.check_bce_value(...), "no answer yet")
    _assert_fails_with(check_fc.check_bce_value("0.8"), "text")
    _assert_fails_with(check_fc.check_bce_value(float("nan")), "NaN")


# --------------------------------------------------------------------------- exercise 3


def test_check_logit_gradient_accepts_correct_functions():
    assert check_fc.check_logit_gradient(lambda z, y: fully_connected.sigmoid(z) - y).ok
    assert check_fc.check_logit_gradient(lambda z, y: 1 / (1 + math.exp(-z)) - y).ok
    assert check_fc.check_logit_gradient(lambda z, y: (math.exp(z) - y * (1 + math.exp(z))) / (1 + math.exp(z))).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda z, y: y - 1 / (1 + np.exp(-z)), "sign is flipped"),
        (lambda z, y: fully_connected.sigmoid(z) * (1 - fully_connected.sigmoid(z)), "sigmoid's derivative alone"),
        (lambda z, y: (fully_connected.sigmoid(z) - y) * fully_connected.sigmoid(z) * (1 - fully_connected.sigmoid(z)),
         "once too often"),
        (lambda z, y: z - y, "forgot the sigmoid"),
        (lambda z, y: fully_connected.sigmoid(z), "label is missing"),
        (lambda z, y: -y / fully_connected.sigmoid(z) + (1 - y) / (1 - fully_connected.sigmoid(z)), "dL/dp"),
        (lambda z: z, "raised TypeError"),
    ],
)
def test_check_logit_gradient_recognises_mistakes(wrong, hint):
    _assert_fails_with(check_fc.check_logit_gradient(wrong), hint)


# --------------------------------------------------------------------------- exercise 4

X4, W4 = np.array(check_fc.STEP_X), np.array(check_fc.STEP_W)
ERROR4 = float(fully_connected.sigmoid(W4 @ X4 + check_fc.STEP_B)) - check_fc.STEP_Y
NEW_W = W4 - check_fc.STEP_RATE * ERROR4 * X4


def test_check_dense_step_accepts_every_correct_form():
    assert check_fc.check_dense_step(NEW_W).ok
    assert check_fc.check_dense_step(NEW_W.tolist()).ok
    assert check_fc.check_dense_step(tuple(float(f"{v:.3g}") for v in NEW_W)).ok
    gradient = np.array([ERROR4 * x for x in check_fc.STEP_X])
    assert check_fc.check_dense_step([w - 0.5 * g for w, g in zip(check_fc.STEP_W, gradient, strict=True)]).ok


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (W4 + 0.5 * ERROR4 * X4, "stepped uphill"),
        (W4 - ERROR4 * X4, "forgot the learning rate"),
        (W4 - 0.5 * ERROR4, "scaled by its own input"),
        (0.5 * ERROR4 * X4, "the step itself"),
        (ERROR4 * X4, "that is the gradient"),
        (W4 * 2, "compute z = w·x + b"),
        (NEW_W[:2], "shape"),
    ],
)
def test_check_dense_step_recognises_mistakes(wrong, hint):
    _assert_fails_with(check_fc.check_dense_step(wrong), hint)


def test_the_exercise_numbers_move_the_weight_with_zero_input_not_at_all():
    assert NEW_W[1] == W4[1]


# --------------------------------------------------------------------------- exercise 5


def test_check_dense_parameters():
    assert check_fc.check_dense_parameters(28 * 28 * 16 + 16).ok
    assert check_fc.check_dense_parameters(12560.0).ok
    assert check_fc.check_dense_parameters(fully_connected.count_dense_parameters(784, 16)).ok
    _assert_fails_with(check_fc.check_dense_parameters(12544), "forgot the biases")
    _assert_fails_with(check_fc.check_dense_parameters(800), "multiply, do not add")
    _assert_fails_with(check_fc.check_dense_parameters(160), "3×3 convolution")
    _assert_fails_with(check_fc.check_dense_parameters(464), "28·28 inputs")
    _assert_fails_with(check_fc.check_dense_parameters(785), "that is one unit")
    _assert_fails_with(check_fc.check_dense_parameters(None), "no answer yet")


def test_dense_parameter_answer_agrees_with_keras():
    from helpers import course

    course.import_tensorflow_quietly()
    import keras

    layer = keras.layers.Dense(16)
    layer.build((None, 28 * 28))
    assert check_fc.check_dense_parameters(layer.count_params()).ok


def test_checkers_never_reveal_the_answer():
    messages = [check_fc.check_bce_value(v).message for v in (0.1, BCE / math.log(10), -BCE, 3 * BCE)]
    messages += [check_fc.check_dense_step(v).message for v in (W4, W4 + 0.5 * ERROR4 * X4)]
    messages += [check_fc.check_dense_parameters(v).message for v in (1, 12544, 160)]
    for message in messages:
        assert f"{BCE:.3g}" not in message and "12560" not in message and "12,560" not in message
        assert f"{NEW_W[0]:.3g}" not in message


def test_the_quiz_answer_key():
    assert_answer_key(check_fc.QUIZ, "fully_connected")
    parameters, loss, gradient = check_fc.QUIZ.questions[:3]
    assert parameters.key() == fully_connected.count_dense_parameters(16 * 16 * 4, 10)
    assert loss.key() == pytest.approx(fully_connected.binary_cross_entropy([1], [0.2]))
    # the derivative of the loss at the logit z = logit(0.7), by a central difference

    def loss_at(z):
        return fully_connected.binary_cross_entropy([0], [1 / (1 + math.exp(-z))])

    z, eps = math.log(0.7 / 0.3), 1e-6
    assert gradient.key() == pytest.approx((loss_at(z + eps) - loss_at(z - eps)) / (2 * eps),
                                           rel=1e-5)
