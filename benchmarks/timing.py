"""Timing shared by the lesson benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], repeats: int = 7,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of ``action()`` in ms over ``repeats`` runs, after one warm-up call
    (caches, imports, first calls).

    ``clock=time.process_time`` measures this process's CPU time instead of wall time, which
    other jobs on a shared machine disturb less.
    """
    action()
    times = []
    for _ in range(repeats):
        start = clock()
        action()
        times.append(clock() - start)
    return 1000.0 * statistics.median(times)
