"""A comparative-advantage (Ricardian) MODEL of Beijing, Tianjin and Hebei (lesson 23, S3.3).

Section 三(三)3 of the paper (course id S3.3) asks each region to weigh its local interest against
the overall benefit (地方利益和整体效益) and names the strengths of the capital region (京津冀):
Beijing's science, talent and capital, Tianjin's industry, port and logistics, Hebei's land and
labour. This module turns that sentence into the simplest model in which "dividing the work" can be
measured: David Ricardo's model of comparative advantage (比较优势), with three regions and two
activities. It is a **model**: its numbers follow from the assumptions below, with productivities
calibrated from the course's data where that is possible.

Assumptions
-----------
1. **Two activities.** *Technology* (research and development that produces invention patents; the
   paper's 科技、人才) and *goods* (value added of industry plus transport, storage and post: the
   paper's industry, port and logistics). Land- and labour-intensive farming is left out because
   the course has no credible productivity for it (farm workers are not in the urban-unit
   employment table).
2. **One factor.** Labour is the only input. A region's workers move freely between its two
   activities, never between regions.
3. **Constant productivity.** A worker in region r makes ``a[r, 0]`` units of technology or
   ``a[r, 1]`` units of goods a year, however many others do the same (no economies of scale, no
   learning). :func:`calibrate` takes ``a[r, 0]`` = invention patents granted / R&D personnel
   (full-time equivalent), 2023, and ``a[r, 1]`` = value added of industry and of transport,
   storage and post / employment in mining, manufacturing, utilities and transport (urban
   non-private units), 2024.
4. **Workers.** ``L[r]`` = employment in urban non-private units, 2024 (private firms and the
   self-employed are not counted).
5. **Demand.** Every region spends a share ``beta`` of its income on technology and ``1 - beta`` on
   goods (Cobb-Douglas preferences). In *autarky* (each region on its own) it therefore puts the
   share ``beta`` of its workers into technology.
6. **Exchange.** With exchange inside the bloc, technology trades for goods at one price ``p``
   (the *terms of trade*, 10,000 yuan of goods per invention patent); there are no transport costs
   and no outside world.
7. **Gains are measured at the terms of trade.** A region's gain from specialising is the value of
   its output at ``p`` over the value, at the same ``p``, of what it made in autarky (a fraction).
   Gains from exchanging a given output are not counted.

What follows from them
----------------------
* Region r's **opportunity cost** of one unit of technology is ``a[r, 1] / a[r, 0]`` units of goods;
  it is also the price of technology in r under autarky. The region with the lowest opportunity
  cost has the comparative advantage in technology, whatever its *absolute* productivity.
* At a price ``p`` a region earns most by putting all its workers where ``p * a[r, 0]`` or
  ``a[r, 1]`` is larger (:func:`specialised_shares`); the joint output is then worth at least as
  much at ``p`` as under any other allocation, autarky included (:func:`joint_value`).
* Inside a closed bloc the price must lie in the **terms-of-trade band** between the lowest and
  highest opportunity cost (:func:`band`); :func:`equilibrium` finds the price at which the
  demand for technology equals its supply. A region whose own opportunity cost equals ``p``
  gains nothing from specialising; the further ``p`` lies from its opportunity cost, the more it
  gains (:func:`income_gain`). Where the price falls inside the band decides how the joint gain is
  split (:func:`gain_split`).
* If all regions have the same *relative* productivities, the band shrinks to one price and there
  is no gain from specialising (tested).

Examples
--------
Ricardo's own numbers (labour per unit: England cloth 100, wine 120; Portugal cloth 90, wine 80),
with cloth as the first activity: England gives up 100/120 of a unit of wine per unit of cloth,
Portugal 90/80.

>>> e = Economy(("England", "Portugal"), [[1 / 100, 1 / 120], [1 / 90, 1 / 80]], [1.0, 1.0])
>>> [round(x, 4) for x in opportunity_cost(e)]
[0.8333, 1.125]
>>> specialised_shares(e, price=1.0).tolist()    # cloth in England, wine in Portugal
[1.0, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from course.i18n import N_, _, _f, province
from course.edgecase import EdgeCase

__all__ = [
    "ACTIVITIES",
    "REGIONS",
    "BETA",
    "Economy",
    "Band",
    "Equilibrium",
    "Outcome",
    "calibrate",
    "calibration_table",
    "opportunity_cost",
    "band",
    "autarky_shares",
    "output",
    "specialised_shares",
    "joint_value",
    "income_gain",
    "gain_split",
    "gain_curve",
    "equilibrium",
    "frontier",
    "flip_factor",
    "outcome",
    "render",
    "alt_text",
    "explorer",
    "CAPTION",
]

ACTIVITIES = ("technology", "goods")
REGIONS = ("Beijing", "Tianjin", "Hebei")
_CODES = {"Beijing": 110000, "Tianjin": 120000, "Hebei": 130000}
BETA = 0.5  # default share of spending on technology (a model assumption)
TECH_YEAR, GOODS_YEAR = 2023, 2024
#: Sections of GB/T 4754 behind "goods": mining, manufacturing, utilities, transport/storage/post
GOODS_SECTIONS = ("B", "C", "D", "G")


@dataclass(frozen=True, eq=False)
class Economy:
    """Regions, their productivities ``a[r, g]`` (technology, goods), workers ``L[r]`` and ``beta``."""

    regions: tuple
    productivity: np.ndarray
    labour: np.ndarray
    beta: float = BETA
    units: tuple = ("units of technology", "units of goods")

    def __post_init__(self):
        regions = tuple(str(r) for r in self.regions)
        a = np.asarray(self.productivity, dtype=float)
        L = np.asarray(self.labour, dtype=float)
        if len(regions) < 2:
            raise ValueError("Economy: a comparative-advantage model needs at least two regions")
        if a.shape != (len(regions), 2):
            raise ValueError(f"Economy: productivity must have one row (technology, goods) per region, "
                             f"shape ({len(regions)}, 2); got {a.shape}")
        if not np.all(np.isfinite(a)) or (a <= 0).any():
            raise ValueError("Economy: every productivity must be a positive number")
        if L.shape != (len(regions),) or not np.all(np.isfinite(L)) or (L <= 0).any():
            raise ValueError("Economy: labour must be one positive number per region")
        if not 0 < float(self.beta) < 1:
            raise ValueError(f"Economy: beta (the share of spending on technology) must lie strictly "
                             f"between 0 and 1 (got {self.beta!r})")
        object.__setattr__(self, "regions", regions)
        object.__setattr__(self, "productivity", a)
        object.__setattr__(self, "labour", L)
        object.__setattr__(self, "beta", float(self.beta))

    def with_beta(self, beta: float) -> "Economy":
        """The same economy with another share of spending on technology."""
        return Economy(self.regions, self.productivity, self.labour, beta, self.units)


class Band(NamedTuple):
    """The terms-of-trade band: the lowest and highest opportunity cost and whose they are."""

    low: float
    high: float
    low_region: str
    high_region: str


class Equilibrium(NamedTuple):
    """The price that clears the bloc's markets, each region's share of workers in technology,
    and the region that produces both activities (None if every region is fully specialised)."""

    price: float
    shares: np.ndarray
    marginal: str | None


# ---------------------------------------------------------------------------------------------
# The model's pure functions
# ---------------------------------------------------------------------------------------------

def _shares(e: Economy, shares) -> np.ndarray:
    s = np.asarray(shares, dtype=float)
    if s.shape != (len(e.regions),):
        raise ValueError(f"shares: give one share of workers in technology per region "
                         f"({len(e.regions)}), got shape {s.shape}")
    if not np.all(np.isfinite(s)) or (s < 0).any() or (s > 1).any():
        raise ValueError("shares: every share of workers must lie between 0 and 1")
    return s


def _price(price) -> float:
    p = float(price)
    if not np.isfinite(p) or p <= 0:
        raise ValueError(f"price: the terms of trade must be a positive number (got {price!r})")
    return p


def opportunity_cost(e: Economy) -> pd.Series:
    """Goods given up for one more unit of technology, by region: ``a[r, 1] / a[r, 0]``.

    It is also each region's price of technology in autarky.
    """
    a = e.productivity
    return pd.Series(a[:, 1] / a[:, 0], index=list(e.regions), name="opportunity_cost")


def band(e: Economy) -> Band:
    """The terms-of-trade band: from the lowest to the highest opportunity cost."""
    oc = opportunity_cost(e)
    return Band(float(oc.min()), float(oc.max()), str(oc.idxmin()), str(oc.idxmax()))


def autarky_shares(e: Economy) -> np.ndarray:
    """Each region on its own puts the share ``beta`` of its workers into technology."""
    return np.full(len(e.regions), e.beta)


def output(e: Economy, shares) -> pd.DataFrame:
    """Output of each activity in each region for the given shares of workers in technology."""
    s = _shares(e, shares)
    q = np.column_stack([s * e.labour * e.productivity[:, 0], (1 - s) * e.labour * e.productivity[:, 1]])
    return pd.DataFrame(q, index=list(e.regions), columns=list(ACTIVITIES))


def specialised_shares(e: Economy, price) -> np.ndarray:
    """Shares that follow comparative advantage at ``price``: 1 where technology earns more per
    worker (``price * a[r, 0] > a[r, 1]``), 0 where goods do, and ``beta`` for a region whose
    opportunity cost equals the price (it is indifferent and keeps its autarky mix)."""
    p = _price(price)
    oc = opportunity_cost(e).to_numpy()
    out = np.where(p > oc, 1.0, 0.0)
    tie = np.isclose(p, oc, rtol=1e-12, atol=0)
    out[tie] = e.beta
    return out


def joint_value(e: Economy, shares, price) -> float:
    """Joint output of all regions valued at ``price`` (in units of goods)."""
    q = output(e, shares)
    return float(_price(price) * q["technology"].sum() + q["goods"].sum())


def income_gain(e: Economy, shares, price) -> pd.Series:
    """Each region's gain from specialising, as a fraction: the value of its output at ``price``
    with ``shares``, over the value of its autarky output at the same price, minus one.

    Zero for the autarky allocation at every price, and zero for every allocation when ``price``
    equals the region's own opportunity cost ``c_r``. Specialised along comparative advantage the
    region's output is worth ``p a0`` (technology) or ``a1`` (goods) per worker against
    ``beta p a0 + (1 - beta) a1`` in autarky, so the gain is
    ``(1 - beta)(p - c_r) / (beta p + (1 - beta) c_r)`` for a technology maker and
    ``beta (c_r - p) / (beta p + (1 - beta) c_r)`` for a goods maker: zero at ``p = c_r`` and growing
    with the distance between the price and ``c_r``.
    Trading the output at ``price`` adds gains from exchange on top; they are not counted here.
    """
    p = _price(price)
    q = output(e, shares)
    q0 = output(e, autarky_shares(e))
    value = p * q["technology"] + q["goods"]
    value0 = p * q0["technology"] + q0["goods"]
    return (value / value0 - 1.0).rename("gain")


def gain_curve(e: Economy, prices) -> pd.DataFrame:
    """Each region's gain from specialising along comparative advantage, as a fraction, at each of
    ``prices`` (rows) -- the closed form of :func:`income_gain` at :func:`specialised_shares`.

    With ``c`` the region's opportunity cost: ``(1 - beta)(p - c) / (beta p + (1 - beta) c)`` for
    ``p > c`` (it makes technology) and ``beta (c - p) / (beta p + (1 - beta) c)`` for ``p <= c``.
    """
    p = np.asarray(prices, dtype=float).reshape(-1, 1)
    if p.size == 0 or not np.all(np.isfinite(p)) or (p <= 0).any():
        raise ValueError("prices: give one or more positive prices")
    c = opportunity_cost(e).to_numpy().reshape(1, -1)
    b = e.beta
    denom = b * p + (1 - b) * c
    gain = np.where(p > c, (1 - b) * (p - c), b * (c - p)) / denom
    return pd.DataFrame(gain, index=pd.Index(p.ravel(), name="price"), columns=list(e.regions))


def gain_split(e: Economy, price) -> pd.Series:
    """Each region's share of the bloc's gain from specialising along comparative advantage at
    ``price`` (the gains in value at that price, each over their sum). All zero if nobody gains."""
    p = _price(price)
    spec = specialised_shares(e, p)
    q, q0 = output(e, spec), output(e, autarky_shares(e))
    delta = p * (q["technology"] - q0["technology"]) + (q["goods"] - q0["goods"])
    total = float(delta.sum())
    if total <= 0:
        return pd.Series(0.0, index=delta.index, name="share_of_gain")
    return (delta / total).rename("share_of_gain")


def equilibrium(e: Economy) -> Equilibrium:
    """The price that clears the bloc's markets and the shares it induces.

    Regions are taken in order of opportunity cost. Either the price lies strictly between two
    neighbouring opportunity costs and every region is fully specialised, with
    ``p = beta * G / ((1 - beta) * S)`` (``S`` the technology made by the regions below ``p``, ``G``
    the goods made by those above), or it equals one region's opportunity cost and that region
    splits its workers so that the demand for technology, ``beta * income / p``, equals the supply.
    """
    oc = opportunity_cost(e).to_numpy()
    order = np.argsort(oc, kind="stable")
    a, L, b = e.productivity, e.labour, e.beta
    tech = L * a[:, 0]
    goods = L * a[:, 1]
    for k, r in enumerate(order):
        below, above = order[:k], order[k + 1:]
        S, G = tech[below].sum(), goods[above].sum()
        p = oc[r]
        # region r splits at its own opportunity cost: its income is goods[r] whatever it does
        income = p * S + G + goods[r]
        s = (b * income / p - S) / tech[r]
        if -1e-12 <= s <= 1 + 1e-12:
            shares = np.zeros(len(oc))
            shares[below] = 1.0
            shares[r] = min(max(s, 0.0), 1.0)
            return Equilibrium(float(p), shares, e.regions[r])
        if k + 1 < len(order):
            S2 = S + tech[r]
            p_int = b * G / ((1 - b) * S2)
            if oc[r] < p_int < oc[order[k + 1]]:
                shares = np.zeros(len(oc))
                shares[order[: k + 1]] = 1.0
                return Equilibrium(float(p_int), shares, None)
    raise RuntimeError("equilibrium: no market-clearing price found (this should not happen)")


def frontier(e: Economy) -> pd.DataFrame:
    """Corners of the bloc's joint production possibility frontier (technology, goods).

    Starting from every worker in goods, regions move into technology one by one, lowest
    opportunity cost first: the efficient order, so each kink is a region fully specialised.
    """
    oc = opportunity_cost(e).to_numpy()
    order = np.argsort(oc, kind="stable")
    tech = e.labour * e.productivity[:, 0]
    goods = e.labour * e.productivity[:, 1]
    rows = [(0.0, goods.sum(), "all in goods")]
    t, g = 0.0, goods.sum()
    for r in order:
        t, g = t + tech[r], g - goods[r]
        rows.append((t, g, f"{e.regions[r]} moves into technology"))
    return pd.DataFrame(rows, columns=["technology", "goods", "step"])


def flip_factor(e: Economy, region_a: str, region_b: str) -> float:
    """By what factor region_b's goods productivity would have to be overstated (or region_a's
    understated) for the two regions' comparative advantages to swap: the ratio of their
    opportunity costs (the larger over the smaller)."""
    oc = opportunity_cost(e)
    x, y = float(oc[region_a]), float(oc[region_b])
    return max(x, y) / min(x, y)


# ---------------------------------------------------------------------------------------------
# Calibration from the course's data
# ---------------------------------------------------------------------------------------------

def calibration_table(tables: dict | None = None, *, tech_output: str = "invention",
                      tech_labour: str = "rd_personnel") -> pd.DataFrame:
    """The data behind the productivities, one row per region (Beijing, Tianjin, Hebei).

    ``tech_output``: ``"invention"`` (invention patents granted) or ``"all"`` (all three kinds);
    ``tech_labour``: ``"rd_personnel"`` (R&D personnel, FTE) or ``"researchers"`` (researchers, FTE).
    Both for 2023; goods for 2024 (post-revision value added, urban-unit employment).
    """
    if tech_output not in ("invention", "all"):
        raise ValueError("tech_output must be 'invention' or 'all'")
    if tech_labour not in ("rd_personnel", "researchers"):
        raise ValueError("tech_labour must be 'rd_personnel' or 'researchers'")
    if tables is None:
        from course.data import load

        tables = {n: load(n) for n in ("province_patents_granted", "province_rd_personnel",
                                       "province_value_added", "province_employment_by_sector_2024")}
    codes = list(_CODES.values())

    def pick(name, year, **filters):
        t = tables[name]
        t = t[t["province_code"].isin(codes) & (t["year"] == year)]
        for col, val in filters.items():
            t = t[t[col] == val]
        return t.set_index("province_code").reindex(codes)

    pat = pick("province_patents_granted", TECH_YEAR)
    rd = pick("province_rd_personnel", TECH_YEAR)
    va = pick("province_value_added", GOODS_YEAR, vintage="post_5th_census_revision")
    emp = tables["province_employment_by_sector_2024"]
    emp = emp[emp["province_code"].isin(codes)].pivot(index="province_code", columns="sector_code_gbt4754",
                                                       values="employment_10k").reindex(codes)
    out = pd.DataFrame(index=pd.Index(list(REGIONS), name="region"))
    out["patents"] = (pat["patents_granted_invention"] if tech_output == "invention"
                      else pat["patents_granted_total"]).to_numpy(dtype=float)
    out["rd_workers_fte"] = (rd["rd_personnel_fte_manyears"] if tech_labour == "rd_personnel"
                             else rd["researchers_fte_manyears"]).to_numpy(dtype=float)
    out["tech_per_worker"] = out["patents"] / out["rd_workers_fte"]
    out["goods_va_100m_yuan"] = (va["va_industry_100m_yuan"] + va["va_transport_storage_post_100m_yuan"]).to_numpy()
    out["goods_workers_10k"] = emp[list(GOODS_SECTIONS)].sum(axis=1).to_numpy()
    # 100 million yuan per 10,000 workers = 10,000 yuan per worker
    out["goods_per_worker_10k_yuan"] = out["goods_va_100m_yuan"] / out["goods_workers_10k"]
    out["workers_10k"] = emp["TOTAL"].to_numpy()
    if out.isna().any().any():
        raise ValueError("calibration: a value needed for Beijing, Tianjin or Hebei is missing")
    return out


def calibrate(tables: dict | None = None, *, beta: float = BETA, **options) -> Economy:
    """The model economy calibrated from the course's data (see :func:`calibration_table`).

    Units: technology in 10,000 invention patents (labour in 10,000 workers times patents per
    worker), goods in 100 million yuan of value added; the price of technology is then in
    10,000 yuan of goods per patent.
    """
    t = calibration_table(tables, **options)
    a = t[["tech_per_worker", "goods_per_worker_10k_yuan"]].to_numpy()
    return Economy(REGIONS, a, t["workers_10k"].to_numpy(), beta,
                   units=("10,000 patents", "100 million yuan"))


# ---------------------------------------------------------------------------------------------
# The widget: allocation sliders and a terms-of-trade slider -> each region's and the joint outcome
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _default_economy(beta: float = BETA) -> Economy:
    return calibrate(beta=beta)


@dataclass
class Outcome:
    """What :func:`outcome` returns (all shares are fractions of a region's workers in technology)."""

    economy: Economy
    shares: np.ndarray
    price: float
    output: pd.DataFrame
    joint: pd.Series            # joint output, autarky = 100 for each activity
    autarky_joint: pd.Series    # autarky joint output in model units
    specialised: np.ndarray     # shares that follow comparative advantage at this price
    specialised_joint: pd.Series
    gains: pd.Series            # each region's gain over autarky at this price, %
    specialised_gains: pd.Series
    split: pd.Series            # each region's share of the joint gain if all specialise at this price
    value_gain: float           # joint value at this price over autarky's, minus 1, %
    specialised_value_gain: float
    equilibrium: Equilibrium
    band: Band
    notes: list = field(default_factory=list)


def outcome(beijing: float = 50, tianjin: float = 50, hebei: float = 50, price: float = 430,
            economy: Economy | None = None) -> Outcome:
    """Each region's and the joint outcome when the three regions put ``beijing``, ``tianjin`` and
    ``hebei`` per cent of their workers into technology and trade at ``price`` (10,000 yuan of goods
    per invention patent).

    Raises :class:`EdgeCase` only for a price of zero or less (no trade is possible).
    """
    e = economy if economy is not None else _default_economy()
    if price is None or not np.isfinite(float(price)) or float(price) <= 0:
        raise EdgeCase(_("Set a positive price for technology: at a price of zero nobody would make it."))
    pct = np.array([beijing, tianjin, hebei], dtype=float)
    if len(e.regions) != 3:
        raise ValueError("outcome: the widget's economy has three regions")
    if (pct < 0).any() or (pct > 100).any():
        raise ValueError("outcome: each share of workers must lie between 0 and 100 per cent")
    s = pct / 100
    p = float(price)
    aut = autarky_shares(e)
    q = output(e, s)
    q_aut = output(e, aut).sum()
    spec = specialised_shares(e, p)
    q_spec = output(e, spec).sum()
    v_aut = joint_value(e, aut, p)
    b = band(e)
    notes = []
    if p < b.low or p > b.high:
        if p < b.low:
            notes.append(_f("This price is below the terms-of-trade band ({b.low:,.0f} to {b.high:,.0f}): every region "
                            "would want to make goods and nobody the other, so inside the bloc such a price cannot last."))
        else:
            notes.append(_f("This price is above the terms-of-trade band ({b.low:,.0f} to {b.high:,.0f}): every region "
                            "would want to make technology and nobody the other, so inside the bloc such a price "
                            "cannot last."))
    for r, share, sp in zip(e.regions, s, spec):
        name = province(r)
        if sp == 1.0 and share == 0:
            notes.append(_f("{name} puts every worker into goods, against its comparative advantage at this price: "
                            "its income would be higher the other way round."))
        elif sp == 0.0 and share == 1:
            notes.append(_f("{name} puts every worker into technology, against its comparative advantage at this "
                            "price: its income would be higher the other way round."))
    return Outcome(
        economy=e, shares=s, price=p, output=q,
        joint=q.sum() / q_aut * 100, autarky_joint=q_aut,
        specialised=spec, specialised_joint=q_spec / q_aut * 100,
        gains=income_gain(e, s, p) * 100, specialised_gains=income_gain(e, spec, p) * 100,
        split=gain_split(e, p),
        value_gain=(joint_value(e, s, p) / v_aut - 1) * 100,
        specialised_value_gain=(joint_value(e, spec, p) / v_aut - 1) * 100,
        equilibrium=equilibrium(e), band=b, notes=notes)


_ABBR = {"Beijing": "BJ", "Tianjin": "TJ", "Hebei": "HE"}


def _title(r: Outcome) -> str:
    v = r.value_gain
    if abs(v) < 0.05:
        head = _("Joint output is worth the same as in autarky at this price")
    elif v > 0:
        head = _f("Joint output is worth {v:.1f} % more than in autarky at this price")
    else:
        head = _f("Joint output is worth {-v:.1f} % less than in autarky at this price")
    best = r.gains.idxmax()
    if r.gains[best] < 0.05:
        return head + _("; no region gains")
    name, gain = province(best), r.gains[best]
    return _f("{head}; {name} gains most ({gain:+.1f} %)")


def _figure_key(r: Outcome) -> tuple:
    """What a figure kept for the next redraw depends on: :func:`course.plots.reuse_key`."""
    from course import plots

    return plots.reuse_key(tuple(r.economy.regions))


def _new_figure(r: Outcome) -> dict:
    """The figure of :func:`render` with its artists (their values are set by :func:`_set_values`)."""
    import matplotlib.pyplot as plt

    from course.plots import COLORS, HATCHES

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(8.0, 3.6), dpi=72, gridspec_kw={"width_ratios": [1.15, 1]})
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.77, wspace=0.3)
    front = ax.plot([0, 1], [0, 1], color="black", linestyle="-", linewidth=1.4, label=_("frontier"))[0]
    ax.plot([100], [100], marker="o", markersize=8, color=COLORS[0], linestyle="none", label=_("autarky"))
    spec = ax.plot([0], [0], marker="s", markersize=8, color=COLORS[2], linestyle="none", label=_("specialised"))[0]
    mine = ax.plot([0], [0], marker="*", markersize=13, color=COLORS[1], markeredgecolor="black",
                   markeredgewidth=0.6, linestyle="none", label=_("your allocation"))[0]
    ax.set_xlabel(_("Technology (autarky = 100)"))
    ax.set_ylabel(_("Goods (autarky = 100)"))
    ax.legend(loc="lower left", fontsize=8, handlelength=1.2)
    regions = list(r.economy.regions)
    pos = np.arange(len(regions))
    bars = bx.bar(pos, np.zeros(len(pos)), color=COLORS[: len(regions)], edgecolor="white")
    for bar, h in zip(bars, HATCHES):
        bar.set_hatch(h)
        bar.set_hatchcolor("white")
    diamonds = bx.plot(pos, np.zeros(len(pos)), marker="D", color="black", linestyle="none", markersize=6,
                       label=_("if specialised"))[0]
    gain_texts = [bx.text(p_, 0, "", ha="center", va="bottom", fontsize=8.5) for p_ in pos]
    spec_texts = [bx.text(p_ + 0.13, 0, "", ha="left", va="center", fontsize=8) for p_ in pos]
    bx.axhline(0, color="black", linewidth=0.8)
    bx.set_xticks(pos, [province(n) for n in regions])
    bx.yaxis.set_visible(False)                  # the gains are printed on the bars
    bx.spines["left"].set_visible(False)
    bx.grid(False)
    bx.set_title(_("Gain over autarky (%)"), loc="left", fontsize=10, fontweight="normal")
    bx.legend(loc="upper left", fontsize=8, handlelength=1.0)
    return dict(fig=fig, ax=ax, bx=bx, front=front, spec=spec, mine=mine, bars=bars, diamonds=diamonds,
                gain_texts=gain_texts, spec_texts=spec_texts, key=_figure_key(r))


def _set_values(f: dict, r: Outcome) -> None:
    """Give the artists of :func:`_new_figure` the values of ``r`` (a new figure or a kept one)."""
    ax, bx = f["ax"], f["bx"]
    fr = frontier(r.economy)
    x = fr["technology"] / r.autarky_joint["technology"] * 100
    y = fr["goods"] / r.autarky_joint["goods"] * 100
    f["front"].set_data(x.to_numpy(), y.to_numpy())
    f["spec"].set_data([r.specialised_joint["technology"]], [r.specialised_joint["goods"]])
    f["mine"].set_data([r.joint["technology"]], [r.joint["goods"]])
    xmax = max(x.max(), r.joint["technology"]) * 1.05
    ymax = max(y.max(), r.joint["goods"]) * 1.08
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, ymax)
    # few, fixed ticks: tick labels and grid lines are most of a redraw's cost
    ax.set_xticks(np.arange(0, xmax, 100 if xmax > 250 else 50))
    ax.set_yticks(np.arange(0, ymax, 50))
    gains, spec = r.gains.to_numpy(), r.specialised_gains.to_numpy()
    for bar, v in zip(f["bars"], gains):
        bar.set_height(v)
    f["diamonds"].set_ydata(spec)
    for text, v in zip(f["gain_texts"], gains):
        text.set_y(v)
        text.set_text(f"{v:+.1f}")
        text.set_verticalalignment("bottom" if v >= 0 else "top")
    for text, v in zip(f["spec_texts"], spec):
        text.set_y(v)
        text.set_text(f"{v:+.1f}")
    lo = min(0.0, float(r.gains.min()), float(r.specialised_gains.min()))
    hi = max(1.0, float(r.gains.max()), float(r.specialised_gains.max()))
    bx.set_ylim(lo - 0.12 * (hi - lo) - 0.5, hi + 0.15 * (hi - lo) + 0.5)


def render(r: Outcome, reuse: dict | None = None):
    """Left: the joint production frontier (autarky = 100 on each axis) with the autarky point,
    the specialised point at this price and your allocation. Right: each region's gain.
    Below: a table of the regions' outputs and gains, and any notes.

    ``reuse`` (a dict kept by the Explorer) holds the previous redraw's figure and artists; they get
    the new values in place (the same pixels as a new figure, for less work) unless the regions or
    the language changed."""
    from course.plots import finding_title

    f = reuse.get("figure") if reuse else None
    if f is None or f["key"] != _figure_key(r):
        f = _new_figure(r)
        if reuse is not None:
            reuse["figure"] = f
    _set_values(f, r)
    fig = f["fig"]
    finding_title(fig, _title(r), width=72)
    table = pd.DataFrame({
        _("workers in technology (%)"): (100 * r.shares).round(0),
        _("technology output"): r.output["technology"].round(1),
        _("goods output"): r.output["goods"].round(0),
        _("gain over autarky (%)"): r.gains.round(1),
        _("gain if specialised (%)"): r.specialised_gains.round(1),
    })
    table.index = [province(n) for n in table.index]
    table.index.name = _("region (model)")
    text = _f("Price of a patent: {r.price:,.0f} (10,000 yuan of goods); "
              "terms-of-trade band {r.band.low:,.0f} to {r.band.high:,.0f}; market price {r.equilibrium.price:,.0f}. "
              "Bars: your allocation; diamonds: every region specialised along comparative advantage at this price.")
    setting = f"<p class='course-static-note'>{text}</p>"
    notes = "".join(f"<li>{n}</li>" for n in r.notes)
    html = setting + table.to_html(classes="course-table", border=0) + (
        f"<ul class='course-notes'>{notes}</ul>" if notes else "")
    return [fig, html]


def alt_text(r: Outcome) -> str:
    """Alt text for :func:`render`, with the current numbers."""
    regions = [province(n) for n in r.economy.regions]
    names = _(", ").join(regions)
    gains = _("; ").join(_f("{n} {g:+.1f} % (specialised {s:+.1f} %)") for n, g, s in
                         zip(regions, r.gains, r.specialised_gains))
    return _f("Left: the joint production frontier of {names} in the model, technology output "
              "against goods output, both with autarky = 100. Autarky is the circle at (100, 100); specialising at "
              "this price gives technology {r.specialised_joint['technology']:.0f} and goods "
              "{r.specialised_joint['goods']:.0f}; your allocation (star) gives technology {r.joint['technology']:.0f} "
              "and goods {r.joint['goods']:.0f}. Right: each region's gain over autarky at a price of {r.price:,.0f}: "
              "{gains}.")


#: shown under the lesson's figures; in the student's language via ``_(CAPTION)``
CAPTION = N_("MODEL with productivities calibrated from NBS data: invention patents granted per R&D person-year "
             "(2023); value added of industry and transport per worker in mining, manufacturing, utilities and "
             "transport (urban non-private units, 2024); workers = urban non-private unit employment, 2024; "
             "half of spending on technology (beta = 0.5).")


def explorer(economy: Economy | None = None):
    """The lesson's widget: three allocation sliders and a price slider, wired to :func:`outcome`."""
    import ipywidgets as w

    from course.widgets import Explorer

    e = economy if economy is not None else _default_economy()
    p_eq = int(round(equilibrium(e).price / 10) * 10)
    style = {"description_width": "initial"}
    start = int(round(100 * e.beta))
    controls = {
        "beijing": w.IntSlider(value=start, min=0, max=100, step=5, description=_("Beijing: % of workers in technology"),
                               style=style),
        "tianjin": w.IntSlider(value=start, min=0, max=100, step=5, description=_("Tianjin: % of workers in technology"),
                               style=style),
        "hebei": w.IntSlider(value=start, min=0, max=100, step=5, description=_("Hebei: % of workers in technology"),
                             style=style),
        "price": w.IntSlider(value=p_eq, min=100, max=2000, step=10,
                             description=_("Price of a patent (10,000 yuan of goods)"), style=style),
    }

    def compute(beijing, tianjin, hebei, price):
        return outcome(beijing, tianjin, hebei, price, economy=e)

    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda r: render(r, reuse), alt=alt_text, caption=_(CAPTION),
                    title=_("Beijing-Tianjin-Hebei: dividing the work (a model)"))
