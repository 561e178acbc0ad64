"""The widgets as a learner uses them: JupyterLab 4 in a real Chromium, driven by Playwright.

Each test copies a notebook into a temporary folder (JupyterLab saves what it runs), starts
JupyterLab on 127.0.0.1, runs all cells from the Run menu and moves a widget control.
Run with `python tools/run_checks.py --only browser`; needs Chromium (CHROMIUM_PATH or
/usr/bin/chromium).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "CNN_COURSE_FAST": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "server.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab did not start:\n" + (tmp_path / "server.log").read_text())
                time.sleep(0.5)
        yield folder, base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                              args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    yield page
    page.screenshot(path=str(tmp_path / "last.png"), full_page=False)  # for a failing test
    page.close()


def open_and_run_all(page, jupyterlab, notebook: str) -> None:
    folder, base, token = jupyterlab
    shutil.copy(ROOT / "notebooks" / notebook, folder / notebook)
    workspace = notebook.split("_")[0]  # a fresh workspace per notebook: no tabs restored
    page.goto(f"{base}/lab/workspaces/nb{workspace}/tree/{notebook}?token={token}&reset")
    page.locator(".jp-Notebook").first.wait_for()
    select_kernel = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    try:  # JupyterLab may ask which kernel to start; the notebook's own is preselected
        select_kernel.click(timeout=10_000)
    except Exception:  # noqa: BLE001 - no dialog this time
        pass
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


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


def choose(page, description: str, option: str) -> None:
    page.locator(".widget-dropdown", has_text=description).first.locator("select").select_option(
        label=option)


def wait_for_redraw(page, before: str) -> None:
    page.wait_for_function(
        """([selector, before]) => {
            const img = document.querySelector(selector);
            return img && img.src !== before;
        }""",
        arg=[FIRST_FIGURE, before], timeout=60_000,
    )


def assert_no_errors(page) -> None:
    assert page.locator("text=Error displaying widget").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ).filter(has_text="Traceback").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
                        ).count() == 0


@pytest.mark.parametrize(("notebook", "change"), [
    ("00_start_here.ipynb", lambda page: set_slider(page, "gamma", "2.5")),
    ("01_history.ipynb", lambda page: set_slider(page, "bar angle", "90")),
    ("02_convolution.ipynb", lambda page: choose(page, "kernel", "laplacian")),
    ("03_pooling.ipynb", lambda page: set_slider(page, "pool size", "4")),
], ids=["00", "01", "02", "03"])
def test_moving_a_control_redraws_the_widget_figure(jupyterlab, page, notebook, change):
    try:
        open_and_run_all(page, jupyterlab, notebook)
        before = first_figure_source(page)
        change(page)
        wait_for_redraw(page, before)
        assert_no_errors(page)
    finally:
        shut_down_kernels(jupyterlab)


def shut_down_kernels(jupyterlab) -> None:
    """Stop every kernel of the server, so that the next notebook has the CPU to itself."""
    import json

    _, base, token = jupyterlab
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()
