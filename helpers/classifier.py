"""Train and evaluate a pneumonia classifier from the command line (or from Python).

    python -m helpers.classifier train --data pneumoniamnist --out model.keras [--epochs N] [--seed S]
    python -m helpers.classifier evaluate --model model.keras --data pneumoniamnist --split test

``--data`` takes a MedMNIST flag (downloaded and cached by :mod:`helpers.data`), the path of an
``.npz`` file or of an image folder, or ``synthetic``.

``train`` fits :func:`helpers.models.build_improved_cnn` (its defaults: a slight input blur,
small shifts/rotations/zooms, per-image standardisation, batch normalisation, global average
pooling, dropout) on the train split for 15 epochs with Adam and a cosine-decaying learning rate,
balanced class weights and label smoothing. It then picks the decision threshold on the
validation split, never on the test split, by Youden's J (sensitivity + specificity - 1, which
does not depend on how common pneumonia is in that split; see :func:`choose_threshold_robustly`)
and saves it inside the ``.keras`` file with the model. ``evaluate`` prints a readable report
and, as its last line, one JSON object.

Exit codes: 0 success, 2 a problem with the arguments or the data (a one-line message on
stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from helpers import evaluation

#: Keys the last line of ``evaluate`` always holds.
REPORT_KEYS = ("auc", "accuracy", "accuracy_at_0.5", "sensitivity", "specificity", "ppv", "npv",
               "threshold", "n")


@dataclass
class TrainSettings:
    """Everything that decides a training run; the defaults are the tuned course settings."""

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
        if not isinstance(self.epochs, int) or self.epochs < 1:
            raise ValueError(f"epochs must be a positive integer, got {self.epochs!r}")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch size must be a positive integer, got {self.batch_size!r}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning rate must be positive, got {self.learning_rate!r}")
        if not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        if self.threshold_method not in evaluation.THRESHOLD_METHODS:
            raise ValueError(f"threshold method must be one of "
                             f"{', '.join(evaluation.THRESHOLD_METHODS)}, "
                             f"got {self.threshold_method!r}")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ValueError(f"label smoothing must be in [0, 1), got {self.label_smoothing}")
        if not 0.0 < self.holdout_fraction < 0.5:
            raise ValueError(f"holdout fraction must be in (0, 0.5), got {self.holdout_fraction}")


@dataclass
class TrainResult:
    """What :func:`train_classifier` returns.

    ``model`` ends with a :class:`helpers.models.DecisionThreshold` holding ``threshold``;
    ``val_report`` is :func:`helpers.evaluation.evaluate_binary` on the split used for the
    threshold (without bootstrap); ``seconds`` is the wall time of ``fit`` alone.
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


def hold_out(images: np.ndarray, labels: np.ndarray, fraction: float, seed: int):
    """Split (images, labels) into a training part and a stratified held-out part.

    Returns ``(train_images, train_labels, held_images, held_labels)``; every class keeps
    about ``fraction`` of its cases in the held-out part (at least one each).
    """
    rng = np.random.default_rng(seed)
    held = []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        held.extend(members[: max(1, round(fraction * len(members)))])
    mask = np.zeros(len(labels), dtype=bool)
    mask[np.asarray(held, dtype=np.int64)] = True
    return images[~mask], labels[~mask], images[mask], labels[mask]


def predict_probabilities(model, images: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """Probability of class 1 for each image: (N,) float64 in [0, 1].

    ``images``: (N, H, W, C) uint8 (or float in [0, 255]) matching the model's input shape.
    """
    images = np.asarray(images)
    expected = tuple(model.input_shape[1:])
    if images.ndim != 4 or tuple(images.shape[1:]) != expected:
        raise ValueError(f"the model expects images of shape (N, {', '.join(map(str, expected))})"
                         f", got {images.shape}: use data of the kind it was trained on")
    if model.output_shape[-1] != 1:
        raise ValueError("this is not a binary model with one sigmoid output")
    out = model.predict(images.astype(np.float32), batch_size=batch_size, verbose=0)
    return np.asarray(out, dtype=np.float64).reshape(-1)


def choose_threshold_robustly(y_val, p_val, method: str = "youden", *, n_boot: int = 200,
                              seed: int = 0) -> float:
    """The median over bootstrap resamples of the validation split of
    :func:`helpers.evaluation.choose_threshold`.

    A validation split with about a hundred normal images gives a noisy threshold: which of
    several nearly equal cut points wins depends on a handful of images. The median over
    resamples is much less sensitive to them. ``n_boot=0`` returns the plain choice.
    """
    y, p = evaluation.check_binary_inputs(y_val, p_val)
    plain = evaluation.choose_threshold(y, p, method)
    if n_boot == 0:
        return plain
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in (0, 1)]
    picks = []
    for _ in range(n_boot):
        idx = np.concatenate([rng.choice(g, size=len(g), replace=True) for g in groups])
        picks.append(evaluation.choose_threshold(y[idx], p[idx], method))
    return _centre_in_gap(p, float(np.median(picks)))


def _centre_in_gap(scores: np.ndarray, threshold: float) -> float:
    """Move ``threshold`` to the middle of the gap between the validation scores around it.

    The decisions on the validation split stay the same, and no validation score lies close
    to the threshold, where float rounding could flip it.
    """
    below, above = scores[scores < threshold], scores[scores >= threshold]
    if len(below) and len(above):
        return (float(below.max()) + float(above.min())) / 2.0
    return threshold


# --------------------------------------------------------------------------- train / evaluate


def _binary_splits(dataset, settings: TrainSettings):
    if dataset.task != "binary-class" or len(dataset.label_names) != 2:
        raise ValueError(f"{dataset.name} is a {dataset.task} data set with "
                         f"{len(dataset.label_names)} classes; this classifier handles two "
                         "classes (e.g. pneumoniamnist, breastmnist)")
    train = dataset.split("train")
    if "val" in dataset.splits:
        val = dataset.split("val")
        return train.images, train.labels, val.images, val.labels, "val"
    parts = hold_out(train.images, train.labels, settings.holdout_fraction, settings.seed)
    return (*parts, f"{settings.holdout_fraction:.0%} of train (no val split)")


def train_classifier(dataset, settings: TrainSettings | None = None, *,
                     log=print) -> TrainResult:
    """Fit the improved CNN on ``dataset``'s train split and choose its threshold.

    dataset: a :class:`helpers.data.Dataset` with a binary task and a "train" split; its "val"
    split (or a stratified part of train when there is none) is used for monitoring and for
    the threshold, never for fitting. ``log`` receives one line per epoch (None: silent).
    """
    from helpers import models

    settings = settings or TrainSettings()
    settings.check()
    x_train, y_train, x_val, y_val, val_name = _binary_splits(dataset, settings)
    if len(np.unique(y_val)) < 2:
        raise ValueError(f"the validation data ({val_name}) holds a single class; the "
                         "threshold needs normal and diseased images")
    weights = compute_class_weights(y_train)

    seed_training(settings.seed)
    model = models.build_improved_cnn(x_train.shape[1:], 2, seed=settings.seed,
                                      **settings.model_options)
    steps = settings.epochs * math.ceil(len(y_train) / settings.batch_size)
    models.compile_classifier(model, settings.learning_rate, decay_steps=steps,
                              label_smoothing=settings.label_smoothing)
    keras = models.keras
    callbacks = []
    if log is not None:
        callbacks.append(keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: log(
                f"epoch {epoch + 1:>3}/{settings.epochs}  loss {logs['loss']:.4f}  "
                f"val_loss {logs['val_loss']:.4f}  val_auc {logs['val_auc']:.4f}")))
    start = time.perf_counter()
    history = model.fit(
        x_train.astype(np.float32), y_train.astype(np.float32),
        batch_size=settings.batch_size, epochs=settings.epochs,
        validation_data=(x_val.astype(np.float32), y_val.astype(np.float32)),
        class_weight=weights, shuffle=True, verbose=0, callbacks=callbacks,
    )
    seconds = time.perf_counter() - start

    p_val = predict_probabilities(model, x_val)
    threshold = choose_threshold_robustly(y_val, p_val, settings.threshold_method,
                                          seed=settings.seed)
    threshold = float(np.float32(threshold))  # the precision in which the model stores it
    final = models.attach_threshold(model, threshold)
    report = evaluation.evaluate_binary(y_val, p_val, threshold, n_boot=0)
    report["split"] = val_name
    return TrainResult(model=final, threshold=threshold,
                       history={k: [float(v) for v in vals] for k, vals in history.history.items()},
                       val_report=report, seconds=seconds,
                       n_parameters=models.count_parameters(model), settings=settings)


def load_classifier(path) -> object:
    """Load a model saved by ``train`` (safe mode); ``ValueError`` if it is not one."""
    from helpers import models  # first: it imports TensorFlow quietly and registers the layer

    keras = models.keras

    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}: train one with "
                                "`python -m helpers.classifier train --data ... --out MODEL.keras`")
    if path.suffix != ".keras":
        raise ValueError(f"{path} is not a .keras file; the trainer saves MODEL.keras")
    try:
        model = keras.models.load_model(path, safe_mode=True, compile=False)
    except (ValueError, TypeError, OSError, KeyError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"{path} could not be loaded as a Keras model ({first[:200]})") from error
    models.read_threshold(model)  # raises ValueError when the file stores no threshold
    return model


def evaluate_classifier(model, images: np.ndarray, labels: np.ndarray, *, n_boot: int = 1000,
                        seed: int = 0) -> dict[str, float]:
    """Evaluate a saved classifier at its stored threshold (and at 0.5).

    Returns :func:`helpers.evaluation.evaluate_binary` with 95 % bootstrap intervals.
    """
    from helpers import models

    threshold = models.read_threshold(model)
    probabilities = predict_probabilities(model, images)
    return evaluation.evaluate_binary(labels, probabilities, threshold, n_boot=n_boot, seed=seed)


def format_report(report: dict[str, float], title: str) -> str:
    """A readable multi-line summary of an :func:`evaluate_classifier` report."""

    def ci(name: str) -> str:
        low, high = report.get(f"{name}_ci_low"), report.get(f"{name}_ci_high")
        return f"  (95 % CI {low:.3f}–{high:.3f})" if low is not None else ""

    lines = [
        title,
        f"  cases          {report['n']} ({report['n_positive']} positive, "
        f"{report['n'] - report['n_positive']} negative)",
        f"  AUC            {report['auc']:.4f}{ci('auc')}",
        f"  threshold      {report['threshold']:.4f} (chosen on validation data)",
        f"  accuracy       {report['accuracy']:.4f}{ci('accuracy')}",
        f"  sensitivity    {report['sensitivity']:.4f}{ci('sensitivity')}",
        f"  specificity    {report['specificity']:.4f}{ci('specificity')}",
        f"  PPV            {report['ppv']:.4f}{ci('ppv')}",
        f"  NPV            {report['npv']:.4f}{ci('npv')}",
        f"  confusion      TN {report['tn']}  FP {report['fp']}  FN {report['fn']}  "
        f"TP {report['tp']}",
        f"  at 0.5         accuracy {report['accuracy_at_0.5']:.4f}, sensitivity "
        f"{report['sensitivity_at_0.5']:.4f}, specificity {report['specificity_at_0.5']:.4f}",
    ]
    if "brier" in report:
        lines.append(f"  Brier score    {report['brier']:.4f}")
    return "\n".join(lines)


def _json_ready(report: dict) -> dict:
    clean = {}
    for key, value in report.items():
        if isinstance(value, float | np.floating):
            value = float(value)
            clean[key] = None if math.isnan(value) else round(value, 6)
        elif isinstance(value, int | np.integer):
            clean[key] = int(value)
        else:
            clean[key] = value
    return clean


# --------------------------------------------------------------------------- command line


class UserError(Exception):
    """A problem the user can fix; reported in one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + message
        raise UserError(f"{message} (see `python -m helpers.classifier {self._hint()}--help`)")

    def _hint(self) -> str:
        name = self.prog.split()[-1]
        return f"{name} " if name in ("train", "evaluate") else ""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m helpers.classifier``."""
    defaults = TrainSettings()
    parser = _Parser(prog="python -m helpers.classifier",
                     description="Train or evaluate the course's pneumonia classifier.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    train = commands.add_parser("train", help="fit a model and save it with its threshold")
    train.add_argument("--data", required=True,
                       help="MedMNIST flag (e.g. pneumoniamnist), .npz file, image folder, "
                            "or 'synthetic'")
    train.add_argument("--out", required=True, help="where to save the model (MODEL.keras)")
    train.add_argument("--epochs", type=int, default=defaults.epochs,
                       help=f"passes over the train split (default: {defaults.epochs})")
    train.add_argument("--seed", type=int, default=defaults.seed,
                       help=f"same seed, same model on one machine (default: {defaults.seed})")
    train.add_argument("--batch-size", type=int, default=defaults.batch_size,
                       help=f"images per step (default: {defaults.batch_size})")
    train.add_argument("--learning-rate", type=float, default=defaults.learning_rate,
                       help=f"initial Adam learning rate (default: {defaults.learning_rate:g})")
    train.add_argument("--threshold-method", default=defaults.threshold_method,
                       choices=evaluation.THRESHOLD_METHODS,
                       help="how the threshold is chosen on the val split "
                            f"(default: {defaults.threshold_method})")
    train.add_argument("--quiet", action="store_true", help="no line per epoch")
    evaluate = commands.add_parser("evaluate", help="report a saved model's performance")
    evaluate.add_argument("--model", required=True, help="a MODEL.keras saved by train")
    evaluate.add_argument("--data", required=True, help="as for train")
    evaluate.add_argument("--split", default="test", help="train, val or test (default: test)")
    evaluate.add_argument("--n-boot", type=int, default=1000,
                          help="bootstrap resamples for the 95 %% CIs (0: none)")
    return parser


def _load_data(name: str):
    from helpers import data

    try:
        return data.load_dataset(name)
    except data.DownloadError as error:
        raise UserError(f"could not get {error.flag}: {error.reason} Download {error.url} by "
                        f"hand to {error.path}.") from error


def _run_train(args) -> int:
    out = Path(args.out).expanduser()
    if out.suffix != ".keras":
        raise UserError(f"--out must end in .keras (got {args.out})")
    settings = TrainSettings(epochs=args.epochs, seed=args.seed, batch_size=args.batch_size,
                             learning_rate=args.learning_rate,
                             threshold_method=args.threshold_method)
    settings.check()
    dataset = _load_data(args.data)
    print(dataset.describe(), flush=True)
    result = train_classifier(dataset, settings,
                              log=None if args.quiet else lambda line: print(line, flush=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    result.model.save(out)
    report = result.val_report
    print(format_report(report, f"validation ({report['split']}), threshold chosen here:"))
    print(f"parameters {result.n_parameters:,}; training took {result.seconds:.0f} s; "
          f"saved {out}")
    summary = {"model": str(out), "parameters": result.n_parameters,
               "seconds": round(result.seconds, 1), "settings": asdict(settings),
               **{f"val_{k}": v for k, v in report.items() if k != "split"}}
    print(json.dumps(_json_ready(summary)))
    return 0


def _run_evaluate(args) -> int:
    if args.n_boot < 0 or 0 < args.n_boot < 10:
        raise UserError(f"--n-boot must be 0 or at least 10, got {args.n_boot}")
    model = load_classifier(args.model)
    dataset = _load_data(args.data)
    split = dataset.split(args.split)
    report = evaluate_classifier(model, split.images, split.labels, n_boot=args.n_boot)
    print(format_report(report, f"{dataset.name}, split {args.split!r}, model {args.model}"))
    print(json.dumps(_json_ready({**report, "split": args.split, "data": args.data})))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 user error)."""
    try:
        args = build_parser().parse_args(argv)
        return _run_train(args) if args.command == "train" else _run_evaluate(args)
    except (UserError, ValueError, FileNotFoundError) as error:
        message = " ".join(str(error).split())
        print(f"error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
