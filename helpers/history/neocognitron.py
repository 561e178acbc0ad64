"""Fukushima's Neocognitron (1980) in miniature: S-layers (feature detectors) and C-layers
(local maxima), stacked S1 → C1 → S2 → C2 with hand-set weights, and the figure of its stages.

Taught in ``notebooks/01_history.ipynb``. An S-layer is what ``Conv2D(..., activation="relu")``
computes and a C-layer what ``MaxPooling2D`` computes: the layers below call the course's own
convolution (:func:`helpers.convolution.conv_layer_forward`, lesson 02) and pooling
(:func:`helpers.pooling.max_pool2d`, lesson 03) so that each piece of maths lives once.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers import convolution, pooling, validate
from helpers.history.cells import ORIENTATIONS, _check_image, make_gabor_kernel


def _draw_segment(image: np.ndarray, start, end, width: float) -> None:
    """Draw an anti-aliased line from ``start`` to ``end`` ((row, col), pixels) in place."""
    rows, cols = np.mgrid[0 : image.shape[0], 0 : image.shape[1]].astype(np.float64)
    p = np.stack([rows, cols], axis=-1)
    a, b = np.asarray(start, float), np.asarray(end, float)
    t = np.clip(((p - a) @ (b - a)) / float((b - a) @ (b - a)), 0.0, 1.0)
    distance = np.linalg.norm(p - (a + t[..., None] * (b - a)), axis=-1)
    np.maximum(image, np.clip(width / 2.0 + 0.5 - distance, 0.0, 1.0), out=image)


#: The four glyphs of :func:`make_glyph_image` as line segments in a unit square (row, col).
GLYPHS: dict[str, list[tuple[tuple[float, float], tuple[float, float]]]] = {
    "plus": [((0.5, 0.1), (0.5, 0.9)), ((0.1, 0.5), (0.9, 0.5))],
    "cross": [((0.15, 0.15), (0.85, 0.85)), ((0.15, 0.85), (0.85, 0.15))],
    "L": [((0.1, 0.2), (0.85, 0.2)), ((0.85, 0.2), (0.85, 0.85))],
    "slash": [((0.85, 0.15), (0.15, 0.85))],
}


def make_glyph_image(size: int = 64, width: float = 2.0) -> np.ndarray:
    """Four line drawings on a dark background: ``+`` (top left), ``×`` (top right),
    ``L`` (bottom left) and ``/`` (bottom right). Returns (size, size) float32 in [0, 1]."""
    if size < 32 or size % 4:
        raise ValueError(f"size must be a multiple of 4 and at least 32 pixels, got {size}")
    image = np.zeros((size, size), np.float64)
    half = size / 2
    corners = [(0, 0), (0, half), (half, 0), (half, half)]
    for segments, (top, left) in zip(GLYPHS.values(), corners, strict=True):
        for start, end in segments:
            _draw_segment(image, (top + start[0] * half, left + start[1] * half),
                          (top + end[0] * half, left + end[1] * half), width)
    return image.astype(np.float32)


def apply_s_layer(
    x: np.ndarray, kernels: np.ndarray, bias: np.ndarray | None = None
) -> np.ndarray:
    """S-cells: at every position, weighted sum of a k×k neighbourhood over all input maps,
    plus a bias, rectified — what ``Conv2D(F, k, padding="same", activation="relu")`` computes.

    x: (H, W, C); kernels: (k, k, C, F); bias: (F,) or None. Zero padding keeps the size.
    Returns (H, W, F) float32 ≥ 0.
    """
    x, kernels = np.asarray(x), np.asarray(kernels)
    if x.ndim != 3:
        raise ValueError(f"x must be (H, W, C), got shape {x.shape}: add a channel axis "
                         "with x[..., None]")
    if kernels.ndim != 4:
        raise ValueError(f"kernels must be (k, k, C, F), got shape {kernels.shape}")
    if kernels.shape[2] != x.shape[2]:
        raise ValueError(
            f"the kernels expect {kernels.shape[2]} input map(s) but x has {x.shape[2]} channel(s)"
        )
    drive = convolution.conv_layer_forward(x, kernels, bias, padding="same")
    return np.maximum(drive, 0.0).astype(np.float32)


def apply_c_layer(x: np.ndarray, size: int = 2) -> np.ndarray:
    """C-cells: the maximum of each non-overlapping size×size block of every map — what
    ``MaxPooling2D(size)`` computes. x: (H, W, C). Returns (H // size, W // size, C) in x's float
    dtype (integers become float64); rows and columns that do not fill a whole block are
    dropped."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must be (H, W, C), got shape {x.shape}")
    size = validate.whole_number(size, "size", maximum=min(x.shape[:2]))
    return pooling.max_pool2d(x, size)


def make_s1_kernels(
    orientations: Sequence[float] = ORIENTATIONS, wavelength: float = 4.0
) -> np.ndarray:
    """First S-layer: one oriented bar detector per orientation, (k, k, 1, N) float32 (k = 9)."""
    return np.stack([make_gabor_kernel(o, wavelength=wavelength) for o in orientations],
                    axis=-1)[:, :, None, :]


def make_s2_kernels(size: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Second S-layer, set by hand: two "crossing" detectors reading the four C1 maps
    (0°, 45°, 90°, 135°). The first adds the 0° map along its middle row and the 90° map along
    its middle column (a ``+``); the second adds the 45° and 135° maps along its diagonals
    (an ``×``). The bias (−1.2) is a threshold: one line alone gives at most about 1 and stays
    silent; two crossing lines give about 2. Returns kernels (size, size, 4, 2) and bias (2,)."""
    if size < 3 or size % 2 == 0:
        raise ValueError(f"size must be odd and at least 3, got {size}")
    kernels = np.zeros((size, size, 4, 2), np.float32)
    middle = size // 2
    kernels[middle, :, 0, 0] = 1.0 / size  # horizontal lines along the middle row
    kernels[:, middle, 2, 0] = 1.0 / size  # vertical lines along the middle column
    diagonal = np.arange(size)
    kernels[size - 1 - diagonal, diagonal, 1, 1] = 1.0 / size  # 45°: bottom-left to top-right
    kernels[diagonal, diagonal, 3, 1] = 1.0 / size  # 135°: top-left to bottom-right
    return kernels, np.array([-1.2, -1.2], np.float32)


def run_neocognitron(image: np.ndarray) -> dict[str, np.ndarray]:
    """A two-stage S→C→S→C hierarchy with hand-set weights.

    image: (H, W) in [0, 1], H and W multiples of 4. Returns the maps of every stage, float32:
    "input" (H, W, 1), "S1" (H, W, 4), "C1" (H/2, W/2, 4), "S2" (H/2, W/2, 2), "C2" (H/4, W/4, 2).
    """
    image = _check_image("image", image, 8)
    if image.shape[0] % 4 or image.shape[1] % 4:
        raise ValueError(f"image sides must be multiples of 4, got {image.shape}")
    stages = {"input": image[..., None]}
    stages["S1"] = apply_s_layer(stages["input"], make_s1_kernels())
    stages["C1"] = apply_c_layer(stages["S1"], 2)
    stages["S2"] = apply_s_layer(stages["C1"], *make_s2_kernels())
    stages["C2"] = apply_c_layer(stages["S2"], 2)
    return stages


def plot_hierarchy(stages: dict[str, np.ndarray], *, fig: Figure | None = None) -> Figure:
    """One column per stage of :func:`run_neocognitron`, one row per map.

    The input is grey (0–1); every other stage is viridis from 0, one scale and colorbar per stage.
    """
    names = list(stages)
    rows = max(v.shape[-1] for v in stages.values())
    fig = fig or plt.figure(figsize=(2.0 * len(names) + 0.6, 1.75 * rows + 0.4),
                           layout="constrained")
    grid = fig.add_gridspec(rows, len(names))
    labels = {"S1": [f"{o:g}°" for o in ORIENTATIONS], "C1": [f"{o:g}°" for o in ORIENTATIONS],
              "S2": ["+ detector", "× detector"], "C2": ["+ detector", "× detector"]}
    for column, name in enumerate(names):
        maps = stages[name]
        vmax = 1.0 if name == "input" else max(float(maps.max()), 1e-6)
        column_axes = []
        for channel in range(maps.shape[-1]):
            ax = fig.add_subplot(grid[channel, column])
            cmap = "gray" if name == "input" else "viridis"
            shown = ax.imshow(maps[..., channel], cmap=cmap, vmin=0, vmax=vmax)
            suffix = labels.get(name, [""] * maps.shape[-1])[channel]
            h, w = maps.shape[:2]
            ax.set_title(f"{name} {suffix}\n{h}×{w}", fontsize=8)
            ax.set_axis_off()
            column_axes.append(ax)
        if name != "input":
            fig.colorbar(shown, ax=column_axes, shrink=0.6, location="bottom", pad=0.02)
    return fig
