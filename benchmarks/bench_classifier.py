"""Benchmark of the command line's classifier on the three real data sets: training time, size
and validation performance.

Trains the classifier of ``python -m helpers.classifier`` (:func:`helpers.training.train_classifier`)
with the default settings of each data set (:func:`helpers.training.default_settings`, as the
command line does) on the official train split of the real MedMNIST v2 copies in
``shared/datasets/`` next to the repository (:func:`helpers.data.locations.shared_dataset`), and
reports the official val split, where a binary model's threshold is also chosen. A copy that is
missing is skipped with a row that says so; without any, the synthetic data set is used and the
row names say so. Machines are noisy, and shared ones more so: the CPU time (all threads of this
process) is reported beside the wall time. Select data sets with
``python benchmarks/bench_classifier.py breastmnist retinamnist``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COPIES = {"pneumoniamnist": "PNEUMONIA_TRAINVAL", "breastmnist": "BREAST_TRAINVAL",
          "retinamnist": "RETINA_TRAINVAL"}


def _rows_for(dataset, where: str) -> list[tuple[str, float, str]]:
    from helpers import training

    settings = training.default_settings(dataset.name)
    cpu_start = time.process_time()
    result = training.train_classifier(dataset, settings, log=None)
    cpu = time.process_time() - cpu_start
    report = result.val_report
    n_train = len(dataset.split("train"))
    prefix = f"classifier ({where})"
    rows = [
        (f"{prefix}: fit wall time, {settings.epochs} epochs x {n_train} images", result.seconds, "s"),
        (f"{prefix}: CPU time of train_classifier", cpu, "s"),
        (f"{prefix}: parameters", float(result.n_parameters), "weights"),
        (f"{prefix}: val AUC" + (" (macro, one-vs-rest)" if result.threshold is None else ""),
         report["auc"], ""),
    ]
    if result.threshold is None:  # several classes: argmax
        rows.append((f"{prefix}: val accuracy (argmax)", report["accuracy"], ""))
        rows += [(f"{prefix}: val sensitivity of {name}", value, "")
                 for name, value in zip(report["label_names"], report["sensitivity"],
                                               strict=True)]
    else:
        positive = result.label_names[result.positive_class]
        rows += [
            (f"{prefix}: val accuracy at saved threshold", report["accuracy"], ""),
            (f"{prefix}: val sensitivity for {positive} at saved threshold",
             report["sensitivity"], ""),
            (f"{prefix}: val specificity at saved threshold", report["specificity"], ""),
            (f"{prefix}: saved threshold", result.threshold, ""),
        ]
    return rows


def run(names: list[str] | None = None) -> list[tuple[str, float, str]]:
    """Train once per data set with its default settings; rows of (name, value, unit)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from helpers import data, models
    from helpers.data import locations

    rows = [("figure-3 CNN: parameters", float(models.count_parameters(models.build_figure3_cnn())),
             "weights")]
    found = False
    for name in names or list(COPIES):
        shared = locations.shared_dataset(getattr(locations, COPIES[name]))
        if shared is None:
            rows.append((f"classifier ({name}): no real copy found, skipped", float("nan"), ""))
            continue
        found = True
        dataset = data.load_dataset(str(shared))
        rows += _rows_for(dataset, dataset.name)
    if not found:
        rows += _rows_for(data.make_synthetic_chest(), "synthetic")
    return rows


if __name__ == "__main__":
    for name, value, unit in run(sys.argv[1:] or None):
        print(f"{name:<78} {value:10.4f} {unit}")
