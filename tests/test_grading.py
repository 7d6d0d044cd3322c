"""The grading pipeline (issues 4 and 9): specifications, references, the sandboxed nbgrader run end to end.

Fast tests check the problem-set specifications (variants, references by hand, the public
``questions.json``, the student-side ``course.grading``). The end-to-end tests (marked ``slow``) run
once per problem set found in ``exercises/problemsets/``: generate the student version in a copy of
``exercises/``, build submissions from the source notebook (the solution, the blank version, each
misconception of the specification, and for problem set 1 the broken demo ones), autograde them in
parallel sandboxes, export and make feedback; the same submissions are graded again serially and
the two gradebooks must be equal. The student edition is built and searched for every reference value.
Hostile submissions are in ``test_grading_hostile.py``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
import sys
import sqlite3
from pathlib import Path

import nbformat
import pytest

import course
from course import grading, measures, quiz
import answer_leaks
from instructor import guide as instructor_guide
from grading_helpers import (ENGLISH_SETS, EXERCISES, PROBLEM_SETS, ROOT, find_values, full_marks, grade, misconception_answers,
                             module, number_forms, problem_set, reference_values, sandbox_or_skip, scores, spec,
                             write)

ps1 = module("ps1")
PS1 = problem_set("ps1")
AUTO = {"q0_spread": 2, "q1_tfp": 3, "q2_between_share": 3, "q3_years": 2, "q4_lq": 2, "q5_score": 3, "q6_cagr": 2}
NUMERIC = [q.name for q in PS1.autograded if q.kind == "number"]


# ---------------------------------------------------------------------------
# fast tests: the student-side helpers and the specifications
# ---------------------------------------------------------------------------

def test_variant_is_deterministic_and_spreads():
    opts = list(range(10))
    assert grading.variant("s1", opts, "a") == grading.variant(" S1 ", opts, "a")
    picks = {grading.variant(f"s{i}", opts, "a") for i in range(200)}
    assert picks == set(opts)
    with pytest.raises(ValueError, match="STUDENT_ID"):
        grading.variant("...", opts)
    # the draw is the documented hash: sha256 of "nqpf-course/variant/v1:<salt>:<id>" modulo the count
    import hashlib as h
    n = int(h.sha256(b"nqpf-course/variant/v1:a:s7").hexdigest(), 16) % 10
    assert grading.variant("S7", opts, "a") == n


def test_course_package_knows_no_reference_answer():
    # what students install has no reference, no expected value, no hidden check, no graded-id file
    for name in ("expected", "hidden_check", "graded_id", "QUESTIONS", "GRADED_ID_FILE"):
        assert not hasattr(grading, name), name
    assert not any(n.startswith(("_ref", "ref_")) for n in dir(grading))
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "course").glob("*.py"))
    for marker in ("problemsets", "nqpf_grading", "def ref_", "theil_decomposition(per_capita"):
        assert marker not in text, marker


@pytest.mark.parametrize("name", PROBLEM_SETS)
def test_source_agrees_with_specification(name):
    assert grade.check_source(EXERCISES, name) == []
    ps = problem_set(name)
    published = EXERCISES / "source" / name / "questions.json"
    assert published.read_text(encoding="utf-8") == ps.public_json(), "run: python exercises/grade.py generate"


@pytest.mark.parametrize("name", ENGLISH_SETS)  # a translation's questions.json is its English one's (test_problem_sets_zh)
def test_students_see_the_variant_the_grader_grades(name, tmp_path):
    # course.grading.params reads questions.json; the grader draws from the specification itself
    ps = problem_set(name)
    path = EXERCISES / "source" / name / "questions.json"
    public = json.loads(path.read_text())["questions"]
    for i in range(150):
        for q in ps.questions.values():
            assert grading.params(q.name, f"s{i}", path=path) == q.params(f"s{i}")
    for q in ps.autograded:  # no answer is published
        assert set(public[q.name]) <= {"kind", "points", "variant", "plausible", "names", "example", "options"}
    with pytest.raises(FileNotFoundError, match="questions.json is missing"):
        grading.params("q1", "s1", path=tmp_path / "questions.json")


def test_check_source_reports_disagreements(tmp_path):
    root = grade.prepare_root(tmp_path / "course")
    src = root / "source" / "ps1" / "ps1.ipynb"
    nb = nbformat.read(src, as_version=4)
    for c in nb.cells:
        m = c.metadata.get("nbgrader", {})
        if m.get("grade_id") == "q1_tfp_test":
            m["points"] = 5
            c.source += "\n### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS"
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "q4_lq_test"]
    nbformat.write(nb, src)
    problems = "\n".join(grade.check_source(root, "ps1"))
    assert "q1_tfp_test: 5 points in the notebook, 3 in the specification" in problems
    assert "hidden tests" in problems and "q4_lq: no code cell with grade_id 'q4_lq_test'" in problems
    with pytest.raises(grade.GradingError, match="disagree"):
        grade.generate(root, "ps1")


def test_ps1_points_and_variants():
    assert {q.name: q.points for q in PS1.autograded} == AUTO and sum(AUTO.values()) == 17
    assert PS1.questions["w1_written"].points == 3
    varying = [q for q in AUTO if len({str(PS1.params(q, f"s{i}")) for i in range(60)}) > 1]
    assert len(varying) >= len(AUTO) / 2


def _per_capita_by_hand() -> dict[tuple[int, str], list[float]]:
    """(year, vintage) -> the published GDP per capita of every province, read with the csv module."""
    out: dict[tuple[int, str], list[float]] = {}
    with open(ROOT / "datasets" / "province_value_added.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault((int(r["year"]), r["vintage"]), []).append(float(r["gdp_per_capita_yuan"]))
    return out


def test_reference_spread_by_hand():
    # the highest over the lowest published per-capita GDP, for every variant year in its vintage
    by_hand = _per_capita_by_hand()
    assert {PS1.params("q0_spread", f"s{i}")["year"] for i in range(200)} == set(range(2013, 2025))
    lo, hi = PS1.questions["q0_spread"].plausible
    for year in ps1.SPREAD_YEARS:
        vintage = "post_5th_census_revision" if year >= 2019 else "pre_5th_census_revision"
        values = by_hand[(year, vintage)]
        assert len(values) == 31
        ref = ps1.ref_spread(year, vintage)
        assert ref == pytest.approx(max(values) / min(values), abs=1e-12)
        assert 2 < ref < 10 and lo <= ref <= hi  # "several-fold" (lesson 00)
    for i in range(40):  # the vintage in the variant is the one the question text states
        p = PS1.params("q0_spread", f"s{i}")
        assert p["vintage"] == ("post_5th_census_revision" if p["year"] >= 2019 else "pre_5th_census_revision")


def test_spread_misconceptions_give_other_numbers():
    va = course.load("province_value_added")
    pop = course.load("province_population")
    q = PS1.questions["q0_spread"]
    lo, hi = q.plausible
    for year in ps1.SPREAD_YEARS:
        vintage = ps1.POST if year >= 2019 else ps1.PRE
        f = va[(va.year == year) & (va.vintage == vintage)]
        ref = ps1.ref_spread(year, vintage)
        # GDP totals instead of per-capita values: plausible-looking, so it passes the self-check, and wrong
        totals = f.gdp_100m_yuan.max() / f.gdp_100m_yuan.min()
        assert lo <= totals <= hi and abs(totals - ref) > 10, year
        # a national average (sum of GDP over sum of people) is yuan, not a ratio: fails the self-check
        people = pop[pop.year == year].resident_population_10k.sum() * 1e4
        assert f.gdp_100m_yuan.sum() * 1e8 / people > hi
    pooled = va[va.year == 2019].gdp_per_capita_yuan  # 2019 is published in both vintages
    assert abs(pooled.max() / pooled.min() - ps1.ref_spread(2019, ps1.POST)) > q.tol


def test_reference_tfp_by_hand():
    # the Solow residual written out from the PWT columns for 2000-2010, alpha = 0.4
    pwt = course.load("pwt_china").set_index("year")
    cols = ("rgdpna_mil_2017usd", "rnna_mil_2017usd", "emp_millions", "hc_index")
    g = {k: math.log(pwt.loc[2010, k] / pwt.loc[2000, k]) / 10 for k in cols}
    hand = g["rgdpna_mil_2017usd"] - 0.4 * g["rnna_mil_2017usd"] - 0.6 * (g["emp_millions"] + g["hc_index"])
    assert ps1.ref_tfp(2000, 2010, 0.4) == pytest.approx(hand, abs=1e-12)
    assert 0 < hand < 0.1  # a positive residual in the 2000s


def test_reference_catchup_and_cagr_by_hand():
    rd = course.load("rd_intensity_countries").pivot(index="year", columns="entity", values="rd_expenditure_pct_gdp")
    g = (rd.loc[2021, "China"] / rd.loc[2011, "China"]) ** 0.1 - 1
    years = ps1.ref_years("Germany")
    assert rd.loc[2021, "China"] * (1 + g) ** years == pytest.approx(rd.loc[2021, "Germany"])
    assert ps1.ref_cagr(100, 121, 2) == pytest.approx(0.1)
    assert PS1.expected("q6_cagr", "s1")[0] == pytest.approx(0.1)  # the first grader case is (100, 121, 2)


def test_reference_lq_and_score_properties():
    m = ps1.lq_matrix()
    assert m.shape == (31, 19)
    for sector in ps1.LQ_SECTORS:  # employment-weighted mean of each column's LQ is 1
        lqs = [ps1.ref_lq(p, sector) for p in m.index]
        weights = m.sum(axis=1) / m.to_numpy().sum()
        assert sum(w * q for w, q in zip(weights, lqs)) == pytest.approx(1.0)
    scores_ = [ps1.ref_score(p) for p in ps1.q5_frame().index]
    assert min(scores_) >= 0 and max(scores_) <= 1


def test_between_share_weighted_differs_from_unweighted():
    gdp = course.load("province_gdp")
    pop = course.load("province_population")
    tol = PS1.questions["q2_between_share"].tol
    for year in ps1.THEIL_YEARS:
        g = gdp[(gdp.vintage == "post_5th_census_revision") & (gdp.year == year)]
        f = g.merge(pop[pop.year == year][["province_code", "resident_population_10k"]], on="province_code")
        d = measures.theil_decomposition(f.gdp_100m_yuan / f.resident_population_10k, f.nbs_region_en)
        assert abs(d.between / d.total - ps1.ref_between_share(year)) > tol, year


def test_grading_by_name_in_the_graders_process():
    # the comparison of reported values (as the kernel's report cell encodes them) with the references
    sid = "s001"
    ref = PS1.expected("q4_lq", sid)[0]
    enc = {"t": "number", "v": repr(ref)}
    ok = PS1.grade(sid, {"q4_lq": enc}, {})["q4_lq"]
    assert ok.ok and "accepted" in ok.message
    bad = PS1.grade(sid, {"q4_lq": {"t": "number", "v": repr(ref * 1.1)}}, {})["q4_lq"]
    assert not bad.ok and str(PS1.params("q4_lq", sid)) in bad.message
    for s in number_forms(ref):  # the failure message shows the student's value, never the reference
        assert s not in bad.message
    verdicts = PS1.grade(sid, {"q4_lq": {"t": "bool"}, "q1_tfp": {"t": "other", "type": "DataFrame"},
                               "q0_spread": {"t": "number", "v": "nan"}}, {})
    assert "not bool" in verdicts["q4_lq"].message and "not DataFrame" in verdicts["q1_tfp"].message
    assert "finite" in verdicts["q0_spread"].message and "not defined" in verdicts["q2_between_share"].message
    cases = PS1.report_plan(sid)[1]["q6_cagr"]
    good = [{"t": "number", "v": repr(ps1.ref_cagr(*a))} for a in cases]
    assert PS1.grade(sid, {"q6_cagr": {"t": "callable"}}, {"q6_cagr": good})["q6_cagr"].ok
    raised = [{"t": "error", "error": "ZeroDivisionError"}] + good[1:]
    assert "raised ZeroDivisionError" in PS1.grade(sid, {"q6_cagr": {"t": "callable"}},
                                                   {"q6_cagr": raised})["q6_cagr"].message
    assert (100, 110, 1) not in cases  # the self-check's example is not one of the grader's inputs


# ---------------------------------------------------------------------------
# the real pipeline, end to end, once per problem set
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module", params=ENGLISH_SETS)
def run(request, tmp_path_factory):
    sandbox_or_skip()
    name = request.param
    ps = problem_set(name)
    tmp = tmp_path_factory.mktemp(f"grading-{name}")
    root = grade.prepare_root(tmp / "course")
    grade.generate(root, name)
    subs = tmp / "subs"
    sol = grade.solution_answers(root, name)
    plan = {"sol01": "solution", "blank01": "blank"}
    write(subs, "sol01", grade.make_submission(root, "sol01", sol, name), name)
    write(subs, "blank01", nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4), name)
    wrong = misconception_answers(sol, name)
    for sid, (_q, answers) in wrong.items():
        write(subs, sid, grade.make_submission(root, sid, answers, name), name)
    if name == "ps1":
        plan.update(grade.demo(root, subs, name))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.rglob("*") if p.is_file()}
    grade.autograde(root, subs, name, timeout=15, jobs=2)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.rglob("*") if p.is_file()}
    csv_path = tmp / "grades.csv"
    assert grade.main(["--root", str(root), "--assignment", name, "export", str(csv_path)]) == 0
    assert grade.main(["--root", str(root), "--assignment", name, "feedback"]) == 0
    with open(csv_path, newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return {"name": name, "ps": ps, "root": root, "subs": subs, "plan": plan, "wrong": wrong, "rows": rows,
            "before": before, "after": after, "sol": sol, "tmp": tmp}


@pytest.mark.slow
def test_solution_full_marks_and_blank_zero(run):
    ps, rows = run["ps"], run["rows"]
    assert scores(rows["sol01"], ps) == full_marks(ps)
    assert float(rows["sol01"]["autograded"]) == sum(full_marks(ps).values())
    written = [q.name for q in ps.questions.values() if q.kind == "written"]
    if written:
        assert "to grade by hand: " + ", ".join(written) in rows["sol01"]["flags"]
    assert "id mismatch" not in rows["sol01"]["flags"]
    assert set(scores(rows["blank01"], ps).values()) == {0.0} and float(rows["blank01"]["total"]) == 0
    assert "no STUDENT_ID" in rows["blank01"]["flags"]


@pytest.mark.slow
def test_each_misconception_loses_only_its_question(run):
    ps, rows = run["ps"], run["rows"]
    assert run["wrong"], f"{run['name']}: give each question a typical wrong answer in MISCONCEPTIONS"
    covered = {q for q, _a in run["wrong"].values()}
    assert covered == {q.name for q in ps.autograded}, "every autograded question needs a misconception"
    for sid, (q, _a) in run["wrong"].items():
        expect = {k: (0.0 if k == q else p) for k, p in full_marks(ps).items()}
        assert scores(rows[sid], ps) == expect, sid


@pytest.mark.slow
@pytest.mark.parametrize("run", ["ps1"], indirect=True)  # the demo's broken submissions are written for ps1
def test_ps1_broken_submissions_are_graded_and_flagged(run):
    rows = run["rows"]
    full = {q: float(p) for q, p in AUTO.items()}
    s = lambda sid: scores(rows[sid], PS1)  # noqa: E731
    assert s("s001") == full and s("s003") == {**full, "q2_between_share": 0.0}
    # endless loop in q3 (interrupted by the per-cell timeout) and megabytes of output in q5
    assert s("s004") == {**full, "q3_years": 0.0}
    assert "cell timeout: interrupted (cell" in rows["s004"]["flags"] and "q3_answer" in rows["s004"]["flags"]
    assert "long output cut" in rows["s004"]["flags"]
    # answers pasted into a new notebook: graded by name, flagged, written answer left to the grader
    assert s("s005") == full
    assert "metadata lost: graded by name" in rows["s005"]["flags"]
    assert "to grade by hand: w1_written" in rows["s005"]["flags"]
    # another student's id, a deleted and an edited test cell
    f = rows["s006"]["flags"]
    assert "id mismatch: notebook says 's999'" in f
    assert "test cell deleted (q4_lq_test)" in f and "test cell edited (q1_tfp_test)" in f
    # graded against the variant of the student it was collected from (s006), not the id typed in it
    differ = {q for q in AUTO if PS1.params(q, "s006") != PS1.params(q, "s999")}
    assert differ, "the test needs ids whose variants differ"
    assert s("s006") == {q: (0.0 if q in differ else p) for q, p in full.items()}
    # q1 raises; q6 wrong while overriding course.grading.self_check and rebinding `course`
    assert s("s007") == {**full, "q1_tfp": 0.0, "q6_cagr": 0.0}
    assert set(rows) == set(run["plan"]) | set(run["wrong"])  # the batch carried on: everyone has a row


@pytest.mark.slow
def test_submissions_never_modified(run):
    assert run["before"] == run["after"] and len(run["before"]) == len(run["plan"]) + len(run["wrong"])


@pytest.mark.slow
def test_release_has_no_solutions_or_references(run):
    name, ps = run["name"], run["ps"]
    release = run["root"] / "release" / name
    text = (release / f"{name}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "hidden_check", "Rubric", "instructor-demo"):
        assert marker not in text, marker
    for cell_source in run["sol"].values():  # the last line of every solution cell
        last = [ln for ln in cell_source.strip().splitlines() if ln.strip()][-1:]
        if last and len(last[0]) > 20:
            assert last[0] not in text, last[0]
    nb = nbformat.read(release / f"{name}.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert sorted(p.name for p in release.iterdir()) == sorted([f"{name}.ipynb", "questions.json"])
    assert find_values(release, reference_values(ps)) == []
    if name == "ps1":  # every question states its points
        md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for n, pts in enumerate(list(AUTO.values()) + [3], start=0):
            assert f"Question {n} " in md and f"— {pts} points" in md.split(f"Question {n} ")[1].splitlines()[0]


@pytest.mark.slow
def test_feedback_shows_verdicts_but_no_reference(run):
    name, ps = run["name"], run["ps"]
    fb = run["root"] / "feedback"
    pages = sorted(fb.glob(f"*/{name}/*.html"))
    assert len(pages) == len(run["plan"]) + len(run["wrong"])
    refs = []
    for sid in ["sol01", *run["wrong"]]:
        for q in ps.autograded:
            refs += [(q.name, v) for v in ps.expected(q.name, sid)]
    page_dir = run["tmp"] / "pages"
    page_dir.mkdir()
    for sid in ["sol01", *run["wrong"]]:
        html = (fb / sid / name / f"{name}.html").read_text()
        (page_dir / f"{sid}.html").write_text(html)
        assert "Content-Security-Policy" in html and "<script" not in html
    # the numeric answers' references must not appear anywhere in the feedback (not as percents either:
    # but a misconception that is off by a factor 100 shows the student's own value, which is 100 x it)
    numeric = [(q, v) for q, v in refs if ps.questions[q].kind == "number"]
    assert find_values(page_dir, numeric, percent=False) == []
    q, _a = next(iter(run["wrong"].values()))
    wrong_sid = next(iter(run["wrong"]))
    html = (fb / wrong_sid / name / f"{name}.html").read_text()
    assert "is not accepted" in html or "returned" in html  # the verdict is shown


def _gradebook_contents(root: Path, students) -> list[tuple]:
    db = sqlite3.connect(root / "gradebook.db")
    rows = db.execute("""
        select sa.student_id, bc.name, g.auto_score, g.manual_score, g.needs_manual_grade
        from grade g join submitted_notebook sn on g.notebook_id = sn.id
        join submitted_assignment sa on sn.assignment_id = sa.id
        join base_cell bc on g.cell_id = bc.id""").fetchall()
    comments = db.execute("""
        select sa.student_id, bc.name, c.auto_comment from comment c
        join submitted_notebook sn on c.notebook_id = sn.id join submitted_assignment sa on sn.assignment_id = sa.id
        join base_cell bc on c.cell_id = bc.id""").fetchall()
    return sorted(r for r in rows if r[0] in students) + sorted(("comment", *c) for c in comments if c[0] in students)


@pytest.mark.slow
@pytest.mark.parametrize("run", ["ps1"], indirect=True)
def test_serial_and_parallel_gradebooks_are_equal(run, tmp_path):
    # the same submissions graded by one nbgrader process give the same gradebook, flags and export
    # rows (a sample from both parallel processes, to keep the test short: the solution, the blank, four
    # misconceptions and the rebuilt notebook with a foreign id). Parallel grading is the pipeline's,
    # the same code for every problem set, so problem set 1 (with its broken demo notebooks) proves it
    # and the others do not pay for a second, serial grading run on CI's two cores.
    name = run["name"]
    students = sorted({"sol01", "blank01", *sorted(run["wrong"])[:4], "s006"} & set(run["rows"]))
    subs = tmp_path / "subs"
    for sid in students:
        shutil.copytree(run["subs"] / sid, subs / sid)
    root = grade.prepare_root(tmp_path / "course")
    grade.generate(root, name)
    grade.autograde(root, subs, name, timeout=15, jobs=1)
    serial, parallel = _gradebook_contents(root, students), _gradebook_contents(run["root"], students)
    assert len(serial) > 10 * len(students) and serial == parallel
    flags = lambda r: {s: f for s, f in json.loads((r / grade.FLAGS_FILE).read_text()).items() if s in students}  # noqa: E731
    assert flags(root) == flags(run["root"])
    table = lambda r: [row for row in grade.grade_table(r, name) if row["student_id"] in students]  # noqa: E731
    assert table(root) == table(run["root"])


# ---------------------------------------------------------------------------
# the student edition
# ---------------------------------------------------------------------------

@pytest.mark.slow
def test_student_edition_has_no_instructor_material(tmp_path):
    dest = tmp_path / "edition"
    root = tmp_path / "course"
    assert grade.main(["--root", str(root), "student-edition", str(dest)]) == 0
    names = {p.relative_to(dest).parts[0] for p in dest.iterdir()}
    assert names == {"README.md", "Makefile", "LICENSE", "LICENSE-CONTENT.md", "CITATION.cff", "environment.yml",
                     "pyproject.toml", "course", "datasets", "notebooks", "problemsets"}
    for name in PROBLEM_SETS:
        assert sorted(p.name for p in (dest / "problemsets" / name).iterdir()) == [f"{name}.ipynb", "questions.json"]
    # no reference value of any variant of any problem set, in any file, in several number formats
    values = [v for name in PROBLEM_SETS for v in reference_values(problem_set(name))]
    assert len(values) > 150
    assert find_values(dest, values) == []
    # ... and the search does find one when it is there (the test can fail)
    planted = dest / "notebooks" / "planted.txt"
    # (a value the search looks for when written with 6 digits: not a count such as a number of reversals)
    searchable = [(q, v) for q, v in values if f"{v:.6g}" in number_forms(v)]
    q, v = searchable[len(searchable) // 2]
    planted.write_text(f"note: {v:.6g}\n")
    assert [(h[0], h[1]) for h in find_values(dest, values)] == [("notebooks/planted.txt", q)]
    planted.unlink()
    # no check-question answer, instructor-guide text or rubric line anywhere (tests/answer_leaks.py), and
    # no instructor/ folder; the scan finds both kinds when they are planted in a release notebook
    assert not (dest / "instructor").exists()
    assert answer_leaks.scan([dest]) == []
    release = dest / "problemsets" / PROBLEM_SETS[0] / f"{PROBLEM_SETS[0]}.ipynb"
    rubric = next(ln.strip(" *-") for r in instructor_guide.ps_rubrics(PROBLEM_SETS[0]).values()
                  for ln in r.splitlines() if len(ln.strip(" *-")) > 40 and "Rubric" not in ln)
    answer = next(a for items in answer_leaks._answers().values() for a in items if a.numeric and a.decimals >= 2)
    nb = json.loads(release.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "planted", "metadata": {},
                        "source": [f"{rubric}\n\nthe weight is {float(answer.value):.{answer.decimals}f}"]})
    shutil.copy(release, tmp_path / "release.ipynb")
    release.write_text(json.dumps(nb), encoding="utf-8")
    found = " ".join(answer_leaks.scan([release]))
    assert "instructor text" in found and f" {answer.question}: " in found, found
    shutil.copy(tmp_path / "release.ipynb", release)
    # no solution code, rubric, hidden test or grading code
    sol = grade.solution_answers(EXERCISES, "ps1")
    needles = [b"BEGIN SOLUTION", b"HIDDEN TESTS", b"Rubric (instructor", b"instructor-demo", b"nqpf_grading",
               b"problemsets.", b"MISCONCEPTIONS", b"def ref_", b"hidden_check"]
    needles += [ln.strip().encode() for c in sol.values() for ln in c.splitlines() if len(ln.strip()) > 30]
    for path in dest.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for n in needles:
                assert n not in data, (path, n)
    assert not (dest / "exercises").exists() and not (dest / "tests").exists()
    with pytest.raises(ValueError, match="not empty"):
        from nqpf_grading import edition

        edition.build(dest, generate=lambda a: None)


def test_self_checks_use_no_values_in_source():
    # the instructor source itself never holds a reference value (they are computed by the grader)
    for name in PROBLEM_SETS:
        src = EXERCISES / "source" / name
        assert find_values(src, reference_values(problem_set(name))) == []
    assert len(quiz.digest(0.5, 2)) == 16


def test_everyone_is_recorded_before_grading_can_fail(tmp_path, monkeypatch):
    # flags and the manifest are written before nbgrader runs: if grading then stops on an error, every
    # collected student still has a row, "not graded", with the reason, and the error names no student
    root = grade.prepare_root(tmp_path / "course")
    grade.generate(root, "ps1")
    subs = tmp_path / "subs"
    sol = grade.solution_answers(root)
    for sid in ("a1", "b2"):
        write(subs, sid, grade.make_submission(root, sid, sol), "ps1")
    write(subs, ".hidden", grade.make_submission(root, "x", sol), "ps1")

    def boom(*args, **kwargs):
        raise RuntimeError("the grading machine fell over")

    monkeypatch.setattr(grade.sandbox, "check_available", lambda: (True, ""))
    monkeypatch.setattr(grade, "_grade_in_sandboxes", boom)
    import nqpf_grading.preprocessors as pre

    monkeypatch.setattr(pre, "preflight", lambda *a, **k: 0.0)
    with pytest.raises(RuntimeError, match="fell over"):
        grade.autograde(root, subs, "ps1")
    rows = {r["student_id"]: r for r in grade.grade_table(root, "ps1")}
    assert set(rows) == {"a1", "b2", "(refused) .hidden"}
    assert rows["a1"]["flags"].startswith("not graded: grading did not finish") and rows["a1"]["total"] == ""
    assert rows["(refused) .hidden"]["flags"].startswith("not graded: refused id")
    assert grade.flag_summary(list(rows.values())).startswith("flags: 3 in 1 kinds")


def test_sandbox_binds_the_package_folders_a_thin_environment_imports_from(tmp_path, monkeypatch):
    """The classroom's python for every user is a thin venv whose .pth adds the course venv's
    site-packages: the sandbox must mount that folder read-only, or ipykernel is missing inside it.
    Only package folders are added, never an arbitrary folder on the path (it could hold instructor files)."""
    from nqpf_grading import sandbox

    packages = tmp_path / "other-venv" / "lib" / "python3.11" / "site-packages"
    packages.mkdir(parents=True)
    secret = tmp_path / "instructor"
    secret.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(packages), str(secret), ""])
    paths = sandbox.readonly_paths()
    assert str(packages.resolve()) in paths or str(packages) in paths
    assert not any(p == str(secret) or p == str(secret.resolve()) for p in paths)
    assert "" not in paths and os.path.realpath(".") not in paths
