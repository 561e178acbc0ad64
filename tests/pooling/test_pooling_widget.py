"""helpers.pooling.widget (notebook 03): every setting of the widget gives a picture or a clear
message (checked over the whole grid without drawing), and each control value draws."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from helpers import pooling, widgets

CONTROLS = pooling.DEMO_CONTROLS
GRID = widgets.control_grid(CONTROLS)
SIDES = {"ct": 128, "edges": 128, "toy": 5}


def _expected_side(settings) -> int | None:
    """The output side the rules give, or None when the window cannot fit (from the rules)."""
    n, k, s = SIDES[settings["source"]], settings["pool_size"], settings["stride"]
    if settings["padding"] == "same":
        return math.ceil(n / s)
    return (n - k) // s + 1 if k <= n else None


def test_every_setting_gives_an_output_or_a_clear_message():
    """The whole grid of the widget, without drawing."""
    messages = 0
    for settings in GRID:
        side = _expected_side(settings)
        if side is None:
            with pytest.raises(ValueError, match="window does not fit.*padding='same'"):
                pooling.compute_pooling_demo(**settings)
            messages += 1
            continue
        demo = pooling.compute_pooling_demo(**settings)
        assert demo.pooled.shape == (side, side), settings
        assert f"= {side}" in demo.note, (settings, demo.note)
        overlap = settings["stride"] < settings["pool_size"]
        assert ("windows overlap" in demo.note) == overlap
        assert ("never looked at" in demo.note) == (settings["stride"] > settings["pool_size"])
    assert 0 < messages < len(GRID)


def test_every_control_value_draws():
    chosen = widgets.covering_settings(CONTROLS, lambda settings: _expected_side(settings) is not None)
    assert len(chosen) < len(GRID) // 20  # one figure per value, not per grid point
    for settings in chosen:
        result = widgets.render(pooling.draw_pooling_demo, **settings)
        assert isinstance(result, Figure), (settings, result)
        assert result._suptitle.get_text() == pooling.compute_pooling_demo(**settings).note
        plt.close(result)


def test_widget_message_names_what_to_change():
    message = widgets.render(pooling.draw_pooling_demo, source="toy", kind="max", pool_size=6,
                             stride=2, padding="valid")
    assert message.startswith("⚠️") and "at most 5" in message
    message = widgets.render(pooling.draw_pooling_demo, source="mri", kind="max", pool_size=2,
                             stride=2, padding="valid")
    assert "choose from" in message


def test_widget_offers_the_demo_controls():
    box = pooling.make_pooling_widget()
    controls = box.children[0].children
    assert len(controls) == len(CONTROLS)
    for control, (name, values) in zip(controls, CONTROLS.items(), strict=True):
        if hasattr(control, "options"):
            offered = tuple(v[1] if isinstance(v, tuple) else v for v in control.options)
        else:  # a slider
            offered = tuple(range(control.min, control.max + 1))
        assert offered == values, name
