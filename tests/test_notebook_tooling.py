"""The notebook checks: new notebooks are collected, failures fail the test command,
unclean notebooks are caught and cleaned, and the student version hides solutions."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import notebooks as nbtools  # noqa: E402

HEADER = new_markdown_cell("# 99 · Scratch\n")


class Checked(str):
    """The source of a cell whose output nbval compares (tagged nbval-check-output)."""


def make_notebook(path: Path, *sources: str, outputs: dict[int, list] | None = None) -> Path:
    cells = [HEADER] + [new_code_cell(src, metadata={"tags": [nbtools.CHECK_TAG]}
                                      if isinstance(src, Checked) else {}) for src in sources]
    for index, outs in (outputs or {}).items():
        cells[index + 1].outputs = outs
        cells[index + 1].execution_count = 1
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": dict(nbtools.KERNELSPEC)}), path)
    return path


def run_notebook_checks(folder: Path) -> subprocess.CompletedProcess:
    """The notebook stage of the test command (`make test`), pointed at ``folder``."""
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_checks.py"), "--only", "notebooks",
         "--notebooks-dir", str(folder)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )


def stdout_of(text: str) -> list:
    return [new_output("stream", name="stdout", text=text)]


@pytest.mark.slow
def test_the_notebook_stage_finds_new_notebooks_compares_outputs_and_ignores_stderr(tmp_path):
    """One run of the notebook stage over three notebooks (one run: each costs kernels).

    - A notebook dropped into the folder is checked without being listed anywhere; its failing
      cell fails the command and is named, while the good notebook's cells still pass.
    - Checked outputs are compared: a stderr line is ignored, a different stdout is not."""
    make_notebook(tmp_path / "01_good.ipynb", "x = 40 + 2", Checked("print(x)"),
                  outputs={1: stdout_of("42\n")})
    make_notebook(tmp_path / "02_new.ipynb", "y = 1", "raise RuntimeError('this cell is broken')")
    make_notebook(
        tmp_path / "03_outputs.ipynb",
        Checked("import sys\nprint('shape (28, 28)')\nprint('a warning', file=sys.stderr)"),
        Checked("print(1 + 1)"),
        outputs={0: stdout_of("shape (28, 28)\n"), 1: stdout_of("3\n")},
    )
    result = run_notebook_checks(tmp_path)
    assert result.returncode != 0
    assert "3 notebook(s)" in result.stdout
    assert "02_new.ipynb" in result.stdout and "this cell is broken" in result.stdout
    failed = {Path(node).name for node in re.findall(r"FAILED (\S+::Cell \d+)", result.stdout)}
    assert failed == {"02_new.ipynb::Cell 1", "03_outputs.ipynb::Cell 1"}, result.stdout
    assert "checks: 4 passed, 2 failed" in result.stdout, result.stdout


def dirty_copy(tmp_path: Path) -> Path:
    source = ROOT / "notebooks" / "00_start_here.ipynb"
    nb = nbformat.read(source, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    first_code.execution_count = 7
    first_code.outputs = stdout_of("tensorflow 2.21.0 in /home/someone/.venv\n")
    first_code.metadata["scrolled"] = True
    nb.metadata["widgets"] = {"state": {}}
    path = tmp_path / source.name
    nbformat.write(nb, path)
    return path


def test_a_dirtied_notebook_fails_the_cleanliness_check_and_clean_fixes_it(tmp_path):
    path = dirty_copy(tmp_path)
    found = "\n".join(nbtools.problems(path))
    for expected in ("execution count", "has outputs but is not tagged", "scrolled",
                     "machine path", "notebook metadata"):
        assert expected in found
    check = [sys.executable, str(ROOT / "tools" / "notebooks.py"), "check", str(path)]
    assert subprocess.run(check, capture_output=True).returncode == 1
    assert nbtools.main(["clean", str(path)]) == 0
    assert nbtools.problems(path) == []
    assert nbtools.main(["check", str(path)]) == 0  # the same check, in this process


def test_clean_keeps_checked_outputs_without_stderr(tmp_path):
    path = make_notebook(
        tmp_path / "01.ipynb", "print('dropped')", Checked("print('kept')"),
        outputs={0: stdout_of("dropped\n"),
                 1: stdout_of("kept\n") + [new_output("stream", name="stderr", text="noise\n")]},
    )
    nbtools.main(["clean", str(path)])
    cells = nbformat.read(path, as_version=4).cells[1:]
    assert cells[0].outputs == [] and cells[0].execution_count is None
    assert [o.text for o in cells[1].outputs] == ["kept\n"] and cells[1].execution_count == 1


def test_the_visible_check_comment_is_refused_in_favour_of_the_tag(tmp_path):
    path = make_notebook(tmp_path / "01.ipynb", Checked("# NBVAL_CHECK_OUTPUT\nprint(1)"))
    assert any("tag the cell nbval-check-output" in p for p in nbtools.problems(path))


def test_the_course_notebooks_are_clean():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert nbtools.problems(path) == [], path.name


def test_student_version_replaces_solutions(tmp_path):
    make_notebook(tmp_path / "01.ipynb",
                  "# BEGIN SOLUTION\nanswer = 26\n# END SOLUTION",
                  "def f(x):\n    # BEGIN SOLUTION\n    return x + 1\n    # END SOLUTION")
    out = tmp_path / "student"
    assert nbtools.main(["student", str(tmp_path / "01.ipynb"), "--out", str(out)]) == 0
    sources = [c.source for c in nbformat.read(out / "01.ipynb", as_version=4).cells[1:]]
    assert sources == ["...  # your code here", "def f(x):\n    ...  # your code here"]


def test_student_version_of_every_course_notebook_has_no_solution_left(tmp_path):
    nbtools.main(["student", "--out", str(tmp_path)])
    written = sorted(tmp_path.glob("*.ipynb"))
    assert len(written) == len(list((ROOT / "notebooks").glob("*.ipynb")))
    for path in written:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                assert "SOLUTION" not in cell.source, path.name


def test_unclosed_solution_block_is_an_error():
    with pytest.raises(ValueError, match="never closed"):
        nbtools.strip_solutions("# BEGIN SOLUTION\nx = 1")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make start" in readme
