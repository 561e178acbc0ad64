"""Fixtures shared by every test module under tests/."""

from __future__ import annotations

import sys

import pytest

from helpers.data import locations


@pytest.fixture(autouse=True)
def close_figures():
    """Close the Matplotlib figures a test opened, so that they do not pile up over a run;
    a test that never imported pyplot pays nothing."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture(autouse=True, scope="session")
def progress_off():
    """No test records a learner's progress: a checker or a quiz answer that passes in a test
    would otherwise write to the real data folder. The checks run the notebooks the same way
    (``locations.notebook_environment``); tests of the progress file point
    ``CNN_COURSE_PROGRESS`` at a file of their own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(locations.PROGRESS_VARIABLE, locations.PROGRESS_OFF)
        yield
