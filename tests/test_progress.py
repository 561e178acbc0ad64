"""helpers.progress: passed exercises and quiz questions, kept in one local JSON file."""

import json

import pytest

from helpers import checks, progress
from helpers.checks import convolution, start_here
from helpers.data import locations


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """Recording on, into a file of this test only."""
    path = tmp_path / "data" / "progress.json"
    monkeypatch.setenv(locations.PROGRESS_VARIABLE, str(path))
    return path


def row(number: str) -> progress.Row:
    return next(r for r in progress.rows() if r.number == number)


def test_the_tests_record_nothing():
    """tests/conftest.py switches recording off for every test of the suite."""
    assert locations.progress_file() is None
    assert start_here.check_output_size(26)
    assert progress.record("start_here", "exercise", "check_output_size") is False
    assert "Recording is off" in str(progress.show())


def test_a_passed_check_is_recorded_under_its_notebook(progress_file):
    assert not start_here.check_output_size(25)
    assert not progress_file.exists()  # a wrong answer records nothing
    assert start_here.check_output_size(26)
    saved = json.loads(progress_file.read_text(encoding="utf-8"))
    assert saved["notebooks"] == {"start_here": {"exercise": ["check_output_size"]}}
    assert start_here.check_output_size(26.0)  # passing twice counts once
    assert progress.passed("start_here", "exercise") == ["check_output_size"]


def test_totals_come_from_the_decorated_checkers_and_the_quiz():
    every = progress.totals("convolution")
    assert every["exercise"] == checks.exercises_of(convolution)
    assert "check_conv2d" in every["exercise"] and len(every["exercise"]) == 4
    assert every["quiz"] == convolution.QUIZ.items()
    assert progress.totals("no_such_notebook") == {"exercise": [], "quiz": []}


def test_the_table_counts_exercises_and_quiz_questions(progress_file):
    assert convolution.check_parameter_count(convolution._stack_total())
    quiz = convolution.QUIZ
    assert quiz.check(1, quiz.questions[0].key())
    conv = row("02")
    assert (conv.exercises_passed, conv.quiz_passed) == (1, 1)
    assert conv.exercises_total == 4 and conv.quiz_total == len(quiz.questions)
    assert row("03").exercises_passed == 0
    text = str(progress.show())
    assert "02 · Convolution" in text and f"1 / {len(quiz.questions)}" in text
    assert str(progress_file) in text
    assert "| 02 · Convolution | 1 / 4 |" in progress.show()._repr_markdown_()


def test_an_item_that_no_longer_exists_does_not_count(progress_file):
    progress.record("convolution", "exercise", "check_an_old_exercise")
    assert row("02").exercises_passed == 0


def test_reset_one_notebook_by_slug_or_number_or_everything(progress_file):
    progress.record("convolution", "exercise", "check_conv2d")
    progress.record("pooling", "exercise", "check_max_pool")
    progress.reset("02")
    assert progress.passed("convolution", "exercise") == []
    assert progress.passed("pooling", "exercise") == ["check_max_pool"]
    progress.reset()
    assert not progress_file.exists()
    progress.reset()  # nothing to forget: no error


def test_a_damaged_file_counts_as_no_progress_and_is_replaced(progress_file):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{not json", encoding="utf-8")
    assert progress.passed("convolution", "exercise") == []
    assert progress.record("convolution", "exercise", "check_conv2d")
    assert progress.passed("convolution", "exercise") == ["check_conv2d"]


def test_a_file_that_cannot_be_written_warns_and_the_check_still_passes(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(locations.PROGRESS_VARIABLE, str(blocker / "progress.json"))
    with pytest.warns(UserWarning, match="CNN_COURSE_PROGRESS"):
        assert start_here.check_output_size(26)


def test_the_default_file_lives_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(locations.PROGRESS_VARIABLE)
    monkeypatch.setenv(locations.CACHE_VARIABLE, str(tmp_path))
    assert start_here.check_output_size(26)
    assert progress.passed("start_here", "exercise") == ["check_output_size"]
    assert (tmp_path / "progress.json").is_file()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        progress.record("convolution", "homework", "1")


#: one notebook's kernel recording its items, as fast as it can
RECORDER = """import sys
from helpers import progress
for item in range(int(sys.argv[2])):
    progress.record("convolution", "exercise", f"{sys.argv[1]}-{item}")
"""


def test_kernels_recording_at_the_same_time_lose_nothing(progress_file):
    """Four notebooks open at once, each recording 30 items into the same file: every item is
    kept (each record reads, adds and writes the file; two at once would drop one's item)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, locations.PROGRESS_VARIABLE: str(progress_file)}
    recorders = [subprocess.Popen([sys.executable, "-c", RECORDER, f"kernel{k}", "30"], env=env)
                 for k in range(4)]
    assert [recorder.wait(timeout=120) for recorder in recorders] == [0] * 4
    kept = set(progress.passed("convolution", "exercise"))
    assert kept == {f"kernel{k}-{item}" for k in range(4) for item in range(30)}
    assert not list(progress_file.parent.glob(".progress*")), "no temporary or lock file left"
