"""The command line of the course's pneumonia classifier: a thin layer over :mod:`helpers.training`.

    python -m helpers.classifier train --data pneumoniamnist --out model.keras [--epochs N] [--seed S]
    python -m helpers.classifier evaluate --model model.keras --data pneumoniamnist --split test

``--data`` takes a MedMNIST flag (downloaded and cached by :mod:`helpers.data`), the path of an
``.npz`` file or of an image folder, or ``synthetic``.

``train`` runs :func:`helpers.training.train_classifier`: it fits
:func:`helpers.models.build_improved_cnn` (its defaults: a slight input blur, small
shifts/rotations/zooms, per-image standardisation, batch normalisation, global average pooling,
dropout) on the train split for 15 epochs with the course's recipe
(:func:`helpers.training.fit_binary`: Adam, a cosine-decaying learning rate, balanced class
weights, label smoothing). It then picks the decision threshold on the validation split, never
on the test split, by Youden's J (sensitivity + specificity - 1, which does not depend on how
common pneumonia is in that split; see :func:`helpers.evaluation.choose_threshold_robustly`)
and saves it inside the ``.keras`` file with the model. ``evaluate`` prints a readable report
(:func:`helpers.evaluation.format_report`) and, as its last line, one JSON object.

Exit codes: 0 success, 2 a problem with the arguments or the data (a one-line message on
stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

from helpers import evaluation, training

#: Keys the last line of ``evaluate`` always holds.
REPORT_KEYS = ("auc", "accuracy", "accuracy_at_0.5", "sensitivity", "specificity", "ppv", "npv",
               "threshold", "n")


def _json_ready(report: dict) -> dict:
    """``report`` with NumPy numbers as Python ones, floats rounded to 6 decimals, NaN as null."""
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
    defaults = training.TrainSettings()
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
    settings = training.TrainSettings(epochs=args.epochs, seed=args.seed,
                                      batch_size=args.batch_size,
                                      learning_rate=args.learning_rate,
                                      threshold_method=args.threshold_method)
    settings.check()
    dataset = _load_data(args.data)
    print(dataset.describe(), flush=True)
    log = None if args.quiet else lambda line: print(line, flush=True)
    result = training.train_classifier(dataset, settings, log=log)
    out.parent.mkdir(parents=True, exist_ok=True)
    result.model.save(out)
    report = result.val_report
    print(evaluation.format_report(report, f"validation ({report['split']}), threshold chosen "
                                           "here:"))
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
    from helpers import models  # TensorFlow, once the arguments are known to be fine

    model = models.load_classifier(args.model)
    dataset = _load_data(args.data)
    split = dataset.split(args.split)
    report = training.evaluate_classifier(model, split.images, split.labels, n_boot=args.n_boot)
    title = f"{dataset.name}, split {args.split!r}, model {args.model}"
    print(evaluation.format_report(report, title))
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
