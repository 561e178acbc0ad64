"""helpers.transfer.widget (notebook 08): every setting of the fine-tuning explorer gives a
picture or a clear message (the whole grid, without drawing), and each control value draws."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from helpers import transfer, widgets

CONTROLS = transfer.DEMO_CONTROLS
STAGES = {"course_cnn": 3, "mobilenet_v2": 5}


def test_every_setting_gives_counts_or_a_clear_message():
    for settings in widgets.control_grid(CONTROLS):
        n_stages, frozen = STAGES[settings["network"]], settings["frozen_stages"]
        if frozen > n_stages:
            with pytest.raises(ValueError, match=f"choose 0 to {n_stages} frozen stages"):
                transfer.compute_freezing_demo(**settings)
            continue
        demo = transfer.compute_freezing_demo(**settings)
        assert len(demo.stages) == n_stages + 1 and demo.stages[-1] == transfer.HEAD
        assert all(t == 0 for t in demo.trainable[:frozen])  # frozen stages train nothing
        assert all(0 < t <= n for t, n in zip(demo.trainable[frozen:], demo.totals[frozen:],
                                              strict=True))
        assert f"trainable: {sum(demo.trainable):,} of {sum(demo.totals):,}" in demo.note
        assert ("only the head learns" in demo.title) == (frozen == n_stages)


def test_course_cnn_counts_match_the_model():
    demo = transfer.compute_freezing_demo("course_cnn", 2)
    assert demo.stages[:3] == ("stage 1 (28×28)", "stage 2 (14×14)", "stage 3 (7×7)")
    assert demo.totals == (208, 4736, 18688, 65) and demo.trainable == (0, 0, 18560, 65)


def test_every_control_value_draws():
    chosen = widgets.covering_settings(
        CONTROLS, lambda s: s["frozen_stages"] <= STAGES[s["network"]])
    for settings in chosen:
        result = widgets.render(transfer.draw_freezing_demo, **settings)
        assert isinstance(result, Figure), (settings, result)
        assert result._suptitle.get_text() == transfer.compute_freezing_demo(**settings).note
        assert min(widgets.canvas_margins(result).values()) > -0.02, settings  # nothing cut off
        plt.close(result)
    message = widgets.render(transfer.draw_freezing_demo, network="course_cnn", frozen_stages=5)
    assert message.startswith("⚠️") and "choose 0 to 3" in message


def test_widget_offers_the_demo_controls():
    box = transfer.make_transfer_widget()
    network, slider = box.children[0].children
    assert tuple(value for _, value in network.options) == CONTROLS["network"]
    assert tuple(range(slider.min, slider.max + 1)) == CONTROLS["frozen_stages"]
    assert slider.description == transfer.FROZEN_SLIDER_DESCRIPTION == "frozen stages"
