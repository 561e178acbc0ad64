"""helpers.activations.widget and figures (notebook 06): every setting of the widget gives a
picture or a clear message (checked over the whole grid without drawing), and each control value
draws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import activations, widgets

CONTROLS = activations.DEMO_CONTROLS
GRID = widgets.control_grid(CONTROLS)


def test_every_setting_gives_curves_and_a_note():
    """The whole grid of the widget, without drawing."""
    assert len(CONTROLS["activations"]) == 15  # every non-empty choice of the four
    for settings in GRID:
        demo = activations.compute_activation_demo(**settings)
        names = settings["activations"]
        assert list(demo.values) == list(names)
        assert demo.x[0] == -settings["x_range"] and demo.x[-1] == settings["x_range"]
        assert 0.0 in demo.x
        assert bool(demo.derivatives) == settings["show_derivative"]
        for name in names:
            assert np.all(np.isfinite(demo.values[name]))
            assert activations.LABELS[name] in demo.note
        if "sigmoid" in names:
            assert "sigmoid σ: largest derivative 0.25" in demo.note
        if "leaky_relu" in names and settings["show_derivative"]:
            assert demo.derivatives["leaky_relu"].min() == pytest.approx(settings["slope"])
        assert demo.note.count("\n") == len(names) - 1


def test_every_control_value_draws():
    chosen = widgets.covering_settings(CONTROLS, lambda settings: True)
    assert len(chosen) < len(GRID) // 20
    for settings in chosen:
        result = widgets.render(activations.draw_activation_demo, **settings)
        assert isinstance(result, Figure), (settings, result)
        assert len(result.axes) == (2 if settings["show_derivative"] else 1)
        assert result._supxlabel.get_text() == activations.compute_activation_demo(**settings).note
        plt.close(result)


def test_impossible_settings_name_what_to_change():
    message = widgets.render(activations.draw_activation_demo, activations=(), x_range=5)
    assert message.startswith("⚠️") and "select at least one" in message
    message = widgets.render(activations.draw_activation_demo, activations=("relu",), slope=1.5)
    assert "slope must be in [0, 1)" in message
    message = widgets.render(activations.draw_activation_demo, activations=("gelu",))
    assert "activation must be one of" in message


def test_widget_offers_the_demo_controls():
    box = activations.make_activation_widget()
    select, x_range, slope, derivative = box.children[0].children
    assert tuple(value for _, value in select.options) == activations.ACTIVATIONS
    assert tuple(x_range.options) == CONTROLS["x_range"]
    assert tuple(slope.options) == CONTROLS["slope"]
    assert derivative.value in CONTROLS["show_derivative"]


def test_figures_return_what_they_drew_on():
    axes = activations.plot_activations(np.linspace(-3, 3, 31), ["tanh"], show_derivative=False)
    assert len(axes) == 1 and len(axes[0].lines) == 1 + 2  # the curve and the two axis lines
    ax = activations.plot_gradient_norms({"relu": np.array([1.0, 2.0, 3.0])})
    assert ax.get_yscale() == "log"
    p = activations.softmax(np.random.default_rng(0).normal(size=(4, 5)))
    ax = activations.plot_class_probabilities(p, np.array([0, 1, 4, 2]), [f"g{i}" for i in range(5)])
    assert len(ax.patches) == 4
    with pytest.raises(ValueError, match="expected probabilities"):
        activations.plot_class_probabilities(p, np.array([0, 1]), ["a", "b"])
