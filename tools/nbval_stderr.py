"""pytest plugin for the notebook checks (loaded with ``-p nbval_stderr``)."""


def pytest_collectstart(collector):
    """nbval: never compare stderr. Warnings and TensorFlow notices on stderr vary between
    machines and versions; the checked outputs are the stdout and display data."""
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # nbval not installed: nothing to adjust
        return
    if isinstance(collector, IPyNbFile) and "stderr" not in collector.skip_compare:
        collector.skip_compare = (*collector.skip_compare, "stderr")
