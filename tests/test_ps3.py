"""Problem set 3 (part 四, F1-F5): its references by hand and from theory, and its misconceptions for every variant.

Fast (no sandbox). The end-to-end tests (solution = full marks, blank = 0, each misconception loses exactly
its points for the submitted variant, no leaks, the hostile suite) are the generic ones of
``tests/test_grading.py`` and ``tests/test_grading_hostile.py``; here each misconception is checked to
change the answer by more than the tolerance for **every** variant, so no student can get its points
with the wrong method.
"""

from __future__ import annotations

import csv
import itertools
import math
from statistics import NormalDist

import numpy as np
import pytest

import course
from course import credit, privacy, spillover, syllabus, talent
from grading_helpers import ROOT, all_variants, module, problem_set

ps3 = module("ps3")
PS3 = problem_set("ps3")
N = NormalDist()
SOURCE = "exercises/source/ps3/ps3.ipynb"


def _rows(table: str) -> list[dict]:
    with open(ROOT / "datasets" / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _far(wrong: float, ref: float, q) -> bool:
    return abs(wrong - ref) > q.tol + q.rtol * abs(ref)


def test_points_variants_and_registry():
    auto = {q.name: q.points for q in PS3.autograded}
    assert len(auto) == 8 and sum(auto.values()) == 19 and PS3.questions["w1_written"].points == 3
    for q in PS3.questions.values():  # every question, the written one too, has a per-student variant
        assert len({str(q.params(f"s{i}")) for i in range(60)}) > 1, q.name
    assert set(ps3.MISCONCEPTIONS) == set(auto)
    # every graded item is registered with its paper ids, and part 四 is taught and graded throughout
    registered = {e.path.partition("#")[2] for e in syllabus.EXERCISES if e.path.startswith(SOURCE)}
    assert registered == {q.test_cell for q in PS3.questions.values()}
    table = syllabus.coverage().set_index("id")
    part4 = [s for s in syllabus.ids() if s.startswith("F")]
    assert len(part4) == 20 and all(table.loc[s, "status"] == "taught and graded" for s in part4)


def test_concentration_by_hand_and_with_the_national_row():
    q = PS3.questions["q0_concentration"]
    rd, per = _rows("province_rd_first_published"), _rows("province_rd_personnel")
    for p in all_variants(q):
        expected = ps3.ref_concentration(**p)
        for rows, col, ref in ((rd, "rd_expenditure_100m_yuan", expected[0]),
                               (per, "basic_research_fte_manyears", expected[1])):
            year = [r for r in rows if int(r["year"]) == p["year"]]
            prov = sorted((float(r[col]) for r in year if r["province_code"] != "100000"), reverse=True)
            assert len(prov) == 31 and p["k"] / 31 < ref < 1
            assert ref == pytest.approx(sum(prov[:p["k"]]) / sum(prov), abs=1e-12)
            # the misconception: the national row kept (it is the largest "province" and doubles the total)
            everything = sorted((float(r[col]) for r in year), reverse=True)
            assert len(everything) == 32 and _far(sum(everything[:p["k"]]) / sum(everything), ref, q), p


def test_inventions_per_researcher_by_hand():
    q = PS3.questions["q1_inventions"]
    pat = {(r["province_en"], int(r["year"])): r for r in _rows("province_patents_granted")}
    per = {(r["province_en"], int(r["year"])): r for r in _rows("province_rd_personnel")}
    variants = all_variants(q)
    assert len(variants) == 31 * len(ps3.INVENTION_YEARS)
    for p in variants:
        key = (p["province"], p["year"])
        researchers = float(per[key]["researchers_fte_manyears"])
        ref = ps3.ref_inventions(**p)
        assert ref == pytest.approx(1000 * float(pat[key]["patents_granted_invention"]) / researchers, rel=1e-12)
        # all patents granted (utility models and designs too): always more than twice as many
        assert 1000 * float(pat[key]["patents_granted_total"]) / researchers > 2 * ref, p


def test_kanon_by_hand_and_records_not_classes():
    q = PS3.questions["q2_kanon"]
    res = course.load("synthetic_residents")
    assert len(res) == 2000 and "synthetic" in course.citation("synthetic_residents").lower()
    # two releases generalised by hand: (exact age, any sex, NBS region, any income), K = 5, and
    # (5-year bands from 18, sex, province, any income), K = 3
    by_hand = {(0, 1, 1, 3, 5): [res.age_years, res.nbs_region_en],
               (1, 0, 0, 3, 3): [(res.age_years - 18) // 5, res.sex, res.province_en]}
    for (a, s, pl, i, k), keys in by_hand.items():
        sizes = res.groupby(keys)["record_id"].transform("size")
        assert ps3.ref_kanon(a, s, pl, i, k) == float((sizes < k).sum())
    for p in all_variants(q):
        ref = ps3.ref_kanon(**p)
        assert 0 < ref < 2000, p  # each release leaves some records, not all, in classes below K
        sizes = privacy.class_sizes(res, {k: p[k] for k in ("age", "sex", "place", "income")})
        small = sizes[sizes < p["K"]]
        assert small.size == ref and (1 / small).sum() != ref, p  # classes instead of records: another number


def test_pooling_against_enumeration():
    q = PS3.questions["q3_pooling"]
    for p in all_variants(q):
        best, rmse = ps3.ref_pooling(**p)
        table = {k: math.sqrt((p["tau"] * (k - 1) / 2) ** 2 + p["sigma"] ** 2 / (k * p["n"])) for k in range(1, 9)}
        assert best == min(table, key=table.get) and rmse == pytest.approx(table[best], abs=1e-15)
        # forgetting that pooling adds records makes pooling useless: p = 1 with sigma / sqrt(n)
        assert best > 1 and _far(p["sigma"] / math.sqrt(p["n"]), rmse, q), p


def test_reversals_by_pairs_and_their_complement():
    q = PS3.questions["q4_reversals"]
    crit = talent.evaluation_indicators()
    w = {"patents": 1, "transfer": 1, "industry": 0, "basic": 0}
    score = talent.evaluate(crit, w)["score"]
    pairs = [(i, j) for i, j in itertools.combinations(crit.index, 2)]
    by_hand = sum((crit.at[i, "patents"] - crit.at[j, "patents"]) * (score[i] - score[j]) < 0 for i, j in pairs)
    assert ps3.ref_reversals(2020, "equal", **w)[1] == by_hand and len(pairs) == 465
    assert ps3.ref_reversals(2020, "equal", 1, 0, 0, 0)[1] == 0  # patents alone against patents alone
    for p in all_variants(q):
        research, talent_rev = ps3.ref_reversals(**p)
        for d in (research, talent_rev):
            assert 0 < d < 465 and d != 465 - d, p  # agreements instead of reversals is another number


def test_spillover_from_theory():
    q = PS3.questions["q5_spillover"]
    a, c = spillover.BENEFIT_SCALE, spillover.UNIT_COST
    for p in all_variants(q):
        private, pigou = ps3.ref_spillover(**p)
        sigma = 1 - p["kept"]
        # first-order condition of the region: (1 - sigma) a / (1 + x) = (1 - s) c
        assert (1 - sigma) * a / (1 + private) == pytest.approx((1 - p["subsidy"]) * c)
        # the Pigouvian rate restores the country's optimum a / c - 1
        assert spillover.private_choice(sigma, pigou, a, c) == pytest.approx(a / c - 1)
        swapped = max(0.0, (1 - p["kept"]) * a / ((1 - p["subsidy"]) * c) - 1)  # the kept share used as the spillover
        assert _far(swapped, private, q) and _far(p["kept"], pigou, q), p
    assert spillover.private_choice(0.0, 0.0, a, c) == spillover.social_optimum(a, c)  # no spillover: no gap


def test_finance_from_the_models_equations():
    q = PS3.questions["q6_finance"]
    variants = all_variants(q)
    assert len(variants) == 36 and len({(v["pd"], v["lgd"], v["guarantee"]) for v in variants}) == 36
    for p in variants:
        rate, default_rate, buffer = ps3.ref_finance(**p)
        kept = 1 - p["pd"] * p["lgd"] * (1 - p["guarantee"])
        assert (1 + rate) * kept == pytest.approx(1.03, abs=1e-12)
        assert _far(0.03 + (1 - kept), rate, q), p  # the additive approximation loses the points
        assert 0 < default_rate < p["base_pd"]  # screening lowers the default rate among borrowers
        lq = 0.6 * N.cdf((N.inv_cdf(p["buffer_pd"]) + math.sqrt(p["rho"]) * N.inv_cdf(p["confidence"]))
                         / math.sqrt(1 - p["rho"]))
        assert buffer == pytest.approx(lq - 0.6 * p["buffer_pd"], abs=1e-12) and buffer > 0
    # the screening formula against seeded simulated applicants, for one variant
    p = variants[0]
    sim = credit.simulate_screening(p["base_pd"], p["auc"], credit.max_pd_for_rate(p["rate_cap"], 0.6), n=200_000)
    assert sim["accepted_pd"] == pytest.approx(ps3.ref_finance(**p)[1], abs=0.01)


def _logit_share(inputs, province, bonus, scale, eps):
    """The share by hand: N e^(lambda V) / sum, V = ln w + ln(1 + bonus) - eps ln w (bonus a fraction of pay)."""
    at = list(inputs.index).index(province)
    v = np.log(inputs["wage"].to_numpy()) * (1 - eps)
    v[at] += math.log1p(bonus)
    weight = inputs["jobs"].to_numpy() * np.exp(scale * (v - v.max()))
    return float(weight[at] / weight.sum())


def test_talent_shares_from_theory():
    q = PS3.questions["q7_share"]
    names = ps3.province_names()
    for scale, eps in ps3.TALENT_MODEL:
        base = [ps3.ref_share(p, 0.0, scale, eps) for p in names]
        assert sum(base) == pytest.approx(1.0, abs=1e-12)
    inputs = ps3._choice_inputs()
    assert len(inputs) == 31
    jobs = inputs["jobs"] / inputs["jobs"].sum()
    assert ps3.ref_share("Gansu", 25.0, 0.0, 0.5) == pytest.approx(jobs["Gansu"])  # lambda = 0: the jobs share
    # the lesson's function gives the same share (the reference repeats its steps on arrays)
    lesson = talent.policy_experiment(inputs, "Gansu", 50.0, 2.0, 0.0).policy_share
    assert ps3.ref_share("Gansu", 50.0, 2.0, 0.0) == pytest.approx(lesson, rel=1e-12)
    graded = set()
    for p in all_variants(q):
        cases = q.calls(p)
        assert (p["province"], p["bonus_pct"], p["scale"], p["elasticity"]) in cases
        assert ps3.Q7_EXAMPLE not in cases  # the self-check's example is not graded
        graded.update(cases)
    for args in sorted(graded):
        province, bonus_pct, scale, eps = args
        ref = ps3.ref_share(*args)
        assert ref == pytest.approx(_logit_share(inputs, province, bonus_pct / 100, scale, eps), rel=1e-12)
        assert ref > ps3.ref_share(province, 0.0, scale, eps)  # a bonus attracts
        # the bonus in per cent read as a fraction of pay (ln(1 + 25) instead of ln(1 + 0.25))
        assert _far(_logit_share(inputs, province, bonus_pct, scale, eps), ref, q), args


def test_written_question_assigns_an_unmeasured_sub_point():
    seen = {PS3.params("w1", f"s{i}")["subpoint"] for i in range(60)}
    assert seen == set(ps3.UNMEASURED)
    ids = {s.split()[0] for s in ps3.UNMEASURED}
    entry = [e for e in syllabus.EXERCISES if e.path == f"{SOURCE}#w1_written"][0]
    assert ids <= set(entry.ids)
