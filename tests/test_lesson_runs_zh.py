"""Every lesson of the Chinese edition (``notebooks/zh/``, built from the English code cells), run
once offline, then checked three ways (see ``tests/lesson_run.py``).

* ``test_lesson_runs_offline``: the lesson runs with the network taken away and its kernel cannot
  reach a public address or resolve a name (``tests/test_offline.py`` explains the method);
* ``test_lesson_figures_are_accessible``: titles and alt text on every figure, no bare image
  (``tests/test_accessibility.py``);
* ``test_widget_sweep``: every control of every Explorer pushed to its limits without an error (a
  lighter sweep than the English one: `tests/lesson_run.py`, `ZH_SWEEP`, says why)
  (``tests/test_widget_sweeps.py``).

The proofs that each check can fail (synthetic notebooks) are in those three modules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lesson_run import check_accessible, check_offline, check_swept

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
IDS = ["zh/" + p.stem for p in LESSONS]


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_runs_offline(path):
    check_offline(path)


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_lesson_figures_are_accessible(path):
    check_accessible(path)


@pytest.mark.parametrize("path", LESSONS, ids=IDS)
def test_widget_sweep(path):
    check_swept(path)
