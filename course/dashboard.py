"""Lesson 15: a dashboard of the new development philosophy (新发展理念), province by province.

The philosophy has five concepts: innovation 创新, coordination 协调, green 绿色, openness 开放 and
sharing 共享. This module turns the course's provincial tables into one score per concept
("dimension") and one overall score, in three pure steps that a student can follow:

1. :func:`indicator_table` collects the raw indicators (one column each, one row per province) and
   :func:`indicator_catalogue` says, for each, its dimension, direction, unit, **data year** and table;
2. :func:`normalise` puts every indicator on a 0-1 scale that respects its direction
   (``"+"``: more is better, ``"-"``: less is better);
3. :func:`dimension_scores` averages the normalised indicators within each dimension, and
   :func:`overall_score` averages the dimensions with the weights the student chooses.

Openness is **not measured**: the course has no provincial trade or foreign-investment table, so the
dimension is reported as missing (see :data:`NOT_MEASURED`) and is left out of every average. It is
never filled with zero or with a proxy.

Missing values
--------------
A missing raw value stays missing (Xizang has no 2020 energy-intensity figure). Min-max bounds are
taken over the provinces that have a value. A dimension score is the weighted mean of the indicators
the province *has*; if it has none, the dimension score is missing. The overall score then follows
``missing=``: ``"reweight"`` (default) averages the dimensions the province has, with their weights
rescaled to sum to one, and :func:`dimensions_used` tells how many went in; ``"strict"`` leaves the
overall score missing whenever a weighted dimension is missing.

:func:`dashboard` is the pure function behind the lesson's widget; :func:`render` draws its result
(a radar chart with the unmeasured axis greyed out, and a table of scores).

Examples
--------
>>> import pandas as pd
>>> ind = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [30.0, 20.0, 10.0]}, index=["P", "Q", "R"])
>>> s = dimension_scores(ind, {"a": "+", "b": "-"}, groups={"innovation": ["a"], "green": ["b"]})
>>> s.loc["R"].tolist()
[1.0, 1.0]
>>> float(overall_score(s, {"innovation": 1, "green": 1, "openness": 1}).loc["Q"])
0.5
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from .data import NATIONAL_CODE

from course import measures
from course.i18n import N_, _, _f, is_chinese, province
from course.edgecase import EdgeCase

__all__ = [
    "DIMENSIONS",
    "DIMENSION_ZH",
    "NOT_MEASURED",
    "INDICATORS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "Indicator",
    "indicator_catalogue",
    "indicator_table",
    "normalise",
    "dimension_scores",
    "overall_score",
    "dimensions_used",
    "score_table",
    "spearman",
    "rank_shifts",
    "dimension_ranks",
    "Dashboard",
    "dashboard",
    "render",
    "alt_text",
    "explorer",
    "indicator_years",
    "gdp_per_capita",
    "partial_spearman",
    "kendalls_w",
    "Agreement",
    "agreement_test",
    "ranked_bars_html",
    "RankCorrelation",
    "picked_table",
    "draw_radar",
    "METHODS",
    "MAX_PICK",
    "CAPTION",
]

DIMENSIONS = ("innovation", "coordination", "green", "openness", "sharing")
DIMENSION_ZH = {"innovation": "创新", "coordination": "协调", "green": "绿色", "openness": "开放", "sharing": "共享"}

NOT_MEASURED = {
    "openness": N_(
        "not measured here: the course's tables have no provincial trade or foreign-investment figures. "
        "Measuring it would need, by province, exports plus imports as a share of GRP (China Statistical "
        "Yearbook, foreign trade by region, from the General Administration of Customs) and foreign direct "
        "investment actually used (Ministry of Commerce)."
    )
}

FIRST_YEAR, LAST_YEAR = 2013, 2023  # years for which every innovation indicator and income/GDP exist
URBAN_RURAL_LAST_YEAR = 2019  # NBS urban/rural split by province is in the course data for 2013-2019 only
ENERGY_YEAR = 2020  # the only year of the provincial energy-intensity bulletin in the course data
DIRECTIONS = ("+", "-")
METHODS = ("minmax", "rank")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the dashboard: its column name, dimension, direction and provenance."""

    key: str
    dimension: str
    label: str
    unit: str
    direction: str
    tables: str
    definition: str


INDICATORS = (
    Indicator("rd_intensity_pct", "innovation", "R&D intensity", "% of GRP", "+",
              "province_rd_first_published",
              "R&D expenditure / gross regional product, as first published in the NBS R&D bulletin"),
    Indicator("invention_patents_per_10k", "innovation", "Invention patents granted per 10,000 residents",
              "per 10,000 residents", "+", "province_patents_granted; province_population",
              "domestic invention patents granted / year-end resident population (10,000s)"),
    Indicator("tech_market_pct_grp", "innovation", "Technology-market turnover / GRP", "% of GRP", "+",
              "province_tech_market; province_gdp",
              "technology contracts sold by the province / GRP (pre-revision vintage) x 100"),
    Indicator("urban_rural_consumption_ratio", "coordination", "Urban / rural consumption", "ratio", "-",
              "province_income_consumption",
              "per-capita consumption expenditure, urban residents / rural residents: the town-country gap "
              "in living standards inside the province"),
    Indicator("energy_intensity_change_pct", "green", "Change in energy use per unit of GRP", "% change", "-",
              "province_energy_intensity_change_2020",
              "change on the previous year of energy consumption per 10,000 yuan of GRP (2015 prices)"),
    Indicator("urban_rural_income_ratio", "sharing", "Urban / rural disposable income", "ratio", "-",
              "province_income_consumption",
              "per-capita disposable income, urban residents / rural residents: how evenly income is shared "
              "between town and country"),
    Indicator("income_to_gdp_pc", "sharing", "Household income / GDP per capita", "ratio", "+",
              "province_income_consumption; province_gdp; province_population",
              "per-capita disposable income of all residents / GDP per capita (post-revision GDP / year-end "
              "population, computed): how much of the output per person reaches households as income"),
)

_DEFAULT_GROUPS = {d: [i.key for i in INDICATORS if i.dimension == d] for d in DIMENSIONS}
_DIRECTIONS = {i.key: i.direction for i in INDICATORS}


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be a whole number from {FIRST_YEAR} to {LAST_YEAR} (got {year!r})")
    return int(year)


_URBAN_RURAL = ("urban_rural_income_ratio", "urban_rural_consumption_ratio")


def indicator_years(year: int = LAST_YEAR) -> dict[str, int]:
    """The data year actually used for each indicator when the dashboard is built for ``year``.

    The two urban/rural ratios use ``min(year, 2019)`` because the urban/rural split ends in 2019;
    green always uses 2020, the only year in the course data; every other indicator uses ``year``.
    """
    year = _check_year(year)
    years = {}
    for ind in INDICATORS:
        if ind.key in _URBAN_RURAL:
            years[ind.key] = min(year, URBAN_RURAL_LAST_YEAR)
        elif ind.dimension == "green":
            years[ind.key] = ENERGY_YEAR
        else:
            years[ind.key] = year
    return years


def indicator_catalogue(year: int = LAST_YEAR) -> pd.DataFrame:
    """One row per indicator: dimension (English and Chinese), label, unit, direction, data year, tables.

    The unmeasured dimensions appear as rows with no indicator and the reason in ``definition``.
    """
    years = indicator_years(year)
    rows = []
    for dim in DIMENSIONS:
        inds = [i for i in INDICATORS if i.dimension == dim]
        if not inds:
            rows.append({"dimension": dim, "zh": DIMENSION_ZH[dim], "indicator": None, "label": "(none)",
                         "unit": None, "direction": None, "data_year": None, "tables": None,
                         "definition": NOT_MEASURED.get(dim, "not measured")})
        for i in inds:
            rows.append({"dimension": dim, "zh": DIMENSION_ZH[dim], "indicator": i.key, "label": i.label,
                         "unit": i.unit, "direction": i.direction, "data_year": years[i.key],
                         "tables": i.tables, "definition": i.definition})
    out = pd.DataFrame(rows)
    out["data_year"] = out["data_year"].astype("Int64")
    return out


def _load_tables() -> dict[str, pd.DataFrame]:
    from course.data import load

    names = ["provinces", "province_rd_first_published", "province_patents_granted", "province_population",
             "province_tech_market", "province_gdp", "province_income_consumption",
             "province_energy_intensity_change_2020"]
    return {name: load(name) for name in names}


def _by_province(frame: pd.DataFrame, column: str, year: int | None = None, **filters) -> pd.Series:
    """One value per province code from a long table (national rows dropped)."""
    sub = frame[frame["province_code"] != NATIONAL_CODE]
    if year is not None:
        sub = sub[sub["year"] == year]
    for col, value in filters.items():
        sub = sub[sub[col] == value]
    if sub["province_code"].duplicated().any():
        raise ValueError(f"more than one row per province for {column!r} in {year}")
    return sub.set_index("province_code")[column].astype("float64")


def indicator_table(year: int = LAST_YEAR, tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The raw indicators of the dashboard, one row per province.

    Parameters
    ----------
    year : int
        Year of the innovation and sharing indicators (2013-2023). Coordination uses
        ``min(year, 2019)`` and green uses 2020: see :func:`indicator_years`.
    tables : dict of DataFrame, optional
        The course tables by name (default: read with :func:`course.data.load`). Tests pass tiny tables.

    Returns
    -------
    DataFrame
        Indexed by ``province_code``; columns ``province_en``, ``nbs_region_en`` and one column per
        indicator key of :data:`INDICATORS`. A value missing in the source stays ``NaN``.
    """
    years = indicator_years(year)
    t = tables if tables is not None else _load_tables()
    prov = t["provinces"].set_index("province_code")[["province_en", "nbs_region_en"]]
    out = prov.copy()

    y = years["rd_intensity_pct"]
    out["rd_intensity_pct"] = _by_province(t["province_rd_first_published"], "rd_intensity_pct", y)
    pop = _by_province(t["province_population"], "resident_population_10k", y)
    out["invention_patents_per_10k"] = _by_province(t["province_patents_granted"], "patents_granted_invention", y) / pop
    grp = _by_province(t["province_gdp"], "gdp_100m_yuan", y, vintage="pre_5th_census_revision")
    out["tech_market_pct_grp"] = _by_province(t["province_tech_market"], "tech_market_turnover_100m_yuan", y) / grp * 100

    ic = t["province_income_consumption"]
    yc = years["urban_rural_income_ratio"]
    out["urban_rural_income_ratio"] = (_by_province(ic, "disposable_income_per_capita_urban_yuan", yc)
                                       / _by_province(ic, "disposable_income_per_capita_rural_yuan", yc))
    out["urban_rural_consumption_ratio"] = (_by_province(ic, "consumption_expenditure_per_capita_urban_yuan", yc)
                                            / _by_province(ic, "consumption_expenditure_per_capita_rural_yuan", yc))

    out["energy_intensity_change_pct"] = _by_province(
        t["province_energy_intensity_change_2020"], "energy_intensity_change_pct", years["energy_intensity_change_pct"])

    ys = years["income_to_gdp_pc"]
    out["income_to_gdp_pc"] = (_by_province(ic, "disposable_income_per_capita_all_residents_yuan", ys)
                               / gdp_per_capita(ys, t))
    return out[["province_en", "nbs_region_en"] + [i.key for i in INDICATORS]]


def gdp_per_capita(year: int = LAST_YEAR, tables: dict[str, pd.DataFrame] | None = None) -> pd.Series:
    """GDP per capita (computed) by province code: post-revision GRP / year-end resident population, yuan.

    The denominator of ``income_to_gdp_pc`` and the control variable of the lesson's partial rank
    correlations (:func:`partial_spearman`).
    """
    t = tables if tables is not None else _load_tables()
    gdp = _by_province(t["province_gdp"], "gdp_100m_yuan", int(year), vintage="post_5th_census_revision")
    pop = _by_province(t["province_population"], "resident_population_10k", int(year))
    return (gdp / pop * 1e4).rename("gdp_per_capita_yuan")


def _normalise_one(values: pd.Series, direction: str, method: str) -> pd.Series:
    values = values.astype("float64")
    present = values.notna()
    if method == "minmax":
        out = pd.Series(np.nan, index=values.index)
        if present.any():
            out[present] = np.asarray(measures.minmax(values[present].to_numpy(), direction=direction), dtype="float64")
        return out
    # rank: (rank - 1) / (n - 1), ties get their average rank; n counts the provinces with a value
    n = int(present.sum())
    if n < 2:
        raise EdgeCase(_("Rank normalisation needs at least two provinces with a value."))
    ranks = values.rank(method="average", ascending=(direction == "+"))
    return (ranks - 1) / (n - 1)


def normalise(indicators: pd.DataFrame, directions: dict[str, str], method: str = "minmax") -> pd.DataFrame:
    """Put each indicator column on a 0-1 scale where 1 is best, respecting its direction.

    ``"minmax"``: :math:`(x-\\min)/(\\max-\\min)` for ``"+"`` and :math:`(\\max-x)/(\\max-\\min)` for
    ``"-"`` (via :func:`course.measures.minmax`), with min and max over the provinces that have a
    value. ``"rank"``: the province's rank among those with a value, scaled to 0 (worst) .. 1 (best);
    it ignores how far apart the values are. Missing values stay missing. Only the columns named
    in ``directions`` are returned.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)} (got {method!r})")
    out = {}
    for key, direction in directions.items():
        if direction not in DIRECTIONS:
            raise ValueError(f"direction of {key!r} must be '+' or '-' (got {direction!r})")
        if key not in indicators.columns:
            raise ValueError(f"indicator {key!r} is not a column of the indicator table")
        out[key] = _normalise_one(indicators[key], direction, method)
    return pd.DataFrame(out, index=indicators.index)


def _weighted_mean(frame: pd.DataFrame, weights: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Row-wise weighted mean over the non-missing cells; also return the weight actually used."""
    w = weights.reindex(frame.columns).astype("float64")
    have = frame.notna()
    used = have.mul(w, axis=1).sum(axis=1)
    total = frame.fillna(0.0).mul(w, axis=1).sum(axis=1)
    mean = total / used.where(used > 0)
    return mean, used


def _check_weights(weights: dict, what: str) -> pd.Series:
    w = pd.Series(weights, dtype="float64")
    if w.isna().any() or np.isinf(w).any():
        raise ValueError(f"{what} weights must be finite numbers")
    if (w < 0).any():
        bad = ", ".join(w.index[w < 0].astype(str))
        raise ValueError(f"{what} weights cannot be negative ({bad})")
    return w


def dimension_scores(indicators: pd.DataFrame, directions: dict[str, str] | None = None,
                     weights: dict[str, float] | None = None, groups: dict[str, list[str]] | None = None,
                     method: str = "minmax") -> pd.DataFrame:
    """Score every province on every *measured* dimension (0 = worst province, 1 = best).

    Parameters
    ----------
    indicators : DataFrame
        Raw indicators, one row per province (e.g. from :func:`indicator_table`).
    directions : dict, optional
        Indicator -> ``"+"`` or ``"-"``; default: the directions in :data:`INDICATORS`.
    weights : dict, optional
        Indicator -> non-negative weight within its dimension; default 1 for each (equal weights).
    groups : dict, optional
        Dimension -> list of indicator columns; default: the dimensions of :data:`INDICATORS`,
        restricted to the columns present. A dimension with an empty list is *unmeasured* and gets
        no column at all (it is not a column of zeros).
    method : {"minmax", "rank"}
        Normalisation, see :func:`normalise`.

    Returns
    -------
    DataFrame
        One column per measured dimension, in the order of :data:`DIMENSIONS` (others after). A
        province's score is the weighted mean of the normalised indicators it has; missing if it
        has none of them.
    """
    if groups is None:
        groups = {d: [k for k in keys if k in indicators.columns] for d, keys in _DEFAULT_GROUPS.items()}
    if directions is None:
        directions = {k: _DIRECTIONS[k] for keys in groups.values() for k in keys}
    keys = [k for d in groups for k in groups[d]]
    missing = [k for k in keys if k not in directions]
    if missing:
        raise ValueError(f"no direction given for {', '.join(missing)}")
    w = _check_weights({k: 1.0 for k in keys} | dict(weights or {}), "indicator")
    norm = normalise(indicators, {k: directions[k] for k in keys}, method=method)
    order = [d for d in DIMENSIONS if d in groups] + [d for d in groups if d not in DIMENSIONS]
    out = {}
    for dim in order:
        cols = list(groups[dim])
        if not cols:
            continue  # unmeasured: no column, so it can never be averaged in as a zero
        if w[cols].sum() == 0:
            raise EdgeCase(_f("All indicator weights of the {dim} dimension are zero."))
        out[dim], _ = _weighted_mean(norm[cols], w[cols])
    return pd.DataFrame(out, index=indicators.index)


def _dimension_weights(scores: pd.DataFrame, weights: dict[str, float] | None) -> pd.Series:
    w = _check_weights(weights if weights is not None else {d: 1.0 for d in scores.columns}, "dimension")
    unknown = [d for d in w.index if d not in scores.columns and d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension(s): {', '.join(map(str, unknown))}")
    w = w.reindex(scores.columns).fillna(0.0)  # unmeasured dimensions drop out here; unnamed ones get 0
    if w.sum() == 0:
        names = ", ".join(scores.columns)
        raise EdgeCase(f"All weights of the measured dimensions ({names}) are zero, so there is nothing to "
                       "average. Give at least one of them a weight above zero.")
    return w


def overall_score(scores: pd.DataFrame, weights: dict[str, float] | None = None,
                  missing: str = "reweight") -> pd.Series:
    """Weighted mean of the measured dimension scores.

    Parameters
    ----------
    scores : DataFrame
        Dimension scores from :func:`dimension_scores` (one column per measured dimension).
    weights : dict, optional
        Dimension -> non-negative weight; default equal. Weights of unmeasured dimensions (e.g.
        ``"openness"``) are ignored: such a dimension is excluded, not counted as zero. A measured
        dimension not named gets weight 0.
    missing : {"reweight", "strict"}
        What to do when a province lacks a dimension score with positive weight. ``"reweight"``:
        average the dimensions it has, with their weights rescaled (see :func:`dimensions_used`);
        ``"strict"``: leave its overall score missing.

    Raises
    ------
    EdgeCase
        If every measured dimension has weight zero.
    """
    if missing not in ("reweight", "strict"):
        raise ValueError(f"missing must be 'reweight' or 'strict' (got {missing!r})")
    w = _dimension_weights(scores, weights)
    mean, used = _weighted_mean(scores, w)
    if missing == "strict":
        mean = mean.where(used == w.sum())
    return mean.rename("overall")


def dimensions_used(scores: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.Series:
    """How many dimensions with positive weight each province's overall score rests on."""
    w = _dimension_weights(scores, weights)
    positive = w.index[w > 0]
    return scores[positive].notna().sum(axis=1).rename("dimensions_used")


def score_table(indicators: pd.DataFrame, dim_weights: dict[str, float] | None = None,
                method: str = "minmax", missing: str = "reweight",
                scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dimension scores, overall score, its rank (1 = best) and the dimensions used, per province.

    ``scores`` may pass dimension scores already computed with :func:`dimension_scores` for
    ``indicators`` and ``method`` (the widget caches them); by default they are computed here.
    """
    if scores is None:
        scores = dimension_scores(indicators, method=method)
    out = pd.concat([indicators[["province_en", "nbs_region_en"]], scores], axis=1)
    out["overall"] = overall_score(scores, dim_weights, missing=missing)
    out["rank"] = out["overall"].rank(ascending=False, method="min").astype("Int64")
    out["dimensions_used"] = dimensions_used(scores, dim_weights)
    return out


class RankCorrelation(NamedTuple):
    """Spearman's rank correlation, its two-sided permutation p-value and the number of pairs."""

    rho: float
    p_value: float
    n: int


def spearman(x, y, permutations: int = 5000, seed: int = 0) -> RankCorrelation:
    """Spearman's rank correlation of ``x`` and ``y`` (pairs with a missing value are dropped).

    :math:`\\rho` is the Pearson correlation of the ranks (average ranks for ties). The p-value is
    the share of ``permutations`` random re-pairings (seeded) whose :math:`|\\rho|` is at least as
    large, counted as :math:`(1 + k)/(1 + B)`.
    """
    frame = pd.DataFrame({"x": pd.Series(x).astype("float64").to_numpy(),
                          "y": pd.Series(y).astype("float64").to_numpy()}).dropna()
    n = len(frame)
    if n < 3:
        raise EdgeCase(_("A rank correlation needs at least three provinces with both values."))
    rx = frame["x"].rank().to_numpy()
    ry = frame["y"].rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        raise EdgeCase("A rank correlation is undefined when all values are equal.")
    rx = (rx - rx.mean()) / rx.std()
    ry = (ry - ry.mean()) / ry.std()
    rho = float(np.mean(rx * ry))
    rng = np.random.default_rng(seed)
    perm = np.argsort(rng.random((permutations, n)), axis=1)
    sims = (ry[perm] * rx).mean(axis=1)
    p = (1 + int(np.sum(np.abs(sims) >= abs(rho) - 1e-12))) / (1 + permutations)
    return RankCorrelation(rho, p, n)


def _residual(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Residual of a least-squares line of ``y`` on ``x``."""
    slope, intercept = np.polyfit(x, y, 1)
    return y - (intercept + slope * x)


def partial_spearman(x, y, z, permutations: int = 5000, seed: int = 0) -> RankCorrelation:
    """Spearman's rank correlation of ``x`` and ``y`` with ``z`` held fixed (partial rank correlation).

    All three are turned into ranks (average ranks for ties; provinces missing any of the three are
    dropped). The partial correlation is the correlation of what is left of the ranks of ``x`` and of
    ``y`` after a straight line on the ranks of ``z`` is taken out; it equals
    :math:`(r_{xy}-r_{xz}r_{yz})/\\sqrt{(1-r_{xz}^2)(1-r_{yz}^2)}` with Spearman's :math:`r`. The
    p-value re-pairs the two residual series at random (seeded) and counts how often
    :math:`|r|` is at least as large, as :math:`(1 + k)/(1 + B)`.

    Examples
    --------
    Two identical series stay perfectly correlated whatever is held fixed:

    >>> import pandas as pd
    >>> x = pd.Series([1, 2, 3, 4, 5, 6])
    >>> round(partial_spearman(x, x, [1, 3, 2, 5, 4, 6], permutations=99).rho, 6)
    1.0
    """
    frame = pd.DataFrame({"x": pd.Series(x).astype("float64").to_numpy(),
                          "y": pd.Series(y).astype("float64").to_numpy(),
                          "z": pd.Series(z).astype("float64").to_numpy()}).dropna()
    n = len(frame)
    if n < 4:
        raise EdgeCase(_("A partial rank correlation needs at least four provinces with all three values."))
    r = frame.rank()
    if (r.std() == 0).any():
        raise EdgeCase("A rank correlation is undefined when all values are equal.")
    ex = _residual(r["x"].to_numpy(), r["z"].to_numpy())
    ey = _residual(r["y"].to_numpy(), r["z"].to_numpy())
    if ex.std() == 0 or ey.std() == 0:
        raise EdgeCase(_("Once the control is held fixed nothing is left to correlate."))
    ex = (ex - ex.mean()) / ex.std()
    ey = (ey - ey.mean()) / ey.std()
    rho = float(np.mean(ex * ey))
    rng = np.random.default_rng(seed)
    perm = np.argsort(rng.random((permutations, n)), axis=1)
    sims = (ey[perm] * ex).mean(axis=1)
    p = (1 + int(np.sum(np.abs(sims) >= abs(rho) - 1e-12))) / (1 + permutations)
    return RankCorrelation(rho, p, n)


def kendalls_w(ranks) -> float:
    """Kendall's coefficient of concordance W of ``m`` rankings (columns) of ``n`` items (rows).

    :math:`W = 12\\,S / (m^2 (n^3 - n))` with :math:`S=\\sum_i (R_i-\\bar R)^2` and :math:`R_i` the sum of
    item ``i``'s ranks over the ``m`` rankings (no tie correction). W is 1 when every ranking is the
    same and close to 0 when they are unrelated. Rows with a missing rank are dropped; each column is
    re-ranked (1 = best) over the remaining rows.

    Examples
    --------
    >>> import pandas as pd
    >>> kendalls_w(pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3]}))
    1.0
    >>> kendalls_w(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]}))
    0.0
    """
    frame = pd.DataFrame(ranks).astype("float64").dropna()
    n, m = frame.shape
    if n < 2 or m < 2:
        raise EdgeCase(_("Kendall's W needs at least two rankings of at least two provinces."))
    r = frame.rank(axis=0).to_numpy()
    totals = r.sum(axis=1)
    s = float(((totals - totals.mean()) ** 2).sum())
    return 12 * s / (m ** 2 * (n ** 3 - n))


class Agreement(NamedTuple):
    """Do several dimensions rank the provinces the same way? See :func:`agreement_test`."""

    w: float              # Kendall's W of the dimension rankings
    p_value: float        # share of independent re-rankings with W at least as large
    mean_spread: float    # mean over provinces of (worst rank - best rank)
    baseline_spread: float  # the same under independent rankings (mean over the permutations)
    spread_p: float       # share of independent re-rankings with a mean spread at most as small
    n: int                # provinces with every dimension
    m: int                # dimensions


def agreement_test(scores: pd.DataFrame, permutations: int = 5000, seed: int = 0) -> Agreement:
    """Kendall's W of the dimension scores' rankings, and the provinces' rank spreads, against chance.

    The baseline shuffles each dimension's ranks independently across the provinces (seeded): what the
    statistics look like if the dimensions had nothing to do with one another. A large W (small
    spreads) means one ranking dominates; a W no larger than chance means the dimensions rank the
    provinces independently. Provinces missing a dimension are left out.
    """
    frame = pd.DataFrame(scores).astype("float64").dropna()
    n, m = frame.shape
    if n < 3 or m < 2:
        raise EdgeCase(_("The agreement test needs at least three provinces and two dimensions."))
    ranks = frame.rank(axis=0, ascending=False).to_numpy()
    w = kendalls_w(pd.DataFrame(ranks))
    spread = float((ranks.max(axis=1) - ranks.min(axis=1)).mean())
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((permutations, n, m)), axis=1)      # an independent shuffle per column
    shuffled = np.take_along_axis(np.broadcast_to(ranks, (permutations, n, m)), order, axis=1)
    totals = shuffled.sum(axis=2)
    sims_w = 12 * ((totals - totals.mean(axis=1, keepdims=True)) ** 2).sum(axis=1) / (m ** 2 * (n ** 3 - n))
    sims_spread = (shuffled.max(axis=2) - shuffled.min(axis=2)).mean(axis=1)
    p_w = (1 + int(np.sum(sims_w >= w - 1e-12))) / (1 + permutations)
    p_spread = (1 + int(np.sum(sims_spread <= spread + 1e-12))) / (1 + permutations)
    return Agreement(float(w), p_w, spread, float(sims_spread.mean()), p_spread, n, m)


def rank_shifts(a: pd.Series, b: pd.Series, names: pd.Series | None = None) -> pd.DataFrame:
    """Ranks (1 = best) under two scorings and the shift ``rank_b - rank_a``, largest moves first.

    The sign follows the rank numbers: a **positive** shift means the province moved **down** the
    ranking under ``b`` (rank 6 -> 12 is +6), a negative one that it moved up.
    """
    out = pd.DataFrame({"rank_a": a.rank(ascending=False, method="min"),
                        "rank_b": b.rank(ascending=False, method="min")}).astype("Int64")
    out["shift"] = out["rank_b"] - out["rank_a"]
    if names is not None:
        out.insert(0, "province_en", names.reindex(out.index))
    order = out["shift"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order]


def dimension_ranks(scores: pd.DataFrame) -> pd.DataFrame:
    """Rank of each province on each dimension (1 = best; missing stays missing) and the spread
    between its best and worst rank (``spread`` = worst - best)."""
    ranks = scores.rank(ascending=False, method="min").astype("Int64")
    ranks["best"] = ranks[list(scores.columns)].min(axis=1)
    ranks["worst"] = ranks[list(scores.columns)].max(axis=1)
    ranks["spread"] = ranks["worst"] - ranks["best"]
    return ranks


# ---------------------------------------------------------------------------------------------
# The widget's pure function and its drawing
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _cached_indicators(year: int) -> pd.DataFrame:
    return indicator_table(year)


@lru_cache(maxsize=32)
def _cached_scores(year: int, method: str) -> pd.DataFrame:
    return dimension_scores(_cached_indicators(year), method=method)


@dataclass
class Dashboard:
    """What :func:`dashboard` returns: the full score table and the provinces picked for the radar."""

    table: pd.DataFrame
    selected: list[str]
    weights: dict[str, float]
    method: str
    year: int
    notes: list[str] = field(default_factory=list)
    equal_rank: pd.Series | None = None   # rank (1 = best) with equal weights, same normalisation
    note_provinces: list[str] = field(default_factory=list)   # the province each note is about

    @property
    def picked(self) -> pd.DataFrame:
        """The rows of the selected provinces, in the order picked."""
        return self.table.set_index("province_en").loc[self.selected]

    @property
    def measured(self) -> list[str]:
        return [d for d in DIMENSIONS if d in self.table.columns]


MAX_PICK = 5


def dashboard(provinces=("Beijing", "Guangdong", "Guizhou"), innovation: float = 1.0,
              coordination: float = 1.0, green: float = 1.0, sharing: float = 1.0,
              method: str = "minmax", year: int = LAST_YEAR, indicators: pd.DataFrame | None = None) -> Dashboard:
    """Score all 31 provinces and pick 1-5 of them for the radar chart.

    The four weights are the *dimension* weights of the measured dimensions (openness has none: it
    is not measured). Raises :class:`course.widgets.EdgeCase` with a short explanation when no
    province or more than five are picked, or when every weight is zero.
    """
    picked = [str(p) for p in (provinces or ())]
    if not picked:
        raise EdgeCase(_("Pick at least one province (up to five) to compare on the radar chart."))
    if len(picked) > MAX_PICK:
        raise EdgeCase(_f("You picked {len(picked)} provinces; pick at most {MAX_PICK} so that the radar chart "
                          "stays readable."))
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)} (got {method!r})")
    cached = indicators is None
    ind = _cached_indicators(_check_year(year)) if cached else indicators
    unknown = [p for p in picked if p not in set(ind["province_en"])]
    if unknown:
        raise ValueError(f"unknown province(s): {', '.join(unknown)}")
    weights = {"innovation": innovation, "coordination": coordination, "green": green, "sharing": sharing}
    table = score_table(ind, weights, method=method, scores=_cached_scores(int(year), method) if cached else None)
    notes, note_provinces = [], []
    measured = [d for d in DIMENSIONS if d in table.columns]
    positive = [d for d in measured if weights.get(d, 0) > 0]
    for name, row in table.set_index("province_en").iterrows():
        lacking = [d for d in positive if pd.isna(row[d])]
        if lacking and int(row["dimensions_used"]) == 0:
            notes.append(_f("{name} has no {', '.join(lacking)} score, and no other dimension has a weight above "
                            "zero, so it has no overall score (and no rank) at these weights."))
            note_provinces.append(name)
        elif lacking:
            notes.append(_f("{name} has no {', '.join(lacking)} score; its overall score averages the other "
                            "{int(row['dimensions_used'])} weighted dimension(s)."))
            note_provinces.append(name)
    scores = table[measured]
    equal = overall_score(scores, {d: 1.0 for d in measured}).rank(ascending=False, method="min")
    return Dashboard(table=table, selected=picked, weights=weights, method=method, year=int(year), notes=notes,
                     equal_rank=equal.astype("Int64"), note_provinces=note_provinces)


_COLUMNS = (N_("Overall"),)   # the score table's other column name, for the catalogue
_AXIS_LABEL = {"innovation": N_("Innovation"), "coordination": N_("Coordination"), "green": N_("Green"),
               "openness": N_("Openness"), "sharing": N_("Sharing")}


def _styles():
    from course.plots import COLORS, LINESTYLES, MARKERS

    return COLORS, LINESTYLES, MARKERS


def draw_radar(ax, result: Dashboard) -> list:
    """Draw the picked provinces as a radar (spider) chart on ordinary axes; return their lines.

    One spoke per dimension, clockwise from the top; rings at 0.25, 0.5, 0.75 and 1. An
    unmeasured spoke is shaded grey, labelled "not measured" in italics, and the lines break
    there (they are drawn through NaN, which matplotlib leaves as a gap). A province missing a
    measured dimension (Xizang: green) gets a gap on that spoke too.
    """
    n = len(DIMENSIONS)
    angles = np.pi / 2 - np.linspace(0, 2 * np.pi, n, endpoint=False)  # clockwise from 12 o'clock
    ring = np.linspace(0, 2 * np.pi, 121)
    for r in (0.25, 0.5, 0.75, 1.0):
        ax.plot(r * np.cos(ring), r * np.sin(ring), color="0.82", linestyle="-", linewidth=0.6, zorder=0)
    for r in (0.5, 1.0):
        ax.text(0.02, r + 0.01, f"{r:g}", fontsize=7, color="0.45", ha="left", va="bottom")
    for angle, dim in zip(angles, DIMENSIONS):
        measured = dim in result.measured
        if not measured:
            wedge = np.linspace(angle - 0.22, angle + 0.22, 16)
            ax.fill(np.r_[0, np.cos(wedge), 0], np.r_[0, np.sin(wedge), 0], color="0.93", zorder=0, linewidth=0)
        ax.plot([0, np.cos(angle)], [0, np.sin(angle)], color="0.7" if measured else "0.8", linewidth=0.8,
                linestyle="-" if measured else ":", zorder=0)
        label = _(_AXIS_LABEL[dim]) if measured else _f("{_(_AXIS_LABEL[dim])}\n(not measured)")
        c, s_ = np.cos(angle), np.sin(angle)
        ax.text(1.16 * c, 1.12 * s_, label, fontsize=8.5, ha="center", va="center",
                color="0.1" if measured else "0.45", fontstyle="normal" if measured else "italic")
    colours, linestyles, markers = _styles()
    lines = []
    for k, (name, (x, y)) in enumerate(_radar_points(result)):
        lines += ax.plot(x, y, color=colours[k], linestyle=linestyles[k],
                         marker=markers[k], markersize=5, linewidth=1.6, label=province(name))
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return lines


def _radar_points(result: Dashboard) -> list:
    """(province, (x, y)) of each picked province's closed line on the radar."""
    n = len(DIMENSIONS)
    angles = np.pi / 2 - np.linspace(0, 2 * np.pi, n, endpoint=False)  # clockwise from 12 o'clock
    closed = np.append(angles, angles[0])
    out = []
    for name, row in result.picked.iterrows():
        vals = np.array([row[d] if d in result.measured else np.nan for d in DIMENSIONS], dtype="float64")
        vals = np.append(vals, vals[0])
        out.append((name, (vals * np.cos(closed), vals * np.sin(closed))))
    return out


def picked_table(result: Dashboard) -> pd.DataFrame:
    """The picked provinces' dimension scores, overall score and rank, rounded for display."""
    cols = result.measured + ["overall"]
    out = result.picked[cols].astype("float64").round(2)
    out.columns = [_(c.capitalize()) for c in cols]
    out[_("Rank of 31")] = result.picked["rank"].astype("Int64")
    out[_("Openness")] = _("not measured")
    out.index = pd.Index([province(n) for n in out.index], name=_("Province"))
    return out


def render(result: Dashboard, reuse: dict | None = None):
    """The radar chart (a small figure) followed by the picked provinces' score table (HTML).

    ``reuse`` (a dict kept by the Explorer) holds the previous redraw's figure: while the same number
    of provinces is picked, their lines, legend entries, title and weights are updated in place (the
    same pixels as a new figure, for less work).
    """
    from course.plots import finding_title

    key = (_figure_key(), tuple(result.measured), len(result.selected))
    state = reuse.get("state") if reuse and reuse.get("key") == key else None
    if state is None:
        state = _radar_figure(result)
        if reuse is not None:
            reuse.update(key=key, state=state)
    else:
        for line, text, (name, (x, y)) in zip(state["lines"], state["legend"].get_texts(), _radar_points(result),
                                              strict=True):
            line.set_data(x, y)
            text.set_text(province(name))
        state["weights"].set_text(_radar_weights(result))
    fig = state["fig"]
    picked = result.picked
    top = picked["overall"].idxmax() if picked["overall"].notna().any() else None
    weakest = {name: row[result.measured].astype("float64").idxmin() for name, row in picked.iterrows()
               if row[result.measured].notna().any()}
    if len(picked) > 1 and top is not None:
        weakest_dim = next(iter(weakest.values()))
        title = _f("{top} scores highest overall") + (
            _("; the picked provinces' weakest dimensions differ") if len(set(weakest.values())) > 1
            else _f("; all are weakest on {weakest_dim}"))
    elif pd.notna(picked["rank"].iloc[0]):
        title = _f("{picked.index[0]} ranks {picked['rank'].iloc[0]} of 31 overall")
    else:
        title = _f("{picked.index[0]} has no overall score at these weights")
    finding_title(fig, title)
    notes = "".join(f"<li>{n}</li>" for n, about in zip(result.notes, result.note_provinces)
                    if about in set(picked.index))
    table = picked_table(result).to_html(classes="course-table", border=0, na_rep="missing")
    return [fig, table + (f"<ul class='course-notes'>{notes}</ul>" if notes else ""), ranked_bars_html(result)]


def _figure_key() -> tuple:
    """What a figure kept for the next redraw depends on: :func:`course.plots.reuse_key`."""
    from course import plots

    return plots.reuse_key()


def _radar_weights(result: Dashboard) -> str:
    """The note beside the radar: the weights and the normalisation."""
    w = result.weights
    pieces = []
    for d in result.measured:
        weight = w.get(d, 0)
        pieces.append(_f("{d} {weight:g}"))
    wtext = _(", ").join(pieces)
    return _f("Weights: {wtext}.\nNormalisation: {result.method}.")


def _radar_figure(result: Dashboard) -> dict:
    """A new radar figure for :func:`render` (its artists are kept for the next redraw)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.4, 3.8), dpi=72)
    fig.subplots_adjust(left=0.0, right=0.72, top=0.84, bottom=0.0)
    lines = draw_radar(ax, result)
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.0, 0.95), fontsize=8.5, frameon=False, handlelength=2.6)
    weights = fig.text(0.73, 0.30, _radar_weights(result), fontsize=7.5, color="0.25", va="top", wrap=True)
    return dict(fig=fig, ax=ax, lines=lines, legend=legend, weights=weights)


def ranked_bars_html(result: Dashboard) -> str:
    """All 31 provinces ranked by the overall score at the chosen weights, as an HTML bar list.

    Each row gives the rank, the province, a bar as long as its score (0-1), the score, and how many
    places it gained (▲) or lost (▼) against equal weights with the same normalisation; the picked
    provinces are in bold with a ◆. HTML rather than a second chart keeps a redraw fast, and every
    bar carries its value as text.
    """
    import html

    t = result.table.sort_values(["overall", "province_en"], ascending=[False, True], na_position="last")
    picked = set(result.selected)
    equal = (result.equal_rank if result.equal_rank is not None else t["rank"]).reindex(t.index)
    rows = []
    for name, score, rank, before in zip(t["province_en"].astype(str), t["overall"].to_numpy(dtype=float),
                                         t["rank"].to_numpy(dtype=float, na_value=np.nan),
                                         equal.to_numpy(dtype=float, na_value=np.nan)):
        mine = name in picked
        if np.isnan(score):
            rank_text, bar, value, move = "–", "", _("no score"), ""
        else:
            rank_text, value = str(int(rank)), f"{score:.2f}"
            bar = (f"<div style='width:{max(score, 0) * 100:.1f}%;min-width:1px;height:11px;"
                   f"background:{'#0072B2' if mine else '#9ecae1'}'></div>")
            gained = 0 if np.isnan(before) else int(before) - int(rank)
            move = f"▲{gained}" if gained > 0 else f"▼{-gained}" if gained < 0 else "–"
        rows.append(
            f"<tr style='font-weight:{'bold' if mine else 'normal'}'><td style='text-align:right;padding:0 6px'>"
            f"{rank_text}</td><td style='padding:0 6px;white-space:nowrap'>{'◆ ' if mine else ''}{html.escape(province(name))}"
            f"</td><td style='width:180px;padding:1px 0'>{bar}</td><td style='padding:0 6px'>{value}</td>"
            f"<td style='padding:0 6px'>{move}</td></tr>")
    caption = _("All 31 provinces by overall score at these weights (◆ = picked). Last column: places gained (▲) "
                "or lost (▼) against equal weights, same normalisation.")
    rank_h, province_h, score_h, equal_h = _("rank"), _("province"), _("score"), _("vs equal")
    head = (f"<tr><th>{rank_h}</th><th style='text-align:left'>{province_h}</th>"
            f"<th style='text-align:left'>{score_h}</th><th></th><th>{equal_h}</th></tr>")
    return ("<table class='course-ranked-bars' style='border-collapse:collapse;font-size:12px;line-height:1.2;"
            "margin:4px 0 8px 0'>"
            f"<caption style='text-align:left;font-weight:bold;padding-bottom:4px'>{html.escape(caption)}</caption>"
            + head + "".join(rows) + "</table>")


def alt_text(result: Dashboard) -> str:
    """Alt text for :func:`render`: what the radar shows, province by province."""
    parts = []
    for name, row in result.picked.iterrows():
        pieces = []
        for d in result.measured:
            value = _("missing") if pd.isna(row[d]) else f"{row[d]:.2f}"
            pieces.append(_f("{d} {value}"))
        dims = _("; ").join(pieces)
        overall = (_("no overall score") if pd.isna(row["overall"])
                   else _f("overall {row['overall']:.2f}, rank {row['rank']} of 31"))
        parts.append(_f("{name}: {dims}; {overall}"))
    return _f("Radar chart with five spokes (innovation, coordination, green, openness, sharing); the openness "
              "spoke is greyed out and labelled not measured, so the lines break there. {'. '.join(parts)}.")


CAPTION = N_("Scores run from 0 (lowest of the 31 provinces) to 1 (highest). Data years: innovation 2023; "
           "coordination (urban/rural consumption) 2019, the last year with the urban/rural split; green 2020, "
           "the only year; sharing: urban/rural income 2019, household income / GDP per capita 2023. "
           "Sources: NBS R&D bulletin; China Statistical Yearbook on Science and Technology; NBS National Data "
           "(GRP, population, technology market, household income and consumption); NBS/NDRC/NEA 2020 "
           "energy-intensity bulletin.")


def _province_options(names) -> list:
    """The province list of the widget: plain English names, or (Chinese name, English name) in Chinese."""
    return [(province(p), p) for p in names] if is_chinese() else list(names)


def explorer(provinces=("Beijing", "Guangdong", "Guizhou"), year: int = LAST_YEAR):
    """The lesson's widget: a province multi-select, four dimension-weight sliders and a
    normalisation menu, wired to :func:`dashboard` and drawn by :func:`render`."""
    import ipywidgets as w

    from course.widgets import Explorer

    ind = _cached_indicators(_check_year(year))
    style = {"description_width": "initial"}
    controls = {
        "provinces": w.SelectMultiple(options=_province_options(ind["province_en"]), value=tuple(provinces),
                                      rows=7, description=_("Provinces (1-5, Ctrl/Cmd-click)"), style=style),
        "innovation": w.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.5, description=_("Innovation weight"),
                                    style=style),
        "coordination": w.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.5, description=_("Coordination weight"),
                                      style=style),
        "green": w.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.5, description=_("Green weight"), style=style),
        "sharing": w.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.5, description=_("Sharing weight"),
                                 style=style),
        "method": w.Dropdown(options=[(_("min-max (distance)"), "minmax"), (_("rank (order only)"), "rank")],
                             value="minmax", description=_("Normalisation"), style=style),
    }
    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, dashboard, lambda result: render(result, reuse), alt=alt_text, caption=_(CAPTION),
                    title=_("New development philosophy dashboard (openness: not measured)"))
