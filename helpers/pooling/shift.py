"""The shift experiment of lesson 03 (``notebooks/03_pooling.ipynb``): how much a pooled output
changes when the scan moves by a few pixels, and striped images that alias when subsampled.

The edge features come from convolution's Sobel kernel (``helpers.convolution.make_kernel``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from helpers import validate
from helpers.convolution.kernels import make_kernel
from helpers.pooling.ops import average_pool2d, global_pool2d, max_pool2d


def compute_edge_features(image) -> np.ndarray:
    """A fixed "convolution + ReLU" layer with four edge detectors.

    image: (H, W) float in [0, 1]. Returns (H, W, 4) float32 ≥ 0: the ReLU of the Sobel
    responses to edges getting brighter to the right, to the left, downwards and upwards
    (Sobel divided by 4, so that a step from 0 to 1 gives 1). Borders are handled by mirroring,
    so the map has the image's size.
    """
    from scipy.signal import correlate2d

    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(f"image must have shape (H, W), got {image.shape}")
    sobel_x = make_kernel("sobel x").astype(np.float32) / 4.0
    gx = correlate2d(image, sobel_x, mode="same", boundary="symm")
    gy = correlate2d(image, sobel_x.T, mode="same", boundary="symm")
    return np.maximum(np.stack([gx, -gx, gy, -gy], axis=-1), 0.0).astype(np.float32)


def crop_shifted(x, shift: int, margin: int = 8) -> np.ndarray:
    """The view of ``x`` seen through a window moved ``shift`` pixels to the right.

    x: (H, W) or (H, W, C). Returns (H - 2·margin, W - 2·margin[, C]): the content appears
    moved ``shift`` pixels to the left, and no pixel wraps around. Needs ``0 <= shift <= margin``.
    """
    x = np.asarray(x)
    margin = validate.whole_number(margin, "margin", minimum=0)
    shift = validate.whole_number(shift, "shift", minimum=0, maximum=margin, hint="(the margin)")
    height, width = x.shape[:2]
    if 2 * margin >= min(height, width):
        raise ValueError(f"margin={margin} leaves nothing of a {height}×{width} input")
    return x[margin : height - margin, margin + shift : width - margin + shift]


def compute_relative_change(reference, other) -> float:
    """mean |other − reference| / mean |reference|: 0 when nothing changed (same shapes)."""
    reference, other = np.asarray(reference, dtype=np.float64), np.asarray(other, dtype=np.float64)
    if reference.shape != other.shape:
        raise ValueError(f"shapes differ: {reference.shape} vs {other.shape}")
    scale = np.mean(np.abs(reference))
    if scale == 0:
        raise ValueError("the reference is all zeros: the relative change is undefined")
    return float(np.mean(np.abs(other - reference)) / scale)


#: The poolings compared in the shift experiment: name → function of an (H, W, C) map.
SHIFT_POOLINGS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "no pooling": lambda f: f,
    "max 2×2": lambda f: max_pool2d(f, 2),
    "max 4×4": lambda f: max_pool2d(f, 4),
    "average 4×4": lambda f: average_pool2d(f, 4),
    "global max": lambda f: global_pool2d(f, "max"),
    "global average": lambda f: global_pool2d(f, "average"),
}


def measure_shift_sensitivity(
    features, shifts: Sequence[int], poolings: Mapping[str, Callable] | None = None,
    margin: int = 8,
) -> dict[str, np.ndarray]:
    """How much each pooling's output changes when the input moves by each shift.

    features: (H, W, C) feature map of the whole scan. For every shift s, the map seen through a
    window moved by s pixels (:func:`crop_shifted`) is pooled and compared with the unshifted
    one at the same output positions. Returns name → (len(shifts),) relative changes
    (:func:`compute_relative_change`; 0 means the pooled output did not change at all).
    """
    poolings = SHIFT_POOLINGS if poolings is None else poolings
    reference = crop_shifted(features, 0, margin)
    return {
        name: np.array([compute_relative_change(pool(reference), pool(crop_shifted(features, s, margin)))
                        for s in shifts])
        for name, pool in poolings.items()
    }


def make_stripes(size: int = 16, period: int = 2, phase: int = 0) -> np.ndarray:
    """Vertical stripes: (size, size) float32, columns ``(j + phase) % period == 0`` are 1, others 0."""
    size = validate.whole_number(size, "size")
    period = validate.whole_number(period, "period")
    columns = (np.arange(size) + phase) % period == 0
    return np.broadcast_to(columns.astype(np.float32), (size, size)).copy()
