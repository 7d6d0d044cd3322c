"""Growth accounting: how much of output growth comes from more inputs, and how much is left over.

Lesson 11 (paper section 二(一), id N1) asks whether China's growth has come from piling up
factors of production or from using them better. The tool is growth accounting (增长核算) with a
Cobb-Douglas production function

.. math:: Y = A K^{\\alpha} (h L)^{1-\\alpha},

where :math:`Y` is real output, :math:`K` the capital stock, :math:`L` labour (persons engaged,
optionally times hours per worker), :math:`h` human capital per worker and :math:`A` total factor
productivity (TFP, 全要素生产率). Taking logs and differences over a period of :math:`n` years,

.. math:: g_Y = \\alpha g_K + (1-\\alpha) g_L + (1-\\alpha) g_h + g_A ,

with :math:`g_X = 100\\,(\\ln X_{end} - \\ln X_{start}) / n` (average log growth, per cent a year).
The TFP term is what is left over, the *Solow residual* (索洛余值), so the contributions add up to
output growth exactly, by construction.

The data are Penn World Table 10.01 columns as they appear in the course tables ``pwt_china``
and ``pwt_peers`` (see :data:`COLUMNS`). Everything here is a pure function of a DataFrame:
nothing is read from disk, nothing is drawn, except in :func:`plot_contributions` and
:func:`make_explorer`, the thin widget shell used in the lesson.

Settings that make no sense (an empty period, years outside the data, a capital share outside
[0, 1]) raise :class:`course.widgets.EdgeCase` with a one-line explanation for the student.

References
----------
Solow, R. M. (1957). Technical change and the aggregate production function. *Review of Economics
and Statistics* 39(3): 312-320.
Bosworth, B. and Collins, S. M. (2008). Accounting for growth: comparing China and India.
*Journal of Economic Perspectives* 22(1): 45-66 (capital share 0.40 for China).
Feenstra, R. C., Inklaar, R. and Timmer, M. P. (2015). The next generation of the Penn World
Table. *American Economic Review* 105(10): 3150-3182.

Examples
--------
A made-up economy whose capital grows 5 % a year (log), labour 1 %, human capital 1 %, with
TFP growth of 2 % and a capital share of 0.4, grows 0.4*5 + 0.6*1 + 0.6*1 + 2 = 5.2 % a year:

>>> import numpy as np, pandas as pd
>>> t = np.arange(11)
>>> toy = pd.DataFrame({"year": 2000 + t,
...     "rnna_mil_2017usd": np.exp(0.05 * t), "emp_millions": np.exp(0.01 * t),
...     "hc_index": np.exp(0.01 * t), "labsh_share": 0.6})
>>> toy["rgdpna_mil_2017usd"] = np.exp(0.02 * t) * toy["rnna_mil_2017usd"] ** 0.4 * (
...     toy["hc_index"] * toy["emp_millions"]) ** 0.6
>>> res = growth_accounting(toy, 2000, 2010)
>>> round(res.output_growth, 6), round(res.tfp, 6), round(res.alpha, 6)
(5.2, 2.0, 0.4)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.i18n import N_, _, _f
from course.edgecase import EdgeCase

__all__ = [
    "COLUMNS",
    "COUNTRY_NAMES",
    "PERIODS",
    "GrowthAccounting",
    "growth_accounting",
    "compare_periods",
    "compare_countries",
    "alpha_sensitivity",
    "tfp_bridge",
    "official_output_growth",
    "plot_contributions",
    "plot_stacked",
    "describe",
    "make_explorer",
]

#: The Penn World Table 10.01 columns used, by role, as named in the course tables.
COLUMNS = {
    "output": "rgdpna_mil_2017usd",  # real GDP at constant 2017 national prices
    "capital": "rnna_mil_2017usd",  # capital stock at constant 2017 national prices
    "capital_services": "rkna_index_2017eq1",  # capital services (used by PWT's own TFP)
    "employment": "emp_millions",  # persons engaged
    "hours": "avh_hours_per_worker",  # average annual hours worked per person engaged
    "human_capital": "hc_index",  # human capital index (schooling and returns to it)
    "labour_share": "labsh_share",  # share of labour compensation in GDP
    "pwt_tfp": "rtfpna_index_2017eq1",  # PWT's TFP at constant national prices (2017 = 1)
}

#: English names of the economies in ``pwt_peers``.
COUNTRY_NAMES = {
    "CHN": N_("China"), "USA": N_("United States"), "JPN": N_("Japan"), "KOR": N_("South Korea"),
    "DEU": N_("Germany"), "GBR": N_("United Kingdom"), "FRA": N_("France"), "IND": N_("India"),
}

#: Periods used in the lesson: the reform era and four sub-periods.
PERIODS = {
    "1978-2019": (1978, 2019),
    "1978-1991": (1978, 1991),
    "1992-2001": (1992, 2001),
    "2002-2011": (2002, 2011),
    "2012-2019": (2012, 2019),
}

# Rows of the result table, in drawing order.
_SOURCES = {
    "capital": N_("Capital"),
    "employment": N_("Employment"),
    "hours": N_("Hours per worker"),
    "human_capital": N_("Human capital"),
    "tfp": N_("TFP (residual)"),
}


@dataclass(frozen=True)
class GrowthAccounting:
    """The result of :func:`growth_accounting` for one economy and one period.

    Attributes
    ----------
    country : str
        ISO code of the economy (``"CHN"`` ...).
    start, end : int
        First and last year; growth is measured between them.
    alpha : float
        Capital share used (the weight of capital growth).
    alpha_from_pwt : bool
        True when ``alpha`` is one minus PWT's labour share averaged over the period.
    hours : bool
        True when labour input counts hours worked as well as persons.
    output_growth : float
        Average log growth of real output, per cent a year.
    table : pandas.DataFrame
        One row per source of growth (Capital, Employment, [Hours per worker], Human capital,
        TFP (residual)) with columns ``input_growth`` (per cent a year; for TFP the residual
        itself), ``weight`` (alpha or 1 - alpha; 1 for TFP), ``contribution`` (percentage points a
        year) and ``share`` (per cent of output growth; NaN if output did not grow).
    pwt_tfp_growth : float
        Average log growth of PWT's own TFP index ``rtfpna`` over the same years (NaN if absent).
    """

    country: str
    start: int
    end: int
    alpha: float
    alpha_from_pwt: bool
    hours: bool
    output_growth: float
    table: pd.DataFrame
    pwt_tfp_growth: float

    @property
    def years(self) -> int:
        """Number of years of growth (end - start)."""
        return self.end - self.start

    @property
    def contributions(self) -> pd.Series:
        """Contributions in percentage points a year, indexed by source."""
        return self.table["contribution"]

    @property
    def tfp(self) -> float:
        """The TFP residual, percentage points a year."""
        return float(self.table.loc[_SOURCES["tfp"], "contribution"])

    @property
    def tfp_share(self) -> float:
        """The TFP residual as a per cent of output growth (NaN if output did not grow)."""
        return float(self.table.loc[_SOURCES["tfp"], "share"])

    @property
    def factor_contribution(self) -> float:
        """Growth explained by more inputs (everything but TFP), percentage points a year."""
        return float(self.contributions.drop(_SOURCES["tfp"]).sum())


def _country_frame(pwt: pd.DataFrame, country: str | None) -> tuple[pd.DataFrame, str]:
    """Rows of one economy, indexed by year."""
    if not isinstance(pwt, pd.DataFrame) or pwt.empty:
        raise EdgeCase(_("There are no data to work with: pass a Penn World Table frame with rows."))
    frame = pwt
    if "countrycode" in frame.columns:
        codes = list(dict.fromkeys(frame["countrycode"].dropna()))
        if country is None:
            country = "CHN" if "CHN" in codes else (codes[0] if len(codes) == 1 else None)
            if country is None:
                raise EdgeCase(_("This table holds several economies: pick one country."))
        if country not in codes:
            have = ", ".join(COUNTRY_NAMES.get(c, c) for c in codes)
            raise EdgeCase(_f("There are no data for {COUNTRY_NAMES.get(country, country)} here (the table has {have})."))
        frame = frame[frame["countrycode"] == country]
    else:
        country = country or "CHN"
    if "year" not in frame.columns:
        raise EdgeCase(_("The table needs a 'year' column."))
    return frame.set_index("year").sort_index(), country


def _shown(country: str) -> str:
    """An economy's name in the student's language."""
    return _(_name(country))


def _name(country: str) -> str:
    return COUNTRY_NAMES.get(country, country)


def _log_growth(frame: pd.DataFrame, column: str, start: int, end: int, what: str, country: str,
                hint: str = "") -> float:
    """100 * (ln x_end - ln x_start) / (end - start), with student-facing messages on gaps."""
    what = what[:1].upper() + what[1:]
    if column not in frame.columns:
        raise EdgeCase(_f("The table has no column {column!r} ({what})."))
    values = frame[column].astype("float64")
    a, b = values.get(start, np.nan), values.get(end, np.nan)
    if not (np.isfinite(a) and np.isfinite(b)):
        present = values.dropna()
        span = f"{int(present.index.min())}-{int(present.index.max())}" if len(present) else "no years"
        raise EdgeCase(_f(
            "{what} for {_shown(country)}: data only for {span}; pick start and end years inside that range{hint}."
        ))
    if a <= 0 or b <= 0:
        raise EdgeCase(_f("{what} must be positive to take growth rates (check {start} and {end})."))
    return 100.0 * (np.log(b) - np.log(a)) / (end - start)


def growth_accounting(pwt: pd.DataFrame, start: int, end: int, alpha: float | None = None,
                      hours: bool = False, country: str | None = None) -> GrowthAccounting:
    """Split output growth between ``start`` and ``end`` into its sources.

    Parameters
    ----------
    pwt : pandas.DataFrame
        Penn World Table rows with a ``year`` column and the columns in :data:`COLUMNS`
        (``course.load("pwt_china")`` or ``course.load("pwt_peers")``). If it has a
        ``countrycode`` column, ``country`` picks the economy.
    start, end : int
        First and last year. Growth rates are average log differences per year between them.
    alpha : float, optional
        Capital share in [0, 1]. Default: one minus PWT's labour share ``labsh`` averaged over the
        years ``start`` to ``end`` (both included).
    hours : bool
        If True, labour input is persons engaged times average hours worked (PWT ``avh``), and the
        change in hours per worker gets its own row.
    country : str, optional
        ISO code (``"CHN"``, ``"USA"`` ...). Default ``"CHN"``.

    Returns
    -------
    GrowthAccounting
        Its ``table`` holds input growth, weights, contributions (percentage points a year) and
        shares of output growth; the contributions add up to ``output_growth`` exactly.

    Raises
    ------
    course.widgets.EdgeCase
        If ``start >= end``, a year lies outside the data (or a needed series is blank there), or
        ``alpha`` is not a number in [0, 1].
    """
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise EdgeCase(_("Start and end must be years, such as 1978 and 2019.")) from None
    if start >= end:
        raise EdgeCase(_f(
            "The end year ({end}) must come after the start year ({start}): growth needs at least two years."
        ))
    if alpha is not None:
        try:
            alpha = float(alpha)
        except (TypeError, ValueError):
            raise EdgeCase(_("The capital share must be a number between 0 and 1.")) from None
        if not (np.isfinite(alpha) and 0.0 <= alpha <= 1.0):
            raise EdgeCase(_f(
                "A capital share of {alpha:g} is impossible: it is a share of income, between 0 and 1 "
                "(for China PWT implies about 0.4)."
            ))
    frame, country = _country_frame(pwt, country)
    years = frame.index
    if start < years.min() or end > years.max():
        raise EdgeCase(_f(
            "The data for {_shown(country)} cover {int(years.min())}-{int(years.max())}: "
            "pick start and end years inside that range."
        ))

    g_y = _log_growth(frame, COLUMNS["output"], start, end, _("real GDP (rgdpna)"), country)
    g_k = _log_growth(frame, COLUMNS["capital"], start, end, _("the capital stock (rnna)"), country)
    g_l = _log_growth(frame, COLUMNS["employment"], start, end, _("employment (emp)"), country)
    g_h = _log_growth(frame, COLUMNS["human_capital"], start, end, _("human capital (hc)"), country)
    g_hours = (_log_growth(frame, COLUMNS["hours"], start, end, _("hours worked (avh)"), country,
                           hint=_(", or stop counting hours")) if hours else None)

    alpha_from_pwt = alpha is None
    if alpha_from_pwt:
        col = COLUMNS["labour_share"]
        if col not in frame.columns:
            raise EdgeCase(_f("The table has no labour share column {col!r}: set the capital share yourself."))
        share = frame.loc[start:end, col].astype("float64").dropna()
        if share.empty:
            raise EdgeCase(_f("PWT has no labour share for {_shown(country)} in {start}-{end}: set the capital share yourself."))
        alpha = 1.0 - float(share.mean())

    rows = {_SOURCES["capital"]: (g_k, alpha), _SOURCES["employment"]: (g_l, 1.0 - alpha)}
    if hours:
        rows[_SOURCES["hours"]] = (g_hours, 1.0 - alpha)
    rows[_SOURCES["human_capital"]] = (g_h, 1.0 - alpha)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["input_growth", "weight"])
    table["contribution"] = table["input_growth"] * table["weight"]
    tfp = g_y - table["contribution"].sum()
    table.loc[_SOURCES["tfp"]] = [tfp, 1.0, tfp]
    # Shares of growth only make sense when there is growth to share.
    table["share"] = 100.0 * table["contribution"] / g_y if g_y > 1e-12 else np.nan
    table.index.name = "source"

    pwt_tfp = np.nan
    col = COLUMNS["pwt_tfp"]
    if col in frame.columns:
        a, b = frame[col].astype("float64").get(start, np.nan), frame[col].astype("float64").get(end, np.nan)
        if np.isfinite(a) and np.isfinite(b) and a > 0 and b > 0:
            pwt_tfp = 100.0 * (np.log(b) - np.log(a)) / (end - start)

    return GrowthAccounting(country=country, start=start, end=end, alpha=alpha, alpha_from_pwt=alpha_from_pwt,
                            hours=bool(hours), output_growth=float(g_y), table=table,
                            pwt_tfp_growth=float(pwt_tfp))


def _row(res: GrowthAccounting) -> dict:
    out = {"country": res.country, "start": res.start, "end": res.end, "alpha": res.alpha,
           "output_growth": res.output_growth}
    for label, value in res.contributions.items():
        out[label] = value
    out["TFP share (%)"] = res.tfp_share
    out["PWT rtfpna growth"] = res.pwt_tfp_growth
    return out


def compare_periods(pwt: pd.DataFrame, periods: dict | None = None, alpha: float | None = None,
                    hours: bool = False, country: str | None = None) -> pd.DataFrame:
    """:func:`growth_accounting` for several periods: one row per period (default :data:`PERIODS`).

    Columns: ``alpha``, ``output_growth`` and the contributions (percentage points a year), the TFP
    share of output growth (per cent) and the growth of PWT's TFP index.
    """
    periods = PERIODS if periods is None else periods
    rows = {label: _row(growth_accounting(pwt, s, e, alpha=alpha, hours=hours, country=country))
            for label, (s, e) in periods.items()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("period")


def compare_countries(pwt: pd.DataFrame, start: int, end: int, alpha: float | None = None,
                      hours: bool = False, countries=None) -> pd.DataFrame:
    """:func:`growth_accounting` for several economies over one common period.

    With ``alpha=None`` each economy gets its own PWT labour share (averaged over the period).
    Returns one row per country (index: English name), columns as in :func:`compare_periods`.
    """
    if countries is None:
        countries = list(dict.fromkeys(pwt["countrycode"]))
    if len(countries) == 0:
        raise EdgeCase(_("Pick at least one country."))
    rows = {_name(c): _row(growth_accounting(pwt, start, end, alpha=alpha, hours=hours, country=c))
            for c in countries}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("economy")


def alpha_sensitivity(pwt: pd.DataFrame, start: int, end: int, alphas=(0.3, 0.4, 0.5, 0.6, 0.7),
                      hours: bool = False, country: str | None = None) -> pd.DataFrame:
    """The TFP residual and its share of growth for a list of capital shares.

    Because :math:`g_A = g_Y - g_L - g_h - \\alpha (g_K - g_L - g_h)`, the residual falls by
    :math:`g_K - g_L - g_h` for every unit rise in alpha: when capital grows faster than effective
    labour, a higher capital share leaves less for TFP.
    """
    rows = {}
    for a in alphas:
        res = growth_accounting(pwt, start, end, alpha=a, hours=hours, country=country)
        rows[round(float(a), 4)] = {"capital": res.contributions[_SOURCES["capital"]],
                                    "TFP (residual)": res.tfp, "TFP share (%)": res.tfp_share}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("alpha")


def tfp_bridge(pwt: pd.DataFrame, start: int, end: int, country: str | None = None) -> pd.DataFrame:
    """Walk from the simple Solow residual to PWT's own TFP growth, one ingredient at a time.

    PWT computes ``rtfpna`` year by year with a Törnqvist index: capital *services* (``rkna``)
    instead of the capital stock, labour input = persons x hours x human capital, and weights equal
    to the labour share averaged over each pair of adjacent years (Feenstra, Inklaar and Timmer
    2015). The steps are

    1. the simple residual: constant alpha (period-average labour share), capital stock, persons;
    2. labour counted in hours;
    3. capital services instead of the capital stock;
    4. weights that change every year (Törnqvist), which is PWT's method.

    Returns
    -------
    pandas.DataFrame
        Index: the four steps; columns ``tfp_growth`` (per cent a year) and ``change`` (from the
        previous step); ``attrs["pwt"]`` holds the growth of ``rtfpna`` itself for comparison.
        The order of the steps is a choice: in another order each step would be worth a little
        more or less, but the end point is the same.
    """
    frame, country = _country_frame(pwt, country)
    base = growth_accounting(pwt, start, end, country=country)
    with_hours = growth_accounting(pwt, start, end, hours=True, country=country)
    alpha = base.alpha
    g_ks = _log_growth(frame, COLUMNS["capital_services"], start, end, _("capital services (rkna)"), country)
    g_k = float(with_hours.table.loc[_SOURCES["capital"], "input_growth"])
    services = with_hours.tfp - alpha * (g_ks - g_k)

    span = frame.loc[start:end]
    if list(span.index) != list(range(start, end + 1)):
        raise EdgeCase(_f("The Tornqvist index needs every year from {start} to {end}; some years are missing."))
    need = [COLUMNS[k] for k in ("output", "capital_services", "employment", "hours", "human_capital", "labour_share")]
    if span[need].isna().any().any():
        raise EdgeCase(_f("Some PWT series for {_shown(country)} are blank in {start}-{end}: pick a later start year."))
    log = np.log(span[need[:-1]].astype("float64"))
    labour = log[COLUMNS["employment"]] + log[COLUMNS["hours"]] + log[COLUMNS["human_capital"]]
    s = span[COLUMNS["labour_share"]].astype("float64")
    s_bar = (s + s.shift(1)) / 2
    annual = (log[COLUMNS["output"]].diff() - (1 - s_bar) * log[COLUMNS["capital_services"]].diff()
              - s_bar * labour.diff())
    tornqvist = 100.0 * annual.iloc[1:].sum() / (end - start)

    steps = pd.DataFrame({"tfp_growth": [base.tfp, with_hours.tfp, services, tornqvist]},
                         index=pd.Index(["1. Simple residual (constant alpha, capital stock, persons)",
                                         "2. + hours worked",
                                         "3. + capital services instead of stock",
                                         "4. + shares changing every year (Tornqvist = PWT method)"],
                                        name="step"))
    steps["change"] = steps["tfp_growth"].diff()
    steps.attrs["pwt"] = base.pwt_tfp_growth
    return steps


def official_output_growth(gdp_index: pd.DataFrame, gdp: pd.DataFrame,
                           vintage: str = "pre_5th_census_revision") -> pd.Series:
    """Real growth of the 31 provinces together, year by year, from NBS's provincial growth indices.

    Each province's real growth over the previous year (``gdp_index_prev_year_100`` / 100) is weighted
    by its share of the previous year's nominal GRP (same vintage); the result is returned as log
    growth in per cent, :math:`100 \\ln \\sum_i w_{i,t-1} I_{i,t}`, indexed by year: the unit of
    :func:`growth_accounting`. Lesson 11 uses it as a rough benchmark for the official national growth
    rates against PWT's output series (provincial accounts do not add up to the national ones exactly).

    Examples
    --------
    Two provinces of equal size growing 10 % and 0 % grow 5 % together:

    >>> import pandas as pd
    >>> idx = pd.DataFrame({"province_code": [1, 2], "year": 2001, "vintage": "v",
    ...                     "gdp_index_prev_year_100": [110.0, 100.0]})
    >>> grp = pd.DataFrame({"province_code": [1, 2, 1, 2], "year": [2000, 2000, 2001, 2001], "vintage": "v",
    ...                     "gdp_100m_yuan": [50.0, 50.0, 55.0, 50.0]})
    >>> round(float(official_output_growth(idx, grp, vintage="v").loc[2001]), 4)
    4.879
    """
    idx = gdp_index[gdp_index["vintage"] == vintage]
    nominal = gdp[gdp["vintage"] == vintage].pivot(index="year", columns="province_code", values="gdp_100m_yuan")
    index = idx.pivot(index="year", columns="province_code", values="gdp_index_prev_year_100") / 100
    weights = nominal.shift(1).reindex(index.index)
    if weights.isna().any().any():
        raise EdgeCase(_("Some provinces have no GRP for the year before a growth index: the weights are missing."))
    weights = weights.div(weights.sum(axis=1), axis=0)
    return (100 * np.log((weights * index).sum(axis=1))).rename("official_growth_pct")


def describe(res: GrowthAccounting) -> str:
    """A one-sentence summary of a result, used as the figure's alt text."""
    parts = _(", ").join(f"{_(label)} {value:+.2f}" for label, value in res.contributions.items())
    share = "" if np.isnan(res.tfp_share) else _f("; TFP is {res.tfp_share:.0f}% of output growth")
    return _f("Bar chart: growth accounting for {_shown(res.country)}, {res.start}-{res.end}, capital share "
             "{res.alpha:.2f}. Output grew {res.output_growth:.2f}% a year = {parts} percentage points a year{share}.")


def _finding(res: GrowthAccounting) -> str:
    """A title that states the finding: the largest source of growth, and TFP's share."""
    name = _shown(res.country)
    if res.output_growth <= 0 or np.isnan(res.tfp_share):
        return _f("{name} {res.start}-{res.end}: output did not grow, so shares of growth mean nothing")
    top = res.contributions.idxmax()
    if top == _SOURCES["tfp"]:
        return _f("{name} {res.start}-{res.end}: TFP gave the most growth ({res.tfp_share:.0f}%)")
    source = _(top).lower()
    return _f("{name} {res.start}-{res.end}: {source} gave {res.table.loc[top, 'share']:.0f}% "
             "of growth, TFP {res.tfp_share:.0f}%")


def plot_contributions(res: GrowthAccounting, ax=None, reuse: dict | None = None):
    """A segmented horizontal bar of the contributions, with values printed on the segments.

    Positive contributions stack to the right of zero, negative ones to the left; each source has
    its own colour *and* hatch; a black diamond marks output growth, a white circle PWT's own TFP
    growth. The title states the finding. Returns the figure.

    ``reuse`` (a dict kept by the Explorer; not with ``ax``) holds the previous redraw's figure: while
    it shows the same sources, its segments, numbers, markers, legend entries and title are updated in
    place (the same pixels as a new figure, for less work).
    """
    from course import plots

    key = (_figure_key(), tuple(res.table.index), bool(np.isfinite(res.pwt_tfp_growth)))
    state = reuse.get("state") if ax is None and reuse and reuse.get("key") == key else None
    if state is None:
        state = _contributions_figure(res, ax)
        if reuse is not None and ax is None:
            reuse.update(key=key, state=state)
    else:
        _update_contributions(state, res)
    ax = state["ax"]
    title = plots.finding_title(ax, _finding(res))
    # the title's place is fixed (y = 1, above the axes, where matplotlib puts it here anyway) so that a
    # redraw does not measure the tick labels once more to find it
    ax.set_title(title.get_text(), loc="left", y=1.0, fontsize=title.get_fontsize(),
                 fontweight=title.get_fontweight())
    return state["fig"]


def _figure_key() -> tuple:
    """What a figure kept for the next redraw depends on: :func:`course.plots.reuse_key`."""
    from course import plots

    return plots.reuse_key()


def _segments(res: GrowthAccounting) -> list:
    """(label, value, left, legend entry, printed text or None) of each segment of the bar, and the
    extent of the bar (neg, pos)."""
    out = []
    pos = neg = 0.0
    for label, row in res.table.iterrows():
        value = float(row["contribution"])
        left = pos if value >= 0 else neg + value
        pct = "" if np.isnan(row["share"]) else f" ({row['share']:.0f}%)"
        share = "" if np.isnan(row["share"]) else f"\n{row['share']:.0f}%"
        text = f"{value:+.2f}{share}" if abs(value) >= 0.3 else None
        out.append((label, value, left, f"{_(label)} {value:+.2f}{pct}", text))
        if value >= 0:
            pos += value
        else:
            neg += value
    return out, neg, pos


def _contributions_axes(ax, res: GrowthAccounting, neg: float, pos: float) -> None:
    """The x range and the axis label, which state the capital share."""
    pwt = res.pwt_tfp_growth
    lo = min(neg, res.output_growth, 0.0, pwt if np.isfinite(pwt) else 0.0)
    hi = max(pos, res.output_growth, pwt if np.isfinite(pwt) else 0.0)
    pad = 0.05 * (hi - lo if hi > lo else 1.0)
    ax.set_xlim(lo - pad, hi + pad)
    source = _("1 - PWT labour share, period average") if res.alpha_from_pwt else _("set on the slider")
    hrs = _("; labour in hours") if res.hours else ""
    ax.set_xlabel(_f("percentage points a year (labels: value, % of output growth)\n"
                    "capital share alpha = {res.alpha:.2f} ({source}{hrs})"), fontsize=9)


def _contributions_figure(res: GrowthAccounting, ax=None) -> dict:
    """A new chart for :func:`plot_contributions` (its artists are kept for :func:`_update_contributions`)."""
    import matplotlib.pyplot as plt

    from course import plots

    styles = _styles(plots)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.4, 3.3), dpi=90)
    else:
        fig = ax.figure
    segments, neg, pos = _segments(res)
    bars, texts = [], []
    for label, value, left, entry, text in segments:
        colour, hatch = styles.get(label, ("#999999", ""))
        bars += ax.barh(0, abs(value), left=left, height=0.5, color=colour, hatch=hatch, edgecolor="white",
                        linewidth=0.8, label=entry).patches
        # every segment gets its text; segments too narrow to hold one keep it hidden
        texts.append(ax.text(left + abs(value) / 2, 0, text or "", ha="center", va="center", fontsize=8,
                             color=plots.text_color_for(colour), visible=text is not None,
                             bbox=None if not hatch else {"facecolor": colour, "edgecolor": "none", "pad": 1}))
    output, = ax.plot([res.output_growth], [0.4], marker="D", color="black", markersize=7, linestyle="none",
                      label=_f("Output growth {res.output_growth:.2f}"))
    pwt = res.pwt_tfp_growth
    own = None
    if np.isfinite(pwt):
        own, = ax.plot([pwt], [-0.4], marker="o", markerfacecolor="white", markeredgecolor="black", markersize=7,
                       linestyle="none", label=_f("PWT's own TFP growth {pwt:.2f}"))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks([])
    ax.set_ylim(-0.65, 0.65)
    ax.grid(axis="y", visible=False)
    _contributions_axes(ax, res, neg, pos)
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5), ncol=3, fontsize=7.5, frameon=False)
    plots.one_layout_per_draw(legend)
    fig.subplots_adjust(bottom=0.47, top=0.86, left=0.03, right=0.98)
    return dict(fig=fig, ax=ax, bars=bars, texts=texts, output=output, own=own, legend=legend)


def _update_contributions(state: dict, res: GrowthAccounting) -> None:
    """Give the kept chart of :func:`_contributions_figure` (same sources) the values of ``res``: what
    :func:`_contributions_figure` would have drawn (``tests/test_redraw_reuse_c.py`` compares the pixels)."""
    segments, neg, pos = _segments(res)
    for bar, text, (_label, value, left, _entry, shown) in zip(state["bars"], state["texts"], segments):
        bar.set_x(left)
        bar.set_width(abs(value))
        text.set_x(left + abs(value) / 2)
        text.set_text(shown or "")
        text.set_visible(shown is not None)
    state["output"].set_xdata([res.output_growth])
    entries = [_f("Output growth {res.output_growth:.2f}")]
    if state["own"] is not None:
        pwt = res.pwt_tfp_growth
        state["own"].set_xdata([pwt])
        entries.append(_f("PWT's own TFP growth {pwt:.2f}"))
    # the legend lists the markers (lines) first, then the segments (bar containers)
    entries += [entry for *_rest, entry, _text in segments]
    for text, entry in zip(state["legend"].get_texts(), entries, strict=True):
        text.set_text(entry)
    _contributions_axes(state["ax"], res, neg, pos)


def plot_stacked(frame: pd.DataFrame, title: str, ax=None):
    """Segmented bars, one per row of a :func:`compare_periods` / :func:`compare_countries` table.

    Each source of growth has its own colour and hatch; positive contributions stack right of
    zero, negative ones left; a black diamond marks output growth and the TFP share of growth is
    printed at the end of each bar. ``title`` should state the finding. Returns the figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from course import plots

    styles = _styles(plots)
    sources = [s for s in _SOURCES.values() if s in frame.columns]
    rows = list(frame.index)[::-1]  # first row on top
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.4, 0.36 * len(rows) + 1.9), dpi=90, layout="constrained")
    else:
        fig = ax.figure
    right = max(float(frame["output_growth"].max()), 0.0)
    for i, key in enumerate(rows):
        pos = neg = 0.0
        for src in sources:
            value = float(frame.loc[key, src])
            colour, hatch = styles[src]
            left = pos if value >= 0 else neg + value
            ax.barh(i, abs(value), left=left, height=0.62, color=colour, hatch=hatch, edgecolor="white",
                    linewidth=0.6)
            if value >= 0:
                pos += value
            else:
                neg += value
        right = max(right, pos)
        ax.plot([frame.loc[key, "output_growth"]], [i], marker="D", color="black", markersize=5,
                linestyle="none")
        share = frame.loc[key, "TFP share (%)"]
        text = _("TFP n/a") if not np.isfinite(share) else f"TFP {share:.0f}%"
        ax.text(max(pos, float(frame.loc[key, "output_growth"])) + 0.15, i, text, va="center", ha="left", fontsize=8)
    ax.set_yticks(range(len(rows)), [_(str(r)) for r in rows])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    lo = min(0.0, float(frame[sources].clip(upper=0).sum(axis=1).min()))
    ax.set_xlim(lo - 0.3, right * 1.2 + 0.5)
    ax.set_xlabel(_("percentage points a year (average log growth x 100)"), fontsize=9)
    handles = [Patch(facecolor=styles[s][0], hatch=styles[s][1], edgecolor="white", label=_(s)) for s in sources]
    handles.append(Line2D([], [], marker="D", color="black", linestyle="none", label=_("Output growth")))
    fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=7.5, frameon=False)
    plots.finding_title(ax, title)
    return fig


def _styles(plots) -> dict:
    pal = plots.PALETTE
    return {"Capital": (pal["blue"], ""), "Employment": (pal["orange"], "//"),
            "Hours per worker": (pal["yellow"], ".."), "Human capital": (pal["sky_blue"], "xx"),
            "TFP (residual)": (pal["vermillion"], "")}


def make_explorer(pwt_china: pd.DataFrame, pwt_peers: pd.DataFrame | None = None):
    """The lesson's widget: country, period, capital share and hours -> contributions bar.

    Controls: ``country`` (dropdown of ISO codes), ``period`` (a (start, end) range slider),
    ``share`` ("PWT labour share" or "slider"), ``alpha`` (0.30-0.70, used when ``share`` is
    "slider") and ``hours`` (count hours worked). China uses ``pwt_china`` (from 1952); the other
    economies use ``pwt_peers`` (from 1970).
    """
    import ipywidgets as widgets

    from course.widgets import Explorer

    codes = ["CHN"]
    if pwt_peers is not None:
        codes += [c for c in dict.fromkeys(pwt_peers["countrycode"]) if c != "CHN"]
    first = int(pwt_china["year"].min())
    last = int(pwt_china["year"].max())
    controls = {
        "country": widgets.Dropdown(options=[(_shown(c), c) for c in codes], value="CHN",
                                    description=_("Economy")),
        "period": widgets.IntRangeSlider(value=(1978, last), min=first, max=last, step=1, description=_("Period"),
                                         continuous_update=False, layout=widgets.Layout(width="420px")),
        "share": widgets.ToggleButtons(options=[(_("PWT labour share"), "pwt"), (_("Slider"), "slider")],
                                       value="pwt", description=_("Capital share")),
        "alpha": widgets.FloatSlider(value=0.40, min=0.30, max=0.70, step=0.01, description="alpha",
                                     continuous_update=False, readout_format=".2f", disabled=True),
        "hours": widgets.Checkbox(value=False, description=_("count hours worked (avh)")),
    }

    def _toggle(change):
        controls["alpha"].disabled = change["new"] != "slider"

    controls["share"].observe(_toggle, names="value")

    # each economy's rows, split once: a redraw then filters a few dozen rows, not the whole table
    rows = {}

    def compute(country, period, share, alpha, hours):
        data = pwt_china if country == "CHN" or pwt_peers is None else pwt_peers
        if data is pwt_peers and "countrycode" in data.columns and country in codes:
            if country not in rows:
                rows[country] = data[data["countrycode"] == country]
            data = rows[country]
        start, end = period
        return growth_accounting(data, start, end, alpha=None if share == "pwt" else alpha,
                                 hours=hours, country=country)

    def caption(res):
        from course.data import citation

        return citation("pwt_china" if res.country == "CHN" else "pwt_peers")

    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda res: plot_contributions(res, reuse=reuse), alt=describe, caption=caption,
                    title=_("Sources of growth: change the period, the capital share and the labour measure"))
