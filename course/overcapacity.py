"""The "tide" (潮涌) MODEL of overcapacity: regions rushing into one industry (lesson 24, S4 and S4.1).

Section 三(四) of the paper (course id S4) says that developing new quality productive forces
according to local conditions is key to avoiding overcapacity (产能过剩), and its first point (S4.1)
says that market research and forecasting keep the scale of production in line with demand. The
mechanism it warns against is the *tide* (潮涌现象, Lin 2007; Lin, Wu and Xing 2010): when every
region reads the same signal about the "next promising industry", all rush in at once (一哄而上)
and together build more than the market can use. This module is a small **model** of that story,
written for teaching; its numbers follow from the assumptions below, not from data.

Assumptions
-----------
1. **Regions and industries.** ``n_regions`` regions (default 30) each build one plant (one unit of
   capacity) in one of four industries. Industry 0, *Hot*, is the one every headline calls
   promising; it also has the largest market.
2. **Demand.** Buyers of industry j take ``D_j`` units a year at any price up to a ceiling ``a``
   (1.3) and no more at a lower price. ``D_j = round(demand * n_regions * share_j)`` with market
   shares 0.4 (Hot), 0.2, 0.2, 0.2: at ``demand = 1`` the four markets together could use one plant
   per region.
3. **Comparative advantage.** Region i's unit cost in industry j is ``c_ij = c0 + g (1 - fit_ij)``
   (``c0`` = 0.6, ``g`` = 0.4), where its *fit* ``fit_ij`` (0 to 1) stands for its resources, skills and
   suppliers. Each region has one industry it is best suited to, drawn with the market shares as
   probabilities (so the country's comparative advantages are spread across industries as its
   buyers' demand is); its fit there is drawn between 0.6 and 1, elsewhere between 0 and 0.6. Every
   plant also pays a capital cost ``F`` = 0.2 a year, whether it runs or not.
4. **Decisions.** Regions decide one after another in a random order. A *follower* (the share
   ``followers`` of regions) builds in Hot whatever its fit: it follows the tide.
5. **Market information** (S4.1). Every other region chooses by comparative advantage, but only the
   share ``information`` of them researches the market first. A region that does knows how many
   plants each industry already has and enters its best-fit industry among those where demand still
   has room (plants < ``D_j``); if none has room, the least crowded one (plants / ``D_j``). A region that
   does not research goes by fit alone (its best-suited industry), however crowded it is.
6. **Market.** If an industry has no more plants than buyers want (``K_j <= D_j``), every plant runs
   and the price is ``a``. If it has more, only the ``D_j`` cheapest plants run, and competition for
   buyers pushes the price down to the unit cost of the cheapest plant left idle.
7. **Outcomes.** Capacity utilisation (output / capacity) by industry and overall, price, each
   plant's profit ``(price - c_ij) * runs - F``, the number of loss-making regions, and demand
   left unserved.

Randomness is seeded. One seed fixes every draw: the fits, the order, a ranking that decides who
follows (the first ``round(followers * n_regions)`` regions of the ranking, so raising the share only
turns more regions into followers) and which regions research the market (those whose draw is below
``information``, so better information only adds researchers). The same seed and settings always
give the same result.

What the model shows, and the tests check
-----------------------------------------
* With every region a follower, Hot gets all the plants, and overall utilisation is
  ``min(1, D_Hot / n_regions)``.
* With no followers and every region researching the market, idle capacity is
  ``max(0, n_regions - sum(D))``, the least possible; so it is never larger than when all follow the
  tide (a proof, at equal demand). With less research the same holds in every seed the tests try.
* Averaged over seeds, utilisation falls as the share of followers rises, and idle capacity falls
  as market information improves.

Examples
--------
>>> r = simulate(followers=1.0, information=0.5, demand=1.0, seed=0)
>>> int(r.industries.loc["Hot", "plants"]), int(r.industries.loc["Hot", "demand"])
(30, 12)
>>> round(r.utilisation, 3)          # 12 of 30 plants can sell their output
0.4
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from course.i18n import N_, _, _f
from course.edgecase import EdgeCase

__all__ = [
    "INDUSTRIES",
    "Model",
    "DEFAULT",
    "Draws",
    "TideResult",
    "draw",
    "demand_units",
    "choose",
    "market",
    "simulate",
    "sweep",
    "render",
    "alt_text",
    "explorer",
    "CAPTION",
]

INDUSTRIES = (N_("Hot"), "B", "C", "D")


@dataclass(frozen=True)
class Model:
    """The model's fixed parameters (see the module docstring)."""

    n_regions: int = 30
    shares: tuple = (0.4, 0.2, 0.2, 0.2)
    price_cap: float = 1.3
    base_cost: float = 0.6
    cost_range: float = 0.4
    capital_cost: float = 0.2

    def __post_init__(self):
        if not isinstance(self.n_regions, (int, np.integer)) or self.n_regions < 2:
            raise ValueError("Model: n_regions must be a whole number of at least 2")
        if len(self.shares) != len(INDUSTRIES) or min(self.shares) <= 0 or abs(sum(self.shares) - 1) > 1e-9:
            raise ValueError(f"Model: shares must be {len(INDUSTRIES)} positive market shares adding up to 1")
        if self.shares[0] < max(self.shares[1:]):
            raise ValueError("Model: the hot industry (the first share) must have the largest market")
        if not self.price_cap > self.base_cost + self.cost_range:
            raise ValueError("Model: the price ceiling must exceed the highest unit cost")


DEFAULT = Model()


class Draws(NamedTuple):
    """Every random number one seed fixes."""

    fit: np.ndarray        # (n, J) fit of each region for each industry, 0-1
    order: np.ndarray      # (n,) the order in which regions decide
    follow_rank: np.ndarray  # (n,) rank of each region in the queue of followers (0 = first to follow)
    research: np.ndarray   # (n,) uniform draws: region i researches the market if research[i] < information


def draw(seed: int, model: "Model | None" = None) -> Draws:
    """All random draws for one seed (NumPy's default generator)."""
    model = model or DEFAULT
    n, J = model.n_regions, len(INDUSTRIES)
    rng = np.random.default_rng(seed)
    best = rng.choice(J, size=n, p=np.asarray(model.shares, dtype=float))
    high = rng.uniform(0.6, 1.0, size=n)
    fit = rng.uniform(0.0, 0.6, size=(n, J))
    fit[np.arange(n), best] = high
    order = rng.permutation(n)
    follow_rank = np.empty(n, dtype=int)
    follow_rank[rng.permutation(n)] = np.arange(n)
    research = rng.uniform(0.0, 1.0, size=n)
    return Draws(fit, order, follow_rank, research)


def demand_units(demand: float, model: Model = DEFAULT) -> np.ndarray:
    """Plants' worth of output each industry's buyers take: ``round(demand * n * share)``."""
    return np.array([int(round(demand * model.n_regions * s)) for s in model.shares])


def choose(fit: np.ndarray, order, followers: np.ndarray, researched: np.ndarray,
           demand: np.ndarray) -> np.ndarray:
    """Each region's industry (0 = Hot), deciding in ``order``.

    ``followers`` (boolean, one per region): True = follows the tide into Hot. ``researched``
    (boolean): True = the region researches the market before it builds and so knows how many plants
    each industry already has; it enters its best-fit industry among those with room (plants < demand),
    or, if none has room, the least crowded one (plants / demand). A region that neither follows nor
    researches goes by fit alone: its best-fit industry.
    """
    n, J = fit.shape
    choice = np.full(n, -1, dtype=int)
    rank = np.argsort(-fit, axis=1, kind="stable")  # industries by fit, best first
    counts = [0] * J                                  # plants built so far, by industry
    for i in (int(x) for x in order):
        if followers[i]:
            pick = 0
        elif not researched[i]:
            pick = int(rank[i][0])
        else:
            pick = -1
            for j in rank[i]:
                if counts[j] < demand[j]:
                    pick = int(j)
                    break
            if pick < 0:
                crowd = [counts[j] / demand[j] if demand[j] > 0 else np.inf for j in range(J)]
                pick = int(np.argmin(crowd))
        choice[i] = pick
        counts[pick] += 1
    return choice


def _market_arrays(choice, cost, demand, model):
    n, J = cost.shape
    my_cost = cost[np.arange(n), choice]
    runs = np.zeros(n, dtype=bool)
    price = np.full(J, np.nan)
    for j in range(J):
        idx = np.flatnonzero(choice == j)
        if idx.size == 0:
            continue
        if idx.size <= demand[j]:
            runs[idx] = True
            price[j] = model.price_cap
        else:
            by_cost = idx[np.argsort(my_cost[idx], kind="stable")]
            runs[by_cost[: demand[j]]] = True
            price[j] = my_cost[by_cost[demand[j]]]   # the cheapest plant left idle sets the price
    profit = np.where(runs, price[choice] - my_cost, 0.0) - model.capital_cost
    return my_cost, runs, price, profit


def market(choice: np.ndarray, cost: np.ndarray, demand: np.ndarray, model: Model = DEFAULT):
    """Outcome of each industry and each plant, given where the plants are and their unit costs.

    ``cost`` is the (n, J) unit-cost matrix. Returns ``(industries, plants)``: DataFrames with, per
    industry, demand, plants, running plants, utilisation, price, total profit and loss-makers,
    and, per region, its industry, unit cost, whether it runs and its profit.
    """
    choice = np.asarray(choice, dtype=int)
    demand = np.asarray(demand, dtype=int)
    my_cost, runs, price, profit = _market_arrays(choice, np.asarray(cost, dtype=float), demand, model)
    plants = pd.DataFrame({"industry": [INDUSTRIES[j] for j in choice], "unit_cost": my_cost,
                           "runs": runs, "profit": profit})
    rows = []
    for j, name in enumerate(INDUSTRIES):
        m = choice == j
        k = int(m.sum())
        rows.append({"industry": name, "demand": int(demand[j]), "plants": k, "running": int(runs[m].sum()),
                     "utilisation": runs[m].mean() if k else np.nan, "price": price[j],
                     "profit": float(profit[m].sum()), "loss_makers": int((profit[m] < 0).sum()),
                     "unserved": int(max(0, demand[j] - k))})
    return pd.DataFrame(rows).set_index("industry"), plants


@dataclass
class TideResult:
    """One run of the model: the settings, the industries' and plants' outcomes, and the totals."""

    followers: float
    information: float
    demand: float
    seed: int
    industries: pd.DataFrame
    plants: pd.DataFrame
    model: Model = DEFAULT
    notes: list = field(default_factory=list)

    @property
    def utilisation(self) -> float:
        """Overall capacity utilisation: running plants / all plants."""
        return float(self.plants["runs"].mean())

    @property
    def idle(self) -> int:
        """Idle plants: capacity no buyer wants (the overcapacity)."""
        return int((~self.plants["runs"]).sum())

    @property
    def loss_makers(self) -> int:
        return int((self.plants["profit"] < 0).sum())

    @property
    def profit(self) -> float:
        return float(self.plants["profit"].sum())

    @property
    def unserved(self) -> int:
        return int(self.industries["unserved"].sum())


def _check(followers, information, demand, seed):
    for name, v, lo, hi in (("followers", followers, 0, 1), ("information", information, 0, 1)):
        if not isinstance(v, (int, float, np.integer, np.floating)) or not lo <= float(v) <= hi:
            raise ValueError(f"{name} must be a number from {lo} to {hi} (got {v!r})")
    if not isinstance(demand, (int, float, np.integer, np.floating)) or not float(demand) > 0:
        raise ValueError(f"demand must be a positive number (got {demand!r})")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0 (got {seed!r})")


def _run(followers, information, demand, d: Draws, model: Model):
    n = model.n_regions
    D = demand_units(float(demand), model)
    is_follower = d.follow_rank < int(round(float(followers) * n))
    choice = choose(d.fit, d.order, is_follower, d.research < float(information), D)
    cost = model.base_cost + model.cost_range * (1.0 - d.fit)
    return D, is_follower, choice, cost


def simulate(followers: float = 0.3, information: float = 0.5, demand: float = 1.0, seed: int = 0,
             model: Model = DEFAULT, draws: Draws | None = None) -> TideResult:
    """Run the model once. ``followers`` and ``information`` are fractions (0-1), ``demand`` the
    markets' size relative to one plant per region, ``seed`` fixes every random draw."""
    _check(followers, information, demand, seed)
    d = draws if draws is not None else draw(int(seed), model)
    D, is_follower, choice, cost = _run(followers, information, demand, d, model)
    industries, plants = market(choice, cost, D, model)
    plants.insert(0, "follower", is_follower)
    plants["fit"] = d.fit[np.arange(model.n_regions), choice]
    notes = []
    if D.sum() == 0:
        notes.append(_("At this demand no market takes even one plant's output."))
    return TideResult(float(followers), float(information), float(demand), int(seed), industries, plants, model, notes)


def sweep(followers=np.linspace(0, 1, 11), information=(0.0, 0.5, 1.0), demand: float = 1.0,
          seeds=range(20), model: Model = DEFAULT) -> pd.DataFrame:
    """Mean outcomes over ``seeds`` for every pair of settings: one row per (followers, information).

    Columns: utilisation (running / all plants), idle plants, loss-making regions, the price in
    the hot industry and unserved demand (plants' worth), each the mean over the seeds.
    """
    rows = []
    cache = {s: draw(s, model) for s in seeds}
    for q in information:
        for h in followers:
            acc = np.zeros(5)
            for s in seeds:
                D, _dem, choice, cost = _run(h, q, demand, cache[s], model)
                _cap, runs, price, profit = _market_arrays(choice, cost, D, model)
                counts = np.bincount(choice, minlength=len(INDUSTRIES))
                acc += [runs.mean(), (~runs).sum(), (profit < 0).sum(), price[0],
                        np.maximum(D - counts, 0).sum()]
            acc /= len(seeds)
            rows.append({"followers": round(float(h), 10), "information": round(float(q), 10),
                         "utilisation": acc[0], "idle": acc[1],
                         "loss_makers": acc[2], "hot_price": acc[3], "unserved": acc[4]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The widget
# ---------------------------------------------------------------------------------------------

def explore(followers: int = 30, information: float = 0.5, demand: float = 1.0, seed: int = 0) -> TideResult:
    """The widget's pure function: ``followers`` in per cent of regions."""
    if demand_units(float(demand)).sum() == 0:
        raise EdgeCase(_("At this demand no market buys even one plant's output; raise demand."))
    return simulate(followers / 100, information, demand, seed)


def _title(r: TideResult) -> str:
    hot = r.industries.loc["Hot"]
    n = r.model.n_regions
    return _f("Hot industry runs at {hot['utilisation']:.0%} of capacity; all plants {r.utilisation:.0%}; "
              "{r.loss_makers} of {n} regions lose money").replace("nan%", _("n/a"))


def _figure_key(r: TideResult) -> tuple:
    """What a figure kept for the next redraw depends on: :func:`course.plots.reuse_key`."""
    from course import plots

    return plots.reuse_key(tuple(r.industries.index))


def _new_figure(r: TideResult) -> dict:
    """The figure of :func:`render` with its artists (their values are set by :func:`_set_values`)."""
    import matplotlib.pyplot as plt

    from course.plots import COLORS

    ind = r.industries
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(8.0, 3.5), dpi=72, gridspec_kw={"width_ratios": [1.5, 1]})
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.09, top=0.75, wspace=0.08)
    pos = np.arange(len(ind))
    running = ax.bar(pos, ind["running"], color=COLORS[0], edgecolor="white", label=_("running plants"))
    idle = ax.bar(pos, ind["plants"] - ind["running"], bottom=ind["running"], color="white",
                  edgecolor=COLORS[4], hatch="///", label=_("idle plants"))
    for b in idle:
        b.set_hatchcolor(COLORS[4])
    demand = ax.plot(pos, ind["demand"], marker="D", linestyle="none", color="black", markersize=7,
                     label=_("demand"))[0]
    counts = [ax.text(p_, 0, "", ha="center", va="bottom", fontsize=8) for p_ in pos]
    ax.set_xticks(pos, [_(i) for i in ind.index])
    ax.yaxis.set_visible(False)
    ax.spines["left"].set_visible(False)
    ax.grid(False)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(_("Plants and demand"), loc="left", fontsize=10, fontweight="normal")
    prices = bx.bar(pos, np.zeros(len(pos)), color=COLORS[2], edgecolor="white")
    cap = bx.axhline(r.model.price_cap, color="black", linestyle="--", linewidth=1, label=_("ceiling"))
    cost = bx.axhline(0, color=COLORS[4], linestyle=":", linewidth=1.2, label=_("typical full cost"))
    price_texts = [bx.text(p_, 0, "", ha="center", va="bottom", fontsize=8.5) for p_ in pos]
    bx.set_xticks(pos, [_(i) for i in ind.index])
    bx.yaxis.set_visible(False)
    bx.spines["left"].set_visible(False)
    bx.grid(False)
    bx.legend(loc="upper left", fontsize=7.5, ncol=2, handlelength=1.6, columnspacing=0.8)
    bx.set_title(_("Price"), loc="left", fontsize=10, fontweight="normal")
    return dict(fig=fig, ax=ax, bx=bx, running=running, idle=idle, demand=demand, counts=counts,
                prices=prices, cap=cap, cost=cost, price_texts=price_texts, key=_figure_key(r))


def _set_values(f: dict, r: TideResult) -> None:
    """Give the artists of :func:`_new_figure` the values of ``r`` (a new figure or a kept one)."""
    ind = r.industries
    for bar, run, k in zip(f["running"], ind["running"], ind["plants"]):
        bar.set_height(run)
    for bar, run, k in zip(f["idle"], ind["running"], ind["plants"]):
        bar.set_y(run)
        bar.set_height(k - run)
    f["demand"].set_ydata(ind["demand"].to_numpy())
    for text, k, u, dem in zip(f["counts"], ind["plants"], ind["utilisation"], ind["demand"]):
        text.set_y(max(k, dem) + 0.6)
        text.set_text(_("no plant") if k == 0 else _f("{k} plants\n{u:.0%} used"))
    f["ax"].set_ylim(0, max(r.model.n_regions * 0.8, float(ind["plants"].max()) + 6, float(ind["demand"].max()) + 6))
    prices = ind["price"].to_numpy(dtype=float)
    for bar, v in zip(f["prices"], np.nan_to_num(prices)):
        bar.set_height(v)
    f["cap"].set_ydata([r.model.price_cap] * 2)
    full = r.model.base_cost + r.model.cost_range / 2 + r.model.capital_cost
    f["cost"].set_ydata([full] * 2)
    for text, v in zip(f["price_texts"], prices):
        # a price is printed only where the industry has one; the other texts are hidden
        text.set_visible(bool(np.isfinite(v)))
        text.set_y(v + 0.02 if np.isfinite(v) else 0.0)
        text.set_text(f"{v:.2f}" if np.isfinite(v) else "")
    f["bx"].set_ylim(0, r.model.price_cap * 1.45)


def render(r: TideResult, reuse: dict | None = None):
    """Left: plants per industry, split into running and idle, with demand marked. Right: prices.
    Below: a table of the industries and the settings.

    The values are printed on the bars and the vertical axes are hidden: a redraw then costs about
    half as much (tick labels and grid lines are most of the drawing time). ``reuse`` (a dict kept by
    the Explorer) holds the previous redraw's figure and artists; they get the new values in place
    (the same pixels as a new figure, for less work) unless the layout or language changed.
    """
    from course.plots import finding_title

    ind = r.industries
    f = reuse.get("figure") if reuse else None
    if f is None or f["key"] != _figure_key(r):
        f = _new_figure(r)
        if reuse is not None:
            reuse["figure"] = f
    _set_values(f, r)
    fig = f["fig"]
    finding_title(fig, _title(r), width=72)
    table = ind[["demand", "plants", "running", "utilisation", "price", "loss_makers"]].copy()
    table["utilisation"] = (100 * table["utilisation"]).round(0)
    table["price"] = table["price"].round(2)
    table.columns = [_("demand (plants)"), _("plants"), _("running"), _("utilisation (%)"), _("price"),
                     _("regions losing money")]
    table.index = pd.Index([_(i) for i in table.index], name=_("industry"))
    text = _f("MODEL. Followers: {r.followers:.0%} of regions; {r.information:.0%} "
              "of the others research the market; demand {r.demand:.1f} (1 = a plant per region); seed {r.seed}. "
              "Left: running plants (solid) and idle plants (hatched) per industry, demand as a diamond. Right: the "
              "price in each industry; dashed: the ceiling buyers pay without a glut; dotted: a typical plant's full cost "
              "(the middle of the unit-cost range plus the capital cost).")
    setting = f"<p class='course-static-note'>{text}</p>"
    notes = "".join(f"<li>{n}</li>" for n in r.notes)
    return [fig, setting + table.to_html(classes="course-table", border=0, na_rep="-")
            + (f"<ul class='course-notes'>{notes}</ul>" if notes else "")]


def alt_text(r: TideResult) -> str:
    ind = r.industries
    rows = []
    for name, row in ind.iterrows():
        label, plants, demand = _(name), int(row["plants"]), int(row["demand"])
        if plants == 0:
            rows.append(_f("{label}: {plants} plants for demand {demand}, empty"))
        else:
            used, price = row["utilisation"], row["price"]
            rows.append(_f("{label}: {plants} plants for demand {demand}, {used:.0%} used, price {price:.2f}"))
    parts = _("; ").join(rows)
    return _f("Model run with {r.followers:.0%} followers, {r.information:.0%} of the others researching the market, demand "
              "{r.demand:.1f}, seed {r.seed}. Left: plants per industry, running and idle, with demand marked; "
              "right: the price in each industry. {parts}. Overall utilisation {r.utilisation:.0%}; "
              "{r.loss_makers} regions lose money.")


#: shown under the widget; in the student's language via ``_(CAPTION)``
CAPTION = N_("MODEL, not data: 30 regions, four industries, one plant each; followers build in the hot industry, "
             "the others by comparative advantage, with or without market research; see course.overcapacity.")


def explorer(followers: int = 30, information: float = 0.5, demand: float = 1.0, seed: int = 0):
    """The lesson's widget: followers, market information, demand and seed, wired to :func:`explore`."""
    import ipywidgets as w

    from course.widgets import Explorer

    style = {"description_width": "initial"}
    controls = {
        "followers": w.IntSlider(value=followers, min=0, max=100, step=10,
                                 description=_("Followers (% of regions)"), style=style),
        "information": w.FloatSlider(value=information, min=0.0, max=1.0, step=0.1,
                                     description=_("Market research (share of the others)"), style=style),
        "demand": w.FloatSlider(value=demand, min=0.4, max=1.6, step=0.1,
                                description=_("Demand (1 = a plant per region)"), style=style),
        "seed": w.IntSlider(value=seed, min=0, max=9, step=1, description=_("Random seed"), style=style),
    }
    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, explore, lambda r: render(r, reuse), alt=alt_text, caption=_(CAPTION),
                    title=_("The tide: regions choosing an industry (a model)"))
