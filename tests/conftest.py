"""Fixtures shared by every test module under tests/."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True)
def close_figures():
    """Close the Matplotlib figures a test opened, so that they do not pile up over a run;
    a test that never imported pyplot pays nothing."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
