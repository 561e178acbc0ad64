"""helpers.evaluation.thresholds: each rule by hand, and the threshold chosen on validation data."""

import numpy as np
import pytest
from evaluation_cases import S, Y

from helpers import evaluation as ev


@pytest.mark.filterwarnings("ignore:npv undefined")
def test_youden_threshold_by_hand():
    # no cut point has a larger sensitivity + specificity - 1 than the chosen threshold
    t = ev.choose_threshold(Y, S, "youden")
    m = ev.compute_binary_metrics(Y, S, t)
    j = m["sensitivity"] + m["specificity"] - 1
    for cut in np.unique(S):
        other = ev.compute_binary_metrics(Y, S, cut)
        assert j >= other["sensitivity"] + other["specificity"] - 1 - 1e-12
    # the threshold sits between two scores, not on one
    assert not np.any(np.isclose(S, t))


def test_threshold_lies_half_way_between_scores():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.2, 0.6, 0.8])
    assert ev.choose_threshold(y, s, "youden") == pytest.approx(0.4)
    assert ev.choose_threshold(y, s, "equal_error") == pytest.approx(0.4)
    assert ev.choose_threshold(y, s, "max_accuracy") == pytest.approx(0.4)


def test_max_accuracy_depends_on_prevalence_but_youden_does_not():
    from scipy.stats import norm

    def scores(n, mean):  # evenly spread quantiles of a normal distribution, sd 0.12
        return norm.ppf((np.arange(n) + 0.5) / n, loc=mean, scale=0.12)

    balanced = np.r_[np.zeros(300), np.ones(300)], np.r_[scores(300, 0.35), scores(300, 0.65)]
    skewed = np.r_[np.zeros(30), np.ones(300)], np.r_[scores(30, 0.35), scores(300, 0.65)]
    # equal spreads: the best balanced cut is half-way, 0.5, whatever the prevalence
    assert ev.choose_threshold(*balanced, "youden") == pytest.approx(0.5, abs=0.02)
    assert ev.choose_threshold(*skewed, "youden") == pytest.approx(0.5, abs=0.03)
    # with ten positives per negative, accuracy is best when more cases are called positive
    assert ev.choose_threshold(*skewed, "max_accuracy") < 0.45


def test_sensitivity_target_threshold():
    t = ev.choose_threshold(Y, S, "sensitivity", target_sensitivity=1.0)
    assert ev.compute_binary_metrics(Y, S, t)["sensitivity"] == 1.0
    assert 0.1 < t < 0.2  # the highest threshold that still catches the 0.2 positive
    with pytest.raises(ValueError, match="target_sensitivity"):
        ev.choose_threshold(Y, S, "sensitivity", target_sensitivity=1.5)


def test_unknown_method():
    with pytest.raises(ValueError, match="youden"):
        ev.choose_threshold(Y, S, "best")


def test_threshold_is_chosen_on_validation_and_applied_to_test(noisy_scores):
    """The workflow: choose on val, report on test; the test labels never enter the choice."""
    y, s = noisy_scores
    y_val, s_val, y_test, s_test = y[:200], s[:200], y[200:], s[200:]
    t = ev.choose_threshold(y_val, s_val)
    flipped = 1 - y_test  # whatever the test labels are, the threshold is the same
    assert ev.choose_threshold(y_val, s_val) == t
    assert ev.compute_binary_metrics(y_test, s_test, t)["n"] == 200
    assert ev.compute_binary_metrics(flipped, s_test, t)["threshold"] == t


def test_robust_threshold_keeps_a_margin_from_every_score():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(60), np.ones(200)].astype(int)
    p = np.clip(np.r_[rng.normal(0.3, 0.15, 60), rng.normal(0.75, 0.15, 200)], 0, 1)
    t = ev.choose_threshold_robustly(y, p, seed=0)
    below, above = p[p < t].max(), p[p >= t].min()
    assert t == pytest.approx((below + above) / 2)
    assert t == ev.choose_threshold_robustly(y, p, seed=0)  # seeded
    assert 0.35 < t < 0.7
    assert ev.choose_threshold_robustly(y, p, n_boot=0) == ev.choose_threshold(y, p)
