"""Exercise checker of ``notebooks/00_start_here.ipynb``."""

from __future__ import annotations

from helpers import checks, quiz


@checks.exercise
def check_output_size(answer) -> checks.CheckResult:
    """Exercise 00.1: side length of the output of a 3×3 convolution (no padding, stride 1)
    on a 28×28 image."""
    n, k = 28, 3
    return checks.check_number(
        "output size",
        answer,
        n - k + 1,
        mistakes=[
            (n, "that is the size with 'same' padding; here there is no padding, so the kernel "
                "cannot be centred on the border pixels."),
            (n - k, "off by one: count the positions where the kernel fits, including the first."),
            (n - k + 2, "off by one: count the positions where the kernel fits completely."),
            ((n - k + 1) ** 2, "asked for the side length, not the number of output pixels."),
        ],
    )


# --------------------------------------------------------------------------- quiz

QUIZ = quiz.Quiz("start_here", [
    quiz.Choice(
        "What does an exercise check do when your answer is wrong?",
        correct="It names the likely mistake and gives a hint, without showing the answer",
        wrong={
            "It shows the correct answer so that you can compare":
                "a check never reveals the answer: it compares yours with the typical mistakes "
                "and hints at the one you made.",
            "It only says right or wrong":
                "it does more: when it recognises a typical mistake it says which one (try 25 in "
                "the exercise above).",
        },
    ),
    quiz.Choice(
        "What does fast mode (CNN_COURSE_FAST=1) change?",
        correct="Fewer epochs and smaller data, so that every notebook runs quickly",
        wrong={
            "It runs the notebooks on a GPU":
                "no GPU is needed, in either mode: fast mode only picks the smaller of the two "
                "values given to course.pick(full, fast).",
            "It skips the cells that train models":
                "every cell still runs in fast mode, with the smaller settings that "
                "course.pick(full, fast) chooses.",
            "It changes the results printed in the checked cells":
                "checked outputs are the same in both modes: the checks compare them in fast "
                "mode, and you see the same numbers in full mode.",
        },
    ),
    quiz.Choice(
        "Why are medical images that are compared shown on one fixed grey scale (vmin, vmax)?",
        correct="So that a brighter panel really means brighter pixels",
        wrong={
            "So that each image uses its full contrast":
                "that is what a separate scale per image does: each panel is stretched to its own "
                "minimum and maximum, so a dark and a bright image can look the same.",
            "Because medical images always lie between 0 and 1":
                "they do not: CT values are Hounsfield units, from about −1000 (air) to well over "
                "1000 (dense bone); the fixed scale, or a CT window, is chosen for each "
                "comparison.",
        },
    ),
    quiz.Number(
        "A 3×3 kernel slides over a 32×32 image with no padding and stride 1. How many pixels "
        "does the output have in total (height × width)?",
        answer=30 * 30,
        mistakes=[
            (30, "that is the side length: the output is a square, so multiply height by width."),
            (32 * 32, "that is the input's pixel count: without padding the kernel cannot be "
                      "centred on the border pixels, so the output is smaller."),
            (29 * 29, "off by one: along a side the kernel fits at n − k + 1 positions, the first "
                      "one included."),
            (31 * 31, "off by one: the kernel must fit completely, so n − k + 1 positions per "
                      "side, not n − k + 2."),
        ],
        otherwise="find the side length first (the positions where the whole kernel fits), then "
                  "multiply height by width.",
    ),
])
