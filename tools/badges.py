"""The course's public address, and what is built from it: every notebook's "Open in Colab" and
Binder badges, its Colab cell, and the badges of the README.

    python tools/badges.py                    # rewrite them from the address in pyproject.toml
    python tools/badges.py --repo owner/name  # move the course: set the address, then rewrite
    python tools/badges.py --check            # fail when a notebook or the README disagrees

The address lives in one place, ``[project.urls] Repository`` of pyproject.toml
(``make badges REPO=owner/name`` runs the second command). Every notebook gets two cells right
after its opening cell: a markdown cell with the badges, and the Colab cell, which on Colab
only clones the course once and runs ``helpers/colab.py`` (anywhere else it does nothing).
Only these two cells of a notebook are ever rewritten.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
README = ROOT / "README.md"
NOTEBOOKS = ROOT / "notebooks"
BRANCH = "main"
GITHUB = "https://github.com/"
REPO_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+")
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
#: what identifies the two cells this tool owns in a notebook
BADGE_MARK = "[![Open in Colab]("
COLAB_MARK = '"google.colab" in sys.modules'
BADGE_CELL_ID, COLAB_CELL_ID = "course-badges", "course-colab"
#: the README's Colab and Binder links, which carry the address (``github.com/owner/name`` links
#: to the course are rewritten too when it moves)
README_LINK = re.compile(r"(colab\.research\.google\.com/github/|mybinder\.org/v2/gh/)"
                         r"([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+?)(?=/)")


def read_repository(pyproject: Path = PYPROJECT) -> str:
    """``owner/name`` of the course's repository, from ``[project.urls] Repository``."""
    url = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
    repo = url.removeprefix(GITHUB).rstrip("/")
    if not url.startswith(GITHUB) or not REPO_PATTERN.fullmatch(repo):
        raise ValueError(f"{pyproject.name}: Repository should be {GITHUB}owner/name, not {url!r}")
    return repo


def set_repository(repo: str, pyproject: Path = PYPROJECT) -> None:
    """Write ``owner/name`` as the address in ``pyproject``; ``ValueError`` for a malformed one."""
    if not REPO_PATTERN.fullmatch(repo):
        raise ValueError(f"give the repository as owner/name (e.g. my-school/cnn-course), not {repo!r}")
    text = pyproject.read_text(encoding="utf-8")
    new, count = re.subn(r'^Repository = ".*"$', f'Repository = "{GITHUB}{repo}"', text, flags=re.M)
    if count != 1:
        raise ValueError(f"{pyproject.name} needs one 'Repository = ...' line under [project.urls]")
    pyproject.write_text(new, encoding="utf-8")


def colab_url(repo: str, notebook: str) -> str:
    """Opens ``notebooks/<notebook>`` of ``repo`` in Google Colab."""
    return f"https://colab.research.google.com/github/{repo}/blob/{BRANCH}/notebooks/{notebook}"


def binder_url(repo: str, notebook: str) -> str:
    """Starts ``repo`` on mybinder.org and opens ``notebooks/<notebook>`` in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{repo}/{BRANCH}?labpath={quote('notebooks/' + notebook, safe='')}"


def badges_markdown(repo: str, notebook: str) -> str:
    """The two badges of ``notebook``, on one line."""
    return (f"[![Open in Colab]({COLAB_BADGE})]({colab_url(repo, notebook)}) "
            f"[![Open in Binder]({BINDER_BADGE})]({binder_url(repo, notebook)})")


def badge_cell_source(repo: str, notebook: str) -> str:
    return (badges_markdown(repo, notebook) + "\n\n"
            "*Nothing to install: open this notebook in Google Colab or on Binder. On Colab, run the "
            "next cell first; anywhere else it does nothing.*")


def clone_folder(repo: str) -> str:
    """Where the Colab cell clones the course: ``/content/<name>``."""
    return f"/content/{repo.split('/')[1]}"


def colab_cell_source(repo: str, folder: str | None = None) -> str:
    """The Colab cell: on Colab only, clone ``repo`` into ``folder`` once (shallow), then run
    ``helpers/colab.py`` from it; anywhere else nothing runs and nothing is printed."""
    folder = folder or clone_folder(repo)
    return f"""# On Google Colab: fetch the course once and add the packages Colab lacks.
# Anywhere else (your computer, Binder) this cell does nothing.
import sys

if {COLAB_MARK}:
    import os
    import runpy
    import subprocess

    COURSE = "{folder}"
    if not os.path.isdir(COURSE):
        subprocess.run(["git", "clone", "--depth=1", "--quiet",
                        "{GITHUB}{repo}.git", COURSE], check=True)
    runpy.run_path(f"{{COURSE}}/helpers/colab.py", run_name="__main__")"""


def _find(cells, cell_type: str, mark: str) -> int | None:
    return next((i for i, c in enumerate(cells) if c.cell_type == cell_type and mark in c.source),
                None)


def apply(nb, repo: str, notebook: str):
    """Give ``nb`` (named ``notebook``) its badge cell and Colab cell, right after its opening
    cell; cells already there are updated in place. Returns ``nb``."""
    wanted = [(BADGE_CELL_ID, "markdown", BADGE_MARK, badge_cell_source(repo, notebook)),
              (COLAB_CELL_ID, "code", COLAB_MARK, colab_cell_source(repo))]
    for position, (cell_id, cell_type, mark, source) in enumerate(wanted, start=1):
        index = _find(nb.cells, cell_type, mark)
        if index is None:
            make = nbformat.v4.new_markdown_cell if cell_type == "markdown" else nbformat.v4.new_code_cell
            nb.cells.insert(position, make(source, id=cell_id))
        else:
            nb.cells[index].source = source
    return nb


def problems(path: Path, repo: str) -> list[str]:
    """What in the notebook at ``path`` disagrees with ``repo`` (empty when all agrees)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for position, (cell_type, mark, source) in enumerate(
            [("markdown", BADGE_MARK, badge_cell_source(repo, path.name)),
             ("code", COLAB_MARK, colab_cell_source(repo))], start=1):
        index = _find(nb.cells, cell_type, mark)
        if index is None:
            found.append(f"{path.name}: no {cell_type} cell with {mark!r}")
        elif index != position:
            found.append(f"{path.name}: the cell with {mark!r} is cell {index}, not {position}")
        elif nb.cells[index].source != source:
            found.append(f"{path.name}: cell {index} does not match the address {repo}")
    return found


def rewrite_notebook(path: Path, repo: str) -> bool:
    """Read, update and write back ``path`` in one go; True when it changed."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    after = nbformat.writes(apply(nb, repo, path.name))
    if after != before:
        nbformat.write(nb, path)
    return after != before


def readme_addresses(text: str) -> set[str]:
    """The ``owner/name`` of every Colab and Binder link in the README ``text``."""
    return {match.group(2) for match in README_LINK.finditer(text)}


def rewrite_readme(repo: str, old: str, readme: Path = README) -> bool:
    """Replace the address ``old`` by ``repo`` in the README's links; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    new = README_LINK.sub(lambda m: m.group(1) + (repo if m.group(2) == old else m.group(2)), text)
    new = re.sub(rf"github\.com/{re.escape(old)}(?=[/.)\s]|$)", f"github.com/{repo}", new)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", help="the new address, owner/name (written to pyproject.toml)")
    parser.add_argument("--check", action="store_true", help="only report disagreements")
    args = parser.parse_args(argv)
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    old = read_repository()
    if args.check:
        found = [p for path in notebooks for p in problems(path, old)]
        found += [f"README.md links to {a}, not {old}"
                  for a in sorted(readme_addresses(README.read_text(encoding="utf-8")) - {old})]
        print("\n".join(found) or f"every notebook and the README point at {old}")
        return 1 if found else 0
    try:
        if args.repo:
            set_repository(args.repo)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    repo = read_repository()
    changed = [path.name for path in notebooks if rewrite_notebook(path, repo)]
    if rewrite_readme(repo, old):
        changed.append(README.name)
    print(f"{repo}: rewrote {', '.join(changed) if changed else 'nothing (all up to date)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
