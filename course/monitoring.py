"""Monitoring provincial targets: where each province stands, how fast it moves, whether it gets there.

The paper's section 三(一) (ids S1.1-S1.3) asks for policy that starts from each place's actual
situation (实事求是), analyses each case on its own terms (具体问题具体分析) and is precise and
monitored (精准施策). This module turns the last two into arithmetic on the course's provincial
series: one target for every province, each province's own recent trend, and a verdict per
province. It is used by lesson 21.

Formulas (levels :math:`x > 0`; growth rates are fractions per year, 0.05 = 5 % a year):

* **Trend growth** over a window of ``window`` years ending in the latest year :math:`t_1`:

  - ``"loglinear"`` (default): fit :math:`\\ln x_t = a + b\\,t` by least squares on *every* year
    of the window and report :math:`g = e^{b} - 1`, the constant growth rate that best matches all
    those years (one odd year moves it less than it moves the end-point rate);
  - ``"endpoints"``: :math:`g = (x_{t_1}/x_{t_1-w})^{1/w} - 1`, the compound annual growth rate
    (CAGR) between the two end years only, as in lesson 13.

* **Required growth** to reach a target :math:`x^*` in :math:`H = T - t_1` years (target year
  :math:`T`): :math:`g_{req} = (x^*/x_{t_1})^{1/H} - 1` (NaN for a province already at the target).
* **Years to target** at the province's own trend: :math:`t^* = \\ln(x^*/x)/\\ln(1+g)`; 0 when
  :math:`x \\ge x^*`, infinite when the province is below the target and :math:`g \\le 0`.
* **Effort ratio** :math:`g_{req}/g`: 1 means "keep the pace of recent years", 2 "double it".
* **Status**: *already at target* (:math:`x \\ge x^*`); *moving away* (below and :math:`g \\le 0`);
  *on track* (:math:`t^* \\le H`); *off track* (:math:`t^* > H`). On track is the same test as
  :math:`g \\ge g_{req}`, so the verdict flips exactly where the trend equals the required rate
  (a tolerance of 1e-9 years absorbs floating-point noise).

The projection is a **model**: it assumes that each province keeps growing at its own recent
trend rate until the target year. It says what happens *if nothing changes*, not what will happen.

The functions are pure and raise :class:`course.widgets.EdgeCase` with a one-line explanation for
settings that have no answer (a target year that is not in the future, a trend window longer than
the series). :func:`explore` is the compute function of the lesson's Explorer; :func:`render`,
:func:`alt_text` and :func:`explorer` draw and wire it.

Examples
--------
A province at 2 % that must reach 3 % in 5 years needs :math:`1.5^{1/5}-1 \\approx 8.4` % a year:

>>> round(required_growth(2.0, 3.0, 5), 4)
0.0845
>>> years_to_target(3.5, 3.0, 0.02), years_to_target(2.0, 3.0, -0.01)
(0.0, inf)
>>> status(2.0, 3.0, required_growth(2.0, 3.0, 5), 5)     # growing exactly at the required rate
'on track'
"""

from __future__ import annotations

import contextlib
import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course import catchup
from course.i18n import N_, _, _f, is_chinese, province
from course.edgecase import EdgeCase

__all__ = [
    "STATUSES",
    "METHODS",
    "SERIES",
    "SeriesInfo",
    "build_series",
    "latest_year",
    "trend_growth",
    "required_growth",
    "years_to_target",
    "status",
    "monitor",
    "status_counts",
    "map_statuses",
    "compare",
    "outlook",
    "MonitorView",
    "explore",
    "render",
    "alt_text",
    "explorer",
]

#: The four verdicts, in the order the map and tables show them, plus "no data".
STATUSES = (N_("already at target"), N_("on track"), N_("off track"), N_("moving away"), N_("no data"))

#: How the trend is measured (see the module docstring).
METHODS = {"loglinear": N_("log-linear fit over every year of the window"),
           "endpoints": N_("compound rate between the two end years (CAGR)")}

_TOL = 1e-9  # years; "exactly on time" counts as on track


@dataclass(frozen=True)
class SeriesInfo:
    """One provincial series the monitor can follow."""

    key: str
    label: str
    unit: str
    source: str
    alternative: str | None       # the same indicator in the other vintage / series, if any
    target: tuple                 # slider (min, max, step, default) in the series' unit
    fmt: str

    def show(self, x: float) -> str:
        return _("n/a") if x is None or not np.isfinite(x) else self.fmt.format(x)


SERIES: dict[str, SeriesInfo] = {
    "rd_restated": SeriesInfo(
        "rd_restated", N_("R&D intensity, restated (yearbook 2024)"), N_("% of GRP"),
        N_("CSYST 2024 table 1-8: R&D over one consistent (pre-revision) GRP series, 2012-2023"),
        "rd_first", (0.5, 7.0, 0.1, 3.0), "{:.2f}"),
    "rd_first": SeriesInfo(
        "rd_first", N_("R&D intensity, as first published (annual bulletins)"), N_("% of GRP"),
        N_("each year's R&D bulletin, over the GRP known at the time, 2011-2023"),
        "rd_restated", (0.5, 7.0, 0.1, 3.0), "{:.2f}"),
    "gdp_pc_post": SeriesInfo(
        "gdp_pc_post", N_("GDP per capita (computed), revised GDP"), N_("yuan per person"),
        N_("GRP after the 5th-census revision / year-end population, 2010-2024 (current prices)"),
        "gdp_pc_pre", (40000, 300000, 5000, 120000), "{:,.0f}"),
    "gdp_pc_pre": SeriesInfo(
        "gdp_pc_pre", N_("GDP per capita (computed), pre-revision GDP"), N_("yuan per person"),
        N_("GRP before the 5th-census revision / year-end population, 2010-2023 (current prices)"),
        "gdp_pc_post", (40000, 300000, 5000, 120000), "{:,.0f}"),
    "income_pc": SeriesInfo(
        "income_pc", N_("Disposable income per capita, all residents"), N_("yuan per person"),
        N_("NBS household survey, 2013-2024 (current prices)"),
        None, (20000, 120000, 1000, 50000), "{:,.0f}"),
}

#: Short names of the series for sentences ("on the first-published series").
_VARIANT = {"rd_restated": N_("restated"), "rd_first": N_("first-published"), "gdp_pc_post": N_("revised-GDP"),
            "gdp_pc_pre": N_("pre-revision-GDP"), "income_pc": N_("income")}

_TABLES = ("province_rd_first_published", "province_rd_intensity_restated", "province_gdp",
           "province_population", "province_income_consumption")


# --------------------------------------------------------------------------- the series
def _wide(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = frame[frame["province_code"] != 100000]
    wide = rows.pivot(index="province_code", columns="year", values=column).astype(float)
    wide.columns = wide.columns.astype(int)
    return wide.sort_index()


def build_series(tables: dict | None = None) -> dict[str, pd.DataFrame]:
    """Every series in :data:`SERIES` as a wide table: one row per province code, one column per year.

    ``tables`` maps the course table names (``province_rd_first_published``,
    ``province_rd_intensity_restated``, ``province_gdp``, ``province_population``,
    ``province_income_consumption``) to DataFrames; missing ones are read with ``course.load``.
    The national row (code 100000) is dropped. GDP per capita is computed as GRP / year-end
    population (one vintage per series), as in lesson 12.
    """
    from course import regional  # the per-capita panel of lesson 12
    from course.data import load

    tables = dict(tables or {})
    for name in _TABLES:
        if name not in tables:
            tables[name] = load(name)
    out = {
        "rd_restated": _wide(tables["province_rd_intensity_restated"], "rd_intensity_pct"),
        "rd_first": _wide(tables["province_rd_first_published"], "rd_intensity_pct"),
        "income_pc": _wide(tables["province_income_consumption"],
                           "disposable_income_per_capita_all_residents_yuan"),
    }
    for key, vintage in (("gdp_pc_post", "post_5th_census_revision"), ("gdp_pc_pre", "pre_5th_census_revision")):
        panel = regional.per_capita_panel(tables["province_gdp"], tables["province_population"], vintage)
        out[key] = _wide(panel, "gdp_per_capita_yuan")
    return out


def latest_year(wide: pd.DataFrame) -> int:
    """The last year in which at least one province has a value."""
    present = wide.notna().to_numpy().any(axis=0)
    years = [int(y) for y, ok in zip(wide.columns, present) if ok]
    if not years:
        raise EdgeCase(_("This series has no values at all."))
    return max(years)


# --------------------------------------------------------------------------- the arithmetic
def trend_growth(wide: pd.DataFrame, window: int = 5, method: str = "loglinear",
                 last: int | None = None) -> pd.Series:
    """Each province's trend growth rate (fraction per year) over ``last - window`` .. ``last``.

    A province with a missing or non-positive value in the window gets NaN (no trend).

    Raises
    ------
    EdgeCase
        If the window is shorter than one year or reaches back before the series starts.
    ValueError
        For an unknown ``method``.

    Examples
    --------
    A series that doubles every year has a trend of 100 % by either method:

    >>> w = pd.DataFrame({2020: [1.0], 2021: [2.0], 2022: [4.0]}, index=[110000])
    >>> trend_growth(w, window=2).round(12).tolist(), trend_growth(w, 2, "endpoints").tolist()
    ([1.0], [1.0])
    """
    if method not in METHODS:
        raise ValueError(f"unknown trend method {method!r}; use one of {', '.join(METHODS)}")
    window = int(window)
    last = latest_year(wide) if last is None else int(last)
    if window < 1:
        raise EdgeCase(_("A trend needs at least two years: choose a window of one year or more."))
    years = list(range(last - window, last + 1))
    first = min(int(y) for y in wide.columns)
    if years[0] < first:
        raise EdgeCase(_f("This series starts in {first}: a {window}-year trend ending in {last} would need "
                          "{years[0]}. Choose a window of at most {last - first} years."))
    x = wide.reindex(columns=years).to_numpy(dtype=float)
    ok = np.isfinite(x).all(axis=1) & (x > 0).all(axis=1)
    g = np.full(len(wide), np.nan)
    if ok.any():
        logs = np.log(x[ok])
        if method == "endpoints":
            g[ok] = np.exp((logs[:, -1] - logs[:, 0]) / window) - 1
        else:
            t = np.asarray(years, dtype=float) - np.mean(years)
            slope = (logs - logs.mean(axis=1, keepdims=True)) @ t / (t @ t)
            g[ok] = np.exp(slope) - 1
    return pd.Series(g, index=wide.index, name="trend_growth")


def required_growth(x0, target, horizon) -> float:
    """Growth rate a year that takes ``x0`` to ``target`` in ``horizon`` years; NaN if already there.

    :math:`(x^*/x_0)^{1/H} - 1`.

    >>> required_growth(1.0, 2.0, 1)
    1.0
    >>> math.isnan(required_growth(3.0, 2.0, 5))
    True
    """
    x0, target, horizon = float(x0), float(target), float(horizon)
    if horizon <= 0:
        raise EdgeCase(_("The target year must come after the latest data year."))
    if not (x0 > 0 and target > 0):
        raise EdgeCase(_("Levels and targets must be positive numbers."))
    if x0 >= target:
        return math.nan
    return (target / x0) ** (1 / horizon) - 1


def years_to_target(x0, target, g) -> float:
    """Years until ``x0`` reaches ``target`` at ``g`` a year: 0 if there already, inf if never.

    The course's one implementation of :math:`\\ln(x^*/x_0)/\\ln(1+g)` is
    :func:`course.catchup.years_to_target` (lesson 13); this wrapper only passes a missing trend
    through as NaN.

    >>> round(years_to_target(1.0, 1.21, 0.1), 9)
    2.0
    """
    if g is None or not np.isfinite(g):
        return math.nan
    return catchup.years_to_target(x0, target, g)


def status(x0, target, g, horizon) -> str:
    """The monitoring verdict of one province (see :data:`STATUSES`).

    >>> status(3.1, 3.0, -0.02, 5), status(2.9, 3.0, -0.02, 5), status(2.0, 3.0, 0.001, 5)
    ('already at target', 'moving away', 'off track')
    """
    if x0 is None or not np.isfinite(x0):
        return "no data"
    if x0 >= target:
        return "already at target"
    if g is None or not np.isfinite(g):
        return "no data"
    if g <= 0:
        return "moving away"
    return "on track" if years_to_target(x0, target, g) <= horizon + _TOL else "off track"


def monitor(wide: pd.DataFrame, target: float, target_year: int, window: int = 5,
            method: str = "loglinear", last: int | None = None,
            names: pd.Series | None = None) -> pd.DataFrame:
    """The monitoring table: one row per province, a verdict against one common target.

    Parameters
    ----------
    wide : DataFrame
        One series from :func:`build_series` (provinces x years).
    target : float
        The target level, in the series' unit (e.g. 3.0 for an R&D intensity of 3 %).
    target_year : int
        The year by which the target should be reached.
    window, method
        The trend (see :func:`trend_growth`).
    last : int, optional
        The latest year to use (default: the series' latest year).
    names : Series, optional
        Province names by code, added as a ``province_en`` column.

    Returns
    -------
    DataFrame
        Indexed by province code: ``latest`` (value in ``last``), ``gap`` (target - latest, 0 if
        there already), ``trend_growth``, ``required_growth``, ``effort`` (required / trend, NaN
        when undefined), ``years_to_target``, ``reach_year`` (first whole year at or above the
        target at the trend; NaN if never), ``status`` (a Categorical over :data:`STATUSES`).
    """
    last = latest_year(wide) if last is None else int(last)
    target = float(target)
    if not math.isfinite(target) or target <= 0:
        raise EdgeCase(_("The target must be a positive number."))
    horizon = int(target_year) - last
    if horizon <= 0:
        raise EdgeCase(_f("The latest data are for {last}: choose a target year after {last}."))
    g = trend_growth(wide, window, method, last)
    x = wide[last] if last in wide.columns else pd.Series(np.nan, index=wide.index)
    rows = []
    for code in wide.index:
        x0, gi = float(x[code]), float(g[code])
        have = np.isfinite(x0) and x0 > 0
        req = required_growth(x0, target, horizon) if have else math.nan
        yrs = years_to_target(x0, target, gi) if have else math.nan
        eff = req / gi if np.isfinite(req) and np.isfinite(gi) and gi > 0 else math.nan
        reach = catchup.crossing_year(last, yrs) if np.isfinite(yrs) else None
        rows.append({
            "province_code": code,
            "latest": x0,
            "gap": max(target - x0, 0.0) if have else math.nan,
            "trend_growth": gi,
            "required_growth": req,
            "effort": eff,
            "years_to_target": yrs,
            "reach_year": math.nan if reach is None else float(reach),
            "status": status(x0, target, gi, horizon),
        })
    table = pd.DataFrame(rows).set_index("province_code")
    table["status"] = pd.Categorical(table["status"], categories=list(STATUSES))
    if names is not None:
        table.insert(0, "province_en", names.reindex(table.index))
    table.attrs.update(last=last, target=target, target_year=int(target_year), window=int(window),
                       method=method, horizon=horizon)
    return table


def status_counts(table: pd.DataFrame) -> pd.Series:
    """How many provinces have each status (all of :data:`STATUSES`, zeros included)."""
    return table["status"].value_counts().reindex(list(STATUSES), fill_value=0)


def map_statuses(table: pd.DataFrame) -> pd.Series:
    """The status column for a tile map: every verdict keeps its colour and letter; "no data" is
    listed only when a province has it."""
    st = table["status"]
    if not (st == "no data").any():
        # set_categories keeps the order of STATUSES (remove_categories sorts them in pandas 3)
        st = st.cat.set_categories([k for k in STATUSES if k != "no data"])
    if is_chinese():  # the legend shows the categories: in the student's language
        st = st.cat.rename_categories([_(c) for c in st.cat.categories])
    return st


def compare(wide_a: pd.DataFrame, wide_b: pd.DataFrame, target: float, target_year: int,
            window: int = 5, method: str = "loglinear", method_b: str | None = None,
            last: int | None = None) -> pd.DataFrame:
    """The verdict of every province on two series (or two trend methods), side by side.

    Both tables use the same latest year: ``last`` if given, else the later of the two series'
    common years, so that a difference comes from the data (or the method), not from one more
    year. Returns columns ``status_a``, ``status_b`` and ``changed``.
    """
    if last is None:
        last = min(latest_year(wide_a), latest_year(wide_b))
    a = monitor(wide_a, target, target_year, window, method, last)
    b = monitor(wide_b, target, target_year, window, method_b or method, last)
    out = pd.DataFrame({"status_a": a["status"].astype(str), "status_b": b["status"].reindex(a.index).astype(str)})
    out["changed"] = out["status_a"] != out["status_b"]
    out.attrs.update(last=last)
    return out


def outlook(table: pd.DataFrame, code: int, info: SeriesInfo | None = None) -> str:
    """One province's verdict in a sentence; a province moving away raises an :class:`EdgeCase`.

    For a province below the target whose trend is flat or falling, "years to target" has no
    finite value: the note says so instead of printing an infinite number.
    """
    if code not in table.index:
        raise EdgeCase(_f("Province code {code} is not in the table."))
    row = table.loc[code]
    name = province(row["province_en"]) if "province_en" in table.columns else str(code)
    a = table.attrs
    fmt = (info.fmt if info else "{:.2f}").format
    if row["status"] == "no data":
        raise EdgeCase(_f("{name} has no value for every year of the trend window, so there is no verdict."))
    if row["status"] == "moving away":
        raise EdgeCase(_f(
            "{name} is below the target ({fmt(row['latest'])} against {fmt(a['target'])}) and its trend over "
            "{a['last'] - a['window']}-{a['last']} is {100 * row['trend_growth']:+.1f} % a year: at its own trend "
            "it never reaches the target, so 'years to target' is undefined."))
    if row["status"] == "already at target":
        return _f("{name} is already at the target ({fmt(row['latest'])} in {a['last']}): 0 years.")
    return _f("{name}: {fmt(row['latest'])} in {a['last']}, trend {100 * row['trend_growth']:+.1f} % a year, needs "
              "{100 * row['required_growth']:.1f} % a year to reach {fmt(a['target'])} by {a['target_year']}; "
              "at its trend it takes {row['years_to_target']:.1f} years ({row['status']}).")


# --------------------------------------------------------------------------- the widget
@dataclass
class MonitorView:
    """What :func:`explore` returns: the table, its settings, and the same on the other series."""

    series: str
    table: pd.DataFrame
    counts: pd.Series
    other: pd.DataFrame | None   # compare() against the alternative series, or None

    @property
    def info(self) -> SeriesInfo:
        return SERIES[self.series]

    @property
    def changed(self) -> list[str]:
        if self.other is None:
            return []
        return [province(n) for n in self.table.loc[self.other.index[self.other["changed"]], "province_en"]]


def explore(series: dict, names: pd.Series, indicator: str = "rd_restated", target: float = 3.0,
            target_year: int = 2030, window: int = 5, method: str = "loglinear") -> MonitorView:
    """The pure function behind the lesson's Explorer.

    Builds the monitoring table of ``indicator`` against ``target`` by ``target_year`` and, where
    the indicator exists in another vintage or series (:attr:`SeriesInfo.alternative`), the same
    verdicts on that series at a common latest year, to show which provinces' verdicts depend on
    the data.
    """
    if indicator not in SERIES:
        raise ValueError(f"unknown indicator {indicator!r}; use one of {', '.join(SERIES)}")
    info = SERIES[indicator]
    wide = series[indicator]
    table = monitor(wide, target, target_year, window, method, names=names)
    other = None
    if info.alternative is not None:
        with contextlib.suppress(EdgeCase):  # the other series may be too short for this window
            other = compare(wide, series[info.alternative], target, target_year, window, method)
    return MonitorView(indicator, table, status_counts(table), other)


def _pct(g: float) -> str:
    return _("n/a") if not np.isfinite(g) else f"{100 * g:+.1f}"


def _finding(v: MonitorView) -> str:
    a, c = v.table.attrs, v.counts
    reached = int(c["already at target"] + c["on track"])
    total = int(c.sum() - c["no data"])
    return _f("{reached} of {total} provinces reach {v.info.show(a['target'])} by "
              "{a['target_year']} at their own {a['last'] - a['window']}-{a['last']} trend")


def table_html(v: MonitorView) -> str:
    """The monitoring table as compact HTML, ordered by status and then by years to target."""
    t = v.table.copy()
    t["_order"] = t["status"].cat.codes
    t = t.sort_values(["_order", "years_to_target", "latest"], ascending=[True, True, False])
    rows = []
    # column by column rather than with iterrows (a redraw builds this table every time)
    columns = ("province_en", "status", "latest", "trend_growth", "required_growth", "years_to_target", "reach_year")
    for name, status, latest, trend, required, yrs, reach_year in zip(*(t[c].tolist() for c in columns)):
        yrs_s = _("never") if yrs == math.inf else ("0" if yrs == 0 else (_("n/a") if not np.isfinite(yrs) else f"{yrs:.1f}"))
        reach = "" if not np.isfinite(reach_year) else f"{int(reach_year)}"
        rows.append(
            f"<tr><td>{html.escape(province(str(name)))}</td><td>{html.escape(_(str(status)))}</td>"
            f"<td style='text-align:right'>{v.info.show(latest)}</td>"
            f"<td style='text-align:right'>{_pct(trend)}</td>"
            f"<td style='text-align:right'>{_pct(required) if np.isfinite(required) else '-'}</td>"
            f"<td style='text-align:right'>{yrs_s}</td><td style='text-align:right'>{reach}</td></tr>")
    a = v.table.attrs
    unit = html.escape(_(v.info.unit))
    columns = [_("province"), _("status"), _f("{a['last']} value ({unit})"), _("trend, % a year"),
               _("needed, % a year"), _("years to target"), _("reaches it in")]
    head = "<tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr>"
    return ("<div style='max-height:260px;overflow-y:auto'><table class='course-table' "
            "style='font-size:12px;border-collapse:collapse'>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>")


def summary_html(v: MonitorView) -> str:
    """The counts, the settings and how many verdicts change on the other series."""
    a, c = v.table.attrs, v.counts
    parts = " · ".join(f"{_(k)}: {int(c[k])}" for k in STATUSES if k != "no data" or c[k])
    label, unit, method = _(v.info.label), _(v.info.unit), _(METHODS[a["method"]])
    text = _f("{label} ({unit}); target {v.info.show(a['target'])} by {a['target_year']}; "
              "trend {a['last'] - a['window']}-{a['last']}, {method}. {parts}.")
    if v.other is not None:
        alt = SERIES[v.info.alternative]
        moved = v.changed
        sep = _(", ")
        who = f" ({sep.join(moved[:6])}{sep + '...' if len(moved) > 6 else ''})" if moved else ""
        variant = _(_VARIANT[alt.key])
        text += _f(" On the {variant} series, at the common latest year {v.other.attrs['last']}, "
                   "{len(moved)} verdict{'s' if len(moved) != 1 else ''} differ{'s' if len(moved) == 1 else ''}{who}.")
    else:
        text += _(" This indicator has no second vintage in the course's data.")
    return f"<p class='course-summary' style='font-size:13px'>{html.escape(text)}</p>"


def alt_text(v: MonitorView) -> str:
    """Alt text of the Explorer's map, with the current numbers."""
    a, t = v.table.attrs, v.table
    lists = []
    for k in STATUSES:
        members = [province(m) for m in t.loc[t["status"] == k, "province_en"]]
        if members:
            lists.append(f"{_(k)} ({len(members)}): {_(', ').join(members)}")
    label, lists = _(v.info.label), _("; ").join(lists)
    return _f("Tile map of the 31 provinces, each tile marked with its monitoring status for {label} against a "
              "target of {v.info.show(a['target'])} by {a['target_year']}, using each province's own "
              "{a['last'] - a['window']}-{a['last']} trend. {lists}.")


def render(v: MonitorView, reuse: dict | None = None):
    """The Explorer's view: a status tile map, a summary line and the monitoring table.

    ``reuse`` (a dict kept by the Explorer) holds the previous redraw's figure; its map is updated
    in place when it can be (``tile_map(update=True)``: the same pixels as a new figure, for less
    work), else a new figure is drawn and kept there for the next redraw.
    """
    import matplotlib.pyplot as plt

    from course import plots

    cats, label = map_statuses(v.table), _("status at own trend")
    with plots.course_style():
        fig = None
        if reuse and reuse.get("fig") is not None:
            if plots.tile_map(categories=cats, ax=reuse["ax"], label=label, update=True) is not None:
                fig = reuse["fig"]
        if fig is None:
            fig = plt.figure(figsize=(5.0, 4.9), dpi=100)
            ax = fig.add_axes([0.0, 0.0, 1.0, 0.86])
            plots.tile_map(categories=cats, ax=ax, label=label)
            if reuse is not None:
                reuse.update(fig=fig, ax=ax)
        plots.finding_title(fig, _finding(v), width=48)
    return [fig, summary_html(v), table_html(v)]


def _target_label(unit: str) -> str:
    unit = _(unit)
    return _f("Target ({unit})")


def _caption(v: MonitorView) -> str:
    label, source = _(v.info.label), _(v.info.source)
    return _f("{label}: {source}. Projection at each province's own trend is a model (constant growth), not a forecast.")


def explorer(series: dict | None = None, names: pd.Series | None = None, indicator: str = "rd_restated",
             target_year: int = 2030, window: int = 5):
    """The lesson's widget: indicator, target, target year, trend window and method -> map and table.

    Changing the indicator moves the target slider to that indicator's range and default value (in
    one redraw).
    """
    import ipywidgets as w

    from course.data import load
    from course.widgets import Explorer

    series = build_series() if series is None else series
    if names is None:
        names = load("provinces").set_index("province_code")["province_en"]
    lo, hi, step, default = SERIES[indicator].target
    controls = {
        "indicator": w.Dropdown(options=[(_(s.label), k) for k, s in SERIES.items()], value=indicator,
                                description=_("Indicator"), layout=w.Layout(width="470px")),
        "target": w.FloatSlider(value=default, min=lo, max=hi, step=step, description=_target_label(SERIES[indicator].unit),
                                continuous_update=False, readout_format=".1f" if step < 1 else ",.0f",
                                layout=w.Layout(width="470px")),
        "target_year": w.IntSlider(value=target_year, min=2025, max=2040, description=_("Target year"),
                                   continuous_update=False),
        "window": w.IntSlider(value=window, min=1, max=10, description=_("Trend window (years)"),
                              continuous_update=False),
        "method": w.ToggleButtons(options=[(_("log-linear fit"), "loglinear"), (_("end points (CAGR)"), "endpoints")],
                                  value="loglinear", description=_("Trend")),
    }

    def compute(indicator, target, target_year, window, method):
        return explore(series, names, indicator, target, target_year, window, method)

    holder = {}

    def _on_indicator(change):
        # Registered before the Explorer's own observer: the target moves to the new indicator's
        # range in the Explorer's batch mode, so the figure is redrawn once, with both new values.
        ex = holder.get("explorer")
        info = SERIES[change["new"]]
        lo, hi, step, default = info.target
        s = controls["target"]
        with ex.hold() if ex is not None else contextlib.nullcontext():
            s.min, s.max = min(lo, s.min), max(hi, s.max)  # widen first so value stays valid
            s.value = default
            s.min, s.max, s.step = lo, hi, step
            s.readout_format = ".1f" if step < 1 else ",.0f"
            s.description = _target_label(info.unit)

    controls["indicator"].observe(_on_indicator, names="value")
    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    holder["explorer"] = Explorer(
        controls, compute, lambda v: render(v, reuse), alt=alt_text, title=_("Monitoring a target: who is on track at their own trend?"),
        caption=_caption)
    return holder["explorer"]
