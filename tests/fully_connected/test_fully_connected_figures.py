"""helpers.fully_connected.figures (notebook 04): the forward/backward panels and loss curves draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import fully_connected


def test_plot_passes_draws_eight_panels_on_given_or_new_axes():
    params = fully_connected.init_tiny_network(10, filters=2, seed=0)
    cache = fully_connected.forward(params, np.random.default_rng(0).random((10, 10)), 1)
    grads = fully_connected.backward(params, cache)
    fig = fully_connected.plot_passes(cache, grads, channel=1)
    assert len([ax for ax in fig.axes if ax.images]) == 8
    _, axes = plt.subplots(2, 4)
    assert fully_connected.plot_passes(cache, grads, axes=axes) is axes[0, 0].figure
    with pytest.raises(ValueError, match="got 2 axes"):
        fully_connected.plot_passes(cache, grads, axes=plt.subplots(1, 2)[1])


def test_plot_loss_curves():
    ax = fully_connected.plot_loss_curves({"ours": [0.7, 0.5], "keras": [0.7, 0.5]})
    assert len(ax.lines) == 2 and ax.get_legend() is not None
    with pytest.raises(ValueError, match="at least one curve"):
        fully_connected.plot_loss_curves({})
