"""Data hygiene for a medical image study: honest splits, and what a leaked split does.

Taught in ``notebooks/10_clinical_evaluation.ipynb``.

- :func:`split_for_study` gives the train / val / test splits of a study and says where each
  comes from; when the data has no test split it holds out a stratified part of train instead
  (:func:`helpers.training.hold_out`, the course's one stratified split).
- :func:`sample_stratified` takes a smaller subset with the same class proportions.
- :func:`make_near_duplicates` makes slightly shifted, noisy copies of images (like a second
  X-ray of the same patient); :func:`make_leaky_split` hides such copies of test images in the
  training split; :func:`measure_leak` trains the same model on a clean and on a leaky split
  and compares the test scores (:func:`plot_leak` draws the comparison); :func:`find_nearest`
  is the audit that finds such copies. The CNN of that experiment is trained with the course's
  one recipe, :func:`helpers.training.fit_binary` (:func:`make_cnn_fit_predict`).

Images are always (N, H, W, C) uint8 in [0, 255] and labels (N,) int64, as in
:mod:`helpers.data`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from helpers import evaluation, training, validate
from helpers.data import SYNTHETIC_SOURCE, Dataset, Split

#: A ``fit_predict(train_images, train_labels, test_images) -> scores`` function: it trains a
#: model from scratch and returns (N_test,) scores, higher = more likely class 1.
FitPredict = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


# --------------------------------------------------------------------------- the study's splits


@dataclass
class StudySplits:
    """The three splits of a study and a sentence saying where each one comes from.

    ``train`` is for fitting, ``val`` for every choice (epochs, threshold, model), ``test``
    only for the final report. ``test_is_official`` is False when the test split is a stand-in
    held out from train; :attr:`test_label` names the test split for reports.
    """

    train: Split
    val: Split
    test: Split
    origin: dict[str, str]
    label_names: list[str]
    data_source: str
    test_is_official: bool
    name: str = "data"
    positive_class: int | None = None

    @property
    def test_label(self) -> str:
        """A short name of the test split that says how far its numbers can be compared."""
        if self.data_source == SYNTHETIC_SOURCE:
            return "synthetic test split: made-up images, not patients"
        if not self.test_is_official:
            return "STAND-IN test split held out from train: not comparable with published results"
        return f"{self.name} test split"

    def as_dataset(self) -> Dataset:
        """The three splits as a :class:`helpers.data.Dataset`, e.g. for
        :func:`helpers.training.train_classifier`: it then fits on this ``train`` (without a
        stand-in test split held out of it) and chooses the threshold on this ``val``."""
        return Dataset(name=self.name, splits={"train": self.train, "val": self.val,
                                               "test": self.test},
                       label_names=list(self.label_names), task="binary-class",
                       source=self.data_source, positive_class=self.positive_class)

    def describe(self) -> str:
        """One line per split: size, prevalence of class 1, and origin."""
        lines = [f"data: {self.data_source}"]
        for name in ("train", "val", "test"):
            split = getattr(self, name)
            share = 100 * float(np.mean(split.labels == 1)) if len(split) else math.nan
            lines.append(f"  {name:<5} {len(split):>5} images, {share:4.1f} % "
                         f"{self.label_names[1]} — {self.origin[name]}")
        return "\n".join(lines)


def split_for_study(dataset: Dataset, *, test_fraction: float = 0.2, val_fraction: float = 0.15,
                    seed: int = 0) -> StudySplits:
    """The train / val / test splits of a binary study on ``dataset``.

    Uses the data set's own splits where they exist. A missing test split is replaced by a
    stratified ``test_fraction`` of train (a *stand-in*: same source and prevalence as train,
    so it says nothing about a shift to other hospitals or prevalences); a missing val split
    likewise by ``val_fraction`` of what remains of train. Both fractions must be in (0, 0.5).
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"dataset must be a data.Dataset, got {type(dataset).__name__}")
    if len(dataset.label_names) != 2:
        raise ValueError(f"{dataset.name} has {len(dataset.label_names)} classes; a study split "
                         "here is for a binary task (e.g. pneumoniamnist)")
    for name, value in (("test_fraction", test_fraction), ("val_fraction", val_fraction)):
        if not 0.0 < value < 0.5:
            raise ValueError(f"{name} must be between 0 and 0.5, got {value}")
    train = dataset.split("train")
    origin = {"train": "the data set's train split"}
    parts: dict[str, Split] = {}
    for name, fraction, salt in (("test", test_fraction, 1), ("val", val_fraction, 2)):
        if name in dataset.splits:
            parts[name] = dataset.split(name)
            origin[name] = f"the data set's own {name} split"
            continue
        train, parts[name] = training.hold_out(train, fraction, seed=seed + salt)
        origin[name] = (f"STAND-IN: {fraction:.0%} of train held out (stratified), because "
                        f"this file has no {name} split")
    if "test" not in dataset.splits or "val" not in dataset.splits:
        origin["train"] = "the data set's train split, minus the held-out part(s)"
    return StudySplits(train=train, val=parts["val"], test=parts["test"], origin=origin,
                       label_names=list(dataset.label_names), data_source=dataset.source,
                       test_is_official="test" in dataset.splits, name=dataset.name,
                       positive_class=dataset.positive_class)


def sample_stratified(split: Split, n: int | None, *, seed: int = 0) -> Split:
    """A random subset of ``n`` images with the class proportions of ``split`` (as nearly as
    whole numbers allow), in the order of ``split``.

    ``n=None`` or ``n >= len(split)`` returns the split unchanged. Handy for a quick run
    (``N = course.pick(None, 600)``). The draw is :func:`helpers.training.hold_out`'s.
    """
    training.check_split(split, "split")
    if n is None or (isinstance(n, int | np.integer) and n >= len(split)):
        return split
    n = validate.whole_number(n, "n", minimum=2, hint="or None for the whole split")
    return training.hold_out(split, n, seed=seed)[1]


# --------------------------------------------------------------------------- near-duplicates


def shift_images(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Move an image (H, W, C), or every image of a batch (N, H, W, C), ``dy`` pixels down and
    ``dx`` pixels right, repeating the edge pixels (nothing wraps around)."""
    images = np.asarray(images)
    h, w = images.shape[-3:-1]
    rows = np.clip(np.arange(h) - dy, 0, h - 1)
    cols = np.clip(np.arange(w) - dx, 0, w - 1)
    return images[..., rows, :, :][..., cols, :]


def make_near_duplicates(images: np.ndarray, *, max_shift: int = 1, noise_std: float = 4.0,
                         seed: int = 0) -> np.ndarray:
    """Slightly different copies of ``images``, like a second X-ray of the same patient.

    images: (N, H, W, C) uint8. Each copy is moved by a random whole number of pixels,
    between ``-max_shift`` and ``max_shift`` along each axis and never (0, 0) (edges are
    repeated), then gets Gaussian noise of ``noise_std`` grey levels and is rounded and clipped
    to [0, 255]. Returns (N, H, W, C) uint8: near every original, but identical to none.
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.dtype != np.uint8:
        raise ValueError(f"images must be (N, H, W, C) uint8, got {images.shape} {images.dtype}")
    max_shift = validate.whole_number(max_shift, "max_shift", hint="(in pixels; 0 would make "
                                      "exact copies, which any duplicate check finds)")
    if not noise_std >= 0:
        raise ValueError(f"noise_std must be >= 0 grey levels, got {noise_std}")
    rng = np.random.default_rng(seed)
    offsets = [(dy, dx) for dy in range(-max_shift, max_shift + 1)
               for dx in range(-max_shift, max_shift + 1) if (dy, dx) != (0, 0)]
    picks = rng.integers(0, len(offsets), size=len(images))
    copies = np.stack([shift_images(image, *offsets[k]) for image, k in zip(images, picks, strict=True)])
    noisy = copies.astype(np.float32) + rng.normal(0.0, noise_std, copies.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8)


def _shifted_copies(images: np.ndarray, max_shift: int) -> list[np.ndarray]:
    """``images`` (N, H, W, C) moved by every (dy, dx) with |dy|, |dx| <= max_shift."""
    return [shift_images(images, dy, dx) if (dy, dx) != (0, 0)
            else images
            for dy in range(-max_shift, max_shift + 1) for dx in range(-max_shift, max_shift + 1)]


def _squared_distances(reference: np.ndarray, queries: np.ndarray, max_shift: int) -> np.ndarray:
    """(Q, R) mean squared grey-level differences, the smallest over shifts of the query."""
    ref = np.asarray(reference, dtype=np.float32).reshape(len(reference), -1)
    ref_sq = np.sum(ref * ref, axis=1)
    best = np.full((len(queries), len(ref)), np.inf, dtype=np.float32)
    for moved in _shifted_copies(np.asarray(queries, dtype=np.float32), max_shift):
        q = moved.reshape(len(moved), -1)
        squared = ref_sq[None, :] - 2.0 * (q @ ref.T) + np.sum(q * q, axis=1)[:, None]
        np.minimum(best, squared, out=best)
    return np.maximum(best, 0.0) / ref.shape[1]


def _check_pair(reference: np.ndarray, queries: np.ndarray, max_shift: int) -> None:
    if reference.ndim != 4 or queries.ndim != 4 or reference.shape[1:] != queries.shape[1:]:
        raise ValueError(f"reference and queries must be (N, H, W, C) with the same image shape, "
                         f"got {reference.shape} and {queries.shape}")
    if len(reference) == 0 or len(queries) == 0:
        raise ValueError("reference and queries must each hold at least one image")
    validate.whole_number(max_shift, "max_shift", minimum=0, hint="(in pixels)")


def find_nearest(reference: np.ndarray, queries: np.ndarray, *, max_shift: int = 1,
                 exclude_same_index: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """For every query image, the closest reference image: ``(index, distance)``, each (Q,).

    reference: (R, H, W, C), queries: (Q, H, W, C), uint8 or float on the same scale. The
    distance is the root-mean-square grey-level difference (0 = identical), the smallest over
    moves of the query by up to ``max_shift`` pixels (a second X-ray of the same patient is
    rarely in exactly the same place). With ``exclude_same_index`` (queries = reference) an
    image is not its own neighbour.
    This is the audit a study should run between its splits: a test image with a very close
    training image is a likely duplicate (same patient, same scan).
    """
    reference, queries = np.asarray(reference), np.asarray(queries)
    _check_pair(reference, queries, max_shift)
    if exclude_same_index and len(reference) != len(queries):
        raise ValueError("exclude_same_index needs queries to be the reference images themselves")
    index = np.empty(len(queries), dtype=np.int64)
    distance = np.empty(len(queries), dtype=np.float64)
    for start in range(0, len(queries), 256):
        squared = _squared_distances(reference, queries[start:start + 256], int(max_shift))
        if exclude_same_index:
            rows = np.arange(len(squared))
            squared[rows, start + rows] = np.inf
        best = np.argmin(squared, axis=1)
        index[start:start + len(best)] = best
        distance[start:start + len(best)] = np.sqrt(squared[np.arange(len(best)), best])
    return index, distance


def make_leaky_split(train: Split, test: Split, n_leaked: int, *, copies: int = 1,
                     seed: int = 0, **duplicate_options) -> tuple[Split, np.ndarray]:
    """A training split of the same size and class counts as ``train``, in which
    ``n_leaked * copies`` training images are replaced by near-duplicates of ``n_leaked``
    randomly chosen test images (``copies`` each), with the test images' labels.

    Returns ``(leaky_train, leaked)``: leaked holds the indices of the leaked test images,
    sorted. Each duplicate replaces a training image *of the same class*, so that the leak is
    the only difference from the clean split. ``duplicate_options`` go to
    :func:`make_near_duplicates`.
    """
    training.check_split(train, "train")
    training.check_split(test, "test")
    n_leaked = validate.whole_number(n_leaked, "n_leaked", maximum=len(test),
                                     hint="(at most the number of test images)")
    copies = validate.whole_number(copies, "copies")
    rng = np.random.default_rng(seed)
    leaked = np.sort(rng.choice(len(test), size=n_leaked, replace=False))
    sources = np.repeat(leaked, copies)
    duplicates = make_near_duplicates(test.images[sources], seed=seed + 1, **duplicate_options)
    images, labels = train.images.copy(), train.labels.copy()
    for c in np.unique(test.labels[sources]):
        needed = sources[test.labels[sources] == c]
        slots = np.flatnonzero(train.labels == c)
        if len(needed) > len(slots):
            raise ValueError(f"{len(needed)} duplicates of class {c} but only {len(slots)} "
                             "training images of that class to replace: leak fewer images")
        replaced = rng.choice(slots, size=len(needed), replace=False)
        images[replaced] = duplicates[test.labels[sources] == c]
    return Split(images, labels), leaked


@dataclass(frozen=True)
class LeakResult:
    """Test AUCs of one model recipe trained on a clean and on a leaky training split.

    ``*_auc`` are on the whole test split; ``*_auc_leaked`` only on the leaked test images
    (NaN when they hold a single class).
    """

    clean_auc: float
    leaky_auc: float
    clean_auc_leaked: float
    leaky_auc_leaked: float
    n_test: int
    n_leaked: int
    copies: int

    def summary(self) -> str:
        return (f"test AUC, clean split {self.clean_auc:.3f} → leaky split {self.leaky_auc:.3f} "
                f"({self.leaky_auc - self.clean_auc:+.3f}); on the {self.n_leaked} leaked of "
                f"{self.n_test} test images {self.clean_auc_leaked:.3f} → "
                f"{self.leaky_auc_leaked:.3f} ({self.copies} near-duplicate(s) each)")


def _auc_or_nan(labels: np.ndarray, scores: np.ndarray) -> float:
    if len(np.unique(labels)) < 2:
        return math.nan
    return evaluation.compute_auc(labels, scores)


def measure_leak(fit_predict: FitPredict, train: Split, test: Split, n_leaked: int, *,
                 copies: int = 1, seed: int = 0, **duplicate_options) -> LeakResult:
    """Train ``fit_predict`` twice, on ``train`` and on :func:`make_leaky_split` of it, and
    compare the AUCs on the same ``test`` split.

    ``fit_predict(train_images, train_labels, test_images)`` must train from scratch, the
    same way both times (seed it inside), and return (N_test,) scores.
    """
    leaky, leaked = make_leaky_split(train, test, n_leaked, copies=copies, seed=seed,
                                     **duplicate_options)
    scores = {}
    for name, split in (("clean", train), ("leaky", leaky)):
        values = np.asarray(fit_predict(split.images, split.labels, test.images), dtype=float)
        if values.shape != (len(test),):
            raise ValueError(f"fit_predict returned shape {values.shape}; it must return one "
                             f"score per test image, ({len(test)},)")
        scores[name] = values
    return LeakResult(
        clean_auc=evaluation.compute_auc(test.labels, scores["clean"]),
        leaky_auc=evaluation.compute_auc(test.labels, scores["leaky"]),
        clean_auc_leaked=_auc_or_nan(test.labels[leaked], scores["clean"][leaked]),
        leaky_auc_leaked=_auc_or_nan(test.labels[leaked], scores["leaky"][leaked]),
        n_test=len(test), n_leaked=len(leaked), copies=copies,
    )


def fit_predict_nearest_neighbours(train_images: np.ndarray, train_labels: np.ndarray,
                                   test_images: np.ndarray, *, k: int = 5,
                                   max_shift: int = 1) -> np.ndarray:
    """A cheap classifier that memorises its training set: the score of a test image is the
    distance-weighted share of class 1 among its ``k`` closest training images, with the
    distance of :func:`find_nearest` (pixels, tolerant to shifts of up to ``max_shift``).

    Returns (N_test,) float64 in [0, 1]. It has the same signature as :data:`FitPredict`.
    """
    k = validate.whole_number(k, "k")
    train_images, test_images = np.asarray(train_images), np.asarray(test_images)
    _check_pair(train_images, test_images, max_shift)
    labels = np.asarray(train_labels).reshape(-1)
    k = min(k, len(train_images))
    scores = np.empty(len(test_images))
    for start in range(0, len(test_images), 256):
        squared = _squared_distances(train_images, test_images[start:start + 256], int(max_shift))
        nearest = np.argpartition(squared, k - 1, axis=1)[:, :k]
        weights = 1.0 / (np.sqrt(np.take_along_axis(squared, nearest, axis=1)) + 1.0)
        scores[start:start + len(squared)] = np.sum(weights * (labels[nearest] == 1), axis=1) \
            / np.sum(weights, axis=1)
    return scores


def make_cnn_fit_predict(build: Callable[[], object], *, epochs: int, batch_size: int = 128,
                         class_weight: bool = True, seed: int = 0,
                         log: Callable[[str], None] | None = None) -> FitPredict:
    """A :data:`FitPredict` that trains a fresh ``build()`` model with the course's recipe,
    :func:`helpers.training.fit_binary` (seeded, without validation-based stopping), and returns
    its probabilities for class 1. ``log`` receives one line per epoch (None: silent)."""

    def fit_predict(train_images: np.ndarray, train_labels: np.ndarray,
                    test_images: np.ndarray) -> np.ndarray:
        from helpers import course, models

        course.seed_everything(seed)
        model = build()
        split = Split(np.asarray(train_images), np.asarray(train_labels))
        training.fit_binary(model, split, None, epochs=epochs, batch_size=batch_size,
                            class_weight=class_weight, seed=seed, log=log)
        return models.predict_probabilities(model, np.asarray(test_images))

    return fit_predict


def plot_leak(results: dict[str, LeakResult], *, ax: Axes | None = None) -> Axes:
    """Bars of test AUC, clean against leaky split, for each model in ``results``
    ({model name: :func:`measure_leak` result}): on all test images and on the leaked ones."""
    if not results:
        raise ValueError("results is empty: pass {model name: measure_leak(...)}")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 3.4))
    groups = [(f"{name}\nall test images", r.clean_auc, r.leaky_auc) for name, r in
              results.items()]
    groups += [(f"{name}\nleaked test images", r.clean_auc_leaked, r.leaky_auc_leaked)
               for name, r in results.items()]
    x = np.arange(len(groups))
    for offset, which, label, colour in ((-0.2, 1, "clean split", "#4c72b0"),
                                         (0.2, 2, "leaky split", "#dd8452")):
        values = [g[which] for g in groups]
        bars = ax.bar(x + offset, values, width=0.4, label=label, color=colour)
        ax.bar_label(bars, labels=[f"{v:.3f}" for v in values], fontsize=7, padding=2)
    lowest = np.nanmin([min(g[1], g[2]) for g in groups])
    ax.set_ylim(max(0.0, np.floor(lowest * 20) / 20 - 0.05), 1.02)
    ax.set_xticks(x, [g[0] for g in groups], fontsize=8)
    ax.set_ylabel("test AUC")
    ax.set_title("the same test split, after training on a clean or a leaky split")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax
