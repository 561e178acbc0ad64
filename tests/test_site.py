"""The website of the executed course (tools/build_site.py and the nbval_capture plugin).

The first tests build a site from small hand-made executed notebooks. The last ones check the
real site, which the site stage of tools/run_checks.py builds from the notebooks its notebooks
stage ran; they are skipped where no site was built (``COURSE_SITE`` unset).
"""

import base64
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

from helpers import course  # noqa: E402

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n a figure").decode()
WIDGET_VIEW = {"model_id": "0123", "version_major": 2, "version_minor": 0}


def opening_cell(number: str, title: str) -> str:
    return (f"# {number} · {title}\n\n*What {title} is for.*\n\n**You will learn to**\n"
            f"- use {title}\n\n**Prerequisites:** none.\n\n**Time:** about 5 min on a laptop CPU.")


def executed_lesson(folder: Path, number: str, slug: str, outputs: list, source="show()"):
    """A lesson as the notebooks stage leaves it: run, with outputs, marked complete."""
    nb = new_notebook(cells=[new_markdown_cell(opening_cell(number, slug.title())),
                             new_code_cell(source, execution_count=1, outputs=outputs)])
    build_site.mark_executed(nb, complete=True)
    path = folder / f"{number}_{slug}.ipynb"
    nbformat.write(nb, path)
    return path


def figure_then_widget():
    """What nbval records for a widget's cell: the figure drawn at start, then the view."""
    return [new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
            new_output("execute_result", execution_count=1,
                       data={build_site.WIDGET_VIEW: WIDGET_VIEW, "text/plain": "VBox(...)"})]


@pytest.fixture
def three_lessons(tmp_path):
    executed = tmp_path / "executed"
    executed.mkdir()
    paths = [
        executed_lesson(executed, "00", "start", [new_output("stream", text="42\n")],
                        source="print(6 * 7)"),
        executed_lesson(executed, "01", "pooling", figure_then_widget()),
        executed_lesson(executed, "02", "review",
                        [new_output("display_data",
                                    data={"text/markdown": "Back to [pooling](01_pooling.ipynb#x)",
                                          "text/plain": "link"})]),
    ]
    return paths, tmp_path / "site"


def test_every_lesson_gets_a_page_with_its_outputs_and_the_site_checks_clean(three_lessons):
    paths, site_dir = three_lessons
    site = build_site.build_site(paths, site_dir)
    assert [page.name for page in site.pages] == ["00_start.html", "01_pooling.html",
                                                  "02_review.html"]
    assert "<pre>42\n</pre>" in (site_dir / "00_start.html").read_text(encoding="utf-8")
    links, problems = build_site.check_site(site_dir, paths)
    assert problems == []
    assert links > 3 * 3  # at least previous/map/next on every page


@pytest.mark.slow
def test_the_command_builds_with_two_processes_and_reports_the_site(three_lessons):
    paths, site_dir = three_lessons
    executed = str(paths[0].parent)
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"),
                          f"--executed={executed}", f"--notebooks={executed}",
                          f"--site={site_dir}", "--workers=2"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 pages, widgets: 1 shown by their first figure, 0 live only" in run.stdout
    assert "01_pooling_files" in (site_dir / "01_pooling.html").read_text(encoding="utf-8")
    assert build_site.check_site(site_dir, paths)[1] == []


def test_pages_link_to_the_previous_and_next_lesson_and_to_the_course_map(three_lessons):
    paths, site_dir = three_lessons
    build_site.build_site(paths, site_dir)
    middle = build_site.internal_links((site_dir / "01_pooling.html").read_text(encoding="utf-8"))
    assert {"00_start.html", "index.html", "02_review.html"} <= set(middle)
    first = build_site.internal_links((site_dir / "00_start.html").read_text(encoding="utf-8"))
    assert "01_pooling.html" in first and "02_review.html" not in first
    index = build_site.internal_links((site_dir / "index.html").read_text(encoding="utf-8"))
    assert {"00_start.html", "01_pooling.html", "02_review.html"} <= set(index)


def test_a_link_to_a_lessons_notebook_points_at_its_page(three_lessons):
    paths, site_dir = three_lessons
    build_site.build_site(paths, site_dir)
    page = (site_dir / "02_review.html").read_text(encoding="utf-8")
    assert 'href="01_pooling.html#x"' in page and "01_pooling.ipynb" not in page


def test_a_widget_becomes_a_note_above_the_figure_it_drew(three_lessons):
    paths, site_dir = three_lessons
    site = build_site.build_site(paths, site_dir)
    assert (site.widgets_with_figure, site.widgets_live_only) == (1, 0)
    page = (site_dir / "01_pooling.html").read_text(encoding="utf-8")
    assert build_site.WIDGET_VIEW not in page and "VBox(...)" not in page
    note = page.index('class="course-widget-note"')
    figure = build_site.internal_links(page[note:])[0]
    assert figure.startswith("01_pooling_files/")
    assert (site_dir / figure).read_bytes() == base64.b64decode(PNG)


def test_a_widget_that_drew_nothing_is_a_note_that_it_runs_live_only(tmp_path):
    quiz = [new_output("execute_result", execution_count=1,
                       data={build_site.WIDGET_VIEW: WIDGET_VIEW, "text/plain": "VBox(...)"})]
    nb = nbformat.read(executed_lesson(tmp_path, "00", "quiz", quiz), as_version=4)
    assert build_site.show_widgets_as_figures(nb) == (0, 1)
    assert [o.data for o in nb.cells[1].outputs] == [{"text/html": build_site.LIVE_WIDGET_NOTE}]


def test_mathjax_is_loaded_from_inside_the_site_when_it_is_installed(three_lessons):
    pytest.importorskip("jupyter_server_mathjax")
    paths, site_dir = three_lessons
    assert build_site.build_site(paths, site_dir).local_mathjax
    scripts = build_site.internal_links((site_dir / "00_start.html").read_text(encoding="utf-8"))
    assert "mathjax/MathJax.js" in scripts and (site_dir / "mathjax" / "MathJax.js").is_file()


def test_the_check_finds_a_missing_page_a_broken_link_and_an_error(three_lessons, tmp_path):
    paths, site_dir = three_lessons
    failing = executed_lesson(tmp_path / "executed", "03", "failing", [new_output(
        "error", ename="ValueError", evalue="bad", traceback=["ValueError: bad"])])
    build_site.build_site([*paths, failing], site_dir)
    (site_dir / "00_start.html").unlink()
    _, problems = build_site.check_site(site_dir, [*paths, failing])
    assert "no page for 00_start.ipynb" in problems
    assert "broken link index.html: 00_start.html" in problems
    assert "03_failing.html shows an error output" in problems


def test_a_folder_that_holds_something_else_is_never_replaced(three_lessons):
    paths, site_dir = three_lessons
    site_dir.mkdir()
    (site_dir / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="holds files but no site"):
        build_site.build_site(paths, site_dir)
    assert (site_dir / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_building_again_replaces_the_site(three_lessons):
    paths, site_dir = three_lessons
    build_site.build_site(paths, site_dir)
    paths[2].unlink()  # a lesson leaves the course
    build_site.build_site(paths[:2], site_dir)
    assert not (site_dir / "02_review.html").exists()
    assert build_site.check_site(site_dir, paths[:2])[1] == []


@pytest.mark.parametrize("page, found", [
    ("<pre>Traceback (most recent call last):\n  File ...</pre>", ["a traceback"]),
    ("<div>Error displaying widget: model not found</div>", ["a widget that failed to display"]),
    ("<pre>all fine</pre>", []),
])
def test_error_outputs_are_recognised_in_a_page(page, found):
    assert build_site.error_outputs(page) == found


def test_only_links_inside_the_site_are_checked():
    page = ('<a href="https://keras.io">k</a><a href="#recap">r</a><img src="data:image/png;'
            'base64,AAAA"><a href="mailto:a@b.c">m</a><a href="02_pooling.html#top">p</a>'
            '<script src="mathjax/MathJax.js?config=x"></script>')
    assert build_site.internal_links(page) == ["02_pooling.html", "mathjax/MathJax.js"]


def test_executed_copies_must_be_complete_and_current(tmp_path):
    notebooks, executed = tmp_path / "notebooks", tmp_path / "executed"
    notebooks.mkdir()
    executed.mkdir()
    for number, slug in [("00", "current"), ("01", "stale"), ("02", "stopped"), ("03", "never")]:
        nbformat.write(new_notebook(cells=[new_markdown_cell(opening_cell(number, slug))]),
                       notebooks / f"{number}_{slug}.ipynb")
    for number, slug in [("00", "current"), ("01", "stale"), ("02", "stopped")]:
        nb = nbformat.read(notebooks / f"{number}_{slug}.ipynb", as_version=4)
        if slug == "stale":
            nb.cells[0].source += "\n\nAn older sentence."
        build_site.mark_executed(nb, complete=slug != "stopped")
        nbformat.write(nb, executed / f"{number}_{slug}.ipynb")
    with pytest.raises(ValueError) as error:
        build_site.executed_notebooks(executed, notebooks)
    message = str(error.value)
    assert "00_current" not in message
    assert "01_stale.ipynb: executed from an older version" in message
    assert "02_stopped.ipynb: the run stopped before its last cell" in message
    assert "03_never.ipynb: not executed" in message
    (notebooks / "01_stale.ipynb").unlink()
    (notebooks / "02_stopped.ipynb").unlink()
    (notebooks / "03_never.ipynb").unlink()
    assert build_site.executed_notebooks(executed, notebooks) == [executed / "00_current.ipynb"]


@pytest.mark.slow
def test_nbval_keeps_each_cells_outputs_and_a_widgets_first_figure(tmp_path):
    """The capture plugin under nbval, with a real kernel: a widget of the course draws its
    first figure, which arrives as an output of the widget's cell."""
    source = tmp_path / "00_tiny.ipynb"
    nb = new_notebook(cells=[
        new_markdown_cell(opening_cell("00", "tiny")),
        new_code_cell("import ipywidgets\nimport matplotlib.pyplot as plt\n"
                      "from helpers import widgets\n\n"
                      "def draw(n):\n    figure, ax = plt.subplots()\n    ax.plot(range(n))\n"
                      "    return figure\n\n"
                      "widgets.interactive_figure(draw, n=ipywidgets.IntSlider(3, 1, 5))"),
        new_code_cell("print(6 * 7)"),
    ])
    nbformat.write(nb, source)
    executed = tmp_path / "executed"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "tools"), str(ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "pytest", str(source), "--nbval-lax",
                          "--nbval-current-env", "-p", "nbval_capture",
                          f"--save-executed={executed}", "-p", "no:cacheprovider", "-q",
                          f"--rootdir={tmp_path}"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    widget_cell, print_cell = nbformat.read(executed / source.name, as_version=4).cells[1:]
    figure, view = widget_cell.outputs
    assert "image/png" in figure.data and build_site.WIDGET_VIEW in view.data
    assert print_cell.outputs[0].text == "42\n" and print_cell.execution_count == 2
    assert build_site.executed_notebooks(executed, tmp_path) == [executed / source.name]


# --------------------------------------------------------------------------- the real site

SITE = os.environ.get("COURSE_SITE")
real_site = pytest.mark.skipif(not SITE, reason="the site stage of tools/run_checks.py builds "
                                                "the course site and sets COURSE_SITE")


def lessons() -> list[Path]:
    return course.list_notebooks(os.environ.get("COURSE_SITE_NOTEBOOKS") or None)


@real_site
def test_the_course_site_has_a_page_for_every_lesson_and_checks_clean():
    links, problems = build_site.check_site(Path(SITE), lessons())
    assert problems == []
    assert links >= 3 * len(lessons())


@real_site
def test_every_widget_that_draws_a_figure_shows_it_on_the_course_site():
    widget_pages = 0
    for lesson in lessons():
        page = (Path(SITE) / build_site.page_name(lesson)).read_text(encoding="utf-8")
        notes = page.split(build_site.WIDGET_NOTE)[1:]
        widget_pages += bool(notes)
        for after in notes:
            figures = build_site.internal_links(after.split('class="jp-Cell ')[0])
            assert any(f.startswith(f"{lesson.stem}_files/") for f in figures), \
                f"{lesson.name}: a widget shows no figure"
    assert widget_pages > 0
