"""The command line of the course's classifier: a thin layer over :mod:`helpers.training`.

    python -m helpers.classifier train --data pneumoniamnist --out model.keras [--epochs N] [--seed S]
    python -m helpers.classifier train --data breastmnist --out breast.keras [--positive malignant]
    python -m helpers.classifier train --data retinamnist --out retina.keras [--size 64]
    python -m helpers.classifier train --data pneumoniamnist --size 224 --out m.keras --distribute mirrored
    python -m helpers.classifier evaluate --model model.keras --data pneumoniamnist --split test

``--data`` takes a MedMNIST flag (downloaded and cached by :mod:`helpers.data`; ``--size`` 64,
128 or 224 picks the larger MedMNIST+ files), the path of an ``.npz`` file or of an image
folder, or ``synthetic``. Any binary or multi-class MedMNIST 2D data set works.

``train`` runs :func:`helpers.training.train_classifier`: it fits
:func:`helpers.models.build_improved_cnn` (its defaults: a slight input blur, small
shifts/rotations/zooms, per-image standardisation, batch normalisation, global average pooling,
dropout) on the train split with the course's recipe (:func:`helpers.training.fit_classifier`:
Adam, a cosine-decaying learning rate, balanced class weights, label smoothing) and the data
set's defaults (:func:`helpers.training.default_settings`; options given here win). With two
classes the model scores the positive class (the disease: the manifest's ``positive_class``, or
``--positive``) and the decision threshold is picked on the validation split, never on the test
split, by Youden's J (sensitivity + specificity - 1, which does not depend on how common the
disease is in that split; see :func:`helpers.evaluation.choose_threshold_robustly`); it is saved
inside the ``.keras`` file with the model, which also records the data set, label names and
positive class. With more classes the report gives the macro AUC, accuracy, per-class
sensitivity and the confusion matrix. ``evaluate`` warns when the data is not what the model was
trained on, prints a readable report (:func:`helpers.evaluation.format_report`) and, as its last
line, one JSON object.

Exit codes: 0 success, 2 a problem with the arguments, the data, the model file or the output
path (a one-line message on stderr, no traceback; the output path is checked before training).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

from helpers import distribute, evaluation, training
from helpers.data import medmnist

#: Keys the last line of ``evaluate`` always holds for a binary model.
REPORT_KEYS = ("auc", "accuracy", "accuracy_at_0.5", "sensitivity", "specificity", "ppv", "npv",
               "threshold", "n", "positive", "positive_class")
#: ... and for a model of K > 2 classes.
MULTICLASS_REPORT_KEYS = ("auc", "accuracy", "sensitivity", "confusion", "label_names", "n")
#: The image sizes ``--size`` accepts: those of the manifest (MedMNIST+; 28 is MedMNIST v2).
SIZES = tuple(medmnist.offered_sizes())


def _json_ready(value):
    """``value`` (dicts and lists nested) with NumPy numbers as Python ones, floats rounded to
    6 decimals and NaN as null, so that ``json.dumps`` writes valid JSON."""
    if isinstance(value, dict):
        return {key: _json_ready(v) for key, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_json_ready(v) for v in value]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else round(float(value), 6)
    if isinstance(value, int | np.integer):
        return int(value)
    return value


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
    """The argument parser of ``python -m helpers.classifier``.

    Training options default to None: :func:`helpers.training.default_settings` then fills in
    the course's defaults for the data set (:data:`helpers.training.DATASET_DEFAULTS`).
    """
    defaults = training.TrainSettings()
    parser = _Parser(prog="python -m helpers.classifier",
                     description="Train or evaluate the course's classifier on a MedMNIST 2D "
                                 "data set (two or more classes).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    train = commands.add_parser("train", help="fit a model and save it with its threshold")
    train.add_argument("--data", required=True,
                       help="MedMNIST flag (e.g. pneumoniamnist, breastmnist, retinamnist), "
                            ".npz file, image folder, or 'synthetic'")
    train.add_argument("--out", required=True, help="where to save the model (MODEL.keras)")
    _add_size(train)
    train.add_argument("--positive", default=None, metavar="NAME",
                       help="two classes: the class called positive, by name or index "
                            "(default: the data set's, e.g. malignant for breastmnist)")
    train.add_argument("--epochs", type=int, default=None,
                       help="passes over the train split (default: the data set's, else "
                            f"{defaults.epochs})")
    train.add_argument("--seed", type=int, default=None,
                       help=f"same seed, same model on one machine (default: {defaults.seed})")
    train.add_argument("--batch-size", type=int, default=None,
                       help="images per step and per replica: with --distribute a step sees "
                            f"batch size × replicas (default: {defaults.batch_size})")
    train.add_argument("--distribute", default="none", choices=distribute.STRATEGIES,
                       help="none (one device), mirrored (every GPU of this machine) or "
                            "multiworker (several machines named in TF_CONFIG, each running "
                            "this same command); default: none")
    train.add_argument("--learning-rate", type=float, default=None,
                       help="initial Adam learning rate (default: the data set's, else "
                            f"{defaults.learning_rate:g})")
    train.add_argument("--members", type=int, default=None,
                       help="models averaged into one (seeds seed, seed+1, ...; default: the "
                            f"data set's, else {defaults.members})")
    train.add_argument("--threshold-method", default=None,
                       choices=evaluation.THRESHOLD_METHODS,
                       help="how the threshold is chosen on the val split "
                            f"(default: {defaults.threshold_method})")
    train.add_argument("--quiet", action="store_true", help="no line per epoch")
    evaluate = commands.add_parser("evaluate", help="report a saved model's performance")
    evaluate.add_argument("--model", required=True, help="a MODEL.keras saved by train")
    evaluate.add_argument("--data", required=True, help="as for train")
    _add_size(evaluate)
    evaluate.add_argument("--split", default="test", help="train, val or test (default: test)")
    evaluate.add_argument("--n-boot", type=int, default=1000,
                          help="bootstrap resamples for the 95 %% CIs (0: none)")
    return parser


def _add_size(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", type=int, default=None, choices=SIZES,
                        help="image size of a MedMNIST flag: 28 (default) or the larger "
                             "MedMNIST+ files 64, 128, 224 (a GPU helps)")


def _load_data(name: str, size: int | None = None):
    from helpers import data

    try:
        return data.load_dataset(name, size=size)
    except data.DownloadError as error:
        raise UserError(f"could not get {error.path.name}: {error.reason} Download {error.url} "
                        f"by hand to {error.path}.") from error


def check_writable(out: Path) -> None:
    """``UserError`` unless a model can be saved at ``out`` (checked before any training):
    ``out`` must not be a folder, and its folder must exist or be creatable and be writable
    (tried with a small temporary file)."""
    if out.suffix != ".keras":
        raise UserError(f"--out must end in .keras (got {out})")
    if out.is_dir():
        raise UserError(f"--out {out} is a folder: give a file name such as {out / 'model.keras'}")
    folder = out.parent
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UserError(f"cannot save {out}: {existing} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
        if out.exists() and not os.access(out, os.W_OK):
            raise PermissionError(f"{out} is read-only")
    except OSError as error:
        raise UserError(f"cannot save the model to {out}: {error.strerror or error}") from error


def _run_train(args) -> int:
    out = Path(args.out).expanduser()
    given = {"epochs": args.epochs, "seed": args.seed, "batch_size": args.batch_size,
             "learning_rate": args.learning_rate, "members": args.members,
             "threshold_method": args.threshold_method, "positive_class": args.positive,
             "distribute": args.distribute}
    training.default_settings(None, **given)  # wrong values are reported before anything runs
    out = distribute.output_for_worker(out, args.distribute)
    check_writable(out)
    dataset = _load_data(args.data, args.size)
    settings = training.default_settings(dataset.name, **given)
    print(dataset.describe(), flush=True)
    log = None if args.quiet else lambda line: print(line, flush=True)
    result = training.train_classifier(dataset, settings, log=log)
    result.model.save(out)
    report = result.val_report
    print(evaluation.format_report(report, f"validation ({report['split']})"
                                           + (", threshold chosen here:" if result.threshold
                                              is not None else ":")))
    print(f"parameters {result.n_parameters:,}; training took {result.seconds:.0f} s on "
          f"{result.replicas} replica(s), {settings.batch_size * result.replicas} images a "
          f"step; saved {out}")
    summary = {"model": str(out), "data": dataset.name, "label_names": result.label_names,
               "parameters": result.n_parameters, "seconds": round(result.seconds, 1),
               "settings": asdict(settings), "replicas": result.replicas,
               "global_batch": settings.batch_size * result.replicas,
               **{f"val_{k}": v for k, v in report.items() if k != "split"}}
    print(json.dumps(_json_ready(summary)))
    return 0


def _run_evaluate(args) -> int:
    if args.n_boot < 0 or 0 < args.n_boot < 10:
        raise UserError(f"--n-boot must be 0 or at least 10, got {args.n_boot}")
    from helpers import models  # TensorFlow, once the arguments are known to be fine

    model = models.load_classifier(args.model)
    dataset = _load_data(args.data, args.size)
    for warning in training.compare_with_training_data(model, dataset):
        print(f"warning: {warning}", file=sys.stderr)
    split = dataset.split(args.split)
    report = training.evaluate_classifier(model, split.images, split.labels, n_boot=args.n_boot,
                                          label_names=dataset.label_names)
    title = f"{dataset.name}, split {args.split!r}, model {args.model}"
    print(evaluation.format_report(report, title))
    print(json.dumps(_json_ready({**report, "split": args.split, "data": args.data})))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 user error)."""
    try:
        args = build_parser().parse_args(argv)
        return _run_train(args) if args.command == "train" else _run_evaluate(args)
    except (UserError, ValueError, OSError) as error:  # FileNotFoundError is an OSError
        message = " ".join(str(error).split())
        print(f"error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
