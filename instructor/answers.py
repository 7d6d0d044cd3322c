"""The numbers behind the instructor guide's model answers, computed from the course's data.

A guide source writes ``{{ name }}`` (or ``{{ name:.2f }}``) where a number belongs; the generator
(:mod:`instructor.guide`) fills it from the dict that the guide's function here returns. So a
number is never typed twice: when the data or a lesson change, the guide changes with them.

The functions use the course's own functions (the same ones the lessons use), because a model
answer talks about what the students saw in the lesson. The check questions' answers are *not*
here: they come from ``tests/lesson_answers.py``, which recomputes them by hand.

Register a function in :data:`VALUES` under the guide's name (the notebook stem, or ``ps1``).
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

NATIONAL = 100000


def _ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ------------------------------------------------------------------------------------------ 15
@lru_cache(maxsize=1)
def lesson_15() -> dict:
    from course import dashboard as dash

    dims = ["innovation", "coordination", "green", "sharing"]
    raw = dash.indicator_table(2023)
    table = dash.score_table(raw)
    ranks = dash.dimension_ranks(table[dims]).join(table["province_en"]).set_index("province_en")
    n_green = int(table["green"].notna().sum())
    v: dict = {"n_green": n_green, "n_prov": len(table)}
    for prov, key in (("Zhejiang", "zj"), ("Qinghai", "qh"), ("Beijing", "bj")):
        for d in dims:
            v[f"{key}_{d}_rank"] = _ordinal(ranks.loc[prov, d])
        v[f"{key}_overall_rank"] = _ordinal(table.set_index("province_en").loc[prov, "rank"])

    # prompt 2: how much the ranking depends on the weights and the normalisation
    heavy = dash.score_table(raw, {"innovation": 3, "coordination": 1, "green": 1, "sharing": 1})
    by_rank = dash.score_table(raw, method="rank")
    for key, other in (("heavy", heavy), ("rankn", by_rank)):
        moves = dash.rank_shifts(table["overall"], other["overall"], table["province_en"])
        top = moves.iloc[0]
        v[f"{key}_rho"] = dash.spearman(table["overall"], other["overall"]).rho
        v[f"{key}_moved"] = int((moves["shift"] != 0).sum())
        v[f"{key}_top_name"] = top["province_en"]
        v[f"{key}_top_from"] = int(top["rank_a"])
        v[f"{key}_top_to"] = int(top["rank_b"])
    # each province choosing its own best weights: how many could reach first place at some corner
    corners = [{d: (1.0 if d == best else 0.0) for d in dims} for best in dims]
    winners = {dash.score_table(raw, w).sort_values("rank").iloc[0]["province_en"] for w in corners}
    v["corner_winners"] = ", ".join(sorted(winners))
    v["n_corner_winners"] = len(winners)
    agree = dash.agreement_test(table[dims], permutations=5000, seed=0)
    v["kendall_w"], v["kendall_p"] = agree.w, agree.p_value

    # prompt 3: household income relative to GDP per capita
    gdp_pc = dash.gdp_per_capita(2023)
    ratio = raw["income_to_gdp_pc"]
    v["ratio_vs_gdp_rho"] = dash.spearman(ratio, gdp_pc).rho
    top3 = ratio.sort_values(ascending=False).index[:3]
    gdp_rank = gdp_pc.rank(ascending=False, method="min")
    v["ratio_top3"] = ", ".join(f"{raw.loc[c, 'province_en']} ({ratio[c]:.2f}; GDP per capita "
                                f"{_ordinal(gdp_rank[c])} of {len(gdp_pc)})" for c in top3)
    lo = ratio.sort_values().index[:2]
    v["ratio_bottom2"] = ", ".join(f"{raw.loc[c, 'province_en']} ({ratio[c]:.2f})" for c in lo)

    # prompt 4: innovation ranks of the coastal provinces
    coastal = ["Guangdong", "Shanghai", "Jiangsu", "Zhejiang", "Fujian", "Shandong", "Tianjin", "Hainan", "Guangxi"]
    v["coastal_innovation"] = ", ".join(f"{p} {_ordinal(ranks.loc[p, 'innovation'])}" for p in coastal)

    # misconceptions
    xz = table.loc[540000]
    v["xz_overall"] = xz["overall"]
    v["xz_zero"] = table[dims].fillna(0).mean(axis=1).loc[540000]
    v["xz_rank"] = int(xz["rank"])
    plain = dash.spearman(table["innovation"], table["sharing"])
    part = dash.partial_spearman(table["innovation"], table["sharing"], gdp_pc)
    v["inn_sha_rho"], v["inn_sha_partial"] = plain.rho, part.rho
    v["sha_gdp_rho"] = dash.spearman(table["sharing"], gdp_pc).rho
    inc = __import__("course").load("province_income_consumption")
    level = inc[(inc["year"] == 2023) & (inc["province_code"] != NATIONAL)].set_index("province_code")[
        "disposable_income_per_capita_all_residents_yuan"]
    v["inn_income_level_rho"] = dash.spearman(table["innovation"], level).rho
    bj_pat = raw.loc[110000, "invention_patents_per_10k"] / raw["invention_patents_per_10k"].drop(110000).max()
    v["bj_patent_multiple"] = bj_pat

    # check question 2: places climbed by each option when green gets weight 0 (for the explanations)
    no_green = dash.score_table(raw, {"innovation": 1, "coordination": 1, "green": 0, "sharing": 1})
    climb = (table["rank"] - no_green["rank"]).astype(int)
    by_name = pd.Series(climb.to_numpy(), index=table["province_en"])
    for prov in ["Inner Mongolia", "Liaoning", "Anhui", "Guangxi"]:
        v["climb_" + prov.replace(" ", "_").lower()] = int(by_name[prov])
        v["green_rank_" + prov.replace(" ", "_").lower()] = _ordinal(ranks.loc[prov, "green"])
    # check question 3: the province ranked 30th
    ordered = table.sort_values("overall", ascending=False)
    v["rank30_name"] = ordered.drop(540000).iloc[-1]["province_en"]
    return v


def _prov(table: str) -> pd.DataFrame:
    import course

    t = course.load(table)
    return t[t["province_code"] != NATIONAL]


def _lg(a: float, b: float, years: int) -> float:
    """Average log growth, per cent a year."""
    return 100 * math.log(b / a) / years


# ------------------------------------------------------------------------------------------ 00
@lru_cache(maxsize=1)
def lesson_00() -> dict:
    from course import tour

    t = tour.profile_table()
    v: dict = {}
    # prompt 1: two provinces with close GDP per capita but far apart on R&D intensity
    best = None
    for a in t.index:
        for b in t.index:
            ga, gb = t.at[a, "gdp_per_capita_yuan"], t.at[b, "gdp_per_capita_yuan"]
            if a < b and abs(ga / gb - 1) <= 0.05:
                ratio = max(t.at[a, "rd_intensity_pct"], t.at[b, "rd_intensity_pct"]) / min(
                    t.at[a, "rd_intensity_pct"], t.at[b, "rd_intensity_pct"])
                if best is None or ratio > best[0]:
                    best = (ratio, a, b)
    _, a, b = best
    for key, code in (("pa", a), ("pb", b)):
        v[key] = t.at[code, "province_en"]
        v[key + "_gdp"] = f"{t.at[code, 'gdp_per_capita_yuan']:,.0f}"
        v[key + "_rd"] = t.at[code, "rd_intensity_pct"]
        v[key + "_tert"] = t.at[code, "tertiary_share_pct"]
    v["pair_rd_ratio"] = best[0]
    # prompt 3: size against intensity
    v["pop_gdp_pc_rho"] = t["population_10k"].rank().corr(t["gdp_per_capita_yuan"].rank())
    v["rd_gdp_pc_rho"] = t["rd_intensity_pct"].rank().corr(t["gdp_per_capita_yuan"].rank())
    v["n_indicators"] = len(tour.INDICATORS)
    # misconception: share of provinces vs share of people in the West
    region = t["nbs_region_en"]
    v["west_provinces"] = int((region == "West").sum())
    return v


# ------------------------------------------------------------------------------------------ 11
@lru_cache(maxsize=1)
def lesson_11() -> dict:
    import course
    from course import growth

    china = course.load("pwt_china")
    v: dict = {}
    full = growth.growth_accounting(china, 1978, 2019)
    tab = full.table
    v["g_y_full"] = full.output_growth
    v["tfp_share_full"] = float(tab["share"].iloc[-1])
    v["cap_share_full"] = float(tab["share"].iloc[0])
    for a in (0.3, 0.5):
        r = growth.growth_accounting(china, 2012, 2019, alpha=a)
        v[f"tfp_recent_a{int(a * 10)}"] = float(r.table["contribution"].iloc[-1])
    recent = growth.growth_accounting(china, 2012, 2019)
    v["tfp_recent_pwt"] = float(recent.table["contribution"].iloc[-1])
    v["cap_contrib_recent"] = float(recent.table["contribution"].iloc[0])
    v["g_y_recent"] = recent.output_growth
    official = growth.official_output_growth(course.load("province_gdp_index"), course.load("province_gdp"))
    g_off = float(official.loc[2013:2019].mean())           # log growth, per cent a year, 2012-2019
    v["g_y_official"] = g_off
    v["tfp_recent_official"] = g_off - (recent.output_growth - v["tfp_recent_pwt"])
    early = growth.growth_accounting(china, 2002, 2011)
    v["tfp_early_pwt"] = float(early.table["contribution"].iloc[-1])
    return v


# ------------------------------------------------------------------------------------------ 12
@lru_cache(maxsize=1)
def lesson_12() -> dict:
    import course
    from course import measures

    gdp, pop = _prov("province_gdp"), _prov("province_population")
    gdp = gdp[gdp["vintage"] == "post_5th_census_revision"]
    m = gdp.merge(pop[["province_code", "year", "resident_population_10k"]], on=["province_code", "year"])
    m["pc"] = m["gdp_100m_yuan"] / m["resident_population_10k"]
    v: dict = {}
    for year in (2010, 2014, 2024):
        y = m[m["year"] == year]
        dec = measures.theil_decomposition(y["pc"], y["nbs_region_en"], weights=y["resident_population_10k"])
        v[f"between_share_{year}"] = 100 * dec.between / dec.total
        v[f"within_{year}"] = dec.within
        v[f"cv_{year}"] = y["pc"].std(ddof=0) / y["pc"].mean()
        tot = y["gdp_100m_yuan"].sum() / y["resident_population_10k"].sum()
        rel = y.groupby("nbs_region_en").apply(
            lambda g: g["gdp_100m_yuan"].sum() / g["resident_population_10k"].sum() / tot, include_groups=False)
        for reg in ("East", "Central", "West", "Northeast"):
            v[f"rel_{reg.lower()}_{year}"] = float(rel[reg])
    en = _prov("province_energy_intensity_change_2020").set_index("province_en")["energy_intensity_change_pct"]
    v["en_imongolia"], v["en_zhejiang"] = float(en["Inner Mongolia"]), float(en["Zhejiang"])
    v["en_rose"] = int((en > 0).sum())
    v["en_n"] = int(en.notna().sum())
    inc = _prov("province_income_consumption")
    r = {y: inc[inc["year"] == y].set_index("province_en") for y in (2013, 2019)}
    ratio = {y: r[y]["disposable_income_per_capita_urban_yuan"] / r[y]["disposable_income_per_capita_rural_yuan"]
             for y in r}
    change = ratio[2019] - ratio[2013]
    v["urb_rho"] = ratio[2013].rank().corr(change.rank())
    v["urb_fell"] = int((change < 0).sum())
    v["urb_max_2019_name"] = ratio[2019].idxmax()
    v["urb_max_2019"] = float(ratio[2019].max())
    v["urb_min_2019_name"] = ratio[2019].idxmin()
    v["urb_min_2019"] = float(ratio[2019].min())
    return v


# ------------------------------------------------------------------------------------------ 13
@lru_cache(maxsize=1)
def lesson_13() -> dict:
    import course

    rd = course.load("rd_intensity_countries").pivot(index="year", columns="entity", values="rd_expenditure_pct_gdp")
    oecd = course.load("rd_intensity_oecd_2019")
    oecd_avg = float(oecd.loc[oecd["entity"].str.contains("OECD"), "gerd_pct_gdp"].iloc[0])
    prof = _prov("province_profile_2023").set_index("province_en")["rd_intensity_pct"]
    v: dict = {"oecd_avg": oecd_avg, "n_above_oecd": int((prof > oecd_avg).sum()),
               "prov_rd_min": float(prof.min()), "prov_rd_min_name": prof.idxmin(),
               "prov_rd_max": float(prof.max()), "prov_rd_max_name": prof.idxmax(),
               "prov_rd_median": float(prof.median())}

    def years_to(peer, start, end=2021):
        gc = (rd.at[end, "China"] / rd.at[start, "China"]) ** (1 / (end - start)) - 1
        gp = (rd.at[end, peer] / rd.at[start, peer]) ** (1 / (end - start)) - 1
        if gc <= gp:
            return float("inf"), gc, gp
        return math.log(rd.at[end, peer] / rd.at[end, "China"]) / math.log((1 + gc) / (1 + gp)), gc, gp

    for start in (2011, 2016):
        t, gc, gp = years_to("United States", start)
        v[f"us_years_{start}"] = "never (China grows no faster)" if math.isinf(t) else f"{t:.0f} years"
        v[f"g_china_{start}"] = 100 * gc
        v[f"g_us_{start}"] = 100 * gp
    peers = course.load("pwt_peers")
    ctfp = peers.pivot(index="year", columns="countrycode", values="ctfp_usa_eq1")
    v["ctfp_2012"], v["ctfp_2019"] = float(ctfp.at[2012, "CHN"]), float(ctfp.at[2019, "CHN"])
    v["rd_cn_2012"], v["rd_cn_2019"] = float(rd.at[2012, "China"]), float(rd.at[2019, "China"])
    return v


# ------------------------------------------------------------------------------------------ 14
@lru_cache(maxsize=1)
def lesson_14() -> dict:
    import course
    from course import structure

    emp = course.load("province_employment_by_sector_2024")
    lq = structure.location_quotients(emp)
    v: dict = {}
    names = emp.drop_duplicates("sector_code_gbt4754").set_index("sector_code_gbt4754")["sector_en"]
    for code, key in ((140000, "sx"), (110000, "bj")):             # Shanxi, Beijing
        row = lq.loc[code]
        v[f"{key}_top_lq"] = float(row.max())
        v[f"{key}_top_sector"] = str(names.get(row.idxmax(), row.idxmax()))
    va = _prov("province_value_added")
    post = va[va["vintage"] == "post_5th_census_revision"].copy()
    post["tert"] = 100 * post["va_tertiary_100m_yuan"] / post["gdp_100m_yuan"]
    piv = post.pivot(index="province_en", columns="year", values="tert")
    fell = piv[2024] < piv[2019]
    v["tert_fell_n"] = int(fell.sum())
    region = post.drop_duplicates("province_en").set_index("province_en")["nbs_region_en"]
    v["tert_fell_west"] = int((fell & (region.reindex(piv.index) == "West")).sum())
    ht = _prov("province_hightech")
    h23 = ht[ht["year"] == 2023].set_index("province_en")["hightech_revenue_100m_yuan"]
    g23 = post[post["year"] == 2023].set_index("province_en")["gdp_100m_yuan"]
    v["gd_js_ht_share"] = 100 * h23[["Guangdong", "Jiangsu"]].sum() / h23.sum()
    v["gd_js_gdp_share"] = 100 * g23[["Guangdong", "Jiangsu"]].sum() / g23.sum()
    return v


# ------------------------------------------------------------------------------------------ 35
@lru_cache(maxsize=1)
def lesson_35() -> dict:
    from course import talent

    he = _prov("province_higher_education").query("year == 2019").set_index("province_en")
    per = _prov("province_rd_personnel")
    p19 = per.query("year == 2019").set_index("province_en")
    grad = he["graduates_10k"] / he["graduates_10k"].sum()
    staff = p19["rd_personnel_fte_manyears"] / p19["rd_personnel_fte_manyears"].sum()
    v: dict = {}
    for prov, key in (("Shaanxi", "sn"), ("Beijing", "bj"), ("Shanghai", "sh")):
        v[f"{key}_grad_share"] = 100 * grad[prov]
        v[f"{key}_staff_share"] = 100 * staff[prov]
    inputs = talent.choice_inputs(2023)
    r = talent.policy_experiment(inputs, "Shaanxi", bonus_pct=20.0)
    t = r.table
    v["sn_base"] = 100 * t.at["Shaanxi", "base_share"]
    v["sn_policy"] = 100 * t.at["Shaanxi", "policy_share"]
    v["sn_anyway"] = 100 * t.at["Shaanxi", "base_share"] / t.at["Shaanxi", "policy_share"]
    p23 = per.query("year == 2023").set_index("province_en")
    basic = 100 * p23["basic_research_fte_manyears"] / p23["rd_personnel_fte_manyears"]
    v["basic_min_name"] = basic.idxmin()
    v["basic_min"] = float(basic.min())
    for prov, key in (("Zhejiang", "zj"), ("Jilin", "jl"), ("Heilongjiang", "hl")):
        v[f"basic_{key}"] = float(basic[prov])
    v["basic_median"] = float(basic.median())
    return v


# ------------------------------------------------------------------------------------------ 21
@lru_cache(maxsize=1)
def lesson_21() -> dict:
    import numpy as np

    first = _prov("province_rd_first_published").set_index(["province_en", "year"])["rd_intensity_pct"]
    restated = _prov("province_rd_intensity_restated").set_index(["province_en", "year"])["rd_intensity_pct"]
    v: dict = {"tj16_first": float(first[("Tianjin", 2016)]), "tj16_restated": float(restated[("Tianjin", 2016)])}
    years = list(range(2018, 2024))
    for prov, key in (("Anhui", "ah"), ("Xinjiang", "xj")):
        x = np.array([restated[(prov, y)] for y in years], float)
        g = float(np.exp(np.polyfit(years, np.log(x), 1)[0]) - 1)        # log-linear trend
        v[f"{key}_2023"] = float(x[-1])
        v[f"{key}_trend"] = 100 * g
        need = (3.0 / x[-1]) ** (1 / 7) - 1                                # to 3 % by 2030
        v[f"{key}_need"] = 100 * need
    return v


# ------------------------------------------------------------------------------------------ 22
@lru_cache(maxsize=1)
def lesson_22() -> dict:
    inc = _prov("province_income_consumption")
    a = inc[inc["year"] == 2013].set_index("province_en")
    b = inc[inc["year"] == 2019].set_index("province_en")
    u, r = "consumption_expenditure_per_capita_urban_yuan", "consumption_expenditure_per_capita_rural_yuan"
    ratio_fell = int(((b[u] / b[r]) < (a[u] / a[r])).sum())
    gap_wider = int(((b[u] - b[r]) > (a[u] - a[r])).sum())
    med_gap_a, med_gap_b = float((a[u] - a[r]).median()), float((b[u] - b[r]).median())
    return {"ratio_fell": ratio_fell, "gap_wider": gap_wider, "gap_2013": f"{med_gap_a:,.0f}",
            "gap_2019": f"{med_gap_b:,.0f}", "ratio_2013": float((a[u] / a[r]).median()),
            "ratio_2019": float((b[u] / b[r]).median())}


# ------------------------------------------------------------------------------------------ 23
@lru_cache(maxsize=1)
def lesson_23() -> dict:
    sc = _prov("province_output_steel_cement").query("year == 2020").set_index("province_en")
    gdp = _prov("province_gdp").query("year == 2020 and vintage == 'post_5th_census_revision'").set_index("province_en")
    steel = sc["crude_steel_10k_tonnes"].dropna()
    grp_share = gdp["gdp_100m_yuan"] / gdp["gdp_100m_yuan"].sum()
    lq = (steel / steel.sum()) / grp_share.reindex(steel.index)
    en = _prov("province_energy_intensity_change_2020").set_index("province_en")
    v = {"hb_steel_share": 100 * float(steel["Hebei"] / steel.sum()), "hb_steel_lq": float(lq["Hebei"]),
         "gd_steel_lq": float(lq["Guangdong"])}
    for prov, key in (("Beijing", "bj"), ("Hebei", "hb")):
        v[f"{key}_energy"] = float(en.loc[prov, "energy_consumption_growth_pct"])
        v[f"{key}_intensity"] = float(en.loc[prov, "energy_intensity_change_pct"])
    return v


# ------------------------------------------------------------------------------------------ 24
@lru_cache(maxsize=1)
def lesson_24() -> dict:
    import course

    cu = course.load("capacity_utilization")
    year = cu[cu["period_type"] == "year"].set_index(["industry_en", "period"])["capacity_utilization_pct"]
    nm = "Non-metallic mineral products (incl. cement, glass)"
    el = "Electrical machinery and equipment (incl. batteries, PV equipment)"
    v = {"nm_2024": float(year[(nm, "2024")]), "nm_2021": float(year[(nm, "2021")]),
         "el_2024": float(year[(el, "2024")]), "el_2021": float(year[(el, "2021")]),
         "all_2024": float(year[("Industry (all)", "2024")])}
    sc = _prov("province_output_steel_cement").query("year == 2020")
    v["cement_makers"] = int((sc["cement_10k_tonnes"] > 0).sum())
    return v


# ------------------------------------------------------------------------------------------ 31
@lru_cache(maxsize=1)
def lesson_31() -> dict:
    f = _prov("province_rd_funding_2023").set_index("province_en")
    basic = 100 * f["basic_research_10k_yuan"] / f["rd_intramural_10k_yuan"]
    ent = 100 * f["enterprise_funds_10k_yuan"] / f["rd_intramural_10k_yuan"]
    v: dict = {"basic_median": float(basic.median())}
    for prov in ("Beijing", "Shanghai", "Shandong", "Fujian", "Henan", "Jiangsu", "Guangdong"):
        v[f"basic_{prov.lower()}"] = float(basic[prov])
        v[f"ent_{prov.lower()}"] = float(ent[prov])
    tm = _prov("province_tech_market").query("year == 2023").set_index("province_en")["tech_market_turnover_100m_yuan"]
    rd = _prov("province_rd_first_published").query("year == 2023").set_index("province_en")["rd_expenditure_100m_yuan"]
    for prov in ("Jiangsu", "Guangdong", "Beijing"):
        v[f"tm_rd_{prov.lower()}"] = float(tm[prov] / rd[prov])
    return v


# ------------------------------------------------------------------------------------------ 32
@lru_cache(maxsize=1)
def lesson_32() -> dict:
    import numpy as np

    def rmse(p, n=10, sigma=1.0, tau=0.03):
        return float(np.sqrt(sigma ** 2 / (p * n) + (tau * (p - 1) / 2) ** 2))

    v = {f"rmse_{p}": rmse(p) for p in (1, 4, 6, 8)}
    v.update({f"rmse_big_tau_{p}": rmse(p, tau=0.1) for p in (1, 2, 3, 8)})
    net = _prov("province_internet").query("year == 2019").set_index("province_en")
    pop = _prov("province_population").query("year == 2019").set_index("province_en")["resident_population_10k"]
    for col, key in (("broadband_users_10k_accounts", "bb"), ("web_pages_10k_units", "wp")):
        x = (net[col] / pop).dropna().sort_values().to_numpy()
        n = len(x)
        gini = float((2 * np.arange(1, n + 1) - n - 1).dot(x) / (n * x.sum()))
        v[f"gini_{key}"] = gini
    return v


# ------------------------------------------------------------------------------------------ 33
@lru_cache(maxsize=1)
def lesson_33() -> dict:
    f = _prov("province_fiscal")
    tot = f.groupby("year")[["local_fiscal_sci_tech_expenditure_100m_yuan", "local_general_budget_expenditure_100m_yuan"]].sum()
    share = 100 * tot.iloc[:, 0] / tot.iloc[:, 1]
    from course import spillover as sp

    r = sp.model(spillover=0.75, subsidy=0.0)          # the model of section 5.3: the region keeps a quarter
    v = {"st_share_2011": float(share[2011]), "st_share_2023": float(share[2023]),
         "x_optimum": float(r.x_social), "x_keep_quarter": float(r.x_private),
         "subsidy_needed": 100 * float(r.pigouvian)}
    west = f[f["nbs_region_en"] == "West"]
    wt = west.groupby("year")[["local_fiscal_sci_tech_expenditure_100m_yuan", "local_general_budget_expenditure_100m_yuan"]].sum()
    v["west_share_2023"] = float(100 * wt.iloc[:, 0][2023] / wt.iloc[:, 1][2023])
    return v


# ------------------------------------------------------------------------------------------ 34
@lru_cache(maxsize=1)
def lesson_34() -> dict:
    d = _prov("province_digital_finance_pku")
    m = d.groupby(["year", "nbs_region_en"])[["dfii_total", "dfii_coverage_breadth", "dfii_usage_depth"]].mean()
    v = {}
    for y in (2011, 2023):
        v[f"west_east_{y}"] = 100 * float(m.loc[(y, "West"), "dfii_total"] / m.loc[(y, "East"), "dfii_total"])
        v[f"gap_points_{y}"] = float(m.loc[(y, "East"), "dfii_total"] - m.loc[(y, "West"), "dfii_total"])
    v["west_east_depth_2023"] = 100 * float(m.loc[(2023, "West"), "dfii_usage_depth"] / m.loc[(2023, "East"), "dfii_usage_depth"])
    return v


# ------------------------------------------------------------------------------------------ 40
@lru_cache(maxsize=1)
def lesson_40() -> dict:
    import numpy as np

    from course import dashboard as dash
    from course import nqpf_index as ni

    base = ni.build_index(n_draws=0)
    names, w, raw = base.names, base.weights, base.raw
    v: dict = {"w_patents": float(w["invention_patents_per_10k"]), "w_students": float(w["students_per_10k"]),
               "w_energy": float(w["energy_intensity_change_pct"]), "w_rd": float(w["rd_intensity_pct"]),
               "n_ind": len(w)}
    v["patent_student_ratio"] = v["w_patents"] / v["w_students"]
    pat = raw["invention_patents_per_10k"]
    v["pat_top3_share"] = 100 * float(pat.nlargest(3).sum() / pat.sum())
    v["pat_top3"] = ", ".join(names[c] for c in pat.nlargest(3).index)
    v["pat_bj_multiple"] = float(pat.max() / pat.drop(pat.idxmax()).max())

    def moves(other, label):
        shift = (other.rank.astype(float) - base.rank.astype(float))
        v[f"{label}_moved"] = int((shift != 0).sum())
        v[f"{label}_rho"] = dash.spearman(base.closeness, other.closeness, permutations=1).rho
        return shift

    # prompt 1: equal weights per dimension, and the university-rich, patent-poor provinces
    eqd = ni.build_index(weighting="equal_dimensions", n_draws=0)
    shift = moves(eqd, "eqd")
    v["eqd_w_students"] = float(eqd.weights["students_per_10k"])
    v["eqd_w_patents"] = float(eqd.weights["invention_patents_per_10k"])
    gap = (pat.rank(ascending=False) - raw["students_per_10k"].rank(ascending=False))
    uni = list(shift[gap >= 7].sort_values().index[:3])      # students' rank 7+ places above patents'
    v["n_uni"] = int((gap >= 7).sum())
    v["eqd_gainers"] = ", ".join(f"{names[c]} ({_ordinal(raw['students_per_10k'].rank(ascending=False)[c])} on "
                                 f"students, {_ordinal(pat.rank(ascending=False)[c])} on patents: "
                                 f"{int(base.rank[c])} to {int(eqd.rank[c])})" for c in uni)
    down = shift.sort_values(ascending=False)
    v["eqd_loser"] = f"{names[down.index[0]]} ({int(base.rank[down.index[0]])} to {int(eqd.rank[down.index[0]])})"
    eq = ni.build_index(weighting="equal", n_draws=0)
    moves(eq, "eq")

    # prompt 2: one ladder on the three elements, profiles on the five themes
    gdp_pc = dash.gdp_per_capita(2023)
    v["rho_gdp"] = dash.spearman(base.closeness, gdp_pc, permutations=1).rho
    th = ni.build_index(frame="themes", n_draws=0)
    v["w_elements"] = dash.agreement_test(base.dims, permutations=1, seed=0).w
    v["w_themes"] = dash.agreement_test(th.dims.dropna(), permutations=1, seed=0).w
    sx = ni.province_profile(base, "Shaanxi")
    sxt = ni.province_profile(th, "Shaanxi")
    v["sx_rank"] = sx.rank
    v["sx_n_peers"] = len(sx.peers)
    for dim, key in (("objects of labour", "obj"), ("workers", "wrk"), ("means of labour", "means")):
        v[f"sx_{key}"] = float(sx.dims.at[dim, "score"])
        v[f"sx_{key}_peers"] = float(sx.dims.at[dim, "peer median"])
    v["sx_theme_best"], v["sx_theme_worst"] = sxt.strongest, sxt.weakest
    v["sx_innov"] = float(sxt.dims.at["innovation", "score"])
    v["sx_innov_peers"] = float(sxt.dims.at["innovation", "peer median"])
    v["sx_digital"] = float(sxt.dims.at["digital", "score"])
    v["sx_digital_peers"] = float(sxt.dims.at["digital", "peer median"])

    # prompt 3: comparative advantages outside manufacturing, ICT and research services
    lq_emp, lq_va = ni.location_quotients("employment"), ni.location_quotients("value_added")
    code = {n: c for c, n in names.items()}
    for prov, key, basis, sector in (("Heilongjiang", "hlj_agri", lq_va, "Agriculture"),
                                     ("Shanxi", "sx_mining", lq_emp, "Mining"),
                                     ("Hainan", "hn_hotels", lq_va, "Hotels & catering"),
                                     ("Yunnan", "yn_hotels", lq_va, "Hotels & catering"),
                                     ("Inner Mongolia", "nm_util", lq_emp, "Utilities")):
        v[key] = float(basis.at[code[prov], sector])
        v[key + "_rank"] = int(base.rank[code[prov]])
    spec = lq_emp >= 1.25
    v["n_new_spec"] = int(spec[["Manufacturing", "ICT & software", "Research & tech services"]].any(axis=1).sum())

    # prompt 4: seller-side technology market and where students study
    tm = raw["tech_market_pct_grp"]
    v["tm_bj"], v["tm_sx"] = float(tm[110000]), float(tm[610000])
    v["tm_median"] = float(tm.median())
    st = raw["students_per_10k"].sort_values(ascending=False)
    v["st_top3"] = ", ".join(f"{names[c]} {st[c]:.0f}" for c in st.index[:3])
    keys = list(ni.DEFAULT_INDICATORS)
    for drop, label in (("tech_market_pct_grp", "notm"), ("students_per_10k", "nost")):
        other = ni.build_index([k for k in keys if k != drop], n_draws=0)
        s = (other.rank.astype(float) - base.rank.astype(float)).sort_values()
        v[f"{label}_max"] = int(s.abs().max())
        v[f"{label}_up"] = "; ".join(f"{names[c]} {int(base.rank[c])} to {int(other.rank[c])}" for c in s.index[:2])
        v[f"{label}_down"] = "; ".join(f"{names[c]} {int(base.rank[c])} to {int(other.rank[c])}"
                                       for c in s.index[::-1][:3])
        if label == "notm":
            v["notm_sx"] = int(other.rank[610000])

    # misconceptions: rank bands, additivity, missing values, what the index follows
    res = ni.build_index()
    b = res.bands
    v["n_firm"] = int((b["width"] <= 2).sum())
    v["n_wide"] = int((b["width"] >= 5).sum())
    v["sx_band"] = f"{int(b.at[610000, 'low'])}-{int(b.at[610000, 'high'])}"
    v["ah_rank"], v["ah_band"] = int(b.at[340000, "rank"]), f"{int(b.at[340000, 'low'])}-{int(b.at[340000, 'high'])}"
    dec = base.decomposition
    v["mean_gap_obj"] = 100 * float(dec.gap_share["objects of labour"].mean())
    v["w_obj"] = 100 * float(w.groupby([ni.CATALOGUE[k].element for k in w.index]).sum()["objects of labour"])
    v["sx_gap_obj"] = 100 * float(dec.gap_share.at[610000, "objects of labour"])
    xz = 540000
    v["xz_score"], v["xz_rank"] = float(base.closeness[xz]), int(base.rank[xz])
    for fill, key in ((0.0, "xz_zero"), (1.0, "xz_one")):
        n = base.norm.copy()
        n.loc[xz, "energy_intensity_change_pct"] = fill
        c = ni.closeness(n, w)
        v[f"{key}_rank"] = int(ni.ranks(c)[xz])
    v["bj_score"], v["sh_score"] = float(base.closeness.max()), float(base.closeness.nlargest(2).iloc[1])
    # check question 1: the 2018 index
    r18 = ni.build_index(year=2018, n_draws=0)
    r18f = ni.build_index(year=2018, rd_series="first_published", n_draws=0)
    v["tj18_first"] = float(r18f.raw.at[120000, "rd_intensity_pct"])
    v["tj18_restated"] = float(r18.raw.at[120000, "rd_intensity_pct"])
    v["n_ind_equal"] = float(np.round(1 / len(w), 2))
    return v


#: guide name -> function returning its placeholder values
VALUES = {
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


# ------------------------------------------------------------------------------------------ capstone
@lru_cache(maxsize=1)
def capstone() -> dict:
    """The worked example answer of the graded capstone: Henan, index B, 2023 (a variant students can draw)."""
    import sys
    from pathlib import Path

    from course import nqpf_index as ni

    exercises = str(Path(__file__).resolve().parent.parent / "exercises")
    if exercises not in sys.path:
        sys.path.insert(0, exercises)
    from problemsets import capstone as cap

    p = {"index": "B", "year": 2023, "province": "Henan"}
    assert p in cap.variants()
    v0 = {"n_variants": len(cap.variants())}
    parts = cap.index_parts("B", 2023)
    raw, norm, w = cap.raw_table("B", 2023), parts["norm"], parts["w"]
    prof = ni.province_profile(ni.build_index(), "Henan")      # lesson 40's default index, 1,000 draws
    ind, emp = prof.indicators, prof.employment_lq
    pat = ind.loc[ni.CATALOGUE["invention_patents_per_10k"].label]
    rdp = ind.loc[ni.CATALOGUE["rd_personnel_per_10k"].label]
    stu = ind.loc[ni.CATALOGUE["students_per_10k"].label]
    phones = prof.product_lq["Mobile phones (2021)"]
    v = {
        **v0, "we_closeness": cap.ref_closeness(**p), "we_rank": int(cap.ref_rank(**p)),
        "we_rank_equal": int(parts["rank_equal"]["Henan"]), "we_equal": cap.ref_equal(**p),
        "we_gap_share": 100 * cap.ref_gap_share(**p), "we_w_max": 100 * float(w.max()),
        "we_w_max_label": ni.CATALOGUE[str(w.idxmax())].label.lower(),
        "we_tm": float(raw.at["Henan", "tech_market_pct_grp"]), "we_tm_norm": float(norm.at["Henan", "tech_market_pct_grp"]),
        "we_energy": float(raw.at["Henan", cap.COST]), "we_energy_norm": float(norm.at["Henan", cap.COST]),
        "we_students": float(stu["value"]), "we_students_rank": int(stu["rank of 31"]),
        "we_rank31": prof.rank, "we_band_low": int(prof.band[0]), "we_band_high": int(prof.band[1]),
        "we_peers": len(prof.peers), "we_phones": float(phones),
        "we_pat": float(pat["value"]), "we_pat_rank": int(pat["rank of 31"]), "we_pat_peers": float(pat["peer median"]),
        "we_rdp": float(rdp["value"]), "we_rdp_peers": float(rdp["peer median"]),
        "we_mining": float(emp["Mining"]), "we_manuf": float(emp["Manufacturing"]),
    }
    # the worked answer states these facts: keep them true to the data
    assert v["we_equal"] == "worse" and v["we_gap_share"] > 75 and phones > 1.5 and v["we_manuf"] < 1.1
    assert pat["below peers"] and rdp["below peers"] and not stu["below peers"] and v["we_energy"] > 0
    assert "Invention patents granted per 10k" in prof.gaps(3).index and str(w.idxmax()) == "tech_market_pct_grp"
    assert pd.isna(prof.product_lq["Integrated circuits (2021)"]) and v["we_mining"] > 1
    return v


VALUES["capstone"] = capstone
