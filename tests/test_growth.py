"""Tests for course.growth (lesson 11, paper id N1).

Expected values come from the algebra of growth accounting or from hand computation on tiny
tables built here, never from the module's own output.
"""

import math

import numpy as np
import pandas as pd
import pytest

import course
from course import growth, quiz
from course.widgets import EdgeCase


def cobb_douglas(g_a, g_k, g_l, g_h, alpha, g_hours=0.0, years=12, seed=None, first=2000):
    """A table obeying Y = A K^alpha (h L avh)^(1-alpha) in every year.

    With ``seed`` the inputs wander randomly between the end points (growth accounting over a
    period uses only the end points, so the paths in between must not matter).
    Growth rates are per cent a year (log).
    """
    t = np.arange(years + 1, dtype=float)
    wiggle = np.zeros((5, years + 1))
    if seed is not None:
        rng = np.random.default_rng(seed)
        wiggle[:, 1:-1] = rng.normal(0, 0.05, size=(5, years - 1))
    ln_a = g_a / 100 * t + wiggle[0]
    ln_k = np.log(300.0) + g_k / 100 * t + wiggle[1]
    ln_l = np.log(50.0) + g_l / 100 * t + wiggle[2]
    ln_h = np.log(1.5) + g_h / 100 * t + wiggle[3]
    ln_hours = np.log(2000.0) + g_hours / 100 * t + wiggle[4]
    ln_y = ln_a + alpha * ln_k + (1 - alpha) * (ln_h + ln_l + ln_hours)
    return pd.DataFrame({
        "year": first + t.astype(int),
        "rgdpna_mil_2017usd": np.exp(ln_y),
        "rnna_mil_2017usd": np.exp(ln_k),
        "emp_millions": np.exp(ln_l),
        "avh_hours_per_worker": np.exp(ln_hours),
        "hc_index": np.exp(ln_h),
        "labsh_share": 1 - alpha,
        "rtfpna_index_2017eq1": np.exp(ln_a),
    })


@pytest.fixture(scope="module")
def china():
    return course.load("pwt_china")


@pytest.fixture(scope="module")
def peers():
    return course.load("pwt_peers")


# --- the pure function on synthetic economies -------------------------------------------------

@pytest.mark.parametrize("seed", [None, 1, 2])
def test_known_cobb_douglas_growth_is_recovered(seed):
    g_a, g_k, g_l, g_h, alpha = 1.5, 6.0, 1.2, 0.8, 0.35
    toy = cobb_douglas(g_a, g_k, g_l, g_h, alpha, seed=seed)
    res = growth.growth_accounting(toy, 2000, 2012)
    c = res.contributions
    assert res.alpha == pytest.approx(alpha, abs=1e-12)
    assert res.alpha_from_pwt
    assert c["Capital"] == pytest.approx(alpha * g_k, abs=1e-9)
    assert c["Employment"] == pytest.approx((1 - alpha) * g_l, abs=1e-9)
    assert c["Human capital"] == pytest.approx((1 - alpha) * g_h, abs=1e-9)
    assert res.tfp == pytest.approx(g_a, abs=1e-9)
    expected_y = g_a + alpha * g_k + (1 - alpha) * (g_l + g_h)
    assert res.output_growth == pytest.approx(expected_y, abs=1e-9)
    assert res.tfp_share == pytest.approx(100 * g_a / expected_y, abs=1e-7)
    assert res.pwt_tfp_growth == pytest.approx(g_a, abs=1e-9)
    assert "Hours per worker" not in c.index


def test_hours_get_their_own_row_and_tfp_is_still_exact():
    g_a, g_k, g_l, g_h, g_hours, alpha = 2.0, 5.0, 1.0, 0.5, -0.4, 0.45
    toy = cobb_douglas(g_a, g_k, g_l, g_h, alpha, g_hours=g_hours, seed=7)
    res = growth.growth_accounting(toy, 2000, 2012, hours=True)
    assert res.contributions["Hours per worker"] == pytest.approx((1 - alpha) * g_hours, abs=1e-9)
    assert res.tfp == pytest.approx(g_a, abs=1e-9)
    # Leaving hours out wrongly attributes their fall to TFP: the residual drops by (1-alpha)*g_hours.
    no_hours = growth.growth_accounting(toy, 2000, 2012, hours=False)
    assert no_hours.tfp == pytest.approx(g_a + (1 - alpha) * g_hours, abs=1e-9)


def test_alpha_zero_gives_no_capital_contribution():
    toy = cobb_douglas(1.0, 8.0, 2.0, 1.0, 0.4)
    res = growth.growth_accounting(toy, 2000, 2012, alpha=0)
    assert res.contributions["Capital"] == 0
    assert res.contributions["Employment"] == pytest.approx(2.0, abs=1e-9)
    assert res.tfp == pytest.approx(res.output_growth - 2.0 - 1.0, abs=1e-9)
    assert not res.alpha_from_pwt


def test_alpha_one_leaves_no_weight_on_labour():
    toy = cobb_douglas(1.0, 8.0, 2.0, 1.0, 0.4)
    res = growth.growth_accounting(toy, 2000, 2012, alpha=1)
    assert res.contributions["Employment"] == 0 and res.contributions["Human capital"] == 0
    assert res.tfp == pytest.approx(res.output_growth - 8.0, abs=1e-9)


def test_default_alpha_is_one_minus_period_average_labour_share():
    toy = cobb_douglas(1.0, 5.0, 1.0, 1.0, 0.4, years=4)
    toy["labsh_share"] = [0.9, 0.5, 0.6, 0.7, 0.1]  # years 2000..2004
    res = growth.growth_accounting(toy, 2001, 2003)
    assert res.alpha == pytest.approx(1 - (0.5 + 0.6 + 0.7) / 3, abs=1e-12)


def test_hand_computed_two_year_example():
    # Y: 100 -> 121, K: 200 -> 288, L: 10 -> 10, h: 1 -> 1, alpha 0.5, over 2 years.
    toy = pd.DataFrame({"year": [2000, 2001, 2002], "rgdpna_mil_2017usd": [100, 110, 121],
                        "rnna_mil_2017usd": [200, 240, 288], "emp_millions": [10, 10, 10],
                        "hc_index": [1, 1, 1], "labsh_share": [0.5, 0.5, 0.5]})
    res = growth.growth_accounting(toy, 2000, 2002)
    assert res.output_growth == pytest.approx(100 * math.log(1.1), abs=1e-12)
    assert res.contributions["Capital"] == pytest.approx(50 * math.log(1.2), abs=1e-12)
    assert res.tfp == pytest.approx(100 * math.log(1.1) - 50 * math.log(1.2), abs=1e-12)
    assert math.isnan(res.pwt_tfp_growth)  # no rtfpna column


def test_shares_are_undefined_when_output_falls(china):
    res = growth.growth_accounting(china, 1959, 1962)   # the output collapse of 1959-1962
    assert res.output_growth < 0
    assert res.table["share"].isna().all() and math.isnan(res.tfp_share)
    assert res.contributions.sum() == pytest.approx(res.output_growth, abs=1e-12)
    import matplotlib.pyplot as plt
    fig = growth.plot_contributions(res)
    assert "did not grow" in fig.axes[0].get_title(loc="left")
    plt.close(fig)


def test_alpha_sensitivity_slope_follows_the_algebra():
    g_k, g_l, g_h = 7.0, 1.5, 0.5
    toy = cobb_douglas(1.0, g_k, g_l, g_h, 0.4)
    sens = growth.alpha_sensitivity(toy, 2000, 2012, alphas=(0.3, 0.5))
    # g_A = g_Y - g_L - g_h - alpha (g_K - g_L - g_h): +0.2 in alpha lowers TFP by 0.2 * 5.0.
    drop = sens.loc[0.3, "TFP (residual)"] - sens.loc[0.5, "TFP (residual)"]
    assert drop == pytest.approx(0.2 * (g_k - g_l - g_h), abs=1e-9)


def test_docstring_examples_run():
    import doctest
    result = doctest.testmod(growth, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


# --- edge cases --------------------------------------------------------------------------------

@pytest.mark.parametrize("start,end", [(2005, 2005), (2010, 2005)])
def test_start_not_before_end_is_an_edge_case(start, end):
    toy = cobb_douglas(1.0, 5.0, 1.0, 1.0, 0.4)
    with pytest.raises(EdgeCase, match="must come after"):
        growth.growth_accounting(toy, start, end)


@pytest.mark.parametrize("start,end", [(1990, 2005), (2005, 2030)])
def test_period_outside_data_is_an_edge_case(start, end):
    toy = cobb_douglas(1.0, 5.0, 1.0, 1.0, 0.4)
    with pytest.raises(EdgeCase, match="cover 2000-2012"):
        growth.growth_accounting(toy, start, end)


@pytest.mark.parametrize("alpha", [-0.1, 1.2, float("nan"), "abc"])
def test_impossible_capital_share_is_an_edge_case(alpha):
    toy = cobb_douglas(1.0, 5.0, 1.0, 1.0, 0.4)
    with pytest.raises(EdgeCase, match="capital share"):
        growth.growth_accounting(toy, 2000, 2012, alpha=alpha)


def test_edge_case_messages_are_one_line():
    toy = cobb_douglas(1.0, 5.0, 1.0, 1.0, 0.4)
    for kwargs in ({"start": 2005, "end": 2005}, {"start": 1990, "end": 2005},
                   {"start": 2000, "end": 2012, "alpha": 2}):
        with pytest.raises(EdgeCase) as info:
            growth.growth_accounting(toy, **kwargs)
        assert "\n" not in str(info.value) and len(str(info.value)) < 200


def test_hours_before_they_exist_is_an_edge_case(china):
    with pytest.raises(EdgeCase, match=r"(?i)hours worked \(avh\).*1970-2019"):
        growth.growth_accounting(china, 1960, 2019, hours=True)


def test_unknown_country_is_an_edge_case(peers):
    with pytest.raises(EdgeCase, match="no data for Brazil|no data for BRA"):
        growth.growth_accounting(peers, 1978, 2019, country="BRA")


# --- real data ---------------------------------------------------------------------------------

@pytest.mark.parametrize("period", list(growth.PERIODS.values()) + [(1952, 1978)])
@pytest.mark.parametrize("alpha", [None, 0.3, 0.55])
def test_contributions_add_up_to_output_growth_on_real_data(china, period, alpha):
    res = growth.growth_accounting(china, *period, alpha=alpha)
    assert res.contributions.sum() == pytest.approx(res.output_growth, abs=1e-12)
    assert res.table["share"].sum() == pytest.approx(100.0, abs=1e-9)


def test_output_growth_matches_the_raw_file(china):
    rows = china.set_index("year")["rgdpna_mil_2017usd"]
    res = growth.growth_accounting(china, 1978, 2019)
    assert res.output_growth == pytest.approx(100 * math.log(rows[2019] / rows[1978]) / 41, rel=1e-12)
    assert res.alpha == pytest.approx(1 - china.set_index("year").loc[1978:2019, "labsh_share"].mean())


def test_china_is_the_same_in_both_tables(china, peers):
    a = growth.growth_accounting(china, 1978, 2019, hours=True)
    b = growth.growth_accounting(peers, 1978, 2019, hours=True, country="CHN")
    pd.testing.assert_frame_equal(a.table, b.table)


@pytest.mark.parametrize("country,start,end", [("CHN", 1978, 2019), ("CHN", 2012, 2019), ("USA", 1970, 2019),
                                               ("IND", 1992, 2019)])
def test_bridge_ends_at_pwts_own_tfp_growth(china, peers, country, start, end):
    data = china if country == "CHN" else peers
    bridge = growth.tfp_bridge(data, start, end, country=country)
    # PWT's rtfpna is a Tornqvist index with capital services, hours and adjacent-year shares
    # (Feenstra, Inklaar and Timmer 2015), so the last step must reproduce it.
    assert bridge["tfp_growth"].iloc[-1] == pytest.approx(bridge.attrs["pwt"], abs=1e-4)
    assert bridge["tfp_growth"].iloc[0] == pytest.approx(growth.growth_accounting(data, start, end, country=country).tfp)
    assert bridge["change"].iloc[1:].sum() == pytest.approx(bridge["tfp_growth"].iloc[-1] - bridge["tfp_growth"].iloc[0])


def test_compare_tables_have_the_expected_shape(china, peers):
    periods = growth.compare_periods(china)
    assert list(periods.index) == list(growth.PERIODS)
    countries = growth.compare_countries(peers, 1978, 2019)
    assert len(countries) == 8 and "China" in countries.index
    same = countries.loc["China"]
    assert same["TFP (residual)"] == pytest.approx(periods.loc["1978-2019", "TFP (residual)"])


def test_plot_and_alt_text(china):
    import matplotlib.pyplot as plt
    res = growth.growth_accounting(china, 2012, 2019, hours=True)
    fig = growth.plot_contributions(res)
    text = growth.describe(res)
    assert "2012-2019" in text and "Hours per worker" in text
    assert fig.axes[0].get_title(loc="left").startswith("China 2012-2019: capital")
    plt.close(fig)


# --- the widget ---------------------------------------------------------------------------------

def test_explorer_recomputes_and_explains_edges(china, peers):
    ex = growth.make_explorer(china, peers)
    res = ex.result
    assert (res.country, res.start, res.end, res.alpha_from_pwt) == ("CHN", 1978, 2019, True)
    assert ex.message is None and ex.error is None
    assert ex.controls["alpha"].disabled

    ex.controls["share"].value = "slider"
    assert not ex.controls["alpha"].disabled
    ex.controls["alpha"].value = 0.5
    assert ex.result.alpha == pytest.approx(0.5)
    by_hand = growth.growth_accounting(china, 1978, 2019, alpha=0.5)
    assert ex.result.tfp == pytest.approx(by_hand.tfp)

    ex.controls["period"].value = (2012, 2019)
    assert (ex.result.start, ex.result.end) == (2012, 2019)

    ex.controls["period"].value = (2000, 2000)
    assert ex.message is not None and "must come after" in ex.message
    assert ex.error is None

    ex.controls["period"].value = (1960, 2019)
    ex.controls["country"].value = "JPN"
    assert ex.message is not None and "1970-2019" in ex.message

    ex.controls["country"].value = "CHN"
    ex.controls["hours"].value = True
    assert ex.message is not None and "hours worked" in ex.message.lower()

    ex.controls["period"].value = (1992, 2019)
    assert ex.message is None and ex.result.hours and "Hours per worker" in ex.result.contributions.index


# Check questions: answered by hand in tests/lesson_answers.py, tested in tests/test_check_questions.py.


def test_official_output_growth_by_hand():
    """Two provinces, GRP 100 and 300 in 2000; real growth 10 % and 2 % in 2001 -> weights 0.25 / 0.75."""
    idx = pd.DataFrame({"province_code": [1, 2], "year": 2001, "vintage": "v",
                        "gdp_index_prev_year_100": [110.0, 102.0]})
    grp = pd.DataFrame({"province_code": [1, 2, 1, 2], "year": [2000, 2000, 2001, 2001], "vintage": "v",
                        "gdp_100m_yuan": [100.0, 300.0, 120.0, 310.0]})
    out = growth.official_output_growth(idx, grp, vintage="v")
    assert out.loc[2001] == pytest.approx(100 * np.log(0.25 * 1.10 + 0.75 * 1.02))
    with pytest.raises(EdgeCase):
        growth.official_output_growth(idx.assign(year=2005), grp, vintage="v")   # no GRP for 2004


def test_official_output_growth_runs_above_pwt_2013_2019(china):
    off = growth.official_output_growth(course.load("province_gdp_index"), course.load("province_gdp"))
    assert list(off.index) == list(range(2013, 2020))
    pwt = 100 * np.log(china.set_index("year")["rgdpna_mil_2017usd"]).diff().loc[2013:2019]
    assert (off > pwt).all() and (off - pwt).idxmax() == 2018   # the year lesson 11 names
