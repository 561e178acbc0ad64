"""End-of-lesson quizzes: multiple-choice and numeric questions with instant feedback.

A lesson's quiz is ``QUIZ`` in its exercise module, ``helpers/checks/<slug>.py``::

    QUIZ = quiz.Quiz("convolution", [
        quiz.Choice("Which operation flips the kernel?", correct="convolution",
                    wrong={"cross-correlation": "Keras computes this one: no flip ..."}),
        quiz.Number("Output side of a 3×3 kernel on 28×28, no padding, stride 1?", answer=26,
                    mistakes=[(28, "that is 'same' padding ...")],
                    otherwise="count the positions where the whole kernel fits ..."),
    ])

and the notebook shows it with ``check_convolution.QUIZ.show()``: choose or type an answer,
press *Check*, and read "correct" or why that answer is wrong. Every wrong option carries its
own explanation; numbers are checked with :func:`helpers.checks.check_number` (three
significant digits, whole numbers exactly), typed as ``26``, ``0.25``, ``1/4`` or ``2.5e-3``.
A correct answer is recorded in the learner's progress (:mod:`helpers.progress`).
"""

from __future__ import annotations

import html
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from helpers import checks

NOT_A_NUMBER = ("type a number with digits, such as 26, 0.25 or 1/4 (a decimal point, not a "
                "comma; no units or % signs).")
NO_CHOICE = "choose one of the answers first, then press Check."
NO_NUMBER = "no answer yet: type a number in the box, then press Check."
TOO_ROUGH = (f"close, but too rounded: give {checks.SIGNIFICANT_DIGITS} significant digits "
             "(for example 0.123, not 0.12).")


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question: the correct option and, for every wrong option, why it is
    wrong. ``why`` (optional) is said with "correct". The options are shown in an order fixed by
    the prompt, so where the correct one sits says nothing."""

    prompt: str
    correct: str
    wrong: Mapping[str, str]
    why: str = ""

    def __post_init__(self):
        if not self.wrong:
            raise ValueError(f"{self.prompt!r}: give at least one wrong option")
        if self.correct in self.wrong:
            raise ValueError(f"{self.prompt!r}: the correct option is also listed as wrong")
        explanations = list(self.wrong.values())
        if any(not text.strip() for text in explanations) or \
                len(set(explanations)) != len(explanations):
            raise ValueError(f"{self.prompt!r}: every wrong option needs its own explanation")

    def key(self) -> str:
        """The correct answer, as the widget gives it."""
        return self.correct

    def options(self) -> list[str]:
        """Every option, in the order the widget shows them."""
        every = [self.correct, *self.wrong]
        return random.Random(self.prompt).sample(every, len(every))

    def check(self, answer, label: str = "quiz") -> checks.CheckResult:
        """``answer``: the text of one option."""
        if answer is None or answer is Ellipsis or answer == "":
            return checks.failed(label, NO_CHOICE)
        if answer == self.correct:
            return checks.passed(label, self.why or "well done.")
        if answer in self.wrong:
            return checks.failed(label, self.wrong[answer])
        return checks.failed(label, "that is not one of the options: pick one of those shown.")


def parse_number(text: str) -> float | None:
    """The number typed in ``text`` (``26``, ``-0.5``, ``−0.5``, ``1/4``, ``2.5e-3``), or None."""
    parts = text.strip().replace("−", "-").replace(" ", "").split("/")
    if len(parts) > 2:
        return None
    try:
        values = [float(part) for part in parts]
        return values[0] / values[1] if len(values) == 2 else values[0]
    except (ValueError, ZeroDivisionError):
        return None


@dataclass(frozen=True)
class Number:
    """A question whose answer is a number. ``mistakes`` pairs the number each typical mistake
    gives with why it is wrong; ``otherwise`` is the hint for any other number (specific to the
    question: what to reconsider). ``why`` (optional) is said with "correct"."""

    prompt: str
    answer: float
    otherwise: str
    mistakes: Sequence[tuple[float, str]] = field(default_factory=tuple)
    why: str = ""

    def __post_init__(self):
        object.__setattr__(self, "mistakes", tuple(self.mistakes))
        hints = [hint for _, hint in self.mistakes] + [self.otherwise]
        if any(not hint.strip() for hint in hints) or len(set(hints)) != len(hints):
            raise ValueError(f"{self.prompt!r}: every mistake needs its own hint, different "
                             "from `otherwise`")
        for value, _ in self.mistakes:
            if checks.matches(value, self.answer, digits=checks.SIGNIFICANT_DIGITS):
                raise ValueError(f"{self.prompt!r}: the mistake {value} counts as correct")

    def key(self) -> float:
        """The correct answer."""
        return self.answer

    def check(self, answer, label: str = "quiz") -> checks.CheckResult:
        """``answer``: a number, or the text typed in the widget's box."""
        if isinstance(answer, str):
            if not answer.strip():
                return checks.failed(label, NO_NUMBER)
            number = parse_number(answer)
            if number is None:
                return checks.failed(label, NOT_A_NUMBER)
            answer = number
        result = checks.check_number(label, answer, self.answer, self.mistakes,
                                     fallback_hint=self.otherwise)
        if result.ok:
            return checks.passed(label, self.why or "well done.")
        if result.message == self.otherwise and checks.matches(answer, self.answer, digits=2):
            return checks.failed(label, TOO_ROUGH)
        return result


Question = Choice | Number


@dataclass(frozen=True)
class Quiz:
    """The quiz of one notebook (``notebook``: its slug, e.g. ``"convolution"``)."""

    notebook: str
    questions: Sequence[Question]

    def __post_init__(self):
        object.__setattr__(self, "questions", tuple(self.questions))
        if not self.questions:
            raise ValueError(f"the quiz of {self.notebook} has no questions")

    def items(self) -> list[str]:
        """The questions' names in the learner's progress: ``"1"``, ``"2"``, ..."""
        return [str(number) for number in range(1, len(self.questions) + 1)]

    def check(self, number: int, answer) -> checks.CheckResult:
        """Check the answer to question ``number`` (from 1); a correct one is recorded."""
        if not 1 <= number <= len(self.questions):
            raise ValueError(f"question {number}: the quiz has {len(self.questions)} questions")
        result = self.questions[number - 1].check(answer, f"question {number}")
        if result.ok:
            from helpers import progress

            progress.record(self.notebook, "quiz", str(number))
        return result

    def show(self):
        """The quiz as a widget: every question with its choices (or a box for a number), a
        *Check* button and the feedback below it."""
        import ipywidgets as widgets

        intro = widgets.HTML(f"<p><b>Quiz</b> · {len(self.questions)} questions. Choose or type "
                             "an answer and press <i>Check</i>; give decimals to "
                             f"{checks.SIGNIFICANT_DIGITS} significant digits.</p>")
        return widgets.VBox([intro, *(self._question_box(number, question) for number, question
                                      in enumerate(self.questions, start=1))])

    def _question_box(self, number: int, question: Question):
        import ipywidgets as widgets

        prompt = widgets.HTML(f"<p><b>{number}.</b> {html.escape(question.prompt)}</p>")
        if isinstance(question, Choice):
            answer = widgets.RadioButtons(options=question.options(), value=None,
                                          layout=widgets.Layout(width="auto"))
        else:
            answer = widgets.Text(placeholder="a number", layout=widgets.Layout(width="14em"))
        button = widgets.Button(description="Check", tooltip=f"check question {number}")
        feedback = widgets.HTML()

        def show_feedback(_button) -> None:
            feedback.value = self.check(number, answer.value)._repr_html_()

        button.on_click(show_feedback)
        return widgets.VBox([prompt, answer, button, feedback],
                            layout=widgets.Layout(margin="0 0 12px 0"))
