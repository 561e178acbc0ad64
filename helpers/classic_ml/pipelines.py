"""The classic pipelines and the networks of lesson 07, fitted on the same images and compared.

- :func:`make_classic_pipeline`: hand-crafted features → standardisation → logistic regression,
  a random forest or a support vector machine (scikit-learn), each weighting the two classes
  equally (``class_weight="balanced"``).
- :func:`build_mlp`: a multilayer perceptron on the raw pixels (flatten → one hidden ReLU layer
  → one sigmoid unit); the CNN is the entry's Figure 3 (:func:`helpers.models.build_figure3_cnn`).
  Both are trained with the course's one recipe, :func:`helpers.training.fit_binary`, with
  balanced class weights and the same number of weight updates whatever the training-set size
  (:func:`repeats_for`).
- :func:`fit_models` fits any of :data:`MODEL_NAMES` and returns one :class:`ModelResult` each:
  scores on the evaluation images, the decision threshold of its scores, fit time and the count
  of what it learned (:func:`count_learned_numbers`).
- :func:`summarise` adds AUC and accuracy with 95 % bootstrap intervals
  (:mod:`helpers.evaluation`); :func:`format_comparison` makes the side-by-side table.

Images are (N, 28, 28, 1) uint8 as in :mod:`helpers.data`; labels (N,) int64 in {0, 1}.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers import evaluation, validate
from helpers.data import Split

#: The classic pipelines (hand-crafted features + a scikit-learn classifier).
CLASSIC_MODELS = ("logistic regression", "random forest", "SVM")
#: The networks, which read the raw pixels and learn their own features.
NETWORKS = ("MLP", "CNN")
MODEL_NAMES = CLASSIC_MODELS + NETWORKS
#: Units of the MLP's hidden layer.
MLP_HIDDEN = 64
#: Trees of the random forest.
FOREST_TREES = 100


# --------------------------------------------------------------------------- the models


def make_classic_pipeline(name: str, seed: int = 0):
    """A scikit-learn ``Pipeline``: ``StandardScaler`` then the classifier called ``name``.

    - "logistic regression": L2-penalised (C = 0.1), a linear score of the features;
    - "random forest": :data:`FOREST_TREES` trees, each on a bootstrap sample of the images;
    - "SVM": a support vector machine with an RBF kernel (C = 1, gamma "scale").

    Each weights the classes inversely to their frequency (``class_weight="balanced"``),
    as the networks do. ``seed`` fixes the forest's randomness.
    """
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    validate.one_of(name, CLASSIC_MODELS, "classic model")
    if name == "logistic regression":
        model = LogisticRegression(C=0.1, max_iter=5000, class_weight="balanced")
    elif name == "random forest":
        # n_jobs=-1: the trees grow on every core; with a fixed random_state they are the same
        model = RandomForestClassifier(FOREST_TREES, class_weight="balanced", random_state=seed,
                                       n_jobs=-1)
    else:
        model = SVC(kernel="rbf", C=1.0, gamma="scale", class_weight="balanced")
    return Pipeline([("standardise", StandardScaler()), ("classifier", model)])


def build_mlp(input_shape: Sequence[int] = (28, 28, 1), hidden: int = MLP_HIDDEN):
    """The lesson's MLP: :func:`helpers.models.build_mlp` with ``hidden`` (64) ReLU units and
    one sigmoid output, on images in [0, 255] like :func:`helpers.models.build_figure3_cnn`."""
    from helpers import models

    return models.build_mlp(input_shape, 2, hidden=hidden)


def repeats_for(n_images: int, batch_size: int, steps: int, epochs: int) -> int:
    """How many copies of a training set of ``n_images`` give at least ``steps`` weight updates
    in ``epochs`` epochs of batches of ``batch_size``: max(1, ⌈steps · batch_size / (epochs ·
    n_images)⌉). Repeating a small set within an epoch is the same as more epochs, without
    the cost of starting each one, and it gives every training-set size the same number of
    updates."""
    n_images = validate.whole_number(n_images, "n_images")
    batch_size = validate.whole_number(batch_size, "batch_size")
    steps = validate.whole_number(steps, "steps")
    epochs = validate.whole_number(epochs, "epochs")
    return max(1, math.ceil(steps * batch_size / (epochs * n_images)))


def repeat_split(split: Split, copies: int) -> Split:
    """``copies`` copies of ``split`` one after the other (the class shares do not change)."""
    copies = validate.whole_number(copies, "copies")
    if copies == 1:
        return split
    return Split(np.concatenate([split.images] * copies), np.concatenate([split.labels] * copies))


def count_learned_numbers(model) -> tuple[int, str]:
    """What a fitted model learned from its training images, as (count, kind of numbers).

    Keras model: its weights (``count_params``). Pipelines of :func:`make_classic_pipeline`
    (the classifier only; the scaler's means and spreads are not counted): logistic regression,
    one weight per feature and a bias; SVM, one coefficient per support vector and a bias
    (it also keeps those support vectors, copies of training images' features); random forest,
    its tree nodes (each a split threshold or a leaf's class shares).
    """
    if hasattr(model, "count_params"):
        return int(model.count_params()), "weights"
    classifier = model.named_steps["classifier"] if hasattr(model, "named_steps") else model
    if hasattr(classifier, "estimators_"):
        return int(sum(tree.tree_.node_count for tree in classifier.estimators_)), "tree nodes"
    if hasattr(classifier, "dual_coef_"):
        return (int(classifier.dual_coef_.size + classifier.intercept_.size),
                "support-vector coefficients")
    if hasattr(classifier, "coef_"):
        return int(classifier.coef_.size + classifier.intercept_.size), "weights"
    raise TypeError(f"cannot count what a {type(classifier).__name__} learned; fit one of "
                    f"{', '.join(CLASSIC_MODELS)} or a Keras model")


# --------------------------------------------------------------------------- fitting


@dataclass
class ModelResult:
    """One fitted model and its output on the evaluation images.

    ``scores``: (N_eval,) float64, higher = more likely class 1; the model calls an image
    positive when its score is >= ``threshold`` (0.5 for probabilities, 0 for the SVM's
    signed distance). ``seconds``: wall time of the fit (features not included).
    """

    name: str
    scores: np.ndarray
    threshold: float
    seconds: float
    n_learned: int
    learned_kind: str
    n_train: int
    model: object = field(repr=False, default=None)


def fit_classic(name: str, train_features: np.ndarray, train_labels: np.ndarray,
                eval_features: np.ndarray, *, seed: int = 0) -> ModelResult:
    """Fit :func:`make_classic_pipeline` ``name`` on (N, D) features and score (M, D) ones."""
    train_features = np.asarray(train_features, dtype=np.float64)
    eval_features = np.asarray(eval_features, dtype=np.float64)
    labels = np.asarray(train_labels).reshape(-1)
    if train_features.ndim != 2 or len(train_features) != len(labels):
        raise ValueError(f"train_features must be (N, D) with one row per label; got "
                         f"{train_features.shape} for {len(labels)} labels")
    if eval_features.ndim != 2 or eval_features.shape[1] != train_features.shape[1]:
        raise ValueError(f"eval_features must have the {train_features.shape[1]} columns of the "
                         f"training features, got shape {eval_features.shape}")
    pipeline = make_classic_pipeline(name, seed)
    start = time.perf_counter()
    pipeline.fit(train_features, labels)
    seconds = time.perf_counter() - start
    if name == "SVM":
        scores, threshold = pipeline.decision_function(eval_features), 0.0
    else:
        scores, threshold = pipeline.predict_proba(eval_features)[:, 1], 0.5
    count, kind = count_learned_numbers(pipeline)
    return ModelResult(name, np.asarray(scores, dtype=np.float64), threshold, seconds, count,
                       kind, len(labels), pipeline)


def fit_network(name: str, train: Split, eval_images: np.ndarray, *, steps: int, epochs: int,
                batch_size: int = 64, learning_rate: float = 2e-3, seed: int = 0) -> ModelResult:
    """Build the "MLP" (:func:`build_mlp`) or the "CNN" (the entry's Figure 3), train it with
    :func:`helpers.training.fit_binary` (balanced class weights, ``epochs`` passes over
    :func:`repeats_for` copies of ``train``: about ``steps`` weight updates) and score
    ``eval_images`` with its sigmoid output (threshold 0.5)."""
    from helpers import course, models, training

    validate.one_of(name, NETWORKS, "network")
    training.check_split(train, "train")
    course.seed_everything(seed)
    shape = train.images.shape[1:]
    model = build_mlp(shape) if name == "MLP" else models.build_figure3_cnn(shape)
    copies = repeats_for(len(train), batch_size, steps, epochs)
    start = time.perf_counter()
    training.fit_binary(model, repeat_split(train, copies), None, epochs=epochs,
                        batch_size=batch_size,
                        learning_rate=learning_rate, class_weight=True, seed=seed)
    seconds = time.perf_counter() - start
    scores = models.predict_probabilities(model, eval_images)
    count, kind = count_learned_numbers(model)
    return ModelResult(name, scores, 0.5, seconds, count, kind, len(train), model)


def fit_models(train: Split, train_features: np.ndarray, eval_images: np.ndarray,
               eval_features: np.ndarray, *, names: Sequence[str] = MODEL_NAMES, steps: int,
               epochs: int, batch_size: int = 64, seed: int = 0) -> dict[str, ModelResult]:
    """Fit every model in ``names`` on the same training images (the classic ones on their
    features, the networks on the pixels) and score the same evaluation images.

    train: the training :class:`~helpers.data.Split`; train_features: (N, D) hand-crafted
    features of its images in the same order; eval_images (M, H, W, 1) and eval_features (M, D).
    Returns {name: :class:`ModelResult`} in the order of ``names``.
    """
    for name in names:
        validate.one_of(name, MODEL_NAMES, "model")
    if len(np.unique(train.labels)) < 2:
        raise ValueError("the training images hold a single class: every model needs both")
    results = {}
    for name in names:
        if name in CLASSIC_MODELS:
            results[name] = fit_classic(name, train_features, train.labels, eval_features,
                                        seed=seed)
        else:
            results[name] = fit_network(name, train, eval_images, steps=steps, epochs=epochs,
                                        batch_size=batch_size, seed=seed)
    return results


# --------------------------------------------------------------------------- the comparison


def summarise(results: dict[str, ModelResult], labels, *, n_boot: int = 1000,
              seed: int = 0) -> list[dict]:
    """One row per model: AUC and accuracy (at the model's own threshold) with 95 % bootstrap
    intervals (:func:`helpers.evaluation.bootstrap_ci`, the same resamples for every model),
    fit seconds and what it learned.

    labels: (M,) in {0, 1}, the truth for the evaluation images. Row keys: ``model, auc,
    auc_low, auc_high, accuracy, accuracy_low, accuracy_high, seconds, learned, learned_kind,
    n_train``.
    """
    rows = []
    for name, result in results.items():
        y, s = evaluation.check_binary_inputs(labels, result.scores)
        accuracy = evaluation.metric_at("accuracy", result.threshold)
        auc = evaluation.metric_at("auc")
        auc_low, auc_high = evaluation.bootstrap_ci(y, s, auc, n_boot=n_boot, seed=seed)
        acc_low, acc_high = evaluation.bootstrap_ci(y, s, accuracy, n_boot=n_boot, seed=seed)
        rows.append({"model": name, "auc": evaluation.compute_auc(y, s), "auc_low": auc_low,
                     "auc_high": auc_high, "accuracy": accuracy(y, s),
                     "accuracy_low": acc_low, "accuracy_high": acc_high,
                     "seconds": result.seconds, "learned": result.n_learned,
                     "learned_kind": result.learned_kind, "n_train": result.n_train})
    return rows


def format_comparison(rows: Sequence[dict]) -> str:
    """The rows of :func:`summarise` as a Markdown table: AUC and accuracy with their 95 %
    intervals, fit time and what each model learned."""
    if not rows:
        raise ValueError("no rows to format: summarise some fitted models first")
    lines = ["| model | AUC (95 % CI) | accuracy (95 % CI) | fit time (s) | learned numbers |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['auc']:.3f} ({r['auc_low']:.3f}–{r['auc_high']:.3f}) "
            f"| {r['accuracy']:.3f} ({r['accuracy_low']:.3f}–{r['accuracy_high']:.3f}) "
            f"| {r['seconds']:.1f} | {r['learned']:,} {r['learned_kind']} |")
    return "\n".join(lines)
