"""Tests for course.overcapacity: the tide model of lesson 24 (S4, S4.1).

Expected values come from what the model's assumptions imply (worked out by hand in comments) or
from the theory the lesson states: choosing by comparative advantage never leaves more capacity idle
than everyone following the tide at equal demand; utilisation falls as followers rise; better
market information lowers overcapacity; the same seed gives the same run.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from course import overcapacity as oc
from course.widgets import EdgeCase

SEEDS = range(60)
DEMANDS = np.round(np.arange(0.4, 1.61, 0.2), 1)


# --- the market, by hand -------------------------------------------------------------------------

def test_market_with_a_glut_by_hand():
    # three plants in Hot with unit costs 0.7, 0.9, 0.8; buyers take 2 plants' worth.
    # The two cheapest (0.7, 0.8) run; the idle one costs 0.9 and sets the price 0.9.
    # Profits: 0.9 - 0.7 - 0.2 = 0.0; 0.9 - 0.8 - 0.2 = -0.1; idle -0.2.
    cost = np.array([[0.7, 1, 1, 1], [0.9, 1, 1, 1], [0.8, 1, 1, 1]])
    ind, plants = oc.market(np.array([0, 0, 0]), cost, np.array([2, 1, 1, 1]))
    assert ind.loc["Hot", "price"] == pytest.approx(0.9)
    assert plants["runs"].tolist() == [True, False, True]
    assert plants["profit"].tolist() == pytest.approx([0.0, -0.2, -0.1])
    assert ind.loc["Hot", "utilisation"] == pytest.approx(2 / 3)
    assert ind.loc["Hot", "loss_makers"] == 2          # a profit of exactly zero is not a loss
    assert ind.loc["B", "unserved"] == 1 and np.isnan(ind.loc["B", "utilisation"])


def test_market_without_a_glut_by_hand():
    # two plants, demand for three: both run at the ceiling price 1.3; profit 1.3 - c - 0.2
    cost = np.array([[0.6, 1, 1, 1], [1.0, 1, 1, 1]])
    ind, plants = oc.market(np.array([0, 0]), cost, np.array([3, 1, 1, 1]))
    assert ind.loc["Hot", "price"] == pytest.approx(1.3)
    assert plants["profit"].tolist() == pytest.approx([0.5, 0.1])
    assert ind.loc["Hot", "utilisation"] == 1.0 and ind.loc["Hot", "unserved"] == 1


def test_choose_by_hand():
    # two industries' worth of fit for four regions (industries C and D fit nobody well)
    fit = np.array([[0.9, 0.5, 0.1, 0.1],     # region 0: Hot first, then B
                    [0.8, 0.7, 0.1, 0.1],     # region 1: Hot first, then B
                    [0.2, 0.9, 0.1, 0.1],     # region 2: B
                    [0.3, 0.2, 0.1, 0.1]])    # region 3: Hot first
    demand = np.array([1, 2, 1, 1])
    order = [0, 1, 2, 3]
    nobody = np.zeros(4, dtype=bool)
    everyone = np.ones(4, dtype=bool)
    # all research: 0 -> Hot (room 1); 1 -> Hot full, B; 2 -> B (1 < 2); 3 -> Hot full, B full, next by fit
    # is C (0.1) then D (0.1): C, the first of the equal fits
    assert oc.choose(fit, order, nobody, everyone, demand).tolist() == [0, 1, 1, 2]
    # nobody researches: all go by fit alone
    assert oc.choose(fit, order, nobody, nobody, demand).tolist() == [0, 0, 1, 0]
    # everyone follows the tide
    assert oc.choose(fit, order, everyone, nobody, demand).tolist() == [0, 0, 0, 0]


# --- what theory says ------------------------------------------------------------------------------

def test_all_followers_fill_the_hot_industry():
    for seed in range(10):
        for demand in DEMANDS:
            r = oc.simulate(1.0, 0.5, demand, seed)
            D_hot = int(round(demand * 30 * 0.4))
            assert r.industries.loc["Hot", "plants"] == 30
            assert r.utilisation == pytest.approx(min(1.0, D_hot / 30))
            assert r.industries.loc[["B", "C", "D"], "plants"].sum() == 0


def test_complete_research_without_followers_leaves_the_least_idle_capacity():
    for seed in range(20):
        for demand in DEMANDS:
            r = oc.simulate(0.0, 1.0, demand, seed)
            D = oc.demand_units(demand)
            assert r.idle == max(0, 30 - int(D.sum()))
            assert r.unserved == max(0, int(D.sum()) - 30)


def test_comparative_advantage_never_more_overcapacity_than_the_tide():
    for seed in SEEDS:
        draws = oc.draw(seed)
        for demand in DEMANDS:
            tide = oc.simulate(1.0, 0.5, demand, seed, draws=draws).idle
            for information in (0.0, 0.3, 0.7, 1.0):
                assert oc.simulate(0.0, information, demand, seed, draws=draws).idle <= tide


def test_utilisation_falls_as_followers_rise():
    s = oc.sweep(followers=np.linspace(0, 1, 11), information=(0.0, 0.5, 1.0), seeds=SEEDS)
    for q, part in s.groupby("information"):
        u = part.sort_values("followers")["utilisation"].to_numpy()
        assert np.all(np.diff(u) < 0), (q, u)
        assert u[-1] == pytest.approx(0.4)          # all follow: 12 of 30 plants run at demand 1


def test_better_information_lowers_overcapacity():
    s = oc.sweep(followers=(0.0, 0.2, 0.4, 0.6), information=np.linspace(0, 1, 6), seeds=SEEDS)
    for h, part in s.groupby("followers"):
        idle = part.sort_values("information")["idle"].to_numpy()
        assert np.all(np.diff(idle) < 0), (h, idle)


def test_seeded_determinism():
    a = oc.simulate(0.4, 0.6, 1.1, seed=3)
    b = oc.simulate(0.4, 0.6, 1.1, seed=3)
    pd.testing.assert_frame_equal(a.plants, b.plants)
    pd.testing.assert_frame_equal(a.industries, b.industries)
    c = oc.simulate(0.4, 0.6, 1.1, seed=4)
    assert not a.plants["fit"].equals(c.plants["fit"])
    # followers are nested: raising the share only turns more regions into followers
    f3 = oc.simulate(0.3, 0.5, 1.0, seed=1).plants["follower"]
    f6 = oc.simulate(0.6, 0.5, 1.0, seed=1).plants["follower"]
    assert (f6 | ~f3).all() and f3.sum() == 9 and f6.sum() == 18


def test_draws_spread_comparative_advantage_like_demand():
    # each region's best-fit industry is drawn with the market shares as probabilities
    best = np.concatenate([oc.draw(s).fit.argmax(axis=1) for s in range(200)])
    freq = np.bincount(best, minlength=4) / best.size
    assert freq == pytest.approx([0.4, 0.2, 0.2, 0.2], abs=0.02)


def test_bad_settings_get_clear_messages():
    with pytest.raises(ValueError, match="followers"):
        oc.simulate(followers=1.5)
    with pytest.raises(ValueError, match="information"):
        oc.simulate(information=-0.1)
    with pytest.raises(ValueError, match="demand"):
        oc.simulate(demand=0)
    with pytest.raises(ValueError, match="seed"):
        oc.simulate(seed=-1)
    with pytest.raises(ValueError, match="largest market"):
        oc.Model(shares=(0.1, 0.3, 0.3, 0.3))
    with pytest.raises(EdgeCase, match="raise demand"):
        oc.explore(demand=0.01)


# --- the widget ------------------------------------------------------------------------------------

def test_explorer_recomputes_when_controls_change():
    ex = oc.explorer()
    assert ex.result.followers == pytest.approx(0.3)
    ex.set(followers=100, demand=1.0)
    assert ex.result.industries.loc["Hot", "plants"] == 30 and ex.result.utilisation == pytest.approx(0.4)
    assert oc._title(ex.result).startswith("Hot industry runs at 40% of capacity")
    assert "Hot: 30 plants for demand 12, 40% used" in ex.html
    ex.set(followers=0, information=1.0, demand=1.0)
    assert ex.result.idle == 0 and ex.result.loss_makers == 0
    ex.controls["seed"].value = 7
    same = oc.simulate(0.0, 1.0, 1.0, 7)
    pd.testing.assert_frame_equal(ex.result.plants, same.plants)
    assert ex.error is None and ex.message is None


def test_render_and_alt_text():
    from course import plots

    r = oc.simulate(0.6, 0.5, 1.0, 0)
    fig, html = oc.render(r)
    try:
        title = plots.figure_title(fig)
    finally:
        plots.close(fig)
    hot = r.industries.loc["Hot"]
    assert title.startswith(f"Hot industry runs at {hot['utilisation']:.0%}")
    assert "utilisation (%)" in html and "regions losing money" in html
    alt = oc.alt_text(r)
    assert f"{int(hot['plants'])} plants for demand {int(hot['demand'])}" in alt


def test_docstring_examples():
    result = doctest.testmod(oc, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# --- lesson 24's check questions ------------------------------------------------------------------

import json
import re
from pathlib import Path

import course
from course import quiz

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "24_avoiding_overcapacity.ipynb"
ANSWERS24 = {"q1": "84f008da6c01bbad", "q2": "526c36d0bb7c4a59", "q3": "e324f0cd8e94106c"}


def lesson_questions():
    cells = json.loads(LESSON.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    found = {}
    for name in ("q1", "q2", "q3"):
        (src,) = [t for t in sources if t.startswith(f"{name} = quiz.")]
        ns = {"quiz": quiz}
        exec(src, ns)
        found[name] = ns[name]
    return found


def refused(q, text):
    fb = q.check(text)
    return (not fb.correct) and (fb.message.startswith("Not yet") or "outside the plausible range" in fb.message)


def test_q1_hot_utilisation_at_60_percent_followers():
    r = oc.simulate(0.6, 0.5, 1.0, 0)
    plants = r.plants[r.plants["industry"] == "Hot"]
    answer = 100 * plants["runs"].sum() / len(plants)          # running Hot plants over Hot plants
    assert quiz.digest(answer, 1) == ANSWERS24["q1"]
    q = lesson_questions()["q1"]
    assert q.answer == ANSWERS24["q1"] and q.check(f"{answer:.1f}").correct
    # slips: all plants' utilisation, the fraction instead of per cent, the lesson's default run (30 %)
    for wrong in (100 * r.utilisation, 100 * oc.simulate(0.3, 0.5, 1.0, 0).industries.loc["Hot", "utilisation"]):
        assert abs(round(wrong, 1) - round(answer, 1)) > 0.15
        assert refused(q, f"{wrong:.1f}")
    assert refused(q, f"{answer / 100:.3f}")


def test_q2_east_share_of_cement_2020():
    sc = course.load("province_output_steel_cement").query("year == 2020")
    east = sc.loc[sc["nbs_region_en"] == "East", "cement_10k_tonnes"].sum()
    answer = 100 * east / sc["cement_10k_tonnes"].sum()
    assert quiz.digest(answer, 1) == ANSWERS24["q2"]
    q = lesson_questions()["q2"]
    assert q.answer == ANSWERS24["q2"] and q.check(f"{answer:.1f}").correct
    shares = 100 * sc["cement_10k_tonnes"] / sc["cement_10k_tonnes"].sum()
    steel = sc.loc[sc["nbs_region_en"] == "East", "crude_steel_10k_tonnes"].sum() / sc["crude_steel_10k_tonnes"].sum()
    west = sc.loc[sc["nbs_region_en"] == "West", "cement_10k_tonnes"].sum() / sc["cement_10k_tonnes"].sum()
    for wrong in (shares[sc["nbs_region_en"] == "East"].mean(), 100 * steel, 100 * west):
        assert abs(round(wrong, 1) - round(answer, 1)) > 0.15
        assert refused(q, f"{wrong:.1f}")


def test_q3_motor_vehicles_fourth_quarters():
    cu = course.load("capacity_utilization")
    mv = cu[cu["industry_en"] == "Motor vehicles"]
    q4 = mv[mv["period_type"] == "quarter"].set_index("period")["capacity_utilization_pct"]
    answer = q4["2024Q4"] - q4["2022Q4"]
    assert quiz.digest(answer, 1) == ANSWERS24["q3"]
    q = lesson_questions()["q3"]
    assert q.answer == ANSWERS24["q3"] and q.check(f"{answer:.1f}").correct
    annual_2024 = mv[(mv["period_type"] == "year") & (mv["period"] == "2024")]["capacity_utilization_pct"].iloc[0]
    for wrong in (annual_2024 - q4["2022Q4"],            # the annual row mixed with a quarter
                  -answer,                               # the sign
                  q4["2024Q4"] - q4["2021Q4"]):          # the wrong base quarter
        assert abs(round(wrong, 1) - round(answer, 1)) > 0.15
        assert refused(q, f"{wrong:.1f}")


def test_lesson24_answers_are_not_printed():
    cells = json.loads(LESSON.read_text(encoding="utf-8"))["cells"]
    shown = " ".join(str(o.get("text", "")) + " ".join(str(v) for k, v in o.get("data", {}).items() if k != "image/png")
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    source = " ".join("".join(c["source"]) for c in cells)
    r = oc.simulate(0.6, 0.5, 1.0, 0)
    sc = course.load("province_output_steel_cement").query("year == 2020")
    east = 100 * sc.loc[sc["nbs_region_en"] == "East", "cement_10k_tonnes"].sum() / sc["cement_10k_tonnes"].sum()
    for value in (100 * r.industries.loc["Hot", "utilisation"], east, 4.0):
        text = f"{value:.1f}"
        assert not re.search(r"(?<![\d.])[+]?" + re.escape(text) + r"(?!\d)", shown), text
    for d in ANSWERS24.values():
        assert f'answer="{d}"' in source
