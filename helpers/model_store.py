"""The course's pneumonia classifier, trained once and kept: notebook 09 trains it, notebook 10
evaluates the same model.

    result = model_store.train_or_load(study.as_dataset(), model_store.course_settings("pneumoniamnist"))
    result.model, result.threshold, result.history, result.trained_now

:func:`train_or_load` runs :func:`helpers.training.train_classifier` (the recipe of
``python -m helpers.classifier train``) and saves the model in the course's cache folder
(:func:`store_dir`, beside the downloaded data). Next time, in this notebook or another, the
saved model is loaded instead, but only if it was trained on exactly the same images with exactly
the same settings (:func:`fingerprint`); otherwise it is trained again. Deleting the folder is
always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np

from helpers import training
from helpers.data import Dataset, locations

#: Bump when the recipe changes in a way the settings do not show, so old files are not reused.
RECIPE_VERSION = 1


def course_settings(dataset_name: str = "pneumoniamnist") -> training.TrainSettings:
    """The settings notebooks 09 and 10 train with: the command line's defaults for the data set
    (:func:`helpers.training.default_settings`); in fast mode one short epoch and one model."""
    from helpers import course

    return training.default_settings(dataset_name, epochs=course.pick(None, 1),
                                     members=course.pick(None, 1))


def store_dir() -> Path:
    """Where trained course models are kept: ``models/`` in the data cache
    (:func:`helpers.data.locations.cache_dir`, moved with ``CNN_COURSE_DATA``)."""
    return locations.cache_dir() / "models"


def fingerprint(dataset: Dataset, settings: training.TrainSettings) -> str:
    """A short hash of everything that decides the trained model: the train and val images and
    labels, the class names, the settings, the recipe version and the Keras version."""
    import keras

    digest = hashlib.sha256()
    for name in ("train", "val"):
        if name in dataset.splits:
            split = dataset.split(name)
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(split.images).tobytes())
            digest.update(np.ascontiguousarray(split.labels, dtype=np.int64).tobytes())
    described = {"settings": asdict(settings), "labels": list(dataset.label_names),
                 "positive": dataset.positive_class, "recipe": RECIPE_VERSION,
                 "keras": keras.__version__}
    digest.update(json.dumps(described, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


@dataclass
class StoredResult(training.TrainResult):
    """:class:`helpers.training.TrainResult` of a course model and where it is kept:
    ``trained_now`` is False when it was loaded from ``path``; ``seconds`` is then the training
    wall time of the run that made it."""

    path: Path | None = Path()  # None: trained now but could not be kept
    trained_now: bool = True

    def summary(self) -> str:
        how = "trained now" if self.trained_now else "loaded (trained earlier with the same data and settings)"
        members = f", {self.settings.members} models averaged" if self.settings.members > 1 else ""
        return (f"{self.model.name}: {self.n_parameters:,} parameters, {self.settings.epochs} epochs"
                f"{members}, {self.seconds:.0f} s of training; {how}; "
                + ("not kept (see above)" if self.path is None else f"file {self.path.name}"))


def train_or_load(dataset: Dataset, settings: training.TrainSettings | None = None, *,
                  name: str = "pneumonia_cnn", log=print) -> StoredResult:
    """The model :func:`helpers.training.train_classifier` gives for ``dataset`` and
    ``settings`` (default: :func:`course_settings`), loaded from :func:`store_dir` when the same
    data and settings trained it before, else trained (``log`` gets one line per epoch) and saved
    there. Only the train and val splits are used: the threshold is chosen on val."""
    from helpers import models

    settings = settings or course_settings(dataset.name)
    key = fingerprint(dataset, settings)
    folder = store_dir()
    path, record = folder / f"{name}-{key}.keras", folder / f"{name}-{key}.json"
    val = dataset.split("val")
    if path.is_file() and record.is_file():
        try:
            model = models.load_classifier(path)
            saved = json.loads(record.read_text(encoding="utf-8"))
        except (ValueError, OSError):  # a damaged file is trained again
            pass
        else:
            report = training.evaluate_classifier(model, val.images, val.labels, n_boot=0)
            return StoredResult(model=model, threshold=saved["threshold"],
                                history=saved["history"], val_report=report,
                                seconds=saved["seconds"], n_parameters=models.count_parameters(model),
                                settings=settings, label_names=list(dataset.label_names),
                                positive_class=models.read_info(model).get("positive_class"),
                                path=path, trained_now=False)
    result = training.train_classifier(dataset, settings, log=log)
    stamp = f"{os.getpid()}-{time.monotonic_ns()}"
    tmp_model, tmp_record = path.with_name(f".{stamp}.keras"), record.with_name(f".{stamp}.json")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result.model.save(tmp_model)
        tmp_record.write_text(json.dumps({"threshold": result.threshold,
                                          "history": result.history, "seconds": result.seconds,
                                          "fingerprint": key}), encoding="utf-8")
        os.replace(tmp_model, path)  # atomic: a notebook running at the same time never reads half
        os.replace(tmp_record, record)
    except OSError as error:  # a read-only or full data folder: the model still serves here
        for leftover in (tmp_model, tmp_record):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        print(f"Could not keep the trained model in {folder} ({type(error).__name__}: {error}). "
              "It works in this notebook, but the next notebook will train it again: point "
              f"{locations.CACHE_VARIABLE} at a folder you can write to.")
        path = None
    return StoredResult(**{f.name: getattr(result, f.name) for f in fields(result)}, path=path,
                        trained_now=True)
