"""The timeline of ``notebooks/01_history.ipynb``: from receptive fields (1959) to convolutional
networks in medical imaging, as data (:data:`MILESTONES`) and as a figure (:func:`plot_timeline`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes


@dataclass(frozen=True)
class Milestone:
    """One event of the timeline; ``in_entry`` is True when the course's source entry names it."""

    year: int
    label: str
    kind: str
    reference: str
    in_entry: bool = False


KIND_COLOURS = {
    "neuroscience": "#009E73",
    "networks": "#0072B2",
    "data": "#E69F00",
    "medical imaging": "#D55E00",
}

MILESTONES: tuple[Milestone, ...] = (
    Milestone(1959, "Hubel & Wiesel: orientation-selective cells in cat striate cortex",
              "neuroscience", "J Physiol 148:574–591", True),
    Milestone(1962, "Hubel & Wiesel: simple and complex cells, a hierarchy",
              "neuroscience", "J Physiol 160:106–154"),
    Milestone(1980, "Fukushima: Neocognitron (S-cells and C-cells)",
              "networks", "Biol Cybern 36:193–202", True),
    Milestone(1986, "Rumelhart, Hinton & Williams: backpropagation",
              "networks", "Nature 323:533–536"),
    Milestone(1989, "LeCun et al.: convolution weights learned by backpropagation",
              "networks", "Neural Comput 1:541–551"),
    Milestone(1995, "Lo et al.: a CNN for lung nodules on chest radiographs",
              "medical imaging", "IEEE Trans Med Imaging 14:711–718"),
    Milestone(1998, "LeCun et al.: LeNet-5 reads handwritten digits",
              "networks", "Proc IEEE 86:2278–2324"),
    Milestone(2009, "ImageNet; the entry counts 14,197,122 images in 21,841 categories",
              "data", "Deng et al., CVPR 2009; counts from the entry, §3.3", True),
    Milestone(2012, "AlexNet wins the ImageNet challenge: top-5 error 15.3 % (next 26.2 %)",
              "networks", "Krizhevsky et al., NIPS 2012"),
    Milestone(2015, "U-Net segments biomedical images",
              "medical imaging", "Ronneberger et al., MICCAI 2015"),
    Milestone(2015, "ResNet: very deep networks train",
              "networks", "He et al., CVPR 2016 (arXiv 2015)"),
    Milestone(2016, "Diabetic retinopathy on fundus photographs",
              "medical imaging", "Gulshan et al., JAMA 316:2402–2410"),
    Milestone(2017, "Skin cancer classified at dermatologist level",
              "medical imaging", "Esteva et al., Nature 542:115–118"),
    Milestone(2017, "Retinopathy and other eye diseases, multiethnic cohorts",
              "medical imaging", "Ting et al., JAMA 318:2211–2223", True),
    Milestone(2017, "Breast cancer on histopathology slides",
              "medical imaging", "IEEE Healthcom 2017 (as cited by the entry)", True),
    Milestone(2019, "Alzheimer's disease from brain MRI",
              "medical imaging", "Jain et al., Cogn Syst Res 57:147–159", True),
    Milestone(2020, "Inflammatory skin disease; corneal disease on slit-lamp photos",
              "medical imaging", "Wu et al., Ann Transl Med 2020; Gu et al., Sci Rep 10:17851",
              True),
    Milestone(2021, "COVID-19 detected on chest X-ray and CT",
              "medical imaging", "the entry, §3", True),
)


def plot_timeline(milestones: Sequence[Milestone] = MILESTONES, *, ax: Axes | None = None) -> Axes:
    """A vertical, to-scale time axis (left) with one evenly spaced label per milestone (right),
    joined by thin lines and coloured by kind. Filled dots: named by the source entry."""
    milestones = sorted(milestones, key=lambda m: m.year)
    if not milestones:
        raise ValueError("give at least one milestone")
    unknown = {m.kind for m in milestones} - set(KIND_COLOURS)
    if unknown:
        raise ValueError(f"unknown kind(s) {sorted(unknown)}; use one of {list(KIND_COLOURS)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(10.0, 0.42 * len(milestones) + 1.0), layout="constrained")
    first, last = milestones[0].year - 2, milestones[-1].year + 2
    slots = np.linspace(first, last, len(milestones))
    ax.plot([0, 0], [first, last], color="black", lw=1.2)
    for decade in range(10 * math.ceil(first / 10), last + 1, 10):
        ax.plot([-0.04, 0.0], [decade, decade], color="black", lw=1)
        ax.text(-0.06, decade, str(decade), ha="right", va="center", fontsize=9)
    for milestone, slot in zip(milestones, slots, strict=True):
        colour = KIND_COLOURS[milestone.kind]
        ax.plot([0, 0.1, 0.25, 0.35], [milestone.year, milestone.year, slot, slot], color=colour,
                lw=0.8)
        ax.plot(0, milestone.year, "o", ms=6, color=colour,
                mfc=colour if milestone.in_entry else "white")
        ax.text(0.38, slot, f"{milestone.year}  {milestone.label}", va="center", fontsize=9)
        ax.text(3.75, slot, milestone.reference, va="center", fontsize=7.5, color="0.35")
    for kind, colour in KIND_COLOURS.items():
        ax.plot([], [], "o", color=colour, label=kind)
    ax.plot([], [], "o", color="0.3", mfc="white", label="not in the entry")
    ax.set_xlim(-0.5, 6.0)
    ax.set_ylim(last + 1, first - 1)
    ax.set_axis_off()
    ax.legend(loc="lower left", fontsize=8, ncols=5, bbox_to_anchor=(0.0, -0.06))
    ax.set_title("From receptive fields to medical imaging")
    return ax
