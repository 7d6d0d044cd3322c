"""Lesson 15 (N5): the new-development-philosophy dashboard.

Expectations come from the definitions and hand computation on tiny tables, never from the code's
own output: min-max puts the best province at 1 and the worst at 0 whichever the direction; an
equal-weight mean of two mirror-image indicators is flat; an unmeasured dimension is left out of
the average (it is not a zero); a missing value stays missing and the documented rule decides what
the overall score does with it. Checks against the course data recompute each indicator from the
raw tables by a second route.
"""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import course
from course import dashboard as dash
from course import quiz
from course.widgets import EdgeCase


def frame(**cols):
    return pd.DataFrame(cols, index=["P", "Q", "R"][: len(next(iter(cols.values())))])


# --------------------------------------------------------------------------- normalisation
def test_minmax_direction_best_gets_one():
    ind = frame(more=[1.0, 2.0, 3.0], less=[1.0, 2.0, 3.0])
    out = dash.normalise(ind, {"more": "+", "less": "-"})
    assert out["more"].tolist() == [0.0, 0.5, 1.0]
    assert out["less"].tolist() == [1.0, 0.5, 0.0]


def test_minmax_missing_stays_missing_and_bounds_use_present_values():
    ind = frame(x=[10.0, np.nan, 30.0])
    out = dash.normalise(ind, {"x": "+"})
    assert out.loc["P", "x"] == 0.0 and out.loc["R", "x"] == 1.0
    assert math.isnan(out.loc["Q", "x"])


def test_rank_normalisation_by_hand_with_ties():
    # ranks (ascending, "+"): 1.5, 1.5, 3 -> (r - 1) / (n - 1) = 0.25, 0.25, 1
    out = dash.normalise(frame(x=[5.0, 5.0, 9.0]), {"x": "+"}, method="rank")
    assert out["x"].tolist() == pytest.approx([0.25, 0.25, 1.0])
    out = dash.normalise(frame(x=[10.0, 30.0, 20.0]), {"x": "-"}, method="rank")
    assert out["x"].tolist() == pytest.approx([1.0, 0.0, 0.5])


def test_rank_and_minmax_agree_on_evenly_spaced_values_only():
    even = frame(x=[1.0, 2.0, 3.0])
    assert dash.normalise(even, {"x": "+"}, "rank")["x"].tolist() == dash.normalise(even, {"x": "+"})["x"].tolist()
    skewed = frame(x=[1.0, 2.0, 100.0])  # an outlier: min-max squeezes the others, rank does not
    assert dash.normalise(skewed, {"x": "+"})["x"].iloc[1] == pytest.approx(1 / 99)
    assert dash.normalise(skewed, {"x": "+"}, "rank")["x"].iloc[1] == pytest.approx(0.5)


def test_normalise_rejects_bad_direction_method_and_column():
    ind = frame(x=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="direction"):
        dash.normalise(ind, {"x": "up"})
    with pytest.raises(ValueError, match="method"):
        dash.normalise(ind, {"x": "+"}, method="zscore")
    with pytest.raises(ValueError, match="not a column"):
        dash.normalise(ind, {"y": "+"})


# --------------------------------------------------------------------------- dimension scores
def test_equal_weights_mean_of_mirror_indicators_is_flat():
    ind = frame(a=[0.0, 5.0, 10.0], b=[10.0, 5.0, 0.0])  # normalised: 0, .5, 1 and 1, .5, 0
    s = dash.dimension_scores(ind, {"a": "+", "b": "+"}, groups={"innovation": ["a", "b"]})
    assert s["innovation"].tolist() == pytest.approx([0.5, 0.5, 0.5])


def test_unequal_indicator_weights_by_hand():
    ind = frame(a=[0.0, 5.0, 10.0], b=[10.0, 5.0, 0.0])
    s = dash.dimension_scores(ind, {"a": "+", "b": "+"}, weights={"a": 3, "b": 1},
                              groups={"innovation": ["a", "b"]})
    # (3 * [0, .5, 1] + 1 * [1, .5, 0]) / 4
    assert s["innovation"].tolist() == pytest.approx([0.25, 0.5, 0.75])


def test_unmeasured_dimension_gets_no_column():
    ind = frame(a=[1.0, 2.0, 3.0])
    s = dash.dimension_scores(ind, {"a": "+"}, groups={"innovation": ["a"], "openness": []})
    assert list(s.columns) == ["innovation"]


def test_missing_indicator_dimension_uses_the_indicators_the_province_has():
    ind = frame(a=[0.0, 5.0, 10.0], b=[0.0, np.nan, 10.0], g=[1.0, 2.0, np.nan])
    s = dash.dimension_scores(ind, {"a": "+", "b": "+", "g": "-"},
                              groups={"innovation": ["a", "b"], "green": ["g"]})
    assert s.loc["Q", "innovation"] == pytest.approx(0.5)  # only a: 0.5
    assert s.loc["P", "innovation"] == 0.0 and s.loc["R", "innovation"] == 1.0
    assert s.loc["P", "green"] == 1.0 and s.loc["Q", "green"] == 0.0
    assert math.isnan(s.loc["R", "green"])  # no green indicator at all -> missing, not zero


def test_all_indicator_weights_zero_in_a_dimension_is_an_edge_case():
    ind = frame(a=[0.0, 5.0, 10.0])
    with pytest.raises(EdgeCase, match="zero"):
        dash.dimension_scores(ind, {"a": "+"}, weights={"a": 0}, groups={"green": ["a"]})
    with pytest.raises(ValueError, match="negative"):
        dash.dimension_scores(ind, {"a": "+"}, weights={"a": -1}, groups={"green": ["a"]})


# --------------------------------------------------------------------------- overall score
SCORES = pd.DataFrame({"innovation": [0.0, 0.5, 1.0], "green": [1.0, 0.5, np.nan]}, index=["P", "Q", "R"])


def test_overall_equal_weights_is_the_plain_mean():
    out = dash.overall_score(SCORES.iloc[:2])
    assert out.tolist() == pytest.approx([0.5, 0.5])


def test_unmeasured_dimension_is_excluded_not_counted_as_zero():
    s = SCORES[["innovation"]]
    with_openness = dash.overall_score(s, {"innovation": 1, "openness": 1})
    assert with_openness.tolist() == pytest.approx([0.0, 0.5, 1.0])  # zero-filling would halve these


def test_weights_are_relative_and_unnamed_measured_dimensions_get_zero():
    a = dash.overall_score(SCORES.iloc[:2], {"innovation": 1, "green": 3})
    b = dash.overall_score(SCORES.iloc[:2], {"innovation": 2, "green": 6})
    assert a.tolist() == pytest.approx(b.tolist())
    assert a.tolist() == pytest.approx([0.75, 0.5])  # (1*0 + 3*1)/4, (1*.5 + 3*.5)/4
    only = dash.overall_score(SCORES, {"innovation": 1})
    assert only.tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_missing_dimension_reweight_and_strict_rules():
    rew = dash.overall_score(SCORES, {"innovation": 1, "green": 1})
    assert rew.loc["R"] == pytest.approx(1.0)  # only innovation is there: weight rescaled to 1
    assert dash.dimensions_used(SCORES, {"innovation": 1, "green": 1}).tolist() == [2, 2, 1]
    strict = dash.overall_score(SCORES, {"innovation": 1, "green": 1}, missing="strict")
    assert math.isnan(strict.loc["R"]) and strict.loc["P"] == pytest.approx(0.5)
    # a zero-weight missing dimension does not make the strict score missing
    assert dash.overall_score(SCORES, {"innovation": 1, "green": 0}, missing="strict").loc["R"] == 1.0


def test_all_zero_weights_is_an_edge_case_and_bad_weights_are_errors():
    with pytest.raises(EdgeCase, match="zero"):
        dash.overall_score(SCORES, {"innovation": 0, "green": 0, "openness": 1})
    with pytest.raises(ValueError, match="negative"):
        dash.overall_score(SCORES, {"innovation": -1, "green": 1})
    with pytest.raises(ValueError, match="unknown dimension"):
        dash.overall_score(SCORES, {"innovations": 1})
    with pytest.raises(ValueError, match="missing"):
        dash.overall_score(SCORES, missing="zero")


# --------------------------------------------------------------------------- rank statistics
def test_spearman_by_hand():
    # d = 1, -1, 1, -1, 0 -> rho = 1 - 6 * 4 / (5 * 24) = 0.8
    r = dash.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    assert r.rho == pytest.approx(0.8) and r.n == 5 and 0 < r.p_value <= 1
    assert dash.spearman([1, 2, 3, 4], [10, 20, 30, 40]).rho == pytest.approx(1.0)
    assert dash.spearman([1, 2, 3, 4], [4, 3, 2, 1]).rho == pytest.approx(-1.0)


def test_spearman_drops_missing_pairs_and_guards_degenerate_input():
    r = dash.spearman([1, 2, np.nan, 4, 5], [1, 2, 3, 4, 5])
    assert r.n == 4 and r.rho == pytest.approx(1.0)
    with pytest.raises(EdgeCase):
        dash.spearman([1, 2], [1, 2])
    with pytest.raises(EdgeCase):
        dash.spearman([1, 1, 1], [1, 2, 3])


def test_spearman_p_value_is_small_for_a_perfect_ranking_and_seeded():
    x = np.arange(12.0)
    r = dash.spearman(x, x, permutations=999, seed=1)
    assert r.p_value == pytest.approx(1 / 1000)  # no shuffle of 12 items matches |rho| = 1 by chance here
    assert dash.spearman(x, x[::-1] ** 2, seed=3) == dash.spearman(x, x[::-1] ** 2, seed=3)


def test_rank_shifts_and_dimension_ranks_by_hand():
    a = pd.Series([0.9, 0.5, 0.1], index=["P", "Q", "R"])
    b = pd.Series([0.2, 0.5, 0.8], index=["P", "Q", "R"])
    out = dash.rank_shifts(a, b)
    assert out.loc["P", "shift"] == 2 and out.loc["R", "shift"] == -2 and out.loc["Q", "shift"] == 0
    assert out.index[-1] == "Q"  # largest moves first
    ranks = dash.dimension_ranks(SCORES)
    assert ranks.loc["R", "innovation"] == 1 and pd.isna(ranks.loc["R", "green"])
    assert ranks.loc["P", "spread"] == 2  # innovation 3rd, green 1st


# --------------------------------------------------------------------------- indicator table (tiny)
def tiny_tables():
    prov = pd.DataFrame({"province_code": [110000, 120000], "province_en": ["Beijing", "Tianjin"],
                         "nbs_region_en": ["East", "East"]})
    nat = {"province_code": 100000}

    def long(rows, **extra):
        return pd.DataFrame(rows).assign(**extra)

    return {
        "provinces": prov,
        "province_rd_first_published": long([nat | {"year": 2023, "rd_intensity_pct": 2.6},
                                             {"province_code": 110000, "year": 2023, "rd_intensity_pct": 6.0},
                                             {"province_code": 120000, "year": 2023, "rd_intensity_pct": 3.0},
                                             {"province_code": 110000, "year": 2022, "rd_intensity_pct": 9.9}]),
        "province_patents_granted": long([{"province_code": 110000, "year": 2023, "patents_granted_invention": 1000},
                                          {"province_code": 120000, "year": 2023, "patents_granted_invention": 300}]),
        "province_population": long([{"province_code": 110000, "year": 2023, "resident_population_10k": 200},
                                     {"province_code": 120000, "year": 2023, "resident_population_10k": 100}]),
        "province_tech_market": long([{"province_code": 110000, "year": 2023, "tech_market_turnover_100m_yuan": 50.0},
                                      {"province_code": 120000, "year": 2023, "tech_market_turnover_100m_yuan": 10.0}]),
        "province_gdp": long([{"province_code": 110000, "year": 2023, "gdp_100m_yuan": 500.0,
                               "vintage": "pre_5th_census_revision"},
                              {"province_code": 110000, "year": 2023, "gdp_100m_yuan": 999.0,
                               "vintage": "post_5th_census_revision"},
                              {"province_code": 120000, "year": 2023, "gdp_100m_yuan": 400.0,
                               "vintage": "pre_5th_census_revision"},
                              {"province_code": 120000, "year": 2023, "gdp_100m_yuan": 250.0,
                               "vintage": "post_5th_census_revision"}]),
        "province_income_consumption": long([
            {"province_code": c, "year": y,
             "disposable_income_per_capita_all_residents_yuan": inc,
             "consumption_expenditure_per_capita_all_residents_yuan": con,
             "disposable_income_per_capita_urban_yuan": u, "disposable_income_per_capita_rural_yuan": r,
             "consumption_expenditure_per_capita_urban_yuan": cu,
             "consumption_expenditure_per_capita_rural_yuan": cr}
            for c, y, inc, con, u, r, cu, cr in [
                (110000, 2019, 60000, 40000, 75000, 25000, 45000, 20000),
                (120000, 2019, 40000, 30000, 45000, 25000, 33000, 22000),
                (110000, 2023, 80000, 47000, np.nan, np.nan, np.nan, np.nan),
                (120000, 2023, 50000, 35000, np.nan, np.nan, np.nan, np.nan)]]),
        "province_energy_intensity_change_2020": long([nat | {"year": 2020, "energy_intensity_change_pct": -0.1},
                                                       {"province_code": 110000, "year": 2020,
                                                        "energy_intensity_change_pct": -9.0},
                                                       {"province_code": 120000, "year": 2020,
                                                        "energy_intensity_change_pct": np.nan}]),
    }


def test_indicator_table_on_tiny_tables_by_hand():
    ind = dash.indicator_table(2023, tiny_tables())
    bj, tj = ind.loc[110000], ind.loc[120000]
    assert bj["rd_intensity_pct"] == 6.0  # 2023, not 2022; national row ignored
    assert bj["invention_patents_per_10k"] == pytest.approx(1000 / 200)
    assert tj["tech_market_pct_grp"] == pytest.approx(10 / 400 * 100)
    assert bj["tech_market_pct_grp"] == pytest.approx(50 / 500 * 100)  # pre-revision GRP, not 999
    assert bj["urban_rural_income_ratio"] == pytest.approx(3.0)  # 2019: 75000 / 25000
    assert tj["urban_rural_consumption_ratio"] == pytest.approx(1.5)
    assert bj["energy_intensity_change_pct"] == -9.0 and math.isnan(tj["energy_intensity_change_pct"])
    # household income / GDP per capita: 80000 / (999e8 / 200e4 = 49950 yuan); 50000 / (250e8 / 100e4 = 25000)
    assert bj["income_to_gdp_pc"] == pytest.approx(80000 / 49950)  # post-revision GDP, not the 500
    assert tj["income_to_gdp_pc"] == pytest.approx(2.0)
    assert list(ind.columns[2:]) == [i.key for i in dash.INDICATORS]


def test_indicator_years_and_catalogue():
    assert dash.indicator_years(2023)["urban_rural_income_ratio"] == 2019
    assert dash.indicator_years(2023)["urban_rural_consumption_ratio"] == 2019
    assert dash.indicator_years(2023)["income_to_gdp_pc"] == 2023
    assert dash.indicator_years(2016)["urban_rural_income_ratio"] == 2016
    assert dash.indicator_years(2016)["energy_intensity_change_pct"] == 2020
    assert dash.indicator_years(2023)["rd_intensity_pct"] == 2023
    cat = dash.indicator_catalogue(2023)
    assert set(cat["dimension"]) == set(dash.DIMENSIONS)
    openness = cat[cat["dimension"] == "openness"]
    assert len(openness) == 1 and openness["indicator"].isna().all()
    assert "trade" in openness["definition"].iloc[0]
    assert (cat.dropna(subset=["indicator"])["direction"].isin(["+", "-"])).all()
    for bad in (2012, 2024, 2023.0, "2023"):
        with pytest.raises(ValueError, match="year"):
            dash.indicator_years(bad)


# --------------------------------------------------------------------------- the course data
@pytest.fixture(scope="module")
def ind():
    return dash.indicator_table(2023)


def test_real_indicators_agree_with_the_2023_profile(ind):
    prof = course.load("province_profile_2023").set_index("province_code")
    assert len(ind) == 31 and set(ind.index) == set(prof.index)
    p = prof.loc[ind.index]
    assert np.allclose(ind["rd_intensity_pct"], p["rd_intensity_pct"])
    assert np.allclose(ind["invention_patents_per_10k"],
                       p["patents_granted_invention"] / p["yearend_resident_population_10k"])
    assert np.allclose(ind["tech_market_pct_grp"],
                       p["tech_market_turnover_100m_yuan"] / p["gdp_100m_yuan_pre_revision"] * 100)


def test_real_missing_values_only_where_the_source_is_blank(ind):
    missing = ind.drop(columns=["province_en", "nbs_region_en"]).isna()
    assert missing.sum().sum() == 1
    assert missing.loc[540000, "energy_intensity_change_pct"]  # Xizang: 数据暂缺 in the 2020 bulletin


def test_real_coordination_ratios_exceed_one(ind):
    # urban residents earn and spend more than rural residents in every province (2019)
    assert (ind["urban_rural_income_ratio"] > 1).all() and (ind["urban_rural_consumption_ratio"] > 1).all()


def test_real_scores_in_unit_interval_and_xizang_rests_on_three_dimensions(ind):
    t = dash.score_table(ind)
    dims = ["innovation", "coordination", "green", "sharing"]
    assert list(t.columns[2:6]) == dims and "openness" not in t.columns
    vals = t[dims + ["overall"]].to_numpy(dtype=float)
    assert np.nanmin(vals) >= 0 and np.nanmax(vals) <= 1
    assert t["green"].min() == 0 and t["green"].max() == 1  # one indicator: min-max end points
    assert t.loc[540000, "dimensions_used"] == 3 and (t.drop(540000)["dimensions_used"] == 4).all()
    xz = t.loc[540000]
    assert xz["overall"] == pytest.approx((xz["innovation"] + xz["coordination"] + xz["sharing"]) / 3)
    assert t["rank"].min() == 1 and t["rank"].max() == 31


# --------------------------------------------------------------------------- the widget
@pytest.fixture
def ex():
    return dash.explorer()


def test_widget_default_view(ex):
    assert ex.message is None and ex.error is None
    assert ex.result.selected == ["Beijing", "Guangdong", "Guizhou"]
    assert "not measured" in ex.html and "<img" in ex.html and "not measured" in ex.alt_text


def test_widget_recomputes_when_weights_and_provinces_change(ex, ind):
    ex.set(provinces=("Shanghai", "Xizang (Tibet)"), innovation=0.0, coordination=0.0, green=0.0, sharing=2.0)
    res = ex.result
    assert res.selected == ["Shanghai", "Xizang (Tibet)"]
    scores = dash.dimension_scores(ind)
    assert res.table["overall"].to_numpy() == pytest.approx(scores["sharing"].to_numpy())
    assert res.picked.loc["Shanghai", "rank"] == scores["sharing"].rank(ascending=False).loc[310000]
    ex.controls["method"].value = "rank"
    assert ex.result.method == "rank"
    assert ex.result.table["green"].max() == 1.0  # one indicator: its best province gets 1 under rank, too


def test_widget_edge_cases(ex):
    ex.set(innovation=0.0, coordination=0.0, green=0.0, sharing=0.0)
    assert ex.result is None and "zero" in ex.message
    ex.set(innovation=1.0)
    assert ex.message is None
    ex.controls["provinces"].value = ()
    assert ex.result is None and "at least one province" in ex.message
    ex.controls["provinces"].value = tuple(ex.controls["provinces"].options[:6])
    assert "at most 5" in ex.message
    ex.controls["provinces"].value = ("Qinghai",)
    assert ex.message is None and ex.error is None and ex.result.selected == ["Qinghai"]


def test_widget_notes_the_missing_green_score_of_xizang(ex):
    ex.controls["provinces"].value = ("Xizang (Tibet)",)
    assert any("Xizang" in n and "green" in n for n in ex.result.notes)
    assert "no green score" in ex.html
    ex.controls["green"].value = 0.0  # green no longer weighted: nothing is missing
    assert not ex.result.notes
    ex.set(innovation=0.0, coordination=0.0, green=1.0, sharing=0.0)  # only green, which Xizang lacks
    assert ex.error is None and ex.message is None
    assert pd.isna(ex.result.picked.loc["Xizang (Tibet)", "overall"])
    assert any("no overall score" in n for n in ex.result.notes) and "no overall score" in ex.alt_text


def test_dashboard_function_guards():
    with pytest.raises(EdgeCase):
        dash.dashboard(provinces=[])
    with pytest.raises(ValueError, match="unknown province"):
        dash.dashboard(provinces=["Atlantis"])
    with pytest.raises(ValueError, match="method"):
        dash.dashboard(method="zscore")
    with pytest.raises(ValueError, match="year"):
        dash.dashboard(year=2030)


def test_cached_widget_path_equals_the_uncached_computation(ind):
    cached = dash.dashboard(provinces=["Hubei"], innovation=2, method="rank").table
    fresh = dash.dashboard(provinces=["Hubei"], innovation=2, method="rank", indicators=ind).table
    pd.testing.assert_frame_equal(cached, fresh)


# --------------------------------------------------------------------------- a second route to the scores
# The lesson's check questions are tested in tests/test_check_questions.py with the answers of
# tests/lesson_answers.py; here the hand-built scores there are compared with the dashboard's.
DIMS4 = ["innovation", "coordination", "green", "sharing"]


@pytest.fixture(scope="module")
def hand_scores():
    from lesson_answers import hand_scores_15

    s = hand_scores_15()
    assert len(s) == 31 and s[DIMS4].isna().sum().sum() == 1  # only Xizang's green
    return s


def test_hand_scores_match_the_dashboard(hand_scores, ind):
    t = dash.score_table(ind)
    assert np.allclose(hand_scores[DIMS4], t[DIMS4], equal_nan=True)
    assert np.allclose(hand_scores["gdp_pc"], dash.gdp_per_capita(2023))


# --------------------------------------------------------------------------- partial rank correlation, W
def test_partial_spearman_matches_the_closed_formula():
    rng = np.random.default_rng(3)
    x, y, z = (pd.Series(rng.normal(size=25)) for _ in range(3))
    y = y + x + 2 * z
    rx, ry, rz = x.rank(), y.rank(), z.rank()
    rxy, rxz, ryz = rx.corr(ry), rx.corr(rz), ry.corr(rz)
    expected = (rxy - rxz * ryz) / math.sqrt((1 - rxz ** 2) * (1 - ryz ** 2))
    r = dash.partial_spearman(x, y, z, permutations=999, seed=1)
    assert r.rho == pytest.approx(expected) and r.n == 25 and 0 < r.p_value <= 1


def test_partial_spearman_removes_a_common_cause():
    """x and y both follow z and nothing else: a strong plain correlation, almost nothing once z is fixed."""
    rng = np.random.default_rng(0)
    z = pd.Series(np.arange(40, dtype=float))
    x = z + rng.normal(scale=3, size=40)
    y = z + rng.normal(scale=3, size=40)
    assert dash.spearman(x, y, permutations=999).rho > 0.8
    r = dash.partial_spearman(x, y, z, permutations=999)
    assert abs(r.rho) < 0.35 and r.p_value > 0.05


def test_partial_spearman_guards():
    with pytest.raises(EdgeCase):
        dash.partial_spearman([1, 2, 3], [1, 2, 3], [1, 2, 3])
    with pytest.raises(EdgeCase):
        dash.partial_spearman([1, 1, 1, 1, 1], [1, 2, 3, 4, 5], [5, 4, 3, 2, 1])


def test_kendalls_w_by_hand():
    # three rankings of four items; rank sums 4, 6, 10, 10 -> S = 20, W = 12 * 20 / (9 * 60) = 0.444...
    r = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3], "c": [1, 3, 3.5, 3.5]}).rank()
    totals = r.sum(axis=1)
    s = ((totals - totals.mean()) ** 2).sum()
    assert dash.kendalls_w(r) == pytest.approx(12 * s / (9 * (64 - 4)))
    assert dash.kendalls_w(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 4], "c": [1, 2, 3, 4]})) == 1.0


def test_agreement_test_can_come_out_either_way():
    """Identical dimensions: W = 1 and tiny p; unrelated random dimensions: W near its chance level."""
    base = pd.Series(np.arange(20, dtype=float))
    same = pd.DataFrame({"a": base, "b": base * 2, "c": base + 5})
    agree = dash.agreement_test(same, permutations=999)
    assert agree.w == pytest.approx(1.0) and agree.p_value < 0.01 and agree.mean_spread == 0
    rng = np.random.default_rng(7)
    unrelated = pd.DataFrame(rng.normal(size=(20, 3)), columns=list("abc"))
    loose = dash.agreement_test(unrelated, permutations=999)
    assert loose.w < 0.5 and loose.p_value > 0.05
    assert loose.mean_spread == pytest.approx(loose.baseline_spread, rel=0.25)
    missing = same.copy()
    missing.iloc[0, 0] = np.nan
    assert dash.agreement_test(missing, permutations=99).n == 19


def test_widget_shows_the_ranking_change_with_the_weights(ex):
    """The ranked list of all 31 provinces changes when a weight moves, with the places gained or lost."""
    import re

    before = ex.html
    moves = lambda html: re.findall(r">([▲▼])(\d+)<", html)  # noqa: E731 - the list's last column
    assert before.count("<tr style='font-weight") == 31 and moves(before) == []
    ex.controls["innovation"].value = 3.0
    after = ex.html
    assert after != before and {m for m, _ in moves(after)} == {"▲", "▼"}
    res = ex.result
    gained = (res.equal_rank - res.table["rank"]).astype(int)
    assert gained.max() > 0 and gained.min() < 0
    top = res.table.sort_values("overall", ascending=False)["province_en"].iloc[0]
    assert after.index(top) < after.index(res.table.sort_values("overall")["province_en"].iloc[0])


def test_docstring_examples():
    import doctest

    result = doctest.testmod(dash, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_render_marks_openness_and_states_a_finding():
    from course import plots

    res = dash.dashboard(provinces=["Zhejiang", "Qinghai"])
    fig, table_html, ranked = dash.render(res)
    try:
        title = plots.figure_title(fig)
        texts = [t.get_text() for t in fig.axes[0].texts]
    finally:
        plots.close(fig)
    assert title.startswith("Zhejiang scores highest")  # overall: Zhejiang above Qinghai
    assert any("not measured" in t for t in texts)
    assert "not measured" in table_html and "Rank of 31" in table_html
