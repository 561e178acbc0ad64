"""Fixtures of the helpers.evaluation tests."""

import pytest
from evaluation_cases import make_noisy_scores


@pytest.fixture
def noisy_scores():
    """400 labels and imperfect probabilities (see evaluation_cases.make_noisy_scores)."""
    return make_noisy_scores()
