"""The Colab cell of every notebook and ``helpers/colab.py``, offline: a fake ``google.colab``
module stands for the Colab runtime and a recorder stands for git and pip."""

import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import nbformat
import pytest

from helpers import colab
from helpers.course import read_pins

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import badges  # noqa: E402

REPO = "someone/cnn-course"
#: what a Colab runtime has: TensorFlow, Keras and ipywidgets of its own, at other versions than
#: the pins, and no pydicom, no pooch and no JupyterLab
COLAB_VERSIONS = {**read_pins(ROOT / "requirements.txt"), "tensorflow": "2.19.0", "keras": "3.8.0",
                  "ipywidgets": "7.7.1", "jupyterlab_widgets": "1.1.11",
                  "widgetsnbextension": "3.6.10", "numpy": "2.0.2"}
for absent in ("pydicom", "pooch", "jupyterlab"):
    del COLAB_VERSIONS[absent]


class Runtime:
    """A Colab runtime for one test: the installed packages, and every command run."""

    def __init__(self, installed: dict[str, str]):
        self.installed = dict(installed)
        self.commands: list[list[str]] = []
        self.constraints: list[str] = []

    def version(self, name: str) -> str:
        if name not in self.installed:
            raise colab.metadata.PackageNotFoundError(name)
        return self.installed[name]

    def run(self, command, check=False, **kwargs):
        command = [str(part) for part in command]
        self.commands.append(command)
        if command[:2] == ["git", "clone"]:  # the clone: a copy of what the cell needs
            target = Path(command[-1])
            (target / "helpers").mkdir(parents=True)
            shutil.copy(ROOT / "helpers" / "colab.py", target / "helpers" / "colab.py")
            shutil.copy(ROOT / "requirements.txt", target / "requirements.txt")
        elif command[1:4] == ["-m", "pip", "install"]:
            self.constraints = Path(command[command.index("--constraint") + 1]).read_text().split()
            for requirement in command[command.index("--constraint") + 2:]:
                name, version = requirement.split("==")
                self.installed[name] = version
        return subprocess.CompletedProcess(command, 0)

    @property
    def pip_commands(self) -> list[list[str]]:
        return [c for c in self.commands if c[1:4] == ["-m", "pip", "install"]]


@pytest.fixture
def runtime(monkeypatch):
    """A fake Colab runtime: ``google.colab`` imported, git and pip recorded, ``sys.path`` and
    ``PYTHONPATH`` restored afterwards."""
    fake = Runtime(COLAB_VERSIONS)
    google = types.ModuleType("google")
    google.colab = types.ModuleType("google.colab")
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", google.colab)
    monkeypatch.setattr(subprocess, "run", fake.run)
    monkeypatch.setattr(colab.metadata, "version", fake.version)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("PYTHONPATH", "")  # restored (or removed) after the test
    monkeypatch.delenv("PYTHONPATH")
    return fake


def run_cell(source: str) -> None:
    exec(compile(source, "colab-cell", "exec"), {"__name__": "__main__"})


def test_on_colab_the_cell_clones_once_then_installs_only_what_colab_lacks(runtime, tmp_path,
                                                                         capsys):
    course = tmp_path / "content" / "cnn-course"
    cell = badges.colab_cell_source(REPO, folder=str(course))
    run_cell(cell)
    clone, pip = runtime.commands
    assert clone == ["git", "clone", "--depth=1", "--quiet", f"https://github.com/{REPO}.git",
                     str(course)]
    assert pip[:4] == [sys.executable, "-m", "pip", "install"]
    assert pip[pip.index("--constraint") + 2:] == ["pydicom==3.0.2", "pooch==1.9.0"]
    # every package Colab has is held at Colab's own version, so nothing replaces it
    assert "tensorflow==2.19.0" in runtime.constraints and "ipywidgets==7.7.1" in runtime.constraints
    assert "numpy==2.0.2" in runtime.constraints
    assert sys.path[0] == str(course) and colab.os.environ["PYTHONPATH"] == str(course)
    assert "pydicom==3.0.2, pooch==1.9.0" in capsys.readouterr().out

    run_cell(cell)  # again: no second clone, nothing left to install, the path added once
    assert len(runtime.commands) == 2
    assert sys.path.count(str(course)) == 1
    assert colab.os.environ["PYTHONPATH"] == str(course)
    assert "nothing was missing" in capsys.readouterr().out


def test_tensorflow_keras_and_ipywidgets_are_never_installed_on_colab(runtime, tmp_path):
    for name in ("tensorflow", "keras", "ipywidgets", "jupyterlab_widgets", "ipykernel"):
        del runtime.installed[name]  # even a runtime without them gets Colab's, never the pins
    installed = colab.prepare(ROOT)
    assert installed == ["pydicom==3.0.2", "pooch==1.9.0"]
    for command in runtime.pip_commands:
        assert not [part for part in command if part.split("==")[0] in colab.COLAB_PROVIDES]


def test_plan_install_keeps_whatever_is_installed():
    pins = {"tensorflow": "2.21.0", "pydicom": "3.0.2", "numpy": "2.4.6", "jupyterlab": "4.6.6"}
    installed = {"tensorflow": "2.19.0", "numpy": "2.0.2"}
    missing, constraints = colab.plan_install(pins, installed.get)
    assert missing == ["pydicom==3.0.2"]
    assert constraints == ["tensorflow==2.19.0", "numpy==2.0.2"]


def test_every_notebooks_cell_does_nothing_off_colab(monkeypatch, capsys):
    """JupyterLab, nbval and the browser tests run the real cell: no command, no output, no
    change of the import path, in well under a second."""
    calls = []
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    path_before = list(sys.path)
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cell = next(c for c in nbformat.read(path, as_version=4).cells
                    if c.cell_type == "code" and badges.COLAB_MARK in c.source)
        started = time.perf_counter()
        run_cell(cell.source)
        assert time.perf_counter() - started < 0.5, path.name
    assert calls == [] and capsys.readouterr() == ("", "") and sys.path == path_before


def test_prepare_does_nothing_off_colab(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = list(sys.path)
    assert colab.prepare(ROOT) == [] and sys.path == before


def test_a_failed_install_says_what_to_do(runtime, monkeypatch):
    def pip_fails(command, check=False, **kwargs):
        raise subprocess.CalledProcessError(1, command)

    monkeypatch.setattr(subprocess, "run", pip_fails)
    with pytest.raises(RuntimeError, match=r"pydicom==3.0.2 pooch==1.9.0 .*!pip install pydicom pooch"):
        colab.prepare(ROOT)
