"""The instructor guide: every lesson and problem set has a complete guide, and the check can fail.

The guides' sources are ``instructor/lessons/<stem>.md`` and ``instructor/problem_sets/<name>.md``;
``instructor/guide.py`` checks them and renders them with the generated parts (objectives, paper ids,
check-question answers from ``tests/lesson_answers.py``, numbers from ``instructor/answers.py``).
Lessons are found by glob, so a lesson that lands without a guide fails here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from instructor import guide  # noqa: E402
from lesson_answers import ANSWERS  # noqa: E402

LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
PROBLEM_SETS = sorted(p.parent.name for p in (ROOT / "exercises" / "source").glob("*/*.ipynb")
                      if p.stem == p.parent.name and not p.stem.endswith("_zh"))  # translations share the guide


@pytest.mark.parametrize("stem", LESSONS)
def test_every_lesson_has_a_complete_guide(stem):
    problems = guide.check_lesson(stem)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PROBLEM_SETS)
def test_every_problem_set_has_a_complete_guide(name):
    problems = guide.check_problem_set(name)
    assert not problems, "\n".join(problems)


def test_lessons_and_problem_sets_are_found_by_glob():
    assert guide.lesson_stems() == LESSONS and len(LESSONS) >= 7
    assert guide.problem_sets() == PROBLEM_SETS and "ps1" in PROBLEM_SETS


# ------------------------------------------------------------------------- the parsers, by hand
def test_lesson_15_header_and_prompts_are_read_from_the_notebook():
    h = guide.lesson_header("15_new_development_philosophy")
    assert h.title.startswith("15 · New development philosophy")
    assert len(h.objectives) == 5 and h.objectives[0].startswith("explain the five concepts")
    assert "35 minutes" in h.time
    prompts = guide.discussion_prompts("15_new_development_philosophy")
    assert len(prompts) == 4 and prompts[0].startswith("**Zhejiang**") and prompts[3].startswith("Openness")
    # numbered objectives "(1) ... (2) ..." (lesson 11's style) are split too
    h11 = guide.lesson_header("11_high_quality_development")
    assert len(h11.objectives) == 5 and h11.objectives[1].startswith("split output growth")


def test_every_lesson_header_yields_objectives_and_a_registered_paper_id():
    for stem in LESSONS:
        assert guide.lesson_header(stem).objectives, stem
        assert guide.paper_sections(stem), stem


def test_session_plan_rows_and_placeholders():
    rows = guide.session_plan("| min | who | what |\n|---:|---|---|\n| 5 | instructor | a |\n| 40 | pairs | b |")
    assert [(r.minutes, r.who) for r in rows] == [(5, "instructor"), (40, "pairs")]
    assert guide.fill("rho {{ r:.2f }}, n {{n}}", {"r": 0.1234, "n": 31}, "x") == "rho 0.12, n 31"
    with pytest.raises(KeyError, match="nope"):
        guide.fill("{{ nope }}", {}, "x")
    assert guide.typed_numbers("rho 0.18 and 27.2 % but section 3.1, 2023, F5.1, `ln(1.03)` and {{ a:.2f }}") \
        == ["0.18", "27.2 %"]


# ------------------------------------------------------------------------- the rendered guide
@pytest.mark.parametrize("stem", sorted(ANSWERS))
def test_rendered_guide_gives_every_check_answer_and_prompt(stem):
    if guide.check_lesson(stem):
        pytest.skip("incomplete guide: reported by test_every_lesson_has_a_complete_guide")
    text = guide.render_lesson(stem)
    assert "Instructor material" in text
    for a in guide.check_answers(stem):            # tests/lesson_answers.py's answers (computed once)
        shown = f"{float(a.value):.{a.decimals}f}" if a.numeric else a.value
        assert f"**Answer: {shown}" in text, (stem, a.question)
        for w in a.not_yet:
            assert (f"{float(w):.{a.decimals}f}" if a.numeric else w) in text, (stem, a.question, w)
    for prompt in guide.discussion_prompts(stem):
        assert prompt in text
    for sid, _zh, _en in guide.paper_sections(stem):
        assert f"**{sid}**" in text
    assert "{{" not in text and "*(missing)*" not in text


def test_rendered_problem_set_has_rubric_points_and_commands():
    for name in PROBLEM_SETS:
        text = guide.render_problem_set(name)
        for item in guide.ps_items(name):
            assert f"`{item.grade_id}`" in text
        for _step, command, _result in guide.grading_steps():
            assert command in text
        for rubric in guide.ps_rubrics(name).values():
            assert rubric in text


def test_build_writes_an_index_and_one_page_per_guide(tmp_path):
    if guide.check_all():
        pytest.skip("incomplete guides: reported by the completeness tests")
    files = guide.build(tmp_path)
    names = {f.name for f in files}
    assert {f"{s}.md" for s in LESSONS} | {f"{p}.md" for p in PROBLEM_SETS} | {"index.md"} == names
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert index.index("00_start_here") < index.index("15_new_development_philosophy")


# ------------------------------------------------------------------------- the check bites
MODEL = "15_new_development_philosophy"


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A copy of the model guide in a temporary folder, to be broken by each test case."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    shutil.copy(guide.LESSON_GUIDES / f"{MODEL}.md", folder / f"{MODEL}.md")
    monkeypatch.setattr(guide, "LESSON_GUIDES", folder)
    path = folder / f"{MODEL}.md"
    assert guide.check_lesson(MODEL) == []                      # the copy starts complete

    def edit(old, new):
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return " ".join(guide.check_lesson(MODEL))

    return edit


@pytest.mark.parametrize("old, new, message", [
    ("## Misconceptions", "## Mistakes", "missing section '## Misconceptions'"),
    ("| 5 | instructor | The five concepts (section", "| 6 | instructor | The five concepts (section",
     "add up to 46, not 45"),
    ("| 8 | pairs | Explorer demo", "| 8 | instructor | Explorer demo", "no row where students work"),
    ("| 8 | pairs | Explorer demo, then pairs", "| 8 | pairs | Then pairs", "which widget"),
    ("### Prompt 4", "### Prompt four", "model answers are headed"),
    ("      - >-\n        The Pearson correlation of the scores themselves: neither rank-based nor partial.\n", "",
     "questions.q1.wrong explains 1 wrong answers"),
    ("  q1:\n    how: >", "  q1:\n    how: ''\n    old_how: >", "questions.q1.how"),
    ("Guangxi: >", "Guangxi_typo: >", "no reason for ['Guangxi']"),
    ("{{ kendall_w:.2f }}", "{{ kendal_w:.2f }}", "kendal_w"),
    ("W = {{ kendall_w:.2f }}", "W = 0.34", "numbers typed by hand"),
    ("**Address:** point at", "Point at", "does not say how to address it"),
    ("lesson: 15_new_development_philosophy", "lesson: 14_modern_industrial_system", "front matter 'lesson:'"),
    ("then prompt 2 (equal weights)", "then prompt 7 (equal weights)", "prompt 7 does not exist"),
])
def test_an_incomplete_guide_fails(broken, old, new, message):
    assert message in broken(old, new)


def test_a_lesson_without_a_guide_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(guide, "LESSON_GUIDES", tmp_path)
    problems = guide.check_lesson(MODEL)
    assert len(problems) == 1 and "no instructor guide" in problems[0]
