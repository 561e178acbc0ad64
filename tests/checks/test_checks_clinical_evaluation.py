"""Tests of the exercise checkers of notebook 10: the correct answer passes, in every form a
learner may write it, and each typical mistake fails with the hint that names it (and never
with the answer)."""

import numpy as np
import pytest
from quiz_keys import assert_answer_key

from helpers import evaluation, explain
from helpers.checks import clinical_evaluation as check_evaluation

# --------------------------------------------------------------------------- exercise 1


def sens_spec(confusion):
    (tn, fp), (fn, tp) = confusion
    return tp / (tp + fn), tn / (tn + fp)


def test_sensitivity_specificity_accepts_the_correct_function():
    assert check_evaluation.check_sensitivity_specificity(sens_spec).ok


def test_sensitivity_specificity_also_accepts_the_course_helper():
    def with_helper(confusion):
        rates = evaluation.rates_from_confusion(confusion)
        return rates["sensitivity"], rates["specificity"]

    assert check_evaluation.check_sensitivity_specificity(with_helper).ok


@pytest.mark.parametrize("wrong, hint", [
    (lambda c: (c[1, 1] / c[:, 1].sum(), c[0, 0] / c[:, 0].sum()), "swap rows and columns"),
    (lambda c: (c[1, 1] / (c[1, 1] + c[0, 1]), c[0, 0] / (c[0, 0] + c[0, 1])), "is the PPV"),
    (lambda c: sens_spec(c)[::-1], "wrong way round"),
    (lambda c: (c[1, 1] / c[1].sum(), c[0, 0] / (c[0, 0] + c[1, 0])), "is the NPV"),
    (lambda c: tuple(100 * v for v in sens_spec(c)), "percentages"),
    (lambda c: (c[1, 1] / c.sum(), c[0, 0] / c.sum()), "divided by all cases"),
    (lambda c: None, "returns None"),
    (lambda c: 1 / 0, "ZeroDivisionError"),
])
def test_sensitivity_specificity_names_the_mistake(wrong, hint):
    result = check_evaluation.check_sensitivity_specificity(wrong)
    assert not result.ok
    assert hint in result.message


# --------------------------------------------------------------------------- exercise 2

SE, SP, P = (check_evaluation.SCREENING_TEST[k] for k in ("sensitivity", "specificity",
                                                          "prevalence"))
CORRECT_PPV = SE * P / (SE * P + (1 - SP) * (1 - P))


def test_ppv_accepts_bayes_rule_and_natural_frequencies():
    assert check_evaluation.check_ppv_at_prevalence(CORRECT_PPV).ok
    people = 100_000  # the same by counting people
    ill = P * people
    true_pos, false_pos = SE * ill, (1 - SP) * (people - ill)
    assert check_evaluation.check_ppv_at_prevalence(true_pos / (true_pos + false_pos)).ok


@pytest.mark.parametrize("wrong, hint", [
    (SE / (SE + (1 - SP)), "left out the prevalence"),
    (SE * 0.625 / (SE * 0.625 + (1 - SP) * 0.375), "study's prevalence"),
    (SE, "that is the sensitivity"),
    (SE * P / (SE * P + SP * (1 - P)), "not by the specificity"),
    (SP * (1 - P) / (SP * (1 - P) + (1 - SE) * P), "that is the NPV"),
    (100 * CORRECT_PPV, "not a percentage"),
    (..., "no answer yet"),
])
def test_ppv_names_the_mistake(wrong, hint):
    result = check_evaluation.check_ppv_at_prevalence(wrong)
    assert not result.ok
    assert hint in result.message
    assert f"{CORRECT_PPV:.2f}" not in result.message and f"{CORRECT_PPV:.3f}" not in result.message


# --------------------------------------------------------------------------- exercise 3


@pytest.fixture(scope="module")
def exercise():
    return check_evaluation.make_threshold_exercise()


def youden_on(part, method="youden"):
    return evaluation.choose_threshold(part["labels"], part["scores"], method)


def test_threshold_exercise_data_is_deterministic_and_valid(exercise):
    again = check_evaluation.make_threshold_exercise()
    for name in ("train", "val", "test"):
        np.testing.assert_array_equal(exercise[name]["scores"], again[name]["scores"])
        assert set(np.unique(exercise[name]["labels"])) == {0, 1}
        assert exercise[name]["scores"].min() >= 0 and exercise[name]["scores"].max() <= 1
    # the mistakes give different thresholds, so the hints can tell them apart
    values = [youden_on(exercise[s]) for s in ("train", "val", "test")] + [0.5]
    assert len({round(v, 6) for v in values}) == 4


def test_threshold_accepts_youden_on_validation(exercise):
    assert check_evaluation.check_threshold_choice(youden_on(exercise["val"])).ok
    # a NumPy float (e.g. from float32 arithmetic) is checked like a Python float
    assert check_evaluation.check_threshold_choice(np.float64(youden_on(exercise["val"]))).ok


def nudged_youden(split: dict, fraction: float) -> float:
    """A threshold ``fraction`` of the way from the score just below the split's Youden
    threshold to the one at or above it: the same decisions on that split, another number."""
    best = youden_on(split)
    scores = np.sort(split["scores"])
    above = scores[scores >= best].min()
    below = scores[scores < best].max()
    return below + fraction * (above - below)


def test_threshold_accepts_any_threshold_with_the_best_validation_j(exercise):
    # any threshold strictly between the two neighbouring scores takes the same decisions
    assert check_evaluation.check_threshold_choice(nudged_youden(exercise["val"], 0.9)).ok


@pytest.mark.parametrize("make, hint", [
    (lambda ex: youden_on(ex["test"]), "chosen on the test split"),
    (lambda ex: youden_on(ex["train"]), "training split"),
    (lambda ex: 0.5, "0.5 is a convention"),
    (lambda ex: youden_on(ex["val"], "max_accuracy"), "best accuracy"),
    (lambda ex: evaluation.choose_threshold(
        np.concatenate([ex["val"]["labels"], ex["test"]["labels"]]),
        np.concatenate([ex["val"]["scores"], ex["test"]["scores"]])), "pooled"),
    (lambda ex: 0.01, "not the threshold asked for"),
])
def test_threshold_names_the_mistake(exercise, make, hint):
    result = check_evaluation.check_threshold_choice(make(exercise))
    assert not result.ok
    assert hint in result.message


def test_threshold_on_test_is_caught_even_when_nudged(exercise):
    result = check_evaluation.check_threshold_choice(nudged_youden(exercise["test"], 0.8))
    assert not result.ok and "test split" in result.message


# --------------------------------------------------------------------------- exercise 4


def shift_prior(p, prevalence_new, prevalence_train):
    logit = np.log(p / (1 - p))
    logit += np.log(prevalence_new / (1 - prevalence_new))
    logit -= np.log(prevalence_train / (1 - prevalence_train))
    return 1 / (1 + np.exp(-logit))


def shift_prior_by_odds(p, prevalence_new, prevalence_train):
    odds = p / (1 - p) * (prevalence_new / (1 - prevalence_new)) \
        / (prevalence_train / (1 - prevalence_train))
    return list(odds / (1 + odds))  # a list is fine too


def shift_prior_with_the_course_helper(p, prevalence_new, prevalence_train):
    return evaluation.prior_shift_correction(prevalence_new, prevalence_train).apply(p)


@pytest.mark.parametrize("function", [shift_prior, shift_prior_by_odds,
                                      shift_prior_with_the_course_helper])
def test_prior_shift_accepts_every_correct_form(function):
    assert check_evaluation.check_prior_shift(function).ok


def odds(p):
    return p / (1 - p)


def logit(p):
    return np.log(odds(p))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("wrong, hint", [
    (lambda p, new, train: shift_prior(p, train, new), "wrong way"),
    (lambda p, new, train: sigmoid(logit(p) + logit(new)), "did not take away"),
    (lambda p, new, train: logit(p) + logit(new) - logit(train), "corrected logit"),
    (lambda p, new, train: odds(p) * odds(new) / odds(train), "corrected odds"),
    (lambda p, new, train: p * new / train, "ratio of the prevalences"),
    (lambda p, new, train: p * odds(new) / odds(train), "multiply the odds"),
    (lambda p, new, train: sigmoid(logit(p) + new - train), "prevalences themselves"),
    (lambda p, new, train: p, "some probabilities differ"),
    (lambda p, new, train: None, "returns None"),
])
def test_prior_shift_names_the_mistake(wrong, hint):
    result = check_evaluation.check_prior_shift(wrong)
    assert not result.ok
    assert hint in result.message


def test_prior_shift_cases_tell_the_mistakes_apart():
    # without a training prevalence other than 0.5, leaving its term out would go unnoticed
    assert any(train != 0.5 for _, _, train in check_evaluation.PRIOR_SHIFT_CASES)


# --------------------------------------------------------------------------- exercise 5


def heat_ratio(heatmap, mask):
    return (heatmap[mask].sum() / heatmap.sum()) / mask.mean()


def heat_ratio_as_mean_heat(heatmap, mask):
    return heatmap[mask].mean() / heatmap.mean()  # the same ratio, per pixel


def heat_ratio_with_the_course_helper(heatmap, mask):
    share, baseline = explain.compute_region_share(heatmap[np.newaxis], mask)
    return share[0] / baseline


@pytest.mark.parametrize("function", [heat_ratio, heat_ratio_as_mean_heat,
                                      heat_ratio_with_the_course_helper])
def test_heat_ratio_accepts_every_correct_form(function):
    assert check_evaluation.check_heat_ratio(function).ok


@pytest.mark.parametrize("wrong, hint", [
    (lambda h, m: h[m].sum() / h.sum(), "share a uniform heatmap"),
    (lambda h, m: h[m].mean(), "mean heat per pixel in the region"),
    (lambda h, m: h[m].sum(), "total heat in the region"),
    (lambda h, m: m.mean() / (h[m].sum() / h.sum()), "upside down"),
    (lambda h, m: heat_ratio(h, ~m), "outside the mask"),
    (lambda h, m: h[m].sum() / h.sum() / m.sum(), "number of pixels"),
    (lambda h, m: 1.0, "not yet"),
    (lambda h, m: "1.0", "returns a str"),
])
def test_heat_ratio_names_the_mistake(wrong, hint):
    result = check_evaluation.check_heat_ratio(wrong)
    assert not result.ok
    assert hint in result.message


def test_a_confusion_matrix_read_with_predicted_rows_and_positives_first_is_named():
    """[[TP, FP], [FN, TN]], a textbook layout, read into [[TN, FP], [FN, TP]] gives (NPV, PPV)."""
    def textbook_layout(confusion):
        (tp, fp), (fn, tn) = confusion
        return tp / (tp + fn), tn / (tn + fp)
    result = check_evaluation.check_sensitivity_specificity(textbook_layout)
    assert not result and "layout" in result.message


def test_the_quiz_answer_key():
    assert_answer_key(check_evaluation.QUIZ, "clinical_evaluation")
    ppv, _ = evaluation.predictive_values(0.9, 0.95, 0.01)
    assert check_evaluation.QUIZ.questions[0].key() == pytest.approx(ppv)
    heatmap = np.zeros((10, 10))
    mask = np.zeros((10, 10), dtype=bool)
    mask[:2] = True  # 20 % of the image
    heatmap[0, 0], heatmap[9, 9] = 1.0, 1.0  # half of the heat inside
    assert check_evaluation.QUIZ.questions[4].key() == pytest.approx(
        check_evaluation._heat_ratio(heatmap, mask))
