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


#: guide name -> function returning its placeholder values
VALUES = {
    "15_new_development_philosophy": lesson_15,
}
