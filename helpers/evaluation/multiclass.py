"""Evaluation of a classifier with K > 2 classes (softmax output): macro one-vs-rest AUC,
accuracy, per-class sensitivity (recall), the K × K confusion matrix, and bootstrap intervals.

Conventions: ``y_true`` (N,) integer labels in 0..K-1; ``y_proba`` (N, K) class probabilities
(each row a softmax output; any scores where higher = more likely that class work for the AUC).
The predicted class is the most probable one (``argmax``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from helpers.evaluation.metrics import auc_by_ranks
from helpers.evaluation.uncertainty import resampled_interval


def check_multiclass_inputs(y_true, y_proba) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert: ``(y, p)`` with y (N,) int64 in 0..K-1 and p (N, K) float64.

    ``ValueError`` when the shapes do not match, a label is outside 0..K-1, or a score is not
    finite.
    """
    y = np.asarray(y_true)
    p = np.asarray(y_proba, dtype=np.float64)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(f"y_true must be (N,) labels and y_proba (N, K) probabilities with "
                         f"K >= 2 columns, got shapes {y.shape} and {p.shape}")
    if len(y) != len(p):
        raise ValueError(f"y_true has {len(y)} labels but y_proba has {len(p)} rows")
    if len(y) == 0:
        raise ValueError("y_true is empty: there is nothing to evaluate")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= p.shape[1]:
        raise ValueError(f"y_true must hold class indices 0..{p.shape[1] - 1} (one per column "
                         f"of y_proba); found {np.unique(y)[:8]}")
    if not np.all(np.isfinite(p)):
        raise ValueError("y_proba contains NaN or infinite values: check the model's output")
    return y.astype(np.int64), p


def per_class_auc(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """One-vs-rest AUC of each class k (class k against all others, scored by ``p[:, k]``):
    (K,) float64, NaN for a class that is absent from ``y`` (or is all of it)."""
    return np.array([auc_by_ranks((y == k).astype(np.int64), p[:, k])
                     for k in range(p.shape[1])])


def macro_auc(y: np.ndarray, p: np.ndarray) -> float:
    """The mean of :func:`per_class_auc` over the classes present (macro one-vs-rest AUC, as
    MedMNIST reports it); NaN when fewer than two classes are present."""
    values = per_class_auc(y, p)
    return float(np.nanmean(values)) if np.any(np.isfinite(values)) else math.nan


def compute_multiclass_confusion(y_true, y_proba) -> np.ndarray:
    """(K, K) int64 counts: row = true class, column = predicted class (argmax)."""
    y, p = check_multiclass_inputs(y_true, y_proba)
    k = p.shape[1]
    return np.bincount(y * k + p.argmax(axis=1), minlength=k * k).reshape(k, k)


def _accuracy(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean(p.argmax(axis=1) == y))


def _recall_of(k: int) -> Callable[[np.ndarray, np.ndarray], float]:
    def recall(y: np.ndarray, p: np.ndarray) -> float:
        mask = y == k
        return float(np.mean(p[mask].argmax(axis=1) == k)) if mask.any() else math.nan

    return recall


def bootstrap_ci_multiclass(y_true, y_proba, metric: Callable[[np.ndarray, np.ndarray], float],
                            *, n_boot: int = 1000, level: float = 0.95,
                            seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval ``(low, high)`` of ``metric(y, p)``, resampling the cases
    of each class separately (every resample keeps the class counts), seeded."""
    y, p = check_multiclass_inputs(y_true, y_proba)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)]
    return resampled_interval(y, p, metric, groups, n_boot=n_boot, level=level, seed=seed)


def evaluate_multiclass(y_true, y_proba, *, label_names: Sequence[str] | None = None,
                        n_boot: int = 1000, level: float = 0.95, seed: int = 0) -> dict:
    """A full report of a K-class classifier.

    Keys: ``task`` ("multi-class"), ``n``, ``n_per_class`` (K ints), ``label_names``,
    ``auc`` (macro one-vs-rest), ``auc_per_class``, ``accuracy`` (argmax), ``sensitivity``
    (K recalls, NaN for an absent class), ``balanced_accuracy`` (their mean), ``confusion``
    (K × K lists, rows = true class) and, unless ``n_boot=0``, ``auc_ci_low/high`` and
    ``accuracy_ci_low/high`` (stratified percentile bootstrap).
    """
    y, p = check_multiclass_inputs(y_true, y_proba)
    k = p.shape[1]
    names = [f"class {i}" for i in range(k)] if label_names is None else list(label_names)
    if len(names) != k:
        raise ValueError(f"{len(names)} label names for {k} classes: give one name per column")
    confusion = compute_multiclass_confusion(y, p)
    counts = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.where(counts > 0, np.diag(confusion) / np.maximum(counts, 1), np.nan)
    report = {
        "task": "multi-class", "n": int(len(y)), "n_per_class": counts.tolist(),
        "label_names": names, "auc": macro_auc(y, p),
        "auc_per_class": per_class_auc(y, p).tolist(), "accuracy": _accuracy(y, p),
        "sensitivity": recall.tolist(), "balanced_accuracy": float(np.nanmean(recall)),
        "confusion": confusion.tolist(),
    }
    if n_boot:
        for name, metric in (("auc", macro_auc), ("accuracy", _accuracy)):
            low, high = bootstrap_ci_multiclass(y, p, metric, n_boot=n_boot, level=level,
                                                seed=seed)
            report[f"{name}_ci_low"], report[f"{name}_ci_high"] = low, high
    return report


def format_multiclass_report(report: dict, title: str) -> str:
    """A readable summary of an :func:`evaluate_multiclass` report under ``title``: AUC and
    accuracy (with intervals when present), one line per class, the confusion matrix."""

    def ci(name: str) -> str:
        low, high = report.get(f"{name}_ci_low"), report.get(f"{name}_ci_high")
        return f"  (95 % CI {low:.3f}–{high:.3f})" if low is not None else ""

    names = report["label_names"]
    width = max(len(n) for n in names)
    lines = [title, f"  cases          {report['n']} in {len(names)} classes",
             f"  AUC (macro)    {report['auc']:.4f}{ci('auc')}",
             f"  accuracy       {report['accuracy']:.4f}{ci('accuracy')}",
             f"  balanced acc.  {report['balanced_accuracy']:.4f}",
             "  per class      cases  sensitivity  AUC (one vs rest)"]
    for name, n, recall, auc in zip(names, report["n_per_class"], report["sensitivity"],
                                    report["auc_per_class"], strict=True):
        lines.append(f"    {name:<{width}}  {n:>5}  {recall:>11.3f}  {auc:>8.3f}")
    lines.append("  confusion (rows: true class, columns: predicted)")
    for name, row in zip(names, report["confusion"], strict=True):
        lines.append(f"    {name:<{width}}  " + " ".join(f"{v:>5}" for v in row))
    return "\n".join(lines)
