"""``tests/browser/conftest.py`` as a module of its own, loaded once: its JupyterLab server and Chromium
helpers serve the root ``conftest.py`` (one server for all browser tests) and the site tests (one browser)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

BROWSER_CONFTEST = Path(__file__).resolve().parent / "browser" / "conftest.py"


@functools.lru_cache(maxsize=1)
def browser_helpers():
    spec = importlib.util.spec_from_file_location("course_browser_conftest", BROWSER_CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
