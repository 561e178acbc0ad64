"""Benchmark of notebook 02 (convolution): one widget update, and loops vs NumPy vs Keras.

    python benchmarks/bench_convolution.py

Rows are (name, value, unit). Ratios measured in one run are what to compare across machines.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run(size: int = 128, repeats: int = 5) -> list[tuple[str, float, str]]:
    """Time the widget and the three convolution implementations on a ``size``×``size`` CT crop."""
    import matplotlib

    matplotlib.use("Agg")
    import io

    import matplotlib.pyplot as plt

    from helpers import convolution, course, timing

    course.import_tensorflow_quietly()
    plt.style.use(course.STYLE_FILE)
    image = convolution.load_widget_image("ct_vertebra")[:size, :size]
    kernel = convolution.make_kernel("sobel x")

    def widget_update(render: bool) -> None:
        fig = convolution.update_convolution_widget("ct_vertebra", "gaussian", 5, 2, "same")
        if render:  # what the learner waits for: the figure drawn to a PNG
            fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)

    widget_update(render=True)  # warm-up: loads the scan, fonts and colormaps once
    build = timing.time_call(lambda: widget_update(False), repeats=repeats)
    shown = timing.time_call(lambda: widget_update(True), repeats=repeats)
    seconds = convolution.compare_speed(image, kernel, repeats=repeats)
    rows = [
        ("widget update, figure built (128×128 CT)", build * 1e3, "ms"),
        ("widget update, figure built and drawn to PNG", shown * 1e3, "ms"),
    ]
    rows += [(f"{name} ({size}×{size}, 3×3 kernel)", t * 1e3, "ms") for name, t in seconds.items()]
    rows += [
        ("ratio loops / vectorised NumPy", seconds["loops"] / seconds["vectorised NumPy"], "x"),
        ("ratio loops / Keras", seconds["loops"] / seconds["Keras"], "x"),
        ("ratio Keras / vectorised NumPy", seconds["Keras"] / seconds["vectorised NumPy"], "x"),
    ]
    return rows


if __name__ == "__main__":
    start = time.perf_counter()
    for name, value, unit in run():
        print(f"{name:<55} {value:10.3f} {unit}")
    print(f"(benchmark took {time.perf_counter() - start:.1f} s)")
