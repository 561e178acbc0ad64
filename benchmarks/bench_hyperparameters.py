"""Benchmark of the hyperparameters lesson: seconds per setting of the live-training widget, and
the pure parts (planning every setting, drawing one, visit counts, receptive field).

Run through ``benchmarks/run_benchmarks.py``; ``run()`` returns rows (name, value, unit).
The widget trains the lesson's small CNN on 500 training and 300 validation images of the real
PneumoniaMNIST v2 copy (``helpers.data.locations.shared_dataset()``) for 5 epochs, as the
notebook does in full mode; without that file it uses the synthetic data set and the row names
say so. Target: a few seconds per new setting on a 2-core laptop CPU. Each timed setting is
trained once (the trainer remembers it afterwards), so these are single measurements.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
N_TRAIN, N_VAL, EPOCHS = 500, 300, 5


def run() -> list[tuple[str, float, str]]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import matplotlib.pyplot as plt

    from helpers import course, data, hygiene, widgets
    from helpers import hyperparameters as hp
    from helpers.data import locations
    from helpers.timing import median_ms

    plt.style.use(course.STYLE_FILE)
    shared = locations.shared_dataset(locations.PNEUMONIA_TRAINVAL)
    if shared is not None:
        dataset, where = data.load_dataset(str(shared)), "PneumoniaMNIST"
    else:
        dataset, where = data.make_synthetic_chest(), "synthetic"
    train = hygiene.sample_stratified(dataset.split("train"), N_TRAIN, seed=0)
    val = hygiene.sample_stratified(dataset.split("val"), N_VAL, seed=0)
    trainer = hp.LiveTrainer(train, val, epochs=EPOCHS, seed=0)

    grid = widgets.control_grid(hp.TRAINING_CONTROLS)
    rows = [(f"plan all {len(grid)} widget settings (no training)",
             median_ms(lambda: [trainer.plan(**s) for s in grid]), "ms")]
    settings = [(3e-3, 0.0, 32), (3e-3, 0.5, 32), (1e-2, 0.0, 16), (1e-2, 0.0, 128), (1.0, 0.0, 32)]
    cpu_start = time.process_time()
    for lr, p, batch in settings:
        trainer.history(lr, p, batch)
        seconds = trainer.seconds[(lr, p, batch, EPOCHS)]
        rows.append((f"widget setting ({where}, {N_TRAIN} images, {EPOCHS} epochs): "
                     f"lr {lr:g}, dropout {p:g}, batch {batch}", seconds, "s"))
    rows.append((f"CPU time of those {len(settings)} settings (all threads)",
                 time.process_time() - cpu_start, "s"))
    start = time.perf_counter()
    trainer.history(*settings[0])
    rows.append(("a remembered setting", 1000 * (time.perf_counter() - start), "ms"))

    def draw() -> None:
        fig = hp.update_training_widget(trainer)(*settings[0])
        fig.canvas.draw()
        plt.close(fig)

    rows += [
        ("widget redraw of a remembered setting (figure drawn)", median_ms(draw), "ms"),
        ("visit-count map 512×512, 5×5 'same'",
         median_ms(lambda: hp.count_visits((512, 512), 5, padding="same")), "ms"),
        ("receptive field measured with Keras, Figure-3 stack",
         median_ms(lambda: hp.measure_receptive_field(hp.FIGURE3_STACK), repeats=3), "ms"),
    ]
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<90} {value:9.2f} {unit}")
