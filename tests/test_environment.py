"""The pip pins (requirements.txt) and the conda/Binder pins (environment.yml) must agree."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pip_pins() -> dict[str, str]:
    from helpers.course import read_pins

    return read_pins(ROOT / "requirements.txt")


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


def test_environment_yml_pins_the_same_packages_and_versions_as_requirements():
    conda = conda_pip_pins((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = pip_pins()
    assert pip, "requirements.txt has no pins"
    missing = sorted(set(pip) - set(conda))
    extra = sorted(set(conda) - set(pip))
    differ = {name: (pip[name], conda[name]) for name in set(pip) & set(conda) if pip[name] != conda[name]}
    assert not missing, f"pinned in requirements.txt but not in environment.yml: {missing}"
    assert not extra, f"pinned in environment.yml but not in requirements.txt: {extra}"
    assert not differ, f"versions differ (requirements.txt, environment.yml): {differ}"


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", line), line


def test_environment_yml_installs_python_311_and_the_helpers():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*-\s*python=3\.11\s*$", text, re.M)
    assert re.search(r"^\s*-\s*-e \.\s*(#.*)?$", text, re.M)


@pytest.mark.parametrize("name", ["tensorflow", "keras", "ipywidgets", "nbval", "jupyterlab"])
def test_installed_versions_match_the_pins(name):
    from importlib.metadata import version

    assert version(name) == pip_pins()[name]
