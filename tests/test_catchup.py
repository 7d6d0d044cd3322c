"""Tests for course.catchup (lesson 13, international competition, paper section 二(三), N3).

Expected values come from hand arithmetic on compound growth or from the data read directly with
pandas, never from the module's own output.
"""

import math
import random

import numpy as np
import pandas as pd
import pytest

import course
from course import catchup, quiz
from course.catchup import (
    STATUS_AHEAD,
    STATUS_NEVER,
    catchup_table,
    crossing_year,
    explore,
    gap_ratio,
    period_growth,
    project,
    trend_growth,
    years_to_catch_up,
    years_to_target,
)
from course.widgets import EdgeCase


# ---------------------------------------------------------------------------------------------
# Hand arithmetic


def test_gap_ratio_by_hand():
    assert gap_ratio(3.0, 2.0) == 1.5
    assert gap_ratio(2.0, 2.0) == 1.0
    assert gap_ratio(1.0, 4.0) == 0.25  # below 1: China ahead


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "abc"])
def test_gap_ratio_rejects_non_positive_levels(bad):
    with pytest.raises(EdgeCase):
        gap_ratio(bad, 1.0)


def test_years_to_target_doubling_at_100_percent_takes_one_year():
    assert years_to_target(1.0, 2.0, 1.0) == pytest.approx(1.0)
    assert years_to_target(1.0, 8.0, 1.0) == pytest.approx(3.0)  # 1 -> 2 -> 4 -> 8
    assert years_to_target(1.0, 1.21, 0.10) == pytest.approx(2.0)  # 1.1 ** 2 = 1.21


def test_years_to_target_rule_of_70():
    # At 7 % a year a level doubles in about 10 years (ln 2 / ln 1.07 = 10.24).
    assert years_to_target(1.0, 2.0, 0.07) == pytest.approx(10.24, abs=0.01)


def test_years_to_target_already_reached_and_no_growth():
    assert years_to_target(2.0, 1.0, 0.05) == 0.0
    assert years_to_target(2.0, 2.0, 0.05) == 0.0
    assert years_to_target(1.0, 2.0, 0.0) == math.inf
    assert years_to_target(1.0, 2.0, -0.02) == math.inf


def test_years_to_target_rejects_impossible_growth():
    with pytest.raises(EdgeCase, match="-100 %"):
        years_to_target(1.0, 2.0, -1.0)


def test_catch_up_doubling_against_a_standing_peer():
    # China doubles each year, the peer stands still: 1 -> 2 in one year.
    assert years_to_catch_up(1.0, 2.0, 1.0, 0.0) == pytest.approx(1.0)


def test_catch_up_by_hand_two_years():
    # Ratio falls by 1.21 / 1.10 = 1.1 a year; a gap of 1.21 = 1.1 ** 2 closes in exactly 2 years.
    assert years_to_catch_up(1.0, 1.21, 0.21, 0.10) == pytest.approx(2.0)
    assert crossing_year(2021, years_to_catch_up(1.0, 1.21, 0.21, 0.10)) == 2023


def test_equal_growth_never_catches_up():
    assert years_to_catch_up(1.0, 2.0, 0.03, 0.03) == math.inf
    assert years_to_catch_up(1.0, 2.0, 0.02, 0.05) == math.inf
    assert years_to_catch_up(1.0, 2.0, 0.0, 0.0) == math.inf


def test_catch_up_when_already_ahead_is_zero():
    assert years_to_catch_up(3.0, 2.0, 0.0, 0.10) == 0.0
    assert years_to_catch_up(2.0, 2.0, 0.0, 0.10) == 0.0


def test_catch_up_with_a_standing_peer_equals_the_fixed_target():
    assert years_to_catch_up(1.3, 2.9, 0.04, 0.0) == pytest.approx(years_to_target(1.3, 2.9, 0.04))


def test_shrinking_peer_can_be_caught_with_zero_growth():
    # China flat at 1, peer falls 10 % a year from 1/0.81: 1/0.81 * 0.9**2 = 1 after two years.
    assert years_to_catch_up(1.0, 1 / 0.81, 0.0, -0.10) == pytest.approx(2.0)


def test_log_formula_matches_brute_force_iteration():
    rng = random.Random(13)
    for _ in range(300):
        x_c = rng.uniform(0.3, 3.0)
        x_p = x_c * rng.uniform(1.01, 4.0)
        g_p = rng.uniform(-0.03, 0.06)
        g_c = g_p + rng.uniform(0.002, 0.08)
        t = years_to_catch_up(x_c, x_p, g_c, g_p)
        # brute force: the first whole year in which China's level is at or above the peer's
        n, c, p = 0, x_c, x_p
        while c < p * (1 - 1e-12):
            n, c, p = n + 1, c * (1 + g_c), p * (1 + g_p)
        assert math.ceil(round(t, 9)) == n
        assert crossing_year(2000, t) == 2000 + n


def test_crossing_year_rounding_and_never():
    assert crossing_year(2021, 0.0) == 2021
    assert crossing_year(2021, 1.2) == 2023
    assert crossing_year(2021, 2.0000000001) == 2023  # floating noise counts as exactly 2
    assert crossing_year(2021, math.inf) is None


def test_project_compounds_from_the_last_observed_year():
    s = pd.Series([1.0, 2.0, np.nan], index=[2019, 2020, 2021], name="x")
    out = project(s, 1.0, 2023)
    assert list(out.index) == [2020, 2021, 2022, 2023]
    assert out.tolist() == pytest.approx([2.0, 4.0, 8.0, 16.0])
    flat = project(s, 0.0, 2022)
    assert flat.tolist() == pytest.approx([2.0, 2.0, 2.0])


def test_project_rejects_a_horizon_before_the_data_ends():
    with pytest.raises(EdgeCase, match="2021"):
        project(pd.Series([1.0, 2.0], index=[2020, 2021]), 0.05, 2019)


def test_period_growth_by_hand_and_round_trip_with_project():
    s = pd.Series([1.0, 2.0, 4.0], index=[2000, 2001, 2002], name="x")
    assert period_growth(s, 2000, 2002) == (pytest.approx(1.0), 2000, 2002)
    proj = project(pd.Series([2.5], index=[2010]), 0.037, 2030)
    g, y0, y1 = period_growth(proj, 2010, 2030)
    assert g == pytest.approx(0.037) and (y0, y1) == (2010, 2030)


def test_period_growth_uses_the_observed_years_inside_the_period():
    s = pd.Series([1.0, np.nan, 1.21, np.nan], index=[2018, 2019, 2020, 2021], name="India-like")
    g, y0, y1 = period_growth(s, 2018, 2021)
    assert (y0, y1) == (2018, 2020)
    assert g == pytest.approx(0.10)


def test_period_growth_needs_two_observed_years():
    s = pd.Series([1.0, np.nan], index=[2020, 2021], name="x")
    with pytest.raises(EdgeCase, match="two"):
        period_growth(s, 2020, 2021)


# ---------------------------------------------------------------------------------------------
# The table and the widget's compute function on a tiny hand-made table

TINY = pd.DataFrame(
    {
        "China": [1.00, 1.00, 1.21],
        "Fast": [4.00, 4.00, 4.00],   # flat peer: China (10 %/yr trend over 2000-2002) catches it
        "Behind": [0.50, 0.50, 0.50],  # already behind China
        "Racer": [2.00, 2.00, 2.42],  # grows 10 %/yr like China: never caught
    },
    index=[2000, 2001, 2002],
)


def test_catchup_table_by_hand():
    t = catchup_table(TINY, ["Fast", "Behind", "Racer"], 0.10, {"Fast": 0.0, "Behind": 0.0, "Racer": 0.10})
    assert t.loc["Fast", "gap_ratio"] == pytest.approx(4.0 / 1.21)
    assert t.loc["Fast", "gap_points"] == pytest.approx(4.0 - 1.21)
    expected = math.log(4.0 / 1.21) / math.log(1.1)  # 12.54 years
    assert t.loc["Fast", "years_to_catch_up"] == pytest.approx(expected)
    assert t.loc["Fast", "years_to_current_level"] == pytest.approx(expected)  # flat peer: same thing
    assert t.loc["Fast", "catch_up_year"] == 2002 + 13
    assert t.loc["Fast", "status"] == "catches up in 2015"
    assert t.loc["Behind", "status"] == STATUS_AHEAD and t.loc["Behind", "years_to_catch_up"] == 0
    assert t.loc["Racer", "status"] == STATUS_NEVER and pd.isna(t.loc["Racer", "catch_up_year"])
    # Reaching Racer's *current* level is finite (ln 2 / ln 1.1 = 7.27 years), catching it is not.
    assert t.loc["Racer", "years_to_current_level"] == pytest.approx(math.log(2) / math.log(1.1))
    same = catchup_table(TINY, ["Racer"], 0.10, 0.10)
    assert same.loc["Racer", "status"] == STATUS_NEVER


def test_catchup_table_empty_selection():
    with pytest.raises(EdgeCase, match="at least one"):
        catchup_table(TINY, [], 0.1, 0.0)


def test_trend_growth_of_the_tiny_table():
    tr = trend_growth(TINY, ["China", "Racer", "Fast"], 2000, 2002)
    assert tr.loc["China", "growth"] == pytest.approx(0.10)
    assert tr.loc["Racer", "growth"] == pytest.approx(0.10)
    assert tr.loc["Fast", "growth"] == pytest.approx(0.0)


def test_explore_default_is_each_economys_trend():
    r = explore(TINY, countries=["Fast", "Behind", "Racer"], period=(2000, 2002), until=2030)
    assert r.growth["China"] == pytest.approx(0.10)
    assert r.table.loc["Fast", "catch_up_year"] == 2015
    assert r.table.loc["Racer", "status"] == STATUS_NEVER
    assert r.projections["China"].loc[2004] == pytest.approx(1.21 * 1.1**2)
    assert "Racer" in r.headline or "never" in r.headline


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(countries=[]), "at least one"),
        (dict(countries=["China"]), "at least one"),
        (dict(countries=["Fast"], period=(2001, 2001)), "at least two years"),
        (dict(countries=["Racer"]), "never catches up at these rates"),
        (dict(countries=["Fast"], china_growth=0.0), "does not rise"),
        (dict(countries=["Fast"], china_growth=-3.0), "does not rise"),
        (dict(countries=["Fast"], peers_follow_trend=False, peer_growth=12.0), "never catches up at these rates"),
        (dict(countries=["Fast"], china_growth=-100.0), "-100 %"),
    ],
)
def test_explore_edge_cases(kwargs, message):
    with pytest.raises(EdgeCase, match=message):
        explore(TINY, **{"period": (2000, 2002), **kwargs})


def test_explore_negative_china_growth_against_a_faster_shrinking_peer_is_finite():
    r = explore(TINY, countries=["Fast"], period=(2000, 2002), china_growth=-1.0,
                peers_follow_trend=False, peer_growth=-5.0)
    expected = math.log(4.0 / 1.21) / (math.log(0.99) - math.log(0.95))
    assert r.table.loc["Fast", "years_to_catch_up"] == pytest.approx(expected)


def test_explore_all_selected_already_behind_is_not_an_edge_case():
    r = explore(TINY, countries=["Behind"], period=(2000, 2002))
    assert r.table.loc["Behind", "status"] == STATUS_AHEAD
    assert r.headline.startswith("China is already above")


# ---------------------------------------------------------------------------------------------
# Real data

@pytest.fixture(scope="module")
def rd():
    long = course.load("rd_intensity_countries")
    return long.pivot(index="year", columns="entity", values="rd_expenditure_pct_gdp")


def test_real_data_china_trend_matches_direct_pandas(rd):
    raw = course.load("rd_intensity_countries").set_index(["entity", "year"])["rd_expenditure_pct_gdp"]
    direct = (raw[("China", 2021)] / raw[("China", 2011)]) ** (1 / 10) - 1
    r = explore(rd, countries=["United States", "Japan"], period=(2011, 2021))
    assert r.growth["China"] == pytest.approx(direct)
    us_ratio = raw[("United States", 2021)] / raw[("China", 2021)]
    assert r.table.loc["United States", "gap_ratio"] == pytest.approx(us_ratio)


def test_real_data_india_uses_its_last_observed_year(rd):
    r = explore(rd, countries=["India"], period=(2011, 2021))
    assert r.table.loc["India", "base_year"] == 2020  # the India series ends in 2020
    assert r.trend.loc["India", "last_year"] == 2020
    assert r.table.loc["India", "status"] == STATUS_AHEAD


def test_real_data_korea_status_agrees_with_the_growth_comparison(rd):
    r = explore(rd, countries=["South Korea"], period=(2011, 2021), china_growth=10.0)
    assert r.table.loc["South Korea", "catch_up_year"] > 2021
    g_kor = r.trend.loc["South Korea", "growth"]
    g_chn = r.trend.loc["China", "growth"]
    if g_kor >= g_chn:  # at trend, Korea is never caught: the widget says so instead of drawing
        with pytest.raises(EdgeCase, match="never catches up"):
            explore(rd, countries=["South Korea"], period=(2011, 2021))


def test_render_and_alt_text(rd):
    r = explore(rd, countries=["United States", "Germany", "European Union (27)"], period=(2011, 2021), until=2045)
    fig = catchup.render(r)
    ax = fig.axes[0]
    assert " ".join(ax.get_title(loc="left").split()) == r.headline
    # 4 economies x (history, dashed projection), each projection labelled at its end with its rate
    assert len(ax.lines) >= 8
    labels = [t.get_text() for t in ax.texts]
    assert f"US {r.growth['United States']:+.2%}/yr" in labels
    assert any(t.startswith("passes Germany in") for t in labels)  # China passes Germany before 2045
    text = catchup.alt_text(r)
    assert "United States" in text and "2045" in text and "dashed" in text


# ---------------------------------------------------------------------------------------------
# The widget: build it, move its controls, check the recomputed result and the messages


@pytest.fixture
def ex(rd):
    return catchup.explorer(rd)


def test_widget_default_view_is_each_economys_2011_2021_trend(ex, rd):
    g_chn = (rd.loc[2021, "China"] / rd.loc[2011, "China"]) ** 0.1 - 1
    assert ex.message is None and ex.error is None
    assert ex.controls["china_growth"].value == pytest.approx(100 * g_chn, abs=0.005)
    assert set(ex.result.table.index) == {"United States", "South Korea", "Japan", "Germany", "European Union (27)"}
    assert ex.result.table.loc["European Union (27)", "status"] == STATUS_AHEAD
    g_jpn = (rd.loc[2021, "Japan"] / rd.loc[2011, "Japan"]) ** 0.1 - 1
    assert ex.result.growth["Japan"] == pytest.approx(g_jpn)
    assert "<img" in ex.html and "alt=" in ex.html


def test_widget_computes_each_setting_once_per_language(rd, monkeypatch):
    from course import i18n

    calls = []
    explore = catchup.explore

    def counted(*args, **kwargs):
        calls.append(kwargs["period"])
        return explore(*args, **kwargs)

    monkeypatch.setattr(catchup, "explore", counted)
    ex = catchup.explorer(rd)
    for period in ((2001, 2011), (2011, 2021), (2001, 2011), (2011, 2021)):
        ex.controls["period"].value = period
    assert len(calls) == 2                       # the default (2011-2021) and 2001-2011, once each
    shown = ex.output.value
    i18n.set_language("zh")
    try:
        ex.controls["period"].value = (2001, 2011)   # the notes and title in the new language
        assert len(calls) == 3
        assert ex.output.value != shown
    finally:
        i18n.set_language("en")
    ex.controls["period"].value = (2011, 2021)       # back in English: known
    assert len(calls) == 3
    assert ex.output.value == shown


def test_widget_period_resets_the_sliders_to_the_new_trends_and_redraws_once(ex, rd):
    before = ex.redraws
    ex.controls["period"].value = (2001, 2011)
    assert ex.redraws == before + 1
    g_chn = (rd.loc[2011, "China"] / rd.loc[2001, "China"]) ** 0.1 - 1
    g_usa = (rd.loc[2011, "United States"] / rd.loc[2001, "United States"]) ** 0.1 - 1
    assert ex.controls["china_growth"].value == pytest.approx(100 * g_chn, abs=0.005)
    assert ex.controls["peer_growth"].value == pytest.approx(100 * g_usa, abs=0.005)
    assert ex.result.period == (2001, 2011)
    assert ex.result.growth["China"] == pytest.approx(ex.controls["china_growth"].value / 100)


def test_widget_common_peer_rate_and_fixed_target(ex, rd):
    ex.controls["countries"].value = ("Germany",)
    ex.controls["peers_follow_trend"].value = False
    assert ex.controls["peer_growth"].disabled is False
    ex.controls["peer_growth"].value = 0.0
    ex.controls["china_growth"].value = 3.0
    # A peer that stands still is a fixed target: t* = ln(x_p / x_c) / ln(1.03)
    expected = math.log(rd.loc[2021, "Germany"] / rd.loc[2021, "China"]) / math.log(1.03)
    assert ex.result.table.loc["Germany", "years_to_catch_up"] == pytest.approx(expected)
    assert ex.result.table.loc["Germany", "catch_up_year"] == 2021 + math.ceil(expected)


@pytest.mark.parametrize(
    "settings, message",
    [
        (dict(countries=()), "Pick at least one economy"),
        (dict(countries=("United States",), china_growth=1.0), "never catches up at these rates"),
        (dict(countries=("Germany",), china_growth=0.0), "does not rise"),
        (dict(countries=("Germany",), china_growth=-2.0), "does not rise"),
        (dict(countries=("Germany",), peers_follow_trend=False, peer_growth=5.0, china_growth=5.0),
         "never catches up at these rates"),
        (dict(period=(2010, 2010)), "at least two years"),
    ],
)
def test_widget_edge_cases_show_a_message_not_an_error(ex, settings, message):
    ex.set(**settings)
    assert ex.error is None, ex.traceback
    assert ex.result is None
    assert message in ex.message
    assert "course-edgecase" in ex.html


def test_widget_recovers_after_an_edge_case(ex):
    ex.controls["countries"].value = ()
    assert ex.message is not None
    ex.controls["countries"].value = ("Japan",)
    assert ex.message is None and ex.result.table.index.tolist() == ["Japan"]


# Check questions: answered by hand in tests/lesson_answers.py, tested in tests/test_check_questions.py.
