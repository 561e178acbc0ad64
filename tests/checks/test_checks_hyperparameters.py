"""helpers.checks.hyperparameters: the exercise checkers of notebook 05 accept the right answers
however they are written, name the typical mistakes, and never reveal the answer."""

from __future__ import annotations

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers import hyperparameters as hp
from helpers.checks import hyperparameters as check_hp


def _assert_fails_with(result, hint):
    assert not result.ok
    assert hint in result.message, result.message


# --------------------------------------------------------------------------- 1: corner visits


def test_corner_visits_accepts_every_correct_form():
    assert check_hp.check_corner_visits([1, 9]).ok
    assert check_hp.check_corner_visits((1.0, 9.0)).ok
    assert check_hp.check_corner_visits(np.array([1, 9])).ok
    maps = [hp.count_visits((128, 128), 5, padding=p) for p in ("valid", "same")]
    assert check_hp.check_corner_visits([m[0, 0] for m in maps]).ok  # the library's answer


@pytest.mark.parametrize("wrong, hint", [
    ([25, 25], "middle of the image"),
    ([1, 25], "does not make the corner as central"),
    ([1, 1], "partly outside the image"),
    ([1, 3], "multiply"),
    ([1, 6], "multiply, they do not add"),
    ([1, 4], "3×3 kernel"),
    ([0, 9], "does contain the corner"),
    ([2, 7], "count the positions"),
    (9, "shape"),
    ("1, 9", "text"),
    (None, "no answer yet"),
])
def test_corner_visits_names_the_mistake(wrong, hint):
    _assert_fails_with(check_hp.check_corner_visits(wrong), hint)


# --------------------------------------------------------------------------- 2: dropout


def correct_dropout(x, keep, rate, training):
    if not training:
        return x
    return x * keep / (1 - rate)


def test_dropout_accepts_correct_functions():
    assert check_hp.check_dropout_forward(correct_dropout).ok
    assert check_hp.check_dropout_forward(hp.dropout_forward).ok
    assert check_hp.check_dropout_forward(
        lambda x, keep, rate, training: np.where(keep, x, 0) * (1 / (1 - rate)) if training else x * 1.0).ok


@pytest.mark.parametrize("wrong, hint", [
    (lambda x, keep, rate, training: x * keep if training else x, "not scaled"),
    (lambda x, keep, rate, training: x * keep * (1 - rate) if training else x, "multiplied the kept units by 1 − rate"),
    (lambda x, keep, rate, training: x * keep / rate if training else x, "divided by the rate"),
    (lambda x, keep, rate, training: x * keep * rate if training else x, "multiplied by the rate"),
    (lambda x, keep, rate, training: x * keep / (1 - rate) if training else x / (1 - rate), "nothing must be scaled"),
    (lambda x, keep, rate, training: x * keep / (1 - rate), "no unit is dropped"),
    (lambda x, keep, rate, training: x * keep if training else x * (1 - rate), "non-inverted"),
    (lambda x, keep, rate, training: x * ~keep / (1 - rate) if training else x, "wrong way round"),
    (lambda x, keep, rate, training: None, "returns None"),
    (lambda x, keep: x, "raised TypeError"),
    (lambda x, keep, rate, training: x, "in training: zero where keep is False"),
])
def test_dropout_names_the_mistake(wrong, hint):
    _assert_fails_with(check_hp.check_dropout_forward(wrong), hint)


def test_dropout_reports_non_functions():
    _assert_fails_with(check_hp.check_dropout_forward(...), "no answer yet")
    _assert_fails_with(check_hp.check_dropout_forward(0.5), "expected a function")


# --------------------------------------------------------------------------- 3: receptive field


def correct_rf(stack):
    r, j = 1, 1
    for k, s in stack:
        r = r + (k - 1) * j
        j = j * s
    return r


def test_receptive_field_accepts_correct_functions():
    assert check_hp.check_receptive_field(correct_rf).ok
    assert check_hp.check_receptive_field(lambda stack: hp.receptive_field(stack)[-1][0]).ok

    def backwards(stack):  # another formula: grow the field from the output back to the input
        r = 1
        for k, s in reversed(stack):
            r = (r - 1) * s + k
        return r

    assert check_hp.check_receptive_field(backwards).ok
    assert check_hp.check_receptive_field(lambda stack: float(correct_rf(stack))).ok


def _no_jump(stack):
    return 1 + sum(k - 1 for k, _ in stack)


def _jump_first(stack):
    r, j = 1, 1
    for k, s in stack:
        j *= s
        r += (k - 1) * j
    return r


def _last_stride_only(stack):
    r, j = 1, 1
    for k, s in stack:
        r += (k - 1) * j
        j = s
    return r


@pytest.mark.parametrize("wrong, hint", [
    (_no_jump, "you added k − 1 for every layer"),
    (_jump_first, "updated the jump before"),
    (_last_stride_only, "must accumulate"),
    (lambda stack: 1 + sum(k - 1 for k, _ in stack) * int(np.prod([s for _, s in stack])),
     "only those of the layers *before*"),
    (lambda stack: sum(k for k, _ in stack), "counts the shared pixel"),
    (lambda stack: correct_rf(stack) + 1, "start from r = 1"),
    (lambda stack: ..., "returns `...`"),
])
def test_receptive_field_names_the_mistake(wrong, hint):
    _assert_fails_with(check_hp.check_receptive_field(wrong), hint)


def test_receptive_field_cases_agree_with_keras():
    for stack in check_hp.RF_STACKS[2:4]:
        assert hp.measure_receptive_field(stack)[0] == correct_rf(stack)


# --------------------------------------------------------------------------- 4: divergence


def test_divergent_rate_accepts_the_answer_however_written():
    assert check_hp.check_divergent_learning_rate(0.5).ok
    assert check_hp.check_divergent_learning_rate(1 / 2).ok
    assert check_hp.check_divergent_learning_rate([0.5]).ok
    found = min(lr for lr in check_hp.CANDIDATE_RATES
                if abs(hp.descend_parabola(lr, check_hp.CURVATURE)[-1]) > 1)  # run it
    assert check_hp.check_divergent_learning_rate(found).ok


@pytest.mark.parametrize("wrong, hint", [
    (0.4, "bounces"),
    (0.2, "best rate"),
    (0.3, "converges"),
    (0.8, "not the smallest"),
    (0.05, "slow, not unstable"),
    (2.0, "multiplies w by"),
    ("0.5", "text"),
    (float("nan"), "NaN"),
])
def test_divergent_rate_names_the_mistake(wrong, hint):
    _assert_fails_with(check_hp.check_divergent_learning_rate(wrong), hint)


def test_checkers_never_reveal_the_answer():
    messages = [check_hp.check_corner_visits(v).message for v in ([25, 25], [1, 1], [2, 2])]
    messages += [check_hp.check_divergent_learning_rate(v).message for v in (0.4, 0.2, 0.3, 0.8, 7)]
    for message in messages:
        assert "[1, 9]" not in message and "0.5" not in message


def test_the_quiz_answer_key():
    assert_answer_key(check_hp.QUIZ, "hyperparameters")
    field, rate = check_hp.QUIZ.questions[2], check_hp.QUIZ.questions[4]
    assert field.key() == hp.receptive_field([(3, 1), (2, 2), (3, 1)])[-1][0]
    for lr, grows in ((rate.key() * 0.99, False), (rate.key() * 1.01, True)):
        path = np.abs(hp.descend_parabola(lr, 4.0))
        assert bool(np.all(np.diff(path) > 0)) is grows
