"""The widget of lesson 08 (``notebooks/08_transfer_learning.ipynb``): the fine-tuning explorer.

Choose a network and how many of its feature stages are frozen; the figure shows, stage by
stage, how many weights training may still change. :data:`DEMO_CONTROLS` lists every value of
every control (the widget's controls and the tests' grid); :func:`compute_freezing_demo` is the
pure part, :func:`plot_freezing_demo` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from helpers import viz
from helpers.transfer.figures import plot_stage_weights
from helpers.transfer.ops import (
    HEAD,
    MODEL_OPTIONS,
    count_stages,
    count_trainable,
    feature_stages,
    freeze_stages,
)

#: The networks of the widget: value → label shown in its drop-down.
DEMO_NETWORKS = {
    "course_cnn": "course CNN (28×28 grey, as trained in this notebook)",
    "mobilenet_v2": "MobileNetV2 α=0.35 (96×96 RGB, the ImageNet backbone)",
}

#: Every value each control can take (the tests walk through the whole grid).
DEMO_CONTROLS: dict[str, tuple] = {
    "network": tuple(DEMO_NETWORKS),
    "frozen_stages": tuple(range(6)),
}

#: The slider's description (what a learner, or a browser test, looks for).
FROZEN_SLIDER_DESCRIPTION = "frozen stages"


@cache
def build_demo_network(network: str):
    """The untrained network behind a :data:`DEMO_NETWORKS` value (built once; random weights,
    nothing is downloaded)."""
    from helpers import course

    course.import_tensorflow_quietly()
    if network == "course_cnn":
        from helpers import models

        return models.build_improved_cnn((28, 28, 1), 2, seed=0, **MODEL_OPTIONS)
    if network == "mobilenet_v2":
        from helpers.transfer.imagenet import build_backbone, build_backbone_classifier

        return build_backbone_classifier(build_backbone(96, weights=None))
    raise ValueError(f"unknown network {network!r}; choose from {', '.join(DEMO_NETWORKS)}")


@dataclass(frozen=True)
class FreezingDemo:
    """What the widget shows for one setting (computed, not drawn)."""

    stages: tuple[str, ...]  #: "stage 1 (28×28)", ..., "head"
    totals: tuple[int, ...]  #: weights per stage
    trainable: tuple[int, ...]  #: of which training changes
    title: str
    note: str  #: trainable weights in total and their share


def _size_label(layers) -> str:
    side = layers[0].output.shape[1]
    return f" ({side}×{side})"


def compute_freezing_demo(network: str = "course_cnn", frozen_stages: int = 0) -> FreezingDemo:
    """Weights per stage of ``network`` with its first ``frozen_stages`` stages frozen.

    ``ValueError`` (a message for the learner) when the network has fewer stages.
    """
    model = build_demo_network(network)
    n_stages = count_stages(model)
    if isinstance(frozen_stages, int) and frozen_stages > n_stages:
        raise ValueError(f"the {DEMO_NETWORKS[network].split(' (')[0]} has {n_stages} feature "
                         f"stages: choose 0 to {n_stages} frozen stages")
    freeze_stages(model, frozen_stages)
    stages = feature_stages(model)
    names, totals, trainable = [], [], []
    for name, layers in stages.items():
        names.append(name + ("" if name == HEAD else _size_label(layers)))
        totals.append(sum(layer.count_params() for layer in layers))
        trainable.append(sum(count_trainable(layer) for layer in layers))
    total, train = sum(totals), count_trainable(model)
    if frozen_stages == 0:
        what = "nothing frozen: every layer is fine-tuned"
    elif frozen_stages == n_stages:
        what = "every feature stage frozen: only the head learns (feature extraction)"
    else:
        what = f"the first {frozen_stages} of {n_stages} stages frozen"
    note = f"trainable: {train:,} of {total:,} weights ({100 * train / total:.1f} %)"
    return FreezingDemo(tuple(names), tuple(totals), tuple(trainable),
                        f"{DEMO_NETWORKS[network].split(' (')[0]}: {what}", note)


def plot_freezing_demo(demo: FreezingDemo) -> Figure:
    """Draw a :class:`FreezingDemo` in a new figure, the totals as its title."""
    import matplotlib.pyplot as plt

    # a fixed layout and ticks at the decades only: the course's constrained layout and the log
    # axis' many minor ticks would cost most of every redraw
    fig, ax = plt.subplots(figsize=(7.6, 1.6 + 0.42 * len(demo.stages)), layout="none")
    viz.set_margins(fig, left=1.45, right=0.228, bottom=0.85, top=0.65)
    plot_stage_weights(demo.stages, demo.totals, demo.trainable, ax=ax, title=demo.title)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), bbox_transform=fig.transFigure,
              ncols=2, fontsize=8)  # below the axis, off the bars and their numbers
    fig.suptitle(demo.note, fontsize=10)
    return fig


def draw_freezing_demo(network: str = "course_cnn", frozen_stages: int = 0) -> Figure:
    """The widget's update function. network: a key of :data:`DEMO_NETWORKS`; frozen_stages:
    0 (fine-tune everything) up to the network's number of stages (only the head learns)."""
    return plot_freezing_demo(compute_freezing_demo(network, frozen_stages))


def make_transfer_widget():
    """Controls for :func:`draw_freezing_demo`: the network and the number of frozen stages.
    Every network is built here, once, so that choosing another one redraws at once."""
    import ipywidgets as ipw

    from helpers import widgets

    for network in DEMO_NETWORKS:
        build_demo_network(network)
    style = {"description_width": "initial"}
    values = DEMO_CONTROLS["frozen_stages"]
    return widgets.interactive_figure(
        draw_freezing_demo,
        network=ipw.Dropdown(options=[(DEMO_NETWORKS[key], key) for key in DEMO_CONTROLS["network"]],
                             value="course_cnn", description="network", style=style,
                             layout=ipw.Layout(width="32em")),
        frozen_stages=ipw.IntSlider(value=0, min=min(values), max=max(values),
                                    description=FROZEN_SLIDER_DESCRIPTION,
                                    continuous_update=False, style=style),
    )
