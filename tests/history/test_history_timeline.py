"""helpers.history.timeline: the milestones and their figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from helpers import history  # noqa: E402


def test_timeline_is_in_order_and_holds_the_entry_facts():
    years = [m.year for m in history.MILESTONES]
    assert years == sorted(years) and years[0] == 1959
    labels = " ".join(m.label for m in history.MILESTONES)
    assert "14,197,122" in labels and "21,841" in labels
    assert {m.kind for m in history.MILESTONES} <= set(history.KIND_COLOURS)
    assert isinstance(history.plot_timeline(), Axes)
    with pytest.raises(ValueError, match="unknown kind"):
        history.plot_timeline([history.Milestone(2000, "x", "astrology", "")])
    plt.close("all")
