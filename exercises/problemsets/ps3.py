"""Problem set 3, "The focus points" (paper part 四, F1-F5 and their 15 sub-points): grading specification.

Instructor-only. The student notebook is ``exercises/source/ps3/ps3.ipynb``; this module says what
each question is worth, which variant each student gets, and computes the reference answers with
the course's own functions (``course.measures``, ``privacy``, ``pooling``, ``evaluation``,
``spillover``, ``credit``, ``talent``) on ``course.load`` data, in the grader's process.

Eight autograded questions cover every sub-point the course can measure or model; the three it
cannot (F2.3 data rights, F3.3 opening up by province, F5.1 how talent is taught) are the written
question's: the student names what data *would* test a claim of one of them (rubric in the source
notebook). Nothing here invents a measurement. Question 2 uses the course's SYNTHETIC residents.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
import pandas as pd

import course
from course import credit, measures, pooling, privacy, spillover, talent
from course import evaluation as research_evaluation
from nqpf_grading.spec import Function, Number, ProblemSet, Written, choose

NATIONAL = 100000

# ---------------------------------------------------------------------------
# variant options (fixed lists: changing one changes every student's variant)
# ---------------------------------------------------------------------------

# Few options where the answers are decimals: the tests search the release, the feedback and the student edition
# for every reference value of every variant, and thousands of values would match published figures by chance.
YEARS = list(range(2013, 2023))          # q0: R&D and personnel by province (2023 is the lessons' year)
INVENTION_YEARS = [2014, 2016, 2019, 2022]   # q1: patents and researchers by province
TOP_K = [3, 4, 6, 7]                     # q0: lesson 31 printed the top-5 shares; these are not printed
# q2: (age, sex, place, income) generalisation levels of course.privacy.HIERARCHIES and the required K. Each
# leaves some records in classes below K, and the number of those records differs from the number of classes.
# (Lesson 32 asked for the unique records of (2, 0, 1, 2); that release is not used.)
KANON = [((2, 1, 1, 1), 10), ((2, 1, 1, 2), 10), ((2, 1, 0, 3), 5), ((2, 0, 2, 1), 5), ((4, 1, 0, 2), 5),
         ((4, 0, 1, 1), 5), ((3, 1, 0, 2), 3), ((4, 0, 0, 2), 3), ((0, 1, 1, 3), 5), ((1, 0, 0, 3), 3),
         ((4, 1, 0, 1), 3), ((2, 1, 0, 2), 5)]
POOL_N = [10, 20, 30, 50, 80, 120]       # q3: records per region (lesson 32 used n = 40 and n = 10 with tau = 0.03)
POOL_TAU = [0.02, 0.04, 0.06, 0.08, 0.10]
POOL_REGIONS = 8
RESEARCH_YEARS = list(range(2018, 2023))               # q4: high-tech revenue starts in 2018; 2023 is in lesson 33
RESEARCH_SYSTEMS = ["transfer and application", "equal"]
TALENT_WEIGHTS = [  # q4: talent-evaluation weightings (patents, transfer, industry, basic) against patents alone
    (1, 1, 1, 1), (0, 1, 1, 0), (1, 1, 0, 0), (1, 0, 0, 1), (0, 1, 1, 1), (2, 1, 1, 0)]
KEPT = [0.45, 0.55, 0.6, 0.7, 0.8]        # q5: share of the benefit the region keeps (never 0.5: then kept = spillover)
SUBSIDY = [0.05, 0.15, 0.25]              # q5: lesson 33 asked kept 40 %, subsidy 30 %
SPILL_A, SPILL_C = spillover.BENEFIT_SCALE, spillover.UNIT_COST
# q6: the three models of lesson 34 (the lesson used PD 12 % / LGD 70 %, base rate 15 % / AUC 0.75 / cap 10 %,
# PD 3 % / rho 0.12, and asked PD 8 % / LGD 70 % / half guarantee and PD 2 % / rho 0.15 / 99.5 %: none of
# these is drawn). One list of 36 firms, each with a lender's screening and a portfolio: the three parts are
# combined by fixed strides, not as a product (a product would give 17,496 variants to check for leaks).
RATE_FIRMS = [{"pd": p, "lgd": l, "guarantee": g}
              for p, l, g in itertools.product([0.04, 0.06, 0.10, 0.15], [0.5, 0.6, 0.75], [0.25, 0.5, 0.8])]
SCREENS = [{"base_pd": b, "auc": a, "rate_cap": c}
           for b, a, c in itertools.product([0.10, 0.20, 0.25], [0.7, 0.8, 0.9], [0.08, 0.12])]
BUFFERS = [{"buffer_pd": p, "rho": r, "confidence": a}
           for p, r, a in itertools.product([0.01, 0.02, 0.04], [0.08, 0.16, 0.20], [0.95, 0.99, 0.999])]
FINANCE = [{**RATE_FIRMS[i], **SCREENS[(7 * i) % len(SCREENS)], **BUFFERS[(5 * i) % len(BUFFERS)]}
           for i in range(len(RATE_FIRMS))]
LGD_SCREEN_BUFFER = credit.DEFAULT_LGD    # 60 %, stated in the task
TALENT_MODEL = [(1.0, 0.25), (3.0, 0.5)]   # q7: (scale lambda, cost elasticity epsilon); the lesson's default: 2, 0.5
TALENT_BONUS = [10.0, 30.0]
Q7_FIXED = [("Gansu", 50.0, 2.0, 0.0), ("Shanghai", 30.0, 1.0, 1.0)]  # every student's function is tried on these too
Q7_EXAMPLE = ("Anhui", 15.0, 1.0, 0.5)                                # the visible self-check (not a graded case)
UNMEASURED = ["F2.3 data rights", "F3.3 opening up", "F5.1 talent cultivation"]  # w1: no course table measures these


@lru_cache(maxsize=None)
def province_names() -> tuple:
    prov = course.load("provinces")
    return tuple(prov.sort_values("province_code")["province_en"])


@lru_cache(maxsize=None)
def _table(name: str) -> pd.DataFrame:
    return course.load(name)


@lru_cache(maxsize=None)
def _provinces_in(name: str, year: int) -> pd.DataFrame:
    t = _table(name)
    t = t[(t["year"] == year) & (t["province_code"] != NATIONAL)]
    if len(t) != 31:
        raise ValueError(f"{name} {year}: expected 31 provinces, got {len(t)}")
    return t.set_index("province_en")


# ---------------------------------------------------------------------------
# reference answers
# ---------------------------------------------------------------------------

def ref_concentration(year: int, k: int) -> tuple[float, float]:
    """Top-k shares of R&D expenditure and of basic-research personnel (FTE), 31 provinces (F1, F1.1, F1.3)."""
    rd = _provinces_in("province_rd_first_published", year)["rd_expenditure_100m_yuan"]
    basic = _provinces_in("province_rd_personnel", year)["basic_research_fte_manyears"]
    return float(measures.top_share(rd, k=k)), float(measures.top_share(basic, k=k))


def ref_inventions(province: str, year: int) -> float:
    """Domestic invention patents granted per 1,000 researchers (FTE) (F1.2)."""
    inv = _provinces_in("province_patents_granted", year).loc[province, "patents_granted_invention"]
    res = _provinces_in("province_rd_personnel", year).loc[province, "researchers_fte_manyears"]
    return float(1000 * inv / res)


def ref_kanon(age: int, sex: int, place: int, income: int, K: int) -> float:
    """SYNTHETIC records in equivalence classes of fewer than K records at the given levels (F2.1)."""
    sizes = privacy.class_sizes(_table("synthetic_residents"), {"age": age, "sex": sex, "place": place,
                                                                "income": income})
    return float((sizes < K).sum())


def ref_pooling(n: int, tau: float, sigma: float, regions: int) -> tuple[float, float]:
    """The RMSE-optimal number of pooled regions and its RMSE (F2.2)."""
    best = pooling.best_pool(n=n, tau=tau, regions=regions, sigma=sigma)
    return float(best), float(pooling.rmse(sigma, n, best, tau))


@lru_cache(maxsize=None)
def _talent_criteria() -> pd.DataFrame:
    return talent.evaluation_indicators(_table("province_profile_2023"), _table("province_rd_personnel"))


@lru_cache(maxsize=None)
def _research_reversals(year: int, system: str) -> float:
    return float(research_evaluation.evaluate(**research_evaluation.PRESETS[system], baseline="output counts",
                                              year=year).reversals)


@lru_cache(maxsize=None)
def _talent_reversals(patents: float, transfer: float, industry: float, basic: float) -> float:
    crit = _talent_criteria()
    scored = talent.evaluate(crit, {"patents": patents, "transfer": transfer, "industry": industry, "basic": basic})
    return float(measures.rank_reversals(crit["patents"], scored["score"]))


def ref_reversals(year: int, system: str, patents: float, transfer: float, industry: float,
                  basic: float) -> tuple[float, float]:
    """Rank reversals: research evaluation against output counts (F3.1); talent evaluation against patents alone (F5.3)."""
    return _research_reversals(year, system), _talent_reversals(patents, transfer, industry, basic)


def ref_spillover(kept: float, subsidy: float, a: float, c: float) -> tuple[float, float]:
    """The region's own spending on basic research, and the Pigouvian subsidy rate (F3.2)."""
    return (float(spillover.private_choice(1 - kept, subsidy, a, c)),
            float(spillover.pigouvian_subsidy(1 - kept)))


def ref_finance(pd: float, lgd: float, guarantee: float, base_pd: float, auc: float, rate_cap: float,
                buffer_pd: float, rho: float, confidence: float) -> tuple[float, float, float]:
    """Break-even rate with a guarantee (F4.1), default rate among borrowers (F4.2), capital buffer (F4.3)."""
    rate = credit.break_even_rate(pd, lgd, guarantee)
    screened = credit.screen(base_pd, auc, credit.max_pd_for_rate(rate_cap, LGD_SCREEN_BUFFER))
    buffer = credit.capital_buffer(buffer_pd, rho, confidence, LGD_SCREEN_BUFFER)
    return float(rate), float(screened.accepted_pd), float(buffer)


@lru_cache(maxsize=None)
def _choice_inputs() -> pd.DataFrame:
    return talent.choice_inputs(2023, _table("province_income_consumption"), _table("province_employment_total"))


@lru_cache(maxsize=None)
def ref_share(province: str, bonus_pct: float, scale: float, elasticity: float) -> float:
    """Share of mobile talent the province attracts with its bonus, logit model of lesson 35 (F5.2).

    The steps of ``talent.policy_experiment`` on plain arrays (the grader calls this for hundreds of
    variants in the tests; the lesson's function also builds a table for the widget).
    """
    inputs = _choice_inputs()
    at = inputs.index.get_loc(province)  # KeyError for an unknown province
    wage = inputs["wage"].to_numpy()
    bonus = np.zeros_like(wage)
    bonus[at] = float(bonus_pct) / 100
    cost = talent.living_cost(wage, float(elasticity))
    shares = talent.logit_shares(talent.utility(wage, bonus, cost), inputs["jobs"].to_numpy(), float(scale))
    return float(shares[at])


def share_cases(province: str, bonus_pct: float, scale: float, elasticity: float) -> list[tuple]:
    """The grader's calls of the student's function: their province with their bonus, and two more."""
    return [(province, bonus_pct, scale, elasticity), *Q7_FIXED]


# ---------------------------------------------------------------------------
# the problem set
# ---------------------------------------------------------------------------

PROVINCE = choose("ps3/province", province_names(), key="province")   # question 1 and the written question

PROBLEM_SET = ProblemSet("ps3", [
    Number("q0_concentration", 3, tolerance=2e-4, plausible=(0.0, 1.0), reference=ref_concentration,
           names=["q0_top_rd", "q0_top_basic"],
           variant=[choose("q0/year", YEARS, key="year"), choose("q0/k", TOP_K, key="k")]),
    Number("q1_inventions", 2, tolerance=1e-3, rel_tolerance=1e-5, plausible=(0.0, 5000.0), reference=ref_inventions,
           variant=[PROVINCE, choose("q1/year", INVENTION_YEARS, key="year")]),
    Number("q2_kanon", 2, tolerance=1e-9, plausible=(0.0, 2000.0), reference=ref_kanon,
           variant=choose("q2_kanon", [{"age": a, "sex": s, "place": p, "income": i, "K": k}
                                       for (a, s, p, i), k in KANON])),
    Number("q3_pooling", 2, tolerance=1e-4, plausible=(0.0, 8.0), reference=ref_pooling,
           names=["q3_best_p", "q3_rmse"],
           variant=[choose("q3/n", POOL_N, key="n"), choose("q3/tau", POOL_TAU, key="tau"),
                    choose("q3/model", [{"sigma": 1.0, "regions": POOL_REGIONS}])]),
    Number("q4_reversals", 3, tolerance=1e-9, plausible=(0.0, 465.0), reference=ref_reversals,
           names=["q4_research", "q4_talent"],
           variant=[choose("q4/research", [{"year": y, "system": s} for y in RESEARCH_YEARS for s in RESEARCH_SYSTEMS]),
                    choose("q4/talent", [dict(zip(("patents", "transfer", "industry", "basic"), w))
                                         for w in TALENT_WEIGHTS])]),
    Number("q5_spillover", 2, tolerance=1e-4, plausible=(0.0, 10.0), reference=ref_spillover,
           names=["q5_private", "q5_pigou"],
           variant=[choose("q5/kept", KEPT, key="kept"), choose("q5/subsidy", SUBSIDY, key="subsidy"),
                    choose("q5/model", [{"a": SPILL_A, "c": SPILL_C}])]),
    Number("q6_finance", 3, tolerance=2e-5, plausible=(0.0, 1.0), reference=ref_finance,
           names=["q6_rate", "q6_default_rate", "q6_buffer"],
           variant=choose("q6_finance", FINANCE)),
    Function("q7_share", 2, tolerance=1e-7, rel_tolerance=1e-5, reference=ref_share, cases=share_cases,
             example=Q7_EXAMPLE,
             variant=[choose("q7/province", province_names(), key="province"),
                      choose("q7/bonus", TALENT_BONUS, key="bonus_pct"),
                      choose("q7/model", [{"scale": s, "elasticity": e} for s, e in TALENT_MODEL])]),
    Written("w1_written", 3, variant=[PROVINCE, choose("w1/subpoint", UNMEASURED, key="subpoint")]),
])

# Typical wrong answers (question -> (answer cell, text of the solution, replacement)). The tests grade
# the solution with each one applied and check that exactly that question loses its points.
MISCONCEPTIONS = {
    # the national row (code 100000) left in: it is the sum of the provinces, so it is the "largest province"
    "q0_concentration": ("q0_answer", 'rows = table[(table["year"] == p0["year"]) & (table["province_code"] != 100000)]',
                         'rows = table[table["year"] == p0["year"]]'),
    # all patents granted (with utility models and designs) instead of invention patents: the wrong series
    "q1_inventions": ("q1_answer", 'pat.loc[key, "patents_granted_invention"]', 'pat.loc[key, "patents_granted_total"]'),
    # counting the classes that are too small instead of the records in them
    "q2_kanon": ("q2_answer", 'sizes = shown.groupby(keys)["sex"].transform("size")',
                 'sizes = shown.groupby(keys)["sex"].size()'),
    # the standard error of your own region's data, forgetting that pooling p regions adds records
    "q3_pooling": ("q3_answer", "sigma / np.sqrt(p * n)", "sigma / np.sqrt(n)"),
    # counting the pairs whose order the two scorings agree on
    "q4_reversals": ("q4_answer", 'return int(measures.rank_reversals(both["a"], both["b"]))',
                     'return len(both) * (len(both) - 1) // 2 - int(measures.rank_reversals(both["a"], both["b"]))'),
    # the kept share used as the spillover (the two swapped)
    "q5_spillover": ("q5_answer", 'spill = 1 - p5["kept"]', 'spill = p5["kept"]'),
    # the additive approximation r = funding + costs + expected loss, instead of solving for r
    "q6_finance": ("q6_answer", "(1 + funding + costs) / (1 - expected) - 1", "funding + costs + expected"),
    # the bonus in per cent used as a fraction of pay (25 instead of 0.25)
    "q7_share": ("q7_answer", "np.log1p(bonus_pct / 100)", "np.log1p(bonus_pct)"),
}
