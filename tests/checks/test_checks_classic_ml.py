"""helpers.checks.classic_ml: the exercise checkers of notebook 07 accept the right answers
however they are written, name the typical mistakes, and never reveal the answer."""

from __future__ import annotations

import math

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers import convolution, evaluation
from helpers.checks import classic_ml as check_classic_ml


def _assert_fails_with(result, hint):
    assert not result.ok
    assert hint in result.message, result.message


# --------------------------------------------------------------------------- exercise 1


@pytest.mark.parametrize("answer", [224 * 224 * 3 + 1, 150_529, 150529.0, [150_529],
                                    np.int64(150_529)])
def test_neuron_parameters_accepts_any_form_of_the_answer(answer):
    assert check_classic_ml.check_neuron_parameters(answer).ok


@pytest.mark.parametrize(("answer", "hint"), [
    (224 * 224 * 3, "also has a bias"),
    (224 * 224, "three channels"),
    (224 * 224 + 1, "three channels"),
    (224 * 224 + 3, "multiply by the channels"),
    (224 * 3 + 1, "not one row"),
    (187_501, "the entry's 250×250 image"),
    (28, "one 3×3 convolution filter"),
    (12345, "one weight per input value"),
    ("150529", "text"),
    (..., "no answer yet"),
])
def test_neuron_parameters_names_the_mistake(answer, hint):
    _assert_fails_with(check_classic_ml.check_neuron_parameters(answer), hint)


# --------------------------------------------------------------------------- exercise 2


def test_conv_parameters_accepts_the_formula_and_keras():
    from helpers.classic_ml import sharing

    assert check_classic_ml.check_conv_parameters(5 * 5 * 3 * 16 + 16).ok
    assert check_classic_ml.check_conv_parameters(convolution.count_conv_parameters(5, 3, 16)).ok
    assert check_classic_ml.check_conv_parameters(
        sharing.count_with_keras((224, 224, 3), "conv", 16, kernel_size=5)).ok


@pytest.mark.parametrize(("answer", "hint"), [
    (5 * 5 * 3 * 16, "forgot the biases"),
    (5 * 5 * 16 + 16, "each of the 3 input channels"),
    (5 * 5 * 3 + 1, "that is one filter"),
    (220 * 220 * 1216, "without parameter sharing"),
    (224 * 224 * 1216, "does not depend on the image size"),
])
def test_conv_parameters_names_the_mistake(answer, hint):
    _assert_fails_with(check_classic_ml.check_conv_parameters(answer), hint)


def test_unshared_parameters_accepts_any_form_of_the_answer():
    assert check_classic_ml.check_unshared_parameters(220 * 220 * (5 * 5 * 3 * 16 + 16)).ok
    assert check_classic_ml.check_unshared_parameters((224 - 5 + 1) ** 2 * 1216).ok


@pytest.mark.parametrize(("answer", "hint"), [
    (1216, "the count with sharing"),
    (224 * 224 * 1216, "224 − 5 + 1 positions"),
    (219 * 219 * 1216, "off by one"),
    (220 * 220 * 1200, "its own bias"),
    (220 * 220 * 76, "that is one filter"),
    (220 * 1216, "220 × 220 positions"),
    (5.89e7, "count the output positions"),  # whole numbers must be exact
])
def test_unshared_parameters_names_the_mistake(answer, hint):
    _assert_fails_with(check_classic_ml.check_unshared_parameters(answer), hint)


# --------------------------------------------------------------------------- exercise 3


def auc_with_loops(labels, scores):
    positives = [s for y, s in zip(labels, scores, strict=True) if y == 1]
    negatives = [s for y, s in zip(labels, scores, strict=True) if y == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def auc_by_broadcasting(labels, scores):
    labels, scores = np.asarray(labels), np.asarray(scores)
    pos, neg = scores[labels == 1][:, None], scores[labels == 0][None, :]
    return float(np.mean(pos > neg) + 0.5 * np.mean(pos == neg))


def test_auc_accepts_loops_numpy_and_scikit_learn():
    from sklearn.metrics import roc_auc_score

    for function in (auc_with_loops, auc_by_broadcasting, roc_auc_score):
        assert check_classic_ml.check_auc(function).ok, function


def strict_only(labels, scores):
    labels, scores = np.asarray(labels), np.asarray(scores)
    return float(np.mean(scores[labels == 1][:, None] > scores[labels == 0][None, :]))


@pytest.mark.parametrize(("function", "hint"), [
    (strict_only, "ties are not handled"),
    (lambda y, s: float(np.mean(np.asarray(s)[np.asarray(y) == 1][:, None]
                                >= np.asarray(s)[np.asarray(y) == 0][None, :])),
     "counted a tie as a win"),
    (lambda y, s: 1.0 - auc_with_loops(y, s), "gave the win to the negative case"),
    (lambda y, s: float(np.mean((np.asarray(s) >= 0.5) == np.asarray(y))), "accuracy"),
    (lambda y, s: auc_with_loops(y, s) * sum(y) * (len(y) - sum(y)) / len(y),
     "divided by the number of cases"),
    (lambda y, s: None, "returns None"),
    (lambda y: 0.5, "raised TypeError"),
])
def test_auc_names_the_mistake(function, hint):
    _assert_fails_with(check_classic_ml.check_auc(function), hint)


# --------------------------------------------------------------------------- exercise 4


def crossover_with_a_loop(sizes, cnn_auc, classic_aucs):
    best = np.max(classic_aucs, axis=0)
    for size, cnn, classic in zip(sizes, cnn_auc, best, strict=True):
        if cnn > classic:
            return size
    return None


def crossover_vectorised(sizes, cnn_auc, classic_aucs):
    return sizes[np.argmax(cnn_auc > np.max(classic_aucs, axis=0))]


def test_crossover_accepts_a_loop_and_numpy():
    assert check_classic_ml.check_crossover(crossover_with_a_loop).ok
    assert check_classic_ml.check_crossover(crossover_vectorised).ok


def _first(sizes, mask):
    return sizes[np.flatnonzero(mask)[0]]


@pytest.mark.parametrize(("function", "hint"), [
    (lambda n, a, c: _first(n, a >= np.max(c, axis=0)), "a tie is not a lead"),
    (lambda n, a, c: _first(n, a > np.mean(c, axis=0)), "average classic pipeline"),
    (lambda n, a, c: _first(n, a > np.min(c, axis=0)), "beat every one of them"),
    (lambda n, a, c: _first(n, a > c[0]), "first pipeline only"),
    (lambda n, a, c: int(np.argmax(a > np.max(c, axis=0))), "position in the list"),
    (lambda n, a, c: n[np.flatnonzero(a > np.max(c, axis=0))[-1]], "largest such size"),
    (lambda n, a, c: "100", "should return a number"),
])
def test_crossover_names_the_mistake(function, hint):
    _assert_fails_with(check_classic_ml.check_crossover(function), hint)


# --------------------------------------------------------------------------- never the answer


def test_checkers_never_reveal_the_answer():
    messages = [check_classic_ml.check_neuron_parameters(v).message for v in (1, 150_528, 50_176)]
    messages += [check_classic_ml.check_conv_parameters(v).message for v in (1, 1200, 416)]
    messages += [check_classic_ml.check_unshared_parameters(v).message for v in (1, 1216)]
    messages += [check_classic_ml.check_auc(strict_only).message,
                 check_classic_ml.check_crossover(lambda n, a, c: 7).message]
    for message in messages:
        for secret in ("150529", "150,529", "1216", "1,216", "58854400", "58,854,400"):
            assert secret not in message, message
    assert not math.isnan(check_classic_ml.CONV_FILTERS)


def test_the_quiz_answer_key():
    assert_answer_key(check_classic_ml.QUIZ, "classic_ml")
    auc = evaluation.compute_auc(np.array([1, 1, 0, 0]), np.array([0.9, 0.4, 0.6, 0.2]))
    assert check_classic_ml.QUIZ.questions[3].key() == pytest.approx(auc)
