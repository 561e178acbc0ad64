"""helpers.evaluation.uncertainty: bootstrap intervals contain the estimate and are seeded."""

import numpy as np
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


def test_compare_groups_gives_means_differences_and_their_intervals():
    rng = np.random.default_rng(0)
    values = np.r_[rng.normal(1.0, 0.1, 200), rng.normal(1.5, 0.1, 50), np.nan]
    groups = {"a": np.arange(200), "b": np.arange(200, 251), "none": []}
    rows = ev.compare_groups(values, groups, reference="a", n_boot=200, seed=1)
    a, b, empty = rows
    assert (a["cases"], a["n"], b["n"], empty["n"]) == ("a", 200, 50, 0)  # the NaN is left out
    assert a["low"] < a["mean"] < a["high"] and np.isnan(a["difference"])
    assert b["diff_low"] < b["difference"] < b["diff_high"]
    assert b["difference"] == pytest.approx(0.5, abs=0.05) and b["diff_low"] > 0.4
    assert np.isnan(empty["mean"]) and np.isnan(empty["diff_low"])
    with pytest.raises(ValueError, match="reference"):
        ev.compare_groups(values, groups, reference="c")

