"""Stop early, with advice, when this Python cannot run the course.

    python3 tools/check_python.py        # exit 0 when the version is supported

TensorFlow 2.21 publishes wheels for Python 3.10 to 3.13 only, and NumPy 2.4 needs 3.11 or
newer: with any other Python, `pip install` fails after a long download with "No matching
distribution found for tensorflow". `make` runs this check before it creates the environment.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import sys

SUPPORTED = ((3, 11), (3, 13))  # first and last supported (major, minor)


def supported(version: tuple[int, int]) -> bool:
    return SUPPORTED[0] <= tuple(version[:2]) <= SUPPORTED[1]


def advice(version: tuple[int, int], executable: str = "python3") -> str:
    """What to tell a learner whose ``executable`` is Python ``version``."""
    first, last = (f"{major}.{minor}" for major, minor in SUPPORTED)
    found = f"{version[0]}.{version[1]}"
    return (
        f"{executable} is Python {found}, but the course needs Python {first} to {last}: "
        f"TensorFlow 2.21 has no packages for Python {found}.\n"
        f"Install Python {last} (python.org, your package manager, `pyenv install {last}` or "
        f"`uv python install {last}`), then run for example:\n"
        f"    make start PYTHON=python{last}\n"
        "or use the conda route of the README (environment.yml brings its own Python)."
    )


def main() -> int:
    if supported(sys.version_info[:2]):
        return 0
    print(advice(sys.version_info[:2], sys.executable), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
