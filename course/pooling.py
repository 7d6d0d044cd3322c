"""Pooling data across regions: less noise, but bias when regions differ — a MODEL (paper F2.2).

Section 四(二)2 of Zhang & Ma (2024) (course id **F2.2**) asks regions and departments to connect their
data (数据要素互联互通) so that each can use everyone's. Statistics says why that helps, and when it
misleads. This module is a small simulation; it describes no real data.

The model (every assumption written down)
-----------------------------------------
* There are :math:`m` regions. Region :math:`r` has :math:`n` records
  :math:`y_{ri}=\\mu_r+\\sigma\\,\\varepsilon_{ri}`, with independent standard-normal noise
  :math:`\\varepsilon_{ri}` (the same spread :math:`\\sigma` everywhere).
* Region 1 is *your* region; you want its mean :math:`\\mu_1` (say, the average yield of a crop, or
  the share of firms that use a service).
* The regions' true means differ by a constant step :math:`\\tau` from one region to the next,
  :math:`\\mu_r=\\mu_1+(r-1)\\tau`: :math:`\\tau=0` means all regions share one parameter; a larger
  :math:`\\tau` means local conditions differ more.
* Pooling :math:`p` regions (your own and the next :math:`p-1`) estimates :math:`\\mu_1` by the mean of
  all :math:`pn` records, :math:`\\bar y_p`.

Theory
------
:math:`\\bar y_p` is normal with

* **standard error** :math:`\\mathrm{SE}_p=\\sigma/\\sqrt{pn}` — pooling :math:`p` regions divides the
  error of your own data alone, :math:`\\sigma/\\sqrt n`, by :math:`\\sqrt p`;
* **bias** :math:`\\mathrm{E}[\\bar y_p]-\\mu_1=\\tau\\,(p-1)/2` — the average distance of the pooled
  regions' means from yours;
* **root mean squared error** :math:`\\mathrm{RMSE}_p=\\sqrt{\\mathrm{bias}_p^2+\\mathrm{SE}_p^2}`. With
  :math:`\\tau=0` pooling everything is best; with :math:`\\tau>0` the best :math:`p` balances less noise
  against more bias (:func:`best_pool`). That is the statistical form of 因地制宜: borrow other regions'
  data only as far as their conditions resemble yours.

The simulation draws the noise once (``reps`` replications, seeded) and reuses it for every setting,
so moving a slider changes the setting, not the luck of the draw.

Examples
--------
>>> round(standard_error(sigma=1.0, n=25, pooled=4), 6)      # 1 / sqrt(100)
0.1
>>> bias(tau=0.1, pooled=3)                                    # (0 + 0.1 + 0.2) / 3
0.1
>>> best_pool(n=50, tau=0.1, regions=8)
2
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.i18n import _, _f
from course.edgecase import EdgeCase

__all__ = [
    "standard_error",
    "bias",
    "rmse",
    "best_pool",
    "PoolingModel",
    "Simulation",
    "describe",
    "render",
    "build_explorer",
]

SEED = 20240417


def _check(n: int, pooled: int, sigma: float = 1.0) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise EdgeCase(_("Each region needs at least one record."))
    if isinstance(pooled, bool) or not isinstance(pooled, (int, np.integer)) or pooled < 1:
        raise EdgeCase(_("Pool at least one region (your own)."))
    if not sigma > 0:
        raise EdgeCase(_("The spread sigma must be positive."))


def standard_error(sigma: float, n: int, pooled: int = 1) -> float:
    """:math:`\\sigma/\\sqrt{pn}`: the standard error of the mean of ``pooled`` regions of ``n`` records."""
    _check(n, pooled, sigma)
    return sigma / math.sqrt(pooled * n)


def bias(tau: float, pooled: int) -> float:
    """:math:`\\tau(p-1)/2`: how far the pooled mean is, on average, from your region's mean."""
    _check(1, pooled)
    return tau * (pooled - 1) / 2


def rmse(sigma: float, n: int, pooled: int, tau: float) -> float:
    """:math:`\\sqrt{\\mathrm{bias}^2+\\mathrm{SE}^2}`."""
    return math.hypot(bias(tau, pooled), standard_error(sigma, n, pooled))


def best_pool(n: int, tau: float, regions: int = 8, sigma: float = 1.0) -> int:
    """The number of pooled regions (1 ... ``regions``) with the smallest RMSE (the smallest on ties)."""
    values = [rmse(sigma, n, p, tau) for p in range(1, regions + 1)]
    return int(np.argmin(values)) + 1


@dataclass
class Simulation:
    """One setting of :class:`PoolingModel`: simulated estimates and the theory beside them."""

    pooled: int
    n: int
    tau: float
    sigma: float
    reps: int
    own: np.ndarray          # estimates of mu_1 from your region alone (errors: estimate - mu_1)
    pooled_est: np.ndarray   # estimates from the pooled regions (errors)
    curve: pd.DataFrame      # per p = 1 ... m: theory and simulation of SE, bias, RMSE

    @property
    def row(self) -> pd.Series:
        return self.curve.loc[self.pooled]


class PoolingModel:
    """The simulation: ``reps`` replications of ``regions`` regions with up to ``n_max`` records each.

    The standard-normal noise is drawn once from ``numpy.random.default_rng(seed)``; :meth:`simulate`
    scales and shifts it for a setting. Errors are reported relative to the true mean of region 1,
    so :math:`\\mu_1` itself never matters (it is 0 here).
    """

    def __init__(self, regions: int = 8, n_max: int = 200, reps: int = 1000, seed: int = SEED):
        if regions < 1 or n_max < 1 or reps < 2:
            raise ValueError("PoolingModel: regions, n_max >= 1 and reps >= 2")
        self.regions, self.n_max, self.reps, self.seed = regions, n_max, reps, seed
        rng = np.random.default_rng(seed)
        self.noise = rng.standard_normal((reps, regions, n_max))
        # running sums over records, so that the mean of the first n records of a region is one lookup
        self._cumsum = np.cumsum(self.noise, axis=2)

    def region_means(self, n: int) -> np.ndarray:
        """Noise part of each region's sample mean with ``n`` records: shape (reps, regions)."""
        if not 1 <= n <= self.n_max:
            raise EdgeCase(_f("Records per region must be between 1 and {self.n_max}."))
        return self._cumsum[:, :, n - 1] / n

    def simulate(self, pooled: int = 1, n: int = 50, tau: float = 0.0, sigma: float = 1.0) -> Simulation:
        """Estimates of :math:`\\mu_1` for every number of pooled regions, with theory alongside."""
        _check(n, pooled, sigma)
        if pooled > self.regions:
            raise EdgeCase(_f("There are only {self.regions} regions to pool."))
        if tau < 0:
            raise EdgeCase(_("The step between regions, tau, cannot be negative (reverse the order instead)."))
        means = self.region_means(int(n))                              # (reps, m): noise only
        shifts = tau * np.arange(self.regions)                         # mu_r - mu_1
        # equal n per region: the pooled mean is the mean of the region means
        est = sigma * np.cumsum(means, axis=1) / np.arange(1, self.regions + 1) + np.cumsum(shifts) / np.arange(
            1, self.regions + 1)
        p = np.arange(1, self.regions + 1)
        curve = pd.DataFrame({
            "se_theory": sigma / np.sqrt(p * n),
            "bias_theory": tau * (p - 1) / 2,
            "se_simulated": est.std(axis=0, ddof=1),
            "bias_simulated": est.mean(axis=0),
            "rmse_simulated": np.sqrt((est ** 2).mean(axis=0)),
        }, index=pd.Index(p, name="pooled"))
        curve["rmse_theory"] = np.hypot(curve["bias_theory"], curve["se_theory"])
        # the simulated SD of an SD estimate from R draws is about SE / sqrt(2 (R - 1))
        curve["se_simulation_error"] = curve["se_theory"] / math.sqrt(2 * (self.reps - 1))
        return Simulation(int(pooled), int(n), float(tau), float(sigma), self.reps, est[:, 0].copy(),
                          est[:, pooled - 1].copy(), curve)


# --------------------------------------------------------------------------------------------
# The Explorer
# --------------------------------------------------------------------------------------------

def _finding(s: Simulation) -> str:
    r, own = s.row, s.curve.loc[1]
    if s.pooled == 1:
        return _f("Your region alone: standard error {own['se_theory']:.3f} (sigma / sqrt n), no bias; "
                  "pool regions to cut the noise")
    best = int(s.curve["rmse_theory"].idxmin())
    verdict = (_("the best choice here") if best == s.pooled else
               _f("pooling {best} regions would do better") if best > 1 else _("pooling 1 region would do better"))
    return _f("Pooling {s.pooled} regions cuts the standard error from {own['se_theory']:.3f} to "
              "{r['se_theory']:.3f}, adds bias {r['bias_theory']:.3f}: RMSE {r['rmse_theory']:.3f}, {verdict}")


def describe(s: Simulation) -> str:
    """Alt text with the current numbers."""
    r, own = s.row, s.curve.loc[1]
    return _f("Model simulation, {s.reps} replications, {s.n} records per region, step between regions tau "
              "{s.tau:.2f} sigma. Left: histograms of the estimation error of your region's mean, from your own "
              "data (spread {own['se_simulated']:.3f}) and from {s.pooled} pooled regions (spread "
              "{r['se_simulated']:.3f}, centred at {r['bias_simulated']:+.3f}). Right: root mean squared error "
              "against the number of pooled regions, theory as a line and simulation as points; lowest at "
              "{int(s.curve['rmse_theory'].idxmin())} regions.")


def table_html(s: Simulation) -> str:
    """Theory against simulation for the current setting."""
    import html

    r = s.row
    rows = [(_("standard error"), r["se_theory"], r["se_simulated"]),
            (_("bias"), r["bias_theory"], r["bias_simulated"]),
            (_("RMSE"), r["rmse_theory"], r["rmse_simulated"])]
    body = "".join(f"<tr><th scope='row' style='text-align:left;padding:2px 8px'>{html.escape(a)}</th>"
                   f"<td style='padding:2px 8px'>{b:.4f}</td><td style='padding:2px 8px'>{c:.4f}</td></tr>"
                   for a, b, c in rows)
    caption = _f("Pooling {s.pooled} of 8 regions, {s.n} records each, in units of sigma (MODEL)")
    theory, simulation = _("theory"), _f("simulation ({s.reps} runs)")
    return (f"<table class='course-table' style='font-size:13px;border-collapse:collapse'>"
            f"<caption style='text-align:left'>{html.escape(caption)}</caption>"
            f"<tr><th></th><th style='padding:2px 8px'>{html.escape(theory)}</th>"
            f"<th style='padding:2px 8px'>{html.escape(simulation)}</th></tr>{body}</table>")




def _bins(s: Simulation) -> np.ndarray:
    c = s.curve
    lim = max(4 * c.loc[1, "se_theory"], abs(c["bias_theory"]).max() + 3 * c.loc[1, "se_theory"])
    return np.linspace(-lim, lim, 41)


def _new_figure(s: Simulation) -> dict:
    """The parts of the chart that do not change with the setting: axes, labels, styles, legends."""
    from operator import attrgetter

    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from course import fastdraw, plots

    p = s.curve.index.to_numpy()
    zeros, edges = np.zeros(40), np.linspace(-1, 1, 41)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.8, 3.8), dpi=100, FigureClass=plots.layered_figure_class())
    st0, st1, st2 = plots.series_style(0), plots.series_style(1), plots.series_style(2)
    # the two histograms as step patches whose heights and edges are replaced on each redraw
    own = ax1.stairs(zeros, edges, color=st0["color"], linestyle=st0["linestyle"], linewidth=1.8,
                     label=_("your region alone"))
    pooled = ax1.stairs(zeros, edges, fill=True, color=st1["color"], alpha=0.35, hatch=st1["hatch"],
                        edgecolor=st1["color"], label="-")
    ax1.axvline(0, color="black", linewidth=1.2)
    mean_text = ax1.text(0, 1, _(" true mean"), fontsize=8.5, va="top")
    ax1.set_xlabel(_("estimate minus your region's true mean (units of sigma)"))
    ax1.set_ylabel(_f("runs (of {s.reps})"))
    # legend keys drawn as boxes, as a histogram's own legend entries are
    keys = [Patch(facecolor="none", edgecolor=st0["color"], linestyle=st0["linestyle"], linewidth=1.8,
                  label=_("your region alone")),
            Patch(facecolor=st1["color"], alpha=0.35, hatch=st1["hatch"], edgecolor=st1["color"], label="-")]
    legend1 = ax1.legend(handles=keys, fontsize=8.5, loc="upper left")
    plots.one_layout_per_draw(legend1)
    lines = {
        "rmse_theory": ax2.plot(p, p * 0.0, color="black", linestyle="-", label=_("RMSE, theory"))[0],
        "se_theory": ax2.plot(p, p * 0.0, color=st0["color"], linestyle="--",
                              label=_("standard error sigma/sqrt(pn)"))[0],
        "bias_theory": ax2.plot(p, p * 0.0, color=st2["color"], linestyle=":", label=_("bias tau(p-1)/2"))[0],
        "rmse_simulated": ax2.plot(p, p * 0.0, linestyle="", marker="o", color="black", markersize=5,
                                   label=_("RMSE, simulated"))[0],
    }
    ring, = ax2.plot([1], [0], marker="o", markersize=13, markerfacecolor="none", markeredgecolor=st1["color"],
                     markeredgewidth=2, linestyle="")
    ax2.set_xticks(p)
    ax2.set_xlim(p[0] - 0.35, p[-1] + 0.35)
    ax2.set_xlabel(_("regions pooled, p"))
    ax2.set_ylabel(_("error (units of sigma)"))
    plots.one_layout_per_draw(ax2.legend(fontsize=8, loc="upper center"))
    # the rotated y labels, from course.fastdraw's caches (matplotlib lays them out glyph by glyph)
    for ax in (ax1, ax2):
        fastdraw.cache_rotated(ax.yaxis.label)
    fig.text(0.01, 0.01, _("MODEL: simulated data, not a measurement"), fontsize=8.5, style="italic")
    fig.subplots_adjust(left=0.07, right=0.98, top=0.8, bottom=0.17, wspace=0.25)
    # Axis labels at fixed places: matplotlib would otherwise measure every tick label on every draw
    # to place them (about a tenth of a redraw). The places are where it puts them for the widest tick
    # labels any setting gives (checked over 90 settings: y labels from -0.119 to -0.094 and from
    # -0.155 to -0.105 axes widths; the x label always at -0.122 axes heights).
    ax1.yaxis.set_label_coords(-0.119, 0.5)
    ax2.yaxis.set_label_coords(-0.155, 0.5)
    ax1.xaxis.set_label_coords(0.5, -0.1218)
    title = plots.finding_title(fig, _finding(s), width=84)
    # What never changes is drawn once and its pixels kept (plots.layered_figure_class): the axes
    # backgrounds, the p axis of the right panel (ticks 1 ... 8, its grid and label), the empty axes
    # titles and the MODEL note; all of them lie under everything else. The rest is drawn over them on
    # every draw, in the order the axes themselves would draw it (by zorder).
    static = {ax2.xaxis}
    for ax in (ax1, ax2):
        static.update((ax.patch, ax.title, ax._left_title, ax._right_title))
    fig.course_dynamic = tuple(a for ax in (ax1, ax2) for a in sorted(ax.get_children(), key=attrgetter("zorder"))
                               if a not in static) + (title,)
    return {"fig": fig, "ax1": ax1, "ax2": ax2, "own": own, "pooled": pooled, "mean_text": mean_text,
            "pooled_label": legend1.get_texts()[1], "lines": lines, "ring": ring, "key": plots.reuse_key()}


def _show(view: dict, s: Simulation) -> None:
    """Put the setting ``s`` into the figure of ``view``: histograms, limits, curves, ring, texts."""
    from course import plots

    c = s.curve
    bins = _bins(s)
    own, _e = np.histogram(s.own, bins=bins)
    pooled, _e = np.histogram(s.pooled_est, bins=bins)
    view["own"].set_data(own, bins)
    view["pooled"].set_data(pooled, bins)
    top = 1.05 * max(own.max(), pooled.max())         # what autoscaling gives a histogram from 0
    view["ax1"].set_xlim(1.1 * bins[0], 1.1 * bins[-1])    # autoscaling's 5 % margins
    view["ax1"].set_ylim(0, top)
    view["mean_text"].set_y(top * 0.97)
    view["pooled_label"].set_text(_f("{s.pooled} regions pooled"))
    p = c.index.to_numpy()
    highest = 0.0
    for col, line in view["lines"].items():
        values = c[col].to_numpy()
        line.set_data(p, values)
        highest = max(highest, float(np.nanmax(values)))
    view["ring"].set_data([s.pooled], [s.row["rmse_theory"]])
    view["ax2"].set_ylim(0, 1.05 * highest)
    plots.finding_title(view["fig"], _finding(s), width=84)


def render(s: Simulation, view: dict | None = None):
    """Histograms of the errors (own vs pooled) and the RMSE curve over the number of pooled regions.

    ``view`` (a dict kept by the Explorer) holds the figure of the previous redraw; the next setting
    is put into it (new histogram heights and edges, curves, limits, title) instead of building a new
    figure. A new figure is made for another language or fonts, and when ``view`` is None.
    """
    from course import plots

    with plots.course_style():
        if not plots.kept(view):
            view = plots.keep(view, _new_figure(s))
        _show(view, s)
    return [view["fig"], table_html(s)]


def build_explorer(model: PoolingModel | None = None, pooled: int = 4, n: int = 40, tau: float = 0.05):
    """The lesson's Explorer: regions pooled, records per region, step between regions."""
    import ipywidgets as w

    from course.widgets import Explorer

    model = PoolingModel() if model is None else model
    wide = {"description_width": "220px"}
    controls = {
        "pooled": w.IntSlider(value=pooled, min=1, max=model.regions, description=_("regions pooled"), style=wide,
                              continuous_update=False),
        "n": w.IntSlider(value=n, min=10, max=model.n_max, step=10, description=_("records per region"), style=wide,
                         continuous_update=False),
        "tau": w.FloatSlider(value=tau, min=0.0, max=0.3, step=0.01, description=_("step between regions (tau)"),
                             style=wide, readout_format=".2f", continuous_update=False),
    }

    def compute(pooled, n, tau):
        return model.simulate(pooled=pooled, n=n, tau=tau)

    view: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda s: render(s, view), alt=describe,
                    title=_("MODEL: pooling data across regions"),
                    caption=_("A simulation with sigma = 1, 8 regions, seeded; see course/pooling.py for the assumptions."))
