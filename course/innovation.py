"""Science and technology resources by province: inputs, outputs and concentration (paper F1).

Section 四(一) of Zhang & Ma (2024) (course id **F1**) asks regions to pool their science and
technology resources (整合科技创新资源), to put more into basic research for core technologies
(F1.1), to turn research into products (F1.2) and to make enterprises the main innovators, with
regional linkage (F1.3). This module builds the provincial cross-section that lesson 31 measures,
the concentration measures, and the scatter Explorer. It has three layers:

* **data** -- :func:`indicator_table` builds one row per province with every indicator of
  :data:`INDICATORS` from the course tables (2023);
* **measures** -- :func:`concentration` (top-5 share, Gini and Theil T against population) and
  :func:`fit_line` (least-squares line with R²);
* **widget** -- :func:`scatter` is the pure function behind the lesson's Explorer (any indicator
  against any other, coloured and shaped by region, the student's province highlighted),
  :func:`render` draws it and :func:`build_explorer` wires the controls.

Definitions (province :math:`i`, year 2023; amounts in current prices)
-----------------------------------------------------------------------
* R&D intensity :math:`= R_i / Y_i \\times 100`, **restated** series (CSYST 2024 table 1-8, on the
  pre-revision GRP); for 2023 it equals the first-published bulletin figure in every province.
* Activity shares: basic research / intramural R&D, and likewise applied research and experimental
  development (CSYST 2024 table 1-7). They add up to 100 % up to rounding in the yearbook.
* Funding shares: government, enterprise or foreign **funds** / intramural R&D (table 1-14). They
  say who *paid for* the R&D performed in the province, not who *performed* it: a company's grant
  to a university is enterprise money spent by a university.
* Researchers per 10,000 residents: researchers (full-time equivalent, person-years) / year-end
  resident population in 10,000 persons.
* Invention patents granted per 100 million yuan of R&D: :math:`P_i / R_i` with :math:`R_i` in 亿元;
  per 1,000 researchers: :math:`1000\\,P_i / \\text{researchers}_i`. Patents granted in a year
  come from applications filed years earlier, so these are rough output-input ratios, not a
  productivity estimate.
* Technology-market turnover / R&D: the value of technology contracts whose **seller** is in the
  province, divided by the province's R&D spending (both 亿元). A ratio, not a share: contract
  value can exceed R&D spending.

Examples
--------
>>> fit = fit_line([0, 1, 2, 3], [1, 3, 5, 7])    # exactly y = 1 + 2x
>>> round(fit.slope, 12), round(fit.intercept, 12), round(fit.r2, 12)
(2.0, 1.0, 1.0)
>>> c = concentration(pd.Series([6.0, 2, 1, 1]), pd.Series([1.0, 1, 1, 1]), k=1)
>>> float(round(c["top_share"], 2))
0.6
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from course import measures
from course.i18n import N_, _, _f, province as _province
from course.edgecase import EdgeCase

__all__ = [
    "YEAR",
    "REGIONS",
    "Indicator",
    "INDICATORS",
    "indicator_table",
    "concentration",
    "Fit",
    "fit_line",
    "Scatter",
    "scatter",
    "describe",
    "render",
    "build_explorer",
]

#: The year of the cross-section (the funding tables exist for 2023 only).
YEAR = 2023
#: The four NBS regions, east to north-east.
REGIONS = ("East", "Central", "West", "Northeast")
NATIONAL = 100000


@dataclass(frozen=True)
class Indicator:
    """One indicator of the cross-section: how to label it and what it measures."""

    key: str
    label: str
    unit: str
    note: str
    positive: bool = True   # strictly positive in every province that has a value (log scale possible)


INDICATORS: dict[str, Indicator] = {ind.key: ind for ind in [
    Indicator("rd_intensity_pct", N_("R&D intensity"), N_("% of GRP"),
              N_("R&D expenditure / GRP, restated series (CSYST 2024 table 1-8, pre-revision GRP)")),
    Indicator("rd_100m_yuan", N_("R&D expenditure"), N_("100 million yuan"),
              N_("R&D expenditure, 2023 R&D bulletin")),
    Indicator("rd_per_resident_yuan", N_("R&D per resident"), N_("yuan per person"),
              N_("R&D expenditure / year-end resident population (computed)")),
    Indicator("basic_share_pct", N_("Basic-research share of R&D"), N_("%"),
              N_("basic research / intramural R&D expenditure (CSYST 2024 table 1-7)")),
    Indicator("enterprise_funded_pct", N_("Enterprise-funded share of R&D"), N_("%"),
              N_("enterprise funds / intramural R&D (table 1-14): who pays, not who performs")),
    Indicator("government_funded_pct", N_("Government-funded share of R&D"), N_("%"),
              N_("government funds / intramural R&D (table 1-14): who pays, not who performs")),
    Indicator("foreign_funded_pct", N_("Foreign-funded share of R&D"), N_("%"),
              N_("foreign funds / intramural R&D (table 1-14); blank for Xizang and Ningxia in the yearbook")),
    Indicator("researchers_per_10k", N_("Researchers per 10,000 residents"), N_("FTE per 10,000 residents"),
              N_("researchers, full-time equivalent (CSYST table 1-4) / year-end population")),
    Indicator("inventions_per_100m_rd", N_("Invention patents per 100 million yuan of R&D"), N_("patents per 100 million yuan"),
              N_("domestic invention patents granted / R&D expenditure")),
    Indicator("inventions_per_1k_researchers", N_("Invention patents per 1,000 researchers"), N_("patents per 1,000 FTE"),
              N_("domestic invention patents granted / researchers (FTE) x 1,000")),
    Indicator("inventions_in_force_per_10k", N_("Invention patents in force per 10,000 residents"), N_("patents per 10,000 residents"),
              N_("valid invention patents at the end of 2023 (CSYST 2024 table 8-9) / year-end population")),
    Indicator("tech_market_to_rd", N_("Technology-market turnover / R&D"), N_("ratio"),
              N_("value of technology contracts sold by the province / its R&D expenditure")),
    Indicator("tech_market_pct_grp", N_("Technology-market turnover"), N_("% of GRP"),
              N_("value of technology contracts sold by the province / GRP (pre-revision)")),
    Indicator("grp_per_capita_k_yuan", N_("GRP per capita (computed)"), N_("thousand yuan per person"),
              N_("GRP (pre-revision vintage) / year-end resident population, computed by the course")),
]}


def _one_year(t: pd.DataFrame, column: str, year: int, **filters) -> pd.Series:
    t = t[(t["province_code"] != NATIONAL) & (t["year"] == year)]
    for col, value in filters.items():
        t = t[t[col] == value]
    return t.set_index("province_code")[column].astype("float64")


def indicator_table(year: int = YEAR, load=None) -> pd.DataFrame:
    """The provincial cross-section: one row per province, one column per indicator of :data:`INDICATORS`.

    Parameters
    ----------
    year : int
        Only 2023 has the funding tables; other years raise ``ValueError``.
    load : callable, optional
        ``load(name) -> DataFrame`` (default :func:`course.load`); the tests pass tiny tables.

    Returns
    -------
    DataFrame
        Indexed by ``province_code``; columns ``province_en``, ``nbs_region_en`` and the indicator
        keys. A value the source did not print stays missing (NaN).
    """
    if year != YEAR:
        raise ValueError(f"indicator_table: the R&D funding tables cover {YEAR} only, not {year}")
    if load is None:
        from course import load
    provinces = load("provinces").set_index("province_code")[["province_en", "nbs_region_en"]]
    fund = load("province_rd_funding_2023")
    fund = fund[(fund["province_code"] != NATIONAL) & (fund["year"] == year)].set_index("province_code")
    fund = fund.astype({c: "float64" for c in fund.columns if c.endswith("_10k_yuan")})
    rd = _one_year(load("province_rd_first_published"), "rd_expenditure_100m_yuan", year)
    intensity = _one_year(load("province_rd_intensity_restated"), "rd_intensity_pct", year)
    pop = _one_year(load("province_population"), "resident_population_10k", year)
    grp = _one_year(load("province_gdp"), "gdp_100m_yuan", year, vintage="pre_5th_census_revision")
    researchers = _one_year(load("province_rd_personnel"), "researchers_fte_manyears", year)
    inventions = _one_year(load("province_patents_granted"), "patents_granted_invention", year)
    in_force = _one_year(load("province_patents_2023"), "in_force_invention", year)
    turnover = _one_year(load("province_tech_market"), "tech_market_turnover_100m_yuan", year)

    out = provinces.copy()
    total = fund["rd_intramural_10k_yuan"]
    out["rd_intensity_pct"] = intensity
    out["rd_100m_yuan"] = rd
    out["rd_per_resident_yuan"] = rd / pop * 1e4                 # 1e8 yuan / 1e4 persons
    out["basic_share_pct"] = fund["basic_research_10k_yuan"] / total * 100
    out["enterprise_funded_pct"] = fund["enterprise_funds_10k_yuan"] / total * 100
    out["government_funded_pct"] = fund["government_funds_10k_yuan"] / total * 100
    out["foreign_funded_pct"] = fund["foreign_funds_10k_yuan"] / total * 100
    out["researchers_per_10k"] = researchers / pop
    out["inventions_per_100m_rd"] = inventions / rd
    out["inventions_per_1k_researchers"] = inventions / researchers * 1000
    out["inventions_in_force_per_10k"] = in_force / pop
    out["tech_market_to_rd"] = turnover / rd
    out["tech_market_pct_grp"] = turnover / grp * 100
    out["grp_per_capita_k_yuan"] = grp / pop * 10                # 1e8 / 1e4 = 1e4 yuan = 10 thousand
    return out


# --------------------------------------------------------------------------------------------
# Concentration
# --------------------------------------------------------------------------------------------

def concentration(amounts: pd.Series, population: pd.Series, k: int = 5) -> pd.Series:
    """How concentrated an amount is across provinces, three ways.

    Parameters
    ----------
    amounts : Series
        One amount per province (R&D spending, patents ...), indexed by province code.
    population : Series
        Population of the same provinces (same index), for the Theil index.
    k : int
        The top-k share counts the k largest provinces (default 5).

    Returns
    -------
    Series
        ``top_share``: share of the k largest provinces in the sum of the provinces;
        ``gini``: Gini coefficient of the amounts, each province counted once;
        ``theil_vs_population``: Theil's T of the amount per person with population weights,
        :math:`T=\\sum_i s_i\\ln(s_i/p_i)` with :math:`s_i` the province's share of the amount and
        :math:`p_i` its share of the population (0 when every province has its population share);
        ``provinces``: how many provinces have a value (missing values are dropped and the shares
        are of the sum of those provinces).
    """
    a = pd.Series(amounts, dtype="float64")
    p = pd.Series(population, dtype="float64")
    if not a.index.equals(p.index):
        p = p.reindex(a.index)
    keep = a.notna() & p.notna()
    a, p = a[keep], p[keep]
    if len(a) < 2:
        raise EdgeCase(_("Concentration needs at least two provinces with a value."))
    return pd.Series({
        "top_share": measures.top_share(a, k=min(k, len(a))),
        "gini": measures.gini(a),
        "theil_vs_population": measures.theil_t(a / p, weights=p),
        "provinces": float(len(a)),
    })


# --------------------------------------------------------------------------------------------
# The fitted line
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fit:
    """Least-squares line ``y = intercept + slope * x`` and its R² over ``n`` points."""

    slope: float
    intercept: float
    r2: float
    n: int


def fit_line(x, y) -> Fit:
    """Ordinary least squares of ``y`` on ``x`` (pairs with a missing value are dropped).

    :math:`b=\\sum(x-\\bar x)(y-\\bar y)/\\sum(x-\\bar x)^2`, :math:`a=\\bar y-b\\bar x`,
    :math:`R^2=1-\\sum(y-a-bx)^2/\\sum(y-\\bar y)^2`. Raises :class:`EdgeCase` for fewer than three
    points or when every ``x`` is the same (no line through them is defined).
    """
    xv, yv = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    if xv.shape != yv.shape or xv.ndim != 1:
        raise ValueError(f"fit_line: x and y must be two sequences of the same length (got {xv.shape} and {yv.shape})")
    keep = ~(np.isnan(xv) | np.isnan(yv))
    xv, yv = xv[keep], yv[keep]
    if len(xv) < 3:
        raise EdgeCase(_("A fitted line needs at least three provinces with both values."))
    dx = xv - xv.mean()
    sxx = float(dx @ dx)
    if sxx == 0:
        raise EdgeCase(_("Every province has the same x value, so no line can be fitted."))
    slope = float(dx @ (yv - yv.mean()) / sxx)
    intercept = float(yv.mean() - slope * xv.mean())
    resid = yv - intercept - slope * xv
    syy = float(((yv - yv.mean()) ** 2).sum())
    r2 = 1 - float(resid @ resid) / syy if syy > 0 else float("nan")
    return Fit(slope, intercept, r2, len(xv))


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx = pd.Series(x).rank().to_numpy()
    ry = pd.Series(y).rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


# --------------------------------------------------------------------------------------------
# The scatter Explorer
# --------------------------------------------------------------------------------------------

@dataclass
class Scatter:
    """What :func:`scatter` returns (and :func:`render` draws)."""

    x: str
    y: str
    province: str
    logx: bool
    logy: bool
    data: pd.DataFrame          # provinces with both values: province_en, nbs_region_en, x, y, abbr
    missing: list               # provinces without one of the two values
    fit: Fit                    # on the plotted scale (log10 where a log scale is chosen)
    rho: float                  # Spearman rank correlation (does not depend on the scale)
    highlight: pd.Series | None  # the student's province row, or None if it has no value

    @property
    def xlabel(self) -> str:
        return _axis_label(INDICATORS[self.x])

    @property
    def ylabel(self) -> str:
        return _axis_label(INDICATORS[self.y])


def _axis_label(ind: Indicator) -> str:
    """An indicator's label with its unit, in the current language."""
    label, unit = _(ind.label), _(ind.unit)
    return _f("{label} ({unit})")


def scatter(table: pd.DataFrame, x: str = "grp_per_capita_k_yuan", y: str = "rd_intensity_pct",
            province: str = "Anhui", logx: bool = False, logy: bool = False) -> Scatter:
    """The pure function behind the scatter Explorer.

    Parameters
    ----------
    table : DataFrame
        From :func:`indicator_table` (needs ``province_en``, ``nbs_region_en`` and the two columns).
    x, y : str
        Indicator keys of :data:`INDICATORS`.
    province : str
        The province to highlight (its English name).
    logx, logy : bool
        Plot (and fit) on a log10 scale.

    Raises
    ------
    EdgeCase
        The same indicator on both axes, a log scale with a zero value, or fewer than three
        provinces with both values.
    """
    from course.plots import PROVINCE_ABBR

    for key in (x, y):
        if key not in INDICATORS:
            raise ValueError(f"unknown indicator {key!r}; use one of {', '.join(INDICATORS)}")
    if x == y:
        raise EdgeCase(_("Both axes show the same indicator, so every point lies on one line. "
                         "Pick a different indicator for one axis."))
    if province not in set(table["province_en"]):
        raise ValueError(f"unknown province {province!r}")
    # plain arrays, then one DataFrame: a redraw pays for every pandas operation
    xv, yv = table[x].to_numpy(dtype="float64"), table[y].to_numpy(dtype="float64")
    ok = ~(np.isnan(xv) | np.isnan(yv))
    names = table["province_en"].to_numpy()
    missing = names[~ok].tolist()
    data = pd.DataFrame({"province_en": names[ok], "nbs_region_en": table["nbs_region_en"].to_numpy()[ok],
                         "x": xv[ok], "y": yv[ok]}, index=table.index[ok])
    for flag, col, key in ((logx, "x", x), (logy, "y", y)):
        if flag and (data[col] <= 0).any():
            bad = _province(data.loc[data[col] <= 0, "province_en"].iloc[0])
            value, what = data.loc[data[col] <= 0, col].iloc[0], _lower_first(_(INDICATORS[key].label))
            raise EdgeCase(_f("A log scale needs positive values, but {bad} has {value:g} for {what}. "
                              "Switch the log scale off for that axis."))
    if len(data) < 3:
        raise EdgeCase(_("Fewer than three provinces have both values: pick other indicators."))
    data["abbr"] = [PROVINCE_ABBR.get(int(c), str(c)) for c in data.index]
    fx = np.log10(data["x"]) if logx else data["x"]
    fy = np.log10(data["y"]) if logy else data["y"]
    fit = fit_line(fx, fy)
    rho = _spearman(data["x"].to_numpy(), data["y"].to_numpy())
    hl = data.loc[data["province_en"] == province]
    highlight = hl.iloc[0] if len(hl) else None
    return Scatter(x, y, province, bool(logx), bool(logy), data, missing, fit, rho, highlight)


def _fmt(v: float) -> str:
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def _lower_first(label: str) -> str:
    """'R&D intensity' stays, 'Basic-research share' -> 'basic-research share'."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def _finding(s: Scatter) -> str:
    ylab, xlab = _(INDICATORS[s.y].label), _lower_first(_(INDICATORS[s.x].label))
    if not np.isfinite(s.rho) or abs(s.rho) < 0.2:
        trend = _f("{ylab} is hardly related to {xlab}")
    elif abs(s.rho) >= 0.5:
        trend = _f("{ylab} strongly rises with {xlab}") if s.rho > 0 else _f("{ylab} strongly falls with {xlab}")
    else:
        trend = _f("{ylab} rises with {xlab}") if s.rho > 0 else _f("{ylab} falls with {xlab}")
    n = len(s.data)
    return _f("{trend} (Spearman rho = {s.rho:.2f}, {n} provinces)")


def describe(s: Scatter) -> str:
    """Alt text stating the current numbers."""
    name = _province(s.province)
    hl = (_f(" {name} is ringed and labelled: x = {_fmt(s.highlight['x'])}, y = {_fmt(s.highlight['y'])}.")
          if s.highlight is not None else _f(" {name} has no value and is not shown."))
    top = s.data.loc[s.data["y"].idxmax()]
    top_name, n = _province(top["province_en"]), len(s.data)
    scale = ", ".join(a for a, f in ((_("log x axis"), s.logx), (_("log y axis"), s.logy)) if f)
    scale = _f(" ({scale})") if scale else ""
    return _f("Scatter plot of {n} provinces{scale}: {s.xlabel} on the "
              "x axis against {s.ylabel} on the y axis, colour and marker shape by NBS region, each point "
              "labelled with its two-letter code. Highest y: {top_name} ({_fmt(top['y'])}). "
              "A dashed least-squares line has R² {s.fit.r2:.2f}; Spearman rho {s.rho:.2f}.{hl}")


def _line_text(s: Scatter) -> str:
    xs = "log10 x" if s.logx else "x"
    ys = "log10 y" if s.logy else "y"
    sign = "+" if s.fit.slope >= 0 else "-"
    return _f("least squares: {ys} = {s.fit.intercept:.3g} {sign} {abs(s.fit.slope):.3g} {xs} (R² = {s.fit.r2:.2f})")


def summary_html(s: Scatter) -> str:
    """One line under the figure: the line, the rank correlation, and who is missing."""
    line, n = _line_text(s), len(s.data)
    parts = [html.escape(_f("{line}; Spearman rank correlation {s.rho:.2f} over {n} provinces."))]
    if s.highlight is not None:
        rx = int(s.data["x"].rank(ascending=False, method="min")[s.highlight.name])
        ry = int(s.data["y"].rank(ascending=False, method="min")[s.highlight.name])
        name = _province(s.province)
        parts.append(html.escape(_f("{name}: rank {rx} on x and {ry} on y (1 = highest).")))
    if s.missing:
        names = _(", ").join(_province(m) for m in s.missing)
        parts.append(html.escape(_f("No value (not plotted): {names}.")))
    xnote, ynote = _(INDICATORS[s.x].note), _(INDICATORS[s.y].note)
    notes = _f("x: {xnote}. y: {ynote}.")
    return (f"<p class='course-summary' style='font-size:13px'>{' '.join(parts)}<br>"
            f"<span style='color:#444'>{html.escape(notes)}</span></p>")


def _minor_label(v: float, _pos=None) -> str:
    """Label the minor ticks of a log axis at 2 and 5 times a power of ten only."""
    if v <= 0:
        return ""
    mantissa = v / 10 ** np.floor(np.log10(v))
    return f"{v:g}" if round(mantissa) in (2, 5) and abs(mantissa - round(mantissa)) < 1e-6 else ""


@lru_cache(maxsize=1)
def _whole_pixels_class():
    """A transform that rounds display coordinates to whole pixels (matplotlib is imported lazily)."""
    from matplotlib.transforms import Transform

    class WholePixels(Transform):
        input_dims = output_dims = 2
        is_separable = True

        def transform_non_affine(self, values):
            return np.round(np.asarray(values, dtype=float))

        def inverted(self):
            return self   # rounding again is as close to an inverse as there is

    return WholePixels



def _new_figure(s: Scatter, n_labels: int) -> dict:
    """The parts of the scatter that do not depend on the setting: axes, markers, legend, empty labels."""
    import matplotlib.pyplot as plt
    from matplotlib import transforms
    from matplotlib.lines import Line2D

    from course import fastdraw, plots

    fig = plt.figure(figsize=(6.6, 5.0), dpi=100)
    ax = fig.add_axes([0.15, 0.24, 0.81, 0.62])
    empty = np.empty((0, 2))
    handles, points = [], {}
    for region in REGIONS:
        st = plots.REGION_STYLE[region]
        points[region] = ax.scatter(empty[:, 0], empty[:, 1], color=st["color"], marker=st["marker"], s=40,
                                    edgecolor="white", linewidth=0.5, zorder=3)
        handles.append(Line2D([], [], color=st["color"], marker=st["marker"], linestyle="",
                              markersize=7, label=_(region)))
    # a label per province (hidden while unused), all with one offset transform (cheaper to draw
    # than annotations), snapped to whole pixels: a label's glyphs then always fall on the same
    # sub-pixel positions, so course.fastdraw finds them rendered already (a shift of <= 0.5 pixel)
    label_at = transforms.offset_copy(ax.transData, fig=fig, x=3, y=2, units="points") + _whole_pixels_class()()
    labels = [ax.text(0, 0, "", transform=label_at, fontsize=7.5, color="#333333", visible=False)
              for _i in range(n_labels)]
    for text in labels:  # two-letter codes: each one's layout is computed once, then reused
        fastdraw.cache_layout(text)
    line, = ax.plot([], [], color="black", linestyle="--", linewidth=1.3, zorder=2)
    handles.append(Line2D([], [], color="black", linestyle="--", label=_("least-squares line")))
    ring = ax.scatter(empty[:, 0], empty[:, 1], s=260, facecolor="none", edgecolor="black", linewidth=2.2,
                      zorder=4)
    name = ax.text(0, 0, "", zorder=5, fontsize=10, fontweight="bold",
                   transform=transforms.offset_copy(ax.transData, fig=fig, x=10, y=-4, units="points"))
    if s.highlight is not None:
        handles.append(Line2D([], [], marker="o", markersize=12, markerfacecolor="none",
                              markeredgecolor="black", markeredgewidth=2, linestyle="",
                              label=_("your province")))
    # a fixed place under the axes: "best" would search for a free spot on every redraw
    legend = fig.legend(handles=handles, fontsize=8.5, loc="lower center", ncol=3, frameon=False,
                        bbox_to_anchor=(0.5, 0.0))
    # the legend is the same for the figure's whole life, yet laying it out and drawing it cost about
    # a sixth of a redraw: it pastes its kept pixels instead
    plots.keep_pixels(legend)
    # the y label is rotated text, which matplotlib lays out and renders glyph by glyph on every draw
    # (about a tenth of a redraw): course.fastdraw draws it from its caches instead, the same pixels
    fastdraw.cache_rotated(ax.yaxis.label)
    return {"fig": fig, "ax": ax, "points": points, "labels": labels, "line": line, "ring": ring,
            "name": name, "key": plots.reuse_key(s.highlight is not None)}


def _show(view: dict, s: Scatter) -> None:
    """Put the setting ``s`` into the figure of ``view``: points, labels, line, highlight, scales, texts."""
    from matplotlib import ticker

    from course import plots

    ax = view["ax"]
    labels = iter(view["labels"])
    xs, ys = s.data["x"].to_numpy(float), s.data["y"].to_numpy(float)
    regions, abbrs = s.data["nbs_region_en"].to_numpy(), s.data["abbr"].to_numpy()
    names = s.data["province_en"].to_numpy()
    for region in REGIONS:
        rows = np.flatnonzero(regions == region)
        view["points"][region].set_offsets(np.column_stack([xs[rows], ys[rows]]))
        for i in rows:
            if names[i] == s.province:
                continue          # labelled with its full name below
            text = next(labels)
            text.set_position((xs[i], ys[i]))
            text.set_text(abbrs[i])
            text.set_visible(True)
    for text in labels:           # the labels this setting does not use
        text.set_visible(False)
    for flag, axis, setter, scale in ((s.logx, ax.xaxis, ax.set_xscale, ax.get_xscale()),
                                      (s.logy, ax.yaxis, ax.set_yscale, ax.get_yscale())):
        want = "log" if flag else "linear"
        if scale != want:
            setter(want)          # resets the axis's locators and formatters to the scale's own
        if flag:
            axis.set_major_formatter(ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))  # 3, 10, 30, not 3 x 10^0
            axis.set_minor_formatter(ticker.FuncFormatter(_minor_label))
    lo, hi = float(s.data["x"].min()), float(s.data["x"].max())
    grid = np.geomspace(lo, hi, 50) if s.logx else np.linspace(lo, hi, 50)
    gx = np.log10(grid) if s.logx else grid
    gy = s.fit.intercept + s.fit.slope * gx
    view["line"].set_data(grid, 10 ** gy if s.logy else gy)
    h = s.highlight
    view["ring"].set_visible(h is not None)
    view["name"].set_visible(h is not None)
    if h is not None:
        view["ring"].set_offsets([[h["x"], h["y"]]])
        view["name"].set_position((h["x"], h["y"]))
        view["name"].set_text(_province(s.province))
    ax.set_xlabel("\n".join(plots.wrap_text(s.xlabel, 72)))
    ax.set_ylabel("\n".join(plots.wrap_text(s.ylabel, 36)))  # the longest labels are taller than the axes
    ax.relim(visible_only=True)
    ax.autoscale_view()
    _fix_linear_ticks(view, ax, s)
    finding = _finding(s)
    plots.finding_title(view["fig"], finding, width=64)
    # the axes end lower when the finding takes three lines (long indicator names), so they never meet
    ax.set_position([0.15, 0.24, 0.81, 0.62 if len(plots.wrap_text(finding, 64)) <= 2 else 0.56])


def _fix_linear_ticks(view: dict, ax, s: Scatter) -> None:
    """Give each linear axis the ticks its automatic locator picks for the current limits, as a fixed list.

    The same ticks (the same pixels), found once per redraw: matplotlib otherwise asks the locator
    again each time it updates the ticks (about eight times per draw, for the tick labels' sizes,
    the axis labels' places and the figure checks). Log axes keep their own locators.
    """
    from matplotlib import ticker

    for name, axis, log in (("x", ax.xaxis, s.logx), ("y", ax.yaxis, s.logy)):
        if log:
            continue
        auto = view.setdefault(f"{name}_locator", ticker.AutoLocator())  # what a linear axis uses
        auto.set_axis(axis)
        lo, hi = axis.get_view_interval()
        axis.set_major_locator(ticker.FixedLocator(auto.tick_values(lo, hi)))


def render(s: Scatter, view: dict | None = None):
    """The Explorer's view: the labelled scatter with the fitted line, and a summary line.

    ``view`` (a dict kept by the Explorer) holds the figure of the previous redraw; the new setting
    is put into it (points moved, labels and texts changed, scales switched) instead of building a
    new figure, when the language, the fonts and the legend's entries are the same. The result has
    the same pixels as a new figure (``tests/test_redraw_reuse_a.py``) for about half the work:
    a new figure makes and places every tick and artist again.
    """
    from course import plots

    with plots.course_style():
        if not (plots.kept(view, s.highlight is not None) and len(view["labels"]) >= len(s.data)):
            view = plots.keep(view, _new_figure(s, n_labels=max(len(s.data), 31)))
        _show(view, s)
    return [view["fig"], summary_html(s)]


def build_explorer(table: pd.DataFrame, x: str = "grp_per_capita_k_yuan", y: str = "rd_intensity_pct",
                   province: str = "Anhui"):
    """The lesson's Explorer: x and y indicators, the student's province, log scales."""
    import ipywidgets as w

    from course.widgets import Explorer

    options = [(_axis_label(ind), key) for key, ind in INDICATORS.items()]
    names = [(_province(n), n) for n in sorted(table["province_en"])]
    wide = {"description_width": "110px"}
    controls = {
        "x": w.Dropdown(options=options, value=x, description=_("x axis"), style=wide,
                        layout=w.Layout(width="470px")),
        "y": w.Dropdown(options=options, value=y, description=_("y axis"), style=wide,
                        layout=w.Layout(width="470px")),
        "province": w.Dropdown(options=names, value=province, description=_("Your province"), style=wide,
                               layout=w.Layout(width="320px")),
        "logx": w.Checkbox(value=False, description=_("log scale for x"), indent=False),
        "logy": w.Checkbox(value=False, description=_("log scale for y"), indent=False),
    }

    def compute(x, y, province, logx, logy):
        return scatter(table, x=x, y=y, province=province, logx=logx, logy=logy)

    view: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda s: render(s, view), alt=describe,
                    title=_("Science and technology resources: pick two indicators"),
                    caption=_f("31 provinces, {YEAR}. Sources: NBS/MOST/MOF R&D bulletin; China Statistical "
                               "Yearbook on Science and Technology 2024; NBS National Data (see Data used)."))
