"""Benchmark of the activations lesson: the widget's update time, the from-scratch activations
against Keras, and the gradient-norm measurement of section 6.

Run through ``benchmarks/run_benchmarks.py``; ``run()`` returns rows (name, value, unit).
Target: one widget update (four activations with derivatives, drawn) under 300 ms on a laptop CPU.
"""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")


def run() -> list[tuple[str, float, str]]:
    import matplotlib.pyplot as plt
    import numpy as np

    from helpers import activations, course
    from helpers.timing import median_ms

    plt.style.use(course.STYLE_FILE)

    def update(draw: bool) -> None:
        fig = activations.draw_activation_demo(activations.ACTIVATIONS, 5, 0.01, True)
        if draw:
            fig.canvas.draw()
        plt.close(fig)

    x = np.random.default_rng(0).normal(size=(256, 1024))
    rows = [
        ("widget update, 4 activations + derivatives (figure built)", median_ms(lambda: update(False)), "ms"),
        ("widget update, 4 activations + derivatives (figure drawn)", median_ms(lambda: update(True)), "ms"),
        ("widget update (figure drawn), CPU time",
         median_ms(lambda: update(True), clock=time.process_time), "ms"),
        ("widget grid, pure compute, all settings",
         median_ms(lambda: [activations.compute_activation_demo(**s) for s in _grid()], repeats=3), "ms"),
        ("NumPy sigmoid, 256×1024", median_ms(lambda: activations.sigmoid(x)), "ms"),
        ("NumPy softmax (stable), 256×1024", median_ms(lambda: activations.softmax(x)), "ms"),
    ]
    course.import_tensorflow_quietly()
    rows += [
        ("Keras sigmoid, 256×1024, eager", median_ms(lambda: activations.keras_activation("sigmoid", x)), "ms"),
        ("Keras softmax, 256×1024, eager", median_ms(lambda: activations.keras_activation("softmax", x)), "ms"),
        ("gradient norms, sigmoid + ReLU nets, 10×32 (section 6)",
         median_ms(lambda: activations.compare_gradient_norms(("sigmoid", "relu")), repeats=3), "ms"),
        ("dying ReLU run, 50 steps (section 7)",
         median_ms(lambda: activations.measure_dying_relu(0.05, -3.0), repeats=3), "ms"),
    ]
    return rows


def _grid() -> list[dict]:
    from helpers import activations, widgets

    return widgets.control_grid(activations.DEMO_CONTROLS)


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<60} {value:9.1f} {unit}")
