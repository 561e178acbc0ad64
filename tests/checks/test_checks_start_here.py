"""helpers.checks.start_here: the exercise of notebook 00."""

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
