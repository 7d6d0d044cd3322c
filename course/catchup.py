"""Catch-up arithmetic for lesson 13, *international competition* (paper section 二(三), id N3).

How far is China behind a peer economy on an indicator such as R&D intensity (R&D spending as a
per cent of GDP), and how long would it take to close the gap if both kept growing at fixed rates?
Everything here is plain compound-growth arithmetic on levels :math:`x > 0` and growth rates
:math:`g > -1` (fractions per year, 0.03 = 3 % a year):

* gap ratio :math:`x_p / x_c` (peer over China; 1 means no gap);
* years to reach a fixed target :math:`t^* = \\ln(x^*/x_0) / \\ln(1+g)`;
* years to catch a peer that also grows
  :math:`t^* = \\ln(x_p/x_c) / \\ln\\big((1+g_c)/(1+g_p)\\big)`, finite only if :math:`g_c > g_p`;
* the trend growth (compound annual growth rate, CAGR) of a series over a period,
  :math:`g = (x_{t_1}/x_{t_0})^{1/(t_1-t_0)} - 1`.

The functions are pure (no plotting, no widgets) and raise :class:`course.widgets.EdgeCase` with a
one-line explanation for settings that have no meaningful answer. :func:`explore` is the compute
function behind the lesson's widget; :func:`render` and :func:`alt_text` draw its result and
:func:`explorer` wires them into a :class:`course.widgets.Explorer`.

Examples
--------
>>> years_to_target(1.0, 2.0, 1.0)          # doubling at 100 % a year takes one year
1.0
>>> years_to_catch_up(1.0, 2.0, 0.05, 0.05)  # equal growth never closes a gap
inf
>>> round(years_to_catch_up(1.0, 1.21, 0.21, 0.10), 6) == round(math.log(1.21) / math.log(1.1), 6)
True
"""

from __future__ import annotations

import contextlib

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from course.i18n import N_, _, _f, gettext
from course.measures import cagr
from course.edgecase import EdgeCase

__all__ = [
    "CatchupResult",
    "gap_ratio",
    "period_growth",
    "trend_growth",
    "years_to_target",
    "years_to_catch_up",
    "crossing_year",
    "project",
    "catchup_table",
    "wide_levels",
    "explore",
    "render",
    "alt_text",
    "explorer",
    "economy_style",
    "short_name",
    "STATUS_AHEAD",
    "STATUS_NEVER",
]

STATUS_AHEAD = N_("already ahead")
STATUS_NEVER = N_("never catches up at these rates")

# A tolerance for "the same number" in floating point (years, growth rates).
_EPS = 1e-9


def _positive_level(x, what: str) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        raise EdgeCase(_f("The {what} must be a number (got {x!r}).")) from None
    if not math.isfinite(x) or x <= 0:
        raise EdgeCase(_f("The {what} must be a positive number (got {x:g}); a ratio of levels needs both levels above zero."))
    return x


def _growth(g, what: str) -> float:
    try:
        g = float(g)
    except (TypeError, ValueError):
        raise EdgeCase(_f("The {what} must be a number (got {g!r}).")) from None
    if not math.isfinite(g) or g <= -1:
        raise EdgeCase(_f(
            "The {what} must be above -100 % a year (got {g:.0%}); at -100 % the level would vanish in one year."
        ))
    return g


def gap_ratio(x_peer, x_china) -> float:
    """How many times larger the peer's level is than China's: :math:`x_p / x_c`.

    A ratio above 1 means China is behind, exactly 1 no gap, below 1 China is ahead.

    >>> gap_ratio(3.0, 2.0)
    1.5
    """
    return _positive_level(x_peer, N_("peer's level")) / _positive_level(x_china, N_("China's level"))


def period_growth(series: pd.Series, start: int, end: int) -> tuple[float, int, int]:
    """Compound annual growth of a year-indexed series over ``start``-``end``.

    Uses the first and last *observed* (non-missing) years inside the period, so a series that
    stops a year early (India's R&D intensity ends in 2020) still gets a rate; the years actually
    used are returned with it.

    Returns
    -------
    (g, first_year, last_year)
        ``g = (x_last / x_first) ** (1 / (last_year - first_year)) - 1``.

    Raises
    ------
    EdgeCase
        If the period holds fewer than two observed years, or a level is not positive.

    >>> s = pd.Series([1.0, 2.0, 4.0], index=[2000, 2001, 2002])
    >>> period_growth(s, 2000, 2002)
    (1.0, 2000, 2002)
    """
    start, end = int(start), int(end)
    if end < start:
        start, end = end, start
    s = pd.to_numeric(series, errors="coerce")
    s = s[(s.index >= start) & (s.index <= end)].dropna().sort_index()
    name = series.name if series.name is not None else "the series"
    if len(s) < 2:
        raise EdgeCase(_f(
            "{name} has fewer than two observed years in {start}-{end}: pick a period of at least two years with data."
        ))
    y0, y1 = int(s.index[0]), int(s.index[-1])
    x0 = _positive_level(s.iloc[0], f"level of {name} in {y0}")
    x1 = _positive_level(s.iloc[-1], f"level of {name} in {y1}")
    return cagr(x0, x1, y1 - y0), y0, y1


def _observed_span(column: pd.Series, years: np.ndarray, lo: int, hi: int):
    """The first and last observed (year, level) of a numeric ``column`` in ``lo``-``hi``, as
    :func:`period_growth` finds them, from plain arrays (this runs for every economy on every
    redraw); None when :func:`period_growth` would stop (fewer than two years, a level not
    positive) or the column is not numeric, so that it gives its own message."""
    if not pd.api.types.is_numeric_dtype(column.dtype) or not pd.api.types.is_integer_dtype(years.dtype):
        return None
    values = column.to_numpy(dtype="float64")
    inside = np.flatnonzero((years >= lo) & (years <= hi) & ~np.isnan(values))
    if inside.size < 2:
        return None
    first, last = inside[np.argmin(years[inside])], inside[np.argmax(years[inside])]
    x0, x1 = float(values[first]), float(values[last])
    if not (math.isfinite(x0) and math.isfinite(x1) and x0 > 0 and x1 > 0):
        return None
    return (int(years[first]), x0), (int(years[last]), x1)


def trend_growth(levels: pd.DataFrame, economies, start: int, end: int) -> pd.DataFrame:
    """The trend growth (CAGR) of each economy's column of ``levels`` over ``start``-``end``.

    ``levels`` is wide: one row per year (the index), one column per economy. Returns a table
    indexed by economy with columns ``growth`` (a fraction per year), ``first_year``,
    ``last_year``.
    """
    rows = {}
    lo, hi = sorted((int(start), int(end)))
    years = levels.index.to_numpy()
    for name in economies:
        if name not in levels.columns:
            raise EdgeCase(_f("{name!r} is not in the data; choose from: {', '.join(map(str, levels.columns))}."))
        found = _observed_span(levels[name], years, lo, hi)
        if found is None:  # too few years or a level that is not positive: period_growth says which
            g, y0, y1 = period_growth(levels[name].rename(name), start, end)
        else:
            (y0, x0), (y1, x1) = found
            g = cagr(x0, x1, y1 - y0)
        rows[name] = {"growth": g, "first_year": y0, "last_year": y1}
    return pd.DataFrame.from_dict(rows, orient="index")


def years_to_target(x0, target, g) -> float:
    """Years until a level ``x0`` growing at ``g`` a year reaches ``target``.

    :math:`t^* = \\ln(x^*/x_0) / \\ln(1+g)`. Returns ``0.0`` if the level is already at or above
    the target and ``math.inf`` if it is below and does not grow (``g <= 0``).

    >>> years_to_target(1.0, 2.0, 1.0)
    1.0
    >>> years_to_target(2.0, 1.0, 0.05)
    0.0
    >>> years_to_target(1.0, 2.0, 0.0)
    inf
    """
    x0 = _positive_level(x0, "starting level")
    target = _positive_level(target, "target level")
    g = _growth(g, "growth rate")
    if x0 >= target:
        return 0.0
    if g <= 0:
        return math.inf
    return math.log(target / x0) / math.log1p(g)


def years_to_catch_up(x_c, x_p, g_c, g_p) -> float:
    """Years until China's level ``x_c`` (growing at ``g_c``) reaches a peer's ``x_p`` (growing at ``g_p``).

    :math:`t^* = \\ln(x_p/x_c) / \\ln\\big((1+g_c)/(1+g_p)\\big)`: the gap ratio shrinks by the
    factor :math:`(1+g_c)/(1+g_p)` every year. Returns ``0.0`` if China is already at or above
    the peer, ``math.inf`` if it is behind and ``g_c <= g_p`` (the gap never closes).

    >>> years_to_catch_up(1.0, 2.0, 1.0, 0.0)     # China doubles each year, the peer stands still
    1.0
    >>> years_to_catch_up(1.0, 2.0, 0.03, 0.03)
    inf
    """
    x_c = _positive_level(x_c, N_("China's level"))
    x_p = _positive_level(x_p, N_("peer's level"))
    g_c = _growth(g_c, N_("China's growth rate"))
    g_p = _growth(g_p, "peer's growth rate")
    if x_c >= x_p:
        return 0.0
    if g_c <= g_p + _EPS:
        return math.inf
    return math.log(x_p / x_c) / (math.log1p(g_c) - math.log1p(g_p))


def crossing_year(base_year: int, years: float) -> int | None:
    """The first whole calendar year in which the catch-up has happened.

    ``base_year + ceil(years)``, or ``None`` when ``years`` is infinite. A value within 1e-9 of a
    whole number counts as that number (so 2.0000000001 years is 2 years, not 3).

    >>> crossing_year(2021, 0.0), crossing_year(2021, 1.2), crossing_year(2021, math.inf)
    (2021, 2023, None)
    """
    if not math.isfinite(years):
        return None
    return int(base_year) + int(math.ceil(round(float(years), 9)))


def project(series: pd.Series, growth, until: int) -> pd.Series:
    """Continue a year-indexed series at a constant growth rate.

    Starts from the last observed (non-missing) year :math:`T` and returns
    :math:`x_T (1+g)^{t-T}` for :math:`t = T, T+1, \\dots,` ``until`` (the jump-off year included,
    so a plot of the projection joins the history).

    >>> project(pd.Series([1.0, 2.0], index=[2020, 2021]), 1.0, 2023).tolist()
    [2.0, 4.0, 8.0]
    """
    g = _growth(growth, N_("growth rate"))
    years = series.index.to_numpy()
    if pd.api.types.is_numeric_dtype(series.dtype) and pd.api.types.is_integer_dtype(years.dtype):
        # plain arrays (this runs for every economy on every redraw): the last observed year
        values = series.to_numpy(dtype="float64")
        seen = np.flatnonzero(~np.isnan(values))
        if seen.size == 0:
            raise EdgeCase(_f("{series.name or 'The series'} has no observed values to project from."))
        last = seen[np.argmax(years[seen])]
        base, x0 = int(years[last]), values[last]
    else:
        s = pd.to_numeric(series, errors="coerce").dropna().sort_index()
        if s.empty:
            raise EdgeCase(_f("{series.name or 'The series'} has no observed values to project from."))
        base, x0 = int(s.index[-1]), s.iloc[-1]
    x0 = _positive_level(x0, f"last level of {series.name or 'the series'}")
    until = int(until)
    if until < base:
        raise EdgeCase(_f("The projection must end in or after the last observed year ({base}); got {until}."))
    years = np.arange(base, until + 1)
    values = x0 * (1.0 + g) ** (years - base)
    return pd.Series(values, index=pd.Index(years, name="year"), name=series.name)


def catchup_table(levels: pd.DataFrame, peers, g_china, g_peers, china: str = "China") -> pd.DataFrame:
    """One row per peer: the gap today and how long China needs to close it.

    Parameters
    ----------
    levels : DataFrame
        Wide table, index = year, one column per economy (China included).
    peers : list of str
        Columns to compare China with.
    g_china : float
        China's growth rate (fraction per year).
    g_peers : float or mapping
        One rate for every peer, or ``{peer: rate}``.
    china : str
        China's column.

    Returns
    -------
    DataFrame indexed by peer with columns
        ``base_year`` (the last year both are observed), ``china_level``, ``peer_level``,
        ``gap_ratio`` (peer / China), ``gap_points`` (peer minus China), ``china_growth``,
        ``peer_growth``, ``years_to_current_level`` (to reach the peer's *current* level, a fixed
        target), ``years_to_catch_up`` (the peer keeps growing), ``catch_up_year`` (nullable
        integer) and ``status``.
    """
    peers = list(peers)
    if not peers:
        raise EdgeCase(_("Pick at least one economy to compare China with."))
    if china not in levels.columns:
        raise EdgeCase(_f("{china!r} is not in the data."))
    g_c = _growth(g_china, N_("China's growth rate"))
    years = levels.index.to_numpy()
    china_levels = pd.to_numeric(levels[china], errors="coerce").to_numpy(dtype="float64")
    rows = []
    for peer in peers:
        if peer not in levels.columns:
            raise EdgeCase(_f("{peer!r} is not in the data; choose from: {', '.join(map(str, levels.columns))}."))
        g_p = _growth(g_peers[peer] if isinstance(g_peers, Mapping) else g_peers, f"growth rate of {peer}")
        # the last year in which both are observed (plain arrays: this runs on every redraw)
        peer_levels = pd.to_numeric(levels[peer], errors="coerce").to_numpy(dtype="float64")
        both = np.flatnonzero(~np.isnan(china_levels) & ~np.isnan(peer_levels))
        if both.size == 0:
            raise EdgeCase(_f("China and {peer} have no year observed in common."))
        last = both[np.argmax(years[both])]
        base = int(years[last])
        x_c, x_p = float(china_levels[last]), float(peer_levels[last])
        t_fixed = years_to_target(x_c, x_p, g_c)
        t_move = years_to_catch_up(x_c, x_p, g_c, g_p)
        year = crossing_year(base, t_move)
        if t_move == 0:
            status = STATUS_AHEAD
        elif year is None:
            status = STATUS_NEVER
        else:
            status = f"catches up in {year}"
        rows.append(
            {
                "economy": peer,
                "base_year": base,
                "china_level": x_c,
                "peer_level": x_p,
                "gap_ratio": gap_ratio(x_p, x_c),
                "gap_points": x_p - x_c,
                "china_growth": g_c,
                "peer_growth": g_p,
                "years_to_current_level": t_fixed,
                "years_to_catch_up": t_move,
                "catch_up_year": year,
                "status": status,
            }
        )
    table = pd.DataFrame(rows).set_index("economy")
    table["catch_up_year"] = table["catch_up_year"].astype("Int64")
    return table


def wide_levels(long: pd.DataFrame, entity: str = "entity", year: str = "year",
                value: str = "rd_expenditure_pct_gdp") -> pd.DataFrame:
    """Turn a long table (entity, year, value) into the wide year x economy table used here."""
    return long.pivot(index=year, columns=entity, values=value).sort_index().rename_axis(columns=None)


@dataclass
class CatchupResult:
    """What :func:`explore` returns; :func:`render` draws it."""

    history: pd.DataFrame            # year x economy, observed levels of China and the peers
    projections: dict                # economy -> projected Series (from its last observed year)
    table: pd.DataFrame              # catchup_table(...)
    growth: dict                     # economy -> growth rate used (fraction per year)
    trend: pd.DataFrame              # trend_growth over the chosen period (for reference)
    period: tuple                    # (start, end) of the period the trends come from
    until: int                       # last projected year
    china: str = "China"
    unit: str = N_("R&D expenditure, % of GDP")
    label: str = N_("R&D intensity")
    notes: list = field(default_factory=list)

    @property
    def headline(self) -> str:
        """A sentence stating the finding, used as the figure title."""
        t = self.table
        g = self.growth[self.china]
        # plain lists, not DataFrame filters: the title is made again on every redraw
        behind = [(name, year) for name, status, year in zip(t.index, t["status"], t["catch_up_year"])
                  if status != STATUS_AHEAD]
        if not behind:
            return _f("China is already above every selected economy ({int(t['base_year'].max())})")
        caught = sorted(((n, y) for n, y in behind if not pd.isna(y)), key=lambda item: item[1])
        never = [n for n, y in behind if pd.isna(y)]
        parts = []
        if caught:
            first, year = caught[0]
            parts.append(_f("Growing {g:.2%}/yr, China's {_(self.label)} passes {short_name(first)} in "
                            "{int(year)}"))
        names = _(", ").join(short_name(n) for n in never[:2]) + (" ..." if len(never) > 2 else "")
        if not caught:  # (explore() raises EdgeCase for this case; kept for direct use)
            return _f("Growing {g:.2%}/yr, China's {_(self.label)} never catches {names}")
        if never:
            parts.append(_f("never catches {names}"))
        return _("; ").join(parts)


_SHORT = {
    "United States": N_("US"),
    "United Kingdom": N_("UK"),
    "European Union (27)": N_("EU-27"),
    "High-income countries": N_("high-income"),
    "South Korea": N_("Korea"),
}
#: economy names shown in the widget's list, for the catalogue (the others are there already)
_NAMES = (N_("European Union (27)"), N_("High-income countries"), N_("World"))


def short_name(name: str) -> str:
    """The short label of an economy used in chart text ("US", "EU-27", "Korea" ...).

    >>> short_name("European Union (27)")
    'EU-27'
    """
    return gettext(_SHORT.get(name, name))


def explore(levels: pd.DataFrame, countries=(), period=(2011, 2021), china_growth=None,
            peer_growth=0.0, peers_follow_trend=True, until=2050, china="China",
            label="R&D intensity") -> CatchupResult:
    """The compute function behind the lesson's widget.

    Parameters
    ----------
    levels : DataFrame
        Wide year x economy table (see :func:`wide_levels`).
    countries : sequence of str
        Peers to compare China with.
    period : (int, int)
        Years whose compound growth defines each economy's trend.
    china_growth : float or None
        China's growth in **per cent a year** (the slider's unit); ``None`` = China's trend.
    peer_growth : float
        One growth rate in per cent a year for every peer, used when ``peers_follow_trend`` is False.
    peers_follow_trend : bool
        True: each peer grows at its own trend over ``period``.
    until : int
        Last year of the projection.

    Raises
    ------
    EdgeCase
        Empty selection; a period shorter than one year; China below every selected peer
        that is ahead of it and never catching any of them at the chosen rates.
    """
    countries = [c for c in countries if c != china]
    if not countries:
        raise EdgeCase(_("Pick at least one economy to compare China with."))
    start, end = (int(p) for p in period)
    if end - start < 1:
        raise EdgeCase(_("The period must span at least two years to give a growth rate: widen it."))
    trend = trend_growth(levels, [china, *countries], start, end)
    g_c = trend.loc[china, "growth"] if china_growth is None else float(china_growth) / 100.0
    if peers_follow_trend:
        g_p = {c: float(trend.loc[c, "growth"]) for c in countries}
    else:
        g_p = {c: float(peer_growth) / 100.0 for c in countries}
    table = catchup_table(levels, countries, g_c, g_p, china=china)

    behind = table[table["status"] != STATUS_AHEAD]
    if not behind.empty and behind["catch_up_year"].isna().all():
        named = []
        for n in behind.index:
            rate = behind.loc[n, "peer_growth"]
            named.append(_f("{short_name(n)} ({rate:.2%}/yr)"))
        names = _(", ").join(named)
        if g_c <= 0:
            reason = _f("at {g_c:.2%}/yr China's {_(label)} does not rise, so it cannot gain on {names}")
        else:
            reason = _f("at {g_c:.2%}/yr China does not grow faster than {names}")
        raise EdgeCase(_f("China never catches up at these rates: {reason}. "
                          "A gap closes only if China grows faster than the peer."))

    history = levels[[china, *countries]]
    history = history.loc[:, ~history.columns.duplicated()].dropna(how="all")
    growth = {china: g_c, **g_p}
    projections = {name: project(history[name], growth[name], until) for name in history.columns}
    notes = []
    ahead = table.index[table["status"] == STATUS_AHEAD].tolist()
    if ahead:
        notes.append(_f("China is already ahead of {', '.join(short_name(a) for a in ahead)}."))
    return CatchupResult(history=history, projections=projections, table=table, growth=growth,
                         trend=trend, period=(start, end), until=int(until), china=china, notes=notes,
                         label=label)


# ----------------------------------------------------------------------------------------------
# Drawing (imports matplotlib and the course palette lazily so the arithmetic stays light)

#: Fixed style per economy (Okabe-Ito colour name, marker), so an economy looks the same whatever
#: is selected. China is vermillion and drawn thicker; yellow is not used for lines (low contrast).
#: The five default peers get five different colours; every economy has its own marker.
_ECONOMY_STYLE = {
    "China": ("vermillion", "o"),
    "United States": ("blue", "s"),
    "Japan": ("orange", "^"),
    "Germany": ("bluish_green", "D"),
    "South Korea": ("reddish_purple", "v"),
    "European Union (27)": ("sky_blue", "h"),
    "United Kingdom": ("black", "P"),
    "France": ("blue", "X"),
    "India": ("black", "*"),
    "High-income countries": ("orange", "<"),
    "World": ("bluish_green", ">"),
}


def economy_style(name: str, i: int = 0) -> tuple[str, str]:
    """Colour and marker of an economy in the lesson's charts (the same in every chart).

    ``i`` picks a course series style for a name without a fixed style.

    >>> economy_style("China")
    ('#D55E00', 'o')
    """
    from course.plots import MARKERS, PALETTE, series_style

    if name in _ECONOMY_STYLE:
        colour, marker = _ECONOMY_STYLE[name]
        return PALETTE[colour], marker
    style = series_style(i)
    return style["color"], MARKERS[i % len(MARKERS)]


def render(result: CatchupResult, figsize=(6.4, 3.8), dpi=80, reuse: dict | None = None):
    """History (solid) and projections (dashed) of China and the selected peers, with crossings.

    Returns a matplotlib Figure (not attached to pyplot) whose title states the finding. ``reuse`` (a
    dict kept by the Explorer) holds the previous redraw's figure: its lines, crossings, labels and
    title are updated in place (the same pixels as a new figure, for less work), and the lines of
    economies shown before are kept hidden for when they are chosen again; another language or size
    gets a new figure.
    """
    from course.plots import course_style

    key = (_figure_key(), tuple(figsize), dpi)
    state = reuse.get("state") if reuse and reuse.get("key") == key else None
    with course_style():
        if state is None:
            state = _catchup_figure(result, figsize, dpi)
            if reuse is not None:
                reuse.update(key=key, state=state)
        else:  # the same economies or others: the kept artists get the new data (_catchup_lines)
            _update_catchup(state, result)
    return state["fig"]


def _figure_key() -> tuple:
    """What a figure kept for the next redraw depends on: :func:`course.plots.reuse_key`."""
    from course import plots

    return plots.reuse_key()



def _paste_when_unmoved(text) -> None:
    """The y label pastes its kept pixels (:func:`course.plots.keep_pixels`) where it was drawn before.

    It is rotated, and ``course.fastdraw`` caches only horizontal text, so drawing it cost about a
    fifth of a redraw. It moves when the tick labels beside it get wider or narrower, so its place is
    its string, font and display position, and a few places are kept.
    """
    from course import plots

    plots.keep_pixels(text, keep=8, place=lambda: (
        text.get_text(), text.get_rotation(), text.get_fontsize(), text.get_color(),
        tuple(text.get_transform().transform(text.get_unitless_position()))))


def _catchup_figure(result: CatchupResult, figsize, dpi) -> dict:
    """A new figure for :func:`render`; its artists are kept for :func:`_update_catchup`."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from course import fastdraw

    fig = Figure(figsize=figsize, dpi=dpi)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_ylabel(_(result.unit), fontsize=9)
    _paste_when_unmoved(ax.yaxis.label)  # rotated text: pasted where it was drawn before ...
    fastdraw.cache_rotated(ax.yaxis.label)  # ... and drawn from cached glyphs where it moved
    ax.tick_params(labelsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))  # fewer tick labels: a faster redraw
    # fixed margins instead of tight_layout(), which would cost about half of a redraw; set before the
    # end labels are placed, which are kept apart in display units
    fig.subplots_adjust(left=0.09, right=0.80, bottom=0.13, top=0.85)
    divider = ax.axvline(0, color="0.55", lw=0.9, ls=":", zorder=_Z_DIVIDER)
    state = dict(fig=fig, ax=ax, divider=divider, pool={}, stars=[], notes=[])
    _catchup_lines(state, result)
    _place_marks(state, result)
    return state


#: Drawing order (matplotlib draws an axes' artists by zorder, ties in the order they were added).
#: The lines and labels of every economy shown so far are kept in a pool and only the selected ones
#: are visible, so the order cannot come from the order they were added in: each artist's zorder
#: puts it where a new figure of the selection would draw it. Lines 2 + a little (selection order,
#: observed before projected), the divider after them, spines at 2.5, then the crossing notes and the
#: end labels below 3 (the title, also at 3, is drawn after the axes' other artists), stars at 5.
_Z_LINE, _Z_DIVIDER, _Z_NOTE, _Z_END, _Z_STAR = 2.0, 2.1, 2.9, 2.95, 5.0
_Z_STEP = 1e-4


def _catchup_lines(state: dict, result: CatchupResult) -> None:
    """The observed (solid) and projected (dashed) line of each economy, its end label, and the divider.

    An economy's line pair and label are made the first time it is shown and kept (``state["pool"]``),
    hidden while it is not selected: choosing other economies changes data and visibility, not the
    artists (a new artist costs more to draw the first time than a kept one to draw again).
    """
    ax = state["ax"]
    pool = state["pool"]
    last_hist = int(result.history.index.max())
    hist_lines, proj_lines, ends, shown = [], [], [], set()
    for i, name in enumerate(result.history.columns):
        colour, marker = economy_style(name, i)
        lw = 2.6 if name == result.china else 1.5
        key = (name, colour, marker, lw)
        if key not in pool:
            hist, = ax.plot([], [], color=colour, lw=lw, ls="-", marker=marker, markevery=5, ms=5)
            # the label is drawn at the end of the dashed line (direct labels instead of a legend)
            proj, = ax.plot([], [], color=colour, lw=lw * 0.8, ls="--", marker=marker, ms=5, markevery=[0])
            end = ax.annotate("", (0, 0), xytext=(0, 0), textcoords="offset points", va="center", ha="left",
                              fontsize=7.5, annotation_clip=False)
            pool[key] = (hist, proj, end)
        hist, proj, end = pool[key]
        observed = result.history[name].dropna()
        hist.set_data(observed.index, observed.values)
        projected = result.projections[name]
        proj.set_data(projected.index, projected.values)
        proj.set_markevery([len(projected) - 1])
        proj.set_label(_f("{short_name(name)} {result.growth[name]:+.2%}/yr"))
        hist.set_zorder(_Z_LINE + 2 * i * _Z_STEP)
        proj.set_zorder(_Z_LINE + (2 * i + 1) * _Z_STEP)
        end.set_zorder(_Z_END + i * _Z_STEP)
        hist_lines.append(hist)
        proj_lines.append(proj)
        ends.append(end)
        shown.add(key)
    for key, artists in pool.items():
        for artist in artists:
            artist.set_visible(key in shown)
    state["divider"].set_xdata([last_hist + 0.5, last_hist + 0.5])
    ax.set_xlabel(_f("Year (solid: observed to {last_hist}; dashed: constant growth)"), fontsize=9)
    state.update(hist_lines=hist_lines, proj_lines=proj_lines, ends=ends)


def _whole_pixel_offset(ax, xy, offset_pt):
    """``offset_pt`` (points from the data point ``xy``) moved by less than half a pixel so that the
    text's anchor falls on a whole pixel: a label's glyphs then fall on the same sub-pixel positions
    from one redraw to the next, and course.fastdraw finds them rendered already."""
    ppp = ax.figure.dpi / 72
    x, y = ax.transData.transform(xy)
    return ((round(x + offset_pt[0] * ppp) - x) / ppp, (round(y + offset_pt[1] * ppp) - y) / ppp)


def _place_marks(state: dict, result: CatchupResult) -> None:
    """Put ``result``'s crossings (a star and a note each), the end labels and the title in place.

    The axis limits are set first (from the visible lines); the end labels are then spread apart in
    display units as :func:`course.plots.annotate_last` does, and every text is anchored on a whole
    pixel (:func:`_whole_pixel_offset`).
    """
    from course.plots import finding_title, readable_on_white

    ax = state["ax"]
    china_proj = result.projections[result.china]
    t = result.table
    crossings = sorted(((peer, int(year)) for peer, status, year in zip(t.index, t["status"], t["catch_up_year"])
                        if status != STATUS_AHEAD and not pd.isna(year) and year <= result.until),
                       key=lambda item: item[1])
    stars, notes = state["stars"], state["notes"]
    while len(stars) < len(crossings):  # one star and one note per crossing, kept (hidden) for later ones
        k = len(stars)
        stars += ax.plot([], [], marker="*", ms=13, color="black", ls="none", zorder=_Z_STAR + k * _Z_STEP,
                         visible=False)
        notes.append(ax.annotate("", (0, 0), xytext=(0, 0), textcoords="offset points", ha="left",
                                 fontsize=8, visible=False, zorder=_Z_NOTE + k * _Z_STEP))
    for k, star in enumerate(stars):
        shown = k < len(crossings)
        star.set_visible(shown)
        notes[k].set_visible(shown)
        if shown:
            year = crossings[k][1]
            star.set_data([year], [float(china_proj.loc[year])])
    # the limits, as annotate_last sets them (ax.relim(), then autoscale_view()): the data limits are
    # the extremes of the lines' finite points, found here from their arrays (relim walks every artist
    # and path, ~5 % of a redraw); the stars lie on China's line and the divider inside the years
    xy = [(np.asarray(ln.get_xdata(), dtype=float), np.asarray(ln.get_ydata(), dtype=float))
          for ln in state["hist_lines"] + state["proj_lines"]]
    xs = np.concatenate([x[np.isfinite(x) & np.isfinite(y)] for x, y in xy])
    ys = np.concatenate([y[np.isfinite(x) & np.isfinite(y)] for x, y in xy])
    ax.dataLim.set_points(np.array([[xs.min(), ys.min()], [xs.max(), ys.max()]]))
    ax.ignore_existing_data_limits = False
    ax.autoscale_view()
    ax.get_xlim(), ax.get_ylim()  # settle the limits before anything is placed in display units
    for k, (peer, year) in enumerate(crossings):
        xy = (year, float(china_proj.loc[year]))
        note = notes[k]
        note.set_text(_f("passes {short_name(peer)} in {year}"))
        note.xy = xy
        note.xyann = _whole_pixel_offset(ax, xy, (6, -13 - 11 * k))
    # the end labels: bottom-up, each at least 1.15 font sizes above the one below (annotate_last)
    ppp = ax.figure.dpi / 72
    gap = 7.5 * 1.15 * ppp
    ends = []
    for ln in state["proj_lines"]:
        x, y = np.asarray(ln.get_xdata(), dtype=float), np.asarray(ln.get_ydata(), dtype=float)
        ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        ends.append((ln, x[ok[-1]], y[ok[-1]]) if ok.size else None)
    disp = [ax.transData.transform((e[1], e[2]))[1] if e else np.nan for e in ends]
    placed = np.array(disp, dtype=float)
    order = [i for i in np.argsort(disp) if ends[i] is not None]
    for a, b in zip(order, order[1:]):
        placed[b] = max(placed[b], placed[a] + gap)
    for label, end, d, p in zip(state["ends"], ends, disp, placed):
        label.set_visible(end is not None)
        if end is None:
            continue
        ln, x, y = end
        label.set_text(ln.get_label())
        label.set_color(readable_on_white(ln.get_color()))
        label.xy = (x, y)
        label.xyann = _whole_pixel_offset(ax, (x, y), (6, (p - d) / ppp))
    title = finding_title(ax, result.headline)
    # the title's place is fixed (y = 1, above the axes, where matplotlib puts it here anyway) so that a
    # redraw does not measure the tick labels once more to find it
    ax.set_title(title.get_text(), loc="left", y=1.0, fontsize=title.get_fontsize(),
                 fontweight=title.get_fontweight())
    ax.title.set_fontsize(10.5)


def _update_catchup(state: dict, result: CatchupResult) -> None:
    """Give the kept figure of :func:`_catchup_figure` the lines, crossings, labels and title of
    ``result`` (any economies): what :func:`_catchup_figure` would have drawn
    (``tests/test_redraw_reuse_c.py``, ``tests/test_redraw_reuse_f.py``)."""
    _catchup_lines(state, result)
    _place_marks(state, result)


def alt_text(result: CatchupResult) -> str:
    """A description of the figure for screen readers."""
    parts = []
    for peer, row in result.table.iterrows():
        status = _status(row)
        parts.append(_f("{peer}: {row['peer_level']:.2f} vs China {row['china_level']:.2f} in {int(row['base_year'])}, "
                        "{status}"))
    return _f(
        "Line chart of {_(result.unit)} for {', '.join(result.history.columns)}, observed "
        "{int(result.history.index.min())}-{int(result.history.index.max())} (solid lines) and projected to "
        "{result.until} at constant growth (dashed lines); China grows at {result.growth[result.china]:.2%} a year. "
        "{'; '.join(parts)}."
    )


def _status(row) -> str:
    """A row's status in the student's language (the table itself keeps the English values)."""
    if row["status"] in (STATUS_AHEAD, STATUS_NEVER):
        return _(row["status"])
    year = int(row["catch_up_year"])
    return _f("catches up in {year}")


def explorer(levels: pd.DataFrame, countries=("United States", "South Korea", "Japan", "Germany", "European Union (27)"),
             period=(2011, 2021), until=2050, china="China", reference="United States", caption=None):
    """Build the lesson's widget: a country multi-select, a trend period, growth sliders.

    The default is "everyone continues their own trend over the period". Moving the period resets
    China's slider to China's trend over the new period and the common peer slider to the trend of
    ``reference`` (the United States). Untick *peers follow their own trend* to give every selected
    peer the rate on the peer slider instead. ``caption`` is shown under the figure (the citation).
    """
    import ipywidgets as w

    from course.widgets import Explorer, once_per_setting

    years = [int(y) for y in levels.index]
    options = [c for c in levels.columns if c != china]

    def trend_pct(name, p):
        return round(100 * period_growth(levels[name].rename(name), *p)[0], 2)

    controls = {
        "countries": w.SelectMultiple(options=[(gettext(c), c) for c in options],
                                      value=tuple(c for c in countries if c in options),
                                      rows=6, description=_("Compare with")),
        "period": w.IntRangeSlider(value=tuple(period), min=min(years), max=max(years), step=1,
                                   description=_("Trend period"), continuous_update=False),
        "china_growth": w.FloatSlider(value=trend_pct(china, period), min=-5.0, max=15.0, step=0.01,
                                      readout_format=".2f", description=_("China %/yr"), continuous_update=False),
        "peers_follow_trend": w.Checkbox(value=True, description=_("peers follow their own trend over the period")),
        "peer_growth": w.FloatSlider(value=trend_pct(reference, period), min=-5.0, max=15.0, step=0.01, readout_format=".2f",
                                     description=_("Peers %/yr"), continuous_update=False, disabled=True),
        "until": w.IntSlider(value=int(until), min=max(years) + 4, max=2080, step=1, description=_("Project to"),
                             continuous_update=False),
    }

    @once_per_setting  # ~10 ms with every economy; the notes and the title are in the student's language
    def compute(countries, period, china_growth, peers_follow_trend, peer_growth, until):
        return explore(levels, countries=countries, period=period, china_growth=china_growth,
                       peer_growth=peer_growth, peers_follow_trend=peers_follow_trend, until=until, china=china)

    holder = {}

    def _on_period(change):
        # Runs before the Explorer's own observer of the period (it is registered first). The two
        # sliders are moved in the Explorer's batch mode, so the period change redraws once, with
        # the new period and the new trend rates together.
        ex = holder.get("explorer")
        with ex.hold() if ex is not None else contextlib.nullcontext():
            try:
                controls["peer_growth"].value = trend_pct(reference, change["new"])
                controls["china_growth"].value = trend_pct(china, change["new"])
            except EdgeCase:
                pass  # a one-year period: the Explorer shows the explanation

    def _on_follow(change):
        controls["peer_growth"].disabled = bool(change["new"])

    controls["period"].observe(_on_period, names="value")
    controls["peers_follow_trend"].observe(_on_follow, names="value")
    reuse: dict = {}  # the figure drawn last, updated in place while the same economies are shown
    holder["explorer"] = Explorer(controls, compute, lambda r: render(r, reuse=reuse), alt=alt_text, caption=caption,
                                  title=_("Catch-up projection: China's R&D intensity against its peers"))
    return holder["explorer"]
