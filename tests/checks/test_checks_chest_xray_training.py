"""Tests of the exercise checkers of notebook 09 (training): the correct answer passes however it
is written, and each typical mistake fails with the hint that names it (never with the answer)."""

import math

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers import robustness
from helpers.checks import chest_xray_training as check_training


def _assert_fails_with(result, hint, answer=None):
    assert not result.ok
    assert hint in result.message, result.message
    if answer is not None:
        assert str(answer) not in result.message


# --------------------------------------------------------------------------- exercise 1


def test_first_conv_parameters_matches_keras():
    from helpers import models

    conv1 = models.build_figure3_cnn().get_layer("conv1")
    assert check_training.check_first_conv_parameters(conv1.count_params()).ok
    assert check_training.check_first_conv_parameters(3 * 3 * 1 * 8 + 8).ok
    assert check_training.check_first_conv_parameters([80]).ok
    assert check_training.check_first_conv_parameters(80.0).ok


@pytest.mark.parametrize("wrong, hint", [
    (72, "forgot the biases"),
    (73, "its own bias"),
    (10, "one filter"),
    (28 * 28 * 8, "counts the outputs"),
    (1168, "second convolutional layer"),
    (224, "grey, one channel"),
    (..., "no answer yet"),
    ("80", "text"),
])
def test_first_conv_parameters_names_the_mistake(wrong, hint):
    _assert_fails_with(check_training.check_first_conv_parameters(wrong), hint, 80)


# --------------------------------------------------------------------------- exercise 2


def test_head_parameters_accepts_the_counts_as_a_tuple_a_list_or_from_keras():
    from helpers import models

    h, w, c = check_training.LAST_MAPS
    assert check_training.check_head_parameters((h * w * c + 1, c + 1)).ok
    assert check_training.check_head_parameters([3137, 65]).ok
    assert check_training.check_head_parameters(np.array([3137.0, 65.0])).ok
    common = dict(augment=False, batch_norm=False, dropout=0.0, smooth=False, standardize=False)
    flat = models.build_improved_cnn(global_pooling=False, **common)
    pooled = models.build_improved_cnn(global_pooling=True, **common)
    assert flat.get_layer("flatten").output.shape[1:] == (h * w * c,)
    counts = (flat.get_layer("output").count_params(), pooled.get_layer("output").count_params())
    assert check_training.check_head_parameters(counts).ok


@pytest.mark.parametrize("wrong, hint", [
    ((3136, 64), "forgot the bias"),
    ((65, 3137), "wrong way round"),
    ((3137, 50), "one number per map"),
    ((3137, 3137), "far fewer inputs"),
    ((3137, 64 * 50 + 1), "no weights of its own"),
    ((3137, 64), "global-pooling head has a bias"),
    ((3136, 65), "flatten head has a bias"),
    ((1000, 10), "count the inputs"),
    (3137, "shape"),
    (..., "no answer yet"),
])
def test_head_parameters_names_the_mistake(wrong, hint):
    result = check_training.check_head_parameters(wrong)
    _assert_fails_with(result, hint)
    assert "3137" not in result.message and "65" not in result.message


# --------------------------------------------------------------------------- exercise 3


def updates(n_images, batch_size):
    return math.ceil(n_images / batch_size)


def test_updates_per_epoch_accepts_ceil_in_several_forms():
    assert check_training.check_updates_per_epoch(updates).ok
    assert check_training.check_updates_per_epoch(lambda n, b: -(-n // b)).ok
    assert check_training.check_updates_per_epoch(lambda n, b: int(np.ceil(n / b))).ok
    assert check_training.check_updates_per_epoch(lambda n, b: (n + b - 1) // b).ok


@pytest.mark.parametrize("wrong, hint", [
    (lambda n, b: n // b, "rounded down"),
    (lambda n, b: n / b, "whole number"),
    (lambda n, b: round(n / b), "nearest whole number"),
    (lambda n, b: n // b + 1, "divide evenly"),
    (lambda n, b: n, "not per image"),
    (lambda n, b: b / n, "wrong way round"),
    (lambda n, b: None, "returns None"),
    (lambda n, b: 1 / 0, "ZeroDivisionError"),
    (37, "expected a function"),
])
def test_updates_per_epoch_names_the_mistake(wrong, hint):
    _assert_fails_with(check_training.check_updates_per_epoch(wrong), hint)


# --------------------------------------------------------------------------- exercise 4


def test_confounded_table_has_exactly_one_pair_that_isolates_the_change():
    table = check_training.confounded_table()
    assert [row["row"] for row in table] == ["1", "2", "3", "4", "5"]
    columns = check_training.CONFOUNDED_COLUMNS
    isolating = [(a, b) for a in range(1, 6) for b in range(a + 1, 6)
                 if [c for c in columns if table[a - 1][c] != table[b - 1][c]]
                 == [check_training.ISOLATED]]
    assert isolating == [(2, 5)]


@pytest.mark.parametrize("answer", [(2, 5), (5, 2), [2, 5], np.array([5.0, 2.0])])
def test_isolating_rows_accepts_the_pair_in_either_order(answer):
    assert check_training.check_isolating_rows(answer).ok


@pytest.mark.parametrize("wrong, hint", [
    ((3, 4), "batch norm and dropout"),
    ((1, 2), "body and input blur and standardise and head"),
    ((4, 5), "augmentation and dropout"),
    ((2, 3), "differ in augmentation: a difference"),
    ((5, 5), "itself"),
    (5, "two row numbers"),
    ((0, 9), "between 1 and 5"),
    ((1, 2, 3), "shape"),
    (..., "no answer yet"),
])
def test_isolating_rows_names_the_mistake(wrong, hint):
    result = check_training.check_isolating_rows(wrong)
    _assert_fails_with(result, hint)
    assert "(2, 5)" not in result.message and "rows 2 and 5" not in result.message


def test_the_quiz_answer_key():
    assert_answer_key(check_training.QUIZ, "chest_xray_training")
    _, _, updates, _, accuracy = check_training.QUIZ.questions
    assert check_training.check_updates_per_epoch(lambda n, b: -(-n // b))
    assert updates.key() == -(-5000 // 64)
    assert accuracy.key() == pytest.approx(robustness.accuracy_at_prevalence(0.9, 0.8, 0.1))
