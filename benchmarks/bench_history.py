"""Benchmarks of notebook 01 (history): the widget update and the simulations behind the figures.

``run()`` returns rows (name, value, unit); ``benchmarks/run_benchmarks.py`` prints them.
Times are medians of several runs, in milliseconds of wall time unless the name says CPU.
"""

from __future__ import annotations

import io
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from helpers import course, history  # noqa: E402
from helpers.data import medimg  # noqa: E402
from helpers.history import widget  # noqa: E402
from helpers.timing import median_ms  # noqa: E402


def _update() -> None:
    plt.close(history.draw_cell_responses())


def _update_and_render() -> None:
    fig = history.draw_cell_responses()
    fig.savefig(io.BytesIO(), format="png")  # what the notebook does to show it
    plt.close(fig)


def run() -> list[tuple[str, float, str]]:
    rows: list[tuple[str, float, str]] = []
    with plt.style.context(course.STYLE_FILE):
        widget._curves_vs_angle.cache_clear()
        widget._curves_vs_position.cache_clear()
        start = time.perf_counter()
        _update()
        rows.append(("widget update, first call (curves not cached yet)",
                     1000.0 * (time.perf_counter() - start), "ms"))
        rows.append(("widget update, default values (build the figure)", median_ms(_update), "ms"))
        rows.append(("widget update + PNG render (what a learner waits for)",
                     median_ms(_update_and_render, repeats=5), "ms"))
        rows.append(("widget update + PNG render, CPU time",
                     median_ms(_update_and_render, repeats=5, clock=time.process_time), "ms"))

    angles = np.arange(0.0, 180.0, 5.0)
    rows.append(("tuning curve, 36 angles, simple cell",
                 median_ms(lambda: history.measure_tuning_curve(45.0, angles)), "ms"))
    rows.append(("tuning curve, 36 angles, complex cell",
                 median_ms(lambda: history.measure_tuning_curve(45.0, angles, cell="complex")),
                 "ms"))
    ct = medimg.load_sample_image("ct_vertebra", 128)
    rows.append(("cell bank (4 orientations) on the 128×128 CT slice",
                 median_ms(lambda: history.apply_cell_bank(ct, wavelength=8.0)), "ms"))
    glyphs = history.make_glyph_image(64)
    rows.append(("Neocognitron S1→C1→S2→C2 on a 64×64 image",
                 median_ms(lambda: history.run_neocognitron(glyphs)), "ms"))
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<55} {value:10.3f} {unit}")
