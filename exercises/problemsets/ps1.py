"""Problem set 1, "Why local conditions matter" (P0 and paper part 二, N1-N5): grading specification.

Instructor-only. The student notebook is ``exercises/source/ps1/ps1.ipynb``; this module says what
each question is worth, which variant each student gets, and computes the reference answers with
the course's own functions on ``course.load`` data, in the grader's process.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

import course
from course import measures
from nqpf_grading.spec import Function, Number, ProblemSet, Written, choose

# ---------------------------------------------------------------------------
# variant options (fixed lists: changing one changes every student's variant)
# ---------------------------------------------------------------------------

SPREAD_YEARS = list(range(2013, 2025))  # question 0: years with published per-capita GDP of all 31 provinces
PRE, POST = "pre_5th_census_revision", "post_5th_census_revision"
PERIODS = [(1978, 1990), (1990, 2000), (2000, 2010), (2010, 2019), (1995, 2007), (2007, 2019)]
THEIL_YEARS = list(range(2010, 2025))
PEERS = ["United States", "Japan", "South Korea", "Germany"]
LQ_SECTORS = {"C": "Manufacturing", "I": "Information transmission, software and IT services",
              "J": "Financial intermediation", "M": "Scientific research and technical services"}
ALPHA = 0.4  # capital share used in question 1
Q6_CASES = [(100, 121, 2), (50, 25, 1), (1.78, 2.43, 10), (200, 400, 7.5), (80, 80, 3)]


@lru_cache(maxsize=None)
def province_names() -> tuple:
    prov = course.load("provinces")
    return tuple(prov.sort_values("province_code")["province_en"])


@lru_cache(maxsize=None)
def q5_frame() -> pd.DataFrame:
    rd = course.load("province_rd_intensity_restated")
    rd = rd[(rd.year == 2023) & (rd.province_code != 100000)].set_index("province_en")["rd_intensity_pct"]
    en = course.load("province_energy_intensity_change_2020")
    en = en[en.province_code != 100000].set_index("province_en")["energy_intensity_change_pct"]
    frame = pd.DataFrame({"rd": rd, "energy": en}).dropna()
    return frame.loc[[p for p in province_names() if p in frame.index]]


@lru_cache(maxsize=None)
def q5_provinces() -> tuple:
    # provinces whose energy indicator scores near 0.5 are left out: there, forgetting to reverse the
    # cost indicator would hardly change the score, so the question would not test it
    scaled = measures.minmax(q5_frame()["energy"])
    return tuple(p for p, m in scaled.items() if abs(1 - 2 * m) >= 0.04)


# ---------------------------------------------------------------------------
# reference answers
# ---------------------------------------------------------------------------

def ref_spread(year: int, vintage: str) -> float:
    va = course.load("province_value_added")
    per_capita = va[(va.year == year) & (va.vintage == vintage)].gdp_per_capita_yuan
    if len(per_capita) != 31:
        raise ValueError(f"reference for {year} ({vintage}): expected 31 provinces, got {len(per_capita)}")
    return float(per_capita.max() / per_capita.min())


def ref_tfp(start: int, end: int, alpha: float) -> float:
    pwt = course.load("pwt_china").set_index("year")
    years = end - start

    def g(col):
        return (math.log(pwt.loc[end, col]) - math.log(pwt.loc[start, col])) / years

    return g("rgdpna_mil_2017usd") - alpha * g("rnna_mil_2017usd") - (1 - alpha) * (g("emp_millions") + g("hc_index"))


def ref_between_share(year: int) -> float:
    gdp = course.load("province_gdp")
    gdp = gdp[(gdp.vintage == POST) & (gdp.year == year)]
    pop = course.load("province_population")
    pop = pop[pop.year == year]
    frame = gdp.merge(pop[["province_code", "resident_population_10k"]], on="province_code")
    if len(frame) != 31:
        raise ValueError(f"reference for {year}: expected 31 provinces, got {len(frame)}")
    per_capita = frame.gdp_100m_yuan * 1e8 / (frame.resident_population_10k * 1e4)
    dec = measures.theil_decomposition(per_capita, frame.nbs_region_en, weights=frame.resident_population_10k)
    return dec.between / dec.total


def ref_years(peer: str, base_year: int = 2021, growth_from: int = 2011) -> float:
    rd = course.load("rd_intensity_countries").pivot(index="year", columns="entity", values="rd_expenditure_pct_gdp")
    g = float(measures.cagr(rd.loc[growth_from, "China"], rd.loc[base_year, "China"], base_year - growth_from))
    return math.log(rd.loc[base_year, peer] / rd.loc[base_year, "China"]) / math.log(1 + g)


@lru_cache(maxsize=None)
def lq_matrix() -> pd.DataFrame:
    emp = course.load("province_employment_by_sector_2024")
    emp = emp[(emp.sector_code_gbt4754 != "TOTAL") & (emp.province_code != 100000)]
    return emp.pivot(index="province_en", columns="sector_code_gbt4754", values="employment_10k")


def ref_lq(province: str, sector: str) -> float:
    return float(measures.location_quotient(lq_matrix()).loc[province, sector])


def ref_score(province: str) -> float:
    scaled = measures.minmax(q5_frame(), direction={"rd": "+", "energy": "-"})
    return float(scaled.loc[province].mean())


def ref_cagr(start, end, years) -> float:
    return float(measures.cagr(start, end, years))


# ---------------------------------------------------------------------------
# the problem set
# ---------------------------------------------------------------------------

PROBLEM_SET = ProblemSet("ps1", [
    Number("q0_spread", 2, tolerance=2e-3, plausible=(1.0, 100.0), reference=ref_spread,
           # 2019 is published in both vintages: the revised one is used from 2019 on
           variant=choose("q0_spread", [{"year": y, "vintage": POST if y >= 2019 else PRE} for y in SPREAD_YEARS])),
    Number("q1_tfp", 3, tolerance=5e-4, plausible=(-0.2, 0.2), reference=ref_tfp,
           variant=choose("q1_tfp", [{"start": s, "end": e, "alpha": ALPHA} for s, e in PERIODS])),
    Number("q2_between_share", 3, tolerance=2e-3, plausible=(0.0, 1.0), reference=ref_between_share,
           variant=choose("q2_between_share", THEIL_YEARS, key="year")),
    Number("q3_years", 2, tolerance=0.05, plausible=(0.0, 200.0), reference=ref_years,
           variant=choose("q3_years", [{"peer": p, "base_year": 2021, "growth_from": 2011} for p in PEERS])),
    Number("q4_lq", 2, tolerance=2e-3, plausible=(0.0, 50.0), reference=ref_lq,
           variant=[choose("q4_lq/province", province_names(), key="province"),
                    choose("q4_lq/sector", sorted(LQ_SECTORS), key="sector")]),
    Number("q5_score", 3, tolerance=2e-3, plausible=(0.0, 1.0), reference=ref_score,
           variant=choose("q5_score", q5_provinces(), key="province")),
    Function("q6_cagr", 2, tolerance=1e-6, reference=ref_cagr, cases=Q6_CASES, example=(100, 110, 1)),
    Written("w1_written", 3),
])

# Typical wrong answers (question -> (answer cell, text of the solution, replacement)). The tests grade
# the solution with each one applied and check that exactly that question loses its points.
MISCONCEPTIONS = {
    "q0_spread": ("q0_answer", 'per_capita = one_year["gdp_per_capita_yuan"]', 'per_capita = one_year["gdp_100m_yuan"]'),
    "q1_tfp": ("q1_answer", "q1_tfp = float(", "q1_tfp = 100 * float("),
    "q2_between_share": ("q2_answer", ', weights=both["resident_population_10k"]', ""),
    "q3_years": ("q3_answer", 'math.log(level.loc[2021, p3["peer"]] / level.loc[2021, "China"]) / math.log(1 + g_china)',
                 '(level.loc[2021, p3["peer"]] / level.loc[2021, "China"] - 1) / g_china'),
    "q4_lq": ("q4_answer", "q4_lq = float(share_in_province / share_in_all)", "q4_lq = float(share_in_province)"),
    "q5_score": ("q5_answer", '(both["energy"].max() - both["energy"])', '(both["energy"] - both["energy"].min())'),
    "q6_cagr": ("q6_answer", "(end / start) ** (1 / years) - 1", "(end / start - 1) / years"),
}
