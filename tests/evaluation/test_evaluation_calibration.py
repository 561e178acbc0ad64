"""helpers.evaluation.calibration: reliability bins by hand, the Brier score, bad probabilities."""

import numpy as np
import pytest

from helpers import evaluation as ev


def test_probabilities_outside_unit_interval_are_refused():
    with pytest.raises(ValueError, match="logits"):
        ev.compute_brier([0, 1], [-2.0, 3.0])
    with pytest.raises(ValueError, match="logits"):
        ev.compute_calibration([0, 1], [0.2, 1.5])


def test_calibration_bins_by_hand():
    y = np.array([0, 1, 0, 1, 1, 1])
    p = np.array([0.05, 0.15, 0.55, 0.6, 0.95, 1.0])
    bins = ev.compute_calibration(y, p, n_bins=2)
    np.testing.assert_allclose(bins.edges, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(bins.counts, [2, 4])
    np.testing.assert_allclose(bins.mean_predicted, [0.1, 0.775])
    np.testing.assert_allclose(bins.fraction_positive, [0.5, 0.75])
    assert bins.expected_calibration_error() == pytest.approx((2 * 0.4 + 4 * 0.025) / 6)


def test_calibration_empty_bins_are_nan_and_perfect_model_is_calibrated():
    bins = ev.compute_calibration([0, 1], [0.05, 0.95], n_bins=10)
    assert bins.counts.sum() == 2 and np.isnan(bins.mean_predicted[5])
    rng = np.random.default_rng(0)
    p = rng.random(20000)
    y = (rng.random(20000) < p).astype(int)
    assert ev.compute_calibration(y, p).expected_calibration_error() < 0.02
    assert ev.compute_brier(y, p) == pytest.approx(1 / 6, abs=0.01)  # E[p(1-p)] for uniform p
