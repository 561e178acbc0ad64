"""helpers.timing: the one timer of the lessons and the benchmarks (best or median, warm-up,
wall or CPU clock), checked with a fake clock so that the test is exact and instant."""

import time

import pytest

from helpers import timing


class FakeClock:
    """A clock that advances by the next duration each time an action runs."""

    def __init__(self, durations):
        self.durations, self.now, self.calls = list(durations), 0.0, 0

    def __call__(self) -> float:
        return self.now

    def action(self) -> None:
        self.calls += 1
        self.now += self.durations.pop(0)


def test_best_is_the_fastest_run_and_warmup_is_not_timed():
    clock = FakeClock([100.0, 0.3, 0.1, 0.2])
    seconds = timing.time_call(clock.action, repeats=3, warmup=1, clock=clock)
    assert seconds == pytest.approx(0.1) and clock.calls == 4


def test_median_is_the_middle_run():
    clock = FakeClock([0.5, 0.1, 0.9, 0.2, 0.3])
    assert timing.time_call(clock.action, repeats=5, statistic="median", clock=clock) == pytest.approx(0.3)


def test_median_ms_warms_up_once_and_reports_milliseconds():
    clock = FakeClock([9.0, 0.004, 0.002, 0.003])
    assert timing.median_ms(clock.action, repeats=3, clock=clock) == pytest.approx(3.0)
    assert clock.calls == 4


def test_real_clocks_measure_something():
    assert timing.time_call(lambda: sum(range(1000))) >= 0.0
    assert timing.median_ms(lambda: time.sleep(0.001), repeats=1) >= 1.0


def test_bad_arguments_say_what_to_change():
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        timing.time_call(lambda: None, repeats=0)
    with pytest.raises(ValueError, match="statistic must be one of 'best', 'median'"):
        timing.time_call(lambda: None, statistic="mean")
    with pytest.raises(TypeError, match="lambda"):
        timing.time_call(42)
