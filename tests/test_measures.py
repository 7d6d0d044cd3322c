"""Tests for course.measures.

Every expected value comes from theory (a known property of the measure) or
from a hand computation written out in a comment, never from running the
code and pasting its output.
"""

import doctest
import math

import numpy as np
import pandas as pd
import pytest

from course import measures
from course.measures import (
    cagr,
    cv,
    dagum_gini,
    entropy_weights,
    gini,
    growth_rate,
    location_quotient,
    log_growth,
    lorenz,
    minmax,
    share,
    sigma_convergence,
    theil_decomposition,
    theil_l,
    theil_t,
    topsis,
)

TOL = 1e-12


def approx(x):
    return pytest.approx(x, abs=TOL, rel=1e-12)


def test_doctests_pass():
    result = doctest.testmod(measures, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# ---------------------------------------------------------------------------
# Shares and growth
# ---------------------------------------------------------------------------

def test_share_of_sum_and_of_given_total():
    # 1/(1+3) = 0.25, 3/4 = 0.75
    np.testing.assert_allclose(share([1, 3]), [0.25, 0.75])
    assert share(25, 200) == 0.125
    s = pd.Series([2.0, 6.0], index=["a", "b"])
    out = share(s)
    assert list(out.index) == ["a", "b"]
    assert out.sum() == approx(1.0)


def test_share_of_frame_columns_sum_to_one():
    f = pd.DataFrame({"x": [1, 1, 2], "y": [0, 5, 5]})
    out = share(f)
    np.testing.assert_allclose(out.sum().to_numpy(), [1.0, 1.0])
    # one total per row
    tot = pd.Series([2.0, 6.0, 7.0])
    np.testing.assert_allclose(share(f, tot)["x"], [0.5, 1 / 6, 2 / 7])


def test_growth_rate_hand_values():
    # 150/100 - 1 = 0.5 ; 75/150 - 1 = -0.5 ; two periods: 75/100 - 1 = -0.25
    g = growth_rate([100, 150, 75])
    assert np.isnan(g[0])
    np.testing.assert_allclose(g[1:], [0.5, -0.5])
    g2 = growth_rate([100, 150, 75], periods=2)
    assert np.isnan(g2[:2]).all() and g2[2] == approx(-0.25)


def test_growth_rate_keeps_series_index():
    s = pd.Series([100.0, 110.0, 121.0], index=[2021, 2022, 2023], name="gdp")
    g = growth_rate(s)
    assert list(g.index) == [2021, 2022, 2023] and g.name == "gdp"
    np.testing.assert_allclose(g.iloc[1:], [0.1, 0.1])


def test_log_growth_adds_up_over_time():
    x = np.array([3.0, 4.5, 4.0, 7.2, 9.9])
    one = log_growth(x)
    assert np.nansum(one) == approx(math.log(9.9 / 3.0))
    four = log_growth(x, periods=4)
    assert four[4] == approx(math.log(9.9 / 3.0))


def test_cagr_hand_values():
    # 100 * 1.1 * 1.1 = 121
    assert cagr(100, 121, 2) == approx(0.1)
    # 8 -> 1 over 3 years: (1/8)^(1/3) - 1 = 0.5 - 1
    assert cagr(8, 1, 3) == approx(-0.5)
    # a constant-growth series: cagr over the span equals the yearly rate
    series = 50 * 1.07 ** np.arange(6)
    assert cagr(series[0], series[-1], 5) == approx(0.07)
    out = cagr(pd.Series([100.0, 4.0], index=["A", "B"]), pd.Series([121.0, 9.0], index=["A", "B"]), 2)
    assert list(out.index) == ["A", "B"]
    np.testing.assert_allclose(out, [0.1, 0.5])


# ---------------------------------------------------------------------------
# Inequality: theory
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("f", [gini, cv, theil_t, theil_l])
def test_equal_distribution_has_zero_inequality(f):
    assert f([7.0] * 9) == approx(0.0)
    assert f([7.0] * 4, weights=[1, 5, 2, 9]) == approx(0.0)


@pytest.mark.parametrize("n", [2, 3, 10, 31])
def test_one_unit_has_everything(n):
    x = [0.0] * (n - 1) + [5.0]
    # Gini = sum|x_i - x_j| / (2 n^2 mu) = 2 (n-1) * 5 / (2 n^2 * 5/n) = (n-1)/n
    assert gini(x) == approx((n - 1) / n)
    # Theil T: the rich unit has share 1 and x/mu = n, so T = 1 * ln n
    assert theil_t(x) == approx(math.log(n))
    # CV: mean 5/n, variance 25/n - 25/n^2 -> CV = sqrt(n - 1)
    assert cv(x) == approx(math.sqrt(n - 1))


def test_two_point_hand_example():
    # values 1 and 3: mean 2
    # CV: sd = sqrt(((1-2)^2 + (3-2)^2) / 2) = 1  ->  1/2
    assert cv([1, 3]) == approx(0.5)
    # Gini: |1-3| + |3-1| = 4 ; 2 n^2 mu = 2*4*2 = 16  ->  0.25
    assert gini([1, 3]) == approx(0.25)
    # Theil T: (1/2)[(1/2) ln(1/2) + (3/2) ln(3/2)]
    #        = 0.5 * (-0.3465736 + 0.6081977) = 0.1308121
    assert theil_t([1, 3]) == approx(0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5)))
    assert theil_t([1, 3]) == pytest.approx(0.1308121, abs=1e-7)
    # Theil L: (1/2)[ln(2/1) + ln(2/3)] = (1/2) ln(4/3) = 0.1438410
    assert theil_l([1, 3]) == approx(0.5 * math.log(4 / 3))
    assert theil_l([1, 3]) == pytest.approx(0.1438410, abs=1e-7)


def test_two_point_weighted_hand_example():
    # values 1 (population 3) and 3 (population 1) = the people 1, 1, 1, 3
    # mean = 6/4 = 1.5 ; variance = (3*0.25 + 2.25)/4 = 0.75  -> CV = sqrt(0.75)/1.5 = 1/sqrt(3)
    assert cv([1, 3], weights=[3, 1]) == approx(1 / math.sqrt(3))
    # Gini: 3 pairs (1,3), both orders, |diff| 2 -> 12 ; 2 * 4^2 * 1.5 = 48 -> 0.25
    assert gini([1, 3], weights=[3, 1]) == approx(0.25)
    # Theil T: income shares 3/6 and 3/6 ; T = 0.5 ln(1/1.5) + 0.5 ln(3/1.5) = 0.5 ln(4/3)
    assert theil_t([1, 3], weights=[3, 1]) == approx(0.5 * math.log(4 / 3))
    # Theil L: 0.75 ln(1.5/1) + 0.25 ln(1.5/3) = 0.3040988 - 0.1732868 = 0.1308121
    assert theil_l([1, 3], weights=[3, 1]) == approx(0.75 * math.log(1.5) + 0.25 * math.log(0.5))


def test_theil_t_allows_zeros_theil_l_does_not():
    # 0 ln 0 = 0: [0, 2] -> only the second term, share 1, x/mu = 2 -> ln 2
    assert theil_t([0, 2]) == approx(math.log(2))
    with pytest.raises(ValueError, match=r"must be > 0"):
        theil_l([0, 2])


@pytest.fixture
def rng():
    return np.random.default_rng(20240607)


@pytest.mark.parametrize("f", [gini, cv, theil_t, theil_l])
def test_scale_invariance(f, rng):
    x = rng.lognormal(1.0, 0.6, size=31)
    w = rng.integers(1, 50, size=31)
    assert f(x * 123.4) == pytest.approx(f(x), rel=1e-10)
    assert f(x * 0.01, weights=w) == pytest.approx(f(x, weights=w), rel=1e-10)
    # weights in persons or in 10 000 persons give the same answer
    assert f(x, weights=w * 10_000) == pytest.approx(f(x, weights=w), rel=1e-10)


@pytest.mark.parametrize("f", [gini, cv, theil_t, theil_l])
def test_weighted_equals_expanded_data(f, rng):
    x = rng.lognormal(0.5, 0.8, size=12)
    w = rng.integers(1, 6, size=12)
    expanded = np.repeat(x, w)
    assert f(x, weights=w) == pytest.approx(f(expanded), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("f", [gini, cv, theil_t, theil_l])
def test_zero_weight_unit_is_ignored(f):
    assert f([1, 3, 100], weights=[1, 1, 0]) == approx(f([1, 3]))


@pytest.mark.parametrize("f", [gini, cv, theil_t, theil_l])
def test_order_does_not_matter(f, rng):
    x = rng.lognormal(size=20)
    w = rng.integers(1, 9, size=20)
    perm = rng.permutation(20)
    assert f(x[perm], weights=w[perm]) == pytest.approx(f(x, weights=w), rel=1e-12)


def test_gini_is_one_minus_twice_lorenz_area(rng):
    x = rng.lognormal(size=25)
    w = rng.integers(1, 10, size=25)
    for weights in (None, w):
        p, L = lorenz(x, weights)
        area = np.sum(np.diff(p) * (L[1:] + L[:-1]) / 2)   # trapezoids, exact for a polygon
        assert gini(x, weights) == pytest.approx(1 - 2 * area, abs=1e-12)


def test_gini_transfer_from_rich_to_poor_lowers_it():
    # Pigou-Dalton: move 1 from the richest to the poorest, ranks unchanged
    assert gini([2, 5, 9]) < gini([1, 5, 10])


# ---------------------------------------------------------------------------
# Lorenz curve
# ---------------------------------------------------------------------------

def test_lorenz_hand_example():
    # sorted [1, 3]: population 0, 1/2, 1 ; value 0, 1/4, 1
    p, L = lorenz([3, 1])
    np.testing.assert_allclose(p, [0, 0.5, 1])
    np.testing.assert_allclose(L, [0, 0.25, 1])
    # weighted: 1 (pop 3), 3 (pop 1): population 0, 3/4, 1 ; value 0, 3/6, 1
    p, L = lorenz([1, 3], weights=[3, 1])
    np.testing.assert_allclose(p, [0, 0.75, 1])
    np.testing.assert_allclose(L, [0, 0.5, 1])


def test_lorenz_endpoints_monotone_and_convex(rng):
    x = rng.lognormal(size=40)
    w = rng.integers(1, 20, size=40)
    for weights in (None, w):
        p, L = lorenz(x, weights)
        assert p[0] == 0.0 and L[0] == 0.0 and p[-1] == 1.0 and L[-1] == 1.0
        assert len(p) == len(L) == 41
        assert np.all(np.diff(p) >= 0) and np.all(np.diff(L) >= 0)
        assert np.all(L <= p + 1e-12)                 # below the equality line
        slopes = np.diff(L) / np.diff(p)
        assert np.all(np.diff(slopes) >= -1e-9)       # convex: slopes increase


def test_lorenz_weighted_matches_expanded(rng):
    x = rng.lognormal(size=8)
    w = rng.integers(1, 5, size=8)
    p_w, L_w = lorenz(x, w)
    p_e, L_e = lorenz(np.repeat(x, w))
    # the expanded curve passes through every weighted point
    np.testing.assert_allclose(np.interp(p_w, p_e, L_e), L_w, atol=1e-12)


def test_lorenz_equal_values_is_the_diagonal():
    p, L = lorenz([4, 4, 4, 4])
    np.testing.assert_allclose(p, L)


# ---------------------------------------------------------------------------
# Theil decomposition
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["T", "L"])
@pytest.mark.parametrize("weighted", [False, True])
def test_decomposition_adds_up_on_random_data(kind, weighted, rng):
    for _ in range(5):
        n = 31
        x = rng.lognormal(1.0, 0.7, size=n)
        g = rng.choice(["East", "Central", "West", "Northeast"], size=n)
        w = rng.integers(100, 12000, size=n) if weighted else None
        d = theil_decomposition(x, g, w, kind=kind)
        assert d.between + d.within == pytest.approx(d.total, abs=1e-12)
        direct = (theil_t if kind == "T" else theil_l)(x, weights=w)
        assert d.total == pytest.approx(direct, abs=1e-14)
        assert d.between >= -1e-15 and d.within >= -1e-15
        assert d.groups["weight_share"].sum() == pytest.approx(1.0)
        assert d.groups["value_share"].sum() == pytest.approx(1.0)
        assert d.groups["n"].sum() == n
        assert d.between_share + d.within_share == pytest.approx(1.0)


def test_decomposition_hand_example_T_and_L():
    # a = [1, 3] (mean 2), b = [2, 6] (mean 4); overall mean 3
    # T: value shares s_a = 4/12 = 1/3, s_b = 8/12 = 2/3
    #    between = 1/3 ln(2/3) + 2/3 ln(4/3)
    #    T_a = T_b = T([1, 3]) (scale invariance), so within = T([1, 3])
    t13 = 0.5 * (0.5 * math.log(0.5) + 1.5 * math.log(1.5))
    d = theil_decomposition([1, 3, 2, 6], ["a", "a", "b", "b"])
    assert d.between == approx(math.log(2 / 3) / 3 + 2 * math.log(4 / 3) / 3)
    assert d.within == approx(t13)
    assert d.groups.loc["a", "value_share"] == approx(1 / 3)
    assert d.groups.loc["b", "mean"] == approx(4.0)
    # L: population shares 1/2 each; between = 1/2 ln(3/2) + 1/2 ln(3/4) = 1/2 ln(9/8)
    #    within = 1/2 L([1,3]) + 1/2 L([2,6]) = 1/2 ln(4/3)
    d = theil_decomposition([1, 3, 2, 6], ["a", "a", "b", "b"], kind="L")
    assert d.between == approx(0.5 * math.log(9 / 8))
    assert d.within == approx(0.5 * math.log(4 / 3))


def test_between_is_zero_when_group_means_are_equal():
    # a: [1, 3] mean 2 ; b: [2, 2] mean 2
    for kind in ("T", "L"):
        d = theil_decomposition([1, 3, 2, 2], ["a", "a", "b", "b"], kind=kind)
        assert d.between == approx(0.0)
        assert d.within == approx(d.total)
    # weighted: a = 1 (pop 1), 3 (pop 1) -> mean 2 ; b = 2 (pop 5) -> mean 2
    d = theil_decomposition([1, 3, 2], ["a", "a", "b"], weights=[1, 1, 5])
    assert d.between == approx(0.0)


def test_within_is_zero_when_groups_are_internally_equal():
    for kind in ("T", "L"):
        d = theil_decomposition([1, 1, 4, 4, 4], ["a", "a", "b", "b", "b"], kind=kind)
        assert d.within == approx(0.0)
        assert d.between == approx(d.total)
        assert (d.groups["theil"].abs() < TOL).all()


def test_decomposition_weighted_equals_expanded(rng):
    x = rng.lognormal(size=10)
    g = np.array(list("aabbbccdda"))
    w = rng.integers(1, 5, size=10)
    for kind in ("T", "L"):
        dw = theil_decomposition(x, g, w, kind=kind)
        de = theil_decomposition(np.repeat(x, w), np.repeat(g, w), kind=kind)
        assert dw.between == pytest.approx(de.between, abs=1e-12)
        assert dw.within == pytest.approx(de.within, abs=1e-12)


def test_decomposition_result_is_frozen_and_labelled():
    d = theil_decomposition(pd.Series([1.0, 2.0, 4.0]), pd.Series(["x", "y", "y"]))
    with pytest.raises(AttributeError):
        d.total = 0.0
    assert list(d.groups.index) == ["x", "y"]
    assert {"n", "weight_share", "value_share", "mean", "theil", "contribution"} <= set(d.groups)
    assert "TheilDecomposition(kind='T'" in repr(d)


# ---------------------------------------------------------------------------
# Dagum Gini decomposition and sigma convergence
# ---------------------------------------------------------------------------

def test_dagum_identity_on_random_data(rng):
    for _ in range(5):
        x = rng.lognormal(1.0, 0.5, size=31)
        g = rng.choice(["East", "Central", "West", "Northeast"], size=31)
        d = dagum_gini(x, g)
        assert d.within + d.net_between + d.transvariation == pytest.approx(d.total, abs=1e-12)
        assert d.total == pytest.approx(gini(x), abs=1e-12)
        assert ((d.pairs["D"] >= 0) & (d.pairs["D"] <= 1)).all()
        assert list(d.groups["mean"]) == sorted(d.groups["mean"])


def test_dagum_hand_example():
    # [1, 1 | 3, 3]: G = 4 pairs with |diff| 2, both orders -> 16 / (2 * 16 * 2) = 0.25
    # groups are internally equal (G_w = 0) and do not overlap (G_t = 0)
    d = dagum_gini([1, 3, 1, 3], ["a", "b", "a", "b"])
    assert d.total == approx(0.25)
    assert d.within == approx(0.0) and d.transvariation == approx(0.0)
    assert d.net_between == approx(0.25)
    assert d.pairs.loc[0, "richer"] == "b" and d.pairs.loc[0, "D"] == approx(1.0)


def test_dagum_single_group_is_all_within(rng):
    x = rng.lognormal(size=9)
    d = dagum_gini(x, ["only"] * 9)
    assert d.within == approx(gini(x))
    assert d.net_between == 0.0 and d.transvariation == 0.0


def test_sigma_convergence_hand_example():
    # 2000: [1, 3] -> CV 0.5 ; 2001: [2, 2] -> CV 0
    s = sigma_convergence(pd.Series([1, 3, 2, 2]), pd.Series([2000, 2000, 2001, 2001], name="year"))
    assert list(s.index) == [2000, 2001] and s.index.name == "year"
    np.testing.assert_allclose(s, [0.5, 0.0], atol=TOL)
    # sd of logs for [1, e^2] = 1
    s = sigma_convergence([1, math.e ** 2], [1, 1], measure="sd_log")
    assert s.iloc[0] == approx(1.0)


# ---------------------------------------------------------------------------
# Location quotient
# ---------------------------------------------------------------------------

def test_lq_hand_example():
    # A: 20 farm, 30 factory (total 50) ; B: 30, 20 ; nation: 50, 50 of 100
    # LQ_A,farm = (20/50) / (50/100) = 0.8 ; LQ_A,factory = 0.6/0.5 = 1.2
    m = pd.DataFrame({"farm": [20, 30], "factory": [30, 20]}, index=["A", "B"])
    lq = location_quotient(m)
    np.testing.assert_allclose(lq.to_numpy(), [[0.8, 1.2], [1.2, 0.8]])
    assert list(lq.index) == ["A", "B"] and list(lq.columns) == ["farm", "factory"]


def test_lq_region_mirroring_the_nation_is_one(rng):
    others = rng.integers(1, 1000, size=(5, 4)).astype(float)
    mirror = 0.3 * others.sum(axis=0)        # same sector mix as the rest, hence as the nation
    m = pd.DataFrame(np.vstack([mirror, others]), columns=list("pqrs"))
    lq = location_quotient(m)
    np.testing.assert_allclose(lq.iloc[0], 1.0, atol=1e-12)


def test_lq_weighted_average_is_one(rng):
    m = pd.DataFrame(rng.integers(0, 500, size=(31, 6)) + 1, columns=list("abcdef"))
    lq = location_quotient(m)
    region_share = m.sum(axis=1) / m.to_numpy().sum()
    # sum_i (x_i. / x..) LQ_ij = sum_i x_ij / x_.j = 1
    np.testing.assert_allclose(lq.mul(region_share, axis=0).sum(), 1.0, atol=1e-12)


def test_lq_scale_invariant():
    m = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 1.0]})
    pd.testing.assert_frame_equal(location_quotient(m * 1000), location_quotient(m))


# ---------------------------------------------------------------------------
# Min-max, entropy weights, TOPSIS
# ---------------------------------------------------------------------------

def test_minmax_range_and_reversal(rng):
    x = rng.normal(size=20)
    up, down = minmax(x), minmax(x, direction="-")
    assert up.min() == 0.0 and up.max() == 1.0
    np.testing.assert_allclose(down, 1 - up, atol=1e-15)
    assert np.argmax(up) == np.argmax(x) and np.argmax(down) == np.argmin(x)
    # hand: [2, 4, 6] -> [0, 0.5, 1]
    np.testing.assert_allclose(minmax([2, 4, 6]), [0, 0.5, 1])


def test_minmax_frame_with_directions():
    f = pd.DataFrame({"rd": [1.0, 3.0, 2.0], "energy": [1.0, 3.0, 2.0]}, index=list("XYZ"))
    out = minmax(f, {"rd": "+", "energy": "-"})
    np.testing.assert_allclose(out["rd"], [0, 1, 0.5])
    np.testing.assert_allclose(out["energy"], [1, 0, 0.5])
    assert list(out.index) == list("XYZ")
    s = minmax(pd.Series([5.0, 10.0], index=["a", "b"], name="v"))
    assert list(s.index) == ["a", "b"] and s.name == "v"


def test_minmax_constant_rule():
    np.testing.assert_allclose(minmax([3, 3, 3]), [0.5, 0.5, 0.5])
    np.testing.assert_allclose(minmax([3, 3], constant=0.0), [0.0, 0.0])
    with pytest.raises(ValueError, match="constant"):
        minmax([3, 3], constant="raise")


def test_entropy_hand_example():
    # shift = 0 (0 ln 0 = 0), n = 2, k = 1/ln 2
    # a = [0, 1]: p = [0, 1], e = 0, d = 1
    # b = [0.5, 1]: p = [1/3, 2/3], e = -(1/3 ln 1/3 + 2/3 ln 2/3)/ln 2 = 0.9182958, d = 0.0817042
    f = pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 1.0]})
    e_b = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(2)
    d_a, d_b = 1.0, 1.0 - e_b
    w = entropy_weights(f, shift=0)
    assert w["a"] == approx(d_a / (d_a + d_b))
    assert w["b"] == approx(d_b / (d_a + d_b))
    assert w["b"] == pytest.approx(0.0817042 / 1.0817042, abs=1e-7)


def test_entropy_default_shift_hand_example():
    # shift 1e-4 on a = [0, 1]: p = [1e-4, 1.0001] / 1.0002 ; b constant -> weight 0
    f = pd.DataFrame({"a": [0.0, 1.0], "b": [0.2, 0.2]})
    w = entropy_weights(f)
    assert w["b"] == 0.0 and w["a"] == approx(1.0)
    # with two informative columns the shift enters e_j
    f = pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 1.0]})
    s = 1e-4

    def d(col):
        z = np.array(col) + s
        p = z / z.sum()
        return 1 + np.sum(p * np.log(p)) / math.log(2)

    w = entropy_weights(f)
    assert w["a"] == approx(d([0, 1]) / (d([0, 1]) + d([0.5, 1])))


def test_entropy_identical_columns_equal_and_sum_to_one(rng):
    x = rng.uniform(size=31)
    f = pd.DataFrame({"a": x, "b": x, "c": rng.uniform(size=31)})
    f = minmax(f)
    w = entropy_weights(f)
    assert w.sum() == approx(1.0)
    assert w["a"] == w["b"]
    assert (w >= 0).all()
    assert list(w.index) == ["a", "b", "c"] and w.name == "weight"


def test_entropy_rewards_dispersion():
    # a is concentrated in one unit, b is spread evenly apart from one low unit
    f = pd.DataFrame({"a": [0, 0, 0, 0, 1.0], "b": [0, 1, 1, 1, 1.0]})
    w = entropy_weights(f, shift=0)
    assert w["a"] > w["b"]


def test_topsis_hand_example():
    # rows X = (1, 0), Y = (0, 1); column norms 1 ; weights 0.75, 0.25
    # v_X = (0.75, 0), v_Y = (0, 0.25); ideal (0.75, 0.25); anti-ideal (0, 0)
    # X: D+ = 0.25, D- = 0.75 -> 0.75 ; Y: D+ = 0.75, D- = 0.25 -> 0.25
    f = pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]}, index=["X", "Y"])
    c = topsis(f, [0.75, 0.25])
    np.testing.assert_allclose(c, [0.75, 0.25])
    assert list(c.index) == ["X", "Y"] and c.name == "closeness"
    # weights inside the root: X: D+ = sqrt(0.25) = 0.5, D- = sqrt(0.75)
    c = topsis(f, [0.75, 0.25], weighting="distance")
    assert c["X"] == approx(math.sqrt(0.75) / (0.5 + math.sqrt(0.75)))
    # single column [1, 2, 3]: the middle one is equally far from both ends
    c = topsis(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), [1])
    np.testing.assert_allclose(c, [0, 0.5, 1], atol=1e-12)


def test_topsis_ideal_anti_ideal_and_dominance(rng):
    base = rng.uniform(1, 10, size=(8, 4))
    ideal = base.max(axis=0)
    anti = base.min(axis=0)
    dominated = base[0] - 0.5 * (base[0] - anti)   # between row 0 and the anti-ideal
    assert (dominated < base[0]).any()              # strictly worse somewhere, never better
    f = pd.DataFrame(np.vstack([base, ideal, anti, dominated]), columns=list("abcd"))
    w = [0.1, 0.2, 0.3, 0.4]
    c = topsis(f, w)
    assert c.iloc[8] == approx(1.0)
    assert c.iloc[9] == approx(0.0)
    assert c.iloc[10] < c.iloc[0]
    assert ((c >= 0) & (c <= 1)).all()


def test_topsis_cost_direction_and_weight_scale(rng):
    f = pd.DataFrame(rng.uniform(1, 5, size=(6, 3)), columns=["x", "y", "z"])
    w = pd.Series({"z": 2.0, "x": 1.0, "y": 1.0})       # matched by name
    c = topsis(f, w)
    # reversing every direction swaps ideal and anti-ideal: C -> 1 - C
    c_rev = topsis(f, w, directions="-")
    np.testing.assert_allclose(c_rev, 1 - c, atol=1e-12)
    # only proportions of the weights matter
    np.testing.assert_allclose(topsis(f, w * 100), c, atol=1e-12)
    # weights inside the root = matrix weighting with sqrt(w)
    np.testing.assert_allclose(
        topsis(f, w, weighting="distance"), topsis(f, np.sqrt(w)), atol=1e-12
    )


def test_topsis_on_minmax_data_without_renormalising():
    # weights 1/2 each: v = (0, 0), (0.5, 0), (0.5, 0.5); ideal (0.5, 0.5), anti (0, 0)
    # middle row: D+ = 0.5, D- = 0.5 -> 0.5
    f = pd.DataFrame({"a": [0.0, 1.0, 1.0], "b": [0.0, 0.0, 1.0]})
    c = topsis(f, [1, 1], normalization="none")
    np.testing.assert_allclose(c, [0.0, 0.5, 1.0], atol=1e-12)


def test_topsis_identical_alternatives_get_half():
    f = pd.DataFrame({"a": [2.0, 2.0], "b": [1.0, 1.0]})
    np.testing.assert_allclose(topsis(f, [1, 1]), [0.5, 0.5])


# ---------------------------------------------------------------------------
# Inputs: NaN, pandas alignment, purity
# ---------------------------------------------------------------------------

def test_dropna_drops_only_when_asked():
    x = [1.0, 3.0, float("nan")]
    with pytest.raises(ValueError, match=r"values has 1 missing value \(NaN\) at position \[2\]"):
        gini(x)
    assert gini(x, dropna=True) == approx(0.25)
    assert cv([1, 3, 5], weights=[1, 1, np.nan], dropna=True) == approx(0.5)
    d = theil_decomposition([1, 3, 2, 6, 9], ["a", "a", "b", "b", None], dropna=True)
    assert d.groups["n"].sum() == 4


def test_pandas_nullable_and_series_inputs():
    s = pd.Series([1, 3], dtype="Int64")
    assert gini(s) == approx(0.25)
    with pytest.raises(ValueError, match="missing value"):
        gini(pd.Series([1, None, 3], dtype="Float64"))


def test_inputs_are_not_modified():
    x = pd.Series([3.0, 1.0, 2.0])
    f = pd.DataFrame({"a": [3.0, 1.0], "b": [1.0, 2.0]})
    x0, f0 = x.copy(), f.copy()
    gini(x), lorenz(x), theil_decomposition(x, ["a", "b", "a"]), minmax(x)
    location_quotient(f), minmax(f), topsis(f, [1, 1]), entropy_weights(minmax(f))
    pd.testing.assert_series_equal(x, x0)
    pd.testing.assert_frame_equal(f, f0)


# ---------------------------------------------------------------------------
# Error messages: one line, says what is wrong
# ---------------------------------------------------------------------------

ERRORS = [
    (lambda: gini([]), r"gini: values is empty"),
    (lambda: cv([1, 2], weights=[1]), r"values has 2 entries but weights has 1"),
    (lambda: theil_t([1, 2], weights=[-1, 2]), r"weights must be non-negative"),
    (lambda: theil_l([1, 2], weights=[0, 0]), r"weights are all zero"),
    (lambda: gini([-1, 3]), r"values must be non-negative"),
    (lambda: gini([0, 0]), r"needs a positive mean"),
    (lambda: cv(["a", "b"]), r"must be numeric"),
    (lambda: cv(pd.Series(["1", "2"])), r"must be numeric"),
    (lambda: cv(5), r"single int"),
    (lambda: cv([1, np.inf]), r"infinite"),
    (lambda: cv(pd.DataFrame({"a": [1], "b": [2]})), r"not a DataFrame"),
    (lambda: gini(pd.Series([1.0, 2.0], index=[0, 1]), pd.Series([1.0, 1.0], index=[5, 6])),
     r"different indexes"),
    (lambda: lorenz([0, 0]), r"positive mean"),
    (lambda: theil_l([0, 1]), r"values must be > 0"),
    (lambda: theil_decomposition([1, 2], ["a"]), r"values has 2 entries but groups has 1"),
    (lambda: theil_decomposition([1, 2], ["a", "b"], kind="X"), r"kind must be 'T' or 'L'"),
    (lambda: theil_decomposition([1, 2, 3], ["a", "b", "b"], weights=[0, 1, 1]),
     r"group 'a' has zero total weight"),
    (lambda: share([1, 2], 0), r"total is zero"),
    (lambda: share([1, np.nan]), r"part has 1 missing value"),
    (lambda: share([1, 2, 3], [4, 5]), r"part has 3 entries but total has 2"),
    (lambda: growth_rate([0, 1, 2]), r"base value is 0"),
    (lambda: growth_rate([1, 2], periods=2), r"too few for periods=2"),
    (lambda: growth_rate([1, 2], periods=0), r"periods must be a positive whole number"),
    (lambda: log_growth([1, -2]), r"values must be > 0"),
    (lambda: cagr(0, 121, 2), r"start and end values must be > 0"),
    (lambda: cagr(100, 121, 0), r"years must be > 0"),
    (lambda: cagr(100, float("nan"), 2), r"end is missing"),
    (lambda: location_quotient(pd.DataFrame({"name": ["a", "b"], "x": [1, 2]})),
     r"column 'name' of matrix is not numeric.*set_index"),
    (lambda: location_quotient(pd.DataFrame({"x": [1, 0], "y": [1, 0]}, index=["A", "Z"])),
     r"region 'Z' has a zero total"),
    (lambda: location_quotient(pd.DataFrame({"x": [1, 2], "y": [0, 0]})), r"sector 'y' has a zero total"),
    (lambda: location_quotient(pd.DataFrame({"x": [1, -2]})), r"non-negative"),
    (lambda: location_quotient(pd.DataFrame({"x": [1, np.nan]}, index=["A", "B"])),
     r"column 'x' of matrix has missing values \(NaN\) in rows \['B'\]"),
    (lambda: minmax([1, 2], direction="up"), r"must be '\+' \(more is better\) or '-'"),
    (lambda: minmax(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), {"a": "+"}),
     r"no entry for columns \['b'\]"),
    (lambda: minmax(pd.DataFrame({"a": [1, 2]}), {"a": "+", "zz": "-"}), r"unknown columns \['zz'\]"),
    (lambda: minmax([1, np.nan]), r"missing value"),
    (lambda: entropy_weights(pd.DataFrame({"a": [0, 5]})), r"values must lie in \[0, 1\]"),
    (lambda: entropy_weights(pd.DataFrame({"a": [0.5]})), r"at least two rows"),
    (lambda: entropy_weights(pd.DataFrame({"a": [0.5, 0.5]})), r"every column is constant"),
    (lambda: topsis(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), [1]),
     r"frame has 2 columns but weights has 1 entries"),
    (lambda: topsis(pd.DataFrame({"a": [1, 2]}), [0]), r"weights are all zero"),
    (lambda: topsis(pd.DataFrame({"a": [1, -2]}), [1]), r"non-negative.*minmax"),
    (lambda: topsis(pd.DataFrame({"a": [1, 2]}), {"b": 1}), r"unknown columns \['b'\]"),
    (lambda: topsis(pd.DataFrame({"a": [1, 2]}), [1], normalization="max"), r"normalization must be"),
    (lambda: dagum_gini([1, 2], ["a", None]), r"groups has 1 missing value"),
    (lambda: sigma_convergence([1, 2], [1, 1], measure="var"), r"measure must be one of"),
    (lambda: entropy_weights(pd.DataFrame({"a": [0.0, 1.0]}), shift=-1), r"shift must be a number >= 0"),
    (lambda: minmax([1, 2], constant=2), r"constant must be a number in \[0, 1\]"),
]


@pytest.mark.parametrize("call, message", ERRORS, ids=[m for _, m in ERRORS])
def test_error_messages_are_clear(call, message):
    with pytest.raises(ValueError, match=message) as info:
        call()
    text = str(info.value)
    assert "\n" not in text                      # one line
    assert len(text) < 220                       # short enough to read
    assert ":" in text.split(" ")[0]             # starts with the function name


# ---------------------------------------------------------------------------
# Concentration: hhi and top_share (lesson 24)
# ---------------------------------------------------------------------------

def test_hhi_bounds_and_hand_values():
    from course.measures import hhi
    # n equal units: each share 1/n, sum of n * (1/n)^2 = 1/n
    for n in (1, 2, 7, 31):
        assert hhi([3.0] * n) == approx(1 / n)
    assert hhi([9, 0, 0, 0]) == approx(1.0)                 # one unit has everything
    # shares 0.6, 0.3, 0.1: 0.36 + 0.09 + 0.01 = 0.46
    assert hhi([60, 30, 10]) == approx(0.46)
    assert hhi(pd.Series([6, 3, 1]) * 1000) == approx(0.46)  # units do not matter


def test_hhi_missing_values_are_refused_or_left_out():
    from course.measures import hhi
    with pytest.raises(ValueError, match="NaN"):
        hhi([1.0, np.nan, 1.0])
    assert hhi([1.0, np.nan, 1.0], dropna=True) == approx(0.5)
    with pytest.raises(ValueError, match="non-negative"):
        hhi([1.0, -1.0])
    with pytest.raises(ValueError, match="positive total"):
        hhi([0.0, 0.0])


def test_top_share_hand_values():
    from course.measures import top_share
    # sorted 40, 30, 20, 10 of 100: top 1 = 0.4, top 3 = 0.9, top 9 = all
    assert top_share([10, 40, 20, 30], k=1) == approx(0.4)
    assert top_share([10, 40, 20, 30], k=3) == approx(0.9)
    with pytest.raises(ValueError, match="between 1 and"):
        top_share([10, 40, 20, 30], k=9)          # more units asked for than there are
    assert top_share([5.0] * 10, k=5) == approx(0.5)          # equal units: k/n
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="k must be"):
            top_share([1, 2], k=bad)


# ---------------------------------------------------------------------------
# rank_reversals and gap_contributions (lessons 33 and 34)
# ---------------------------------------------------------------------------

def test_rank_reversals_zero_for_the_same_order_and_any_increasing_transform():
    a = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert measures.rank_reversals(a, a) == 0
    # only the order matters: exp and a positive affine map keep it
    assert measures.rank_reversals(a, np.exp(a)) == 0
    assert measures.rank_reversals(a, [3 * v + 7 for v in a]) == 0


def test_rank_reversals_all_pairs_for_the_opposite_order():
    n = 6
    a = list(range(n))
    assert measures.rank_reversals(a, a[::-1]) == n * (n - 1) // 2


def test_rank_reversals_by_hand_and_kendall_tau():
    # a orders A<B<C<D; b orders B<A<D<C: the pairs (A,B) and (C,D) flip, the other four agree
    a = pd.Series([1, 2, 3, 4], index=list("ABCD"))
    b = pd.Series([2, 1, 4, 3], index=list("ABCD"))
    d = measures.rank_reversals(a, b)
    assert d == 2
    # Kendall's tau-a without ties: (concordant - discordant) / pairs = (4 - 2) / 6
    n = 4
    assert 1 - 4 * d / (n * (n - 1)) == pytest.approx((4 - 2) / 6)


def test_rank_reversals_ties_are_not_reversals_and_missing_values():
    # pairs: (1st, 2nd) tied under a, (2nd, 3rd) tied under b, (1st, 3rd) agree -> 0
    assert measures.rank_reversals([1, 1, 2], [1, 2, 2]) == 0
    # pairs: (1st, 2nd) tied under a, (2nd, 3rd) tied under b, (1st, 3rd) flip -> 1
    assert measures.rank_reversals([1, 1, 2], [2, 1, 1]) == 1
    with pytest.raises(ValueError, match="missing"):
        measures.rank_reversals([1, np.nan, 3], [3, 2, 1])
    assert measures.rank_reversals([1, np.nan, 3], [3, 2, 1], dropna=True) == 1
    with pytest.raises(ValueError, match="different indexes"):
        measures.rank_reversals(pd.Series([1, 2], index=["a", "b"]), pd.Series([1, 2], index=["b", "a"]))
    with pytest.raises(ValueError, match="match one to one"):
        measures.rank_reversals([1, 2, 3], [1, 2])


def test_gap_contributions_sum_to_the_relative_shortfall():
    w = {"breadth": 0.54, "depth": 0.30, "digit": 0.16}
    lead = {"breadth": 400.0, "depth": 380.0, "digit": 450.0}
    lag = {"breadth": 350.0, "depth": 300.0, "digit": 460.0}
    c = measures.gap_contributions(lead, lag, w)
    # by hand: I_lead = 216 + 114 + 72 = 402; I_lag = 189 + 90 + 73.6 = 352.6
    assert c.sum() == pytest.approx(1 - 352.6 / 402)
    assert c["breadth"] == pytest.approx(0.54 * 50 / 402)
    assert c["digit"] < 0                      # the laggard is ahead on this component
    assert list(c.index) == ["breadth", "depth", "digit"]


def test_gap_contributions_zero_when_level_and_weights_only_proportions_matter():
    same = {"a": 10.0, "b": 20.0}
    assert measures.gap_contributions(same, same, {"a": 1, "b": 3}).tolist() == [0.0, 0.0]
    c1 = measures.gap_contributions([10, 20], [5, 20], [1, 3])
    c2 = measures.gap_contributions([10, 20], [5, 20], [2, 6])
    assert c1.tolist() == pytest.approx(c2.tolist())


def test_gap_contributions_refuses_bad_input():
    with pytest.raises(ValueError, match="same components"):
        measures.gap_contributions({"a": 1, "b": 2}, {"b": 1, "a": 2}, {"a": 1, "b": 1})
    with pytest.raises(ValueError, match="non-negative"):
        measures.gap_contributions([1, 2], [1, 1], [1, -1])
    with pytest.raises(ValueError, match="positive"):
        measures.gap_contributions([0, 0], [0, 0], [1, 1])
    with pytest.raises(ValueError, match="missing"):
        measures.gap_contributions([1, np.nan], [1, 1], [1, 1])
