"""helpers.transfer.figures: the plots draw what they are given and refuse what they cannot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from helpers.transfer import figures
from helpers.transfer.ops import TransferResult


def test_auc_intervals_one_row_per_strategy():
    results = {name: TransferResult(name, np.zeros(1), auc, (auc - 0.1, auc + 0.05), 1, 1)
               for name, auc in [("from scratch", 0.7), ("fine-tuned", 0.8)]}
    ax = figures.plot_auc_intervals(results)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["from scratch", "fine-tuned"]
    assert ax.get_xlim() == (0, 1)
    with pytest.raises(ValueError, match="empty"):
        figures.plot_auc_intervals({})


def test_stage_weights():
    ax = figures.plot_stage_weights(["stage 1", "head"], [100, 10], [0, 10], title="t")
    assert ax.get_xscale() == "log" and ax.get_title() == "t"
    with pytest.raises(ValueError, match="same, non-zero length"):
        figures.plot_stage_weights(["a"], [1, 2], [1])
