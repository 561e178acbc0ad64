"""The widgets as a learner uses them: JupyterLab 4 in a real Chromium, driven by Playwright.

JupyterLab is started the way `make start` starts it (``tools/lab.py``) on 127.0.0.1. Each test
copies a notebook into a temporary folder (JupyterLab saves what it runs), keeping the set-up
cell, the cells that define what the lesson's widget uses and the widget's cell (nbval runs all
the others), runs them with Run All and moves a widget control. Run with `python
tools/run_checks.py --only browser`; needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lab  # noqa: E402  (tools/lab.py: how the course starts JupyterLab)

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
    setup = next(i for i, cell in code if "course.setup(" in cell.source)
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

FIRST_FIGURE = ".jupyter-widgets.widget-output img"


def first_figure_source(page) -> str:
    figure = page.locator(FIRST_FIGURE).first
    figure.wait_for(timeout=240_000)
    source = figure.get_attribute("src")
    assert source and source.startswith("data:image/png")
    return source


def set_slider(page, description: str, value: str) -> None:
    slider = page.locator(".widget-hslider", has_text=description).first
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def nudge_slider(page, description: str) -> None:
    """Move a slider one step to the right with the keyboard (works for selection sliders, whose
    readout cannot be typed into)."""
    handle = page.locator(".widget-hslider", has_text=description).first.locator(".noUi-handle")
    handle.click()
    page.keyboard.press("ArrowRight")


def tick(page, description: str) -> None:
    page.locator(".widget-checkbox", has_text=description).first.locator("input").click()


def choose(page, description: str, option: str) -> None:
    page.locator(".widget-dropdown", has_text=description).first.locator("select").select_option(
        label=option)


def choose_nth(page, description: str, index: int) -> None:
    """Choose the option at ``index`` of a drop-down (for labels that hold counts)."""
    page.locator(".widget-dropdown", has_text=description).first.locator("select").select_option(
        index=index)


#: JupyterLab renders an error output (a traceback) with the stderr MIME type
STDERR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"


def wait_for_redraw(page, before: str) -> None:
    """Wait until the first figure changes, or a traceback appears (then fail with it)."""
    page.wait_for_function(
        """([selector, before, stderr, error]) => {
            const img = document.querySelector(selector);
            const traceback = [...document.querySelectorAll(stderr)].some(
                (node) => node.textContent.includes("Traceback"));
            return (img && img.src !== before) || traceback
                   || document.querySelector(error) !== null;
        }""",
        arg=[FIRST_FIGURE, before, STDERR_OUTPUT, ERROR_OUTPUT], timeout=60_000,
    )
    assert_no_errors(page)


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
        before = first_figure_source(page)
        set_slider(page, "pool size", "4")
        with pytest.raises(AssertionError, match="this callback fails on purpose"):
            wait_for_redraw(page, before)
    finally:
        run_in_kernel(page, "course_widgets.render = working_render")
        forget_widgets(page)


@pytest.mark.parametrize(("notebook", "widget_call", "change"), [
    ("00_start_here.ipynb", "make_environment_check(", lambda page: set_slider(page, "gamma", "2.5")),
    ("01_history.ipynb", "make_cell_explorer(", lambda page: set_slider(page, "bar angle", "90")),
    ("02_convolution.ipynb", "make_convolution_widget(",
     lambda page: choose(page, "kernel", "laplacian")),
    ("03_pooling.ipynb", "make_pooling_widget(", lambda page: set_slider(page, "pool size", "4")),
    ("04_fully_connected.ipynb", "make_descent_widget(", lambda page: nudge_slider(page, "steps")),
    ("05_hyperparameters.ipynb", "make_training_widget(",
     lambda page: nudge_slider(page, "learning rate")),
    ("06_activations.ipynb", "make_activation_widget(", lambda page: tick(page, "show derivative")),
    ("07_classic_ml.ipynb", "make_feature_widget(",
     lambda page: set_slider(page, "Gabor angle", "90")),
    ("08_transfer_learning.ipynb", "make_transfer_widget(",
     lambda page: set_slider(page, "frozen stages", "2")),
    ("10_clinical_evaluation.ipynb", "make_threshold_explorer(",
     (lambda page: nudge_slider(page, "threshold"), lambda page: nudge_slider(page, "prevalence"))),
    ("10_clinical_evaluation.ipynb", "make_case_browser(",
     (lambda page: choose_nth(page, "cases", 1), lambda page: nudge_slider(page, "case"))),
], ids=["00", "01", "02", "03", "04", "05", "06", "07", "08", "10a", "10b"])
def test_moving_a_control_redraws_the_widget_figure(jupyterlab, kernel, page, notebook,
                                                    widget_call, change, request):
    """``change``: one action on the widget's controls, or a tuple of them, each of which
    must redraw the figure. The time from each action to the new image is printed and, with a
    screenshot of the page after the last one, written to ``build/browser/`` (:data:`ARTIFACTS`)."""
    try:
        open_and_run_all(page, jupyterlab, kernel, notebook, widget_call)
        lines = []
        for step, action in enumerate(change if isinstance(change, tuple) else (change,)):
            before = first_figure_source(page)
            start = time.perf_counter()
            action(page)
            wait_for_redraw(page, before)
            lines.append(f"{notebook} {widget_call} change {step + 1}: redrawn after "
                         f"{1000 * (time.perf_counter() - start):.0f} ms")
            print(lines[-1])
        assert_no_errors(page)
        expect(page.get_by_text("official Jupyter news")).to_have_count(0)  # no news pop-up
        save_artifacts(page, request.node.callspec.id, lines)
    finally:
        forget_widgets(page)


#: where each widget test leaves a screenshot and its redraw times (``build/`` is not committed)
ARTIFACTS = ROOT / "build" / "browser"


def save_artifacts(page, name: str, lines: list[str]) -> None:
    """The page as the learner sees it after the last change (``<name>.png``) and the redraw
    times (``<name>.txt``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(FIRST_FIGURE).first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    (ARTIFACTS / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000  # a page, not a blank image


def run_in_kernel(page, code: str) -> None:
    """Run ``code`` in the kernel of the current notebook (nothing when it has none)."""
    page.evaluate("""async (code) => {
        const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const kernel = panel && panel.sessionContext && panel.sessionContext.session
                       && panel.sessionContext.session.kernel;
        if (kernel) {
            await kernel.requestExecute({code}).done;
        }
    }""", code)


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
