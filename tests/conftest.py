"""Shared test set-up: a non-interactive matplotlib backend, the repository root, and, in a parallel
run (``pytest -n 2``, as ``make test``), one JupyterLab server for the browser tests of every worker.

The browser tests are in two files (English and Chinese lessons) so that ``--dist loadfile`` can give
them to different workers; each worker has its own headless Chromium, but both drive the **same**
JupyterLab server, started here by the xdist controller before the workers exist and handed to them
in the environment (``tests/browser/conftest.py``, ``lab_server``). A run without xdist starts its
own server in the fixture instead.
"""

import json
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
BROWSER = ROOT / "tests" / "browser"

_SHARED = {}


@pytest.fixture
def root() -> Path:
    return ROOT


def _browser_conftest():
    """tests/browser/conftest.py as a module of its own (for its server and Chromium helpers)."""
    from browser_loader import browser_helpers

    return browser_helpers()


@pytest.fixture(scope="session")
def headless_chromium():
    """One Playwright and one headless Chromium per test process, shared by the lessons' browser tests
    (tests/browser, fixture ``chromium``) and the website's (tests/site, fixture ``browser``):
    Playwright's sync API allows one running instance per thread, and a worker may run both."""
    from playwright.sync_api import sync_playwright

    helpers = _browser_conftest()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=helpers.find_chromium(), headless=True,
                              args=helpers.CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _runs_browser_tests(config) -> bool:
    for arg in config.args:
        p = Path(str(arg).split("::", 1)[0]).resolve()
        if p == BROWSER or BROWSER.is_relative_to(p) or p.is_relative_to(BROWSER):
            return not any(Path(str(i)).resolve() == BROWSER for i in (config.getoption("ignore") or []))
    return False


def pytest_configure(config):
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", default=None):
        return  # a worker, or a run without xdist: the browser fixture starts its own server
    if not _runs_browser_tests(config):
        return
    browser_conftest = _browser_conftest()
    if browser_conftest.find_chromium() is None:
        return  # the browser tests will be skipped with the reason
    try:
        server, work = browser_conftest.start_lab()
    except browser_conftest.LabStartError as exc:
        print(f"\nJupyterLab for the browser tests did not start; each worker tries its own: {exc}",
              file=sys.stderr)
        return
    _SHARED.update(server=server, work=work, stop=browser_conftest.stop_lab)
    os.environ[browser_conftest.SHARED_ENV] = json.dumps(
        {"port": server.port, "token": server.token, "log": str(server.log)})


def pytest_unconfigure(config):
    if _SHARED:
        os.environ.pop("COURSE_SHARED_LAB", None)
        _SHARED.pop("stop")(_SHARED.pop("server"), _SHARED.pop("work"))
