"""Small files in the MedMNIST layout and helpers for the data tests (no test lives here).

    arrays = medmnist_arrays(sizes=(20, 6, 8), channels=1, classes=2)
    path = write_npz(tmp_path / "x.npz", arrays)

``GOOD`` is the content every fake manifest entry expects (MD5 ``GOOD_MD5``); ``CORRUPT`` has the
same length and other bytes. The fixtures that use them are in ``conftest.py``.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from PIL import Image

from helpers.data import SPLITS


def medmnist_arrays(sizes=(20, 6, 8), channels=1, classes=2, seed=0) -> dict[str, np.ndarray]:
    """Small arrays in the MedMNIST layout: images (N, 28, 28[, 3]) uint8, labels (N, 1) uint8."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in zip(SPLITS, sizes, strict=True):
        shape = (n, 28, 28) if channels == 1 else (n, 28, 28, channels)
        arrays[f"{split}_images"] = rng.integers(0, 256, shape, dtype=np.uint8)
        arrays[f"{split}_labels"] = (np.arange(n) % classes).astype(np.uint8).reshape(n, 1)
    return arrays


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def write_npz(path: Path, arrays: dict[str, np.ndarray], compressed: bool = True) -> Path:
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


def save_png(path: Path, size=(40, 30), mode="L", value=128) -> None:
    """One image file: grey ("L"), colour ("RGB") or a 16-bit ramp from 0 to 4000 ("I;16")."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "I;16":
        array = np.linspace(0, 4000, size[0] * size[1]).reshape(size[1], size[0])
        Image.fromarray(array.astype(np.uint16)).save(path)
    else:
        Image.new(mode, size, value if mode == "L" else (value, 0, 255 - value)).save(path)


def listing(folder: Path) -> list[str]:
    """Everything in the cache folder, hidden files and subfolders included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def md5_of(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


GOOD = npz_bytes(medmnist_arrays())
GOOD_MD5 = hashlib.md5(GOOD).hexdigest()
CORRUPT = GOOD[:-100] + bytes(b ^ 0xFF for b in GOOD[-100:])  # same length, other bytes
FAKE_FLAGS = ("goodmnist", "corruptmnist", "truncatedmnist", "droppedmnist", "missingmnist")
