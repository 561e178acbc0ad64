"""helpers.evaluation.uncertainty: bootstrap intervals contain the estimate and are seeded."""

import pytest
from evaluation_cases import S, Y

from helpers import evaluation as ev


def test_bootstrap_contains_estimate_and_is_seeded(noisy_scores):
    y, s = noisy_scores
    auc = ev.compute_auc(y, s)
    low, high = ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, seed=1)
    assert low < auc < high
    assert (low, high) == ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, seed=1)
    assert (low, high) != ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, seed=2)
    narrow = ev.bootstrap_ci(y, s, ev.metric_at("auc"), n_boot=300, level=0.5, seed=1)
    assert low < narrow[0] < narrow[1] < high


def test_bootstrap_of_rates_contains_estimate(noisy_scores):
    y, s = noisy_scores
    for name in ev.RATE_NAMES:
        value = ev.compute_binary_metrics(y, s, 0.5)[name]
        low, high = ev.bootstrap_ci(y, s, ev.metric_at(name, 0.5), n_boot=200, seed=0)
        assert low <= value <= high, name


def test_bootstrap_rejects_bad_settings():
    with pytest.raises(ValueError, match="n_boot"):
        ev.bootstrap_ci(Y, S, ev.metric_at("auc"), n_boot=3)
    with pytest.raises(ValueError, match="level"):
        ev.bootstrap_ci(Y, S, ev.metric_at("auc"), level=95)
    with pytest.raises(ValueError, match="unknown metric"):
        ev.metric_at("f1")
