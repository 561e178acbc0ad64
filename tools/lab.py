"""Open the course in JupyterLab: what `make start` runs, and how the browser tests start it too.

    python tools/lab.py                      # open notebooks/00_start_here.ipynb in the browser
    python tools/lab.py --no-browser --port 8890

Extra arguments go to ``jupyter lab`` unchanged. JupyterLab refuses to run as root unless told
``--allow-root`` (a container, a cloud machine): it is added when the user is root. The news
question and the update check are switched off: they are not the course's; and a notebook starts
its own kernel (Python 3) without asking which one. JupyterLab's front end reads these settings
whatever the server is told, so the course changes their *defaults* through
``tools/jupyter-config/labconfig/default_setting_overrides.json``, found through
``JUPYTER_CONFIG_PATH`` (your own JupyterLab settings still win).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
CONFIG_DIR = ROOT / "tools" / "jupyter-config"

#: Settings of every JupyterLab the course starts.
QUIET_LAB = (
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
)


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_arguments(*extra: str) -> list[str]:
    """The arguments after ``jupyter lab``: the course's settings, --allow-root when needed,
    then ``extra``."""
    return [*QUIET_LAB, *(["--allow-root"] if running_as_root() else []), *extra]


def lab_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the course's Jupyter config folder
    put first on ``JUPYTER_CONFIG_PATH``."""
    env = dict(os.environ if base is None else base)
    paths = [str(CONFIG_DIR), *filter(None, env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep))]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def lab_command(*extra: str) -> list[str]:
    """The whole command, run with this interpreter's Jupyter."""
    return [sys.executable, "-m", "jupyter", "lab", *lab_arguments(*extra)]


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    try:
        return subprocess.call(lab_command(*extra, FIRST_NOTEBOOK), cwd=ROOT,
                               env=lab_environment())
    except KeyboardInterrupt:  # Ctrl+C stops JupyterLab too; no traceback for the learner
        return 0


if __name__ == "__main__":
    sys.exit(main())
