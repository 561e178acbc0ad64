"""The widgets as a learner uses them: JupyterLab 4 in a real Chromium, driven by Playwright.

JupyterLab is started the way `make start` starts it (``tools/lab.py``) on 127.0.0.1. Each test
copies a notebook into a temporary folder (JupyterLab saves what it runs), keeping the set-up
cell, the cells that define what the lesson's widget uses and the widget's cell (nbval runs all
the others), runs them with Run All and moves every control of the widget in turn (:data:`WIDGETS`),
timing each redraw. Run with `python
tools/run_checks.py --only browser`; needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lab  # noqa: E402  (tools/lab.py: how the course starts JupyterLab)

from helpers.convolution.widget import CUSTOM_TOOLTIPS  # noqa: E402
from helpers.widgets import PENDING_CLASS  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("no Chromium: set CHROMIUM_PATH or install Debian's chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a temporary folder; yields (folder, base_url, token)."""
    tmp_path = tmp_path_factory.mktemp("jupyterlab")
    folder = tmp_path / "course"
    folder.mkdir()
    port, token = free_port(), secrets.token_hex(16)
    env = lab.lab_environment({**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
                               "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
                               "JUPYTER_DATA_DIR": str(tmp_path / "data"), "CNN_COURSE_FAST": "1"})
    server = subprocess.Popen(
        lab.lab_command("--no-browser", f"--port={port}", "--ip=127.0.0.1",
                        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
                        "--LabApp.extension_manager=readonly",
                        "--LabApp.expose_app_in_browser=True"),  # window.jupyterapp for the tests
        env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "server.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, base, token, tmp_path / "server.log")
        yield folder, base, token
    finally:
        stop(server)


def wait_for_server(server: subprocess.Popen, base: str, token: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("JupyterLab did not start:\n" + log.read_text())
            time.sleep(0.5)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def api(jupyterlab, method: str, path: str, body: dict | None = None):
    """Call the JupyterLab server's REST API; returns the decoded JSON answer (or None)."""
    import json

    _, base, token = jupyterlab
    request = urllib.request.Request(f"{base}/api/{path}?token={token}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = response.read()
    return json.loads(answer) if answer else None


@pytest.fixture(scope="module")
def kernel(jupyterlab):
    """One Python kernel for the notebooks of this worker, as when a learner opens a notebook
    with an already running kernel: each notebook gets a session on it, so TensorFlow and the
    course helpers are imported once instead of once per notebook (seconds of CPU each)."""
    return api(jupyterlab, "POST", "kernels", {"name": "python3"})["id"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                              args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab_page(browser, jupyterlab):
    """One JupyterLab page per worker, as a learner keeps one tab open: the tests open their
    notebooks in it one after another (loading JupyterLab itself costs seconds of CPU)."""
    _, base, token = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/lab/workspaces/tests?token={token}&reset")
    page.wait_for_function("() => Boolean(window.jupyterapp && window.jupyterapp.shell)",
                           timeout=120_000)
    page.locator("#jp-main-dock-panel").wait_for(timeout=120_000)
    yield page
    page.close()


@pytest.fixture
def page(lab_page, tmp_path):
    yield lab_page
    lab_page.screenshot(path=str(tmp_path / "last.png"), full_page=False)  # for a failing test
    close_every_document(lab_page)


def close_every_document(page) -> None:
    """Close the notebooks of the main area without the 'save changes?' dialog (the copies are
    thrown away)."""
    page.evaluate("""() => {
        for (const widget of Array.from(window.jupyterapp.shell.widgets("main"))) {
            if (widget.context) { widget.context.model.dirty = false; }
            widget.dispose();
        }
    }""")


#: the set-up call as code (not in a comment or a string of another cell, e.g. the Colab cell)
SETUP_CALL = re.compile(r"^[^#\n\"']*\bcourse\.setup\(", re.MULTILINE)


def copy_until(notebook: str, widget_call: str, folder: Path, *,
               keep: tuple[str, ...] = (), prelude: str | None = None) -> None:
    """Copy the opening cells of ``notebook`` up to its set-up code cell into ``folder``, then
    the code cells that contain one of the ``keep`` markers (the constants and data the widget
    uses), an optional ``prelude`` cell, and the first cell that calls ``widget_call``.

    Only what the widget needs is run in the browser: nbval runs every cell of the whole
    notebook, and the cells that train models would cost a minute of CPU here for nothing."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    code = [(i, cell) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    last = next(i for i, cell in code if widget_call in cell.source)
    setup = next(i for i, cell in code if SETUP_CALL.search(cell.source))
    kept = [cell for i, cell in code if setup < i < last and any(m in cell.source for m in keep)]
    missing = [m for m in keep if not any(m in cell.source for cell in kept)]
    assert not missing, f"{notebook}: no cell before the widget contains {missing}"
    cells = nb.cells[: setup + 1] + kept
    if prelude:
        cells.append(nbformat.v4.new_code_cell(prelude))
    nb.cells = [*cells, nb.cells[last]]
    nbformat.write(nb, folder / notebook)


def open_and_run_all(page, jupyterlab, kernel: str, notebook: str, widget_call: str, *,
                     prelude: str | None = None) -> None:
    """``prelude``: code run before the widget's cell instead of ``PRELUDES[notebook]``."""
    folder, _, _ = jupyterlab
    copy_until(notebook, widget_call, folder, keep=KEEP_CELLS.get(notebook, ()),
               prelude=prelude or PRELUDES.get(notebook))
    api(jupyterlab, "POST", "sessions", {"path": notebook, "name": notebook, "type": "notebook",
                                         "kernel": {"id": kernel}})
    page.evaluate("(path) => window.jupyterapp.commands.execute('docmanager:open', {path})",
                  notebook)
    page.locator(".jp-Notebook").first.wait_for()
    run_all_cells(page, notebook)


RUN_ALL_WHEN_READY = """async (name) => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    if (!panel.sessionContext.session || !panel.sessionContext.session.kernel) {
        return "no kernel";
    }
    await app.commands.execute("notebook:run-all-cells");
    return "ok";
}"""


def run_all_cells(page, notebook: str) -> None:
    """Run All Cells once the notebook is the current widget and its kernel is ready.

    JupyterLab's own command registry (exposed to the page for the tests) is used instead of
    clicking the Run menu: a menu click on a cold start can act before the notebook is current
    and do nothing, and clicking again could run every cell twice."""
    page.wait_for_function(
        """(name) => {
            const app = window.jupyterapp;
            const panel = app && app.shell.currentWidget;
            return Boolean(panel && panel.sessionContext && panel.context
                           && panel.context.path.endsWith(name));
        }""", arg=notebook, timeout=120_000)
    outcome = page.evaluate(RUN_ALL_WHEN_READY, notebook)
    assert outcome == "ok", f"{notebook}: the notebook's kernel did not start ({outcome})"
    started = page.locator(".jp-InputPrompt").filter(has_text=re.compile(r"\[(\*|\d+)\]"))
    started.first.wait_for(timeout=60_000)


#: markers of the cells, between the set-up cell and the widget's cell, that define what the
#: widget uses (the lesson's constants, its data)
KEEP_CELLS = {
    "04_fully_connected.ipynb": ("N_TRAIN =", "x_train ="),
    "05_hyperparameters.ipynb": ("TOO_SMALL, GOOD, TOO_LARGE =", "trainer = "),
    "07_classic_ml.ipynb": ("SEED = ", "held = "),
}

#: code run just before the widget's cell, instead of the earlier cells that train a model:
#: stand-ins for the variables the widget cell uses (a model's scores, its Grad-CAM, its kernels)
PRELUDES = {
    "07_classic_ml.ipynb": "conv1 = models.build_figure3_cnn((28, 28, 1)).get_layer('conv1')\n"
                           "learned_kernels, learned_bias = conv1.get_weights()  # untrained",
    "10_clinical_evaluation.ipynb": "from helpers import evaluation\n"
                                    "globals().update(evaluation.demo_case_data())",
}

FIGURE = ".jupyter-widgets.widget-output img"
PENDING = f".jupyter-widgets.widget-output .{PENDING_CLASS}"
MESSAGE = ".jupyter-widgets.widget-output .course-widget-message"

#: the controls the course's widgets use: CSS class of the ipywidgets view → kind of control
CONTROL_KINDS = {
    "widget-hslider": "slider",  # IntSlider, FloatSlider and SelectionSlider
    "widget-dropdown": "dropdown",
    "widget-checkbox": "checkbox",
    "widget-toggle-buttons": "toggle buttons",
    "widget-radio": "radio buttons",
    "widget-select-multiple": "multiple choice",
    "widget-text": "number box",  # FloatText and IntText
}

#: JupyterLab renders an error output (a traceback) with the stderr MIME type
STDERR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"


#: a slider's move one step back (to the left) instead of on
BACK = "back"


@dataclass(frozen=True)
class Move:
    """One move of one control: its kind (a value of :data:`CONTROL_KINDS`), its description (for
    a control without one, its tooltip) and where to: ``to`` names an option, a button or a
    number to type, or is :data:`BACK` for a slider; without it the control goes one step on (the next option, the next slider
    value, the checkbox flipped). ``same_because``: the move must leave the figure as it was, and
    why (the figure is still redrawn, and checked to be identical). ``pending``: the widget
    shows its "working" note (``helpers.widgets.PENDING_CLASS``) before the new figure, and only
    then."""

    kind: str
    description: str
    to: str | None = None
    same_because: str = ""
    pending: bool = False


@dataclass(frozen=True)
class Widget:
    """A lesson widget: its notebook, the call that makes it, and the moves of its controls, in
    order (between them they move every control the widget shows)."""

    notebook: str
    call: str
    moves: tuple[Move, ...]


#: the nine boxes of lesson 02's custom kernel, named by their tooltips
CUSTOM_BOXES = tuple(CUSTOM_TOOLTIPS.values())

#: every widget of the course and the moves of its controls (the ids name the artifacts)
WIDGETS = {
    "00": Widget("00_start_here.ipynb", "make_environment_check(", (Move("slider", "gamma"),)),
    "01": Widget("01_history.ipynb", "make_cell_explorer(",
                 (Move("slider", "bar angle (°)"), Move("slider", "bar offset (px)"))),
    "02": Widget("02_convolution.ipynb", "make_convolution_widget(", (
        Move("number box", CUSTOM_BOXES[4], "4",
             same_because="the nine boxes are the custom kernel, and Sobel x is chosen"),
        Move("dropdown", "image"),
        Move("dropdown", "kernel", "gaussian"),  # a kernel that comes in several sizes
        Move("slider", "size"),
        Move("toggle buttons", "stride", "2"),
        Move("dropdown", "padding"),
        Move("dropdown", "kernel", "custom 3×3"),
        *(Move("number box", box, "-1.5") for box in CUSTOM_BOXES),
    )),
    "03": Widget("03_pooling.ipynb", "make_pooling_widget(", (
        Move("dropdown", "input"), Move("dropdown", "pooling"), Move("slider", "pool size"),
        Move("slider", "stride"), Move("dropdown", "padding"),
    )),
    "04": Widget("04_fully_connected.ipynb", "make_descent_widget(",
                 (Move("slider", "learning rate"), Move("slider", "steps"))),
    # each new setting trains the small CNN (seconds, as the notebook says); the last move comes
    # back to a setting trained by the move before, which the widget remembers
    "05": Widget("05_hyperparameters.ipynb", "make_training_widget(", (
        Move("slider", "learning rate", pending=True), Move("slider", "dropout", pending=True),
        Move("slider", "batch size", pending=True), Move("slider", "batch size", BACK),
    )),
    "06": Widget("06_activations.ipynb", "make_activation_widget(", (
        Move("slider", "leaky slope", same_because="leaky ReLU is not among the curves shown"),
        Move("multiple choice", "activations", "leaky ReLU"),
        Move("slider", "leaky slope"),
        Move("slider", "input range ±"),
        Move("checkbox", "show derivative"),
    )),
    "07": Widget("07_classic_ml.ipynb", "make_feature_widget(", (
        Move("slider", "X-ray"), Move("slider", "HOG cell (px)"), Move("slider", "Gabor angle (°)"),
        Move("slider", "CNN filter"),
    )),
    "08": Widget("08_transfer_learning.ipynb", "make_transfer_widget(",
                 (Move("slider", "frozen stages"), Move("dropdown", "network"))),
    "10a": Widget("10_clinical_evaluation.ipynb", "make_threshold_explorer(",
                  # the positive class of the demo data (evaluation.demo_case_data) is "opacity"
                  (Move("slider", "threshold"), Move("slider", "prevalence of opacity"))),
    "10b": Widget("10_clinical_evaluation.ipynb", "make_case_browser(",
                  (Move("dropdown", "cases"), Move("slider", "case"))),
}


def widget_makers() -> set[str]:
    """The functions of ``helpers/`` that build a widget: those that call ``interactive_figure``."""
    import ast

    makers = set()
    for path in (ROOT / "helpers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(call, ast.Call)
                    and getattr(call.func, "attr", getattr(call.func, "id", "")) == "interactive_figure"
                    for call in ast.walk(node)):
                makers.add(node.name)
    return makers - {"interactive_figure"}


def test_every_widget_of_the_notebooks_is_moved_in_the_browser():
    """The table :data:`WIDGETS` holds every widget a notebook makes, so that a new widget is
    moved here too: every call of a widget-making helper, and no ipywidgets used directly."""
    import nbformat

    makers = widget_makers()
    assert {"make_pooling_widget", "make_case_browser"} <= makers  # the search finds them
    covered = {(w.notebook, w.call) for w in WIDGETS.values()}
    found, direct = set(), []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            found |= {(path.name, f"{name}(") for name in makers if f"{name}(" in cell.source}
            if re.search(r"\bipywidgets\b|\binteract(ive)?\(", cell.source):
                direct.append(path.name)
    assert found == covered, (f"widgets not moved here: {sorted(found - covered)}; "
                              f"in the table but not made: {sorted(covered - found)}")
    assert not direct, f"ipywidgets used in a notebook's own code: {direct}"


def control_name(box) -> str:
    """What names a control on the page: its description, or else its tooltip."""
    return box.evaluate("""(el) => {
        const labels = [...el.querySelectorAll(":scope > .widget-label, .widget-label-basic")];
        const text = labels.map((label) => label.textContent.replace(/\\u200b/g, "")
                                                           .replace(/\\s+/g, " ").trim())
            .find(Boolean);
        const titled = el.querySelector("[title]");
        return text || (titled ? titled.getAttribute("title") : "");
    }""")


def controls_on_page(page) -> list[tuple[str, str]]:
    """(kind, name) of every control of the widget on the page (:func:`control_name`)."""
    found = []
    for cls, kind in CONTROL_KINDS.items():
        boxes = page.locator(f".jp-OutputArea-output .{cls}")
        found += [(kind, control_name(boxes.nth(i))) for i in range(boxes.count())]
    return found


def control(page, kind: str, description: str):
    """The locator of the control of ``kind`` described (or with the tooltip) ``description``."""
    cls = next(cls for cls, name in CONTROL_KINDS.items() if name == kind)
    boxes = page.locator(f".jp-OutputArea-output .{cls}")
    matches = [boxes.nth(i) for i in range(boxes.count()) if control_name(boxes.nth(i)) == description]
    assert len(matches) == 1, f"{len(matches)} {kind} controls named {description!r}"
    return matches[0]


def prepare_move(page, move: Move):
    """Get the control of ``move`` ready to change (focus, a typed number) and return the one
    action that changes it: the time to the new figure is counted from that action on."""
    box = control(page, move.kind, move.description)
    if move.kind == "slider":
        handle = box.locator(".noUi-handle").first
        assert move.to in (None, BACK), "a slider moves one step (its values are the widget's own)"
        at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        handle.focus()
        return lambda: page.keyboard.press("ArrowLeft" if at_end or move.to == BACK else "ArrowRight")
    if move.kind in ("dropdown", "multiple choice"):
        select = box.locator("select")
        labels = [" ".join(text.split()) for text in select.locator("option").all_inner_texts()]
        chosen = [" ".join(text.split()) for text in select.evaluate(
            "(s) => [...s.selectedOptions].map((o) => o.textContent)")]
        if move.kind == "multiple choice":
            assert move.to in labels and move.to not in chosen, f"{move.to!r} to add to {chosen}"
            return lambda: select.select_option(index=[labels.index(c) for c in [*chosen, move.to]])
        index = labels.index(move.to) if move.to else (labels.index(chosen[0]) + 1) % len(labels)
        assert labels[index] != chosen[0], f"{move.description} shows {move.to!r} already"
        return lambda: select.select_option(index=index)
    if move.kind == "toggle buttons":
        buttons = box.locator("button:not(.mod-active)")
        target = buttons.filter(has_text=re.compile(rf"^\s*{re.escape(move.to)}\s*$")) if move.to else buttons
        return target.first.click
    if move.kind == "radio buttons":
        buttons = box.locator("input:not(:checked)")
        return (box.get_by_label(move.to, exact=True) if move.to else buttons.first).check
    if move.kind == "checkbox":
        return box.locator("input").click
    if move.kind == "number box":
        field = box.locator("input")
        assert move.to is not None and field.input_value() != move.to, "a new number to type"
        field.fill(move.to)
        return lambda: field.press("Enter")
    raise AssertionError(f"no way to move a {move.kind}")


def mark_figure(page) -> str:
    """Mark the figure shown now (a redraw replaces it with a new, unmarked element); returns
    its image data."""
    figure = page.locator(FIGURE).first
    figure.wait_for(timeout=240_000)
    source = figure.evaluate("(img) => { img.dataset.shownBefore = 'yes'; return img.src; }")
    assert source.startswith("data:image/png")
    return source


def wait_for_redraw(page) -> str:
    """Wait until a new figure replaces the marked one, or a traceback or a message appears (then
    fail with it); returns the new figure's image data."""
    page.wait_for_function(
        """([figure, message, stderr, error]) => {
            const img = document.querySelector(figure);
            const traceback = [...document.querySelectorAll(stderr)].some(
                (node) => node.textContent.includes("Traceback"));
            return (img && img.dataset.shownBefore !== "yes") || traceback
                   || document.querySelector(message) !== null
                   || document.querySelector(error) !== null;
        }""",
        arg=[FIGURE, MESSAGE, STDERR_OUTPUT, ERROR_OUTPUT], timeout=60_000,
    )
    assert_no_errors(page)
    messages = page.locator(MESSAGE)
    assert messages.count() == 0, f"a message instead of a figure: {messages.first.inner_text()}"
    return page.locator(FIGURE).first.get_attribute("src")


def assert_no_errors(page) -> None:
    assert page.locator("text=Error displaying widget").count() == 0
    tracebacks = page.locator(STDERR_OUTPUT).filter(has_text="Traceback")
    assert tracebacks.count() == 0, f"a traceback: {tracebacks.first.inner_text()[-600:]}"
    errors = page.locator(ERROR_OUTPUT)
    assert errors.count() == 0, f"an error output: {errors.first.inner_text()[-600:]}"


#: run before lesson 03's widget: its update works once (the first figure), then raises
FAILING_CALLBACK = """from helpers import widgets as course_widgets
working_render, calls = course_widgets.render, []
def failing_render(update, **values):
    calls.append(values)
    if len(calls) > 1:
        raise RuntimeError("this callback fails on purpose")
    return working_render(update, **values)
course_widgets.render = failing_render"""


def test_a_callback_that_raises_fails_the_widget_check(jupyterlab, kernel, page):
    """The check of every widget test catches a callback error: it shows under the controls and
    the check fails at once with it, instead of waiting for a figure that never comes."""
    try:
        open_and_run_all(page, jupyterlab, kernel, "03_pooling.ipynb", "make_pooling_widget(",
                         prelude=FAILING_CALLBACK)
        mark_figure(page)
        prepare_move(page, Move("slider", "pool size"))()
        with pytest.raises(AssertionError, match="this callback fails on purpose"):
            wait_for_redraw(page)
    finally:
        run_in_kernel(page, "course_widgets.render = working_render")
        forget_widgets(page)


#: run once a widget is shown: the kernel's share of each redraw (the update and the PNG) is
#: added up in ``course_redraw_ms``, so that a slow redraw says whether drawing or the way to
#: the browser took the time; the figures sent are kept in ``course_figures`` to be measured
KERNEL_TIMER = """from helpers import widgets as course_widgets
import json as course_json
import time as course_time
untimed, course_redraw_ms, course_figures = (course_widgets.render, course_widgets.figure_png), [], []
def course_timed(function):
    def timed(*args, **kwargs):
        start = course_time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            course_redraw_ms.append(1000 * (course_time.perf_counter() - start))
            if function is untimed[1]:
                course_figures.append(args[0])
    return timed
course_widgets.render, course_widgets.figure_png = map(course_timed, untimed)
def course_redraw_report():
    cut = [{side: round(room, 3) for side, room in course_widgets.canvas_margins(figure).items()
            if room < -0.02} for figure in course_figures]
    print(course_json.dumps({"ms": sum(course_redraw_ms), "cut": [c for c in cut if c]}))
    course_redraw_ms.clear()
    course_figures.clear()"""


def watch_pending_notes(page) -> None:
    """Count, in ``window.coursePendingNotes``, the "working" notes a widget shows (they last
    only while its update works, so they are counted as they appear)."""
    page.evaluate("""(selector) => {
        window.coursePendingNotes = 0;
        new MutationObserver((changes) => {
            for (const change of changes) {
                for (const node of change.addedNodes) {
                    if (node.nodeType === 1 && (node.matches(selector)
                                                || node.querySelector(selector))) {
                        window.coursePendingNotes += 1;
                    }
                }
            }
        }).observe(document.body, {childList: true, subtree: true});
    }""", PENDING)


def redraw_report(page) -> tuple[float, list[dict]]:
    """The kernel's time for the redraws since the last call (:data:`KERNEL_TIMER`), and the
    sides, in inches, by which each figure sent since then fell outside its canvas (drawn from
    the data the learner has, which the unit tests' canvas check does not see)."""
    import json

    report = json.loads(run_in_kernel(page, "course_redraw_report()"))
    return report["ms"], report["cut"]


@pytest.mark.parametrize("name", list(WIDGETS))
def test_every_control_redraws_the_widget_figure(jupyterlab, kernel, page, name):
    """Each control of the widget, moved in turn as :data:`WIDGETS` says, redraws the figure
    without an error anywhere on the page; the figure changes (or, where the table says why,
    stays the same), and nothing of it falls outside its canvas. The time from each move to the new image is written, with a screenshot of
    the page after the last move, to ``build/browser/`` (:data:`ARTIFACTS`)."""
    widget = WIDGETS[name]
    try:
        open_and_run_all(page, jupyterlab, kernel, widget.notebook, widget.call)
        mark_figure(page)
        assert sorted(set(controls_on_page(page))) == sorted(
            {(move.kind, move.description) for move in widget.moves}), "every control is moved"
        run_in_kernel(page, KERNEL_TIMER)
        watch_pending_notes(page)
        lines, times, drawing = [], [], []
        for move in widget.moves:
            before = mark_figure(page)
            change = prepare_move(page, move)
            start = time.perf_counter()
            change()
            after = wait_for_redraw(page)
            milliseconds = 1000 * (time.perf_counter() - start)
            times.append(milliseconds)
            in_kernel, cut = redraw_report(page)
            drawing.append(in_kernel)
            assert not cut, f"{move.description}: the figure is cut at its edge {cut}"
            noted = page.evaluate("() => { const n = window.coursePendingNotes; "
                                  "window.coursePendingNotes = 0; return n; }")
            assert bool(noted) == move.pending, (
                f"{move.description}: " + ("no note while the widget worked" if move.pending
                                           else "a 'working' note for a quick redraw"))
            if move.same_because:
                assert after == before, f"{move.description}: the figure changed, yet " \
                                        f"{move.same_because}"
            else:
                assert after != before, f"{move.description}: the figure did not change"
            lines.append(f"{name} {move.kind} {move.description!r} → {move.to or 'next'}: "
                         f"redrawn after {milliseconds:.0f} ms (drawn in {in_kernel:.0f} ms)"
                         + (f" (the same figure: {move.same_because})" if move.same_because else ""))
            print(lines[-1])
        lines.append(f"{name}: {len(times)} moves, median {statistics.median(times):.0f} ms, "
                     f"slowest {max(times):.0f} ms (the course aims at under 500 ms); drawn in "
                     f"the kernel: median {statistics.median(drawing):.0f} ms")
        expect(page.get_by_text("official Jupyter news")).to_have_count(0)  # no news pop-up
        save_artifacts(page, name, lines)
    finally:
        run_in_kernel(page, "if 'untimed' in globals():\n"
                            "    course_widgets.render, course_widgets.figure_png = untimed")
        forget_widgets(page)


#: every lesson's exercise module, whose ``QUIZ`` closes the lesson (00 shows its own quiz)
QUIZ_MODULES = ("history", "convolution", "pooling", "fully_connected", "hyperparameters",
                "activations", "classic_ml", "transfer_learning", "chest_xray_training",
                "clinical_evaluation", "start_here")


def quiz_prelude(progress_file: Path) -> str:
    """Show the quizzes of lessons 01–10 above 00's own quiz cell, recording to
    ``progress_file`` (the checks otherwise run with recording off)."""
    shown = QUIZ_MODULES[:-1]
    return (f"import os\nos.environ['CNN_COURSE_PROGRESS'] = {str(progress_file)!r}\n"
            "from IPython.display import display\n"
            f"from helpers.checks import {', '.join(shown)}\n"
            + "".join(f"display({name}.QUIZ.show())\n" for name in shown))


def test_every_quiz_gives_feedback_in_the_browser(jupyterlab, kernel, page, tmp_path):
    """All eleven quizzes on one page, as a learner answers them: the first question of each
    gets a wrong answer first (its own explanation appears), then every question gets its
    correct answer, written as a learner types it, and says "Correct"; a number typed as words
    gets "type a number". Every correct answer lands in the progress file."""
    import importlib
    import json

    from helpers import quiz as quiz_types

    quizzes = [importlib.import_module(f"helpers.checks.{name}").QUIZ for name in QUIZ_MODULES]
    questions = [(quiz.notebook, number, question) for quiz in quizzes
                 for number, question in enumerate(quiz.questions, start=1)]
    progress_file = tmp_path / "progress.json"
    try:
        open_and_run_all(page, jupyterlab, kernel, "00_start_here.ipynb", "QUIZ.show(",
                         prelude=quiz_prelude(progress_file))
        buttons = page.get_by_role("button", name="Check", exact=True)
        expect(buttons).to_have_count(len(questions), timeout=120_000)
        for index, (_, number, question) in enumerate(questions):
            box = buttons.nth(index).locator("xpath=..")
            feedback = box.locator(".widget-html").last
            if number == 1:
                if isinstance(question, quiz_types.Choice):
                    option, why = next(iter(question.wrong.items()))
                    box.get_by_label(option, exact=True).check()
                    expected = why
                else:
                    box.locator("input").fill("twenty-six")
                    expected = quiz_types.NOT_A_NUMBER
                buttons.nth(index).click()
                expect(feedback).to_contain_text("Not yet")
                expect(feedback).to_contain_text(expected[:40])
            if isinstance(question, quiz_types.Choice):
                box.get_by_label(question.correct, exact=True).check()
            else:
                whole = float(question.answer).is_integer()
                box.locator("input").fill(f"{question.answer:.0f}" if whole
                                          else f"{question.answer:.3g}")
            buttons.nth(index).click()
            expect(feedback).to_contain_text("Correct", timeout=10_000)
        assert_no_errors(page)
        recorded = json.loads(progress_file.read_text(encoding="utf-8"))["notebooks"]
        for quiz in quizzes:
            assert sorted(recorded[quiz.notebook]["quiz"]) == sorted(quiz.items()), quiz.notebook
    finally:
        forget_widgets(page)


#: where each widget test leaves a screenshot and its redraw times (``build/`` is not committed)
ARTIFACTS = ROOT / "build" / "browser"


def save_artifacts(page, name: str, lines: list[str]) -> None:
    """The page as the learner sees it after the last move (``<name>.png``) and the redraw
    times (``<name>.txt``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(FIGURE).first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    (ARTIFACTS / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000  # a page, not a blank image


def run_in_kernel(page, code: str) -> str:
    """Run ``code`` in the kernel of the current notebook (nothing when it has none); returns
    what it printed to stdout, and fails with the kernel's error if the code raised."""
    printed, error = page.evaluate("""async (code) => {
        const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const kernel = panel && panel.sessionContext && panel.sessionContext.session
                       && panel.sessionContext.session.kernel;
        let printed = "", error = "";
        if (kernel) {
            const future = kernel.requestExecute({code});
            future.onIOPub = (message) => {
                const kind = message.header.msg_type;
                if (kind === "stream" && message.content.name === "stdout") {
                    printed += message.content.text;
                } else if (kind === "error") {
                    error = `${message.content.ename}: ${message.content.evalue}`;
                }
            };
            await future.done;
        }
        return [printed, error];
    }""", code)
    assert not error, f"the kernel raised {error} running:\n{code}"
    return printed


def forget_widgets(page) -> None:
    """Close this notebook's widgets and figures in the shared kernel, so that the next
    notebook's page does not restore them."""
    run_in_kernel(page, "import ipywidgets, matplotlib.pyplot\n"
                        "ipywidgets.Widget.close_all()\nmatplotlib.pyplot.close('all')")


def test_make_start_serves_the_first_notebook(tmp_path, browser):
    """The README's first command, as a learner runs it (as root, too: CI and containers)."""
    if not (ROOT / ".venv" / ".installed").is_file() or shutil.which("make") is None:
        pytest.skip("needs make and the course's .venv (make install)")
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "make-start.log"
    server = subprocess.Popen(
        ["make", "-s", "start", f"LAB_ARGS=--no-browser --port={port} --ip=127.0.0.1 "
                                f"--IdentityProvider.token={token}"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, base, token, log)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # JupyterLab serves the folder of the notebook it was started on
        page.goto(f"{base}/lab/tree/00_start_here.ipynb?token={token}&reset")
        expect(page.locator(".jp-Notebook .jp-MarkdownCell").first).to_contain_text(
            "00 · Start here", timeout=120_000)
        page.wait_for_timeout(3000)  # the news question would pop up in the first seconds
        expect(page.get_by_text("official Jupyter news")).to_have_count(0)
        page.close()
    finally:
        stop_group(server)
    assert "Running as root is not recommended" not in log.read_text()


def stop_group(process: subprocess.Popen, grace: float = 20.0) -> None:
    """Stop ``process`` and everything it started (make → tools/lab.py → JupyterLab → kernels):
    SIGTERM to the process group, then SIGKILL to whatever is left after ``grace`` seconds."""
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()  # reap our own child, or it stays in the group as a zombie
        try:
            os.killpg(group, 0)  # raises once no process of the group is left
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(group, signal.SIGKILL)
    process.wait(timeout=10)
