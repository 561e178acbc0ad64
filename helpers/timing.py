"""Wall-time (or CPU-time) measurement: the one timer of the lessons and of ``benchmarks/``.

    seconds = timing.time_call(lambda: correlate2d_fast(image, kernel), repeats=3)   # best of 3
    ms = timing.median_ms(update_widget, repeats=7)                                  # benchmarks

Used by :func:`helpers.convolution.compare_speed` (lesson 02: loops vs NumPy vs Keras) and by
every ``benchmarks/bench_*.py``. Machines are noisy: compare ratios measured in one run, not
absolute numbers across runs or machines.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from helpers import validate

#: How the repeated measurements are summarised: the fastest run (least disturbed by other
#: jobs), or the median run (what a user typically waits).
STATISTICS = ("best", "median")


def time_call(
    action: Callable[[], object],
    *,
    repeats: int = 3,
    warmup: int = 0,
    statistic: str = "best",
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Seconds taken by one call of ``action()``: the best or the median of ``repeats`` calls.

    action: a function without arguments (wrap others: ``lambda: f(x, y)``); its result is
    thrown away. ``warmup`` calls run first and are not timed (imports, caches, first calls).
    ``clock=time.process_time`` measures this process's CPU time instead of wall time, which
    other jobs on a shared machine disturb less. Returns seconds (float ≥ 0).
    """
    if not callable(action):
        raise TypeError(f"action must be a function without arguments, got {type(action).__name__}: "
                        "wrap a call in a lambda, e.g. lambda: f(x)")
    repeats = validate.whole_number(repeats, "repeats")
    warmup = validate.whole_number(warmup, "warmup", minimum=0)
    validate.one_of(statistic, STATISTICS, "statistic")
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeats):
        start = clock()
        action()
        times.append(clock() - start)
    return min(times) if statistic == "best" else statistics.median(times)


def median_ms(action: Callable[[], object], repeats: int = 7,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Median time of ``action()`` in milliseconds over ``repeats`` runs, after one warm-up
    call: :func:`time_call` as the benchmarks report it."""
    return 1000.0 * time_call(action, repeats=repeats, warmup=1, statistic="median", clock=clock)
