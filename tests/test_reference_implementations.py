"""The course's measures and data package agree with the field's own reference implementations.

* Gini, Theil T and the between/within Theil decomposition against PySAL's ``inequality`` package
  (Rey et al.), on the course's provincial GDP per capita: every year, both GDP vintages, computed
  (GRP / year-end population, :func:`course.regional.per_capita_panel`) and as published by NBS.
* Entropy weights and TOPSIS against ``pymcdm`` (Kizielewicz, Shekhovtsov and Salabun), on real
  provincial indicators, once both sides use the same normalisation. Where the defaults differ on
  purpose (see the docstrings of :func:`course.measures.entropy_weights` and
  :func:`course.measures.topsis`), the tests show that they differ, so the docstrings stay true.
* ``datasets/datapackage.json`` is valid for the ``frictionless`` framework (the Frictionless Data
  reference implementation): every resource, every row.

These libraries are test-only dependencies (README, "Why these dependencies"). The expected values
come from the libraries, never from the course's own output.
"""
from __future__ import annotations

import frictionless
import inequality.gini as inequality_gini
import inequality.theil as inequality_theil
import numpy as np
import pandas as pd
import pytest
from pymcdm import normalizations
from pymcdm.methods import TOPSIS
from pymcdm.weights import entropy_weights as pymcdm_entropy

import course
from course import measures, regional

# Declared test dependencies (installed by `make setup`): a missing one is an error, not a skip.

TOL = 1e-10


# --------------------------------------------------------------------------------------------------
# Inequality: PySAL `inequality`
# --------------------------------------------------------------------------------------------------
def _cross_sections():
    """(label, values, regions) for every year of every GDP-per-capita series the course uses."""
    gdp, pop = course.load("province_gdp"), course.load("province_population")
    va = course.load("province_value_added")
    out = []
    for vintage in regional.VINTAGES:
        panel = regional.per_capita_panel(gdp, pop, vintage)
        for year, g in panel.groupby("year"):
            out.append((f"computed {vintage} {year}", g["gdp_per_capita_yuan"].to_numpy(),
                        g["nbs_region_en"].to_numpy()))
        pub = va[va["vintage"] == vintage]
        for year, g in pub.groupby("year"):
            out.append((f"published {vintage} {year}", g["gdp_per_capita_yuan"].to_numpy(dtype=float),
                        g["nbs_region_en"].to_numpy()))
    return out


SECTIONS = _cross_sections()


def test_the_comparison_covers_the_course_panels():
    assert len(SECTIONS) >= 40
    assert all(len(v) == 31 and len(set(r)) == 4 for _, v, r in SECTIONS)


def test_gini_agrees_with_pysal():
    diffs = [abs(measures.gini(v) - inequality_gini.Gini(v).g) for _, v, _ in SECTIONS]
    assert max(diffs) < TOL


def test_theil_t_agrees_with_pysal():
    diffs = [abs(measures.theil_t(v) - float(np.squeeze(inequality_theil.Theil(v).T))) for _, v, _ in SECTIONS]
    assert max(diffs) < TOL


def test_theil_decomposition_agrees_with_pysal():
    """Unweighted (every province counts once), the NBS four regions as groups, as PySAL's TheilD."""
    worst = 0.0
    for label, v, r in SECTIONS:
        ours = measures.theil_decomposition(v, r)
        ref = inequality_theil.TheilD(v, r)
        for a, b in ((ours.total, ref.T), (ours.between, ref.bg), (ours.within, ref.wg)):
            worst = max(worst, abs(a - float(np.squeeze(b))))
        # PySAL takes "within" as total minus between; the course computes it from the groups
        assert ours.between + ours.within == pytest.approx(ours.total, abs=1e-14), label
    assert worst < TOL


def test_a_wrong_measure_would_not_agree():
    """The comparison can fail: Gini with the small-sample factor n/(n-1) is off by far more than TOL."""
    _, v, _ = SECTIONS[-1]
    n = len(v)
    assert abs(measures.gini(v) * n / (n - 1) - inequality_gini.Gini(v).g) > 1e-3


# --------------------------------------------------------------------------------------------------
# Composite indices: pymcdm
# --------------------------------------------------------------------------------------------------
BENEFIT = ["rd_intensity_pct", "invention_patents_in_force", "hightech_revenue_100m_yuan",
           "tech_market_turnover_100m_yuan"]
COST = "energy_intensity_change_pct"     # a rise in energy use per unit of GRP is bad


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    """30 provinces (Xizang has no 2020 energy figure) x four benefit and one cost indicator, real data."""
    prof = course.load("province_profile_2023").set_index("province_en")[BENEFIT]
    energy = course.load("province_energy_intensity_change_2020").set_index("province_en")[COST]
    frame = prof.join(energy, how="inner").dropna()
    assert len(frame) == 30
    return frame.astype(float)


DIRECTIONS = {**{c: "+" for c in BENEFIT}, COST: "-"}
TYPES = np.array([1 if DIRECTIONS[c] == "+" else -1 for c in BENEFIT + [COST]])
WEIGHTS = np.array([0.3, 0.25, 0.2, 0.15, 0.1])


def test_entropy_weights_agree_with_pymcdm_on_the_same_normalised_matrix(indicators):
    scaled = measures.minmax(indicators, DIRECTIONS)
    for shift in (1e-4, 1e-2):
        ours = measures.entropy_weights(scaled, shift=shift).to_numpy()
        # pymcdm forms p_ij = x_ij / sum_i x_ij from whatever it is given: give it the shifted min-max matrix
        ref = pymcdm_entropy(scaled.to_numpy() + shift)
        assert np.abs(ours - ref).max() < TOL


def test_entropy_weights_differ_from_pymcdm_defaults_as_documented(indicators):
    """pymcdm on the raw matrix (no min-max, no shift) is a different definition: the weights move."""
    scaled = measures.minmax(indicators[BENEFIT], "+")
    ours = measures.entropy_weights(scaled).to_numpy()
    raw = pymcdm_entropy(indicators[BENEFIT].to_numpy())
    assert np.abs(ours - raw).max() > 0.01
    # and a min-max column contains a 0, which pymcdm refuses (ln 0); the course shifts by 1e-4 instead
    with pytest.raises(ValueError, match="positive"):
        pymcdm_entropy(scaled.to_numpy())


def test_topsis_vector_normalisation_agrees_with_pymcdm(indicators):
    data = indicators[BENEFIT].copy()
    data["energy_as_cost"] = data["rd_intensity_pct"].rank()      # a positive cost column, to test that branch
    dirs = {**{c: "+" for c in BENEFIT}, "energy_as_cost": "-"}
    types = np.array([1, 1, 1, 1, -1])
    ours = measures.topsis(data, WEIGHTS, dirs).to_numpy()
    ref = TOPSIS(normalizations.vector_normalization)(data.to_numpy(), WEIGHTS, types)
    assert np.abs(ours - ref).max() < TOL


def test_topsis_minmax_agrees_with_pymcdm_default(indicators):
    """pymcdm's default TOPSIS min-max normalises (cost columns reversed) = course minmax, then 'none'."""
    scaled = measures.minmax(indicators, DIRECTIONS)
    ours = measures.topsis(scaled, WEIGHTS, normalization="none").to_numpy()
    ref = TOPSIS()(indicators.to_numpy(), WEIGHTS, TYPES)
    assert np.abs(ours - ref).max() < TOL


def test_entropy_topsis_pipeline_agrees_with_pymcdm(indicators):
    scaled = measures.minmax(indicators, DIRECTIONS)
    w = measures.entropy_weights(scaled)
    ours = measures.topsis(scaled, w, normalization="none").to_numpy()
    ref = TOPSIS()(indicators.to_numpy(), pymcdm_entropy(scaled.to_numpy() + 1e-4), TYPES)
    assert np.abs(ours - ref).max() < TOL


def test_topsis_defaults_differ_as_documented(indicators):
    """The course's default (vector) and pymcdm's default (min-max) give different closeness values."""
    data = indicators[BENEFIT]
    w = WEIGHTS[:4] / WEIGHTS[:4].sum()
    ours = measures.topsis(data, w).to_numpy()
    ref = TOPSIS()(data.to_numpy(), w, np.ones(4))
    assert np.abs(ours - ref).max() > 0.01


# --------------------------------------------------------------------------------------------------
# The data package: frictionless
# --------------------------------------------------------------------------------------------------
def test_frictionless_validates_every_resource():
    report = frictionless.validate(str(course.data.DATASETS_DIR / "datapackage.json"))
    names = [r["name"] for r in course.data._package()["resources"]]
    problems = [(t.name, [e.message for e in t.errors[:2]]) for t in report.tasks if not t.valid]
    assert not problems, problems
    assert report.valid and sorted(t.name for t in report.tasks) == sorted(names)
    rows = {t.name: t.stats["rows"] for t in report.tasks}
    assert all(rows[r["name"]] == r["rows"] for r in course.data._package()["resources"])


def test_frictionless_catches_a_damaged_copy(tmp_path):
    """The check can fail: a text cell in a number column is reported as a type error."""
    import json
    import shutil

    for p in course.data.DATASETS_DIR.iterdir():
        shutil.copy(p, tmp_path / p.name)
    path = tmp_path / "province_internet.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[30].split(",")
    cells[6] = "n/a"
    lines[30] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert any(r["name"] == "province_internet" for r in package["resources"])
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    bad = [t for t in report.tasks if not t.valid]
    assert [t.name for t in bad] == ["province_internet"]
    assert any(e.type == "type-error" for e in bad[0].errors)
