"""helpers.checks.start_here: the exercise of notebook 00."""

import numpy as np
from quiz_keys import assert_answer_key

from helpers import convolution
from helpers.checks import start_here


def test_output_size_exercise():
    assert start_here.check_output_size(26)
    assert start_here.check_output_size(26.0)
    assert "'same' padding" in start_here.check_output_size(28).message
    assert "off by one" in start_here.check_output_size(25).message
    assert "side length" in start_here.check_output_size(676).message


def test_the_checker_never_reveals_the_answer():
    for answer in (0, 25, 27, 28, 676, 1000, "text"):
        assert "26" not in start_here.check_output_size(answer).message


def test_the_quiz_answer_key():
    assert_answer_key(start_here.QUIZ, "start_here")
    pixels = start_here.QUIZ.questions[3].key()
    assert pixels == convolution.convolve2d_fast(np.zeros((32, 32)), np.ones((3, 3))).size
