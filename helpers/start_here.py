"""The environment check of ``notebooks/00_start_here.ipynb``: a chest-like phantom and a slider
that changes its grey levels, to show that plots and interactive widgets work."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.widgets import interactive_figure


def make_phantom(size: int = 96) -> np.ndarray:
    """A deterministic chest-like phantom: (size, size) float32 in [0, 1].

    Two dark lung fields inside a brighter body, with a bright spine; no real patient data.
    """
    if size < 16:
        raise ValueError(f"size must be at least 16 pixels, got {size}")
    y, x = np.mgrid[-1:1:size * 1j, -1:1:size * 1j]
    body = ((x / 0.9) ** 2 + (y / 0.95) ** 2 <= 1).astype(np.float32) * 0.7
    lungs = ((np.abs(x) - 0.42) / 0.3) ** 2 + (y / 0.7) ** 2 <= 1
    spine = (np.abs(x) < 0.08) & (np.abs(y) < 0.9)
    image = body.copy()
    image[lungs] = 0.2 + 0.1 * (y[lungs] + 1) / 2
    image[spine] = 0.95
    return np.clip(image, 0.0, 1.0).astype(np.float32)


def draw_gamma_demo(gamma: float) -> Figure:
    """The environment-check figure of notebook 00: a phantom after the grey-level map
    ``out = in ** gamma``, beside that map. ``gamma`` must be positive."""
    if not gamma > 0:
        raise ValueError(f"gamma must be positive, got {gamma}")
    image = make_phantom() ** gamma
    # a fixed layout: the course's constrained one would cost a third of every redraw
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.2), layout="none")
    fig.subplots_adjust(left=0.0, right=0.99, bottom=0.15, top=0.9, wspace=0.15)
    left.imshow(image, cmap="gray", vmin=0, vmax=1)
    left.set_title(f"phantom, gamma = {gamma:.1f}")
    left.set_axis_off()
    grid = np.linspace(0, 1, 101)
    right.plot(grid, grid**gamma)
    right.plot(grid, grid, ls="--", color="grey", label="identity")
    right.set_xlabel("input grey level")
    right.set_ylabel("output grey level")
    right.set_title("grey-level map")
    right.legend()
    return fig


def make_environment_check():
    """The slider of notebook 00: moving it must redraw the figure below it."""
    import ipywidgets as widgets

    gamma = widgets.FloatSlider(
        value=1.0, min=0.2, max=3.0, step=0.1, description="gamma", continuous_update=False
    )
    return interactive_figure(draw_gamma_demo, gamma=gamma)
