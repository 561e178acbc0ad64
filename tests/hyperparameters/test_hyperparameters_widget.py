"""helpers.hyperparameters.widget (notebook 05): every setting of the live-training widget is
checked without training (the whole grid), each control value draws (with made-up curves), and
training itself runs for a small covering set of settings on tiny synthetic data."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import hyperparameters as hp
from helpers import widgets
from helpers.data import make_synthetic_chest

CONTROLS = hp.TRAINING_CONTROLS
GRID = widgets.control_grid(CONTROLS)
N_TRAIN, EPOCHS = 500, 5


@pytest.fixture(scope="module")
def trainer():
    data = make_synthetic_chest(n_train=48, n_val=24, n_test=0, seed=1)
    return hp.LiveTrainer(data.split("train"), data.split("val"), epochs=1, seed=0)


def _fake_history(epochs: int, lr: float) -> dict:
    """Curves of the right shape, without training: a loss that falls (or not, for large rates)."""
    t = np.arange(1, epochs + 1)
    loss = 0.6 * np.exp(-t * min(lr * 100, 1.0)) + 0.1
    return {"loss": loss.tolist(), "val_loss": (loss + 0.05).tolist(),
            "auc": (1 - loss).tolist(), "val_auc": (0.95 - loss).tolist()}


def test_every_setting_is_planned_without_training():
    """The whole grid of the widget, through its pure part."""
    for settings in GRID:
        plan = hp.plan_training_demo(**settings, n_train=N_TRAIN, epochs=EPOCHS)
        steps = math.ceil(N_TRAIN / settings["batch_size"])
        assert (plan.steps_per_epoch, plan.updates) == (steps, steps * EPOCHS)
        assert f"{steps} updates per epoch" in plan.note
        assert f"batch {settings['batch_size']}" in plan.note


@pytest.mark.parametrize("settings, message", [
    ({"learning_rate": 0.0, "dropout": 0.0, "batch_size": 32}, "positive"),
    ({"learning_rate": 1e-3, "dropout": 1.0, "batch_size": 32}, r"\[0, 1\)"),
    ({"learning_rate": 1e-3, "dropout": 0.0, "batch_size": 600}, "at most the number of training"),
    ({"learning_rate": 1e-3, "dropout": 0.0, "batch_size": 32.0}, "whole number"),
])
def test_impossible_settings_say_what_to_change(settings, message):
    with pytest.raises(ValueError, match=message):
        hp.plan_training_demo(**settings, n_train=N_TRAIN, epochs=EPOCHS)
    shown = widgets.render(lambda **s: hp.plan_training_demo(**s, n_train=N_TRAIN, epochs=EPOCHS),
                           **settings)
    assert isinstance(shown, str) and shown.startswith("⚠️")


def test_every_control_value_draws():
    chosen = widgets.covering_settings(CONTROLS, lambda settings: True)
    assert len(chosen) < len(GRID) // 4  # one figure per value, not per grid point
    for settings in chosen:
        plan = hp.plan_training_demo(**settings, n_train=N_TRAIN, epochs=EPOCHS)
        fig = hp.draw_training_demo(_fake_history(EPOCHS, settings["learning_rate"]), plan,
                                    baseline=0.57)
        assert isinstance(fig, Figure)
        assert fig._suptitle.get_text() == plan.note
        plt.close(fig)


@pytest.mark.slow
def test_trainer_trains_once_per_setting(trainer):
    """A covering set of two settings, trained for one epoch on 48 images."""
    for settings in ({"learning_rate": 3e-3, "dropout": 0.0, "batch_size": 32},
                     {"learning_rate": 1.0, "dropout": 0.75, "batch_size": 16}):
        if settings["learning_rate"] == 1.0:
            assert not trainer.is_cached(**settings)
        history = trainer.history(**settings)
        assert set(history) >= {"loss", "val_loss", "auc", "val_auc"}
        assert len(history["loss"]) == 1 and np.isfinite(history["val_loss"][0])
        assert trainer.is_cached(**settings)
        assert trainer.history(**settings) is history  # remembered, not trained again
    assert len(trainer.seconds) >= 1
    assert 0.3 < trainer.baseline_loss < 0.9


def test_widget_offers_the_controls_and_draws(trainer):
    trainer.remember(_fake_history(1, 3e-3), learning_rate=3e-3, dropout=0.0, batch_size=32)
    assert trainer.is_cached(learning_rate=3e-3, dropout=0.0, batch_size=32)
    box = hp.make_training_widget(trainer)  # draws the default setting, remembered: no training
    controls = box.children[0].children
    assert len(controls) == len(CONTROLS)
    for control, (name, values) in zip(controls, CONTROLS.items(), strict=True):
        offered = tuple(v[1] if isinstance(v, tuple) else v for v in control.options)
        assert offered == values, name
    figure = hp.update_training_widget(trainer)(learning_rate=3e-3, dropout=0.0, batch_size=32)
    assert isinstance(figure, Figure)


def test_the_widget_says_it_trains_a_new_setting_only():
    """A setting not trained yet gets a note with its number of weight updates; a remembered one
    (redrawn at once) and an impossible one (its own message says what to change) get none."""
    data = make_synthetic_chest(n_train=48, n_val=24, n_test=0, seed=1)
    trainer = hp.LiveTrainer(data.split("train"), data.split("val"), epochs=2, seed=0)
    note = hp.widget.training_note(trainer)
    text = note(learning_rate=1e-2, dropout=0.25, batch_size=16)
    assert "6 weight updates (2 epochs)" in text  # ⌈48 / 16⌉ = 3 per epoch
    trainer.remember(_fake_history(2, 1e-2), learning_rate=1e-2, dropout=0.25, batch_size=16)
    assert note(learning_rate=1e-2, dropout=0.25, batch_size=16) is None
    with pytest.raises(ValueError, match="positive"):
        note(learning_rate=0.0, dropout=0.0, batch_size=16)
    assert widgets._pending_note(note, {"learning_rate": 0.0, "dropout": 0.0,
                                        "batch_size": 16}) is None


def test_build_small_cnn_has_dropout_only_when_asked():
    kinds = [type(layer).__name__ for layer in hp.build_small_cnn(dropout=0.5).layers]
    assert "Dropout" in kinds
    assert "Dropout" not in [type(layer).__name__ for layer in hp.build_small_cnn().layers]
