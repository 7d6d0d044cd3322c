"""Lesson 22 (S2.1): standardisation, k-means, Ward and the adjusted Rand index (course.grouping).

Expected values come from theory or hand computation: z-scores have mean 0 and s.d. 1; k-means
finds well-separated synthetic clusters (generated here with a seeded generator, never shown as
data); its result is a fixed point of Lloyd's step; with one group the within-group sum of squares
of standardised data is n times the number of features; identical partitions have ARI 1 whatever
their names; Ward's method agrees with SciPy's reference implementation.
"""

import math

import numpy as np
import pandas as pd
import pytest

import course
from course import grouping as gr
from course.widgets import EdgeCase


def blobs(seed=1, sizes=(10, 8, 12), spread=0.3):
    """Synthetic test points: tight clusters around far-apart centres, with their true labels."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 5.0], [0.0, 10.0, -5.0]])
    X = np.vstack([c + spread * rng.standard_normal((m, 3)) for c, m in zip(centres, sizes)])
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return X, truth


# --------------------------------------------------------------------------- standardise
def test_standardise_gives_mean_zero_and_population_sd_one():
    f = pd.DataFrame({"a": [1.0, 2.0, 3.0, 10.0], "b": [100.0, 300.0, 200.0, 400.0]})
    z = gr.standardise(f)
    assert np.allclose(z.mean(), 0) and np.allclose(z.std(ddof=0), 1)
    # by hand: a has mean 4 and population s.d. sqrt((9 + 4 + 1 + 36) / 4) = sqrt(12.5)
    assert z.loc[3, "a"] == pytest.approx(6 / math.sqrt(12.5))
    with pytest.raises(ValueError, match="same value in every row"):
        gr.standardise(pd.DataFrame({"a": [1.0, 1.0, 1.0]}))
    with pytest.raises(ValueError, match="missing"):
        gr.standardise(pd.DataFrame({"a": [1.0, np.nan, 2.0]}))


def test_relabel_numbers_groups_by_first_appearance():
    assert gr.relabel(["x", "x", "y", "z", "y"]).tolist() == [1, 1, 2, 3, 2]


# --------------------------------------------------------------------------- k-means
def test_kmeans_recovers_well_separated_clusters():
    X, truth = blobs()
    km = gr.kmeans(X, 3, seed=0)
    assert gr.adjusted_rand_index(km.labels, truth) == 1.0
    assert sorted(np.bincount(km.labels)[1:]) == [8, 10, 12]
    assert km.labels[0] == 1                                  # numbered by first appearance


def test_kmeans_result_is_a_fixed_point_of_lloyds_step():
    X, _ = blobs(seed=3, spread=2.0)                         # overlapping: a real optimisation
    km = gr.kmeans(X, 4, seed=5)
    d2 = ((X[:, None, :] - km.centres[None, :, :]) ** 2).sum(axis=2)
    assert (d2.argmin(axis=1) + 1 == km.labels).all()        # every point at its nearest mean
    for c in range(1, 5):
        assert np.allclose(km.centres[c - 1], X[km.labels == c].mean(axis=0))   # means of the groups
    assert km.inertia == pytest.approx(gr.within_ss(X, km.labels))
    assert km.inertia == pytest.approx(km.inertias.min()) and len(km.inertias) == 100


def test_kmeans_is_deterministic_for_a_seed():
    X, _ = blobs(seed=4, spread=3.0)
    a, b = gr.kmeans(X, 5, seed=11), gr.kmeans(X, 5, seed=11)
    assert (a.labels == b.labels).all() and a.inertia == b.inertia


def test_one_group_holds_all_the_variance_and_n_groups_none():
    f = pd.DataFrame(np.random.default_rng(2).standard_normal((12, 3)), columns=list("abc"))
    z = gr.standardise(f).to_numpy()
    one = gr.kmeans(z, 1)
    assert (one.labels == 1).all()
    assert one.inertia == pytest.approx(12 * 3)               # n x (number of features): each s.d. is 1
    assert gr.kmeans(z, 12).inertia == pytest.approx(0, abs=1e-12)


def test_too_many_groups_and_no_features_are_edge_cases():
    X = np.array([[0.0], [0.0], [1.0]])
    with pytest.raises(EdgeCase, match="only 2"):
        gr.kmeans(X, 3)
    with pytest.raises(EdgeCase, match="at least one feature"):
        gr.group_provinces(pd.DataFrame(index=[1, 2, 3]), 2)
    with pytest.raises(EdgeCase, match="at least one group"):
        gr.ward(X, 0)


# --------------------------------------------------------------------------- Ward
def test_ward_by_hand_on_a_line():
    # 0 and 1 merge first (cost 1*1/2 * 1 = 0.5); then {0,1} with 3 (2*1/3 * 2.5^2 = 4.17) beats 3 with 10
    X = np.array([[0.0], [1.0], [3.0], [10.0]])
    assert gr.ward(X, 3).tolist() == [1, 1, 2, 3]
    assert gr.ward(X, 2).tolist() == [1, 1, 1, 2]


def test_ward_agrees_with_scipy():
    hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
    data = gr.standardise(gr.endowment_table()[list(gr.DEFAULT_FEATURES)]).to_numpy()
    X, _ = blobs(seed=6, spread=2.5)
    for points in (data, X):
        link = hierarchy.linkage(points, method="ward")
        for k in range(2, 9):
            ref = hierarchy.fcluster(link, k, criterion="maxclust")
            assert gr.adjusted_rand_index(gr.ward(points, k), ref) == pytest.approx(1.0), k


# --------------------------------------------------------------------------- group_provinces
def test_group_provinces_does_not_depend_on_row_order():
    X, truth = blobs(seed=7, spread=1.5)
    f = pd.DataFrame(X, columns=list("xyz"), index=np.arange(100, 100 + len(X)))
    base = gr.group_provinces(f, 3, seed=0)
    for seed in range(3):
        shuffled = f.sample(frac=1, random_state=seed)
        again = gr.group_provinces(shuffled, 3, seed=0)
        assert again.index.tolist() == shuffled.index.tolist()          # same order as the input
        assert (again.reindex(base.index) == base).all()                # identical labels, not just alike
    assert gr.adjusted_rand_index(base.to_numpy(), truth) == 1.0
    w = gr.group_provinces(f.iloc[::-1], 3, method="ward")
    assert gr.adjusted_rand_index(w.reindex(base.index).to_numpy(), base.to_numpy()) == 1.0


def test_group_provinces_standardises_so_units_do_not_matter():
    X, _ = blobs(seed=8, spread=2.0)
    f = pd.DataFrame(X, columns=list("xyz"))
    scaled = f.assign(x=f["x"] * 1000)                        # yuan instead of thousand yuan
    assert (gr.group_provinces(f, 4) == gr.group_provinces(scaled, 4)).all()


# --------------------------------------------------------------------------- comparisons
def test_adjusted_rand_index_by_hand():
    assert gr.adjusted_rand_index([1, 1, 2, 2, 3], ["c", "c", "a", "a", "b"]) == 1.0
    # contingency [[2,1,0],[0,1,2]]: index 2, row pairs 6, column pairs 3, expected 6*3/15 = 1.2
    ari = gr.adjusted_rand_index([1, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3])
    assert ari == pytest.approx((2 - 1.2) / (4.5 - 1.2))
    assert gr.adjusted_rand_index([1, 1, 1], [2, 2, 2]) == 1.0
    with pytest.raises(ValueError):
        gr.adjusted_rand_index([1, 2], [1, 2, 3])


def test_permutation_baseline_is_centred_on_zero_and_seeded():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 4, 31)
    b = rng.integers(0, 4, 31)
    ari, p, null = gr.permutation_ari(a, b, n=4000, seed=1)
    assert abs(null.mean()) < 0.01 and null.std() > 0
    again = gr.permutation_ari(a, b, n=4000, seed=1)
    assert again[1] == p and np.array_equal(again[2], null)
    # the same grouping under other names: nothing random does as well
    same, p_same, _ = gr.permutation_ari(a, np.array(list("wxyz"))[a], n=999, seed=2)
    assert same == 1.0 and p_same == pytest.approx(1 / 1000)
    # the null values are ARIs of real shuffles: check one against the scalar function
    perm = np.argsort(np.random.default_rng(3).random((1, 31)), axis=1)[0]
    assert -1 <= gr.adjusted_rand_index(a, b[perm]) <= 1


def test_silhouette_near_one_for_separated_groups_and_by_hand():
    X, truth = blobs(spread=0.05)
    assert gr.silhouette(X, truth) > 0.99
    # points 0, 1 | 4: for 0, a = 1, b = 4 -> 0.75; for 1, a = 1, b = 3 -> 2/3; singleton -> 0
    assert gr.silhouette(np.array([[0.0], [1.0], [4.0]]), [1, 1, 2]) == pytest.approx((0.75 + 2 / 3) / 3)


# --------------------------------------------------------------------------- the real table
@pytest.fixture(scope="module")
def data():
    return gr.endowment_table()


@pytest.fixture(scope="module")
def prov():
    return course.load("provinces").set_index("province_code")


def test_endowment_table_by_hand(data):
    assert data.shape == (31, len(gr.FEATURES)) and not data.isna().any().any()
    va = course.load("province_value_added").query("vintage == 'post_5th_census_revision' and year == 2023")
    bj = va.set_index("province_code").loc[110000]
    assert data.at[110000, "gdp_pc"] == pytest.approx(math.log(bj["gdp_100m_yuan"] / 2186 * 1e4))
    assert data.at[110000, "industry_share"] == pytest.approx(100 * bj["va_industry_100m_yuan"] / bj["gdp_100m_yuan"])
    emp = course.load("province_employment_by_sector_2024").set_index(["province_code", "sector_code_gbt4754"])
    assert data.at[140000, "mining_jobs"] == pytest.approx(100 * emp.loc[(140000, "B"), "employment_10k"]
                                                           / emp.loc[(140000, "TOTAL"), "employment_10k"])
    assert data["mining_jobs"].idxmax() == 140000          # Shanxi: coal
    raw = gr.endowment_table(log=False)
    assert np.allclose(np.log(raw["patents"]), data["patents"])


def test_default_grouping_of_the_provinces(data, prov):
    labels = gr.group_provinces(data[list(gr.DEFAULT_FEATURES)], 4)
    assert labels.nunique() == 4 and labels[110000] == 1
    # Beijing and Shanghai share the group with the highest mean R&D intensity
    z = gr.standardise(data[list(gr.DEFAULT_FEATURES)])
    assert labels[110000] == labels[310000] == z.groupby(labels)["rd_intensity"].mean().idxmax()


# --------------------------------------------------------------------------- the widget
@pytest.fixture()
def ex(data):
    return gr.explorer(data)


def test_widget_default_view(ex):
    assert ex.error is None and ex.message is None
    r = ex.result
    assert r.k == 4 and r.features == gr.DEFAULT_FEATURES and r.sizes.sum() == 31
    assert r.table.to_numpy().sum() == 31 and list(r.table.columns) == list(gr.REGIONS)
    assert "<img" in ex.html and "Group profiles" in ex.html and "adjusted Rand index" in ex.html


def test_widget_recomputes_when_features_and_k_change(ex, data, prov):
    ex.controls["k"].value = 6
    assert ex.result.k == 6 and ex.result.sizes.sum() == 31
    ex.controls["features"].value = ("mining_jobs", "primary_share")
    r = ex.result
    direct = gr.group_provinces(data[["mining_jobs", "primary_share"]], 6)
    assert (r.labels == direct).all()
    assert r.ari == pytest.approx(gr.adjusted_rand_index(direct.to_numpy(), prov["nbs_region_en"].reindex(direct.index).to_numpy()))
    assert set(r.z_mean.columns) == {"mining_jobs", "primary_share"}


def test_widget_edge_cases(ex):
    ex.controls["features"].value = ()
    assert ex.result is None and "at least one feature" in ex.message
    ex.controls["features"].value = ("rd_intensity",)
    ex.controls["k"].value = 8
    assert ex.error is None and ex.result.k == 8


def test_describe_groups_reads_the_largest_mean_z():
    z = pd.DataFrame({"rd_intensity": [1.5, -0.2], "mining_jobs": [0.1, 2.0], "industry_share": [0.0, -1.0]}, index=[1, 2])
    d = gr.describe_groups(z)
    assert d[1] == "high R&D intensity, high mining share of jobs"           # |1.5| and |0.1| are largest
    assert d[2] == "high mining share of jobs, low industry share of GRP"


def test_docstring_examples():
    import doctest

    result = doctest.testmod(gr)
    assert result.attempted > 0 and result.failed == 0
