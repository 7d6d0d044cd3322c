"""MODELS of lending to small technology firms (lesson 34, paper 四(四), F4.1-F4.3).

Section 四(四) of the paper asks finance to price loans by each firm's risk and share that risk
(F4.1), to use digital finance (F4.2) and to regulate with care (F4.3). The course has no loan data
by province or by firm, so this module teaches the mechanisms with three small **models**. They are
not estimated from data; every parameter is a stated assumption that the lesson's sliders move.

Common assumptions
------------------
* One-year loans of 1 yuan; all money changes hands at the end of the year except a guarantee fee,
  which is paid when the loan is made; nothing is discounted within the year.
* The bank's money costs :data:`FUNDING_RATE` (2 %) and running a loan costs :data:`COST_RATE` (1 %)
  a year: illustrative values, not market data. The bank prices to break even in expectation.

1. Risk-based pricing and guarantees (F4.1)
   A borrower defaults with probability PD; the lender then loses the share LGD of what is owed, the
   exposure at default EAD = 1 + r. Expected loss is :func:`expected_loss` = PD x LGD x EAD. The
   break-even rate solves :math:`(1+r)(1-PD\\cdot LGD) = 1 + r_f + c` (:func:`break_even_rate`). A
   guarantee that covers the share g of the loss leaves the bank LGD (1 - g); the guarantor expects to
   pay PD x LGD x g x (1 + r), and a *fair* fee (:func:`fair_fee`) equals that expected payout. With
   a fair fee the firm's expected payments are unchanged: a guarantee moves risk, it does not remove
   it. A fee below the fair one is a subsidy from the guarantor. :func:`pricing` bundles this for the
   widget.

2. Screening with data (F4.2)
   A share ``base_pd`` of applicants will default. Data give each applicant a score; sound and
   failing firms' scores are normal with variance 1 and means :math:`\\pm d/2` (the *binormal*
   model), where the separation :math:`d=\\sqrt2\\,\\Phi^{-1}(AUC)` comes from the score's accuracy,
   its AUC (0.5 = no information, 1 = perfect). The bank lends to every applicant whose estimated
   default probability lets it break even at or below the highest rate a small firm can bear
   (:func:`max_pd_for_rate`). :func:`screen` gives the share of sound firms financed, the share of
   failing firms financed and the default rate among borrowers; :func:`simulate_screening` checks it
   on seeded simulated applicants.

3. A capital buffer against unexpected loss (F4.3)
   The Vasicek one-factor model: loan i defaults when :math:`\\sqrt\\rho Z + \\sqrt{1-\\rho}\\,
   \\varepsilon_i < \\Phi^{-1}(PD)`, with Z a common factor (the state of the economy) and
   :math:`\\rho` the asset correlation. For a large portfolio the loss rate at confidence
   :math:`\\alpha` is :math:`LGD\\cdot\\Phi\\big((\\Phi^{-1}(PD)+\\sqrt\\rho\\,\\Phi^{-1}(\\alpha))
   /\\sqrt{1-\\rho}\\big)` (:func:`loss_quantile`, the formula behind the Basel internal-ratings
   capital rule); the buffer is that quantile minus the expected loss (:func:`capital_buffer`).
   :func:`simulate_losses` draws the loss of a finite portfolio (seeded), and :func:`buffer` bundles
   both for the widget.

The normal distribution comes from the standard library (:class:`statistics.NormalDist`), so the
course needs no SciPy at run time; the tests compare it with SciPy.

Examples
--------
>>> round(expected_loss(0.05, 0.6, 1_000_000), 2)
30000.0
>>> round(break_even_rate(0.0, 0.6), 4)          # a safe loan just covers funding and costs
0.03
>>> round(break_even_rate(0.05, 0.6, guarantee_share=1.0), 4)   # a full guarantee: the same
0.03
>>> s = screen(base_pd=0.2, auc=1.0, max_pd=0.1)
>>> s.accepted_pd, s.good_accepted
(0.0, 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from course.i18n import N_, _, _f
from course.edgecase import EdgeCase

__all__ = [
    "FUNDING_RATE",
    "COST_RATE",
    "EQUITY_PREMIUM",
    "DEFAULT_LGD",
    "CONFIDENCE_LEVELS",
    "norm_cdf",
    "norm_ppf",
    "expected_loss",
    "break_even_rate",
    "fair_fee",
    "Pricing",
    "pricing",
    "render_pricing",
    "pricing_alt",
    "pricing_explorer",
    "separation",
    "max_pd_for_rate",
    "Screen",
    "screen",
    "simulate_screening",
    "Screening",
    "screening",
    "render_screening",
    "screening_alt",
    "screening_explorer",
    "conditional_pd",
    "loss_quantile",
    "capital_buffer",
    "loss_density",
    "simulate_losses",
    "Buffer",
    "buffer",
    "render_buffer",
    "buffer_alt",
    "buffer_explorer",
]

#: The bank's cost of funds and its operating cost per yuan lent, a year (illustrative assumptions).
FUNDING_RATE = 0.02
COST_RATE = 0.01
#: What the bank's shareholders ask above the funding rate for the capital they put up (illustrative).
EQUITY_PREMIUM = 0.08
#: Loss given default used by the screening and buffer models: a small firm with little collateral.
DEFAULT_LGD = 0.6
#: Confidence levels offered by the buffer widget (Basel's internal-ratings rule uses 99.9 %).
CONFIDENCE_LEVELS = (0.90, 0.95, 0.99, 0.995, 0.999)

_N = NormalDist()
_TOL = 1e-12  # rates within this of a limit count as at the limit (1.03 / 1 - 1 is 0.030000000000000027)
_erfc = np.frompyfunc(math.erfc, 1, 1)
_ppf = np.frompyfunc(_N.inv_cdf, 1, 1)


# ---------------------------------------------------------------------------------------------
# The normal distribution (standard library, vectorised)
# ---------------------------------------------------------------------------------------------

def norm_cdf(x):
    """Standard normal distribution function, for a number or an array."""
    if np.ndim(x) == 0:
        return 0.5 * math.erfc(-float(x) / math.sqrt(2))
    return 0.5 * _erfc(-np.asarray(x, dtype=float) / math.sqrt(2)).astype(float)


def norm_ppf(p):
    """Standard normal quantile function (inverse of :func:`norm_cdf`) for 0 < p < 1."""
    if np.ndim(p) == 0:
        return _N.inv_cdf(float(p))
    return _ppf(np.asarray(p, dtype=float)).astype(float)


def _share(name: str, value, low_open: bool = False, high_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number (got {value!r})")
    value = float(value)
    lo_ok = value > 0 if low_open else value >= 0
    hi_ok = value < 1 if high_open else value <= 1
    if not (lo_ok and hi_ok):
        lo, hi = ("(0" if low_open else "[0"), ("1)" if high_open else "1]")
        raise ValueError(f"{name} must be a share in {lo}, {hi} (got {value!r}); type 0.05 for 5 %")
    return value


# ---------------------------------------------------------------------------------------------
# 1. Pricing and guarantees (F4.1)
# ---------------------------------------------------------------------------------------------

def expected_loss(pd, lgd, ead):
    """Expected loss = PD x LGD x EAD (Basel notation): linear in each of the three.

    ``pd`` and ``lgd`` are shares (0 to 1), ``ead`` the exposure at default in money (at least 0);
    arrays of equal shape work element by element.
    """
    pd_, lgd_, ead_ = (np.asarray(v, dtype=float) for v in (pd, lgd, ead))
    if np.isnan(pd_).any() or np.isnan(lgd_).any() or np.isnan(ead_).any():
        raise ValueError("expected_loss: PD, LGD and EAD must not be missing")
    if (pd_ < 0).any() or (pd_ > 1).any() or (lgd_ < 0).any() or (lgd_ > 1).any():
        raise ValueError("expected_loss: PD and LGD must be shares from 0 to 1 (type 0.05 for 5 %)")
    if (ead_ < 0).any():
        raise ValueError("expected_loss: EAD must be at least 0")
    out = pd_ * lgd_ * ead_
    return float(out) if out.ndim == 0 else out


def break_even_rate(pd: float, lgd: float, guarantee_share: float = 0.0, funding_rate: float = FUNDING_RATE,
                    cost_rate: float = COST_RATE) -> float:
    """The loan rate at which the bank breaks even in expectation.

    The bank is repaid ``1 + r`` unless the firm defaults (probability PD); then it recovers
    ``(1 - LGD (1 - g)) (1 + r)``, the guarantor paying the share ``g`` of the loss. Setting the expected
    repayment equal to ``1 + funding_rate + cost_rate`` gives
    :math:`r = (1 + r_f + c) / (1 - PD \\cdot LGD (1 - g)) - 1`. Returns ``inf`` when the bank expects
    to lose everything (PD = LGD = 1 and no guarantee).
    """
    pd = _share("PD", pd)
    lgd = _share("LGD", lgd)
    g = _share("guarantee share", guarantee_share)
    for name, v in (("funding_rate", funding_rate), ("cost_rate", cost_rate)):
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"{name} must be a finite number of at least 0")
    kept = 1 - pd * lgd * (1 - g)
    if kept <= 0:
        return math.inf
    return (1 + funding_rate + cost_rate) / kept - 1


def fair_fee(pd: float, lgd: float, guarantee_share: float, funding_rate: float = FUNDING_RATE,
             cost_rate: float = COST_RATE) -> float:
    """The guarantee fee (share of the loan) that equals the guarantor's expected payout.

    The guarantor pays ``g x LGD x (1 + r)`` if the firm defaults, where ``r`` is the bank's
    break-even rate with the guarantee: expected payout ``PD x LGD x g x (1 + r)``.
    """
    r = break_even_rate(pd, lgd, guarantee_share, funding_rate, cost_rate)
    return expected_loss(pd, lgd, 1 + r) * guarantee_share


@dataclass(frozen=True)
class Pricing:
    """What :func:`pricing` returns; rates and amounts per yuan lent (multiply by 100 for per 100 yuan)."""

    pd: float
    lgd: float
    guarantee_share: float
    guarantee_fee: float
    max_rate: float
    rate_without: float
    rate_with: float
    fee_paid: float
    fair_fee: float
    bank_expected_loss: float
    guarantor_payout: float

    @property
    def all_in(self) -> float:
        """What the firm is charged with the guarantee: the bank's rate plus the fee (if any)."""
        return self.rate_with + self.fee_paid

    @property
    def guarantor_net_cost(self) -> float:
        """Expected payout minus fee income: positive = the guarantor subsidises the loan."""
        return self.guarantor_payout - self.fee_paid

    @property
    def served_without(self) -> bool:
        return self.rate_without <= self.max_rate + _TOL

    @property
    def served_with(self) -> bool:
        return self.all_in <= self.max_rate + _TOL


def pricing(pd: float = 0.12, lgd: float = 0.7, guarantee_share: float = 0.0, guarantee_fee: float = 0.01,
            max_rate: float = 0.10) -> Pricing:
    """Price a one-year loan with and without a guarantee (the widget's pure function).

    ``guarantee_fee`` is charged only when ``guarantee_share > 0``. ``max_rate`` is the highest rate
    the firm's project can bear: the firm gets the loan if what it is charged is at or below it.
    """
    pd = _share("PD", pd)
    lgd = _share("LGD", lgd)
    g = _share("guarantee share", guarantee_share)
    fee = _share("guarantee fee", guarantee_fee)
    if not math.isfinite(max_rate) or max_rate < 0:
        raise ValueError("max_rate must be a finite rate of at least 0")
    r0 = break_even_rate(pd, lgd)
    rg = break_even_rate(pd, lgd, g)
    if not math.isfinite(rg):
        raise EdgeCase(_("With a default probability and a loss given default of 100 % and no guarantee, the bank "
                         "expects to lose everything: no interest rate makes the loan pay. Lower one of them or add "
                         "a guarantee."))
    ead = 1 + rg
    return Pricing(pd=pd, lgd=lgd, guarantee_share=g, guarantee_fee=fee, max_rate=float(max_rate),
                   rate_without=r0, rate_with=rg, fee_paid=fee if g > 0 else 0.0,
                   fair_fee=fair_fee(pd, lgd, g), bank_expected_loss=expected_loss(pd, lgd * (1 - g), ead),
                   guarantor_payout=expected_loss(pd, lgd * g, ead))


def _pct(x: float, d: int = 1) -> str:
    return _("no rate") if not math.isfinite(x) else f"{100 * x:.{d}f}%"


def _pricing_finding(r: Pricing) -> str:
    if r.guarantee_share == 0:
        if r.served_without:
            return _f("Without a guarantee the bank needs {_pct(r.rate_without)}, within the {_pct(r.max_rate)} "
                      "the firm can bear")
        return _f("Without a guarantee the bank needs {_pct(r.rate_without)}, above the {_pct(r.max_rate)} "
                  "the firm can bear")
    change = _("gets a loan it could not get without") if r.served_with and not r.served_without else (
        _("gets the loan either way") if r.served_with else _("still cannot borrow"))
    return _f("A {r.guarantee_share:.0%} guarantee cuts the bank's rate from {_pct(r.rate_without)} to "
              "{_pct(r.rate_with)}; with the {_pct(r.fee_paid, 2)} fee the firm pays {_pct(r.all_in)} and {change}")


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label positions near ``ys`` that are at least ``gap`` apart (direct labels must not overlap)."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed, last = {}, -math.inf
    for i in order:
        placed[i] = max(ys[i], last + gap)
        last = placed[i]
    return [placed[i] for i in range(len(ys))]


def _short_pricing(r: Pricing) -> str:
    if r.guarantee_share == 0:
        return _f("The bank needs {_pct(r.rate_without)}; the firm can bear {_pct(r.max_rate)}")
    return _f("With the guarantee the firm pays {_pct(r.all_in)}, without {_pct(r.rate_without)}")


def render_pricing(r: Pricing):
    """Break-even rate against PD (without and with the guarantee, and what the firm pays) and a table.

    Curves carry direct labels and the figure keeps its text short (text is the costly part of a
    redraw); the full finding, a key to the lines and the numbers are in the HTML under it.
    """
    import html

    import matplotlib.pyplot as plt

    from course import plots

    pds = np.linspace(0, 0.30, 31)
    k = 1 + FUNDING_RATE + COST_RATE
    kept0 = 1 - pds * r.lgd
    keptg = 1 - pds * r.lgd * (1 - r.guarantee_share)
    r0 = np.where(kept0 > 0, k / np.where(kept0 > 0, kept0, 1) - 1, np.nan) * 100
    rg = np.where(keptg > 0, k / np.where(keptg > 0, keptg, 1) - 1, np.nan) * 100
    top = min(60.0, max(float(np.nanmax(r0)), 100 * r.max_rate, 100 * r.all_in) * 1.08)
    with plots.course_style():
        fig, ax = plt.subplots(figsize=(6.2, 4.0), dpi=72)
        fig.subplots_adjust(left=0.10, right=0.76, top=0.84, bottom=0.13)
        blue, orange, green, black = (plots.PALETTE[c] for c in ("blue", "orange", "bluish_green", "black"))
        ax.plot(pds * 100, r0, color=blue, linestyle="-")
        labels = [(min(float(r0[-1]), top), _("no guarantee"), blue)]
        if r.guarantee_share > 0:
            ax.plot(pds * 100, rg, color=orange, linestyle="--")
            ax.plot(pds * 100, rg + 100 * r.fee_paid, color=green, linestyle="-.")
            labels += [(float(rg[-1]), _("with guarantee"), orange),
                       (float(rg[-1] + 100 * r.fee_paid), _("+ fee"), green)]
        ax.axhline(100 * r.max_rate, color=black, linestyle=":", linewidth=1.4)
        labels.append((100 * r.max_rate, _("firm's limit"), black))
        for y, (_y, text, colour) in zip(_spread([y for y, _, _ in labels], 0.07 * top), labels):
            ax.text(30.6, y, text, fontsize=8.5, color=colour, va="center", clip_on=False)
        ax.axvline(100 * r.pd, color="0.6", linewidth=0.8)
        ax.plot([100 * r.pd], [100 * r.rate_without], marker="o", color=blue, markersize=7, linestyle="none")
        if r.guarantee_share > 0:
            ax.plot([100 * r.pd], [100 * r.all_in], marker="s", color=green, markersize=7, linestyle="none")
        ax.set_ylim(0, top)
        ax.set_xlim(0, 30)
        ax.set_xticks([0, 10, 20, 30])
        ax.set_yticks(np.arange(0, top, 20 if top > 40 else 10))
        ax.set_xlabel(_("Probability of default, PD (%)"))
        ax.set_ylabel(_("Loan rate (% a year)"))
        plots.finding_title(fig, _("MODEL. ") + _short_pricing(r), width=56)
    rows = [
        (_("Bank's break-even rate without a guarantee"), _pct(r.rate_without, 2)),
        (_f("Bank's break-even rate with a {r.guarantee_share:.0%} guarantee"), _pct(r.rate_with, 2)),
        (_("Guarantee fee paid by the firm"), _pct(r.fee_paid, 2)),
        (_("What the firm pays (rate + fee)"), _pct(r.all_in, 2)),
        (_("Expected loss the bank bears, per 100 yuan"), f"{100 * r.bank_expected_loss:.2f}"),
        (_("Guarantor's expected payout, per 100 yuan"), f"{100 * r.guarantor_payout:.2f}"),
        (_("Fair fee (= expected payout)"), _pct(r.fair_fee, 2)),
        (_("Guarantor's expected net cost (payout - fee), per 100 yuan"), f"{100 * r.guarantor_net_cost:+.2f}"),
        (_("Does the firm get the loan? without / with the guarantee"),
         f"{_('yes') if r.served_without else _('no')} / {_('yes') if r.served_with else _('no')}"),
    ]
    key = _f("<p class='course-summary' style='font-size:13px'><b>{html.escape(_pricing_finding(r))}.</b> "
             "This firm: PD {_pct(r.pd)}, LGD {r.lgd:.0%} (grey vertical line). Solid blue: the bank's break-even rate "
             "without a guarantee (circle: this firm); dashed orange: with the guarantee; dash-dot green: that rate plus "
             "the fee, what the firm pays (square); dotted black: the highest rate the firm can bear.</p>")
    table = ("<table class='course-table' style='font-size:13px'>"
             + "".join(f"<tr><th style='text-align:left;font-weight:normal'>{html.escape(a)}</th>"
                       f"<td style='text-align:right'>{html.escape(b)}</td></tr>" for a, b in rows) + "</table>")
    return [fig, key + table]


def pricing_alt(r: Pricing) -> str:
    """Alt text for :func:`render_pricing`."""
    g = (_f(" With a {r.guarantee_share:.0%} guarantee a dashed curve lies lower ({_pct(r.rate_with)} at this PD) and a "
            "dash-dot curve adds the {_pct(r.fee_paid, 2)} fee ({_pct(r.all_in)}).") if r.guarantee_share > 0 else "")
    return _f("Model chart: the bank's break-even loan rate rises with the probability of default from 3% at PD 0 "
              "(LGD {r.lgd:.0%}); at this firm's PD of {_pct(r.pd)} it is {_pct(r.rate_without)}.{g} A dotted line marks "
              "the highest rate the firm can bear, {_pct(r.max_rate)}.")


PRICING_CAPTION = N_("MODEL, not data: one-year loan of 1 yuan; funding 2% and operating cost 1% a year (illustrative); "
                   "break-even (1 + r)(1 - PD x LGD x (1 - g)) = 1.03.")


def pricing_explorer():
    """The lesson's pricing widget: PD, LGD, guarantee share, guarantee fee, highest bearable rate."""
    import ipywidgets as w

    from course.widgets import Explorer

    st = {"description_width": "initial"}
    controls = {
        "pd": w.FloatSlider(value=0.12, min=0.0, max=0.30, step=0.005, readout_format=".1%",
                            description=_("Probability of default (PD)"), style=st, continuous_update=False),
        "lgd": w.FloatSlider(value=0.7, min=0.0, max=1.0, step=0.05, readout_format=".0%",
                             description=_("Loss given default (LGD)"), style=st, continuous_update=False),
        "guarantee_share": w.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.1, readout_format=".0%",
                                         description=_("Guarantee covers (share of loss)"), style=st,
                                         continuous_update=False),
        "guarantee_fee": w.FloatSlider(value=0.01, min=0.0, max=0.05, step=0.0025, readout_format=".2%",
                                       description=_("Guarantee fee (share of loan)"), style=st,
                                       continuous_update=False),
        "max_rate": w.FloatSlider(value=0.10, min=0.03, max=0.25, step=0.005, readout_format=".1%",
                                  description=_("Highest rate the firm can bear"), style=st, continuous_update=False),
    }
    return Explorer(controls, pricing, render_pricing, alt=pricing_alt, caption=_(PRICING_CAPTION),
                    title=_("MODEL: risk-based pricing and a guarantee for a small technology firm"))


# ---------------------------------------------------------------------------------------------
# 2. Screening with data (F4.2)
# ---------------------------------------------------------------------------------------------

def separation(auc: float) -> float:
    """Distance between the mean scores of sound and failing firms, :math:`d=\\sqrt2\\,\\Phi^{-1}(AUC)`.

    In the binormal model with unit variances the AUC (the chance that a random sound firm scores
    above a random failing one) is :math:`\\Phi(d/\\sqrt2)`. AUC 0.5 gives 0 (no information), AUC 1
    gives infinity (perfect).
    """
    auc = _share("AUC", auc)
    if auc < 0.5:
        raise ValueError("AUC must be at least 0.5 (below 0.5 the score is read the wrong way round)")
    if auc == 1:
        return math.inf
    return math.sqrt(2) * norm_ppf(auc)


def max_pd_for_rate(rate_cap: float, lgd: float = DEFAULT_LGD, funding_rate: float = FUNDING_RATE,
                    cost_rate: float = COST_RATE) -> float:
    """The highest default probability at which the break-even rate is at most ``rate_cap``.

    From :math:`(1+r)(1-PD\\cdot LGD)=1+r_f+c`: :math:`PD_{max}=(1-(1+r_f+c)/(1+r_{cap}))/LGD`,
    cut to [0, 1]. It is 0 when the cap does not even cover funding and costs.
    """
    lgd = _share("LGD", lgd)
    if not math.isfinite(rate_cap) or rate_cap < 0:
        raise ValueError("rate_cap must be a finite rate of at least 0")
    if lgd == 0:
        return 1.0 if rate_cap >= funding_rate + cost_rate else 0.0
    return min(1.0, max(0.0, (1 - (1 + funding_rate + cost_rate) / (1 + rate_cap)) / lgd))


@dataclass(frozen=True)
class Screen:
    """The outcome of screening (:func:`screen`).

    ``good_accepted``: share of sound firms that get a loan (access); ``bad_accepted``: share of
    failing firms that get one; ``acceptance``: share of all applicants financed; ``accepted_pd``:
    default rate among the borrowers (NaN when nobody is financed); ``threshold``: the lowest score
    financed (-inf: everyone; inf: no one).
    """

    base_pd: float
    auc: float
    max_pd: float
    threshold: float
    good_accepted: float
    bad_accepted: float

    @property
    def acceptance(self) -> float:
        return (1 - self.base_pd) * self.good_accepted + self.base_pd * self.bad_accepted

    @property
    def accepted_pd(self) -> float:
        a = self.acceptance
        return self.base_pd * self.bad_accepted / a if a > 1e-15 else float("nan")

    @property
    def lends(self) -> bool:
        return self.acceptance > 1e-15


def screen(base_pd: float, auc: float, max_pd: float) -> Screen:
    """Who gets a loan when the bank finances every applicant whose estimated PD is at most ``max_pd``.

    Scores: sound firms ~ N(d/2, 1), failing firms ~ N(-d/2, 1) with d = :func:`separation` (AUC).
    An applicant with score s defaults with probability
    :math:`p(s)=1/(1+\\tfrac{1-\\pi}{\\pi}e^{ds})`, falling in s, so the bank finances scores at or
    above the threshold where :math:`p(s)=PD_{max}`:
    :math:`t=\\ln\\big(\\pi(1-PD_{max})/((1-\\pi)PD_{max})\\big)/d`. With no information (AUC 0.5)
    it finances everyone if the base rate :math:`\\pi` is at most :math:`PD_{max}`, else no one; with
    perfect information (AUC 1) exactly the sound firms.
    """
    pi = _share("base default rate", base_pd, low_open=True, high_open=True)
    pm = _share("max_pd", max_pd)
    d = separation(auc)
    if pm >= 1:
        t = -math.inf
    elif pm <= 0:
        t = math.inf
    elif d == 0:
        t = -math.inf if pi <= pm + _TOL else math.inf
    elif math.isinf(d):
        t = 0.0                      # any cut between the two (infinitely far apart) groups
    else:
        t = math.log(pi * (1 - pm) / ((1 - pi) * pm)) / d
    if math.isinf(t):
        good = bad = 1.0 if t < 0 else 0.0
    elif math.isinf(d):
        good, bad = 1.0, 0.0
    else:
        good, bad = norm_cdf(d / 2 - t), norm_cdf(-d / 2 - t)
    return Screen(base_pd=pi, auc=float(auc), max_pd=pm, threshold=t, good_accepted=float(good),
                  bad_accepted=float(bad))


def simulate_screening(base_pd: float, auc: float, max_pd: float, n: int = 100_000, seed: int = 0) -> dict:
    """Seeded simulation of :func:`screen`: draw ``n`` applicants and apply the same rule.

    Returns the simulated shares ``good_accepted``, ``bad_accepted``, ``acceptance`` and the default
    rate among borrowers ``accepted_pd``, for checking the formulas (they agree within sampling error).
    """
    s = screen(base_pd, auc, max_pd)
    d = separation(auc)
    rng = np.random.default_rng(seed)
    bad = rng.random(n) < s.base_pd
    if math.isinf(d):
        score = np.where(bad, -1.0, 1.0)
    else:
        score = rng.standard_normal(n) + np.where(bad, -d / 2, d / 2)
    take = score >= s.threshold
    accepted = int(take.sum())
    return {"good_accepted": float(take[~bad].mean()), "bad_accepted": float(take[bad].mean()),
            "acceptance": accepted / n, "accepted_pd": float(bad[take].mean()) if accepted else float("nan"),
            "n": n, "seed": seed}


@dataclass(frozen=True)
class Screening:
    """What :func:`screening` returns: the screen at the chosen accuracy and the curves over AUC."""

    result: Screen
    rate_cap: float
    lgd: float
    grid: np.ndarray
    curve_good: np.ndarray
    curve_pd: np.ndarray
    curve_accept: np.ndarray

    @property
    def pooled_rate(self) -> float:
        """Break-even rate at the borrowers' average PD (NaN when nobody is financed)."""
        p = self.result.accepted_pd
        return break_even_rate(p, self.lgd) if math.isfinite(p) else float("nan")


AUC_GRID = np.round(np.linspace(0.5, 1.0, 51), 2)


def screening(base_pd: float = 0.15, auc: float = 0.75, rate_cap: float = 0.10, lgd: float = DEFAULT_LGD) -> Screening:
    """The screening widget's pure function: the screen at ``auc`` and the curves for every AUC."""
    pm = max_pd_for_rate(rate_cap, lgd)
    if pm <= 0:
        raise EdgeCase(_f("A rate of {_pct(rate_cap)} does not even cover the bank's funding and running costs "
                          "({_pct(FUNDING_RATE + COST_RATE)}), so it lends to no one whatever the data. Raise the rate."))
    res = screen(base_pd, auc, pm)
    cached = _curves(round(float(base_pd), 6), round(pm, 12))
    return Screening(result=res, rate_cap=float(rate_cap), lgd=float(lgd), grid=AUC_GRID, curve_good=cached[0],
                     curve_pd=cached[1], curve_accept=cached[2])


@lru_cache(maxsize=256)
def _curves(base_pd: float, pm: float):
    rows = [screen(base_pd, float(a), pm) for a in AUC_GRID]
    good = np.array([s.good_accepted for s in rows])
    pd_ = np.array([s.accepted_pd for s in rows])
    acc = np.array([s.acceptance for s in rows])
    return good, pd_, acc


def _screening_finding(r: Screening) -> str:
    s = r.result
    if not s.lends:
        return _f("With an AUC of {s.auc:.2f} no applicant looks safe enough: at a {s.base_pd:.0%} base default rate "
                  "the bank lends to no one")
    return _f("With an AUC of {s.auc:.2f}, {s.good_accepted:.0%} of sound firms get a loan and "
              "{s.accepted_pd:.1%} of borrowers default (base rate {s.base_pd:.0%})")


def _short_screening(r: Screening) -> str:
    s = r.result
    if not s.lends:
        return _f("AUC {s.auc:.2f}: no one is financed")
    return _f("AUC {s.auc:.2f}: {s.good_accepted:.0%} of sound firms financed, {s.accepted_pd:.1%} default")


def render_screening(r: Screening):
    """Against the score's AUC: the default rate among borrowers and the share of sound firms financed."""
    import html

    import matplotlib.pyplot as plt

    from course import plots

    s = r.result
    with plots.course_style():
        fig, ax = plt.subplots(figsize=(6.2, 4.0), dpi=72)
        fig.subplots_adjust(left=0.10, right=0.74, top=0.84, bottom=0.13)
        blue, orange, black, green = (plots.PALETTE[c] for c in ("blue", "orange", "black", "bluish_green"))
        ax.plot(r.grid, 100 * r.curve_good, color=green, linestyle="-", marker="s", markersize=2.5, markevery=5)
        ax.plot(r.grid, 100 * r.curve_pd, color=blue, linestyle="--", marker="o", markersize=2.5, markevery=5)
        ax.axhline(100 * s.base_pd, color=orange, linestyle="-.", linewidth=1.6)
        ax.axhline(100 * s.max_pd, color=black, linestyle=":", linewidth=1.4)
        labels = [(float(100 * r.curve_good[-1]), _("sound firms financed"), green),
                  (float(np.nan_to_num(100 * r.curve_pd[-1])), _("borrowers who default"), blue),
                  (100 * s.base_pd, _("base rate"), orange), (100 * s.max_pd, _("highest priceable PD"), black)]
        for y, (_y, text, colour) in zip(_spread([y for y, _, _ in labels], 6.0), labels):
            ax.text(1.012, y, text, fontsize=8.5, color=colour, va="center", clip_on=False)
        ax.axvline(s.auc, color="0.55", linewidth=0.9)
        ax.plot([s.auc], [100 * s.good_accepted], marker="s", color=green, markersize=8, linestyle="none")
        if s.lends:
            ax.plot([s.auc], [100 * s.accepted_pd], marker="o", color=blue, markersize=8, linestyle="none")
        ax.set_xlim(0.5, 1.0)
        ax.set_ylim(0, 105)
        ax.set_xticks([0.5, 0.75, 1.0])        # few ticks: tick labels are the costly part of a redraw
        ax.set_yticks([0, 50, 100])
        ax.set_xlabel(_("Accuracy of the data (AUC)"))
        ax.set_ylabel(_("% of firms"))
        plots.finding_title(fig, _("MODEL. ") + _short_screening(r), width=56)
    rows = [
        (_("Base default rate of applicants"), f"{s.base_pd:.1%}"),
        (_("Accuracy of the score (AUC)"), f"{s.auc:.2f}"),
        (_("Highest rate a small firm can bear"), _pct(r.rate_cap)),
        (_("Highest PD the bank can price at that rate"), f"{s.max_pd:.1%}"),
        (_("Share of sound firms financed"), f"{s.good_accepted:.1%}"),
        (_("Share of failing firms financed"), f"{s.bad_accepted:.1%}"),
        (_("Share of all applicants financed"), f"{s.acceptance:.1%}"),
        (_("Default rate among borrowers"), _("no borrowers") if not s.lends else f"{s.accepted_pd:.2%}"),
        (_("Break-even rate at the borrowers' average PD"), "-" if not s.lends else _pct(r.pooled_rate, 2)),
    ]
    key = _f("<p class='course-summary' style='font-size:13px'><b>{html.escape(_screening_finding(r))}.</b> "
             "Solid green with squares: the share of sound firms that get a loan; dashed blue with circles: the share of "
             "borrowers who default; dash-dot orange: the base default rate of all applicants; dotted black: the highest "
             "default probability the bank can price at the firm's rate limit. The grey vertical line is the chosen "
             "accuracy.</p>")
    table = ("<table class='course-table' style='font-size:13px'>"
             + "".join(f"<tr><th style='text-align:left;font-weight:normal'>{html.escape(a)}</th>"
                       f"<td style='text-align:right'>{html.escape(b)}</td></tr>" for a, b in rows) + "</table>")
    return [fig, key + table]


def screening_alt(r: Screening) -> str:
    """Alt text for :func:`render_screening`."""
    s = r.result
    now = (_f("At the chosen AUC of {s.auc:.2f}, {s.accepted_pd:.1%} of borrowers default and {s.good_accepted:.0%} of "
              "sound firms are financed.") if s.lends else _f("At the chosen AUC of {s.auc:.2f} nobody is financed."))
    return _f("Model chart against the accuracy of the data (AUC from 0.5 to 1): a solid line for the share of sound "
              "firms financed, rising to 100 %, and a dashed line for the share of borrowers who default, falling to 0; "
              "a dash-dot line at the base rate {s.base_pd:.0%} and a dotted line at the highest PD the bank can price, "
              "{s.max_pd:.1%}. {now}")


SCREENING_CAPTION = N_("MODEL, not data: binormal scores (sound firms N(d/2, 1), failing firms N(-d/2, 1), "
                     "d = sqrt(2) x inverse-normal(AUC)); LGD 60%; funding 2% and costs 1% a year.")


def screening_explorer():
    """The lesson's screening widget: base default rate, accuracy (AUC), highest bearable rate."""
    import ipywidgets as w

    from course.widgets import Explorer

    st = {"description_width": "initial"}
    controls = {
        "base_pd": w.FloatSlider(value=0.15, min=0.01, max=0.40, step=0.01, readout_format=".0%",
                                 description=_("Base default rate of applicants"), style=st, continuous_update=False),
        "auc": w.FloatSlider(value=0.75, min=0.5, max=1.0, step=0.01, readout_format=".2f",
                             description=_("Accuracy of the data (AUC)"), style=st, continuous_update=False),
        "rate_cap": w.FloatSlider(value=0.10, min=0.04, max=0.25, step=0.005, readout_format=".1%",
                                  description=_("Highest rate a firm can bear"), style=st, continuous_update=False),
    }
    return Explorer(controls, screening, render_screening, alt=screening_alt, caption=_(SCREENING_CAPTION),
                    title=_("MODEL: screening small firms with better data"))


# ---------------------------------------------------------------------------------------------
# 3. A capital buffer against unexpected loss (F4.3)
# ---------------------------------------------------------------------------------------------

def _check_buffer_args(pd, rho, confidence, lgd):
    pd = _share("PD", pd, low_open=True, high_open=True)
    rho = _share("asset correlation", rho, high_open=True)
    confidence = _share("confidence level", confidence, low_open=True, high_open=True)
    lgd = _share("LGD", lgd)
    return pd, rho, confidence, lgd


def conditional_pd(pd: float, rho: float, z):
    """Default probability when the common factor is ``z`` (low z = a bad year):
    :math:`\\Phi\\big((\\Phi^{-1}(PD)-\\sqrt\\rho\\,z)/\\sqrt{1-\\rho}\\big)`."""
    pd, rho, _, _ = _check_buffer_args(pd, rho, 0.5, 1.0)
    return norm_cdf((norm_ppf(pd) - math.sqrt(rho) * np.asarray(z, dtype=float)) / math.sqrt(1 - rho))


def loss_quantile(pd: float, rho: float, confidence: float, lgd: float = DEFAULT_LGD) -> float:
    """The loss rate of a very large portfolio that is exceeded only with probability ``1 - confidence``.

    :math:`LGD\\cdot\\Phi\\big((\\Phi^{-1}(PD)+\\sqrt\\rho\\,\\Phi^{-1}(\\alpha))/\\sqrt{1-\\rho}\\big)`:
    the conditional PD in the year whose common factor is at its :math:`1-\\alpha` quantile.
    """
    pd, rho, confidence, lgd = _check_buffer_args(pd, rho, confidence, lgd)
    return lgd * norm_cdf((norm_ppf(pd) + math.sqrt(rho) * norm_ppf(confidence)) / math.sqrt(1 - rho))


def capital_buffer(pd: float, rho: float, confidence: float, lgd: float = DEFAULT_LGD) -> float:
    """Capital per yuan lent against unexpected loss: :func:`loss_quantile` minus the expected loss PD x LGD."""
    return loss_quantile(pd, rho, confidence, lgd) - expected_loss(pd, lgd, 1.0)


def loss_density(x, pd: float, rho: float, lgd: float = DEFAULT_LGD):
    """Density of the large-portfolio loss rate ``x`` (0 < x < LGD) in the Vasicek model (rho > 0)."""
    pd, rho, _, lgd = _check_buffer_args(pd, rho, 0.5, lgd)
    if rho == 0 or lgd == 0:
        raise ValueError("with rho = 0 (or LGD = 0) the large-portfolio loss is one number, with no density")
    x = np.asarray(x, dtype=float)
    u = np.clip(x / lgd, 1e-12, 1 - 1e-12)
    q = norm_ppf(u)
    dens = (math.sqrt((1 - rho) / rho) * np.exp(0.5 * q ** 2 - (math.sqrt(1 - rho) * q - norm_ppf(pd)) ** 2 / (2 * rho)))
    return dens / lgd


def simulate_losses(pd: float, rho: float, lgd: float = DEFAULT_LGD, n_loans: int = 200, scenarios: int = 20_000,
                    seed: int = 0) -> np.ndarray:
    """Seeded simulation of a portfolio of ``n_loans`` equal loans: one loss rate per scenario (year).

    Each year draws the common factor Z; given Z, the number of defaults is binomial with the
    :func:`conditional_pd`; the loss rate is LGD x defaults / n_loans.
    """
    pd, rho, _, lgd = _check_buffer_args(pd, rho, 0.5, lgd)
    if isinstance(n_loans, bool) or not isinstance(n_loans, (int, np.integer)) or n_loans < 1:
        raise ValueError("n_loans must be a whole number of at least 1")
    return _simulate(pd, rho, lgd, int(n_loans), int(scenarios), int(seed)).copy()


@lru_cache(maxsize=64)
def _simulate(pd, rho, lgd, n_loans, scenarios, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(scenarios)
    p = conditional_pd(pd, rho, z)
    defaults = rng.binomial(n_loans, p)
    return lgd * defaults / n_loans


@dataclass(frozen=True)
class Buffer:
    """What :func:`buffer` returns (loss rates and buffers per yuan lent)."""

    pd: float
    rho: float
    confidence: float
    lgd: float
    n_loans: int
    expected_loss: float
    quantile: float
    losses: np.ndarray

    @property
    def buffer(self) -> float:
        """Capital against unexpected loss from the formula (a very large portfolio)."""
        return self.quantile - self.expected_loss

    @property
    def sim_quantile(self) -> float:
        return float(np.quantile(self.losses, self.confidence))

    @property
    def sim_buffer(self) -> float:
        """The same buffer for the simulated portfolio of ``n_loans`` loans."""
        return self.sim_quantile - self.expected_loss

    @property
    def added_rate(self) -> float:
        """What holding the buffer adds to the loan rate: buffer x :data:`EQUITY_PREMIUM`."""
        return self.buffer * EQUITY_PREMIUM


def buffer(pd: float = 0.03, rho: float = 0.12, confidence: float = 0.999, n_loans: int = 200,
           lgd: float = DEFAULT_LGD) -> Buffer:
    """The buffer widget's pure function: formula and seeded simulation (20,000 years, seed 0)."""
    pd, rho, confidence, lgd = _check_buffer_args(pd, rho, confidence, lgd)
    losses = simulate_losses(pd, rho, lgd, int(n_loans))
    return Buffer(pd=pd, rho=rho, confidence=confidence, lgd=lgd, n_loans=int(n_loans),
                  expected_loss=expected_loss(pd, lgd, 1.0), quantile=loss_quantile(pd, rho, confidence, lgd),
                  losses=losses)


def _buffer_finding(r: Buffer) -> str:
    return _f("At {r.confidence:.1%} confidence the bank holds {100 * r.buffer:.1f} yuan per 100 lent beyond the "
              "{100 * r.expected_loss:.1f} it expects to lose ({100 * r.sim_buffer:.1f} with {r.n_loans} loans)")


def _short_buffer(r: Buffer) -> str:
    return _f("Buffer {100 * r.buffer:.1f} per 100 yuan at {r.confidence:.1%} confidence")


def _buffer_figure() -> dict:
    """A new chart for :func:`render_buffer`; its artists are kept for :func:`_show_buffer`."""
    import matplotlib.pyplot as plt

    from course import plots

    fig, ax = plt.subplots(figsize=(6.2, 4.0), dpi=72)
    fig.subplots_adjust(left=0.11, right=0.97, top=0.84, bottom=0.13)
    blue, orange, black, green = (plots.PALETTE[c] for c in ("blue", "orange", "black", "bluish_green"))
    parts = {
        "fig": fig, "ax": ax,
        "fill": ax.stairs([0.0], [0.0, 1.0], fill=True, color="#BFD8EA"),
        "outline": ax.stairs([0.0], [0.0, 1.0], color=blue, linewidth=1.0),
        "curve": ax.plot([], [], color=black, linestyle="-", linewidth=1.6)[0],
        "expected": ax.axvline(0, color=orange, linestyle="--", linewidth=2),
        "quantile": ax.axvline(0, color=green, linestyle="-.", linewidth=2),
        "arrow": ax.annotate("", xy=(0, 0), xytext=(0, 0), arrowprops={"arrowstyle": "<->", "color": "0.2"}),
        "buffer_label": ax.text(0, 0, _("buffer"), ha="center", va="bottom", fontsize=9),
        "expected_label": ax.text(0, 0, _(" expected loss"), color=orange, fontsize=8.5, va="top"),
        "quantile_label": ax.text(0, 0, "", color=green, fontsize=8.5, va="top"),
        "key": plots.reuse_key(),
    }
    ax.locator_params(axis="x", nbins=4)
    ax.locator_params(axis="y", nbins=3)
    ax.set_xlabel(_("Loss in a year (% of the portfolio)"))
    ax.set_ylabel(_("Density"))
    return parts


def _show_buffer(view: dict, r: Buffer) -> None:
    """Put ``r`` into the chart of ``view``: histogram, curve, lines, arrow, labels, limits and title."""
    from course import plots

    ax = view["ax"]
    xmax = max(r.quantile, r.sim_quantile, float(np.quantile(r.losses, 0.9995))) * 1.15 + 1e-4
    step = 100 * r.lgd / r.n_loans if r.lgd > 0 else 100 * xmax / 60   # losses come in steps of LGD / n
    width = step * max(1, math.ceil((100 * xmax / 60) / step))          # whole steps per bin: no empty bins
    edges = np.arange(-step / 2, 100 * xmax + width, width)
    counts, edges = np.histogram(r.losses * 100, bins=edges, density=True)
    view["fill"].set_data(counts, edges)
    view["outline"].set_data(counts, edges)
    curve = view["curve"]
    if r.rho > 0 and r.lgd > 0:
        xs = np.linspace(xmax / 200, min(xmax, r.lgd * 0.999), 120)
        curve.set_data(xs * 100, loss_density(xs, r.pd, r.rho, r.lgd) / 100)
        curve.set_visible(True)
    else:  # no curve: it neither shows nor counts for the limits
        curve.set_data([], [])
        curve.set_visible(False)
    view["expected"].set_xdata([100 * r.expected_loss] * 2)
    view["quantile"].set_xdata([100 * r.quantile] * 2)
    ax.relim(visible_only=True)   # the y limits autoscaling gives the histogram and the curve
    ax.autoscale_view()
    top = ax.get_ylim()[1]
    view["arrow"].xy = (100 * r.quantile, 0.80 * top)
    view["arrow"].set_position((100 * r.expected_loss, 0.80 * top))
    view["buffer_label"].set_position((100 * (r.quantile + r.expected_loss) / 2, 0.82 * top))
    view["expected_label"].set_position((100 * r.expected_loss, 0.95 * top))
    view["quantile_label"].set_position((100 * r.quantile, 0.95 * top))
    view["quantile_label"].set_text(f" {r.confidence:.1%}")
    ax.set_xlim(-step / 2, 100 * xmax)
    plots.finding_title(view["fig"], _("MODEL. ") + _short_buffer(r), width=56)


def render_buffer(r: Buffer, view: dict | None = None):
    """The simulated portfolio loss (a step outline), the large-portfolio density, expected loss and the quantile.

    ``view`` (a dict kept by the Explorer) holds the chart of the previous redraw; the next setting is
    put into it (new histogram, curve, lines, labels, limits, title) instead of building a new figure
    (``tests/test_redraw_reuse_d.py`` compares the pixels with a new chart's).
    """
    import html

    from course import plots

    with plots.course_style():
        if not plots.kept(view):
            view = plots.keep(view, _buffer_figure())
        _show_buffer(view, r)
    text = _f("<p class='course-summary' style='font-size:13px'><b>{html.escape(_buffer_finding(r))}.</b> "
              "Shaded steps: the simulated yearly loss of {r.n_loans} loans (20,000 years, seed 0); black curve: the "
              "formula for a very large portfolio; dashed orange: the expected loss; dash-dot green: the loss not "
              "exceeded in {r.confidence:.1%} of years; the arrow between them is the buffer.<br>PD {r.pd:.1%}, LGD "
              "{r.lgd:.0%}, asset correlation {r.rho:.2f}. Expected loss {100 * r.expected_loss:.2f} per 100 yuan; "
              "loss not exceeded in {r.confidence:.1%} of years: {100 * r.quantile:.2f} (formula), "
              "{100 * r.sim_quantile:.2f} (simulation, {r.n_loans} loans). Buffer {100 * r.buffer:.2f} per 100 yuan; "
              "at an equity premium of {EQUITY_PREMIUM:.0%} it adds {100 * r.added_rate:.2f} percentage points to the "
              "loan rate.</p>")
    return [view["fig"], text]


def buffer_alt(r: Buffer) -> str:
    """Alt text for :func:`render_buffer`."""
    curve = _(" A black curve shows the formula for a very large portfolio.") if r.rho > 0 else (
        _(" With zero correlation a very large portfolio would lose exactly the expected loss every year."))
    return _f("Model chart: a shaded step histogram of the simulated yearly loss of {r.n_loans} loans (PD {r.pd:.1%}, LGD "
              "{r.lgd:.0%}, asset correlation {r.rho:.2f}), skewed to the right.{curve}"
              " A dashed line marks the expected loss, {100 * r.expected_loss:.2f}%, a dash-dot line the "
              "{r.confidence:.1%} quantile, {100 * r.quantile:.2f}%; the gap between them, {100 * r.buffer:.2f}%, is the "
              "capital buffer.")


BUFFER_CAPTION = N_("MODEL, not data: Vasicek one-factor model (the basis of the Basel internal-ratings capital rule, here "
                  "without its maturity adjustment); LGD 60%; simulation seeded (seed 0), 20,000 years.")


def buffer_explorer():
    """The lesson's buffer widget: PD, asset correlation, confidence level, number of loans."""
    import ipywidgets as w

    from course.widgets import Explorer

    st = {"description_width": "initial"}
    controls = {
        "pd": w.FloatSlider(value=0.03, min=0.005, max=0.20, step=0.005, readout_format=".1%",
                            description=_("Probability of default (PD)"), style=st, continuous_update=False),
        "rho": w.FloatSlider(value=0.12, min=0.0, max=0.30, step=0.01, readout_format=".2f",
                             description=_("Asset correlation (rho)"), style=st, continuous_update=False),
        "confidence": w.Dropdown(options=[(f"{c:.1%}", c) for c in CONFIDENCE_LEVELS], value=0.999,
                                 description=_("Confidence level"), style=st),
        "n_loans": w.Dropdown(options=[50, 200, 1000, 5000], value=200, description=_("Loans in the portfolio"),
                              style=st),
    }
    view: dict = {}  # the chart drawn last, updated in place by the next redraw
    return Explorer(controls, buffer, lambda r: render_buffer(r, view), alt=buffer_alt, caption=_(BUFFER_CAPTION),
                    title=_("MODEL: a capital buffer against unexpected loss"))
