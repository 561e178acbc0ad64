"""helpers.course: set-up, fast mode, seeding, the course map read from the notebooks."""

import os
import random

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers import course

HEADER = """# 07 · A lesson

*What it is for.*

**You will learn to**
- do one thing
- do another

**Prerequisites:** 00 · Start here.

**Time:** about 12 min on a laptop CPU.
"""


def write_notebook(path, header):
    nb = new_notebook(cells=[new_markdown_cell(header), new_code_cell("1 + 1")])
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("YES", True),
                                                 ("0", False), ("", False), ("off", False)])
def test_fast_mode_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv(course.FAST_MODE_VARIABLE, value)
    assert course.is_fast_mode() is expected
    assert course.pick("full", "fast") == ("fast" if expected else "full")


def test_fast_mode_rejects_unclear_values(monkeypatch):
    monkeypatch.setenv(course.FAST_MODE_VARIABLE, "maybe")
    with pytest.raises(ValueError, match="set it to 1"):
        course.is_fast_mode()


def test_fast_mode_off_when_unset(monkeypatch):
    monkeypatch.delenv(course.FAST_MODE_VARIABLE, raising=False)
    assert course.is_fast_mode() is False


def test_seed_everything_makes_python_numpy_and_keras_repeatable():
    import keras

    draws = []
    for _ in range(2):
        course.seed_everything(7)
        draws.append((random.random(), np.random.rand(), float(keras.random.uniform(()))))  # noqa: NPY002 - the legacy global state is what learners use
    assert draws[0] == draws[1]


def test_seed_must_be_a_non_negative_integer():
    with pytest.raises(ValueError, match="non-negative integer"):
        course.seed_everything(-1)


def test_setup_reports_versions_gpu_and_mode(capsys, monkeypatch):
    monkeypatch.setenv(course.FAST_MODE_VARIABLE, "1")
    info = course.setup(seed=3)
    printed = capsys.readouterr()
    for name in ("python", "tensorflow", "keras", "numpy", "matplotlib"):
        assert name in info.versions
        assert name in printed.out
    assert "GPU" in printed.out and "FAST" in printed.out and "kernels" in printed.out
    assert info.seed == 3 and info.fast_mode is True
    assert isinstance(info.gpus, list)


def test_setup_applies_the_course_style():
    import matplotlib.pyplot as plt

    course.setup(verbose=False)
    assert plt.rcParams["image.cmap"] == "gray"
    assert plt.rcParams["image.interpolation"] == "nearest"


@pytest.mark.slow  # a new Python process imports TensorFlow (seconds)
def test_importing_tensorflow_prints_nothing_to_stderr(tmp_path):
    import subprocess
    import sys

    # IsMklEnabled: TensorFlow's own answer to "are the oneDNN kernels on in this process?"
    script = ("from helpers import course; course.import_tensorflow_quietly()\n"
              "from tensorflow.python.util import _pywrap_util_port as port\n"
              "print('ok', port.IsMklEnabled())")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env={k: v for k, v in __import__("os").environ.items()
                                            if k not in ("TF_CPP_MIN_LOG_LEVEL",
                                                         "TF_ENABLE_ONEDNN_OPTS")})
    assert done.stdout.strip() == "ok True", "the oneDNN kernels must be on by default"
    assert done.stderr.strip() == "", done.stderr


def test_the_learner_can_keep_tensorflows_default_kernels(monkeypatch, capsys):
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    course.import_tensorflow_quietly()
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
    info = course.setup(verbose=True)
    assert info.onednn is False and "TensorFlow's default" in capsys.readouterr().out


def test_lesson_header_is_parsed(tmp_path):
    lesson = course.parse_lesson_header(write_notebook(tmp_path / "07_a.ipynb", HEADER))
    assert (lesson.number, lesson.title, lesson.minutes) == ("07", "A lesson", 12)
    assert lesson.objectives == ["do one thing", "do another"]
    assert lesson.purpose == "What it is for."
    assert lesson.prerequisites == "00 · Start here."


@pytest.mark.parametrize("drop", ["**Time:**", "**You will learn to**", "**Prerequisites:**", "# 07"])
def test_lesson_header_names_what_is_missing(tmp_path, drop):
    header = "\n".join(line for line in HEADER.splitlines() if not line.startswith(drop))
    with pytest.raises(ValueError, match="lacks"):
        course.parse_lesson_header(write_notebook(tmp_path / "07_a.ipynb", header))


def test_course_map_follows_the_notebooks_folder(tmp_path):
    write_notebook(tmp_path / "07_a.ipynb", HEADER)
    write_notebook(tmp_path / "03_b.ipynb", HEADER.replace("07", "03").replace("12 min", "4 min"))
    lessons = course.course_map(tmp_path)
    assert [lesson.number for lesson in lessons] == ["03", "07"]
    table = course.course_map_markdown(tmp_path)
    assert "[A lesson](03_b.ipynb)" in table and "**~16 min**" in table


def test_every_course_notebook_has_a_complete_header():
    lessons = course.course_map()
    assert lessons, "no notebooks found"
    assert lessons[0].path.name == "00_start_here.ipynb"
    numbers = [lesson.number for lesson in lessons]
    assert len(set(numbers)) == len(numbers), f"two notebooks share a number: {numbers}"
    for lesson in lessons:
        assert lesson.path.name.startswith(lesson.number + "_"), lesson.path.name
        assert 2 <= len(lesson.objectives) <= 6, f"{lesson.path.name}: {lesson.objectives}"
        assert lesson.minutes and lesson.minutes > 0


def test_every_notebook_follows_the_lesson_template():
    for path in course.list_notebooks():
        nb = nbformat.read(path, as_version=4)
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        for heading in ("## Setup", "## Recap", "## Quiz", "## Further reading"):
            assert heading in markdown, f"{path.name} lacks '{heading}'"
        # the end of a lesson, in this order (CONTRIBUTING.md); 00 has no "## Exercises"
        ending = [h for h in ("## Recap", "## Exercises", "## Quiz", "## Further reading")
                  if h in markdown]
        assert sorted(ending, key=markdown.index) == ending, f"{path.name}: the lesson ends " \
            f"with {' → '.join(ending)}, in this order"
        assert "course.setup(" in code, f"{path.name} never calls course.setup()"
        assert "sys.path" not in code and "pip install" not in code, path.name


def test_the_readme_lists_every_lesson_with_its_title():
    """The README's lesson table follows the notebooks folder: every notebook once, under its
    own number and title, and no link to a notebook that is not there."""
    import re

    readme = (course.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d\d) \| \[([^\]]+)\]\(notebooks/([^)]+\.ipynb)\)", readme, re.M)
    listed = [(number, title, name) for number, title, name in rows]
    expected = [(lesson.number, lesson.title, lesson.path.name) for lesson in course.course_map()]
    assert listed == expected, "update the lesson table in README.md"


def test_environment_report_flags_mismatches(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("numpy==0.0.1  # wrong on purpose\nkeras==" + __import__("keras").__version__ + "\n")
    rows = {name: ok for name, _, _, ok in course.compare_with_pins(req)}
    assert rows == {"numpy": False, "keras": True}
    assert "1 package(s) differ" in course.environment_report(req)
