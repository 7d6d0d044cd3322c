"""Lesson 32 (F2.1): k-anonymity on the SYNTHETIC microdata, and the seeded generator behind it.

Expectations come from the definitions, not from the code's output: a release is k-anonymous when
every equivalence class (recomputed here with a plain pandas groupby on the released text) has at
least k records; coarsening along nested hierarchies can only merge classes, so k never falls and
the information loss never falls; the average re-identification risk is classes / n.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import course
from course import privacy as pv
from course import quiz
from course.widgets import EdgeCase

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "32_data_as_a_factor.ipynb"
QI = list(pv.QUASI_IDENTIFIERS)


def tiny():
    """Six invented people whose classes can be counted by eye."""
    return pd.DataFrame({
        "record_id": [f"T{i}" for i in range(6)],
        "age_years": [20, 22, 25, 40, 41, 77],
        "sex": ["F", "F", "M", "M", "M", "F"],
        "province_code": [330000, 320000, 320000, 620000, 620000, 540000],
        "province_en": ["Zhejiang", "Jiangsu", "Jiangsu", "Gansu", "Gansu", "Xizang (Tibet)"],
        "nbs_region_en": ["East", "East", "East", "West", "West", "West"],
        "annual_income_yuan": [12_000, 18_000, 35_000, 61_000, 150_000, 9_000],
        "overdue_debt": ["no", "no", "yes", "no", "no", "yes"],
    })


@pytest.fixture(scope="module")
def people():
    return course.load("synthetic_residents")


@pytest.fixture(scope="module")
def lat(people):
    return pv.lattice(people)


# --------------------------------------------------------------------------- hand examples
def test_generalise_bands_by_hand():
    g = pv.generalise(tiny(), {"age": 1, "sex": 0, "place": 1, "income": 1})
    assert g["age"].tolist() == ["18-22", "18-22", "23-27", "38-42", "38-42", "73-77"]
    assert g["place"].tolist() == ["East", "East", "East", "West", "West", "West"]
    assert g["income"].tolist() == ["10,000-19,999", "10,000-19,999", "30,000-39,999", "60,000-69,999",
                                    "100,000+", "0-9,999"]
    g3 = pv.generalise(tiny(), {"age": 3, "sex": 1, "place": 2, "income": 2})
    assert g3["age"].tolist() == ["18-37"] * 3 + ["38-57"] * 2 + ["58-77"]
    assert set(g3["sex"]) == {"any"} and set(g3["place"]) == {"China"}
    assert g3["income"].tolist() == ["under 30,000", "under 30,000", "30,000-59,999", "60,000+", "60,000+",
                                     "under 30,000"]


def test_k_risk_and_loss_by_hand():
    t = tiny()
    # exact data: six distinct people
    a0 = pv.assess(t, {"age": 0, "sex": 0, "place": 0, "income": 0})
    assert (a0.k, a0.classes, a0.unique_share, a0.average_risk, a0.precision_loss) == (1, 6, 1.0, 1.0, 0.0)
    # 10-year bands from 18 (18-27, 38-47, 68-77), sex any, region, income any:
    # {East 18-27: 3}, {West 38-47: 2}, {West 68-77: 1}
    a = pv.assess(t, {"age": 2, "sex": 1, "place": 1, "income": 3})
    assert (a.k, a.classes) == (1, 3)
    assert a.discernibility == pytest.approx((9 + 4 + 1) / 6)
    assert a.unique_share == pytest.approx(1 / 6) and a.average_risk == pytest.approx(3 / 6)
    assert a.precision_loss == pytest.approx((2 / 4 + 1 + 1 / 2 + 1) / 4)
    # the West 38-47 class (two "no") and the lone Xizang record are homogeneous; East 18-27 has no, no, yes
    assert a.homogeneous_share == pytest.approx(3 / 6)
    # everything suppressed: one class of six
    top = pv.assess(t, {"age": 4, "sex": 1, "place": 2, "income": 3})
    assert (top.k, top.classes, top.precision_loss, top.max_risk) == (6, 1, 1.0, pytest.approx(1 / 6))
    assert pv.k_anonymity(t, {"age": 4, "sex": 1, "place": 2, "income": 3}) == 6


def test_bad_levels_are_refused():
    with pytest.raises(ValueError, match="missing 'income'"):
        pv.assess(tiny(), {"age": 0, "sex": 0, "place": 0})
    with pytest.raises(ValueError, match="from 0 to 2"):
        pv.assess(tiny(), {"age": 0, "sex": 0, "place": 3, "income": 0})
    with pytest.raises(ValueError, match="unknown quasi-identifier"):
        pv.assess(tiny(), {"age": 0, "sex": 0, "place": 0, "income": 0, "zip": 1})
    with pytest.raises(EdgeCase, match="no records"):
        pv.k_anonymity(tiny().iloc[:0], {"age": 0, "sex": 0, "place": 0, "income": 0})


# --------------------------------------------------------------------------- theory on the synthetic table
def _sizes_by_groupby(frame, levels):
    shown = pv.generalise(frame, levels)
    return shown.groupby(QI)[pv.SENSITIVE].transform("size")


@pytest.mark.parametrize("keep", list(pv.KEEP_OPTIONS))
def test_k_anonymity_holds_for_every_equivalence_class_at_the_chosen_k(people, lat, keep):
    """For every required k, every class of the chosen release (recounted with groupby) has >= k records."""
    for k in range(1, pv.K_MAX + 1):
        chosen = pv.best_release(lat, k, keep)
        levels = {q: int(chosen[q]) for q in QI}
        sizes = _sizes_by_groupby(people, levels)
        assert sizes.min() >= k, (k, keep, levels)
        assert int(sizes.min()) == int(chosen["k"])
        classes = pv.equivalence_classes(people, levels)
        assert (classes["size"] >= k).all() and classes["size"].sum() == len(people)


def test_the_chosen_release_is_the_least_costly_k_anonymous_one(lat):
    for k in (2, 5, 10, 30):
        chosen = pv.best_release(lat, k)
        feasible = lat[lat["k"] >= k]
        assert chosen["precision_loss"] == pytest.approx(feasible["precision_loss"].min())
        keep_age = pv.best_release(lat, k, "age")
        assert keep_age["age"] == feasible["age"].min()


def test_coarser_never_lowers_k_and_never_lowers_information_loss(lat):
    """Nested hierarchies: if release b is at least as coarse as a in every attribute, k(b) >= k(a), the
    losses do not fall and the average risk does not rise."""
    nodes = lat.set_index(QI)
    pairs = 0
    for a, b in itertools.product(nodes.index, repeat=2):
        if all(x <= y for x, y in zip(a, b)):
            pairs += 1
            assert nodes.loc[b, "k"] >= nodes.loc[a, "k"]
            assert nodes.loc[b, "precision_loss"] >= nodes.loc[a, "precision_loss"]
            assert nodes.loc[b, "discernibility"] >= nodes.loc[a, "discernibility"] - 1e-9
            assert nodes.loc[b, "average_risk"] <= nodes.loc[a, "average_risk"] + 1e-12
    assert pairs > 1000


def test_one_step_coarser_merges_whole_classes(people):
    """Every class of a coarser release is a union of classes of the finer one (nestedness, directly)."""
    fine = {"age": 1, "sex": 0, "place": 1, "income": 1}
    coarse = {"age": 2, "sex": 0, "place": 1, "income": 2}
    f = pv.generalise(people, fine).astype(str).agg("|".join, axis=1)
    c = pv.generalise(people, coarse).astype(str).agg("|".join, axis=1)
    assert (pd.DataFrame({"f": f, "c": c}).groupby("f")["c"].nunique() == 1).all()


def test_lattice_measures_agree_with_assess(people, lat):
    assert len(lat) == 5 * 2 * 3 * 4
    for levels in ({"age": 0, "sex": 0, "place": 0, "income": 0}, {"age": 2, "sex": 1, "place": 1, "income": 2},
                   {"age": 4, "sex": 1, "place": 2, "income": 3}):
        row = lat.set_index(QI).loc[tuple(levels.values())]
        a = pv.assess(people, levels)
        assert (row["k"], row["classes"]) == (a.k, a.classes)
        assert row["average_risk"] == pytest.approx(a.classes / len(people))
    top = lat.set_index(QI).loc[(4, 1, 2, 3)]
    assert top["k"] == len(people) and top["precision_loss"] == 1.0


def test_best_release_edges(lat):
    with pytest.raises(EdgeCase, match="No generalisation reaches k = 2001"):
        pv.best_release(lat, 2001)
    with pytest.raises(EdgeCase, match="at least 1"):
        pv.best_release(lat, 0)
    with pytest.raises(ValueError, match="keep must be"):
        pv.best_release(lat, 2, "zip")


# --------------------------------------------------------------------------- the Explorer
def test_explorer_moves_with_k_and_keep(people, lat):
    ex = pv.build_explorer(people, lat)
    assert ex.error is None and ex.result.k_required == 5 and int(ex.result.chosen["k"]) >= 5
    assert "SYNTHETIC" in ex.html and "SYNTHETIC" in ex.static_html()
    before = ex.result.chosen["precision_loss"]
    ex.controls["k"].value = 40
    assert int(ex.result.chosen["k"]) >= 40 and ex.result.chosen["precision_loss"] >= before
    ex.controls["keep"].value = "place"
    assert ex.result.levels["place"] == lat.loc[lat["k"] >= 40, "place"].min()
    ex.controls["k"].value = 1
    assert ex.result.levels == {"age": 0, "sex": 0, "place": 0, "income": 0}
    assert ex.result.curve.index.tolist() == list(range(1, pv.K_MAX + 1))
    # the curve's k achieved never falls as the required k rises
    assert ex.result.curve["k"].is_monotonic_increasing
    ex.set(k=5, keep="none")
    assert ex.error is None and ex.message is None


def test_render_labels_synthetic_and_states_the_finding(people, lat):
    from course import plots

    r = pv.explore(people, lat, k=10)
    fig, table_html = pv.render(r)
    try:
        title = plots.figure_title(fig)
        texts = [t.get_text() for t in fig.texts]
    finally:
        plots.close(fig)
    assert title.startswith("Required k = 10: re-identification risk at worst 1 in")
    assert any("SYNTHETIC" in t for t in texts)
    assert "SYNTHETIC data" in table_html and "no record describes a real person" in table_html
    assert "SYNTHETIC table" in pv.describe(r)


# --------------------------------------------------------------------------- the generator and the data package
def _generator():
    spec = importlib.util.spec_from_file_location("synthetic_microdata", ROOT / "scripts" / "synthetic_microdata.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generator_is_seeded_and_reproduces_the_committed_table(people):
    gen = _generator()
    provinces = gen.provinces_from_tables(course.load("provinces"), course.load("province_population"),
                                          course.load("province_income_consumption"))
    a = gen.generate(provinces)
    assert a == gen.generate(provinces)                             # same seed, same records
    assert a != gen.generate(provinces, seed=gen.SEED + 1)          # another seed, other records
    frame = pd.DataFrame(a)
    assert frame["record_id"].tolist() == people["record_id"].tolist()
    assert frame["annual_income_yuan"].astype(int).tolist() == people["annual_income_yuan"].tolist()


def test_generator_follows_its_stated_model(people):
    gen = _generator()
    assert people["age_years"].between(gen.AGE_MIN, gen.AGE_MAX).all()
    assert set(people["sex"]) == {"F", "M"} and abs((people["sex"] == "F").mean() - 0.5) < 0.05
    assert (people["annual_income_yuan"] % 100 == 0).all()
    # provinces in proportion to the 2023 population: Guangdong (the largest) has the most records,
    # and every share is within 4 binomial standard errors of the population share
    pop = course.load("province_population").query("year == 2023").set_index("province_en")["resident_population_10k"]
    share = pop / pop.sum()
    counts = people["province_en"].value_counts().reindex(share.index, fill_value=0)
    se = np.sqrt(share * (1 - share) / len(people))
    assert ((counts / len(people) - share).abs() < 4 * se).all()
    assert counts.idxmax() == share.idxmax()
    # overdue debt is more common below 60 % of the provincial mean income (0.15 against 0.05)
    inc = course.load("province_income_consumption").query("year == 2023").set_index("province_en")[
        "disposable_income_per_capita_all_residents_yuan"]
    low = people["annual_income_yuan"] < 0.6 * people["province_en"].map(inc)
    yes = people["overdue_debt"] == "yes"
    assert yes[low].mean() > 2 * yes[~low].mean()


def test_the_table_is_marked_synthetic_everywhere():
    res = course.data.resource("synthetic_residents")
    assert res["synthetic"] is True and "SYNTHETIC" in res["title"] and "SYNTHETIC" in res["description"]
    assert res["sources"][0]["confidence"] == "synthetic" and "SYNTHETIC" in res["sources"][0]["title"]
    assert course.citation("synthetic_residents").startswith("Source (synthetic_residents): SYNTHETIC")
    readme = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    assert "**SYNTHETIC**" in readme and "synthetic_residents" in readme
    others = [r for r in course.data._package()["resources"] if r["name"] != "synthetic_residents"]
    assert not any(r.get("synthetic") for r in others)


def test_the_lesson_labels_every_use_of_the_synthetic_table():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    for c in cells:
        src = "".join(c["source"])
        if c["cell_type"] == "code" and ("people" in src and "plots.show" in src):
            assert "SYNTHETIC" in src, src[:200]
    figs = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
            if "Figure:" in str(o.get("data", {}).get("text/plain", "")) and "generalisation" in
            str(o.get("data", {}).get("text/plain", ""))]
    assert figs and all("synthetic" in str(o["data"]["text/plain"]).lower() for o in figs)


# --------------------------------------------------------------------------- check question 1
ANSWER_Q1 = "34297ba8b6379a6a"   # pasted into the notebook's q1


def notebook_question(name):
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    (src,) = ["".join(c["source"]) for c in cells
              if c["cell_type"] == "code" and "".join(c["source"]).startswith(f"{name} = quiz.")]
    ns = {"quiz": quiz}
    exec(src, ns)
    return ns[name]


def test_quiz_q1_unique_records(people):
    # by hand: 10-year age bands from 18, sex, NBS region, three income bands; count classes of size 1
    bands = pd.DataFrame({
        "age": (people["age_years"] - 18) // 10,
        "sex": people["sex"],
        "region": people["nbs_region_en"],
        "income": np.select([people["annual_income_yuan"] < 30_000, people["annual_income_yuan"] < 60_000],
                            [0, 1], 2),
    })
    size = bands.groupby(list(bands.columns))["sex"].transform("size")
    answer = int((size == 1).sum())
    classes = bands.groupby(list(bands.columns)).ngroups
    assert quiz.digest(answer) == ANSWER_Q1
    q = notebook_question("q1")
    assert q.answer == ANSWER_Q1 and q.check(str(answer)).correct
    # plausible slips: the number of classes; k (the smallest class); uniques with provinces instead of regions
    with_province = bands.assign(region=people["province_code"])
    uniques_province = int((with_province.groupby(list(bands.columns))["sex"].transform("size") == 1).sum())
    for wrong in {classes, int(size.min()), uniques_province} - {answer}:
        fb = q.check(str(wrong))
        assert not fb.correct and fb.message.startswith("Not yet") and str(answer) not in fb.message
    assert len({classes, int(size.min()), uniques_province} - {answer}) == 3


def test_the_k_marker_never_crosses_a_legend(people, lat):
    # the dotted line at the required k is drawn over everything else (the figure keeps the pixels of
    # its unchanging layer), so it must stop short of the legend it would otherwise run through
    import matplotlib.pyplot as plt

    view: dict = {}
    try:
        for k in range(1, pv.K_MAX + 1):
            pv.render(pv.explore(people, lat, k=k), view)
            renderer = view["fig"].canvas.get_renderer()
            for ax, mark in zip(view["fig"].axes[:2], view["marks"]):
                legend = ax.get_legend().get_window_extent(renderer)
                x = ax.transData.transform((k, 1))[0]
                lo, hi = (ax.transAxes.transform((0, y))[1] for y in mark.get_ydata())
                crosses = legend.x0 <= x <= legend.x1 and lo < legend.y1 and hi > legend.y0
                assert not crosses, f"k={k}: the marker runs through the legend"
                assert hi - lo > 0.5 * ax.bbox.height  # still a clear line
    finally:
        plt.close("all")
