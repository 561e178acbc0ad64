"""helpers.evaluation.figures: the plots draw on the Axes given (or make one) and return it."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import evaluation as ev  # noqa: E402


def test_plots_draw_on_given_axes_and_return_them(noisy_scores):
    y, s = noisy_scores
    fig, axes = plt.subplots(1, 3)
    assert ev.plot_roc(y, s, threshold=0.5, ax=axes[0]) is axes[0]
    assert ev.plot_confusion(y, s, 0.5, ax=axes[1]) is axes[1]
    assert ev.plot_calibration(y, s, ax=axes[2]) is axes[2]
    assert "AUC = " in axes[0].get_legend().get_texts()[0].get_text()
    assert axes[1].images[0].get_cmap().name == "viridis"
    assert len(fig.axes) == 4  # the three panels and the confusion matrix's colorbar


def test_plots_create_axes_when_none_given(noisy_scores):
    y, s = noisy_scores
    for draw in (ev.plot_roc, ev.plot_confusion, ev.plot_calibration):
        ax = draw(y, s)
        assert ax.figure is not None
    with pytest.raises(ValueError, match="two classes"):
        ev.plot_confusion(y, s, class_names=("a", "b", "c"))


def test_multiclass_confusion_shows_row_shares_on_a_fixed_scale():
    fig, ax = plt.subplots()
    assert ev.plot_multiclass_confusion([0, 1, 2, 2], [0, 2, 2, 2], ["a", "b", "c"],
                                        ax=ax) is ax
    shares = ax.images[0].get_array()
    np.testing.assert_allclose(shares, [[1, 0, 0], [0, 0, 1], [0, 0, 1]])
    assert ax.images[0].get_clim() == (0, 1)
