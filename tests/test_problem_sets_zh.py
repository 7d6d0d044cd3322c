"""The Chinese edition of the graded problem sets (issue 15): catalogues, built sources, one graded run.

A problem set ``psN`` is translated like a lesson: its Markdown goes into ``translations/zh/psN.po``
and ``scripts/translations.py build psN`` writes the Chinese instructor source
``exercises/source/psN_zh/psN_zh.ipynb`` — the English code cells (answers, self-checks, grade ids,
nbgrader metadata) with Chinese Markdown and a first cell that switches the kernel to Chinese. Its
specification ``problemsets/psN_zh.py`` reuses psN's questions, so the variants, references and
points are the English ones. The end-to-end run (one sandboxed autograde of a solution and a blank
submission) is done once, for ps1_zh; the English problem sets' own tests (misconceptions, hostile
submissions, serial = parallel) cover the grader itself.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

from grading_helpers import (EXERCISES, ROOT, TRANSLATED, find_values, full_marks, grade, module, problem_set,
                             reference_values, sandbox_or_skip, scores, write)

sys.path.insert(0, str(ROOT / "scripts"))
import translations as tr  # noqa: E402

ENGLISH = tr.english_problem_sets()
PUBLISHED = [p for p in ENGLISH if tr.chinese_problem_set(p).exists()]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def test_the_english_problem_sets_are_found_and_ps1_is_published():
    assert {p.stem for p in ENGLISH} >= {"ps1", "ps2", "ps3", "capstone"}
    assert not any(p.stem.endswith("_zh") for p in ENGLISH)
    assert "ps1" in {p.stem for p in PUBLISHED}
    # every built Chinese source has its specification, and every Chinese specification its source
    assert sorted(f"{p.stem}_zh" for p in PUBLISHED) == sorted(TRANSLATED)


@pytest.mark.parametrize("en", ENGLISH, ids=lambda p: p.stem)
def test_every_problem_set_has_a_current_catalogue(en):
    po = tr.CATALOGUES / f"{en.stem}.po"
    assert po.exists(), f"run: python scripts/translations.py update {en.stem}"
    st = tr.problem_set_status(en)
    # every Markdown cell (prompts and the rubric) is in the catalogue, keyed to the English text
    nb = nbformat.read(en, as_version=4)
    assert st.total == sum(1 for c in nb.cells if c.cell_type == "markdown" and c.source.strip()) > 5
    assert not st.stale, "stale translations (the English changed): " + ", ".join(m.context for m in st.stale)
    if tr.chinese_problem_set(en).exists():  # published: complete, and the build matches the catalogue
        assert st.complete, "untranslated: " + ", ".join(m.context for m in st.missing)


@pytest.mark.parametrize("en", PUBLISHED, ids=lambda p: p.stem)
def test_chinese_source_has_the_english_code_cells_and_grade_cells(en):
    zh_path = tr.chinese_problem_set(en)
    english, zh = nbformat.read(en, as_version=4), nbformat.read(zh_path, as_version=4)
    # the first cell switches the kernel to Chinese; every other cell is the English one's twin
    first = zh.cells[0]
    assert first.cell_type == "code" and first.id == tr.LANGUAGE_CELL_ID and not _nbg(first)
    assert 'i18n.set_language("zh")' in first.source
    rest = zh.cells[1:]
    assert [(c.id, c.cell_type) for c in rest] == [(c.id, c.cell_type) for c in english.cells]
    for e, z in zip(english.cells, rest):
        assert z.metadata == e.metadata, e.id  # nbgrader metadata: grade ids, points, locks, solution flags
        if e.cell_type == "code":
            assert z.source == e.source, e.id  # answers, self-checks, the id cell
            assert not z.get("outputs"), e.id
        elif e.source.strip():
            assert z.source != e.source and CJK.search(z.source), f"{e.id}: not translated"
            # an answer cell keeps its solution region (the rubric), which the release removes
            assert ("BEGIN SOLUTION" in z.source) == ("BEGIN SOLUTION" in e.source), e.id
            # every answer name, dataset, column and formula the English prompt names is still there
            for token in re.findall(r"`[^`]+`", e.source):
                assert token in z.source, (e.id, token)
    # the file on disk is exactly what the build makes from the current catalogue (not edited by hand)
    assert zh.cells == tr.translated_notebook(en, problem_set=True).cells
    # graded by the English specification: the same questions, variants, references and points
    zh_spec, en_spec = problem_set(zh_path.stem), problem_set(en.stem)
    assert list(zh_spec.questions.values()) == list(en_spec.questions.values())
    assert module(zh_path.stem).ENGLISH == en.stem and module(zh_path.stem).LANGUAGE == "zh"
    assert grade.check_source(EXERCISES, zh_path.stem) == []
    published = json.loads((zh_path.parent / "questions.json").read_text(encoding="utf-8"))
    english_published = json.loads((en.parent / "questions.json").read_text(encoding="utf-8"))
    assert published == {**english_published, "problem_set": zh_path.stem}


@pytest.mark.parametrize("en", PUBLISHED, ids=lambda p: p.stem)
def test_no_answer_in_the_chinese_prompts(en, tmp_path):
    # the prompts (Markdown outside the solution regions) show no reference value of any variant
    zh = nbformat.read(tr.chinese_problem_set(en), as_version=4)
    prompts = "\n\n".join(re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", c.source, flags=re.S)
                          for c in zh.cells if c.cell_type == "markdown")
    assert "评分标准" not in prompts and "Rubric" not in prompts
    (tmp_path / "prompts.md").write_text(prompts, encoding="utf-8")
    values = reference_values(problem_set(en.stem))
    assert find_values(tmp_path, values) == []
    # ... and the search finds one when it is there (the test can fail)
    q, v = values[0]
    (tmp_path / "prompts.md").write_text(prompts + f"\n{v:.6f}\n", encoding="utf-8")
    assert find_values(tmp_path, values)


def test_verdicts_and_self_checks_speak_the_problem_sets_language():
    from course import grading, i18n
    from nqpf_grading import sandbox

    zh, en = problem_set("ps1_zh"), problem_set("ps1")
    assert (zh.language, en.language) == ("zh", "en")
    sid = "s001"
    ref = en.expected("q4_lq", sid)[0]
    values = {"q4_lq": {"t": "number", "v": repr(ref)}, "q1_tfp": {"t": "number", "v": "0.5"}, "q0_spread": {"t": "bool"}}
    v_zh, v_en = zh.grade(sid, values, {}), en.grade(sid, values, {})
    # the same verdicts (a Chinese submission scores like the English one), in Chinese
    assert {q: v.ok for q, v in v_zh.items()} == {q: v.ok for q, v in v_en.items()}
    assert v_zh["q4_lq"].ok and v_zh["q4_lq"].message == "q4_lq：通过（2 分）"
    assert v_en["q4_lq"].message == "q4_lq: accepted (2 points)"
    assert "不被接受" in v_zh["q1_tfp"].message and str(zh.params("q1_tfp", sid)) in v_zh["q1_tfp"].message
    assert "浮点数" in v_zh["q0_spread"].message and "仍未定义" in v_zh["q2_between_share"].message
    assert i18n.get_language() == "en"  # grading in Chinese leaves the grader's process in English
    # the sandboxed kernel of a Chinese problem set gets COURSE_LANGUAGE=zh; an English one none
    assert sandbox.make_policy(language="zh")["env"]["COURSE_LANGUAGE"] == "zh"
    assert "COURSE_LANGUAGE" not in sandbox.make_policy()["env"]
    # the kernel's self-check messages (course.grading) in Chinese
    i18n.set_language("zh")
    try:
        with pytest.raises(AssertionError, match="应当是单个数值"):
            grading._as_number("q1_tfp", "0.5")
    finally:
        i18n.set_language("en")
    with pytest.raises(AssertionError, match="should be a single number"):
        grading._as_number("q1_tfp", "0.5")


# ---------------------------------------------------------------------------
# one sandboxed run: the Chinese release, a solution and a blank submission, autograde, export, feedback
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    sandbox_or_skip()
    name = "ps1_zh"
    tmp = tmp_path_factory.mktemp("grading-zh")
    root = grade.prepare_root(tmp / "course")
    grade.generate(root, name)
    subs = tmp / "subs"
    sol = grade.solution_answers(root, name)
    write(subs, "sol01", grade.make_submission(root, "sol01", sol, name), name)
    write(subs, "blank01", nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4), name)
    grade.autograde(root, subs, name, timeout=15, jobs=2)
    csv_path = tmp / "grades.csv"
    assert grade.main(["--root", str(root), "--assignment", name, "export", str(csv_path)]) == 0
    assert grade.main(["--root", str(root), "--assignment", name, "feedback"]) == 0
    with open(csv_path, newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return {"name": name, "root": root, "rows": rows, "ps": problem_set(name), "sol": sol}


@pytest.mark.slow
def test_chinese_solution_full_marks_and_blank_zero(zh_run):
    ps, rows = zh_run["ps"], zh_run["rows"]
    english = problem_set("ps1")
    # full marks are the English problem set's points, question by question
    assert scores(rows["sol01"], ps) == full_marks(english) and sum(full_marks(english).values()) == 17
    assert "to grade by hand: w1_written" in rows["sol01"]["flags"] and "id mismatch" not in rows["sol01"]["flags"]
    assert set(scores(rows["blank01"], ps).values()) == {0.0} and float(rows["blank01"]["total"]) == 0
    # the solution graded is the English solution: same answer cells, same code (the rubric is translated)
    code = lambda sol: {k: v for k, v in sol.items() if k not in ps.questions}  # noqa: E731
    assert code(zh_run["sol"]) == code(grade.solution_answers(EXERCISES, "ps1")) and len(code(zh_run["sol"])) == 7


@pytest.mark.slow
def test_chinese_release_and_feedback(zh_run):
    name, root = zh_run["name"], zh_run["root"]
    release = root / "release" / name
    text = (release / f"{name}.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "instructor-demo", "评分标准", "Rubric"):
        assert marker not in text, marker
    assert "第 1 题" in text and 'i18n.set_language(\\"zh\\")' in text
    assert sorted(p.name for p in release.iterdir()) == [f"{name}.ipynb", "questions.json"]
    assert find_values(release, reference_values(zh_run["ps"])) == []
    pages = sorted((root / "feedback").glob(f"*/{name}/{name}.html"))
    assert len(pages) == 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html and "<script" not in html
        assert "第 0 题" in html  # the Chinese prompts
    # the verdicts in Chinese (graded in the grader's process, through course.i18n)
    sol = (root / "feedback" / "sol01" / name / f"{name}.html").read_text(encoding="utf-8")
    blank = (root / "feedback" / "blank01" / name / f"{name}.html").read_text(encoding="utf-8")
    assert sol.count("通过（") == 7 and "accepted" not in sol
    assert "仍未定义" in blank and "is not defined" not in blank
