"""helpers.hyperparameters.figures (notebook 05): each figure draws what it is given, on the axes
it is given, and refuses inputs that do not fit."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import hyperparameters as hp


def test_plot_bias_shift_draws_one_line_per_bias():
    _, ax = plt.subplots()
    assert hp.plot_bias_shift((-1, 0, 2), ax=ax) is ax
    assert len(ax.get_legend().get_texts()) == 3


def test_plot_visit_counts_shares_one_scale_and_writes_small_numbers():
    maps = {"valid": hp.count_visits((10, 10), 3), "same": hp.count_visits((10, 10), 3, padding="same")}
    axes = hp.plot_visit_counts(maps, zoom=5)
    assert all(ax.images[0].get_clim() == (0, 9) for ax in axes)
    assert len(axes[0].texts) == 25
    with pytest.raises(ValueError, match="at least one"):
        hp.plot_visit_counts({})


def test_plot_receptive_field_marks_the_square():
    gradient = np.zeros((9, 9))
    gradient[2:7, 2:7] = 1.0
    ax = hp.plot_receptive_field(gradient, 5)
    (square,) = ax.patches
    assert (square.get_width(), square.get_height()) == (5, 5)
    assert square.get_xy() == (1.5, 1.5)


def test_plot_runs_and_sweep_and_schedule():
    history = {"loss": [0.6, 0.4], "val_loss": [0.65, 0.5]}
    axes = hp.plot_runs({"a": history, "b": history}, baseline=0.57)
    assert len(axes[0].lines) == 3 and len(axes[1].lines) == 3
    assert axes[0].get_yscale() == "linear"
    assert hp.plot_runs({"a": history}, log=True)[1].get_yscale() == "log"
    with pytest.raises(ValueError, match="no 'auc'"):
        hp.plot_runs({"a": history}, metric="auc")
    ax = hp.plot_learning_rate_sweep([1e-3, 1e-2], {"training": [0.3, 0.2]}, baseline=0.57)
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="2 rates"):
        hp.plot_learning_rate_sweep([1e-3, 1e-2], {"training": [0.3]})
    steps = np.arange(20)
    ax = hp.plot_schedule(steps, hp.cosine_decay(steps, 1e-3, 20, 0.02), steps_per_epoch=5)
    assert len(ax.lines) == 1 + 3


def test_plot_parabola_descent_uses_a_log_scale():
    paths = {lr: hp.descend_parabola(lr, 5.0, steps=5) for lr in (0.1, 0.5)}
    ax = hp.plot_parabola_descent(paths, 5.0)
    assert ax.get_yscale() == "log" and len(ax.get_legend().get_texts()) == 2
