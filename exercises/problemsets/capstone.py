"""The graded capstone, "A provincial NQPF index and one province's path" (lesson 40): grading specification.

Instructor-only. The student notebook is ``exercises/source/capstone/capstone.ipynb``. Every student
builds one entropy-weight TOPSIS index of new quality productive forces (新质生产力) for the 30 provinces
that have every indicator of it (Xizang has no energy figure), from five indicators of lesson 40's
catalogue in one year, and studies one province; the indicator subset, the year and the province are
one draw from the student's id, shared by all questions. The reference answers are computed here, in
the grader's process, with ``course.nqpf_index`` on ``course.load`` data.

Every variant is one in which each question's typical misconception (``MISCONCEPTIONS``) changes the
answer, so a student who makes the slip always loses the question's points (see ``_bites``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

import course
from course import nqpf_index as ni
from nqpf_grading.spec import Choice, Number, ProblemSet, Written, choose

# ---------------------------------------------------------------------------
# variant options (fixed lists: changing one changes every student's variant)
# ---------------------------------------------------------------------------

COST = "energy_intensity_change_pct"  # the catalogue's one cost indicator: in every subset
#: Five indicators each: the cost indicator and at least one indicator of each of the three elements
#: (workers, means of labour, objects of labour). The first one is a benefit indicator (question 1).
SUBSETS = {
    "A": ("rd_personnel_per_10k", "digital_finance_index", COST, "invention_patents_per_10k", "hightech_revenue_pct_grp"),
    "B": ("students_per_10k", "rd_intensity_pct", COST, "tech_market_pct_grp", "hightech_revenue_pct_grp"),
    "C": ("knowledge_jobs_pct", "broadband_per_100", COST, "invention_patents_per_10k", "tech_market_pct_grp"),
    "D": ("rd_personnel_per_10k", "sci_tech_budget_pct", COST, "hightech_revenue_pct_grp", "web_pages_per_resident"),
    "E": ("students_per_10k", "digital_finance_index", "sci_tech_budget_pct", COST, "invention_patents_per_10k"),
    "F": ("knowledge_jobs_pct", "rd_intensity_pct", COST, "web_pages_per_resident", "hightech_revenue_pct_grp"),
}
YEARS = (2019, 2020, 2021, 2022, 2023)
#: Xizang has no energy figure (it is not in the index); Shaanxi is lesson 40's worked example.
LEFT_OUT = ("Xizang (Tibet)", "Shaanxi")
#: Variants left out because one of their reference values, in a form the leak scan of the student
#: edition tries (tests/grading_helpers.py, number_forms), equals an unrelated number printed in a
#: lesson: E 2020 Liaoning's closeness as a percent (10.481) is a figure of lesson 24. The scan
#: (tests/test_grading.py) fails on any new coincidence; add the variant here.
AVOID = {("E", 2020, "Liaoning")}
# how far a misconception's answer must be from the reference for the variant to be used
MARGIN = {"q1_norm": 0.02, "q2_weight": 0.01, "q3_closeness": 0.01, "q6_gap_share": 0.01}
TOL = {"q1_norm": 2e-3, "q2_weight": 2e-3, "q3_closeness": 2e-3, "q6_gap_share": 2e-3}
BETTER, WORSE, SAME = "better", "worse", "unchanged"


def keys_of(index: str) -> list[str]:
    return list(SUBSETS[index])


@lru_cache(maxsize=None)
def province_names() -> pd.Series:
    return course.load("provinces").set_index("province_code")["province_en"].sort_index()


@lru_cache(maxsize=None)
def catalogue_table(year: int) -> pd.DataFrame:
    """Every catalogue indicator for ``year`` (``ni.indicator_table``: the index's data years and rules)."""
    return ni.indicator_table(list(ni.CATALOGUE), year)


@lru_cache(maxsize=None)
def raw_table(index: str, year: int) -> pd.DataFrame:
    """The index's raw indicators: the provinces with every value (30), index = English name."""
    raw = catalogue_table(year)[keys_of(index)].dropna()
    if len(raw) != 30:
        raise ValueError(f"index {index}, {year}: expected 30 provinces with every indicator, got {len(raw)}")
    return raw.rename(index=province_names())


@lru_cache(maxsize=None)
def index_parts(index: str, year: int) -> dict:
    """Normalised table, entropy weights, closeness and ranks (entropy and equal weights)."""
    keys = keys_of(index)
    raw = raw_table(index, year)
    norm = ni.normalise(raw, ni.directions(keys), "minmax")
    w = ni.weights(norm, "entropy")
    c = ni.closeness(norm, w)
    equal = ni.closeness(norm, ni.weights(norm, "equal"))
    return {"norm": norm, "w": w, "closeness": c, "rank": ni.ranks(c), "equal": equal,
            "rank_equal": ni.ranks(equal), "gap_share": ni.decompose(norm, w, "elements").gap_share}


# ---------------------------------------------------------------------------
# reference answers
# ---------------------------------------------------------------------------

def ref_norm(index: str, year: int, province: str) -> tuple[float, float]:
    """Min-max normalised values (1 = best) of the province on the cost indicator and on the first one."""
    norm = index_parts(index, year)["norm"]
    return float(norm.at[province, COST]), float(norm.at[province, keys_of(index)[0]])


def ref_weight(index: str, year: int, province: str) -> float:
    """The largest entropy weight of the index."""
    return float(index_parts(index, year)["w"].max())


def ref_closeness(index: str, year: int, province: str) -> float:
    return float(index_parts(index, year)["closeness"][province])


def ref_rank(index: str, year: int, province: str) -> float:
    return float(index_parts(index, year)["rank"][province])


def ref_equal(index: str, year: int, province: str) -> str:
    """Does the province's rank get better (a smaller number), worse or stay under equal weights?"""
    parts = index_parts(index, year)
    change = int(parts["rank_equal"][province]) - int(parts["rank"][province])
    return SAME if change == 0 else BETTER if change < 0 else WORSE


def ref_gap_share(index: str, year: int, province: str) -> float:
    """Share of the province's squared distance to the ideal that comes from the objects of labour."""
    return float(index_parts(index, year)["gap_share"].at[province, "objects of labour"])


# ---------------------------------------------------------------------------
# the misconceptions' answers, computed independently (for choosing variants where they bite)
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def answers_table(index: str, year: int) -> pd.DataFrame:
    """One row per province: each autograded question's reference and its misconception's answer."""
    keys = keys_of(index)
    parts = index_parts(index, year)
    raw, norm, w = raw_table(index, year), parts["norm"], parts["w"]
    e = raw[COST]
    z = norm + 1e-4
    p = z / z.sum()
    divergence = 1 + (p * np.log(p)).sum() / np.log(len(norm))
    v = norm * w
    d_plus = np.sqrt(((v - v.max()) ** 2).sum(axis=1))
    linear = w * (1 - norm)
    objects = [k for k in keys if ni.CATALOGUE[k].element == "objects of labour"]
    change = parts["rank_equal"].astype(int) - parts["rank"].astype(int)
    out = pd.DataFrame(index=norm.index)
    out["q1_norm"], out["q1_norm wrong"] = norm[COST], (e - e.min()) / (e.max() - e.min())   # direction forgotten
    out["q2_weight"], out["q2_weight wrong"] = float(w.max()), float(divergence.max())      # d_j not normalised
    out["q3_closeness"], out["q3_closeness wrong"] = parts["closeness"], parts["equal"]     # equal weights
    out["q4_rank"], out["q4_rank wrong"] = parts["rank"].astype(float), d_plus.rank(method="min")  # ranked by D+
    out["q5_change"] = change                                                                  # 0: read backwards bites not
    out["q6_gap_share"] = parts["gap_share"]["objects of labour"]
    out["q6_gap_share wrong"] = linear[objects].sum(axis=1) / linear.sum(axis=1)           # not squared
    return out


def _bites(row: pd.Series) -> bool:
    for q, margin in MARGIN.items():
        if abs(row[f"{q} wrong"] - row[q]) < margin:
            return False
    return row["q4_rank wrong"] != row["q4_rank"] and row["q5_change"] != 0


@lru_cache(maxsize=None)
def variants() -> tuple[dict, ...]:
    """Every (index, year, province) in which each misconception changes the answer."""
    out = []
    for index in SUBSETS:
        for year in YEARS:
            for province, row in answers_table(index, year).iterrows():
                if province not in LEFT_OUT and (index, year, province) not in AVOID and _bites(row):
                    out.append({"index": index, "year": year, "province": province})
    return tuple(out)


INDEX = choose("capstone/index", variants())  # one draw shared by every question: the same index and province

# ---------------------------------------------------------------------------
# the problem set
# ---------------------------------------------------------------------------

PROBLEM_SET = ProblemSet("capstone", [
    Number("q1_norm", 2, tolerance=TOL["q1_norm"], plausible=(0.0, 1.0), reference=ref_norm,
           names=["q1_energy", "q1_first"], variant=INDEX),
    Number("q2_weight", 3, tolerance=TOL["q2_weight"], plausible=(0.0, 1.0), reference=ref_weight, variant=INDEX),
    Number("q3_closeness", 3, tolerance=TOL["q3_closeness"], plausible=(0.0, 1.0), reference=ref_closeness,
           variant=INDEX),
    Number("q4_rank", 2, tolerance=0.25, plausible=(1, 30), reference=ref_rank, variant=INDEX),
    Choice("q5_equal", 2, options=[BETTER, WORSE, SAME], reference=ref_equal, variant=INDEX),
    Number("q6_gap_share", 3, tolerance=TOL["q6_gap_share"], plausible=(0.0, 1.0), reference=ref_gap_share,
           variant=INDEX),
    Written("w1_recommendation", 10),
])

# Typical wrong answers (question -> (answer cell, text of the solution, replacement)). The tests grade
# the solution with each one applied and check that exactly that question loses its points.
MISCONCEPTIONS = {
    # the cost indicator normalised like a benefit one (measures.minmax's default direction is "+")
    "q1_norm": ("q1_answer", 'q1_energy = float(norm.loc[PROVINCE, "energy_intensity_change_pct"])',
                'q1_energy = float(measures.minmax(raw["energy_intensity_change_pct"]).loc[PROVINCE])'),
    # 1 - e_j reported as the weight: the divergences not divided by their sum
    "q2_weight": ("q2_answer", "q2_weight = float(w.max())", "q2_weight = float(divergence.max())"),
    # equal instead of entropy weights in TOPSIS
    "q3_closeness": ("q3_answer", "measures.topsis(norm, w, ", "measures.topsis(norm, [1] * len(KEYS), "),
    # ranked by the distance to the ideal (smallest first) instead of by the closeness
    "q4_rank": ("q4_answer", "q4_rank = int(rank[PROVINCE])", 'q4_rank = int(d_plus.rank(method="min")[PROVINCE])'),
    # a larger rank number read as a better rank
    "q5_equal": ("q5_answer", '"better" if change < 0', '"better" if change > 0'),
    # the linear weighted shortfall (the obstacle degree) instead of the squared distance
    "q6_gap_share": ("q6_answer", "gap = (w * (norm - norm.max())) ** 2", "gap = w * (norm.max() - norm)"),
}
