"""The student edition: what students receive, built from an allow-list.

    python exercises/grade.py student-edition DIR     (or: make student-edition)

It holds the lessons (``notebooks/``), the datasets, the ``course`` package (whose ``course.grading``
knows no reference answer) and, for every problem set that has a grading specification, the
*released* notebook with its ``questions.json`` in ``problemsets/<name>/`` — made by
``nbgrader generate_assignment`` (no solutions, no rubric). It leaves out everything else: ``exercises/``
(instructor sources with solutions and rubrics, the grading specifications with the reference
computations, the grading tools, any gradebook), ``tests/``, ``scripts/``, CI files and git history.

Instructors keep the instructor material private: teach from a private fork of this repository, or
hand students only this edition (for example as its own repository or a zip), never the repository
itself. ``tests/test_grading.py`` builds the edition and searches every file of it for every
problem-set reference value in several number formats, and for solution code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .spec import EXERCISES

REPO = EXERCISES.parent
FILES = ["LICENSE", "LICENSE-CONTENT.md", "CITATION.cff", "environment.yml", "pyproject.toml"]
FOLDERS = ["course", "datasets", "notebooks"]
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", ".DS_Store")

README = """# New quality productive forces, according to local conditions — student edition

An interactive Jupyter course on 张夏恒 and 马妍 (2024), *因地制宜发展新质生产力的必要性、科学性及着力点*,
tested against real public data. This is the **student edition**: the lessons, the datasets, the
`course` helper package and the released problem sets.

## Start

You need Python 3.11 or newer with `pip` and `venv`, and `make`:

```bash
make lab     # creates .venv, installs the course, opens JupyterLab at lesson 00
```

(or `conda env create -f environment.yml && conda activate nqpf-course && jupyter lab`).

## What is inside

| folder | what |
|---|---|
| `notebooks/` | the lessons, numbered in reading order |
| `datasets/` | small real tables (CSV) with `datapackage.json` (sources, units, licences) |
| `course/` | the helper package: `course.load(name)` reads and checks a table |
| `problemsets/` | the graded problem sets: one folder each, with the notebook and its `questions.json` |

## Problem sets

Open `problemsets/<name>/<name>.ipynb`, type your student id in the first code cell and work through
the questions. Keep `questions.json` next to the notebook: it lists the variants, and
`grading.params("q1", STUDENT_ID)` reads your own from it. Each self-check cell tells you whether an
answer has the right type and a plausible range; the values are checked when your instructor grades
the notebook. Hand in the notebook as your instructor tells you.

## Licences

Code: MIT (`LICENSE`). Lesson text and figures: CC BY 4.0 (`LICENSE-CONTENT.md`). Datasets: each under
its publisher's terms, listed in `datasets/datapackage.json`. To cite the course, see `CITATION.cff`.
"""

MAKEFILE = """# Student edition: `make lab` sets up .venv (first time) and opens JupyterLab at lesson 00.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
\t$(PYTHON) -m venv $(VENV)
\t$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
\ttouch $(STAMP)

lab: $(STAMP)
\t$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

clean:
\trm -rf $(VENV)
"""


def problem_sets() -> list[str]:
    """Problem sets with a grading specification and an instructor source."""
    return sorted(p.stem for p in (EXERCISES / "problemsets").glob("*.py")
                  if p.stem != "__init__" and (EXERCISES / "source" / p.stem / f"{p.stem}.ipynb").exists())


def build(dest: Path, *, generate, force: bool = False, assignments: list[str] | None = None) -> Path:
    """Write the student edition into ``dest``; ``generate(name)`` makes and returns a release notebook."""
    dest = Path(dest).resolve()
    repo = REPO.resolve()
    if dest == repo or repo.is_relative_to(dest) or dest.is_relative_to(repo / "exercises"):
        raise ValueError(f"{dest}: build the student edition outside the repository's instructor material")
    if dest.exists() and any(dest.iterdir()):
        if not force:
            raise ValueError(f"{dest} exists and is not empty (use --force to replace it)")
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        if (repo / name).exists():
            shutil.copy2(repo / name, dest / name)
    for name in FOLDERS:
        shutil.copytree(repo / name, dest / name, ignore=_IGNORE)
    (dest / "README.md").write_text(README, encoding="utf-8")
    (dest / "Makefile").write_text(MAKEFILE, encoding="utf-8")
    for ps in assignments or problem_sets():
        release = Path(generate(ps)).parent
        shutil.copytree(release, dest / "problemsets" / ps, ignore=_IGNORE)
    return dest
