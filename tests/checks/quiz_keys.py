"""The answer key of a lesson's quiz, checked the same way for every lesson (imported by the
tests in this folder): the correct answer passes however it is written, and every wrong option
or typical mistake gets its own explanation, never a generic one."""

from __future__ import annotations

from helpers import quiz


def assert_choice_key(question: quiz.Choice) -> None:
    assert question.check(question.key()), question.prompt
    assert sorted(question.options()) == sorted([question.correct, *question.wrong])
    messages = []
    for option, explanation in question.wrong.items():
        result = question.check(option)
        assert not result and result.message == explanation, (question.prompt, option)
        messages.append(result.message)
    assert len(set(messages)) == len(messages), question.prompt
    assert not question.check(None) and not question.check("an answer not on the list")


def _elsewhere(question: quiz.Number) -> float:
    """A number that is neither the answer nor one of the typical mistakes."""
    values = [question.answer, *(value for value, _ in question.mistakes)]
    return max(abs(v) for v in values) * 7 + 13.7


def assert_number_key(question: quiz.Number) -> None:
    answer = question.key()
    rounded = f"{answer:.0f}" if float(answer).is_integer() else f"{answer:.3g}"
    for written in (answer, float(answer), [answer], str(answer), f" {rounded} ",
                    str(answer).replace("-", "−")):
        assert question.check(written), (question.prompt, written)
    hints = []
    for value, hint in question.mistakes:
        for written in (value, f"{value:.6g}"):
            result = question.check(written)
            assert not result and result.message == hint, (question.prompt, value)
        hints.append(hint)
    other = question.check(_elsewhere(question))
    assert not other and other.message == question.otherwise, question.prompt
    assert len(set([*hints, question.otherwise])) == len(hints) + 1, question.prompt
    for text in ("twenty-six", "5 px", "50%"):
        result = question.check(text)
        assert not result and result.message == quiz.NOT_A_NUMBER, (question.prompt, text)


def assert_answer_key(lesson_quiz: quiz.Quiz, slug: str) -> None:
    """Every question of a lesson's quiz: 3 to 5 of them, each with a tested key."""
    assert lesson_quiz.notebook == slug
    assert 3 <= len(lesson_quiz.questions) <= 5, len(lesson_quiz.questions)
    assert len({q.prompt for q in lesson_quiz.questions}) == len(lesson_quiz.questions)
    for question in lesson_quiz.questions:
        if isinstance(question, quiz.Choice):
            assert_choice_key(question)
        else:
            assert_number_key(question)
