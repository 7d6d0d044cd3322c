"""Problem set 2's specification: references by hand, misconceptions wrong for every variant, variants.

The end-to-end grading of problem set 2 (solution full marks, blank zero, each misconception losing
exactly its question's points, no leak, the hostile suite) runs in ``tests/test_grading.py`` and
``tests/test_grading_hostile.py``, which find every problem set. These fast tests check what those
cannot: that each reference agrees with a computation written out independently here (from the CSV
files or from theory), and that each misconception of ``MISCONCEPTIONS`` misses the reference by more
than the tolerance for *every* variant a student can draw, not only for the one id the end-to-end
test grades.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest

import course
from course import comparative_advantage as ca
from grading_helpers import ROOT, all_variants, module, problem_set

ps2 = module("ps2")
PS2 = problem_set("ps2")


def _rows(name):
    with open(ROOT / "datasets" / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _tol(name, ref):
    q = PS2.questions[name]
    return q.tol + q.rtol * abs(ref)


def test_points_variants_and_public_file():
    auto = {q.name: q.points for q in PS2.autograded}
    assert auto == {"q1_grp_revision": 2, "q2_years": 3, "q3_nearest": 3, "q4_ratio": 2, "q5_steel_lq": 2,
                    "q6_gain": 3, "q7_utilisation": 2}
    assert sum(auto.values()) + PS2.questions["w1_written"].points == 20
    for q in PS2.autograded:  # every autograded question varies with the id, over enough options
        assert len(all_variants(q)) >= 20, q.name
        assert len({str(q.params(f"s{i}")) for i in range(80)}) > 5, q.name
    # the lessons' own worked examples and check questions are not variants
    assert {"province": "Tianjin", "year": 2016} not in all_variants(PS2.questions["q1_grp_revision"])
    q2 = all_variants(PS2.questions["q2_years"])
    assert {"province": "Sichuan", "target": 3.5} not in q2 and all(v["target"] != 3.0 for v in q2)
    assert all(v["year"] != 2020 for v in all_variants(PS2.questions["q5_steel_lq"]))
    assert all(v["price"] != 430 for v in all_variants(PS2.questions["q6_gain"]))


def test_q1_reference_by_hand_and_the_restated_trap():
    first = {(r["province_en"], int(r["year"])): r for r in _rows("province_rd_first_published")}
    pre = {(r["province_en"], int(r["year"])): float(r["gdp_100m_yuan"]) for r in _rows("province_gdp")
           if r["vintage"] == "pre_5th_census_revision"}
    restated = {(r["province_en"], int(r["year"])): float(r["rd_intensity_pct"])
                for r in _rows("province_rd_intensity_restated")}
    variants = all_variants(PS2.questions["q1_grp_revision"])
    for v in variants:
        key = (v["province"], v["year"])
        r = first[key]
        bulletin = float(r["rd_expenditure_100m_yuan"]) / (float(r["rd_intensity_pct"]) / 100)
        ref = ps2.ref_grp_revision(**v)
        assert ref == pytest.approx(pre[key] / bulletin - 1, abs=1e-12)
        wrong = pre[key] / (float(r["rd_expenditure_100m_yuan"]) / (restated[key] / 100)) - 1
        assert abs(wrong - ref) > 5 * _tol("q1_grp_revision", ref), key
    # Tianjin 2016, the lesson's example: the bulletin's GRP was about 17,900 yi yuan, today's 11,477
    assert ps2.q1_frame().loc[("Tianjin", 2016), "revision"] == pytest.approx(11477 / 17900 - 1, abs=0.01)


def test_q2_reference_is_the_log_linear_fit_and_end_points_differ():
    wide = {}
    for r in _rows("province_rd_intensity_restated"):
        wide.setdefault(r["province_en"], {})[int(r["year"])] = float(r["rd_intensity_pct"])
    years = np.arange(2018, 2024)
    for v in all_variants(PS2.questions["q2_years"]):
        x = np.array([wide[v["province"]][y] for y in years])
        slope = np.polyfit(years, np.log(x), 1)[0]                # least squares on ln x
        g = math.exp(slope) - 1
        ref = ps2.ref_years(**v)
        assert ref == pytest.approx(math.log(v["target"] / x[-1]) / math.log(1 + g), rel=1e-9)
        assert x[-1] * (1 + g) ** ref == pytest.approx(v["target"])   # reaches the target exactly then
        cagr = (x[-1] / x[0]) ** (1 / 5) - 1
        wrong = math.log(v["target"] / x[-1]) / math.log(1 + cagr)
        assert abs(wrong - ref) > 5 * _tol("q2_years", ref), v


def test_q3_standardised_distances_and_the_sample_sd():
    d = ps2.q3_distances()
    assert d.shape == (31, 31) and np.allclose(d.to_numpy()[~np.eye(31, dtype=bool)],
                                                d.T.to_numpy()[~np.eye(31, dtype=bool)])
    # in z-scores (population s.d.) the mean squared distance over all ordered pairs is 2 * features * n / (n - 1)
    off = d.to_numpy()[~np.eye(31, dtype=bool)]
    assert (off ** 2).mean() == pytest.approx(2 * 6 * 31 / 30)
    sample = ps2.q3_distances(ddof=1)
    for v in all_variants(PS2.questions["q3_nearest"]):
        ref = ps2.ref_nearest(**v)
        wrong = float(sample.loc[v["province"]].min())
        assert wrong == pytest.approx(ref * math.sqrt(30 / 31))   # every distance shrinks by sqrt((n-1)/n)
        assert abs(wrong - ref) > 5 * _tol("q3_nearest", ref), v


def test_q4_projection_by_hand_and_the_fencepost():
    data = {}
    for r in _rows("province_income_consumption"):
        if r["consumption_expenditure_per_capita_rural_yuan"]:
            data[(r["province_en"], int(r["year"]))] = (float(r["consumption_expenditure_per_capita_urban_yuan"]),
                                                       float(r["consumption_expenditure_per_capita_rural_yuan"]))
    for v in all_variants(PS2.questions["q4_ratio"]):
        (u0, r0), (u1, r1) = data[(v["province"], 2013)], data[(v["province"], 2019)]
        h = v["year"] - 2019

        def project(n):
            return u1 / r1 * (((u1 / u0) ** (1 / n)) / ((r1 / r0) ** (1 / n))) ** h

        ref = ps2.ref_ratio(**v)
        assert ref == pytest.approx(project(6), rel=1e-12)
        assert abs(project(7) - ref) > 4 * _tol("q4_ratio", ref), v


def test_q5_steel_location_quotient_by_hand_and_the_other_vintage():
    steel = {(r["province_en"], int(r["year"])): float(r["crude_steel_10k_tonnes"])
             for r in _rows("province_output_steel_cement") if r["crude_steel_10k_tonnes"]}
    grp = {}
    for r in _rows("province_gdp"):
        if r["province_code"] != "100000":
            grp[(r["vintage"], r["province_en"], int(r["year"]))] = float(r["gdp_100m_yuan"])
    for v in all_variants(PS2.questions["q5_steel_lq"]):
        p, y = v["province"], v["year"]
        total = sum(x for (q, yy), x in steel.items() if yy == y)

        def lq(vintage):
            g = {q: x for (vv, q, yy), x in grp.items() if vv == vintage and yy == y}
            assert len(g) == 31
            return steel[(p, y)] / total / (g[p] / sum(g.values()))

        ref = ps2.ref_steel_lq(**v)
        assert ref == pytest.approx(lq("post_5th_census_revision"), rel=1e-12)
        assert abs(lq("pre_5th_census_revision") - ref) > 5 * _tol("q5_steel_lq", ref), v


def test_q6_gain_from_values_and_without_the_price():
    for v in all_variants(PS2.questions["q6_gain"]):
        e = ps2.q6_economy(v["beta"])
        assert e.beta == v["beta"] and e.regions == ca.REGIONS
        i = e.regions.index(v["region"])
        (a0, a1), L, p, b = e.productivity[i], e.labour[i], v["price"], v["beta"]
        tech = p > a1 / a0
        autarky = p * b * L * a0 + (1 - b) * L * a1
        ref = ps2.ref_gain(**v)
        assert ref == pytest.approx((p * L * a0 if tech else L * a1) / autarky - 1, rel=1e-9)
        assert ref > 0                                   # inside the band specialising always gains
        unvalued = (L * a0 if tech else L * a1) / (b * L * a0 + (1 - b) * L * a1) - 1
        assert abs(unvalued - ref) > 5 * _tol("q6_gain", ref), v
    lo, hi, _low, _high = ca.band(ca.calibrate())
    assert all(lo < p < hi for p in ps2.Q6_PRICES)     # every price can last inside the bloc


def test_q7_utilisation_counts_plants_and_the_unweighted_mean_differs():
    for v in all_variants(PS2.questions["q7_utilisation"]):
        runs = ps2.q7_runs(v["followers"], v["information"])
        assert [r.seed for r in runs] == list(range(10)) and all(r.demand == 1.0 for r in runs)
        ref = ps2.ref_utilisation(**v)
        by_count = np.mean([r.industries["running"].sum() / r.industries["plants"].sum() for r in runs])
        assert all(r.industries["plants"].sum() == 30 for r in runs)
        assert ref == pytest.approx(by_count, abs=1e-12)
        assert round(ref * 300) == pytest.approx(ref * 300, abs=1e-9)   # 10 runs of 30 plants
        wrong = np.mean([r.industries["utilisation"].mean() for r in runs])
        assert abs(wrong - ref) > 5 * _tol("q7_utilisation", ref), v
    # theory (lesson 24): more followers never raise the mean utilisation at equal information
    for q in ps2.Q7_INFORMATION:
        u = [ps2.ref_utilisation(h, q) for h in ps2.Q7_FOLLOWERS]
        assert all(a >= b for a, b in zip(u, u[1:])), q


def test_misconceptions_are_edits_of_the_solution():
    from grading_helpers import grade

    sol = grade.solution_answers(ROOT / "exercises", "ps2")
    assert set(ps2.MISCONCEPTIONS) == {q.name for q in PS2.autograded}
    for q, (cell, old, new) in ps2.MISCONCEPTIONS.items():
        assert sol[cell].count(old) >= 1 and old != new, q
    assert course.load("provinces").shape[0] == 31
