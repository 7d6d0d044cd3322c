"""Lesson 31 (F1, F1.1-F1.3): science and technology resources by province.

Expectations come from theory or from hand computation on tiny tables, never from the code's own
output: a least-squares line equals NumPy's least-squares solution; a top-5 share of equal amounts is
5/n; Theil's T is zero when every province has its population share. The real cross-section is
checked against a second copy of the same figures (the 2023 province profile table) and against
the raw CSV files read with the csv module; the check questions are recomputed from the raw files.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd
import pytest

import course
from course import innovation as inn
from course import measures, plots, quiz
from course.widgets import EdgeCase

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "datasets"
NOTEBOOK = ROOT / "notebooks" / "31_science_and_technology_resources.ipynb"


# --------------------------------------------------------------------------- measures.top_share
def test_top_share_by_hand():
    assert measures.top_share([5, 3, 1, 1], k=2) == pytest.approx(0.8)
    assert measures.top_share([4, 4, 4, 4, 4, 4, 4, 4, 4, 4], k=5) == pytest.approx(0.5)   # equal: k / n
    assert measures.top_share([0, 0, 7], k=1) == pytest.approx(1.0)                        # one has everything
    # order does not matter, and a pandas Series works like a list
    assert measures.top_share(pd.Series([1.0, 3.0, 5.0, 1.0]), k=2) == pytest.approx(0.8)


def test_top_share_never_below_k_over_n_and_rises_with_k():
    rng = np.random.default_rng(3)
    x = rng.lognormal(size=31)
    shares = [measures.top_share(x, k=k) for k in range(1, 32)]
    assert all(s >= k / 31 - 1e-12 for k, s in enumerate(shares, start=1))
    assert all(b >= a for a, b in zip(shares, shares[1:])) and shares[-1] == pytest.approx(1.0)


def test_top_share_guards():
    with pytest.raises(ValueError, match="between 1 and"):
        measures.top_share([1, 2, 3], k=4)
    with pytest.raises(ValueError, match="whole number"):
        measures.top_share([1, 2, 3], k=1.5)
    with pytest.raises(ValueError, match="non-negative"):
        measures.top_share([1, -2, 3], k=1)
    with pytest.raises(ValueError, match="positive total"):
        measures.top_share([0, 0, 0], k=1)
    with pytest.raises(ValueError, match="NaN"):
        measures.top_share([1, float("nan"), 3], k=1)
    assert measures.top_share([1, float("nan"), 3], k=1, dropna=True) == pytest.approx(0.75)


# --------------------------------------------------------------------------- concentration
def test_concentration_by_hand():
    amounts = pd.Series([2.0, 1.0, 1.0], index=[1, 2, 3])
    population = pd.Series([1.0, 1.0, 2.0], index=[1, 2, 3])
    c = inn.concentration(amounts, population, k=1)
    assert c["top_share"] == pytest.approx(0.5)
    # Gini of (2, 1, 1): sum |xi - xj| = 4 over ordered pairs; 4 / (2 * 9 * 4/3) = 1/6
    assert c["gini"] == pytest.approx(1 / 6)
    # shares s = (.5, .25, .25), population shares p = (.25, .25, .5): T = .5 ln 2 + .25 ln .5
    assert c["theil_vs_population"] == pytest.approx(0.5 * math.log(2) + 0.25 * math.log(0.5))
    assert c["provinces"] == 3


def test_concentration_zero_when_amounts_follow_population_and_drops_missing():
    population = pd.Series([1.0, 2.0, 3.0, 4.0])
    c = inn.concentration(population * 7, population)
    assert c["theil_vs_population"] == pytest.approx(0.0, abs=1e-12)
    gap = inn.concentration(pd.Series([1.0, np.nan, 3.0, 4.0]), population, k=1)
    assert gap["provinces"] == 3 and gap["top_share"] == pytest.approx(0.5)
    with pytest.raises(EdgeCase, match="at least two"):
        inn.concentration(pd.Series([1.0, np.nan]), pd.Series([1.0, 1.0]))


# --------------------------------------------------------------------------- fit_line
def test_fit_line_equals_numpy_least_squares_on_a_hand_example():
    x = np.array([1.0, 2.0, 4.0, 5.0, 8.0])
    y = np.array([2.0, 3.0, 7.0, 8.0, 11.0])
    fit = inn.fit_line(x, y)
    (intercept, slope), *_ = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y, rcond=None)
    assert fit.slope == pytest.approx(slope) and fit.intercept == pytest.approx(intercept)
    # by hand: mean x = 4, mean y = 6.2; Sxy = 12.6 + 6.4 + 0 + 1.8 + 19.2 = 40, Sxx = 30
    # -> slope 4/3, intercept 6.2 - 16/3
    assert fit.slope == pytest.approx(4 / 3) and fit.intercept == pytest.approx(6.2 - 16 / 3)
    resid = y - (fit.intercept + fit.slope * x)
    assert fit.r2 == pytest.approx(1 - (resid @ resid) / ((y - y.mean()) @ (y - y.mean())))
    assert fit.n == 5


def test_fit_line_perfect_line_drops_missing_and_guards():
    fit = inn.fit_line([0, 1, 2, np.nan, 3], [1, 3, 5, 100, 7])
    assert (fit.slope, fit.intercept, fit.r2, fit.n) == pytest.approx((2.0, 1.0, 1.0, 4))
    with pytest.raises(EdgeCase, match="at least three"):
        inn.fit_line([1, 2], [3, 4])
    with pytest.raises(EdgeCase, match="same x value"):
        inn.fit_line([2, 2, 2], [1, 2, 3])


# --------------------------------------------------------------------------- the real cross-section
@pytest.fixture(scope="module")
def table():
    return inn.indicator_table(2023)


def test_indicator_table_shape_and_missing_values(table):
    assert len(table) == 31 and table.index.is_unique
    assert set(inn.INDICATORS) <= set(table.columns)
    missing = table[list(inn.INDICATORS)].isna().sum()
    # only the foreign-funded share has gaps: Xizang and Ningxia print no foreign funds
    assert missing[missing > 0].to_dict() == {"foreign_funded_pct": 2}
    assert set(table.loc[table["foreign_funded_pct"].isna(), "province_en"]) == {"Xizang (Tibet)", "Ningxia"}
    with pytest.raises(ValueError, match="2023 only"):
        inn.indicator_table(2022)


def test_indicator_table_agrees_with_the_2023_profile(table):
    """A second copy of the same figures (province_profile_2023) gives the same indicators."""
    prof = course.load("province_profile_2023").set_index("province_code").reindex(table.index)
    rd = prof["rd_expenditure_100m_yuan"]
    # 亿元 -> 万元. The bulletin's R&D total is rounded to 0.1 亿元, so it matches the yearbook's intramural total
    # only to rounding: within 0.04 % everywhere except Xizang (R&D of about 7 亿元, 0.6 % apart).
    total_10k = rd * 1e4
    pop = prof["yearend_resident_population_10k"]
    assert np.allclose(table["rd_intensity_pct"], prof["rd_intensity_pct"])          # 2023: both series agree
    assert np.allclose(table["rd_per_resident_yuan"], rd / pop * 1e4)
    assert np.allclose(table["basic_share_pct"], prof["basic_research_10k_yuan"] / total_10k * 100, rtol=7e-3)
    assert np.allclose(table["enterprise_funded_pct"], prof["enterprise_funds_10k_yuan"] / total_10k * 100, rtol=7e-3)
    assert np.allclose(table["government_funded_pct"], prof["government_funds_10k_yuan"] / total_10k * 100, rtol=7e-3)
    assert np.allclose(table["researchers_per_10k"], prof["researchers_fte_manyears"] / pop)
    assert np.allclose(table["inventions_per_100m_rd"], prof["patents_granted_invention"] / rd)
    assert np.allclose(table["inventions_in_force_per_10k"], prof["invention_patents_in_force"] / pop)
    assert np.allclose(table["tech_market_to_rd"], prof["tech_market_turnover_100m_yuan"] / rd)
    assert np.allclose(table["tech_market_pct_grp"],
                       prof["tech_market_turnover_100m_yuan"] / prof["gdp_100m_yuan_pre_revision"] * 100)
    assert np.allclose(table["grp_per_capita_k_yuan"], prof["gdp_100m_yuan_pre_revision"] / pop * 10)


def _csv_rows(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_beijing_by_hand_from_the_raw_files(table):
    fund = next(r for r in _csv_rows("province_rd_funding_2023") if r["province_code"] == "110000")
    basic = int(fund["basic_research_10k_yuan"]) / int(fund["rd_intramural_10k_yuan"]) * 100
    patents = next(r for r in _csv_rows("province_patents_granted")
                   if r["province_code"] == "110000" and r["year"] == "2023")
    researchers = next(r for r in _csv_rows("province_rd_personnel")
                       if r["province_code"] == "110000" and r["year"] == "2023")
    per_1k = int(patents["patents_granted_invention"]) / int(researchers["researchers_fte_manyears"]) * 1000
    assert table.loc[110000, "basic_share_pct"] == pytest.approx(basic)
    assert table.loc[110000, "inventions_per_1k_researchers"] == pytest.approx(per_1k)


# --------------------------------------------------------------------------- scatter (pure)
def tiny(values_x, values_y, regions=("East", "West", "Central", "Northeast")):
    n = len(values_x)
    return pd.DataFrame({"province_en": [f"P{i}" for i in range(n)],
                         "nbs_region_en": [regions[i % len(regions)] for i in range(n)],
                         "rd_intensity_pct": values_x, "basic_share_pct": values_y},
                        index=[110000, 120000, 130000, 140000, 150000][:n])


def test_scatter_fit_on_linear_and_log_scales():
    t = tiny([1.0, 10.0, 100.0, 1000.0], [2.0, 4.0, 6.0, 8.0])
    lin = inn.scatter(t, x="rd_intensity_pct", y="basic_share_pct", province="P1")
    fit = inn.fit_line(t["rd_intensity_pct"], t["basic_share_pct"])
    assert lin.fit == fit
    log = inn.scatter(t, x="rd_intensity_pct", y="basic_share_pct", province="P1", logx=True)
    # y = 2 + 2 log10(x) exactly
    assert (log.fit.slope, log.fit.intercept, log.fit.r2) == pytest.approx((2.0, 2.0, 1.0))
    assert log.rho == pytest.approx(1.0) and lin.rho == pytest.approx(1.0)   # ranks ignore the scale
    assert log.highlight["province_en"] == "P1" and log.data.loc[120000, "abbr"] == "TJ"


def test_scatter_edge_cases_and_missing_values():
    t = tiny([1.0, 2.0, 3.0, 0.0, np.nan], [1.0, 2.0, 2.5, 3.0, 4.0])
    with pytest.raises(EdgeCase, match="same indicator"):
        inn.scatter(t, x="rd_intensity_pct", y="rd_intensity_pct", province="P0")
    with pytest.raises(EdgeCase, match="log scale needs positive values, but P3"):
        inn.scatter(t, x="rd_intensity_pct", y="basic_share_pct", province="P0", logx=True)
    s = inn.scatter(t, x="rd_intensity_pct", y="basic_share_pct", province="P4")
    assert s.missing == ["P4"] and s.highlight is None and len(s.data) == 4
    assert "P4 has no value" in inn.describe(s)
    with pytest.raises(EdgeCase, match="Fewer than three"):
        inn.scatter(t.iloc[:2], x="rd_intensity_pct", y="basic_share_pct", province="P0")
    with pytest.raises(ValueError, match="unknown indicator"):
        inn.scatter(t, x="nope", y="basic_share_pct", province="P0")
    with pytest.raises(ValueError, match="unknown province"):
        inn.scatter(t, x="rd_intensity_pct", y="basic_share_pct", province="Atlantis")


def test_render_states_the_finding_and_marks_the_province(table):
    s = inn.scatter(table, x="enterprise_funded_pct", y="basic_share_pct", province="Beijing", logy=True)
    fig, summary = inn.render(s)
    try:
        title = plots.figure_title(fig)
        texts = [t.get_text() for t in fig.axes[0].texts]
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
    finally:
        plots.close(fig)
    assert "falls with" in title and "rho = -0.8" in title
    assert "Beijing" in texts and "BJ" not in texts and "SH" in texts       # full name replaces the code
    assert {"East", "Central", "West", "Northeast", "least-squares line", "your province"} == set(legend)
    assert "Beijing: rank" in summary and "log10 y" in summary


# --------------------------------------------------------------------------- the Explorer
@pytest.fixture(scope="module")
def explorer(table):
    return inn.build_explorer(table)


def test_explorer_default_and_recompute(explorer, table):
    ex = explorer
    assert ex.error is None and ex.message is None
    r = ex.result
    assert (r.x, r.y, r.province) == ("grp_per_capita_k_yuan", "rd_intensity_pct", "Anhui")
    expected = inn.fit_line(table["grp_per_capita_k_yuan"], table["rd_intensity_pct"])
    assert r.fit.slope == pytest.approx(expected.slope)
    ex.set(y="inventions_per_1k_researchers", province="Jiangsu")
    assert ex.result.y == "inventions_per_1k_researchers" and ex.result.highlight["province_en"] == "Jiangsu"
    assert "Jiangsu" in ex.html and "<img" in ex.html
    ex.set(y="rd_intensity_pct", province="Anhui")


def test_explorer_notes_same_axes_missing_values_and_log(explorer):
    ex = explorer
    ex.controls["y"].value = "grp_per_capita_k_yuan"
    assert ex.result is None and "same indicator" in ex.message and "course-edgecase" in ex.html
    ex.set(y="foreign_funded_pct", province="Ningxia")
    assert ex.error is None and ex.result.highlight is None
    assert "No value (not plotted): Xizang (Tibet), Ningxia." in ex.html
    ex.controls["logy"].value = True
    if (ex.result is None):   # a province with exactly zero foreign funds would make the log impossible
        assert "log scale needs positive values" in ex.message
    else:
        assert ex.result.logy and ex.error is None
    ex.set(y="rd_intensity_pct", province="Anhui", logy=False)
    assert ex.error is None and ex.message is None
    assert isinstance(ex.controls["x"], w.Dropdown) and len(ex.controls["x"].options) == len(inn.INDICATORS)


def test_doctests():
    import doctest

    result = doctest.testmod(inn, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- check questions
ANSWERS = {  # digests pasted into the notebook's questions, recomputed below from the raw files
    "q1_top5_invention_patents_pct": "2e289af87d8bbf80",
    "q2_xinjiang_extra_rd_100m_yuan": "4f10fb6eb56863c9",
    "q3_west_turnover_per_rd": "fc73642583b04828",
}


def notebook_questions():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    found = {}
    for name in ("q1", "q2", "q3"):
        (src,) = [t for t in sources if t.startswith(f"{name} = quiz.")]
        ns = {"quiz": quiz}
        exec(src, ns)
        found[name] = ns[name]
    return found


def _raw_answers():
    """The three answers from the raw CSV files (csv module, no course.load, no pandas)."""
    inv = [int(r["patents_granted_invention"]) for r in _csv_rows("province_patents_granted")
           if r["year"] == "2023" and r["province_code"] != "100000"]
    national = next(int(r["patents_granted_invention"]) for r in _csv_rows("province_patents_granted")
                    if r["year"] == "2023" and r["province_code"] == "100000")
    top5 = sum(sorted(inv, reverse=True)[:5])
    q1, q1_national = 100 * top5 / sum(inv), 100 * top5 / national
    gdp = {r["vintage"]: float(r["gdp_100m_yuan"]) for r in _csv_rows("province_gdp")
           if r["province_code"] == "650000" and r["year"] == "2023"}
    rd_xj = next(float(r["rd_expenditure_100m_yuan"]) for r in _csv_rows("province_rd_first_published")
                 if r["province_code"] == "650000" and r["year"] == "2023")
    q2 = 0.0265 * gdp["pre_5th_census_revision"] - rd_xj
    q2_revised = 0.0265 * gdp["post_5th_census_revision"] - rd_xj
    west = {r["province_code"] for r in _csv_rows("provinces") if r["nbs_region_en"] == "West"}
    rd = {r["province_code"]: float(r["rd_expenditure_100m_yuan"]) for r in _csv_rows("province_rd_first_published")
          if r["year"] == "2023" and r["province_code"] in west}
    tm = {r["province_code"]: float(r["tech_market_turnover_100m_yuan"]) for r in _csv_rows("province_tech_market")
          if r["year"] == "2023" and r["province_code"] in west}
    assert len(west) == len(rd) == len(tm) == 12
    q3 = sum(tm.values()) / sum(rd.values())
    q3_mean = sum(tm[c] / rd[c] for c in west) / 12
    return dict(q1=q1, q1_national=q1_national, q2=q2, q2_revised=q2_revised, q2_total=q2 + rd_xj,
                q3=q3, q3_mean=q3_mean)


def _refused(q, value_text, truth_text):
    fb = q.check(value_text)
    return (not fb.correct) and truth_text not in fb.message


def test_quiz_q1_top5_share_of_invention_patents():
    a = _raw_answers()
    assert quiz.digest(a["q1"], 1) == ANSWERS["q1_top5_invention_patents_pct"]
    q = notebook_questions()["q1"]
    assert q.answer == ANSWERS["q1_top5_invention_patents_pct"] and q.check(f"{a['q1']:.1f}").correct
    # plausible slips: the national row (with Hong Kong, Macao, Taiwan) as denominator; a fraction
    assert abs(round(a["q1_national"], 1) - round(a["q1"], 1)) > 0.15
    assert _refused(q, f"{a['q1_national']:.1f}", f"{a['q1']:.1f}")
    assert q.check(f"{a['q1_national']:.1f}").message.startswith("Not yet")
    assert "outside the plausible range" in q.check(f"{a['q1'] / 100:.3f}").message


def test_quiz_q2_extra_rd_for_xinjiang():
    a = _raw_answers()
    assert quiz.digest(a["q2"], 0) == ANSWERS["q2_xinjiang_extra_rd_100m_yuan"]
    q = notebook_questions()["q2"]
    assert q.answer == ANSWERS["q2_xinjiang_extra_rd_100m_yuan"] and q.check(f"{a['q2']:.0f}").correct
    # plausible slips: the revised GRP vintage; the total R&D needed instead of the increase
    for wrong in (a["q2_revised"], a["q2_total"]):
        assert round(wrong) != round(a["q2"])
        assert _refused(q, f"{wrong:.0f}", f"{a['q2']:.0f}")
        assert q.check(f"{wrong:.0f}").message.startswith("Not yet")


def test_quiz_q3_west_as_a_whole():
    a = _raw_answers()
    assert quiz.digest(a["q3"], 2) == ANSWERS["q3_west_turnover_per_rd"]
    q = notebook_questions()["q3"]
    assert q.answer == ANSWERS["q3_west_turnover_per_rd"] and q.check(f"{a['q3']:.2f}").correct
    # plausible slip: the unweighted mean of the 12 provinces' ratios
    assert abs(round(a["q3_mean"], 2) - round(a["q3"], 2)) > 0.015
    assert _refused(q, f"{a['q3_mean']:.2f}", f"{a['q3']:.2f}")
    assert q.check(f"{a['q3_mean']:.2f}").message.startswith("Not yet")


def test_quiz_answers_are_not_printed_in_the_notebook():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    shown = " ".join(str(o.get("text", "")) + " ".join(str(v) for k, v in o.get("data", {}).items()
                                                        if k != "image/png")
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    shown = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,...", shown)      # embedded images are not text
    source = " ".join("".join(c["source"]) for c in cells)
    a = _raw_answers()
    for text in (f"{a['q1']:.1f}", f"{a['q2']:.0f}", f"{a['q3']:.2f}"):
        assert text not in shown and text not in source, text
    for digest in ANSWERS.values():
        assert f'answer="{digest}"' in source


@pytest.mark.parametrize("language", ["en", "zh"])
def test_long_indicator_names_stay_inside_the_figure_and_clear_of_the_title(language):
    # the scatter's axes have a fixed place (a redraw updates the figure in place); the longest
    # indicator names must still fit: the y label inside the figure, the finding above the axes
    import matplotlib.pyplot as plt

    from course import i18n, plots

    table = inn.indicator_table()
    i18n.set_language(language)
    try:
        longest = sorted(inn.INDICATORS, key=lambda k: len(inn._axis_label(inn.INDICATORS[k])))[-3:]
        view: dict = {}
        for y in longest:
            for x in longest[::-1]:
                if x == y:
                    continue
                fig = inn.render(inn.scatter(table, x=x, y=y), view)[0]
                fig.canvas.draw()  # places the axis labels
                renderer = fig.canvas.get_renderer()
                ax = fig.axes[0]
                box = ax.yaxis.label.get_window_extent(renderer)
                assert box.y0 >= 0 and box.y1 <= fig.bbox.height and box.x0 >= 0, (x, y, "y label leaves the figure")
                assert box.height <= ax.bbox.height * 1.05, (x, y, "y label longer than the axes")
                title = fig._suptitle
                assert title.get_window_extent(renderer).y0 > ax.bbox.y1, (x, y, "the finding meets the axes")
                xlab = ax.xaxis.label.get_window_extent(renderer)
                assert xlab.x0 >= 0 and xlab.x1 <= fig.bbox.width, (x, y, "x label leaves the figure")
                legend = fig.legends[0].get_window_extent(renderer)
                assert xlab.y0 > legend.y1, (x, y, "the x label meets the legend")
    finally:
        i18n.set_language("en")
        plt.close("all")
