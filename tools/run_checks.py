"""Run every check of the course and print how long each stage took.

    python tools/run_checks.py                      # what `make test` and CI run
    python tools/run_checks.py --only notebooks     # one or more stages, comma-separated
    python tools/run_checks.py --full               # notebooks in full mode (slow)
    python tools/run_checks.py --quick              # lint + fast unit tests (`make test-quick`)

Stages: lint (ruff), clean (notebooks committed clean), unit (pytest tests/),
browser (JupyterLab + widgets in a real Chromium), notebooks (nbval on every notebook,
in fast mode, keeping each executed notebook in build/executed/), site (the website of the
executed course in build/site/, built from build/executed/ and checked).
The exit code is non-zero when any stage fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the course's helpers, also where they are not installed
from helpers.data import locations  # noqa: E402  (real train/val copies beside the checkout)

# the notebooks stage keeps every notebook it ran here; the site stage builds the site from them
EXECUTED_DIR = ROOT / "build" / "executed"
SITE_DIR = ROOT / "build" / "site"
STAGES = ("lint", "clean", "unit", "browser", "notebooks", "site")
QUICK_STAGES = ("lint", "unit")


@dataclass
class StageResult:
    name: str
    ok: bool
    seconds: float
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    note: str = ""


def find_chromium() -> str | None:
    """Path of a Chromium the browser tests can drive, or None."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def ensure_chromium() -> str | None:
    """Find Chromium; on Debian/Ubuntu as root, install it with apt when it is missing."""
    found = find_chromium()
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    print("installing Debian's chromium for the browser tests ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
                   check=False, env=env, stdout=subprocess.DEVNULL)
    return find_chromium()


def _pytest(args: list[str], env: dict[str, str] | None = None) -> tuple[int, int, int, int]:
    """Run pytest in this interpreter; return (exit code, passed, failed, skipped)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        code = subprocess.call([sys.executable, "-m", "pytest", *args, f"--junitxml={report}"],
                               cwd=ROOT, env=env)
        passed = failed = skipped = 0
        if report.exists():
            for suite in ET.parse(report).getroot().iter("testsuite"):
                total = int(suite.get("tests", 0))
                bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
                skip = int(suite.get("skipped", 0))
                passed += total - bad - skip
                failed += bad
                skipped += skip
    return code, passed, failed, skipped


def run_stage(name: str, notebooks_dir: Path, full: bool, quick: bool = False) -> StageResult:
    start = time.perf_counter()
    note = ""
    passed = failed = skipped = 0
    if name == "lint":
        code = subprocess.call([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT)
    elif name == "clean":
        notebooks = sorted(str(p) for p in notebooks_dir.glob("*.ipynb"))
        code = subprocess.call([sys.executable, str(ROOT / "tools" / "notebooks.py"), "check",
                                *notebooks], cwd=ROOT)
    elif name == "unit":
        # loadscope: the tests of one module run on one worker, so a module's trained model is
        # trained once per run; the modules spread over both cores.
        # the two-replica training test (marked slow and multidevice) runs here too, in its
        # own process; --quick leaves out everything marked slow
        marks = "not browser and not slow" if quick else "not browser"
        code, passed, failed, skipped = _pytest(["tests", "-m", marks, "-q", "-n", "2",
                                                 "--dist", "loadscope", "-p", "no:cacheprovider"])
        note = "fast tests only (--quick)" if quick else ""
    elif name == "browser":
        chromium = ensure_chromium()
        if chromium is None:
            if os.environ.get("CI"):
                print("Chromium is missing and could not be installed: the browser tests "
                      "cannot run on CI.")
                return StageResult(name, False, time.perf_counter() - start, failed=1,
                                   note="no chromium")
            print("No Chromium found: skipping the browser tests. Install Chromium (or set "
                  "CHROMIUM_PATH) to check the widgets in a real JupyterLab.")
            return StageResult(name, True, time.perf_counter() - start, note="skipped: no chromium")
        # the notebooks in the browser read the same real train/val copies as the nbval stage
        env = {**locations.notebook_environment(), **os.environ, "CHROMIUM_PATH": chromium}
        # two workers: each drives its own JupyterLab and Chromium, half of the notebooks each
        code, passed, failed, skipped = _pytest(["tests/test_browser.py", "-m", "browser", "-q",
                                                 "-n", "2", "-p", "no:cacheprovider"], env=env)
        if code == 5:  # no browser tests collected
            code = 0
    elif name == "notebooks":
        # the longest notebooks first (file size as a guide), so that the last one to start does
        # not leave a worker running alone at the end
        notebooks = sorted(notebooks_dir.glob("*.ipynb"), key=lambda p: -p.stat().st_size)
        # the real train/val copies for the notebooks that train, unless the caller set them
        env = {**locations.notebook_environment(), **os.environ,
               "CNN_COURSE_FAST": "0" if full else "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "tools"),
                                                           os.environ.get("PYTHONPATH")]))}
        # rootdir = the notebooks' folder, so that node ids are the notebook names wherever the
        # folder is; the stderr rule comes as an explicit plugin instead of a conftest.py.
        args = [*map(str, notebooks), "--nbval-lax", "--nbval-current-env",
                "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
                "--nbval-cell-timeout", "600", "-p", "nbval_stderr",
                "-p", "no:cacheprovider", "-q", f"--rootdir={notebooks_dir}"]
        if notebooks_dir == ROOT / "notebooks":  # the course's own run: keep it for the site
            args += ["-p", "nbval_capture", f"--save-executed={EXECUTED_DIR}"]
        if len(notebooks) > 1:
            args += ["-n", "2", "--dist", "loadscope"]
        code, passed, failed, skipped = _pytest(args, env=env)
        note = f"{len(notebooks)} notebook(s), {'full' if full else 'fast'} mode"
    elif name == "site":
        # built from the notebooks the notebooks stage executed: no notebook runs a second time
        code = subprocess.call([sys.executable, str(ROOT / "tools" / "build_site.py"),
                                f"--executed={EXECUTED_DIR}", f"--notebooks={notebooks_dir}",
                                f"--site={SITE_DIR}"], cwd=ROOT)
        if code == 0:  # the tests of the site just built (the builder's own run in unit)
            code, passed, failed, skipped = _pytest(
                ["tests/test_site.py", "-k", "course_site", "-q", "-p", "no:cacheprovider"],
                env={**os.environ, "COURSE_SITE": str(SITE_DIR),
                     "COURSE_SITE_NOTEBOOKS": str(notebooks_dir)})
        note = f"{SITE_DIR.relative_to(ROOT)}/index.html"
    else:
        raise ValueError(f"unknown stage {name!r}; choose from {', '.join(STAGES)}")
    return StageResult(name, code == 0, time.perf_counter() - start, passed, failed, skipped, note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated stages out of {','.join(STAGES)}")
    parser.add_argument("--notebooks-dir", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--full", action="store_true", help="run notebooks in full mode")
    parser.add_argument("--quick", action="store_true",
                        help=f"the inner loop: {' and '.join(QUICK_STAGES)}, without tests "
                             "marked slow (`make test-quick`)")
    args = parser.parse_args(argv)
    stages = args.only.split(",") if args.only else list(QUICK_STAGES if args.quick else STAGES)
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s) {sorted(unknown)}; choose from {', '.join(STAGES)}")
    results = []
    for stage in stages:
        print(f"\n=== {stage} ===", flush=True)
        results.append(run_stage(stage, args.notebooks_dir.resolve(), args.full, args.quick))
    print("\nstage       result   time     tests")
    for r in results:
        counts = f"{r.passed} passed, {r.failed} failed, {r.skipped} skipped"
        print(f"{r.name:<11} {'ok' if r.ok else 'FAILED':<8} {r.seconds:6.1f} s  {counts}  {r.note}")
    total_passed = sum(r.passed for r in results)
    total_failed = sum(r.failed for r in results) + sum(1 for r in results if not r.ok and not r.failed)
    total_skipped = sum(r.skipped for r in results)
    print(f"total time {sum(r.seconds for r in results):.1f} s")
    print(f"checks: {total_passed} passed, {total_failed} failed, {total_skipped} skipped")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
