"""The learner's progress: which exercises and quiz questions of each notebook they have passed.

A passed exercise check (a checker decorated with :func:`helpers.checks.exercise`) and a quiz
question answered correctly (:meth:`helpers.quiz.Quiz.check`) call :func:`record`. The record
stays on this computer, in one small JSON file (:func:`helpers.data.locations.progress_file`:
``progress.json`` in the course's data folder, or ``$CNN_COURSE_PROGRESS``), and nothing is
sent anywhere. ``CNN_COURSE_PROGRESS=off`` records nothing: the checks run that way.

    from helpers import progress
    progress.show()                  # a table: exercises and quiz questions passed per notebook
    progress.reset("convolution")    # forget one notebook (its slug or its number, "02")
    progress.reset()                 # forget everything

The totals come from the course itself: a notebook's exercises are the decorated checkers of
``helpers/checks/<slug>.py`` and its quiz questions are that module's ``QUIZ``.

The file: ``{"version": 1, "notebooks": {"<slug>": {"exercise": [names], "quiz": [numbers]}}}``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from helpers.data import locations

#: What a notebook's progress counts.
KINDS = ("exercise", "quiz")
VERSION = 1


def _read(path: Path | None) -> dict[str, dict[str, list[str]]]:
    """The notebooks' records in ``path``; empty when there is no file or it cannot be read."""
    if path is None or not path.is_file():
        return {}
    try:
        notebooks = json.loads(path.read_text(encoding="utf-8")).get("notebooks", {})
    except (OSError, ValueError, AttributeError):
        return {}  # a damaged file counts as no progress; the next record replaces it
    return notebooks if isinstance(notebooks, dict) else {}


def _write(path: Path, notebooks: dict) -> None:
    """Replace ``path`` in one step, so that a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".progress-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump({"version": VERSION, "notebooks": notebooks}, file, indent=1, sort_keys=True)
    os.replace(temporary, path)


#: how long a record waits for another kernel's, and the age at which a lock is taken to be left
#: behind by a kernel that stopped in the middle (a record takes milliseconds)
LOCK_WAIT_S, LOCK_STALE_S = 5.0, 10.0


@contextlib.contextmanager
def _locked(path: Path):
    """Hold ``path``'s lock (a file beside it, created only when absent, which every system
    does in one step) while a kernel reads, changes and writes it: two notebooks that record at
    the same moment would otherwise each write their own copy, and one item would be lost.
    After :data:`LOCK_WAIT_S` the record goes ahead anyway, rather than stall the notebook."""
    lock = path.with_name(f".{path.name}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline, held = time.monotonic() + LOCK_WAIT_S, False
    while not held:
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            held = True
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - lock.stat().st_mtime > LOCK_STALE_S:
                    lock.unlink()  # left by a kernel that stopped mid-record
                    continue
            if time.monotonic() > deadline:
                break
            time.sleep(0.005)
    try:
        yield
    finally:
        if held:
            with contextlib.suppress(OSError):
                lock.unlink()


def record(notebook: str, kind: str, item: str) -> bool:
    """Note that ``item`` (an exercise's name or a quiz question's number) of ``notebook`` (its
    slug, e.g. ``"convolution"``) was passed. Returns True when it was written; False when
    recording is off or the file cannot be written (a warning says where to point it)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    path = locations.progress_file()
    if path is None:
        return False
    try:
        with _locked(path):
            notebooks = _read(path)
            items = notebooks.setdefault(notebook, {}).setdefault(kind, [])
            if str(item) in items:
                return True
            items.append(str(item))
            _write(path, notebooks)
    except OSError as error:
        warnings.warn(f"Your progress could not be saved ({error}); set "
                      f"{locations.PROGRESS_VARIABLE} to a file you can write.", stacklevel=2)
        return False
    return True


def passed(notebook: str, kind: str) -> list[str]:
    """The items of ``kind`` (``"exercise"`` or ``"quiz"``) of ``notebook`` passed so far."""
    return list(_read(locations.progress_file()).get(notebook, {}).get(kind, []))


def _slug(notebook: str) -> str:
    """A notebook's slug from its slug or its number (``"02"`` → ``"convolution"``)."""
    from helpers import course

    for lesson in course.course_map():
        if notebook in (lesson.number, lesson.slug):
            return lesson.slug
    return notebook


def reset(notebook: str | None = None) -> None:
    """Forget the progress of one notebook (its slug or number), or of every notebook."""
    path = locations.progress_file()
    if path is None or not path.is_file():
        return
    if notebook is None:
        path.unlink()
        return
    with _locked(path):
        notebooks = _read(path)
        notebooks.pop(_slug(notebook), None)
        _write(path, notebooks)


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Row:
    """One notebook's progress: items passed out of the notebook's total, per kind."""

    number: str
    title: str
    exercises_passed: int
    exercises_total: int
    quiz_passed: int
    quiz_total: int


def totals(notebook: str) -> dict[str, list[str]]:
    """Every item of a notebook, per kind: its exercises (the decorated checkers of
    ``helpers.checks.<slug>``) and its quiz questions (``"1"``, ``"2"``, ... of its ``QUIZ``)."""
    from helpers import checks

    try:
        module = importlib.import_module(f"helpers.checks.{notebook}")
    except ModuleNotFoundError:
        return {"exercise": [], "quiz": []}
    quiz = getattr(module, "QUIZ", None)
    return {"exercise": checks.exercises_of(module),
            "quiz": quiz.items() if quiz is not None else []}


def rows() -> list[Row]:
    """One :class:`Row` per notebook of the course, in course order. Only items that still
    exist count (a renamed exercise is not passed twice)."""
    from helpers import course

    done = _read(locations.progress_file())
    table = []
    for lesson in course.course_map():
        slug = lesson.slug
        every = totals(slug)
        count = {kind: len(set(done.get(slug, {}).get(kind, [])) & set(every[kind]))
                 for kind in KINDS}
        table.append(Row(lesson.number, lesson.title, count["exercise"], len(every["exercise"]),
                         count["quiz"], len(every["quiz"])))
    return table


@dataclass(frozen=True, repr=False)
class Report:
    """The progress table and where it is kept; Jupyter shows it as a table, ``print`` as text."""

    rows: tuple[Row, ...]
    file: Path | None

    def where(self) -> str:
        if self.file is None:
            return (f"Recording is off ({locations.PROGRESS_VARIABLE}={locations.PROGRESS_OFF}): "
                    "nothing is kept.")
        return (f"Kept on this computer only, in {self.file}. Forget it with progress.reset() "
                "(everything) or progress.reset(\"02\") (one notebook).")

    def _cells(self) -> list[tuple[str, str, str]]:
        return [(f"{r.number} · {r.title}", f"{r.exercises_passed} / {r.exercises_total}",
                 f"{r.quiz_passed} / {r.quiz_total}") for r in self.rows]

    def _repr_markdown_(self) -> str:
        lines = ["| notebook | exercises passed | quiz questions passed |", "|---|---|---|"]
        lines += [f"| {name} | {exercises} | {quiz} |" for name, exercises, quiz in self._cells()]
        return "\n".join(lines) + f"\n\n{self.where()}"

    def __str__(self) -> str:
        cells = [("notebook", "exercises", "quiz"), *self._cells()]
        width = max(len(name) for name, _, _ in cells)
        lines = [f"{name:<{width}}  {exercises:>9}  {quiz:>7}" for name, exercises, quiz in cells]
        return "\n".join([*lines, self.where()])

    __repr__ = __str__


def show() -> Report:
    """The learner's progress: per notebook, exercises and quiz questions passed out of all.
    The last line of a cell shows it as a table; ``print(progress.show())`` as text."""
    return Report(tuple(rows()), locations.progress_file())
