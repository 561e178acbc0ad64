"""Learning curves of lesson 07: how each model's AUC grows with the number of training images.

:func:`run_learning_curve` fits every model of :mod:`helpers.classic_ml.pipelines` on stratified
subsets of growing size (:func:`helpers.hygiene.sample_stratified`) and scores the same evaluation
images each time; :func:`find_crossover` and :func:`describe_learning_curve` turn the result into
numbers and a sentence, so that the notebook's text says what *this* run measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from helpers import validate
from helpers.classic_ml import features, pipelines
from helpers.data import Split


@dataclass(frozen=True)
class LearningCurve:
    """The rows of :func:`helpers.classic_ml.pipelines.summarise` for each training-set size.

    ``sizes``: increasing numbers of training images; ``rows[n]``: one row per model at size n.
    """

    sizes: tuple[int, ...]
    rows: dict[int, list[dict]]

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(row["model"] for row in self.rows[self.sizes[0]])

    def values(self, model: str, key: str = "auc") -> np.ndarray:
        """(len(sizes),) float64: ``key`` ("auc", "auc_low", "accuracy", ...) of ``model``."""
        validate.one_of(model, self.models, "model")
        return np.array([next(r[key] for r in self.rows[n] if r["model"] == model)
                         for n in self.sizes], dtype=np.float64)


def curve_sizes(n_available: int, sizes: Sequence[int | None]) -> tuple[int, ...]:
    """The training-set sizes to try: each of ``sizes`` at most ``n_available`` (None means
    all of them), without repeats, increasing."""
    n_available = validate.whole_number(n_available, "n_available", minimum=2)
    chosen = set()
    for size in sizes:
        if size is None:
            chosen.add(n_available)
        else:
            chosen.add(min(validate.whole_number(size, "size", minimum=10,
                                                 hint="(or None for all the images)"),
                           n_available))
    if not chosen:
        raise ValueError("give at least one training-set size")
    return tuple(sorted(chosen))


def run_learning_curve(
    train: Split,
    eval_images: np.ndarray,
    eval_features: np.ndarray,
    eval_labels: np.ndarray,
    sizes: Sequence[int | None],
    *,
    names: Sequence[str] = pipelines.MODEL_NAMES,
    steps: int,
    epochs: int,
    batch_size: int = 64,
    n_boot: int = 1000,
    seed: int = 0,
    known: dict[int, dict[str, pipelines.ModelResult]] | None = None,
    log: Callable[[str], None] | None = None,
) -> LearningCurve:
    """Fit every model of ``names`` (default: all of
    :data:`~helpers.classic_ml.pipelines.MODEL_NAMES`) on a stratified subset of ``train`` of
    each size and evaluate it on the same images.

    The classic pipelines get the hand-crafted features of their subset
    (:func:`helpers.classic_ml.features.extract_features`), the networks its pixels.
    ``known``: results already fitted on all of ``train`` ({len(train): results}), reused instead
    of fitting again. ``log`` receives one line per size.
    """
    from helpers import hygiene

    known = known or {}
    rows = {}
    for n in curve_sizes(len(train), sizes):
        if n in known:
            results = known[n]
        else:
            subset = hygiene.sample_stratified(train, n, seed=seed)
            table = features.extract_features(subset.images)
            results = pipelines.fit_models(subset, table.values, eval_images, eval_features,
                                           names=names, steps=steps, epochs=epochs,
                                           batch_size=batch_size,
                                           seed=seed)
        rows[n] = pipelines.summarise(results, eval_labels, n_boot=n_boot, seed=seed)
        if log is not None:
            log(f"{n:>5} training images: " + ", ".join(f"{r['model']} {r['auc']:.3f}"
                                                        for r in rows[n]))
    return LearningCurve(tuple(rows), rows)


def best_classic(curve: LearningCurve, size: int) -> tuple[str, float]:
    """(name, AUC) of the classic pipeline with the highest AUC at ``size``."""
    if size not in curve.rows:
        raise ValueError(f"size {size} is not on the curve; its sizes are {list(curve.sizes)}")
    rows = [r for r in curve.rows[size] if r["model"] in pipelines.CLASSIC_MODELS]
    if not rows:
        raise ValueError("the curve has no classic pipeline to compare with")
    best = max(rows, key=lambda r: r["auc"])
    return best["model"], float(best["auc"])


def find_crossover(sizes: Sequence[int], network_auc: Sequence[float],
                   classic_aucs: Sequence[Sequence[float]]) -> int | None:
    """The smallest training-set size at which the network's AUC is higher than that of
    *every* classic pipeline, or None when it never is.

    sizes: (S,) increasing; network_auc: (S,); classic_aucs: (M, S), one row per pipeline.
    """
    sizes = np.asarray(sizes)
    network = np.asarray(network_auc, dtype=np.float64)
    classic = np.atleast_2d(np.asarray(classic_aucs, dtype=np.float64))
    if network.shape != sizes.shape or classic.shape[1:] != sizes.shape:
        raise ValueError(f"network_auc must be (S,) and classic_aucs (M, S) for S = {len(sizes)} "
                         f"sizes; got {network.shape} and {classic.shape}")
    ahead = np.flatnonzero(network > classic.max(axis=0))
    return int(sizes[ahead[0]]) if len(ahead) else None


def _overlap(row_a: dict, row_b: dict) -> bool:
    return row_a["auc_low"] <= row_b["auc_high"] and row_b["auc_low"] <= row_a["auc_high"]


def describe_learning_curve(curve: LearningCurve, network: str = "CNN") -> str:
    """A few sentences that say what the curve shows: the best classic pipeline and the
    ``network`` at the smallest and the largest size, where (if anywhere) the network overtakes
    every classic pipeline, and whether their 95 % intervals overlap at the largest size."""
    validate.one_of(network, pipelines.NETWORKS, "network")
    if network not in curve.models:
        raise ValueError(f"the curve has no {network}; its models are {list(curve.models)}")
    lines = []
    for n in sorted({curve.sizes[0], curve.sizes[-1]}):
        name, auc = best_classic(curve, n)
        net = next(r for r in curve.rows[n] if r["model"] == network)
        if f"{net['auc']:.3f}" == f"{auc:.3f}":
            lead = "level with it to three decimals"
        else:
            lead = "ahead of it" if net["auc"] > auc else "behind it"
        lines.append(f"With {n:,} training images the best classic pipeline is the {name} "
                     f"(AUC {auc:.3f}); the {network} reaches {net['auc']:.3f}, {lead}.")
    classic = [curve.values(m) for m in curve.models if m in pipelines.CLASSIC_MODELS]
    crossing = find_crossover(curve.sizes, curve.values(network), classic)
    if crossing is None:
        if len(curve.sizes) == 1:
            lines.append(f"At the one size tried the {network} does not beat every classic "
                         "pipeline.")
        else:
            lines.append(f"At none of the {len(curve.sizes)} sizes tried does the {network} beat "
                         "every classic pipeline.")
    else:
        lines.append(f"The {network} first beats every classic pipeline at {crossing:,} "
                     "training images.")
    last = curve.sizes[-1]
    name, _ = best_classic(curve, last)
    rows = {r["model"]: r for r in curve.rows[last]}
    if _overlap(rows[network], rows[name]):
        lines.append(f"At {last:,} images the 95 % intervals of the {network} and the {name} "
                     "overlap: the gap between them is within the uncertainty of this evaluation.")
    else:
        lines.append(f"At {last:,} images the 95 % intervals of the {network} and the {name} "
                     "do not overlap.")
    return "\n".join(lines)
