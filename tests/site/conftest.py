"""The built website and slides, served on 127.0.0.1, and one headless Chromium for the session.

``make site-test`` builds ``build/site/`` (student site with ``slides/``), ``build/slides/`` and
``build/instructor-site/`` first, then runs these tests. A missing build fails the tests with the
command to run; a missing browser skips them with the reason (as the lesson browser tests do).

Every request the browser makes is routed through :class:`Recorder`: a request to anything but the
local server (or a ``data:`` / ``blob:`` URL) is recorded and aborted, and every response with status
400 or more is recorded, so a test can assert that a page loaded nothing from outside and nothing
broken.
"""

from __future__ import annotations

import functools
import sys
import http.server
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from sitecheck import Recorder  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"


def find_chromium() -> str | None:
    """The lessons' browser tests' own lookup (tests/browser/conftest.py), so both suites use one browser."""
    from browser_loader import browser_helpers

    return browser_helpers().find_chromium()


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if find_chromium() is None:
        reason = "Chromium not found (/usr/bin/chromium or COURSE_CHROMIUM); `apt-get install chromium` (.ci/run does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[test]')"
    if reason is None:
        return
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here) and "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def built():
    """The build folders; fails with the command to run when the site has not been built."""
    need = [BUILD / "site" / "index.html", BUILD / "slides" / "index.html", BUILD / "instructor-site" / "index.html"]
    missing = [str(p.relative_to(ROOT)) for p in need if not p.is_file()]
    if missing:
        pytest.fail(f"not built: {missing}; run `make site` (or `make site-test`, which builds first)")
    return BUILD


@pytest.fixture(scope="session")
def server(built):
    """An HTTP server on 127.0.0.1 (random port) whose root is build/."""
    handler = functools.partial(_Quiet, directory=str(built))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser(headless_chromium):
    """The process's one headless Chromium (tests/conftest.py: shared with the lessons' browser tests,
    since Playwright's sync API allows one running instance per thread)."""
    return headless_chromium


@pytest.fixture
def context(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    rec = Recorder(ctx, server)
    ctx.recorder = rec
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def phone(browser, server):
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    ctx.recorder = Recorder(ctx, server)
    try:
        yield ctx
    finally:
        ctx.close()
