"""Search student-facing files for answer keys, rubrics and instructor-guide text.

:func:`scan` takes files or folders (a built student website, the slides, a student edition of the
repository, released problem sets) and returns every leak it finds:

* **check-question answers**: every numeric answer in ``tests/lesson_answers.py`` in the forms a
  student could copy (at the decimals asked for and one or two more, as a fraction or a percentage
  for shares: :func:`test_check_questions.answer_forms`; a small whole number only inside the phrases
  its question names, as ``tests/test_check_questions.py`` does), searched in the *text* of each page
  (HTML tags and the site's footer removed, alt text kept). On the pages of the answer's own lesson
  (its page, its slides) every answer is searched; on pages of another lesson it is not (that lesson's
  own test already refuses numbers that coincide with its printed ones); on pages of no lesson (start
  page, glossary, datasets, sources, search) only answers asked for with two or more decimals, or whole
  numbers inside their phrases -- a bare "10" or "4.0" in a data dictionary or a licence name
  ("CC BY 4.0") is not an answer a student could copy;
* **instructor-guide text**: the guide's warning line, its "Answer:" lines, every explanation of a
  wrong answer and every model answer's first sentence (from ``instructor/``), and the markers of
  instructor sources (``### BEGIN SOLUTION``, ``### BEGIN HIDDEN TESTS``, "Rubric");
* **rubrics**: every line of the problem sets' hand-grading rubrics (from their instructor sources).

Use it for any new student-facing artefact, e.g. in a test of the student edition:
``assert not answer_leaks.scan([edition_folder])``.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "tests"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

TEXT_SUFFIXES = {".html", ".htm", ".md", ".txt", ".ipynb", ".js", ".json", ".py", ".csv"}
MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "Instructor material", "instructor-only",
           "Rubric (instructor", "Model answers", "Plausible wrong answers")


def page_text(path: Path) -> str:
    """What a reader sees in a file: HTML without tags (alt and title text kept); a notebook's visible
    text (sources and outputs); other text files as they are."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        from test_check_questions import visible_text

        return visible_text(json.loads(raw))
    if path.suffix in (".html", ".htm"):
        raw = re.sub(r"(?is)<(script|style|footer)\b.*?</\1>", " ", raw)
        attrs = " ".join(re.findall(r'\b(?:alt|title|aria-label)="([^"]*)"', raw))
        raw = re.sub(r"<[^>]+>", " ", raw) + " " + attrs
        raw = htmllib.unescape(raw)
    return raw.replace("\u2212", "-")


@lru_cache(maxsize=1)
def _answers() -> dict:
    from lesson_answers import ANSWERS

    return {stem: fn() for stem, fn in ANSWERS.items()}


@lru_cache(maxsize=1)
def instructor_phrases() -> tuple[str, ...]:
    """Sentences that exist only in the instructor guide and the problem sets' instructor sources."""
    from instructor import guide

    phrases = set()
    for stem in guide.lesson_stems():
        path = guide.guide_path(stem)
        if not path.is_file():
            continue
        src = guide.parse_source(path)
        for note in (src.meta.get("questions") or {}).values():
            why = note.get("wrong") or []
            for text in (why.values() if isinstance(why, dict) else why):
                phrases.add(" ".join(str(text).split())[:70])
        for _h, body in guide.subsections(src.sections.get("Discussion prompts: model answers", "")):
            prose = [p for p in body.split("\n\n") if "{{" not in p and len(p) > 80]
            if prose:
                phrases.add(" ".join(prose[-1].split())[:70])
    for name in guide.problem_sets():
        for rubric in guide.ps_rubrics(name).values():
            for line in rubric.splitlines():
                line = line.strip(" *-")
                if len(line) > 40:
                    phrases.add(" ".join(line.split())[:70])
    return tuple(sorted(p for p in phrases if len(p) >= 40))


def _lesson_of(path: Path, stems) -> str | None:
    for stem in stems:
        if stem in path.name:
            return stem
    return None


def scan(paths) -> list[str]:
    """Every leak found in the given files and folders (an empty list when there is none)."""
    from test_check_questions import answer_forms, find_printed

    files = []
    for p in map(Path, paths):
        files += [f for f in sorted(p.rglob("*")) if f.is_file() and f.suffix in TEXT_SUFFIXES] if p.is_dir() else [p]
    answers = _answers()
    phrases = instructor_phrases()
    leaks = []
    for f in files:
        text = page_text(f)
        flat = " ".join(text.split())
        lesson = _lesson_of(f, answers)
        for stem, items in answers.items():
            if lesson not in (None, stem):
                continue
            for a in items:
                if not a.numeric or f.suffix in (".csv", ".json", ".js", ".py"):
                    continue
                contexts = getattr(a, "contexts", ())
                if lesson is None and (a.decimals or 0) < 2 and not contexts:
                    continue
                hits = find_printed(text, answer_forms(a), contexts)
                if hits:
                    leaks.append(f"{f}: answer to {stem} {a.question}: {hits[0]}")
        for marker in MARKERS:
            if marker in text:
                leaks.append(f"{f}: instructor marker {marker!r}")
        if re.search(r"\*\*Answer: |Answer: .{1,60}?\(accepted|Check questions: answers", flat):
            leaks.append(f"{f}: an 'Answer:' line of the instructor guide")
        for phrase in phrases:
            if phrase in flat:
                leaks.append(f"{f}: instructor text {phrase[:50]!r}...")
    return leaks
