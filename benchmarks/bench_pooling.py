"""Benchmark of the pooling lesson: the widget's update time and from-scratch pooling vs Keras.

Run through ``benchmarks/run_benchmarks.py``; ``run()`` returns rows (name, value, unit).
Target: one widget update on the 128×128 CT under 200 ms on a laptop CPU.
"""

from __future__ import annotations

import time

import matplotlib

matplotlib.use("Agg")


def run() -> list[tuple[str, float, str]]:
    import matplotlib.pyplot as plt
    import numpy as np

    from helpers import course, pooling
    from helpers.data import medimg
    from helpers.timing import median_ms

    plt.style.use(course.STYLE_FILE)

    def update(source: str, draw: bool) -> None:
        fig = pooling.draw_pooling_demo(source, "max", 2, 2, "valid")
        if draw:
            fig.canvas.draw()
        plt.close(fig)

    image = medimg.load_sample_image("ct_vertebra", 128)
    features = np.repeat(pooling.compute_edge_features(image), 8, axis=-1)  # (128, 128, 32)
    rows = [
        ("widget update, CT 128×128, max 2×2 (figure built)", median_ms(lambda: update("ct", False)), "ms"),
        ("widget update, CT 128×128, max 2×2 (figure drawn)", median_ms(lambda: update("ct", True)), "ms"),
        ("widget update, CT 128×128, max 2×2 (figure drawn), CPU time",
         median_ms(lambda: update("ct", True), clock=time.process_time), "ms"),
        ("widget update, edge map 128×128 + colorbar (figure drawn)",
         median_ms(lambda: update("edges", True)), "ms"),
        ("widget update, edge map 128×128 + colorbar (figure drawn), CPU time",
         median_ms(lambda: update("edges", True), clock=time.process_time), "ms"),
        ("NumPy max pooling 2×2, (128, 128, 32)", median_ms(lambda: pooling.max_pool2d(features, 2)), "ms"),
        ("NumPy max pooling 3×3 stride 1 'same', (128, 128, 32)",
         median_ms(lambda: pooling.max_pool2d(features, 3, 1, "same")), "ms"),
    ]
    course.import_tensorflow_quietly()
    rows.append(("Keras MaxPooling2D 2×2, (128, 128, 32), eager",
                 median_ms(lambda: pooling.pool_with_keras(features, 2)), "ms"))
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<60} {value:9.1f} {unit}")
