"""What a student reads: no reference to a lesson that does not exist, and glossary entries in full.

* Every "lesson NN" / "lessons NN-MM" / "lessons NN, MM and KK" in the lessons (text, code and stored
  outputs), the exercises, the course package and the repository's Markdown names a notebook that is
  in ``notebooks/``. Lessons planned in ``course/syllabus.py`` but not written yet do not count: a
  forward reference is written as "part 三 of the paper", not as a lesson number.
* ``python -m course.glossary`` prints every entry in full (no definition cut off with "..."), and so
  does every lesson's glossary cell for the terms of its section.

Each check is a function that the tests also run on a deliberately broken text, so it can fail.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from course import glossary

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# -------------------------------------------------------------------------- lesson references
_NUM = r"\d{2}(?:\s*[-–]\s*\d{2})?"
REFERENCE = re.compile(rf"\b[Ll]essons?\s+({_NUM}(?:\s*(?:,|and|or|&)\s*{_NUM})*)")
# the Chinese edition: 第 11 课, 第 12、13 课, 第 22—24 课
_NUM_ZH = r"\d{2}(?:\s*[—–-]\s*\d{2})?"
REFERENCE_ZH = re.compile(rf"第\s*({_NUM_ZH}(?:\s*(?:、|和|与|或)\s*{_NUM_ZH})*)\s*课")


def existing_lessons() -> set[int]:
    return {int(p.name[:2]) for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}


def referenced_lessons(text: str) -> list[tuple[int, str]]:
    """Every lesson number a text refers to, with the phrase it came from (ranges expanded)."""
    found = []
    for m in [*REFERENCE.finditer(text), *REFERENCE_ZH.finditer(text)]:
        for part in re.split(r"\s*(?:,|and|or|&|、|和|与|或)\s*", m.group(1)):
            ends = [int(x) for x in re.split(r"\s*[-–—]\s*", part) if x]
            numbers = range(ends[0], ends[-1] + 1) if len(ends) == 2 else ends
            found += [(n, m.group(0)) for n in numbers]
    return found


def dangling(text: str, lessons: set[int]) -> list[str]:
    return sorted({f"{phrase!r} -> lesson {n:02d}" for n, phrase in referenced_lessons(text) if n not in lessons})


def _notebook_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for value in out.get("data", {}).values():
                if isinstance(value, (list, str)):
                    parts.append("".join(value))
    return "\n".join(parts)


def _sources() -> list[Path]:
    files = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted((ROOT / "exercises").rglob("*.ipynb"))
    files += sorted((NOTEBOOKS / "zh").glob("*.ipynb")) + sorted((ROOT / "translations").rglob("*.po"))
    files += sorted((ROOT / "course" / "locale").rglob("*.po"))
    files += sorted(ROOT.glob("*.md")) + sorted((ROOT / "exercises").rglob("*.md"))
    files += sorted((ROOT / "datasets").glob("*.md")) + sorted((ROOT / "course").glob("*.py"))
    return [f for f in files if "release" not in f.parts and ".ipynb_checkpoints" not in f.parts]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_lesson_reference_names_an_existing_notebook(path):
    text = _notebook_text(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    assert not dangling(text, existing_lessons()), f"{path.relative_to(ROOT)}: {dangling(text, existing_lessons())}"


def test_reference_check_catches_missing_lessons():
    lessons = {0, 11, 12, 13, 14, 15}
    broken = ("Lesson 21 (seeking truth from facts) will come back to this; lessons 22-24 take it further; "
              "Lessons 12, 21 and 22 look at provinces; see lesson 40.")
    assert dangling(broken, lessons) == sorted({
        "'Lesson 21' -> lesson 21", "'lessons 22-24' -> lesson 22", "'lessons 22-24' -> lesson 23",
        "'lessons 22-24' -> lesson 24", "'Lessons 12, 21 and 22' -> lesson 21",
        "'Lessons 12, 21 and 22' -> lesson 22", "'lesson 40' -> lesson 40"})
    assert dangling("见第 21 课；第 12、40 课；第 22—23 课", lessons) == sorted({
        "'第 21 课' -> lesson 21", "'第 12、40 课' -> lesson 40", "'第 22—23 课' -> lesson 22",
        "'第 22—23 课' -> lesson 23"})
    fine = "lessons 11–15, lesson 00, lessons 12 and 14, the lessons on part 三 of the paper, 第 11 课, 第 13—15 课"
    assert dangling(fine, lessons) == []
    assert {n for n, _ in referenced_lessons(fine)} == {0, 11, 12, 13, 14, 15}


# -------------------------------------------------------------------------- glossary in full
def _norm(text: str) -> str:
    return " ".join(text.split())


def cut_entries(printed: str, terms, zh: bool = False) -> list[str]:
    """The terms whose Chinese, English or full meaning is not in ``printed`` (whitespace aside).

    ``zh``: the Chinese edition's glossary, whose meanings are the Chinese ones (wrapped between any
    two characters, so whitespace is ignored entirely)."""
    if zh:
        flat = "".join(printed.split())
        return [t.zh for t in terms
                if not (t.zh in flat and "".join(t.en.split()) in flat and "".join(_zh_meaning(t).split()) in flat)]
    flat = _norm(printed)
    return [t.zh for t in terms if not (t.zh in flat and _norm(t.en) in flat and _norm(t.meaning) in flat)]


def _zh_meaning(term) -> str:
    from course import i18n

    previous = i18n.get_language()
    i18n.set_language("zh")
    try:
        return glossary.meaning(term)
    finally:
        i18n.set_language(previous)


def _is_zh(printed: str) -> bool:
    return bool(re.search(r"\n    [\u4e00-\u9fff]", printed))


def test_python_m_course_glossary_prints_every_entry_in_full():
    out = subprocess.run([sys.executable, "-m", "course.glossary"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert cut_entries(out, glossary.GLOSSARY) == []
    assert not re.search(r"(\.\.\.|…)\s*$", out, flags=re.M)


def test_glossary_check_catches_truncated_definitions():
    """The old printout (a pandas table with the meaning column cut at 90 characters, as the lessons'
    glossary cells printed it) fails the check."""
    old = glossary.table()[["zh", "en", "meaning"]].to_string(index=False, max_colwidth=90)
    assert "..." in old
    long = [t.zh for t in glossary.GLOSSARY if len(t.meaning) > 90]
    assert long and set(long) <= set(cut_entries(old, glossary.GLOSSARY))


def _glossary_cells():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")) + sorted((NOTEBOOKS / "zh").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            src = "".join(cell["source"])
            if cell["cell_type"] == "code" and ("glossary.show" in src or "glossary.table" in src):
                sections = re.findall(r"glossary\.show\(\s*[\"']([^\"']+)[\"']", src)
                printed = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
                yield pytest.param(path.name, sections, printed, id=path.relative_to(NOTEBOOKS).with_suffix("").as_posix())


@pytest.mark.parametrize("name, sections, printed", list(_glossary_cells()))
def test_lesson_glossary_cells_print_their_terms_in_full(name, sections, printed):
    assert sections, f"{name}: a glossary cell should call glossary.show(SECTION), which never cuts a definition"
    for section in sections:
        terms = [t for t in glossary.GLOSSARY if t.section == section or t.section.startswith(section + ".")]
        assert terms and cut_entries(printed, terms, zh=_is_zh(printed)) == [], \
            (name, section)
    assert not re.search(r"(\.\.\.|…)\s*$", printed, flags=re.M), name
