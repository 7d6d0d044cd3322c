"""Regional disparity of per-capita indicators across China's 31 provinces (lesson 12, paper N2).

The paper's section 二(二) says that developing new quality productive forces according to local
conditions can narrow the gaps between China's regions (区域协调发展). This module measures those
gaps. It has three layers:

* **panels** -- :func:`per_capita_panel`, :func:`income_panel`, :func:`published_panel` turn the
  course tables into one long table per indicator (one row per province and year, with the
  population used as weight);
* **measures** -- :func:`disparity` (one year: CV, population-weighted CV, Gini, Theil T split into
  between- and within-region parts for the four NBS regions), :func:`disparity_series` (every year:
  sigma-convergence) and :func:`beta_convergence` (initial level against growth);
* **widget** -- :func:`explore` is the pure function behind the lesson's Explorer and
  :func:`build_explorer` the thin shell that wires controls to it and draws the tile map and the
  decomposition bars.

The maths of the inequality measures lives in :mod:`course.measures`; this module only selects,
merges and reshapes. Degenerate settings (a year the indicator does not cover, a selection that
leaves fewer than two provinces, non-positive values) raise :class:`course.widgets.EdgeCase` with a
short explanation for the student.

GDP per capita here is **computed** by the course as GDP / year-end population. NBS publishes its
own figure, which divides GDP by the *mean* of the start- and end-year population, so the two
differ slightly (the published one is available as the indicator ``"gdp_pc_nbs"``).

Examples
--------
>>> import pandas as pd
>>> gdp = pd.DataFrame({"province_code": [1, 2], "province_en": ["A", "B"],
...                     "nbs_region_en": ["East", "West"], "year": [2020, 2020],
...                     "gdp_100m_yuan": [200.0, 100.0], "vintage": "post_5th_census_revision"})
>>> pop = pd.DataFrame({"province_code": [1, 2], "year": [2020, 2020],
...                     "resident_population_10k": [100, 100]})
>>> per_capita_panel(gdp, pop)["gdp_per_capita_yuan"].tolist()
[20000.0, 10000.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course import measures
from course.i18n import N_, _, _f, province
from course.edgecase import EdgeCase

__all__ = [
    "REGIONS",
    "VINTAGES",
    "DEFAULT_VINTAGE",
    "INDICATORS",
    "Indicator",
    "Disparity",
    "BetaConvergence",
    "Exploration",
    "per_capita_panel",
    "real_per_capita_panel",
    "income_panel",
    "published_panel",
    "build_panels",
    "panel_for",
    "available_years",
    "disparity",
    "disparity_series",
    "beta_convergence",
    "explore",
    "describe",
    "decomposition_html",
    "summary_html",
    "render",
    "build_explorer",
    "URBAN_RURAL_YEARS",
    "urban_rural",
    "sign_test",
]

#: The four NBS regions, in the order the course shows them (east to north-east).
REGIONS = ("East", "Central", "West", "Northeast")

#: GDP vintages in ``province_gdp``: before and after the revision that followed the Fifth
#: National Economic Census (NBS revised all provincial GDP in 2024-25).
VINTAGES = {
    "post_5th_census_revision": N_("post-revision (current series)"),
    "pre_5th_census_revision": N_("pre-revision (Statistical Yearbook 2024)"),
}
DEFAULT_VINTAGE = "post_5th_census_revision"

_ID = ["province_code", "province_en", "nbs_region_en", "year"]
_POP = "population_10k"


@dataclass(frozen=True)
class Indicator:
    """What an indicator is, where its numbers come from and how to label it."""

    key: str
    label: str
    column: str
    unit: str
    uses_vintage: bool
    note: str


INDICATORS = {
    "gdp_pc": Indicator(
        "gdp_pc",
        N_("GDP per capita (computed)"),
        "gdp_per_capita_yuan",
        "yuan per person",
        True,
        N_("computed by the course: GDP / year-end resident population (NBS divides by the mean population)"),
    ),
    "income_pc": Indicator(
        "income_pc",
        N_("Disposable income per capita"),
        "disposable_income_per_capita_yuan",
        "yuan per person",
        False,
        N_("per-capita disposable income of all residents, as published by NBS (household survey)"),
    ),
    "gdp_pc_nbs": Indicator(
        "gdp_pc_nbs",
        N_("GDP per capita (NBS published)"),
        "gdp_per_capita_yuan_nbs",
        "yuan per person",
        True,
        N_("as published by NBS with the value-added table: GDP / mean of start- and end-year population"),
    ),
}


def _check_vintage(vintage: str) -> None:
    if vintage not in VINTAGES:
        raise ValueError(f"unknown vintage {vintage!r}; use one of {', '.join(VINTAGES)}")


def _population(pop: pd.DataFrame) -> pd.DataFrame:
    return pop[["province_code", "year", "resident_population_10k"]].rename(
        columns={"resident_population_10k": _POP}
    )


def per_capita_panel(gdp: pd.DataFrame, pop: pd.DataFrame, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """GDP per capita (computed) for every province and year that has both GDP and population.

    Parameters
    ----------
    gdp : DataFrame
        The ``province_gdp`` table (long, with a ``vintage`` column).
    pop : DataFrame
        The ``province_population`` table (year-end resident population, 10,000 persons).
    vintage : str
        Which GDP vintage to use (one vintage only: the two are not comparable year to year).

    Returns
    -------
    DataFrame
        Columns ``province_code, province_en, nbs_region_en, year, gdp_100m_yuan, population_10k,
        gdp_per_capita_yuan``; one row per province-year present in both tables. GDP in 100 million
        yuan divided by population in 10,000 persons gives 10,000 yuan per person, hence ``* 1e4``.
    """
    _check_vintage(vintage)
    g = gdp.loc[gdp["vintage"] == vintage, _ID + ["gdp_100m_yuan"]]
    out = g.merge(_population(pop), on=["province_code", "year"], how="inner", validate="one_to_one")
    out["gdp_per_capita_yuan"] = out["gdp_100m_yuan"] / out[_POP] * 1e4
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def real_per_capita_panel(panel: pd.DataFrame, gdp_index: pd.DataFrame, base_year: int,
                          vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Real GDP per capita at ``base_year`` prices, from NBS's real growth index of GRP.

    ``panel`` is :func:`per_capita_panel` for the same ``vintage``; ``gdp_index`` is the
    ``province_gdp_index`` table (growth on the previous year, previous year = 100). For every
    province and every year ``t >= base_year`` covered by the index without a gap,

    .. math:: y^{real}_t = y_{base}\\,\\prod_{s=base+1}^{t} \\frac{I_s}{100}\\;\\frac{P_{base}}{P_t},

    the base year's nominal GDP per capita grown at the real GRP growth rates and divided by the
    population growth since then. So :func:`beta_convergence` on the column
    ``real_gdp_per_capita_yuan`` gives growth in *real* terms (each province deflated by its own
    price change), beside the nominal growth of ``gdp_per_capita_yuan``.

    Examples
    --------
    >>> import pandas as pd
    >>> panel = pd.DataFrame({"province_code": [1, 1, 1], "province_en": "A", "nbs_region_en": "East",
    ...                       "year": [2015, 2016, 2017], "gdp_100m_yuan": [100.0, 120.0, 140.0],
    ...                       "population_10k": [10.0, 10.0, 20.0],
    ...                       "gdp_per_capita_yuan": [1e5, 1.2e5, 0.7e5]})
    >>> index = pd.DataFrame({"province_code": [1, 1], "year": [2016, 2017], "vintage": "v",
    ...                       "gdp_index_prev_year_100": [110.0, 105.0]})
    >>> real_per_capita_panel(panel, index, 2015, vintage="v")["real_gdp_per_capita_yuan"].round(1).tolist()
    [100000.0, 110000.0, 57750.0]
    """
    idx = gdp_index[gdp_index["vintage"] == vintage]
    factors = idx.pivot(index="year", columns="province_code", values="gdp_index_prev_year_100") / 100
    wide = panel.pivot(index="year", columns="province_code", values="gdp_per_capita_yuan")
    pop = panel.pivot(index="year", columns="province_code", values=_POP)
    if base_year not in wide.index:
        raise EdgeCase(_f("No GDP per capita for {base_year} in this vintage: pick another base year."))
    years = [base_year]
    while years[-1] + 1 in factors.index and years[-1] + 1 in wide.index:
        years.append(years[-1] + 1)
    if len(years) < 2:
        raise EdgeCase(_f("The real growth index of this vintage does not start in {base_year + 1}: "
                          "pick a base year just before the index begins."))
    growth = factors.loc[years[1:]].cumprod()
    growth.loc[base_year] = 1.0
    growth = growth.sort_index()
    real = wide.loc[base_year] * growth * pop.loc[base_year] / pop.loc[years]
    out = real.stack().rename("real_gdp_per_capita_yuan").reset_index()
    ids = panel.loc[panel["year"].isin(years), _ID + [_POP, "gdp_per_capita_yuan"]]
    out = ids.merge(out, on=["year", "province_code"], how="inner", validate="one_to_one")
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def income_panel(income: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """Per-capita disposable income of all residents (NBS) with the year-end population as weight."""
    col = "disposable_income_per_capita_all_residents_yuan"
    i = income[_ID + [col]].rename(columns={col: INDICATORS["income_pc"].column})
    out = i.merge(_population(pop), on=["province_code", "year"], how="inner", validate="one_to_one")
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def published_panel(value_added: pd.DataFrame, pop: pd.DataFrame, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """GDP per capita as published by NBS (``province_value_added``), one vintage, with population."""
    _check_vintage(vintage)
    v = value_added.loc[value_added["vintage"] == vintage, _ID + ["gdp_per_capita_yuan"]]
    v = v.rename(columns={"gdp_per_capita_yuan": INDICATORS["gdp_pc_nbs"].column})
    out = v.merge(_population(pop), on=["province_code", "year"], how="inner", validate="one_to_one")
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def build_panels(gdp, pop, income=None, value_added=None) -> dict:
    """All indicator panels, keyed by ``(indicator, vintage)`` (``vintage`` is None for income).

    Built once, so that the widget only selects rows when a control changes.
    """
    panels = {("gdp_pc", v): per_capita_panel(gdp, pop, v) for v in VINTAGES}
    if income is not None:
        panels[("income_pc", None)] = income_panel(income, pop)
    if value_added is not None:
        for v in VINTAGES:
            panels[("gdp_pc_nbs", v)] = published_panel(value_added, pop, v)
    return panels


def panel_for(panels: dict, indicator: str, vintage: str | None = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The panel of ``indicator`` (and ``vintage``, ignored for an indicator without vintages)."""
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}; use one of {', '.join(INDICATORS)}")
    key = (indicator, vintage if INDICATORS[indicator].uses_vintage else None)
    if key not in panels:
        raise ValueError(f"no panel for {key}; build it with build_panels(...)")
    return panels[key]


def available_years(panel: pd.DataFrame, column: str | None = None) -> list[int]:
    """Years in which at least two provinces have a value of ``column``."""
    column = column or _value_column(panel)
    counts = panel.loc[panel[column].notna()].groupby("year")["province_code"].nunique()
    return sorted(int(y) for y in counts.index[counts >= 2])


def _value_column(panel: pd.DataFrame) -> str:
    for ind in INDICATORS.values():
        if ind.column in panel.columns:
            return ind.column
    raise ValueError("the panel has none of the indicator columns: " + ", ".join(i.column for i in INDICATORS.values()))


def _span(years) -> str:
    years = list(years)
    return f"{years[0]}-{years[-1]}" if years else "none"


@dataclass
class Disparity:
    """Disparity of one indicator across provinces in one year.

    ``cv`` and ``gini`` count each province once; ``cv_weighted`` (Williamson's CV) and
    ``gini_weighted`` weight provinces by population. ``theil``, ``between`` and ``within`` are
    Theil's T and its split over the NBS regions, with the weighting named in ``weights``.
    """

    column: str
    year: int
    weights: str
    n: int
    mean: float
    mean_weighted: float
    cv: float
    cv_weighted: float
    gini: float
    gini_weighted: float
    theil: float
    between: float
    within: float
    by_region: pd.DataFrame
    values: pd.DataFrame

    @property
    def between_share(self) -> float:
        """Share of Theil's T that is between regions (0 when there is no inequality at all)."""
        return self.between / self.theil if self.theil > 0 else 0.0

    @property
    def max_min_ratio(self) -> float:
        v = self.values["value"]
        return float(v.max() / v.min())

    def summary(self) -> pd.Series:
        """The headline numbers as a Series (what the lesson prints)."""
        return pd.Series(
            {
                "provinces": self.n,
                "CV": self.cv,
                "CV (population-weighted)": self.cv_weighted,
                "Gini": self.gini,
                "Gini (population-weighted)": self.gini_weighted,
                f"Theil T ({self.weights} weights)": self.theil,
                "  between regions": self.between,
                "  within regions (GDP-share-weighted)": self.within,
                "  between share (of total T)": self.between_share,
                "max / min": self.max_min_ratio,
            },
            name=self.year,
        )


def _select(panel: pd.DataFrame, year: int, column: str, regions) -> pd.DataFrame:
    if column not in panel.columns:
        raise ValueError(f"the panel has no column {column!r}")
    if regions is not None:
        regions = list(regions)
        if not regions:
            raise EdgeCase(_("No region selected: pick at least one region to measure the gap between its provinces."))
        unknown = sorted(set(regions) - set(REGIONS))
        if unknown:
            raise ValueError(f"unknown region(s) {', '.join(unknown)}; use {', '.join(REGIONS)}")
    rows = panel.loc[(panel["year"] == int(year)) & panel[column].notna()]
    if len(rows) < 2:
        years = available_years(panel, column)
        raise EdgeCase(_f("No data for {year}: this indicator covers {_span(years)}. Pick a year in that range."))
    if regions is not None:
        rows = rows.loc[rows["nbs_region_en"].isin(regions)]
    if len(rows) < 2:
        raise EdgeCase(_f(
            "Only {len(rows)} {'province' if len(rows) == 1 else 'provinces'} left in this selection: "
            "a gap needs at least two provinces. "
            "Add another region."
        ))
    if (rows[column] <= 0).any():
        raise EdgeCase(_("Some values are zero or negative: Theil's index needs positive values (logarithms)."))
    if (rows[_POP] <= 0).any() or rows[_POP].isna().any():
        raise EdgeCase(_("Some provinces have no population weight: the weighted measures cannot be computed."))
    return rows


def disparity(
    panel: pd.DataFrame,
    year: int,
    column: str | None = None,
    regions=None,
    weights: str = "population",
) -> Disparity:
    """CV, weighted CV, Gini and Theil T (between/within the NBS regions) in one year.

    Parameters
    ----------
    panel : DataFrame
        A panel from :func:`per_capita_panel` (or the other panel builders): one row per province
        and year, columns ``province_code, province_en, nbs_region_en, year, population_10k`` and
        the indicator column.
    year : int
    column : str, optional
        The indicator column (default: the one indicator column the panel has).
    regions : iterable of str, optional
        Keep only provinces of these NBS regions (default: all 31).
    weights : {"population", "equal"}
        Weights for Theil's T and its decomposition: ``"population"`` treats every resident as a
        unit who receives her province's average (the usual choice for GDP per capita);
        ``"equal"`` counts each province once (the usual choice for index scores).

    Returns
    -------
    Disparity

    Raises
    ------
    EdgeCase
        The year is not covered, no region is selected, fewer than two provinces remain, or values
        are not positive.

    Examples
    --------
    Two regions, each internally equal: all inequality is between them.

    >>> p = pd.DataFrame({"province_code": [1, 2, 3, 4], "province_en": list("ABCD"),
    ...                   "nbs_region_en": ["East", "East", "West", "West"], "year": 2020,
    ...                   "population_10k": 1.0, "gdp_per_capita_yuan": [2.0, 2.0, 1.0, 1.0]})
    >>> d = disparity(p, 2020)
    >>> round(d.within, 12), round(d.between_share, 6), round(d.gini, 4)
    (0.0, 1.0, 0.1667)
    """
    if weights not in ("population", "equal"):
        raise ValueError("weights must be 'population' or 'equal'")
    column = column or _value_column(panel)
    rows = _select(panel, year, column, regions)
    y = rows[column].to_numpy(dtype=float)
    p = rows[_POP].to_numpy(dtype=float)
    groups = rows["nbs_region_en"].to_numpy()
    w = p if weights == "population" else None
    dec = measures.theil_decomposition(y, groups, weights=w, kind="T")

    frame = rows[["province_code", "province_en", "nbs_region_en", _POP]].assign(value=y)
    present = [r for r in REGIONS if (groups == r).any()]
    stats = []
    for reg in present:
        m = groups == reg
        stats.append((int(m.sum()), p[m].sum(), y[m].mean(), (y[m] * p[m]).sum() / p[m].sum()))
    by_region = pd.DataFrame(stats, index=pd.Index(present, name="nbs_region_en"),
                             columns=["provinces", "population_10k", "mean", "mean_weighted"])
    by_region = by_region.join(_group_terms(dec, by_region.index))

    return Disparity(
        column=column,
        year=int(year),
        weights=weights,
        n=len(rows),
        mean=float(y.mean()),
        mean_weighted=float((y * p).sum() / p.sum()),
        cv=float(measures.cv(y)),
        cv_weighted=float(measures.cv(y, weights=p)),
        gini=float(measures.gini(y)),
        gini_weighted=float(measures.gini(y, weights=p)),
        theil=float(dec.total),
        between=float(dec.between),
        within=float(dec.within),
        by_region=by_region,
        values=frame.reset_index(drop=True),
    )


def _group_terms(dec, regions) -> pd.DataFrame:
    """Each region's own Theil T and its contribution to the within part (from course.measures)."""
    g = dec.groups.reindex(regions)
    return pd.DataFrame(
        {"theil_region": g["theil"].astype(float), "within_contribution": g["contribution"].astype(float)},
        index=regions,
    )


def disparity_series(
    panel: pd.DataFrame, column: str | None = None, regions=None, weights: str = "population"
) -> pd.DataFrame:
    """:func:`disparity` for every year the panel covers: the data for sigma-convergence.

    Returns a DataFrame indexed by year with columns ``provinces, cv, cv_weighted, gini,
    gini_weighted, theil, between, within, between_share, max_min_ratio``.
    """
    column = column or _value_column(panel)
    rows = []
    for year in available_years(panel, column):
        d = disparity(panel, year, column, regions=regions, weights=weights)
        rows.append(
            {
                "year": year,
                "provinces": d.n,
                "cv": d.cv,
                "cv_weighted": d.cv_weighted,
                "gini": d.gini,
                "gini_weighted": d.gini_weighted,
                "theil": d.theil,
                "between": d.between,
                "within": d.within,
                "between_share": d.between_share,
                "max_min_ratio": d.max_min_ratio,
            }
        )
    return pd.DataFrame(rows).set_index("year")


@dataclass
class BetaConvergence:
    """Absolute beta-convergence between two years.

    ``data`` has one row per province: ``log_initial`` (ln of the start value) and ``growth``
    (average annual log growth). ``beta`` is the OLS slope of growth on log_initial; negative means
    poorer provinces grew faster. ``speed`` is the implied convergence speed
    :math:`\\lambda=-\\ln(1+T\\beta)/T` (NaN when :math:`1+T\\beta\\le 0`).
    """

    start: int
    end: int
    beta: float
    alpha: float
    r2: float
    speed: float
    data: pd.DataFrame


def beta_convergence(panel: pd.DataFrame, start: int, end: int, column: str | None = None) -> BetaConvergence:
    """Growth of each province from ``start`` to ``end`` against its level in ``start``.

    Growth is the average annual log growth :math:`\\ln(y_{end}/y_{start})/T`. With nominal values
    (as in the course's GDP tables) a price rise common to all provinces shifts the intercept but
    not the slope; differences in provincial inflation are ignored.
    """
    column = column or _value_column(panel)
    years = available_years(panel, column)
    if start not in years or end not in years:
        raise EdgeCase(_f("Both years must be in {_span(years)} (you chose {start} and {end})."))
    if end <= start:
        raise EdgeCase(_("The end year must come after the start year."))
    wide = panel.pivot_table(index=["province_code", "province_en", "nbs_region_en"], columns="year", values=column)
    wide = wide[[start, end]].dropna()
    if len(wide) < 3:
        raise EdgeCase(_("Fewer than three provinces have both years: a slope needs at least three points."))
    span = end - start
    data = pd.DataFrame(
        {
            "initial": wide[start],
            "final": wide[end],
            "log_initial": np.log(wide[start]),
            "growth": np.log(wide[end] / wide[start]) / span,
        }
    ).reset_index()
    beta, alpha = np.polyfit(data["log_initial"], data["growth"], 1)
    fitted = alpha + beta * data["log_initial"]
    ss_res = float(((data["growth"] - fitted) ** 2).sum())
    ss_tot = float(((data["growth"] - data["growth"].mean()) ** 2).sum())
    r2 = 1 - ss_res / ss_tot if ss_tot > 0 else float("nan")
    speed = -math.log(1 + span * beta) / span if 1 + span * beta > 0 else float("nan")
    return BetaConvergence(int(start), int(end), float(beta), float(alpha), float(r2), float(speed), data)


# --------------------------------------------------------------------------- the widget
@dataclass
class Exploration:
    """What :func:`explore` returns: the disparity of the selection and the map values of the year."""

    indicator: str
    vintage: str | None
    year: int
    regions: tuple
    weights: str
    disparity: Disparity
    map_values: pd.Series

    @property
    def label(self) -> str:
        return _(INDICATORS[self.indicator].label)

    @property
    def phrase(self) -> str:
        """The label inside a sentence ("GDP per capita ...", "disposable income per capita")."""
        label = self.label
        return label if label[:3].isupper() else label[0].lower() + label[1:]


def explore(panels: dict, indicator: str = "gdp_pc", vintage: str = DEFAULT_VINTAGE, year: int = 2024,
            regions=REGIONS, weights: str = "population") -> Exploration:
    """The pure function behind the lesson's Explorer.

    Picks the panel of ``indicator`` (and ``vintage`` where the indicator has vintages), measures
    the disparity among the provinces of ``regions`` in ``year`` with :func:`disparity`, and keeps
    all 31 provinces' values of that year for the tile map.

    Raises
    ------
    EdgeCase
        The indicator (in this vintage) has no data for ``year``, no region is selected, or the
        selection leaves fewer than two provinces.
    """
    ind = INDICATORS[indicator]
    panel = panel_for(panels, indicator, vintage)
    years = available_years(panel, ind.column)
    if int(year) not in years:
        if ind.uses_vintage:
            raise EdgeCase(_f("{_(ind.label)}, {VINTAGES[vintage].split(' (')[0]} vintage: no data for {year} "
                              "(this series covers {_span(years)}). Pick another year or switch the vintage."))
        raise EdgeCase(_f("{_(ind.label)}: no data for {year} (this series covers {_span(years)}). Pick another year."))
    d = disparity(panel, year, ind.column, regions=regions, weights=weights)
    rows = panel.loc[panel["year"] == int(year)]
    values = pd.Series(rows[ind.column].to_numpy(dtype=float), index=rows["province_code"].to_numpy())
    return Exploration(indicator, vintage if ind.uses_vintage else None, int(year), tuple(regions), weights, d, values)


def _finding(r: Exploration) -> str:
    d = r.disparity
    where = _("the selected regions") if len(r.regions) < len(REGIONS) else _("regions")
    if len(r.regions) == 1:
        return _f("{r.year}: one region selected, so all of the gap in {r.phrase} is within it (Theil T {d.theil:.3f})")
    return _f("{r.year}: {d.between_share:.0%} of the gap in {r.phrase} lies between {where}, "
              "{1 - d.between_share:.0%} within them")


def describe(r: Exploration) -> str:
    """Alt text of the Explorer's figure, stating the current numbers."""
    d = r.disparity
    top = d.values.loc[d.values["value"].idxmax()]
    low = d.values.loc[d.values["value"].idxmin()]
    outlined = "" if len(r.regions) == len(REGIONS) else " " + _f("Provinces of {', '.join(r.regions)} are outlined.")
    return _f(
        "Tile map of the 31 provinces coloured by {r.phrase} in {r.year}, in thousand yuan per person, "
        "each tile printing its value. Highest among the {d.n} selected provinces: {top['province_en']} "
        "({top['value'] / 1000:.1f}); lowest: {low['province_en']} ({low['value'] / 1000:.1f}).{outlined} "
        "Theil T {d.theil:.4f}: between regions {d.between:.4f}, within regions {d.within:.4f}."
    )


_BAR_PATTERN = {  # stripes at different angles, so the bars differ by more than colour
    "East": "45deg", "Central": "-45deg", "West": "90deg", "Northeast": "0deg",
}


def decomposition_html(r: Exploration) -> str:
    """The Theil decomposition as an HTML bar table: one row for the between part, one per region.

    HTML rather than a second matplotlib chart keeps a redraw fast; every bar carries its label and
    value as text, and the region bars also differ by stripe direction.
    """
    import html

    from course import plots

    d = r.disparity
    rows = [(_("Between regions"), d.between, plots.PALETTE["black"], None)]
    rows += [
        (_f("Within {reg}"), float(d.by_region.at[reg, "within_contribution"]), plots.REGION_STYLE[reg]["color"],
         _BAR_PATTERN[reg])
        for reg in d.by_region.index
    ]
    span = max(max(v for _, v, _, _ in rows), 1e-12)
    cells = []
    for name, value, colour, angle in rows:
        width = 100 * value / span
        fill = colour if angle is None else (
            f"repeating-linear-gradient({angle}, {colour} 0 6px, rgba(255,255,255,0.45) 6px 8px), {colour}"
        )
        share = value / d.theil if d.theil > 0 else 0.0
        amount = _f("{value:.4f} ({share:.0%} of T)")
        cells.append(
            "<tr>"
            f"<th scope='row' style='text-align:right;font-weight:normal;padding:2px 8px;white-space:nowrap'>{html.escape(name)}</th>"
            f"<td style='width:280px;padding:2px 0'><div style='width:{width:.1f}%;min-width:1px;height:15px;background:{fill}'></div></td>"
            f"<td style='padding:2px 8px;white-space:nowrap'>{amount}</td>"
            "</tr>"
        )
    caption = _f("Theil T = {d.theil:.4f} ({r.weights} weights), split into the gap between the region "
                 "averages and the gaps inside each region (each region's own T times its share of the "
                 "total of the indicator); percentages are shares of the total T")
    return (
        "<table class='course-theil-bars' style='border-collapse:collapse;font-size:13px;margin:4px 0 8px 0'>"
        f"<caption style='text-align:left;font-weight:bold;padding-bottom:4px'>{html.escape(caption)}</caption>"
        + "".join(cells)
        + "</table>"
    )


def summary_html(r: Exploration) -> str:
    """One line with the headline numbers of the current setting."""
    import html

    d = r.disparity
    ind = INDICATORS[r.indicator]
    source = _(ind.note) + (_f("; {_(VINTAGES[r.vintage])} GDP") if r.vintage else "")
    extra = "" if ind.uses_vintage else " " + _("The vintage control does not apply to this indicator.")
    numbers = _f("{r.year}, {d.n} provinces: CV {d.cv:.3f} · population-weighted CV {d.cv_weighted:.3f} · "
                 "Gini {d.gini:.3f} · population-weighted Gini {d.gini_weighted:.3f} · "
                 "highest / lowest {d.max_min_ratio:.2f}.")
    line = _f("{_(ind.label)} ({source}), {numbers}")
    return f"<p class='course-summary' style='font-size:13px'>{html.escape(line)}{html.escape(extra)}</p>"


def render(r: Exploration, view: dict | None = None):
    """The Explorer's view: tile map of the year's values, the Theil bars and a summary line.

    ``view`` (a dict kept by the Explorer) holds the figure of the previous redraw; its map is
    updated in place when it can be (:func:`course.plots.tile_map` with ``update=True``), which
    halves the cost of a redraw, with the same pixels as a new figure.
    """
    import matplotlib.pyplot as plt

    from course import plots

    d = r.disparity
    highlight = d.values["province_code"].tolist() if len(r.regions) < len(REGIONS) else None
    kwargs = dict(fmt="{:.0f}", label=_("thousand yuan per person"), highlight=highlight)
    with plots.course_style():
        fig = None
        if view and view.get("fig") is not None:
            if plots.tile_map(r.map_values / 1000, ax=view["ax"], update=True, **kwargs) is not None:
                fig = view["fig"]
        if fig is None:
            fig = plt.figure(figsize=(5.0, 4.6), dpi=100)
            ax_map = fig.add_axes([0.0, 0.0, 1.0, 0.85])
            plots.tile_map(r.map_values / 1000, ax=ax_map, **kwargs)
            if view is not None:
                view.update(fig=fig, ax=ax_map)
        plots.finding_title(fig, _finding(r), width=46)
    return [fig, decomposition_html(r), summary_html(r)]


def build_explorer(panels: dict, year: int = 2024):
    """The lesson's Explorer: indicator, vintage, year, regions and weights -> tile map and bars."""
    import ipywidgets as w

    from course.widgets import Explorer, once_per_setting

    controls = {
        "indicator": w.Dropdown(
            options=[(_(ind.label), key) for key, ind in INDICATORS.items() if any(k[0] == key for k in panels)],
            value="gdp_pc",
            description=_("Indicator"),
            style={"description_width": "110px"},
            layout=w.Layout(width="450px"),
        ),
        "vintage": w.Dropdown(
            options=[(_(label), key) for key, label in VINTAGES.items()],
            value=DEFAULT_VINTAGE,
            description=_("GDP vintage"),
            style={"description_width": "110px"},
            layout=w.Layout(width="450px"),
        ),
        "year": w.IntSlider(value=year, min=2010, max=2024, description=_("Year"), style={"description_width": "110px"},
                            continuous_update=False),
        "regions": w.SelectMultiple(options=[(_(r), r) for r in REGIONS], value=list(REGIONS), rows=4, description=_("Regions"),
                                    style={"description_width": "110px"}),
        "weights": w.ToggleButtons(options=[(_("population"), "population"), (_("equal (1 per province)"), "equal")],
                                   value="population", description=_("Theil weights"),
                                   style={"description_width": "110px", "button_width": "160px"}),
    }

    @once_per_setting  # Theil, Gini and CVs take ~6 ms
    def compute(indicator, vintage, year, regions, weights):
        return explore(panels, indicator=indicator, vintage=vintage, year=year, regions=regions, weights=weights)

    view: dict = {}  # the figure drawn last, updated in place by the next redraw

    return Explorer(
        controls,
        compute,
        lambda r: render(r, view),
        alt=describe,
        title=_("Regional disparity explorer"),
        caption=lambda r: _f("{r.label}: {_(INDICATORS[r.indicator].note)}. Source: NBS (see Data used)."),
    )


# --------------------------------------------------------------------------- urban and rural (lesson 22, S2.2)
#: Years in which the course's table splits income and consumption into urban and rural residents.
URBAN_RURAL_YEARS = (2013, 2019)

_UR_COLUMNS = {
    "consumption": ("consumption_expenditure_per_capita_urban_yuan", "consumption_expenditure_per_capita_rural_yuan"),
    "income": ("disposable_income_per_capita_urban_yuan", "disposable_income_per_capita_rural_yuan"),
}


def urban_rural(table: pd.DataFrame, kind: str = "consumption", start: int = 2013, end: int = 2019) -> pd.DataFrame:
    """Urban against rural residents, per person, by province: the gap in yuan, the ratio and their growth.

    Parameters
    ----------
    table : DataFrame
        ``province_income_consumption``.
    kind : {"consumption", "income"}
        Per-capita consumption expenditure or disposable income (NBS household survey).
    start, end : int
        Two years within :data:`URBAN_RURAL_YEARS` (the split is blank after 2019).

    Returns
    -------
    DataFrame indexed by province code: ``urban_start, rural_start, urban_end, rural_end``,
    ``ratio_start, ratio_end`` (urban / rural), ``gap_start, gap_end`` (urban - rural, yuan),
    ``growth_urban, growth_rural`` (compound annual growth, fractions; current prices) and
    ``rural_faster`` (rural grew faster). A ratio falls exactly when rural grows faster; the gap in
    yuan can still widen, because the same growth rate adds more yuan to the larger urban figure.

    Examples
    --------
    >>> t = pd.DataFrame({"province_code": [1, 1], "year": [2013, 2019],
    ...                   "consumption_expenditure_per_capita_urban_yuan": [200, 260],
    ...                   "consumption_expenditure_per_capita_rural_yuan": [100, 150]})
    >>> r = urban_rural(t).loc[1]
    >>> [round(float(r[c]), 3) for c in ("ratio_start", "ratio_end", "gap_start", "gap_end")], bool(r["rural_faster"])
    ([2.0, 1.733, 100.0, 110.0], True)
    """
    if kind not in _UR_COLUMNS:
        raise ValueError(f"kind must be one of {', '.join(_UR_COLUMNS)}")
    first, last = URBAN_RURAL_YEARS
    for y in (start, end):
        if not first <= int(y) <= last:
            raise EdgeCase(f"The urban/rural split is in the course's data for {first}-{last} only; "
                           f"{y} is outside it (NBS publishes it, but the saved exports stop in {last}).")
    if int(end) <= int(start):
        raise EdgeCase("The end year must come after the start year.")
    u_col, r_col = _UR_COLUMNS[kind]
    rows = table[table["province_code"] != 100000]
    u = rows.pivot(index="province_code", columns="year", values=u_col).astype(float)
    r = rows.pivot(index="province_code", columns="year", values=r_col).astype(float)
    span = int(end) - int(start)
    out = pd.DataFrame({"urban_start": u[start], "rural_start": r[start], "urban_end": u[end], "rural_end": r[end]})
    out["ratio_start"] = out["urban_start"] / out["rural_start"]
    out["ratio_end"] = out["urban_end"] / out["rural_end"]
    out["gap_start"] = out["urban_start"] - out["rural_start"]
    out["gap_end"] = out["urban_end"] - out["rural_end"]
    out["growth_urban"] = (out["urban_end"] / out["urban_start"]) ** (1 / span) - 1
    out["growth_rural"] = (out["rural_end"] / out["rural_start"]) ** (1 / span) - 1
    out["rural_faster"] = out["growth_rural"] > out["growth_urban"]
    return out


def sign_test(successes: int, n: int) -> float:
    """One-sided sign test: the chance of at least ``successes`` heads in ``n`` fair coin tosses.

    If provinces had no tendency either way, each would fall on either side with probability 1/2;
    a small value says the observed count is hard to get by such chance.

    >>> sign_test(3, 3), sign_test(0, 3)
    (0.125, 1.0)
    """
    successes, n = int(successes), int(n)
    if not 0 <= successes <= n or n < 1:
        raise ValueError("sign_test: need 0 <= successes <= n and n >= 1")
    return sum(math.comb(n, k) for k in range(successes, n + 1)) / 2 ** n
