"""Talent: where R&D personnel and graduates are, a model of where mobile talent goes, and how the
choice of evaluation criteria changes who looks best (lesson 35, paper section 四(五), ids F5-F5.3).

Three layers, all pure functions (numbers in, numbers out; nothing drawn, nothing read from disk
except through the ``load`` argument's defaults):

* **measurement** -- :func:`talent_panel` (R&D personnel in full-time equivalent per 10,000 residents,
  researchers' share, basic-research share), :func:`graduate_panel` (graduates of regular higher
  education per 10,000 residents) and :func:`trainer_user` (each province's share of the graduates
  against its share of the R&D personnel);
* **a model (F5.2)** -- a location-choice (multinomial logit) model of where mobile talent goes:
  :func:`logit_shares`, :func:`utility`, :func:`living_cost`, :func:`choice_inputs`,
  :func:`policy_experiment` and :func:`pseudo_fit_scale`; :func:`policy_explorer` is the widget;
* **evaluation (F5.3)** -- :func:`evaluation_indicators` (four criteria for a province's R&D
  workforce), :func:`evaluate` (a weighted multi-criteria score) and :func:`evaluation_view`;
  :func:`evaluation_explorer` is the widget.

The model is a MODEL, not data
------------------------------
Its assumptions, which the lesson repeats:

1. A fixed number of mobile people (new graduates, researchers free to move) each choose one of
   the 31 provinces to work in. Nobody stays out, and the number does not depend on policy.
2. Person *i* values province *r* at :math:`U_{ir} = \\lambda V_r + \\ln N_r + e_{ir}`, where
   :math:`V_r = \\ln w_r + \\ln(1 + b_r) - \\ln c_r` is the log of real pay after a policy bonus,
   :math:`N_r` the number of jobs in the province, and :math:`e_{ir}` an idiosyncratic taste
   (independent draws from the Gumbel distribution). Then the share choosing *r* is the logit
   formula :math:`s_r = N_r e^{\\lambda V_r} / \\sum_q N_q e^{\\lambda V_q}` (McFadden 1974). The
   term :math:`\\ln N_r` makes a province with twice the jobs twice as likely to be chosen at equal
   pay, so that with :math:`\\lambda = 0` talent spreads like the jobs.
3. :math:`w_r` is pay, :math:`b_r` a bonus as a fraction of pay (tax rebates, housing support,
   start-up grants), :math:`c_r` living costs. Costs are assumed to rise with pay:
   :math:`c_r = (w_r / \\bar w)^{\\varepsilon}` with :math:`0 \\le \\varepsilon \\le 1` (the constant
   :math:`\\bar w` cancels in the shares); :math:`\\varepsilon = 1` means costs eat the whole pay gap.
4. Partial equilibrium: pay, costs and jobs do not respond to who arrives; there are no moving costs
   and no ties to a home province.
5. Independence of irrelevant alternatives (IIA): the ratio of two provinces' shares depends only on
   those two provinces.

Calibration: :math:`w_r` is per-capita disposable income of all residents (NBS household survey), a
proxy for pay (the average wage of graduates by province is not in the course's data); :math:`N_r`
is employment in urban non-private units, a proxy for the jobs graduates seek. :math:`\\lambda` and
:math:`\\varepsilon` are **not** estimated: that would need data on where graduates from each
province go (for example the universities' graduate employment reports or census migration tables
by education), fitted by maximum likelihood. :func:`pseudo_fit_scale` shows how far the 2023 stock of
R&D personnel pins them down (only the product :math:`\\lambda(1-\\varepsilon)` and only as an order
of magnitude).

Examples
--------
Equal pay and equal jobs give equal shares; a province with twice the jobs gets twice the share:

>>> logit_shares([0.0, 0.0, 0.0]).round(4).tolist()
[0.3333, 0.3333, 0.3333]
>>> logit_shares([0.0, 0.0], size=[2, 1]).round(4).tolist()
[0.6667, 0.3333]

With :math:`\\lambda = 1` and no cost adjustment, shares are proportional to pay times jobs:

>>> logit_shares(utility([100, 300]), scale=1.0).round(2).tolist()
[0.25, 0.75]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from numbers import Real

import numpy as np
import pandas as pd

from course.data import NATIONAL_CODE
from course.i18n import N_, _, _f, is_chinese, province as _province_name
from course.edgecase import EdgeCase

__all__ = [
    "REGIONS",
    "talent_panel",
    "graduate_panel",
    "trainer_user",
    "logit_shares",
    "utility",
    "living_cost",
    "choice_inputs",
    "PolicyResult",
    "policy_experiment",
    "pseudo_fit_scale",
    "render_policy",
    "policy_alt",
    "policy_explorer",
    "CRITERIA",
    "evaluation_indicators",
    "evaluate",
    "EvaluationResult",
    "evaluation_view",
    "ranking_table",
    "render_evaluation",
    "evaluation_alt",
    "evaluation_explorer",
]

REGIONS = ["East", "Central", "West", "Northeast"]


# ============================================================================================
# Measurement
# ============================================================================================

def _provincial(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["province_code"] != NATIONAL_CODE]


def _with_population(frame: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    pop = population[["province_code", "year", "resident_population_10k"]]
    out = _provincial(frame).merge(pop, on=["province_code", "year"], how="inner", validate="one_to_one")
    return out.rename(columns={"resident_population_10k": "population_10k"})


def talent_panel(personnel: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """R&D personnel by province and year, per 10,000 residents, with two composition shares.

    Parameters
    ----------
    personnel : DataFrame
        ``province_rd_personnel`` (full-time equivalent, person-years).
    population : DataFrame
        ``province_population`` (year-end residents, 10,000 persons).

    Returns
    -------
    DataFrame
        One row per province and year (the national row is dropped), with ``fte`` (R&D personnel,
        person-years), ``researchers``, ``population_10k``, ``fte_per_10k`` (person-years per
        10,000 residents), ``researchers_share_pct`` (researchers / R&D personnel x 100) and
        ``basic_share_pct`` (basic research / (basic + applied + experimental) x 100: the three
        activities do not add up to the total in many of the yearbook's rows, so the share is taken
        of their own sum).

    Examples
    --------
    >>> per = pd.DataFrame({"province_code": [1], "province_en": ["A"], "nbs_region_en": ["East"],
    ...     "year": [2020], "rd_personnel_fte_manyears": [500], "researchers_fte_manyears": [200],
    ...     "basic_research_fte_manyears": [30], "applied_research_fte_manyears": [70],
    ...     "experimental_dev_fte_manyears": [399]})
    >>> pop = pd.DataFrame({"province_code": [1], "year": [2020], "resident_population_10k": [100]})
    >>> talent_panel(per, pop)[["fte_per_10k", "researchers_share_pct", "basic_share_pct"]].round(3).values.tolist()
    [[5.0, 40.0, 6.012]]
    """
    t = _with_population(personnel, population)
    activities = (t["basic_research_fte_manyears"] + t["applied_research_fte_manyears"]
                  + t["experimental_dev_fte_manyears"])
    out = t[["province_code", "province_en", "nbs_region_en", "year", "population_10k"]].copy()
    out["fte"] = t["rd_personnel_fte_manyears"].astype("float64")
    out["researchers"] = t["researchers_fte_manyears"].astype("float64")
    out["fte_per_10k"] = out["fte"] / out["population_10k"]
    out["researchers_share_pct"] = 100 * out["researchers"] / out["fte"]
    out["basic_share_pct"] = 100 * t["basic_research_fte_manyears"] / activities
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def graduate_panel(higher_education: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Graduates of regular higher education by province and year, per 10,000 residents.

    ``higher_education`` is ``province_higher_education`` (10,000 persons, 2000-2019); the panel
    keeps the years that also have a population (2010-2019 in the course's tables). Columns:
    ``graduates`` and ``students`` (persons), ``population_10k``, ``graduates_per_10k``.

    Examples
    --------
    >>> he = pd.DataFrame({"province_code": [1], "province_en": ["A"], "nbs_region_en": ["East"],
    ...     "year": [2019], "students_enrolled_10k": [40.0], "graduates_10k": [10.0]})
    >>> pop = pd.DataFrame({"province_code": [1], "year": [2019], "resident_population_10k": [2000]})
    >>> graduate_panel(he, pop)["graduates_per_10k"].tolist()
    [50.0]
    """
    t = _with_population(higher_education, population)
    out = t[["province_code", "province_en", "nbs_region_en", "year", "population_10k"]].copy()
    out["graduates"] = t["graduates_10k"] * 1e4
    out["students"] = t["students_enrolled_10k"] * 1e4
    out["graduates_per_10k"] = out["graduates"] / out["population_10k"]
    return out.sort_values(["year", "province_code"]).reset_index(drop=True)


def trainer_user(graduates: pd.DataFrame, personnel: pd.DataFrame, graduate_years, personnel_year: int,
                 personnel_column: str = "fte") -> pd.DataFrame:
    """Each province's share of graduates against its share of R&D personnel.

    Parameters
    ----------
    graduates : DataFrame
        :func:`graduate_panel` (or any frame with ``province_code, province_en, nbs_region_en,
        year, graduates``).
    personnel : DataFrame
        :func:`talent_panel` (``fte`` or ``researchers`` by province and year).
    graduate_years : int or (int, int)
        One year, or an inclusive range whose graduates are summed (e.g. the cohorts 2013-2019).
    personnel_year : int
    personnel_column : {"fte", "researchers"}

    Returns
    -------
    DataFrame
        Indexed by ``province_code``: ``province_en``, ``nbs_region_en``, ``graduate_share_pct`` (of
        the 31-province sum), ``personnel_share_pct`` (of the 31-province sum), ``ratio``
        (personnel share / graduate share) and ``role``: "net user" when the ratio exceeds 1 (a
        larger share of the country's R&D personnel works there than of its graduates are trained
        there), otherwise "net trainer".

    Raises
    ------
    ValueError
        For a year outside the tables.

    Examples
    --------
    >>> g = pd.DataFrame({"province_code": [1, 2], "province_en": ["A", "B"],
    ...     "nbs_region_en": ["East", "West"], "year": [2019, 2019], "graduates": [30.0, 70.0]})
    >>> p = pd.DataFrame({"province_code": [1, 2], "year": [2019, 2019], "fte": [60.0, 40.0]})
    >>> trainer_user(g, p, 2019, 2019)[["ratio", "role"]].values.tolist()
    [[2.0, 'net user'], [0.5714285714285714, 'net trainer']]
    """
    if isinstance(graduate_years, (tuple, list)):
        y0, y1 = (int(y) for y in graduate_years)
    else:
        y0 = y1 = int(graduate_years)
    g = graduates[(graduates["year"] >= y0) & (graduates["year"] <= y1)]
    if g.empty or g["year"].nunique() != y1 - y0 + 1:
        have = sorted(graduates["year"].unique())
        raise ValueError(f"graduates cover {have[0]}-{have[-1]}; {y0}-{y1} is not inside that range")
    p = personnel[personnel["year"] == int(personnel_year)]
    if p.empty:
        have = sorted(personnel["year"].unique())
        raise ValueError(f"personnel cover {have[0]}-{have[-1]}; there is no {personnel_year}")
    grad = g.groupby("province_code")["graduates"].sum()
    labels = g.drop_duplicates("province_code").set_index("province_code")[["province_en", "nbs_region_en"]]
    pers = p.set_index("province_code")[personnel_column].reindex(grad.index)
    out = labels.loc[grad.index].copy()
    out["graduate_share_pct"] = 100 * grad / grad.sum()
    out["personnel_share_pct"] = 100 * pers / pers.sum()
    out["ratio"] = out["personnel_share_pct"] / out["graduate_share_pct"]
    out["role"] = np.where(out["ratio"] > 1, "net user", "net trainer")
    return out


# ============================================================================================
# The location-choice model (F5.2): a MODEL, see the module docstring
# ============================================================================================

def _as_array(x, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype="float64")
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty list of numbers, one per province")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} has missing or infinite values")
    return arr


def logit_shares(utility, size=None, scale: float = 1.0):
    """Multinomial-logit choice shares :math:`s_r = N_r e^{\\lambda V_r} / \\sum_q N_q e^{\\lambda V_q}`.

    Parameters
    ----------
    utility : sequence or Series
        :math:`V_r`, one per alternative.
    size : sequence or Series, optional
        :math:`N_r > 0` (jobs); equal sizes if omitted.
    scale : float, default 1
        :math:`\\lambda \\ge 0`: how strongly the choice follows utility. 0 gives the size shares
        (utility is ignored); as it grows the best alternative takes everything.

    Returns
    -------
    numpy.ndarray, or a Series with ``utility``'s index
        Shares in [0, 1] that sum to 1. Computed stably (the largest exponent is subtracted first),
        so a large ``scale`` does not overflow.

    Examples
    --------
    >>> logit_shares([1.0, 0.0], scale=0.0).tolist()
    [0.5, 0.5]
    >>> logit_shares([1.0, 0.0], scale=1000.0).tolist()
    [1.0, 0.0]
    """
    v = _as_array(utility, "utility")
    if isinstance(scale, bool) or not isinstance(scale, Real) or not math.isfinite(scale) or scale < 0:
        raise ValueError(f"scale must be a number >= 0, got {scale!r}")
    if size is None:
        log_n = np.zeros_like(v)
    else:
        n = _as_array(size, "size")
        if n.size != v.size:
            raise ValueError(f"utility has {v.size} entries but size has {n.size}")
        if (n <= 0).any():
            raise ValueError("size must be positive (a number of jobs)")
        log_n = np.log(n)
    z = log_n + float(scale) * v
    z = z - z.max()
    e = np.exp(z)
    s = e / e.sum()
    if isinstance(utility, pd.Series):
        return pd.Series(s, index=utility.index, name="share")
    return s


def utility(wage, bonus=0.0, cost=1.0):
    """Log real pay after a bonus: :math:`V_r = \\ln w_r + \\ln(1 + b_r) - \\ln c_r`.

    ``bonus`` is a fraction of pay (0.2 = 20 %), ``cost`` a living-cost index; scalars apply to
    every province. Returns an array (or a Series with ``wage``'s index).

    Examples
    --------
    >>> round(float(utility([100.0], bonus=0.1, cost=1.1)[0] - math.log(100.0)), 12)
    0.0
    """
    w = _as_array(wage, "wage")
    if (w <= 0).any():
        raise ValueError("wage must be positive")
    b = np.broadcast_to(np.asarray(bonus, dtype="float64"), w.shape)
    c = np.broadcast_to(np.asarray(cost, dtype="float64"), w.shape)
    if (b <= -1).any() or not np.isfinite(b).all():
        raise ValueError("bonus must be a fraction of pay above -1 (0.2 = 20 %)")
    if (c <= 0).any() or not np.isfinite(c).all():
        raise ValueError("cost must be positive")
    v = np.log(w) + np.log1p(b) - np.log(c)
    if isinstance(wage, pd.Series):
        return pd.Series(v, index=wage.index, name="utility")
    return v


def living_cost(wage, elasticity: float):
    """The assumed living-cost index :math:`c_r = (w_r / \\bar w)^{\\varepsilon}`, :math:`\\bar w` the
    geometric mean pay (any constant would do: it cancels in the shares).

    ``elasticity`` 0: costs are the same everywhere; 1: costs rise one for one with pay, so real pay
    is equal everywhere.

    Examples
    --------
    >>> living_cost([1.0, 4.0], 0.5).round(6).tolist()
    [0.707107, 1.414214]
    """
    w = _as_array(wage, "wage")
    if (w <= 0).any():
        raise ValueError("wage must be positive")
    if isinstance(elasticity, bool) or not isinstance(elasticity, Real) or not 0 <= elasticity <= 1:
        raise ValueError(f"the cost elasticity must be between 0 and 1, got {elasticity!r}")
    c = np.exp(float(elasticity) * (np.log(w) - np.log(w).mean()))
    if isinstance(wage, pd.Series):
        return pd.Series(c, index=wage.index, name="cost")
    return c


def choice_inputs(year: int = 2023, income: pd.DataFrame | None = None,
                  employment: pd.DataFrame | None = None) -> pd.DataFrame:
    """The model's calibrated inputs, one row per province (index: English name).

    ``wage``: per-capita disposable income of all residents, yuan (``province_income_consumption``),
    a proxy for pay; ``jobs``: employment in urban non-private units, 10,000 persons
    (``province_employment_total``), a proxy for the jobs graduates seek; ``region``: NBS region;
    ``province_code``. The tables are loaded with :func:`course.load` when not given.
    """
    if income is None or employment is None:
        from course.data import load

        income = load("province_income_consumption") if income is None else income
        employment = load("province_employment_total") if employment is None else employment
    inc = _provincial(income)
    inc = inc[inc["year"] == int(year)].set_index("province_code")
    emp = _provincial(employment)
    emp = emp[emp["year"] == int(year)].set_index("province_code")
    if inc.empty or emp.empty:
        raise ValueError(f"no income or employment figures for {year}")
    out = pd.DataFrame({
        "province_code": inc.index,
        "region": inc["nbs_region_en"],
        "wage": inc["disposable_income_per_capita_all_residents_yuan"].astype("float64"),
        "jobs": emp["urban_unit_employment_10k"].reindex(inc.index).astype("float64"),
    })
    out.index = inc["province_en"].rename("province_en")
    if out[["wage", "jobs"]].isna().any().any():
        raise ValueError(f"income or employment is missing for some province in {year}")
    return out.sort_values("province_code")


@dataclass
class PolicyResult:
    """What :func:`policy_experiment` returns.

    ``table`` has one row per province (index: name) with ``region``, ``wage``, ``jobs``,
    ``cost`` (the assumed living-cost index), ``bonus`` (fraction), ``base_share`` and
    ``policy_share`` (fractions of all mobile talent, each column summing to 1).
    """

    province: str
    bonus_pct: float
    scale: float
    cost_elasticity: float
    others_match: bool
    table: pd.DataFrame

    @property
    def regions(self) -> pd.DataFrame:
        """Base and policy shares summed by NBS region (fractions)."""
        return self.table.groupby("region")[["base_share", "policy_share"]].sum().reindex(REGIONS)

    @property
    def base_share(self) -> float:
        return float(self.table.at[self.province, "base_share"])

    @property
    def policy_share(self) -> float:
        return float(self.table.at[self.province, "policy_share"])

    @property
    def region(self) -> str:
        return str(self.table.at[self.province, "region"])

    @property
    def gain_per_10k(self) -> float:
        """Extra people the province attracts per 10,000 movers."""
        return 1e4 * (self.policy_share - self.base_share)

    @property
    def would_come_anyway(self) -> float:
        """Of the people the province gets under the policy, the fraction who would have come without
        it (and are paid the bonus all the same)."""
        return self.base_share / self.policy_share


def policy_experiment(inputs: pd.DataFrame, province: str = "Shaanxi", bonus_pct: float = 20.0,
                      scale: float = 2.0, cost_elasticity: float = 0.5,
                      others_match: bool = False) -> PolicyResult:
    """Shares of mobile talent before and after one province offers a bonus (a MODEL).

    Parameters
    ----------
    inputs : DataFrame
        :func:`choice_inputs` (``wage``, ``jobs``, ``region`` by province name).
    province : str
        The province that offers the bonus.
    bonus_pct : float
        The bonus in per cent of pay (0-100).
    scale : float
        :math:`\\lambda`, how strongly people follow real pay (0 = not at all).
    cost_elasticity : float
        :math:`\\varepsilon` in [0, 1] (see :func:`living_cost`).
    others_match : bool
        If True every province offers the same bonus (a bidding war).

    Examples
    --------
    >>> inp = pd.DataFrame({"region": ["East", "West"], "wage": [2.0, 1.0], "jobs": [1.0, 1.0]},
    ...                    index=["A", "B"])
    >>> r = policy_experiment(inp, "B", bonus_pct=100, scale=1.0, cost_elasticity=0.0)
    >>> round(r.base_share, 4), round(r.policy_share, 4)
    (0.3333, 0.5)
    >>> r = policy_experiment(inp, "B", bonus_pct=100, scale=1.0, cost_elasticity=0.0, others_match=True)
    >>> round(r.policy_share, 4)
    0.3333
    """
    if province not in inputs.index:
        raise ValueError(f"unknown province {province!r}; choose one of {', '.join(inputs.index)}")
    if isinstance(bonus_pct, bool) or not isinstance(bonus_pct, Real) or not 0 <= bonus_pct <= 1000:
        raise ValueError(f"the bonus must be between 0 and 1000 per cent of pay, got {bonus_pct!r}")
    wage = inputs["wage"]
    cost = living_cost(wage, cost_elasticity)
    bonus = pd.Series(0.0, index=inputs.index)
    if others_match:
        bonus[:] = bonus_pct / 100
    else:
        bonus[province] = bonus_pct / 100
    base = logit_shares(utility(wage, 0.0, cost), inputs["jobs"], scale)
    policy = logit_shares(utility(wage, bonus, cost), inputs["jobs"], scale)
    table = inputs[["region", "wage", "jobs"]].copy()
    table["cost"] = cost
    table["bonus"] = bonus
    table["base_share"] = base
    table["policy_share"] = policy
    return PolicyResult(province=province, bonus_pct=float(bonus_pct), scale=float(scale),
                        cost_elasticity=float(cost_elasticity), others_match=bool(others_match),
                        table=table)


def pseudo_fit_scale(target_shares, wage, size, upper: float = 50.0) -> float:
    """The :math:`\\theta = \\lambda(1-\\varepsilon)` whose logit shares best reproduce ``target_shares``.

    "Best" maximises :math:`\\sum_r t_r \\ln s_r(\\theta)` with :math:`s_r(\\theta) \\propto N_r w_r^{\\theta}`
    (no bonus). The condition for the maximum is a moment match: the share-weighted mean of
    :math:`\\ln w` under the model equals its mean under the targets. The model's mean rises with
    :math:`\\theta` (its derivative is the share-weighted variance of :math:`\\ln w`), so bisection finds
    it. Returns 0 if even :math:`\\theta = 0` puts more weight on high pay than the targets do, and
    ``upper`` if the targets are more concentrated on high pay than :math:`\\theta` = ``upper``.

    Only the product :math:`\\lambda(1-\\varepsilon)` is identified this way: pay enters the
    model only through :math:`(1-\\varepsilon)\\ln w`. This is a *pseudo* fit: the targets (for
    example the 2023 stock of R&D personnel) are not the choices of this year's movers.

    Examples
    --------
    >>> w, n = [1.0, 2.0, 4.0], [1.0, 1.0, 1.0]
    >>> round(pseudo_fit_scale(logit_shares(np.log(w), n, scale=1.5), w, n), 6)
    1.5
    """
    t = _as_array(target_shares, "target_shares")
    x = np.log(_as_array(wage, "wage"))
    n = _as_array(size, "size")
    if not (t.size == x.size == n.size):
        raise ValueError("target_shares, wage and size must have one entry per province")
    if (t < 0).any() or t.sum() <= 0:
        raise ValueError("target_shares must be non-negative and not all zero")
    t = t / t.sum()
    goal = float(t @ x)

    def model_mean(theta):
        return float(logit_shares(x, n, theta) @ x)

    if model_mean(0.0) >= goal:
        return 0.0
    if model_mean(upper) <= goal:
        return float(upper)
    lo, hi = 0.0, float(upper)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if model_mean(mid) < goal:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# -------------------------------------------------------------------------------- model widget
POLICY_CAPTION = N_("MODEL, not data: shares of mobile talent in a logit location-choice model. Pay: per-capita "
                    "disposable income 2023; jobs: urban non-private employment 2023 (NBS National Data). The "
                    "scale and the cost elasticity are assumptions, not estimates.")


def _province_options(names) -> list:
    """Dropdown options: English names as they are; in Chinese (label, English name) pairs."""
    names = sorted(names)
    return [(_province_name(n), n) for n in names] if is_chinese() else names


def _pct(x: float, d: int = 1) -> str:
    return f"{100 * x:.{d}f} %"


def policy_title(r: PolicyResult) -> str:
    """The finding the figure states."""
    name = _province_name(r.province)
    if r.bonus_pct == 0:
        return _f("With no bonus, {name} attracts {_pct(r.base_share, 2)} of mobile talent in this model")
    if r.others_match:
        return _f("When every province offers the same {r.bonus_pct:g} % bonus, no share changes: "
                  "{name} stays at {_pct(r.policy_share, 2)}")
    if r.scale == 0:
        return _f("With scale 0 pay does not matter, so the bonus leaves {name} at "
                  "{_pct(r.policy_share, 2)}")
    return _f("A {r.bonus_pct:g} % bonus raises {name}'s share of mobile talent from "
              "{_pct(r.base_share, 2)} to {_pct(r.policy_share, 2)}")


def policy_alt(r: PolicyResult) -> str:
    """Alt text: every bar's value."""
    reg = r.regions
    name = _province_name(r.province)
    parts = []
    for g in REGIONS:                      # a loop, not a generator: _f reads the variables of this frame
        parts.append(_f("{_(g)} {_pct(reg.at[g, 'base_share'])} without, {_pct(reg.at[g, 'policy_share'])} "
                        "with the bonus"))
    parts = _("; ").join(parts)
    everyone = _(" offered by every province") if r.others_match else ""
    return _f("Model result. Horizontal bars, two per row: share of mobile talent without the bonus (outlined) and "
              "with it (filled), for {name} and the four NBS regions. {name}: {_pct(r.base_share, 2)} "
              "without, {_pct(r.policy_share, 2)} with a {r.bonus_pct:g} % bonus"
              "{everyone}. Regions: {parts}. Scale "
              "{r.scale:g}, cost elasticity {r.cost_elasticity:g}.")


def _figure_key() -> tuple:
    """What a figure kept for the next redraw depends on: :func:`course.plots.reuse_key`."""
    from course import plots

    return plots.reuse_key()


def _kept(reuse: dict | None, key: tuple):
    """The state kept in ``reuse`` if it was made under ``key``, else None."""
    if reuse and reuse.get("key") == key:
        return reuse.get("state")
    return None


def render_policy(r: PolicyResult, reuse: dict | None = None):
    """Paired horizontal bars (without / with the bonus) and a one-paragraph HTML summary.

    ``reuse`` (a dict kept by the Explorer) holds the previous redraw's figure; its bars, numbers,
    labels and title are updated in place (the same pixels as a new figure, for less work).
    """
    from course import plots

    key = _figure_key()
    state = _kept(reuse, key)
    if state is None:
        state = _policy_figure(r)
        if reuse is not None:
            reuse.update(key=key, state=state)
    else:
        _update_policy(state, r)
    fig = state["fig"]
    plots.finding_title(fig, policy_title(r), width=60)
    name = _province_name(r.province)
    if r.others_match:
        note = _f("Every province offers {r.bonus_pct:g} % of pay: the bonus adds the same amount to every "
                  "utility, so it cancels out of the logit shares. Only the bill rises.")
    elif r.bonus_pct == 0 or r.scale == 0:
        note = _("Nothing moves.")
    else:
        note = _f("{name} gains {r.gain_per_10k:,.0f} people per 10,000 movers; "
                  "{100 * r.would_come_anyway:.0f} % of the people it gets with the bonus would have come without it, "
                  "and are paid the bonus all the same. The other provinces lose what it gains.")
    html = _f("<p class='course-model-note'><strong>Model.</strong> {note} Scale λ = {r.scale:g}, cost "
              "elasticity ε = {r.cost_elasticity:g}.</p>")
    return [fig, html]


_POLICY_ROWS = 1 + len(REGIONS)
_BAR_H = 0.36


def _policy_figure(r: PolicyResult) -> dict:
    """A new bar chart for :func:`render_policy` (its artists are kept for :func:`_update_policy`)."""
    import matplotlib.pyplot as plt

    from course import plots

    reg = r.regions
    name = _province_name(r.province)
    rows = [_f("{name} (in the {_(r.region)})")] + [_(g) for g in REGIONS]
    base = [r.base_share] + reg["base_share"].tolist()
    pol = [r.policy_share] + reg["policy_share"].tolist()
    styles = [plots.REGION_STYLE[r.region]] + [plots.REGION_STYLE[g] for g in REGIONS]
    fig, ax = plt.subplots(figsize=(6.4, 3.5), dpi=72)
    fig.subplots_adjust(left=0.34, right=0.95, top=0.80, bottom=0.15)
    y = np.arange(_POLICY_ROWS)[::-1].astype(float)
    h = _BAR_H
    base_bars, pol_bars, base_texts, pol_texts = [], [], [], []
    for k in range(_POLICY_ROWS):
        st = styles[k]
        base_bars.append(ax.barh(y[k] + h / 2, 100 * base[k], height=h, color="white", edgecolor=st["color"],
                                 linewidth=1.4, label=_("without the bonus (outline)") if k == 0 else None).patches[0])
        pol_bars.append(ax.barh(y[k] - h / 2, 100 * pol[k], height=h, color=st["color"], edgecolor="white",
                                label=_("with the bonus (filled)") if k == 0 else None).patches[0])
        d = 2 if k == 0 else 1
        base_texts.append(ax.text(100 * base[k], y[k] + h / 2, f" {100 * base[k]:.{d}f}", va="center", fontsize=8))
        pol_texts.append(ax.text(100 * pol[k], y[k] - h / 2, f" {100 * pol[k]:.{d}f}", va="center", fontsize=8))
    ax.set_yticks(y, rows, fontsize=8.5)
    ax.set_xlabel(_("share of mobile talent, % (model)"))
    ax.set_xlim(0, max(100 * max(max(base), max(pol)) * 1.18, 5))
    ax.grid(axis="y", visible=False)
    legend = ax.legend(loc="lower right", fontsize=8, frameon=False)
    return dict(fig=fig, ax=ax, y=y, base_bars=base_bars, pol_bars=pol_bars, base_texts=base_texts,
                pol_texts=pol_texts, legend=legend)


def _update_policy(state: dict, r: PolicyResult) -> None:
    """Give the kept bar chart of :func:`_policy_figure` the values, labels and colours of ``r``: what
    :func:`_policy_figure` would have drawn for ``r`` (``tests/test_redraw_reuse_c.py`` compares the pixels)."""
    from course import plots

    reg = r.regions
    ax = state["ax"]
    name = _province_name(r.province)
    rows = [_f("{name} (in the {_(r.region)})")] + [_(g) for g in REGIONS]
    base = [r.base_share] + reg["base_share"].tolist()
    pol = [r.policy_share] + reg["policy_share"].tolist()
    colour = plots.REGION_STYLE[r.region]["color"]
    # the followed province's bars (and the legend's keys, drawn from them) take its region's colour
    state["base_bars"][0].set_edgecolor(colour)
    state["pol_bars"][0].set_facecolor(colour)
    handles = state["legend"].legend_handles
    handles[0].set_edgecolor(colour)
    handles[1].set_facecolor(colour)
    for k in range(_POLICY_ROWS):
        d = 2 if k == 0 else 1
        for bars, texts, value in ((state["base_bars"], state["base_texts"], base[k]),
                                   (state["pol_bars"], state["pol_texts"], pol[k])):
            bars[k].set_width(100 * value)
            texts[k].set_x(100 * value)
            texts[k].set_text(f" {100 * value:.{d}f}")
    ax.yaxis.set_ticklabels(rows, fontsize=8.5)
    ax.set_xlim(0, max(100 * max(max(base), max(pol)) * 1.18, 5))


def policy_explorer(inputs: pd.DataFrame | None = None, province: str = "Shaanxi"):
    """The lesson's model widget: the province that offers a bonus, the bonus, the scale, the cost
    elasticity and whether the other provinces match it, wired to :func:`policy_experiment`."""
    import ipywidgets as w

    from course.widgets import Explorer

    inputs = choice_inputs() if inputs is None else inputs
    style = {"description_width": "initial"}
    controls = {
        "province": w.Dropdown(options=_province_options(inputs.index), value=province,
                               description=_("Your province"), style=style),
        "bonus_pct": w.IntSlider(value=20, min=0, max=100, step=5, description=_("Bonus, % of pay"), style=style),
        "scale": w.FloatSlider(value=2.0, min=0.0, max=10.0, step=0.5, description=_("Scale λ (pay sensitivity)"),
                               style=style),
        "cost_elasticity": w.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.1,
                                         description=_("Cost elasticity ε"), style=style),
        "others_match": w.Checkbox(value=False, description=_("Every other province matches the bonus"),
                                   style=style),
    }

    def compute(province, bonus_pct, scale, cost_elasticity, others_match):
        return policy_experiment(inputs, province, bonus_pct, scale, cost_elasticity, others_match)

    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda r: render_policy(r, reuse), alt=policy_alt, caption=_(POLICY_CAPTION),
                    title=_("MODEL: where mobile talent goes when a province offers a bonus"))


# ============================================================================================
# Evaluation (F5.3): one indicator against several
# ============================================================================================

#: The four criteria: key -> (short label, what it is, unit). Each is a proxy, named in the lesson.
CRITERIA: dict[str, tuple[str, str, str]] = {
    "patents": (N_("Invention patents per 100 researchers"),
                "domestic invention patents granted / researchers (FTE) x 100", "patents per 100 researcher-years"),
    "transfer": (N_("Technology sold per R&D person"),
                 "technology-market turnover (seller's province) / R&D personnel (FTE)", "10,000 yuan per person-year"),
    "industry": (N_("High-tech revenue per R&D person"),
                 "high-tech manufacturing revenue / R&D personnel (FTE)", "10,000 yuan per person-year"),
    "basic": (N_("Basic-research share of R&D personnel"),
              "basic research / (basic + applied + experimental) R&D personnel (FTE) x 100", "%"),
}
SINGLE = "patents"
METHODS = {"minmax": N_("min-max (keeps distances)"), "rank": N_("rank (order only)")}


def evaluation_indicators(profile: pd.DataFrame | None = None, personnel: pd.DataFrame | None = None,
                          year: int = 2023) -> pd.DataFrame:
    """The four criteria of :data:`CRITERIA` for the 31 provinces (index: English name).

    ``profile`` is ``province_profile_2023``, ``personnel`` ``province_rd_personnel``; both are
    loaded when not given. Also returns ``province_code`` and ``region`` columns.
    """
    if profile is None or personnel is None:
        from course.data import load

        profile = load("province_profile_2023") if profile is None else profile
        personnel = load("province_rd_personnel") if personnel is None else personnel
    p = _provincial(profile)
    p = p[p["year"] == int(year)].set_index("province_code")
    per = _provincial(personnel)
    per = per[per["year"] == int(year)].set_index("province_code").reindex(p.index)
    if p.empty:
        raise ValueError(f"the profile has no rows for {year}")
    activities = (per["basic_research_fte_manyears"] + per["applied_research_fte_manyears"]
                  + per["experimental_dev_fte_manyears"])
    out = pd.DataFrame({
        "province_code": p.index,
        "region": p["nbs_region_en"],
        "patents": 100 * p["patents_granted_invention"] / p["researchers_fte_manyears"],
        "transfer": 1e4 * p["tech_market_turnover_100m_yuan"] / p["rd_personnel_fte_manyears"],
        "industry": 1e4 * p["hightech_revenue_100m_yuan"] / p["rd_personnel_fte_manyears"],
        "basic": 100 * per["basic_research_fte_manyears"] / activities,
    })
    out.index = p["province_en"].rename("province_en")
    return out


def _normalise(x: pd.Series, method: str) -> pd.Series:
    if method == "minmax":
        lo, hi = x.min(), x.max()
        return (x - lo) / (hi - lo) if hi > lo else pd.Series(0.5, index=x.index)
    if method == "rank":
        n = x.notna().sum()
        return (x.rank(method="average") - 1) / (n - 1) if n > 1 else pd.Series(0.5, index=x.index)
    raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")


def evaluate(indicators: pd.DataFrame, weights: dict, method: str = "minmax") -> pd.DataFrame:
    """Weighted multi-criteria score: normalise each criterion to [0, 1], then a weighted mean.

    ``weights`` maps criteria (columns of ``indicators``) to non-negative numbers; only their
    proportions matter. ``method`` "minmax" keeps distances (the best province 1, the worst 0);
    "rank" keeps only the order ((rank - 1) / (n - 1)). Returns the normalised criteria with
    ``score`` and ``rank`` (1 = best; ties share the better rank).

    Raises :class:`course.widgets.EdgeCase` when every weight is zero.

    Examples
    --------
    >>> ind = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, index=["X", "Y", "Z"])
    >>> evaluate(ind, {"a": 1, "b": 1})[["score", "rank"]].values.tolist()
    [[0.5, 2.0], [0.25, 3.0], [0.75, 1.0]]
    """
    keys = [k for k in weights if k in indicators.columns]
    unknown = [k for k in weights if k not in indicators.columns]
    if unknown:
        raise ValueError(f"no criterion named {unknown[0]!r}; the criteria are {', '.join(indicators.columns)}")
    w = pd.Series({k: float(weights[k]) for k in keys})
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("weights must be non-negative numbers")
    if w.sum() == 0:
        raise EdgeCase(_("All weights are zero, so there is nothing to rank by: raise at least one weight."))
    norm = pd.DataFrame({k: _normalise(indicators[k].astype("float64"), method) for k in keys})
    out = norm.copy()
    out["score"] = (norm * w).sum(axis=1) / w.sum()
    out["rank"] = out["score"].rank(ascending=False, method="min")
    return out


@dataclass
class EvaluationResult:
    """What :func:`evaluation_view` returns: the ranking under the chosen weights against the ranking
    by the single indicator (invention patents per 100 researchers). The summaries (winner, rank
    correlation, places moved) are computed once: the title, alt text and note of a redraw all use them."""

    table: pd.DataFrame          # by province: region, score, rank, single_rank, shift
    weights: dict
    method: str
    province: str

    @cached_property
    def winner(self) -> str:
        return str(self.table["rank"].idxmin())

    @cached_property
    def single_winner(self) -> str:
        return str(self.table["single_rank"].idxmin())

    @cached_property
    def rho(self) -> float:
        """Spearman's rank correlation between the two rankings."""
        return float(self.table["rank"].rank().corr(self.table["single_rank"].rank()))

    @cached_property
    def moved(self) -> int:
        """Provinces whose rank differs from their single-indicator rank by 5 places or more."""
        return int((self.table["shift"].abs() >= 5).sum())


def evaluation_view(indicators: pd.DataFrame, patents: float = 1, transfer: float = 1, industry: float = 1,
                    basic: float = 1, method: str = "minmax", province: str = "Shaanxi") -> EvaluationResult:
    """The Explorer's pure compute: rank the provinces with the chosen weights and compare with the
    single-indicator ranking."""
    if province not in indicators.index:
        raise ValueError(f"unknown province {province!r}")
    weights = {"patents": patents, "transfer": transfer, "industry": industry, "basic": basic}
    scored = evaluate(indicators, weights, method)
    single = indicators[SINGLE].rank(ascending=False, method="min")
    table = pd.DataFrame({"region": indicators["region"], "score": scored["score"],
                          "rank": scored["rank"].astype(int), "single_rank": single.astype(int)})
    table["shift"] = table["single_rank"] - table["rank"]        # positive: climbs
    return EvaluationResult(table=table, weights=weights, method=method, province=province)


def evaluation_title(r: EvaluationResult) -> str:
    t = r.table
    name, winner, single = (_province_name(p) for p in (r.province, r.winner, r.single_winner))
    me = _f("{name} is {int(t.at[r.province, 'rank'])} (patents alone: {int(t.at[r.province, 'single_rank'])})")
    if r.moved == 0 and r.winner == r.single_winner:
        return _f("These weights rank much like the patent count alone (rank correlation {r.rho:.2f}); {me}")
    if r.winner == r.single_winner:
        return _f("{winner} ranks first both ways, but {r.moved} provinces move 5 places or more; {me}")
    return _f("{winner} ranks first with these weights, {single} on patents alone; {me}")


def evaluation_alt(r: EvaluationResult) -> str:
    t = r.table.sort_values("rank")
    order = _("; ").join(_f("{i} {_province_name(name)} ({row['score']:.2f}, patents alone {int(row['single_rank'])})")
                         for i, (name, row) in enumerate(t.head(10).iterrows(), start=1))
    w = _(", ").join(f"{k} {v:g}" for k, v in r.weights.items())
    name = _province_name(r.province)
    return _f("Scatter plot of the 31 provinces: rank on invention patents per 100 researchers alone (x) against "
              "rank with the chosen weights (y), 1 at the top right, a dashed line where the two agree; marker "
              "shape and colour give the NBS region, {name} is ringed. Weights {w}; normalisation "
              "{r.method}. Top ten with their score and their rank on patents alone: {order}. "
              "{name} ranks {int(r.table.at[r.province, 'rank'])}. Rank correlation with the single "
              "indicator {r.rho:.2f}; {r.moved} provinces move 5 places or more.")


def ranking_table(r: EvaluationResult, top: int = 10) -> pd.DataFrame:
    """The top provinces under the chosen weights (and the followed province if it is not among them)."""
    t = r.table.sort_values(["rank", "single_rank"])
    rows = list(t.index[:top])
    if r.province not in rows:
        rows.append(r.province)
    out = t.loc[rows, ["rank", "region", "score", "single_rank", "shift"]].copy()
    out["score"] = out["score"].round(2)
    out.columns = [_("Rank, your weights"), _("Region"), _("Score (0-1)"), _("Rank, patents alone"),
                   _("Places climbed")]
    out.index.name = _("Province")
    if is_chinese():
        out.index = [_province_name(p) for p in out.index]
        out.index.name = _("Province")
        out[_("Region")] = [_(g) for g in out[_("Region")]]
    return out


def render_evaluation(r: EvaluationResult, reuse: dict | None = None):
    """A rank-against-rank scatter (marker shape and colour by region, the followed province ringed and
    named) and the top of the ranking as a table.

    ``reuse`` (a dict kept by the Explorer) holds the previous redraw's figure; its points, ring, names,
    legend entry and title are updated in place (the same pixels as a new figure, for less work).
    """
    from course import plots

    key = _figure_key()
    state = _kept(reuse, key)
    if state is None:
        state = _evaluation_figure(r)
        if reuse is not None:
            reuse.update(key=key, state=state)
    else:
        _update_evaluation(state, r)
    fig = state["fig"]
    plots.finding_title(fig, evaluation_title(r), width=60)
    note = _f("<p class='course-model-note'>Points on the dashed line keep their rank; points above it climb when the "
              "other criteria count. Rank correlation between the two rankings: <strong>{r.rho:.2f}</strong>; "
              "provinces that move 5 places or more: <strong>{r.moved}</strong> of 31.</p>")
    return [fig, note, ranking_table(r)]


def _evaluation_figure(r: EvaluationResult) -> dict:
    """A new scatter for :func:`render_evaluation` (its artists are kept for :func:`_update_evaluation`)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from course import fastdraw, plots

    t = r.table
    fig, ax = plt.subplots(figsize=(6.4, 4.6), dpi=72)
    fig.subplots_adjust(left=0.11, right=0.74, top=0.84, bottom=0.13)
    ax.plot([1, 31], [1, 31], color="0.6", linestyle="--", linewidth=1, zorder=1)
    handles = [Line2D([], [], color="0.6", linestyle="--", label=_("same rank\nboth ways"))]
    groups = {}
    for g in REGIONS:
        st = plots.REGION_STYLE[g]
        part = t[t["region"] == g]
        groups[g] = (part.index, ax.scatter(part["single_rank"], part["rank"], marker=st["marker"], color=st["color"],
                                            s=36, zorder=3, edgecolor="white", linewidth=0.4))
        handles.append(Line2D([], [], marker=st["marker"], color=st["color"], linestyle="none", label=_(g)))
    me = t.loc[r.province]
    ring = ax.scatter([me["single_rank"]], [me["rank"]], s=190, facecolor="none", edgecolor="black", linewidth=1.6,
                      zorder=4)
    names = []
    for name in sorted({r.winner, r.single_winner, r.province}):
        x0, y0 = t.at[name, "single_rank"], t.at[name, "rank"]
        names.append(ax.annotate(_province_name(name), (x0, y0), xytext=(-8, -11) if x0 <= 6 else (8, -11),
                                 textcoords="offset points", ha="right" if x0 <= 6 else "left", fontsize=8.5,
                                 fontweight="bold" if name == r.province else "normal"))
    while len(names) < 3:  # one to three names are shown: hidden ones wait for a later redraw
        names.append(ax.annotate("", (1, 1), xytext=(8, -11), textcoords="offset points", fontsize=8.5,
                                 visible=False))
    ax.set_xlim(32, 0)
    ax.set_ylim(32, 0)
    ranks = [1, 5, 10, 15, 20, 25, 31]
    # fixed tick labels: no number formatting on every redraw
    ax.set_xticks(ranks, [str(k) for k in ranks])
    ax.set_yticks(ranks, [str(k) for k in ranks])
    ax.set_xlabel(_("rank on invention patents per 100 researchers alone (1 = best)"), fontsize=8.5)
    ax.set_ylabel(_("rank with your weights"), fontsize=8.5)
    handles.append(Line2D([], [], marker="o", markersize=11, markerfacecolor="none", markeredgecolor="black",
                          linestyle="none", label=_f("{_province_name(r.province)}\n(followed)")))
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7.5, frameon=False,
                       title=_("NBS region"), title_fontsize=7.5)
    # the legend changes only with the province followed: it pastes its kept pixels (it stands on the
    # plain margin), and is laid out once per draw when it does change; the rotated y label is drawn
    # from course.fastdraw's caches (matplotlib would lay it out glyph by glyph on every redraw)
    followed = legend.get_texts()[-1]
    plots.keep_pixels(legend, place=lambda: (followed.get_text(),), keep=4)
    plots.one_layout_per_draw(legend)
    fastdraw.cache_rotated(ax.yaxis.label)
    return dict(fig=fig, ax=ax, groups=groups, ring=ring, names=names, legend=legend)


def _update_evaluation(state: dict, r: EvaluationResult) -> None:
    """Give the kept scatter of :func:`_evaluation_figure` the ranks, ring, names and legend entry of ``r``:
    what :func:`_evaluation_figure` would have drawn for ``r`` (``tests/test_redraw_reuse_c.py`` compares)."""
    t = r.table
    for members, points in state["groups"].values():
        part = t.loc[members]
        points.set_offsets(np.column_stack([part["single_rank"].to_numpy(float), part["rank"].to_numpy(float)]))
    me = t.loc[r.province]
    state["ring"].set_offsets([[float(me["single_rank"]), float(me["rank"])]])
    shown = sorted({r.winner, r.single_winner, r.province})
    for i, label in enumerate(state["names"]):
        if i >= len(shown):
            label.set_visible(False)
            continue
        name = shown[i]
        x0, y0 = t.at[name, "single_rank"], t.at[name, "rank"]
        label.set_text(_province_name(name))
        label.xy = (x0, y0)
        label.xyann = (-8, -11) if x0 <= 6 else (8, -11)
        label.set_horizontalalignment("right" if x0 <= 6 else "left")
        label.set_fontweight("bold" if name == r.province else "normal")
        label.set_visible(True)
    state["legend"].get_texts()[-1].set_text(_f("{_province_name(r.province)}\n(followed)"))


EVALUATION_CAPTION = N_("Data 2023: invention patents granted and researchers (China Statistical Yearbook on Science "
                      "and Technology 2024); technology-market turnover and high-tech manufacturing revenue (NBS "
                      "National Data); R&D personnel by activity (CSYST 2024, table 1-4). Each criterion is a proxy "
                      "for a province's R&D workforce, not an evaluation of any person.")


def evaluation_explorer(indicators: pd.DataFrame | None = None, province: str = "Shaanxi"):
    """The lesson's evaluation widget: four weight sliders, the normalisation and a province to
    follow, wired to :func:`evaluation_view`."""
    import ipywidgets as w

    from course.widgets import Explorer

    indicators = evaluation_indicators() if indicators is None else indicators
    style = {"description_width": "initial"}
    controls = {k: w.IntSlider(value=1, min=0, max=5, step=1, description=_f("Weight: {_(CRITERIA[k][0])}"),
                               style=style)
                for k in CRITERIA}
    controls["method"] = w.Dropdown(options=[(_(v), k) for k, v in METHODS.items()], value="minmax",
                                    description=_("Normalisation"), style=style)
    controls["province"] = w.Dropdown(options=_province_options(indicators.index), value=province,
                                      description=_("Follow province"), style=style)

    def compute(patents, transfer, industry, basic, method, province):
        return evaluation_view(indicators, patents, transfer, industry, basic, method, province)

    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda r: render_evaluation(r, reuse), alt=evaluation_alt, caption=_(EVALUATION_CAPTION),
                    title=_("Evaluating provinces' R&D workforces: one indicator or several"))
