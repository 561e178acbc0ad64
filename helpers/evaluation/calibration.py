"""Calibration: does a predicted probability of 0.8 mean that 80 % of such cases are positive?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import validate
from helpers.evaluation.metrics import check_binary_inputs


def _check_probabilities(p: np.ndarray) -> None:
    if p.min() < 0.0 or p.max() > 1.0:
        raise ValueError(
            f"probabilities must lie in [0, 1], got values from {p.min():g} to {p.max():g}: "
            "pass the sigmoid output, not the logits"
        )


@dataclass(frozen=True)
class CalibrationBins:
    """Reliability-diagram data for ``n_bins`` equal-width probability bins.

    edges: (n_bins + 1,) in [0, 1]; mean_predicted, fraction_positive: (n_bins,) float64,
    NaN for empty bins; counts: (n_bins,) int64.
    """

    edges: np.ndarray
    mean_predicted: np.ndarray
    fraction_positive: np.ndarray
    counts: np.ndarray

    def expected_calibration_error(self) -> float:
        """Count-weighted mean |fraction positive - mean predicted| over non-empty bins."""
        used = self.counts > 0
        gaps = np.abs(self.fraction_positive[used] - self.mean_predicted[used])
        return float(np.sum(gaps * self.counts[used]) / np.sum(self.counts[used]))


def compute_calibration(y_true, y_prob, n_bins: int = 10) -> CalibrationBins:
    """Bin the predicted probabilities into ``n_bins`` equal-width bins on [0, 1] and compare
    the mean prediction of each bin with the observed fraction of positives.

    A well-calibrated model has fraction_positive ≈ mean_predicted in every bin. Bins are
    closed on the left, ``[a, b)``, except the last, which includes 1.0.
    """
    y, p = check_binary_inputs(y_true, y_prob)
    _check_probabilities(p)
    n_bins = validate.whole_number(n_bins, "n_bins")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, n_bins - 1)
    counts = np.bincount(which, minlength=n_bins).astype(np.int64)
    sums = np.bincount(which, weights=p, minlength=n_bins)
    positives = np.bincount(which, weights=y, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_predicted = np.where(counts > 0, sums / counts, np.nan)
        fraction_positive = np.where(counts > 0, positives / counts, np.nan)
    return CalibrationBins(edges, mean_predicted, fraction_positive, counts)


def compute_brier(y_true, y_prob) -> float:
    """Brier score: mean of (p - y)^2, in [0, 1]; 0 is perfect, 0.25 is always answering 0.5."""
    y, p = check_binary_inputs(y_true, y_prob)
    _check_probabilities(p)
    return float(np.mean((p - y) ** 2))
