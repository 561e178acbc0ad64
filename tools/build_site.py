"""Build the website of the executed course, with no network.

    python tools/build_site.py                          # build/executed/ -> build/site/
    python tools/build_site.py --executed DIR --site DIR

The executed notebooks come from the notebooks stage of ``tools/run_checks.py``: nbval runs every
notebook once, and the ``nbval_capture`` plugin writes each one with its outputs to
``build/executed/``. This script turns them into ``build/site/``: ``index.html`` with the course
map, one page per lesson with links to the previous and next lesson and to the course map, and
every figure in a folder beside its page. A widget cannot run in a static page: it is shown as the
figure it drew at the start, under a note that says how to run it live.

MathJax (the lessons' formulas) is copied into the site from the ``jupyter-server-mathjax``
package when it is installed; otherwise the pages load it from a CDN when they are viewed.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import multiprocessing
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the course's helpers, also where they are not installed
from helpers import course  # noqa: E402

EXECUTED_DIR = ROOT / "build" / "executed"
SITE_DIR = ROOT / "build" / "site"
COURSE_TITLE = "Convolutional Neural Networks in Medical Imaging"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# the note that stands for a widget: above the figure it drew at the start, or alone
WIDGET_NOTE = (
    '<p class="course-widget-note"><strong>Interactive widget.</strong> This page shows the '
    "figure it draws at the start. To move its controls, open the notebook in JupyterLab "
    "(<code>make start</code>).</p>"
)
LIVE_WIDGET_NOTE = (
    '<p class="course-widget-note course-widget-live"><strong>Interactive widget.</strong> It '
    "runs in JupyterLab only: open the notebook there (<code>make start</code>) to use it.</p>"
)
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"

# the lab template, with navigation above and below each page, error outputs marked, no
# require.js (no page of the course needs it: it only served old-style widget JavaScript), and
# the course's code shown as Pygments highlights it (the template also runs it through an HTML
# sanitizer, which took a third of the build and returned the course's cells unchanged)
PAGE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{% block extra_css %}
<style>
.course-nav { display: flex; justify-content: space-between; gap: 1em; max-width: 1100px;
  margin: 0.5em auto; padding: 0.6em 1em; font-family: sans-serif; border-radius: 6px;
  background: #f2f5f9; }
.course-nav a { text-decoration: none; color: #1a5490; }
.course-nav span { min-width: 12em; }
.course-nav .course-nav-map { text-align: center; }
.course-nav .course-nav-next { text-align: right; }
.course-widget-note { background: #fff8e1; border-left: 4px solid #f0b400;
  padding: 0.4em 0.8em; margin: 0.3em 0; }
</style>
{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
{{ resources.course_nav }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.course_nav }}
{{ super() }}
{% endblock body_footer %}
{% block input %}
<div class="jp-CodeMirrorEditor jp-Editor jp-InputArea-editor" data-type="inline">
<div class="cm-editor cm-s-jupyter">
{{ cell.source | highlight_code(metadata=cell.metadata) }}
</div>
</div>
{%- endblock input %}
{% block error -%}
<div class="course-error-output">
{{ super() }}
</div>
{%- endblock error %}
"""


# --------------------------------------------------------------------------- executed notebooks


def source_digest(nb) -> str:
    """A fingerprint of a notebook's cells (kind and source, not outputs): an executed copy is
    current when its digest matches the notebook's."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        digest.update(f"{cell.cell_type}\0{cell.source}\0".encode())
    return digest.hexdigest()


def mark_executed(nb, complete: bool) -> None:
    """Record in ``nb``'s metadata which source it was run from and whether every cell ran."""
    nb.metadata["course_site"] = {"source_digest": source_digest(nb), "complete": complete}


def write_notebook(nb, path: Path) -> None:
    """Write ``nb`` to ``path`` in one step, so that a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    nbformat.write(nb, partial)
    os.replace(partial, path)


def executed_notebooks(executed_dir: Path, notebooks_dir: Path) -> list[Path]:
    """The executed copy of every lesson of ``notebooks_dir``, in course order.

    ``ValueError`` names the lessons whose copy is missing, did not run to the end, or was run
    from an older version of the notebook.
    """
    found, problems = [], []
    for lesson in course.list_notebooks(notebooks_dir):
        copy = Path(executed_dir) / lesson.name
        if not copy.is_file():
            problems.append(f"{lesson.name}: not executed")
            continue
        record = nbformat.read(copy, as_version=4).metadata.get("course_site", {})
        current = source_digest(nbformat.read(lesson, as_version=4))
        if not record.get("complete"):
            problems.append(f"{lesson.name}: the run stopped before its last cell")
        elif record.get("source_digest") != current:
            problems.append(f"{lesson.name}: executed from an older version of the notebook")
        else:
            found.append(copy)
    if problems:
        raise ValueError("run the notebooks first (tools/run_checks.py --only notebooks,site): "
                         + "; ".join(problems))
    return found


# --------------------------------------------------------------------------- pages


def show_widgets_as_figures(nb) -> tuple[int, int]:
    """Replace each widget's live view with a note on running it live, placed above the figure
    the widget drew at the start. Returns how many widgets show a figure and how many do not.

    A widget draws its first figure into its output area while it is being built, so the
    kernel sends that figure (a ``display_data`` output of the same cell) just before the
    widget's view: the note goes in front of the displays that directly precede the view. A
    widget with nothing drawn before its view (a quiz, say) gets a note that it runs live only.
    """
    with_figure = live_only = 0
    for cell in nb.cells:
        outputs = []
        for output in cell.get("outputs", []):
            if WIDGET_VIEW not in output.get("data", {}):
                outputs.append(output)
                continue
            start = len(outputs)
            while start > 0 and outputs[start - 1].output_type == "display_data":
                start -= 1
            drew = start < len(outputs)
            outputs.insert(start, nbformat.v4.new_output(
                "display_data", data={"text/html": WIDGET_NOTE if drew else LIVE_WIDGET_NOTE}))
            with_figure += drew
            live_only += not drew
        if "outputs" in cell:
            cell.outputs = outputs
    return with_figure, live_only


def page_name(notebook: Path) -> str:
    return Path(notebook).stem + ".html"


def link_lessons(text: str) -> str:
    """Point links to a lesson's notebook (``02_convolution.ipynb#part``) at its page."""
    return re.sub(r'href="(\d\d_[\w-]+)\.ipynb', r'href="\1.html', text)


def navigation(previous: tuple[str, str] | None, following: tuple[str, str] | None) -> str:
    """The bar above and below a page: previous lesson, course map, next lesson."""
    def link(target, text):
        return f'<a href="{html.escape(target)}">{html.escape(text)}</a>' if target else ""

    before = link(previous[0], f"← {previous[1]}") if previous else ""
    after = link(following[0], f"{following[1]} →") if following else ""
    return ('<nav class="course-nav">'
            f'<span class="course-nav-previous">{before}</span>'
            f'<span class="course-nav-map">{link("index.html", "Course map")}</span>'
            f'<span class="course-nav-next">{after}</span></nav>')


@functools.cache  # one per process: the template is read once
def make_exporter(mathjax_url: str):
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    # figures go to files beside the page: pages stay small and quick to build
    exporter = HTMLExporter(config=Config({"ExtractOutputPreprocessor": {"enabled": True}}),
                            extra_loaders=[jinja2.DictLoader({"course_page.j2": PAGE_TEMPLATE})],
                            template_file="course_page.j2")
    exporter.mathjax_url = mathjax_url
    return exporter


def copy_mathjax(site_dir: Path) -> str:
    """Copy MathJax into the site when ``jupyter-server-mathjax`` is installed; return the URL
    the pages load it from (the CDN's when it is not)."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        from nbconvert import HTMLExporter

        return HTMLExporter.mathjax_url.default_value
    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(static, site_dir / "mathjax", dirs_exist_ok=True)
    return f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"


def landing_notebook(course_dir: Path):
    """The landing page as a notebook of markdown cells: the course map with links to pages."""
    course_map = re.sub(r"\]\((\d\d_[\w-]+)\.ipynb\)", r"](\1.html)",
                        course.course_map_markdown(course_dir))
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                f"# {COURSE_TITLE}\n\n"
                "The lessons of the course as they ran, with every output and figure. The "
                "widgets show the figure they draw at the start: to explore them, and to run "
                "and change the code, open the notebooks in JupyterLab (`make start` in a "
                "checkout of the course)."),
            nbformat.v4.new_markdown_cell("## Course map\n\n" + course_map),
        ],
        metadata={"title": COURSE_TITLE},
    )


def write_page(exporter, nb, page: Path, nav: str) -> Path:
    """Write ``nb`` as the page ``page`` with the navigation bar ``nav``, and its figures into
    the folder ``<page name>_files/`` beside it."""
    body, resources = exporter.from_notebook_node(
        nb, resources={"course_nav": nav, "unique_key": page.stem,
                       "output_files_dir": f"{page.stem}_files"})
    for name, data in resources.get("outputs", {}).items():
        (page.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (page.parent / name).write_bytes(data)
    page.write_text(link_lessons(body), encoding="utf-8")
    return page


@dataclass
class Site:
    """What :func:`build_site` wrote."""

    folder: Path
    pages: list[Path]
    widgets_with_figure: int
    widgets_live_only: int
    local_mathjax: bool


def write_lesson_page(notebook: Path, page: Path, title: str, nav: str,
                      mathjax_url: str) -> tuple[int, int]:
    """Write the page of one executed notebook; return its widgets with and without a figure."""
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title
    shown = show_widgets_as_figures(nb)
    write_page(make_exporter(mathjax_url), nb, page, nav)
    return shown


def build_site(notebooks: list[Path], site_dir: Path = SITE_DIR,
               course_dir: Path | None = None, workers: int = 1) -> Site:
    """Write ``index.html`` and one page per executed notebook (in course order) to ``site_dir``,
    with ``workers`` processes (more than one only from the command line).

    The landing page's course map is read from the notebooks of ``course_dir`` (by default the
    executed notebooks' folder)."""
    site_dir = Path(site_dir)
    if site_dir.exists() and any(site_dir.iterdir()):
        if not (site_dir / "index.html").is_file():
            raise ValueError(f"{site_dir} holds files but no site: choose an empty or new folder")
        shutil.rmtree(site_dir)  # a site built before: replaced whole, so no old page stays
    site_dir.mkdir(parents=True)
    mathjax_url = copy_mathjax(site_dir)
    lessons = [course.parse_lesson_header(path) for path in notebooks]
    labels = [f"{lesson.number} · {lesson.title}" for lesson in lessons]
    names = [page_name(path) for path in notebooks]
    jobs = [(path, site_dir / names[i], f"{labels[i]} — {COURSE_TITLE}",
             navigation((names[i - 1], labels[i - 1]) if i > 0 else None,
                        (names[i + 1], labels[i + 1]) if i + 1 < len(notebooks) else None),
             mathjax_url) for i, path in enumerate(notebooks)]
    if workers > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        # "fork": the workers start with nbconvert already imported (this runs only from the
        # command line, in a process that holds nothing else); one process where there is none
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
            shown = list(pool.map(write_lesson_page, *zip(*jobs, strict=True)))
    else:
        shown = [write_lesson_page(*job) for job in jobs]
    with_figure, live_only = sum(s[0] for s in shown), sum(s[1] for s in shown)
    pages = [job[1] for job in jobs]
    if notebooks:
        nav = navigation(None, (names[0], labels[0]))
        write_page(make_exporter(mathjax_url), landing_notebook(course_dir or Path(notebooks[0]).parent),
                   site_dir / "index.html", nav)
    return Site(site_dir, pages, with_figure, live_only, not mathjax_url.startswith("http"))


# --------------------------------------------------------------------------- checking a site


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def internal_links(page_html: str) -> list[str]:
    """Every ``href``/``src`` of a page that points inside the site (no scheme, no data URI,
    not only a fragment), without its fragment and query."""
    parser = _Links()
    parser.feed(page_html)
    targets = []
    for link in parser.links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        targets.append(unquote(parts.path))
    return targets


def broken_links(site_dir: Path) -> tuple[int, list[str]]:
    """Count the internal links of every page of ``site_dir``; list those whose file is missing."""
    site_dir = Path(site_dir).resolve()
    count, broken = 0, []
    for page in sorted(site_dir.glob("*.html")):
        for target in internal_links(page.read_text(encoding="utf-8")):
            count += 1
            file = (page.parent / target).resolve()
            if not file.is_file() or site_dir not in file.parents:
                broken.append(f"{page.name}: {target}")
    return count, broken


ERROR_SIGNS = {
    "an error output": 'class="course-error-output"',
    "a traceback": "Traceback (most recent call last)",
    "a widget that failed to display": "Error displaying widget",
}


def error_outputs(page_html: str) -> list[str]:
    """What in a page shows that a cell failed: an error output, a traceback, a broken widget."""
    return [what for what, sign in ERROR_SIGNS.items() if sign in page_html]


def check_site(site_dir: Path, notebooks: list[Path]) -> tuple[int, list[str]]:
    """Every check of a built site: a page per notebook, links that resolve, no error shown.
    Returns (internal links checked, problems)."""
    site_dir = Path(site_dir)
    problems = [f"no page for {path.name}" for path in notebooks
                if not (site_dir / page_name(path)).is_file()]
    if not (site_dir / "index.html").is_file():
        problems.append("no index.html")
    links, broken = broken_links(site_dir)
    problems += [f"broken link {link}" for link in broken]
    for page in sorted(site_dir.glob("*.html")):
        problems += [f"{page.name} shows {what}"
                     for what in error_outputs(page.read_text(encoding="utf-8"))]
    return links, problems


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executed", type=Path, default=EXECUTED_DIR,
                        help="the executed notebooks (default: build/executed)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the course's notebooks, to check the executed copies are current")
    parser.add_argument("--site", type=Path, default=SITE_DIR, help="where to write the site")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="pages written at the same time (default: 2, or 1 on one core)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        notebooks = executed_notebooks(args.executed, args.notebooks)
    except ValueError as error:
        print(error)
        return 1
    site = build_site(notebooks, args.site, args.notebooks, workers=args.workers)
    links, problems = check_site(site.folder, notebooks)
    for problem in problems:
        print("PROBLEM:", problem)
    mathjax = "MathJax copied into the site" if site.local_mathjax else \
        "MathJax from its CDN (install jupyter-server-mathjax for an offline copy)"
    print(f"site: {site.folder / 'index.html'}  {len(site.pages)} pages, widgets: "
          f"{site.widgets_with_figure} shown by their first figure, {site.widgets_live_only} "
          f"live only; {links} internal links, {folder_size(site.folder) / 1e6:.1f} MB, "
          f"{mathjax}; built and checked in {time.perf_counter() - start:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
