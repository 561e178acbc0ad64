"""The classic image-processing kernels of lesson 02 (``notebooks/02_convolution.ipynb``).

This table is the one home of these kernels in the course: ``helpers.pooling`` takes its edge
detector (Sobel) from here.
"""

from __future__ import annotations

import numpy as np

from helpers import validate

#: Kernels :func:`make_kernel` knows; the first two change size, the others are 3×3.
KERNEL_NAMES = ("identity", "box blur", "gaussian", "sharpen", "sobel x", "sobel y", "laplacian")
SIZE_VARIABLE = ("box blur", "gaussian")

_FIXED = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
}


def make_kernel(name: str, size: int = 3, sigma: float | None = None) -> np.ndarray:
    """A classic image-processing kernel as (size, size) float64.

    name: one of :data:`KERNEL_NAMES`. ``size`` applies to "box blur" and "gaussian" only (the
    others are 3×3); ``sigma`` (pixels) to "gaussian", default size / 5 so the kernel spans ±2.5σ.
    Blurs sum to 1 (a flat region keeps its brightness); Sobel and Laplacian sum to 0 (a flat
    region gives 0, only changes respond). Sobel x responds positively where brightness increases
    to the right (+x) under cross-correlation, Sobel y where it increases downwards (+y).
    """
    key = name.lower()
    if key not in KERNEL_NAMES:
        raise ValueError(f"unknown kernel {name!r}; choose from {', '.join(KERNEL_NAMES)}")
    if key not in SIZE_VARIABLE:
        return np.array(_FIXED[key], dtype=np.float64)
    size = validate.whole_number(size, "kernel size")
    if key == "box blur":
        return np.full((size, size), 1.0 / size**2)
    sigma = size / 5.0 if sigma is None else validate.positive_number(sigma, "sigma", unit="pixels")
    x = np.arange(size) - (size - 1) / 2.0
    bell = np.exp(-(x**2) / (2.0 * sigma**2))
    kernel = np.outer(bell, bell)
    return kernel / kernel.sum()
