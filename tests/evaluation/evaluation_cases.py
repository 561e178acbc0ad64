"""Small cases shared by the tests of helpers.evaluation."""

import numpy as np

# 4 negatives, 6 positives; at threshold 0.5: TN 3, FP 1, FN 2, TP 4
Y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
S = np.array([0.1, 0.3, 0.45, 0.6, 0.2, 0.4, 0.55, 0.7, 0.8, 0.9])


def make_noisy_scores(n: int = 400, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Labels (n,) with about 70 % positives and sigmoid scores that separate them imperfectly."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.7).astype(int)
    s = 1 / (1 + np.exp(-(2.0 * y - 1.0 + rng.normal(0, 1.2, y.size))))
    return y, s
