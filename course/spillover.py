"""MODEL: under-investment in basic research when its benefits spill over to other regions (lesson 33, F3.2).

Section 四(三)2 of the paper says that where research needs heavy investment and pays off slowly,
the government has to lead (发挥政府主导作用). The textbook reason is a *positive externality*: a
region that pays for basic research keeps only part of what it yields, because knowledge is
non-rival and travels (papers are read, researchers move, firms elsewhere use the results). This
module is a small explicit **model** of that argument. It is not estimated from data; its numbers
are in made-up units.

Assumptions (all written into the functions below):

1. One region chooses how much to spend on basic research, :math:`x \\ge 0` (units of money).
2. The research yields a benefit to the whole country :math:`B(x) = a\\ln(1 + x)`: positive, with
   diminishing returns (:math:`a > 0` is the benefit scale).
3. The region keeps the share :math:`1 - \\sigma` of the benefit; the share :math:`\\sigma` (the
   *spillover*, 0 to 1) goes to other regions.
4. Each unit costs :math:`c > 0`; a central subsidy pays the share :math:`s` (0 to below 1) of the cost.
5. The region maximises its own net benefit :math:`(1-\\sigma)B(x) - (1-s)cx`; the country (the
   social planner) maximises :math:`W(x) = B(x) - cx` (the subsidy is a transfer inside the
   country, so it is not a cost to the country as a whole).

Results (first-order conditions, :math:`B'(x) = a/(1+x)`):

* private choice :math:`x_p = \\max\\{0,\\ (1-\\sigma)a / ((1-s)c) - 1\\}`;
* social optimum :math:`x^* = \\max\\{0,\\ a/c - 1\\}`;
* with :math:`\\sigma = 0` and :math:`s = 0` the two coincide; for :math:`\\sigma > 0` the region
  under-invests; the subsidy :math:`s^* = \\sigma` (a *Pigouvian* subsidy) makes
  :math:`x_p = x^*` exactly; a larger subsidy makes the region over-invest;
* the deadweight loss :math:`W(x^*) - W(x_p) \\ge 0`, zero only when :math:`x_p = x^*`;
* if :math:`n` identical regions share the benefit equally, each keeps :math:`1/n`, so
  :math:`\\sigma = (n-1)/n` (:func:`equal_sharing_spillover`).

:func:`model` is the pure function behind the lesson's widget and :func:`render` draws the classic
marginal-benefit / marginal-cost diagram.

Examples
--------
>>> r = model(spillover=0.5, subsidy=0.0)
>>> r.x_social, r.x_private
(2.0, 0.5)
>>> model(spillover=0.5, subsidy=0.5).x_private == r.x_social     # the Pigouvian subsidy closes the gap
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course.i18n import N_, _, _f
from course.edgecase import EdgeCase

__all__ = [
    "BENEFIT_SCALE",
    "UNIT_COST",
    "benefit",
    "welfare",
    "private_choice",
    "social_optimum",
    "pigouvian_subsidy",
    "equal_sharing_spillover",
    "Spillover",
    "model",
    "render",
    "alt_text",
    "explorer",
    "CAPTION",
]

#: The model's default benefit scale a and unit cost c (made-up units: a/c = 3 puts the social
#: optimum at x* = 2).
BENEFIT_SCALE = 3.0
UNIT_COST = 1.0


def _check(spillover: float, subsidy: float, a: float, c: float) -> None:
    for name, v in (("spillover", spillover), ("subsidy", subsidy), ("a", a), ("c", c)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number (got {v!r})")
    if not 0 <= spillover <= 1:
        raise ValueError(f"spillover must be a share from 0 to 1 (got {spillover!r})")
    if subsidy < 0:
        raise ValueError(f"subsidy must be a share of at least 0 (got {subsidy!r})")
    if subsidy >= 1:
        raise EdgeCase(_("A subsidy of 100% makes research free for the region, so it would spend without limit. "
                         "Choose a subsidy below 100%."))
    if a <= 0 or c <= 0:
        raise ValueError("the benefit scale a and the unit cost c must be positive")


def benefit(x: float, a: float = BENEFIT_SCALE) -> float:
    """The benefit of spending ``x`` to the whole country, :math:`a\\ln(1+x)`."""
    return a * math.log1p(x)


def welfare(x: float, a: float = BENEFIT_SCALE, c: float = UNIT_COST) -> float:
    """The country's net benefit :math:`W(x) = a\\ln(1+x) - cx` (the subsidy is a transfer, not a cost)."""
    return benefit(x, a) - c * x


def private_choice(spillover: float, subsidy: float = 0.0, a: float = BENEFIT_SCALE, c: float = UNIT_COST) -> float:
    """The region's own best spending :math:`\\max\\{0, (1-\\sigma)a/((1-s)c) - 1\\}`."""
    _check(spillover, subsidy, a, c)
    return max(0.0, (1 - spillover) * a / ((1 - subsidy) * c) - 1)


def social_optimum(a: float = BENEFIT_SCALE, c: float = UNIT_COST) -> float:
    """The spending that maximises the country's net benefit, :math:`\\max\\{0, a/c - 1\\}`."""
    _check(0.0, 0.0, a, c)
    return max(0.0, a / c - 1)


def pigouvian_subsidy(spillover: float) -> float:
    """The subsidy rate that makes the region choose the social optimum: equal to the spillover share.

    With :math:`s = \\sigma` the region's first-order condition :math:`(1-\\sigma)B'(x) = (1-s)c`
    becomes :math:`B'(x) = c`, the country's.
    """
    _check(spillover, 0.0, 1.0, 1.0)
    return float(spillover)


def equal_sharing_spillover(n: int) -> float:
    """The spillover share when ``n`` identical regions share a benefit equally: :math:`(n-1)/n`."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number of regions, at least 1 (got {n!r})")
    return (n - 1) / n


@dataclass(frozen=True)
class Spillover:
    """What :func:`model` returns (all amounts in the model's units)."""

    spillover: float
    subsidy: float
    a: float
    c: float
    x_private: float
    x_social: float
    welfare_private: float
    welfare_social: float
    subsidy_cost: float

    @property
    def gap(self) -> float:
        """Social optimum minus private choice (negative: the region over-invests)."""
        return self.x_social - self.x_private

    @property
    def deadweight_loss(self) -> float:
        """The country's loss from the region's choice, :math:`W(x^*) - W(x_p)` (never negative)."""
        return self.welfare_social - self.welfare_private

    @property
    def pigouvian(self) -> float:
        """The subsidy that would close the gap (equal to the spillover)."""
        return self.spillover

    @property
    def share_of_optimum(self) -> float:
        """The private choice as a share of the social optimum (NaN when the optimum is 0)."""
        return self.x_private / self.x_social if self.x_social > 0 else float("nan")


def model(spillover: float = 0.5, subsidy: float = 0.0, a: float = BENEFIT_SCALE, c: float = UNIT_COST) -> Spillover:
    """Solve the model for a spillover share and a subsidy rate (the widget's pure function).

    ``subsidy_cost`` is what the central government pays, :math:`s\\,c\\,x_p`.
    Raises :class:`course.widgets.EdgeCase` for a subsidy of 100 % or more.
    """
    _check(spillover, subsidy, a, c)
    xp = private_choice(spillover, subsidy, a, c)
    xs = social_optimum(a, c)
    return Spillover(spillover=float(spillover), subsidy=float(subsidy), a=float(a), c=float(c), x_private=xp,
                     x_social=xs, welfare_private=welfare(xp, a, c), welfare_social=welfare(xs, a, c),
                     subsidy_cost=subsidy * c * xp)


def _short_finding(r: Spillover) -> str:
    """The finding in a few words, for the figure's title (the full sentence goes under the figure)."""
    if abs(r.gap) < 1e-9:
        return _("No gap: the region funds the optimum")
    if r.gap > 0:
        return _f("The region funds {r.x_private:.2f} of the optimum {r.x_social:.2f}")
    return _f("Over-investment: {r.x_private:.2f} against the optimum {r.x_social:.2f}")


def _finding(r: Spillover) -> str:
    if abs(r.gap) < 1e-9:
        if r.spillover == 0:
            return _f("No spillover: the region's own choice ({r.x_private:.2f}) is the social optimum")
        return _f("A subsidy of {r.subsidy:.0%}, equal to the spillover, closes the gap: the region funds the "
                  "optimum {r.x_social:.2f}")
    if r.gap > 0:
        if r.x_private == 0:
            return _f("With {r.spillover:.0%} of the benefit spilling over, the region funds no basic research at all "
                      "(optimum {r.x_social:.2f})")
        subsidy = _f("a {r.subsidy:.0%} subsidy") if r.subsidy > 0 else _("no subsidy")
        return _f("With {r.spillover:.0%} spilling over and {subsidy}, the region funds "
                  "{r.x_private:.2f}, {r.share_of_optimum:.0%} of the optimum {r.x_social:.2f}")
    return _f("A {r.subsidy:.0%} subsidy is more than the {r.spillover:.0%} spillover: the region over-invests "
              "({r.x_private:.2f} against {r.x_social:.2f})")


def render(r: Spillover, view: dict | None = None):
    """The marginal-benefit / marginal-cost diagram with both choices and the deadweight loss, and a table.

    Curves carry direct labels instead of a legend, which keeps the redraw light (text is the
    costly part of drawing a figure). ``view`` (a dict kept by the Explorer) holds the figure of
    the previous redraw: its axes, ticks and labels are kept and only the curves, markers and
    texts are drawn anew (a new figure for another language or fonts); the result has the same
    pixels as a new figure (``tests/test_redraw_reuse_a.py``).
    """
    import html

    import matplotlib.pyplot as plt
    import numpy as np

    from course import plots

    xmax = min(10.0, max(4.0, 1.4 * max(r.x_social, r.x_private) + 0.5))
    xs = np.linspace(0, xmax, 80)
    mb_social = r.a / (1 + xs)
    mb_private = (1 - r.spillover) * mb_social
    mc_private = (1 - r.subsidy) * r.c
    top = max(r.a * 1.05, r.c * 1.3)
    with plots.course_style():
        if plots.kept(view):
            fig, ax = view["fig"], view["ax"]
            for artist in (*ax.lines, *ax.collections, *ax.texts):   # what the last setting drew
                artist.remove()
        else:
            fig, ax = plt.subplots(figsize=(6.2, 4.0), dpi=72)
            fig.subplots_adjust(left=0.09, right=0.70, top=0.82, bottom=0.13)
            plots.keep(view, dict(fig=fig, ax=ax, key=plots.reuse_key()))
        blue, orange, green, black = (plots.PALETTE[k] for k in ("blue", "orange", "bluish_green", "black"))
        ax.plot(xs, mb_social, color=blue, linestyle="-", linewidth=2.2)
        ax.plot(xs, mb_private, color=orange, linestyle="--", linewidth=2.2)
        ax.axhline(r.c, color=black, linestyle="-", linewidth=1.4)
        labels = [(float(mb_social[-1]), _("country's benefit"), blue),
                  (float(mb_private[-1]), _("region's benefit"), orange),
                  (r.c, _("cost"), black)]
        if r.subsidy > 0:
            ax.axhline(mc_private, color=green, linestyle="-.", linewidth=1.8)
            labels.append((mc_private, _("cost to region"), green))
        for y, (_y, text, colour) in zip(_spread_labels([y for y, _y, _c in labels], 0.075 * top), labels):
            ax.text(xmax * 1.01, y, text, fontsize=8.5, color=colour, va="center", clip_on=False)
        lo, hi = sorted((r.x_private, r.x_social))
        if hi - lo > 1e-9:
            band = np.linspace(lo, min(hi, xmax), 30)
            ax.fill_between(band, r.a / (1 + band), r.c, color="0.80", linewidth=0)
            mid = (lo + min(hi, xmax)) / 2
            ax.text(mid, (r.a / (1 + mid) + r.c) / 2, _("deadweight\nloss"), fontsize=8.5, ha="center", va="center")
        ax.plot([r.x_social], [r.c], marker="o", color=blue, markersize=8, linestyle="none")
        ax.annotate(_f("optimum {r.x_social:.2f}"), (r.x_social, r.c), xytext=(6, 8), textcoords="offset points",
                    fontsize=9)
        y_private = min(top * 0.95, (1 - r.spillover) * r.a / (1 + r.x_private))
        if r.x_private <= xmax:
            ax.plot([r.x_private], [y_private], marker="s", color=orange, markersize=8, linestyle="none")
            ax.annotate(_f("region {r.x_private:.2f}"), (r.x_private, y_private), xytext=(6, -14),
                        textcoords="offset points", fontsize=9)
        else:  # far to the right: a marker on the edge says where it is
            ax.plot([xmax], [y_private], marker=">", color=orange, markersize=9, linestyle="none", clip_on=False)
            ax.annotate(_f("region {r.x_private:.2f} (beyond the axis)"), (xmax, y_private), xytext=(-8, 10),
                        textcoords="offset points", fontsize=9, ha="right")
        ax.set_xlim(0, xmax)
        ax.set_ylim(0, top)
        ax.set_xticks(np.arange(0, xmax + 1e-9, 1.0 if xmax <= 5 else 2.0))   # few ticks: they cost most to draw
        ax.set_yticks(np.arange(0, top + 1e-9, 1.0))
        ax.set_xlabel(_("Spending on basic research, x (model units)"))
        ax.set_ylabel(_("Per extra unit"))
        plots.finding_title(fig, _("MODEL. ") + _short_finding(r), width=56)
    rows = [
        (_("Spillover to other regions (sigma)"), f"{r.spillover:.0%}"),
        (_("Subsidy rate (s)"), f"{r.subsidy:.0%}"),
        (_("Region's choice x_p"), f"{r.x_private:.2f}"),
        (_("Social optimum x*"), f"{r.x_social:.2f}"),
        (_("Gap x* - x_p"), f"{r.gap:+.2f}"),
        (_("Deadweight loss W(x*) - W(x_p)"), f"{r.deadweight_loss:.3f}"),
        (_("Subsidy paid by the centre (s c x_p)"), f"{r.subsidy_cost:.2f}"),
        (_("Subsidy that closes the gap (= sigma)"), f"{r.pigouvian:.0%}"),
    ]
    finding = _f("{_finding(r)}.")
    legend = _("Solid blue: benefit of one more unit to the country; "
               "dashed orange: the part the region keeps; black: cost of one more unit; dash-dot green: the cost the "
               "region pays after the subsidy. Circle: the social optimum; square: the region's choice; grey area: the "
               "deadweight loss.")
    key = (f"<p class='course-summary' style='font-size:13px'><b>{html.escape(finding)}</b> {legend}</p>")
    table = ("<table class='course-table' style='font-size:13px'>"
             + "".join(f"<tr><th style='text-align:left;font-weight:normal'>{html.escape(k)}</th>"
                       f"<td style='text-align:right'>{html.escape(v)}</td></tr>" for k, v in rows)
             + "</table>")
    return [fig, key + table]


def _spread_labels(ys: list[float], gap: float) -> list[float]:
    """Positions near ``ys`` at least ``gap`` apart (labels at the right edge must not overlap)."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed, last = {}, -math.inf
    for i in order:
        placed[i] = max(ys[i], last + gap)
        last = placed[i]
    return [placed[i] for i in range(len(ys))]


def alt_text(r: Spillover) -> str:
    """Alt text for :func:`render`, stating the current numbers."""
    dwl = (_f(" A grey area between the two choices, labelled deadweight loss, measures {r.deadweight_loss:.3f}.")
           if abs(r.gap) > 1e-9 else _(" The two choices coincide, so there is no deadweight loss."))
    after = _(", and a lower dash-dot line the cost after the subsidy") if r.subsidy > 0 else ""
    return _f("Model diagram. Falling curves show the benefit of one more unit of basic research to the country "
              "(solid) and the part the region keeps, {1 - r.spillover:.0%} (dashed); a horizontal line shows the cost "
              "per unit{after}. "
              "The region's choice is {r.x_private:.2f} (square), the social optimum {r.x_social:.2f} (circle).{dwl}")


CAPTION = N_("MODEL, not data: benefit a ln(1 + x) with a = 3, unit cost c = 1, in made-up units. The region keeps "
              "1 - sigma of the benefit; a central subsidy pays s of the cost.")


def explorer(spillover: float = 0.5, subsidy: float = 0.0):
    """The lesson's widget: spillover and subsidy sliders, wired to :func:`model`."""
    import ipywidgets as w

    from course.widgets import Explorer

    style = {"description_width": "initial"}
    controls = {
        "spillover": w.FloatSlider(value=spillover, min=0.0, max=1.0, step=0.05, readout_format=".0%",
                                   description=_("Spillover to other regions"), style=style, continuous_update=False),
        "subsidy": w.FloatSlider(value=subsidy, min=0.0, max=0.95, step=0.05, readout_format=".0%",
                                 description=_("Central subsidy rate"), style=style, continuous_update=False),
    }
    view: dict = {}  # the figure drawn last, reused by the next redraw
    return Explorer(controls, model, lambda r: render(r, view), alt=alt_text, caption=_(CAPTION),
                    title=_("MODEL: basic research when benefits spill over"))
