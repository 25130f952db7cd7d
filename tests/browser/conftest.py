"""JupyterLab on loopback, driven by Debian's Chromium through Playwright.

The server runs from the course's own environment on a private copy of the
course (running a lesson in the browser saves it), with fresh user settings,
so each run sees what a first-time student sees.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "browser"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
COURSE_PARTS = ("notebooks", "assignments", "solutions", "nbgrader_config.py")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer at {url} within {seconds} s")


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("course")
    for part in COURSE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, copy / part)
        elif source.exists():
            shutil.copy(source, copy / part)
    return copy


@pytest.fixture(scope="session")
def lab_url(course_copy, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium; .ci/system-packages does it)")
    settings = tmp_path_factory.mktemp("lab-user")
    # Render every cell, so the test can see all outputs without scrolling each into view.
    tracker = settings / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    port = _free_port()
    env = dict(
        os.environ,
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        JUPYTERLAB_SETTINGS_DIR=str(settings / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(settings / "workspaces"),
    )
    command = [
        str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
        "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={course_copy}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "jupyterlab.log", "w")
    server = subprocess.Popen(command, env=env, cwd=course_copy, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/api/status", server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@dataclass
class Watch:
    """What a page did that a student would not want: errors and requests off the machine."""

    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@pytest.fixture
def page(chromium, lab_url):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, base_url=lab_url)
    page = context.new_page()
    watch = Watch()
    page.on("console", lambda message: watch.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))

    def keep_on_loopback(route):
        if urlparse(route.request.url).hostname in LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            watch.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", keep_on_loopback)
    page.watch = watch
    yield page
    context.close()
