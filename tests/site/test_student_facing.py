"""Nothing a student receives contains an answer key, a rubric or instructor-guide text.

Scans the built student website (``build/site/``, slides included) and the slides (``build/slides/``)
with :func:`answer_leaks.scan`: every numeric check-question answer in several formats, the instructor
guide's explanations and model answers, the problem sets' rubric lines and instructor markers. The
instructor site and doctored copies of student pages show that the scan finds what it looks for.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import answer_leaks  # noqa: E402
from lesson_answers import ANSWERS  # noqa: E402

BUILD = ROOT / "build"


@pytest.fixture(scope="module")
def built():
    need = [BUILD / "site" / "index.html", BUILD / "slides" / "index.html", BUILD / "instructor-site" / "index.html"]
    missing = [str(p.relative_to(ROOT)) for p in need if not p.is_file()]
    if missing:
        pytest.fail(f"not built: {missing}; run `make site` (or `make site-test`)")
    return BUILD


def test_student_site_and_slides_contain_no_answer_or_rubric(built):
    leaks = answer_leaks.scan([built / "site", built / "slides"])
    assert not leaks, "\n".join(leaks[:20])


def test_the_scan_finds_every_kind_of_leak_in_the_instructor_site(built):
    leaks = answer_leaks.scan([built / "instructor-site"])
    text = "\n".join(leaks)
    for stem, fn in ANSWERS.items():                     # every lesson's numeric answers are found
        for a in fn():                                   # (a small whole number only in its phrases:
            if a.numeric and not getattr(a, "contexts", ()):   # the 'Answer:' line check finds those)
                assert f"answer to {stem} {a.question}" in text, (stem, a.question)
    assert "instructor marker 'Instructor material'" in text
    assert "an 'Answer:' line" in text
    assert "instructor text" in text                     # explanations, model answers, rubric lines
    assert any("ps1" in line and "instructor text" in line for line in leaks)   # the rubric


@pytest.mark.parametrize("insert", ["answer", "rubric", "explanation"])
def test_the_scan_finds_a_leak_planted_in_a_student_page(built, tmp_path, insert):
    stem = "15_new_development_philosophy"
    page = tmp_path / f"{stem}.html"
    shutil.copy(built / "site" / "lessons" / f"{stem}.html", page)
    assert answer_leaks.scan([page]) == []
    if insert == "answer":
        a = next(a for a in ANSWERS[stem]() if a.numeric)
        extra = f"<p>the value is {float(a.value):.{a.decimals + 1}f}</p>"
    elif insert == "rubric":
        extra = next(f"<li>{p}</li>" for p in answer_leaks.instructor_phrases() if "point" in p)
    else:
        extra = next(f"<p>{p} and more</p>" for p in answer_leaks.instructor_phrases() if "rank correlation" in p)
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", extra + "</article>", 1), encoding="utf-8")
    assert answer_leaks.scan([page]), insert
