"""Live training for lesson 05 (``notebooks/05_hyperparameters.ipynb``): a small CNN trained with
the course's one recipe (:func:`helpers.training.fit_binary`) for a chosen learning rate,
dropout rate and batch size, with its curves redrawn.

- :data:`TRAINING_CONTROLS` lists every value of every control: it builds the widget and the
  tests' grid.
- :func:`plan_training_demo` is the pure part: it checks a setting (``ValueError`` saying what
  to change) and says what the run will do (updates per epoch, in all), without training.
- :class:`LiveTrainer` trains one setting on fixed data and remembers the result, so that every
  setting is trained once; the notebook's learning-rate and dropout experiments use it too.
- :func:`draw_training_demo` draws a run's curves; :func:`make_training_widget` wires it up.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from matplotlib.figure import Figure

from helpers import validate, viz
from helpers.hyperparameters.ops import _check_rate

#: Every value each control of the widget can take (the tests walk through the whole grid).
TRAINING_CONTROLS: dict[str, tuple] = {
    "learning_rate": (1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 1e-1, 1.0),
    "dropout": (0.0, 0.25, 0.5, 0.75),
    "batch_size": (16, 32, 64, 128),
}

#: The small CNN of the lesson: helpers.models.build_improved_cnn with every extra switched off
#: (two 3×3 convolutions with 8 and 16 kernels, one 2×2 max-pooling, flatten, dropout, output).
SMALL_CNN = {"augment": False, "batch_norm": False, "standardize": False, "smooth": False,
             "global_pooling": False, "widths": (8, 16), "convs_per_block": 1}


def build_small_cnn(input_shape=(28, 28, 1), dropout: float = 0.0, seed: int = 0):
    """The lesson's small CNN (:data:`SMALL_CNN`) with a dropout layer of rate ``dropout``
    before the output (none for 0); seeded so that the same seed gives the same start."""
    from helpers import course, models

    course.seed_everything(seed)
    return models.build_improved_cnn(tuple(input_shape), 2, dropout=_check_rate(dropout),
                                     seed=seed, **SMALL_CNN)


@dataclass(frozen=True)
class TrainingPlan:
    """What one setting of the widget will do (computed without training)."""

    learning_rate: float
    dropout: float
    batch_size: int
    epochs: int
    steps_per_epoch: int  #: weight updates per epoch, ⌈n_train / batch_size⌉
    updates: int          #: weight updates in all
    note: str             #: one line for the figure's title


def plan_training_demo(learning_rate: float, dropout: float, batch_size: int, *, n_train: int,
                       epochs: int) -> TrainingPlan:
    """Check one setting and describe the run, without training.

    ``ValueError`` (saying what to change) for a learning rate that is not positive, a dropout
    rate outside [0, 1), or a batch size that is not a whole number from 1 to ``n_train``.
    """
    lr = validate.positive_number(learning_rate, "the learning rate")
    rate = _check_rate(dropout)
    n_train = validate.whole_number(n_train, "n_train", minimum=2)
    batch = validate.whole_number(batch_size, "the batch size", maximum=n_train,
                                  hint="(at most the number of training images)")
    epochs = validate.whole_number(epochs, "epochs")
    steps = math.ceil(n_train / batch)
    note = (f"learning rate {lr:g}, dropout {rate:g}, batch {batch}: {steps} updates per "
            f"epoch, {steps * epochs} in {epochs} epoch{'s' if epochs > 1 else ''}")
    return TrainingPlan(lr, rate, batch, epochs, steps, steps * epochs, note)


@dataclass
class LiveTrainer:
    """Trains the small CNN on fixed data, one setting at a time, and remembers each result.

    train, val: :class:`helpers.data.Split` (uint8 images (N, H, W, C), labels in {0, 1});
    ``epochs``: the default number of epochs of a run. ``seconds`` holds the wall time of
    every run actually trained (not of the remembered ones).
    """

    train: object
    val: object
    epochs: int
    seed: int = 0
    seconds: dict = field(default_factory=dict)
    _results: dict = field(default_factory=dict, repr=False)

    @property
    def baseline_loss(self) -> float:
        """The validation loss of a constant prediction (the training share of class 1)."""
        p = float(self.train.labels.mean())
        labels = self.val.labels
        eps = 1e-7
        p = min(max(p, eps), 1 - eps)
        mean = float(labels.mean())
        return -(mean * math.log(p) + (1 - mean) * math.log(1 - p))

    def plan(self, learning_rate: float, dropout: float, batch_size: int,
             epochs: int | None = None) -> TrainingPlan:
        """:func:`plan_training_demo` for this trainer's data."""
        return plan_training_demo(learning_rate, dropout, batch_size, n_train=len(self.train),
                                  epochs=self.epochs if epochs is None else epochs)

    def history(self, learning_rate: float, dropout: float, batch_size: int,
                epochs: int | None = None) -> dict[str, list[float]]:
        """The history of :func:`helpers.training.fit_binary` for this setting (trained on the
        first call, remembered after)."""
        from helpers import training

        plan = self.plan(learning_rate, dropout, batch_size, epochs)
        key = (plan.learning_rate, plan.dropout, plan.batch_size, plan.epochs)
        if key not in self._results:
            model = build_small_cnn(self.train.images.shape[1:], plan.dropout, self.seed)
            start = time.perf_counter()
            self._results[key] = training.fit_binary(
                model, self.train, self.val, epochs=plan.epochs, batch_size=plan.batch_size,
                learning_rate=plan.learning_rate, seed=self.seed)
            self.seconds[key] = time.perf_counter() - start
        return self._results[key]

    def remember(self, history: dict, learning_rate: float, dropout: float, batch_size: int,
                 epochs: int | None = None) -> None:
        """Store a history trained elsewhere (e.g. read from a file) for this setting."""
        plan = self.plan(learning_rate, dropout, batch_size, epochs)
        self._results[(plan.learning_rate, plan.dropout, plan.batch_size, plan.epochs)] = history

    def is_cached(self, learning_rate: float, dropout: float, batch_size: int,
                  epochs: int | None = None) -> bool:
        """True when this setting has been trained already."""
        plan = self.plan(learning_rate, dropout, batch_size, epochs)
        return (plan.learning_rate, plan.dropout, plan.batch_size, plan.epochs) in self._results


def draw_training_demo(history, plan: TrainingPlan, *, baseline: float | None = None) -> Figure:
    """The loss and AUC curves of one run (training and validation), titled with the plan.

    history: ``{"loss": [...], "val_loss": [...], "auc": [...], "val_auc": [...]}``;
    ``baseline``: the loss of a constant prediction, drawn as a dashed line."""
    import matplotlib.pyplot as plt

    # a fixed layout: the course's constrained one cost half of every redraw
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 3.4), layout="none")
    viz.set_margins(fig, left=0.8, right=0.15, bottom=0.5, top=0.62, wspace=0.25)
    viz.plot_training_curves(history, ("loss", "auc"), ax=axes)
    if baseline is not None:
        axes[0].axhline(baseline, color="0.4", linestyle="--", linewidth=1,
                        label="constant prediction")
        axes[0].legend(fontsize=8)
    axes[1].set_ylim(0.0, 1.0)
    axes[1].axhline(0.5, color="0.4", linestyle=":", linewidth=1)
    fig.suptitle(plan.note, fontsize=10)
    return fig


def update_training_widget(trainer: LiveTrainer):
    """The widget's update: (learning_rate, dropout, batch_size) → figure, training the
    setting unless the trainer remembers it."""

    def update(learning_rate: float, dropout: float, batch_size: int) -> Figure:
        plan = trainer.plan(learning_rate, dropout, batch_size)
        history = trainer.history(learning_rate, dropout, batch_size)
        return draw_training_demo(history, plan, baseline=trainer.baseline_loss)

    return update


def training_note(trainer: LiveTrainer):
    """The note the widget shows while it trains a new setting (None for a remembered one)."""

    def note(learning_rate: float, dropout: float, batch_size: int) -> str | None:
        if trainer.is_cached(learning_rate, dropout, batch_size):
            return None
        plan = trainer.plan(learning_rate, dropout, batch_size)
        return (f"training the small CNN with this setting: {plan.updates} weight updates "
                f"({plan.epochs} epoch{'s' if plan.epochs > 1 else ''}); every setting is "
                "trained once and remembered")

    return note


def make_training_widget(trainer: LiveTrainer, *, learning_rate: float = 3e-3,
                         dropout: float = 0.0, batch_size: int = 32):
    """Sliders for the learning rate, dropout rate and batch size (values of
    :data:`TRAINING_CONTROLS`) above the curves of :func:`draw_training_demo`."""
    import ipywidgets as ipw

    from helpers import widgets

    style = {"description_width": "initial"}
    controls = TRAINING_CONTROLS
    return widgets.interactive_figure(
        update_training_widget(trainer), pending=training_note(trainer),
        learning_rate=ipw.SelectionSlider(
            options=[(f"{v:g}", v) for v in controls["learning_rate"]], value=learning_rate,
            description="learning rate", continuous_update=False, style=style),
        dropout=ipw.SelectionSlider(options=[(f"{v:g}", v) for v in controls["dropout"]],
                                    value=dropout, description="dropout",
                                    continuous_update=False, style=style),
        batch_size=ipw.SelectionSlider(options=list(controls["batch_size"]), value=batch_size,
                                       description="batch size", continuous_update=False,
                                       style=style),
    )
