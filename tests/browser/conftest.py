"""One JupyterLab server and one headless Chromium for the whole browser-test session.

The server runs on 127.0.0.1 with a random free port and a random token, with the repository as
its root directory, and with fresh temporary config, runtime, settings and workspace directories
so that nothing from the developer's own JupyterLab (saved layouts, settings, autosave) leaks into
the tests. In a parallel run (``make test``: ``-n 2``) the xdist controller starts it once, before the
workers, and both workers use it (``tests/conftest.py``). The course's own ``jupyter-config/`` is on the config path, as ``make lab`` puts it (no
news prompt, no news feed, no update check). Its user settings turn **autosave off** (running a lesson in the browser must never
rewrite the lesson file) and render every cell (``windowingMode: none``) so that every output is in
the page. The server is stopped at the end of the session.

Without Chromium (``/usr/bin/chromium`` or ``chromium`` on PATH) or without Playwright, every
browser test is *skipped* with the reason; the rest of the suite still runs. ``.ci/run`` installs
Debian's ``chromium`` when it runs as root, so CI runs these tests.

Synthetic notebooks (the broken-widget proof) are written under ``test-artifacts/`` (ignored by git),
which the server can open because it is inside the repository; failure screenshots go there too.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LAB_CONFIG = ROOT / "jupyter-config"

# set by the xdist controller (tests/conftest.py) to the JSON {port, token, log} of the shared server
SHARED_ENV = "COURSE_SHARED_LAB"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--disable-quic", "--disable-extensions"]


def find_chromium() -> str | None:
    """Debian's /usr/bin/chromium, else `chromium` on PATH; COURSE_CHROMIUM=/path overrides
    (COURSE_CHROMIUM=none shows what happens on a machine without a browser)."""
    override = os.environ.get("COURSE_CHROMIUM")
    if override is not None:
        return override if Path(override).is_file() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Skip every browser test, with the reason, when the browser or Playwright is missing."""
    here = Path(__file__).parent
    reason = None
    if find_chromium() is None:
        reason = ("Chromium not found (/usr/bin/chromium, `chromium` on PATH or COURSE_CHROMIUM); install Debian's "
                  "chromium (`apt-get install chromium`, as .ci/run does) to run the browser tests")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[test]')"
    if reason is None:
        return
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.skip(reason=reason))


class LabServer:
    """A running JupyterLab: ``url(path)`` gives the address of a file; ``api(...)`` calls REST."""

    def __init__(self, port: int, token: str, proc: subprocess.Popen, log: Path):
        self.port, self.token, self.proc, self.log = port, token, proc, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, relpath: str) -> str:
        return f"{self.base}/lab/tree/{relpath}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self, path: str | None = None) -> None:
        """Stop the kernel of ``path``'s session (every session's without ``path``), so one lesson's
        kernel does not slow down the next; with ``path``, another worker's lesson keeps its kernel."""
        for session in self.api("/api/sessions") or []:
            if path is None or session.get("path") == path:
                self.api(f"/api/sessions/{session['id']}", method="DELETE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings_dir: Path) -> None:
    overrides = {
        # never write the lesson back to disk while the test runs it
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        # every cell in the DOM, laid out (no virtual scrolling)
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        # (no news prompt, no news feed, no update check: those come from the course's own
        # jupyter-config/, exactly as `make lab` uses it, so the browser test checks that it works)
    }
    for plugin, values in overrides.items():
        pkg, name = plugin.rsplit("/", 1)
        path = settings_dir / pkg / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


class LabStartError(RuntimeError):
    """JupyterLab did not start; the message has the end of its log."""


def start_lab() -> tuple[LabServer, Path]:
    """Start JupyterLab on a free loopback port with fresh config dirs; return it and its work dir."""
    ARTIFACTS.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="course-lab-"))
    for sub in ("config", "runtime", "settings", "workspaces"):
        (work / sub).mkdir()
    _write_settings(work / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(work / "config"),
               JUPYTER_RUNTIME_DIR=str(work / "runtime"), MPLBACKEND="Agg",
               JUPYTER_PLATFORM_DIRS="1",
               # the course's JupyterLab settings, as `make lab` passes them (see the Makefile)
               JUPYTER_CONFIG_PATH=str(LAB_CONFIG))
    env.pop(SHARED_ENV, None)
    cmd = [sys.executable, "-m", "jupyterlab",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False",
           f"--ServerApp.root_dir={ROOT}",
           f"--LabApp.user_settings_dir={work / 'settings'}",
           f"--LabApp.workspaces_dir={work / 'workspaces'}",
           "--ServerApp.terminals_enabled=False",
           # checkpoints (made when a file is opened) go to the temporary dir, not the repo
           f"--FileCheckpoints.checkpoint_dir={work / 'checkpoints'}",
           # window.jupyterapp, so that one page opens lesson after lesson (LabPage) instead of
           # loading the whole application again for each (about 5 s a lesson)
           "--LabApp.expose_app_in_browser=True"]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    log = work / "server.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = LabServer(port, token, proc, log)
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise LabStartError(f"JupyterLab exited with code {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            server.api("/api/status")
            return server, work
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise LabStartError(f"JupyterLab did not answer within 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)


def stop_lab(server: LabServer, work: Path) -> None:
    try:
        server.shutdown_kernels()
    except OSError:
        pass
    server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=5)
    shutil.rmtree(work, ignore_errors=True)


def shared_server() -> LabServer | None:
    """The server the xdist controller started for every worker (tests/conftest.py), if any."""
    info = os.environ.get(SHARED_ENV)
    if not info:
        return None
    d = json.loads(info)
    return LabServer(d["port"], d["token"], None, Path(d["log"]))


@pytest.fixture(scope="session")
def lab_server():
    """One JupyterLab for all browser tests: the one the xdist controller started and shares with
    every worker (so both workers' browser tests use the same server), or, in a run without xdist,
    one started here for the session."""
    server = shared_server()
    if server is not None:
        yield server
        return
    try:
        server, work = start_lab()
    except LabStartError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        stop_lab(server, work)


class LabPage:
    """One JupyterLab page that opens lesson after lesson in the same running application.

    Loading JupyterLab's front end takes about 5 s on two cores; a lesson opened with the
    application's own ``docmanager:open`` command (what File > Open does) takes the time of its kernel's
    start. ``open`` gives the page with ``relpath`` open as the only notebook; ``close_notebooks``
    disposes of every open notebook without saving (autosave is off and nothing is written), and
    ``discard`` throws the page away, so that the next lesson starts on a freshly loaded application
    (after a failure, a dialog or a half-run lesson could otherwise be left behind).
    """

    T_LOAD = 90_000

    def __init__(self, browser, server: LabServer):
        self.browser, self.server, self.page = browser, server, None

    def _load(self):
        page = self.browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{self.server.base}/lab?reset&token={self.server.token}", timeout=self.T_LOAD)
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=self.T_LOAD)
        page.evaluate("async () => { await window.jupyterapp.restored; }")
        self.page = page

    def open(self, relpath: str):
        if self.page is None or self.page.is_closed():
            self._load()
        self.close_notebooks()
        self.page.evaluate(
            "async (p) => { const w = await window.jupyterapp.commands.execute("
            "'docmanager:open', {path: p, factory: 'Notebook'}); "
            "await w.context.ready; window.jupyterapp.shell.activateById(w.id); }", relpath)
        return self.page

    def close_notebooks(self) -> None:
        if self.page is None or self.page.is_closed():
            return
        self.page.evaluate(
            "() => { for (const w of Array.from(window.jupyterapp.shell.widgets('main'))) {"
            "  if (w.context && w.content && w.content.node.classList.contains('jp-Notebook')) {"
            "    w.context.model.dirty = false; w.dispose(); } } }")

    def discard(self) -> None:
        if self.page is not None and not self.page.is_closed():
            try:
                self.page.close()
            except Exception:  # noqa: BLE001 - the page is gone either way
                pass
        self.page = None


@pytest.fixture(scope="session")
def lab_page(headless_chromium, lab_server):
    """The worker's one JupyterLab page (:class:`LabPage`), closed at the end of the session."""
    lp = LabPage(headless_chromium, lab_server)
    try:
        yield lp
    finally:
        lp.discard()


@pytest.fixture(scope="session")
def chromium(headless_chromium):
    """The process's one headless Chromium (tests/conftest.py: shared with the website tests)."""
    return headless_chromium
