"""Benchmarks of the course: notebook run times and the per-lesson figures.

    python benchmarks/run_benchmarks.py                 # everything
    python benchmarks/run_benchmarks.py --notebooks fast # only notebook times, fast mode
    python benchmarks/run_benchmarks.py --no-notebooks   # only the lesson benchmarks
    python benchmarks/run_benchmarks.py --no-lessons --notebooks full --only 04,05
                                                        # some notebooks, by number

Notebook times: every notebooks/NN_*.ipynb is executed top to bottom in a fresh kernel, in fast
mode and in full mode; the wall time of each, its longest cell and the total are printed, and in
full mode whether the course stays within its limits (no cell over 3 minutes, the whole course within
15 minutes on a 2-core CPU). Full mode trains the course model of notebook 09 unless the data cache
already holds it: point CNN_COURSE_DATA at an empty folder to time a learner's first run.
Lesson benchmarks: every benchmarks/bench_*.py module exposes ``run()`` returning rows
``(name, value, unit)``; they are printed as they come. Machines are noisy: compare ratios
measured in one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


#: the limits the full course is held to on a 2-core CPU: a cell, and the whole course
CELL_LIMIT_S, COURSE_LIMIT_S = 180, 15 * 60


def time_notebook(path: Path, fast: bool, timeout: int = 3600) -> tuple[float, float, int]:
    """Execute one notebook in a fresh kernel from its folder; return (wall time in seconds,
    the longest cell's time, that cell's index)."""
    import nbformat
    from nbclient import NotebookClient

    from helpers.data import locations

    os.environ["CNN_COURSE_FAST"] = "1" if fast else "0"
    for name, value in locations.notebook_environment().items():  # the data the checks use
        os.environ.setdefault(name, value)
    nb = nbformat.read(path, as_version=4)
    cell_times: dict[int, float] = {}

    class TimedClient(NotebookClient):
        async def async_execute_cell(self, cell, cell_index, **kwargs):
            start = time.perf_counter()
            try:
                return await super().async_execute_cell(cell, cell_index, **kwargs)
            finally:
                cell_times[cell_index] = time.perf_counter() - start

    start = time.perf_counter()
    TimedClient(nb, timeout=timeout, kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    longest = max(cell_times, key=cell_times.get)
    return seconds, cell_times[longest], longest


def bench_notebooks(modes: list[str], only: list[str] | None = None) -> None:
    from helpers import course

    notebooks = [p for p in course.list_notebooks() if only is None or p.name[:2] in only]
    for mode in modes:
        print(f"\nnotebooks, {mode} mode (wall time; longest cell)")
        total, slowest = 0.0, 0.0
        for path in notebooks:
            stated = course.parse_lesson_header(path).minutes
            seconds, cell_seconds, cell = time_notebook(path, fast=(mode == "fast"))
            total += seconds
            slowest = max(slowest, cell_seconds)
            print(f"  {path.name:<40} {seconds:7.1f} s   longest cell {cell_seconds:6.1f} s (cell "
                  f"{cell})   (header states ~{stated} min)", flush=True)
        print(f"  {'total':<40} {total:7.1f} s  = {total / 60:.1f} min")
        if mode == "full" and only is None:
            print(f"  limits: course {COURSE_LIMIT_S / 60:.0f} min "
                  f"({'within' if total <= COURSE_LIMIT_S else 'OVER'}), "
                  f"cell {CELL_LIMIT_S / 60:.0f} min "
                  f"({'within' if slowest <= CELL_LIMIT_S else 'OVER'}: longest {slowest:.1f} s)")


def bench_lessons() -> None:
    for module_path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(module_path.stem, module_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n{module_path.stem}")
        for name, value, unit in module.run():
            print(f"  {name:<55} {value:10.3f} {unit}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", choices=["fast", "full", "both"], default="both")
    parser.add_argument("--no-notebooks", action="store_true")
    parser.add_argument("--no-lessons", action="store_true")
    parser.add_argument("--only", help="comma-separated notebook numbers, e.g. 04,05")
    args = parser.parse_args(argv)
    only = args.only.split(",") if args.only else None
    if not args.no_lessons:
        bench_lessons()
    if not args.no_notebooks:
        bench_notebooks(["fast", "full"] if args.notebooks == "both" else [args.notebooks], only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
