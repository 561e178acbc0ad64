"""helpers.classic_ml.widget (notebook 07): every setting of the feature explorer gives a picture
or a clear message (checked over the whole grid without drawing), and each control value draws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import data, widgets
from helpers.classic_ml import features, widget

CONTROLS = widget.FEATURE_CONTROLS
GRID = widgets.control_grid(CONTROLS)


@pytest.fixture(scope="module")
def examples():
    """The six example X-rays (three per class) and a first layer's weights."""
    split = data.make_synthetic_chest(n_train=40, n_val=0, n_test=0, seed=5).split("train")
    chosen = widget.choose_examples(split.labels, seed=1)
    rng = np.random.default_rng(4)
    return (split.images[chosen], split.labels[chosen],
            rng.normal(0, 0.5, (3, 3, 1, widget.N_FILTERS)), rng.normal(0, 0.1, widget.N_FILTERS))


@pytest.fixture(scope="module")
def explorer(examples):
    images, _, kernels, bias = examples
    return widget.FeatureExplorer(images, kernels, bias)


def test_examples_are_three_of_each_class_in_order(examples):
    _, labels, _, _ = examples
    assert labels.tolist() == [0, 0, 0, 1, 1, 1]
    with pytest.raises(ValueError, match="fewer than"):
        widget.choose_examples(np.array([0, 1, 1, 1]), 2)


def test_cnn_maps_are_the_first_layer_with_relu(examples):
    images, _, kernels, bias = examples
    maps = widget.compute_cnn_maps(images[0], kernels, bias)
    assert maps.shape == (28, 28, widget.N_FILTERS) and maps.min() >= 0.0
    grey = images[0, :, :, 0] / 255.0
    by_hand = np.sum(np.pad(grey, 1)[10:13, 5:8] * kernels[:, :, 0, 2]) + bias[2]
    assert maps[10, 5, 2] == pytest.approx(max(by_hand, 0.0))


def test_every_setting_gives_what_it_promises(examples, explorer):
    """The whole grid of the widget, without drawing; each map is computed once, for the image
    (and cell size or orientation) it belongs to, then looked up."""
    images, _, kernels, bias = examples
    c = CONTROLS
    hog = {(i, s): features.hog_picture(images[i], s) for i in c["image"] for s in c["cell_size"]}
    n_hog = {s: features.hog_features(images[:1], s).shape[1] for s in c["cell_size"]}
    gabor = {i: features.gabor_maps(images[i], c["orientation"]) for i in c["image"]}
    cnn = {i: widget.compute_cnn_maps(images[i], kernels, bias) for i in c["image"]}
    for settings in GRID:
        demo = explorer.compute(**settings)
        i, cell, k = settings["image"], settings["cell_size"], settings["filter_index"]
        angle = settings["orientation"]
        cells = 28 // cell
        assert f"{cells}×{cells} cells → {n_hog[cell]} numbers" in demo.note
        np.testing.assert_array_equal(demo.hog_picture, hog[i, cell])
        np.testing.assert_array_equal(demo.gabor_map, gabor[i][c["orientation"].index(angle)])
        np.testing.assert_array_equal(demo.cnn_map, cnn[i][..., k])
        np.testing.assert_array_equal(demo.kernel, kernels[:, :, 0, k])
        assert demo.titles[2] == f"Gabor cell, {angle:g}°"
        assert ("normal" in demo.titles[0]) == (i < 3)
        assert demo.titles[4].endswith("(0 everywhere)") == (demo.cnn_map.max() == 0)


def test_every_control_value_draws(explorer):
    chosen = widgets.covering_settings(CONTROLS, lambda settings: True)
    assert len(chosen) < len(GRID) // 20  # one figure per value, not per grid point
    for settings in chosen:
        result = widgets.render(explorer.draw, **settings)
        assert isinstance(result, Figure), (settings, result)
        assert result._suptitle.get_text() == explorer.compute(**settings).note
        plt.close(result)


def test_impossible_settings_give_a_message(examples, explorer):
    images, _, kernels, bias = examples
    message = widgets.render(explorer.draw, image=6)
    assert message.startswith("⚠️") and "image" in message
    assert "orientation" in widgets.render(explorer.draw, orientation=30.0)
    assert "cell_size" in widgets.render(explorer.draw, cell_size=5)
    narrow = widget.FeatureExplorer(images, kernels[..., :4], bias[:4])
    assert "filter_index" in widgets.render(narrow.draw, filter_index=5)
    with pytest.raises(ValueError, match="3, 3, 1, K"):
        widget.FeatureExplorer(images, kernels[:, :, 0], bias)


def test_widget_offers_the_feature_controls(examples):
    images, _, kernels, bias = examples
    box = widget.make_feature_widget(images, kernels, bias)
    controls = box.children[0].children
    assert len(controls) == len(CONTROLS)
    for control, (name, values) in zip(controls, CONTROLS.items(), strict=True):
        if hasattr(control, "options"):
            offered = tuple(control.options)
        else:  # a slider
            count = round((control.max - control.min) / control.step) + 1
            offered = tuple(type(values[0])(control.min + i * control.step) for i in range(count))
        assert offered == values, name
    assert [c.description for c in controls] == ["X-ray", "HOG cell (px)", "Gabor angle (°)",
                                                 "CNN filter"]
    with pytest.raises(ValueError, match="filters"):
        widget.make_feature_widget(images, kernels[..., :4], bias[:4])
