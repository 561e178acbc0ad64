"""pytest configuration shared by the unit tests and the nbval notebook checks."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def pytest_collectstart(collector):
    """nbval: never compare stderr. Warnings and TensorFlow notices on stderr vary between
    machines and versions; the checked outputs are the stdout and display data."""
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # nbval not installed: nothing to adjust
        return
    if isinstance(collector, IPyNbFile) and "stderr" not in collector.skip_compare:
        collector.skip_compare = (*collector.skip_compare, "stderr")
