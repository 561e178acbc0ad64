"""helpers.fully_connected.widget (notebook 04): every setting of the gradient-descent widget
gives a picture or a clear message (checked over the whole grid without drawing), and each
control value draws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import fully_connected, widgets

CONTROLS = fully_connected.DEMO_CONTROLS
GRID = widgets.control_grid(CONTROLS)
RNG = np.random.default_rng(2)
LABELS = (RNG.random(120) < 0.7).astype(float)
FEATURES = fully_connected.standardise(RNG.normal(size=120) - 1.5 * LABELS)


def test_every_setting_gives_a_path_and_a_note():
    for settings in GRID:
        demo = fully_connected.compute_descent_demo(FEATURES, LABELS, **settings)
        assert demo.path.shape == (settings["steps"] + 1, 2), settings
        assert tuple(demo.path[0]) == fully_connected.START
        assert demo.losses.shape == (settings["steps"] + 1,)
        assert demo.surface.shape == (demo.grid_b.size, demo.grid_w.size)
        went_up = demo.losses[-1] > demo.losses[0]
        assert ("went UP" in demo.note) == went_up, (settings, demo.note)


def test_small_rates_go_down_every_step_and_the_largest_overshoots():
    small = fully_connected.compute_descent_demo(FEATURES, LABELS, learning_rate=0.1, steps=50)
    assert np.all(np.diff(small.losses) <= 1e-12) and "every step down" in small.note
    large = fully_connected.compute_descent_demo(FEATURES, LABELS, learning_rate=100.0, steps=50)
    assert "every step down" not in large.note


def test_descent_path_follows_the_gradient():
    path, losses = fully_connected.descend_two_weights(FEATURES, LABELS, 0.3, 1)
    w, b = fully_connected.START
    p = fully_connected.sigmoid(w * FEATURES + b)
    assert path[1] == pytest.approx([w - 0.3 * np.mean((p - LABELS) * FEATURES), b - 0.3 * np.mean(p - LABELS)])
    assert losses[0] == pytest.approx(fully_connected.binary_cross_entropy(LABELS, p))


def test_every_control_value_draws():
    chosen = widgets.covering_settings(CONTROLS, lambda settings: True)
    assert len(chosen) < len(GRID) // 3
    for settings in chosen:
        result = widgets.render(fully_connected.draw_descent_demo, features=FEATURES, labels=LABELS, **settings)
        assert isinstance(result, Figure), (settings, result)
        plt.close(result)


def test_widget_messages_name_what_to_change():
    message = widgets.render(fully_connected.draw_descent_demo, features=FEATURES, labels=LABELS,
                             learning_rate=0, steps=5)
    assert message.startswith("⚠️") and "learning_rate must be a positive number" in message
    message = widgets.render(fully_connected.draw_descent_demo, features=FEATURES, labels=LABELS[:5],
                             learning_rate=0.1, steps=5)
    assert "same length" in message
    with pytest.raises(ValueError, match="vary"):
        fully_connected.standardise(np.ones(4))
    with pytest.raises(ValueError, match="channel axis"):
        fully_connected.compute_edge_sharpness(np.ones((2, 4, 4, 1)))


def test_widget_offers_the_demo_controls():
    box = fully_connected.make_descent_widget(FEATURES, LABELS)
    controls = box.children[0].children
    assert [tuple(c.options) for c in controls] == [tuple(v) for v in CONTROLS.values()]
