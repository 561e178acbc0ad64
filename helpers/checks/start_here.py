"""Exercise checker of ``notebooks/00_start_here.ipynb``."""

from __future__ import annotations

from helpers import checks


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
