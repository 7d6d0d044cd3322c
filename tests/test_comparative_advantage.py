"""Tests for course.comparative_advantage: the Ricardian model of lesson 23 (S3.3).

Expected values come from theory (what Ricardo's model says must happen) or from hand computations
written out in comments, never from the code's own output.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import course
from course import comparative_advantage as ca
from course.widgets import EdgeCase


def ricardo():
    """Ricardo (1817): labour per unit, England cloth 100 / wine 120, Portugal cloth 90 / wine 80."""
    return ca.Economy(("England", "Portugal"), [[1 / 100, 1 / 120], [1 / 90, 1 / 80]], [1.0, 1.0])


def random_economy(rng, n=3, beta=None):
    a = rng.uniform(0.2, 5.0, size=(n, 2))
    L = rng.uniform(0.5, 3.0, size=n)
    return ca.Economy(tuple(f"R{i}" for i in range(n)), a, L, beta if beta is not None else rng.uniform(0.1, 0.9))


# --- hand computations --------------------------------------------------------------------------

def test_ricardo_opportunity_costs_and_band():
    e = ricardo()
    # cloth costs England 100 hours = 100/120 of a unit of wine; Portugal 90 hours = 90/80 of wine
    assert ca.opportunity_cost(e).tolist() == pytest.approx([100 / 120, 90 / 80])
    b = ca.band(e)
    assert b.low == pytest.approx(100 / 120) and b.high == pytest.approx(90 / 80)
    assert (b.low_region, b.high_region) == ("England", "Portugal")
    # England has the comparative advantage in cloth although Portugal is better at both
    assert (e.productivity[1] > e.productivity[0]).all()
    assert ca.specialised_shares(e, 1.0).tolist() == [1.0, 0.0]


def test_equilibrium_at_an_edge_by_hand():
    # E: a = (1, 1), opportunity cost 1; P: a = (2, 3), opportunity cost 1.5; L = 1 each; beta 0.5.
    # Fully specialised, p would be beta G / ((1-beta) S) = 3 / 1 = 3 > 1.5: not in (1, 1.5).
    # So p = 1.5 and P splits: income 1.5 * 1 + 3 = 4.5; demand for technology 0.5 * 4.5 / 1.5 = 1.5
    # = 1 (England) + 2 s  =>  s = 0.25.
    e = ca.Economy(("E", "P"), [[1, 1], [2, 3]], [1, 1], 0.5)
    eq = ca.equilibrium(e)
    assert eq.price == pytest.approx(1.5)
    assert eq.shares.tolist() == pytest.approx([1.0, 0.25])
    assert eq.marginal == "P"
    # E, all in technology, makes 1 unit worth 1.5; its autarky output (0.5, 0.5) is worth
    # 0.5 * 1.5 + 0.5 = 1.25: gain 1.5 / 1.25 - 1 = 20 %. P, at its own opportunity cost, gains nothing.
    assert ca.income_gain(e, eq.shares, eq.price).tolist() == pytest.approx([0.20, 0.0], abs=1e-12)


def test_interior_equilibrium_by_hand():
    # Same regions but 2.5 workers in E: fully specialised p = 0.5 * 3 / (0.5 * 2.5) = 1.2, inside (1, 1.5).
    e = ca.Economy(("E", "P"), [[1, 1], [2, 3]], [2.5, 1], 0.5)
    eq = ca.equilibrium(e)
    assert eq.price == pytest.approx(1.2) and eq.marginal is None
    assert eq.shares.tolist() == [1.0, 0.0]
    # E: 2.5 units of technology worth 3.0 against autarky 2.5 * (0.5 * 1.2 + 0.5 * 1) = 2.75 -> 3/2.75 - 1;
    # P: 3 goods against autarky 0.5 * 1.2 * 2 + 0.5 * 3 = 2.7 -> 3/2.7 - 1
    assert ca.income_gain(e, eq.shares, eq.price).tolist() == pytest.approx([3 / 2.75 - 1, 3 / 2.7 - 1])
    # in levels: E 3 - 2.75 = 0.25; P 3 - 2.7 = 0.3; shares 0.25/0.55 and 0.3/0.55
    assert ca.gain_split(e, 1.2).tolist() == pytest.approx([0.25 / 0.55, 0.3 / 0.55])


def test_frontier_corners_by_hand():
    e = ca.Economy(("E", "P"), [[1, 1], [2, 3]], [2.5, 1], 0.5)
    f = ca.frontier(e)
    # all goods: 2.5 + 3 = 5.5; E (lower opportunity cost) moves first: (2.5, 3); then P: (4.5, 0)
    assert np.allclose(f[["technology", "goods"]].to_numpy(), [[0, 5.5], [2.5, 3], [4.5, 0]])


def level_gain(e, p):
    """Each region's gain from specialising at p, in goods: value of its output minus its autarky output's."""
    spec, aut = ca.output(e, ca.specialised_shares(e, p)), ca.output(e, ca.autarky_shares(e))
    return p * (spec["technology"] - aut["technology"]) + spec["goods"] - aut["goods"]


# --- what theory says must hold ----------------------------------------------------------------

def test_identical_relative_productivities_give_no_gain():
    # a[r] = size_r * (b0, b1): every region gives up b1/b0 of goods per unit of technology
    base = np.array([2.0, 5.0])
    e = ca.Economy(("A", "B", "C"), np.outer([1.0, 3.0, 0.4], base), [1.0, 2.0, 4.0], 0.3)
    b = ca.band(e)
    assert b.low == pytest.approx(b.high) == pytest.approx(2.5)
    eq = ca.equilibrium(e)
    assert eq.price == pytest.approx(2.5)
    rng = np.random.default_rng(1)
    aut = ca.joint_value(e, ca.autarky_shares(e), eq.price)
    for _ in range(50):  # at that price every allocation is worth the same: nothing to gain
        assert ca.joint_value(e, rng.uniform(0, 1, 3), eq.price) == pytest.approx(aut)
    assert np.allclose(ca.income_gain(e, eq.shares, eq.price), 0.0)
    assert np.allclose(ca.income_gain(e, rng.uniform(0, 1, 3), eq.price), 0.0)


def test_specialising_never_lowers_joint_output_at_the_world_price():
    rng = np.random.default_rng(2024)
    for _ in range(200):
        e = random_economy(rng)
        p = float(np.exp(rng.uniform(-3, 3)))
        best = ca.joint_value(e, ca.specialised_shares(e, p), p)
        assert best >= ca.joint_value(e, ca.autarky_shares(e), p) - 1e-9
        for _ in range(10):
            assert best >= ca.joint_value(e, rng.uniform(0, 1, 3), p) - 1e-9
        assert (ca.income_gain(e, ca.specialised_shares(e, p), p) >= -1e-12).all()


def test_gains_are_split_inside_the_terms_of_trade_band():
    rng = np.random.default_rng(7)
    for _ in range(100):
        e = random_economy(rng)
        b = ca.band(e)
        eq = ca.equilibrium(e)
        assert b.low - 1e-9 <= eq.price <= b.high + 1e-9           # the market price lies in the band
        # at each edge, the region whose opportunity cost it is gains nothing; the other extreme gains
        g_low = ca.income_gain(e, ca.specialised_shares(e, b.low), b.low)
        g_high = ca.income_gain(e, ca.specialised_shares(e, b.high), b.high)
        assert abs(g_low[b.low_region]) < 1e-12 and g_low[b.high_region] > 0
        assert abs(g_high[b.high_region]) < 1e-12 and g_high[b.low_region] > 0
        # strictly inside, every region whose opportunity cost differs from the price gains
        p = float(np.exp(rng.uniform(np.log(b.low), np.log(b.high))))
        oc = ca.opportunity_cost(e)
        g = ca.income_gain(e, ca.specialised_shares(e, p), p)
        assert (g[~np.isclose(oc, p)] > 0).all()
        # as the price rises through the band, the gain (in goods) of the region with the lowest
        # opportunity cost rises and that of the region with the highest falls
        prices = np.linspace(b.low, b.high, 9)
        lo_gain = [level_gain(e, q)[b.low_region] for q in prices]
        hi_gain = [level_gain(e, q)[b.high_region] for q in prices]
        assert np.all(np.diff(lo_gain) > 0) and np.all(np.diff(hi_gain) < 0)
        assert lo_gain[0] == pytest.approx(0, abs=1e-9) and hi_gain[-1] == pytest.approx(0, abs=1e-9)


def test_gain_curve_is_the_closed_form_of_income_gain():
    rng = np.random.default_rng(3)
    for _ in range(20):
        e = random_economy(rng)
        prices = np.exp(rng.uniform(-2, 2, 15))
        curve = ca.gain_curve(e, prices)
        for p in prices:
            direct = ca.income_gain(e, ca.specialised_shares(e, p), p)
            assert np.allclose(curve.loc[p].to_numpy(), direct.to_numpy())
    with pytest.raises(ValueError, match="positive"):
        ca.gain_curve(ricardo(), [1.0, -1.0])


def test_equilibrium_clears_both_markets():
    rng = np.random.default_rng(11)
    for _ in range(100):
        e = random_economy(rng)
        eq = ca.equilibrium(e)
        q = ca.output(e, eq.shares).sum()
        income = eq.price * q["technology"] + q["goods"]
        assert e.beta * income / eq.price == pytest.approx(q["technology"], rel=1e-9)   # technology
        assert (1 - e.beta) * income == pytest.approx(q["goods"], rel=1e-9)           # goods (Walras)
        # and the shares follow comparative advantage at that price (the marginal region may split)
        spec = ca.specialised_shares(e, eq.price)
        for r, (s, s_spec) in enumerate(zip(eq.shares, spec)):
            if e.regions[r] != eq.marginal:
                assert s == s_spec


def test_frontier_is_the_best_joint_output():
    # no allocation gets beyond the frontier: for random allocations, at their technology output the
    # frontier's goods output (linear between corners) is at least as high
    rng = np.random.default_rng(5)
    for _ in range(30):
        e = random_economy(rng)
        f = ca.frontier(e)
        for _ in range(20):
            q = ca.output(e, rng.uniform(0, 1, 3)).sum()
            assert np.interp(q["technology"], f["technology"], f["goods"]) >= q["goods"] - 1e-9


def test_bad_inputs_get_clear_messages():
    with pytest.raises(ValueError, match="at least two regions"):
        ca.Economy(("A",), [[1, 1]], [1])
    with pytest.raises(ValueError, match="positive"):
        ca.Economy(("A", "B"), [[1, 0], [1, 1]], [1, 1])
    with pytest.raises(ValueError, match="beta"):
        ca.Economy(("A", "B"), [[1, 2], [1, 1]], [1, 1], beta=1.0)
    e = ricardo()
    with pytest.raises(ValueError, match="between 0 and 1"):
        ca.output(e, [1.2, 0])
    with pytest.raises(ValueError, match="one share"):
        ca.output(e, [0.5])
    with pytest.raises(ValueError, match="positive"):
        ca.joint_value(e, [0.5, 0.5], 0)


# --- calibration from the course's data ---------------------------------------------------------

def hand_table(patents="patents_granted_invention", labour="rd_personnel_fte_manyears"):
    """The calibration rebuilt with plain pandas from course.load."""
    pat = course.load("province_patents_granted").query("year == 2023").set_index("province_en")
    rd = course.load("province_rd_personnel").query("year == 2023").set_index("province_en")
    va = course.load("province_value_added").query(
        "year == 2024 and vintage == 'post_5th_census_revision'").set_index("province_en")
    emp = course.load("province_employment_by_sector_2024").pivot(
        index="province_en", columns="sector_code_gbt4754", values="employment_10k")
    regions = ["Beijing", "Tianjin", "Hebei"]
    tech = pat.loc[regions, patents] / rd.loc[regions, labour]
    goods = ((va.loc[regions, "va_industry_100m_yuan"] + va.loc[regions, "va_transport_storage_post_100m_yuan"])
             / emp.loc[regions, ["B", "C", "D", "G"]].sum(axis=1))
    return pd.DataFrame({"tech": tech, "goods": goods, "workers": emp.loc[regions, "TOTAL"]})


@pytest.fixture(scope="module")
def hand():
    return hand_table()


def test_calibration_matches_a_hand_computation(hand):
    e = ca.calibrate()
    assert e.regions == ("Beijing", "Tianjin", "Hebei")
    assert np.allclose(e.productivity, hand[["tech", "goods"]].to_numpy())
    assert np.allclose(e.labour, hand["workers"].to_numpy())
    # the paper's reading: Beijing has the comparative advantage in technology, Hebei in goods
    oc = ca.opportunity_cost(e)
    assert oc.idxmin() == "Beijing" and oc.idxmax() == "Hebei"


@pytest.mark.parametrize("patents, labour, kw", [
    ("patents_granted_total", "rd_personnel_fte_manyears", {"tech_output": "all"}),
    ("patents_granted_invention", "researchers_fte_manyears", {"tech_labour": "researchers"}),
    ("patents_granted_total", "researchers_fte_manyears", {"tech_output": "all", "tech_labour": "researchers"}),
])
def test_alternative_calibrations_match_hand_computations(patents, labour, kw):
    t = hand_table(patents, labour)
    e = ca.calibrate(**kw)
    assert np.allclose(e.productivity, t[["tech", "goods"]].to_numpy())
    hand_oc = t["goods"] / t["tech"]
    assert ca.opportunity_cost(e).idxmin() == hand_oc.idxmin()
    # what the lesson states: Hebei keeps the highest opportunity cost of technology under every
    # alternative; with invention patents Beijing has the lowest; counting all patents per researcher,
    # Tianjin's is lower than Beijing's
    assert hand_oc.idxmax() == "Hebei"
    if patents == "patents_granted_invention":
        assert hand_oc.idxmin() == "Beijing"
    if (patents, labour) == ("patents_granted_total", "researchers_fte_manyears"):
        assert hand_oc["Tianjin"] < hand_oc["Beijing"]


def test_bad_calibration_options():
    with pytest.raises(ValueError, match="tech_output"):
        ca.calibration_table(tech_output="design")
    with pytest.raises(ValueError, match="tech_labour"):
        ca.calibration_table(tech_labour="all staff")


def test_flip_factor_is_the_ratio_of_opportunity_costs(hand):
    e = ca.calibrate()
    oc_bj = hand.loc["Beijing", "goods"] / hand.loc["Beijing", "tech"]
    oc_he = hand.loc["Hebei", "goods"] / hand.loc["Hebei", "tech"]
    assert ca.flip_factor(e, "Beijing", "Hebei") == pytest.approx(oc_he / oc_bj)
    # shrinking Hebei's goods productivity by exactly that factor makes the two opportunity costs equal
    a = e.productivity.copy()
    a[2, 1] /= ca.flip_factor(e, "Beijing", "Hebei")
    oc = ca.opportunity_cost(ca.Economy(e.regions, a, e.labour))
    assert oc["Hebei"] == pytest.approx(oc["Beijing"])


# --- the widget ----------------------------------------------------------------------------------

def test_outcome_at_autarky_and_specialised_settings():
    e = ca.calibrate()
    r = ca.outcome(50, 50, 50, 430, economy=e)
    assert np.allclose(r.gains, 0.0) and abs(r.value_gain) < 1e-9      # autarky: nothing gained
    assert r.joint.tolist() == pytest.approx([100.0, 100.0])
    spec = ca.specialised_shares(e, 430)
    r2 = ca.outcome(*(100 * spec), 430, economy=e)
    assert r2.value_gain == pytest.approx(r2.specialised_value_gain) and r2.value_gain > 0
    assert np.allclose(r2.gains, r2.specialised_gains)
    # the joint output at the specialised allocation, by hand (autarky = 100 on both axes)
    q = e.labour[:, None] * e.productivity
    aut = 0.5 * q.sum(axis=0)
    tech = (spec * q[:, 0]).sum() / aut[0] * 100
    goods = ((1 - spec) * q[:, 1]).sum() / aut[1] * 100
    assert r2.joint.tolist() == pytest.approx([tech, goods])


def test_outcome_notes_and_edges():
    e = ca.calibrate()
    b = ca.band(e)
    r = ca.outcome(50, 50, 50, int(b.low) - 50, economy=e)
    assert any("below the terms-of-trade band" in n for n in r.notes)
    r = ca.outcome(50, 50, 50, int(b.high) + 100, economy=e)
    assert any("above the terms-of-trade band" in n for n in r.notes)
    r = ca.outcome(0, 50, 100, 430, economy=e)   # Beijing all goods, Hebei all technology: both against
    assert sum("against its comparative advantage" in n for n in r.notes) == 2
    assert r.value_gain < 0 and r.gains["Hebei"] < 0
    with pytest.raises(EdgeCase, match="positive price"):
        ca.outcome(50, 50, 50, 0, economy=e)


def test_explorer_recomputes_when_controls_change():
    ex = ca.explorer()
    e = ca.calibrate()
    p_eq = ca.equilibrium(e).price
    assert abs(ex.controls["price"].value - p_eq) <= 5                  # starts at the market price
    assert ex.result is not None and abs(ex.result.value_gain) < 1e-9     # and at autarky
    ex.set(beijing=100, tianjin=0, hebei=0)
    expected = (ca.joint_value(e, [1, 0, 0], ex.controls["price"].value)
                / ca.joint_value(e, [0.5, 0.5, 0.5], ex.controls["price"].value) - 1) * 100
    assert ex.result.value_gain == pytest.approx(expected)
    assert "more than in autarky" in ca._title(ex.result)
    ex.controls["price"].value = 2000
    assert any("above the terms-of-trade band" in n for n in ex.result.notes)
    assert "above the terms-of-trade band" in ex.html
    assert ex.error is None


def test_render_states_the_finding_and_alt_text_has_numbers():
    from course import plots

    r = ca.outcome(100, 0, 0, 430)
    fig, html = ca.render(r)
    try:
        title = plots.figure_title(fig)
    finally:
        plots.close(fig)
    assert title.startswith("Joint output is worth") and "more than in autarky" in title
    assert "gain over autarky (%)" in html
    alt = ca.alt_text(r)
    assert "Beijing" in alt and f"{r.gains['Hebei']:+.1f}" in alt


def test_docstring_examples():
    result = doctest.testmod(ca, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# --- lesson 23's check questions ------------------------------------------------------------------

import json
import re
from pathlib import Path

from course import quiz

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "23_coordinating_the_whole.ipynb"
ANSWERS23 = {"q1": "07b2e61468f38a23", "q2": "a9bd928d3c49c078", "q3": "34019bd74d184280"}


def lesson_questions(path):
    """Build q1, q2, q3 exactly as the notebook's question cells do."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    found = {}
    for name in ("q1", "q2", "q3"):
        (src,) = [t for t in sources if t.startswith(f"{name} = quiz.")]
        ns = {"quiz": quiz}
        exec(src, ns)
        found[name] = ns[name]
    return found


def shown_text(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    outs = []
    for c in cells:
        for o in c.get("outputs", []) if c["cell_type"] == "code" else []:
            outs.append(str(o.get("text", "")))
            for key in ("text/plain", "text/markdown", "text/html"):
                outs.append(str(o.get("data", {}).get(key, "")))
    return " ".join(outs), " ".join("".join(c["source"]) for c in cells)


def refused(q, value, fmt):
    fb = q.check(fmt.format(value))
    return (not fb.correct) and (fb.message.startswith("Not yet") or "outside the plausible range" in fb.message)


def test_q1_tianjin_steel_location_quotient():
    sc = course.load("province_output_steel_cement").query("year == 2020").set_index("province_code")
    gdp = course.load("province_gdp").query("year == 2020")
    post = gdp[gdp["vintage"] == "post_5th_census_revision"].set_index("province_code")["gdp_100m_yuan"]
    pre = gdp[gdp["vintage"] == "pre_5th_census_revision"].set_index("province_code")["gdp_100m_yuan"]
    steel = sc["crude_steel_10k_tonnes"]
    published = steel.dropna()
    # by hand: Tianjin's tonnes over the published total, over its GRP over the 31-province GRP
    lq = (steel[120000] / published.sum()) / (post[120000] / post.sum())
    assert quiz.digest(lq, 3) == ANSWERS23["q1"]
    q = lesson_questions(LESSON)["q1"]
    assert q.answer == ANSWERS23["q1"] and q.check(f"{lq:.3f}").correct
    wrong = {
        "pre-revision GRP": (steel[120000] / published.sum()) / (pre[120000] / pre.sum()),
        "GRP of the 28 publishing provinces only": (steel[120000] / published.sum())
        / (post[120000] / post[published.index].sum()),
        "the steel share alone": steel[120000] / published.sum(),
        "inverted": (post[120000] / post.sum()) / (steel[120000] / published.sum()),
    }
    for name, w in wrong.items():
        assert abs(round(w, 3) - round(lq, 3)) > 0.0015, name
        assert refused(q, w, "{:.3f}"), name


def test_q2_zhejiang_implied_growth():
    e = course.load("province_energy_intensity_change_2020").set_index("province_en")
    dE, dI = e.loc["Zhejiang", "energy_consumption_growth_pct"], e.loc["Zhejiang", "energy_intensity_change_pct"]
    assert (dE, dI) == (10.1, 6.34)           # the figures the question quotes
    g = 100 * ((1 + dE / 100) / (1 + dI / 100) - 1)
    assert quiz.digest(g, 2) == ANSWERS23["q2"]
    q = lesson_questions(LESSON)["q2"]
    assert q.answer == ANSWERS23["q2"] and q.check(f"{g:.2f}").correct
    index = course.load("province_gdp_index").query(
        "year == 2020 and vintage == 'post_5th_census_revision' and province_en == 'Zhejiang'")
    official = float(index["gdp_index_prev_year_100"].iloc[0]) - 100
    for w in (dE - dI, official, dE + dI, -g):      # the approximation, the official index, sign slips
        assert abs(round(w, 2) - round(g, 2)) > 0.015
        assert refused(q, w, "{:.2f}")


def test_q3_market_price_at_beta_0_7():
    # by hand: at beta = 0.7, Beijing and Tianjin make technology and Hebei goods if the price lies
    # between Tianjin's and Hebei's opportunity costs; then p = beta * G_Hebei / ((1 - beta) * S_BJ+TJ)
    t = hand_table()
    S = (t.loc[["Beijing", "Tianjin"], "workers"] * t.loc[["Beijing", "Tianjin"], "tech"]).sum()
    G = t.loc["Hebei", "workers"] * t.loc["Hebei", "goods"]
    p = 0.7 * G / (0.3 * S)
    oc_ = t["goods"] / t["tech"]
    assert oc_["Tianjin"] < p < oc_["Hebei"]
    assert quiz.digest(round(p), 0) == ANSWERS23["q3"]
    q = lesson_questions(LESSON)["q3"]
    assert q.answer == ANSWERS23["q3"] and q.check(f"{round(p)}").correct
    e = ca.calibrate()
    for w in (oc_["Tianjin"], ca.equilibrium(e).price, (oc_["Beijing"] + oc_["Hebei"]) / 2,
              0.7 * G / (0.3 * t.loc["Beijing", "workers"] * t.loc["Beijing", "tech"])):
        assert round(w) != round(p)
        assert refused(q, round(w), "{}")


def test_lesson23_answers_are_not_printed_and_digests_are_in_the_source():
    shown, source = shown_text(LESSON)
    t = hand_table()
    S = (t.loc[["Beijing", "Tianjin"], "workers"] * t.loc[["Beijing", "Tianjin"], "tech"]).sum()
    p = 0.7 * t.loc["Hebei", "workers"] * t.loc["Hebei", "goods"] / (0.3 * S)
    for text in ("1.478", "1.48 ", "3.54", f"{round(p)} ", f"{p:.1f}"):
        assert text not in shown, text
    for d in ANSWERS23.values():
        assert f'answer="{d}"' in source


def test_lessons_23_and_24_mention_only_lessons_that_exist():
    existing = {p.name[:2] for p in (ROOT / "notebooks").glob("*.ipynb")}
    for path in sorted((ROOT / "notebooks").glob("2[34]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for num in re.findall(r"[Ll]essons? (\d\d)", text):
            assert num in existing, f"{path.name} mentions lesson {num}, which does not exist"
