"""Synthetic chest-X-ray-like images, for working (and testing) without a network.

    ds = synthetic.make_synthetic_chest()     # 600 / 200 / 200 images, 28 × 28, grey
    ds.source == synthetic.SYNTHETIC_SOURCE   # True: these are NOT real patients

Used by ``data.load_dataset("synthetic")`` and as its offline fallback (``fallback=True``).
"""

from __future__ import annotations

import numpy as np

from helpers import validate
from helpers.data.datasets import SPLITS, Dataset, Split

#: The ``source`` of every synthetic data set: the notebooks test for it to warn the learner.
SYNTHETIC_SOURCE = "synthetic (offline fallback) – not real patients"


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def _synthetic_split(seed: np.random.SeedSequence, n: int, size: int) -> Split:
    rng = np.random.default_rng(seed)
    labels = np.zeros(n, dtype=np.int64)
    labels[: round(0.7 * n)] = 1
    rng.shuffle(labels)

    def jitter(low: float, high: float) -> np.ndarray:
        return rng.uniform(low, high, (n, 1, 1)).astype(np.float32)

    axis = np.linspace(-1.0, 1.0, size, dtype=np.float32)
    yy, xx = np.meshgrid(axis, axis, indexing="ij")
    scale = jitter(0.9, 1.1)
    x = (xx[None] - jitter(-0.08, 0.08)) / scale  # patient position and size
    y = (yy[None] - jitter(-0.06, 0.06)) / scale
    edge = 0.7 / size  # soft edges about one pixel wide

    # thorax filling most of the frame; air only at the upper corners
    thorax = _sigmoid((1.0 - (x / jitter(1.05, 1.2)) ** 2 - ((y - 0.35) / 1.25) ** 2) / (8 * edge))
    image = jitter(0.08, 0.18) + thorax * jitter(0.45, 0.6)
    # two dark lung fields, wider at the bottom
    lung_x, lung_y = jitter(0.38, 0.46), jitter(-0.12, 0.0)
    lung_rx, lung_ry = jitter(0.24, 0.31), jitter(0.55, 0.68)
    width = lung_rx * (1.0 + 0.3 * np.clip((y - lung_y) / lung_ry, -1.0, 1.0))
    distance = np.minimum(((x + lung_x) / width) ** 2, ((x - lung_x) / width) ** 2) \
        + ((y - lung_y) / lung_ry) ** 2
    lungs = _sigmoid((1.0 - distance) / (10 * edge))
    image -= jitter(0.26, 0.4) * lungs
    # ribs: faint curved stripes across the lungs
    ribs = 0.5 + 0.5 * np.sin(jitter(10.0, 13.0) * (y - 0.25 * np.abs(x)) + jitter(0, 2 * np.pi))
    image += jitter(0.03, 0.08) * ribs * lungs
    # spine and mediastinum: a bright vertical band
    image += jitter(0.1, 0.2) * np.exp(-0.5 * (x / jitter(0.08, 0.13)) ** 2) * thorax
    # heart: a bright blob low and to the image's right (the patient's left)
    heart = np.exp(-0.5 * (((x - jitter(0.08, 0.2)) / 0.22) ** 2
                           + ((y - jitter(0.3, 0.45)) / 0.2) ** 2))
    image += jitter(0.08, 0.18) * heart
    # diaphragm and abdomen: brighter below the lungs
    image += jitter(0.12, 0.22) * _sigmoid((y - jitter(0.6, 0.75)) / 0.06) * thorax

    def blobs(count: int, low: float, high: float, sigma: tuple[float, float],
              active: np.ndarray) -> np.ndarray:
        """Gaussian patches at random places inside one lung, only where ``active``."""
        total = np.zeros_like(image)
        for k in range(count):
            on = active & (rng.random(n) < (1.0 if k == 0 else 0.45))
            side = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), n)[:, None, None]
            angle = jitter(0.0, 2 * np.pi)
            radius = np.sqrt(jitter(0.0, 0.55))
            cx = side * lung_x + radius * np.cos(angle) * lung_rx
            cy = lung_y + radius * np.sin(angle) * lung_ry
            s = jitter(*sigma)
            patch = np.exp(-0.5 * ((x - cx) ** 2 + (y - cy) ** 2) / s**2)
            total += on[:, None, None] * jitter(low, high) * patch
        return total * lungs

    # pneumonia-like opacity: one to three blurred bright patches inside a lung
    image += blobs(3, 0.12, 0.38, (0.1, 0.22), labels == 1)
    # in every image: small sharp spots (vessels seen end-on), which are NOT opacity
    image += blobs(2, 0.1, 0.3, (0.03, 0.06), np.ones(n, dtype=bool))

    image = image * jitter(0.85, 1.15) + jitter(-0.08, 0.08)  # exposure
    image += rng.standard_normal(image.shape, dtype=np.float32) * jitter(0.01, 0.035)  # noise
    pixels = np.clip(np.round(image * 255.0), 0, 255).astype(np.uint8)
    return Split(images=pixels[..., np.newaxis], labels=labels)


def make_synthetic_chest(n_train: int = 600, n_val: int = 200, n_test: int = 200, size: int = 28,
                         seed: int = 0) -> Dataset:
    """Chest-X-ray-like grey images for working offline; NOT real patients.

    Each image has a bright thorax with two dark lung fields, ribs, spine, heart and diaphragm,
    with random size, position, exposure and noise; every image also has small sharp bright
    spots. Class 1 ("opacity", 70 % of each split like the real data) adds one to three blurred
    bright patches inside a lung. Deterministic for a given ``seed``; each split has its own
    random stream, so the val/test images do not change with ``n_train``.
    Returns images (N, size, size, 1) uint8 and labels (N,) int64.
    """
    sizes = {split: validate.whole_number(n, f"n_{split}", minimum=0)
             for split, n in (("train", n_train), ("val", n_val), ("test", n_test))}
    size = validate.whole_number(size, "size", minimum=8, hint="pixels")
    seed = validate.whole_number(seed, "seed", minimum=0)
    streams = np.random.SeedSequence(seed).spawn(len(SPLITS))
    splits = {split: _synthetic_split(stream, n, size)
              for (split, n), stream in zip(sizes.items(), streams, strict=True) if n > 0}
    return Dataset(name="synthetic_chest", splits=splits, label_names=["normal", "opacity"],
                   task="binary-class", source=SYNTHETIC_SOURCE)
