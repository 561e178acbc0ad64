"""helpers.pooling.figures (notebook 03): the figures return what they drew on."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import pooling


def test_plot_pooling_draws_on_the_given_axes_and_outlines_two_windows():
    fig, axes = plt.subplots(1, 2)
    out = pooling.max_pool2d(pooling.TOY_IMAGE, 3, 2)
    assert pooling.plot_pooling(pooling.TOY_IMAGE, out, pool_size=3, stride=2, vmin=0, vmax=9,
                                axes=axes) is fig
    assert len(axes[0].patches) == 2
    assert len(axes[0].texts) == 25 and len(axes[1].texts) == 4  # small arrays show their numbers
    with pytest.raises(ValueError, match="one channel"):
        pooling.plot_pooling(np.zeros((4, 4, 2)), np.zeros((2, 2, 2)), pool_size=2)


def test_plot_pooling_makes_a_figure_with_one_colorbar_for_colour_maps():
    fig = pooling.plot_pooling(np.zeros((8, 8)), np.zeros((4, 4)), pool_size=2, cmap="magma",
                               padding="same", show_grid=True)
    assert isinstance(fig, Figure) and len(fig.axes) == 3


def test_plot_shift_sensitivity_draws_one_line_per_pooling():
    changes = {"a": np.array([0.0, 0.5]), "b": np.array([0.0, 0.1])}
    ax = pooling.plot_shift_sensitivity([0, 1], changes)
    assert len(ax.lines) == 2
    with pytest.raises(ValueError, match="2 values for 3 shifts"):
        pooling.plot_shift_sensitivity([0, 1, 2], changes)
