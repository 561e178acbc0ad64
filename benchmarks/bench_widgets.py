"""Benchmark of every lesson widget's redraw on the kernel's side: the update function and the
PNG the widget sends (:func:`helpers.widgets.figure_png`), as one slider move costs it.

Run through ``benchmarks/run_benchmarks.py`` or alone (``python benchmarks/bench_widgets.py``);
``run()`` returns rows (name, value, unit). Target: a slider move redrawn in the browser within
500 ms; the browser tests (which write both times to ``build/browser/``) measured 80–120 ms of
round trip and display on top of the kernel's drawing on a quiet 2-core machine, so a row here
should stay under about 350 ms. Lesson 05's widget trains a
model for each new setting and is timed by ``bench_hyperparameters.py`` instead. The last two
rows time the full garbage collection that falls in every few redraws once TensorFlow is
loaded.
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")


def moves() -> dict[str, object]:
    """Widget name → ``move(i)``: the figure after the i-th move of one of its controls."""
    import numpy as np

    from helpers import evaluation, start_here
    from helpers.activations import widget as activations
    from helpers.classic_ml import features
    from helpers.classic_ml import widget as classic
    from helpers.convolution import widget as convolution
    from helpers.data import synthetic
    from helpers.evaluation import widget as clinical
    from helpers.fully_connected import widget as fully_connected
    from helpers.history import widget as history
    from helpers.pooling import widget as pooling
    from helpers.transfer import widget as transfer

    rng = np.random.default_rng(0)
    labels = (rng.random(96) < 0.5).astype(float)
    sharpness = fully_connected.standardise(labels + rng.normal(0, 1, 96))
    chest = synthetic.make_synthetic_chest(n_train=0, n_val=0, n_test=40, seed=0).split("test")
    explorer = classic.FeatureExplorer(chest.images[classic.choose_examples(chest.labels, seed=0)],
                                       rng.normal(0, 0.3, (3, 3, 1, 8)), np.zeros(8))
    demo = evaluation.demo_case_data()
    sharpen = dict(zip(convolution.CUSTOM_NAMES, [0, -1, 0, -1, 5, -1, 0, -1, 0], strict=True))
    angles = features.GABOR_ORIENTATIONS
    return {
        "00 environment check, gamma": lambda i: start_here.draw_gamma_demo(1.0 + 0.1 * (i % 5)),
        "01 cell explorer, bar angle": lambda i: history.draw_cell_responses((15 * i) % 180, 0, 45.0),
        "02 convolution, kernel": lambda i: convolution.update_convolution_widget(
            "ct_vertebra", ("sobel x", "laplacian")[i % 2], 3, 1, "valid", **sharpen),
        "03 pooling, pool size": lambda i: pooling.draw_pooling_demo("ct", "max", 2 + i % 3),
        "04 gradient descent, steps": lambda i: fully_connected.draw_descent_demo(
            sharpness, labels, 0.3, (5, 10, 20)[i % 3]),
        "06 activations, derivative": lambda i: activations.draw_activation_demo(
            show_derivative=bool(i % 2)),
        "07 features, Gabor angle": lambda i: explorer.draw(orientation=float(angles[i % 2])),
        "08 transfer, frozen stages": lambda i: transfer.draw_freezing_demo("course_cnn", i % 3),
        "10 threshold explorer, threshold": lambda i: clinical.draw_threshold_explorer(
            demo["test_labels"], demo["p_test"], 0.4 + 0.01 * (i % 5), 0.3,
            start_threshold=demo["threshold"]),
        "10 case browser, case": lambda i: clinical.draw_case(
            demo["test_images"], demo["test_labels"], demo["p_test"], demo["heat"],
            threshold=demo["threshold"], kind="true positive", case=1 + i % 3),
    }


def run() -> list[tuple[str, float, str]]:
    import matplotlib.pyplot as plt

    from helpers import course, widgets
    from helpers.timing import median_ms

    plt.style.use(course.STYLE_FILE)
    rows = []
    for name, move in moves().items():
        step = iter(range(10_000))

        def redraw(move=move, step=step) -> None:
            figure = move(next(step))
            widgets.figure_png(figure)
            plt.close(figure)

        rows.append((f"widget redraw (update + PNG), {name}", median_ms(redraw), "ms"))
    return rows + collection_rows()


def collection_rows() -> list[tuple[str, float, str]]:
    """A full garbage collection with TensorFlow loaded, with its objects set aside (what
    :func:`helpers.course.import_tensorflow_quietly` does) and walked (Python's default): one
    fell in every few redraws of a lesson widget."""
    import gc

    from helpers import course
    from helpers.timing import median_ms

    course.import_tensorflow_quietly()
    set_aside = median_ms(gc.collect, repeats=5)
    gc.unfreeze()
    try:
        walked = median_ms(gc.collect, repeats=5)
    finally:
        gc.freeze()
    return [("full garbage collection, TensorFlow's objects set aside", set_aside, "ms"),
            ("full garbage collection, every object walked (Python's default)", walked, "ms")]


if __name__ == "__main__":
    os.environ.setdefault("CNN_COURSE_FAST", "1")
    for name, value, unit in run():
        print(f"{name:<60} {value:9.1f} {unit}")
