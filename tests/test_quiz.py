"""helpers.quiz: the questions, their feedback, the widget, and a quiz at the end of every lesson."""

import importlib
import re

import nbformat
import pytest

from helpers import course, progress, quiz
from helpers.data import locations

CHOICE = quiz.Choice("Which layer has no weights?", correct="max pooling",
                     wrong={"convolution": "a convolution learns its kernels.",
                            "dense": "a dense layer learns W and b."},
                     why="pooling only compares values.")
NUMBER = quiz.Number("Output side of a 3×3 kernel on 28×28, no padding?", answer=26,
                     mistakes=[(28, "that is 'same' padding."), (25, "off by one.")],
                     otherwise="count the positions where the whole kernel fits.")
DECIMAL = quiz.Number("PPV?", answer=0.16102, otherwise="use Bayes' rule.")


def test_a_choice_names_the_mistake_of_each_wrong_option():
    assert CHOICE.check("max pooling").message == "pooling only compares values."
    assert CHOICE.check("dense").message == "a dense layer learns W and b."
    assert CHOICE.check(None).message == quiz.NO_CHOICE
    assert "not one of the options" in CHOICE.check("softmax").message


def test_the_options_keep_one_order_that_does_not_follow_the_writing():
    assert CHOICE.options() == CHOICE.options()
    orders = {tuple(quiz.Choice(f"question {i}?", correct="a", wrong={"b": "1", "c": "2"})
                    .options()) for i in range(20)}
    assert {order[0] for order in orders} == {"a", "b", "c"}


@pytest.mark.parametrize("typed", ["26", " 26 ", "26.0", "52/2", "2.6e1"])
def test_a_number_is_accepted_however_it_is_typed(typed):
    assert NUMBER.check(typed)


@pytest.mark.parametrize("typed", ["0.161", "0.16102", "1/6.2104", "0.1610"])
def test_three_significant_digits_are_enough(typed):
    assert DECIMAL.check(typed)
    assert DECIMAL.check("0.16").message == quiz.TOO_ROUGH
    assert DECIMAL.check("0.2").message == "use Bayes' rule."


def test_a_number_names_its_typical_mistakes_and_text_gets_asked_for_a_number():
    assert NUMBER.check(28).message == "that is 'same' padding."
    assert NUMBER.check("25").message == "off by one."
    assert NUMBER.check(30).message == "count the positions where the whole kernel fits."
    assert NUMBER.check("twenty-six").message == quiz.NOT_A_NUMBER
    assert NUMBER.check("26 px").message == quiz.NOT_A_NUMBER
    assert NUMBER.check("1/0").message == quiz.NOT_A_NUMBER
    assert NUMBER.check("").message == quiz.NO_NUMBER
    assert "0.25" in quiz.NOT_A_NUMBER  # the message says how to write a number


def test_a_number_typed_in_python_gets_the_frameworks_feedback():
    assert NUMBER.check([26]) and NUMBER.check(26.0)
    assert "NaN" in NUMBER.check(float("nan")).message
    assert "shape" in NUMBER.check([26, 26]).message


def test_a_question_without_its_own_feedback_is_refused():
    with pytest.raises(ValueError, match="own explanation"):
        quiz.Choice("?", correct="a", wrong={"b": "same", "c": "same"})
    with pytest.raises(ValueError, match="also listed as wrong"):
        quiz.Choice("?", correct="a", wrong={"a": "x"})
    with pytest.raises(ValueError, match="at least one wrong"):
        quiz.Choice("?", correct="a", wrong={})
    with pytest.raises(ValueError, match="own hint"):
        quiz.Number("?", answer=1, mistakes=[(2, "again")], otherwise="again")
    with pytest.raises(ValueError, match="counts as correct"):
        quiz.Number("?", answer=0.161, mistakes=[(0.1612, "rounded")], otherwise="no")
    with pytest.raises(ValueError, match="no questions"):
        quiz.Quiz("convolution", [])


def test_quiz_check_counts_from_one_and_records_a_correct_answer(tmp_path, monkeypatch):
    monkeypatch.setenv(locations.PROGRESS_VARIABLE, str(tmp_path / "progress.json"))
    lesson = quiz.Quiz("convolution", [CHOICE, NUMBER])
    assert lesson.items() == ["1", "2"]
    assert not lesson.check(2, 25)
    assert progress.passed("convolution", "quiz") == []
    result = lesson.check(2, "26")
    assert result and result.exercise == "question 2"
    assert progress.passed("convolution", "quiz") == ["2"]
    with pytest.raises(ValueError, match="2 questions"):
        lesson.check(3, "26")


def test_the_widget_gives_feedback_on_check():
    import ipywidgets

    box = quiz.Quiz("convolution", [CHOICE, NUMBER]).show()
    first, second = box.children[1:]
    choices, button, feedback = first.children[1:]
    assert isinstance(choices, ipywidgets.RadioButtons) and choices.value is None
    assert list(choices.options) == CHOICE.options()
    button.click()
    assert quiz.NO_CHOICE in feedback.value
    choices.value = "convolution"
    button.click()
    assert "Not yet" in feedback.value and "learns its kernels" in feedback.value
    choices.value = "max pooling"
    button.click()
    assert "Correct" in feedback.value and "compares values" in feedback.value
    text, button, feedback = second.children[1:]
    assert isinstance(text, ipywidgets.Text)
    text.value = "twenty-six"
    button.click()
    assert "type a number with digits" in feedback.value
    text.value = "26"
    button.click()
    assert "Correct" in feedback.value


# --------------------------------------------------------------------------- every lesson

LESSONS = course.list_notebooks()


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_every_lesson_has_a_quiz_beside_its_exercises(path):
    module = importlib.import_module(f"helpers.checks.{course.notebook_slug(path)}")
    assert isinstance(module.QUIZ, quiz.Quiz) and module.QUIZ.notebook == course.notebook_slug(path)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_every_notebook_shows_its_quiz_before_further_reading(path):
    """`## Quiz`, then one code cell that shows the lesson's QUIZ: after the exercises, before
    Further reading; not a solution (the student edition keeps it) and not output-checked."""
    cells = nbformat.read(path, as_version=4).cells
    headings = [(i, line) for i, c in enumerate(cells) if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("## ")]
    quiz_at = [i for i, line in headings if line.strip() == "## Quiz"]
    assert len(quiz_at) == 1, f"{path.name}: one '## Quiz' heading"
    reading = [i for i, line in headings if line.strip() == "## Further reading"]
    assert reading and quiz_at[0] < reading[0], f"{path.name}: the quiz comes before Further reading"
    shows = [i for i, c in enumerate(cells) if c.cell_type == "code"
             and re.search(r"\bcheck_\w+\.QUIZ\.show\(\)", c.source)]
    assert len(shows) == 1 and quiz_at[0] < shows[0] < reading[0], path.name
    cell = cells[shows[0]]
    assert "SOLUTION" not in cell.source
    assert "nbval-check-output" not in cell.metadata.get("tags", [])
    alias = re.search(r"\b(check_\w+)\.QUIZ", cell.source).group(1)
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert f"from helpers.checks import {course.notebook_slug(path)} as {alias}" in code, path.name
