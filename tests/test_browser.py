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


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server on 127.0.0.1 serving a temporary folder; yields (folder, base_url, token)."""
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


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                             args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        yield page
        page.screenshot(path=str(tmp_path / "last.png"), full_page=False)
        browser.close()


def open_and_run_all(page, jupyterlab, notebook: str) -> None:
    folder, base, token = jupyterlab
    shutil.copy(ROOT / "notebooks" / notebook, folder / notebook)
    page.goto(f"{base}/lab/tree/{notebook}?token={token}")
    page.locator(".jp-Notebook").first.wait_for()
    select_kernel = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    try:  # JupyterLab may ask which kernel to start; the notebook's own is preselected
        select_kernel.click(timeout=10_000)
    except Exception:  # noqa: BLE001 - no dialog this time
        pass
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def test_start_here_slider_redraws_the_plot_in_jupyterlab(jupyterlab, page):
    open_and_run_all(page, jupyterlab, "00_start_here.ipynb")
    slider = page.locator(".widget-hslider").first
    slider.wait_for(timeout=180_000)
    figure = page.locator(".jupyter-widgets.widget-output img").first
    figure.wait_for(timeout=60_000)
    before = figure.get_attribute("src")
    assert before and before.startswith("data:image/png")

    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2.5")
    page.keyboard.press("Enter")

    page.wait_for_function(
        """(before) => {
            const img = document.querySelector('.jupyter-widgets.widget-output img');
            return img && img.src !== before;
        }""",
        arg=before, timeout=60_000,
    )
    assert readout.inner_text().strip() == "2.50" or readout.inner_text().strip().startswith("2.5")
    assert page.locator("text=Error displaying widget").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
