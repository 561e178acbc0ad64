"""Bootstrap confidence intervals for the AUC and the rates at a threshold, and for the means of
groups of cases and their differences (:func:`compare_groups`)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from helpers import validate
from helpers.evaluation.metrics import (
    RATE_NAMES,
    auc_by_ranks,
    check_binary_inputs,
    compute_confusion,
    rates_from_confusion,
)


def bootstrap_ci(
    y_true,
    y_score,
    metric: Callable[[np.ndarray, np.ndarray], float],
    *,
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    stratified: bool = True,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval ``(low, high)`` of ``metric(y, s)``.

    The cases are resampled with replacement ``n_boot`` times (seeded: the same ``seed`` gives
    the same interval). ``stratified=True`` resamples positives and negatives separately, so
    every resample keeps the prevalence and both classes, as the AUC needs. Resamples on which
    the metric is NaN are ignored; a ``ValueError`` is raised if more than half are.
    """
    y, s = check_binary_inputs(y_true, y_score)
    groups = [np.flatnonzero(y == c) for c in (0, 1)] if stratified else [np.arange(len(y))]
    return resampled_interval(y, s, metric, groups, n_boot=n_boot, level=level, seed=seed)


def resampled_interval(y: np.ndarray, s: np.ndarray, metric: Callable[[np.ndarray, np.ndarray],
                       float], groups: list[np.ndarray], *, n_boot: int, level: float,
                       seed: int) -> tuple[float, float]:
    """The percentile bootstrap behind every interval of the course: ``n_boot`` resamples, each
    drawing every group of case indices (e.g. one per class, which keeps the class counts) with
    replacement, seeded; ``metric(y[idx], s[idx])`` on each. NaN resamples are ignored, and a
    ``ValueError`` is raised if more than half are."""
    n_boot = validate.whole_number(n_boot, "n_boot", minimum=10)
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level}")
    rng = np.random.default_rng(seed)
    groups = [g for g in groups if len(g)]
    values = np.empty(n_boot)
    for b in range(n_boot):
        idx = np.concatenate([rng.choice(g, size=len(g), replace=True) for g in groups])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            values[b] = metric(y[idx], s[idx])
    valid = values[np.isfinite(values)]
    if len(valid) < n_boot / 2:
        raise ValueError(
            "the metric was undefined on most bootstrap resamples: does the data contain every "
            "class, and enough of each?"
        )
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(valid, [alpha, 1.0 - alpha])
    return float(low), float(high)


def metric_at(name: str, threshold: float = 0.5) -> Callable[[np.ndarray, np.ndarray], float]:
    """A ``metric(y, s)`` function for :func:`bootstrap_ci`: ``"auc"`` or one of
    :data:`RATE_NAMES` at ``threshold``."""
    if name == "auc":
        return auc_by_ranks
    if name not in RATE_NAMES:
        raise ValueError(f"unknown metric {name!r}; choose 'auc' or one of {', '.join(RATE_NAMES)}")

    def metric(y: np.ndarray, s: np.ndarray) -> float:
        return rates_from_confusion(compute_confusion(y, s, threshold))[name]

    metric.__name__ = f"{name}_at_{threshold:g}"
    return metric


def compare_groups(values: np.ndarray, groups: Mapping[str, Sequence[int]], *, reference: str,
                   n_boot: int = 1000, level: float = 0.95, seed: int = 0) -> list[dict]:
    """The mean of ``values`` (N,) in each group of cases, and its difference from the
    ``reference`` group's, each with a percentile bootstrap interval (cases resampled within
    each group, :func:`bootstrap_ci`). NaN values are left out.

    groups: {name: indices into values}, e.g. one per :data:`helpers.explain.CASE_KINDS`. Returns one row per
    group: ``{"cases", "n", "mean", "low", "high", "difference", "diff_low", "diff_high"}``
    (NaN where a group has no value).
    """
    if reference not in groups:
        raise ValueError(f"reference {reference!r} is not one of the groups {list(groups)}")
    values = np.asarray(values, dtype=np.float64)
    kept = {name: values[np.asarray(index, dtype=np.int64)] for name, index in groups.items()}
    kept = {name: v[np.isfinite(v)] for name, v in kept.items()}
    base, options = kept[reference], {"n_boot": n_boot, "level": level, "seed": seed}
    rows = []
    for name, v in kept.items():
        row = {"cases": name, "n": len(v), **dict.fromkeys(
            ("mean", "low", "high", "difference", "diff_low", "diff_high"), np.nan)}
        if len(v):
            row["mean"] = float(v.mean())
            row["low"], row["high"] = bootstrap_ci(
                np.zeros(len(v), int), v, lambda y, s: float(s.mean()), **options)
        if len(v) and len(base) and name != reference:
            row["difference"] = row["mean"] - float(base.mean())
            row["diff_low"], row["diff_high"] = bootstrap_ci(
                np.r_[np.zeros(len(base), int), np.ones(len(v), int)], np.r_[base, v],
                lambda y, s: float(s[y == 1].mean() - s[y == 0].mean()), **options)
        rows.append(row)
    return rows
