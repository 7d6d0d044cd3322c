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
    from scipy.cluster import hierarchy  # a test-only reference implementation (README)
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


def test_silhouette_matches_a_plain_loop():
    X, _ = blobs(seed=9, spread=2.0)
    labels = gr.kmeans(X, 4, seed=0).labels
    d = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    s = []
    for i in range(len(X)):
        own = labels == labels[i]
        if own.sum() == 1:
            s.append(0.0)
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == g].mean() for g in set(labels) if g != labels[i])
        s.append((b - a) / max(a, b))
    assert gr.silhouette(X, labels) == pytest.approx(np.mean(s))


# --------------------------------------------------------------------------- group differences
def test_group_difference_means_and_spread_by_hand():
    v = pd.Series([1.0, 2.0, 3.0, 10.0, 20.0, 30.0])
    g = pd.Series(["W", "W", "W", "E", "E", "E"])
    c = gr.group_difference(v, g, "E", "W", n=2000, seed=0)
    assert (c.a, c.b, c.n_a, c.n_b) == (20.0, 2.0, 3, 3) and c.difference == 18.0
    assert c.p_value == pytest.approx(1 / 20, abs=0.015)       # 1 of the C(6,3) = 20 splits is this extreme
    # spread: mean pairwise distance inside each group, by hand (1-D): W pairs 1, 2, 1 -> 4/3; E 10, 20, 10 -> 40/3
    sp = gr.group_difference(v.to_frame(), g, "E", "W", statistic="spread", n=500)
    assert sp.a == pytest.approx(40 / 3) and sp.b == pytest.approx(4 / 3)
    with pytest.raises(EdgeCase, match="at least two"):
        gr.group_difference(v, pd.Series(["E", "W", "W", "W", "W", "W"]), "E", "W")
    with pytest.raises(ValueError):
        gr.group_difference(v, g, "E", "W", statistic="median")


def test_group_difference_p_is_uniformish_without_a_real_difference():
    rng = np.random.default_rng(5)
    ps = []
    for _ in range(40):
        v = pd.Series(rng.standard_normal(20))
        g = pd.Series(["a"] * 10 + ["b"] * 10)
        ps.append(gr.group_difference(v, g, "a", "b", n=400, seed=1).p_value)
    assert 0.3 < np.mean(ps) < 0.7                               # no difference: p is not systematically small


# --------------------------------------------------------------------------- lesson 22's questions
# Recomputed by a second route: raw values from course.load and plain numpy, the question cells exec'd.
import json  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

from course import quiz, regional  # noqa: E402

NOTEBOOK22 = Path(__file__).resolve().parent.parent / "notebooks" / "22_national_conditions.ipynb"
ANSWERS22 = {"q1": "37aebff805686a09", "q2": "e3b25fe061dd5703", "q3": "66cba4b32fc88cc6"}


def question22(name):
    cells = json.loads(NOTEBOOK22.read_text(encoding="utf-8"))["cells"]
    (src,) = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"
              and "".join(c["source"]).startswith(f"{name} = quiz.")]
    ns = {"quiz": quiz}
    exec(src, ns)
    return ns[name]


def mining_shares():
    emp = course.load("province_employment_by_sector_2024")
    b = emp[emp["sector_code_gbt4754"] == "B"].set_index("province_en")["employment_10k"]
    t = emp[emp["sector_code_gbt4754"] == "TOTAL"].set_index("province_en")["employment_10k"]
    return (100 * b / t).to_numpy(), list(b.index)


def test_quiz22_q1_z_score_of_ningxia():
    x, names = mining_shares()
    i = names.index("Ningxia")
    mean, sd, sd1 = x.mean(), np.sqrt(((x - x.mean()) ** 2).mean()), x.std(ddof=1)
    right = (x[i] - mean) / sd
    assert quiz.digest(round(right, 2), 2) == ANSWERS22["q1"]
    q = question22("q1")
    assert q.answer == ANSWERS22["q1"] and q.check(f"{right:.2f}").correct
    for wrong in ((x[i] - mean) / sd1, x[i] - mean):           # sample s.d.; not divided at all
        assert abs(round(wrong, 2) - round(right, 2)) > 0.015
        fb = q.check(f"{wrong:.2f}")
        assert not fb.correct
    assert q.check(f"{(x[i] - mean) / sd1:.2f}").message.startswith("Not yet")


def test_quiz22_q2_beijings_group_on_three_features():
    data = gr.endowment_table()
    three = data[["rd_intensity", "hightech", "mining_jobs"]]
    # a second route: standardise by hand, k-means from the module's lower-level function on the array
    z = ((three - three.mean()) / three.std(ddof=0)).to_numpy()
    labels = pd.Series(gr.kmeans(z, 4, seed=0).labels, index=three.index)
    names = course.load("provinces").set_index("province_code")["province_en"]
    options = ["Tianjin", "Zhejiang", "Jiangsu", "Anhui"]
    codes = {names[c]: c for c in names.index}
    together = [o for o in options if labels[codes[o]] == labels[110000]]
    assert together == ["Jiangsu"]
    assert quiz.digest("Jiangsu") == ANSWERS22["q2"]
    q = question22("q2")
    assert q.options == options and q.check("Jiangsu").correct
    # the tempting answers are refused: the two next-highest R&D intensities, and k = 3's grouping
    k3 = pd.Series(gr.kmeans(z, 3, seed=0).labels, index=three.index)
    assert k3[codes["Tianjin"]] == k3[110000] and k3[codes["Zhejiang"]] == k3[110000]
    for wrong in ("Tianjin", "Zhejiang", "Anhui"):
        assert q.check(wrong).message.startswith("Not yet")


def test_quiz22_q3_year_guizhou_ratio_falls_below_1_5():
    inc = course.load("province_income_consumption").set_index(["province_en", "year"])
    u13, u19 = (inc.loc[("Guizhou", y), "consumption_expenditure_per_capita_urban_yuan"] for y in (2013, 2019))
    r13, r19 = (inc.loc[("Guizhou", y), "consumption_expenditure_per_capita_rural_yuan"] for y in (2013, 2019))
    gu, gr_ = (u19 / u13) ** (1 / 6), (r19 / r13) ** (1 / 6)
    year, ratio = 2019, u19 / r19
    while ratio >= 1.5:                                          # step year by year, no logarithms
        year, ratio = year + 1, ratio * gu / gr_
    assert quiz.digest(year, 0) == ANSWERS22["q3"]
    q = question22("q3")
    assert q.answer == ANSWERS22["q3"] and q.check(str(year)).correct
    # slips: a straight-line fall of the ratio; income instead of consumption
    slope = (u19 / r19 - u13 / r13) / 6
    linear = 2019 + math.ceil((u19 / r19 - 1.5) / -slope)
    iu = [inc.loc[("Guizhou", y), "disposable_income_per_capita_urban_yuan"] for y in (2013, 2019)]
    ir = [inc.loc[("Guizhou", y), "disposable_income_per_capita_rural_yuan"] for y in (2013, 2019)]
    inc_years = math.log(1.5 / (iu[1] / ir[1])) / math.log(((iu[1] / iu[0]) / (ir[1] / ir[0])) ** (1 / 6))
    for wrong in (linear, 2019 + math.ceil(inc_years), year - 1):
        assert wrong != year
        assert not q.check(str(wrong)).correct
    # the module's function gives the same growth rates
    ur = regional.urban_rural(course.load("province_income_consumption"))
    assert ur.at[520000, "growth_urban"] == pytest.approx(gu - 1)              # 520000 = Guizhou


def test_quiz22_answers_are_not_printed():
    cells = json.loads(NOTEBOOK22.read_text(encoding="utf-8"))["cells"]
    shown = " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/markdown", ""))
                     + str(o.get("data", {}).get("text/plain", ""))
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    source = " ".join("".join(c["source"]) for c in cells)
    x, names = mining_shares()
    z = (x[names.index("Ningxia")] - x.mean()) / x.std()
    for text in (f"{z:.2f}", "2029"):
        pattern = r"(?<![\d.,])" + re.escape(text) + r"(?![\d])"
        assert not re.search(pattern, shown) and not re.search(pattern, source), text
    for digest in ANSWERS22.values():
        assert f'answer="{digest}"' in source
