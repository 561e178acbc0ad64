"""helpers.widgets: the wiring between controls and a pure update function."""

import matplotlib

matplotlib.use("Agg")
import pytest

from helpers import widgets


def test_interactive_figure_calls_the_update_with_every_control_value():
    import ipywidgets

    calls = []

    def update(size, mode):
        calls.append((size, mode))
        return f"size {size}, {mode}"

    size = ipywidgets.IntSlider(value=3, min=1, max=9)
    mode = ipywidgets.Dropdown(options=["max", "average"], value="max")
    box = widgets.interactive_figure(update, size=size, mode=mode)
    size.value = 5
    mode.value = "average"
    assert calls == [(3, "max"), (5, "max"), (5, "average")]
    assert list(box.children[0].children) == [size, mode]


def test_control_grid_is_every_combination():
    grid = widgets.control_grid({"size": (1, 2, 3), "mode": ("max", "average")})
    assert len(grid) == 6 and {"size": 3, "mode": "average"} in grid


def test_covering_settings_show_every_value_with_possible_settings_only():
    controls = {"size": (1, 2, 3), "stride": (1, 2, 3)}
    chosen = widgets.covering_settings(controls, lambda s: s["stride"] <= s["size"])
    assert all(s["stride"] <= s["size"] for s in chosen)
    assert {s["size"] for s in chosen} == {1, 2, 3} and {s["stride"] for s in chosen} == {1, 2, 3}
    assert len(chosen) < 9
    with pytest.raises(ValueError, match="stride"):
        widgets.covering_settings(controls, lambda s: s["stride"] == 1)
