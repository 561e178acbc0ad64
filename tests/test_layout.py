"""The layout of the package stays what CONTRIBUTING.md promises a new contributor: a package map
that names every module, one checker module per notebook with exercises, tests beside every
module, files readable in one sitting, and a package that works when installed as a copy."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HELPERS = ROOT / "helpers"
TESTS = ROOT / "tests"
MAX_LINES = 500


def modules() -> list[str]:
    """Dotted names below ``helpers`` of every module and package, e.g. ``data.medmnist``."""
    names = []
    for path in sorted(HELPERS.rglob("*.py")):
        parts = path.relative_to(HELPERS).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and "__pycache__" not in parts:
            names.append(".".join(parts))
    return names


def test_the_package_map_names_every_module():
    doc = ast.get_docstring(ast.parse((HELPERS / "__init__.py").read_text(encoding="utf-8")))
    named = set(re.findall(r"``([\w.]+)``", doc))
    missing = [name for name in modules() if name not in named]
    assert not missing, f"add these to the package map in helpers/__init__.py: {missing}"


def test_every_module_is_readable_in_one_sitting():
    long = {str(p.relative_to(ROOT)): n for p in HELPERS.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these into a package of smaller modules: {long}"


def lessons_with_exercises() -> list[tuple[Path, str]]:
    import nbformat

    from helpers import course

    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        if any(c.cell_type == "code" and "# BEGIN SOLUTION" in c.source for c in cells):
            found.append((path, course.notebook_slug(path)))
    return found


def test_every_notebook_with_exercises_has_its_checker_module():
    lessons = lessons_with_exercises()
    assert lessons, "no notebook has an exercise (a # BEGIN SOLUTION block)"
    for path, slug in lessons:
        checker = HELPERS / "checks" / f"{slug}.py"
        assert checker.is_file(), f"{path.name} has exercises: put its checkers in {checker}"
        source = path.read_text(encoding="utf-8")
        assert f"from helpers.checks import {slug}" in source, \
            f"{path.name} should import its checkers from helpers.checks.{slug}"


def test_every_checker_module_belongs_to_a_notebook_and_has_tests():
    slugs = {slug for _, slug in lessons_with_exercises()}
    for checker in (HELPERS / "checks").glob("*.py"):
        if checker.stem == "__init__":
            continue
        assert checker.stem in slugs, f"{checker.name}: no notebook NN_{checker.stem}.ipynb"
        assert (TESTS / "checks" / f"test_checks_{checker.stem}.py").is_file(), checker.name


def test_tests_mirror_the_package():
    untested = []
    for name in modules():
        top = name.split(".")[0]
        if top == "checks":
            continue  # checked above, one test file per checker module
        if not ((TESTS / f"test_{top}.py").is_file() or (TESTS / top).is_dir()):
            untested.append(name)
    assert not untested, f"give these a tests/test_<name>.py or a tests/<name>/ folder: {untested}"


def test_test_files_have_unique_names():
    names = [p.name for p in TESTS.rglob("test_*.py")]
    assert len(names) == len(set(names)), "pytest needs unique test file names across tests/"


@pytest.mark.slow
def test_the_package_works_when_installed_as_a_copy(tmp_path):
    """``pip install .`` (not ``-e``): the manifest and the plot style travel as package data."""
    source, target = tmp_path / "source", tmp_path / "site"
    source.mkdir()  # build from a copy: setuptools leaves build/ and *.egg-info where it builds
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(HELPERS, source / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PIP_NO_CACHE_DIR": "1"},
    )
    assert install.returncode == 0, install.stderr[-2000:]
    probe = (
        "import pathlib, helpers, helpers.data as data, helpers.course as course\n"
        "assert 'site' in pathlib.Path(helpers.__file__).parts, helpers.__file__\n"
        "assert 'pneumoniamnist' in data.load_manifest()['datasets']\n"
        "assert course.STYLE_FILE.is_file()\n"
        "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
        "plt.style.use(course.STYLE_FILE)\n"
        "from helpers import checks, convolution, history, pooling, start_here, training\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(target)})
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]
