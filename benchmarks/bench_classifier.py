"""Benchmark of the pneumonia classifier: training time, size and validation performance.

Trains the classifier of ``python -m helpers.classifier``
(:func:`helpers.training.train_classifier`) with its default settings on the official train
split of the real PneumoniaMNIST v2 copy (``helpers.data.locations.shared_dataset()``:
``shared/datasets/`` next to the repository) and reports the validation split, where the
threshold is also chosen. Without that file it falls back to the synthetic data set, and the
row names say so. Machines are noisy, and shared ones more so: the CPU time (all threads of this
process) is reported beside the wall time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run() -> list[tuple[str, float, str]]:
    """Train once with default settings; rows of (name, value, unit)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from helpers import data, models, training
    from helpers.data import locations

    shared = locations.shared_dataset(locations.PNEUMONIA_TRAINVAL)
    if shared is not None:
        dataset, where = data.load_dataset(str(shared)), "PneumoniaMNIST"
    else:
        dataset, where = data.make_synthetic_chest(), "synthetic"
    settings = training.TrainSettings()
    cpu_start = time.process_time()
    result = training.train_classifier(dataset, settings, log=None)
    cpu = time.process_time() - cpu_start
    report = result.val_report
    n_train = len(dataset.split("train"))
    prefix = f"classifier ({where})"
    return [
        (f"{prefix}: fit wall time, {settings.epochs} epochs x {n_train} images",
         result.seconds, "s"),
        (f"{prefix}: CPU time of train_classifier", cpu, "s"),
        (f"{prefix}: parameters", float(result.n_parameters), "weights"),
        ("figure-3 CNN: parameters", float(models.count_parameters(models.build_figure3_cnn())),
         "weights"),
        (f"{prefix}: val AUC", report["auc"], ""),
        (f"{prefix}: val accuracy at saved threshold", report["accuracy"], ""),
        (f"{prefix}: val accuracy at 0.5", report["accuracy_at_0.5"], ""),
        (f"{prefix}: val sensitivity at saved threshold", report["sensitivity"], ""),
        (f"{prefix}: val specificity at saved threshold", report["specificity"], ""),
        (f"{prefix}: saved threshold", result.threshold, ""),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<75} {value:10.4f} {unit}")
