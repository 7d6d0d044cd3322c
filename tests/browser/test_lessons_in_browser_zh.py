"""The Chinese edition's lessons (``notebooks/zh/``) in JupyterLab in headless Chromium.

The same check as every English lesson (``test_lessons_in_browser.py``, whose docstring says what is
checked): run all cells, every widget renders with its Chinese labels not cut off, no error output. A
separate file so that ``--dist loadfile`` runs it on the other worker, against the same server.

One step is left to the English lesson: moving a control in the browser and seeing the figure change
(step 4). A Chinese lesson runs exactly the English code cells (tests/test_translations.py), so that
step tests the same front end to kernel round trip again; what the language changes on a redraw
(translated titles, notes, alt text, the CJK font) is driven in the Chinese lesson's own kernel by its
widget sweep (tests/test_lesson_runs_zh.py), which fails on any error box or missing glyph.
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
    report = check_notebook_in_browser(lab_page, lab_server, path, move_controls=False)
    print(report)
