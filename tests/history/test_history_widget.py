"""helpers.history.widget: the cell explorer's numbers over its whole grid, its figure for every
control value, its messages and its sliders."""

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers import history, widgets  # noqa: E402
from helpers.history import widget  # noqa: E402

CONTROLS = history.EXPLORER_CONTROLS
#: The sliders' grid, for cells of every preferred orientation of the notebook.
GRID = list(itertools.product(history.ORIENTATIONS, *CONTROLS.values()))


def test_cell_responses_over_the_whole_grid():
    """What the figure shows is valid at every slider setting (computed, not drawn)."""
    for preferred, angle, position in GRID:
        shown = history.compute_cell_responses(angle, position, preferred)
        assert shown.stimulus.shape == shown.receptive_field.shape == (history.FIELD_SIZE,) * 2
        for curve in (*shown.by_angle, *shown.by_position):
            # responses are rectified and stay inside the figure's fixed y-range (-0.05, 1.15)
            assert np.isfinite(curve).all() and curve.min() >= 0.0 and curve.max() <= 1.15
        # the dotted lines mark this stimulus: its responses lie on both curves
        on_angle = widget.CURVE_ANGLES == angle
        on_position = widget.CURVE_POSITIONS == position
        for k, cell in enumerate(history.CELL_KINDS):
            assert shown.by_angle[k][on_angle].tolist() == [shown.now[cell]], (preferred, angle)
            assert shown.by_position[k][on_position].tolist() == [shown.now[cell]], position
        # the complex cell pools shifted simple cells, the centred one among them
        assert shown.now["complex"] >= shown.now["simple"] - 1e-5


def test_widget_draws_every_control_value():
    """One figure per distinct value: figure i shows the i-th value of every control."""
    angles, positions = CONTROLS["bar_angle"], CONTROLS["bar_position"]
    preferred = history.ORIENTATIONS
    for i in range(max(len(angles), len(positions), len(preferred))):
        values = {"bar_angle": angles[i % len(angles)],
                  "bar_position": positions[i % len(positions)],
                  "preferred_angle": preferred[i % len(preferred)]}
        fig = widgets.render(history.draw_cell_responses, **values)
        assert isinstance(fig, Figure), (values, fig)
        now = history.compute_cell_responses(**values).now
        title = fig.axes[0].get_title()
        assert f"bar {values['bar_angle']:g}°, offset {values['bar_position']:+g} px" in title
        assert f"simple {now['simple']:.2f} · complex {now['complex']:.2f}" in title
        plt.close(fig)


@pytest.mark.parametrize(("values", "message"), [
    ({"bar_position": 14}, "between -10 and 10"),
    ({"bar_angle": float("nan")}, "finite"),
])
def test_widget_explains_impossible_values(values, message):
    result = widgets.render(history.draw_cell_responses, **values)
    assert isinstance(result, str) and message in result


def test_widget_controls_match_the_tested_grid():
    box = history.make_cell_explorer()
    sliders = dict(zip(CONTROLS, box.children[0].children, strict=True))
    for name, slider in sliders.items():
        assert tuple(range(slider.min, slider.max + 1, slider.step)) == CONTROLS[name]
        assert slider.value in CONTROLS[name]
