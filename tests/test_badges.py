"""The course's public address lives in pyproject.toml; every notebook's badges and Colab cell,
and the README's links, agree with it, and ``tools/badges.py`` moves them all together."""

import shutil
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import badges  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_notebook_agrees_with_the_address_in_pyproject():
    repo = badges.read_repository()
    found = [problem for path in NOTEBOOKS for problem in badges.problems(path, repo)]
    assert not found, "run `make badges`:\n" + "\n".join(found)


def test_the_readme_links_to_the_same_address():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert badges.readme_addresses(text) == {badges.read_repository()}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_badges_open_this_notebook(path):
    repo = badges.read_repository()
    cell = nbformat.read(path, as_version=4).cells[1]
    colab = urlsplit(badges.colab_url(repo, path.name))
    assert (colab.scheme, colab.netloc) == ("https", "colab.research.google.com")
    assert colab.path == f"/github/{repo}/blob/{badges.BRANCH}/notebooks/{path.name}"
    binder = urlsplit(badges.binder_url(repo, path.name))
    assert (binder.scheme, binder.netloc, binder.path) == ("https", "mybinder.org",
                                                            f"/v2/gh/{repo}/{badges.BRANCH}")
    assert parse_qs(binder.query) == {"labpath": [f"notebooks/{path.name}"]}
    assert f"]({colab.geturl()})" in cell.source and f"]({binder.geturl()})" in cell.source
    assert (ROOT / "notebooks" / path.name).is_file()


def test_the_opening_cell_stays_first_for_the_course_map():
    from helpers import course

    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        assert cells[0].source.startswith("# "), path.name
        assert course.parse_lesson_header(path).title


def make_copy(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A pyproject, a README and a notebook without badges, in ``tmp_path``."""
    pyproject, readme = tmp_path / "pyproject.toml", tmp_path / "README.md"
    shutil.copy(ROOT / "pyproject.toml", pyproject)
    shutil.copy(ROOT / "README.md", readme)
    nb = nbformat.read(NOTEBOOKS[3], as_version=4)
    nb.cells = [c for c in nb.cells
                if badges.BADGE_MARK not in c.source and badges.COLAB_MARK not in c.source]
    notebook = tmp_path / NOTEBOOKS[3].name
    nbformat.write(nb, notebook)
    return pyproject, readme, notebook


def test_moving_the_course_rewrites_the_address_everywhere_and_only_the_two_cells(tmp_path):
    pyproject, readme, notebook = make_copy(tmp_path)
    old = badges.read_repository(pyproject)
    before = nbformat.read(notebook, as_version=4).cells
    badges.set_repository("my-school/cnn-course", pyproject)
    assert badges.read_repository(pyproject) == "my-school/cnn-course"
    assert "[project.urls]" in pyproject.read_text() and old not in pyproject.read_text()

    assert badges.rewrite_notebook(notebook, "my-school/cnn-course")
    assert badges.problems(notebook, "my-school/cnn-course") == []
    after = nbformat.read(notebook, as_version=4).cells
    assert [c.id for c in after[1:3]] == [badges.BADGE_CELL_ID, badges.COLAB_CELL_ID]
    assert [c.source for c in after[:1] + after[3:]] == [c.source for c in before]
    assert 'COURSE = "/content/cnn-course"' in after[2].source
    assert "https://github.com/my-school/cnn-course.git" in after[2].source
    assert not badges.rewrite_notebook(notebook, "my-school/cnn-course")  # nothing new

    assert badges.rewrite_readme("my-school/cnn-course", old, readme)
    assert badges.readme_addresses(readme.read_text()) == {"my-school/cnn-course"}
    assert old not in readme.read_text()


def test_a_malformed_address_is_refused_with_advice(tmp_path):
    pyproject, _, _ = make_copy(tmp_path)
    for bad in ("cnn-course", "https://github.com/a/b", "a/b/c", "a b/c"):
        with pytest.raises(ValueError, match="owner/name"):
            badges.set_repository(bad, pyproject)
    assert badges.read_repository(pyproject) == badges.read_repository()
