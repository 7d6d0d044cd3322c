"""Regional measures used throughout the course.

Every function here is *pure*: it takes numbers (a list, a NumPy array or a
pandas Series/DataFrame), checks them, and returns numbers. Nothing is read
from disk and nothing is drawn, so each function can be tested on a tiny table
whose answer is known by hand.

Contents
--------
Growth and shares
    :func:`share`, :func:`growth_rate`, :func:`log_growth`, :func:`cagr`
Dispersion and inequality (METHODS N2)
    :func:`cv`, :func:`gini`, :func:`lorenz`, :func:`theil_t`, :func:`theil_l`,
    :func:`theil_decomposition`, :func:`dagum_gini`, :func:`sigma_convergence`
Specialisation (METHODS S3)
    :func:`location_quotient`
Concentration (METHODS F1 and S4; lessons 24 and 31)
    :func:`hhi`, :func:`top_share`
Composite indices (METHODS section 2)
    :func:`minmax`, :func:`entropy_weights`, :func:`topsis`
Comparing rankings and composite gaps (METHODS F3.1, F4)
    :func:`rank_reversals`, :func:`gap_contributions`

Conventions
-----------
* Missing values are never dropped silently. A NaN raises ``ValueError``
  unless the function has a ``dropna`` argument and you pass ``dropna=True``.
* ``weights`` are population (or any other non-negative size) weights; only
  their *proportions* matter, so persons or 10 000 persons give the same
  result. With integer weights, every weighted measure equals the unweighted
  measure on the data with each value repeated ``weight`` times.
* If ``values`` and ``weights`` (or ``groups``) are both pandas objects, their
  indexes must be identical; align them first (``w.reindex(v.index)``).
* Scalar results are plain Python ``float`` values.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "share",
    "growth_rate",
    "log_growth",
    "cagr",
    "cv",
    "gini",
    "lorenz",
    "theil_t",
    "theil_l",
    "TheilDecomposition",
    "theil_decomposition",
    "DagumDecomposition",
    "dagum_gini",
    "sigma_convergence",
    "location_quotient",
    "minmax",
    "entropy_weights",
    "topsis",
    "hhi",
    "top_share",
    "rank_reversals",
    "gap_contributions",
]


# ---------------------------------------------------------------------------
# Input checking helpers (private)
# ---------------------------------------------------------------------------

def _positions(mask: np.ndarray, limit: int = 5) -> str:
    """Describe where ``mask`` is true, e.g. 'positions [0, 3]'."""
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(int(i)) for i in idx[:limit])
    more = ", ..." if idx.size > limit else ""
    word = "position" if idx.size == 1 else "positions"
    return f"{word} [{shown}{more}]"


def _to_float_array(x, name: str, fname: str) -> np.ndarray:
    """Convert a list/array/Series to a 1-D float array, or raise ValueError.

    NaN values are kept (the caller decides what to do with them).
    """
    if isinstance(x, pd.DataFrame):
        raise ValueError(
            f"{fname}: {name} must be one column (a Series, list or 1-D array), "
            f"not a DataFrame with {x.shape[1]} columns"
        )
    if isinstance(x, pd.Series):
        if not (pd.api.types.is_numeric_dtype(x.dtype) or pd.api.types.is_bool_dtype(x.dtype)):
            raise ValueError(
                f"{fname}: {name} must be numeric, but its dtype is {x.dtype}; "
                "convert it first, e.g. pd.to_numeric(s)"
            )
        arr = x.to_numpy(dtype=float, na_value=np.nan)
    else:
        if np.isscalar(x) or x is None:
            raise ValueError(
                f"{fname}: {name} must be a sequence of numbers (list, array or Series), "
                f"got a single {type(x).__name__}"
            )
        raw = np.asarray(x)
        if raw.dtype.kind in "USa":
            raise ValueError(f"{fname}: {name} must be numeric, but it contains text")
        try:
            arr = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{fname}: {name} must contain only numbers") from None
    if arr.ndim != 1:
        raise ValueError(
            f"{fname}: {name} must be one-dimensional, got an array of shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{fname}: {name} is empty; at least one value is needed")
    if np.isinf(arr).any():
        raise ValueError(
            f"{fname}: {name} contains infinite values at {_positions(np.isinf(arr))}"
        )
    return arr


def _check_same_index(a, b, name_a: str, name_b: str, fname: str) -> None:
    """Refuse to pair two pandas objects whose indexes differ."""
    if isinstance(a, (pd.Series, pd.DataFrame)) and isinstance(b, (pd.Series, pd.DataFrame)):
        if not a.index.equals(b.index):
            raise ValueError(
                f"{fname}: {name_a} and {name_b} have different indexes, so their rows "
                f"may not match; align them first, e.g. {name_b}.reindex({name_a}.index)"
            )


def _nan_message(fname: str, name: str, mask: np.ndarray, dropna_hint: bool) -> str:
    k = int(mask.sum())
    what = "missing value (NaN)" if k == 1 else "missing values (NaN)"
    hint = "drop them first or pass dropna=True" if dropna_hint else "drop or fill them first"
    return f"{fname}: {name} has {k} {what} at {_positions(mask)}; {hint}"


def _prepare(fname, values, weights=None, *, dropna=False, others=None):
    """Check values (and optional weights / other aligned columns).

    Returns ``(x, w, others)`` where ``w`` is an array of non-negative floats
    (ones when ``weights is None``) and ``others`` a dict of aligned arrays.
    Rows with a NaN in values or weights are removed only if ``dropna``.
    """
    x = _to_float_array(values, "values", fname)
    n = x.size
    if weights is None:
        w = np.ones(n)
    else:
        _check_same_index(values, weights, "values", "weights", fname)
        w = _to_float_array(weights, "weights", fname)
        if w.size != n:
            raise ValueError(
                f"{fname}: values has {n} entries but weights has {w.size}; "
                "they must match one to one"
            )
    others = dict(others or {})
    other_arrays = {}
    for oname, obj in others.items():
        _check_same_index(values, obj, "values", oname, fname)
        if isinstance(obj, pd.DataFrame) or np.isscalar(obj) or obj is None:
            raise ValueError(f"{fname}: {oname} must be one label per value (a list or Series)")
        if isinstance(obj, pd.Series):
            raw = obj.to_numpy(dtype=object)
        else:
            raw = np.asarray(obj, dtype=object)
        if raw.ndim != 1:
            raise ValueError(f"{fname}: {oname} must be one-dimensional, got shape {raw.shape}")
        arr = pd.Series(raw, dtype=object)
        if arr.size != n:
            raise ValueError(
                f"{fname}: values has {n} entries but {oname} has {arr.size}; "
                "they must match one to one"
            )
        other_arrays[oname] = arr

    bad = np.isnan(x) | np.isnan(w)
    for arr in other_arrays.values():
        bad |= arr.isna().to_numpy()
    if bad.any():
        if not dropna:
            for nm, m in [("values", np.isnan(x)), ("weights", np.isnan(w))] + [
                (k, v.isna().to_numpy()) for k, v in other_arrays.items()
            ]:
                if m.any():
                    raise ValueError(_nan_message(fname, nm, m, dropna_hint=True))
        keep = ~bad
        x, w = x[keep], w[keep]
        other_arrays = {k: v[keep].reset_index(drop=True) for k, v in other_arrays.items()}
        if x.size == 0:
            raise ValueError(f"{fname}: no complete observations are left after dropping NaN")

    if weights is not None:
        if (w < 0).any():
            raise ValueError(
                f"{fname}: weights must be non-negative, found negative weights at "
                f"{_positions(w < 0)}"
            )
        if not (w > 0).any():
            raise ValueError(f"{fname}: weights are all zero; at least one must be positive")
    return x, w, other_arrays


def _positive_mean(fname: str, x: np.ndarray, p: np.ndarray) -> float:
    mu = float(np.sum(p * x))
    if not mu > 0:
        raise ValueError(
            f"{fname}: the (weighted) mean is {mu:g}; this measure needs a positive mean"
        )
    return mu


def _require_nonnegative(fname: str, x: np.ndarray) -> None:
    if (x < 0).any():
        raise ValueError(
            f"{fname}: values must be non-negative, found negative values at {_positions(x < 0)}"
        )


def _require_positive(fname: str, x: np.ndarray, why: str) -> None:
    if (x <= 0).any():
        raise ValueError(
            f"{fname}: values must be > 0 ({why}); found zero or negative values at "
            f"{_positions(x <= 0)}"
        )


def _scalar_or_pandas_nan_check(obj, name: str, fname: str) -> None:
    """Raise if a scalar, array or pandas object contains NaN."""
    if isinstance(obj, (pd.Series, pd.DataFrame)):
        mask = obj.isna().to_numpy()
        if mask.any():
            raise ValueError(_nan_message(fname, name, mask.ravel(), dropna_hint=False))
    else:
        arr = np.asarray(obj, dtype=float)
        if np.isnan(arr).any():
            if arr.ndim == 0:
                raise ValueError(f"{fname}: {name} is missing (NaN)")
            raise ValueError(_nan_message(fname, name, np.isnan(arr).ravel(), dropna_hint=False))


def _numeric_frame(frame, name: str, fname: str) -> pd.DataFrame:
    """Check that ``frame`` is a non-empty, all-numeric DataFrame without NaN."""
    if isinstance(frame, np.ndarray):
        if frame.ndim != 2:
            raise ValueError(f"{fname}: {name} must be two-dimensional, got shape {frame.shape}")
        frame = pd.DataFrame(frame)
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(
            f"{fname}: {name} must be a pandas DataFrame, got {type(frame).__name__}"
        )
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"{fname}: {name} is empty (shape {frame.shape})")
    for col in frame.columns:
        if not (pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col])):
            raise ValueError(
                f"{fname}: column {col!r} of {name} is not numeric; keep only indicator "
                "columns and put names in the index, e.g. df.set_index('province_en')"
            )
    out = frame.astype(float)
    nan = out.isna()
    if nan.to_numpy().any():
        col = nan.any()[nan.any()].index[0]
        rows = list(out.index[nan[col]])[:5]
        raise ValueError(
            f"{fname}: column {col!r} of {name} has missing values (NaN) in rows {rows}; "
            "drop or fill them first"
        )
    if np.isinf(out.to_numpy()).any():
        raise ValueError(f"{fname}: {name} contains infinite values")
    return out


# ---------------------------------------------------------------------------
# Growth and shares
# ---------------------------------------------------------------------------

def share(part, total=None):
    """Share of a part in a total, as a fraction.

    Parameters
    ----------
    part : number, list, numpy.ndarray, pandas.Series or pandas.DataFrame
        The part(s), e.g. each province's GDP.
    total : number, list, numpy.ndarray or pandas.Series, optional
        The total(s). Default: the sum of ``part`` (for a DataFrame, each
        column's sum), so ``share(gdp)`` gives every province's share of the
        31-province sum.

    Returns
    -------
    float, numpy.ndarray, pandas.Series or pandas.DataFrame
        ``part / total``, with the same shape and index as ``part``.

    Raises
    ------
    ValueError
        If either input contains NaN, if ``total`` is zero, or if two pandas
        inputs have different indexes.

    References
    ----------
    METHODS.md, N4 (three-sector shares) and S3 (regional shares).

    Examples
    --------
    >>> share(25, 200)
    0.125
    >>> share([1, 3])
    array([0.25, 0.75])
    """
    fname = "share"
    _scalar_or_pandas_nan_check(part, "part", fname)
    total_was_none = total is None
    if total is None:
        if np.isscalar(part):
            raise ValueError(f"{fname}: give a total when part is a single number")
        total = part.sum() if isinstance(part, (pd.Series, pd.DataFrame)) else np.sum(
            np.asarray(part, dtype=float)
        )
    else:
        _scalar_or_pandas_nan_check(total, "total", fname)
        _check_same_index(part, total, "part", "total", fname)
    if isinstance(total, (pd.Series, pd.DataFrame)):
        tot = total.to_numpy(dtype=float)
    else:
        tot = np.asarray(total, dtype=float)
    if not total_was_none and tot.ndim > 0 and np.ndim(part) > 0:
        n_part = np.shape(part)[0]
        if tot.shape[0] != n_part:
            raise ValueError(
                f"{fname}: part has {n_part} entries but total has {tot.shape[0]}; "
                "give one total, or one total per entry"
            )
    if (tot == 0).any():
        raise ValueError(f"{fname}: total is zero, so a share is undefined")
    if isinstance(part, pd.DataFrame) and total_was_none:
        return part.astype(float) / total                     # each column's own sum
    if isinstance(part, (pd.Series, pd.DataFrame)):
        if isinstance(part, pd.DataFrame) and isinstance(total, pd.Series):
            return part.astype(float).div(total, axis=0)     # one total per row
        return part.astype(float) / total
    if isinstance(total, pd.Series):
        return pd.Series(np.asarray(part, dtype=float), index=total.index) / total
    result = np.asarray(part, dtype=float) / tot
    return float(result) if result.ndim == 0 else result


def _series_like(series, fname):
    """Return (array, wrap) where wrap(array) restores the input type."""
    if isinstance(series, pd.DataFrame):
        raise ValueError(f"{fname}: give one column (a Series), not a DataFrame")
    x = _to_float_array(series, "series", fname)
    if np.isnan(x).any():
        raise ValueError(_nan_message(fname, "series", np.isnan(x), dropna_hint=False))
    if isinstance(series, pd.Series):
        return x, lambda a: pd.Series(a, index=series.index, name=series.name)
    return x, lambda a: a


def _check_periods(periods, n, fname):
    if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
        raise ValueError(f"{fname}: periods must be a positive whole number, got {periods!r}")
    if periods >= n:
        raise ValueError(
            f"{fname}: the series has {n} values, too few for periods={periods}"
        )


def growth_rate(series, periods=1):
    """Period-on-period growth rate as a fraction: ``x[t] / x[t-periods] - 1``.

    The series must already be in time order (sort by year first). The first
    ``periods`` entries of the result are NaN because they have no base year,
    exactly as in ``pandas.Series.pct_change``.

    Parameters
    ----------
    series : list, numpy.ndarray or pandas.Series
        Values in time order, e.g. one province's GDP by year.
    periods : int, default 1
        Distance to the base period (``periods=5`` compares with five years
        earlier).

    Returns
    -------
    numpy.ndarray or pandas.Series
        Same length (and index) as ``series``; 0.08 means 8 % growth.

    Raises
    ------
    ValueError
        If the series contains NaN, has too few values, or a base value is 0
        (growth from zero is undefined).

    References
    ----------
    METHODS.md, N1 and N3 (growth arithmetic).

    Examples
    --------
    >>> growth_rate([100, 150, 75])
    array([ nan,  0.5, -0.5])
    >>> growth_rate([100, 150, 75], periods=2)
    array([  nan,   nan, -0.25])
    """
    fname = "growth_rate"
    x, wrap = _series_like(series, fname)
    _check_periods(periods, x.size, fname)
    base = x[:-periods]
    if (base == 0).any():
        raise ValueError(
            f"{fname}: a base value is 0 at {_positions(base == 0)}; growth from zero is undefined"
        )
    out = np.full(x.size, np.nan)
    out[periods:] = x[periods:] / base - 1.0
    return wrap(out)


def log_growth(series, periods=1):
    """Log growth ``ln(x[t]) - ln(x[t-periods])`` (continuously compounded).

    For small rates it is close to :func:`growth_rate`; unlike it, log growth
    adds up over time: the log growths of several years sum to the log growth
    over the whole span.

    Parameters
    ----------
    series : list, numpy.ndarray or pandas.Series
        Positive values in time order.
    periods : int, default 1
        Distance to the base period.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Same length as ``series``; the first ``periods`` entries are NaN.

    Raises
    ------
    ValueError
        If the series has NaN, too few values, or any value <= 0.

    References
    ----------
    METHODS.md, N2 (beta convergence uses log growth).

    Examples
    --------
    >>> import math
    >>> g = log_growth([1.0, math.e, math.e ** 3])
    >>> [round(float(v), 12) for v in g[1:]]
    [1.0, 2.0]
    """
    fname = "log_growth"
    x, wrap = _series_like(series, fname)
    _check_periods(periods, x.size, fname)
    _require_positive(fname, x, "the logarithm needs positive numbers")
    out = np.full(x.size, np.nan)
    lx = np.log(x)
    out[periods:] = lx[periods:] - lx[:-periods]
    return wrap(out)


def cagr(start, end, years):
    """Compound annual growth rate: ``(end / start) ** (1 / years) - 1``.

    Parameters
    ----------
    start, end : float or array-like or pandas.Series
        Values at the start and the end of the span (must be > 0).
    years : float or array-like
        Length of the span in years (must be > 0). 2015 to 2023 is 8 years.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The constant yearly rate that turns ``start`` into ``end``.

    Raises
    ------
    ValueError
        If any start or end value is <= 0, ``years`` <= 0, or an input is NaN.

    References
    ----------
    METHODS.md, N3 (catch-up arithmetic).

    Examples
    --------
    >>> round(cagr(100, 121, 2), 12)
    0.1
    >>> round(cagr(50, 25, 1), 12)
    -0.5
    """
    fname = "cagr"
    for name, obj in (("start", start), ("end", end), ("years", years)):
        if isinstance(obj, pd.DataFrame):
            raise ValueError(f"{fname}: {name} must be a number, array or Series, not a DataFrame")
        _scalar_or_pandas_nan_check(obj, name, fname)
    _check_same_index(start, end, "start", "end", fname)
    s = np.asarray(start, dtype=float)
    e = np.asarray(end, dtype=float)
    y = np.asarray(years, dtype=float)
    if (s <= 0).any() or (e <= 0).any():
        raise ValueError(
            f"{fname}: start and end values must be > 0; a growth rate between a "
            "zero or negative value and another value is undefined"
        )
    if (y <= 0).any():
        raise ValueError(f"{fname}: years must be > 0, got {years!r}")
    result = (e / s) ** (1.0 / y) - 1.0
    for obj in (start, end):
        if isinstance(obj, pd.Series):
            return pd.Series(result, index=obj.index, name=obj.name)
    return float(result) if np.ndim(result) == 0 else result


# ---------------------------------------------------------------------------
# Dispersion and inequality
# ---------------------------------------------------------------------------

def cv(values, weights=None, *, dropna=False):
    """Coefficient of variation: standard deviation divided by the mean.

    Unweighted, each unit counts once and the standard deviation is the
    population one (``ddof=0``). With population weights this is the
    Williamson (1965) coefficient, which compares each province's GDP per
    person with the national GDP per person, weighting by population.

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        E.g. GDP per capita by province. The (weighted) mean must be > 0.
    weights : list, numpy.ndarray or pandas.Series, optional
        Non-negative weights (population). Default: every unit weighs 1.
    dropna : bool, default False
        Drop units whose value or weight is NaN instead of raising.

    Returns
    -------
    float

    Notes
    -----
    ``CV = sqrt(sum_i p_i (x_i - mu)^2) / mu`` with ``p_i = w_i / sum(w)`` and
    ``mu = sum_i p_i x_i``. Scale-free: multiplying all values by a constant
    leaves it unchanged.

    References
    ----------
    Williamson, J. G. (1965). Regional inequality and the process of national
    development. *Economic Development and Cultural Change* 13(4), 1-84.
    METHODS.md, N2.

    Examples
    --------
    Two provinces with 1 and 3: mean 2, standard deviation 1.

    >>> cv([1, 3])
    0.5

    Three people at 1 and one at 3 (population weights 3 and 1): mean 1.5,
    variance (3*0.25 + 1*2.25)/4 = 0.75.

    >>> round(cv([1, 3], weights=[3, 1]), 12) == round(0.75 ** 0.5 / 1.5, 12)
    True
    """
    fname = "cv"
    x, w, _ = _prepare(fname, values, weights, dropna=dropna)
    p = w / w.sum()
    mu = _positive_mean(fname, x, p)
    var = float(np.sum(p * (x - mu) ** 2))
    return float(np.sqrt(var) / mu)


def gini(values, weights=None, *, dropna=False):
    """Gini coefficient (mean-difference form), optionally population-weighted.

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Non-negative values with a positive mean, e.g. GDP per capita.
    weights : list, numpy.ndarray or pandas.Series, optional
        Non-negative weights (population) for grouped data. Default: 1 each.
    dropna : bool, default False
        Drop units whose value or weight is NaN instead of raising.

    Returns
    -------
    float
        Between 0 (all equal) and ``1 - 1/n`` (one unit has everything; with
        weights, ``1 - p`` where ``p`` is the richest unit's population share).

    Notes
    -----
    ``G = sum_i sum_j p_i p_j |x_i - x_j| / (2 mu)`` with ``p_i = w_i / sum(w)``.
    Unweighted this is ``sum_i sum_j |x_i - x_j| / (2 n^2 mu)``, the form in
    METHODS N2 (no small-sample factor ``n/(n-1)``). It is computed from the
    sorted values in O(n log n), and equals one minus twice the area under
    the :func:`lorenz` curve. Unweighted, it agrees with PySAL's
    ``inequality.gini.Gini`` to within 1e-10 on every provincial GDP-per-capita
    cross-section of the course (tested).

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*. Bologna.
    Cowell, F. A. (2011). *Measuring Inequality*, 3rd ed. Oxford University
    Press, ch. 2.
    METHODS.md, N2.

    Examples
    --------
    Pairs (1,3) and (3,1) differ by 2: G = (2 + 2) / (2 * 2**2 * 2) = 0.25.

    >>> gini([1, 3])
    0.25
    >>> gini([5, 5, 5])
    0.0
    >>> gini([0, 0, 0, 10])   # one of four has everything: 1 - 1/4
    0.75
    """
    fname = "gini"
    x, w, _ = _prepare(fname, values, weights, dropna=dropna)
    _require_nonnegative(fname, x)
    p = w / w.sum()
    mu = _positive_mean(fname, x, p)
    order = np.argsort(x, kind="stable")
    xs, ps = x[order], p[order]
    below = np.cumsum(ps) - ps            # population share strictly before i
    above = 1.0 - np.cumsum(ps)           # population share strictly after i
    mean_diff = 2.0 * np.sum(ps * xs * (below - above))
    g = mean_diff / (2.0 * mu)
    if np.ptp(x[w > 0]) == 0:             # all (weighted) values equal
        return 0.0
    return float(max(g, 0.0))


def lorenz(values, weights=None, *, dropna=False):
    """Points of the Lorenz curve.

    Units are sorted from poorest to richest; the curve joins
    (cumulative population share, cumulative value share).

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Non-negative values with a positive (weighted) mean.
    weights : list, numpy.ndarray or pandas.Series, optional
        Population weights; default 1 each.
    dropna : bool, default False
        Drop units whose value or weight is NaN instead of raising.

    Returns
    -------
    pop_share, value_share : numpy.ndarray
        Both of length ``n + 1``, starting at exactly 0 and ending at exactly 1.
        ``value_share`` is non-decreasing and convex in ``pop_share``.

    References
    ----------
    Lorenz, M. O. (1905). Methods of measuring the concentration of wealth.
    *Publications of the American Statistical Association* 9(70), 209-219.
    METHODS.md, N2.

    Examples
    --------
    >>> p, L = lorenz([3, 1])
    >>> p
    array([0. , 0.5, 1. ])
    >>> L
    array([0.  , 0.25, 1.  ])
    """
    fname = "lorenz"
    x, w, _ = _prepare(fname, values, weights, dropna=dropna)
    _require_nonnegative(fname, x)
    _positive_mean(fname, x, w / w.sum())
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    pop = np.concatenate([[0.0], np.cumsum(ws) / ws.sum()])
    val = np.concatenate([[0.0], np.cumsum(ws * xs) / np.sum(ws * xs)])
    pop[-1] = 1.0
    val[-1] = 1.0
    return pop, val


def _theil_t_core(x: np.ndarray, p: np.ndarray, mu: float) -> float:
    r = x / mu
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(x > 0, p * r * np.log(r), 0.0)   # 0 ln 0 = 0
    return float(np.sum(terms))


def _theil_l_core(x: np.ndarray, p: np.ndarray, mu: float) -> float:
    return float(np.sum(p * np.log(mu / x)))


def theil_t(values, weights=None, *, dropna=False):
    """Theil T index (GE(1)), optionally population-weighted.

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Per-capita quantity (e.g. GDP per capita), >= 0 with a positive mean.
        **Zeros are allowed** by the convention ``0 ln 0 = 0``.
    weights : list, numpy.ndarray or pandas.Series, optional
        Population weights; default 1 each.
    dropna : bool, default False
        Drop units whose value or weight is NaN instead of raising.

    Returns
    -------
    float
        0 when all are equal; at most ``ln n`` (one of ``n`` has everything).

    Notes
    -----
    ``T = sum_i s_i ln(x_i / mu)``, where ``s_i = w_i x_i / sum_j w_j x_j`` is
    unit i's share of the total (e.g. of national GDP) and ``mu`` the weighted
    mean. With GDP ``Y_i`` and population ``P_i`` this is
    ``sum_i (Y_i/Y) ln((Y_i/Y)/(P_i/P))``. Unweighted, it agrees with PySAL's
    ``inequality.theil.Theil`` to within 1e-10 on the course's provincial GDP
    per capita (tested); PySAL has no population weights.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    METHODS.md, N2.

    Examples
    --------
    For 1 and 3 (mean 2): T = 0.5 * (0.5 ln 0.5 + 1.5 ln 1.5).

    >>> import math
    >>> round(theil_t([1, 3]), 12) == round(0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5)), 12)
    True
    >>> round(theil_t([0, 0, 0, 4]), 12) == round(math.log(4), 12)
    True
    """
    fname = "theil_t"
    x, w, _ = _prepare(fname, values, weights, dropna=dropna)
    _require_nonnegative(fname, x)
    p = w / w.sum()
    mu = _positive_mean(fname, x, p)
    return _theil_t_core(x, p, mu)


def theil_l(values, weights=None, *, dropna=False):
    """Theil L index (mean log deviation, GE(0)), optionally population-weighted.

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Per-capita quantity; **every value must be > 0** (ln 0 is undefined).
    weights : list, numpy.ndarray or pandas.Series, optional
        Population weights; default 1 each.
    dropna : bool, default False
        Drop units whose value or weight is NaN instead of raising.

    Returns
    -------
    float

    Notes
    -----
    ``L = sum_i (w_i / W) ln(mu / x_i)``: the population-weighted average of
    the log gap between the mean and each unit.

    References
    ----------
    Theil, H. (1967). *Economics and Information Theory*. North-Holland.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality
    measures. *Econometrica* 48(3), 613-625.

    Examples
    --------
    For 1 and 3 (mean 2): L = 0.5 (ln 2 + ln 2/3) = 0.5 ln(4/3).

    >>> import math
    >>> round(theil_l([1, 3]), 12) == round(0.5 * math.log(4 / 3), 12)
    True
    """
    fname = "theil_l"
    x, w, _ = _prepare(fname, values, weights, dropna=dropna)
    _require_positive(fname, x, "Theil L takes ln(mu / x)")
    p = w / w.sum()
    mu = _positive_mean(fname, x, p)
    return _theil_l_core(x, p, mu)


@dataclass(frozen=True, eq=False)
class TheilDecomposition:
    """Result of :func:`theil_decomposition`.

    Attributes
    ----------
    total, between, within : float
        ``between + within == total`` up to rounding (about 1e-15).
    groups : pandas.DataFrame
        One row per group (sorted by label) with columns ``n`` (units),
        ``weight_share`` (population share), ``value_share`` (share of the
        total, e.g. of GDP), ``mean`` (group mean), ``theil`` (inequality
        inside the group), ``contribution`` (its part of ``within``) and
        ``between_term`` (its part of ``between``).
    kind : str
        ``"T"`` or ``"L"``.
    """

    total: float
    between: float
    within: float
    groups: pd.DataFrame
    kind: str = "T"

    @property
    def between_share(self) -> float:
        """Share of total inequality between groups (``between / total``)."""
        return self.between / self.total if self.total > 0 else float("nan")

    @property
    def within_share(self) -> float:
        """Share of total inequality within groups (``within / total``)."""
        return self.within / self.total if self.total > 0 else float("nan")

    def __repr__(self) -> str:
        return (
            f"TheilDecomposition(kind={self.kind!r}, total={self.total:.4f}, "
            f"between={self.between:.4f}, within={self.within:.4f}, "
            f"groups={len(self.groups)})"
        )


def theil_decomposition(values, groups, weights=None, kind="T", *, dropna=False):
    """Split a Theil index into between-group and within-group inequality.

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Per-capita quantity by unit (province). Theil T allows zeros; Theil L
        needs every value > 0.
    groups : list, numpy.ndarray or pandas.Series
        Group label of each unit (e.g. the four NBS regions).
    weights : list, numpy.ndarray or pandas.Series, optional
        Population weights; default 1 each (every province counts once, as
        PySAL's ``TheilD``).
    kind : {"T", "L"}, default "T"
        Which Theil index.
    dropna : bool, default False
        Drop units with a NaN value, weight or group instead of raising.

    Returns
    -------
    TheilDecomposition
        ``total``, ``between``, ``within`` and the per-group table.

    Notes
    -----
    With population shares ``p_k``, value shares ``s_k``, group means
    ``mu_k`` and the overall mean ``mu``:

    * T: ``between = sum_k s_k ln(mu_k / mu)``, ``within = sum_k s_k T_k``.
    * L: ``between = sum_k p_k ln(mu / mu_k)``, ``within = sum_k p_k L_k``.

    ``total`` is computed directly from the units, not as the sum, so
    ``between + within == total`` is a genuine check. A group whose values
    are all zero (possible only for T) has ``theil = 0``. Unweighted T
    agrees with PySAL's ``inequality.theil.TheilD`` (total, between and
    within) to within 1e-10 on the course's provincial GDP per capita with
    the four NBS regions (tested); PySAL obtains ``within`` as total minus
    between, the course from the groups.

    References
    ----------
    Shorrocks, A. F. (1980). The class of additively decomposable inequality
    measures. *Econometrica* 48(3), 613-625.
    METHODS.md, N2; PySAL ``inequality.theil.TheilD``.

    Examples
    --------
    Two regions, each internally equal: all inequality is between regions.

    >>> d = theil_decomposition([1, 1, 3, 3], ["a", "a", "b", "b"])
    >>> round(d.within, 12), round(d.between - d.total, 12)
    (0.0, 0.0)
    >>> d.groups["mean"].tolist()
    [1.0, 3.0]
    """
    fname = "theil_decomposition"
    if kind not in ("T", "L"):
        raise ValueError(f"{fname}: kind must be 'T' or 'L', got {kind!r}")
    x, w, oth = _prepare(fname, values, weights, dropna=dropna, others={"groups": groups})
    g = oth["groups"]
    if kind == "T":
        _require_nonnegative(fname, x)
    else:
        _require_positive(fname, x, "Theil L takes ln(mu / x)")
    p = w / w.sum()
    mu = _positive_mean(fname, x, p)
    total = _theil_t_core(x, p, mu) if kind == "T" else _theil_l_core(x, p, mu)

    rows = []
    labels = pd.unique(g)
    try:
        labels = sorted(labels)
    except TypeError:
        labels = list(labels)
    gv = g.to_numpy()
    for lab in labels:
        m = gv == lab
        pk = float(p[m].sum())
        if pk == 0:
            raise ValueError(
                f"{fname}: group {lab!r} has zero total weight, so its mean is undefined"
            )
        xk, pk_within = x[m], p[m] / pk
        muk = float(np.sum(pk_within * xk))
        sk = pk * muk / mu
        if kind == "T":
            tk = _theil_t_core(xk, pk_within, muk) if muk > 0 else 0.0
            between_term = sk * np.log(muk / mu) if muk > 0 else 0.0
            contribution = sk * tk
        else:
            tk = _theil_l_core(xk, pk_within, muk)
            between_term = pk * np.log(mu / muk)
            contribution = pk * tk
        rows.append(
            {
                "group": lab,
                "n": int(m.sum()),
                "weight_share": pk,
                "value_share": sk,
                "mean": muk,
                "theil": tk,
                "contribution": float(contribution),
                "between_term": float(between_term),
            }
        )
    table = pd.DataFrame(rows).set_index("group")
    between = float(table["between_term"].sum())
    within = float(table["contribution"].sum())
    return TheilDecomposition(total=total, between=between, within=within, groups=table, kind=kind)


@dataclass(frozen=True, eq=False)
class DagumDecomposition:
    """Result of :func:`dagum_gini`.

    Attributes
    ----------
    total : float
        Overall Gini (mean-difference form, unweighted).
    within, net_between, transvariation : float
        Dagum's ``G_w``, ``G_nb`` and ``G_t``; they add up to ``total``.
    groups : pandas.DataFrame
        Per group, ordered by mean (poorest first): ``n``, ``mean``,
        ``pop_share`` (p_j), ``value_share`` (s_j), ``gini`` (G_jj) and
        ``contribution`` (``G_jj p_j s_j``).
    pairs : pandas.DataFrame
        Per pair of groups (``richer``, ``poorer``): ``gini`` (G_jh),
        ``D`` (relative economic affluence, in [0, 1]), ``net_between`` and
        ``transvariation`` terms.
    """

    total: float
    within: float
    net_between: float
    transvariation: float
    groups: pd.DataFrame
    pairs: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"DagumDecomposition(total={self.total:.4f}, within={self.within:.4f}, "
            f"net_between={self.net_between:.4f}, "
            f"transvariation={self.transvariation:.4f}, groups={len(self.groups)})"
        )


def dagum_gini(values, groups, *, dropna=False):
    """Dagum (1997) decomposition of the Gini coefficient by groups.

    ``G = G_w + G_nb + G_t``: inequality within groups, net inequality between
    groups, and transvariation (the overlap: members of a poorer group who are
    richer than members of a richer group).

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Non-negative values with a positive mean; each unit counts once.
    groups : list, numpy.ndarray or pandas.Series
        Group label of each unit.
    dropna : bool, default False
        Drop units with a NaN value or group instead of raising.

    Returns
    -------
    DagumDecomposition

    Notes
    -----
    Formulas as in METHODS N2, with the sample form of Dagum's ``d_jh`` and
    ``p_jh`` and ``D_jh = (d_jh - p_jh) / (d_jh + p_jh)`` (``D_jh = 0`` when
    both groups are all equal to the same value; the pair term is 0 then).
    Uses all pairwise differences: O(n^2) memory, fine for provinces.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income
    inequality ratio. *Empirical Economics* 22(4), 515-531.

    Examples
    --------
    Two groups that do not overlap have no transvariation.

    >>> d = dagum_gini([1, 1, 3, 3], ["a", "a", "b", "b"])
    >>> d.total, d.within, d.net_between, d.transvariation
    (0.25, 0.0, 0.25, 0.0)
    """
    fname = "dagum_gini"
    x, _, oth = _prepare(fname, values, None, dropna=dropna, others={"groups": groups})
    _require_nonnegative(fname, x)
    n = x.size
    mu = _positive_mean(fname, x, np.full(n, 1.0 / n))
    gv = oth["groups"].to_numpy()
    total = float(np.abs(x[:, None] - x[None, :]).sum() / (2.0 * n * n * mu))

    labels = list(pd.unique(gv))
    info = []
    for lab in labels:
        xk = x[gv == lab]
        info.append((lab, xk, float(xk.mean())))
    info.sort(key=lambda t: t[2])          # poorest group first
    grows = []
    for lab, xk, muk in info:
        nk = xk.size
        pk, sk = nk / n, nk * muk / (n * mu)
        gjj = (
            float(np.abs(xk[:, None] - xk[None, :]).sum() / (2.0 * nk * nk * muk))
            if muk > 0 else 0.0
        )
        grows.append({"group": lab, "n": nk, "mean": muk, "pop_share": pk,
                      "value_share": sk, "gini": gjj, "contribution": gjj * pk * sk})
    gtable = pd.DataFrame(grows).set_index("group")
    within = float(gtable["contribution"].sum())

    prow = []
    for j in range(1, len(info)):
        for h in range(j):
            labj, xj, muj = info[j]
            labh, xh, muh = info[h]
            diff = xj[:, None] - xh[None, :]
            d_jh = float(np.maximum(diff, 0).mean())
            p_jh = float(np.maximum(-diff, 0).mean())
            gjh = (d_jh + p_jh) / (muj + muh)
            D = (d_jh - p_jh) / (d_jh + p_jh) if d_jh + p_jh > 0 else 0.0
            pj, sj = xj.size / n, xj.size * muj / (n * mu)
            ph, sh = xh.size / n, xh.size * muh / (n * mu)
            weight = pj * sh + ph * sj
            prow.append({"richer": labj, "poorer": labh, "gini": gjh, "D": D,
                         "net_between": gjh * weight * D,
                         "transvariation": gjh * weight * (1.0 - D)})
    ptable = pd.DataFrame(
        prow, columns=["richer", "poorer", "gini", "D", "net_between", "transvariation"]
    )
    return DagumDecomposition(
        total=total,
        within=within,
        net_between=float(ptable["net_between"].sum()),
        transvariation=float(ptable["transvariation"].sum()),
        groups=gtable,
        pairs=ptable,
    )


_SIGMA_MEASURES = ("cv", "sd_log", "gini", "theil_t", "theil_l")


def sigma_convergence(values, time, measure="cv", weights=None, *, dropna=False):
    """Cross-section dispersion in each period (sigma convergence).

    Sigma convergence means this series falls over time.

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Long format: one row per unit and period (e.g. province-year).
    time : list, numpy.ndarray or pandas.Series
        The period of each row (e.g. the ``year`` column).
    measure : {"cv", "sd_log", "gini", "theil_t", "theil_l"}, default "cv"
        ``"sd_log"`` is the (weighted, ddof=0) standard deviation of ln(values).
    weights : list, numpy.ndarray or pandas.Series, optional
        Population weights, one per row.
    dropna : bool, default False
        Drop rows with a NaN value, weight or time instead of raising.

    Returns
    -------
    pandas.Series
        Indexed by period (sorted), named after ``measure``.

    References
    ----------
    Barro, R. J. & Sala-i-Martin, X. (1992). Convergence. *Journal of
    Political Economy* 100(2), 223-251.
    METHODS.md, N2.

    Examples
    --------
    >>> s = sigma_convergence([1, 3, 2, 2], [2000, 2000, 2001, 2001])
    >>> s.tolist()
    [0.5, 0.0]
    """
    fname = "sigma_convergence"
    if measure not in _SIGMA_MEASURES:
        raise ValueError(f"{fname}: measure must be one of {_SIGMA_MEASURES}, got {measure!r}")
    x, w, oth = _prepare(fname, values, weights, dropna=dropna, others={"time": time})
    t = oth["time"]
    out = {}
    for period in sorted(pd.unique(t)):
        m = (t == period).to_numpy()
        xm, wm = x[m], w[m]
        if not (wm > 0).any():
            raise ValueError(f"{fname}: all weights are zero in period {period!r}")
        if measure == "cv":
            out[period] = cv(xm, wm)
        elif measure == "gini":
            out[period] = gini(xm, wm)
        elif measure == "theil_t":
            out[period] = theil_t(xm, wm)
        elif measure == "theil_l":
            out[period] = theil_l(xm, wm)
        else:
            _require_positive(fname, xm, "sd_log takes the logarithm")
            lx, pm = np.log(xm), wm / wm.sum()
            out[period] = float(np.sqrt(np.sum(pm * (lx - np.sum(pm * lx)) ** 2)))
    s = pd.Series(out, name=measure, dtype=float)
    s.index.name = getattr(time, "name", None) or "time"
    return s


# ---------------------------------------------------------------------------
# Specialisation
# ---------------------------------------------------------------------------

def location_quotient(matrix):
    """Location quotients (区位熵) of a region-by-sector matrix.

    ``LQ_ij = (x_ij / x_i.) / (x_.j / x_..)``: sector j's share in region i
    divided by its share in the whole (the sum over the rows). LQ > 1 means
    region i is more specialised in j than the whole.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Rows = regions (names in the index), columns = sectors, values = a
        non-negative activity such as employment. Every row and every column
        needs a positive sum.

    Returns
    -------
    pandas.DataFrame
        Same index and columns. The activity-weighted average of each column
        is 1: ``sum_i (x_i. / x_..) LQ_ij = 1``.

    Raises
    ------
    ValueError
        For non-numeric columns, NaN, negative values, or a region or sector
        with a zero total.

    References
    ----------
    Isard, W. (1960). *Methods of Regional Analysis*. MIT Press.
    METHODS.md, S3.

    Examples
    --------
    Both sectors are half of the whole; A has 40 % of its activity in farming.

    >>> m = pd.DataFrame({"farm": [20, 30], "factory": [30, 20]}, index=["A", "B"])
    >>> location_quotient(m)
       farm  factory
    A   0.8      1.2
    B   1.2      0.8
    """
    fname = "location_quotient"
    df = _numeric_frame(matrix, "matrix", fname)
    arr = df.to_numpy()
    if (arr < 0).any():
        raise ValueError(f"{fname}: matrix must be non-negative (e.g. employment counts)")
    rows, cols = arr.sum(axis=1), arr.sum(axis=0)
    if (rows == 0).any():
        raise ValueError(
            f"{fname}: region {df.index[np.argmax(rows == 0)]!r} has a zero total, "
            "so its sector shares are undefined; drop it first"
        )
    if (cols == 0).any():
        raise ValueError(
            f"{fname}: sector {df.columns[np.argmax(cols == 0)]!r} has a zero total, "
            "so its location quotient is undefined; drop it first"
        )
    lq = (arr / rows[:, None]) / (cols / arr.sum())[None, :]
    return pd.DataFrame(lq, index=df.index, columns=df.columns)


# ---------------------------------------------------------------------------
# Composite indices
# ---------------------------------------------------------------------------

def _direction(d, fname, what):
    if d not in ("+", "-"):
        raise ValueError(
            f"{fname}: direction for {what} must be '+' (more is better) or "
            f"'-' (less is better), got {d!r}"
        )
    return d


def _directions_for(columns, directions, fname):
    """Map every column to '+' or '-' from a str, dict/Series or None."""
    if directions is None:
        return {c: "+" for c in columns}
    if isinstance(directions, str):
        _direction(directions, fname, "all columns")
        return {c: directions for c in columns}
    if isinstance(directions, pd.Series):
        directions = directions.to_dict()
    if isinstance(directions, Mapping):
        unknown = [k for k in directions if k not in columns]
        if unknown:
            raise ValueError(f"{fname}: directions names unknown columns {unknown}")
        missing = [c for c in columns if c not in directions]
        if missing:
            raise ValueError(
                f"{fname}: directions has no entry for columns {missing}; give '+' or '-' "
                "for every column"
            )
        return {c: _direction(directions[c], fname, f"column {c!r}") for c in columns}
    raise ValueError(
        f"{fname}: directions must be '+', '-', or a dict mapping each column to '+' or '-'"
    )


def _minmax_array(x, d, constant, fname, what):
    lo, hi = x.min(), x.max()
    if hi == lo:
        if isinstance(constant, str) and constant == "raise":
            raise ValueError(
                f"{fname}: {what} is constant, so min-max scaling is undefined"
            )
        return np.full(x.size, float(constant))
    out = (x - lo) / (hi - lo) if d == "+" else (hi - x) / (hi - lo)
    return np.clip(out, 0.0, 1.0)


def minmax(values, direction="+", *, constant=0.5):
    """Min-max (range) standardisation to [0, 1].

    ``"+"`` (benefit indicator, more is better): ``(x - min) / (max - min)``.
    ``"-"`` (cost indicator, less is better): ``(max - x) / (max - min)``, so
    the best unit gets 1 either way.

    Parameters
    ----------
    values : list, numpy.ndarray, pandas.Series or pandas.DataFrame
        One indicator, or a DataFrame of indicators (scaled column by column).
    direction : {"+", "-"} or dict, default "+"
        For a DataFrame, either one direction for all columns or a dict
        ``{column: "+" or "-"}`` naming **every** column.
    constant : float or "raise", default 0.5
        What to return for an indicator with no variation (max == min). The
        documented rule is 0.5 for every unit: a constant indicator ranks no
        one above anyone else, so everyone sits at the middle. (It then gets
        zero entropy weight and adds nothing to TOPSIS distances.) Pass
        ``"raise"`` to get a ValueError instead.

    Returns
    -------
    numpy.ndarray, pandas.Series or pandas.DataFrame
        Same shape, index and columns; values in [0, 1].

    Raises
    ------
    ValueError
        For NaN, text columns, or a bad direction.

    References
    ----------
    METHODS.md, section 2.1.

    Examples
    --------
    >>> minmax([2, 4, 6])
    array([0. , 0.5, 1. ])
    >>> minmax([2, 4, 6], direction="-")
    array([1. , 0.5, 0. ])
    >>> minmax([3, 3])
    array([0.5, 0.5])
    """
    fname = "minmax"
    if not (isinstance(constant, str) and constant == "raise"):
        if isinstance(constant, bool) or not isinstance(constant, Real) or not 0 <= constant <= 1:
            raise ValueError(f"{fname}: constant must be a number in [0, 1] or 'raise'")
    if isinstance(values, (pd.DataFrame, np.ndarray)) and np.ndim(values) == 2:
        df = _numeric_frame(values, "values", fname)
        dirs = _directions_for(list(df.columns), direction, fname)
        out = {c: _minmax_array(df[c].to_numpy(), dirs[c], constant, fname, f"column {c!r}")
               for c in df.columns}
        result = pd.DataFrame(out, index=df.index, columns=df.columns)
        return result if isinstance(values, pd.DataFrame) else result.to_numpy()
    if not isinstance(direction, str):
        raise ValueError(f"{fname}: for a single indicator, direction must be '+' or '-'")
    d = _direction(direction, fname, "values")
    x = _to_float_array(values, "values", fname)
    if np.isnan(x).any():
        raise ValueError(_nan_message(fname, "values", np.isnan(x), dropna_hint=False))
    out = _minmax_array(x, d, constant, fname, "values")
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name)
    return out


def entropy_weights(frame, *, shift=1e-4):
    """Entropy weight method (熵权法) for indicators already scaled to [0, 1].

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows = units (e.g. provinces), columns = indicators, every value in
        [0, 1] (use :func:`minmax` first). At least two rows.
    shift : float, default 1e-4
        Added to every value before the shares are formed, so that no share is
        0 and ``ln p`` exists (a common choice in Chinese applied papers).
        ``shift=0`` uses the convention ``0 ln 0 = 0`` instead. The choice
        moves the weights slightly; state it in your write-up.

    Returns
    -------
    pandas.Series
        One weight per column, named ``"weight"``, summing to 1. Identical
        columns get equal weights. A column with no variation (e.g. a
        constant indicator) gets weight exactly 0.

    Raises
    ------
    ValueError
        For fewer than two rows, values outside [0, 1], NaN, text columns,
        a negative shift, or when every column is constant.

    Notes
    -----
    ``p_ij = x_ij / sum_i x_ij``, ``e_j = -(1/ln n) sum_i p_ij ln p_ij``,
    ``d_j = 1 - e_j``, ``w_j = d_j / sum_k d_k``. The weight rewards dispersion,
    not importance.

    **Deliberately different from a library default.** ``pymcdm``'s
    ``entropy_weights`` forms the shares from the matrix it is given, as it
    is: applied to raw indicators it weights their *levels* (and refuses a
    column containing 0). The course min-max normalises first (with
    :func:`minmax`, which also turns cost indicators round) and adds
    ``shift``. Given the same shifted min-max matrix, ``minmax(df) + shift``,
    pymcdm returns the same weights to within 1e-10; on the raw matrix the
    weights differ (by 0.05 on the 2023 innovation indicators). The test
    suite checks both (tests/test_reference_implementations.py).

    References
    ----------
    Zou, Z., Yun, Y. & Sun, J. (2006). Entropy method for determination of
    weight of evaluating indicators in fuzzy synthetic evaluation for water
    quality assessment. *Journal of Environmental Sciences* 18(5), 1020-1023.
    METHODS.md, section 2.2.

    Examples
    --------
    A constant column carries no information and gets weight 0.

    >>> f = pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 0.5]})
    >>> entropy_weights(f).tolist()
    [1.0, 0.0]
    >>> entropy_weights(pd.DataFrame({"a": [0.0, 1.0], "b": [1.0, 0.0]})).tolist()
    [0.5, 0.5]
    """
    fname = "entropy_weights"
    df = _numeric_frame(frame, "frame", fname)
    n = df.shape[0]
    if n < 2:
        raise ValueError(f"{fname}: need at least two rows (units) to measure dispersion")
    if isinstance(shift, bool) or not isinstance(shift, Real) or not shift >= 0:
        raise ValueError(f"{fname}: shift must be a number >= 0, got {shift!r}")
    arr = df.to_numpy()
    if (arr < 0).any() or (arr > 1).any():
        raise ValueError(
            f"{fname}: values must lie in [0, 1]; normalise the indicators first, "
            "e.g. entropy_weights(minmax(df, directions))"
        )
    k = 1.0 / np.log(n)
    d = np.zeros(arr.shape[1])
    for j in range(arr.shape[1]):
        col = arr[:, j]
        if np.ptp(col) == 0:
            continue                       # no variation: d_j = 0
        z = col + shift
        pj = z / z.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            plogp = np.where(pj > 0, pj * np.log(pj), 0.0)
        d[j] = max(1.0 + k * plogp.sum(), 0.0)
    if d.sum() == 0:
        raise ValueError(
            f"{fname}: every column is constant, so there is nothing to weight"
        )
    return pd.Series(d / d.sum(), index=df.columns, name="weight")


def _weights_for(columns, weights, fname):
    if isinstance(weights, Mapping):
        weights = pd.Series(weights, dtype=float)
    if isinstance(weights, pd.Series):
        unknown = [k for k in weights.index if k not in columns]
        missing = [c for c in columns if c not in weights.index]
        if unknown:
            raise ValueError(f"{fname}: weights name unknown columns {unknown}")
        if missing:
            raise ValueError(f"{fname}: weights has no entry for columns {missing}")
        w = weights.reindex(columns).to_numpy(dtype=float)
    else:
        w = _to_float_array(weights, "weights", fname)
        if w.size != len(columns):
            raise ValueError(
                f"{fname}: frame has {len(columns)} columns but weights has {w.size} entries"
            )
    if np.isnan(w).any():
        raise ValueError(_nan_message(fname, "weights", np.isnan(w), dropna_hint=False))
    if (w < 0).any():
        raise ValueError(f"{fname}: weights must be non-negative")
    if not (w > 0).any():
        raise ValueError(f"{fname}: weights are all zero; at least one must be positive")
    return w / w.sum()


def topsis(frame, weights, directions=None, *, normalization="vector", weighting="matrix"):
    """TOPSIS closeness to the ideal solution (逼近理想解排序法).

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows = alternatives (provinces), columns = indicators, non-negative.
    weights : sequence, dict or pandas.Series
        Non-negative weights, one per column (a Series/dict is matched by
        column name). They are rescaled to sum to 1; only proportions matter.
    directions : None, "+", "-" or dict, default None
        ``"+"`` benefit, ``"-"`` cost indicator; a dict must name every
        column. None means all ``"+"``.
    normalization : {"vector", "none"}, default "vector"
        ``"vector"``: classic ``r_ij = x_ij / sqrt(sum_i x_ij^2)`` (a column
        of zeros stays 0). ``"none"``: use ``frame`` as it is, e.g. the output
        of :func:`minmax` (the usual "entropy-TOPSIS").
    weighting : {"matrix", "distance"}, default "matrix"
        ``"matrix"``: ``v_ij = w_j r_ij`` and plain Euclidean distances (Hwang
        & Yoon). ``"distance"``: ``D = sqrt(sum_j w_j (r_ij - r_j*)^2)``, the
        variant found in some public code (equivalent to the matrix variant
        with weights ``sqrt(w_j)``).

    Returns
    -------
    pandas.Series
        Closeness ``C_i = D_i^- / (D_i^+ + D_i^-)`` in [0, 1], named
        ``"closeness"``, same index as ``frame``. The ideal is the column
        maximum for ``"+"`` and the minimum for ``"-"``. An alternative equal
        to the ideal scores 1, one equal to the anti-ideal scores 0. If all
        alternatives are identical, every closeness is 0.5 (documented rule,
        as in :func:`minmax`).

    Notes
    -----
    **Deliberately different from a library default.** The course's default
    is Hwang and Yoon's vector normalisation; ``pymcdm``'s ``TOPSIS()``
    min-max normalises by default, which gives different closeness values
    (by up to 0.09 on the 2023 innovation indicators). The two agree to
    within 1e-10 once the same normalisation is chosen:
    ``topsis(df, w, directions)`` equals pymcdm's
    ``TOPSIS(vector_normalization)``, and
    ``topsis(minmax(df, directions), w, normalization="none")`` equals
    pymcdm's default ``TOPSIS()`` (tests/test_reference_implementations.py).

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making:
    Methods and Applications*. Springer.
    METHODS.md, section 2.3.

    Examples
    --------
    Vector norms are 5 and 10, so r = [[0.6, 0.6], [0.8, 0.8]]: the second
    row is the ideal on both indicators.

    >>> f = pd.DataFrame({"a": [3, 4], "b": [6, 8]}, index=["X", "Y"])
    >>> topsis(f, [0.5, 0.5]).tolist()
    [0.0, 1.0]
    >>> topsis(f, [0.5, 0.5], directions={"a": "-", "b": "-"}).tolist()
    [1.0, 0.0]
    """
    fname = "topsis"
    if normalization not in ("vector", "none"):
        raise ValueError(f"{fname}: normalization must be 'vector' or 'none', got {normalization!r}")
    if weighting not in ("matrix", "distance"):
        raise ValueError(f"{fname}: weighting must be 'matrix' or 'distance', got {weighting!r}")
    df = _numeric_frame(frame, "frame", fname)
    cols = list(df.columns)
    w = _weights_for(cols, weights, fname)
    dirs = _directions_for(cols, directions, fname)
    arr = df.to_numpy()
    if (arr < 0).any():
        raise ValueError(
            f"{fname}: values must be non-negative; scale them first, e.g. "
            "topsis(minmax(df), weights, normalization='none')"
        )
    if normalization == "vector":
        norms = np.sqrt((arr ** 2).sum(axis=0))
        r = np.divide(arr, norms, out=np.zeros_like(arr), where=norms > 0)
    else:
        r = arr
    v = r * w if weighting == "matrix" else r
    cost = np.array([dirs[c] == "-" for c in cols])
    ideal = np.where(cost, v.min(axis=0), v.max(axis=0))
    anti = np.where(cost, v.max(axis=0), v.min(axis=0))
    dw = np.ones_like(w) if weighting == "matrix" else w
    d_plus = np.sqrt((dw * (v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt((dw * (v - anti) ** 2).sum(axis=1))
    denom = d_plus + d_minus
    c = np.divide(d_minus, denom, out=np.full(arr.shape[0], 0.5), where=denom > 0)
    return pd.Series(c, index=df.index, name="closeness")


# ---------------------------------------------------------------------------
# Concentration (METHODS F1 and S4; lessons 24 and 31-32)
# ---------------------------------------------------------------------------

def _concentration_input(fname, values, dropna):
    x, _, _ = _prepare(fname, values, None, dropna=dropna)
    _require_nonnegative(fname, x)
    total = x.sum()
    if not total > 0:
        raise ValueError(f"{fname}: the values add up to {total:g}; shares need a positive total")
    return x / total


def hhi(values, *, dropna=False):
    """Herfindahl-Hirschman index: the sum of squared shares (as fractions).

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Non-negative amounts, one per unit (e.g. each province's output of a product).
    dropna : bool, default False
        Leave out units whose value is NaN (not published) instead of raising. The shares are
        then shares of the sum over the units that *have* a value.

    Returns
    -------
    float
        Between ``1/n`` (n equal units) and 1 (one unit produces everything). Multiply by
        10,000 for the "points" scale used in competition policy. ``1 / hhi`` is the
        *equivalent number* of equal-sized producers.

    References
    ----------
    Herfindahl, O. C. (1950). *Concentration in the Steel Industry*. PhD thesis, Columbia
    University. Hirschman, A. O. (1964). The paternity of an index. *American Economic
    Review* 54(5), 761. METHODS.md, S3 (Herfindahl of shares).

    Examples
    --------
    Shares 0.5, 0.25, 0.25: 0.25 + 0.0625 + 0.0625 = 0.375.

    >>> hhi([2, 1, 1])
    0.375
    >>> hhi([5, 5, 5, 5])          # four equal producers: 1/4
    0.25
    >>> hhi([7, 0, 0])             # a monopoly
    1.0
    """
    s = _concentration_input("hhi", values, dropna)
    return float(np.sum(s ** 2))


def top_share(values, k=5, *, dropna=False):
    """Share of the ``k`` largest units in the total (a concentration ratio, CR_k).

    Parameters
    ----------
    values : list, numpy.ndarray or pandas.Series
        Non-negative amounts (R&D spending, patents, population ...), one per unit.
    k : int, default 5
        How many of the largest units to add up; ``1 <= k <= n``.
    dropna : bool, default False
        Drop missing values instead of raising. The share is then of the sum of the units that
        have a value: say so wherever it is shown.

    Returns
    -------
    float
        ``sum of the k largest values / sum of all values``, between ``k/n`` (all equal) and 1
        (the k largest hold everything).

    Notes
    -----
    Industrial economics calls this the k-firm concentration ratio. Unlike the Gini coefficient it
    ignores how the total is spread among the other ``n - k`` units. When units differ in size
    (provinces in population), compare it with the same ratio for population or GDP: a top-5 share
    of 50 % means little by itself if the same five provinces hold 40 % of the people.

    References
    ----------
    METHODS.md, F1 (regional concentration of innovation resources).

    Examples
    --------
    >>> top_share([5, 3, 1, 1], k=2)    # (5 + 3) / 10
    0.8
    >>> top_share([2, 2, 2, 2], k=1)    # all equal: k / n
    0.25
    """
    fname = "top_share"
    x, _, _ = _prepare(fname, values, None, dropna=dropna)
    _require_nonnegative(fname, x)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"{fname}: k must be a whole number, got {k!r}")
    if not 1 <= k <= x.size:
        raise ValueError(f"{fname}: k must be between 1 and the number of units ({x.size}), got {k}")
    total = float(x.sum())
    if not total > 0:
        raise ValueError(f"{fname}: the values add up to {total:g}; a share needs a positive total")
    return float(np.sort(x)[::-1][:k].sum() / total)


# ---------------------------------------------------------------------------
# Comparing rankings and composite gaps (lessons 33 and 34)
# ---------------------------------------------------------------------------

def rank_reversals(a, b, *, dropna=False):
    """Number of pairs of units whose order under ``a`` is the reverse of their order under ``b``.

    A pair (i, j) is *reversed* when ``a[i] > a[j]`` and ``b[i] < b[j]`` (or the other way round):
    the two scorings disagree about which of the two is ahead. A pair tied under either scoring is
    not counted. With ``n`` units there are ``n (n - 1) / 2`` pairs, so the share of pairs reversed
    runs from 0 (the same order) to 1 (exactly the opposite order); two unrelated scorings reverse
    about half of the pairs. Without ties, Kendall's tau is ``1 - 4 D / (n (n - 1))`` with ``D`` the
    number of reversals (Kendall 1938).

    Parameters
    ----------
    a, b : list, numpy.ndarray or pandas.Series
        Scores (or ranks) of the same units under two scorings, in the same order; pandas inputs
        must share one index. Only the order matters: any increasing transformation of ``a`` or
        ``b`` gives the same count.
    dropna : bool, default False
        Drop units with a missing score in either scoring instead of raising.

    Returns
    -------
    int

    References
    ----------
    Kendall, M. G. (1938). A new measure of rank correlation. *Biometrika* 30(1/2), 81-93.
    METHODS.md, F3.1.

    Examples
    --------
    >>> rank_reversals([3, 2, 1], [3, 2, 1])
    0
    >>> rank_reversals([3, 2, 1], [1, 2, 3])      # every one of the 3 pairs flips
    3
    >>> rank_reversals([1, 2, 3], [1, 3, 2])      # only the pair (2nd, 3rd)
    1
    >>> rank_reversals([1, 2, 3], [5, 5, 1])      # the tie under b is not a reversal
    2
    """
    fname = "rank_reversals"
    x, _, other = _prepare(fname, a, None, dropna=dropna, others={"b": b})
    y = pd.to_numeric(other["b"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(y).any():
        raise ValueError(f"{fname}: b must contain only numbers")
    if np.isinf(y).any():
        raise ValueError(f"{fname}: b contains infinite values at {_positions(np.isinf(y))}")
    sa = np.sign(x[:, None] - x[None, :])
    sb = np.sign(y[:, None] - y[None, :])
    return int(np.count_nonzero(sa * sb < 0) // 2)


def gap_contributions(leader, laggard, weights):
    """Split a laggard's relative shortfall on a weighted-sum index into its components' shares.

    For an index :math:`I = \\sum_k w_k x_k`, the laggard's shortfall relative to the leader is
    :math:`1 - I^{lag}/I^{lead}`. It is exactly the sum of the component contributions

    .. math:: c_k = \\frac{w_k\\,(x^{lead}_k - x^{lag}_k)}{\\sum_j w_j x^{lead}_j},

    so :math:`\\sum_k c_k = 1 - I^{lag}/I^{lead}`. A component on which the laggard is *ahead*
    contributes a negative amount. Comparing the contributions in two years shows which component
    closed (or opened) the gap.

    Parameters
    ----------
    leader, laggard : dict, pandas.Series or list
        Component values of the leader and the laggard (e.g. the East's and the West's mean
        sub-indices), with the same keys / index / order as ``weights``.
    weights : dict, pandas.Series or list
        Non-negative component weights of the index (only their proportions matter).

    Returns
    -------
    pandas.Series
        One contribution per component (named by the keys or index), summing to the shortfall.

    References
    ----------
    METHODS.md, F4 (the digital financial inclusion index is a weighted sum of three sub-indices).

    Examples
    --------
    The laggard is half as high on component a and level on b: its shortfall, 0.25, is all a's.

    >>> gap_contributions({"a": 100, "b": 100}, {"a": 50, "b": 100}, {"a": 0.5, "b": 0.5}).tolist()
    [0.25, 0.0]
    >>> gap_contributions([100, 100], [150, 50], [0.5, 0.5]).tolist()   # ahead on one, behind on the other
    [-0.25, 0.25]
    """
    fname = "gap_contributions"

    def as_series(obj, name):
        if isinstance(obj, Mapping):
            obj = pd.Series(obj, dtype=float)
        elif not isinstance(obj, pd.Series):
            arr = _to_float_array(obj, name, fname)
            obj = pd.Series(arr)
        _scalar_or_pandas_nan_check(obj, name, fname)
        return obj.astype(float)

    lead, lag, w = as_series(leader, "leader"), as_series(laggard, "laggard"), as_series(weights, "weights")
    for name, s in (("leader", lead), ("laggard", lag)):
        if not s.index.equals(w.index):
            raise ValueError(f"{fname}: {name} and weights must name the same components in the same order")
    if (w < 0).any():
        raise ValueError(f"{fname}: weights must be non-negative")
    total = float((w * lead).sum())
    if not total > 0:
        raise ValueError(f"{fname}: the leader's index value is {total:g}; it must be positive")
    return (w * (lead - lag) / total).rename("contribution")
