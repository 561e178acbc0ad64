"""The pin files agree: requirements.txt (what the notebooks need), requirements-dev.txt (plus the
checks' tools), environment.yml (conda: the full development set) and .binder/ (Binder: the
learner set only)."""

import re
from pathlib import Path

import pytest

from helpers.course import read_pins

ROOT = Path(__file__).resolve().parents[1]
LEARNER = ROOT / "requirements.txt"
DEV = ROOT / "requirements-dev.txt"
BINDER = ROOT / ".binder"
#: tools for checking the course; a learner's environment (Binder's too) never needs them
CHECK_TOOLS = {"pytest", "pytest-timeout", "pytest-xdist", "nbval", "ruff", "playwright",
               "nbclient", "setuptools", "jupyter-server-mathjax"}


def conda_pip_pins(text: str) -> dict[str, str]:
    """The ``name==version`` entries of the pip section of an environment.yml text."""
    pins = {}
    in_pip = False
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if re.match(r"^\s*-\s*pip:\s*$", stripped):
            in_pip = True
            continue
        if in_pip:
            entry = re.match(r"^\s+-\s+(\S+)\s*$", stripped)
            if entry is None:
                if stripped.strip():
                    in_pip = False
                continue
            if "==" in entry.group(1):
                name, version = entry.group(1).split("==", 1)
                pins[name.split("[")[0].lower()] = version
    return pins


def assert_same_pins(expected: dict[str, str], actual: dict[str, str], names: tuple[str, str]):
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    differ = {n: (expected[n], actual[n]) for n in set(expected) & set(actual)
              if expected[n] != actual[n]}
    assert not missing, f"pinned in {names[0]} but not in {names[1]}: {missing}"
    assert not extra, f"pinned in {names[1]} but not in {names[0]}: {extra}"
    assert not differ, f"versions differ ({names[0]}, {names[1]}): {differ}"


def test_read_pins_follows_the_include_of_the_development_file(tmp_path):
    (tmp_path / "base.txt").write_text("numpy==2.4.6  # arrays\n\n", encoding="utf-8")
    (tmp_path / "dev.txt").write_text("# tools\n-r base.txt\nRuff==0.17.6\n", encoding="utf-8")
    assert read_pins(tmp_path / "dev.txt") == {"numpy": "2.4.6", "ruff": "0.17.6"}
    assert read_pins(tmp_path / "base.txt") == {"numpy": "2.4.6"}


def test_the_development_set_is_the_learner_set_plus_the_check_tools():
    learner, dev = read_pins(LEARNER), read_pins(DEV)
    assert learner, "requirements.txt has no pins"
    assert "-r requirements.txt" in DEV.read_text(encoding="utf-8").splitlines()
    assert {n: dev[n] for n in learner} == learner
    assert set(dev) - set(learner) == CHECK_TOOLS


def test_the_learner_set_holds_no_check_tool():
    assert not CHECK_TOOLS & set(read_pins(LEARNER))


def test_environment_yml_pins_the_whole_development_set():
    conda = conda_pip_pins((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert_same_pins(read_pins(DEV), conda, ("requirements-dev.txt", "environment.yml"))


def test_binder_installs_exactly_the_learner_set():
    binder = read_pins(BINDER / "requirements.txt")
    assert_same_pins(read_pins(LEARNER), binder, ("requirements.txt", ".binder/requirements.txt"))


def test_binder_installs_its_packages_before_the_course_is_copied():
    """repo2docker installs a requirements file without local references (``-e .``, ``-r``)
    before it copies the repository, in a layer a new commit reuses; the helpers come from the
    copy through ``start``, which must hand over to the server with ``exec "$@"``."""
    lines = [line.split("#", 1)[0].strip()
             for line in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert all("==" in line for line in lines if line), [line for line in lines if line]
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"
    start = (BINDER / "start").read_text(encoding="utf-8").splitlines()
    assert start[0] == "#!/bin/bash" and start[-1] == 'exec "$@"'
    assert any(line.startswith("export PYTHONPATH=") and "REPO_DIR" in line for line in start)
    assert (BINDER / "start").stat().st_mode & 0o111, ".binder/start must be executable"
    assert not (BINDER / "postBuild").exists() and not (BINDER / "environment.yml").exists()


def test_binder_start_puts_the_checkout_on_the_python_path(tmp_path):
    import subprocess

    run = subprocess.run(["bash", str(BINDER / "start"), "bash", "-c", 'echo "$PYTHONPATH"'],
                         env={"PATH": "/usr/bin:/bin", "REPO_DIR": str(tmp_path),
                              "PYTHONPATH": "/opt/site"},
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"{tmp_path}:/opt/site"


def test_every_requirement_is_pinned_exactly():
    for path in (LEARNER, DEV, BINDER / "requirements.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and line != "-r requirements.txt":
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", line), (path, line)


def test_environment_yml_installs_python_311_and_the_helpers():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*-\s*python=3\.11\s*$", text, re.M)
    assert re.search(r"^\s*-\s*-e \.\s*(#.*)?$", text, re.M)


def test_ipywidgets_stays_below_the_version_vs_code_cannot_show():
    """vscode-jupyter#17504: VS Code's notebook editor shows nothing for ipywidgets 8.1.9."""
    pins = read_pins(LEARNER)
    assert pins["ipywidgets"] == "8.1.8"
    assert (pins["jupyterlab_widgets"], pins["widgetsnbextension"]) == ("3.0.16", "4.0.15")


@pytest.mark.parametrize("name", ["tensorflow", "keras", "ipywidgets", "jupyterlab_widgets",
                                  "nbval", "jupyterlab"])
def test_installed_versions_match_the_pins(name):
    from importlib.metadata import version

    assert version(name) == read_pins(DEV)[name]


def make_dry_run(target: str, venv: Path) -> str:
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    run = subprocess.run(["make", "-n", "-C", str(ROOT), target, f"VENV={venv}"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_make_start_installs_the_learner_set_and_make_test_adds_the_tools(tmp_path):
    venv = tmp_path / "venv"
    start = make_dry_run("start", venv)
    assert "pip install -r requirements.txt -e ." in start and "requirements-dev" not in start
    test = make_dry_run("test", venv)
    assert test.index("pip install -r requirements.txt -e .") < test.index(
        "pip install -r requirements-dev.txt") < test.index("tools/run_checks.py")


def test_a_learner_who_runs_make_test_later_gets_only_the_tools(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()  # `make start` was run, after the last change of the pins
    test = make_dry_run("test", venv)
    assert "pip install -r requirements.txt" not in test
    assert "pip install -r requirements-dev.txt" in test
    (venv / ".installed-dev").touch()
    assert "pip install" not in make_dry_run("test", venv)
    assert "pip install" not in make_dry_run("start", venv)
