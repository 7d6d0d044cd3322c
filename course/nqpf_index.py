"""A provincial index of new quality productive forces: indicators, entropy weights, TOPSIS, and how robust it is.

The measure of the capstone (lesson 40). The Chinese literature measures new quality productive forces
(新质生产力, NQPF) province by province with a composite index: indicators grouped into dimensions (most
often the three elements of productive forces, 劳动者 workers, 劳动资料 means of labour and 劳动对象 objects
of labour), normalised, weighted by the entropy weight method (熵权法) and scored by TOPSIS
(逼近理想解排序法; METHODS.md sections 1-2). This module does each step as a pure function, so that a
student (and a graded exercise) can call them one by one:

1. :data:`CATALOGUE` lists the candidate indicators the course's tables allow, each with its dimension
   in both frames (:data:`ELEMENTS`, :data:`THEMES`), its direction (``"+"`` benefit, ``"-"`` cost),
   the years it exists and what it stands for (and misses). :func:`indicator_table` builds them for a
   year; :func:`data_years` says which year each one really uses.
2. :func:`normalise` puts each indicator on 0-1 with 1 = best (min-max, or rank).
3. :func:`weights` gives entropy weights, equal weights, or equal weights per dimension.
4. :func:`closeness` is the TOPSIS score; :func:`ranks` ranks it (1 = best).
5. :func:`decompose` splits the two TOPSIS distances by dimension (TOPSIS itself is not additive);
   :func:`obstacle_degree` is the literature's additive "what holds a province back" share;
   :func:`dimension_scores` scores each dimension alone.
6. :func:`sample_weights` and :func:`monte_carlo_ranks` re-rank the provinces under many random
   "reasonable" weights (a seeded Dirichlet distribution around the chosen ones); :func:`rank_bands`
   summarises each province's ranks.
7. :func:`province_profile` gathers, for one province, its rank band, its dimension scores against its
   peers (the endowment groups of lesson 22, :func:`peer_groups`), its binding gaps and its location
   quotients (employment 2024, value added, industrial products: :func:`location_quotients`).

:func:`build_index` runs steps 2-6 for one setting; :func:`explore` is the pure function behind the
lesson's widget and :func:`render` draws it.

Rules
-----
* **Normalisation** (:func:`normalise`): min-max over the provinces that have a value,
  ``(x - min)/(max - min)`` for ``"+"`` and ``(max - x)/(max - min)`` for ``"-"``
  (:func:`course.measures.minmax`; a constant column is 0.5 for everyone), or rank normalisation
  ``(rank - 1)/(n - 1)`` with average ranks for ties (the best province gets 1).
* **Entropy weights** (:func:`weights`): as :func:`course.measures.entropy_weights`, with the shift
  ``1e-4`` added before the shares are formed; for a column with missing values the shares and
  ``k = 1/ln n_j`` use the ``n_j`` provinces that have a value. On complete data the weights equal
  :func:`course.measures.entropy_weights` (tested).
* **TOPSIS** (:func:`closeness`): Hwang and Yoon's weighted matrix ``v_ij = w_j x_ij`` on the
  normalised values; the ideal is each column's best normalised value, the anti-ideal its worst;
  ``C = D- / (D+ + D-)`` in [0, 1]. On complete data it equals
  ``course.measures.topsis(norm, w, normalization="none")`` (tested).
* **Missing values: skip and rescale.** A value missing in the source stays missing. A province
  missing an indicator is scored on the indicators it has, with their weights rescaled to sum to 1
  for that province (as lesson 15's dashboard does); a province with no value at all gets no score
  and no rank. Only the 2020 energy indicator has a gap (Xizang) in the catalogue's default year.
* **Dominance.** With every province weighted alike (complete data), a province that is at least as
  good on every indicator as another can never score lower under any weights: its distance to the
  ideal is no larger and its distance to the anti-ideal no smaller (tested on the data and on random
  tables, for every Monte-Carlo draw).
* **The Monte-Carlo is a model of "reasonable weights", seeded.** Weights are drawn from a Dirichlet
  distribution with mean equal to the chosen weights and concentration ``kappa`` (:data:`SPREADS`):
  ``alpha_j = kappa * w_j``, so each weight's standard deviation is
  ``sqrt(w_j (1 - w_j) / (kappa + 1))``. ``"any"`` draws uniformly from all weight vectors
  (``alpha_j = 1``). Same inputs and seed: same draws, same bands.

Examples
--------
A tiny table: P is best on both indicators, R worst, Q in between.

>>> raw = pd.DataFrame({"a": [3.0, 2.0, 1.0], "b": [30.0, 10.0, 20.0]}, index=["P", "Q", "R"])
>>> norm = normalise(raw, {"a": "+", "b": "-"})
>>> norm.round(2).to_dict("list")
{'a': [1.0, 0.5, 0.0], 'b': [0.0, 1.0, 0.5]}
>>> w = weights(norm, "equal")
>>> closeness(norm, w).round(3).tolist()
[0.5, 0.691, 0.309]
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from course import measures
from course.data import NATIONAL_CODE
from course.i18n import N_, _, _f, is_chinese, province as _province_name


def _edge(message: str) -> Exception:
    """A :class:`course.widgets.EdgeCase` (imported lazily so that this module needs only pandas/numpy
    to import: the graded capstone's sandboxed kernel imports it)."""
    from course.edgecase import EdgeCase

    return EdgeCase(message)


__all__ = [
    "ELEMENTS", "ELEMENT_ZH", "THEMES", "FRAMES", "Indicator", "CATALOGUE", "DEFAULT_INDICATORS",
    "YEARS", "DEFAULT_YEAR", "PRE", "POST", "WEIGHTINGS", "NORMALISATIONS", "SPREADS", "N_DRAWS",
    "catalogue", "data_years", "directions", "dimensions", "indicator_table", "normalise", "weights",
    "closeness", "ranks", "Decomposition", "decompose", "obstacle_degree", "dimension_scores",
    "dominates", "dominated_pairs", "sample_weights", "closeness_draws", "monte_carlo_ranks",
    "rank_bands", "IndexResult", "build_index", "location_quotients", "specialisation_overlap",
    "product_location_quotients", "PRODUCTS", "peer_groups",
    "ProvinceProfile", "province_profile", "explore", "render", "alt_text", "explorer",
    "tile_map_html", "bands_html", "profile_html", "evidence_html", "draw_profile", "title_text", "View",
]

PRE, POST = "pre_5th_census_revision", "post_5th_census_revision"

ELEMENTS = ("workers", "means of labour", "objects of labour")
ELEMENT_ZH = {"workers": "劳动者", "means of labour": "劳动资料", "objects of labour": "劳动对象"}
THEMES = ("innovation", "industry", "digital", "green", "talent")
FRAMES = {"elements": ELEMENTS, "themes": THEMES}

#: The index's year range: high-tech manufacturing starts in 2018; GRP (pre-revision), R&D and
#: patents end in 2023.
YEARS = tuple(range(2018, 2024))
DEFAULT_YEAR = 2023

WEIGHTINGS = ("entropy", "equal", "equal_dimensions")
NORMALISATIONS = ("minmax", "rank")
#: Dirichlet concentration of the "reasonable weights" around the chosen ones (None: uniform).
SPREADS = {"tight": 200.0, "moderate": 50.0, "any": None}
N_DRAWS = 1000
SHIFT = 1e-4


@dataclass(frozen=True)
class Indicator:
    """One candidate indicator of the index."""

    key: str
    label: str
    element: str          # one of ELEMENTS
    theme: str            # one of THEMES
    direction: str        # "+" benefit, "-" cost
    unit: str
    first_year: int       # first and last year the course's tables have it (per province)
    last_year: int
    tables: str
    definition: str
    why: str              # why it belongs to NQPF and to its dimension
    proxy: str = ""       # what it misses (non-empty: a proxy, flagged in the lesson)
    paper: str = ""       # the paper's section id it speaks to


CATALOGUE: dict[str, Indicator] = {i.key: i for i in [
    # --- workers 劳动者
    Indicator("rd_personnel_per_10k", N_("R&D personnel per 10k residents"), "workers", "talent", "+",
              "FTE person-years per 10,000 residents", 2013, 2023, "province_rd_personnel; province_population",
              "R&D personnel, full-time equivalent / year-end resident population (10,000s)",
              "people whose work is research: the 'new' workers of innovation-led growth", "", "F5"),
    Indicator("students_per_10k", N_("Students in higher education per 10k"), "workers", "talent", "+",
              "students per 10,000 residents", 2000, 2019, "province_higher_education; province_population",
              "students enrolled in regular higher education (undergraduate and junior college) / year-end "
              "resident population",
              "the skills of tomorrow's workers",
              "where people study, not where they work later (lesson 35); the table ends in 2019", "F5.1"),
    Indicator("knowledge_jobs_pct", N_("Knowledge-intensive jobs"), "workers", "industry", "+",
              "% of urban-unit jobs", 2024, 2024, "province_employment_by_sector_2024",
              "jobs in information & software (section I) plus research & technical services (M) / all "
              "urban-unit jobs, 2024",
              "how much of the formal workforce works with knowledge and data",
              "urban non-private units only (no private firms, no self-employed); 2024 only", "N4"),
    # --- means of labour 劳动资料
    Indicator("rd_intensity_pct", N_("R&D intensity"), "means of labour", "innovation", "+",
              "% of GRP", 2012, 2023, "province_rd_intensity_restated",
              "R&D expenditure / GRP, restated series (one consistent pre-revision GRP; for 2023 equal to the "
              "bulletin)",
              "spending on the tools of innovation: laboratories, equipment, research time", "", "F1"),
    Indicator("broadband_per_100", N_("Broadband ports per 100 residents"), "means of labour", "digital", "+",
              "ports per 100 residents", 2006, 2019, "province_internet; province_population",
              "internet broadband access ports / year-end resident population x 100",
              "digital infrastructure: the network data travel on",
              "installed capacity, not use or speed; the table ends in 2019", "F2"),
    Indicator("digital_finance_index", N_("Digital financial inclusion index"), "means of labour", "digital", "+",
              "index points (PKU-DFIIC)", 2011, 2023, "province_digital_finance_pku",
              "Peking University Digital Financial Inclusion Index, total (a research index, not an official "
              "statistic)",
              "digital payment, credit and insurance as infrastructure for firms and households",
              "built from one company's (Ant Group) transactions", "F4.2"),
    Indicator("energy_intensity_change_pct", N_("Change in energy use per unit of GRP"), "means of labour", "green",
              "-", "% change on 2019", 2020, 2020, "province_energy_intensity_change_2020",
              "change in energy consumption per 10,000 yuan of GRP (2015 prices) in 2020; a fall is better",
              "greener means of production: less energy per unit of output",
              "one pandemic year's change, not a level; no figure for Xizang", "N5"),
    Indicator("sci_tech_budget_pct", N_("S&T share of local budget"), "means of labour", "innovation", "+",
              "% of local general budget expenditure", 2011, 2023, "province_fiscal",
              "local general-budget expenditure on science and technology / all local general-budget expenditure",
              "how much the provincial government puts into the tools of innovation",
              "a budget priority, not results", "F1"),
    # --- objects of labour 劳动对象
    Indicator("hightech_revenue_pct_grp", N_("High-tech manufacturing revenue / GRP"), "objects of labour",
              "industry", "+", "% of GRP", 2018, 2023, "province_hightech; province_gdp",
              "operating revenue of high-technology manufacturing / GRP (pre-revision vintage) x 100",
              "what the new industries make: the new objects of labour",
              "revenue over value added (a ratio, not a share; it can exceed 100 %)", "N4"),
    Indicator("invention_patents_per_10k", N_("Invention patents granted per 10k"), "objects of labour",
              "innovation", "+", "patents per 10,000 residents", 2013, 2023,
              "province_patents_granted; province_population",
              "domestic invention patents granted / year-end resident population (10,000s)",
              "new knowledge, the object that research works on and produces",
              "counts patents, not their value", "F1"),
    Indicator("tech_market_pct_grp", N_("Technology-market turnover / GRP"), "objects of labour", "innovation", "+",
              "% of GRP", 2011, 2023, "province_tech_market; province_gdp",
              "value of technology contracts sold by the province / GRP (pre-revision vintage) x 100",
              "technology traded as a product (F1.2: turning research into use)",
              "booked to the seller's province: Beijing sells to the whole country", "F1.2"),
    Indicator("web_pages_per_resident", N_("Web pages per resident"), "objects of labour", "digital", "+",
              "web pages per resident", 2011, 2019, "province_internet; province_population",
              "web pages hosted in the province / year-end resident population",
              "data and content as a new object of labour",
              "where pages are hosted, not where data are used; extremely concentrated; ends in 2019", "F2"),
]}

#: The lesson's default choice: three indicators per element plus the green one (see the lesson).
DEFAULT_INDICATORS = ("rd_personnel_per_10k", "students_per_10k", "knowledge_jobs_pct",
                      "rd_intensity_pct", "broadband_per_100", "digital_finance_index",
                      "energy_intensity_change_pct",
                      "hightech_revenue_pct_grp", "invention_patents_per_10k", "tech_market_pct_grp")


# ----------------------------------------------------------------------------------- catalogue
def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or int(year) not in YEARS:
        raise ValueError(f"year must be a whole number from {YEARS[0]} to {YEARS[-1]} (got {year!r})")
    return int(year)


def _check_keys(keys) -> list[str]:
    keys = list(DEFAULT_INDICATORS if keys is None else keys)
    unknown = [k for k in keys if k not in CATALOGUE]
    if unknown:
        raise ValueError(f"unknown indicator(s) {unknown}; choose from {', '.join(CATALOGUE)}")
    if len(set(keys)) != len(keys):
        raise ValueError("an indicator is listed twice")
    return keys


def data_years(keys=None, year: int = DEFAULT_YEAR) -> dict[str, int]:
    """The year each indicator really uses when the index is built for ``year``.

    An indicator uses ``year`` if its table has it, else the nearest year it has: the internet and
    higher-education tables end in 2019, the energy bulletin is 2020 only, jobs by sector 2024 only.

    >>> data_years(["rd_intensity_pct", "broadband_per_100", "energy_intensity_change_pct"], 2023)
    {'rd_intensity_pct': 2023, 'broadband_per_100': 2019, 'energy_intensity_change_pct': 2020}
    """
    year = _check_year(year)
    return {k: min(max(year, CATALOGUE[k].first_year), CATALOGUE[k].last_year) for k in _check_keys(keys)}


def directions(keys=None) -> dict[str, str]:
    """``{indicator: "+" or "-"}`` from the catalogue."""
    return {k: CATALOGUE[k].direction for k in _check_keys(keys)}


def dimensions(keys=None, frame: str = "elements") -> dict[str, list[str]]:
    """The indicators of each dimension of ``frame`` (``"elements"`` or ``"themes"``), empty ones left out."""
    if frame not in FRAMES:
        raise ValueError(f"frame must be one of {', '.join(FRAMES)} (got {frame!r})")
    keys = _check_keys(keys)
    attr = "element" if frame == "elements" else "theme"
    out = {d: [k for k in keys if getattr(CATALOGUE[k], attr) == d] for d in FRAMES[frame]}
    return {d: ks for d, ks in out.items() if ks}


def catalogue(keys=None, year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """One row per indicator: element, theme, direction, unit, the data year used, proxy flag, tables."""
    keys = list(CATALOGUE) if keys is None else _check_keys(keys)
    years = data_years(keys, year)
    rows = [{"indicator": k, "label": CATALOGUE[k].label, "element": CATALOGUE[k].element,
             "theme": CATALOGUE[k].theme, "direction": CATALOGUE[k].direction, "unit": CATALOGUE[k].unit,
             "data_year": years[k], "proxy": "yes" if CATALOGUE[k].proxy else "", "paper": CATALOGUE[k].paper,
             "tables": CATALOGUE[k].tables} for k in keys]
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------- raw data
_TABLES = ["provinces", "province_population", "province_rd_personnel", "province_higher_education",
           "province_employment_by_sector_2024", "province_rd_intensity_restated", "province_rd_first_published",
           "province_internet", "province_digital_finance_pku", "province_energy_intensity_change_2020",
           "province_fiscal", "province_hightech", "province_gdp", "province_patents_granted",
           "province_tech_market"]


class _Tables(dict):
    """Course tables by name, each read with :func:`course.data.load` when first needed."""

    def __missing__(self, name: str) -> pd.DataFrame:
        from course.data import load

        if name not in _TABLES:
            raise KeyError(name)
        self[name] = value = load(name)
        return value


def _tables(tables=None) -> dict[str, pd.DataFrame]:
    """The tables given, and any other of :data:`_TABLES` read when an indicator needs it (a graded
    notebook that builds five indicators reads only their tables)."""
    return _Tables(tables or {})


def _by_province(frame: pd.DataFrame, column: str, year: int | None = None, **filters) -> pd.Series:
    sub = frame[frame["province_code"] != NATIONAL_CODE]
    if year is not None:
        sub = sub[sub["year"] == year]
    for col, value in filters.items():
        sub = sub[sub[col] == value]
    if sub["province_code"].duplicated().any():
        raise ValueError(f"more than one row per province for {column!r} in {year}")
    return sub.set_index("province_code")[column].astype("float64")


def indicator_table(keys=None, year: int = DEFAULT_YEAR, *, gdp_vintage: str = PRE, rd_series: str = "restated",
                    tables: dict | None = None) -> pd.DataFrame:
    """The raw indicators, one row per province (index ``province_code``, sorted), one column per key.

    Parameters
    ----------
    keys : list of str, optional
        Indicators from :data:`CATALOGUE` (default :data:`DEFAULT_INDICATORS`).
    year : int
        2018-2023; each indicator uses :func:`data_years`.
    gdp_vintage : {PRE, POST}
        GRP vintage of the two ratios to GRP (high-tech revenue, technology market). Default: the
        pre-revision series, the denominator of the R&D intensities (datasets/README.md, trap 1).
    rd_series : {"restated", "first_published", "revised_gdp"}
        R&D intensity as restated on one consistent GRP (default), as first published in that year's
        bulletin (trap 2), or computed here as R&D expenditure / revised GRP.
    tables : dict, optional
        Course tables by name (default: read with :func:`course.data.load`); tests pass their own.

    A value missing in the source stays ``NaN``.
    """
    keys = _check_keys(keys)
    years = data_years(keys, year)
    if gdp_vintage not in (PRE, POST):
        raise ValueError(f"gdp_vintage must be {PRE!r} or {POST!r}")
    if rd_series not in ("restated", "first_published", "revised_gdp"):
        raise ValueError("rd_series must be 'restated', 'first_published' or 'revised_gdp'")
    t = _tables(tables)
    codes = t["provinces"]["province_code"].sort_values().to_numpy()
    out = pd.DataFrame(index=pd.Index(codes, name="province_code"))

    def pop(y):
        return _by_province(t["province_population"], "resident_population_10k", y)

    def grp(y, vintage=gdp_vintage):
        return _by_province(t["province_gdp"], "gdp_100m_yuan", y, vintage=vintage)

    for k in keys:
        y = years[k]
        if k == "rd_personnel_per_10k":
            s = _by_province(t["province_rd_personnel"], "rd_personnel_fte_manyears", y) / pop(y)
        elif k == "students_per_10k":
            s = _by_province(t["province_higher_education"], "students_enrolled_10k", y) / pop(y) * 1e4
        elif k == "knowledge_jobs_pct":
            e = t["province_employment_by_sector_2024"]
            e = e[e["year"] == y].pivot(index="province_code", columns="sector_code_gbt4754", values="employment_10k")
            s = (e["I"] + e["M"]) / e["TOTAL"] * 100
        elif k == "rd_intensity_pct":
            if rd_series == "restated":
                s = _by_province(t["province_rd_intensity_restated"], "rd_intensity_pct", y)
            elif rd_series == "first_published":
                s = _by_province(t["province_rd_first_published"], "rd_intensity_pct", y)
            else:
                s = _by_province(t["province_rd_first_published"], "rd_expenditure_100m_yuan", y) / grp(y, POST) * 100
        elif k == "broadband_per_100":
            s = _by_province(t["province_internet"], "broadband_ports_10k_units", y) / pop(y) * 100
        elif k == "web_pages_per_resident":
            s = _by_province(t["province_internet"], "web_pages_10k_units", y) / pop(y)
        elif k == "digital_finance_index":
            s = _by_province(t["province_digital_finance_pku"], "dfii_total", y)
        elif k == "energy_intensity_change_pct":
            s = _by_province(t["province_energy_intensity_change_2020"], "energy_intensity_change_pct", y)
        elif k == "sci_tech_budget_pct":
            f = t["province_fiscal"]
            s = (_by_province(f, "local_fiscal_sci_tech_expenditure_100m_yuan", y)
                 / _by_province(f, "local_general_budget_expenditure_100m_yuan", y) * 100)
        elif k == "hightech_revenue_pct_grp":
            s = _by_province(t["province_hightech"], "hightech_revenue_100m_yuan", y) / grp(y) * 100
        elif k == "invention_patents_per_10k":
            s = _by_province(t["province_patents_granted"], "patents_granted_invention", y) / pop(y)
        elif k == "tech_market_pct_grp":
            s = _by_province(t["province_tech_market"], "tech_market_turnover_100m_yuan", y) / grp(y) * 100
        else:  # pragma: no cover - every catalogue key is handled above
            raise AssertionError(k)
        out[k] = s.reindex(out.index).astype("float64")
    return out


# ----------------------------------------------------------------------------------- the method
def _as_frame(frame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError("give a DataFrame: one row per province, one column per indicator")
    if frame.shape[1] == 0:
        raise _edge("Choose at least one indicator.")
    if not (frame.dtypes == "float64").all():
        for c in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[c]):
                raise ValueError(f"column {c!r} is not numeric; keep only indicator columns")
        frame = frame.astype("float64")
    out = frame
    if np.isinf(out.to_numpy()).any():
        raise ValueError("the table contains infinite values")
    return out


def normalise(raw: pd.DataFrame, directions: dict | None = None, method: str = "minmax") -> pd.DataFrame:
    """Each indicator on a 0-1 scale where 1 is best, respecting its direction; missing stays missing.

    ``"minmax"`` uses :func:`course.measures.minmax` over the provinces that have a value (a column
    with one distinct value is 0.5 everywhere); ``"rank"`` gives ``(rank - 1)/(n - 1)`` with average
    ranks for ties, ``n`` the provinces with a value. ``directions`` defaults to the catalogue's.
    """
    raw = _as_frame(raw)
    if method not in NORMALISATIONS:
        raise ValueError(f"method must be one of {', '.join(NORMALISATIONS)} (got {method!r})")
    if directions is None:
        directions = {c: CATALOGUE[c].direction for c in raw.columns}
    dirs = {}
    for c in raw.columns:
        d = directions.get(c)
        if d not in ("+", "-"):
            raise ValueError(f"direction of {c!r} must be '+' or '-' (got {d!r})")
        dirs[c] = d
    counts = raw.notna().sum()
    if (counts < 2).any():
        c = counts.index[counts < 2][0]
        raise _edge(f"{CATALOGUE[c].label if c in CATALOGUE else c} has fewer than two provinces with a "
                       "value, so it cannot be normalised.")
    if method == "rank":
        signed = raw * pd.Series({c: 1.0 if d == "+" else -1.0 for c, d in dirs.items()})
        return (signed.rank(method="average") - 1) / (counts - 1)
    complete = [c for c in raw.columns if counts[c] == len(raw)]
    out = pd.DataFrame(index=raw.index, columns=raw.columns, dtype="float64")
    if complete:
        out[complete] = measures.minmax(raw[complete], {c: dirs[c] for c in complete})
    for c in raw.columns:
        if c not in complete:
            present = raw[c].notna()
            col = np.full(len(raw), np.nan)
            col[present.to_numpy()] = measures.minmax(raw.loc[present, c].to_numpy(), direction=dirs[c])
            out[c] = col
    return out


def _divergence(col: np.ndarray, shift: float) -> float:
    """``d_j = 1 - e_j`` of one column (present values only), as in measures.entropy_weights."""
    x = col[~np.isnan(col)]
    n = x.size
    if n < 2 or np.ptp(x) == 0:
        return 0.0
    z = x + shift
    p = z / z.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)
    return max(1.0 + plogp.sum() / np.log(n), 0.0)


def weights(norm: pd.DataFrame, method: str = "entropy", frame: str = "elements", *,
            shift: float = SHIFT) -> pd.Series:
    """Indicator weights summing to 1.

    ``"entropy"``: the entropy weight method on the normalised table (see the module notes);
    ``"equal"``: ``1/m`` each; ``"equal_dimensions"``: every dimension of ``frame`` gets the same total
    weight, shared equally by its indicators.
    """
    norm = _as_frame(norm)
    if method not in WEIGHTINGS:
        raise ValueError(f"method must be one of {', '.join(WEIGHTINGS)} (got {method!r})")
    cols = list(norm.columns)
    if method == "equal":
        w = np.full(len(cols), 1.0 / len(cols))
    elif method == "equal_dimensions":
        dims = dimensions(cols, frame)
        w = np.array([1.0 / len(dims) / len(ks) for c in cols for d, ks in dims.items() if c in ks])
    else:
        arr = norm.to_numpy()
        if ((arr < 0) | (arr > 1))[~np.isnan(arr)].any():
            raise ValueError("entropy weights need values in [0, 1]: normalise first")
        d = np.array([_divergence(arr[:, j], shift) for j in range(arr.shape[1])])
        if d.sum() == 0:
            raise _edge("Every chosen indicator has the same value in every province, so the entropy "
                           "weights are undefined; choose an indicator that varies.")
        w = d / d.sum()
    return pd.Series(w, index=cols, name="weight")


def _closeness_array(x: np.ndarray, w: np.ndarray, return_parts: bool = False):
    """TOPSIS closeness for normalised ``x`` (n x m, NaN = missing) and weights ``w`` (m,) or (N, m).

    Per province the weights are rescaled over the indicators it has: ``w~_ij = w_j / sum_k w_k`` over
    its present ``k``. Then ``D+^2 = sum_j w~_ij^2 (x_ij - x*_j)^2``, which for many weight vectors at
    once is one matrix product. Returns closeness of shape (n,) or (N, n); with ``return_parts``
    (one weight vector only) also the per-indicator terms of ``D+^2`` and ``D-^2`` (n x m).
    """
    present = ~np.isnan(x)
    ideal = np.max(np.where(present, x, -np.inf), axis=0)
    anti = np.min(np.where(present, x, np.inf), axis=0)
    gap_plus = np.where(present, x - ideal, 0.0) ** 2                # (n, m)
    gap_minus = np.where(present, x - anti, 0.0) ** 2
    w = np.asarray(w, dtype="float64")
    tot = w @ present.T.astype("float64")                            # (..., n): weight each province has
    safe = np.where(tot > 0, tot, 1.0) ** 2
    w2 = w ** 2
    dp = np.sqrt((w2 @ gap_plus.T) / safe)
    dm = np.sqrt((w2 @ gap_minus.T) / safe)
    denom = dp + dm
    c = np.where(denom > 0, dm / np.where(denom > 0, denom, 1.0), 0.5)
    c = np.where(tot > 0, c, np.nan)
    if not return_parts:
        return c
    if w.ndim != 1:
        raise ValueError("parts need a single weight vector")
    scale = (w2[None, :] / safe[:, None])
    return c, scale * gap_plus, scale * gap_minus


def _weight_vector(norm: pd.DataFrame, w) -> np.ndarray:
    if isinstance(w, dict):
        w = pd.Series(w, dtype="float64")
    if isinstance(w, pd.Series):
        missing = [c for c in norm.columns if c not in w.index]
        if missing:
            raise ValueError(f"no weight for {missing}")
        w = w.reindex(norm.columns)
    arr = np.asarray(w, dtype="float64")
    if arr.shape != (norm.shape[1],):
        raise ValueError(f"need one weight per column ({norm.shape[1]}), got shape {arr.shape}")
    if np.isnan(arr).any() or (arr < 0).any():
        raise ValueError("weights must be non-negative numbers")
    if arr.sum() <= 0:
        raise _edge("Every weight is zero, so the index is undefined; give at least one indicator weight.")
    return arr / arr.sum()


def closeness(norm: pd.DataFrame, w) -> pd.Series:
    """TOPSIS relative closeness ``C = D- / (D+ + D-)`` of each province, in [0, 1] (NaN: no data)."""
    norm = _as_frame(norm)
    c = _closeness_array(norm.to_numpy(), _weight_vector(norm, w))
    return pd.Series(c, index=norm.index, name="closeness")


def ranks(scores: pd.Series) -> pd.Series:
    """Rank 1 = highest score; ties share the best rank (``method="min"``); missing stays missing."""
    return scores.rank(ascending=False, method="min").astype("Int64").rename("rank")


@dataclass
class Decomposition:
    """TOPSIS distances split by dimension (see :func:`decompose`)."""

    plus: pd.DataFrame    # squared weighted gap to the ideal, summed over each dimension's indicators
    minus: pd.DataFrame   # squared weighted distance from the anti-ideal, by dimension

    @property
    def d_plus(self) -> pd.Series:
        return np.sqrt(self.plus.sum(axis=1)).rename("d_plus")

    @property
    def d_minus(self) -> pd.Series:
        return np.sqrt(self.minus.sum(axis=1)).rename("d_minus")

    @property
    def closeness(self) -> pd.Series:
        dp, dm = self.d_plus, self.d_minus
        return (dm / (dp + dm)).where(dp + dm > 0, 0.5).rename("closeness")

    @property
    def gap_share(self) -> pd.DataFrame:
        """Each dimension's share of the squared distance to the ideal (rows sum to 1)."""
        return self.plus.div(self.plus.sum(axis=1), axis=0)

    @property
    def lift_share(self) -> pd.DataFrame:
        """Each dimension's share of the squared distance from the anti-ideal (rows sum to 1)."""
        return self.minus.div(self.minus.sum(axis=1), axis=0)


def decompose(norm: pd.DataFrame, w, frame: str = "elements") -> Decomposition:
    """Split each province's two TOPSIS distances by dimension.

    TOPSIS is not additive: ``C = D-/(D+ + D-)``. But the *squared* distances are sums over
    indicators, ``D+^2 = sum_j (w_j (x*_j - x_ij))^2`` and ``D-^2 = sum_j (w_j (x_ij - x-_j))^2``
    (``x*``/``x-`` the best/worst normalised value, ``w`` rescaled over the province's indicators), so
    they split exactly by dimension: the parts add up to ``D+^2`` and ``D-^2``, and ``C`` recomputed from
    the parts is the closeness. A dimension's share of ``D+^2`` is how much of the province's gap to
    the ideal it accounts for; its share of ``D-^2`` how much of its lift above the worst.
    """
    norm = _as_frame(norm)
    c, plus, minus = _closeness_array(norm.to_numpy(), _weight_vector(norm, w), return_parts=True)
    dims = dimensions(list(norm.columns), frame)
    cols = list(norm.columns)
    P = pd.DataFrame({d: plus[:, [cols.index(k) for k in ks]].sum(axis=1) for d, ks in dims.items()}, index=norm.index)
    M = pd.DataFrame({d: minus[:, [cols.index(k) for k in ks]].sum(axis=1) for d, ks in dims.items()}, index=norm.index)
    nodata = np.isnan(c)
    P[nodata] = np.nan
    M[nodata] = np.nan
    return Decomposition(P, M)


def obstacle_degree(norm: pd.DataFrame, w, frame: str | None = "elements") -> pd.DataFrame:
    """Obstacle degree (障碍度): ``O_ij = w_j (1 - x_ij) / sum_k w_k (1 - x_ik)``, by indicator or dimension.

    The literature's linear measure of what holds a province back (METHODS.md 2.6); rows sum to 1
    (a province at the top on every indicator has no obstacle: its row is NaN). Weights are rescaled
    over the indicators each province has. ``frame=None`` gives one column per indicator.
    """
    norm = _as_frame(norm)
    wv = _weight_vector(norm, w)
    x = norm.to_numpy()
    present = ~np.isnan(x)
    wp = wv * present
    gap = np.where(present, wp * (1 - np.nan_to_num(x)), 0.0)
    tot = gap.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(tot > 0, gap / np.where(tot > 0, tot, 1.0), np.nan)
    out = pd.DataFrame(share, index=norm.index, columns=norm.columns)
    if frame is None:
        return out
    dims = dimensions(list(norm.columns), frame)
    return pd.DataFrame({d: out[ks].sum(axis=1, min_count=1) for d, ks in dims.items()}, index=norm.index)


def dimension_scores(norm: pd.DataFrame, w, frame: str = "elements") -> pd.DataFrame:
    """TOPSIS closeness of each dimension on its own indicators (weights rescaled within it).

    A dimension with one indicator scores exactly that indicator's normalised value.
    """
    norm = _as_frame(norm)
    wser = pd.Series(_weight_vector(norm, w), index=norm.columns)
    out = {}
    for d, ks in dimensions(list(norm.columns), frame).items():
        sub = wser[ks]
        out[d] = closeness(norm[ks], sub if sub.sum() > 0 else pd.Series(1.0, index=ks))
    return pd.DataFrame(out, index=norm.index)


def dominates(a, b) -> bool:
    """``a`` is at least as good as ``b`` on every indicator and better on one (normalised rows, 1 = best)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if np.isnan(a).any() or np.isnan(b).any():
        return False
    return bool((a >= b).all() and (a > b).any())


def dominated_pairs(norm: pd.DataFrame) -> list[tuple]:
    """Every pair ``(dominator, dominated)`` of provinces with complete rows (see :func:`dominates`)."""
    norm = _as_frame(norm)
    x = norm.to_numpy()
    ok = ~np.isnan(x).any(axis=1)
    ge = (x[:, None, :] >= x[None, :, :]).all(axis=2)
    gt = (x[:, None, :] > x[None, :, :]).any(axis=2)
    mask = ge & gt & ok[:, None] & ok[None, :]
    idx = norm.index
    return [(idx[i], idx[j]) for i, j in zip(*np.nonzero(mask))]


# ----------------------------------------------------------------------------------- Monte-Carlo
def sample_weights(w, n_draws: int = N_DRAWS, spread: str = "moderate", seed: int = 0) -> np.ndarray:
    """``n_draws`` weight vectors (rows sum to 1) from a Dirichlet distribution around ``w``.

    ``spread`` names the concentration ``kappa`` (:data:`SPREADS`): ``alpha_j = kappa * w_j``, so the
    mean is ``w`` and a weight's standard deviation ``sqrt(w_j (1 - w_j)/(kappa + 1))``; ``"any"`` draws
    uniformly over all weight vectors (``alpha_j = 1``). Indicators with weight 0 keep weight 0
    (except under ``"any"``). Seeded: same arguments, same draws.
    """
    if spread not in SPREADS:
        raise ValueError(f"spread must be one of {', '.join(SPREADS)} (got {spread!r})")
    w = np.asarray(w, dtype="float64")
    if w.ndim != 1 or (w < 0).any() or w.sum() <= 0:
        raise ValueError("w must be a vector of non-negative weights with a positive sum")
    w = w / w.sum()
    n_draws = int(n_draws)
    if n_draws < 1:
        raise ValueError("n_draws must be at least 1")
    rng = np.random.default_rng(seed)
    kappa = SPREADS[spread]
    if kappa is None:
        return rng.dirichlet(np.ones(w.size), size=n_draws)
    out = np.zeros((n_draws, w.size))
    pos = w > 0
    if pos.sum() == 1:
        out[:, pos] = 1.0
    else:
        out[:, pos] = rng.dirichlet(kappa * w[pos], size=n_draws)
    return out


def closeness_draws(norm: pd.DataFrame, draws: np.ndarray) -> np.ndarray:
    """TOPSIS closeness of every province under every weight vector: shape (n_draws, n_provinces)."""
    norm = _as_frame(norm)
    draws = np.asarray(draws, dtype="float64")
    if draws.ndim != 2 or draws.shape[1] != norm.shape[1]:
        raise ValueError("draws must have one column per indicator")
    return _closeness_array(norm.to_numpy(), draws)


def _rank_rows(c: np.ndarray) -> np.ndarray:
    """Ranks (1 = best, ties share the best rank) along the last axis; NaN scores get rank NaN."""
    filled = np.where(np.isnan(c), -np.inf, c)
    better = (filled[..., None, :] > filled[..., :, None]).sum(axis=-1)
    r = 1.0 + better
    return np.where(np.isnan(c), np.nan, r)


def monte_carlo_ranks(norm: pd.DataFrame, w, n_draws: int = N_DRAWS, spread: str = "moderate",
                      seed: int = 0) -> pd.DataFrame:
    """Each province's rank under ``n_draws`` random weight vectors around ``w``: rows draws, columns provinces."""
    norm = _as_frame(norm)
    draws = sample_weights(_weight_vector(norm, w), n_draws, spread, seed)
    return pd.DataFrame(_rank_rows(closeness_draws(norm, draws)), columns=norm.index)


def rank_bands(mc: pd.DataFrame, at=None, q: tuple[float, float] = (0.05, 0.95)) -> pd.DataFrame:
    """Summary of each province's Monte-Carlo ranks: median, the ``q`` band, best and worst rank.

    Quantiles are *attained* ranks (the inverted empirical distribution: the smallest rank with at
    least a share ``q`` of the draws at or below it), so every number in the band occurred in a draw.
    ``at`` (optional) is the rank at the chosen weights; the column ``in_band`` says whether it lies
    inside the band, and ``width`` is the band's width in places (``high - low``).
    """
    arr = np.sort(mc.to_numpy(dtype="float64"), axis=0)            # NaN sort last
    n = arr.shape[0]
    valid = ~np.isnan(arr[0])

    def quant(p):
        out = arr[max(int(np.ceil(p * n)) - 1, 0)].copy()
        out[~valid] = np.nan
        return out

    out = pd.DataFrame({"median": quant(0.5), "low": quant(q[0]), "high": quant(q[1]),
                        "best": arr[0], "worst": arr[-1]}, index=mc.columns)
    out["width"] = out["high"] - out["low"]
    if at is not None:
        at = pd.Series(at).reindex(mc.columns).astype("float64")
        out.insert(0, "rank", at)
        out["in_band"] = (at >= out["low"]) & (at <= out["high"])
    return out


# ----------------------------------------------------------------------------------- one setting
@dataclass
class IndexResult:
    """Everything one setting of the index gives (see :func:`build_index`)."""

    keys: list[str]
    year: int
    frame: str
    weighting: str
    normalisation: str
    spread: str
    raw: pd.DataFrame
    norm: pd.DataFrame
    weights: pd.Series
    closeness: pd.Series
    rank: pd.Series
    dims: pd.DataFrame
    decomposition: Decomposition
    bands: pd.DataFrame
    n_draws: int
    names: pd.Series
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=8)
def _cached_raw(year: int, gdp_vintage: str, rd_series: str) -> pd.DataFrame:
    return indicator_table(list(CATALOGUE), year, gdp_vintage=gdp_vintage, rd_series=rd_series)


@lru_cache(maxsize=1)
def _names() -> pd.Series:
    from course.data import load

    return load("provinces").set_index("province_code")["province_en"].sort_index()


def build_index(keys=None, year: int = DEFAULT_YEAR, weighting: str = "entropy", normalisation: str = "minmax",
                frame: str = "elements", spread: str = "moderate", n_draws: int = N_DRAWS, seed: int = 0,
                raw: pd.DataFrame | None = None, gdp_vintage: str = PRE, rd_series: str = "restated") -> IndexResult:
    """Normalise, weight, score, decompose and Monte-Carlo one setting of the index.

    ``raw`` (optional) is a table of raw indicators (as :func:`indicator_table` returns); by default the
    course data for ``year`` are used (cached). ``n_draws=0`` skips the Monte-Carlo (each band is then
    just the rank).
    """
    keys = _check_keys(keys)
    if not keys:
        raise _edge(_("Choose at least one indicator."))
    if raw is None:
        raw = _cached_raw(_check_year(year), gdp_vintage, rd_series)[keys]
    else:
        raw = raw[keys]
    names = _names().reindex(raw.index)
    names = names.fillna(pd.Series(raw.index.astype(str), index=raw.index))
    norm = normalise(raw, directions(keys), normalisation)
    w = weights(norm, weighting, frame)
    c = closeness(norm, w)
    r = ranks(c)
    notes = []
    for code in c.index[c.isna()]:
        name = _province_name(names[code])
        notes.append(_f("{name} has no value for any chosen indicator, so it has no score and no rank."))
    lacking = norm.isna() & c.notna().to_numpy()[:, None]
    for code in lacking.index[lacking.any(axis=1)]:
        miss = _(", ").join(_(CATALOGUE[k].label) for k in lacking.columns[lacking.loc[code]])
        name = _province_name(names[code])
        notes.append(_f("{name} has no value for {miss}; it is scored on the other indicators, "
                        "with their weights rescaled."))
    if n_draws > 0:
        bands = rank_bands(monte_carlo_ranks(norm, w, n_draws, spread, seed), at=r)
    else:                                   # no Monte-Carlo: the band is the rank itself
        bands = rank_bands(pd.DataFrame([r.astype("float64").to_numpy()], columns=r.index), at=r)
    return IndexResult(keys=keys, year=int(year), frame=frame, weighting=weighting, normalisation=normalisation,
                       spread=spread, raw=raw, norm=norm, weights=w, closeness=c, rank=r,
                       dims=dimension_scores(norm, w, frame), decomposition=decompose(norm, w, frame),
                       bands=bands, n_draws=n_draws, names=names, notes=notes)


# ----------------------------------------------------------------------------------- comparative advantage
def location_quotients(basis: str = "employment", tables: dict | None = None) -> pd.DataFrame:
    """Location quotients (区位商) by province (rows, ``province_code``) and sector (columns).

    ``"employment"``: urban-unit employment by the 19 GB/T 4754 sections, 2024
    (:func:`course.structure.location_quotients`, columns labelled as in
    :data:`course.structure.EMPLOYMENT_SECTORS`); ``"value_added"``: the nine value-added sectors of
    2023, revised vintage (:func:`course.measures.location_quotient`). The reference is the
    31-province sum. An LQ above 1 means the sector's share in the province exceeds its share in
    the 31 provinces together.
    """
    from course import structure
    from course.data import load

    t = dict(tables or {})
    if basis == "employment":
        emp = t.get("province_employment_by_sector_2024")
        emp = load("province_employment_by_sector_2024") if emp is None else emp
        lq = structure.location_quotients(emp)
        return lq.rename(columns=structure.EMPLOYMENT_SECTORS)
    if basis == "value_added":
        va = t.get("province_value_added")
        va = load("province_value_added") if va is None else va
        va = va[(va["vintage"] == POST) & (va["year"] == 2023) & (va["province_code"] != NATIONAL_CODE)]
        m = va.set_index("province_code")[list(structure.NINE_SECTORS.values())]
        m.columns = list(structure.NINE_SECTORS)
        return measures.location_quotient(m.sort_index())
    raise ValueError("basis must be 'employment' or 'value_added'")


def specialisation_overlap(lq: pd.DataFrame, threshold: float = 1.25, permutations: int = 4999, seed: int = 0):
    """Do provinces share their specialisations? Mean pairwise Jaccard overlap against a shuffle.

    A province is *specialised* in a sector when its LQ is at least ``threshold``. For two provinces
    the Jaccard overlap is ``|S_a & S_b| / |S_a | S_b|`` (0 when neither is specialised in anything).
    The baseline shuffles, sector by sector, which provinces are specialised (keeping how many are),
    ``permutations`` times, seeded. Returns ``(observed, baseline_mean, p_more, p_less)``: the share of
    shuffles with an overlap at least as large (as small) as the observed one, counted as
    ``(1 + k)/(1 + B)``.
    """
    spec = (lq.to_numpy(dtype="float64") >= threshold).astype(float)
    n = spec.shape[0]
    iu = np.triu_indices(n, 1)

    def mean_jaccard(a):                                     # a: (..., n, sectors)
        inter = a @ np.swapaxes(a, -1, -2)
        size = a.sum(axis=-1)
        union = size[..., :, None] + size[..., None, :] - inter
        j = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
        return j[..., iu[0], iu[1]].mean(axis=-1)

    observed = float(mean_jaccard(spec))
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((permutations, n, spec.shape[1])), axis=1)
    shuffled = np.take_along_axis(np.broadcast_to(spec, (permutations, *spec.shape)), order, axis=1)
    null = mean_jaccard(shuffled)
    p_more = (1 + int(np.sum(null >= observed - 1e-12))) / (1 + permutations)
    p_less = (1 + int(np.sum(null <= observed + 1e-12))) / (1 + permutations)
    return observed, float(null.mean()), p_more, p_less


PRODUCTS = {"crude_steel_10k_tonnes": ("province_output_steel_cement", "Crude steel"),
            "cement_10k_tonnes": ("province_output_steel_cement", "Cement"),
            "integrated_circuits_10k_pieces": ("province_output_ics_phones", "Integrated circuits"),
            "mobile_phones_10k_units": ("province_output_ics_phones", "Mobile phones")}


@lru_cache(maxsize=1)
def product_location_quotients() -> pd.DataFrame:
    """Output LQs of four industrial products in their last year (steel and cement 2020, chips and
    phones 2021; December cumulative values), by :func:`course.structure.output_location_quotients`.

    Rows ``province_code``, columns like ``"Integrated circuits (2021)"``; a province without a
    published value has no LQ (NaN), never 0.
    """
    from course import structure
    from course.data import load

    gdp = load("province_gdp")
    out = {}
    for col, (table, label) in PRODUCTS.items():
        lq = structure.output_location_quotients(load(table), gdp, col)
        last = int(lq["year"].max())
        out[f"{label} ({last})"] = lq[lq["year"] == last].set_index("province_code")["lq"]
    return pd.DataFrame(out).reindex(_names().index)


@lru_cache(maxsize=1)
def peer_groups(k: int = 4, seed: int = 0) -> pd.Series:
    """The endowment groups of lesson 22: k-means on the six default features, ``k`` groups, ``seed``.

    Calls :func:`course.grouping.group_provinces` (pure and deterministic) on
    :func:`course.grouping.endowment_table`; index ``province_code``, values 1..k.
    """
    from course import grouping

    data = grouping.endowment_table()
    return grouping.group_provinces(data[list(grouping.DEFAULT_FEATURES)], k, seed=seed).sort_index()


@lru_cache(maxsize=2)
def _cached_lq(basis: str) -> pd.DataFrame:
    return location_quotients(basis)


@dataclass
class ProvinceProfile:
    """One province's evidence for a recommendation (see :func:`province_profile`)."""

    code: int
    name: str
    rank: int | None
    band: tuple
    closeness: float
    peers: list[str]
    dims: pd.DataFrame          # per dimension: score, peer median, 31-province median, vs peers, gap share
    indicators: pd.DataFrame    # per indicator: value, unit, data year, rank of 31, peer median, obstacle degree
    employment_lq: pd.Series    # the province's LQs, largest first
    value_added_lq: pd.Series
    product_lq: pd.Series       # four industrial products, last year; NaN = not published
    notes: list[str] = field(default_factory=list)

    @property
    def strongest(self) -> str:
        """The dimension furthest above the peers' median (or the 31-province median if alone)."""
        return str(self.dims["vs peers"].idxmax())

    @property
    def weakest(self) -> str:
        return str(self.dims["vs peers"].idxmin())

    def gaps(self, n: int = 3) -> pd.DataFrame:
        """Binding gaps: the indicators on which the province is worse than its peers' median, the
        largest obstacle degree (weight x shortfall from the best) first."""
        below = self.indicators[self.indicators["below peers"]]
        return below.sort_values("obstacle degree", ascending=False).head(n)


def province_profile(result: IndexResult, province, groups: pd.Series | None = None,
                     employment_lq: pd.DataFrame | None = None,
                     value_added_lq: pd.DataFrame | None = None) -> ProvinceProfile:
    """Gather one province's evidence: rank band, dimensions against its peers, gaps and LQs.

    ``province`` is a code or an English name. Peers are the other members of its endowment group
    (:func:`peer_groups`, lesson 22); a province alone in its group is compared with the 31-province
    median instead (a note says so).
    """
    names = result.names
    if isinstance(province, str):
        match = names.index[names == province]
        if not len(match):
            raise ValueError(f"unknown province {province!r}")
        code = int(match[0])
    else:
        code = int(province)
        if code not in names.index:
            raise ValueError(f"unknown province code {province!r}")
    name = str(names[code])
    groups = peer_groups() if groups is None else groups
    peers = [c for c in groups.index[groups == groups.get(code)] if c != code]
    notes = []
    ref = peers
    if not peers:
        ref = [c for c in names.index if c != code]
        shown = _province_name(name)
        notes.append(_f("{shown} is alone in its endowment group (lesson 22), so it is compared with the other "
                        "30 provinces instead of with peers."))
    dims = result.dims
    gap = result.decomposition.gap_share
    dtab = pd.DataFrame({
        "score": dims.loc[code],
        "peer median": dims.loc[ref].median(),
        "31-province median": dims.median(),
    })
    dtab["vs peers"] = dtab["score"] - dtab["peer median"]
    dtab["gap share"] = gap.loc[code]
    od = obstacle_degree(result.norm, result.weights, frame=None).loc[code]
    years = data_years(result.keys, result.year)
    raw = result.raw
    itab = pd.DataFrame({
        "value": raw.loc[code],
        "unit": [CATALOGUE[k].unit for k in raw.columns],
        "data year": [years[k] for k in raw.columns],
        "rank of 31": (raw * [1.0 if CATALOGUE[k].direction == "+" else -1.0 for k in raw.columns])
                      .rank(ascending=False, method="min").loc[code],
        "peer median": raw.loc[ref].median(),
        "obstacle degree": od,
    })
    sign = np.array([1.0 if CATALOGUE[k].direction == "+" else -1.0 for k in raw.columns])
    itab["below peers"] = (sign * (itab["value"] - itab["peer median"]).to_numpy(dtype=float)) < 0
    itab.index = [CATALOGUE[k].label for k in raw.columns]
    emp = (_cached_lq("employment") if employment_lq is None else employment_lq).loc[code].sort_values(ascending=False)
    va = (_cached_lq("value_added") if value_added_lq is None else value_added_lq).loc[code].sort_values(ascending=False)
    prod = product_location_quotients().loc[code]
    r = result.rank.get(code)
    band = (result.bands.at[code, "low"], result.bands.at[code, "high"])
    return ProvinceProfile(code=code, name=name, rank=None if pd.isna(r) else int(r), band=band,
                           closeness=float(result.closeness[code]), peers=[str(names[c]) for c in peers],
                           dims=dtab, indicators=itab, employment_lq=emp, value_added_lq=va, product_lq=prod,
                           notes=notes)


# ----------------------------------------------------------------------------------- the widget
@dataclass
class View:
    """What :func:`explore` returns: one setting of the index and the chosen province's profile."""

    result: IndexResult
    profile: ProvinceProfile


_RESULTS: dict = {}


def _result_for(keys: tuple, frame: str, weighting: str, normalisation: str, spread: str) -> IndexResult:
    key = (keys, frame, weighting, normalisation, spread)
    if key not in _RESULTS:
        if len(_RESULTS) > 32:
            _RESULTS.clear()
        _RESULTS[key] = build_index(list(keys), DEFAULT_YEAR, weighting, normalisation, frame, spread, N_DRAWS)
    return _RESULTS[key]


def explore(indicators=DEFAULT_INDICATORS, frame: str = "elements", weighting: str = "entropy",
            normalisation: str = "minmax", spread: str = "moderate", province: int = 610000) -> View:
    """The widget's pure function: build the index for these choices and profile one province.

    Raises :class:`course.widgets.EdgeCase` (a note for the student) when no indicator is chosen or
    the chosen province has no value for any chosen indicator.
    """
    keys = tuple(indicators or ())
    if not keys:
        raise _edge(_("Choose at least one indicator (hold Ctrl or Cmd to pick several)."))
    result = _result_for(keys, frame, weighting, normalisation, spread)
    code = int(province)
    if pd.isna(result.closeness.get(code)):
        name = _province_name(result.names[code])
        chosen = _(", ").join(_(CATALOGUE[k].label) for k in keys)
        raise _edge(_f("{name} has no value for the chosen indicator(s) "
                          "({chosen}), so it has no score; add another indicator."))
    return View(result, province_profile(result, code))


_DIM_LABEL = {"workers": N_("Workers"), "means of labour": N_("Means of labour"),
              "objects of labour": N_("Objects of labour"), "innovation": N_("Innovation"), "industry": N_("Industry"),
              "digital": N_("Digital"), "green": N_("Green"), "talent": N_("Talent")}


def _dim(d: str) -> str:
    """A dimension's name inside a sentence: as it is in English, its label in the student's language otherwise."""
    return _(_DIM_LABEL.get(d, d)) if is_chinese() else d


def _band_text(p: ProvinceProfile) -> str:
    lo, hi = p.band
    return f"{int(lo)}" if lo == hi else f"{int(lo)}-{int(hi)}"


def title_text(v: View) -> str:
    p = v.profile
    name, strongest = _province_name(p.name), _dim(p.strongest)
    return _f("{name} ranks {p.rank} of 31 (90 % of reasonable weights: {_band_text(p)}); "
              "against its peers it is strongest on {strongest}")


def draw_profile(ax, v: View) -> None:
    """Horizontal bars: the province's score on each dimension; markers for its peers' and the 31 provinces' medians."""
    from course.plots import COLORS

    d = v.profile.dims
    pos = np.arange(len(d))[::-1]
    ax.barh(pos, d["score"], color=COLORS[0], height=0.55, label=f"{_province_name(v.profile.name)}", zorder=2)
    ax.scatter(d["peer median"], pos, marker="D", s=42, color=COLORS[1], edgecolor="black", linewidth=0.6,
               label=_("peer-group median") if v.profile.peers else _("median of the other 30"), zorder=3)
    ax.scatter(d["31-province median"], pos, marker="|", s=260, color="black", linewidth=2,
               label=_("31-province median"), zorder=3)
    for y, (dim, row) in zip(pos, d.iterrows()):
        ax.text(1.02, y, _f("{row['score']:.2f} ({row['vs peers']:+.2f} vs peers)"), va="center", fontsize=8.5,
                transform=ax.get_yaxis_transform())
    ax.set_yticks(pos, [_(_DIM_LABEL.get(x, x)) for x in d.index])
    ax.set_xlim(0, 1)
    ax.set_xlabel(_("dimension score (TOPSIS closeness on its own indicators, 0-1)"))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False,
              handletextpad=0.3, columnspacing=1.0)


def _hex(rgba) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(round(255 * c)) for c in rgba[:3]))


@lru_cache(maxsize=1)
def _tiles() -> pd.DataFrame:
    from course.data import load

    return load("provinces").set_index("province_code")[["tile_row", "tile_col", "province_en"]].sort_index()


def tile_map_html(scores: pd.Series, rank: pd.Series, highlight: int | None = None, caption: str = "") -> str:
    """An 8 x 8 tile map in HTML: each province a square with its two-letter code and rank, coloured by rank.

    Drawn in HTML rather than matplotlib so that a redraw costs almost nothing. The colour follows the
    rank (cividis: rank 1 lightest, the last rank darkest), which spreads the colours evenly even when one
    province's score is far above the rest; the rank is printed in every tile, so the colour is never the
    only cue. The highlighted province has a thick black border. A province without a score is grey and
    says "n/a".
    """
    import matplotlib

    from course.plots import PROVINCE_ABBR, text_color_for

    cmap = matplotlib.colormaps["cividis"]
    tiles = _tiles()
    vals = scores.reindex(tiles.index).to_numpy(dtype=float)
    rk = rank.reindex(tiles.index)
    ranked = rk.to_numpy(dtype=float, na_value=np.nan)
    worst = np.nanmax(ranked) if not np.isnan(ranked).all() else 1.0
    colours = cmap(np.nan_to_num(1 - (ranked - 1) / max(worst - 1, 1)))
    cells = []
    for i, (code, row) in enumerate(tiles.iterrows()):
        name = html.escape(_province_name(str(row["province_en"])))
        if np.isnan(vals[i]):
            bg, fg, txt = "#F2F2F2", "#333333", _("n/a")
        else:
            bg = _hex(colours[i])
            fg = text_color_for(bg)
            txt = f"#{int(rk.iloc[i])}"
        border = "3px solid #000" if code == highlight else "1px solid #fff"
        cells.append(f"<div title='{name}: {txt}' style='grid-row:{int(row['tile_row']) + 1};"
                     f"grid-column:{int(row['tile_col']) + 1};background:{bg};color:{fg};border:{border};"
                     "font-size:11px;line-height:1.15;text-align:center;padding:2px 0;border-radius:2px'>"
                     f"<b>{PROVINCE_ABBR[code]}</b><br>{txt}</div>")
    return ("<figure class='course-tilemap' style='margin:4px 0'>"
            "<div role='img' aria-label='" + html.escape(caption, quote=True) + "' "
            "style='display:grid;grid-template-columns:repeat(8,44px);grid-auto-rows:34px;gap:2px'>"
            + "".join(cells) + "</div><figcaption style='font-size:12px;max-width:380px'>"
            + html.escape(caption) + "</figcaption></figure>")


def bands_html(result: IndexResult, highlight: int | None = None) -> str:
    """Every province's rank at the chosen weights and its Monte-Carlo band, as an HTML list.

    Each row: rank, province, score, and a strip over ranks 1-31 with the 90 % band (5th-95th
    percentile of the ranks over the draws) as a bar, the median as a white tick and the rank at the
    chosen weights as ◆. Rows are ordered by rank.
    """
    b = result.bands.join(pd.DataFrame({"name": result.names, "score": result.closeness}))
    b = b.sort_values(["rank", "name"], na_position="last")
    width = 186.0
    step = width / 31
    rows = []
    for code, r in b.iterrows():
        mine = code == highlight
        if pd.isna(r["score"]):
            rows.append(f"<tr><td>–</td><td style='padding:0 6px'>{html.escape(_province_name(str(r['name'])))}</td>"
                        f"<td>{html.escape(_('no score'))}</td><td></td><td></td></tr>")
            continue
        lo, hi, med, at = (float(r[c]) for c in ("low", "high", "median", "rank"))
        bar = (f"<div style='position:relative;width:{width:.0f}px;height:11px;background:#f3f3f3'>"
               f"<div style='position:absolute;left:{(lo - 1) * step:.1f}px;width:{max(hi - lo + 1, 1) * step:.1f}px;"
               f"height:11px;background:{'#0072B2' if mine else '#9ecae1'}'></div>"
               f"<div style='position:absolute;left:{(med - 0.5) * step - 1:.1f}px;width:2px;height:11px;"
               "background:#fff'></div>"
               f"<div style='position:absolute;left:{(at - 0.5) * step - 4:.1f}px;top:-3px;font-size:10px;"
               "line-height:1'>◆</div></div>")
        band = f"{int(lo)}" if lo == hi else f"{int(lo)}–{int(hi)}"
        rows.append(f"<tr style='font-weight:{'bold' if mine else 'normal'}'>"
                    f"<td style='text-align:right;padding:0 6px'>{int(at)}</td>"
                    f"<td style='padding:0 6px;white-space:nowrap'>{'▶ ' if mine else ''}{html.escape(_province_name(str(r['name'])))}</td>"
                    f"<td style='padding:0 6px'>{r['score']:.2f}</td><td style='padding:1px 4px'>{bar}</td>"
                    f"<td style='padding:0 6px'>{band}</td></tr>")
    spread = result.spread
    concentration = SPREADS[spread]
    what = (_("uniformly over all weight vectors") if concentration is None
            else _f("from a Dirichlet distribution around the chosen weights, concentration {concentration:g}"))
    caption = _f("All provinces by TOPSIS score (▶ = your province). Strip: ranks 1 (left) to 31 (right); bar = the "
                 "90 % band of ranks over {result.n_draws:,} weight draws ({what}, seed 0), white tick = median "
                 "rank, ◆ = rank at the chosen weights.")
    head = [html.escape(_(h)) for h in (N_("rank"), N_("province"), N_("score"), N_("rank band (1 → 31)"), N_("band"))]
    return ("<table class='course-rank-bands' style='border-collapse:collapse;font-size:12px;line-height:1.2;"
            "margin:4px 0 8px 0'>"
            f"<caption style='text-align:left;font-weight:bold;padding-bottom:4px;max-width:560px'>"
            f"{html.escape(caption)}</caption>"
            f"<tr><th>{head[0]}</th><th style='text-align:left'>{head[1]}</th><th>{head[2]}</th>"
            f"<th style='text-align:left'>{head[3]}</th><th>{head[4]}</th></tr>" + "".join(rows) + "</table>")


def evidence_html(v: View) -> str:
    """The chosen province's evidence card: peers, comparative advantages (LQs) and binding gaps."""
    p = v.profile
    esc = html.escape
    emp = p.employment_lq.head(3)
    va = p.value_added_lq.head(3)
    gaps = p.gaps(3)
    peers = _(", ").join(_province_name(x) for x in p.peers) if p.peers else _("none (alone in its group)")
    sep, end, unpublished = _("; "), _("."), _("not published")
    lqs_emp = sep.join(f"{esc(s)} {x:.2f}" for s, x in emp.items())
    lqs_va = sep.join(f"{esc(s)} {x:.2f}" for s, x in va.items())
    lqs_prod = sep.join(f"{esc(s)} {unpublished if pd.isna(x) else f'{x:.2f}'}" for s, x in p.product_lq.items())
    binding = []
    for k, r in gaps.iterrows():              # a loop, not a generator: _f reads the variables of this frame
        label, rank_31, degree = esc(_(k)), int(r["rank of 31"]), r["obstacle degree"]
        binding.append(_f("{label}: rank {rank_31} of 31, obstacle degree {degree:.0%}"))
    binding = sep.join(binding) or _("none: at or above its peers on every chosen indicator")
    items = [
        _f("<li><b>Peers</b> (its endowment group in lesson 22): {esc(peers)}{end}</li>"),
        _f("<li><b>Largest employment LQs</b> (2024, urban units): {lqs_emp}{end}</li>"),
        _f("<li><b>Largest value-added LQs</b> (2023, revised): {lqs_va}{end}</li>"),
        _f("<li><b>Product LQs</b> (output share / GRP share, December cumulative values): {lqs_prod}{end}</li>"),
        _f("<li><b>Binding gaps</b> (below the peers' median, largest obstacle degree first): {binding}{end}</li>"),
    ]
    shown = _province_name(p.name)
    notes = "".join(f"<li>{esc(n)}</li>" for n in p.notes + [n for n in v.result.notes if p.name in n or shown in n])
    return ("<div class='course-evidence' style='font-size:13px;max-width:640px'>"
            + _f("<b>Evidence for {esc(shown)}</b>") + "<ul style='margin:2px 0 6px 0'>" + "".join(items) + notes
            + "</ul></div>")


def alt_text(v: View) -> str:
    p = v.profile
    parts = []
    for d, r in p.dims.iterrows():            # a loop, not a generator: _f reads the variables of this frame
        dim = _dim(d)
        parts.append(_f("{dim} {r['score']:.2f} (peer median {r['peer median']:.2f}, 31-province median "
                        "{r['31-province median']:.2f})"))
    dims = _("; ").join(parts)
    name = _province_name(p.name)
    return _f("Horizontal bar chart of {name}'s score on each dimension from 0 to 1, with a diamond for its "
              "peer group's median and a vertical tick for the 31-province median: {dims}. {name} ranks "
              "{p.rank} of 31 with TOPSIS score {p.closeness:.2f}; under 90 % of reasonable weights its rank lies in "
              "{_band_text(p)}.")


def profile_html(v: View) -> str:
    """The chosen province's dimension scores as HTML bars, with its peers' and the 31 provinces' medians.

    The HTML twin of :func:`draw_profile` (which the lesson uses for its static figure): a redraw
    costs almost nothing, and every value is printed beside its bar.
    """
    p = v.profile
    esc = html.escape
    width = 240.0
    rows = []
    for dim, r in p.dims.iterrows():
        peer, med = float(r["peer median"]), float(r["31-province median"])
        bar = (f"<div style='position:relative;width:{width:.0f}px;height:14px;background:#f3f3f3'>"
               f"<div style='position:absolute;left:0;width:{width * float(r['score']):.1f}px;height:14px;"
               "background:#0072B2'></div>"
               f"<div style='position:absolute;left:{width * med - 1:.1f}px;top:-2px;width:3px;height:18px;"
               "background:#000'></div>"
               f"<div style='position:absolute;left:{width * peer - 6:.1f}px;top:-1px;font-size:13px;line-height:1;"
               "color:#E69F00;text-shadow:0 0 1px #000'>◆</div></div>")
        numbers = _f("{r['score']:.2f} (peers {peer:.2f}, all {med:.2f}; {r['vs peers']:+.2f} vs peers)")
        rows.append(f"<tr><td style='padding:1px 6px;white-space:nowrap'>{esc(_(_DIM_LABEL.get(dim, dim)))}</td>"
                    f"<td style='padding:1px 4px'>{bar}</td>"
                    f"<td style='padding:1px 6px;white-space:nowrap'>{numbers}</td></tr>")
    who = _("peer-group median") if p.peers else _("median of the other 30 provinces")
    name = _province_name(p.name)
    caption = _f("{title_text(v)}. Bar: {name}'s score on each dimension (TOPSIS closeness on the dimension's own "
                 "indicators, 0-1); orange ◆ = {who}; black tick = 31-province median.")
    return ("<table class='course-profile' style='border-collapse:collapse;font-size:12.5px;margin:4px 0 8px 0'>"
            f"<caption style='text-align:left;font-weight:bold;padding-bottom:4px;max-width:640px'>{esc(caption)}"
            "</caption>" + "".join(rows) + "</table>")


def render(v: View):
    """All HTML (a redraw is cheap): the province's dimension bars and evidence card, the tile map, the
    ranked list with Monte-Carlo rank bands."""
    r = v.result
    name = _province_name(v.profile.name)
    weighting, normalisation = _(_WEIGHTING_TEXT[r.weighting]), _(_NORMALISATION_TEXT[r.normalisation])
    caption = _f("Tile map: each province's rank by TOPSIS score, printed and shown by colour (lighter = better rank); "
                 "{name} outlined. {len(r.keys)} indicators, {weighting} weights, {normalisation} "
                 "normalisation.")
    return [profile_html(v), evidence_html(v),
            tile_map_html(r.closeness, r.rank, v.profile.code, caption), bands_html(r, v.profile.code)]


_WEIGHTING_TEXT = {"entropy": N_("entropy"), "equal": N_("equal"), "equal_dimensions": N_("equal dimensions")}
_NORMALISATION_TEXT = {"minmax": N_("minmax"), "rank": N_("rank")}

CAPTION = N_("Data years: R&D, patents, technology market, high-tech manufacturing and digital finance 2023; internet and "
           "higher education 2019 (the tables end there); energy 2020 (the only year); jobs 2024 (the only year). "
           "Sources: NBS and MOST (CSYST, R&D bulletins), NBS National Data, NBS/NDRC/NEA, Institute of Digital "
           "Finance, Peking University.")


def explorer(province: int = 610000, indicators=DEFAULT_INDICATORS, result: IndexResult | None = None):
    """The lesson's widget: indicators, dimension frame, weighting, normalisation, Monte-Carlo spread, province.

    ``result`` (optional): an :class:`IndexResult` already built for the default year with
    :data:`N_DRAWS` draws, reused for its setting instead of being computed again.
    """
    import ipywidgets as w

    from course.widgets import Explorer

    if result is not None and result.year == DEFAULT_YEAR and result.n_draws == N_DRAWS:
        _RESULTS[(tuple(result.keys), result.frame, result.weighting, result.normalisation, result.spread)] = result

    names = _names()
    style = {"description_width": "150px"}
    controls = {
        "indicators": w.SelectMultiple(options=[(f"{_(i.label)} ({_dim(i.element)}, {i.direction})", i.key)
                                                for i in CATALOGUE.values()],
                                       value=tuple(indicators), rows=8, description=_("Indicators"),
                                       style=style, layout=w.Layout(width="640px")),
        "frame": w.Dropdown(options=[(_("three elements (workers / means / objects)"), "elements"),
                                     (_("five themes (innovation ... talent)"), "themes")],
                            value="elements", description=_("Dimensions"), style=style, layout=w.Layout(width="520px")),
        "weighting": w.Dropdown(options=[(_("entropy weights"), "entropy"), (_("equal per indicator"), "equal"),
                                         (_("equal per dimension"), "equal_dimensions")],
                                value="entropy", description=_("Weights"), style=style, layout=w.Layout(width="420px")),
        "normalisation": w.Dropdown(options=[(_("min-max (distance)"), "minmax"), (_("rank (order only)"), "rank")],
                                    value="minmax", description=_("Normalisation"), style=style,
                                    layout=w.Layout(width="420px")),
        "spread": w.Dropdown(options=[(_("tight (concentration 200)"), "tight"),
                                      (_("moderate (concentration 50)"), "moderate"),
                                      (_("any weights (uniform)"), "any")],
                             value="moderate", description=_("Reasonable weights"), style=style,
                             layout=w.Layout(width="420px")),
        "province": w.Dropdown(options=[(_province_name(str(n)), int(c)) for c, n in names.sort_values().items()],
                               value=int(province), description=_("Your province"), style=style,
                               layout=w.Layout(width="420px")),
    }
    return Explorer(controls, explore, render, alt=alt_text, caption=_(CAPTION),
                    title=_("Build your NQPF index: choose indicators, weights and normalisation"))
