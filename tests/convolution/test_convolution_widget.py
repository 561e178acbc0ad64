"""helpers.convolution.widget (notebook 02): every setting of the widget gives a picture or a clear
message (checked over the whole grid without drawing), and each control value draws."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import convolution, widgets

CONTROLS = convolution.DEMO_CONTROLS
GRID = widgets.control_grid(CONTROLS)


def _expected(settings) -> tuple[str | None, int | None]:
    """(message the setting must give, or None; output side), from the rules, not the code."""
    kernel, size, stride, padding = (settings[k] for k in ("kernel", "size", "stride", "padding"))
    if kernel not in convolution.SIZE_VARIABLE and size != 3:
        return "set size to 3", None
    n = convolution.load_widget_image(settings["image"]).shape[0]
    if padding == "same":
        return None, math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    if size > n + 2 * p:
        return "does not fit", None
    return None, (n + 2 * p - size) // stride + 1


def test_widget_images_are_in_range_and_read_only():
    for key in convolution.WIDGET_IMAGES:
        image = convolution.load_widget_image(key)
        assert image.ndim == 2 and image.dtype == np.float32
        assert 0.0 <= image.min() and image.max() <= 1.0
        assert not image.flags.writeable
    assert convolution.load_widget_image("ct_zoom").shape == (16, 16)


def test_every_setting_gives_an_output_or_a_clear_message():
    """The whole grid of the widget, without drawing: the output's shape and the formula in the
    title, or the message that says what to change."""
    messages = 0
    for settings in GRID:
        message, side = _expected(settings)
        if message is not None:
            with pytest.raises(ValueError, match=message):
                convolution.compute_convolution_demo(**settings)
            messages += 1
            continue
        demo = convolution.compute_convolution_demo(**settings)
        assert demo.output.shape == (side, side), settings
        assert demo.title.endswith(f"= {side}"), (settings, demo.title)
    assert 0 < messages < len(GRID)


def test_every_control_value_draws():
    chosen = widgets.covering_settings(CONTROLS, lambda settings: _expected(settings)[0] is None)
    assert len(chosen) < len(GRID) // 20  # one figure per value, not per grid point
    for settings in chosen:
        result = widgets.render(convolution.update_convolution_widget, **settings)
        assert isinstance(result, Figure), (settings, result)
        plt.close(result)


def test_widget_shows_the_output_shape_of_the_formula():
    fig = convolution.update_convolution_widget("ct_vertebra", "gaussian", 5, 2, 1)
    text = fig._suptitle.get_text()
    assert "⌊(128 + 2·1 − 5)/2⌋ + 1 = 63" in text
    assert any(ax.get_title().startswith("output 63×63") for ax in fig.axes)


def test_widget_impossible_combination_gives_a_message():
    result = widgets.render(convolution.update_convolution_widget, image="ct_zoom", kernel="box blur",
                            size=21, stride=1, padding="valid")
    assert isinstance(result, str) and "does not fit" in result and "padding" in result


@pytest.mark.parametrize("weights", [
    {},  # all zeros: a black output, not an error
    {"w11": 1.0},
    {"w00": -1.0, "w02": 1.0, "w10": -2.0, "w12": 2.0, "w20": -1.0, "w22": 1.0},
    {f"w{j}{k}": 1e6 for j in range(3) for k in range(3)},
])
def test_widget_custom_kernels(weights):
    custom = convolution.custom_kernel(**weights)
    for padding in CONTROLS["padding"]:
        demo = convolution.compute_convolution_demo("ct_zoom", convolution.CUSTOM, 3, 2, padding, custom)
        np.testing.assert_array_equal(demo.weights, custom)
    result = widgets.render(convolution.update_convolution_widget, image="ct_zoom",
                            kernel=convolution.CUSTOM, size=3, stride=2, padding="same", **weights)
    assert isinstance(result, Figure), result


def test_widget_rejects_bad_custom_values_with_a_message():
    result = widgets.render(convolution.update_convolution_widget, image="mr_small", kernel="custom 3×3",
                            size=3, stride=1, padding="same", w00=float("nan"))
    assert isinstance(result, str) and "finite" in result
    result = widgets.render(convolution.update_convolution_widget, image="mr_small", kernel="sobel x",
                            size=3, stride=1, padding="same", w33=1.0)
    assert isinstance(result, str) and "w33" in result


def test_widget_box_offers_the_demo_controls_and_locks_the_size():
    box = convolution.make_convolution_widget()
    first_row, second_row = box.children[0].children[0].children
    controls = {c.description: c for c in (*first_row.children, *second_row.children)}
    for name, values in CONTROLS.items():
        offered = [v[1] if isinstance(v, tuple) else v for v in controls[name].options]
        assert tuple(offered) == values, name
    controls["kernel"].value = "gaussian"
    assert not controls["size"].disabled
    controls["kernel"].value = "laplacian"
    assert controls["size"].value == 3 and controls["size"].disabled
