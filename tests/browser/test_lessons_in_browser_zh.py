"""The Chinese edition's lessons (``notebooks/zh/``) in JupyterLab in headless Chromium.

The same check as every English lesson (``test_lessons_in_browser.py``, whose docstring says what is
checked): run all cells, every widget renders, no error output, every Explorer's controls move. A
separate file so that ``--dist loadfile`` runs it on the other worker, against the same server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_lessons_in_browser import check_notebook_in_browser

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", LESSONS, ids=["zh/" + p.stem for p in LESSONS])
def test_lesson_runs_in_browser(lab_page, lab_server, path):
    report = check_notebook_in_browser(lab_page, lab_server, path)
    print(report)
