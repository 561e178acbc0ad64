"""helpers.viz: fixed grey levels, grids, training curves; ax= is honoured and nothing is shown."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import viz


def test_grey_levels_are_fixed_by_dtype():
    assert viz.grey_levels(np.zeros((2, 4, 4), np.uint8)) == (0.0, 255.0)
    assert viz.grey_levels(np.full((2, 4, 4), 0.2, np.float32)) == (0.0, 1.0)


def test_grey_levels_refuse_hounsfield_units_without_a_window():
    with pytest.raises(ValueError, match="vmin= and vmax="):
        viz.grey_levels(np.array([[-1000.0, 400.0]]))


def test_image_grid_uses_one_grey_scale_for_all_panels():
    images = np.stack([np.full((8, 8), 0.1), np.full((8, 8), 0.9)]).astype(np.float32)
    fig = viz.plot_image_grid(images, titles=["dark", "bright"])
    shown = [ax.images[0] for ax in fig.axes if ax.images]
    assert [im.get_clim() for im in shown] == [(0.0, 1.0), (0.0, 1.0)]
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["dark", "bright"]


def test_image_grid_accepts_channel_last_and_colour_images():
    fig = viz.plot_image_grid(np.zeros((3, 8, 8, 1), np.uint8), ncols=2)
    assert sum(bool(ax.images) for ax in fig.axes) == 3
    assert len(fig.axes) == 4  # 2 x 2 grid, the spare panel hidden
    fig = viz.plot_image_grid(np.zeros((2, 8, 8, 3), np.uint8))
    assert fig.axes[0].images[0].get_array().shape == (8, 8, 3)


def test_image_grid_draws_on_given_axes():
    fig, axes = plt.subplots(1, 3)
    out = viz.plot_image_grid(np.zeros((2, 5, 5), np.uint8), axes=axes)
    assert out is fig and not axes[2].images


@pytest.mark.parametrize(("images", "message"), [
    (np.zeros((0, 5, 5)), "empty"),
    (np.zeros((5, 5)), "shape"),
    (np.zeros((2, 5, 5, 2)), "shape"),
])
def test_image_grid_explains_bad_input(images, message):
    with pytest.raises(ValueError, match=message):
        viz.plot_image_grid(images)


def test_image_grid_checks_titles():
    with pytest.raises(ValueError, match="titles"):
        viz.plot_image_grid(np.zeros((2, 5, 5), np.uint8), titles=["one"])


def test_training_curves_plot_training_and_validation():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "auc": [0.6, 0.8, 0.9]}
    axes = viz.plot_training_curves(history, metrics=("loss", "auc"))
    assert len(axes) == 2
    assert [line.get_label() for line in axes[0].lines] == ["training", "validation"]
    assert [line.get_label() for line in axes[1].lines] == ["training"]
    np.testing.assert_array_equal(axes[0].lines[0].get_xdata(), [1, 2, 3])


def test_training_curves_accept_a_keras_history_and_an_axis():
    class History:
        history = {"loss": [0.4, 0.2]}

    _, ax = plt.subplots()
    axes = viz.plot_training_curves(History(), ax=ax)
    assert axes[0] is ax


def test_training_curves_name_unknown_metrics():
    with pytest.raises(ValueError, match="accuracy"):
        viz.plot_training_curves({"loss": [1.0]}, metrics=("accuracy",))


def test_panel_axes_makes_a_row_or_a_grid_and_checks_given_axes():
    row = viz.panel_axes(None, 3, "kernels", figsize=(6, 2))
    assert len(row) == 3 and row[0].figure is row[2].figure
    grid = viz.panel_axes(None, 5, "panels", ncols=4, figsize=(8, 4))
    assert len(grid) == 8  # two rows of four
    _, (a, b) = plt.subplots(1, 2)
    assert list(viz.panel_axes([a, b], 2, "maps", figsize=(1, 1))) == [a, b]
    with pytest.raises(ValueError, match="got 2 axes for 3 kernels"):
        viz.panel_axes([a, b], 3, "kernels", figsize=(1, 1))


def test_set_margins_gives_the_room_in_inches():
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 4.0), layout="none")
    viz.set_margins(fig, left=0.8, right=0.2, bottom=0.5, top=1.0, wspace=0.25)
    left, right = axes[0].get_position(), axes[1].get_position()
    assert left.x0 * 8.0 == pytest.approx(0.8) and (1 - right.x1) * 8.0 == pytest.approx(0.2)
    assert left.y0 * 4.0 == pytest.approx(0.5) and (1 - left.y1) * 4.0 == pytest.approx(1.0)
    assert right.x0 - left.x1 == pytest.approx(0.25 * left.width)
    plt.close(fig)
