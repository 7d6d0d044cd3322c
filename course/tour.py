"""The province profile behind lesson 00's tour of the data.

:func:`profile_table` gathers, for the 31 provinces in 2023, a handful of indicators from the
course tables (each computed in plain pandas, with its source and unit); :func:`province_card`
sets one province against the other thirty; :func:`tour_view` is the pure function behind the
lesson's province picker.

Examples
--------
>>> table = profile_table()
>>> table.shape[0]
31
>>> card = province_card(table, 110000)
>>> card.loc["rd_intensity_pct", "rank"]
'1 of 31'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .data import load
from . import i18n
from .i18n import N_, _, is_chinese, _f
from .widgets import EdgeCase, Explorer

__all__ = ["INDICATORS", "Indicator", "profile_table", "province_card", "tour_view", "TourView",
           "render_tour", "tour_alt", "make_explorer"]


@dataclass(frozen=True)
class Indicator:
    """An indicator of the tour; its texts are stored in English and shown in the student's language."""

    label_en: str
    unit_en: str
    fmt: str
    note_en: str
    short_en: str

    @property
    def label(self) -> str:
        return _(self.label_en)

    @property
    def unit(self) -> str:
        return _(self.unit_en)

    @property
    def note(self) -> str:
        return _(self.note_en)

    @property
    def short(self) -> str:
        return _(self.short_en)


#: What the tour shows, in order: column -> label, unit, number format, how it is made.
INDICATORS: dict[str, Indicator] = {
    "gdp_per_capita_yuan": Indicator(
        N_("GDP per capita, 2023"), N_("yuan"), "{:,.0f}",
        N_("Published by NBS (revised series after the 5th economic census; GRP / mean population)."),
        N_("GDP per capita")),
    "population_10k": Indicator(
        N_("Year-end resident population, 2023"), N_("10,000 persons"), "{:,.0f}", N_("Published by NBS."),
        N_("population")),
    "tertiary_share_pct": Indicator(
        N_("Services (tertiary industry) share of GRP, 2023"), "%", "{:.1f}",
        N_("Computed: tertiary value added / GRP, revised series."), N_("services share")),
    "rd_intensity_pct": Indicator(
        N_("R&D intensity (R&D spending / GRP), 2023"), "%", "{:.2f}",
        N_("Published in the 2023 R&D bulletin (on the GRP of the time, before the revision)."),
        N_("R&D intensity")),
    "invention_patents_per_10k": Indicator(
        N_("Invention patents in force per 10,000 residents, 2023"), N_("patents"), "{:.1f}",
        N_("Computed: invention patents in force / year-end population."), N_("invention patents per person")),
    "hightech_revenue_to_gdp_pct": Indicator(
        N_("High-tech manufacturing revenue relative to GRP, 2023"), "%", "{:.1f}",
        N_("Computed: revenue / GRP (pre-revision). Revenue is gross sales, not value added, so this is a "
           "ratio, not a share."), N_("high-tech revenue relative to GRP")),
}


#: the NBS region names, shown through _() (listed here for the catalogue)
REGION_NAMES = (N_("East"), N_("Central"), N_("West"), N_("Northeast"))


def _name_column() -> str:
    """The column of province names in the student's language."""
    return "province_zh" if is_chinese() else "province_en"


def profile_table() -> pd.DataFrame:
    """The tour's indicators for the 31 provinces in 2023, indexed by province code.

    Besides the indicator columns it carries ``province_en``, ``province_zh`` and ``nbs_region_en``.
    """
    profile = load("province_profile_2023").set_index("province_code")
    va = load("province_value_added")
    va = va[(va["year"] == 2023) & (va["vintage"] == "post_5th_census_revision")].set_index("province_code")
    table = profile[["province_en", "province_zh", "nbs_region_en"]].copy()
    table["gdp_per_capita_yuan"] = va["gdp_per_capita_yuan"]
    table["population_10k"] = profile["yearend_resident_population_10k"]
    table["tertiary_share_pct"] = 100 * va["va_tertiary_100m_yuan"] / va["gdp_100m_yuan"]
    table["rd_intensity_pct"] = profile["rd_intensity_pct"]
    table["invention_patents_per_10k"] = profile["invention_patents_in_force"] / profile["yearend_resident_population_10k"]
    table["hightech_revenue_to_gdp_pct"] = 100 * profile["hightech_revenue_100m_yuan"] / profile["gdp_100m_yuan_pre_revision"]
    return table


def province_card(table: pd.DataFrame, code: int) -> pd.DataFrame:
    """One province's indicators beside the median province, with its rank (1 = highest).

    Returns a DataFrame indexed by indicator with columns ``label``, ``value``, ``median``,
    ``rank`` (text such as ``"3 of 31"``) and ``unit``.
    """
    if code not in table.index:
        raise EdgeCase(_f("There is no province with code {code} in the table."))
    rows = []
    for col, ind in INDICATORS.items():
        series = table[col].astype("float64")
        value = series.loc[code]
        if pd.isna(value):
            rank = _("no data")
        else:
            ranks = series.rank(ascending=False, method="min")
            rank = _f("{int(ranks.loc[code])} of {int(series.notna().sum())}")
        rows.append({"indicator": col, "label": ind.label, "value": value, "median": series.median(),
                     "rank": rank, "unit": ind.unit})
    return pd.DataFrame(rows).set_index("indicator")


@dataclass(frozen=True)
class TourView:
    """What the province picker shows: the card, the map values and their description."""

    code: int
    name: str
    region: str
    indicator: str
    card: pd.DataFrame
    values: pd.Series


def tour_view(table: pd.DataFrame, province: int, indicator: str, cards: dict | None = None) -> TourView:
    """The pure function behind lesson 00's picker: a profile card and one indicator for the map.

    ``cards`` (a dict kept by the Explorer) remembers each province's card (in each language), which
    does not depend on the indicator shown: a redraw then only picks the map's values.
    """
    if province is None:
        raise EdgeCase(_("Pick a province to see its profile."))
    if indicator not in INDICATORS:
        raise EdgeCase(_f("Choose one of the listed indicators; {indicator!r} is not one of them."))
    key = (province, i18n.get_language())
    card = cards.get(key) if cards is not None else None
    if card is None:
        card = province_card(table, province)
        if cards is not None:
            cards[key] = card
    values = table[indicator].astype("float64")
    return TourView(code=province, name=table.loc[province, _name_column()],
                    region=_(table.loc[province, "nbs_region_en"]), indicator=indicator,
                    card=card, values=values)


def _fmt(indicator: str, value) -> str:
    return INDICATORS[indicator].fmt.format(value) if pd.notna(value) else _("no data")


def tour_alt(view: TourView) -> str:
    """Alt text for the tile map of :func:`render_tour`."""
    ind = INDICATORS[view.indicator]
    rank = view.card.loc[view.indicator, "rank"]
    return _f("Tile map of the 31 provinces coloured by {ind.short} ({ind.unit}), 2023; {view.name} is outlined "
             "and ranks {rank}. Values are printed in each tile.")


def render_tour(view: TourView, reuse: dict | None = None) -> list:
    """The profile card (an HTML table) followed by the tile map with the province outlined.

    Returns ``[card_html, figure]``; the Explorer turns the figure into an image with
    :func:`tour_alt` as its alt text. ``reuse`` (a dict kept by the Explorer) holds the previous
    redraw's figure, whose map is updated in place when it can be (``tile_map(update=True)``:
    the same pixels as a new figure, for less work).
    """
    import html

    from . import plots

    ind = INDICATORS[view.indicator]
    kwargs = dict(fmt=ind.fmt.replace(",", ""), label=f"{ind.label} ({ind.unit})", highlight=view.code)
    fig = None
    if reuse and reuse.get("fig") is not None:
        if plots.tile_map(view.values, ax=reuse["ax"], update=True, **kwargs) is not None:
            fig = reuse["fig"]
    if fig is None:
        fig, ax = plots.plt.subplots(figsize=(6.2, 5.4), dpi=80)
        plots.tile_map(view.values, ax=ax, **kwargs)
        if reuse is not None:
            reuse.update(fig=fig, ax=ax)
    rank = view.card.loc[view.indicator, "rank"]
    finding = (_f("{view.name} ranks {rank} provinces on {ind.short}") if rank != _("no data")
               else _f("{view.name}: no data on {ind.short}"))
    plots.finding_title(fig, finding)  # a figure title: cheaper to lay out than an axes title
    card = view.card.copy()
    card["value"] = [_fmt(i, v) for i, v in card["value"].items()]
    card["median"] = [_fmt(i, v) for i, v in card["median"].items()]
    card = card[["label", "value", "unit", "rank", "median"]].rename(columns={
        "label": _("label"), "value": _("value"), "unit": _("unit"), "rank": _("rank"),
        "median": _("median province")})
    region = _f("{view.region} region")
    heading = f"<h4>{html.escape(view.name)} · {html.escape(region)}</h4>"
    return [heading + card.to_html(index=False, escape=True), fig]


def make_explorer(table: pd.DataFrame | None = None, province: int = 440000,
                  indicator: str = "gdp_per_capita_yuan") -> Explorer:
    """Lesson 00's province picker: a province and an indicator -> profile card and tile map."""
    import ipywidgets as widgets

    table = profile_table() if table is None else table
    # English names sorted alphabetically; Chinese names in the order of the NBS province codes
    names = table["province_en"].sort_values() if not is_chinese() else table["province_zh"].sort_index()
    controls = {
        "province": widgets.Dropdown(options=[(n, c) for c, n in names.items()], value=province,
                                     description=_("Province")),
        "indicator": widgets.Dropdown(options=[(v.label, k) for k, v in INDICATORS.items()], value=indicator,
                                      description=_("Map"), layout=widgets.Layout(width="520px")),
    }
    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    cards: dict = {}  # each province's card, computed once
    return Explorer(controls, compute=lambda province, indicator: tour_view(table, province, indicator, cards),
                    render=lambda view: render_tour(view, reuse), alt=tour_alt, title=_("Province profile"))
