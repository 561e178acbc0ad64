"""helpers.start_here: the phantom and the environment-check widget of notebook 00."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers import start_here, widgets


def test_phantom_is_deterministic_and_in_range():
    a, b = start_here.make_phantom(64), start_here.make_phantom(64)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (64, 64) and a.dtype == np.float32
    assert 0.0 <= a.min() and a.max() <= 1.0


def test_impossible_values_give_a_message_not_a_traceback():
    result = widgets.render(start_here.draw_gamma_demo, gamma=0.0)
    assert isinstance(result, str) and "positive" in result


def test_environment_check_has_a_slider_above_its_figure():
    import ipywidgets

    box = start_here.make_environment_check()
    slider, output = box.children[0].children[0], box.children[1]
    assert isinstance(slider, ipywidgets.FloatSlider) and isinstance(output, ipywidgets.Output)


def test_every_value_of_the_slider_draws():
    """The grid is read from the slider a learner gets, not restated here."""
    slider = start_here.make_environment_check().children[0].children[0]
    values = np.round(np.arange(slider.min, slider.max + slider.step / 2, slider.step), 1)
    assert slider.min > 0 and len(values) > 10
    for gamma in values:
        result = widgets.render(start_here.draw_gamma_demo, gamma=float(gamma))
        assert isinstance(result, Figure), result
        plt.close(result)
