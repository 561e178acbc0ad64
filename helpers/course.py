"""Course-wide set-up: one call at the top of every notebook, fast mode, and the course map.

Taught in ``notebooks/00_start_here.ipynb``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from helpers import validate

#: Environment variable that switches every notebook to fast mode (fewer epochs, less data).
FAST_MODE_VARIABLE = "CNN_COURSE_FAST"
#: The seed every notebook uses unless it says otherwise.
DEFAULT_SEED = 42

STYLE_FILE = Path(__file__).with_name("course.mplstyle")


def find_course_root() -> Path:
    """The folder holding ``notebooks/`` and ``requirements.txt``: the checkout this package
    comes from (``pip install -e .``, ``make start``), else the current folder or its parent
    (an installed copy used from inside the course, e.g. a notebook in ``notebooks/``)."""
    here = Path(__file__).resolve().parents[1]
    for folder in (here, Path.cwd(), Path.cwd().parent):
        if (folder / "notebooks").is_dir() and (folder / "requirements.txt").is_file():
            return folder
    return here


REPO_ROOT = find_course_root()
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def is_fast_mode() -> bool:
    """Return True when ``CNN_COURSE_FAST`` asks for the shortened run used by the checks.

    Accepted values: 1/true/yes/on and 0/false/no/off (any case); unset means full mode.
    """
    value = os.environ.get(FAST_MODE_VARIABLE, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(
        f"{FAST_MODE_VARIABLE}={value!r} is not understood: set it to 1 for fast mode "
        "or 0 (or leave it unset) for the full course."
    )


def pick(full, fast):
    """Return ``fast`` in fast mode and ``full`` otherwise, e.g. ``EPOCHS = course.pick(20, 2)``."""
    return fast if is_fast_mode() else full


def seed_everything(seed: int = DEFAULT_SEED) -> None:
    """Seed Python's ``random``, NumPy and Keras (and through it TensorFlow) with ``seed``.

    Call it again right before building a model to make that model's start reproducible.
    """
    seed = validate.whole_number(seed, "seed", minimum=0)
    import keras

    keras.utils.set_random_seed(int(seed))  # seeds random, numpy.random and the backend


@contextlib.contextmanager
def _stderr_to_devnull():
    """Send the process's file descriptor 2 to /dev/null for the duration of the block.

    TensorFlow's C++ start-up logs ("Could not find cuda drivers ...") are written before its
    log level is read, straight to fd 2, which Jupyter would show under the set-up cell.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real fd 2 (some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow_quietly():
    """Import TensorFlow with its start-up noise silenced and return the module.

    It also switches on TensorFlow's oneDNN kernels (``TF_ENABLE_ONEDNN_OPTS=1``), which
    TensorFlow's Linux builds use by default only on processors with AVX-512 deep-learning
    instructions. On a 2-core AVX2 machine they made the full course about 1.3 times faster
    (``benchmarks/run_benchmarks.py``). Trained weights differ from the default kernels' in
    the last digits and stay reproducible run to run. Set ``TF_ENABLE_ONEDNN_OPTS=0`` before
    starting Jupyter to keep TensorFlow's default; the switch only acts before TensorFlow's
    first import in a process.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with _stderr_to_devnull(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    with contextlib.suppress(ImportError):
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    # TensorFlow brings about 300,000 objects that live as long as the kernel. Python's full
    # garbage collection walks them all (about 0.2 s on 2 cores), and one fell in every few
    # widget redraws; set aside once, later collections skip them (about 0.05 s). Refcounting
    # still frees them as usual.
    gc.collect()
    gc.freeze()
    return tf


@dataclass
class SetupInfo:
    """What :func:`setup` found: library versions, GPUs, seed and mode."""

    versions: dict[str, str]
    gpus: list[str]
    seed: int
    fast_mode: bool
    onednn: bool = True

    def summary(self) -> str:
        lines = [f"{name:<11} {version}" for name, version in self.versions.items()]
        gpu = ", ".join(self.gpus) if self.gpus else "none (the course runs on the CPU)"
        lines.append(f"{'GPU':<11} {gpu}")
        kernels = ("oneDNN (TF_ENABLE_ONEDNN_OPTS=1)" if self.onednn
                   else "TensorFlow's default for this processor")
        lines.append(f"{'kernels':<11} {kernels}")
        mode = "FAST (shortened run for checks)" if self.fast_mode else "full"
        lines.append(f"{'mode':<11} {mode}; seed {self.seed}")
        return "\n".join(lines)


def setup(seed: int = DEFAULT_SEED, *, verbose: bool = True) -> SetupInfo:
    """Prepare a notebook: quiet TensorFlow, the course plot style, seeds, and a version report.

    Call it once, in the ``## Setup`` cell, before importing ``keras``/``tensorflow`` yourself.
    Returns a :class:`SetupInfo`; prints its summary unless ``verbose=False``.
    """
    tf = import_tensorflow_quietly()
    import keras
    import matplotlib
    import matplotlib.pyplot as plt

    plt.style.use(STYLE_FILE)
    seed_everything(seed)
    gpus = [device.name for device in tf.config.list_physical_devices("GPU")]
    info = SetupInfo(
        versions={
            "python": platform.python_version(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "numpy": np.__version__,
            "matplotlib": matplotlib.__version__,
        },
        gpus=gpus,
        seed=seed,
        fast_mode=is_fast_mode(),
        onednn=os.environ.get("TF_ENABLE_ONEDNN_OPTS") == "1",
    )
    if verbose:
        print(info.summary())
    return info


# --------------------------------------------------------------------------- course map


def notebook_slug(path: Path) -> str:
    """A notebook's name without its number (``02_convolution.ipynb`` → ``"convolution"``): the
    name of its exercise module, ``helpers/checks/<slug>.py``, and its key in the progress file."""
    return Path(path).stem.split("_", 1)[1]


@dataclass
class Lesson:
    """One notebook as its opening cell describes it."""

    path: Path
    number: str
    title: str
    purpose: str
    objectives: list[str] = field(default_factory=list)
    prerequisites: str = ""
    minutes: int | None = None

    @property
    def slug(self) -> str:
        """:func:`notebook_slug` of this lesson's notebook."""
        return notebook_slug(self.path)

    def as_row(self) -> dict[str, str]:
        return {
            "#": self.number,
            "notebook": self.title,
            "you will learn to": "; ".join(self.objectives),
            "CPU time": f"~{self.minutes} min" if self.minutes is not None else "?",
        }


_TITLE = re.compile(r"^#\s+(\d+)\s*[·.:-]\s*(.+?)\s*$", re.M)
_TIME = re.compile(r"\*\*Time:\*\*\s*about\s+(\d+)\s*min", re.I)
_PREREQ = re.compile(r"\*\*Prerequisites:\*\*\s*(.+)")


def parse_lesson_header(path: Path) -> Lesson:
    """Read the opening markdown cell of a notebook into a :class:`Lesson`.

    The cell must hold a ``# NN · Title`` line, a one-sentence purpose in italics, a
    ``**You will learn to**`` list, a ``**Prerequisites:**`` line and a
    ``**Time:** about N min ...`` line. Raises ``ValueError`` naming what is missing.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None:
        raise ValueError(f"{path.name}: the notebook has no opening markdown cell")
    text = first.source
    title = _TITLE.search(text)
    time = _TIME.search(text)
    prereq = _PREREQ.search(text)
    purpose = re.search(r"^\*(?!\*)(.+?)\*\s*$", text, re.M)
    objectives: list[str] = []
    if "**You will learn to**" in text:
        after = text.split("**You will learn to**", 1)[1]
        for line in after.splitlines()[1:]:
            if line.startswith("- "):
                objectives.append(line[2:].strip())
            elif line.strip() and objectives:
                break
    missing = [
        name
        for name, found in [
            ("'# NN · Title' line", title),
            ("italic one-sentence purpose", purpose),
            ("'**You will learn to**' list", objectives),
            ("'**Prerequisites:**' line", prereq),
            ("'**Time:** about N min' line", time),
        ]
        if not found
    ]
    if missing:
        raise ValueError(f"{path.name}: the opening cell lacks " + ", ".join(missing))
    return Lesson(
        path=path,
        number=title.group(1),
        title=title.group(2),
        purpose=purpose.group(1).strip(),
        objectives=objectives,
        prerequisites=prereq.group(1).strip(),
        minutes=int(time.group(1)),
    )


def list_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """Every lesson notebook (``NN_*.ipynb``) in course order."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else NOTEBOOKS_DIR
    if not folder.is_dir():
        raise ValueError(f"no notebooks folder at {folder}: pass notebooks_dir=")
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def course_map(notebooks_dir: Path | None = None) -> list[Lesson]:
    """The course map, read from the notebooks themselves so that it cannot go stale."""
    return [parse_lesson_header(p) for p in list_notebooks(notebooks_dir)]


def course_map_markdown(notebooks_dir: Path | None = None) -> str:
    """The course map as a Markdown table (display it with ``IPython.display.Markdown``)."""
    lessons = course_map(notebooks_dir)
    rows = ["| # | notebook | you will learn to | laptop CPU |", "|---|---|---|---|"]
    for lesson in lessons:
        objectives = "<br>".join(lesson.objectives)
        rows.append(
            f"| {lesson.number} | [{lesson.title}]({lesson.path.name}) | {objectives} "
            f"| ~{lesson.minutes} min |"
        )
    total = sum(lesson.minutes or 0 for lesson in lessons)
    rows.append(f"| | **total** | | **~{total} min** |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- environment check


def read_pins(requirements: Path | None = None) -> dict[str, str]:
    """The ``name==version`` pins of ``requirements.txt`` as {name: version} (names lower-case).

    A ``-r other.txt`` line adds the pins of that file (``requirements-dev.txt`` includes the
    learner's ``requirements.txt`` this way)."""
    path = Path(requirements) if requirements is not None else REPO_ROOT / "requirements.txt"
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins.update(read_pins(path.parent / line[3:].strip()))
        elif "==" in line:
            name, version = line.split("==", 1)
            pins[name.split("[")[0].strip().lower()] = version.strip()
    return pins


def compare_with_pins(requirements: Path | None = None) -> list[tuple[str, str, str, bool]]:
    """Installed version of every pinned package: rows of (name, pinned, installed, matches)."""
    from importlib.metadata import PackageNotFoundError, version

    rows = []
    for name, pinned in read_pins(requirements).items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        rows.append((name, pinned, installed, installed == pinned))
    return rows


def environment_report(requirements: Path | None = None) -> str:
    """A Markdown table of pinned vs installed versions, mismatches first."""
    rows = sorted(compare_with_pins(requirements), key=lambda row: (row[3], row[0]))
    lines = ["| package | pinned | installed | |", "|---|---|---|---|"]
    lines += [f"| {n} | {p} | {i} | {'✅' if ok else '⚠️'} |" for n, p, i, ok in rows]
    bad = sum(not row[3] for row in rows)
    verdict = ("All pinned packages are installed at the pinned versions."
               if not bad else
               f"{bad} package(s) differ from the pins: the course may still work, but if something "
               "breaks, run `make install` (or recreate the conda environment) first.")
    return "\n".join(lines) + "\n\n" + verdict
