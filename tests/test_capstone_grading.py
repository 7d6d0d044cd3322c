"""The graded capstone's specification (issue 12): references by hand, variants, misconceptions.

Fast tests, in the test process only (no sandbox). The end-to-end grading of the capstone (solution full
marks, blank zero, each misconception loses exactly its points, hostile submissions) runs in
``tests/test_grading.py`` and ``tests/test_grading_hostile.py``, which find every problem set.
"""

from __future__ import annotations

import ast
import csv
import math

import nbformat
import numpy as np
import pytest

from grading_helpers import EXERCISES, ROOT, module, problem_set

cap = module("capstone")
CAP = problem_set("capstone")
#: a few variants, spread over the subsets and years (the whole list is checked where it is cheap)
SAMPLE = [v for i, v in enumerate(cap.variants()) if i % 53 == 0]


def _csv(name: str) -> list[dict]:
    with open(ROOT / "datasets" / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_points_questions_and_one_shared_draw():
    assert {q.name: q.points for q in CAP.autograded} == {"q1_norm": 2, "q2_weight": 3, "q3_closeness": 3,
                                                         "q4_rank": 2, "q5_equal": 2, "q6_gap_share": 3}
    assert CAP.questions["w1_recommendation"].points == 10
    for i in range(40):  # every question gets the same index, year and province
        assert len({str(CAP.params(q, f"s{i}")) for q in CAP.questions if q != "w1_recommendation"}) == 1
    drawn = {CAP.params("q1", f"s{i}")["province"] for i in range(300)}
    assert len(drawn) >= 20 and not drawn & set(cap.LEFT_OUT)


def test_every_variant_is_a_real_index_of_30_provinces():
    variants = cap.variants()
    assert len(variants) == 536  # changes only if the data or the filter change: every student's variant would
    assert {v["index"] for v in variants} == set(cap.SUBSETS) and {v["year"] for v in variants} == set(cap.YEARS)
    for index, keys in cap.SUBSETS.items():
        assert len(set(keys)) == 5 and cap.COST in keys and cap.ni.CATALOGUE[keys[0]].direction == "+"
        assert {cap.ni.CATALOGUE[k].element for k in keys} == set(cap.ni.ELEMENTS), index
        for year in cap.YEARS:
            raw = cap.raw_table(index, year)
            assert raw.shape == (30, 5) and "Xizang (Tibet)" not in raw.index and not raw.isna().any().any()


def test_the_notebook_lists_the_same_subsets():
    nb = nbformat.read(EXERCISES / "source" / "capstone" / "capstone.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "index_data")
    assert cell.metadata["nbgrader"]["locked"]
    tree = ast.parse(cell.source)
    found = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "SUBSETS")
    listed = {k.value: [e.value if isinstance(e, ast.Constant) else cap.COST for e in v.elts]
              for k, v in zip(found.keys, found.values)}
    assert listed == {k: list(v) for k, v in cap.SUBSETS.items()}


def test_energy_normalisation_by_hand():
    # the 2020 bulletin, read with the csv module: a fall in energy use per unit of GRP is better
    rows = {r["province_en"]: float(r["energy_intensity_change_pct"]) for r in _csv("province_energy_intensity_change_2020")
            if r["province_code"] != "100000" and r["energy_intensity_change_pct"] != ""}
    assert len(rows) == 30 and "Xizang (Tibet)" not in rows
    lo, hi = min(rows.values()), max(rows.values())
    for v in SAMPLE:
        energy, first = cap.ref_norm(**v)
        assert energy == pytest.approx((hi - rows[v["province"]]) / (hi - lo), abs=1e-12)
        x = cap.raw_table(v["index"], v["year"])[cap.SUBSETS[v["index"]][0]]
        assert first == pytest.approx((x[v["province"]] - x.min()) / (x.max() - x.min()), abs=1e-12)


def _topsis_by_hand(norm: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = norm * w
    d_plus = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus), (v - v.max(axis=0)) ** 2


def test_weights_closeness_rank_and_gap_share_by_hand():
    for v in SAMPLE:
        keys = cap.SUBSETS[v["index"]]
        raw = cap.raw_table(v["index"], v["year"]).to_numpy()
        sign = np.array([1.0 if cap.ni.CATALOGUE[k].direction == "+" else -1.0 for k in keys])
        x = raw * sign
        norm = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
        # entropy weights with log10 throughout: the base cancels in e_j, so it is not a misconception
        p = (norm + 1e-4) / (norm + 1e-4).sum(axis=0)
        e = -(p * np.log10(p)).sum(axis=0) / math.log10(len(norm))
        w = (1 - e) / (1 - e).sum()
        assert cap.ref_weight(**v) == pytest.approx(w.max(), abs=1e-12)
        c, gap = _topsis_by_hand(norm, w)
        i = list(cap.raw_table(v["index"], v["year"]).index).index(v["province"])
        assert cap.ref_closeness(**v) == pytest.approx(c[i], abs=1e-12)
        assert cap.ref_rank(**v) == 1 + int((c > c[i]).sum())
        c_eq, _ = _topsis_by_hand(norm, np.full(5, 0.2))
        r_eq = 1 + int((c_eq > c_eq[i]).sum())
        assert cap.ref_equal(**v) == ("better" if r_eq < cap.ref_rank(**v) else "worse" if r_eq > cap.ref_rank(**v)
                                      else "unchanged")
        objects = [j for j, k in enumerate(keys) if cap.ni.CATALOGUE[k].element == "objects of labour"]
        assert cap.ref_gap_share(**v) == pytest.approx(gap[i, objects].sum() / gap[i].sum(), abs=1e-12)


def test_every_drawn_variant_lets_each_misconception_bite():
    # the filter: in every variant each misconception's answer is outside the question's tolerance
    for index in cap.SUBSETS:
        for year in cap.YEARS:
            table = cap.answers_table(index, year)
            for v in (x for x in cap.variants() if x["index"] == index and x["year"] == year):
                row = table.loc[v["province"]]
                for q in ("q1_norm", "q2_weight", "q3_closeness", "q6_gap_share"):
                    assert abs(row[f"{q} wrong"] - row[q]) > 2 * CAP.questions[q].tol, (v, q)
                assert row["q4_rank wrong"] != row["q4_rank"] and row["q5_change"] != 0, v
                assert row["q4_rank"] == cap.ref_rank(**v)
    assert set(cap.MISCONCEPTIONS) == {q.name for q in CAP.autograded}


def test_worked_example_is_a_drawable_variant():
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from instructor import answers

    v = answers.capstone()
    assert v["we_rank"] == cap.ref_rank("B", 2023, "Henan") and 0 < v["we_closeness"] < 1
