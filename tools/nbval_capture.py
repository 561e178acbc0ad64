"""pytest plugin that keeps what nbval ran (loaded with ``-p nbval_capture``).

With ``--save-executed DIR`` every notebook nbval runs is written to ``DIR/<name>.ipynb`` with the
outputs each cell produced, as soon as its last cell has run: the course site is built from these
copies (``tools/build_site.py``), so the notebooks are executed once for both the checks and the
site. Without the option the plugin does nothing.
"""

from __future__ import annotations

import copy
from pathlib import Path

import build_site  # tools/ is on the path wherever this plugin is loaded from

_RUN: dict = {}  # notebook collector -> {code cell number: (outputs, ran, skipped on purpose)}


def pytest_addoption(parser):
    parser.addoption("--save-executed", metavar="DIR", default=None,
                     help="write each notebook nbval ran, with its outputs, into DIR")


def _is_nbval_cell(item) -> bool:
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:
        return False
    return isinstance(item, IPyNbCell)


def _write_notebook(collector, cells: dict, folder: Path) -> None:
    """The notebook as nbval read it, with the outputs its cells produced in this run."""
    nb = copy.deepcopy(collector.nb)
    count = 0
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells):
        outputs, ran, _ = cells.get(number, ([], False, False))
        if ran:
            count += 1
        cell.execution_count = count if ran else None
        cell.outputs = [_as_output(out, count) for out in outputs]
    # complete: every code cell ran, or was skipped by its nbval-skip tag
    complete = len(cells) == len(code_cells) and all(ran or skip for _, ran, skip in cells.values())
    build_site.mark_executed(nb, complete=complete)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(str(collector.fspath)).name
    build_site.write_notebook(nb, target)


def _as_output(out, count: int):
    """nbval's record of one output as a notebook output (execute_result keeps its count)."""
    out = copy.deepcopy(out)
    if out.get("output_type") == "execute_result":
        out["execution_count"] = count
    return out


def pytest_runtest_teardown(item, nextitem):
    folder = item.config.getoption("save_executed", default=None)
    if not folder or not _is_nbval_cell(item):
        return
    cells = _RUN.setdefault(item.parent, {})
    outputs = item.test_outputs
    cells[item.cell_num] = (list(outputs or []), outputs is not None, bool(item.options["skip"]))
    if nextitem is None or nextitem.parent is not item.parent:
        _write_notebook(item.parent, _RUN.pop(item.parent), Path(folder))


def pytest_sessionfinish(session):
    """A notebook whose last cell never ran (a run stopped early) is written as far as it got."""
    folder = session.config.getoption("save_executed", default=None)
    if folder:
        for collector, cells in list(_RUN.items()):
            _write_notebook(collector, cells, Path(folder))
        _RUN.clear()
