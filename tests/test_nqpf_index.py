"""The capstone's NQPF index (lesson 40): expectations from theory and hand computation.

* Normalisation: the best province gets 1 and the worst 0 whatever the direction; rank
  normalisation is ``(rank - 1)/(n - 1)``; a missing value stays missing.
* Entropy weights sum to 1, give a constant column 0, equal ``course.measures.entropy_weights`` on
  complete data and the hand formula over the present values when a column has a gap.
* TOPSIS closeness lies in [0, 1], is 1 at the ideal and 0 at the anti-ideal, equals
  ``course.measures.topsis(..., normalization="none")`` (and pymcdm's default TOPSIS) on complete
  data, and follows the documented skip-and-rescale rule with a gap (hand computation).
* The decomposition's parts add up to the squared distances, and the closeness rebuilt from them is
  the closeness; the obstacle degrees of a province add up to 1.
* Dominance (a theorem): a province at least as good as another on every indicator never ranks
  below it, under any weights: checked for every Monte-Carlo draw on random tables and on the data.
* The Monte-Carlo is seeded (same seed, same draws), its draws have the Dirichlet mean and standard
  deviation the docstring states, and the ranks at equal weights are among the sampled ranks when
  equal weights are inside the sampled support.
* Indicators are recomputed from the raw tables by a second route; the widget is driven through its
  controls and its edge notes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import course
from course import measures, structure
from course import nqpf_index as ni
from course.widgets import EdgeCase

NAT = 100000


def tiny():
    raw = pd.DataFrame({"a": [3.0, 2.0, 1.0], "b": [30.0, 10.0, 20.0]}, index=["P", "Q", "R"])
    return raw, {"a": "+", "b": "-"}


def random_table(seed, n=12, m=5, missing=0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.gamma(2.0, 1.0, size=(n, m)), columns=[f"c{j}" for j in range(m)])
    if missing:
        for _ in range(missing):
            x.iat[int(rng.integers(n)), int(rng.integers(m))] = np.nan
    return x


def hand_topsis(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Hwang-Yoon TOPSIS on a complete 0-1 matrix, written out with loops."""
    n, m = x.shape
    out = []
    for i in range(n):
        dp = math.sqrt(sum((w[j] * (x[i, j] - x[:, j].max())) ** 2 for j in range(m)))
        dm = math.sqrt(sum((w[j] * (x[i, j] - x[:, j].min())) ** 2 for j in range(m)))
        out.append(0.5 if dp + dm == 0 else dm / (dp + dm))
    return np.array(out)


# ------------------------------------------------------------------------------ normalisation
def test_minmax_best_gets_one_whatever_the_direction():
    raw, d = tiny()
    norm = ni.normalise(raw, d)
    assert norm["a"].tolist() == [1.0, 0.5, 0.0]
    assert norm["b"].tolist() == [0.0, 1.0, 0.5]          # 10 is best for a cost indicator


def test_rank_normalisation_is_rank_minus_one_over_n_minus_one():
    raw = pd.DataFrame({"a": [5.0, 1.0, 3.0, 3.0], "b": [1.0, 2.0, 3.0, 4.0]})
    norm = ni.normalise(raw, {"a": "+", "b": "-"}, "rank")
    assert norm["a"].tolist() == [1.0, 0.0, 0.5, 0.5]      # ties share the average rank 2.5 -> 1.5/3
    assert norm["b"].tolist() == [1.0, 2 / 3, 1 / 3, 0.0]


def test_missing_stays_missing_and_bounds_come_from_present_values():
    raw = pd.DataFrame({"a": [10.0, np.nan, 30.0, 20.0]})
    for method in ("minmax", "rank"):
        norm = ni.normalise(raw, {"a": "+"}, method)
        assert np.isnan(norm.iat[1, 0]) and norm.iat[0, 0] == 0.0 and norm.iat[2, 0] == 1.0 and norm.iat[3, 0] == 0.5


def test_constant_column_is_one_half_and_too_few_values_explain_themselves():
    norm = ni.normalise(pd.DataFrame({"a": [2.0, 2.0, 2.0], "b": [1.0, 2.0, 3.0]}), {"a": "+", "b": "+"})
    assert norm["a"].tolist() == [0.5, 0.5, 0.5]
    with pytest.raises(EdgeCase, match="fewer than two"):
        ni.normalise(pd.DataFrame({"a": [1.0, np.nan, np.nan]}), {"a": "+"})
    with pytest.raises(ValueError, match="direction"):
        ni.normalise(pd.DataFrame({"a": [1.0, 2.0]}), {"a": "up"})


# ------------------------------------------------------------------------------ weights
def test_entropy_weights_sum_to_one_and_equal_the_course_measure_on_complete_data():
    for seed in range(20):
        norm = ni.normalise(random_table(seed), {f"c{j}": "+" for j in range(5)})
        w = ni.weights(norm)
        assert abs(w.sum() - 1) < 1e-12 and (w >= 0).all()
        assert np.allclose(w, measures.entropy_weights(norm), atol=1e-12, rtol=0)


def test_entropy_weight_of_a_column_with_a_gap_uses_the_present_values_only():
    norm = pd.DataFrame({"a": [0.0, 0.5, 1.0, np.nan], "b": [0.0, 1.0, 0.25, 0.75]})
    shift = 1e-4

    def d(values):                                   # 1 - e_j, written out
        z = np.array(values) + shift
        p = z / z.sum()
        return 1 + (p * np.log(p)).sum() / math.log(len(values))

    da, db = d([0.0, 0.5, 1.0]), d([0.0, 1.0, 0.25, 0.75])
    w = ni.weights(norm)
    assert w["a"] == pytest.approx(da / (da + db), abs=1e-12) and w["b"] == pytest.approx(db / (da + db), abs=1e-12)


def test_a_constant_column_gets_no_entropy_weight_and_equal_schemes_are_equal():
    norm = pd.DataFrame({"a": [0.0, 1.0, 0.5], "b": [0.5, 0.5, 0.5]})
    assert ni.weights(norm).tolist() == [1.0, 0.0]
    with pytest.raises(EdgeCase, match="same value"):
        ni.weights(pd.DataFrame({"b": [0.5, 0.5, 0.5]}))
    keys = ["rd_personnel_per_10k", "students_per_10k", "rd_intensity_pct", "hightech_revenue_pct_grp"]
    norm = pd.DataFrame(np.full((3, 4), 0.5), columns=keys)
    assert ni.weights(norm, "equal").tolist() == [0.25] * 4
    # three elements: workers has two indicators, means one, objects one -> 1/6, 1/6, 1/3, 1/3
    assert np.allclose(ni.weights(norm, "equal_dimensions"), [1 / 6, 1 / 6, 1 / 3, 1 / 3])
    # five themes: talent (two), innovation (one), industry (one) -> 1/6, 1/6, 1/3, 1/3 as well
    assert np.allclose(ni.weights(norm, "equal_dimensions", "themes"), [1 / 6, 1 / 6, 1 / 3, 1 / 3])


# ------------------------------------------------------------------------------ TOPSIS
def test_closeness_by_hand_on_the_tiny_table():
    raw, d = tiny()
    c = ni.closeness(ni.normalise(raw, d), [0.5, 0.5])
    # P (1, 0): D+ = 0.5, D- = 0.5; Q (0.5, 1): D+ = 0.25, D- = sqrt(0.25^2 + 0.5^2); R mirrors Q
    dq = math.sqrt(0.25 ** 2 + 0.5 ** 2)
    assert c.tolist() == pytest.approx([0.5, dq / (dq + 0.25), 0.25 / (dq + 0.25)], abs=1e-12)


def test_closeness_is_in_0_1_and_hits_both_ends():
    for seed in range(30):
        raw = random_table(seed, missing=seed % 4)
        norm = ni.normalise(raw, {c: "+" for c in raw})
        w = np.random.default_rng(seed).dirichlet(np.ones(raw.shape[1]))
        c = ni.closeness(norm, w)
        assert ((c >= 0) & (c <= 1)).all()
    ideal = pd.DataFrame({"a": [1.0, 0.0, 0.3], "b": [1.0, 0.0, 0.6]})
    assert ni.closeness(ideal, [0.3, 0.7]).tolist()[:2] == [1.0, 0.0]


def test_closeness_equals_the_course_topsis_and_a_loop_on_complete_data():
    for seed in range(15):
        raw = random_table(seed)
        norm = ni.normalise(raw, {c: "+" for c in raw})
        w = np.random.default_rng(100 + seed).dirichlet(np.ones(5))
        ours = ni.closeness(norm, w).to_numpy()
        assert np.allclose(ours, measures.topsis(norm, w, normalization="none"), atol=1e-12)
        assert np.allclose(ours, hand_topsis(norm.to_numpy(), w), atol=1e-12)


def test_entropy_topsis_agrees_with_pymcdm_default():
    pytest.importorskip("pymcdm")
    from pymcdm.methods import TOPSIS
    from pymcdm.weights import entropy_weights as pymcdm_entropy

    raw = ni.indicator_table([k for k in ni.DEFAULT_INDICATORS if k != "energy_intensity_change_pct"]
                             + ["energy_intensity_change_pct"]).drop(index=540000)   # complete rows
    types = np.array([1 if ni.CATALOGUE[k].direction == "+" else -1 for k in raw.columns])
    norm = ni.normalise(raw)
    w = pymcdm_entropy(norm.to_numpy() + 1e-4)
    assert np.allclose(ni.weights(norm), w, atol=1e-10)
    assert np.allclose(ni.closeness(norm, w), TOPSIS()(raw.to_numpy(), w, types), atol=1e-10)


def test_a_gap_is_skipped_and_the_weights_rescaled():
    norm = pd.DataFrame({"a": [1.0, 0.0, 0.5], "b": [0.0, 1.0, np.nan], "c": [0.2, 1.0, 0.0]})
    w = np.array([0.5, 0.3, 0.2])
    c = ni.closeness(norm, w)
    # province 3 has a and c only: weights 0.5/0.7 and 0.2/0.7; ideal (1, ., 1), anti (0, ., 0)
    wa, wc = 0.5 / 0.7, 0.2 / 0.7
    dp = math.sqrt((wa * 0.5) ** 2 + (wc * 1.0) ** 2)
    dm = math.sqrt((wa * 0.5) ** 2 + 0.0)
    assert c.iloc[2] == pytest.approx(dm / (dp + dm), abs=1e-12)
    # provinces with every value: the ordinary formula
    # row 1 (1, 0, 0.2): D+ = sqrt(0.3^2 + (0.2 x 0.8)^2), D- = sqrt(0.5^2 + (0.2 x 0.2)^2);
    # row 2 (0, 1, 1): D+ = 0.5, D- = sqrt(0.3^2 + 0.2^2)
    dp1, dm1 = math.sqrt(0.3 ** 2 + 0.16 ** 2), math.sqrt(0.5 ** 2 + 0.04 ** 2)
    dm2 = math.sqrt(0.3 ** 2 + 0.2 ** 2)
    assert c.iloc[:2].tolist() == pytest.approx([dm1 / (dp1 + dm1), dm2 / (0.5 + dm2)], abs=1e-12)
    assert np.isnan(ni.closeness(pd.DataFrame({"a": [1.0, 0.0, np.nan]}), [1.0]).iloc[2])


def test_a_single_indicator_dimension_scores_its_normalised_value():
    raw = ni.indicator_table(["rd_intensity_pct", "tech_market_pct_grp", "energy_intensity_change_pct"])
    norm = ni.normalise(raw)
    dims = ni.dimension_scores(norm, ni.weights(norm), "themes")
    assert set(dims.columns) == {"innovation", "green"}
    pd.testing.assert_series_equal(dims["green"], norm["energy_intensity_change_pct"], check_names=False)


# ------------------------------------------------------------------------------ decomposition
def test_decomposition_parts_add_up_and_rebuild_the_closeness():
    raw = ni.indicator_table()
    norm = ni.normalise(raw)
    for method in ni.WEIGHTINGS:
        w = ni.weights(norm, method)
        dec = ni.decompose(norm, w)
        c = ni.closeness(norm, w)
        x, wv = norm.to_numpy(), w.to_numpy()
        present = ~np.isnan(x)
        wr = wv * present / (wv * present).sum(axis=1, keepdims=True)
        dplus2 = np.nansum((wr * (x - np.nanmax(x, axis=0))) ** 2, axis=1)
        dminus2 = np.nansum((wr * (x - np.nanmin(x, axis=0))) ** 2, axis=1)
        assert np.allclose(dec.plus.sum(axis=1), dplus2, atol=1e-14)
        assert np.allclose(dec.minus.sum(axis=1), dminus2, atol=1e-14)
        assert np.allclose(dec.closeness, c, atol=1e-12)
        assert np.allclose(dec.gap_share.sum(axis=1), 1) and np.allclose(dec.lift_share.sum(axis=1), 1)
        assert list(dec.plus.columns) == list(ni.ELEMENTS)


def test_obstacle_degree_by_hand():
    norm = pd.DataFrame({"a": [1.0, 0.0], "b": [0.5, 1.0]})
    od = ni.obstacle_degree(norm, [0.25, 0.75], frame=None)
    # row 1: gaps 0.25*0 and 0.75*0.5 -> all of it on b; row 2: 0.25*1 and 0 -> all on a
    assert od.to_numpy().tolist() == [[0.0, 1.0], [1.0, 0.0]]
    norm = ni.normalise(ni.indicator_table())
    od = ni.obstacle_degree(norm, ni.weights(norm))
    assert np.allclose(od.sum(axis=1), 1)


# ------------------------------------------------------------------------------ dominance
def test_a_dominated_province_never_outranks_its_dominator_under_any_weights():
    rng = np.random.default_rng(7)
    checked = 0
    for seed in range(25):
        x = pd.DataFrame(rng.random((10, 4)))
        x.iloc[1] = x.iloc[0] * rng.uniform(0.3, 1.0, 4)          # row 1 is dominated by row 0
        norm = ni.normalise(x, {c: "+" for c in x})
        pairs = ni.dominated_pairs(norm)
        assert (0, 1) in pairs
        mc = ni.monte_carlo_ranks(norm, np.ones(4), n_draws=300, spread="any", seed=seed).to_numpy()
        for a, b in pairs:
            assert (mc[:, b] >= mc[:, a]).all()
            checked += 1
    assert checked > 25


def test_dominance_holds_on_the_course_data_for_every_draw():
    norm = ni.normalise(ni.indicator_table())
    pairs = ni.dominated_pairs(norm)
    assert len(pairs) >= 10                                          # the test is not vacuous
    assert all(ni.dominates(norm.loc[a], norm.loc[b]) for a, b in pairs)
    codes = list(norm.index)
    for spread in ("moderate", "any"):
        mc = ni.monte_carlo_ranks(norm, ni.weights(norm), n_draws=500, spread=spread, seed=3)
        for a, b in pairs:
            assert (mc[b] >= mc[a]).all(), (a, b)
    assert not ni.dominates([1.0, np.nan], [0.0, 0.0]) and not ni.dominates([1, 1], [1, 1])
    assert 540000 not in {c for p in pairs for c in p} and set(codes) >= {c for p in pairs for c in p}


# ------------------------------------------------------------------------------ Monte-Carlo
def test_monte_carlo_is_seeded_and_deterministic():
    norm = ni.normalise(ni.indicator_table())
    w = ni.weights(norm)
    a = ni.monte_carlo_ranks(norm, w, n_draws=200, seed=11)
    b = ni.monte_carlo_ranks(norm, w, n_draws=200, seed=11)
    c = ni.monte_carlo_ranks(norm, w, n_draws=200, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert np.array_equal(ni.sample_weights(w, 50, seed=4), ni.sample_weights(w, 50, seed=4))


def test_dirichlet_draws_have_the_stated_mean_and_spread():
    w = np.array([0.5, 0.3, 0.15, 0.05])
    n = 20000
    for spread, kappa in (("tight", 200.0), ("moderate", 50.0)):
        d = ni.sample_weights(w, n, spread, seed=1)
        assert np.allclose(d.sum(axis=1), 1)
        sd = np.sqrt(w * (1 - w) / (kappa + 1))
        assert np.all(np.abs(d.mean(axis=0) - w) < 5 * sd / math.sqrt(n))
        assert np.allclose(d.std(axis=0), sd, rtol=0.05)
    flat = ni.sample_weights(w, n, "any", seed=1)                   # uniform: every mean 1/m
    assert np.all(np.abs(flat.mean(axis=0) - 0.25) < 0.01)
    zero = ni.sample_weights(np.array([0.0, 1.0, 1.0]), 10, "moderate")
    assert (zero[:, 0] == 0).all()


def test_ranks_at_equal_weights_are_among_the_sampled_ranks_when_equal_weights_are_in_the_support():
    norm = ni.normalise(ni.indicator_table())
    m = norm.shape[1]
    at_equal = ni.ranks(ni.closeness(norm, np.ones(m) / m))
    for spread, centre in (("any", ni.weights(norm)), ("moderate", np.ones(m) / m)):
        mc = ni.monte_carlo_ranks(norm, centre, n_draws=1000, spread=spread, seed=0)
        for code in norm.index:
            assert at_equal[code] in set(mc[code]), (spread, code)
    # a tight band around entropy weights need not contain them: the statement is about the support
    bands = ni.rank_bands(ni.monte_carlo_ranks(norm, ni.weights(norm), 1000, "tight", 0), at=at_equal)
    assert bands["in_band"].dtype == bool


def test_rank_bands_by_hand():
    mc = pd.DataFrame({"A": [1.0] * 19 + [2.0], "B": [2.0] * 10 + [1.0] * 10, "C": [np.nan] * 20})
    b = ni.rank_bands(mc, at=pd.Series({"A": 1, "B": 2, "C": np.nan}))
    assert b.loc["A", ["median", "low", "high", "best", "worst"]].tolist() == [1, 1, 1, 1, 2]
    assert b.loc["B", ["median", "low", "high", "width"]].tolist() == [1, 1, 2, 1]   # 10 of 20 at 1
    assert np.isnan(b.loc["C", "median"]) and not b.loc["C", "in_band"]


# ------------------------------------------------------------------------------ data
def test_indicators_recomputed_from_the_raw_tables():
    t = ni.indicator_table(list(ni.CATALOGUE), 2023)
    pop = course.load("province_population").set_index(["province_code", "year"])["resident_population_10k"]
    pers = course.load("province_rd_personnel").set_index(["province_code", "year"])
    assert t.at[110000, "rd_personnel_per_10k"] == pytest.approx(
        pers.at[(110000, 2023), "rd_personnel_fte_manyears"] / pop[(110000, 2023)])
    prof = course.load("province_profile_2023").set_index("province_code")
    # R&D intensity restated = bulletin for 2023; high-tech and tech market over pre-revision GRP
    assert np.allclose(t["rd_intensity_pct"], prof["rd_intensity_pct"].reindex(t.index))
    assert np.allclose(t["hightech_revenue_pct_grp"],
                       prof["hightech_revenue_100m_yuan"] / prof["gdp_100m_yuan_pre_revision"] * 100)
    assert np.allclose(t["tech_market_pct_grp"],
                       prof["tech_market_turnover_100m_yuan"] / prof["gdp_100m_yuan_pre_revision"] * 100)
    emp = course.load("province_employment_by_sector_2024").set_index(["province_code", "sector_code_gbt4754"])["employment_10k"]
    assert t.at[440000, "knowledge_jobs_pct"] == pytest.approx(
        100 * (emp[(440000, "I")] + emp[(440000, "M")]) / emp[(440000, "TOTAL")])
    net = course.load("province_internet").set_index(["province_code", "year"])
    assert t.at[520000, "broadband_per_100"] == pytest.approx(
        100 * net.at[(520000, 2019), "broadband_ports_10k_units"] / pop[(520000, 2019)])      # 2019: table ends
    assert np.isnan(t.at[540000, "energy_intensity_change_pct"]) and t.isna().sum().sum() == 1
    assert ni.data_years(None, 2023)["students_per_10k"] == 2019
    assert ni.data_years(["knowledge_jobs_pct", "energy_intensity_change_pct"], 2018) == {
        "knowledge_jobs_pct": 2024, "energy_intensity_change_pct": 2020}


def test_the_two_traps_change_the_inputs():
    first = ni.indicator_table(["rd_intensity_pct"], 2018, rd_series="first_published")["rd_intensity_pct"]
    restated = ni.indicator_table(["rd_intensity_pct"], 2018)["rd_intensity_pct"]
    assert (first - restated).abs().max() > 0.5           # trap 2: the 2018 bulletin's GRP, before the 2019 revision
    prof = course.load("province_rd_first_published")
    rd = prof[prof["year"] == 2023].set_index("province_code")["rd_expenditure_100m_yuan"]
    gdp = course.load("province_gdp")
    post = gdp[(gdp["year"] == 2023) & (gdp["vintage"] == ni.POST)].set_index("province_code")["gdp_100m_yuan"]
    computed = ni.indicator_table(["rd_intensity_pct"], 2023, rd_series="revised_gdp")["rd_intensity_pct"]
    assert np.allclose(computed, (rd / post * 100).reindex(computed.index))
    pre = ni.indicator_table(["hightech_revenue_pct_grp"], 2019)["hightech_revenue_pct_grp"]
    post = ni.indicator_table(["hightech_revenue_pct_grp"], 2019, gdp_vintage=ni.POST)["hightech_revenue_pct_grp"]
    assert not np.allclose(pre, post)                     # trap 1: the other GRP vintage
    with pytest.raises(ValueError, match="year"):
        ni.indicator_table(year=2024)
    with pytest.raises(ValueError, match="unknown indicator"):
        ni.indicator_table(["gdp"])


def test_location_quotients_by_hand():
    va = course.load("province_value_added")
    va = va[(va["vintage"] == ni.POST) & (va["year"] == 2023)].set_index("province_code")
    col = "va_industry_100m_yuan"
    sectors = list(structure.NINE_SECTORS.values())
    share_sx = va.at[140000, col] / va.loc[140000, sectors].sum()
    share_all = va[col].sum() / va[sectors].to_numpy().sum()
    assert ni.location_quotients("value_added").at[140000, "Industry"] == pytest.approx(share_sx / share_all)
    emp = ni.location_quotients("employment")
    assert emp.at[140000, "Mining"] > 5 and list(emp.columns)[:3] == ["Agriculture", "Mining", "Manufacturing"]


def test_specialisation_overlap_by_hand():
    same = pd.DataFrame([[2.0, 0.5], [2.0, 0.5], [2.0, 0.5]])
    obs, null_mean, p_more, _ = ni.specialisation_overlap(same, permutations=99)
    assert obs == 1.0 and null_mean == 1.0 and p_more == 1.0        # shuffling identical columns changes nothing
    # three provinces, two sectors, two specialised provinces per sector: P {s1, s2}, Q {s1}, R {s2}
    lq = pd.DataFrame([[2.0, 2.0], [2.0, 0.5], [0.5, 2.0]])
    obs, null_mean, p_more, p_less = ni.specialisation_overlap(lq, permutations=20000, seed=1)
    assert obs == pytest.approx((0.5 + 0.5 + 0.0) / 3)          # J(P,Q) = 1/2, J(P,R) = 1/2, J(Q,R) = 0
    # the baseline by enumeration: each sector's pair of specialised provinces is one of 3, independently
    import itertools

    pairs = [(0, 1), (0, 2), (1, 2)]
    values = []
    for a, b in itertools.product(pairs, pairs):
        sets = [{j for j, pr in enumerate((a, b)) if i in pr} for i in range(3)]
        js = [len(sets[i] & sets[k]) / len(sets[i] | sets[k]) if sets[i] | sets[k] else 0.0
              for i, k in itertools.combinations(range(3), 2)]
        values.append(np.mean(js))
    assert null_mean == pytest.approx(np.mean(values), abs=0.005)
    assert 0 < p_more <= 1 and 0 < p_less <= 1
    assert ni.specialisation_overlap(lq, permutations=99, seed=5) == ni.specialisation_overlap(lq, permutations=99, seed=5)


# ------------------------------------------------------------------------------ the province profile
def test_province_profile_compares_with_the_lesson_22_peers():
    from course import grouping

    r = ni.build_index(n_draws=100)
    groups = grouping.group_provinces(grouping.endowment_table()[list(grouping.DEFAULT_FEATURES)], 4, seed=0)
    p = ni.province_profile(r, "Shaanxi")
    peers = [c for c in groups.index[groups == groups[610000]] if c != 610000]
    assert set(p.peers) == set(r.names[peers])
    assert p.dims.loc["workers", "peer median"] == pytest.approx(r.dims.loc[peers, "workers"].median())
    assert (p.dims["vs peers"] == p.dims["score"] - p.dims["peer median"]).all()
    assert p.rank == r.rank[610000] and p.band[0] <= p.rank <= p.band[1]
    gaps = p.gaps(10)
    assert gaps["below peers"].all() and gaps["obstacle degree"].is_monotonic_decreasing
    alone = ni.province_profile(r, 140000)
    assert alone.peers == [] and "alone" in alone.notes[0]
    assert alone.dims.loc["workers", "peer median"] == pytest.approx(r.dims["workers"].drop(140000).median())
    with pytest.raises(ValueError, match="unknown province"):
        ni.province_profile(r, "Atlantis")


# ------------------------------------------------------------------------------ the widget
def test_explorer_controls_recompute_and_edges_explain_themselves():
    ex = ni.explorer()
    assert ex.error is None and ex.result.profile.name == "Shaanxi"
    assert "Shaanxi ranks" in ex.html and "◆" in ex.html and "course-tilemap" in ex.html
    ex.controls["weighting"].value = "equal"
    assert np.allclose(ex.result.result.weights, 1 / len(ni.DEFAULT_INDICATORS))
    ex.controls["frame"].value = "themes"
    assert list(ex.result.profile.dims.index) == list(ni.THEMES)
    ex.controls["province"].value = 110000
    assert ex.result.profile.rank == 1 and "Beijing ranks 1 of 31" in ex.html
    ex.controls["indicators"].value = ()
    assert ex.result is None and "at least one indicator" in ex.message
    ex.set(indicators=("energy_intensity_change_pct",), province=540000)
    assert ex.error is None and "Xizang (Tibet) has no value" in ex.message
    ex.controls["province"].value = 520000
    assert ex.error is None and ex.message is None
    ex.set(indicators=ni.DEFAULT_INDICATORS, province=540000, frame="elements", weighting="entropy")
    assert "rescaled" in ex.html                                   # the note on Xizang's missing value


def test_rank_bands_html_lists_every_province_and_states_the_draws():
    r = ni.build_index(n_draws=200, spread="any")
    out = ni.bands_html(r, 610000)
    assert out.count("<tr") == 32 and "200 weight draws" in out and "uniformly" in out
    assert "▶ Shaanxi" in out


def test_product_location_quotients_use_the_last_year_and_keep_blanks_blank():
    lq = ni.product_location_quotients()
    assert list(lq.columns) == ["Crude steel (2020)", "Cement (2020)", "Integrated circuits (2021)",
                                "Mobile phones (2021)"]
    out = course.load("province_output_ics_phones")
    gdp = course.load("province_gdp")
    ref = structure.output_location_quotients(out, gdp, "mobile_phones_10k_units")
    ref = ref[ref["year"] == 2021].set_index("province_code")["lq"]
    assert np.allclose(lq["Mobile phones (2021)"].dropna(), ref.sort_index())
    steel = course.load("province_output_steel_cement").set_index(["province_code", "year"])["crude_steel_10k_tonnes"]
    blank = [c for c in lq.index if pd.isna(steel[(c, 2020)])]
    assert blank and lq.loc[blank, "Crude steel (2020)"].isna().all()          # not published stays missing


def test_tile_map_html_prints_every_rank_and_marks_gaps_and_the_chosen_province():
    s = pd.Series(np.linspace(1, 0.1, 31), index=sorted(structure_codes()))
    s.iloc[5] = np.nan
    html = ni.tile_map_html(s, ni.ranks(s), highlight=610000, caption="test map")
    assert html.count("grid-row:") == 31 and html.count("<br>n/a<") == 1 and "#1<" in html and "#30<" in html
    assert html.count("3px solid #000") == 1 and "aria-label='test map'" in html


def structure_codes():
    return course.load("provinces")["province_code"].tolist()


def test_no_monte_carlo_gives_bands_of_width_zero_and_the_widget_reuses_a_result():
    r = ni.build_index(n_draws=0)
    assert (r.bands["width"].dropna() == 0).all() and (r.bands["low"] == r.rank.astype(float)).all()
    full = ni.build_index()
    ex = ni.explorer(result=full)
    assert ex.result.result is full


def test_the_widget_text_in_chinese():
    from course import i18n

    try:
        i18n.set_language("zh")
        with pytest.raises(EdgeCase, match="请至少选择一个指标"):
            ni.explore(indicators=())
        r = ni.build_index(n_draws=0)
        v = ni.View(r, ni.province_profile(r, 610000))
        title = ni.title_text(v)
        assert title.startswith("陕西在 31 个省份中排第 7 位") and title.endswith("它在劳动对象上最强")
        card = ni.evidence_html(v)
        assert "<b>陕西的证据</b>" in card and "河北" in card and "Shaanxi" not in card
        assert "劳动者" in ni.profile_html(v) and ni.alt_text(v).startswith("水平条形图：陕西")
    finally:
        i18n.set_language("en")
