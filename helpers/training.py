"""The one training recipe of the course's classifiers, binary and multi-class, and the
classifier built with it.

Taught in ``notebooks/09_chest_xray_training.ipynb``; ``python -m helpers.classifier`` is its
command line.

- :func:`fit_classifier` is the recipe every model of the course is trained with: one sigmoid
  output (two classes, scored for the positive class) or K softmax outputs; Adam with a
  cosine-decaying learning rate, shuffled batches, optional balanced class weights
  (:func:`compute_class_weights`), optional label smoothing and optional early stopping on the
  validation AUC, seeded and with deterministic kernels (:func:`seed_training`).
  :func:`fit_binary` is the same recipe for a binary model.
- :func:`hold_out` is the one stratified split of the course (scikit-learn's
  ``train_test_split``); :mod:`helpers.hygiene` builds a study's splits and subsets with it.
- :func:`train_classifier` builds :func:`helpers.models.build_improved_cnn` for any MedMNIST 2D
  data set, trains it with the recipe (:class:`TrainSettings`, per-data-set defaults in
  :data:`DATASET_DEFAULTS`: :func:`default_settings`); for two classes it chooses the threshold
  on validation data (:func:`helpers.evaluation.choose_threshold_robustly`) and stores it in the
  model; the model also records the data set, label names and positive class
  (:func:`helpers.models.attach_info`). :func:`evaluate_classifier` reports a saved model
  (binary: at its stored threshold; K classes: macro AUC, accuracy, per-class sensitivity and
  the confusion matrix), and :func:`compare_with_training_data` checks it fits the data.

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

from helpers import distribute, evaluation, validate
from helpers.data import Split


@dataclass
class TrainSettings:
    """Everything that decides a :func:`train_classifier` run; the defaults are the tuned
    course settings (PneumoniaMNIST), :func:`default_settings` adds a data set's own."""

    epochs: int = 10
    batch_size: int = 128
    learning_rate: float = 2e-3
    seed: int = 42
    threshold_method: str = "youden"
    #: targets 0/1 become s/2 and 1 - s/2 (see helpers.models.compile_classifier)
    label_smoothing: float = 0.1
    #: share of the train split held out for the threshold when the data has no val split
    holdout_fraction: float = 0.15
    #: two classes: the class called positive (index or label name); None: the data set's
    #: (``Dataset.positive_class``, from the manifest), else class 1
    positive_class: int | str | None = None
    #: weight each class inversely to its frequency in the train split
    class_weight: bool = True
    #: models trained with seeds seed, seed + 1, ... whose probabilities are averaged
    members: int = 1
    #: keyword arguments for :func:`helpers.models.build_improved_cnn`
    model_options: dict = field(default_factory=dict)
    #: "none", "mirrored" or "multiworker" (:mod:`helpers.distribute`); batch_size is then per
    #: replica, and a step sees batch_size × replicas images
    distribute: str = "none"

    def check(self) -> None:
        """Raise ``ValueError`` naming the setting to change."""
        validate.whole_number(self.epochs, "epochs")
        validate.whole_number(self.batch_size, "batch size")
        validate.positive_number(self.learning_rate, "learning rate")
        validate.whole_number(self.seed, "seed", minimum=0)
        validate.whole_number(self.members, "members")
        validate.one_of(self.threshold_method, evaluation.THRESHOLD_METHODS, "threshold method")
        distribute.check_strategy(self.distribute)
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ValueError(f"label smoothing must be in [0, 1), got {self.label_smoothing}")
        if not 0.0 < self.holdout_fraction < 0.5:
            raise ValueError(f"holdout fraction must be in (0, 0.5), got {self.holdout_fraction}")


#: Per-data-set changes to :class:`TrainSettings`, tuned on train/val only (the one place the
#: command line takes them from). Data sets not listed use the plain defaults.
#:
#: - breastmnist: 546 training images give few steps per epoch, so more epochs at a lower
#:   rate (40 × 1e-3 instead of 15 × 2e-3) raised the val AUC and accuracy.
#: - retinamnist: a lower rate (1e-3) and no class weights (the model then predicts the
#:   common grades more often) raised the val AUC and the accuracy (argmax), at some cost to
#:   the sensitivity for the rarest grade; averaging three models (seeds 42, 43, 44) raised
#:   the val macro AUC from 0.795 to 0.818 and the accuracy from 0.583 to 0.592. For
#:   breastmnist three models did not help on val (AUC 0.922 against 0.926), so it keeps one.
DATASET_DEFAULTS: dict[str, dict] = {
    "breastmnist": {"epochs": 40, "learning_rate": 1e-3},
    "retinamnist": {"epochs": 25, "learning_rate": 1e-3, "class_weight": False, "members": 3},
}


def default_settings(dataset_name: str | None = None, **overrides) -> TrainSettings:
    """:class:`TrainSettings` for ``dataset_name`` (a manifest flag such as "breastmnist"):
    the course defaults, then :data:`DATASET_DEFAULTS` of that data set, then ``overrides``
    (e.g. ``epochs=5``; None values are ignored). Checked before it is returned."""
    values = dict(DATASET_DEFAULTS.get((dataset_name or "").lower(), {}))
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - set(TrainSettings.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown training setting(s) {sorted(unknown)}")
    settings = TrainSettings(**values)
    settings.check()
    return settings


@dataclass
class TrainResult:
    """What :func:`train_classifier` returns.

    ``model`` records its data (:func:`helpers.models.read_info`) and, for two classes, ends
    with a :class:`helpers.models.DecisionThreshold` holding ``threshold`` (None for K
    classes); ``history`` is :func:`fit_classifier`'s (of the first member); ``val_report``
    is :func:`evaluate_classifier`'s on the split used for the threshold (without bootstrap);
    ``seconds`` is the wall time of the training alone.
    """

    model: object
    threshold: float | None
    history: dict[str, list[float]]
    val_report: dict
    seconds: float
    n_parameters: int
    settings: TrainSettings
    label_names: list[str] = field(default_factory=list)
    #: two classes: the index of the positive class; None for K classes
    positive_class: int | None = None
    #: copies of the model trained together (:mod:`helpers.distribute`); a step saw
    #: settings.batch_size × replicas images
    replicas: int = 1


# --------------------------------------------------------------------------- building blocks


def compute_class_weights(labels: np.ndarray, n_classes: int | None = None) -> dict[int, float]:
    """Balanced class weights ``{c: N / (K * N_c)}`` for integer labels (N,).

    Each class then contributes the same total weight to the loss, whatever its size.
    ``n_classes`` (default: max(labels) + 1) is K. Raises ``ValueError`` if a class between 0
    and K - 1 has no example.
    """
    labels = np.asarray(labels).reshape(-1)
    if labels.size == 0:
        raise ValueError("labels are empty: there is nothing to weight")
    counts = np.bincount(labels.astype(np.int64), minlength=n_classes or 0)
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


def _targets(model, split: Split, what: str, positive_class: int) -> np.ndarray:
    """What the model is fitted to: 0/1 "is the positive class" (one sigmoid output) or one-hot
    rows (K softmax outputs), float32."""
    units = int(model.output_shape[-1])
    n_classes = 2 if units == 1 else units
    if len(split) and (split.labels.min() < 0 or split.labels.max() >= n_classes):
        raise ValueError(f"{what} has class index {int(split.labels.max())}, but the model has "
                         f"{n_classes} classes: build it with n_classes equal to the number of "
                         "classes of the data")
    if units == 1:
        return (split.labels == positive_class).astype(np.float32)
    return np.eye(units, dtype=np.float32)[split.labels]


def fit_classifier(
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
    positive_class: int = 1,
    log: Callable[[str], None] | None = None,
) -> dict[str, list[float]]:
    """Compile and fit ``model`` and return its history: the course's one recipe.

    ``model`` has one sigmoid output (two classes: it is fitted to say "positive class", so its
    output is the probability of ``positive_class``, 0 or 1) or K softmax outputs (labels
    0..K-1, fitted one-hot). The recipe: Adam with a learning rate that decays along a cosine
    over all ``epochs`` (:func:`helpers.models.compile_classifier`), shuffled batches, seeded
    right before fitting with deterministic kernels (:func:`seed_training`: build the model
    after ``course.seed_everything(seed)`` to fix its start too). Switches:

    - ``class_weight``: weight each class inversely to its frequency in ``train``
      (:func:`compute_class_weights`);
    - ``label_smoothing``: train towards s/2 and 1 - s/2 (K classes: s/K and 1 - s + s/K)
      instead of 0 and 1;
    - ``patience``: stop when the validation AUC (K classes: the macro one-vs-rest AUC) has
      not improved for this many epochs and restore the best epoch's weights; None trains all
      ``epochs``;
    - ``log``: receives one line per epoch (None: silent).

    Under a ``tf.distribute`` strategy call it inside ``strategy.scope()`` with the global
    ``batch_size`` (per replica × replicas: :func:`helpers.distribute.global_batch`).
    ``val`` (None: no validation) is only watched, never fitted. Returns ``{"loss": [...],
    "auc": [...], "accuracy": [...], "val_loss": [...], "val_auc": [...], ...}``, one value per
    epoch run, plus ``"best_epoch": [k]`` (1-based epoch of the best val AUC) with a val split.
    """
    from helpers import models

    check_split(train, "train")
    if val is not None:
        check_split(val, "val")
    if positive_class not in (0, 1):
        raise ValueError(f"positive_class must be 0 or 1 (a class index), got {positive_class!r}")
    epochs = validate.whole_number(epochs, "epochs")
    batch_size = validate.whole_number(batch_size, "batch size")
    if patience is not None:
        patience = validate.whole_number(patience, "patience", hint="or None")
        if val is None:
            raise ValueError("early stopping (patience) watches the validation AUC: pass a "
                             "val split")
    if val is not None and len(np.unique(val.labels)) < 2:
        raise ValueError("the val split holds a single class: the validation AUC needs two")
    y_train = _targets(model, train, "train", positive_class)
    y_val = None if val is None else _targets(model, val, "val", positive_class)
    units = int(model.output_shape[-1])
    keras = models.keras
    models.compile_classifier(model, learning_rate,
                              decay_steps=epochs * math.ceil(len(train) / batch_size),
                              label_smoothing=label_smoothing, one_hot=units > 1)
    sample_weight = None
    if class_weight:
        classes = y_train.astype(np.int64) if units == 1 else train.labels
        weights = compute_class_weights(classes, n_classes=max(units, 2))
        sample_weight = np.array([weights[c] for c in range(max(units, 2))],
                                 dtype=np.float32)[classes]
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
        train.images.astype(np.float32), y_train, sample_weight=sample_weight,
        validation_data=None if val is None else (val.images.astype(np.float32), y_val),
        epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0, callbacks=callbacks,
    )
    record = {key: [float(v) for v in values] for key, values in history.history.items()}
    if val is not None:
        record["best_epoch"] = [int(np.argmax(record["val_auc"])) + 1]
    return record


def fit_binary(model, train: Split, val: Split | None, **options) -> dict[str, list[float]]:
    """:func:`fit_classifier` for a binary ``model`` (one sigmoid output); ``ValueError`` for
    any other. Same keyword arguments (``epochs`` is required)."""
    if model.output_shape[-1] != 1:
        raise ValueError("fit_binary trains a binary model with one sigmoid output; build it "
                         "with n_classes=2, or use fit_classifier for several classes")
    return fit_classifier(model, train, val, **options)


# --------------------------------------------------------------------------- the classifier


def resolve_positive_class(dataset, choice: int | str | None = None) -> int:
    """The index (0 or 1) of the positive class of a two-class ``dataset``: ``choice`` as an
    index or a label name, else ``dataset.positive_class`` (from the manifest), else 1."""
    names = list(dataset.label_names)
    if choice is None:
        choice = getattr(dataset, "positive_class", None)
    if choice is None:
        return 1
    if isinstance(choice, str) and choice.strip().isdigit():
        choice = int(choice.strip())
    if isinstance(choice, int | np.integer) and not isinstance(choice, bool):
        if 0 <= int(choice) < len(names):
            return int(choice)
    elif isinstance(choice, str):
        folded = [n.lower() for n in names]
        if choice.strip().lower() in folded:
            return folded.index(choice.strip().lower())
    raise ValueError(f"unknown positive class {choice!r} for {dataset.name}: use one of "
                     + ", ".join(f"{i} ({n!r})" for i, n in enumerate(names)))


def _splits(dataset, settings: TrainSettings) -> tuple[Split, Split, str]:
    """(train, val, name of val): the data set's val split, or a stratified part of train."""
    if len(dataset.label_names) < 2:
        raise ValueError(f"{dataset.name} has {len(dataset.label_names)} class: a classifier "
                         "needs two or more")
    train = dataset.split("train")
    if "val" in dataset.splits:
        return train, dataset.split("val"), "val"
    train, val = hold_out(train, settings.holdout_fraction, seed=settings.seed)
    return train, val, f"{settings.holdout_fraction:.0%} of train (no val split)"


def train_classifier(dataset, settings: TrainSettings | None = None, *,
                     log: Callable[[str], None] | None = print) -> TrainResult:
    """Fit the improved CNN on ``dataset``'s train split with :func:`fit_classifier` (balanced
    class weights, label smoothing) and, for two classes, choose its threshold.

    dataset: a :class:`helpers.data.Dataset` with a "train" split and two or more classes
    (``label_names``): two give one sigmoid output scored for the positive class
    (``settings.positive_class``, :func:`resolve_positive_class`), K > 2 give K softmax
    outputs. Its "val" split (or a stratified part of train when there is none) is used for
    monitoring, the threshold and the report, never for fitting. ``settings.members > 1``
    averages the probabilities of that many models (seeds ``seed``, ``seed + 1``, ...).
    ``settings.distribute`` trains each on several devices (:mod:`helpers.distribute`).
    ``log`` receives one line per epoch (None: silent).
    """
    from helpers import course, models

    settings = settings or TrainSettings()
    settings.check()
    train, val, val_name = _splits(dataset, settings)
    n_classes = len(dataset.label_names)
    binary = n_classes == 2
    positive = resolve_positive_class(dataset, settings.positive_class) if binary else None
    if len(np.unique(val.labels)) < 2:
        raise ValueError(f"the validation data ({val_name}) holds a single class; the "
                         "threshold and the AUC need two")
    compute_class_weights(train.labels, n_classes)  # every class must be there first

    strategy = distribute.strategy_for(settings.distribute)
    members, history, start = [], {}, time.perf_counter()
    for k in range(settings.members):
        seed = settings.seed + k
        if log is not None and settings.members > 1:
            log(f"member {k + 1}/{settings.members} (seed {seed})")
        course.seed_everything(seed)
        with strategy.scope():  # build and compile where the strategy places the variables
            model = models.build_improved_cnn(train.images.shape[1:], n_classes, seed=seed,
                                              **settings.model_options)
            fitted = fit_classifier(model, train, val, epochs=settings.epochs,
                                    batch_size=distribute.global_batch(settings.batch_size,
                                                                       strategy),
                                    learning_rate=settings.learning_rate,
                                    class_weight=settings.class_weight,
                                    label_smoothing=settings.label_smoothing, seed=seed,
                                    positive_class=1 if positive is None else positive,
                                    log=log)
        history = history or fitted
        members.append(model)
    seconds = time.perf_counter() - start
    model = members[0] if len(members) == 1 else models.average_models(members)

    p_val = models.predict_probabilities(model, val.images)
    threshold = None
    if binary:
        threshold = evaluation.choose_threshold_robustly((val.labels == positive).astype(int), p_val,
                                                         settings.threshold_method,
                                                         seed=settings.seed)
        threshold = float(np.float32(threshold))  # the precision in which the model stores it
        model = models.attach_threshold(model, threshold)
    final = models.attach_info(model, {
        "dataset": dataset.name, "label_names": list(dataset.label_names),
        "positive_class": positive, "task": dataset.task,
        "image_shape": list(train.images.shape[1:])})
    report = evaluate_classifier(final, val.images, val.labels, n_boot=0)
    report["split"] = val_name
    return TrainResult(model=final, threshold=threshold, history=history, val_report=report,
                       seconds=seconds, n_parameters=models.count_parameters(final),
                       settings=settings, label_names=list(dataset.label_names),
                       positive_class=positive, replicas=int(strategy.num_replicas_in_sync))


def compare_with_training_data(model, dataset) -> list[str]:
    """Check that ``dataset`` fits ``model`` (:func:`helpers.models.read_info`).

    Raises ``ValueError`` when its number of classes differs from the model's; returns the
    warnings to show when it is another data set or has other label names (empty: it is the
    data the model was trained on, or the model records nothing).
    """
    from helpers import models

    units = int(model.output_shape[-1])
    n_model = 2 if units == 1 else units
    info = models.read_info(model)
    names = info.get("label_names")
    if len(dataset.label_names) != n_model:
        trained = f" ({', '.join(names)})" if names else ""
        raise ValueError(f"{dataset.name} has {len(dataset.label_names)} classes, but the model "
                         f"was trained on {n_model}{trained}: evaluate it on data with the same "
                         "classes")
    warnings = []
    if info.get("dataset") and info["dataset"] != dataset.name:
        warnings.append(f"the model was trained on {info['dataset']!r}, not on "
                        f"{dataset.name!r}: its scores may mean something else here")
    if names and list(names) != list(dataset.label_names):
        warnings.append(f"the model's classes are named {names}, this data's "
                        f"{list(dataset.label_names)}: class i is assumed to be the same thing")
    return warnings


def evaluate_classifier(model, images: np.ndarray, labels: np.ndarray, *, n_boot: int = 1000,
                        seed: int = 0, label_names=None) -> dict:
    """Evaluate a classifier saved by :func:`train_classifier`, with 95 % bootstrap intervals.

    Two classes (one sigmoid output): :func:`helpers.evaluation.evaluate_binary` at the stored
    threshold (and at 0.5), for the positive class the model records, plus ``"positive"`` (its
    name) and ``"positive_class"`` (its index). K classes:
    :func:`helpers.evaluation.evaluate_multiclass`. images: (N, H, W, C) as the model was
    trained on; labels: (N,) class indices. ``label_names`` default to the model's record.
    """
    from helpers import models

    info = models.read_info(model)
    names = list(label_names or info.get("label_names") or [])
    probabilities = models.predict_probabilities(model, images)
    labels = np.asarray(labels).reshape(-1)
    if probabilities.ndim == 2:
        return evaluation.evaluate_multiclass(labels, probabilities, label_names=names or None,
                                              n_boot=n_boot, seed=seed)
    positive = info.get("positive_class")
    positive = 1 if positive is None else int(positive)
    if len(labels) and (labels.min() < 0 or labels.max() > 1):
        raise ValueError(f"the labels hold class {int(labels.max())}, but this binary model "
                         "knows two classes (0 and 1)")
    report = evaluation.evaluate_binary((labels == positive).astype(int), probabilities,
                                        models.read_threshold(model), n_boot=n_boot, seed=seed)
    report["positive_class"] = positive
    report["positive"] = names[positive] if len(names) == 2 else f"class {positive}"
    return report
