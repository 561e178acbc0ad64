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


def test_a_slow_update_shows_its_note_first_and_a_quick_one_none(monkeypatch):
    """``pending`` puts a note under the controls before the update runs, for the values it
    names; the update's result then replaces it."""
    import ipywidgets
    from IPython import display as ipython_display

    shown = []
    monkeypatch.setattr(ipython_display, "display", lambda obj: shown.append(obj.data))
    size = ipywidgets.IntSlider(value=3, min=1, max=9)
    widgets.interactive_figure(lambda size: f"size {size}", size=size,
                               pending=lambda size: "working…" if size > 4 else None)
    size.value = 5
    assert len(shown) == 3 and "size 3" in shown[0]
    assert widgets.PENDING_CLASS in shown[1] and "working…" in shown[1]
    assert "size 5" in shown[2]


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


def test_figure_png_is_the_figure_at_its_own_size_and_dpi():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.0, 3.0), dpi=50, layout="constrained")
    ax.plot([0, 1], [1, 0])
    png = widgets.figure_png(fig)
    plt.close(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (200, 150)  # not cropped to what is drawn


def test_figure_png_leaves_a_fixed_layout_as_it_was():
    """A figure laid out by hand keeps its axes where they are when it is drawn again after its
    PNG (saving it would otherwise give it the course style's constrained layout)."""
    import matplotlib.pyplot as plt

    from helpers import course

    with plt.style.context(course.STYLE_FILE):
        fig, ax = plt.subplots(layout="none")
        fig.subplots_adjust(left=0.3, right=0.6)
        widgets.figure_png(fig)
        fig.draw_without_rendering()
    assert ax.get_position().x0 == pytest.approx(0.3) and ax.get_position().x1 == pytest.approx(0.6)
    plt.close(fig)


def _lesson_figures():
    """One figure of each lesson widget (lesson 08's is checked with its networks in
    tests/transfer); lesson 05's with a flat loss, whose tick labels are the widest."""
    import numpy as np

    from helpers import evaluation, start_here
    from helpers.activations import widget as activations
    from helpers.classic_ml import widget as classic_ml
    from helpers.convolution import widget as convolution
    from helpers.data import synthetic
    from helpers.evaluation import widget as evaluation_widget
    from helpers.fully_connected import widget as fully_connected
    from helpers.history import widget as history
    from helpers.hyperparameters import widget as hyperparameters

    demo = evaluation.demo_case_data()
    labels, scores = demo["test_labels"], demo["p_test"]
    chest = synthetic.make_synthetic_chest(n_train=0, n_val=0, n_test=40, seed=0).split("test")
    explorer = classic_ml.FeatureExplorer(
        chest.images[classic_ml.choose_examples(chest.labels)],
        np.random.default_rng(0).normal(0.0, 0.3, (3, 3, 1, 8)), np.zeros(8))
    features = fully_connected.standardise(labels + np.random.default_rng(0).normal(0, 1, len(labels)))
    flat = [0.6931, 0.6929, 0.6932, 0.6931, 0.6930]
    flat_run = {"loss": flat, "val_loss": flat, "auc": [0.5] * 5, "val_auc": [0.5] * 5}
    return {
        "environment check": lambda: start_here.draw_gamma_demo(2.0),
        "live training": lambda: hyperparameters.draw_training_demo(
            flat_run, hyperparameters.plan_training_demo(1.0, 0.75, 16, n_train=500, epochs=5),
            baseline=0.69),
        "cell explorer": history.draw_cell_responses,
        "convolution (signed, with a colour bar)": convolution.draw_convolution_demo,
        "gradient descent": lambda: fully_connected.draw_descent_demo(features, labels),
        "activations, all four with derivatives": lambda: activations.draw_activation_demo(
            activations.ACTIVATIONS),
        "one activation": lambda: activations.draw_activation_demo(("relu",), show_derivative=False),
        "features": explorer.draw,
        # a first layer with small weights: maps of small values, the widest colour-bar labels
        "features, small values": lambda: classic_ml.FeatureExplorer(
            explorer.images, explorer.kernels * 0.02, np.zeros(8)).draw(filter_index=3),
        "threshold explorer": lambda: evaluation_widget.draw_threshold_explorer(
            labels, scores, 0.4, 0.3, start_threshold=demo["threshold"]),
        "case browser": lambda: evaluation_widget.draw_case(
            demo["test_images"], labels, scores, demo["heat"], threshold=demo["threshold"],
            kind="true positive"),
    }


def test_the_widget_figures_with_a_fixed_layout_fit_their_canvas():
    """figure_png does not crop: nothing of a widget's figure may lie outside its canvas (a
    colour bar's label, a legend below the axes), and little room is wasted around it."""
    import matplotlib.pyplot as plt

    for name, draw in _lesson_figures().items():
        fig = draw()
        margins = widgets.canvas_margins(fig)
        plt.close(fig)
        assert min(margins.values()) > -0.02, f"{name}: drawn outside the canvas, {margins}"
        assert max(margins.values()) < 0.5, f"{name}: wasted room around the figure, {margins}"


def test_a_control_that_sets_another_one_redraws_once():
    """A kernel drop-down that locks the size slider to 3 (as lesson 02's does) changes two
    values in one move: the figure is drawn once for them, not once per value."""
    import ipywidgets

    calls = []

    def update(kernel, size):
        calls.append((kernel, size))
        return f"{kernel} {size}"

    kernel = ipywidgets.Dropdown(options=["gaussian", "sobel x"], value="gaussian")
    size = ipywidgets.IntSlider(value=7, min=3, max=21)
    kernel.observe(lambda change: setattr(size, "value", 3), names="value")  # before the redraw
    widgets.interactive_figure(update, kernel=kernel, size=size)
    kernel.value = "sobel x"
    assert calls == [("gaussian", 7), ("sobel x", 3)]
    size.value = 5
    assert calls[-1] == ("sobel x", 5)
