"""Lesson 12 (N2): regional disparity of per-capita indicators.

Expectations come from theory or from hand computation on tiny tables, never from the code's own
output: equal per-capita values give zero inequality; two regions that are internally equal have
no within-region inequality; Theil's T splits exactly into between and within parts; measures of
relative inequality do not change when every value is multiplied by the same number.
"""

import math

import numpy as np
import pandas as pd
import pytest

import course
from course import quiz, regional
from course.widgets import EdgeCase

POST, PRE = "post_5th_census_revision", "pre_5th_census_revision"


# --------------------------------------------------------------------------- tiny tables
def panel(rows, year=2020):
    """A panel from (region, value, population) triples, one province each."""
    return pd.DataFrame(
        {
            "province_code": range(1, len(rows) + 1),
            "province_en": [f"P{i}" for i in range(1, len(rows) + 1)],
            "nbs_region_en": [r for r, _, _ in rows],
            "year": year,
            "population_10k": [float(p) for _, _, p in rows],
            "gdp_per_capita_yuan": [float(v) for _, v, _ in rows],
        }
    )


def test_per_capita_panel_units_vintage_and_merge():
    gdp = pd.DataFrame(
        {
            "province_code": [1, 2, 1, 2, 1],
            "province_en": ["A", "B", "A", "B", "A"],
            "nbs_region_en": ["East", "West", "East", "West", "East"],
            "year": [2020, 2020, 2020, 2020, 2021],
            "gdp_100m_yuan": [200.0, 100.0, 999.0, 999.0, 300.0],
            "vintage": [POST, POST, PRE, PRE, POST],
        }
    )
    pop = pd.DataFrame({"province_code": [1, 2], "year": [2020, 2020], "resident_population_10k": [100, 50]})
    out = regional.per_capita_panel(gdp, pop, POST)
    # 200 * 1e8 yuan / (100 * 1e4 persons) = 20,000 yuan per person; 2021 has no population -> dropped
    assert out["gdp_per_capita_yuan"].tolist() == [20000.0, 20000.0]
    assert out["year"].tolist() == [2020, 2020]
    pre = regional.per_capita_panel(gdp, pop, PRE)
    assert pre["gdp_per_capita_yuan"].tolist() == [99900.0, 199800.0]
    with pytest.raises(ValueError, match="unknown vintage"):
        regional.per_capita_panel(gdp, pop, "2019")


def test_equal_per_capita_means_no_inequality():
    p = panel([("East", 5, 10), ("East", 5, 1), ("West", 5, 7), ("Central", 5, 3)])
    for weights in ("population", "equal"):
        d = regional.disparity(p, 2020, weights=weights)
        for value in (d.cv, d.cv_weighted, d.gini, d.gini_weighted, d.theil, d.between, d.within):
            assert value == pytest.approx(0, abs=1e-12)
        assert d.between_share == 0
        assert d.max_min_ratio == 1


def test_two_internally_equal_regions_have_zero_within():
    # East: 2, 2; West: 1, 1; equal populations.  Mean 1.5.
    p = panel([("East", 2, 1), ("East", 2, 1), ("West", 1, 1), ("West", 1, 1)])
    expected_t = (2 / 3) * math.log(4 / 3) + (1 / 3) * math.log(2 / 3)
    for weights in ("population", "equal"):
        d = regional.disparity(p, 2020, weights=weights)
        assert d.within == pytest.approx(0, abs=1e-12)
        assert d.between == pytest.approx(expected_t)
        assert d.theil == pytest.approx(expected_t)
        assert d.between_share == pytest.approx(1)
    # CV: population s.d. 0.5 over mean 1.5; Gini: 8 ordered pairs differ by 1 -> 8 / (2 * 16 * 1.5)
    assert d.cv == pytest.approx(1 / 3)
    assert d.gini == pytest.approx(1 / 6)
    assert d.max_min_ratio == pytest.approx(2)
    assert list(d.by_region.index) == ["East", "West"]
    assert d.by_region["mean"].tolist() == [2, 1]
    assert d.by_region["provinces"].tolist() == [2, 2]


def test_population_weights_by_hand():
    # One rich, populous province (value 2, pop 3) and one poor, small one (value 1, pop 1).
    p = panel([("East", 2, 3), ("West", 1, 1)])
    d = regional.disparity(p, 2020, weights="population")
    # weighted mean 7/4; weighted variance (3*(1/4)^2 + 1*(3/4)^2)/4 = 3/16 -> CV_w = sqrt(3)/7
    assert d.mean_weighted == pytest.approx(7 / 4)
    assert d.cv_weighted == pytest.approx(math.sqrt(3) / 7)
    # T = sum (Y_i/Y) ln((Y_i/Y)/(P_i/P)) with Y = 7, P = 4
    assert d.theil == pytest.approx((6 / 7) * math.log((6 / 7) / (3 / 4)) + (1 / 7) * math.log((1 / 7) / (1 / 4)))
    assert d.within == pytest.approx(0, abs=1e-12)  # one province per region
    # Weighted Gini: a population of 3 people at 2 and 1 at 1 -> sum|yi-yj| = 2*3*1 = 6 over 2*16*7/4
    assert d.gini_weighted == pytest.approx(6 / 56)
    # The unweighted measures ignore the populations: values 2 and 1
    assert d.cv == pytest.approx(1 / 3)
    assert d.gini == pytest.approx(2 / (2 * 4 * 1.5))
    eq = regional.disparity(p, 2020, weights="equal")
    assert eq.theil == pytest.approx(0.5 * (2 / 1.5) * math.log(2 / 1.5) + 0.5 * (1 / 1.5) * math.log(1 / 1.5))


def random_panel(seed=7, n=31):
    rng = np.random.default_rng(seed)
    regions = np.array(regional.REGIONS)[rng.integers(0, 4, n)]
    regions[:4] = regional.REGIONS  # every region present
    return panel([(r, v, p) for r, v, p in zip(regions, rng.lognormal(11, 0.4, n), rng.integers(300, 12000, n))])


@pytest.mark.parametrize("weights", ["population", "equal"])
def test_theil_splits_exactly_and_between_matches_region_totals(weights):
    p = random_panel()
    d = regional.disparity(p, 2020, weights=weights)
    assert d.between + d.within == pytest.approx(d.theil, rel=1e-12)
    assert d.by_region["within_contribution"].sum() == pytest.approx(d.within, rel=1e-9)
    # Between part from region aggregates, computed independently (METHODS.md N2 formulas)
    y, pop, g = p["gdp_per_capita_yuan"], p["population_10k"], p["nbs_region_en"]
    if weights == "population":
        Y = (y * pop).groupby(g).sum()
        P = pop.groupby(g).sum()
        between = ((Y / Y.sum()) * np.log((Y / Y.sum()) / (P / P.sum()))).sum()
    else:
        n_k, mean_k, mean = g.value_counts(), y.groupby(g).mean(), y.mean()
        between = ((n_k / len(y)) * (mean_k / mean) * np.log(mean_k / mean)).sum()
    assert d.between == pytest.approx(between, rel=1e-12)


def test_relative_measures_do_not_depend_on_units():
    p = random_panel(seed=3)
    d1 = regional.disparity(p, 2020)
    d2 = regional.disparity(p.assign(gdp_per_capita_yuan=p["gdp_per_capita_yuan"] * 10), 2020)
    for name in ("cv", "cv_weighted", "gini", "gini_weighted", "theil", "between", "within"):
        assert getattr(d2, name) == pytest.approx(getattr(d1, name), rel=1e-12)


def test_region_selection_and_edge_cases():
    p = panel([("East", 3, 1), ("East", 1, 1), ("West", 2, 1), ("Northeast", 2, 1)])
    only_east = regional.disparity(p, 2020, regions=["East"])
    assert only_east.n == 2 and only_east.between == pytest.approx(0, abs=1e-12)
    assert only_east.within == pytest.approx(only_east.theil)
    with pytest.raises(EdgeCase, match="No region selected"):
        regional.disparity(p, 2020, regions=[])
    with pytest.raises(EdgeCase, match="at least two provinces"):
        regional.disparity(p, 2020, regions=["West"])
    with pytest.raises(EdgeCase, match="covers 2020-2020"):
        regional.disparity(p, 2019)
    with pytest.raises(EdgeCase, match="positive"):
        regional.disparity(p.assign(gdp_per_capita_yuan=[1.0, 0.0, 2.0, 3.0]), 2020)
    with pytest.raises(ValueError, match="unknown region"):
        regional.disparity(p, 2020, regions=["South"])


def test_disparity_series_is_one_row_per_year():
    p = pd.concat([random_panel(seed=1).assign(year=2020), random_panel(seed=2).assign(year=2021)])
    s = regional.disparity_series(p)
    assert list(s.index) == [2020, 2021]
    assert s.loc[2021, "gini"] == pytest.approx(regional.disparity(p, 2021).gini)


def test_beta_convergence_recovers_a_known_slope():
    y0 = np.exp([0.0, 1.0, 2.0, 3.0])
    growth = 0.10 - 0.02 * np.log(y0)  # poorer provinces grow faster: beta = -0.02
    y1 = y0 * np.exp(5 * growth)
    p = pd.concat([panel([("East", v, 1) for v in y0]).assign(year=2010), panel([("East", v, 1) for v in y1]).assign(year=2015)])
    b = regional.beta_convergence(p, 2010, 2015)
    assert b.beta == pytest.approx(-0.02)
    assert b.alpha == pytest.approx(0.10)
    assert b.r2 == pytest.approx(1)
    assert b.speed == pytest.approx(-math.log(1 - 5 * 0.02) / 5)
    with pytest.raises(EdgeCase):
        regional.beta_convergence(p, 2015, 2010)
    with pytest.raises(EdgeCase):
        regional.beta_convergence(p, 2009, 2015)


# --------------------------------------------------------------------------- the real data
@pytest.fixture(scope="module")
def tables():
    return {
        name: course.load(name)
        for name in ("province_gdp", "province_population", "province_income_consumption", "province_value_added")
    }


@pytest.fixture(scope="module")
def panels(tables):
    return regional.build_panels(
        tables["province_gdp"], tables["province_population"], tables["province_income_consumption"], tables["province_value_added"]
    )


def test_real_panels_cover_31_provinces_in_the_expected_years(panels):
    expected = {
        ("gdp_pc", POST): range(2010, 2025),  # population starts 2010, revised GDP ends 2024
        ("gdp_pc", PRE): range(2010, 2024),   # pre-revision GDP ends 2023
        ("income_pc", None): range(2013, 2025),
        ("gdp_pc_nbs", PRE): range(2013, 2020),
        ("gdp_pc_nbs", POST): range(2019, 2025),
    }
    for key, years in expected.items():
        p = panels[key]
        assert regional.available_years(p) == list(years), key
        assert (p.groupby("year")["province_code"].nunique() == 31).all(), key


def test_computed_gdp_per_capita_is_close_to_the_published_one(panels):
    # NBS divides by mean population, the course by year-end population: close, not equal.
    for v in (PRE, POST):
        both = panels[("gdp_pc", v)].merge(panels[("gdp_pc_nbs", v)], on=["province_code", "year"])
        both = both[both["year"] <= 2023]
        rel = both["gdp_per_capita_yuan"] / both["gdp_per_capita_yuan_nbs"] - 1
        assert len(both) > 0
        assert rel.abs().max() < 0.05
        # year-end population is usually above the mean population when population grows, so the
        # computed figure is usually (not always) a little lower
        assert (rel < 0).mean() > 0.5


def test_regional_means_order_2023(panels):
    d = regional.disparity(panels[("gdp_pc", PRE)], 2023)
    # population-weighted region means equal region GDP / region population
    p = panels[("gdp_pc", PRE)].query("year == 2023")
    direct = p.groupby("nbs_region_en")["gdp_100m_yuan"].sum() / p.groupby("nbs_region_en")["population_10k"].sum() * 1e4
    assert d.by_region["mean_weighted"].to_dict() == pytest.approx(direct.to_dict())
    assert d.by_region["mean_weighted"].idxmax() == "East"
    assert d.n == 31


# --------------------------------------------------------------------------- the widget
def hand_theil(frame, value, weights=True):
    """Theil T and its between part from region totals, straight from the formulas (METHODS.md N2)."""
    y, pop, g = frame[value].astype(float), frame["population_10k"].astype(float), frame["nbs_region_en"]
    if not weights:
        pop = pop * 0 + 1
    s, p = y * pop / (y * pop).sum(), pop / pop.sum()
    total = float((s * np.log(s / p)).sum())
    S, P = s.groupby(g).sum(), p.groupby(g).sum()
    return total, float((S * np.log(S / P)).sum())


def test_explorer_recomputes_when_controls_change(panels, tables):
    ex = regional.build_explorer(panels)
    assert ex.message is None and ex.error is None
    assert ex.result.year == 2024 and ex.result.disparity.n == 31
    assert "Between regions" in ex.html and "<img" in ex.html

    gdp, pop = tables["province_gdp"], tables["province_population"]
    rows = gdp[(gdp["vintage"] == POST) & (gdp["year"] == 2015)].merge(pop, on=["province_code", "year"])
    rows = rows.assign(v=rows["gdp_100m_yuan"] / rows["resident_population_10k"],
                       population_10k=rows["resident_population_10k"], nbs_region_en=rows["nbs_region_en_x"])
    total, between = hand_theil(rows, "v")
    ex.controls["year"].value = 2015
    assert ex.message is None
    assert ex.result.year == 2015
    assert ex.result.disparity.theil == pytest.approx(total)
    assert ex.result.disparity.between == pytest.approx(between)

    ex.controls["weights"].value = "equal"
    total_eq, between_eq = hand_theil(rows, "v", weights=False)
    assert ex.result.disparity.theil == pytest.approx(total_eq)
    assert ex.result.disparity.between == pytest.approx(between_eq)

    ex.controls["regions"].value = ("Northeast",)
    assert ex.result.disparity.n == 3
    assert ex.result.disparity.between == pytest.approx(0, abs=1e-12)

    ex.controls["indicator"].value = "income_pc"
    inc = tables["province_income_consumption"].query("year == 2015 and nbs_region_en == 'Northeast'")
    assert sorted(ex.result.disparity.values["value"]) == sorted(inc["disposable_income_per_capita_all_residents_yuan"])


def test_explorer_computes_each_setting_once(panels, monkeypatch):
    calls = []
    explore = regional.explore

    def counted(*args, **kwargs):
        calls.append(kwargs["year"])
        return explore(*args, **kwargs)

    monkeypatch.setattr(regional, "explore", counted)
    ex = regional.build_explorer(panels)
    for year in (2015, 2024, 2015, 2024):
        ex.controls["year"].value = year
    assert calls == [2024, 2015]                  # the default and 2015, once each
    shown = ex.output.value
    ex.controls["regions"].value = ("East",)      # another setting: computed
    ex.controls["regions"].value = regional.REGIONS
    assert len(calls) == 3 and ex.output.value == shown


def test_explorer_explains_edge_settings(panels):
    ex = regional.build_explorer(panels)
    ex.set(indicator="income_pc", year=2012)
    assert ex.result is None and ex.error is None
    assert "no data for 2012" in ex.message and "2013-2024" in ex.message
    assert "Note:" in ex.html
    ex.set(indicator="gdp_pc", vintage=PRE, year=2024)
    assert "switch the vintage" in ex.message and "2010-2023" in ex.message
    ex.set(vintage=POST)
    assert ex.message is None and ex.result.year == 2024
    ex.controls["regions"].value = ()
    assert ex.message.startswith("No region selected")
    ex.controls["regions"].value = ("East", "West")
    assert ex.message is None and ex.result.disparity.n == 22


# Check questions: answered by hand in tests/lesson_answers.py, tested in tests/test_check_questions.py.


def test_real_per_capita_panel_by_hand():
    panel = pd.DataFrame({"province_code": [1, 1, 1, 2, 2, 2], "province_en": ["A"] * 3 + ["B"] * 3,
                          "nbs_region_en": "East", "year": [2015, 2016, 2017] * 2,
                          "gdp_100m_yuan": [100.0, 130.0, 150.0, 50.0, 60.0, 70.0],
                          "population_10k": [10.0, 10.0, 11.0, 5.0, 4.0, 4.0]})
    panel["gdp_per_capita_yuan"] = panel["gdp_100m_yuan"] / panel["population_10k"] * 1e4
    index = pd.DataFrame({"province_code": [1, 1, 2, 2], "year": [2016, 2017] * 2, "vintage": "v",
                          "gdp_index_prev_year_100": [105.0, 110.0, 100.0, 100.0]})
    out = regional.real_per_capita_panel(panel, index, 2015, vintage="v").set_index(["province_code", "year"])
    a15 = 100 / 10 * 1e4
    assert out.loc[(1, 2017), "real_gdp_per_capita_yuan"] == pytest.approx(a15 * 1.05 * 1.10 * 10 / 11)
    # B: no real growth, population down from 5 to 4 -> real output per person up by 5/4
    assert out.loc[(2, 2016), "real_gdp_per_capita_yuan"] == pytest.approx(50 / 5 * 1e4 * 5 / 4)
    assert out.loc[(1, 2015), "real_gdp_per_capita_yuan"] == out.loc[(1, 2015), "gdp_per_capita_yuan"]
    with pytest.raises(EdgeCase, match="does not start"):
        regional.real_per_capita_panel(panel, index, 2017, vintage="v")   # no growth index for 2018
    with pytest.raises(EdgeCase, match="No GDP per capita"):
        regional.real_per_capita_panel(panel, index, 2014, vintage="v")


def test_doctests_pass():
    import doctest

    result = doctest.testmod(regional, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- urban and rural (lesson 22, S2.2)
def test_urban_rural_by_hand_and_identities():
    t = pd.DataFrame({"province_code": [1, 1, 2, 2], "year": [2013, 2019, 2013, 2019],
                      "consumption_expenditure_per_capita_urban_yuan": [200.0, 300.0, 100.0, 150.0],
                      "consumption_expenditure_per_capita_rural_yuan": [100.0, 200.0, 50.0, 60.0],
                      "disposable_income_per_capita_urban_yuan": [1.0, 2.0, 1.0, 2.0],
                      "disposable_income_per_capita_rural_yuan": [1.0, 1.0, 1.0, 1.0]})
    r = regional.urban_rural(t)
    assert r.loc[1, "ratio_start"] == 2.0 and r.loc[1, "ratio_end"] == 1.5 and r.loc[1, "gap_end"] == 100.0
    assert r.loc[1, "growth_rural"] == pytest.approx(2 ** (1 / 6) - 1) and bool(r.loc[1, "rural_faster"])
    assert not r.loc[2, "rural_faster"] and r.loc[2, "ratio_end"] == pytest.approx(2.5)
    # theory: the ratio changes by the factor ((1 + g_u) / (1 + g_r)) ** years, so it falls iff rural grows faster
    factor = ((1 + r["growth_urban"]) / (1 + r["growth_rural"])) ** 6
    assert np.allclose(r["ratio_end"], r["ratio_start"] * factor)
    assert ((r["ratio_end"] < r["ratio_start"]) == r["rural_faster"]).all()
    assert regional.urban_rural(t, "income").loc[1, "ratio_end"] == 2.0
    with pytest.raises(EdgeCase, match="2013-2019 only"):
        regional.urban_rural(t, start=2013, end=2020)
    with pytest.raises(EdgeCase, match="after the start"):
        regional.urban_rural(t, start=2019, end=2013)


def test_urban_rural_on_the_real_table():
    inc = course.load("province_income_consumption")
    for kind in ("consumption", "income"):
        r = regional.urban_rural(inc, kind)
        assert len(r) == 31 and (r["ratio_start"] > 1).all() and (r["ratio_end"] > 1).all()   # urban above rural
        assert ((r["ratio_end"] < r["ratio_start"]) == r["rural_faster"]).all()
        assert np.allclose(r["gap_end"], r["urban_end"] - r["rural_end"])


def test_sign_test_by_hand_and_symmetry():
    assert regional.sign_test(3, 3) == 0.125 and regional.sign_test(0, 5) == 1.0
    assert regional.sign_test(2, 3) == pytest.approx(0.5)                   # (3 + 1) / 8
    for n in (5, 12, 31):
        for k in range(1, n + 1):                                         # P(X >= k) + P(X >= n - k + 1) = 1
            assert regional.sign_test(k, n) + regional.sign_test(n - k + 1, n) == pytest.approx(1)
    with pytest.raises(ValueError):
        regional.sign_test(4, 3)
