"""The grading pipeline (issue 4): variants, reference answers and the real nbgrader pipeline end to end.

The end-to-end tests (marked ``slow``) share one run: generate the student version in a temporary
copy of ``exercises/``, build submissions programmatically from the source notebook (the solution,
the blank version, one typical wrong answer per question and the broken ones), autograde, export and
produce feedback. About 1.5 minutes on two cores.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import math
import re
import sys
from pathlib import Path

import nbformat
import pytest

import course
from course import grading, measures, quiz

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
_spec = importlib.util.spec_from_file_location("grade_cli", EXERCISES / "grade.py")
grade = importlib.util.module_from_spec(_spec)
sys.modules["grade_cli"] = grade
_spec.loader.exec_module(grade)

AUTO = {"q0_spread": 2, "q1_tfp": 3, "q2_between_share": 3, "q3_years": 2, "q4_lq": 2, "q5_score": 3, "q6_cagr": 2}
NUMERIC = [q for q, v in grading.QUESTIONS.items() if v[3] == "number"]  # questions answered by one number


# ---------------------------------------------------------------------------
# fast unit tests of course.grading
# ---------------------------------------------------------------------------

def test_variant_is_deterministic_and_spreads():
    opts = list(range(10))
    assert grading.variant("s1", opts, "a") == grading.variant(" S1 ", opts, "a")
    picks = {grading.variant(f"s{i}", opts, "a") for i in range(200)}
    assert picks == set(opts)
    with pytest.raises(ValueError, match="STUDENT_ID"):
        grading.variant("...", opts)


def test_at_least_half_of_the_questions_depend_on_the_id():
    varying = [q for q in AUTO if len({str(grading.params(q, f"s{i}")) for i in range(60)}) > 1]
    assert len(varying) >= len(AUTO) / 2
    assert sum(AUTO.values()) == 17
    assert {q: v[0] for q, v in grading.QUESTIONS.items()} == AUTO


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
    assert {grading.params("q0_spread", f"s{i}")["year"] for i in range(200)} == set(range(2013, 2025))
    for year in grading.SPREAD_YEARS:
        vintage = "post_5th_census_revision" if year >= 2019 else "pre_5th_census_revision"
        values = by_hand[(year, vintage)]
        assert len(values) == 31
        ref = grading._ref_spread(year, vintage)
        assert ref == pytest.approx(max(values) / min(values), abs=1e-12)
        lo, hi = grading.QUESTIONS["q0_spread"][2]
        assert 2 < ref < 10 and lo <= ref <= hi  # "several-fold" (lesson 00)
    for i in range(40):  # the vintage in the variant is the one the question text states
        p = grading.params("q0_spread", f"s{i}")
        assert p["vintage"] == ("post_5th_census_revision" if p["year"] >= 2019 else "pre_5th_census_revision")


def test_spread_misconceptions_give_other_numbers():
    va = course.load("province_value_added")
    pop = course.load("province_population")
    tol = grading.QUESTIONS["q0_spread"][1]
    lo, hi = grading.QUESTIONS["q0_spread"][2]
    for year in grading.SPREAD_YEARS:
        vintage = grading.POST if year >= 2019 else grading.PRE
        f = va[(va.year == year) & (va.vintage == vintage)]
        ref = grading._ref_spread(year, vintage)
        # GDP totals instead of per-capita values (the misconception tested end to end): a
        # plausible-looking ratio, so it passes the visible self-check and fails the hidden one
        totals = f.gdp_100m_yuan.max() / f.gdp_100m_yuan.min()
        assert lo <= totals <= hi and abs(totals - ref) > 10, year
        # a national average (sum of GDP over sum of people) is yuan, not a ratio: fails the self-check
        people = pop[pop.year == year].resident_population_10k.sum() * 1e4
        assert f.gdp_100m_yuan.sum() * 1e8 / people > hi
    # 2019 is published in both vintages: pooling them gives another ratio
    pooled = va[va.year == 2019].gdp_per_capita_yuan
    assert abs(pooled.max() / pooled.min() - grading._ref_spread(2019, "post_5th_census_revision")) > tol


def test_reference_tfp_by_hand():
    # the Solow residual written out from the PWT columns for 2000-2010, alpha = 0.4
    pwt = course.load("pwt_china").set_index("year")
    cols = ("rgdpna_mil_2017usd", "rnna_mil_2017usd", "emp_millions", "hc_index")
    g = {k: math.log(pwt.loc[2010, k] / pwt.loc[2000, k]) / 10 for k in cols}
    hand = g["rgdpna_mil_2017usd"] - 0.4 * g["rnna_mil_2017usd"] - 0.6 * (g["emp_millions"] + g["hc_index"])
    assert grading._ref_tfp(2000, 2010, 0.4) == pytest.approx(hand, abs=1e-12)
    assert 0 < hand < 0.1  # a positive residual in the 2000s


def test_reference_catchup_and_cagr_by_hand():
    rd = course.load("rd_intensity_countries").pivot(index="year", columns="entity", values="rd_expenditure_pct_gdp")
    g = (rd.loc[2021, "China"] / rd.loc[2011, "China"]) ** 0.1 - 1
    years = grading._ref_years("Germany")
    assert rd.loc[2021, "China"] * (1 + g) ** years == pytest.approx(rd.loc[2021, "Germany"])
    assert grading._ref_cagr(100, 121, 2) == pytest.approx(0.1)


def test_reference_lq_and_score_properties():
    m = grading._lq_matrix()
    assert m.shape == (31, 19)
    share = m.sum() / m.to_numpy().sum()
    for sector in grading.LQ_SECTORS:  # employment-weighted mean of each column's LQ is 1
        lqs = [grading._ref_lq(p, sector) for p in m.index]
        weights = m.sum(axis=1) / m.to_numpy().sum()
        assert sum(w * q for w, q in zip(weights, lqs)) == pytest.approx(1.0)
        assert share[sector] > 0
    scores = [grading._ref_score(p) for p in grading._q5_frame().index]
    assert min(scores) >= 0 and max(scores) <= 1


def test_between_share_weighted_differs_from_unweighted():
    gdp = course.load("province_gdp")
    pop = course.load("province_population")
    for year in grading.THEIL_YEARS:
        g = gdp[(gdp.vintage == "post_5th_census_revision") & (gdp.year == year)]
        f = g.merge(pop[pop.year == year][["province_code", "resident_population_10k"]], on="province_code")
        d = measures.theil_decomposition(f.gdp_100m_yuan / f.resident_population_10k, f.nbs_region_en)
        tol = grading.QUESTIONS["q2_between_share"][1]
        assert abs(d.between / d.total - grading._ref_between_share(year)) > tol, year


def test_answer_reads_the_namespace_and_checks_do_not_leak(capsys):
    ns = {"STUDENT_ID": "s001"}
    sid = "s001"
    value = grading.expected("q4_lq", sid)
    ns["q4_lq"] = value
    import builtins

    # outside IPython, answer() reads the caller's globals; emulate with a function defined in ns
    exec("def f(q):\n    import course.grading as g\n    return g.hidden_check(q)", ns)
    exec("def s(q):\n    import course.grading as g\n    return g.self_check(q)", ns)
    ns["f"]("q4_lq")
    msg = ns["s"]("q4_lq")
    assert f"{value:.4f}"[:5] not in msg
    ns["q4_lq"] = value * 1.1
    with pytest.raises(AssertionError) as err:
        ns["f"]("q4_lq")
    assert f"{value:.4f}" not in str(err.value) and f"{value:.3f}" not in str(err.value)
    assert builtins  # keep the import used


# ---------------------------------------------------------------------------
# the real pipeline, end to end
# ---------------------------------------------------------------------------

def _misconceptions(sol: dict[str, str]) -> dict[str, tuple[str, dict]]:
    """student_id -> (question that must lose its points, answers)."""
    def patch(gid, old, new):
        assert old in sol[gid], (gid, old)
        a = dict(sol)
        a[gid] = sol[gid].replace(old, new)
        return a

    return {
        "w0tot": ("q0_spread", patch("q0_answer", 'per_capita = one_year["gdp_per_capita_yuan"]',
                                     'per_capita = one_year["gdp_100m_yuan"]')),
        "w1pct": ("q1_tfp", patch("q1_answer", 'q1_tfp = float(', 'q1_tfp = 100 * float(')),
        "w3lin": ("q3_years", patch("q3_answer", 'math.log(level.loc[2021, p3["peer"]] / level.loc[2021, "China"]) / math.log(1 + g_china)',
                                    '(level.loc[2021, p3["peer"]] / level.loc[2021, "China"] - 1) / g_china')),
        "w4shr": ("q4_lq", patch("q4_answer", "q4_lq = float(share_in_province / share_in_all)",
                                 "q4_lq = float(share_in_province)")),
        "w5dir": ("q5_score", patch("q5_answer", '(both["energy"].max() - both["energy"])', '(both["energy"] - both["energy"].min())')),
        "w6avg": ("q6_cagr", patch("q6_answer", "(end / start) ** (1 / years) - 1", "(end / start - 1) / years")),
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grading")
    root = grade.prepare_root(tmp / "course")
    grade.generate(root)
    subs = tmp / "subs"
    plan = grade.demo(root, subs)
    sol = grade.solution_answers(root)
    wrong = _misconceptions(sol)
    for sid, (_q, answers) in wrong.items():
        (subs / sid).mkdir(parents=True)
        nbformat.write(grade.make_submission(root, sid, answers), subs / sid / "ps1.ipynb")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.rglob("*")if p.is_file()}
    grade.autograde(root, subs, timeout=8)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in subs.rglob("*") if p.is_file()}
    csv_path = tmp / "grades.csv"
    grade.main(["--root", str(root), "export", str(csv_path)])
    grade.main(["--root", str(root), "feedback"])
    with open(csv_path, newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return {"root": root, "subs": subs, "plan": plan, "wrong": wrong, "rows": rows, "before": before,
            "after": after, "sol": sol}


def _scores(row):
    return {q: float(row[q]) for q in AUTO}


@pytest.mark.slow
def test_solution_full_marks_and_blank_zero(run):
    rows = run["rows"]
    assert _scores(rows["s001"]) == {q: float(p) for q, p in AUTO.items()}
    assert float(rows["s001"]["autograded"]) == sum(AUTO.values()) == 17
    assert "to grade by hand: w1_written" in rows["s001"]["flags"]
    assert "id mismatch" not in rows["s001"]["flags"] and "helper" not in rows["s001"]["flags"]
    assert set(_scores(rows["s002"]).values()) == {0.0} and float(rows["s002"]["total"]) == 0
    assert "no STUDENT_ID" in rows["s002"]["flags"]


@pytest.mark.slow
def test_each_misconception_loses_only_its_question(run):
    rows = run["rows"]
    cases = {sid: q for sid, (q, _a) in run["wrong"].items()}
    cases["s003"] = "q2_between_share"  # unweighted Theil (from the demo)
    for sid, q in cases.items():
        expect = {k: (0.0 if k == q else float(p)) for k, p in AUTO.items()}
        assert _scores(rows[sid]) == expect, sid


@pytest.mark.slow
def test_broken_submissions_are_graded_and_flagged(run):
    rows = run["rows"]
    full = {q: float(p) for q, p in AUTO.items()}
    # endless loop in q3 (interrupted by the per-cell timeout) and megabytes of output in q5
    assert _scores(rows["s004"]) == {**full, "q3_years": 0.0}
    assert "cell timeout" in rows["s004"]["flags"] and "long output truncated" in rows["s004"]["flags"]
    # answers pasted into a new notebook: graded by name, flagged, written answer left to the grader
    assert _scores(rows["s005"]) == full
    assert "metadata lost: graded by name" in rows["s005"]["flags"]
    assert "to grade by hand: w1_written" in rows["s005"]["flags"]
    # another student's id, a deleted and an edited test cell
    f = rows["s006"]["flags"]
    assert "id mismatch: notebook says 's999'" in f
    assert "test cell deleted (q4_lq_test)" in f and "test cell edited (q1_tfp_test)" in f
    # graded against the variant of the student it was collected from (s006), not the id typed in it:
    # answers computed for s999's variant lose the points wherever the two variants differ
    differ = {q for q in AUTO if grading.params(q, "s006") != grading.params(q, "s999")}
    assert differ, "the test needs ids whose variants differ"
    assert _scores(rows["s006"]) == {q: (0.0 if q in differ else p) for q, p in full.items()}
    # q1 raises; q6 wrong while overriding the hidden check and rebinding `course`
    assert _scores(rows["s007"]) == {**full, "q1_tfp": 0.0, "q6_cagr": 0.0}
    assert "redefines a course helper" in rows["s007"]["flags"]
    assert set(rows) == set(run["plan"]) | set(run["wrong"])  # the batch carried on: everyone graded


@pytest.mark.slow
def test_submissions_never_modified(run):
    assert run["before"] == run["after"] and len(run["before"]) == len(run["plan"]) + len(run["wrong"]) == 13


def _reference_strings(value: float) -> set[str]:
    out = {f"{value:.{d}f}" for d in (3, 4, 5, 6)} | {f"{value:.4g}", f"{value:.6g}", repr(value), str(value)}
    return {s for s in out if len(s.strip("-0.")) >= 3}


@pytest.mark.slow
def test_release_has_no_solutions_hidden_tests_or_answers(run):
    release = run["root"] / "release" / "ps1" / "ps1.ipynb"
    text = release.read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden_check", "Rubric",
                   "instructor-demo", "q1_tfp = float", "def q6_cagr"):
        assert marker not in text, marker
    nb = nbformat.read(release, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    # the reference values of the solution's (and every demo student's) variants, formatted several ways
    for sid in ["instructor-demo", "s001", "s003", "s004"]:
        for q in NUMERIC:
            for s in _reference_strings(grading.expected(q, sid)):
                assert s not in text, (sid, q, s)
    # every question states its points
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for n, pts in enumerate(list(AUTO.values()) + [3], start=0):
        assert re.search(rf"Question {n} .*— {pts} points", md), n


@pytest.mark.slow
def test_feedback_does_not_reveal_expected_values(run):
    fb = run["root"] / "feedback"
    pages = sorted(fb.glob("*/ps1/*.html"))
    assert len(pages) == len(run["plan"]) + len(run["wrong"])
    for sid in ("s001", "s003", "w0tot", "w1pct", "w4shr", "w5dir"):
        html = (fb / sid / "ps1" / "ps1.html").read_text()
        for q in NUMERIC:
            if sid == "s001" or q == run["wrong"].get(sid, ("q2_between_share",))[0]:
                for s in _reference_strings(grading.expected(q, sid)):
                    assert s not in html, (sid, q, s)


@pytest.mark.slow
def test_self_checks_use_digests_not_values_in_source():
    src = (EXERCISES / "source" / "ps1" / "ps1.ipynb").read_text()
    assert "q0_spread" in NUMERIC
    for q in NUMERIC:
        for s in _reference_strings(grading.expected(q, "instructor-demo")):
            assert s not in src, (q, s)
    assert len(quiz.digest(0.5, 2)) == 16  # the hashing helper the self-checks may use
