"""Lesson 21 (S1.1-S1.3): targets, own trends and monitoring verdicts (course.monitoring).

Expected values come from theory or from hand computation on tiny tables: a series that grows
at a constant rate has that rate as its trend by either method; a province growing exactly at the
required rate reaches the target exactly in the target year; a province already at the target
needs 0 years; one below it with a falling trend never gets there.
"""

import math

import numpy as np
import pandas as pd
import pytest

import course
from course import monitoring as mon
from course.widgets import EdgeCase


def wide(rows: dict, start: int = 2018) -> pd.DataFrame:
    """A provinces x years table from {code: [values...]}."""
    n = len(next(iter(rows.values())))
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(range(start, start + n))).astype(float)


# --------------------------------------------------------------------------- arithmetic
def test_required_growth_takes_the_level_exactly_to_the_target():
    for x0, target, h in [(2.0, 3.0, 7), (1.19, 3.0, 5), (50000, 120000, 6)]:
        g = mon.required_growth(x0, target, h)
        assert x0 * (1 + g) ** h == pytest.approx(target, rel=1e-12)
    assert math.isnan(mon.required_growth(3.0, 3.0, 5))          # already there: nothing required
    with pytest.raises(EdgeCase, match="after the latest"):
        mon.required_growth(2.0, 3.0, 0)


def test_years_to_target_zero_at_target_infinite_when_trending_away():
    assert mon.years_to_target(3.0, 3.0, 0.05) == 0.0            # exactly at the target
    assert mon.years_to_target(4.0, 3.0, -0.10) == 0.0           # above it, even if falling
    assert mon.years_to_target(2.0, 3.0, 0.0) == math.inf        # flat: never
    assert mon.years_to_target(2.0, 3.0, -0.01) == math.inf      # falling: never
    assert math.isnan(mon.years_to_target(2.0, 3.0, float("nan")))
    # doubling at 100 % a year takes one year; 1 -> 1.21 at 10 % takes two
    assert mon.years_to_target(1.0, 2.0, 1.0) == pytest.approx(1.0)
    assert mon.years_to_target(1.0, 1.21, 0.10) == pytest.approx(2.0)


def test_status_flips_exactly_at_the_threshold():
    x0, target, h = 2.0, 3.0, 7
    g_req = mon.required_growth(x0, target, h)
    assert mon.status(x0, target, g_req, h) == "on track"                 # exactly on time
    assert mon.status(x0, target, g_req * (1 + 1e-6), h) == "on track"
    assert mon.status(x0, target, g_req * (1 - 1e-6), h) == "off track"   # a hair slower: late
    assert mon.status(target, target, -0.5, h) == "already at target"
    assert mon.status(x0, target, 0.0, h) == "moving away"
    assert mon.status(float("nan"), target, 0.1, h) == "no data"


def test_trend_of_a_constant_growth_series_is_that_rate_by_both_methods():
    w = wide({110000: [100 * 1.07 ** i for i in range(6)], 120000: [50 * 0.98 ** i for i in range(6)]})
    for method in mon.METHODS:
        g = mon.trend_growth(w, window=5, method=method)
        assert g[110000] == pytest.approx(0.07, abs=1e-12)
        assert g[120000] == pytest.approx(-0.02, abs=1e-12)


def test_loglinear_uses_every_year_endpoints_only_two():
    # the same end points, a dip in the middle: the CAGR ignores it, the fitted trend does not
    w = wide({1: [1.0, 1.1, 1.21, 1.331], 2: [1.0, 0.5, 0.5, 1.331]})
    ends = mon.trend_growth(w, 3, "endpoints")
    fit = mon.trend_growth(w, 3, "loglinear")
    assert ends[1] == pytest.approx(0.1) and ends[2] == pytest.approx(0.1)
    assert fit[1] == pytest.approx(0.1)
    # by hand: slope of ln x on t = (-1.5, -0.5, 0.5, 1.5) . ln x / 5
    t = np.array([-1.5, -0.5, 0.5, 1.5])
    expected = math.exp(t @ np.log([1.0, 0.5, 0.5, 1.331]) / (t @ t)) - 1
    assert fit[2] == pytest.approx(expected) and fit[2] != pytest.approx(0.1)


def test_trend_window_edges_and_missing_values():
    w = wide({1: [1.0, 1.1, 1.2, 1.3], 2: [1.0, np.nan, 1.2, 1.3]})
    g = mon.trend_growth(w, window=3)
    assert np.isfinite(g[1]) and np.isnan(g[2])           # a gap in the window: no trend
    assert np.isfinite(mon.trend_growth(w, window=1)[2])  # 2020-2021 only: no gap
    with pytest.raises(EdgeCase, match="starts in 2018"):
        mon.trend_growth(w, window=4)
    with pytest.raises(EdgeCase, match="at least two years"):
        mon.trend_growth(w, window=0)
    with pytest.raises(ValueError, match="unknown trend method"):
        mon.trend_growth(w, 2, method="linear")


def test_monitor_table_by_hand():
    # A grows 10 %/yr from 1.0 (1.331 in 2021), B is above target, C falls below it, D grows 1 %/yr
    w = wide({1: [1.0, 1.1, 1.21, 1.331], 2: [4.0, 4.0, 4.0, 4.0], 3: [1.5, 1.45, 1.4, 1.35],
              4: [1.0, 1.01, 1.0201, 1.030301]})
    t = mon.monitor(w, target=1.331 * 1.1 ** 2, target_year=2023, window=3, method="endpoints")
    assert t.attrs["last"] == 2021 and t.attrs["horizon"] == 2
    assert t.loc[1, "status"] == "on track" and t.loc[1, "years_to_target"] == pytest.approx(2.0)
    assert t.loc[1, "reach_year"] == 2023 and t.loc[1, "effort"] == pytest.approx(1.0)
    assert t.loc[2, "status"] == "already at target" and t.loc[2, "gap"] == 0 and t.loc[2, "years_to_target"] == 0
    assert t.loc[3, "status"] == "moving away" and t.loc[3, "years_to_target"] == math.inf
    assert np.isnan(t.loc[3, "reach_year"]) and np.isnan(t.loc[3, "effort"])
    assert t.loc[4, "status"] == "off track" and t.loc[4, "effort"] > 1
    counts = mon.status_counts(t)
    assert list(counts.index) == list(mon.STATUSES) and counts.sum() == 4 and counts["no data"] == 0
    with pytest.raises(EdgeCase, match="after 2021"):
        mon.monitor(w, 2.0, 2021)
    with pytest.raises(EdgeCase, match="positive"):
        mon.monitor(w, 0.0, 2030)


def test_outlook_explains_a_province_moving_away():
    w = wide({1: [1.0, 1.1, 1.21, 1.331], 3: [2.0, 1.9, 1.8, 1.7], 5: [5.0, 5.0, 5.0, 5.0]})
    t = mon.monitor(w, 3.0, 2030, window=3, names=pd.Series({1: "Anhui", 3: "Shanxi", 5: "Beijing"}))
    with pytest.raises(EdgeCase, match="Shanxi .* never reaches the target"):
        mon.outlook(t, 3)
    assert "0 years" in mon.outlook(t, 5)
    assert "Anhui" in mon.outlook(t, 1) and "on track" in mon.outlook(t, 1)


def test_compare_finds_exactly_the_province_whose_data_changed():
    a = wide({1: [1.0, 1.1, 1.21, 1.331], 2: [1.0, 1.1, 1.21, 1.331]})
    b = a.copy()
    b.loc[2, 2018] = 0.5                                   # a restated start year: faster trend
    # target 1.7 by 2023: A needs ln(1.7/1.331)/ln(1.1) = 2.6 > 2 years; B's CAGR is 38.6 %
    c = mon.compare(a, b, target=1.7, target_year=2023, window=3, method="endpoints")
    assert c["changed"].tolist() == [False, True]
    assert c.loc[2, "status_a"] == "off track" and c.loc[2, "status_b"] == "on track"
    same = mon.compare(a, a, 1.6, 2023, 3)
    assert not same["changed"].any()


# --------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def series():
    return mon.build_series()


@pytest.fixture(scope="module")
def names():
    return course.load("provinces").set_index("province_code")["province_en"]


def test_real_series_carry_the_published_numbers(series):
    # the two traps of the data dictionary, from the tables themselves
    assert series["rd_first"].at[120000, 2016] == 3.00 and series["rd_restated"].at[120000, 2016] == 4.68
    assert series["rd_first"].at[210000, 2013] == 1.65 and series["rd_restated"].at[210000, 2013] == 2.32
    for key, (first, last) in {"rd_restated": (2012, 2023), "rd_first": (2011, 2023), "gdp_pc_pre": (2010, 2023),
                               "gdp_pc_post": (2010, 2024), "income_pc": (2013, 2024)}.items():
        w = series[key]
        assert len(w) == 31 and 100000 not in w.index
        assert (min(w.columns), mon.latest_year(w)) == (first, last), key
    # GDP per capita: GRP (亿元) / population (万人) * 1e4, Beijing 2023 revised 47,353.7 / 2,186
    assert series["gdp_pc_post"].at[110000, 2023] == pytest.approx(47353.7 / 2186 * 1e4)


def test_real_default_table_is_consistent(series, names):
    t = mon.monitor(series["rd_restated"], 3.0, 2030, names=names)
    at = t["status"] == "already at target"
    assert set(t.loc[at, "province_en"]) == set(names[series["rd_restated"][2023] >= 3.0])
    on = t["status"] == "on track"
    assert (t.loc[on, "trend_growth"] >= t.loc[on, "required_growth"] - 1e-12).all()
    off = t["status"] == "off track"
    assert (t.loc[off, "trend_growth"] < t.loc[off, "required_growth"]).all()
    assert (t.loc[on | off, "years_to_target"] > 0).all()


# --------------------------------------------------------------------------- the widget
@pytest.fixture()
def ex(series, names):
    return mon.explorer(series, names)


def test_widget_default_view(ex):
    assert ex.error is None and ex.message is None
    v = ex.result
    assert v.series == "rd_restated" and v.table.attrs["target"] == 3.0 and v.table.attrs["target_year"] == 2030
    assert "<img" in ex.html and "years to target" in ex.html
    assert "reach 3.00 by 2030" in ex.alt_text or "target of 3.00 by 2030" in ex.alt_text


def test_widget_recomputes_when_controls_change(ex):
    before = ex.result.counts
    ex.controls["target"].value = 2.0
    after = ex.result.counts
    assert after["already at target"] > before["already at target"]       # a lower bar
    ex.controls["target_year"].value = 2040
    assert ex.result.counts["on track"] + ex.result.counts["already at target"] >= \
        after["on track"] + after["already at target"]                     # more time never hurts
    ex.controls["method"].value = "endpoints"
    assert ex.result.table.attrs["method"] == "endpoints"


def test_widget_indicator_change_moves_the_target_in_one_redraw(ex):
    n = ex.redraws
    ex.controls["indicator"].value = "gdp_pc_post"
    assert ex.redraws == n + 1
    assert ex.controls["target"].value == mon.SERIES["gdp_pc_post"].target[3]
    assert ex.result.table.attrs["target"] == mon.SERIES["gdp_pc_post"].target[3]
    assert "yuan" in ex.controls["target"].description
    assert ex.error is None and "gdp_pc_pre" == mon.SERIES[ex.result.series].alternative
    ex.controls["indicator"].value = "income_pc"
    assert ex.result.other is None and "no second vintage" in ex.html


def test_widget_names_verdicts_that_change_with_the_series(ex, series):
    v = ex.result
    direct = mon.compare(series["rd_restated"], series["rd_first"], 3.0, 2030, 5)
    assert len(v.changed) == int(direct["changed"].sum())
    assert f"{len(v.changed)} verdict" in ex.html and "On the first-published series" in ex.html


def test_explore_edge_cases(series, names):
    with pytest.raises(EdgeCase, match="starts in 2013"):
        mon.explore(series, names, "income_pc", 50000, 2030, window=12)
    with pytest.raises(EdgeCase, match="after 2024"):
        mon.explore(series, names, "gdp_pc_post", 120000, 2024)
    with pytest.raises(ValueError, match="unknown indicator"):
        mon.explore(series, names, "gdp", 1.0)


def test_docstring_examples():
    import doctest

    result = doctest.testmod(mon)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- lesson 21's questions
# Each answer is recomputed here by a second route: straight from course.load, with np.polyfit for the
# log-linear trend (the module uses a closed-form slope) and plain arithmetic for the rest.
import json  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

from course import quiz  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "21_seeking_truth_from_facts.ipynb"
ANSWERS = {"q1": "77ff0289a0592680", "q2": "481deb290ee22040", "q3": "10af5145de860c04"}


def notebook_question(name):
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    (src,) = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"
              and "".join(c["source"]).startswith(f"{name} = quiz.")]
    ns = {"quiz": quiz}
    exec(src, ns)
    return ns[name]


def polyfit_trend(values, years):
    return math.exp(np.polyfit(years, np.log(values), 1)[0]) - 1


def q1_value():
    rd = course.load("province_rd_first_published").set_index(["province_en", "year"])
    row = rd.loc[("Inner Mongolia", 2016)]
    return row["rd_expenditure_100m_yuan"] * 100 / row["rd_intensity_pct"]


def q2_values():
    years = list(range(2018, 2024))
    rs = course.load("province_rd_intensity_restated").set_index(["province_en", "year"])["rd_intensity_pct"]
    fp = course.load("province_rd_first_published").set_index(["province_en", "year"])["rd_intensity_pct"]
    x = [rs[("Sichuan", y)] for y in years]
    right = math.log(3.5 / x[-1]) / math.log1p(polyfit_trend(x, years))
    cagr = (x[-1] / x[0]) ** (1 / 5) - 1
    f = [fp[("Sichuan", y)] for y in years]
    pp_slope = np.polyfit(years, x, 1)[0]                     # a straight line in levels
    wrong = {"end points": math.log(3.5 / x[-1]) / math.log1p(cagr),
             "first published": math.log(3.5 / f[-1]) / math.log1p(polyfit_trend(f, years)),
             "linear in levels": (3.5 - x[-1]) / pp_slope}
    return right, wrong


def q3_values():
    inc = course.load("province_income_consumption")
    wide = inc.pivot(index="province_en", columns="year", values="disposable_income_per_capita_all_residents_yuan")
    years = list(range(2019, 2025))
    counts = {"reach": 0, "on track only": 0, "already only": 0, "reach, end points": 0}
    for _, row in wide.iterrows():
        x = row[years].to_numpy(float)
        g, g_end = polyfit_trend(x, years), (x[-1] / x[0]) ** (1 / 5) - 1
        there = x[-1] >= 50000
        counts["already only"] += there
        counts["reach"] += there or x[-1] * (1 + g) ** 4 >= 50000
        counts["on track only"] += (not there) and x[-1] * (1 + g) ** 4 >= 50000
        counts["reach, end points"] += there or x[-1] * (1 + g_end) ** 4 >= 50000
    return counts


def test_quiz_q1_implied_grp_of_inner_mongolia_2016():
    value = q1_value()
    assert quiz.digest(round(value), 0) == ANSWERS["q1"]
    q = notebook_question("q1")
    assert q.answer == ANSWERS["q1"] and q.check(f"{value:.0f}").correct
    rs = course.load("province_rd_intensity_restated").set_index(["province_en", "year"])["rd_intensity_pct"]
    spend = value * 0.0079
    # plausible slips: the restated intensity (that gives today's GRP), forgetting that 0.79 is a per cent
    for wrong in (spend * 100 / rs[("Inner Mongolia", 2016)], spend / 0.79 * 1):
        fb = q.check(f"{wrong:.0f}")
        assert not fb.correct and f"{value:.0f}" not in fb.message
    assert q.check(f"{spend * 100 / rs[('Inner Mongolia', 2016)]:.0f}").message.startswith("Not yet")
    assert "outside the plausible range" in q.check(f"{spend / 0.79:.0f}").message


def test_quiz_q2_years_for_sichuan_at_its_own_trend():
    right, wrong = q2_values()
    assert quiz.digest(round(right, 1), 1) == ANSWERS["q2"]
    q = notebook_question("q2")
    assert q.answer == ANSWERS["q2"] and q.check(f"{right:.1f}").correct
    for label, w in wrong.items():
        assert abs(round(w, 1) - round(right, 1)) > 0.15, label       # more than the forgiven last digit
        fb = q.check(f"{w:.1f}")
        assert not fb.correct and fb.message.startswith("Not yet"), label


def test_quiz_q3_income_target_count():
    counts = q3_values()
    assert quiz.digest(counts["reach"], 0) == ANSWERS["q3"]
    q = notebook_question("q3")
    assert q.answer == ANSWERS["q3"] and q.check(str(counts["reach"])).correct
    for label in ("on track only", "already only", "reach, end points"):
        assert counts[label] != counts["reach"], label
        fb = q.check(str(counts[label]))
        assert not fb.correct and fb.message.startswith("Not yet"), label


def test_quiz_answers_are_not_printed_in_lesson_21():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    shown = " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/markdown", ""))
                     + str(o.get("data", {}).get("text/plain", ""))
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    source = " ".join("".join(c["source"]) for c in cells)
    right, _ = q2_values()
    for text in (f"{q1_value():.0f}", f"{q1_value():,.0f}", f"{right:.1f}", f"{right:.2f}"):
        pattern = r"(?<![\d.,])" + re.escape(text) + r"(?![\d])"
        assert not re.search(pattern, shown), text                       # no output prints an answer
    for text in (f"{q1_value():.0f}", f"{q1_value():,.0f}"):               # (font sizes like 8.5 are code)
        assert text not in source, text
    assert "2028" not in source.replace('"2028"', "").split("q3 = quiz.")[0]   # q3's setting is not run in the lesson
    for digest in ANSWERS.values():
        assert f'answer="{digest}"' in source


def test_map_statuses_keep_the_verdicts_in_order_so_the_map_letters_match_the_lesson():
    """Lesson 21 says A already at target, B on track, C off track, D moving away: the letters follow
    the order of the categories (pandas 3's remove_categories would sort them alphabetically)."""
    from course import i18n

    st = pd.Series(pd.Categorical(["on track", "moving away", "already at target"],
                                  categories=list(mon.STATUSES)), index=[110000, 120000, 130000])
    out = mon.map_statuses(pd.DataFrame({"status": st}))
    assert list(out.cat.categories) == ["already at target", "on track", "off track", "moving away"]
    assert list(out) == ["on track", "moving away", "already at target"]
    try:                                   # the Chinese edition: the same order, in Chinese, values unchanged
        i18n.set_language("zh")
        zh = mon.map_statuses(pd.DataFrame({"status": st}))
        assert list(zh.cat.categories) == [i18n.gettext(k) for k in out.cat.categories]
        assert "按期达标" in zh.cat.categories and list(zh.cat.codes) == list(out.cat.codes)
    finally:
        i18n.set_language("en")
