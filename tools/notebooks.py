"""Keep the course notebooks clean, refresh their checked outputs, and make the student version.

    python tools/notebooks.py check   [NOTEBOOK ...]   # fail if a notebook is not clean
    python tools/notebooks.py clean   [NOTEBOOK ...]   # make notebooks clean, in place
    python tools/notebooks.py refresh [NOTEBOOK ...]   # run in fast mode, keep checked outputs
    python tools/notebooks.py student [--out DIR]      # exercises without their solutions

"Clean" means: no outputs except in cells tagged ``nbval-check-output`` (those are compared
by nbval and kept on purpose, without stderr; a cell tag is invisible while reading), execution counts only on those cells, numbered
1, 2, 3 … (nbval skips a cell whose count is empty), only ``tags`` in cell
metadata, only the kernel's name in notebook metadata, and no machine paths anywhere.
With no NOTEBOOK arguments every ``notebooks/*.ipynb`` is processed.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHECK_TAG = "nbval-check-output"
#: nbval's comment marker: it would show in the learner's cell, so the course uses the tag.
CHECK_COMMENT = "NBVAL_CHECK_OUTPUT"
KEPT_MIME = ("text/plain", "text/markdown", "text/html", "text/latex")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
MACHINE_PATH = re.compile(r"(/home/|/Users/|/root/|/work/|/tmp/|/private/var/|[A-Za-z]:\\\\Users)")
SOLUTION_BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
SOLUTION_END = re.compile(r"^\s*# END SOLUTION\s*$")


def is_checked(cell) -> bool:
    """True for code cells whose output nbval compares (tagged ``nbval-check-output``)."""
    return cell.cell_type == "code" and CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def _clean_output(output, execution_count: int):
    output = copy.deepcopy(output)
    if output.get("output_type") in ("execute_result", "display_data"):
        output["data"] = {k: v for k, v in output.get("data", {}).items() if k in KEPT_MIME}
        output["metadata"] = {}
        if output["output_type"] == "execute_result":
            output["execution_count"] = execution_count
        if not output["data"]:
            return None
    elif output.get("output_type") == "stream" and output.get("name") == "stderr":
        return None
    return output


def clean_notebook(nb):
    """Return a clean copy of ``nb`` (see the module docstring)."""
    nb = copy.deepcopy(nb)
    nb.metadata = nbformat.NotebookNode(
        {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    )
    count = 0
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags")
        cell["metadata"] = nbformat.NotebookNode({"tags": tags} if tags else {})
        if cell.cell_type != "code":
            continue
        cell["execution_count"] = None
        if is_checked(cell):
            count += 1
            cell["execution_count"] = count
            cleaned = [_clean_output(o, count) for o in cell.get("outputs", [])]
            cell["outputs"] = [o for o in cleaned if o is not None]
        else:
            cell["outputs"] = []
    return nb


def problems(path: Path) -> list[str]:
    """What is unclean about the notebook at ``path`` (empty when it is clean)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        where = f"{path.name} cell {index}"
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None and not is_checked(cell):
                found.append(f"{where}: has an execution count")
            if cell.get("outputs") and not is_checked(cell):
                found.append(f"{where}: has outputs but is not tagged {CHECK_TAG}")
            if CHECK_COMMENT in cell.source:
                found.append(f"{where}: uses the # {CHECK_COMMENT} comment, which the learner "
                             f"sees: tag the cell {CHECK_TAG} instead")
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    found.append(f"{where}: keeps a stderr output")
        extra = set(cell.get("metadata", {})) - {"tags"}
        if extra:
            found.append(f"{where}: cell metadata {sorted(extra)} (only 'tags' is kept)")
        if MACHINE_PATH.search(nbformat.writes(nbformat.from_dict({"cells": [cell], "metadata": {},
                                                                  "nbformat": 4, "nbformat_minor": 5}))):
            found.append(f"{where}: contains a machine path")
    if nb.metadata != clean_notebook(nb).metadata:
        found.append(f"{path.name}: notebook metadata beyond the kernel name")
    if not found and clean_notebook(nb) != nb:
        found.append(f"{path.name}: differs from its cleaned version")
    return found


def refresh(path: Path, timeout: int = 900) -> None:
    """Run the notebook in fast mode from its own folder, then clean and save it."""
    from nbclient import NotebookClient

    from helpers.data import locations  # the same data as the notebook checks use

    nb = nbformat.read(path, as_version=4)
    os.environ["CNN_COURSE_FAST"] = "1"
    for name, value in locations.notebook_environment().items():
        os.environ.setdefault(name, value)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(clean_notebook(nb), path)


def strip_solutions(source: str) -> str:
    """Replace every ``# BEGIN SOLUTION`` … ``# END SOLUTION`` block with a placeholder."""
    out, inside = [], False
    for line in source.splitlines():
        begin = SOLUTION_BEGIN.match(line)
        if begin:
            inside = True
            out.append(f"{begin.group(1)}...  # your code here")
        elif SOLUTION_END.match(line):
            if not inside:
                raise ValueError("'# END SOLUTION' without a '# BEGIN SOLUTION' before it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("'# BEGIN SOLUTION' is never closed by '# END SOLUTION'")
    return "\n".join(out)


#: the badge cell of a notebook (written by tools/badges.py) carries links to the published
#: notebooks, which hold the solutions; the student edition says this instead
STUDENT_BADGE_NOTE = (
    "*Student edition. Open it in JupyterLab (`make start`), or on Google Colab with File → Upload "
    "notebook; on Colab, run the next cell first (it fetches the course's helpers), anywhere else "
    "it does nothing.*")


def student_version(nb):
    """The notebook as a student receives it: clean, solutions replaced, no outputs, and no
    Colab or Binder badge (those open the published notebooks, solutions included)."""
    nb = clean_notebook(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.get("id") == "course-badges":
            cell.source = STUDENT_BADGE_NOTE
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            if "# your code here" in cell.source:
                cell.outputs = []
    nb.cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
    return nb


def _paths(args: list[str]) -> list[Path]:
    return [Path(a) for a in args] if args else sorted(NOTEBOOKS.glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["check", "clean", "refresh", "student"])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--out", default=str(ROOT / "build" / "student"),
                        help="where 'student' writes (default: build/student)")
    args = parser.parse_args(argv)
    paths = _paths(args.notebooks)
    if args.command == "check":
        found = [p for path in paths for p in problems(path)]
        for line in found:
            print(line)
        if found:
            print(f"{len(found)} problem(s); run `make clean-notebooks` to fix them.")
            return 1
        print(f"{len(paths)} notebook(s) clean.")
        return 0
    if args.command == "clean":
        for path in paths:
            nbformat.write(clean_notebook(nbformat.read(path, as_version=4)), path)
        print(f"cleaned {len(paths)} notebook(s)")
        return 0
    if args.command == "refresh":
        for path in paths:
            print(f"refreshing {path.name} ...", flush=True)
            refresh(path)
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        nbformat.write(student_version(nbformat.read(path, as_version=4)), out / path.name)
    print(f"wrote {len(paths)} student notebook(s) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
