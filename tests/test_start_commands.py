"""The README's commands before anything is installed: the Python check, and how JupyterLab starts."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import check_python  # noqa: E402
import lab  # noqa: E402


def test_this_python_is_supported():
    assert check_python.supported(sys.version_info[:2])
    assert subprocess.run([sys.executable, str(ROOT / "tools" / "check_python.py")]).returncode == 0


def test_python_314_is_stopped_with_advice():
    assert not check_python.supported((3, 14)) and not check_python.supported((3, 10))
    assert all(check_python.supported((3, minor)) for minor in (11, 12, 13))
    advice = check_python.advice((3, 14), "python3")
    assert "python3 is Python 3.14" in advice and "3.11 to 3.13" in advice
    assert "make start PYTHON=python3.13" in advice


def test_the_supported_range_is_the_one_pyproject_declares():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11,<3.14"' in text
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "(3, 11) <= sys.version_info[:2] <= (3, 13)" in makefile
    assert check_python.SUPPORTED == ((3, 11), (3, 13))


def test_lab_allows_root_only_for_root(monkeypatch):
    monkeypatch.setattr(lab.os, "geteuid", lambda: 0, raising=False)
    assert "--allow-root" in lab.lab_arguments()
    monkeypatch.setattr(lab.os, "geteuid", lambda: 1000, raising=False)
    assert "--allow-root" not in lab.lab_arguments()


def test_lab_switches_off_the_news_pop_up_and_keeps_extra_arguments():
    args = lab.lab_arguments("--no-browser", "--port=8890")
    assert "--LabApp.news_url=None" in args
    assert args[-2:] == ["--no-browser", "--port=8890"]


def test_lab_puts_the_course_config_first_and_keeps_the_learners(monkeypatch):
    env = lab.lab_environment({"JUPYTER_CONFIG_PATH": "/opt/site-config"})
    paths = env["JUPYTER_CONFIG_PATH"].split(lab.os.pathsep)
    assert paths == [str(lab.CONFIG_DIR), "/opt/site-config"]
    overrides = lab.CONFIG_DIR / "labconfig" / "default_setting_overrides.json"
    import json

    settings = json.loads(overrides.read_text())
    assert settings["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false", "checkForUpdates": False}
    assert settings["@jupyterlab/notebook-extension:tracker"] == {"autoStartDefaultKernel": True}


def test_make_start_and_test_use_the_tools():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/python tools/lab.py $(LAB_ARGS)" in makefile
    assert "$(BIN)/python tools/run_checks.py --quick" in makefile
