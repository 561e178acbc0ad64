"""helpers.classic_ml.figures: every figure draws, on given axes or a new figure, with the
fixed scales it promises, and refuses inputs it cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers.classic_ml import curves, figures, pipelines

IMAGES = np.random.default_rng(0).integers(0, 256, (2, 28, 28, 1), dtype=np.uint8)


def test_handcrafted_views_share_scales_across_rows():
    fig = figures.plot_handcrafted_views(IMAGES, ["normal", "pneumonia"])
    axes = fig.axes
    assert axes[0].get_title() == "normal" and axes[4].get_title() == "pneumonia"
    assert axes[0].images[0].get_clim() == (0.0, 1.0)
    assert axes[2].images[0].get_clim() == axes[6].images[0].get_clim()  # edge magnitudes
    assert axes[3].images[0].get_clim() == axes[7].images[0].get_clim()  # HOG pictures
    with pytest.raises(ValueError, match="titles"):
        figures.plot_handcrafted_views(IMAGES, ["one"])


def test_learning_curves_draw_one_line_per_model_with_intervals():
    rows = {n: [{"model": m, "auc": 0.8 + 0.01 * i, "auc_low": 0.75, "auc_high": 0.9,
                 "accuracy": 0.8, "accuracy_low": 0.7, "accuracy_high": 0.9}
                for i, m in enumerate(pipelines.MODEL_NAMES)] for n in (100, 300)}
    ax = figures.plot_learning_curves(curves.LearningCurve((100, 300), rows))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(pipelines.MODEL_NAMES)
    assert ax.get_xscale() == "log"
    _, other = plt.subplots()
    assert figures.plot_learning_curves(curves.LearningCurve((100, 300), rows), key="accuracy",
                                        ax=other) is other
    with pytest.raises(ValueError, match="key"):
        figures.plot_learning_curves(curves.LearningCurve((100, 300), rows), key="loss")


def test_kernel_comparison_puts_learned_over_designed():
    learned = np.random.default_rng(1).normal(size=(3, 3, 1, 8))
    fig = figures.plot_kernel_comparison(learned)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[:8] == [f"learned {k}" for k in range(8)]
    assert "sobel x" in titles and "Gabor 45°" in titles
    limits = {ax.images[0].get_clim() for ax in fig.axes[:8]}
    assert len(limits) == 1  # one scale for every learned kernel
    with pytest.raises(ValueError, match="learned"):
        figures.plot_kernel_comparison(np.zeros((3, 3)))


def test_map_rows_give_each_row_its_own_scale_from_zero():
    rows = {"Sobel": np.random.default_rng(2).random((28, 28, 4)),
            "CNN": 5 * np.random.default_rng(3).random((28, 28, 8))}
    fig = figures.plot_map_rows(IMAGES[0], rows)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 2 + 4 + 8
    assert shown[1].images[0].get_clim()[0] == 0.0
    assert shown[1].images[0].get_clim() != shown[-1].images[0].get_clim()
    titled = figures.plot_map_rows(IMAGES[0], rows, map_titles={"Sobel": list("abcd")})
    assert [ax.get_title() for ax in titled.axes[1:5]] == list("abcd")
    with pytest.raises(ValueError, match="map_titles"):
        figures.plot_map_rows(IMAGES[0], rows, map_titles={"Sobel": ["a"]})
    with pytest.raises(ValueError, match="H, W"):
        figures.plot_map_rows(IMAGES[0], {"bad": np.zeros((14, 14, 2))})
    with pytest.raises(ValueError, match="empty"):
        figures.plot_map_rows(IMAGES[0], {})
