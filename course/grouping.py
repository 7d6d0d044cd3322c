"""Grouping provinces by their endowment profile: standardise, cluster, and check the groups.

The paper's section 三(二)1 (id S2.1) says that China's regions differ in resources, development
level, industrial structure and human resources, so no single model fits them all. This module
groups the 31 provinces by a *profile* of such indicators and asks how the groups relate to the
four official NBS regions (East, Central, West, Northeast). Lesson 22 teaches it; a later lesson
reuses :func:`group_provinces` to find each province's peers.

Method (each step is a pure function, tested against theory):

1. **Standardise** each indicator (:func:`standardise`): :math:`z_{ij} = (x_{ij}-\\bar x_j)/s_j`
   with the *population* standard deviation :math:`s_j=\\sqrt{\\tfrac1n\\sum_i (x_{ij}-\\bar x_j)^2}`,
   so every column has mean 0 and standard deviation 1 and no indicator counts more just
   because of its unit.
2. **k-means** (:func:`kmeans`) splits the provinces into :math:`k` groups so as to minimise the
   within-group sum of squared distances to the group means,
   :math:`W=\\sum_c\\sum_{i\\in c}\\lVert z_i-\\mu_c\\rVert^2` (Lloyd's algorithm: assign each
   province to the nearest mean, recompute the means, repeat until nothing moves). The start
   is random (k-means++ seeding: each new starting mean is drawn with probability proportional to
   the squared distance from the means already chosen), so the algorithm runs ``n_init`` times
   from a seeded random generator and keeps the run with the smallest :math:`W`.
   Same data, ``k`` and ``seed``: same groups, every time.
3. **Ward's method** (:func:`ward`), the alternative: start with every province alone and
   repeatedly merge the two groups whose merger raises :math:`W` the least,
   :math:`\\Delta W = \\frac{n_a n_b}{n_a+n_b}\\lVert\\mu_a-\\mu_b\\rVert^2`, until :math:`k`
   groups remain. No randomness at all.
4. **Compare two groupings** with the **adjusted Rand index** (:func:`adjusted_rand_index`,
   Hubert & Arabie 1985): the share of pairs of provinces on which the two groupings agree
   (together in both, or apart in both), corrected for the agreement expected by chance:
   1 = identical up to the names of the groups, about 0 = no more alike than random groupings of
   the same sizes. :func:`permutation_ari` gives that chance level by shuffling one grouping.

:func:`group_provinces` wraps steps 1-2 (or 1 and 3) for a feature table: it sorts the rows by
province code before clustering and numbers the groups 1, 2, ... in the order in which they first
appear, so the result does not depend on the order of the rows and group 1 always contains the
first province (Beijing, 110000, when present).

Examples
--------
Two tight pairs, far apart, are found by either method:

>>> X = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
>>> kmeans(X, 2, seed=0).labels.tolist(), ward(X, 2).tolist()
([1, 1, 2, 2], [1, 1, 2, 2])
>>> adjusted_rand_index([1, 1, 2, 2], ["b", "b", "a", "a"])     # same partition, other names
1.0
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.i18n import N_, _, _f, is_chinese, province
from course.edgecase import EdgeCase

__all__ = [
    "Feature",
    "FEATURES",
    "DEFAULT_FEATURES",
    "REGIONS",
    "endowment_table",
    "standardise",
    "KMeans",
    "kmeans",
    "ward",
    "relabel",
    "within_ss",
    "silhouette",
    "group_provinces",
    "adjusted_rand_index",
    "contingency",
    "permutation_ari",
    "Contrast",
    "group_difference",
    "group_profiles",
    "describe_groups",
    "Grouping",
    "explore",
    "render",
    "alt_text",
    "explorer",
]

REGIONS = ("East", "Central", "West", "Northeast")


# --------------------------------------------------------------------------- the features
@dataclass(frozen=True)
class Feature:
    """One indicator of a province's endowment profile."""

    key: str
    label: str        # short, for charts and controls
    unit: str
    year: int
    stands_for: str   # which endowment it is a proxy for, and what it misses
    source: str
    log: bool = False  # clustered on the natural log (for strongly skewed levels)


FEATURES: dict[str, Feature] = {f.key: f for f in [
    Feature("gdp_pc", N_("GDP per capita (log)"), N_("yuan per person"), 2023,
            N_("development stage; computed as revised GRP / year-end population"),
            "province_gdp (revised), province_population", log=True),
    Feature("industry_share", N_("Industry share of GRP"), "%", 2023,
            N_("industrial base in the broad sense: mining, manufacturing and utilities together"),
            "province_value_added (revised)"),
    Feature("primary_share", N_("Primary-industry share of GRP"), "%", 2023,
            N_("land and farming: agriculture, forestry, animal husbandry and fishery"),
            "province_value_added (revised)"),
    Feature("mining_jobs", N_("Mining share of jobs"), N_("% of urban-unit jobs"), 2024,
            N_("resource endowment, seen through mining employment (not reserves; formal units only)"),
            "province_employment_by_sector_2024"),
    Feature("manufacturing_jobs", N_("Manufacturing share of jobs"), N_("% of urban-unit jobs"), 2024,
            N_("manufacturing base, seen through formal employment"),
            "province_employment_by_sector_2024"),
    Feature("rd_intensity", N_("R&D intensity"), N_("% of GRP"), 2023,
            N_("innovation input (2023 bulletin, pre-revision GRP)"), "province_profile_2023"),
    Feature("hightech", N_("High-tech revenue / GRP"), "%", 2023,
            N_("advanced manufacturing: high-tech manufacturing revenue over pre-revision GRP"),
            "province_profile_2023"),
    Feature("patents", N_("Invention patents per 10k (log)"), N_("patents in force per 10,000 residents"), 2023,
            N_("stock of technology"), "province_profile_2023", log=True),
    Feature("students", N_("Students per 10k"), N_("higher-education students per 10,000 residents"), 2019,
            N_("talent in training (2019: the table ends there)"),
            "province_higher_education, province_population"),
    Feature("population", N_("Population (log)"), N_("10,000 persons"), 2023,
            N_("size of the home market and the labour force"), "province_population", log=True),
]}

#: The features the lesson starts from: stage, industry, land, resources, innovation, advanced industry.
DEFAULT_FEATURES = ("gdp_pc", "industry_share", "primary_share", "mining_jobs", "rd_intensity", "hightech")


def endowment_table(tables: dict | None = None, log: bool = True) -> pd.DataFrame:
    """Every feature of :data:`FEATURES` for the 31 provinces (index: province code).

    Values are in the units of :data:`FEATURES`; with ``log=True`` the features marked ``log``
    are replaced by their natural logarithm (the form that is clustered). ``tables`` maps course
    table names to DataFrames; missing ones are read with ``course.load``.
    """
    from course.data import load

    tables = dict(tables or {})

    def get(name):
        if name not in tables:
            tables[name] = load(name)
        return tables[name]

    prov = get("provinces").set_index("province_code")
    prof = get("province_profile_2023").set_index("province_code")
    va = get("province_value_added")
    va = va[(va["vintage"] == "post_5th_census_revision") & (va["year"] == 2023)].set_index("province_code")
    emp = get("province_employment_by_sector_2024").pivot(index="province_code", columns="sector_code_gbt4754",
                                                         values="employment_10k")
    pop = get("province_population").pivot(index="province_code", columns="year", values="resident_population_10k")
    he = get("province_higher_education")
    he = he[(he["year"] == 2019) & (he["province_code"] != 100000)].set_index("province_code")

    out = pd.DataFrame(index=prov.index.sort_values())
    out["gdp_pc"] = va["gdp_100m_yuan"] / pop[2023] * 1e4
    out["industry_share"] = va["va_industry_100m_yuan"] / va["gdp_100m_yuan"] * 100
    out["primary_share"] = va["va_primary_100m_yuan"] / va["gdp_100m_yuan"] * 100
    out["mining_jobs"] = emp["B"] / emp["TOTAL"] * 100
    out["manufacturing_jobs"] = emp["C"] / emp["TOTAL"] * 100
    out["rd_intensity"] = prof["rd_intensity_pct"]
    out["hightech"] = prof["hightech_revenue_100m_yuan"] / prof["gdp_100m_yuan_pre_revision"] * 100
    out["patents"] = prof["invention_patents_in_force"] / prof["yearend_resident_population_10k"]
    out["students"] = he["students_enrolled_10k"] / pop[2019] * 1e4
    out["population"] = pop[2023].astype(float)
    out = out.astype(float)
    if log:
        for f in FEATURES.values():
            if f.log:
                out[f.key] = np.log(out[f.key])
    return out


# --------------------------------------------------------------------------- the method
def standardise(frame: pd.DataFrame) -> pd.DataFrame:
    """z-scores of every column: mean 0, population standard deviation 1.

    Raises ``ValueError`` for a missing value or a column that does not vary (it has no
    standard deviation to divide by).

    >>> standardise(pd.DataFrame({"a": [1.0, 2.0, 3.0]}))["a"].round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """
    x = frame.to_numpy(dtype=float)
    missing = np.isnan(x).any(axis=0)
    if missing.any():
        raise ValueError(f"standardise: column {frame.columns[missing.argmax()]!r} has missing values; drop or fill them first")
    mean = x.mean(axis=0)
    sd = np.sqrt(((x - mean) ** 2).mean(axis=0))
    flat = sd <= 1e-12 * (np.abs(x).max(axis=0) + 1)
    if flat.any():
        raise ValueError(f"standardise: column {frame.columns[flat.argmax()]!r} has the same value in every row, "
                         "so it cannot be standardised")
    return pd.DataFrame((x - mean) / sd, index=frame.index, columns=frame.columns)


def relabel(labels) -> np.ndarray:
    """Number groups 1, 2, ... in the order in which they first appear.

    >>> relabel([7, 7, 3, 9, 3]).tolist()
    [1, 1, 2, 3, 2]
    """
    labels = np.asarray(labels)
    order = {}
    for lab in labels:
        if lab not in order:
            order[lab] = len(order) + 1
    return np.array([order[lab] for lab in labels], dtype=int)


def within_ss(X, labels) -> float:
    """Within-group sum of squares :math:`W=\\sum_c\\sum_{i\\in c}\\lVert x_i-\\mu_c\\rVert^2`."""
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    return float(sum(((X[labels == c] - X[labels == c].mean(axis=0)) ** 2).sum() for c in np.unique(labels)))


def _check_k(X: np.ndarray, k: int) -> int:
    k = int(k)
    if k < 1:
        raise EdgeCase(_("Choose at least one group."))
    distinct = len(np.unique(X, axis=0))
    if k > distinct:
        raise EdgeCase(_f("{k} groups need at least {k} provinces with different profiles; "
                          "these features give only {distinct}. Choose fewer groups or more features."))
    return k


@dataclass
class KMeans:
    """The best of ``n_init`` k-means runs: labels 1..k, centres, W, iterations, W of every run."""

    labels: np.ndarray
    centres: np.ndarray
    inertia: float
    n_iter: int
    inertias: np.ndarray


def _plus_plus(X: np.ndarray, k: int, runs: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ starting means for ``runs`` runs at once (Arthur & Vassilvitskii 2007): shape (runs, k, d).

    The first mean of each run is a random province; each further one is drawn with probability
    proportional to the squared distance from the nearest mean already chosen.
    """
    n = len(X)
    idx = np.empty((runs, k), dtype=int)
    idx[:, 0] = rng.integers(n, size=runs)
    d2 = ((X[None, :, :] - X[idx[:, 0]][:, None, :]) ** 2).sum(axis=2)          # (runs, n)
    for j in range(1, k):
        cum = np.cumsum(d2, axis=1)
        total = cum[:, -1]
        u = rng.random(runs) * total
        pick = np.minimum((cum <= u[:, None]).sum(axis=1), n - 1)                 # inverse-CDF draw
        flat = total <= 0                                                         # every point is a mean
        if flat.any():
            pick[flat] = rng.integers(n, size=int(flat.sum()))
        idx[:, j] = pick
        d2 = np.minimum(d2, ((X[None, :, :] - X[pick][:, None, :]) ** 2).sum(axis=2))
    return X[idx]


def _lloyd(X: np.ndarray, centres: np.ndarray, max_iter: int):
    """Lloyd's iterations for every run at once; returns labels (runs, n), centres, W per run, iterations."""
    runs, k, _dims = centres.shape
    n = len(X)
    rows = np.arange(runs)[:, None]
    labels = None
    it = 0
    xx = (X ** 2).sum(axis=1)
    groups = np.arange(k)
    for it in range(1, max_iter + 1):
        # squared distances |x|^2 - 2 x.c + |c|^2, as one matrix product for every run: (runs, n, k)
        d2 = xx[None, :, None] - 2 * (X @ centres.transpose(0, 2, 1)) + (centres ** 2).sum(axis=2)[:, None, :]
        new = d2.argmin(axis=2)                                                   # ties: lower group
        onehot = new[:, :, None] == groups                                        # (runs, n, k)
        counts = onehot.sum(axis=1)                                               # (runs, k)
        for r, c in zip(*np.nonzero(counts == 0)):   # an empty group takes the worst-fitted point
            fit = d2[r, np.arange(n), new[r]]
            fit[counts[r, new[r]] <= 1] = -np.inf     # never empty another group
            worst = int(fit.argmax())
            counts[r, new[r, worst]] -= 1
            new[r, worst] = c
            counts[r, c] += 1
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        onehot = (labels[:, :, None] == groups).astype(float)
        centres = (onehot.transpose(0, 2, 1) @ X) / counts[:, :, None]            # group means
    inertia = ((X[None, :, :] - centres[rows, labels]) ** 2).sum(axis=(1, 2))
    return labels, centres, inertia, it


def kmeans(X, k: int, seed: int = 0, n_init: int = 100, max_iter: int = 300) -> KMeans:
    """k-means with k-means++ starts: the best of ``n_init`` runs from ``numpy.random.default_rng(seed)``.

    All runs are computed together (as arrays), so many restarts cost little. Labels are numbered
    1..k in order of first appearance (:func:`relabel`); the best run is the one with the smallest
    within-group sum of squares (the first such run on a tie).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or not np.isfinite(X).all():
        raise ValueError("kmeans: X must be a finite 2-D array (provinces x features)")
    k = _check_k(X, k)
    runs = max(1, int(n_init))
    rng = np.random.default_rng(seed)
    labels, centres, inertias, it = _lloyd(X, _plus_plus(X, k, runs, rng), max_iter)
    best = int(np.flatnonzero(inertias <= inertias.min() + 1e-9)[0])
    canon = relabel(labels[best])
    order = [labels[best][canon == c][0] for c in range(1, k + 1)]
    return KMeans(canon, centres[best][order], float(inertias[best]), it, inertias)


def ward(X, k: int) -> np.ndarray:
    """Ward's agglomerative grouping into ``k`` groups; labels 1..k in order of first appearance.

    Deterministic: on a tie the pair that comes first (lowest row numbers) is merged.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or not np.isfinite(X).all():
        raise ValueError("ward: X must be a finite 2-D array (provinces x features)")
    k = _check_k(X, k)
    n = len(X)
    members = [[i] for i in range(n)]
    size = np.ones(n)
    mean = X.copy()
    alive = np.ones(n, dtype=bool)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    while alive.sum() > k:
        sq = ((mean[:, None, :] - mean[None, :, :]) ** 2).sum(axis=2)
        cost = size[:, None] * size[None, :] / (size[:, None] + size[None, :]) * sq
        cost[~(upper & alive[:, None] & alive[None, :])] = np.inf
        a, b = divmod(int(cost.argmin()), n)       # the first pair (row by row) on a tie
        mean[a] = (size[a] * mean[a] + size[b] * mean[b]) / (size[a] + size[b])
        size[a] += size[b]
        members[a] += members[b]
        alive[b] = False
    alive = list(np.flatnonzero(alive))
    labels = np.empty(len(X), dtype=int)
    for g, a in enumerate(alive):
        labels[members[a]] = g
    return relabel(labels)


def silhouette(X, labels) -> float:
    """Mean silhouette width (Rousseeuw 1987): for each point (b - a) / max(a, b), where a is
    its mean distance to its own group and b to the nearest other group; 0 for a point alone."""
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    groups = np.unique(labels)
    if len(groups) < 2:
        raise EdgeCase(_("A silhouette needs at least two groups."))
    d = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    onehot = (labels[:, None] == groups[None, :]).astype(float)             # units x groups
    size = onehot.sum(axis=0)
    total = d @ onehot                                                      # distance sums to each group
    own = onehot.astype(bool)
    a = np.where(size[own.argmax(axis=1)] > 1,
                 total[own] / np.maximum(size[own.argmax(axis=1)] - 1, 1), 0.0)   # self-distance is 0
    mean_other = np.where(own, np.inf, total / size)
    b = mean_other.min(axis=1)
    top = np.maximum(a, b)
    s = np.where((size[own.argmax(axis=1)] > 1) & (top > 0), (b - a) / np.where(top > 0, top, 1), 0.0)
    return float(s.mean())


def group_provinces(features: pd.DataFrame, k: int, seed: int = 0, n_init: int = 100,
                    method: str = "kmeans", standardised: bool = True) -> pd.Series:
    """Group the rows of a feature table into ``k`` groups, deterministically.

    Parameters
    ----------
    features : DataFrame
        One row per province (index: province code or name), one numeric column per feature,
        no missing values.
    k : int
        Number of groups.
    seed, n_init : int
        Random seed and number of k-means restarts (ignored by Ward).
    method : {"kmeans", "ward"}
    standardised : bool
        Standardise the columns first (:func:`standardise`); pass False for columns already on
        a common scale.

    Returns
    -------
    Series of int
        Group numbers 1..k, indexed like ``features`` (same order). The rows are sorted by their
        index before clustering and the groups numbered by first appearance in that order, so
        the labels do not depend on the order of the rows.

    Raises
    ------
    EdgeCase
        No feature, or more groups than distinct profiles.
    """
    if features.shape[1] == 0:
        raise EdgeCase("Choose at least one feature to group the provinces by.")
    if method not in ("kmeans", "ward"):
        raise ValueError("method must be 'kmeans' or 'ward'")
    ordered = features.sort_index()
    z = standardise(ordered) if standardised else ordered.astype(float)
    X = z.to_numpy()
    labels = kmeans(X, k, seed=seed, n_init=n_init).labels if method == "kmeans" else ward(X, k)
    return pd.Series(labels, index=ordered.index, name="group").reindex(features.index)


# --------------------------------------------------------------------------- comparisons
def contingency(a, b) -> pd.DataFrame:
    """Counts of provinces in each pair of groups: rows = groups of ``a``, columns = groups of ``b``."""
    return pd.crosstab(pd.Series(np.asarray(a), name="a"), pd.Series(np.asarray(b), name="b"))


def _counts(a, b) -> np.ndarray:
    """The contingency counts as a plain array (rows: groups of a, columns: groups of b)."""
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    kb = bi.max() + 1
    return np.bincount(ai * kb + bi, minlength=(ai.max() + 1) * kb).reshape(-1, kb)


def _comb2(x):
    x = np.asarray(x, dtype=float)
    return x * (x - 1) / 2


def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index of two groupings of the same units (Hubert & Arabie 1985).

    With the contingency counts :math:`n_{ij}`, row sums :math:`a_i`, column sums :math:`b_j` and
    :math:`n` units: :math:`ARI=\\dfrac{\\sum_{ij}\\binom{n_{ij}}{2}-E}{\\tfrac12\\big[\\sum_i\\binom{a_i}{2}
    +\\sum_j\\binom{b_j}{2}\\big]-E}`, :math:`E=\\sum_i\\binom{a_i}{2}\\sum_j\\binom{b_j}{2}\\big/\\binom n2`.
    1 for identical partitions (whatever the group names); 1 as well when both put every unit in one
    group (nothing to disagree about).

    >>> round(adjusted_rand_index([1, 1, 2, 2], [1, 2, 1, 2]), 9)      # worse than chance
    -0.5
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("adjusted_rand_index: two groupings of the same units are needed")
    n = len(a)
    if n < 2:
        raise ValueError("adjusted_rand_index: at least two units are needed")
    table = _counts(a, b)
    index = _comb2(table).sum()
    sa, sb = _comb2(table.sum(axis=1)).sum(), _comb2(table.sum(axis=0)).sum()
    expected = sa * sb / _comb2(n)
    top = (sa + sb) / 2
    if top == expected:
        return 1.0
    return float((index - expected) / (top - expected))


def permutation_ari(a, b, n: int = 4999, seed: int = 0):
    """The ARI of ``a`` and ``b`` and how often shuffling ``b`` gives at least as high a value.

    Returns ``(ari, p_value, null)``: ``null`` holds the ARIs of ``n`` seeded random
    re-assignments of ``b``'s labels to the units (group sizes kept), and
    ``p = (1 + #{null >= ari}) / (n + 1)``.
    """
    a, b = np.asarray(a), np.asarray(b)
    observed = adjusted_rand_index(a, b)
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    ka, kb, m = ai.max() + 1, bi.max() + 1, len(a)
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((n, m)), axis=1)            # n random orderings of the units
    cell = ai[None, :] * kb + bi[perms]                         # contingency cell of each unit
    flat = (np.arange(n)[:, None] * (ka * kb) + cell).ravel()              # one block of cells per shuffle
    counts = np.bincount(flat, minlength=n * ka * kb).reshape(n, ka * kb)
    index = _comb2(counts).sum(axis=1)
    sa = _comb2(np.bincount(ai)).sum()
    sb = _comb2(np.bincount(bi)).sum()
    expected = sa * sb / _comb2(m)
    top = (sa + sb) / 2
    null = (index - expected) / (top - expected) if top != expected else np.ones(n)
    p = (1 + int((null >= observed - 1e-12).sum())) / (n + 1)
    return observed, p, null


@dataclass
class Contrast:
    """Two sets of provinces compared on one statistic, with a permutation p-value (one-sided: a > b)."""

    statistic: str
    a: float
    b: float
    n_a: int
    n_b: int
    p_value: float

    @property
    def difference(self) -> float:
        return self.a - self.b


def _mean_pairwise(D: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Mean distance over the pairs inside each membership row (member: runs x units, boolean)."""
    m = member.astype(float)
    k = m.sum(axis=1)
    inside = np.einsum("ri,ij,rj->r", m, D, m) / 2
    return inside / (k * (k - 1) / 2)


def group_difference(values, groups: pd.Series, a, b, statistic: str = "mean", n: int = 4999,
                     seed: int = 0) -> Contrast:
    """Is statistic(a) larger than statistic(b)? A permutation test over the provinces of a and b.

    ``statistic="mean"``: ``values`` is a Series; compare the group means. ``statistic="spread"``:
    ``values`` is a DataFrame of standardised features; compare the mean Euclidean distance between
    the members of each group (how different the provinces *within* a group are from each other).
    The p-value shuffles the group labels of the provinces in ``a`` and ``b`` (sizes kept) ``n``
    times: ``p = (1 + #{shuffled difference >= observed}) / (n + 1)``.

    >>> v = pd.Series([5.0, 6.0, 7.0, 1.0, 2.0, 3.0], index=list("uvwxyz"))
    >>> g = pd.Series(["E", "E", "E", "W", "W", "W"], index=list("uvwxyz"))
    >>> c = group_difference(v, g, ["E"], ["W"], n=4999)
    >>> c.a, c.b, 0.04 < c.p_value < 0.06      # 1 of the 20 possible splits is this extreme: p near 1/20
    (6.0, 2.0, True)
    """
    a, b = [a] if isinstance(a, str) else list(a), [b] if isinstance(b, str) else list(b)
    keep = groups.isin(a + b)
    idx = groups.index[keep]
    in_a = groups[keep].isin(a).to_numpy()
    if in_a.sum() < 2 or (~in_a).sum() < 2:
        raise EdgeCase(_("Each side of the comparison needs at least two provinces."))
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((n, len(idx))), axis=1)
    shuffled = in_a[perms]                                       # n random re-assignments, sizes kept
    if statistic == "mean":
        x = pd.Series(values).reindex(idx).to_numpy(dtype=float)
        obs_a, obs_b = x[in_a].mean(), x[~in_a].mean()
        null = (shuffled * x).sum(axis=1) / in_a.sum() - (~shuffled * x).sum(axis=1) / (~in_a).sum()
    elif statistic == "spread":
        X = pd.DataFrame(values).reindex(idx).to_numpy(dtype=float)
        D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
        obs_a, obs_b = (float(v[0]) for v in (_mean_pairwise(D, in_a[None]), _mean_pairwise(D, ~in_a[None])))
        null = _mean_pairwise(D, shuffled) - _mean_pairwise(D, ~shuffled)
    else:
        raise ValueError("statistic must be 'mean' or 'spread'")
    p = (1 + int((null >= (obs_a - obs_b) - 1e-12).sum())) / (n + 1)
    return Contrast(statistic, float(obs_a), float(obs_b), int(in_a.sum()), int((~in_a).sum()), p)


# --------------------------------------------------------------------------- reading the groups
def group_profiles(raw: pd.DataFrame, z: pd.DataFrame, labels: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean raw values and mean z-scores of every group (rows: groups 1..k)."""
    lab = np.asarray(labels)
    groups = np.unique(lab)
    onehot = (lab[:, None] == groups[None, :]).astype(float)
    size = onehot.sum(axis=0)[:, None]
    index = pd.Index(groups, name=getattr(labels, "name", None))
    raw_mean = pd.DataFrame(onehot.T @ raw.to_numpy(dtype=float) / size, index=index, columns=raw.columns)
    z_mean = pd.DataFrame(onehot.T @ z.to_numpy(dtype=float) / size, index=index, columns=z.columns)
    return raw_mean, z_mean


def describe_groups(z_mean: pd.DataFrame, top: int = 2) -> pd.Series:
    """A short description of each group from its most distinctive features (largest |mean z|).

    >>> describe_groups(pd.DataFrame({"a": [1.2, -0.3], "b": [0.1, -1.5]}, index=[1, 2]), top=1).tolist()
    ['high a', 'low b']
    """
    out = {}
    for g, row in z_mean.iterrows():
        keys = row.abs().sort_values(ascending=False).index[:top]
        words = []
        for key in keys:
            label = FEATURES[key].label.replace(" (log)", "") if key in FEATURES else key
            if not label.split()[0].isupper() and "&" not in label.split()[0]:
                label = label[0].lower() + label[1:]             # "industry share", but "GDP", "R&D"
            if is_chinese() and key in FEATURES:   # the translated label, without its "(log)"
                label = _(FEATURES[key].label).replace(_(" (log)").strip(), "").strip()
            words.append(_f("high {label}") if row[key] > 0 else _f("low {label}"))
        out[g] = _(", ").join(words)
    return pd.Series(out, name="description")


# --------------------------------------------------------------------------- the widget
@dataclass
class Grouping:
    """What :func:`explore` returns."""

    features: tuple
    k: int
    labels: pd.Series           # 1..k by province code
    raw_mean: pd.DataFrame
    z_mean: pd.DataFrame
    sizes: pd.Series
    descriptions: pd.Series
    ari: float
    p_value: float
    null_mean: float
    table: pd.DataFrame         # groups x NBS regions
    names: pd.Series


def explore(data: pd.DataFrame, regions: pd.Series, names: pd.Series, features=DEFAULT_FEATURES, k: int = 4,
            seed: int = 0, permutations: int = 999) -> Grouping:
    """The pure function behind the lesson's Explorer: group by ``features`` into ``k`` groups.

    ``data`` is :func:`endowment_table` (logs taken); ``regions`` and ``names`` are indexed by
    province code. Returns the groups, their profiles and the comparison with the NBS regions.
    """
    features = tuple(features)
    if not features:
        raise EdgeCase("Choose at least one feature to group the provinces by.")
    unknown = [f for f in features if f not in data.columns]
    if unknown:
        raise ValueError(f"unknown feature(s): {', '.join(unknown)}")
    raw = data[list(features)]
    if int(k) > 8:
        raise EdgeCase("At most 8 groups can be told apart on the map; choose k of 8 or fewer.")
    labels = group_provinces(raw, k, seed=seed)
    z = standardise(raw)
    raw_mean, z_mean = group_profiles(raw, z, labels)
    reg = regions.reindex(labels.index)
    ari, p, null = permutation_ari(labels.to_numpy(), reg.to_numpy(), n=permutations, seed=seed)
    lab = labels.to_numpy()
    regs = reg.to_numpy()
    table = pd.DataFrame({r: [int(((lab == g) & (regs == r)).sum()) for g in range(1, int(k) + 1)] for r in REGIONS},
                         index=pd.Index(range(1, int(k) + 1), name="group"))
    table.columns.name = "NBS region"
    sizes = pd.Series(np.bincount(lab, minlength=int(k) + 1)[1:], index=table.index)
    return Grouping(features, int(k), labels, raw_mean, z_mean, sizes,
                    describe_groups(z_mean), ari, p, float(null.mean()), table, names)


def _group_name(g: int) -> str:
    return _f("Group {g}")


def _finding(r: Grouping) -> str:
    if r.ari >= 0.8:
        return _f("{r.k} endowment groups almost reproduce the four NBS regions (adjusted Rand index {r.ari:.2f})")
    if r.p_value < 0.05:
        return _f("{r.k} endowment groups overlap with, but do not reproduce, the four NBS regions "
                  "(adjusted Rand index {r.ari:.2f})")
    return _f("{r.k} endowment groups are no closer than chance to the four NBS regions (adjusted Rand index {r.ari:.2f})")


def profiles_html(r: Grouping) -> str:
    """The group profiles: size, description, mean z-score of each feature (signed, 2 decimals)."""
    head = "".join(f"<th>{html.escape(_(FEATURES[f].label))}</th>" for f in r.features)
    rows = []
    groups = _members(r)
    for g in r.z_mean.index:
        cells = "".join(
            f"<td style='text-align:right'>{r.z_mean.at[g, f]:+.2f}</td>" for f in r.features)
        shown = _(", ").join(groups.get(g, []))
        rows.append(f"<tr><th scope='row'>{_group_name(g)} ({int(r.sizes[g])})</th>"
                    f"<td>{html.escape(r.descriptions[g])}</td>{cells}"
                    f"<td style='font-size:11px'>{html.escape(shown)}</td></tr>")
    caption = _("Group profiles: mean z-score of each feature "
                "(0 = the 31-province mean, +1 = one standard deviation above it)")
    first, distinctive, members = _("group (provinces)"), _("most distinctive"), _("members")
    return ("<table class='course-table' style='font-size:12px;border-collapse:collapse'>"
            f"<caption style='text-align:left'>{caption}</caption>"
            f"<thead><tr><th>{first}</th><th>{distinctive}</th>{head}<th>{members}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def summary_html(r: Grouping) -> str:
    text = _f("Against the four NBS regions: adjusted Rand index {r.ari:.2f} (1 = the same grouping; "
              "random groupings of these sizes average {r.null_mean:.2f}); a shuffled grouping scores at least as "
              "high in {r.p_value:.1%} of 999 seeded shuffles. k-means, seed 0, 100 restarts, standardised features.")
    return f"<p class='course-summary' style='font-size:13px'>{html.escape(text)}</p>"


def _members(r: Grouping) -> dict:
    """Each group's members (names in the student's language), in the order of ``r.labels``."""
    groups: dict = {}
    for g, name in zip(r.labels.tolist(), r.names.reindex(r.labels.index).tolist()):
        groups.setdefault(g, []).append(province(name))
    return groups


def alt_text(r: Grouping) -> str:
    parts = []
    groups = _members(r)
    for g in r.z_mean.index:
        members = _(", ").join(groups.get(g, []))
        description = r.descriptions[g]
        parts.append(_f("group {g} ({description}): {members}"))
    features = _(", ").join(_(FEATURES[f].label) for f in r.features)
    parts = _("; ").join(parts)
    return _f("Tile map of the 31 provinces coloured and lettered by their endowment group (k = {r.k}, features: "
              "{features}). {parts}. Adjusted Rand index with the NBS regions {r.ari:.2f}.")


def render(r: Grouping, reuse: dict | None = None):
    """The Explorer's view: tile map of the groups, a summary line and the profile table.

    ``reuse`` (a dict kept by the Explorer) holds the previous redraw's figure; its map is updated
    in place when it can be (``tile_map(update=True)``: the same pixels as a new figure, for less
    work), else a new figure is drawn and kept there for the next redraw.
    """
    import matplotlib.pyplot as plt

    from course import plots

    cats = pd.Series(pd.Categorical([_group_name(g) for g in r.labels],
                                    categories=[_group_name(g) for g in range(1, r.k + 1)]), index=r.labels.index)
    with plots.course_style():
        fig = None
        if reuse and reuse.get("fig") is not None:
            if plots.tile_map(categories=cats, ax=reuse["ax"], label=_("endowment group"), update=True) is not None:
                fig = reuse["fig"]
        if fig is None:
            fig = plt.figure(figsize=(5.0, 4.9), dpi=100)
            ax = fig.add_axes([0.0, 0.0, 1.0, 0.86])
            plots.tile_map(categories=cats, ax=ax, label=_("endowment group"))
            if reuse is not None:
                reuse.update(fig=fig, ax=ax)
        plots.finding_title(fig, _finding(r), width=48)
    return [fig, summary_html(r), profiles_html(r)]


def explorer(data: pd.DataFrame | None = None, features=DEFAULT_FEATURES, k: int = 4):
    """The lesson's widget: features and k -> tile map of the groups and their profiles."""
    import ipywidgets as w

    from course.data import load
    from course.widgets import Explorer, once_per_setting

    data = endowment_table() if data is None else data
    prov = load("provinces").set_index("province_code")
    regions, names = prov["nbs_region_en"], prov["province_en"]
    controls = {
        "features": w.SelectMultiple(options=[(_(f.label), key) for key, f in FEATURES.items()], value=tuple(features),
                                     rows=len(FEATURES), description=_("Features"), layout=w.Layout(width="420px")),
        "k": w.IntSlider(value=k, min=2, max=8, description=_("Groups (k)"), continuous_update=False),
    }

    @once_per_setting  # k-means and 999 permutations take ~15 ms; the profiles' descriptions are translated
    def compute(features, k):
        return explore(data, regions, names, features, k)

    reuse: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda r: render(r, reuse), alt=alt_text, title=_("Group the provinces by their endowments"),
                    caption=_("Features: see the lesson's feature table (NBS, CSYST). k-means on standardised features."))
