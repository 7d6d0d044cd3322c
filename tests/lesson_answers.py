"""Every check question of every lesson, answered by hand from the raw tables.

Each answer is recomputed here by a route that does not go through the function the lesson teaches
with: plain pandas and numpy on ``course.load`` tables, formulas written out (the Gini as a double
sum, Spearman as a correlation of ranks, a partial correlation by its closed formula, compound growth
by hand). Each answer comes with the *wrong-but-plausible* answers a student might give (percent for
a fraction, the other vintage, the unweighted version, the number printed for a neighbouring case).

``tests/test_check_questions.py`` checks, for every lesson, that the notebook's questions accept these
answers, refuse the wrong ones with "Not yet." and a hint, and that no answer is printed anywhere in
the lesson. A lesson with check questions must have an entry in :data:`ANSWERS`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import course
from course import quiz

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NATIONAL = 100000
PRE, POST = "pre_5th_census_revision", "post_5th_census_revision"


@dataclass(frozen=True)
class Answer:
    """One question's answer as the student would type or pick it.

    ``value`` is a number (compared at ``decimals``) or the correct option's text. ``not_yet`` are
    wrong-but-plausible answers that must get "Not yet." plus the hint; ``refused`` other wrong answers
    that must only be refused (a range message is fine). ``percent`` marks a value in per cent, so the
    search for printed answers also looks for it as a fraction.
    """

    question: str
    value: object
    decimals: int | None = None
    not_yet: tuple = ()
    refused: tuple = ()
    percent: bool = False
    fraction: bool = False
    #: for a small whole-number answer (which occurs everywhere as a bare number): the phrases, with
    #: ``{}`` for the number, in which printing it would give the answer away
    contexts: tuple = ()

    @property
    def numeric(self) -> bool:
        return not isinstance(self.value, str)


def notebook_questions(stem: str) -> dict:
    """The notebook's question objects, built by running its ``qN = quiz...`` cells."""
    cells = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and src.lstrip().startswith(("q1 =", "q2 =", "q3 =", "q4 =", "q5 =")):
            name = src.split("=", 1)[0].strip()
            ns = {"quiz": quiz}
            exec(src, ns)
            found[name] = ns[name]
    return found


# ------------------------------------------------------------------------------------------- helpers
def _provincial(table: str) -> pd.DataFrame:
    t = course.load(table)
    return t[t["province_code"] != NATIONAL]


def _log_growth(a: float, b: float, years: int) -> float:
    return 100 * math.log(b / a) / years


# ------------------------------------------------------------------------------------------- 00
def lesson_00() -> list[Answer]:
    prof = _provincial("province_profile_2023").set_index("province_code")
    region = course.load("provinces").set_index("province_code")["nbs_region_en"]
    pop = prof["yearend_resident_population_10k"]
    west = 100 * pop[region.reindex(pop.index) == "West"].sum() / pop.sum()
    east = 100 * pop[region.reindex(pop.index) == "East"].sum() / pop.sum()
    count_share = 100 * (region == "West").sum() / len(region)          # provinces, not people
    return [
        Answer("q1", "Innovation", not_yet=("More investment in fixed assets", "Cheap labour", "Exports")),
        Answer("q2", west, 1, not_yet=(count_share, east), refused=(west / 100,), percent=True),
        Answer("q3", "The pre-revision GDP (before the 5th economic census)",
               not_yet=("The revised GDP (after the 5th economic census)", "Either: they are the same")),
    ]


# ------------------------------------------------------------------------------------------- 11
def _pwt_growth(frame: pd.DataFrame, start: int, end: int) -> dict:
    f = frame.set_index("year")
    n = end - start
    g = {k: _log_growth(f.at[start, col], f.at[end, col], n) for k, col in
         [("Y", "rgdpna_mil_2017usd"), ("K", "rnna_mil_2017usd"), ("L", "emp_millions"), ("h", "hc_index")]}
    g["alpha"] = 1 - f.loc[start:end, "labsh_share"].mean()
    return g


def lesson_11() -> list[Answer]:
    china = course.load("pwt_china")
    g = _pwt_growth(china, 1978, 2019)
    tfp = g["Y"] - g["alpha"] * g["K"] - (1 - g["alpha"]) * (g["L"] + g["h"])
    share_plus_one = 100 * (tfp + 1) / (g["Y"] + 1)                 # output error lands in the residual
    g2 = _pwt_growth(china, 2002, 2011)
    tfp_half = g2["Y"] - 0.5 * g2["K"] - 0.5 * (g2["L"] + g2["h"])
    tfp_pwt_alpha = g2["Y"] - g2["alpha"] * g2["K"] - (1 - g2["alpha"]) * (g2["L"] + g2["h"])
    direction = "falls" if g["K"] > g["L"] + g["h"] else "rises"   # d g_A / d alpha = -(g_K - g_L - g_h)
    return [
        Answer("q1", share_plus_one, 1, percent=True,
               not_yet=(100 * (tfp + 1) / g["Y"],                    # forgot that growth rises too
                        100 * tfp / g["Y"])),                        # the printed share, unchanged
        Answer("q2", tfp_half, 2, not_yet=(tfp_pwt_alpha, g2["Y"] - 0.5 * g2["K"])),
        Answer("q3", direction, not_yet=tuple({"rises", "falls", "stays the same"} - {direction})),
    ]


# ------------------------------------------------------------------------------------------- 12
def _gini(y: np.ndarray, w: np.ndarray | None = None) -> float:
    p = np.full(len(y), 1 / len(y)) if w is None else w / w.sum()
    mean = (p * y).sum()
    return float((p[:, None] * p[None, :] * np.abs(y[:, None] - y[None, :])).sum() / (2 * mean))


def lesson_12() -> list[Answer]:
    pop = _provincial("province_population")
    inc = _provincial("province_income_consumption")
    m = inc[inc["year"] == 2019].merge(pop[pop["year"] == 2019], on="province_code")
    y = m["disposable_income_per_capita_all_residents_yuan"].to_numpy(float)
    w = m["resident_population_10k"].to_numpy(float)
    gini_w, gini_plain = _gini(y, w), _gini(y)
    gdp = course.load("province_gdp")
    g24 = gdp[(gdp["vintage"] == POST) & (gdp["year"] == 2024)].merge(pop[pop["year"] == 2024], on="province_code")
    gini_gdp_w = _gini((g24["gdp_100m_yuan"] / g24["resident_population_10k"]).to_numpy(float),
                       g24["resident_population_10k"].to_numpy(float))

    # Theil T with population weights, by hand: province shares of GDP and population
    s = g24["gdp_100m_yuan"] / g24["gdp_100m_yuan"].sum()
    p = g24["resident_population_10k"] / g24["resident_population_10k"].sum()
    total = float((s * np.log(s / p)).sum())
    region = g24["nbs_region_en_x"]
    within_terms = {}
    for reg, idx in g24.groupby(region).groups.items():
        S_k, P_k = s[idx].sum(), p[idx].sum()
        T_k = float(((s[idx] / S_k) * np.log((s[idx] / S_k) / (p[idx] / P_k))).sum())
        within_terms[reg] = S_k * T_k
    within = sum(within_terms.values())
    central_of_within = 100 * within_terms["Central"] / within
    central_of_total = 100 * within_terms["Central"] / total
    east_of_within = 100 * within_terms["East"] / within

    # Heilongjiang: real GDP per capita 2015-2024 from the real index, by hand
    idx = course.load("province_gdp_index")
    hl = 230000
    factor = idx[(idx["vintage"] == POST) & (idx["province_code"] == hl) & idx["year"].between(2016, 2024)]
    assert sorted(factor["year"]) == list(range(2016, 2025))
    real_factor = float(np.prod(factor["gdp_index_prev_year_100"] / 100))
    gd = gdp[(gdp["vintage"] == POST) & (gdp["province_code"] == hl)].set_index("year")["gdp_100m_yuan"]
    pp = pop[pop["province_code"] == hl].set_index("year")["resident_population_10k"]
    real_pc = 100 * math.log(real_factor * pp[2015] / pp[2024]) / 9
    real_total = 100 * math.log(real_factor) / 9                           # real GRP, not per person
    nominal_pc = _log_growth(gd[2015] / pp[2015], gd[2024] / pp[2024], 9)
    return [
        Answer("q1", gini_w, 3, not_yet=(gini_plain, gini_gdp_w)),
        Answer("q2", central_of_within, 1, percent=True, not_yet=(central_of_total, east_of_within)),
        Answer("q3", real_pc, 2, not_yet=(real_total, nominal_pc)),
    ]


# ------------------------------------------------------------------------------------------- 13
def lesson_13() -> list[Answer]:
    rd = course.load("rd_intensity_countries").pivot(index="year", columns="entity", values="rd_expenditure_pct_gdp")
    x0, x1 = rd.at[2006, "China"], rd.at[2016, "China"]
    cagr = 100 * ((x1 / x0) ** (1 / 10) - 1)
    simple = 100 * (x1 / x0 - 1) / 10
    log_rate = 100 * math.log(x1 / x0) / 10
    long_run = 100 * ((rd.at[2021, "China"] / rd.at[1996, "China"]) ** (1 / 25) - 1)
    years_germany = math.log(rd.at[2021, "Germany"] / rd.at[2021, "China"]) / math.log(1.03 / 1.01)
    years_germany_linear = (rd.at[2021, "Germany"] - rd.at[2021, "China"]) / (0.03 * rd.at[2021, "China"] - 0.01 * rd.at[2021, "Germany"])

    # the official-growth residual for China 2012-2019, by hand: the provinces' indices weighted by
    # the previous year's nominal GRP (pre-revision vintage), minus PWT's input contributions
    idx = _provincial("province_gdp_index")
    idx = idx[idx["vintage"] == PRE]
    gdp = _provincial("province_gdp")
    gdp = gdp[gdp["vintage"] == PRE]
    logs = []
    for year in range(2013, 2020):
        prev = gdp[gdp["year"] == year - 1].set_index("province_code")["gdp_100m_yuan"]
        now = idx[idx["year"] == year].set_index("province_code")["gdp_index_prev_year_100"] / 100
        logs.append(math.log((prev * now).sum() / prev.sum()))
    g_official = 100 * float(np.mean(logs))
    g = _pwt_growth(course.load("pwt_china"), 2012, 2019)
    inputs = g["alpha"] * g["K"] + (1 - g["alpha"]) * (g["L"] + g["h"])
    tfp_official, tfp_pwt = g_official - inputs, g["Y"] - inputs
    peers = course.load("pwt_peers")
    ctfp = peers.pivot(index="year", columns="countrycode", values="ctfp_usa_eq1")
    rtfp = peers.pivot(index="year", columns="countrycode", values="rtfpna_index_2017eq1")
    us = rtfp.at[2019, "USA"] / rtfp.at[2012, "USA"]
    counterfactual = ctfp.at[2012, "CHN"] * math.exp(7 * tfp_official / 100) / us
    with_pwt = ctfp.at[2012, "CHN"] * math.exp(7 * tfp_pwt / 100) / us
    return [
        Answer("q1", cagr, 2, percent=True, not_yet=(simple, log_rate, long_run)),
        Answer("q2", years_germany, 1, not_yet=(years_germany_linear, math.log(rd.at[2021, "Germany"] / rd.at[2021, "China"]) / 0.02)),
        Answer("q3", counterfactual, 3, fraction=True,
               not_yet=(ctfp.at[2019, "CHN"], with_pwt, ctfp.at[2012, "CHN"] * math.exp(7 * tfp_official / 100))),
    ]


# ------------------------------------------------------------------------------------------- 14
def lesson_14() -> list[Answer]:
    level = 1 * 0.12 + 2 * 0.45 + 3 * 0.43
    va = course.load("province_value_added")
    js = va[(va["vintage"] == POST) & (va["year"] == 2024) & (va["province_code"] == 320000)].iloc[0]
    advancement = js["va_tertiary_100m_yuan"] / js["va_secondary_100m_yuan"]
    js_pre = va[(va["vintage"] == PRE) & (va["year"] == 2019) & (va["province_code"] == 320000)].iloc[0]
    return [
        Answer("q1", level, 2, not_yet=(3 * 0.12 + 2 * 0.45 + 1 * 0.43,),     # weights in the wrong order
               refused=(1 * 12 + 2 * 45 + 3 * 43,)),                           # per cent, not fractions
        Answer("q2", advancement, 2,
               not_yet=(js["va_tertiary_100m_yuan"] / js["gdp_100m_yuan"],        # tertiary share of GRP
                        js_pre["va_tertiary_100m_yuan"] / js_pre["va_secondary_100m_yuan"])),  # other vintage/year
        Answer("q3", "the pre-revision vintage for both years",
               not_yet=("the revised vintage for both years", "pre-revision for 2013 and revised for 2019",
                        "either, they are the same")),
    ]


# ------------------------------------------------------------------------------------------- 15
DIMS4 = ["innovation", "coordination", "green", "sharing"]


def hand_scores_15() -> pd.DataFrame:
    """Lesson 15's dimension scores (equal weights, min-max) rebuilt from course.load and plain pandas.

    The 2023 innovation inputs come from the province profile table (not the dashboard's own loader);
    GDP per capita is post-revision GRP over year-end population, recomputed here.
    """
    prof = _provincial("province_profile_2023").set_index("province_code")
    inc = course.load("province_income_consumption")
    i19 = inc[inc["year"] == 2019].set_index("province_code")
    i23 = inc[inc["year"] == 2023].set_index("province_code")
    energy = course.load("province_energy_intensity_change_2020").set_index("province_code")
    gdp = course.load("province_gdp")
    g23 = gdp[(gdp["vintage"] == POST) & (gdp["year"] == 2023)].set_index("province_code")["gdp_100m_yuan"]
    pop = course.load("province_population")
    p23 = pop[pop["year"] == 2023].set_index("province_code")["resident_population_10k"]
    x = pd.DataFrame(index=prof.index)
    x["rd"] = prof["rd_intensity_pct"]
    x["patents"] = prof["patents_granted_invention"] / prof["yearend_resident_population_10k"]
    x["tech"] = prof["tech_market_turnover_100m_yuan"] / prof["gdp_100m_yuan_pre_revision"]
    x["con_gap"] = (i19["consumption_expenditure_per_capita_urban_yuan"]
                    / i19["consumption_expenditure_per_capita_rural_yuan"])
    x["energy"] = energy["energy_intensity_change_pct"]
    x["inc_gap"] = (i19["disposable_income_per_capita_urban_yuan"]
                    / i19["disposable_income_per_capita_rural_yuan"])
    x["gdp_pc"] = g23 / p23 * 1e4
    x["inc_to_gdp"] = i23["disposable_income_per_capita_all_residents_yuan"] / x["gdp_pc"]
    x = x.astype(float)
    up = (x - x.min()) / (x.max() - x.min())            # more is better: best 1, worst 0
    down = (x.max() - x) / (x.max() - x.min())          # less is better
    s = pd.DataFrame({
        "innovation": up[["rd", "patents", "tech"]].mean(axis=1),
        "coordination": down["con_gap"],
        "green": down["energy"],
        "sharing": pd.concat([down["inc_gap"], up["inc_to_gdp"]], axis=1).mean(axis=1),
    })
    s.insert(0, "province_en", prof["province_en"])
    s["gdp_pc"] = x["gdp_pc"]
    return s


def _partial_by_formula(x: pd.Series, y: pd.Series, z: pd.Series) -> float:
    rx, ry, rz = x.rank(), y.rank(), z.rank()
    rxy, rxz, ryz = rx.corr(ry), rx.corr(rz), ry.corr(rz)
    return (rxy - rxz * ryz) / math.sqrt((1 - rxz ** 2) * (1 - ryz ** 2))


Q2_OPTIONS_15 = ["Inner Mongolia", "Liaoning", "Anhui", "Guangxi"]


def lesson_15() -> list[Answer]:
    s = hand_scores_15()
    partial = _partial_by_formula(s["coordination"], s["sharing"], s["gdp_pc"])
    plain = s["coordination"].rank().corr(s["sharing"].rank())
    pearson = s["coordination"].corr(s["sharing"])
    by_name = s.set_index("province_en")
    before = by_name[DIMS4].mean(axis=1).rank(ascending=False, method="min")      # Xizang: mean of three
    after = by_name[["innovation", "coordination", "sharing"]].mean(axis=1).rank(ascending=False, method="min")
    climb = (before - after)[Q2_OPTIONS_15]
    assert (climb == climb.max()).sum() == 1
    climber = climb.idxmax()
    overall = s[DIMS4].mean(axis=1)                      # skips Xizang's missing green score
    assert overall.idxmin() == 540000
    rank30 = overall.drop(540000).min()
    known = s.loc[540000, ["innovation", "coordination", "sharing"]].sum()
    x = 4 * rank30 - known                               # (known + x) / 4 = rank30
    return [
        Answer("q1", partial, 3, not_yet=(plain, pearson)),
        Answer("q2", climber, not_yet=tuple(o for o in Q2_OPTIONS_15 if o != climber)),
        Answer("q3", x, 3, fraction=True,
               not_yet=(3 * rank30 - known, s["green"].median(), overall.loc[540000]), refused=(100 * x,)),
    ]


def lesson_35() -> list[Answer]:
    """Lesson 35's answers come from tests/test_talent.py, which recomputes them by hand."""
    from test_talent import lesson_35_answers

    return [Answer(name, value, decimals, not_yet=tuple(wrong), refused=tuple(refused), percent=pct)
            for name, value, decimals, wrong, refused, pct in lesson_35_answers()]


def lesson_31() -> list[Answer]:
    """Lesson 31's answers, recomputed from the raw CSV files in tests/test_innovation.py."""
    from test_innovation import _raw_answers

    a = _raw_answers()
    return [
        Answer("q1", a["q1"], 1, not_yet=(a["q1_national"],), refused=(a["q1"] / 100,), percent=True),
        Answer("q2", a["q2"], 0, not_yet=(a["q2_revised"], a["q2_total"])),
        Answer("q3", a["q3"], 2, not_yet=(a["q3_mean"],)),
    ]


def lesson_32() -> list[Answer]:
    """Lesson 32's answers: q1 and q2 recomputed here by hand, q3 in tests/test_digital.py."""
    from test_digital import _q3_answers

    people = course.load("synthetic_residents")
    # q1: 10-year age bands from 18, sex, NBS region, three income bands; classes of size 1
    bands = pd.DataFrame({
        "age": (people["age_years"] - 18) // 10,
        "sex": people["sex"],
        "region": people["nbs_region_en"],
        "income": np.select([people["annual_income_yuan"] < 30_000, people["annual_income_yuan"] < 60_000],
                            [0, 1], 2),
    })
    size = bands.groupby(list(bands.columns))["sex"].transform("size")
    q1 = int((size == 1).sum())
    q1_classes = bands.groupby(list(bands.columns)).ngroups
    # q2: RMSE^2(p) = 1 / (10 p) + (0.03 (p - 1) / 2)^2, p = 1 ... 8 regions pooled
    rmse2 = {p: 1 / (10 * p) + (0.03 * (p - 1) / 2) ** 2 for p in range(1, 9)}
    q2 = min(rmse2, key=rmse2.get)
    rho, pearson, rho_total = _q3_answers()
    return [
        Answer("q1", q1, 0, not_yet=(q1_classes, int(size.min())),
               contexts=("{} unique", "{} records", "{} people", "{} residents")),
        Answer("q2", q2, 0, not_yet=(8, 1), contexts=("{} regions", "p = {}", "{} pooled", "pool {}")),
        Answer("q3", rho, 3, not_yet=(pearson, rho_total)),
    ]


def lesson_21() -> list[Answer]:
    """Lesson 21's answers, recomputed by hand in tests/test_monitoring.py."""
    from test_monitoring import q1_value, q2_values, q3_values

    q1 = q1_value()
    restated = course.load("province_rd_intensity_restated").set_index(["province_en", "year"])["rd_intensity_pct"]
    spend = q1 * 0.0079
    q2, q2_wrong = q2_values()
    counts = q3_values()
    return [
        Answer("q1", q1, 0, not_yet=(spend * 100 / restated[("Inner Mongolia", 2016)],), refused=(spend / 0.79,)),
        Answer("q2", q2, 1, not_yet=tuple(q2_wrong.values())),
        Answer("q3", counts["reach"], 0,
               not_yet=(counts["on track only"], counts["already only"], counts["reach, end points"]),
               contexts=("{} provinces reach 50", "{} reach 50", "{} would reach 50", "{} of 31 provinces reach 50")),
    ]


def lesson_22() -> list[Answer]:
    """Lesson 22's answers, recomputed by hand in tests/test_grouping.py (q3 stepped year by year)."""
    from test_grouping import mining_shares

    x, names = mining_shares()
    i = names.index("Ningxia")
    q1 = (x[i] - x.mean()) / x.std()
    inc = course.load("province_income_consumption").set_index(["province_en", "year"])
    u13, u19 = (inc.loc[("Guizhou", y), "consumption_expenditure_per_capita_urban_yuan"] for y in (2013, 2019))
    r13, r19 = (inc.loc[("Guizhou", y), "consumption_expenditure_per_capita_rural_yuan"] for y in (2013, 2019))
    gu, gr = (u19 / u13) ** (1 / 6), (r19 / r13) ** (1 / 6)
    year, ratio = 2019, u19 / r19
    while ratio >= 1.5:
        year, ratio = year + 1, ratio * gu / gr
    linear = 2019 + math.ceil((u19 / r19 - 1.5) / -((u19 / r19 - u13 / r13) / 6))
    return [
        Answer("q1", q1, 2, not_yet=((x[i] - x.mean()) / x.std(ddof=1),), refused=(x[i] - x.mean(),)),
        Answer("q2", "Jiangsu", not_yet=("Tianjin", "Zhejiang", "Anhui")),
        Answer("q3", year, 0, not_yet=tuple({linear, year - 1} - {year})),
    ]


def lesson_23() -> list[Answer]:
    """Lesson 23's answers by hand (the same routes as tests/test_comparative_advantage.py)."""
    from test_comparative_advantage import hand_table

    sc = course.load("province_output_steel_cement").query("year == 2020").set_index("province_code")
    gdp = course.load("province_gdp").query("year == 2020")
    post = gdp[gdp["vintage"] == POST].set_index("province_code")["gdp_100m_yuan"]
    pre = gdp[gdp["vintage"] == PRE].set_index("province_code")["gdp_100m_yuan"]
    steel = sc["crude_steel_10k_tonnes"]
    share = steel[120000] / steel.dropna().sum()
    q1 = share / (post[120000] / post.sum())
    q1_wrong = (share / (pre[120000] / pre.sum()),                              # the other GDP vintage
                share / (post[120000] / post[steel.dropna().index].sum()))      # GRP of the reporters only
    e = course.load("province_energy_intensity_change_2020").set_index("province_en")
    d_e, d_i = e.loc["Zhejiang", "energy_consumption_growth_pct"], e.loc["Zhejiang", "energy_intensity_change_pct"]
    q2 = 100 * ((1 + d_e / 100) / (1 + d_i / 100) - 1)
    t = hand_table()
    tech = (t.loc[["Beijing", "Tianjin"], "workers"] * t.loc[["Beijing", "Tianjin"], "tech"]).sum()
    goods = t.loc["Hebei", "workers"] * t.loc["Hebei", "goods"]
    q3 = 0.7 * goods / (0.3 * tech)
    cost = t["goods"] / t["tech"]
    return [
        Answer("q1", q1, 3, not_yet=q1_wrong, refused=(share,)),
        Answer("q2", q2, 2, not_yet=(d_e - d_i,), refused=(-q2,), percent=True),
        Answer("q3", round(q3), 0, not_yet=(round(cost["Tianjin"]), round((cost["Beijing"] + cost["Hebei"]) / 2))),
    ]


def lesson_24() -> list[Answer]:
    """Lesson 24's answers by hand (the same routes as tests/test_overcapacity.py)."""
    from course import overcapacity as oc

    r = oc.simulate(0.6, 0.5, 1.0, 0)
    plants = r.plants[r.plants["industry"] == "Hot"]
    q1 = 100 * plants["runs"].sum() / len(plants)
    sc = course.load("province_output_steel_cement").query("year == 2020")
    cement = sc["cement_10k_tonnes"]
    east = sc["nbs_region_en"] == "East"
    q2 = 100 * cement[east].sum() / cement.sum()
    cu = course.load("capacity_utilization")
    mv = cu[cu["industry_en"] == "Motor vehicles"]
    q4 = mv[mv["period_type"] == "quarter"].set_index("period")["capacity_utilization_pct"]
    q3 = q4["2024Q4"] - q4["2022Q4"]
    annual = mv[(mv["period_type"] == "year") & (mv["period"] == "2024")]["capacity_utilization_pct"].iloc[0]
    return [
        Answer("q1", q1, 1, not_yet=(100 * r.utilisation,), refused=(q1 / 100,), percent=True),
        Answer("q2", q2, 1, not_yet=((100 * cement / cement.sum())[east].mean(),), percent=True),
        Answer("q3", q3, 1, not_yet=(annual - q4["2022Q4"], q4["2024Q4"] - q4["2021Q4"])),
    ]


def lesson_33() -> list[Answer]:
    """Lesson 33's answers by hand (tests/test_evaluation.py scores the provinces by hand)."""
    from test_evaluation import KEYS, Q3_OPTIONS, hand_reversals, hand_score
    from course import evaluation as ev

    p = course.load("province_profile_2023").set_index("province_code")     # the 2023 indicators by hand
    population = p["yearend_resident_population_10k"]
    profile = pd.DataFrame({
        "rd_intensity_pct": p["rd_intensity_pct"],
        "patents_per_10k": p["patents_granted_total"] / population,
        "invention_patents_per_10k": p["patents_granted_invention"] / population,
        "transfer_ratio": p["tech_market_turnover_100m_yuan"] / p["rd_expenditure_100m_yuan"],
        "hightech_revenue_pct_grp": p["hightech_revenue_100m_yuan"] / p["gdp_100m_yuan_pre_revision"] * 100,
    })
    base = hand_score(profile, ev.PRESETS["output counts"])
    q1 = hand_reversals(base, hand_score(profile, {k: 1.0 for k in KEYS}))
    transfer = hand_reversals(base, hand_score(profile, ev.PRESETS["transfer and application"]))
    a, c, keep, s = 3.0, 1.0, 0.4, 0.30          # the model at 60 % spillover and a 30 % subsidy
    q2 = keep * a / ((1 - s) * c) - 1
    f = course.load("province_fiscal").set_index(["province_en", "year"])
    share = f["local_fiscal_sci_tech_expenditure_100m_yuan"] / f["local_general_budget_expenditure_100m_yuan"]
    change = {p: share[(p, 2023)] - share[(p, 2011)] for p in Q3_OPTIONS}
    q3 = max(change, key=change.get)
    level = max(Q3_OPTIONS, key=lambda p: share[(p, 2023)])
    return [
        Answer("q1", q1, 0, not_yet=(transfer, 465 - q1),
               contexts=("{} of 465", "{} pairs", "{} reversals", "{} of the 465")),
        Answer("q2", q2, 2, not_yet=(keep * a / c - 1, a / c - 1)),
        Answer("q3", q3, not_yet=(level,)),
    ]


def lesson_34() -> list[Answer]:
    """Lesson 34's answers by hand (the formulas of tests/test_credit.py)."""
    from test_credit import q1_answer, q2_answer, q3_answer

    q1, q2, q3 = q1_answer(), q2_answer(), q3_answer()
    return [
        Answer("q1", q1, 2, not_yet=(100 * (0.03 + 0.08 * 0.7 * 0.5), 100 * (1.03 / (1 - 0.08 * 0.7) - 1)),
               percent=True),
        Answer("q2", q2, 4, not_yet=(q2_answer(column="dfii_total"), q2_answer(2016, 2023))),
        Answer("q3", q3, 2, not_yet=(q3 + 100 * 0.02 * 0.6, q3_answer(alpha=0.999)), percent=True),
    ]


def _capstone_raw(year: int, rd: str = "restated") -> pd.DataFrame:
    """Lesson 40's ten default indicators for ``year``, rebuilt from course.load with plain pandas.

    Each indicator takes ``year`` if its table has it, else its nearest year: internet and higher
    education end in 2019, energy is 2020 only, jobs by sector 2024 only.
    """
    def one(table, column, y, **filters):
        t = _provincial(table)
        t = t[t["year"] == y]
        for k, v in filters.items():
            t = t[t[k] == v]
        return t.set_index("province_code")[column].astype(float)

    pop = lambda y: one("province_population", "resident_population_10k", y)               # noqa: E731
    grp = lambda y: one("province_gdp", "gdp_100m_yuan", y, vintage=PRE)                    # noqa: E731
    ye = min(year, 2019)
    emp = course.load("province_employment_by_sector_2024").pivot(
        index="province_code", columns="sector_code_gbt4754", values="employment_10k")
    x = pd.DataFrame(index=course.load("provinces")["province_code"].sort_values())
    x["rd_personnel_per_10k"] = one("province_rd_personnel", "rd_personnel_fte_manyears", year) / pop(year)
    x["students_per_10k"] = one("province_higher_education", "students_enrolled_10k", ye) / pop(ye) * 1e4
    x["knowledge_jobs_pct"] = (emp["I"] + emp["M"]) / emp["TOTAL"] * 100
    rd_table = "province_rd_intensity_restated" if rd == "restated" else "province_rd_first_published"
    x["rd_intensity_pct"] = one(rd_table, "rd_intensity_pct", year)
    x["broadband_per_100"] = one("province_internet", "broadband_ports_10k_units", ye) / pop(ye) * 100
    x["digital_finance_index"] = one("province_digital_finance_pku", "dfii_total", year)
    x["energy_intensity_change_pct"] = one("province_energy_intensity_change_2020", "energy_intensity_change_pct", 2020)
    x["hightech_revenue_pct_grp"] = one("province_hightech", "hightech_revenue_100m_yuan", year) / grp(year) * 100
    x["invention_patents_per_10k"] = one("province_patents_granted", "patents_granted_invention", year) / pop(year)
    x["tech_market_pct_grp"] = one("province_tech_market", "tech_market_turnover_100m_yuan", year) / grp(year) * 100
    return x


def _capstone_norm(x: pd.DataFrame) -> pd.DataFrame:
    out = (x - x.min()) / (x.max() - x.min())                 # more is better
    e = x["energy_intensity_change_pct"]                      # the one cost indicator: less is better
    out["energy_intensity_change_pct"] = (e.max() - e) / (e.max() - e.min())
    return out


def _entropy(norm: pd.DataFrame, shift: float = 1e-4) -> pd.Series:
    z = norm + shift
    p = z / z.sum()
    d = 1 + (p * np.log(p)).sum() / np.log(norm.notna().sum())
    return d / d.sum()


def _topsis_rows(x: np.ndarray, w: np.ndarray, inside: bool = False) -> np.ndarray:
    """TOPSIS on a 0-1 matrix (NaN = skip that indicator and rescale the province's weights), row by row."""
    best, worst = np.nanmax(x, axis=0), np.nanmin(x, axis=0)
    out = []
    for row in x:
        have = ~np.isnan(row)
        wi = w[have] / w[have].sum()
        f = np.sqrt(wi) if inside else wi           # inside: the weight under the square root
        dp = math.sqrt(((f * (row[have] - best[have])) ** 2).sum())
        dm = math.sqrt(((f * (row[have] - worst[have])) ** 2).sum())
        out.append(dm / (dp + dm))
    return np.array(out)


def lesson_40() -> list[Answer]:
    # q1: entropy weight of R&D intensity in the 2018 index (restated series)
    w18 = _entropy(_capstone_norm(_capstone_raw(2018)))
    w18_first = _entropy(_capstone_norm(_capstone_raw(2018, rd="first_published")))
    x23 = _capstone_raw(2023)
    n23 = _capstone_norm(x23)
    w23 = _entropy(n23)
    # q2: Xizang with the best energy score (1), default weights kept
    xz = list(n23.index).index(540000)
    filled = n23.copy()
    filled.loc[540000, "energy_intensity_change_pct"] = 1.0
    q2 = _topsis_rows(filled.to_numpy(), w23.to_numpy())[xz]
    skipped = _topsis_rows(n23.to_numpy(), w23.to_numpy())[xz]
    half = filled.copy()
    half.loc[540000, "energy_intensity_change_pct"] = 0.5
    q2_half = _topsis_rows(half.to_numpy(), w23.to_numpy())[xz]
    q2_reweighted = _topsis_rows(filled.to_numpy(), _entropy(filled).to_numpy())[xz]
    q2_inside = _topsis_rows(filled.to_numpy(), w23.to_numpy(), inside=True)[xz]
    # q3: share of 1,000 uniform Dirichlet draws (seed 0) with Shaanxi in the top five
    sx = list(n23.index).index(610000)
    x = n23.to_numpy()

    def top5_share(draws, cutoff=5):
        hits = 0
        for wd in draws:
            c = _topsis_rows(x, wd)
            hits += int(1 + (c > c[sx]).sum() <= cutoff)
        return 100 * hits / len(draws)

    rng = np.random.default_rng(0)
    uniform = rng.dirichlet(np.ones(x.shape[1]), size=1000)
    q3 = top5_share(uniform)
    q3_strict = top5_share(uniform, cutoff=4)
    q3_moderate = top5_share(np.random.default_rng(0).dirichlet(50 * w23.to_numpy(), size=1000))
    return [
        Answer("q1", w18["rd_intensity_pct"], 4,
               not_yet=(w18_first["rd_intensity_pct"], w23["rd_intensity_pct"], 0.1)),
        Answer("q2", q2, 4, not_yet=(skipped, q2_half, q2_reweighted, q2_inside)),
        Answer("q3", q3, 1, not_yet=(q3_strict, q3_moderate), refused=(q3 / 100,), percent=True),
    ]


ANSWERS = {
    "00_start_here": lesson_00,
    "11_high_quality_development": lesson_11,
    "12_modernization_regional_balance": lesson_12,
    "13_international_competition": lesson_13,
    "14_modern_industrial_system": lesson_14,
    "15_new_development_philosophy": lesson_15,
    "21_seeking_truth_from_facts": lesson_21,
    "22_national_conditions": lesson_22,
    "23_coordinating_the_whole": lesson_23,
    "24_avoiding_overcapacity": lesson_24,
    "31_science_and_technology_resources": lesson_31,
    "32_data_as_a_factor": lesson_32,
    "33_deepening_reform": lesson_33,
    "34_finance": lesson_34,
    "35_talent": lesson_35,
    "40_capstone_nqpf_index": lesson_40,
}
