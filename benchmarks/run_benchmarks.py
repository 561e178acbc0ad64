"""Benchmarks of the course: notebook run times and the per-lesson figures.

    python benchmarks/run_benchmarks.py                 # everything
    python benchmarks/run_benchmarks.py --notebooks fast # only notebook times, fast mode
    python benchmarks/run_benchmarks.py --no-notebooks   # only the lesson benchmarks
    python benchmarks/run_benchmarks.py --no-lessons --notebooks full --only 04,05
                                                        # some notebooks, by number

Notebook times: every notebooks/NN_*.ipynb is executed top to bottom in a fresh kernel, in fast
mode and in full mode, and the wall time of each and the total are printed.
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


def time_notebook(path: Path, fast: bool, timeout: int = 3600) -> float:
    """Execute one notebook in a fresh kernel from its folder; return the wall time in seconds."""
    import nbformat
    from nbclient import NotebookClient

    from helpers.data import locations

    os.environ["CNN_COURSE_FAST"] = "1" if fast else "0"
    for name, value in locations.notebook_environment().items():  # the data the checks use
        os.environ.setdefault(name, value)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def bench_notebooks(modes: list[str], only: list[str] | None = None) -> None:
    from helpers import course

    notebooks = [p for p in course.list_notebooks() if only is None or p.name[:2] in only]
    for mode in modes:
        print(f"\nnotebooks, {mode} mode")
        total = 0.0
        for path in notebooks:
            stated = course.parse_lesson_header(path).minutes
            seconds = time_notebook(path, fast=(mode == "fast"))
            total += seconds
            print(f"  {path.name:<40} {seconds:7.1f} s   (header states ~{stated} min)", flush=True)
        print(f"  {'total':<40} {total:7.1f} s  = {total / 60:.1f} min")


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
