"""helpers.history.figures: every plot draws on the axes it is given and explains bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers import history  # noqa: E402


def test_plot_helpers_draw_on_given_axes():
    fig, ax = plt.subplots()
    assert history.plot_tuning_curves(np.arange(0.0, 180.0, 15.0), ax=ax) is ax
    assert history.plot_position_curves(np.arange(-8.0, 8.5, 2.0), ax=ax) is ax
    assert history.plot_recording(*history.record_mystery_cell(), ax=ax) is ax
    fig, axes = plt.subplots(1, 4)
    assert history.plot_receptive_fields(axes=axes) is fig
    with pytest.raises(ValueError, match="equal length"):
        history.plot_recording(np.arange(3), np.arange(4))


def test_response_maps_figure_checks_the_maps_shape():
    image = history.make_bar(45.0, size=48, width=2.4)
    maps = history.apply_cell_bank(image)
    fig = history.plot_response_maps(image, maps)
    assert isinstance(fig, Figure) and len(fig.axes) == 1 + len(history.ORIENTATIONS) + 1
    with pytest.raises(ValueError, match="maps must have shape"):
        history.plot_response_maps(image, maps[:2])
