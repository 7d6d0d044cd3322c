"""Digital infrastructure by province: per-resident indicators, their gaps and their convergence (paper F2).

Section 四(二) of Zhang & Ma (2024) (course id **F2**) wants data to flow between regions. No official
statistic measures a province's "data supply"; what exists is the infrastructure data travel on and
the content hosted on it (NBS internet indicators, 2006/2011-2019) and a research index of digital
finance (Peking University, 2011-2023). This module turns the internet counts into per-resident
indicators and compares their provincial gaps, and how fast the gaps close, with those of income.

* :data:`INDICATORS` -- what each per-resident indicator divides by what;
* :func:`per_capita_panel` -- the long panel (province x year) of those indicators;
* :func:`dispersion` -- CV and Gini of every indicator in one year, beside the income figures;
* :func:`convergence` -- for each indicator, the coefficient of variation at its first and last year
  and its average annual log change, against income's over the **same years**.

Counts of *accounts* (broadband and mobile subscribers, 户) are not counts of people: one person can
hold several mobile accounts, so "per 100 residents" can exceed 100.

Examples
--------
>>> annual_log_change(0.4, 0.2, 7)     # the CV halves in 7 years: ln(0.5)/7
-0.09902102579427789
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course import measures
from course.i18n import N_

__all__ = ["Indicator", "INDICATORS", "per_capita_panel", "dispersion", "annual_log_change", "convergence"]

INCOME = "disposable_income_per_capita_all_residents_yuan"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    column: str        # column of province_internet (or of the digital-finance table)
    per: float         # per this many residents (0: the value is used as it is)
    unit: str
    kind: str          # "access" (connections) or "content" (what is hosted) or "finance" (index)


INDICATORS: dict[str, Indicator] = {ind.key: ind for ind in [
    Indicator("broadband_per_100", N_("Broadband subscribers"), "broadband_users_10k_accounts", 100,
              N_("accounts per 100 residents"), "access"),
    Indicator("mobile_per_100", N_("Mobile internet subscribers"), "mobile_internet_users_10k_accounts", 100,
              N_("accounts per 100 residents"), "access"),
    Indicator("ports_per_100", N_("Broadband access ports"), "broadband_ports_10k_units", 100,
              N_("ports per 100 residents"), "access"),
    Indicator("domains_per_1000", N_("Domain names"), "domain_names_10k_units", 1000,
              N_("per 1,000 residents"), "content"),
    Indicator("pages_per_resident", N_("Web pages"), "web_pages_10k_units", 1,
              N_("per resident"), "content"),
]}


def per_capita_panel(internet: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """One row per province and year with every indicator of :data:`INDICATORS` per resident.

    Both tables count in 10,000s (万个, 万户, 万人), so a count over the population is per person and is
    multiplied by ``per``. The national row (100000) is dropped; years without population (before
    2010) are dropped; a missing count stays missing.
    """
    net = internet[internet["province_code"] != 100000]
    pop = population[["province_code", "year", "resident_population_10k"]].rename(
        columns={"resident_population_10k": "population_10k"})
    out = net[["province_code", "province_en", "nbs_region_en", "year"]].merge(
        pop, on=["province_code", "year"], how="inner", validate="one_to_one")
    values = net.set_index(["province_code", "year"])
    idx = pd.MultiIndex.from_frame(out[["province_code", "year"]])
    for key, ind in INDICATORS.items():
        count = values[ind.column].reindex(idx).to_numpy(dtype="float64")
        out[key] = count / out["population_10k"].to_numpy(dtype="float64") * ind.per
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def dispersion(values: pd.Series, weights: pd.Series | None = None) -> pd.Series:
    """CV and Gini of one cross-section (missing values dropped; ``weights`` optional)."""
    v = pd.Series(values, dtype="float64")
    keep = v.notna()
    w = None if weights is None else pd.Series(weights, dtype="float64")[keep]
    v = v[keep]
    return pd.Series({"provinces": float(len(v)), "cv": measures.cv(v, weights=w),
                      "gini": measures.gini(v, weights=w)})


def annual_log_change(start: float, end: float, years: int) -> float:
    """:math:`\\ln(\\text{end}/\\text{start})/\\text{years}`: negative when a gap closes."""
    if years <= 0:
        raise ValueError("annual_log_change: the end year must come after the start year")
    if not (start > 0 and end > 0):
        raise ValueError("annual_log_change: both values must be positive")
    return math.log(end / start) / years


def convergence(panel: pd.DataFrame, income: pd.DataFrame, columns, first_year: int | None = None) -> pd.DataFrame:
    """For each indicator column: CV at its first and last year with 31 provinces, and income's.

    Parameters
    ----------
    panel : DataFrame
        Long table with ``province_code``, ``year`` and the indicator ``columns``.
    income : DataFrame
        ``province_income_consumption`` (per-capita disposable income of all residents).
    columns : list of str
    first_year : int, optional
        Start no earlier than this year (income starts in 2013).

    Returns
    -------
    DataFrame
        One row per indicator: ``start``, ``end``, ``cv_start``, ``cv_end``, ``rate`` (annual log
        change of the CV), and ``income_cv_start``, ``income_cv_end``, ``income_rate`` over the same
        years; ``faster_than_income`` is True when the indicator's CV fell faster (more negative rate).
    """
    inc = income.set_index(["province_code", "year"])[INCOME].astype("float64")
    inc_years = set(inc.index.get_level_values("year"))
    rows = []
    for col in columns:
        have = panel.dropna(subset=[col]).groupby("year")["province_code"].nunique()
        years = sorted(y for y, k in have.items() if k == 31 and y in inc_years
                       and (first_year is None or y >= first_year))
        if len(years) < 2:
            raise ValueError(f"convergence: {col} has fewer than two years with all 31 provinces and income")
        y0, y1 = years[0], years[-1]
        cv = {y: measures.cv(panel.loc[panel["year"] == y, col].astype("float64")) for y in (y0, y1)}
        icv = {y: measures.cv(inc.xs(y, level="year")) for y in (y0, y1)}
        rate = annual_log_change(cv[y0], cv[y1], y1 - y0)
        irate = annual_log_change(icv[y0], icv[y1], y1 - y0)
        rows.append({"indicator": col, "start": y0, "end": y1, "cv_start": cv[y0], "cv_end": cv[y1],
                     "rate": rate, "income_cv_start": icv[y0], "income_cv_end": icv[y1], "income_rate": irate,
                     "faster_than_income": bool(rate < irate)})
    return pd.DataFrame(rows).set_index("indicator")
