"""Internal consistency of the course datasets (datasets/*.csv and datasets/datapackage.json).

These tests read the CSV files with pandas directly (not through course.data) and check relations that
must hold between published figures: sums, ratios, vintages and coverage. Every expected value is
derived from another table or from an accounting identity, never copied from the build script's output.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
PROVINCES = [110000, 120000, 130000, 140000, 150000, 210000, 220000, 230000, 310000, 320000, 330000,
             340000, 350000, 360000, 370000, 410000, 420000, 430000, 440000, 450000, 460000, 500000,
             510000, 520000, 530000, 540000, 610000, 620000, 630000, 640000, 650000]
NATIONAL = 100000
TIANJIN, LIAONING = 120000, 210000


@pytest.fixture(scope="session")
def package() -> dict:
    with open(DATASETS / "datapackage.json", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="session")
def resources(package) -> dict[str, dict]:
    return {r["name"]: r for r in package["resources"]}


def raw(name: str) -> pd.DataFrame:
    """The table as text, blanks as ''."""
    return pd.read_csv(DATASETS / f"{name}.csv", dtype=str, keep_default_na=False)


def table(name: str) -> pd.DataFrame:
    """The table with numbers parsed (blank -> NaN)."""
    return pd.read_csv(DATASETS / f"{name}.csv")


with open(DATASETS / "datapackage.json", encoding="utf-8") as _fh:
    _PKG = json.load(_fh)
NAMES = [r["name"] for r in _PKG["resources"]]
PROVINCE_TABLES = [r["name"] for r in _PKG["resources"] if r.get("provinces")]


# --------------------------------------------------------------------------------------------------
# Descriptor <-> files
# --------------------------------------------------------------------------------------------------
def test_package_shape(package):
    assert package["profile"] == "tabular-data-package"
    for key in ("name", "title", "licenses", "resources"):
        assert package[key]
    csvs = sorted(p.stem for p in DATASETS.glob("*.csv"))
    assert csvs == sorted(NAMES), "every CSV has a resource and every resource a CSV"
    for r in package["resources"]:
        assert r["path"] == f"{r['name']}.csv"
        assert r["format"] == "csv" and r["encoding"] == "utf-8"
        assert r["schema"]["missingValues"] == [""]
        assert isinstance(r["provinces"], bool)
        assert r["licenses"] and all(lic.get("name") and lic.get("title") for lic in r["licenses"])
        assert r["sources"], f"{r['name']}: no sources"
        for s in r["sources"]:
            for key in ("id", "title", "publisher", "publication", "table", "years", "licence"):
                assert s.get(key), f"{r['name']}: source {s.get('id')} lacks {key}"


def test_sources_cite_original_publishers(package):
    text = json.dumps(package, ensure_ascii=False)
    assert "reference-data" not in text and "reference folder" not in text
    pwt = [s for r in package["resources"] for s in r["sources"] if s["id"] == "pwt1001"]
    assert pwt and all("Penn World Table" in s["title"] and "Feenstra" in s["title"] for s in pwt)
    assert all(s["licence"] == "Creative Commons Attribution 4.0 International" for s in pwt)


@pytest.mark.parametrize("name", NAMES)
def test_columns_described_and_vice_versa(name, resources):
    header = list(raw(name).columns)
    fields = [f["name"] for f in resources[name]["schema"]["fields"]]
    assert header == fields
    for f in resources[name]["schema"]["fields"]:
        assert f["type"] in {"integer", "number", "string", "year"}
        assert f.get("title") and f.get("description") and f.get("unit"), f["name"]
        assert "required" in f["constraints"]
        assert not re.search(r"[\u4e00-\u9fff]", f["title"]), "titles may end up on charts: no CJK"


@pytest.mark.parametrize("name", NAMES)
def test_source_ids_are_described(name, resources):
    frame = raw(name)
    described = {s["id"] for s in resources[name]["sources"]}
    col = next((c for c in ("source_id", "source_ids") if c in frame.columns), None)
    if col is None:
        assert name == "provinces"
        return
    used = {sid for value in frame[col] for sid in value.split(";") if sid}
    assert used, f"{name}: empty source ids"
    assert used <= described, f"{name}: undescribed {sorted(used - described)}"
    assert described <= used, f"{name}: described but unused {sorted(described - used)}"


@pytest.mark.parametrize("name", NAMES)
def test_text_format(name):
    data = (DATASETS / f"{name}.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r" not in data, "LF line endings only"
    assert data.endswith(b"\n")
    data.decode("utf-8")


# The digital-finance index stores 2016-2023 at the full precision of the publisher's workbook (doubles,
# up to 13 decimals); the build copies the text unchanged (documented in the column description).
FULL_PRECISION = {"province_digital_finance_pku"}


@pytest.mark.parametrize("name", NAMES)
def test_constraints_keys_and_number_text(name, resources):
    res = resources[name]
    frame = raw(name)
    key = res["schema"]["primaryKey"]
    assert not frame.duplicated(key).any(), f"{name}: duplicated primary key"
    for f in res["schema"]["fields"]:
        col, c = frame[f["name"]], f["constraints"]
        filled = col[col != ""]
        if c["required"]:
            assert len(filled) == len(col), f"{name}.{f['name']}: blank in a required column"
        if f["type"] in ("integer", "year"):
            # written as integers: no "1052.0"
            assert filled.str.fullmatch(r"-?\d+").all(), f"{name}.{f['name']}"
            values = filled.astype(int)
        elif f["type"] == "number":
            assert filled.str.fullmatch(r"-?\d+(\.\d+)?").all(), f"{name}.{f['name']}"
            # no float noise: at most 12 decimals (PWT has up to 12; OWID's widened floats were shortened)
            if name in FULL_PRECISION:
                # the publisher's own doubles: each text is the shortest repr of its value, nothing added
                assert all(repr(float(v)) == v or v.isdigit() for v in filled), f"{name}.{f['name']}"
            else:
                assert not filled.str.contains(r"\.\d{13,}").any(), f"{name}.{f['name']}: float noise"
            values = filled.astype(float)
        else:
            values = filled
        if "enum" in c:
            assert set(values) <= set(c["enum"]), f"{name}.{f['name']}"
        if "minimum" in c:
            assert (values >= c["minimum"]).all(), f"{name}.{f['name']}"
        if "maximum" in c:
            assert (values <= c["maximum"]).all(), f"{name}.{f['name']}"


# These two keep the order of the source table (bulletin order: the total, then each section
# followed by its divisions; NCSES table order) because that order carries meaning.
SOURCE_ORDER = ("rd_by_industry_2022", "rd_intensity_oecd_2019")


@pytest.mark.parametrize("name", [n for n in NAMES if n not in SOURCE_ORDER])
def test_rows_sorted_by_natural_key(name, resources):
    key = resources[name]["schema"]["primaryKey"]
    frame = table(name)
    if name == "capacity_utilization":
        key = ["period"]  # industries keep the release order within a period
    ordered = frame.sort_values(key, kind="mergesort")
    assert list(ordered.index) == list(frame.index)


# --------------------------------------------------------------------------------------------------
# Coverage of the 31 provinces
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PROVINCE_TABLES)
def test_all_31_provinces_per_group(name, resources):
    res = resources[name]
    frame = table(name)
    other = [k for k in res["schema"]["primaryKey"] if k != "province_code"]
    groups = frame.groupby(other) if other else [((), frame)]
    national_only = set(res.get("national_only_years", []))
    seen_national_only = set()
    n_groups = 0
    for values, group in groups:
        n_groups += 1
        codes = group["province_code"].tolist()
        provinces = sorted(c for c in codes if c != NATIONAL)
        if other == ["year"] and values[0] in national_only:
            # a declared national-only year: the national row and nothing else
            assert codes == [NATIONAL], f"{name} {values}: declared national-only"
            seen_national_only.add(values[0])
            continue
        assert provinces == PROVINCES, f"{name} {values}: {len(set(provinces))} provinces"
        assert (NATIONAL in codes) == bool(res.get("national_row")), f"{name} {values}: national row"
        national = group[group["province_code"] == NATIONAL]
        if len(national):
            assert (national["nbs_region_en"] == "National").all()
    assert n_groups >= 1
    assert seen_national_only == national_only


def test_region_groups_are_consistent():
    ref = table("provinces").set_index("province_code")["nbs_region_en"]
    assert ref.value_counts().to_dict() == {"West": 12, "East": 10, "Central": 6, "Northeast": 3}
    for name in PROVINCE_TABLES:
        frame = table(name)
        frame = frame[frame["province_code"] != NATIONAL]
        mapped = frame["province_code"].map(ref)
        assert (mapped == frame["nbs_region_en"]).all(), name


def test_tile_grid():
    tiles = table("provinces")
    assert sorted(tiles["province_code"]) == PROVINCES
    assert tiles["tile_row"].between(0, 7).all() and tiles["tile_col"].between(0, 7).all()
    positions = list(zip(tiles["tile_row"], tiles["tile_col"]))
    assert len(set(positions)) == 31, "two provinces share a tile"
    pos = dict(zip(tiles["province_en"], positions))
    # rough geography: north above south, west left of east
    assert pos["Heilongjiang"][0] < pos["Beijing"][0] < pos["Guangdong"][0] < pos["Hainan"][0]
    assert pos["Xinjiang"][1] < pos["Sichuan"][1] < pos["Hubei"][1] < pos["Shanghai"][1]
    # Beijing, Tianjin and Hebei touch each other on the grid
    def touch(a, b):
        return max(abs(pos[a][0] - pos[b][0]), abs(pos[a][1] - pos[b][1])) == 1
    assert touch("Beijing", "Tianjin") and touch("Beijing", "Hebei") and touch("Tianjin", "Hebei")


# --------------------------------------------------------------------------------------------------
# Accounting identities and cross-table relations
# --------------------------------------------------------------------------------------------------
def test_three_industries_add_up_to_grp():
    va = table("province_value_added")
    gap = va["va_primary_100m_yuan"] + va["va_secondary_100m_yuan"] + va["va_tertiary_100m_yuan"] \
        - va["gdp_100m_yuan"]
    assert gap.abs().max() <= 0.1 + 1e-9


def test_value_added_grp_equals_gdp_table():
    va = table("province_value_added")
    gdp = table("province_gdp")
    merged = va.merge(gdp, on=["province_code", "year", "vintage"], suffixes=("", "_gdp"))
    assert len(merged) == len(va)
    assert (merged["gdp_100m_yuan"] == merged["gdp_100m_yuan_gdp"]).all()


def test_provincial_rd_adds_up_to_national_first_published():
    rd = table("province_rd_first_published")
    for year, group in rd.groupby("year"):
        national = group.loc[group["province_code"] == NATIONAL, "rd_expenditure_100m_yuan"].item()
        provinces = group.loc[group["province_code"] != NATIONAL, "rd_expenditure_100m_yuan"].sum()
        assert abs(provinces - national) <= 0.3 + 1e-9, year


def test_sector_employment_adds_up_to_total():
    emp = table("province_employment_by_sector_2024")
    total = emp[emp["sector_code_gbt4754"] == "TOTAL"].set_index("province_code")["employment_10k"]
    sectors = emp[emp["sector_code_gbt4754"] != "TOTAL"].groupby("province_code")["employment_10k"].sum()
    assert emp[emp["sector_code_gbt4754"] != "TOTAL"].groupby("province_code").size().eq(19).all()
    assert ((sectors - total).abs() <= 0.3 + 1e-9).all()
    # and the 2024 totals equal the total-employment panel
    panel = table("province_employment_total").query("year == 2024").set_index("province_code")
    assert (panel["urban_unit_employment_10k"] == total).all()


def test_published_per_capita_grp_uses_mean_population():
    va = table("province_value_added")
    pop = table("province_population").set_index(["province_code", "year"])["resident_population_10k"]
    va = va[va["year"].between(2013, 2023)].copy()
    end = va.set_index(["province_code", "year"]).index
    start = pd.MultiIndex.from_arrays([va["province_code"], va["year"] - 1])
    mean_pop = (pop.reindex(end).to_numpy() + pop.reindex(start).to_numpy()) / 2
    assert not np.isnan(mean_pop).any()
    # 100 million yuan / 10,000 persons = 10,000 yuan per person
    expected = va["gdp_100m_yuan"].to_numpy() * 1e4 / mean_pop
    rel = np.abs(va["gdp_per_capita_yuan"].to_numpy() / expected - 1)
    assert rel.max() <= 1e-4
    # dividing by year-end population instead is a different ("computed") number, off by more
    yearend = va["gdp_100m_yuan"].to_numpy() * 1e4 / pop.reindex(end).to_numpy()
    assert np.abs(va["gdp_per_capita_yuan"].to_numpy() / yearend - 1).max() > 1e-3


def test_rural_below_all_below_urban():
    inc = table("province_income_consumption")
    for kind in ("disposable_income", "consumption_expenditure"):
        cols = [f"{kind}_per_capita_{g}_yuan" for g in ("rural", "all_residents", "urban")]
        present = inc.dropna(subset=cols)
        assert len(present) == 31 * 7  # 2013-2019
        assert (present[cols[0]] < present[cols[1]]).all()
        assert (present[cols[1]] < present[cols[2]]).all()
    assert (inc["consumption_expenditure_per_capita_all_residents_yuan"]
            < inc["disposable_income_per_capita_all_residents_yuan"]).all()


def test_profile_2023_matches_the_panels():
    prof = table("province_profile_2023").set_index("province_code")
    gdp = table("province_gdp").query("year == 2023")
    pre = gdp[gdp["vintage"] == "pre_5th_census_revision"].set_index("province_code")["gdp_100m_yuan"]
    post = gdp[gdp["vintage"] == "post_5th_census_revision"].set_index("province_code")["gdp_100m_yuan"]
    assert (prof["gdp_100m_yuan_pre_revision"] == pre.reindex(prof.index)).all()
    assert (prof["gdp_100m_yuan_revised"] == post.reindex(prof.index)).all()
    pop = table("province_population").query("year == 2023").set_index("province_code")
    assert (prof["yearend_resident_population_10k"] == pop["resident_population_10k"].reindex(prof.index)).all()
    rd = table("province_rd_first_published").query("year == 2023").set_index("province_code")
    assert (prof["rd_expenditure_100m_yuan"] == rd["rd_expenditure_100m_yuan"].reindex(prof.index)).all()
    assert (prof["rd_intensity_pct"] == rd["rd_intensity_pct"].reindex(prof.index)).all()


# --------------------------------------------------------------------------------------------------
# The two traps: GDP vintages, first-published versus restated R&D intensity
# --------------------------------------------------------------------------------------------------
def _pre_gdp():
    gdp = table("province_gdp")
    return gdp[gdp["vintage"] == "pre_5th_census_revision"].set_index(["province_code", "year"])["gdp_100m_yuan"]


def test_vintages_differ_and_provinces_do_not_make_the_nation():
    gdp = table("province_gdp").query("year == 2023")
    sums = gdp.groupby("vintage")["gdp_100m_yuan"].sum()
    # README of the gathered data: 1,250,931.8 (pre) and 1,283,801.5 (post) yi yuan
    assert sums["pre_5th_census_revision"] == pytest.approx(1_250_931.8, abs=0.05)
    assert sums["post_5th_census_revision"] == pytest.approx(1_283_801.5, abs=0.05)
    beijing = gdp[gdp["province_code"] == 110000].set_index("vintage")["gdp_100m_yuan"]
    assert beijing["pre_5th_census_revision"] == 43760.7 and beijing["post_5th_census_revision"] == 47353.7


def test_restated_intensity_is_rd_over_pre_revision_grp():
    rd = table("province_rd_first_published")
    rd = rd[(rd["province_code"] != NATIONAL) & (rd["year"] >= 2012)].set_index(["province_code", "year"])
    restated = table("province_rd_intensity_restated").set_index(["province_code", "year"])["rd_intensity_pct"]
    computed = rd["rd_expenditure_100m_yuan"] / _pre_gdp().reindex(rd.index) * 100
    gap = (computed - restated.reindex(rd.index)).abs()
    assert len(gap) == 31 * 12 and gap.max() < 0.01   # rounding of a 2-decimal figure


def test_2023_intensity_needs_the_pre_revision_vintage():
    prof = table("province_profile_2023")
    pre = prof["rd_expenditure_100m_yuan"] / prof["gdp_100m_yuan_pre_revision"] * 100
    post = prof["rd_expenditure_100m_yuan"] / prof["gdp_100m_yuan_revised"] * 100
    assert (pre - prof["rd_intensity_pct"]).abs().max() <= 0.005 + 1e-9
    assert (post - prof["rd_intensity_pct"]).abs().max() > 0.1   # the wrong denominator shows


@pytest.mark.parametrize("code, year, first, restated", [(TIANJIN, 2016, 3.00, 4.68),
                                                        (LIAONING, 2013, 1.65, 2.32)])
def test_first_published_versus_restated(code, year, first, restated):
    fp = table("province_rd_first_published").set_index(["province_code", "year"])
    rs = table("province_rd_intensity_restated").set_index(["province_code", "year"])["rd_intensity_pct"]
    assert fp.loc[(code, year), "rd_intensity_pct"] == first
    assert rs.loc[(code, year)] == restated
    # The same R&D spending: the GDP behind the first publication was larger than today's series.
    rd = fp.loc[(code, year), "rd_expenditure_100m_yuan"]
    gdp_then = rd / (first / 100)
    gdp_now = _pre_gdp().loc[(code, year)]
    assert rd / gdp_now * 100 == pytest.approx(restated, abs=0.006)
    assert gdp_then / gdp_now - 1 > 0.3       # GDP revised down by more than 30 %
    # these two are the largest gaps between the series for their province
    common = fp.index[fp.index.isin(rs.index)]
    diff = (rs.reindex(common) - fp.loc[common, "rd_intensity_pct"]).abs()
    prov = diff[diff.index.get_level_values(0) == code]
    assert prov.idxmax() == (code, year)


def test_first_published_and_restated_agree_nationally_in_2023():
    fp = table("province_rd_first_published").set_index(["province_code", "year"])["rd_intensity_pct"]
    rs = table("province_rd_intensity_restated").set_index(["province_code", "year"])["rd_intensity_pct"]
    assert fp.loc[(NATIONAL, 2023)] == rs.loc[(NATIONAL, 2023)]
    common = fp.index.intersection(rs.index)
    differ = (fp.reindex(common) != rs.reindex(common)).sum()
    assert 0 < differ < len(common)


def test_national_patent_total_exceeds_sum_of_provinces():
    pat = table("province_patents_granted")
    national = pat[pat["province_code"] == NATIONAL].set_index("year")["patents_granted_total"]
    provinces = pat[pat["province_code"] != NATIONAL].groupby("year")["patents_granted_total"].sum()
    assert (national > provinces).all()
    kinds = ["patents_granted_invention", "patents_granted_utility_model", "patents_granted_design"]
    assert (pat[kinds].sum(axis=1) == pat["patents_granted_total"]).all()


def test_readme_documents_every_table():
    text = (DATASETS / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"### {name}\n" in text
    for fld in ("pre_5th_census_revision", "post_5th_census_revision", "computed", "Tianjin", "Liaoning"):
        assert fld in text


@pytest.mark.parametrize("name", NAMES)
def test_english_citation_for_figures(name, resources):
    citation = resources[name]["citation"]
    assert citation and not re.search(r"[\u4e00-\u9fff]", citation)


def test_tianjin_and_liaoning_have_the_largest_restatement_gaps():
    fp = table("province_rd_first_published").set_index(["province_code", "year"])["rd_intensity_pct"]
    rs = table("province_rd_intensity_restated").set_index(["province_code", "year"])["rd_intensity_pct"]
    gap = (rs - fp.reindex(rs.index)).abs()
    by_province = gap.groupby(level=0).max().sort_values(ascending=False)
    assert list(by_province.index[:2]) == [TIANJIN, LIAONING]


# --------------------------------------------------------------------------------------------------
# Fourth-pass tables. Tolerances are the ones the gathered data's README and source notes report for
# their own checks (0.01 % and 0.15 % for the provincial sums, 0.008 for the index weights); where a
# description states a range, the test recomputes it.
# --------------------------------------------------------------------------------------------------
def _sum_gap(frame: pd.DataFrame, col: str) -> pd.Series:
    """Relative gap (provinces' sum / national row - 1) per year, where both exist."""
    nat = frame[frame["province_code"] == NATIONAL].set_index("year")[col]
    prov = frame[frame["province_code"] != NATIONAL].groupby("year")[col].agg(["sum", "count"])
    prov = prov[prov["count"] == 31]
    return (prov["sum"] / nat.reindex(prov.index) - 1).dropna()


@pytest.mark.parametrize("col, tolerance", [("students_enrolled_10k", 1e-4), ("graduates_10k", 1.5e-3)])
def test_higher_education_provinces_add_up_to_the_nation(col, tolerance):
    gap = _sum_gap(table("province_higher_education"), col)
    assert list(gap.index) == list(range(2000, 2020))
    assert gap.abs().max() <= tolerance


def test_graduates_fewer_than_students():
    he = table("province_higher_education")
    assert len(he) == 32 * 20
    assert (he["graduates_10k"] < he["students_enrolled_10k"]).all()
    # national 2019: 3,031.5 (NBS education statistics, as the gathered data's README reports)
    assert round(he.query("province_code == @NATIONAL and year == 2019")["students_enrolled_10k"].item(), 1) == 3031.5


@pytest.mark.parametrize("col, first_year", [("broadband_ports_10k_units", 2008),
                                             ("broadband_users_10k_accounts", 2011),
                                             ("mobile_internet_users_10k_accounts", 2014),
                                             ("web_pages_10k_units", 2011)])
def test_internet_provinces_add_up_to_the_nation(col, first_year):
    gap = _sum_gap(table("province_internet"), col)
    assert gap.index.min() <= first_year and gap.index.max() == 2019
    assert gap.loc[first_year:].abs().max() <= 1e-4


def test_broadband_ports_2006_2007_fall_short_as_documented():
    gap = _sum_gap(table("province_internet"), "broadband_ports_10k_units")
    short = -gap.loc[[2006, 2007]] * 100
    assert ((short >= 2.45) & (short < 2.75)).all(), short   # "2.5-2.7 % short"


@pytest.mark.parametrize("col, low, high", [("domain_names_10k_units", 2, 12), ("websites_10k_units", 5, 18)])
def test_domain_names_and_websites_do_not_add_up(col, low, high, resources):
    """The provinces fall short of the national row by the range the column description states."""
    gap = _sum_gap(table("province_internet"), col)
    short = -gap * 100
    assert (short > 0).all()
    assert (round(short.min()), round(short.max())) == (low, high)
    desc = next(f for f in resources["province_internet"]["schema"]["fields"] if f["name"] == col)["description"]
    assert f"({low}-{high} % short)" in desc


def test_internet_values_non_negative_and_ports_cover_subscribers():
    net = table("province_internet")
    values = net.filter(regex=r"_10k_(units|accounts)$")
    assert values.shape[1] == 6 and (values.fillna(0) >= 0).all().all()
    both = net.dropna(subset=["broadband_ports_10k_units", "broadband_users_10k_accounts"])
    assert len(both) > 250
    # every broadband subscriber line occupies an access port
    assert (both["broadband_ports_10k_units"] >= both["broadband_users_10k_accounts"]).all()


def test_internet_national_only_years(resources):
    net = table("province_internet")
    declared = resources["province_internet"]["national_only_years"]
    only = sorted(y for y, g in net.groupby("year") if set(g["province_code"]) == {NATIONAL})
    assert only == declared == list(range(2000, 2006))


DFII_WEIGHTS = {"dfii_coverage_breadth": 0.5396, "dfii_usage_depth": 0.2970, "dfii_digitization_level": 0.1634}


def test_digital_finance_total_is_the_weighted_sum_of_its_sub_indices():
    dfi = table("province_digital_finance_pku")
    assert len(dfi) == 31 * 13 and NATIONAL not in set(dfi["province_code"])
    x = dfi[list(DFII_WEIGHTS)].to_numpy()
    beta, *_ = np.linalg.lstsq(x, dfi["dfii_total"].to_numpy(), rcond=None)
    residual = dfi["dfii_total"].to_numpy() - x @ beta
    # the source note: least squares gives 0.5396 / 0.2970 / 0.1634, largest residual 0.008
    assert np.round(beta, 4).tolist() == list(DFII_WEIGHTS.values())
    assert np.abs(residual).max() <= 0.008
    # with rounded weights (4 or 3 decimals) the extra error is at most sum_j |w_j - beta_j| x_j per row
    for digits in (4, 3):
        w = np.round(beta, digits)
        bound = 0.008 + np.abs(w - beta) @ x.T
        assert (np.abs(dfi["dfii_total"].to_numpy() - x @ w) <= bound + 1e-9).all()
    # published anchors (gathered data's README): Beijing 2011 79.41, 2020 417.88
    bj = dfi[dfi["province_code"] == 110000].set_index("year")["dfii_total"]
    assert bj[2011] == 79.41 and round(bj[2020], 2) == 417.88


def test_digital_finance_licence_is_the_publishers_and_the_paper_is_cited(resources):
    res = resources["province_digital_finance_pku"]
    assert [lic["name"] for lic in res["licenses"]] == ["PKU-DFIIC-terms-of-use"]
    assert "not an open licence" in res["licenses"][0]["title"]
    assert "Guo Feng" in res["citation"] and "(2020)" in res["citation"]
    assert "郭峰" in res["description"] and "经济学(季刊)" in res["description"]


DEC = "December cumulative value, NBS monthly provincial database; not the final annual figure"
OUTPUT = {"province_output_steel_cement": ["crude_steel_10k_tonnes", "cement_10k_tonnes"],
          "province_output_ics_phones": ["integrated_circuits_10k_pieces", "mobile_phones_10k_units"]}


@pytest.mark.parametrize("name", OUTPUT)
def test_output_tables_say_december_cumulative_everywhere(name, resources):
    res = resources[name]
    assert DEC in res["description"] and DEC in res["citation"]
    for f in res["schema"]["fields"]:
        if f["name"] in OUTPUT[name]:
            assert DEC in f["description"], f["name"]
            assert "December cumulative" in f["title"]


@pytest.mark.parametrize("name", OUTPUT)
def test_output_blanks_are_not_zeros(name):
    frame = raw(name)
    for col in OUTPUT[name]:
        filled = frame[col][frame[col] != ""].astype(float)
        assert (filled > 0).all(), f"{col}: a published 0.0 means 'not published' and must stay blank"


@pytest.mark.parametrize("name, col, low, high", [
    ("province_output_steel_cement", "crude_steel_10k_tonnes", 28, 30),
    ("province_output_steel_cement", "cement_10k_tonnes", 31, 31),
    ("province_output_ics_phones", "integrated_circuits_10k_pieces", 19, 25),
    ("province_output_ics_phones", "mobile_phones_10k_units", 19, 24)])
def test_output_provinces_with_a_value_per_year(name, col, low, high):
    counts = table(name).groupby("year")[col].count()
    assert (counts.min(), counts.max()) == (low, high)


def test_output_anchor_values():
    steel = table("province_output_steel_cement").set_index(["province_code", "year"])["crude_steel_10k_tonnes"]
    # Hebei and Jiangsu 2020, as the gathered data's README rounds them
    assert round(steel[(130000, 2020)], 1) == 24977.0 and round(steel[(320000, 2020)], 1) == 12108.2
    assert steel.loc[540000].isna().all()          # Xizang: never published


U = "UNVERIFIED"


def test_rd_2024_unverified_is_labelled_everywhere(resources):
    res = resources["province_rd_2024_unverified"]
    assert U in res["title"] and U in res["description"] and U in res["citation"]
    for f in res["schema"]["fields"]:
        if f["name"].startswith("rd_"):
            assert U in f["description"] and "unverified" in f["title"].lower(), f["name"]
    assert all(s["confidence"] == "medium" for s in res["sources"])


def test_rd_2024_unverified_checks(resources):
    rd = table("province_rd_2024_unverified")
    nat = rd[rd["province_code"] == NATIONAL].iloc[0]
    prov = rd[rd["province_code"] != NATIONAL]
    assert len(prov) == 31
    assert prov["rd_expenditure_100m_yuan"].sum() == pytest.approx(nat["rd_expenditure_100m_yuan"], abs=1e-6)
    assert (nat["rd_expenditure_100m_yuan"], nat["rd_intensity_pct"]) == (36326.8, 2.69)
    # the restated 2023 intensity is 2023 R&D over the REVISED 2023 GRP, to rounding (2 decimals)
    rd23 = table("province_rd_first_published").query("year == 2023").set_index("province_code")
    gdp = table("province_gdp").query("year == 2023 and vintage == 'post_5th_census_revision'")
    post = gdp.set_index("province_code")["gdp_100m_yuan"]
    prov = prov.set_index("province_code")
    computed = rd23["rd_expenditure_100m_yuan"].reindex(prov.index) / post.reindex(prov.index) * 100
    assert (computed - prov["rd_intensity_2023_restated_pct"]).abs().max() <= 0.005 + 1e-9
    # ... and not over the pre-revision GRP (that is the 2023 bulletin's own intensity)
    assert (rd23["rd_intensity_pct"].reindex(prov.index) - prov["rd_intensity_2023_restated_pct"]).abs().max() > 0.1
    # 2024: over the revised 2024 GRP "within 0.03 percentage points" (the description's claim)
    post24 = table("province_gdp").query("year == 2024 and vintage == 'post_5th_census_revision'")
    post24 = post24.set_index("province_code")["gdp_100m_yuan"].reindex(prov.index)
    gap24 = (prov["rd_expenditure_100m_yuan"] / post24 * 100 - prov["rd_intensity_pct"]).abs()
    assert gap24.max() <= 0.03
    assert "within 0.03 percentage points" in resources["province_rd_2024_unverified"]["description"]


# --------------------------------------------------------------------------------------------------
# Issue 8: the data documentation says exactly what the data show
# --------------------------------------------------------------------------------------------------
def _readme() -> str:
    return (DATASETS / "README.md").read_text(encoding="utf-8")


def _rule2() -> str:
    text = _readme()
    start = text.index("2. R&D intensity goes with")
    return " ".join(text[start:text.index("\n3. ", start)].split())


def test_rule2_states_which_intensities_are_over_the_pre_revision_grp():
    rule = _rule2()
    gdp = _pre_gdp()
    fp = table("province_rd_first_published")
    fp = fp[fp["province_code"] != NATIONAL].set_index(["province_code", "year"])
    gap = (fp["rd_expenditure_100m_yuan"] / gdp.reindex(fp.index) * 100 - fp["rd_intensity_pct"]).abs()
    restated = table("province_rd_intensity_restated")
    restated = restated[restated["province_code"] != NATIONAL].set_index(["province_code", "year"])
    gap_rs = (fp["rd_expenditure_100m_yuan"].reindex(restated.index) / gdp.reindex(restated.index) * 100
              - restated["rd_intensity_pct"]).abs()
    # claim 1: the restated series, every province-year, within 0.01 pp
    m = re.search(r"all (\d+) province-years of the restated series within 0\.01 percentage points", rule)
    assert m and int(m.group(1)) == len(gap_rs) == 31 * 12
    assert gap_rs.max() <= 0.01
    # claim 2: the 2023 bulletin, all 31 provinces, within 0.005
    assert "all 31 provinces of the 2023 bulletin within 0.005" in rule
    assert gap.xs(2023, level=1).max() <= 0.005 + 1e-9 and len(gap.xs(2023, level=1)) == 31
    # claim 3: the earlier first-published intensities are NOT R&D / today's pre-revision GRP
    early = gap[gap.index.get_level_values(1) < 2023]
    m = re.search(r"by up to (\d+\.\d+) percentage points \((\w+) (\d{4});", rule)
    assert m, rule
    assert float(m.group(1)) == pytest.approx(early.max(), abs=0.005)
    code, year = early.idxmax()
    assert (code, year) == (TIANJIN, int(m.group(3))) and m.group(2) == "Tianjin"
    assert early.max() > 1.0       # a claim "for every bulletin" would be false
    assert "2011-2022" in rule and "every province-year 2012-2023" not in rule


def test_pre_revision_vintage_is_described_as_a_later_restatement(resources):
    tianjin_2016 = _pre_gdp().loc[(TIANJIN, 2016)]
    assert tianjin_2016 == 11477.2
    fp = table("province_rd_first_published").set_index(["province_code", "year"])
    implied = fp.loc[(TIANJIN, 2016), "rd_expenditure_100m_yuan"] / fp.loc[(TIANJIN, 2016), "rd_intensity_pct"] * 100
    assert round(implied, -2) == 17900
    for name in ("province_gdp", "province_value_added", "province_gdp_index"):
        vintage = next(f for f in resources[name]["schema"]["fields"] if f["name"] == "vintage")
        assert "later restatement" in vintage["description"]
        assert "Tianjin 2016 is 11,477.2" in vintage["description"] and "about 17,900" in vintage["description"]
    assert "later restatement" in resources["province_gdp"]["description"]
    row = next(line for line in _readme().splitlines() if line.startswith("| `pre_5th_census_revision`"))
    assert "later restatement" in row and "11,477.2" in row and "17,900" in row


def test_rd_personnel_description_counts_the_activity_gaps(resources):
    p = table("province_rd_personnel")
    parts = p[["basic_research_fte_manyears", "applied_research_fte_manyears",
               "experimental_dev_fte_manyears"]].sum(axis=1)
    gap = (parts - p["rd_personnel_fte_manyears"]).abs()
    desc = resources["province_rd_personnel"]["description"]
    m = re.search(r"in (\d+) of the (\d+) rows \(by up to (\d+) person-years, less than ([\d.]+) %", desc)
    assert m, desc
    assert (int(m.group(1)), int(m.group(2)), int(m.group(3))) == (int((gap > 0).sum()), len(p), int(gap.max()))
    assert (gap / p["rd_personnel_fte_manyears"]).max() * 100 < float(m.group(4))
    assert "not a copying error" in desc


def test_profile_2023_money_units_cannot_be_missed(resources):
    res = resources["province_profile_2023"]
    for f in res["schema"]["fields"]:
        if f["name"].endswith("_10k_yuan"):
            assert "10,000 yuan, not 100 million" in f["title"] and f["description"].startswith("UNIT: 10,000 yuan")
            assert f["name"] in res["description"]
        elif f["name"].endswith("_100m_yuan"):
            assert "(100 million yuan)" in f["title"], f["name"]
    # and the units really differ by 10^4: the yearbook's intramural R&D in 万元 equals the bulletin's in
    # 亿元 within 0.05 亿元 (the gathered data's README), and the 万元 parts stay below the 亿元 total
    prof = table("province_profile_2023").set_index("province_code")
    funding = table("province_rd_funding_2023").set_index("province_code")
    total = funding["rd_intramural_10k_yuan"].reindex(prof.index) / 1e4
    assert (total - prof["rd_expenditure_100m_yuan"]).abs().max() <= 0.05 + 1e-9
    for col in ("basic_research_10k_yuan", "government_funds_10k_yuan", "enterprise_funds_10k_yuan"):
        assert (prof[col] / 1e4 < prof["rd_expenditure_100m_yuan"]).all()
        assert (prof[col] > prof["rd_expenditure_100m_yuan"]).all()   # read as 亿元 it would exceed the total
