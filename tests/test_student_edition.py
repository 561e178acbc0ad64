"""The student edition as handed out (`make student`): every exercise, run unchanged, gets the
checker's "not yet", never a traceback.

Every exercise is a solution cell followed by a check cell that passes one name, the answer, to
a checker of ``helpers.checks``. A learner who runs the student cell unchanged leaves that name
as the cell sets it outside the solution block: ``...`` or a function whose body is ``...``.
This test rebuilds exactly that value from the student cell and hands it to the checker, so it
needs no kernel; nbval checks the instructors' solutions.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import notebooks as nbtools  # noqa: E402

CHECK_CALL = re.compile(r"^(check_\w+)\.(check_\w+)\((\w+)\)\s*$", re.M)
CHECK_IMPORT = re.compile(r"from helpers\.checks import (\w+) as (check_\w+)")


def exercises():
    """(notebook, student cell, checker module alias → module, checker name, answer name)."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        code = "\n".join(c.source for c in cells)
        modules = {alias: f"helpers.checks.{name}" for name, alias in CHECK_IMPORT.findall(code)}
        for cell, after in zip(cells, cells[1:], strict=False):
            if "# BEGIN SOLUTION" not in cell.source:
                continue
            call = CHECK_CALL.search(after.source)
            assert call, f"{path.name}: the cell after an exercise must call its checker"
            alias, checker, answer = call.groups()
            found.append(pytest.param(nbtools.strip_solutions(cell.source), modules[alias],
                                      checker, answer, id=f"{path.stem[:2]}-{answer}"))
    return found


def handed_out_value(student_source: str, name: str):
    """The value ``name`` has after the learner runs the student cell unchanged: the last
    top-level statement that binds it, run alone (``name = ...`` or a ``def name``)."""
    binding = [node for node in ast.parse(student_source).body
               if (isinstance(node, ast.FunctionDef) and node.name == name)
               or (isinstance(node, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id == name for t in node.targets))]
    assert binding, (f"the student cell never sets {name!r}: set it before the solution block "
                     f"(`{name} = ...`), or the check cell stops with a NameError")
    namespace: dict = {}
    exec(compile(ast.Module([binding[-1]], type_ignores=[]), "<student cell>", "exec"),
         namespace)
    return namespace[name]


EXERCISES = exercises()


def test_every_notebook_with_exercises_is_covered():
    assert len({p.id[:2] for p in EXERCISES}) == len(list((ROOT / "notebooks").glob("*.ipynb")))


@pytest.mark.parametrize(("student_source", "module", "checker", "answer"), EXERCISES)
def test_the_unchanged_exercise_gets_not_yet(student_source, module, checker, answer):
    value = handed_out_value(student_source, answer)
    result = getattr(importlib.import_module(module), checker)(value)
    assert result.ok is False
    text = str(result)
    assert text.startswith("❌ Not yet") and len(result.message) > 20, text


def test_the_student_edition_has_no_badge_to_the_published_solutions():
    """The Colab and Binder badges open the published notebooks, which hold the solutions: a
    student notebook says how to open it instead, and keeps the Colab cell (the helpers)."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert any(c.get("id") == "course-badges" for c in nb.cells), path.name
        student = nbtools.student_version(nb)
        text = "\n".join(c.source for c in student.cells)
        assert "colab.research.google.com/github/" not in text, path.name
        assert "mybinder.org/v2/gh/" not in text, path.name
        assert nbtools.STUDENT_BADGE_NOTE in text and '"google.colab" in sys.modules' in text
