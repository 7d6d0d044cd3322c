"""Lesson 32 (F2): digital infrastructure per resident, its dispersion and its convergence.

Tiny tables with known answers (a count over a population in the same units is per person; a CV that
halves in seven years changes by ln(0.5)/7 a year), the real panel against the raw files, and the
lesson's third check question recomputed by an independent route.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import course
from course import digital, measures, quiz

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "32_data_as_a_factor.ipynb"


def test_annual_log_change_by_hand():
    assert digital.annual_log_change(0.4, 0.2, 7) == pytest.approx(math.log(0.5) / 7)
    assert digital.annual_log_change(0.3, 0.3, 5) == 0
    with pytest.raises(ValueError, match="after the start"):
        digital.annual_log_change(0.3, 0.2, 0)
    with pytest.raises(ValueError, match="positive"):
        digital.annual_log_change(0.0, 0.2, 3)


def test_per_capita_panel_units_on_a_tiny_table():
    net = pd.DataFrame({
        "province_code": [100000, 110000, 120000], "province_en": ["China", "Beijing", "Tianjin"],
        "nbs_region_en": ["National", "East", "East"], "year": [2019] * 3,
        "broadband_users_10k_accounts": [900.0, 500.0, np.nan], "mobile_internet_users_10k_accounts": [1.0, 300.0, 150.0],
        "broadband_ports_10k_units": [1.0, 1000.0, 100.0], "domain_names_10k_units": [1.0, 20.0, 1.0],
        "web_pages_10k_units": [1.0, 40000.0, 300.0],
    })
    pop = pd.DataFrame({"province_code": [110000, 120000], "year": [2019, 2019], "resident_population_10k": [200, 100]})
    p = digital.per_capita_panel(net, pop).set_index("province_code")
    assert 100000 not in p.index                                     # the national row is dropped
    assert p.loc[110000, "broadband_per_100"] == pytest.approx(250.0)    # 500 / 200 * 100
    assert np.isnan(p.loc[120000, "broadband_per_100"])              # missing stays missing
    assert p.loc[120000, "mobile_per_100"] == pytest.approx(150.0)
    assert p.loc[110000, "domains_per_1000"] == pytest.approx(100.0)   # 20 / 200 * 1000
    assert p.loc[110000, "pages_per_resident"] == pytest.approx(200.0)


def test_dispersion_by_hand():
    d = digital.dispersion(pd.Series([1.0, 3.0, np.nan]))
    assert d["provinces"] == 2 and d["gini"] == pytest.approx(0.25) and d["cv"] == pytest.approx(0.5)


@pytest.fixture(scope="module")
def panel():
    return digital.per_capita_panel(course.load("province_internet"), course.load("province_population"))


def test_real_panel_against_the_raw_files(panel):
    with open(ROOT / "datasets" / "province_internet.csv", newline="", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["province_code"] == "440000" and r["year"] == "2019")
    with open(ROOT / "datasets" / "province_population.csv", newline="", encoding="utf-8") as fh:
        people = next(int(r["resident_population_10k"]) for r in csv.DictReader(fh)
                      if r["province_code"] == "440000" and r["year"] == "2019")
    gd = panel[(panel["province_code"] == 440000) & (panel["year"] == 2019)].iloc[0]
    assert gd["mobile_per_100"] == pytest.approx(float(row["mobile_internet_users_10k_accounts"]) / people * 100)
    assert gd["pages_per_resident"] == pytest.approx(float(row["web_pages_10k_units"]) / people)
    assert sorted(panel["year"].unique()) == list(range(2010, 2020))
    per_year = panel.dropna(subset=["mobile_per_100"]).groupby("year")["province_code"].nunique()
    assert per_year.index.min() == 2014 and (per_year == 31).all()


def test_convergence_uses_the_same_years_for_income(panel):
    inc = course.load("province_income_consumption")
    c = digital.convergence(panel, inc, ["mobile_per_100", "broadband_per_100"])
    assert (c.loc["mobile_per_100", "start"], c.loc["mobile_per_100", "end"]) == (2014, 2019)
    assert c.loc["broadband_per_100", "start"] == 2013                 # income starts in 2013
    i = inc.set_index(["year", "province_code"])["disposable_income_per_capita_all_residents_yuan"]
    icv14, icv19 = measures.cv(i.loc[2014]), measures.cv(i.loc[2019])
    assert c.loc["mobile_per_100", "income_rate"] == pytest.approx(math.log(icv19 / icv14) / 5)
    m = panel.set_index(["year", "province_code"])["mobile_per_100"]
    assert c.loc["mobile_per_100", "rate"] == pytest.approx(math.log(measures.cv(m.loc[2019]) / measures.cv(m.loc[2014])) / 5)
    assert c.loc["mobile_per_100", "faster_than_income"] == (c.loc["mobile_per_100", "rate"] < c.loc["mobile_per_100", "income_rate"])
    with pytest.raises(ValueError, match="fewer than two years"):
        digital.convergence(panel, inc, ["mobile_per_100"], first_year=2019)


# --------------------------------------------------------------------------- check question 3 and the outputs
ANSWER_Q3 = "71e30d17f0950313"


def _q3_answers():
    """Spearman's rho from the raw CSV files: Pearson correlation of the ranks (no ties in these data)."""
    def read(name, col):
        with open(ROOT / "datasets" / f"{name}.csv", newline="", encoding="utf-8") as fh:
            return {r["province_code"]: float(r[col]) for r in csv.DictReader(fh) if r["year"] == "2023"}
    depth = read("province_digital_finance_pku", "dfii_usage_depth")
    total = read("province_digital_finance_pku", "dfii_total")
    income = read("province_income_consumption", "disposable_income_per_capita_all_residents_yuan")
    codes = sorted(depth)
    x = np.array([depth[c] for c in codes])
    y = np.array([income[c] for c in codes])
    t = np.array([total[c] for c in codes])
    assert len(set(x)) == len(x) == 31 and len(set(y)) == 31
    rank = lambda v: np.argsort(np.argsort(v))
    rho = np.corrcoef(rank(x), rank(y))[0, 1]
    return rho, np.corrcoef(x, y)[0, 1], np.corrcoef(rank(t), rank(y))[0, 1]


def test_quiz_q3_rank_correlation_of_usage_depth_and_income():
    rho, pearson, rho_total = _q3_answers()
    assert quiz.digest(rho, 3) == ANSWER_Q3
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    (src,) = ["".join(c["source"]) for c in cells
              if c["cell_type"] == "code" and "".join(c["source"]).startswith("q3 = quiz.")]
    ns = {"quiz": quiz}
    exec(src, ns)
    q = ns["q3"]
    assert q.answer == ANSWER_Q3 and q.check(f"{rho:.3f}").correct
    # plausible slips: the Pearson correlation of the values; the total index's rho (printed in the lesson)
    for wrong in (pearson, rho_total):
        assert abs(round(wrong, 3) - round(rho, 3)) > 0.0015
        fb = q.check(f"{wrong:.3f}")
        assert not fb.correct and fb.message.startswith("Not yet") and f"{rho:.3f}" not in fb.message


def _shown_text():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    shown = " ".join(str(o.get("text", "")) + " ".join(str(v) for k, v in o.get("data", {}).items() if k != "image/png")
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    source = " ".join("".join(c["source"]) for c in cells)
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,...", shown), source


def test_quiz_answers_of_lesson_32_are_not_printed():
    shown, source = _shown_text()
    rho, _, _ = _q3_answers()
    assert f"{rho:.3f}" not in shown and f"{rho:.3f}" not in source
    # q1: the number of unique records of that one release is not printed as a count of records
    assert not re.search(r"(?<![\d.,])9 (records|unique)", shown)
    # q2: the lesson never shows the setting n = 10, tau = 0.03 nor its optimum
    assert "p = 6 pooled" not in shown and "tau = 0.03" not in shown.replace("tau = 0.03 between", "")
    for digest in ("34297ba8b6379a6a", "9149e8ea5d72d774", ANSWER_Q3):
        assert f'answer="{digest}"' in source
