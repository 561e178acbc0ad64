"""Google Colab: the course in a Colab runtime, prepared by the first code cell of every notebook.

On Colab only, that cell clones the course once (shallow) and runs this file, which

- puts the clone first on ``sys.path``, so the running kernel imports ``helpers`` at once (an
  editable install would only be seen after a restart), and on ``PYTHONPATH`` for the commands
  a notebook starts;
- pip-installs the learner packages of ``requirements.txt`` that Colab lacks, at their pins,
  and nothing that Colab has. TensorFlow, Keras, ipywidgets and the Jupyter packages
  (:data:`COLAB_PROVIDES`) are never installed: Colab's own kernel and front end serve them,
  a new TensorFlow needs a restart, and ipywidgets 8 over Colab's 7.7 shows no widgets. A
  constraints file holds every package Colab has at its own version, so no dependency of a
  missing package can replace one either.

The course's widgets use only core ipywidgets (sliders, dropdowns, checkboxes, toggle buttons,
text boxes, ``Output``, ``HBox``/``VBox``/``GridBox``, ``Layout``), which Colab draws itself:
``google.colab.output.enable_custom_widget_manager()`` is for third-party widgets and is not
needed.

Off Colab every function here is a no-op or pure, and the notebook cell never runs this file.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path

#: Packages of the learner set that Colab's runtime provides itself; never installed there.
COLAB_PROVIDES = ("tensorflow", "keras", "ipywidgets", "jupyterlab_widgets",
                  "widgetsnbextension", "ipykernel", "jupyterlab")


def on_colab() -> bool:
    """True inside a Google Colab runtime (its kernel has imported ``google.colab``)."""
    return "google.colab" in sys.modules


def installed_version(name: str) -> str | None:
    """The installed version of the distribution ``name``, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def plan_install(pins: Mapping[str, str],
                 installed: Callable[[str], str | None] = installed_version,
                 ) -> tuple[list[str], list[str]]:
    """What Colab lacks of the learner ``pins`` ({name: version}).

    Returns ``(missing, constraints)``: ``name==pin`` for each package that is not installed and
    not in :data:`COLAB_PROVIDES`, and ``name==installed`` for each one that is installed, which
    keeps it at Colab's version while the missing ones are installed."""
    missing, constraints = [], []
    for name, pin in pins.items():
        version = installed(name)
        if version is not None:
            constraints.append(f"{name}=={version}")
        elif name not in COLAB_PROVIDES:
            missing.append(f"{name}=={pin}")
    return missing, constraints


def make_importable(checkout: Path) -> None:
    """Put ``checkout`` first on ``sys.path`` (this kernel) and on ``PYTHONPATH`` (its
    subprocesses), once."""
    folder = str(checkout)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if folder not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([folder, *paths])


def install_missing(missing: list[str], constraints: list[str]) -> None:
    """``pip install`` the ``missing`` requirements into this kernel's Python, with the
    ``constraints`` in a temporary constraints file; they are importable at once."""
    with tempfile.TemporaryDirectory() as folder:
        constraints_file = Path(folder) / "colab-constraints.txt"
        constraints_file.write_text("\n".join(constraints) + "\n", encoding="utf-8")
        try:
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                            "--constraint", str(constraints_file), *missing], check=True)
        except subprocess.CalledProcessError as error:
            raise RuntimeError(
                f"pip could not install {' '.join(missing)} next to Colab's own packages (its "
                "message is above). Install them in a cell without their versions, e.g. "
                f"!pip install {' '.join(r.split('==')[0] for r in missing)}, "
                "then run this cell again.") from error
    importlib.invalidate_caches()


def prepare(checkout: Path) -> list[str]:
    """Make the course in ``checkout`` usable in this Colab kernel; returns the requirements it
    installed (empty when nothing was missing, and always off Colab, where it does nothing)."""
    if not on_colab():
        return []
    make_importable(checkout)
    from helpers.course import read_pins

    missing, constraints = plan_install(read_pins(checkout / "requirements.txt"))
    if missing:
        install_missing(missing, constraints)
    added = ", ".join(missing) if missing else "nothing was missing"
    print(f"The course is ready in {checkout} (installed: {added}).")
    return missing


if __name__ == "__main__":  # the notebooks' Colab cell runs this file after cloning the course
    prepare(Path(__file__).resolve().parents[1])
