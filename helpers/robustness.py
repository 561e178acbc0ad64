"""How much a classifier's figures move when the images or the population change: a stress test
on the validation split, test-time augmentation, and accuracy at another prevalence.

Taught in ``notebooks/09_chest_xray_training.ipynb``; ``benchmarks/bench_robustness.py`` compares
training choices with it.

- :data:`ACQUISITION_CHANGES` are simple, named changes of how an X-ray was taken or stored
  (a darker or brighter exposure, lower contrast, a softer image, more noise, the patient a
  little off-centre); :func:`simulate_acquisition` applies one. They are stand-ins: a real shift
  to another hospital is not a gamma curve, so a model that survives them has passed a
  necessary test, not a sufficient one.
- :func:`predict_with_tta` averages a model's probabilities over one-pixel shifts of each image
  (test-time augmentation).
- :func:`accuracy_at_prevalence` is the accuracy a test with given sensitivity and specificity
  has where the disease has another prevalence: π·Se + (1 − π)·Sp.
- :func:`stress_test` reports AUC, sensitivity, specificity and accuracy at a fixed threshold
  for every change, as table rows.

Images are (N, H, W, C) uint8 in [0, 255], labels (N,) in {0, 1}, as in :mod:`helpers.data`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers import evaluation, hygiene, validate


def _gamma(power: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda x: 255.0 * (x / 255.0) ** power


def _contrast(factor: float) -> Callable[[np.ndarray], np.ndarray]:
    def change(x: np.ndarray) -> np.ndarray:
        mean = x.mean(axis=(1, 2, 3), keepdims=True)
        return mean + factor * (x - mean)
    return change


def _blur(sigma: float) -> Callable[[np.ndarray], np.ndarray]:
    def change(x: np.ndarray) -> np.ndarray:
        from scipy import ndimage

        return ndimage.gaussian_filter(x, sigma=(0, sigma, sigma, 0), mode="nearest")
    return change


def _noise(std: float) -> Callable[[np.ndarray], np.ndarray]:
    def change(x: np.ndarray) -> np.ndarray:
        return x + np.random.default_rng(0).normal(0.0, std, x.shape)
    return change


#: The official PneumoniaMNIST test split: 234 normal and 390 pneumonia X-rays (MedMNIST v2), a
#: prevalence of 62.5 %, for reports made where that split is not at hand.
PNEUMONIAMNIST_TEST_COUNTS = (234, 390)
PNEUMONIAMNIST_TEST_PREVALENCE = PNEUMONIAMNIST_TEST_COUNTS[1] / sum(PNEUMONIAMNIST_TEST_COUNTS)


#: name → change of a batch of float images in [0, 255] (clipped afterwards).
ACQUISITION_CHANGES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "darker exposure (gamma 1.4)": _gamma(1.4),
    "brighter exposure (gamma 0.7)": _gamma(0.7),
    "lower contrast (× 0.7)": _contrast(0.7),
    "softer image (blur σ 0.8 px)": _blur(0.8),
    "noisier image (σ 8 grey levels)": _noise(8.0),
    "off-centre by 2 px": lambda x: hygiene.shift_images(x, 2, -2),
}


def simulate_acquisition(images: np.ndarray, change: str) -> np.ndarray:
    """``images`` (N, H, W, C) after the named change of :data:`ACQUISITION_CHANGES`
    ("none" returns them unchanged), as uint8 in [0, 255]."""
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be (N, H, W, C), got shape {images.shape}")
    if change == "none":
        return images
    validate.one_of(change, list(ACQUISITION_CHANGES), "acquisition change")
    changed = ACQUISITION_CHANGES[change](images.astype(np.float64))
    return np.clip(np.rint(changed), 0, 255).astype(np.uint8)


#: The one-pixel shifts :func:`predict_with_tta` averages over (the image itself first).
TTA_SHIFTS = ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1))


def predict_with_tta(model, images: np.ndarray, shifts=TTA_SHIFTS) -> np.ndarray:
    """The mean of the model's probabilities over shifted copies of each image (edges repeated):
    test-time augmentation (:func:`helpers.hygiene.shift_images`). Same shape as :func:`helpers.models.predict_probabilities`. All
    copies go through the model in one call."""
    from helpers import models

    images = np.asarray(images)
    copies = [images if (dy, dx) == (0, 0) else hygiene.shift_images(images, dy, dx)
              for dy, dx in shifts]
    scores = models.predict_probabilities(model, np.concatenate(copies))
    return scores.reshape(len(shifts), len(images), *scores.shape[1:]).mean(axis=0)


def accuracy_at_prevalence(sensitivity, specificity, prevalence):
    """Accuracy where a fraction ``prevalence`` has the disease: π·Se + (1 − π)·Sp (vectorised)."""
    prevalence = np.asarray(prevalence, dtype=float)
    if np.any((prevalence < 0) | (prevalence > 1)):
        raise ValueError("prevalence must be between 0 and 1")
    return prevalence * np.asarray(sensitivity) + (1 - prevalence) * np.asarray(specificity)


def stress_test(predict: Callable[[np.ndarray], np.ndarray], images: np.ndarray,
                labels: np.ndarray, threshold: float, *, prevalence: float | None = None,
                changes=("none", *ACQUISITION_CHANGES)) -> list[dict]:
    """One row per change: ``{"images": change, "AUC", "sensitivity", "specificity",
    "accuracy"}`` at the fixed ``threshold``, plus ``"accuracy at π"`` when ``prevalence`` is
    given. ``predict(images) -> probabilities`` is called once, on all changed copies together, e.g. ``lambda x: models.predict_probabilities(
    model, x)`` or ``lambda x: predict_with_tta(model, x)``."""
    changed = [simulate_acquisition(images, change) for change in changes]
    every = predict(np.concatenate(changed))  # one call: far faster than one per change
    rows = []
    for k, change in enumerate(changes):
        scores = every[k * len(images):(k + 1) * len(images)]
        rates = evaluation.compute_binary_metrics(labels, scores, threshold)
        row = {"images": change, "AUC": evaluation.compute_auc(labels, scores),
               "sensitivity": rates["sensitivity"], "specificity": rates["specificity"],
               "accuracy": rates["accuracy"]}
        if prevalence is not None:
            row[f"accuracy at {prevalence:.1%}"] = float(accuracy_at_prevalence(
                rates["sensitivity"], rates["specificity"], prevalence))
        rows.append(row)
    return rows
