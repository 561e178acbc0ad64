"""Benchmark of the fully connected lesson: backpropagation by hand vs tf.GradientTape, one step of
our gradient descent, and the widget's update time.

Run through ``benchmarks/run_benchmarks.py``; ``run()`` returns rows (name, value, unit).
Target: one widget update (100 steps on 1,000 X-ray features) under 200 ms on a laptop CPU.
"""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")


def run() -> list[tuple[str, float, str]]:
    import matplotlib.pyplot as plt
    import numpy as np

    from helpers import course, fully_connected
    from helpers.timing import median_ms

    plt.style.use(course.STYLE_FILE)
    rng = np.random.default_rng(0)
    images = rng.random((128, 28, 28))
    labels = (rng.random(128) < 0.74).astype(float)
    params = fully_connected.init_tiny_network(28, filters=2, seed=0)
    features = fully_connected.standardise(fully_connected.compute_edge_sharpness(rng.random((1000, 28, 28))))
    feature_labels = (rng.random(1000) < 0.74).astype(float)

    def update(draw: bool) -> None:
        fig = fully_connected.draw_descent_demo(features, feature_labels, learning_rate=3.0, steps=100)
        if draw:
            fig.canvas.draw()
        plt.close(fig)

    cache = fully_connected.forward(params, images[0], labels[0])
    rows = [
        ("forward pass by hand, one 28×28 image", median_ms(lambda: fully_connected.forward(
            params, images[0], labels[0])), "ms"),
        ("backward pass by hand, one 28×28 image", median_ms(lambda: fully_connected.backward(
            params, cache)), "ms"),
        ("loss and gradients, batch of 128 (vectorised)", median_ms(lambda: fully_connected.loss_and_gradients(
            params, images, labels)), "ms"),
        ("widget update, 100 steps on 1,000 features (figure built)", median_ms(lambda: update(False)), "ms"),
        ("widget update, 100 steps on 1,000 features (figure drawn)", median_ms(lambda: update(True)), "ms"),
        ("widget update (figure drawn), CPU time",
         median_ms(lambda: update(True), clock=time.process_time), "ms"),
    ]
    course.import_tensorflow_quietly()
    model = fully_connected.build_keras_tiny_network(params)
    rows.append(("tf.GradientTape gradients, batch of 128, eager",
                 median_ms(lambda: fully_connected.keras_gradients(model, images, labels)), "ms"))
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<60} {value:9.1f} {unit}")
