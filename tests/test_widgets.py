"""helpers.widgets: the wiring between controls and a pure update function."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from helpers import widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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
