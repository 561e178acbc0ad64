"""The one training recipe of the course's binary classifiers, and the classifier built with it.

Taught in ``notebooks/09_chest_xray_classifier.ipynb``; ``python -m helpers.classifier`` is its
command line.

- :func:`fit_binary` is the recipe every binary model of the course is trained with: Adam with
  a cosine-decaying learning rate, shuffled batches, optional balanced class weights
  (:func:`compute_class_weights`), optional label smoothing and optional early stopping on the
  validation AUC, seeded and with deterministic kernels (:func:`seed_training`).
- :func:`hold_out` is the one stratified split of the course (scikit-learn's
  ``train_test_split``); :mod:`helpers.hygiene` builds a study's splits and subsets with it.
- :func:`train_classifier` builds :func:`helpers.models.build_improved_cnn`, trains it with the
  recipe (:class:`TrainSettings`), chooses its threshold on validation data
  (:func:`helpers.evaluation.choose_threshold_robustly`) and stores it in the model;
  :func:`evaluate_classifier` reports a saved model at its stored threshold.

Images are (N, H, W, C) uint8 in [0, 255] and labels (N,) int64, as in :mod:`helpers.data`.
TensorFlow is imported only when a model is built or trained, so that the command line answers
``--help`` and argument errors at once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from helpers import evaluation, validate
from helpers.data import Split


@dataclass
class TrainSettings:
    """Everything that decides a :func:`train_classifier` run; the defaults are the tuned
    course settings."""

    epochs: int = 15
    batch_size: int = 128
    learning_rate: float = 2e-3
    seed: int = 42
    threshold_method: str = "youden"
    #: targets 0/1 become s/2 and 1 - s/2 (see helpers.models.compile_classifier)
    label_smoothing: float = 0.1
    #: share of the train split held out for the threshold when the data has no val split
    holdout_fraction: float = 0.15
    #: keyword arguments for :func:`helpers.models.build_improved_cnn`
    model_options: dict = field(default_factory=dict)

    def check(self) -> None:
        """Raise ``ValueError`` naming the setting to change."""
        validate.whole_number(self.epochs, "epochs")
        validate.whole_number(self.batch_size, "batch size")
        validate.positive_number(self.learning_rate, "learning rate")
        validate.whole_number(self.seed, "seed", minimum=0)
        validate.one_of(self.threshold_method, evaluation.THRESHOLD_METHODS, "threshold method")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ValueError(f"label smoothing must be in [0, 1), got {self.label_smoothing}")
        if not 0.0 < self.holdout_fraction < 0.5:
            raise ValueError(f"holdout fraction must be in (0, 0.5), got {self.holdout_fraction}")


@dataclass
class TrainResult:
    """What :func:`train_classifier` returns.

    ``model`` ends with a :class:`helpers.models.DecisionThreshold` holding ``threshold``;
    ``history`` is :func:`fit_binary`'s; ``val_report`` is
    :func:`helpers.evaluation.evaluate_binary` on the split used for the threshold (without
    bootstrap); ``seconds`` is the wall time of the training alone.
    """

    model: object
    threshold: float
    history: dict[str, list[float]]
    val_report: dict[str, float]
    seconds: float
    n_parameters: int
    settings: TrainSettings


# --------------------------------------------------------------------------- building blocks


def compute_class_weights(labels: np.ndarray) -> dict[int, float]:
    """Balanced class weights ``{c: N / (K * N_c)}`` for integer labels (N,).

    Each class then contributes the same total weight to the loss, whatever its size.
    Raises ``ValueError`` if a class between 0 and max(labels) has no example.
    """
    labels = np.asarray(labels).reshape(-1)
    if labels.size == 0:
        raise ValueError("labels are empty: there is nothing to weight")
    counts = np.bincount(labels.astype(np.int64))
    if np.any(counts == 0):
        missing = np.flatnonzero(counts == 0).tolist()
        raise ValueError(f"class(es) {missing} have no training example: the training split "
                         "must contain every class")
    return {int(c): float(len(labels) / (len(counts) * n)) for c, n in enumerate(counts)}


def seed_training(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow and ask TensorFlow for deterministic kernels, so that
    the same seed on the same machine and versions gives the same model.

    Deterministic kernels stay switched on for the rest of the process (TensorFlow has no
    switch back); on a CPU they cost little.
    """
    from helpers import course

    tf = course.import_tensorflow_quietly()
    course.seed_everything(seed)
    tf.config.experimental.enable_op_determinism()


def check_split(split: Split, what: str) -> None:
    """``TypeError``/``ValueError`` naming ``what`` unless ``split`` is a :class:`Split` of
    (N, H, W, C) uint8 images with one label each."""
    if not isinstance(split, Split):
        raise TypeError(f"{what} must be a data.Split (images, labels), got "
                        f"{type(split).__name__}")
    if split.images.ndim != 4 or split.images.dtype != np.uint8:
        raise ValueError(f"{what}.images must be (N, H, W, C) uint8, got {split.images.shape} "
                         f"{split.images.dtype}")
    if len(split.images) != len(split.labels):
        raise ValueError(f"{what} has {len(split.images)} images but {len(split.labels)} labels")


def hold_out(split: Split, size: float | int, *, seed: int) -> tuple[Split, Split]:
    """Split ``split`` into ``(rest, held)``, stratified by label: ``held`` has ``size`` images
    (a fraction in (0, 1), or a count) with the class shares of ``split``, ``rest`` the others.

    scikit-learn's ``train_test_split(..., stratify=labels, random_state=seed)`` draws the
    images; both parts keep the order of ``split``. Every class needs at least two images.
    """
    from sklearn.model_selection import train_test_split

    check_split(split, "split")
    counts = np.unique(split.labels, return_counts=True)
    if np.any(counts[1] < 2):
        raise ValueError(f"class {counts[0][np.argmin(counts[1])]} has a single image: a "
                         "stratified split needs at least two of every class")
    rest, held = train_test_split(np.arange(len(split)), test_size=size, stratify=split.labels,
                                  random_state=seed)
    rest, held = np.sort(rest), np.sort(held)
    return (Split(split.images[rest], split.labels[rest]),
            Split(split.images[held], split.labels[held]))


# --------------------------------------------------------------------------- the recipe


def fit_binary(
    model,
    train: Split,
    val: Split | None,
    *,
    epochs: int,
    batch_size: int = 128,
    learning_rate: float = 2e-3,
    class_weight: bool = False,
    label_smoothing: float = 0.0,
    patience: int | None = None,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
) -> dict[str, list[float]]:
    """Compile and fit a binary ``model`` (one sigmoid output) and return its history.

    The recipe: Adam with a learning rate that decays along a cosine over all ``epochs``
    (:func:`helpers.models.compile_classifier`), shuffled batches, seeded right before fitting
    with deterministic kernels (:func:`seed_training`: build the model after
    ``course.seed_everything(seed)`` to fix its start too). Switches:

    - ``class_weight``: weight each class inversely to its frequency in ``train``
      (:func:`compute_class_weights`);
    - ``label_smoothing``: train towards s/2 and 1 - s/2 instead of 0 and 1;
    - ``patience``: stop when the validation AUC has not improved for this many epochs and
      restore the best epoch's weights (early stopping); None trains all ``epochs``;
    - ``log``: receives one line per epoch (None: silent).

    ``val`` (None: no validation) is only watched, never fitted. Returns ``{"loss": [...],
    "auc": [...], "val_loss": [...], "val_auc": [...], ...}``, one value per epoch run, plus
    ``"best_epoch": [k]`` (1-based epoch of the best val AUC) when there is a val split.
    """
    from helpers import models

    check_split(train, "train")
    if val is not None:
        check_split(val, "val")
    if model.output_shape[-1] != 1:
        raise ValueError("fit_binary trains a binary model with one sigmoid output; build it "
                         "with n_classes=2")
    epochs = validate.whole_number(epochs, "epochs")
    batch_size = validate.whole_number(batch_size, "batch size")
    if patience is not None:
        patience = validate.whole_number(patience, "patience", hint="or None")
        if val is None:
            raise ValueError("early stopping (patience) watches the validation AUC: pass a "
                             "val split")
    if val is not None and len(np.unique(val.labels)) < 2:
        raise ValueError("the val split holds a single class: the validation AUC needs both")
    keras = models.keras
    models.compile_classifier(model, learning_rate,
                              decay_steps=epochs * math.ceil(len(train) / batch_size),
                              label_smoothing=label_smoothing)
    callbacks = []
    if patience is not None:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_auc", mode="max", patience=patience, restore_best_weights=True))
    if log is not None:
        def log_epoch(epoch: int, logs: dict) -> None:
            watched = "" if val is None else (f"  val_loss {logs['val_loss']:.4f}  "
                                              f"val_auc {logs['val_auc']:.4f}")
            log(f"epoch {epoch + 1:>3}/{epochs}  loss {logs['loss']:.4f}{watched}")

        callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=log_epoch))
    seed_training(seed)
    history = model.fit(
        train.images.astype(np.float32), train.labels.astype(np.float32),
        validation_data=None if val is None else (val.images.astype(np.float32),
                                                  val.labels.astype(np.float32)),
        epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0,
        class_weight=compute_class_weights(train.labels) if class_weight else None,
        callbacks=callbacks,
    )
    record = {key: [float(v) for v in values] for key, values in history.history.items()}
    if val is not None:
        record["best_epoch"] = [int(np.argmax(record["val_auc"])) + 1]
    return record


# --------------------------------------------------------------------------- the classifier


def _binary_splits(dataset, settings: TrainSettings) -> tuple[Split, Split, str]:
    """(train, val, name of val): the data set's val split, or a stratified part of train."""
    if dataset.task != "binary-class" or len(dataset.label_names) != 2:
        raise ValueError(f"{dataset.name} has {len(dataset.label_names)} classes (task: "
                         f"{dataset.task}); this classifier handles two classes (e.g. "
                         "pneumoniamnist, breastmnist)")
    train = dataset.split("train")
    if "val" in dataset.splits:
        return train, dataset.split("val"), "val"
    train, val = hold_out(train, settings.holdout_fraction, seed=settings.seed)
    return train, val, f"{settings.holdout_fraction:.0%} of train (no val split)"


def train_classifier(dataset, settings: TrainSettings | None = None, *,
                     log: Callable[[str], None] | None = print) -> TrainResult:
    """Fit the improved CNN on ``dataset``'s train split with :func:`fit_binary` (balanced
    class weights, label smoothing) and choose its threshold.

    dataset: a :class:`helpers.data.Dataset` with a binary task and a "train" split; its "val"
    split (or a stratified part of train when there is none) is used for monitoring and for
    the threshold, never for fitting. ``log`` receives one line per epoch (None: silent).
    """
    from helpers import course, models

    settings = settings or TrainSettings()
    settings.check()
    train, val, val_name = _binary_splits(dataset, settings)
    if len(np.unique(val.labels)) < 2:
        raise ValueError(f"the validation data ({val_name}) holds a single class; the "
                         "threshold needs normal and diseased images")
    compute_class_weights(train.labels)  # every class must be there before anything is built

    course.seed_everything(settings.seed)
    model = models.build_improved_cnn(train.images.shape[1:], 2, seed=settings.seed,
                                      **settings.model_options)
    start = time.perf_counter()
    history = fit_binary(model, train, val, epochs=settings.epochs,
                         batch_size=settings.batch_size, learning_rate=settings.learning_rate,
                         class_weight=True, label_smoothing=settings.label_smoothing,
                         seed=settings.seed, log=log)
    seconds = time.perf_counter() - start

    p_val = models.predict_probabilities(model, val.images)
    threshold = evaluation.choose_threshold_robustly(val.labels, p_val,
                                                     settings.threshold_method,
                                                     seed=settings.seed)
    threshold = float(np.float32(threshold))  # the precision in which the model stores it
    final = models.attach_threshold(model, threshold)
    report = evaluation.evaluate_binary(val.labels, p_val, threshold, n_boot=0)
    report["split"] = val_name
    return TrainResult(model=final, threshold=threshold, history=history, val_report=report,
                       seconds=seconds, n_parameters=models.count_parameters(model),
                       settings=settings)


def evaluate_classifier(model, images: np.ndarray, labels: np.ndarray, *, n_boot: int = 1000,
                        seed: int = 0) -> dict[str, float]:
    """Evaluate a classifier saved by :func:`train_classifier` at its stored threshold (and at
    0.5): :func:`helpers.evaluation.evaluate_binary` with 95 % bootstrap intervals.

    images: (N, H, W, C) as the model was trained on; labels: (N,) in {0, 1}.
    """
    from helpers import models

    threshold = models.read_threshold(model)
    probabilities = models.predict_probabilities(model, images)
    return evaluation.evaluate_binary(labels, probabilities, threshold, n_boot=n_boot, seed=seed)
