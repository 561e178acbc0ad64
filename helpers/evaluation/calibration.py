"""Calibration: does a predicted probability of 0.8 mean that 80 % of such cases are positive?

- :func:`compute_calibration` (reliability bins) and :func:`compute_brier` measure it.
- :func:`fit_platt_scaling`, :func:`fit_temperature_scaling` and :func:`prior_shift_correction`
  repair it: each returns a :class:`LogitMap`, p' = sigmoid(slope · logit(p) + offset)
  (:func:`compute_logit`), taught in ``notebooks/10_clinical_evaluation.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import validate
from helpers.evaluation.metrics import check_binary_inputs


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
    validate.probabilities(p)
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
    validate.probabilities(p)
    return float(np.mean((p - y) ** 2))


# --------------------------------------------------------------------------- recalibration
#
# Every map below has the same form, p' = sigmoid(slope · logit(p) + offset): the temperature
# fits the slope alone (offset 0), the prior-shift correction fixes the offset from two
# prevalences (slope 1), and Platt scaling fits both. Only an offset can move every logit by
# the same amount, which is what class weights and a change of prevalence do.

#: How far from 0 and 1 :func:`compute_logit` clips probabilities (float32 sigmoid outputs
#: reach exactly 1.0; the clipped logit is then about ±16.1).
LOGIT_EPSILON = 1e-7


def compute_logit(p, eps: float = LOGIT_EPSILON) -> np.ndarray:
    """log(p / (1 − p)) of probabilities ``p`` (any shape) in [0, 1], as float64.

    The probabilities are clipped to [eps, 1 − eps] first, so that 0 and 1 give finite
    values. ``ValueError`` for values outside [0, 1] (e.g. logits passed by mistake).
    """
    p = np.asarray(p, dtype=np.float64)
    if p.size:
        if not np.all(np.isfinite(p)):
            raise ValueError("probabilities contain NaN or infinite values")
        validate.probabilities(p)
    p = np.clip(p, eps, 1.0 - eps)
    return np.log(p) - np.log1p(-p)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


@dataclass(frozen=True)
class LogitMap:
    """A recalibration map p' = sigmoid(slope · logit(p) + offset).

    ``method`` names how it was obtained ("Platt scaling", "temperature scaling",
    "prior shift"). A positive slope keeps the order of the cases, so the AUC and the
    decisions at a mapped threshold do not change; only what the numbers mean does.
    """

    method: str
    slope: float
    offset: float

    @property
    def temperature(self) -> float:
        """1 / slope: the T of temperature scaling, logit(p) / T."""
        return 1.0 / self.slope

    def apply(self, p) -> np.ndarray:
        """The recalibrated probabilities of ``p`` (any shape, in [0, 1]), float64 in (0, 1)."""
        return _sigmoid(self.slope * compute_logit(p) + self.offset)

    def describe(self) -> str:
        return (f"{self.method}: p' = sigmoid({self.slope:.3f} · logit(p) "
                f"{'+' if self.offset >= 0 else '−'} {abs(self.offset):.3f})")


def _log_loss(slope: float, offset: float, x: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood of labels y under sigmoid(slope · x + offset)."""
    z = slope * x + offset
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _fit(y_val, p_val, *, fit_offset: bool) -> tuple[float, float]:
    """Maximum-likelihood slope (and offset) of sigmoid(slope · logit(p) + offset)."""
    from scipy.optimize import minimize

    y, p = check_binary_inputs(y_val, p_val)
    validate.probabilities(p)
    if y.min() == y.max():
        raise ValueError("fitting a calibration map needs both classes in the validation data")
    x, target = compute_logit(p), y.astype(np.float64)

    def loss_and_gradient(params: np.ndarray) -> tuple[float, np.ndarray]:
        slope, offset = params[0], params[1] if fit_offset else 0.0
        residual = _sigmoid(slope * x + offset) - target
        gradient = [np.mean(residual * x)] + ([np.mean(residual)] if fit_offset else [])
        return _log_loss(slope, offset, x, target), np.array(gradient)

    start = np.array([1.0, 0.0] if fit_offset else [1.0])
    bounds = [(1e-3, 1e3)] + ([(-1e3, 1e3)] if fit_offset else [])
    found = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B", bounds=bounds,
                     options={"ftol": 1e-12, "gtol": 1e-9, "maxiter": 1000})
    return float(found.x[0]), float(found.x[1]) if fit_offset else 0.0


def fit_platt_scaling(y_val, p_val) -> LogitMap:
    """Platt scaling (Platt 1999): the slope a and offset b of sigmoid(a · logit(p) + b) that
    maximise the likelihood of the validation labels.

    y_val: (N,) labels 0/1 with both classes; p_val: (N,) the model's probabilities in [0, 1].
    It is a logistic regression on logit(p); Platt's smoothed targets are not used. The fitted
    offset also absorbs the validation split's prevalence: on data with another prevalence,
    follow it with :func:`prior_shift_correction`.
    """
    slope, offset = _fit(y_val, p_val, fit_offset=True)
    return LogitMap("Platt scaling", slope, offset)


def fit_temperature_scaling(y_val, p_val) -> LogitMap:
    """Temperature scaling (Guo et al. 2017): the one temperature T of sigmoid(logit(p) / T)
    that maximises the likelihood of the validation labels (slope 1/T, offset 0).

    It can make probabilities more or less extreme, but it cannot move them all up or down:
    dividing a logit by T leaves a logit of 0 (p = 0.5) where it is.
    """
    slope, _ = _fit(y_val, p_val, fit_offset=False)
    return LogitMap("temperature scaling", slope, 0.0)


def prior_shift_correction(prevalence_new: float, prevalence_train: float = 0.5) -> LogitMap:
    """Bayes' rule for a change of prevalence (Saerens et al. 2002; Elkan 2001):
    logit(p') = logit(p) + log(π_new / (1 − π_new)) − log(π_train / (1 − π_train)).

    ``prevalence_train`` is the prevalence the model's probabilities assume: a model trained
    with balanced class weights behaves as if it were 0.5 (the default); for a map fitted on
    validation data it is the validation split's. Both must lie strictly between 0 and 1. It
    assumes the images of each class look the same in both populations; only their
    proportions differ.
    """
    odds = []
    for name, value in (("prevalence_new", prevalence_new),
                        ("prevalence_train", prevalence_train)):
        value = validate.real_number(value, name)
        if not 0.0 < value < 1.0:
            raise ValueError(f"{name} must lie strictly between 0 and 1 (a proportion: 0.05 for "
                             f"5 %), got {value:g}")
        odds.append(np.log(value) - np.log1p(-value))
    return LogitMap("prior shift", 1.0, float(odds[0] - odds[1]))
