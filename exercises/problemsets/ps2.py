"""Problem set 2, "Why local conditions are the sound method" (paper part 三, S1-S4): grading specification.

Instructor-only. The student notebook is ``exercises/source/ps2/ps2.ipynb``; this module says what
each question is worth, which variant each student gets, and computes the reference answers with
the course's own functions (``course.monitoring``, ``course.grouping``, ``course.regional``,
``course.structure``, ``course.comparative_advantage``, ``course.overcapacity``) on ``course.load``
data, in the grader's process.

Variant lists leave out the cases a question would not test: the province-years whose two R&D
series agree (question 1), targets a province has reached or never reaches at its own trend, and
the end-point trend that would give nearly the same answer (question 2), and so on. Each filter is
stated where the list is built; ``tests/test_ps2_spec.py`` checks that each misconception is wrong
for every variant.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd

import course
from course import comparative_advantage as ca
from course import grouping, monitoring, overcapacity, regional, structure
from nqpf_grading.spec import Number, ProblemSet, Written, choose

PRE, POST = "pre_5th_census_revision", "post_5th_census_revision"

# ---------------------------------------------------------------------------
# variant options (fixed rules: changing one changes every student's variant)
# ---------------------------------------------------------------------------

Q2_TARGETS = (1.5, 2.0, 2.5, 3.5, 4.0, 5.0)   # R&D intensity targets, %; 3.0 is the lesson's own example
Q2_LAST, Q2_WINDOW = 2023, 5                   # trend 2018-2023 on the restated series
Q2_TOL, Q2_RTOL = 0.01, 1e-3                   # years: absolute and relative tolerance
Q4_YEARS = (2025, 2030)                        # projection years of the urban/rural consumption ratio
Q5_YEARS = (2015, 2016, 2017, 2018, 2019)      # 2020 is the year lesson 23 tabulates
Q6_PRICES = (300, 500, 600, 800, 1000, 1200)   # 10,000 yuan of goods per patent, inside the band; 430 is the lesson's
Q6_BETAS = (0.4, 0.5, 0.6)
Q7_FOLLOWERS = (0.3, 0.4, 0.5, 0.6, 0.7)
Q7_INFORMATION = (0.0, 0.25, 0.5, 0.75)
Q7_SEEDS = range(10)
MARGIN = 0.01  # a misconception must miss the reference by at least this much (10 x the tightest tolerance)


@lru_cache(maxsize=None)
def table(name: str) -> pd.DataFrame:
    """A course table, read once per grader process (callers must not modify it)."""
    return course.load(name)


@lru_cache(maxsize=None)
def names() -> pd.Series:
    return course.load("provinces").set_index("province_code")["province_en"]


# ---------------------------------------------------------------------------
# question 1 (S1.1): the GRP a first-published R&D intensity divided by, against today's series
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def q1_frame() -> pd.DataFrame:
    first = table("province_rd_first_published")
    restated = table("province_rd_intensity_restated")
    gdp = table("province_gdp")
    pre = gdp[gdp["vintage"] == PRE][["province_code", "year", "gdp_100m_yuan"]]
    f = first.merge(restated[["province_code", "year", "rd_intensity_pct"]], on=["province_code", "year"],
                    suffixes=("_first", "_restated"), validate="one_to_one")
    f = f[f["province_code"] != 100000].merge(pre, on=["province_code", "year"], validate="one_to_one")
    f["implied_grp"] = f["rd_expenditure_100m_yuan"] / (f["rd_intensity_pct_first"] / 100)
    f["revision"] = f["gdp_100m_yuan"] / f["implied_grp"] - 1
    # the misconception: the restated intensity in the bulletin's place (its GRP is today's, up to rounding)
    restated_grp = f["rd_expenditure_100m_yuan"] / (f["rd_intensity_pct_restated"] / 100)
    f["with_restated"] = f["gdp_100m_yuan"] / restated_grp - 1
    return f.set_index(["province_en", "year"]).sort_index()


@lru_cache(maxsize=None)
def q1_variants() -> tuple:
    f = q1_frame()
    keep = (f["revision"] - f["with_restated"]).abs() >= MARGIN
    keep &= f.index != ("Tianjin", 2016)  # the lesson's worked example
    return tuple({"province": p, "year": int(y)} for p, y in f.index[keep])


def ref_grp_revision(province: str, year: int) -> float:
    return float(q1_frame().loc[(province, year), "revision"])


# ---------------------------------------------------------------------------
# question 2 (S1.2, S1.3): years to a target at the province's own log-linear trend
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def q2_series() -> pd.DataFrame:
    return monitoring.build_series({"province_rd_first_published": table("province_rd_first_published"),
                                    "province_rd_intensity_restated": table("province_rd_intensity_restated"),
                                    })["rd_restated"]


def _q2_years(code: int, target: float, method: str) -> float:
    wide = q2_series()
    g = monitoring.trend_growth(wide, Q2_WINDOW, method, Q2_LAST)[code]
    return monitoring.years_to_target(wide.loc[code, Q2_LAST], target, g)


@lru_cache(maxsize=None)
def q2_variants() -> tuple:
    out = []
    wide = q2_series()
    for code in wide.index:
        for target in Q2_TARGETS:
            if wide.loc[code, Q2_LAST] >= target:
                continue
            loglin, ends = _q2_years(code, target, "loglinear"), _q2_years(code, target, "endpoints")
            if not (math.isfinite(loglin) and math.isfinite(ends) and 0.5 <= loglin <= 40):
                continue
            if abs(loglin - ends) < 5 * (Q2_TOL + Q2_RTOL * loglin):  # the end-point slip must show
                continue
            if (names()[code], target) == ("Sichuan", 3.5):  # lesson 21's check question
                continue
            out.append({"province": names()[code], "target": target})
    return tuple(out)


def ref_years(province: str, target: float) -> float:
    code = int(names()[names() == province].index[0])
    return float(_q2_years(code, target, "loglinear"))


# ---------------------------------------------------------------------------
# question 3 (S2.1): distance to the nearest province in the standardised endowment profile
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def q3_distances(ddof: int = 0) -> pd.DataFrame:
    data = grouping.endowment_table()[list(grouping.DEFAULT_FEATURES)]
    z = grouping.standardise(data) if ddof == 0 else (data - data.mean()) / data.std(ddof=ddof)
    x = z.to_numpy()
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(d, np.inf)
    return pd.DataFrame(d, index=names().reindex(z.index), columns=names().reindex(z.index))


def ref_nearest(province: str) -> float:
    return float(q3_distances().loc[province].min())


# ---------------------------------------------------------------------------
# question 4 (S2.2): projected urban/rural consumption ratio
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def q4_table(span: int = 6) -> pd.DataFrame:
    ur = regional.urban_rural(table("province_income_consumption"), "consumption", 2013, 2019)
    if span != 6:  # the fencepost slip: seven observations, but six years of growth
        inc = table("province_income_consumption").set_index(["province_code", "year"])
        u = inc["consumption_expenditure_per_capita_urban_yuan"].unstack()
        r = inc["consumption_expenditure_per_capita_rural_yuan"].unstack()
        ur = ur.copy()
        ur["growth_urban"] = (u[2019] / u[2013]) ** (1 / span) - 1
        ur["growth_rural"] = (r[2019] / r[2013]) ** (1 / span) - 1
    return ur


def _q4(province: str, year: int, span: int = 6) -> float:
    ur = q4_table(span)
    row = ur.loc[int(names()[names() == province].index[0])]
    return float(row["ratio_end"] * ((1 + row["growth_urban"]) / (1 + row["growth_rural"])) ** (year - 2019))


@lru_cache(maxsize=None)
def q4_variants() -> tuple:
    return tuple({"province": p, "year": y} for p in names().sort_index() for y in Q4_YEARS
                 if abs(_q4(p, y) - _q4(p, y, span=7)) >= 0.005)


def ref_ratio(province: str, year: int) -> float:
    return _q4(province, year)


# ---------------------------------------------------------------------------
# question 5 (S2.3, S3.1): crude-steel location quotient, lesson 23's definition
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def q5_lq(year: int, vintage: str = POST) -> pd.Series:
    """Every reporting province's crude-steel LQ in ``year``: its share of the published total over
    its share of the 31-province GRP sum (lesson 23, section 2.1)."""
    sc = table("province_output_steel_cement")
    steel = sc[sc["year"] == year].set_index("province_en")["crude_steel_10k_tonnes"].dropna()
    gdp = table("province_gdp")
    grp = gdp[(gdp["year"] == year) & (gdp["vintage"] == vintage) & (gdp["province_code"] != 100000)]
    grp = grp.set_index("province_en")["gdp_100m_yuan"]
    if len(grp) != 31:
        raise ValueError(f"reference for {year}: expected 31 provinces' GRP, got {len(grp)}")
    return (steel / steel.sum()) / (grp.reindex(steel.index) / grp.sum())


@lru_cache(maxsize=None)
def q5_variants() -> tuple:
    out = []
    for year in Q5_YEARS:
        post, pre = q5_lq(year), q5_lq(year, PRE)
        codes = names().reset_index().set_index("province_en")["province_code"]
        for p in sorted(post.index, key=lambda n: codes[n]):
            if abs(post[p] - pre[p]) >= MARGIN:
                out.append({"province": p, "year": year})
    return tuple(out)


def ref_steel_lq(province: str, year: int) -> float:
    return float(q5_lq(year)[province])


# ---------------------------------------------------------------------------
# question 6 (S3.3): a region's gain from specialising along its comparative advantage
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def q6_economy(beta: float) -> ca.Economy:
    return ca.calibrate(beta=beta)


def ref_gain(region: str, price: float, beta: float) -> float:
    return float(ca.gain_curve(q6_economy(beta), [price]).iloc[0][region])


# ---------------------------------------------------------------------------
# question 7 (S4, S4.1): mean capacity utilisation of the tide model over ten seeds
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def q7_runs(followers: float, information: float) -> tuple:
    """The ten runs of one setting (seeds 0-9, demand 1)."""
    return tuple(overcapacity.simulate(followers, information, 1.0, s) for s in Q7_SEEDS)


def ref_utilisation(followers: float, information: float) -> float:
    return float(np.mean([r.utilisation for r in q7_runs(followers, information)]))


# ---------------------------------------------------------------------------
# the problem set
# ---------------------------------------------------------------------------

PROBLEM_SET = ProblemSet("ps2", [
    Number("q1_grp_revision", 2, tolerance=1e-3, plausible=(-0.6, 0.6), reference=ref_grp_revision,
           variant=choose("ps2/q1", q1_variants())),
    Number("q2_years", 3, tolerance=Q2_TOL, rel_tolerance=Q2_RTOL, plausible=(0.0, 100.0), reference=ref_years,
           variant=choose("ps2/q2", q2_variants())),
    Number("q3_nearest", 3, tolerance=2e-3, plausible=(0.0, 10.0), reference=ref_nearest,
           variant=choose("ps2/q3", list(names().sort_index()), key="province")),
    Number("q4_ratio", 2, tolerance=1e-3, plausible=(0.5, 5.0), reference=ref_ratio,
           variant=choose("ps2/q4", q4_variants())),
    Number("q5_steel_lq", 2, tolerance=1e-3, plausible=(0.0, 50.0), reference=ref_steel_lq,
           variant=choose("ps2/q5", q5_variants())),
    Number("q6_gain", 3, tolerance=1e-3, plausible=(-1.0, 5.0), reference=ref_gain,
           variant=[choose("ps2/q6/region", ca.REGIONS, key="region"),
                    choose("ps2/q6/price", Q6_PRICES, key="price"),
                    choose("ps2/q6/beta", Q6_BETAS, key="beta")]),
    Number("q7_utilisation", 2, tolerance=1e-3, plausible=(0.0, 1.0), reference=ref_utilisation,
           variant=[choose("ps2/q7/followers", Q7_FOLLOWERS, key="followers"),
                    choose("ps2/q7/information", Q7_INFORMATION, key="information")]),
    Written("w1_written", 3),
])

# Typical wrong answers (question -> (answer cell, text of the solution, replacement)). The tests grade
# the solution with each one applied and check that exactly that question loses its points.
MISCONCEPTIONS = {
    # the restated intensity (today's GRP) instead of the one the bulletin printed
    "q1_grp_revision": ("q1_answer", 'row["rd_intensity_pct_first"]', 'row["rd_intensity_pct_restated"]'),
    # the compound rate between the two end years instead of the log-linear fit over all six years
    "q2_years": ("q2_answer", 'method="loglinear"', 'method="endpoints"'),
    # pandas' sample standard deviation (n - 1) instead of the population one
    "q3_nearest": ("q3_answer", "data.std(ddof=0)", "data.std()"),
    # seven observations taken for seven years of growth (2013-2019 is six)
    "q4_ratio": ("q4_answer", "YEARS_OF_GROWTH = 2019 - 2013", "YEARS_OF_GROWTH = 2019 - 2013 + 1"),
    # the pre-revision GRP vintage instead of the revised one the question names
    "q5_steel_lq": ("q5_answer", 'gdp["vintage"] == "post_5th_census_revision"',
                    'gdp["vintage"] == "pre_5th_census_revision"'),
    # output not valued at the terms of trade: patents and yuan added as if one patent were one unit of goods
    "q6_gain": ("q6_answer", "price * ", ""),
    # the unweighted mean of the four industries' utilisation instead of running plants / all plants
    "q7_utilisation": ("q7_answer", 'r.plants["runs"].mean()', 'r.industries["utilisation"].mean()'),
}
