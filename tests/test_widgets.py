"""helpers.widgets: the wiring and the environment-check widget of notebook 00."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import widgets


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_phantom_is_deterministic_and_in_range():
    a, b = widgets.make_phantom(64), widgets.make_phantom(64)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (64, 64) and a.dtype == np.float32
    assert 0.0 <= a.min() and a.max() <= 1.0


def test_gamma_demo_over_the_whole_slider_range():
    for gamma in np.round(np.arange(0.2, 3.0 + 1e-9, 0.1), 1):
        result = widgets.render(widgets.draw_gamma_demo, gamma=float(gamma))
        assert isinstance(result, Figure), result
        plt.close(result)


def test_impossible_values_give_a_message_not_a_traceback():
    result = widgets.render(widgets.draw_gamma_demo, gamma=0.0)
    assert isinstance(result, str) and "positive" in result


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


def test_environment_check_has_a_slider_above_its_figure():
    import ipywidgets

    box = widgets.make_environment_check()
    slider, output = box.children[0].children[0], box.children[1]
    assert isinstance(slider, ipywidgets.FloatSlider) and isinstance(output, ipywidgets.Output)
    assert (slider.min, slider.max) == (0.2, 3.0)
