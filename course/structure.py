"""Industrial structure: sector shares, upgrading indices, high-tech weight and specialization.

The measures of lesson 14 (paper section 二(四), id N4, "support for a modern industrial system").
Every function here is a pure function of DataFrames shaped like the course tables
``province_value_added``, ``province_hightech``, ``province_gdp``, ``province_employment_by_sector_2024``
and ``rd_by_industry_2022``; the lesson shows the same steps in visible pandas code and uses these
functions for the interactive profile and for the tests.

Three rules the functions enforce:

* **One GDP vintage per calculation.** NBS revised provincial accounts after the Fifth National
  Economic Census. The course keeps both vintages (``pre_5th_census_revision`` 2013-2019 and
  ``post_5th_census_revision`` 2019-2024); every function takes a ``vintage`` and never mixes them.
  2019 is in both, which shows the size of the revision for the same year.
* **"National" means the 31-province sum.** The NBS exports have no national row, and NBS national
  and regional accounts do not add up exactly; the sum is labelled :data:`NATIONAL_LABEL`.
* **Degenerate settings raise** :class:`course.widgets.EdgeCase` with a short explanation for the
  student (a year a vintage does not cover, a sector that is blank in that vintage).

Formulas (METHODS.md, N4)
-------------------------
* shares :math:`s_i = VA_i / \\sum_j VA_j` for the primary (i=1), secondary (2) and tertiary (3) industry;
* structure "advancement" (产业结构高级化) :math:`VA_3 / VA_2`;
* structure level coefficient (产业结构层次系数) :math:`\\sum_{i=1}^{3} i\\,s_i`, between 1 and 3;
* location quotient (区位熵) :math:`LQ_{rj} = (e_{rj}/e_r) / (E_j/E)` via
  :func:`course.measures.location_quotient`.

Examples
--------
>>> import pandas as pd
>>> tiny = pd.DataFrame({"primary": [0.0], "secondary": [0.0], "tertiary": [5.0]})
>>> float(upgrading_indices(tiny)["level"].iloc[0])   # an all-tertiary economy
3.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .data import NATIONAL_CODE
from .i18n import N_, _, _f, province

__all__ = [
    "PRE",
    "POST",
    "VINTAGES",
    "VINTAGE_LABELS",
    "NATIONAL_LABEL",
    "THREE_SECTORS",
    "NINE_SECTORS",
    "EMPLOYMENT_SECTORS",
    "vintage_years",
    "sector_shares",
    "national_sum",
    "upgrading_indices",
    "hightech_ratio",
    "employment_matrix",
    "location_quotients",
    "research_intensity",
    "output_location_quotients",
    "Profile",
    "province_profile",
    "profile_title",
    "profile_note",
    "profile_view",
    "profile_figure",
    "profile_alt",
    "profile_explorer",
]

PRE = "pre_5th_census_revision"
POST = "post_5th_census_revision"
VINTAGES = (PRE, POST)
VINTAGE_LABELS = {
    PRE: N_("pre-revision (as published before the 5th economic census)"),
    POST: N_("revised (after the 5th economic census)"),
}
NATIONAL_LABEL = N_("31-province sum")

# label -> column of province_value_added
THREE_SECTORS = {
    N_("Primary"): "va_primary_100m_yuan",
    N_("Secondary"): "va_secondary_100m_yuan",
    N_("Tertiary"): "va_tertiary_100m_yuan",
}
NINE_SECTORS = {
    N_("Agriculture"): "va_agri_forestry_animal_fishery_100m_yuan",
    N_("Industry"): "va_industry_100m_yuan",
    N_("Construction"): "va_construction_100m_yuan",
    N_("Wholesale & retail"): "va_wholesale_retail_100m_yuan",
    N_("Transport & post"): "va_transport_storage_post_100m_yuan",
    N_("Hotels & catering"): "va_accommodation_catering_100m_yuan",
    N_("Finance"): "va_finance_100m_yuan",
    N_("Real estate"): "va_real_estate_100m_yuan",
    N_("Other services"): "va_other_services_100m_yuan",
}
# GB/T 4754-2017 section -> short English label for charts
EMPLOYMENT_SECTORS = {
    "A": N_("Agriculture"),
    "B": N_("Mining"),
    "C": N_("Manufacturing"),
    "D": N_("Utilities"),
    "E": N_("Construction"),
    "F": N_("Wholesale & retail"),
    "G": N_("Transport & post"),
    "H": N_("Hotels & catering"),
    "I": N_("ICT & software"),
    "J": N_("Finance"),
    "K": N_("Real estate"),
    "L": N_("Business services"),
    "M": N_("Research & tech services"),
    "N": N_("Water & environment"),
    "O": N_("Resident services"),
    "P": N_("Education"),
    "Q": N_("Health & social work"),
    "R": N_("Culture & sport"),
    "S": N_("Public administration"),
}
_DETAIL = {"three": THREE_SECTORS, "nine": NINE_SECTORS}


def _edge(message: str) -> Exception:
    """An EdgeCase (imported lazily so that this module needs only pandas/numpy to import)."""
    from course.edgecase import EdgeCase

    return EdgeCase(message)


def _check_vintage(vintage: str) -> None:
    if vintage not in VINTAGES:
        raise ValueError(f"unknown vintage {vintage!r}; use {PRE!r} or {POST!r}")


def _span(years) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return "no years"
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def vintage_years(va: pd.DataFrame, vintage: str) -> list[int]:
    """The years that the table ``va`` holds for ``vintage`` (sorted)."""
    _check_vintage(vintage)
    return sorted(int(y) for y in va.loc[va["vintage"] == vintage, "year"].unique())


def _vintage_rows(va: pd.DataFrame, vintage: str, year: int | None) -> pd.DataFrame:
    """Rows of one vintage (and one year); EdgeCase if the vintage does not cover the year."""
    _check_vintage(vintage)
    rows = va[va["vintage"] == vintage]
    if year is None:
        return rows
    year = int(year)
    picked = rows[rows["year"] == year]
    if picked.empty:
        other = POST if vintage == PRE else PRE
        has_other = ((va["vintage"] == other) & (va["year"] == year)).any()
        tip = (
            " " + _f("Switch to the {VINTAGE_LABELS[other].split(' (')[0]} vintage, which has {year}.")
            if has_other
            else " " + _f("No vintage in the course data has {year}.")
        )
        raise _edge(_f(
            "The {VINTAGE_LABELS[vintage].split(' (')[0]} vintage covers {_span(rows['year'].unique())}, "
            "not {year}.{tip}"
        ))
    return picked


def _sector_columns(va_rows: pd.DataFrame, vintage: str, detail: str) -> dict[str, str]:
    if detail not in _DETAIL:
        raise ValueError(f"unknown detail {detail!r}; use 'three' or 'nine'")
    sectors = _DETAIL[detail]
    blank = [label for label, col in sectors.items() if va_rows[col].isna().all()]
    if blank:
        raise _edge(_f(
            "{', '.join(blank)} value added is blank for {_span(va_rows['year'].unique())} in the "
            "{VINTAGE_LABELS[vintage].split(' (')[0]} vintage (the source export was not available), "
            "so the nine-sector split cannot add up there. Use three sectors, or the revised vintage."
        ))
    partly = [label for label, col in sectors.items() if va_rows[col].isna().any()]
    if partly:
        raise _edge(_f("{', '.join(partly)} value added is missing for some provinces in this selection."))
    return sectors


def sector_shares(va: pd.DataFrame, vintage: str, year: int | None = None, detail: str = "three") -> pd.DataFrame:
    """Sector shares of value added by province (and year), within one vintage.

    Parameters
    ----------
    va : DataFrame
        Shaped like ``course.load("province_value_added")``.
    vintage : str
        :data:`PRE` or :data:`POST`; the other vintage's rows are ignored.
    year : int, optional
        One year; all years of the vintage if omitted.
    detail : {"three", "nine"}
        Three industries (:data:`THREE_SECTORS`) or nine sectors (:data:`NINE_SECTORS`).

    Returns
    -------
    DataFrame
        Columns ``province_code``, ``province_en``, ``nbs_region_en``, ``year`` and one column per
        sector label with its share (0-1). The denominator is the sum of the sectors, which equals
        GRP within the rounding of the source (±0.1 yi yuan), so each row sums to exactly 1.

    Raises
    ------
    EdgeCase
        If the vintage does not cover ``year``, or a sector is blank (transport value added in the
        pre-revision vintage).
    """
    rows = _vintage_rows(va, vintage, year)
    sectors = _sector_columns(rows, vintage, detail)
    values = rows[list(sectors.values())].to_numpy(dtype=float)
    total = values.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total > 0, values / total, np.nan)
    out = rows[["province_code", "province_en", "nbs_region_en", "year"]].reset_index(drop=True)
    out = pd.concat([out, pd.DataFrame(shares, columns=list(sectors))], axis=1)
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def national_sum(va: pd.DataFrame, vintage: str, detail: str = "three") -> pd.DataFrame:
    """The 31-province sum of value added by year, within one vintage.

    The NBS provincial exports have no national row, so "national" here is the sum of the provinces
    in ``va`` (labelled :data:`NATIONAL_LABEL`; it is not the NBS national GDP, which is compiled
    separately). Returns one row per year with ``gdp_100m_yuan``, the sector columns (value added in
    100 million yuan, named by sector label) and ``n_provinces`` (how many provinces were summed).
    """
    rows = _vintage_rows(va, vintage, None)
    sectors = _sector_columns(rows, vintage, detail)
    grouped = rows.groupby("year")
    out = grouped[["gdp_100m_yuan", *sectors.values()]].sum(min_count=1)
    out = out.rename(columns={col: label for label, col in sectors.items()})
    out["n_provinces"] = grouped["province_code"].nunique()
    out.insert(0, "area", NATIONAL_LABEL)
    return out.reset_index()


def upgrading_indices(frame: pd.DataFrame) -> pd.DataFrame:
    """Structure "advancement" VA3/VA2 and the level coefficient 1*s1 + 2*s2 + 3*s3.

    Parameters
    ----------
    frame : DataFrame
        Columns ``Primary``, ``Secondary`` and ``Tertiary`` (value added or shares: both indices
        are scale-free), e.g. the output of :func:`sector_shares` or :func:`national_sum`.
        Lower-case column names are accepted too.

    Returns
    -------
    DataFrame
        ``frame`` with two more columns: ``advancement`` (tertiary / secondary; ``inf`` if the
        secondary industry is zero) and ``level`` (between 1, all primary, and 3, all tertiary).
    """
    cols = {}
    for label in THREE_SECTORS:
        if label in frame.columns:
            cols[label] = label
        elif label.lower() in frame.columns:
            cols[label] = label.lower()
        else:
            raise ValueError(f"upgrading_indices needs a column {label!r} (primary, secondary, tertiary)")
    v = frame[[cols["Primary"], cols["Secondary"], cols["Tertiary"]]].to_numpy(dtype=float)
    total = v.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = v / total[:, None]
        advancement = v[:, 2] / v[:, 1]
    out = frame.copy()
    out["advancement"] = advancement
    out["level"] = shares @ np.array([1.0, 2.0, 3.0])
    return out


def hightech_ratio(hightech: pd.DataFrame, gdp: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """High-tech manufacturing revenue relative to GRP, by province and year.

    GRP is the **pre-revision** vintage of ``gdp`` for the same year: the GDP series the science-and-
    technology yearbooks (which publish the high-tech table) use for their R&D intensities. Revenue is gross output (sales),
    not value added: the ratio can exceed the sector's true share of GDP and is **not a share**.

    Returns
    -------
    DataFrame
        Columns ``province_code``, ``province_en``, ``nbs_region_en``, ``year``,
        ``hightech_enterprises_n``, ``hightech_revenue_100m_yuan``, ``hightech_profit_100m_yuan``,
        ``gdp_100m_yuan`` and ``revenue_to_gdp``. The national row (code 100000) is dropped.

    Raises
    ------
    EdgeCase
        If ``year`` is given and the high-tech table does not cover it.
    """
    ht = hightech[hightech["province_code"] != NATIONAL_CODE]
    if year is not None:
        year = int(year)
        if not (ht["year"] == year).any():
            raise _edge(_f(
                "High-tech manufacturing by province is in the course data for "
                "{_span(ht['year'].unique())} only, not {year}."
            ))
        ht = ht[ht["year"] == year]
    pre = gdp.loc[gdp["vintage"] == PRE, ["province_code", "year", "gdp_100m_yuan"]]
    keep = [
        "province_code", "province_en", "nbs_region_en", "year", "hightech_enterprises_n",
        "hightech_revenue_100m_yuan", "hightech_profit_100m_yuan",
    ]
    out = ht[keep].merge(pre, on=["province_code", "year"], how="left", validate="one_to_one")
    out["revenue_to_gdp"] = out["hightech_revenue_100m_yuan"] / out["gdp_100m_yuan"]
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def employment_matrix(emp: pd.DataFrame) -> pd.DataFrame:
    """Province x sector matrix of urban-unit employment (10,000 persons), sections A-S.

    The ``TOTAL`` rows are left out; rows are ``province_code``, columns the GB/T 4754 section codes.
    """
    body = emp[emp["sector_code_gbt4754"] != "TOTAL"]
    matrix = body.pivot(index="province_code", columns="sector_code_gbt4754", values="employment_10k")
    matrix.columns.name = None
    return matrix[sorted(matrix.columns)]


def location_quotients(emp: pd.DataFrame) -> pd.DataFrame:
    """Location quotients of urban-unit employment: rows provinces, columns sections A-S.

    ``LQ = (e_rj / e_r) / (E_j / E)`` with totals taken over the provinces and sectors in ``emp``
    (so the reference is the 31-province sum), computed by
    :func:`course.measures.location_quotient`. An LQ above 1 means the sector's share of the
    province's employment is larger than its share in the country.
    """
    from course.measures import location_quotient

    matrix = employment_matrix(emp)
    lq = location_quotient(matrix)
    return pd.DataFrame(lq, index=matrix.index, columns=matrix.columns)


def research_intensity(rd: pd.DataFrame, level: str = "division") -> pd.DataFrame:
    """Industries ranked by R&D intensity (R&D expenditure / revenue, %), with the all-industry mark.

    Returns the rows of ``rd`` at ``level`` ("division" or "section") sorted from the most to the
    least research-intensive, with ``relative_to_total`` (intensity / the total's intensity) and
    ``above_total`` (True where it exceeds the all-industry intensity) and ``rd_share`` (share of
    the total's R&D expenditure).
    """
    total = rd[rd["level"] == "total"]
    if len(total) != 1:
        raise ValueError("rd_by_industry needs exactly one row with level == 'total'")
    mark = float(total["rd_intensity_pct_of_revenue"].iloc[0])
    spend = float(total["rd_expenditure_100m_yuan"].iloc[0])
    rows = rd[rd["level"] == level].copy()
    if rows.empty:
        raise ValueError(f"no rows with level == {level!r}")
    rows["relative_to_total"] = rows["rd_intensity_pct_of_revenue"] / mark
    rows["above_total"] = rows["rd_intensity_pct_of_revenue"] > mark
    rows["rd_share"] = rows["rd_expenditure_100m_yuan"] / spend
    return rows.sort_values("rd_intensity_pct_of_revenue", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# A province's profile against the country (the lesson's widget computes this)
# --------------------------------------------------------------------------------------------------


@dataclass
class Profile:
    """What :func:`province_profile` returns.

    Attributes
    ----------
    code, name, year, vintage, detail
        The settings.
    shares : DataFrame
        Index: sector labels; columns ``province`` and ``national`` (the 31-province sum), shares 0-1.
    indices : DataFrame
        Index ``province`` / ``national``; columns ``advancement`` and ``level``.
    top_lq : DataFrame
        The province's ``top`` sectors by 2024 employment location quotient: columns ``code``,
        ``sector``, ``lq``.
    hightech : dict or None
        ``ratio`` (revenue / pre-revision GRP), ``median`` (of the 31 provinces), ``rank`` (1 =
        highest) and ``n`` for ``year``; None when the high-tech table does not cover the year.
    notes : list of str
        What the reader should know about this selection (coverage, caveats).
    """

    code: int
    name: str
    year: int
    vintage: str
    detail: str
    shares: pd.DataFrame
    indices: pd.DataFrame
    top_lq: pd.DataFrame
    hightech: dict | None
    notes: list[str] = field(default_factory=list)


def province_profile(
    code: int,
    year: int,
    vintage: str,
    *,
    va: pd.DataFrame,
    lq: pd.DataFrame,
    hightech: pd.DataFrame,
    detail: str = "three",
    top: int = 5,
) -> Profile:
    """Set one province's industrial structure against the 31-province sum.

    Parameters
    ----------
    code : int
        Province code (110000 ... 650000).
    year, vintage : int, str
        The year and GDP vintage for the value-added shares (see :func:`sector_shares`).
    va : DataFrame
        ``course.load("province_value_added")``.
    lq : DataFrame
        :func:`location_quotients` of the 2024 employment table (rows province codes).
    hightech : DataFrame
        :func:`hightech_ratio` for all years (rows province-years with ``revenue_to_gdp``).
    detail : {"three", "nine"}
        Three industries or nine sectors in the share comparison (the indices always use three).
    top : int
        How many location quotients to keep (at least 1; all sectors if larger than their number).

    Raises
    ------
    EdgeCase
        For a year the vintage does not cover, or nine sectors in the pre-revision vintage.
    ValueError
        For an unknown province code or a bad ``top``.
    """
    code = int(code)
    provincial = va[va["province_code"] != NATIONAL_CODE]
    if code not in set(provincial["province_code"]):
        raise ValueError(f"unknown province code {code}; use one of the 31 codes 110000 ... 650000")
    if int(top) < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    year = int(year)

    rows = _vintage_rows(provincial, vintage, year)          # EdgeCase: year not in this vintage
    sectors = _sector_columns(rows, vintage, detail)         # EdgeCase: a blank sector
    labels = list(sectors)
    values = rows[list(sectors.values())].to_numpy(dtype=float)
    found = np.flatnonzero(rows["province_code"].to_numpy() == code)
    if found.size == 0:
        name = provincial.loc[provincial["province_code"] == code, "province_en"].iloc[0]
        raise _edge(_f("{name} has no value-added row for {year} in this vintage."))
    mine = found[0]
    name = str(rows["province_en"].iloc[mine])
    table = pd.DataFrame(
        {"province": values[mine] / values[mine].sum(), "national": values.sum(axis=0) / values.sum()},
        index=labels,
    )
    three = rows[list(THREE_SECTORS.values())].to_numpy(dtype=float)
    both = pd.DataFrame([three[mine], three.sum(axis=0)], columns=list(THREE_SECTORS))
    indices = upgrading_indices(both)[["advancement", "level"]]
    indices.index = pd.Index(["province", "national"])

    if code not in lq.index:
        raise ValueError(f"province {code} is not in the location-quotient table")
    row = lq.loc[code].sort_values(ascending=False, kind="stable").head(int(top))
    top_lq = pd.DataFrame(
        {"code": row.index, "sector": [EMPLOYMENT_SECTORS.get(c, c) for c in row.index], "lq": row.to_numpy()}
    )

    notes = [
        _f("Sector shares: {VINTAGE_LABELS[vintage]} NBS value added, {year}; national = {NATIONAL_LABEL}."),
        _("Location quotients: 2024 employment in urban non-private units (excludes private firms and "
          "the self-employed), whatever year is chosen."),
    ]
    ht_year = hightech[hightech["year"] == year]
    if ht_year.empty:
        info = None
        notes.append(_f(
            "High-tech manufacturing: no data for {year} (the table covers "
            "{_span(hightech['year'].unique())})."
        ))
    else:
        ratios = ht_year.set_index("province_code")["revenue_to_gdp"]
        value = float(ratios.loc[code])
        info = {
            "ratio": value,
            "median": float(ratios.median()),
            "rank": int((ratios > value).sum()) + 1,
            "n": int(ratios.notna().sum()),
        }
        notes.append(_f(
            "High-tech manufacturing: revenue (gross output, not value added) / pre-revision GRP, "
            "{year}; a ratio, not a share of GDP."
        ))
    return Profile(code, name, year, vintage, detail, table, indices, top_lq, info, notes)


# --------------------------------------------------------------------------------------------------
# Widget shell (imports matplotlib / ipywidgets only when called)
# --------------------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def profile_title(p: Profile) -> str:
    """A one-line finding: the sector most over-weighted against the country, and the top LQ."""
    s = p.shares
    gap = s["province"] - s["national"]
    big = gap.idxmax()
    first = p.top_lq.iloc[0]
    return _f(
        "{p.name}, {p.year}: {big} {_pct(s.loc[big, 'province'])} of value added vs "
        "{_pct(s.loc[big, 'national'])} for the {NATIONAL_LABEL}; its jobs are most concentrated in "
        "{first['sector']} (LQ {first['lq']:.2f}, 2024)"
    )


def profile_alt(p: Profile) -> str:
    """Alt text for :func:`profile_figure`."""
    parts = _(", ").join(
        _f("{label} {_pct(r['province'])} (31-province sum {_pct(r['national'])})") for label, r in p.shares.iterrows()
    )
    lqs = _(", ").join(_f("{r.sector} {r.lq:.2f}") for r in p.top_lq.itertuples())
    return _f(
        "Two bar charts for {p.name}, {p.year} ({p.vintage.replace('_', ' ')}). Left: shares of value added, "
        "province (filled bars) against the 31-province sum (hollow bars): {parts}. Right: the province's top "
        "location quotients in 2024 urban-unit employment, with a dashed line at 1: {lqs}."
    )


def profile_note(p: Profile) -> str:
    """The lines under the figure (plain text): upgrading indices and the high-tech ratio."""
    i = p.indices
    idx = _f("Advancement VA3/VA2: {i.loc['province', 'advancement']:.2f} ({NATIONAL_LABEL} "
             "{i.loc['national', 'advancement']:.2f}); level coefficient: {i.loc['province', 'level']:.2f} "
             "({i.loc['national', 'level']:.2f}).")
    if p.hightech:
        ht = _f("High-tech manufacturing revenue / GRP, {p.year}: {_pct(p.hightech['ratio'])}, rank "
                "{p.hightech['rank']} of {p.hightech['n']} (median province {_pct(p.hightech['median'])}); "
                "revenue is gross output, so this is a ratio, not a share of GDP.")
    else:
        ht = p.notes[-1]  # the high-tech note, always the last: "... no data for <year> (covers ...)"
    return f"{idx} {ht}"


def profile_view(p: Profile) -> list:
    """What the widget shows: the finding as a heading, the figure, the indices and high-tech line."""
    import html

    return [
        f"<p style='font-weight:bold;font-size:15px;margin:4px 0'>{html.escape(profile_title(p))}</p>",
        profile_figure(p),
        f"<p style='font-size:13px;margin:2px 0'>{html.escape(profile_note(p))}</p>",
    ]


def profile_figure(p: Profile):
    """Two bar panels: sector shares vs the 31-province sum, and the top location quotients.

    Drawn straight onto the figure (rectangles and text in figure coordinates, no Axes): the axes
    machinery (ticks, title layout) was most of the cost of a redraw, and these panels need no
    axis because every bar carries its value. The national bars are hollow, so the two series
    differ by fill as well as colour. The finding (:func:`profile_title`) and the indices and
    high-tech line (:func:`profile_note`) are set around the figure as HTML by :func:`profile_view`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    from course.plots import COLORS

    n, m = len(p.shares), len(p.top_lq)
    rows = max(n, m)
    width, row_h, top_in, bottom_in = 9.2, 0.34, 0.55, 0.12
    height = top_in + rows * row_h + bottom_in
    fig = plt.figure(figsize=(width, height), dpi=80, facecolor="white")
    tf = fig.transFigure

    def y_of(i, rows_used):  # centre of row i (0 = top), in figure fraction
        block = rows * row_h / rows_used
        return 1 - (top_in + (i + 0.5) * block) / height, block / height

    def bar(x0, y, w, h, **kw):
        fig.add_artist(Rectangle((x0, y - h / 2), w, h, transform=tf, **kw))

    # left panel: shares (%), province filled, 31-province sum hollow
    x0, span = 0.15, 0.33
    prov = 100 * p.shares["province"].to_numpy(dtype=float)
    nat = 100 * p.shares["national"].to_numpy(dtype=float)
    scale = span / (1.12 * float(max(prov.max(), nat.max())))
    for i, (name, a, b) in enumerate(zip(p.shares.index, prov, nat)):
        y, block = y_of(i, n)
        h = min(block * 0.38, 0.16 / height)
        fig.text(x0 - 0.006, y, _(name), ha="right", va="center", fontsize=8.5)
        bar(x0, y + h / 2, a * scale, h, facecolor=COLORS[0], edgecolor=COLORS[0])
        bar(x0, y - h / 2, b * scale, h * 0.9, facecolor="white", edgecolor=COLORS[1], linewidth=1.4)
        fig.text(x0 + a * scale + 0.004, y + h / 2, f"{a:.1f}", va="center", fontsize=7.5)
        fig.text(x0 + b * scale + 0.004, y - h / 2, f"{b:.1f}", va="center", fontsize=7.5, color="#444444")
    fig.add_artist(Line2D([x0, x0], [y_of(n - 1, n)[0] - y_of(n - 1, n)[1] / 2, 1 - top_in / height],
                          transform=tf, color="#777777", linewidth=0.8))
    fig.suptitle(_f("Share of value added (%), {p.year}\nfilled: {p.name}; hollow: {NATIONAL_LABEL}"),
                 x=x0, y=1 - 0.05 / height, ha="left", va="top", fontsize=9, fontweight="normal")

    # right panel: top location quotients, dashed line at 1
    x1, span1 = 0.68, 0.26
    lqs = p.top_lq["lq"].to_numpy(dtype=float)
    right = max(1.2, float(lqs.max()) * 1.18)
    scale1 = span1 / right
    for i, (name, v) in enumerate(zip(p.top_lq["sector"], lqs)):
        y = y_of(i, rows)[0]  # one row height each, from the top
        h = min(0.6 * row_h, 0.2) / height
        fig.text(x1 - 0.006, y, _(name), ha="right", va="center", fontsize=8.5)
        bar(x1, y, v * scale1, h, facecolor=COLORS[2], edgecolor=COLORS[2])
        fig.text(x1 + v * scale1 + 0.004, y, f"{v:.2f}", va="center", fontsize=7.5)
    y_last, block = y_of(m - 1, rows)
    fig.add_artist(Line2D([x1 + scale1, x1 + scale1], [y_last - block / 2, 1 - (top_in - 0.05) / height],
                          transform=tf, color="black", linestyle="--", linewidth=1))
    fig.text(x1 + scale1 + 0.004, 1 - (top_in - 0.02) / height, _("1 = national mix"), fontsize=7.5, va="bottom")
    fig.text(x1, 1 - 0.05 / height, _("Top location quotients\n2024 urban-unit jobs"), ha="left", va="top", fontsize=9)
    return fig


def profile_explorer(va: pd.DataFrame, lq: pd.DataFrame, hightech: pd.DataFrame, *, code: int = 140000,
                     year: int = 2019, vintage: str = POST, detail: str = "three"):
    """The lesson's widget: province, vintage, year and detail controls over :func:`province_profile`."""
    import ipywidgets as w

    from course.widgets import Explorer

    names = (
        va[va["province_code"] != NATIONAL_CODE][["province_code", "province_en"]]
        .drop_duplicates()
        .sort_values("province_en")
    )
    years = sorted(int(y) for y in va["year"].unique())
    controls = {
        "code": w.Dropdown(options=[(province(n), c) for n, c in zip(names["province_en"], names["province_code"].astype(int))],
                           value=int(code), description=_("Province")),
        "vintage": w.Dropdown(options=[(_("revised (2019-2024)"), POST), (_("pre-revision (2013-2019)"), PRE)],
                              value=vintage, description=_("Vintage")),
        "year": w.IntSlider(value=int(year), min=years[0], max=years[-1], description=_("Year"),
                            continuous_update=False),
        "detail": w.ToggleButtons(options=[(_("3 industries"), "three"), (_("9 sectors"), "nine")],
                                  value=detail, description=_("Detail")),
    }

    def compute(code, vintage, year, detail):
        return province_profile(code, year, vintage, va=va, lq=lq, hightech=hightech, detail=detail)

    return Explorer(
        controls, compute, profile_view, alt=profile_alt,
        title=_("A province's industrial profile against the 31-province sum"),
        caption=_("Sources: NBS value added by sector (two vintages); NBS urban-unit employment by "
                  "sector, 2024; China Statistical Yearbook on Science and Technology, table 5-2."),
    )


# --------------------------------------------------------------------------- products (lesson 22, S2.3)
def output_location_quotients(output: pd.DataFrame, gdp: pd.DataFrame, column: str,
                              vintage: str = PRE) -> pd.DataFrame:
    """Location quotient of one industrial product, by province and year (lesson 22, paper S2.3).

    :math:`LQ_{rt} = \\dfrac{q_{rt}/\\sum_{s\\in R_t} q_{st}}{GRP_{rt}/\\sum_{s\\in R_t} GRP_{st}}`: the
    province's share of the product's output over its share of GRP, both taken over :math:`R_t`,
    the provinces with a published output value in year :math:`t`. Above 1: the province makes
    more of the product than its economic size alone would suggest.

    Parameters
    ----------
    output : DataFrame
        A product table (``province_output_steel_cement`` or ``province_output_ics_phones``):
        ``province_code``, ``year`` and the value ``column``. A blank value means "not published"
        (not "none produced"): the province gets no quotient and is left out of both sums.
    gdp : DataFrame
        ``province_gdp``; one ``vintage`` is used (pre-revision by default, which reaches back
        to 2004).
    column : str
        The output column, e.g. ``"crude_steel_10k_tonnes"``.

    Returns
    -------
    DataFrame
        One row per province-year with a published value: ``province_code, year, output,
        share_of_output, share_of_grp, lq, reporting`` (``reporting`` = provinces in :math:`R_t`).

    Examples
    --------
    Two provinces of equal GRP, one making three quarters of the product:

    >>> out = pd.DataFrame({"province_code": [1, 2], "year": 2020, "x": [3.0, 1.0]})
    >>> g = pd.DataFrame({"province_code": [1, 2], "year": 2020, "vintage": PRE, "gdp_100m_yuan": [5.0, 5.0]})
    >>> output_location_quotients(out, g, "x")["lq"].tolist()
    [1.5, 0.5]
    """
    _check_vintage(vintage)
    if column not in output.columns:
        raise ValueError(f"output_location_quotients: no column {column!r} in the output table")
    q = output.loc[output[column].notna(), ["province_code", "year", column]].rename(columns={column: "output"})
    g = gdp.loc[gdp["vintage"] == vintage, ["province_code", "year", "gdp_100m_yuan"]]
    m = q.merge(g, on=["province_code", "year"], how="inner", validate="one_to_one")
    if m.empty:
        raise _edge(f"No year has both {column} and {VINTAGE_LABELS[vintage]} GRP.")
    by_year = m.groupby("year")
    m["share_of_output"] = m["output"] / by_year["output"].transform("sum")
    m["share_of_grp"] = m["gdp_100m_yuan"] / by_year["gdp_100m_yuan"].transform("sum")
    m["lq"] = m["share_of_output"] / m["share_of_grp"]
    m["reporting"] = by_year["province_code"].transform("size")
    return m.drop(columns="gdp_100m_yuan").sort_values(["year", "province_code"]).reset_index(drop=True)
