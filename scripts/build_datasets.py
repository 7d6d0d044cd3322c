#!/usr/bin/env python
"""Build the course datasets (datasets/*.csv and datasets/datapackage.json).

Reads the reference tables gathered for the course (default: ../shared/reference-data relative to the
repository root) and writes one CSV per course table, with exactly the reference columns, plus a
Frictionless Data Package descriptor (profile "tabular-data-package").

The fourth-pass tables (higher education, internet, digital finance, industrial products) come as one
long file per indicator with only ``province_code``, ``province_zh``, ``year``, the value and
``source_id``. For those the spec lists several ``files`` that share the province-year key: they are
joined into one table (one column per indicator; a province-year that one file lacks is blank in that
column), value columns are renamed to the unit conventions of datasets/README.md (``rename``), and
the English name and region columns are added from the provinces table (``names``), after checking
that every Chinese name matches its code.

Facts are carried over as text: every cell is read as a string and written back unchanged, so no
number is re-rounded or re-formatted. Only two mechanical clean-ups are made, both lossless:

* integer columns (counts, whole yuan, 10,000 yuan) lose a trailing ".0" that a spreadsheet or pandas
  export had added (``1110419.0`` -> ``1110419``); any other fraction raises an error;
* the one column that was widened from 32-bit floats (OWID energy intensity, e.g.
  ``10.850000381469727``) is written as the shortest text that gives back the same 32-bit value
  (``10.85``); the script checks that the value is unchanged.

Blank cells stay blank. Nothing is estimated, filled or interpolated.

Usage (from the repository root):

    .venv/bin/python scripts/build_datasets.py [--reference PATH] [--out datasets]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference-data"

# --------------------------------------------------------------------------------------------------
# Course table name -> reference file, natural key (sort order) and primary key.
# sort: list of (column, kind) with kind "int" (numeric sort) or "str"; None = keep source order.
# --------------------------------------------------------------------------------------------------
PROVINCE_YEAR = [("province_code", "int"), ("year", "int")]
PROVINCE_YEAR_VINTAGE = [("province_code", "int"), ("year", "int"), ("vintage", "str")]

TABLES: dict[str, dict] = {
    "provinces": dict(file="provinces_reference.csv", key=[("province_code", "int")]),
    "province_profile_2023": dict(file="provinces_2023.csv", key=PROVINCE_YEAR),
    "province_gdp": dict(file="province_gdp_nbs.csv", key=PROVINCE_YEAR_VINTAGE),
    "province_population": dict(file="province_population_nbs.csv", key=PROVINCE_YEAR),
    "province_rd_first_published": dict(file="province_rd_bulletin.csv", key=PROVINCE_YEAR),
    "province_rd_intensity_restated": dict(file="province_rd_intensity_csyst2024.csv", key=PROVINCE_YEAR),
    "province_rd_personnel": dict(file="province_rd_personnel_fte.csv", key=PROVINCE_YEAR),
    "province_rd_funding_2023": dict(file="province_rd_funding_2023.csv", key=PROVINCE_YEAR),
    "province_patents_granted": dict(file="province_patents_granted.csv", key=PROVINCE_YEAR),
    "province_patent_applications": dict(file="province_patent_applications.csv", key=PROVINCE_YEAR),
    "province_patents_2023": dict(file="province_patents_apps_inforce_2023.csv", key=PROVINCE_YEAR),
    "province_hightech": dict(file="province_hightech_industry.csv", key=PROVINCE_YEAR),
    "province_tech_market": dict(file="province_tech_market.csv", key=PROVINCE_YEAR),
    "province_fiscal": dict(file="province_fiscal_expenditure.csv", key=PROVINCE_YEAR),
    "province_energy_intensity_change_2020": dict(
        file="province_energy_intensity_change_2020.csv", key=PROVINCE_YEAR),
    "province_value_added": dict(file="province_value_added_nbs.csv", key=PROVINCE_YEAR_VINTAGE),
    "province_gdp_index": dict(file="province_gdp_index_nbs.csv", key=PROVINCE_YEAR_VINTAGE),
    "province_income_consumption": dict(file="province_income_consumption_nbs.csv", key=PROVINCE_YEAR),
    "province_employment_by_sector_2024": dict(
        file="province_urban_unit_employment_by_sector_2024.csv",
        key=PROVINCE_YEAR + [("sector_code_gbt4754", "str")]),
    "province_employment_total": dict(file="province_urban_unit_employment_total.csv", key=PROVINCE_YEAR),
    "pwt_china": dict(file="china_pwt.csv", key=[("countrycode", "str"), ("year", "int")]),
    "pwt_peers": dict(file="pwt_peers.csv", key=[("countrycode", "str"), ("year", "int")]),
    "rd_intensity_countries": dict(file="rd_intensity_countries.csv", key=[("entity", "str"), ("year", "int")]),
    "rd_intensity_oecd_2019": dict(file="rd_intensity_ncses_rd5.csv", key=[("entity", "str")], sort=None),
    "energy_intensity_countries": dict(
        file="energy_intensity_countries.csv", key=[("entity", "str"), ("year", "int")],
        float32=["energy_intensity_mj_per_2017ppp_usd"]),
    # Rows are released per period in a fixed industry order (total, sections, industries): sort by
    # period (stable), keep the release order inside each period.
    "capacity_utilization": dict(
        file="capacity_utilization_china.csv", key=[("period", "str"), ("industry_en", "str")],
        sort=[("period", "str")]),
    "china_wdi": dict(file="china_wdi_selected.csv", key=[("code", "str"), ("year", "int")]),
    # Bulletin order (total, then each section followed by its divisions) is kept.
    "rd_by_industry_2022": dict(file="rd_by_industry_2022.csv", key=[("industry_en", "str")], sort=None),
    # --- fourth pass: one reference file per indicator, joined on the province-year key ---------------
    "province_higher_education": dict(
        files=["province_higher_education_students.csv", "province_higher_education_graduates.csv"],
        key=PROVINCE_YEAR, names=True),
    "province_internet": dict(
        files=["province_internet_broadband_ports.csv", "province_internet_broadband_users.csv",
               "province_internet_mobile_users.csv", "province_internet_domain_names.csv",
               "province_internet_web_pages.csv", "province_internet_websites.csv"],
        key=PROVINCE_YEAR, names=True,
        rename={"broadband_ports_10k": "broadband_ports_10k_units",
                "broadband_users_10k_households": "broadband_users_10k_accounts",
                "mobile_internet_users_10k": "mobile_internet_users_10k_accounts",
                "domain_names_10k": "domain_names_10k_units",
                "web_pages_10k": "web_pages_10k_units",
                "websites_10k": "websites_10k_units"}),
    "province_digital_finance_pku": dict(
        files=["province_digital_financial_inclusion_pku.csv"], key=PROVINCE_YEAR, names=True),
    "province_output_steel_cement": dict(
        files=["province_output_crude_steel_monthly_db.csv", "province_output_cement_monthly_db.csv"],
        key=PROVINCE_YEAR, names=True,
        rename={"crude_steel_10k_t": "crude_steel_10k_tonnes", "cement_10k_t": "cement_10k_tonnes"}),
    "province_output_ics_phones": dict(
        files=["province_output_integrated_circuits_monthly_db.csv",
               "province_output_mobile_phones_monthly_db.csv"],
        key=PROVINCE_YEAR, names=True),
    "province_rd_2024_unverified": dict(file="province_rd_bulletin_2024_unverified.csv", key=PROVINCE_YEAR),
}

# Tile grid from the team contract (row 0 = north, col 0 = west), keyed by province code.
TILE_GRID: dict[int, tuple[int, int]] = {
    230000: (0, 7),                                                             # Heilongjiang
    650000: (1, 0), 150000: (1, 4), 110000: (1, 5), 210000: (1, 6), 220000: (1, 7),
    630000: (2, 1), 620000: (2, 2), 640000: (2, 3), 140000: (2, 4), 130000: (2, 5), 120000: (2, 6),
    540000: (3, 1), 510000: (3, 2), 610000: (3, 3), 410000: (3, 4), 370000: (3, 5),
    500000: (4, 2), 420000: (4, 3), 340000: (4, 4), 320000: (4, 5), 310000: (4, 6),
    530000: (5, 2), 520000: (5, 3), 430000: (5, 4), 360000: (5, 5), 330000: (5, 6),
    450000: (6, 3), 440000: (6, 4), 350000: (6, 5),
    460000: (7, 4),                                                             # Hainan
}
GRID_SIZE = 8

PROVINCE_CODES = [110000, 120000, 130000, 140000, 150000, 210000, 220000, 230000, 310000, 320000,
                  330000, 340000, 350000, 360000, 370000, 410000, 420000, 430000, 440000, 450000,
                  460000, 500000, 510000, 520000, 530000, 540000, 610000, 620000, 630000, 640000, 650000]
NATIONAL_CODE = 100000

INT_RE = re.compile(r"-?\d+")
INT_DOT0_RE = re.compile(r"(-?\d+)\.0+")
NUM_RE = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


class BuildError(Exception):
    """A reference table does not look the way the course tables need it."""


# --------------------------------------------------------------------------------------------------
# Reading and writing
# --------------------------------------------------------------------------------------------------
def read_reference(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise BuildError(f"{path}: reference file not found")
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    if frame.columns.duplicated().any():
        raise BuildError(f"{path}: duplicated column names")
    return frame


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        writer.writerow(row)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def strip_integer(series: pd.Series, where: str) -> pd.Series:
    """'1052.0' -> '1052'; '1052' unchanged; blank unchanged; any real fraction is an error."""
    out = []
    for i, v in enumerate(series):
        if v == "" or INT_RE.fullmatch(v):
            out.append(v)
            continue
        m = INT_DOT0_RE.fullmatch(v)
        if not m:
            raise BuildError(f"{where}, row {i + 2}: {v!r} is not a whole number")
        out.append(m.group(1))
    return pd.Series(out, index=series.index, dtype=object)


def shortest_float32(series: pd.Series, where: str) -> pd.Series:
    """Undo float32 -> float64 widening noise, losslessly (checked)."""
    out = []
    for i, v in enumerate(series):
        if v == "":
            out.append(v)
            continue
        x = float(v)
        f32 = np.float32(x)
        if float(f32) != x:
            raise BuildError(f"{where}, row {i + 2}: {v!r} is not a widened 32-bit float; left alone")
        text = np.format_float_positional(f32, unique=True, trim="-")
        if np.float32(float(text)) != f32:
            raise BuildError(f"{where}, row {i + 2}: could not shorten {v!r} exactly")
        out.append(text)
    return pd.Series(out, index=series.index, dtype=object)


def sort_frame(frame: pd.DataFrame, sort: list[tuple[str, str]] | None) -> pd.DataFrame:
    if not sort:
        return frame.reset_index(drop=True)
    keys = []
    tmp = frame.copy()
    for col, kind in sort:
        k = f"__sort_{col}"
        tmp[k] = pd.to_numeric(tmp[col]) if kind == "int" else tmp[col].astype(object)
        keys.append(k)
    tmp = tmp.sort_values(keys, kind="mergesort")
    return tmp.drop(columns=keys).reset_index(drop=True)


NAME_COLUMNS = ["province_en", "nbs_region_en", "nbs_region_zh"]
NATIONAL_NAMES = {"province_zh": "全国", "province_en": "China (national total)",
                  "nbs_region_en": "National", "nbs_region_zh": "全国"}
JOIN_KEY = ["province_code", "province_zh", "year"]


def join_files(spec: dict, reference: Path) -> pd.DataFrame:
    """Join one-indicator files on (province_code, province_zh, year), one value column per file."""
    merged = None
    for file in spec["files"]:
        part = read_reference(reference / file).astype(object)
        values = [c for c in part.columns if c not in JOIN_KEY + ["source_id"]]
        if list(part.columns[:3]) != JOIN_KEY or part.columns[-1] != "source_id" or not values:
            raise BuildError(f"{file}: expected columns {JOIN_KEY} + value columns + ['source_id']")
        if part.duplicated(JOIN_KEY).any():
            raise BuildError(f"{file}: duplicated province-year")
        part = part.rename(columns={**spec.get("rename", {}), "source_id": f"__sid_{file}"})
        if merged is None:
            merged = part
            continue
        codes = pd.concat([merged, part])[["province_code", "province_zh"]].drop_duplicates()
        if codes["province_code"].duplicated().any():
            raise BuildError(f"{file}: a province code has two different Chinese names across the files")
        merged = merged.merge(part, on=JOIN_KEY, how="outer", sort=False)
    merged = merged.fillna("")
    sid_cols = [c for c in merged.columns if c.startswith("__sid_")]
    # One source per row -> source_id; files with different sources (one per indicator) -> source_ids,
    # the ids of the files that have the row, in file order, separated by ';'.
    sids = []
    for row in merged[sid_cols].itertuples(index=False, name=None):
        present = []
        for v in row:
            if v and v not in present:
                present.append(v)
        sids.append(present)
    merged = merged.drop(columns=sid_cols)
    if all(len(x) == 1 for x in sids):
        merged["source_id"] = [x[0] for x in sids]
    else:
        merged["source_ids"] = [";".join(x) for x in sids]
    return merged


def add_names(frame: pd.DataFrame, reference: Path, where: str) -> pd.DataFrame:
    """Insert English name and region columns after province_zh, from the provinces table."""
    ref = read_reference(reference / TABLES["provinces"]["file"]).set_index("province_code")
    cols = {c: [] for c in NAME_COLUMNS}
    for i, (code, zh) in enumerate(zip(frame["province_code"], frame["province_zh"])):
        if int(code) == NATIONAL_CODE:
            row = NATIONAL_NAMES
        elif code in ref.index:
            row = ref.loc[code]
        else:
            raise BuildError(f"{where}, row {i + 2}: unknown province code {code}")
        if zh != row["province_zh"]:
            raise BuildError(f"{where}, row {i + 2}: {zh!r} is not the name of {code} ({row['province_zh']})")
        for c in NAME_COLUMNS:
            cols[c].append(row[c])
    at = list(frame.columns).index("province_zh") + 1
    for j, c in enumerate(NAME_COLUMNS):
        frame.insert(at + j, c, cols[c])
    return frame


def read_table(name: str, spec: dict, reference: Path) -> tuple[pd.DataFrame, str]:
    if "files" in spec:
        where = " + ".join(spec["files"])
        frame = join_files(spec, reference)
    else:
        where = spec["file"]
        frame = read_reference(reference / spec["file"]).astype(object)
        frame = frame.rename(columns=spec.get("rename", {}))
    if spec.get("names"):
        frame = add_names(frame, reference, where)
    return frame, where


def build_table(name: str, spec: dict, reference: Path) -> pd.DataFrame:
    frame, where = read_table(name, spec, reference)
    meta_fields = FIELDS_FOR(name, list(frame.columns) if name != "provinces" else
                             [c for c in frame.columns if c != "source_id"] + ["tile_row", "tile_col"])
    if name == "provinces":
        frame = frame.drop(columns=["source_id"])
        codes = [int(c) for c in frame["province_code"]]
        if sorted(codes) != PROVINCE_CODES:
            raise BuildError(f"{where}: expected the 31 province codes 110000..650000")
        if set(TILE_GRID) != set(PROVINCE_CODES):
            raise BuildError("tile grid: must list exactly the 31 province codes")
        positions = list(TILE_GRID.values())
        if len(set(positions)) != len(positions):
            raise BuildError("tile grid: two provinces share a tile position")
        if not all(0 <= r < GRID_SIZE and 0 <= c < GRID_SIZE for r, c in positions):
            raise BuildError(f"tile grid: a position lies outside the {GRID_SIZE}x{GRID_SIZE} grid")
        frame["tile_row"] = [str(TILE_GRID[c][0]) for c in codes]
        frame["tile_col"] = [str(TILE_GRID[c][1]) for c in codes]
    for field in meta_fields:
        col = field["name"]
        if field["type"] in ("integer", "year"):
            frame[col] = strip_integer(frame[col], f"{where}, column {col!r}")
        elif field["type"] == "number":
            bad = [v for v in frame[col] if v != "" and not NUM_RE.fullmatch(v)]
            if bad:
                raise BuildError(f"{where}, column {col!r}: not a number: {bad[0]!r}")
    for col in spec.get("float32", []):
        frame[col] = shortest_float32(frame[col], f"{where}, column {col!r}")
    frame = sort_frame(frame, spec.get("sort", spec["key"]))
    key = [c for c, _ in spec["key"]]
    if frame.duplicated(key).any():
        dup = frame[frame.duplicated(key, keep=False)][key].head(2).to_dict("records")
        raise BuildError(f"{where}: duplicated key {key}: {dup}")
    return frame


# --------------------------------------------------------------------------------------------------
# Metadata: field descriptions, units and constraints; resource descriptions; licences; sources.
# --------------------------------------------------------------------------------------------------
def F(type_, title, unit, description, required=True, **constraints):
    """One field's metadata (name added later)."""
    c = {"required": required}
    c.update(constraints)
    return {"type": type_, "title": title, "description": description, "unit": unit, "constraints": c}


PCT = dict(minimum=0, maximum=100)
NONNEG = dict(minimum=0)
REGIONS_EN = ["East", "Central", "West", "Northeast"]
REGIONS_ZH = ["东部", "中部", "西部", "东北"]
VINTAGES = ["pre_5th_census_revision", "post_5th_census_revision"]
YUAN_100M = "100 million yuan (亿元), current prices"
YUAN_10K = "10,000 yuan (万元), current prices"
MANYEARS = "person-years of full-time equivalent (人年)"

# Column metadata shared by all tables (column name -> field metadata). Per-table overrides follow.
COLUMNS: dict[str, dict] = {
    # --- identifiers ------------------------------------------------------------------------------
    "province_code": F("integer", "Province code", "GB/T 2260 code",
                       "Six-digit administrative division code of the province (GB/T 2260), e.g. 110000 "
                       "Beijing ... 650000 Xinjiang; 100000 marks the national total row where present.",
                       minimum=NATIONAL_CODE, maximum=650000),
    "province_zh": F("string", "Province name (Chinese)", "text",
                     "Short Chinese name of the province (省级行政区简称, e.g. 北京); 全国 on the national row."),
    "province_en": F("string", "Province", "text",
                     "English name of the province (Xizang is written 'Xizang (Tibet)'); "
                     "'China (national total)' on the national row."),
    "nbs_region_en": F("string", "Region group", "category",
                       "NBS four-region grouping (东西中部和东北地区划分, 2011): East 10, Central 6, West 12, "
                       "Northeast 3 provinces; 'National' on the national row.", enum=REGIONS_EN),
    "nbs_region_zh": F("string", "Region group (Chinese)", "category",
                       "The same grouping in Chinese (东部/中部/西部/东北; 全国 on the national row).",
                       enum=REGIONS_ZH),
    "year": F("year", "Year", "calendar year",
              "Data year (the year the figures refer to, not the year of publication)."),
    "data_year": F("year", "Data year", "calendar year",
                   "Year the figures refer to (2019, or the most recent year available: India 2018)."),
    "vintage": F("string", "GDP vintage", "category",
                 "Which release of the regional accounts the row belongs to: pre_5th_census_revision = the "
                 "series as it stood in the China Statistical Yearbook 2024, before NBS revised the provincial "
                 "accounts after the Fifth National Economic Census (第五次全国经济普查). For years before 2019 "
                 "that series is itself a later restatement (it carries the corrections of overstated provincial "
                 "figures and the revision after the Fourth Economic Census), not what was printed at the time: "
                 "Tianjin 2016 is 11,477.2 亿元 here, while the GRP behind that year's R&D bulletin was about "
                 "17,900. "
                 "post_5th_census_revision = the current, revised series (from December 2024). Never mix the "
                 "two in one calculation.", enum=VINTAGES),
    "source_id": F("string", "Source id", "id",
                   "Key into this resource's 'sources' list (several ids are separated by ';')."),
    "source_ids": F("string", "Source ids", "id",
                    "Keys into this resource's 'sources' list, separated by ';'."),
    # --- the synthetic microdata of lesson 32 (scripts/synthetic_microdata.py) -----------------------
    "record_id": F("string", "Record id (SYNTHETIC)", "id",
                   "Identifier of an invented record, S0001 ... S2000. SYNTHETIC: no record describes a real person."),
    "age_years": F("integer", "Age (SYNTHETIC)", "years",
                   "Invented age in whole years, uniform on 18-77 (synthetic).", minimum=18, maximum=77),
    "sex": F("string", "Sex (SYNTHETIC)", "category", "Invented sex, F or M with probability 1/2 (synthetic).",
             enum=["F", "M"]),
    "annual_income_yuan": F("integer", "Annual income (SYNTHETIC)", "yuan per year, nearest 100",
                            "Invented annual income: the province's 2023 per-capita disposable income times "
                            "lognormal noise with mean 1 (sigma 0.55), rounded to 100 yuan (synthetic).",
                            minimum=100),
    "overdue_debt": F("string", "Overdue debt (SYNTHETIC sensitive attribute)", "category",
                      "Invented sensitive attribute: 'yes' with probability 0.15 if the income is below 60 % of the "
                      "provincial mean, else 0.05 (synthetic).", enum=["yes", "no"]),
    "table_title_zh": F("string", "Yearbook table title (Chinese)", "text",
                        "Title of the yearbook table as printed, including its number in that edition."),
    "tile_row": F("integer", "Tile-map row", "grid row (0 = north)",
                  "Row of the province on the course's 8 x 8 tile map (row 0 is the northernmost).",
                  minimum=0, maximum=GRID_SIZE - 1),
    "tile_col": F("integer", "Tile-map column", "grid column (0 = west)",
                  "Column of the province on the course's 8 x 8 tile map (column 0 is the westernmost).",
                  minimum=0, maximum=GRID_SIZE - 1),
    "entity": F("string", "Country or group", "text",
                "Country or country group as named by the source."),
    "code": F("string", "Country code", "ISO 3166-1 alpha-3",
              "ISO alpha-3 country code; OWID codes (OWID_WRL) for aggregates."),
    "countrycode": F("string", "Country code", "ISO 3166-1 alpha-3", "ISO alpha-3 country code as in PWT."),
    "country": F("string", "Country", "text", "Country name as in PWT."),
    # --- GDP, value added, growth ---------------------------------------------------------------------
    "gdp_100m_yuan": F("number", "Gross regional product", YUAN_100M,
                       "Gross regional product (GRP, 地区生产总值) of the province, in the vintage given by "
                       "the 'vintage' column.", **NONNEG),
    "gdp_100m_yuan_pre_revision": F("number", "GRP 2023, pre-revision vintage", YUAN_100M,
                                    "2023 gross regional product as first published (China Statistical "
                                    "Yearbook 2024, provincial 2023 communiques), before the 5th-census "
                                    "revision. This is the denominator of the 2023 R&D intensity.", **NONNEG),
    "gdp_100m_yuan_revised": F("number", "GRP 2023, revised vintage", YUAN_100M,
                               "2023 gross regional product after the 5th-census revision (current NBS "
                               "series).", **NONNEG),
    "gdp_per_capita_yuan": F("integer", "GRP per capita (published)", "yuan per person, current prices",
                             "Per-capita GRP as published by NBS (人均地区生产总值). NBS divides GRP by the "
                             "mean of start- and end-of-year resident population; a value computed here from "
                             "GRP / year-end population is a different, 'computed' figure.", **NONNEG),
    "va_primary_100m_yuan": F("number", "Value added, primary industry", YUAN_100M,
                              "Value added of the primary industry (第一产业: agriculture, forestry, animal "
                              "husbandry, fishery, excluding their auxiliary services).", **NONNEG),
    "va_secondary_100m_yuan": F("number", "Value added, secondary industry", YUAN_100M,
                                "Value added of the secondary industry (第二产业: mining, manufacturing, "
                                "utilities, construction).", **NONNEG),
    "va_tertiary_100m_yuan": F("number", "Value added, tertiary industry", YUAN_100M,
                               "Value added of the tertiary industry (第三产业: services, including the "
                               "auxiliary activities of agriculture and mining and equipment repair).", **NONNEG),
    "va_agri_forestry_animal_fishery_100m_yuan": F(
        "number", "Value added, agriculture, forestry, animal husbandry and fishery", YUAN_100M,
        "Value added of 农林牧渔业, including its auxiliary services, so it exceeds the primary industry.",
        **NONNEG),
    "va_industry_100m_yuan": F("number", "Value added, industry", YUAN_100M,
                               "Value added of industry (工业: mining, manufacturing, utilities).", **NONNEG),
    "va_construction_100m_yuan": F("number", "Value added, construction", YUAN_100M,
                                   "Value added of construction (建筑业).", **NONNEG),
    "va_wholesale_retail_100m_yuan": F("number", "Value added, wholesale and retail", YUAN_100M,
                                       "Value added of wholesale and retail trade (批发和零售业).", **NONNEG),
    "va_transport_storage_post_100m_yuan": F(
        "number", "Value added, transport, storage and post", YUAN_100M,
        "Value added of transport, storage and post (交通运输、仓储和邮政业). Blank for 2013-2019 "
        "(pre-revision vintage): that export was not available, although NBS publishes it.",
        required=False, **NONNEG),
    "va_accommodation_catering_100m_yuan": F("number", "Value added, accommodation and catering", YUAN_100M,
                                             "Value added of accommodation and catering (住宿和餐饮业).", **NONNEG),
    "va_finance_100m_yuan": F("number", "Value added, finance", YUAN_100M,
                              "Value added of financial intermediation (金融业).", **NONNEG),
    "va_real_estate_100m_yuan": F("number", "Value added, real estate", YUAN_100M,
                                  "Value added of real estate (房地产业).", **NONNEG),
    "va_other_services_100m_yuan": F("number", "Value added, other services", YUAN_100M,
                                     "Value added of all other service sectors (其他行业).", **NONNEG),
    "gdp_index_prev_year_100": F("number", "Real GRP growth index", "index, previous year = 100",
                                 "Gross regional product index at constant prices (地区生产总值指数, 上年=100): "
                                 "104.5 means 4.5 % real growth on the previous year.", minimum=0),
    "va_primary_index_prev_year_100": F("number", "Real growth index, primary industry",
                                        "index, previous year = 100",
                                        "Value-added index of the primary industry at constant prices (上年=100). "
                                        "Only 2013-2019 (pre-revision) and 2024.", required=False, minimum=0),
    "va_secondary_index_prev_year_100": F("number", "Real growth index, secondary industry",
                                          "index, previous year = 100",
                                          "Value-added index of the secondary industry at constant prices "
                                          "(上年=100). Only 2013-2019 (pre-revision) and 2024.",
                                          required=False, minimum=0),
    "va_tertiary_index_prev_year_100": F("number", "Real growth index, tertiary industry",
                                         "index, previous year = 100",
                                         "Value-added index of the tertiary industry at constant prices (上年=100). "
                                         "Only 2013-2019 (pre-revision) and 2024.", required=False, minimum=0),
    # --- population, employment, income -----------------------------------------------------------------
    "resident_population_10k": F("integer", "Year-end resident population", "10,000 persons (万人)",
                                 "Resident population at the end of the year (年末常住人口), published in whole "
                                 "10,000s.", **NONNEG),
    "yearend_resident_population_10k": F("integer", "Year-end resident population 2023", "10,000 persons (万人)",
                                         "Resident population at the end of 2023 (年末常住人口).", **NONNEG),
    "urban_unit_employment_10k": F("number", "Employment in urban non-private units", "10,000 persons (万人), year-end",
                                   "Persons employed in urban non-private units (城镇单位就业人员): state-owned, "
                                   "collective, joint-stock, foreign-funded and similar units; private enterprises "
                                   "and the self-employed are NOT included.", **NONNEG),
    "sector_code_gbt4754": F("string", "Sector code (GB/T 4754-2017)", "code",
                             "Section letter A-S of the Chinese industrial classification GB/T 4754-2017, or "
                             "TOTAL for all sections together.",
                             enum=["TOTAL"] + [chr(c) for c in range(ord("A"), ord("S") + 1)]),
    "sector_zh": F("string", "Sector (Chinese)", "text", "Section name as printed by NBS."),
    "sector_en": F("string", "Sector", "text", "English name of the section."),
    "employment_10k": F("number", "Employment in urban non-private units", "10,000 persons (万人), year-end",
                        "Persons employed in urban non-private units in the sector (private enterprises and the "
                        "self-employed excluded).", **NONNEG),
    "disposable_income_per_capita_all_residents_yuan": F(
        "integer", "Disposable income per capita, all residents", "yuan per person per year, current prices",
        "Per-capita disposable income of all residents (全体居民人均可支配收入), household survey.", **NONNEG),
    "consumption_expenditure_per_capita_all_residents_yuan": F(
        "integer", "Consumption expenditure per capita, all residents", "yuan per person per year, current prices",
        "Per-capita consumption expenditure of all residents (全体居民人均消费支出), household survey.", **NONNEG),
    "disposable_income_per_capita_urban_yuan": F(
        "integer", "Disposable income per capita, urban residents", "yuan per person per year, current prices",
        "Per-capita disposable income of urban residents (城镇居民). Only 2013-2019; blank 2020-2024.",
        required=False, **NONNEG),
    "disposable_income_per_capita_rural_yuan": F(
        "integer", "Disposable income per capita, rural residents", "yuan per person per year, current prices",
        "Per-capita disposable income of rural residents (农村居民). Only 2013-2019; blank 2020-2024.",
        required=False, **NONNEG),
    "consumption_expenditure_per_capita_urban_yuan": F(
        "integer", "Consumption expenditure per capita, urban residents", "yuan per person per year, current prices",
        "Per-capita consumption expenditure of urban residents. Only 2013-2019; blank 2020-2024.",
        required=False, **NONNEG),
    "consumption_expenditure_per_capita_rural_yuan": F(
        "integer", "Consumption expenditure per capita, rural residents", "yuan per person per year, current prices",
        "Per-capita consumption expenditure of rural residents. Only 2013-2019; blank 2020-2024.",
        required=False, **NONNEG),
    # --- R&D ----------------------------------------------------------------------------------------------
    "rd_expenditure_100m_yuan": F("number", "R&D expenditure", YUAN_100M,
                                  "Gross expenditure on research and experimental development (研究与试验发展(R&D)"
                                  "经费), as published in the annual R&D bulletin (全国科技经费投入统计公报).",
                                  **NONNEG),
    "rd_intensity_pct": F("number", "R&D intensity", "% of GRP",
                          "R&D expenditure as a percentage of gross regional product (R&D经费投入强度).", **PCT),
    "rd_intramural_10k_yuan": F("integer", "Intramural R&D expenditure", YUAN_10K,
                                "Intramural expenditure on R&D (R&D经费内部支出), CSYST 2024 table 1-7.", **NONNEG),
    "basic_research_10k_yuan": F("integer", "R&D expenditure on basic research", YUAN_10K,
                                 "Intramural R&D expenditure on basic research (基础研究).", **NONNEG),
    "applied_research_10k_yuan": F("integer", "R&D expenditure on applied research", YUAN_10K,
                                   "Intramural R&D expenditure on applied research (应用研究).", **NONNEG),
    "experimental_dev_10k_yuan": F("integer", "R&D expenditure on experimental development", YUAN_10K,
                                   "Intramural R&D expenditure on experimental development (试验发展).", **NONNEG),
    "government_funds_10k_yuan": F("integer", "R&D funded by government", YUAN_10K,
                                   "Intramural R&D expenditure by source of funds: government (政府资金).", **NONNEG),
    "enterprise_funds_10k_yuan": F("integer", "R&D funded by enterprises", YUAN_10K,
                                   "Intramural R&D expenditure by source of funds: enterprises (企业资金).", **NONNEG),
    "foreign_funds_10k_yuan": F("integer", "R&D funded from abroad", YUAN_10K,
                                "Intramural R&D expenditure by source of funds: foreign (境外资金). Blank for "
                                "Xizang and Ningxia, as in the yearbook.", required=False, **NONNEG),
    "other_funds_10k_yuan": F("integer", "R&D funded from other sources", YUAN_10K,
                              "Intramural R&D expenditure by source of funds: other (其他资金).", **NONNEG),
    "rd_personnel_fte_manyears": F("integer", "R&D personnel (FTE)", MANYEARS,
                                   "R&D personnel in full-time equivalent (R&D人员全时当量).", **NONNEG),
    "researchers_fte_manyears": F("integer", "Researchers (FTE)", MANYEARS,
                                  "Researchers in full-time equivalent (研究人员), a subset of R&D personnel.",
                                  **NONNEG),
    "basic_research_fte_manyears": F("integer", "R&D personnel in basic research (FTE)", MANYEARS,
                                     "R&D personnel FTE working on basic research.", **NONNEG),
    "applied_research_fte_manyears": F("integer", "R&D personnel in applied research (FTE)", MANYEARS,
                                       "R&D personnel FTE working on applied research.", **NONNEG),
    "experimental_dev_fte_manyears": F("integer", "R&D personnel in experimental development (FTE)", MANYEARS,
                                       "R&D personnel FTE working on experimental development.", **NONNEG),
    "rd_intensity_pct_of_revenue": F("number", "R&D intensity (of revenue)", "% of operating revenue",
                                     "R&D expenditure as a percentage of operating revenue (营业收入) of the "
                                     "industry's enterprises above designated size.", **PCT),
    "industry_zh": F("string", "Industry (Chinese)", "text", "Industry name as printed in the source."),
    "industry_en": F("string", "Industry", "text", "English name of the industry."),
    "level": F("string", "Classification level", "category",
               "Position in GB/T 4754: total, section (门类) or division (大类).",
               enum=["total", "section", "division"]),
    # --- patents, high-tech, technology market, fiscal ----------------------------------------------------
    "patents_granted_total": F("integer", "Domestic patents granted", "patents",
                               "Domestic patents granted (国内专利授权数), all three kinds.", **NONNEG),
    "patents_granted_invention": F("integer", "Invention patents granted", "patents",
                                   "Domestic invention patents granted (发明).", **NONNEG),
    "patents_granted_utility_model": F("integer", "Utility-model patents granted", "patents",
                                       "Domestic utility-model patents granted (实用新型).", **NONNEG),
    "patents_granted_design": F("integer", "Design patents granted", "patents",
                                "Domestic design patents granted (外观设计).", **NONNEG),
    "patent_applications_total": F("integer", "Domestic patent applications", "applications",
                                   "Domestic patent applications accepted (国内专利申请受理量), all kinds.", **NONNEG),
    "applications_total": F("integer", "Patent applications", "applications",
                            "Domestic patent applications accepted in 2023, all kinds (CSYST 2024 table 8-7).",
                            **NONNEG),
    "applications_invention": F("integer", "Invention patent applications", "applications",
                                "Invention patent applications accepted in 2023.", **NONNEG),
    "applications_utility_model": F("integer", "Utility-model applications", "applications",
                                    "Utility-model patent applications accepted in 2023.", **NONNEG),
    "applications_design": F("integer", "Design applications", "applications",
                             "Design patent applications accepted in 2023.", **NONNEG),
    "in_force_total": F("integer", "Patents in force", "patents",
                        "Valid (in force) domestic patents at the end of 2023, all kinds (CSYST 2024 table 8-9).",
                        **NONNEG),
    "in_force_invention": F("integer", "Invention patents in force", "patents",
                            "Valid invention patents at the end of 2023.", **NONNEG),
    "in_force_utility_model": F("integer", "Utility-model patents in force", "patents",
                                "Valid utility-model patents at the end of 2023.", **NONNEG),
    "in_force_design": F("integer", "Design patents in force", "patents",
                         "Valid design patents at the end of 2023.", **NONNEG),
    "invention_patents_in_force": F("integer", "Invention patents in force", "patents",
                                    "Valid invention patents at the end of 2023 (CSYST 2024 table 8-9).", **NONNEG),
    "hightech_enterprises_n": F("integer", "High-tech manufacturing enterprises", "enterprises",
                                "Number of high-technology manufacturing enterprises (高技术产业企业数), "
                                "enterprises above designated size.", **NONNEG),
    "hightech_revenue_100m_yuan": F("number", "High-tech manufacturing revenue", YUAN_100M,
                                    "Operating revenue of high-technology manufacturing (营业收入).", **NONNEG),
    "hightech_profit_100m_yuan": F("number", "High-tech manufacturing profit", YUAN_100M,
                                   "Total profit of high-technology manufacturing (利润总额)."),
    "tech_market_turnover_100m_yuan": F("number", "Technology-market turnover", YUAN_100M,
                                        "Value of technology contracts traded (技术市场成交额), by region of the "
                                        "seller (技术输出地域).", **NONNEG),
    "local_general_budget_expenditure_100m_yuan": F(
        "number", "Local general public budget expenditure", YUAN_100M,
        "Expenditure of the local general public budget (地方一般公共预算支出).", **NONNEG),
    "local_fiscal_sci_tech_expenditure_100m_yuan": F(
        "number", "Local fiscal expenditure on science and technology", YUAN_100M,
        "Local general-budget expenditure on science and technology (地方财政科学技术支出).", **NONNEG),
    # --- energy -----------------------------------------------------------------------------------------
    "energy_intensity_change_pct": F("number", "Change in energy use per unit of GRP", "% change on previous year",
                                     "Change in energy consumption per 10,000 yuan of GRP (GRP at constant 2015 "
                                     "prices); negative = energy intensity fell. Blank for Xizang (数据暂缺).",
                                     required=False, minimum=-100),
    "energy_consumption_growth_pct": F("number", "Growth of total energy consumption", "% change on previous year",
                                       "Growth rate of total energy consumption (能源消费总量增速). Blank for Xizang.",
                                       required=False, minimum=-100),
    "electricity_intensity_change_pct": F("number", "Change in electricity use per unit of GRP",
                                          "% change on previous year",
                                          "Change in electricity consumption per 10,000 yuan of GRP. Blank for "
                                          "Xizang and for the national row (not printed).",
                                          required=False, minimum=-100),
    "energy_intensity_mj_per_2017ppp_usd": F("number", "Energy intensity of primary energy",
                                             "megajoules per 2017 PPP US dollar of GDP",
                                             "Primary energy supply divided by GDP in constant 2017 PPP dollars "
                                             "(World Bank EG.EGY.PRIM.PP.KD, SDG indicator 7.3.1).", **NONNEG),
    # --- capacity utilization -------------------------------------------------------------------------------
    "period": F("string", "Period", "period label",
                "Reference period: a year (2023), a quarter (2023Q1), a half-year (2023H1) or the first three "
                "quarters (2023Q1-Q3)."),
    "period_type": F("string", "Period type", "category", "Kind of period.",
                     enum=["year", "quarter", "half-year", "three-quarters"]),
    "capacity_utilization_pct": F("number", "Capacity utilization rate", "% of production capacity",
                                  "Industrial capacity utilization (产能利用率): actual output over production "
                                  "capacity, as released each quarter by NBS.", **PCT),
    "yoy_change_pp": F("number", "Change on a year earlier", "percentage points",
                       "Change of the utilization rate on the same period a year earlier, as printed in the release; "
                       "blank when the copy did not print it.", required=False, minimum=-100, maximum=100),
    "scope_note": F("string", "Scope of the release", "text",
                    "Wording of the release: 全国工业 (national industry) until 2023Q3, 规模以上工业 (industrial "
                    "enterprises above designated size) from 2023Q4."),
    # --- international ----------------------------------------------------------------------------------------
    "rd_expenditure_pct_gdp": F("number", "R&D intensity", "% of GDP",
                                "Gross domestic expenditure on R&D (GERD) as a percentage of GDP.", **PCT),
    "gerd_ppp_mil_usd": F("number", "GERD", "million current PPP US dollars",
                          "Gross domestic expenditure on R&D at purchasing-power parity.", **NONNEG),
    "gerd_pct_gdp": F("number", "R&D intensity", "% of GDP", "GERD as a percentage of GDP.", **PCT),
    "hightech_exports_pct_of_manufactured_exports": F(
        "number", "High-technology exports", "% of manufactured exports",
        "High-technology exports as a share of manufactured exports (WDI TX.VAL.TECH.MF.ZS). Only from 2007.",
        required=False, **PCT),
    "fixed_broadband_subscriptions_per_100_people": F(
        "number", "Fixed broadband subscriptions", "per 100 people",
        "Fixed broadband subscriptions per 100 people (WDI IT.NET.BBND.P2).", **NONNEG),
    "internet_users_pct_of_population": F("number", "Internet users", "% of population",
                                          "Individuals using the Internet (WDI IT.NET.USER.ZS).", **PCT),
    "agriculture_forestry_fishing_va_pct_gdp": F("number", "Agriculture value added", "% of GDP",
                                                 "Agriculture, forestry and fishing value added (WDI NV.AGR.TOTL.ZS).",
                                                 **PCT),
    "industry_incl_construction_va_pct_gdp": F("number", "Industry value added (incl. construction)", "% of GDP",
                                               "Industry including construction, value added (WDI NV.IND.TOTL.ZS).",
                                               **PCT),
    "manufacturing_va_pct_gdp": F("number", "Manufacturing value added", "% of GDP",
                                  "Manufacturing value added (WDI NV.IND.MANF.ZS); blank in some early years.",
                                  required=False, **PCT),
    "services_va_pct_gdp": F("number", "Services value added", "% of GDP",
                             "Services value added (WDI NV.SRV.TOTL.ZS).", **PCT),
    # --- Penn World Table 10.01 -----------------------------------------------------------------------------
    "rgdpna_mil_2017usd": F("number", "Real GDP at constant national prices", "million 2017 US dollars",
                            "PWT rgdpna: real GDP at constant 2017 national prices; use for growth rates.", **NONNEG),
    "rgdpo_mil_2017usd": F("number", "Output-side real GDP at chained PPPs", "million 2017 US dollars",
                           "PWT rgdpo: output-side real GDP at chained PPPs; use for level comparisons across "
                           "countries.", **NONNEG),
    "rnna_mil_2017usd": F("number", "Capital stock at constant national prices", "million 2017 US dollars",
                          "PWT rnna: capital stock at constant 2017 national prices.", **NONNEG),
    "rkna_index_2017eq1": F("number", "Capital services index", "index, 2017 = 1",
                            "PWT rkna: capital services at constant 2017 national prices.", **NONNEG),
    "emp_millions": F("number", "Persons engaged", "millions of persons",
                      "PWT emp: number of persons engaged.", **NONNEG),
    "avh_hours_per_worker": F("number", "Average annual hours worked", "hours per person engaged per year",
                              "PWT avh: average annual hours worked by persons engaged.", **NONNEG),
    "hc_index": F("number", "Human capital index", "index",
                  "PWT hc: human capital index based on years of schooling and returns to education.",
                  minimum=1),
    "labsh_share": F("number", "Labour share", "share of GDP (0-1)",
                     "PWT labsh: share of labour compensation in GDP at current national prices.",
                     minimum=0, maximum=1),
    "rtfpna_index_2017eq1": F("number", "TFP at constant national prices", "index, 2017 = 1",
                              "PWT rtfpna: total factor productivity at constant national prices (for growth "
                              "over time).", **NONNEG),
    "ctfp_usa_eq1": F("number", "TFP level relative to the USA", "index, USA = 1",
                      "PWT ctfp: TFP level at current PPPs relative to the United States (for level "
                      "comparisons in a given year).", **NONNEG),
    "pop_millions": F("number", "Population", "millions of persons", "PWT pop: population.", **NONNEG),
    "delta_depreciation_rate": F("number", "Depreciation rate", "share of capital stock per year (0-1)",
                                 "PWT delta: average depreciation rate of the capital stock.",
                                 minimum=0, maximum=1),
    "csh_i_investment_share": F("number", "Investment share", "share of GDP (0-1)",
                                "PWT csh_i: share of gross capital formation at current PPPs.",
                                minimum=0, maximum=1),
    "irr_real_return": F("number", "Real internal rate of return", "rate per year (0.1 = 10 %)",
                         "PWT irr: real internal rate of return on capital."),
    # --- higher education (fourth pass) -------------------------------------------------------------
    "students_enrolled_10k": F("number", "Students enrolled in regular higher education",
                               "10,000 persons (万人), year-end",
                               "Students enrolled in regular higher-education institutions (普通高等学校在校学生数): "
                               "undergraduate and junior-college programmes (本科, 专科); postgraduates and adult "
                               "higher education are not included. Provinces to four decimals (whole persons), "
                               "the national row to one decimal.", **NONNEG),
    "graduates_10k": F("number", "Graduates of regular higher education", "10,000 persons (万人), in the year",
                       "Graduates of regular higher-education institutions in the year (普通高等学校毕(结)业生数), "
                       "undergraduate and junior-college programmes. Provinces to four decimals, the national "
                       "row to one decimal.", **NONNEG),
    # --- internet (fourth pass) -----------------------------------------------------------------------
    "broadband_ports_10k_units": F("number", "Internet broadband access ports", "10,000 ports (万个), year-end",
                                   "Internet broadband access ports (互联网宽带接入端口): installed capacity. Provinces "
                                   "from 2006; national row from 2003.", required=False, **NONNEG),
    "broadband_users_10k_accounts": F("number", "Internet broadband access subscribers",
                                      "10,000 subscriber accounts (万户), year-end",
                                      "Internet broadband access subscribers (互联网宽带接入用户), counted in "
                                      "accounts (户), not persons. Provinces from 2011; national row from 2002.",
                                      required=False, **NONNEG),
    "mobile_internet_users_10k_accounts": F("number", "Mobile internet subscribers",
                                            "10,000 subscriber accounts (万户), year-end",
                                            "Mobile internet subscribers (移动互联网用户), counted in accounts (户): "
                                            "one person can hold several, so a per-capita value can exceed 1. "
                                            "2014-2019 only.", required=False, **NONNEG),
    "domain_names_10k_units": F("number", "Domain names", "10,000 domain names (万个), year-end",
                                "Registered domain names (域名数) attributed to the province. The provinces do NOT add "
                                "up to the national row (2-12 % short): the national count includes names not "
                                "assigned to any province. Provinces from 2011.", required=False, **NONNEG),
    "web_pages_10k_units": F("number", "Web pages", "10,000 web pages (万个), year-end",
                             "Web pages (网页数) hosted in the province. Provinces from 2011.", required=False,
                             **NONNEG),
    "websites_10k_units": F("number", "Websites", "10,000 websites (万个), year-end",
                            "Websites (网站数) attributed to the province. The provinces do NOT add up to the "
                            "national row (5-18 % short). Provinces 2011-2018; no 2019 value.", required=False,
                            **NONNEG),
    # --- digital finance (fourth pass) ----------------------------------------------------------------
    "dfii_total": F("number", "Digital Financial Inclusion Index (total)", "index points (PKU-DFIIC scale)",
                    "Peking University Digital Financial Inclusion Index of China, total index (总指数), "
                    "provincial level. A research index, not an official statistic; comparable across years. "
                    "Close to a fixed weighted sum of the three sub-indices: a least-squares fit on all rows gives "
                    "weights 0.5396 (breadth), 0.2970 (depth) and 0.1634 (digitization), rounded, and a largest "
                    "residual of 0.008. 2011-2015 "
                    "have two decimals, 2016-2023 the full precision stored in the publisher's workbook.",
                    **NONNEG),
    "dfii_coverage_breadth": F("number", "DFIIC sub-index: coverage breadth", "index points (PKU-DFIIC scale)",
                               "Coverage breadth sub-index (覆盖广度): how many people hold digital-finance "
                               "accounts (e.g. accounts per 10,000 people, share with a bound bank card).",
                               **NONNEG),
    "dfii_usage_depth": F("number", "DFIIC sub-index: usage depth", "index points (PKU-DFIIC scale)",
                          "Usage depth sub-index (使用深度): how much the accounts are used for payment, credit, "
                          "insurance, investment and money-market services.", **NONNEG),
    "dfii_digitization_level": F("number", "DFIIC sub-index: digitization level", "index points (PKU-DFIIC scale)",
                                 "Digitization level sub-index (数字化程度): mobility, affordability, "
                                 "convenience and credit-based services of digital finance.", **NONNEG),
    # --- industrial products (fourth pass) --------------------------------------------------------------
    "crude_steel_10k_tonnes": F("number", "Crude steel output (December cumulative value)",
                                "10,000 tonnes (万吨), January-December",
                                "Crude steel output (粗钢产量) of industrial enterprises above designated size: "
                                "December cumulative value, NBS monthly provincial database; not the final annual "
                                "figure. Blank = not published (NBS served 0.0 or nothing).", required=False,
                                **NONNEG),
    "cement_10k_tonnes": F("number", "Cement output (December cumulative value)",
                           "10,000 tonnes (万吨), January-December",
                           "Cement output (水泥产量) of industrial enterprises above designated size: December "
                           "cumulative value, NBS monthly provincial database; not the final annual figure.",
                           required=False, **NONNEG),
    "integrated_circuits_10k_pieces": F("number", "Integrated circuit output (December cumulative value)",
                                        "10,000 pieces (万块), January-December",
                                        "Integrated circuits produced (集成电路产量), enterprises above designated "
                                        "size: December cumulative value, NBS monthly provincial database; not the "
                                        "final annual figure. Blank = not published (NBS served 0.0 or nothing).",
                                        required=False, **NONNEG),
    "mobile_phones_10k_units": F("number", "Mobile phone output (December cumulative value)",
                                 "10,000 units (万台), January-December",
                                 "Mobile telephone handsets produced (移动通信手持机产量), enterprises above designated "
                                 "size: December cumulative value, NBS monthly provincial database; not the final "
                                 "annual figure. Blank = not published (NBS served 0.0 or nothing).",
                                 required=False, **NONNEG),
    # --- 2024 R&D bulletin, unverified transcription ---------------------------------------------------------
    "rd_intensity_2023_restated_pct": F("number", "R&D intensity 2023, restated in the 2024 bulletin", "% of GRP",
                                        "UNVERIFIED third-party transcription of the 2024 R&D bulletin: the 2023 "
                                        "intensity as restated there, over the revised (post-5th-census) 2023 GRP.",
                                        **PCT),
}

OPTIONAL_IN = {  # columns that are required in general but may be blank in a particular table
    "pwt_china": ["rkna_index_2017eq1", "avh_hours_per_worker", "rtfpna_index_2017eq1", "ctfp_usa_eq1"],
    "rd_intensity_countries": ["code"],
    "province_fiscal": ["local_fiscal_sci_tech_expenditure_100m_yuan"],
}

UNVERIFIED = "UNVERIFIED third-party transcription of the 2024 R&D bulletin (medium confidence): "
PROFILE_10K = ("UNIT: 10,000 yuan (万元), NOT the 100 million yuan (亿元) of rd_expenditure_100m_yuan beside it; "
               "divide by 10,000 before comparing. ")

# Per-table overrides of titles/descriptions (merged over COLUMNS).
OVERRIDES: dict[str, dict[str, dict]] = {
    "province_rd_first_published": {
        "rd_expenditure_100m_yuan": {"description":
            "R&D expenditure of the province (national total on the 100000 row) as first printed in the "
            "R&D bulletin for that year (全国科技经费投入统计公报)."},
        "rd_intensity_pct": {"title": "R&D intensity, first published", "description":
            "R&D expenditure as a percentage of GRP as first printed in that year's bulletin, i.e. over the "
            "GRP known at the time. Later GRP revisions are NOT reflected; see "
            "province_rd_intensity_restated."},
    },
    "province_rd_intensity_restated": {
        "rd_intensity_pct": {"title": "R&D intensity, restated", "description":
            "R&D intensity 2012-2023 as restated in CSYST 2024 table 1-8 on one consistent GRP vintage (the "
            "pre-5th-census-revision series of province_gdp). Differs from the first-published figure wherever "
            "GRP was revised (largest gaps: Tianjin, Liaoning)."},
    },
    # Money in two units side by side: every money column's title carries its unit.
    "province_profile_2023": {
        "gdp_100m_yuan_pre_revision": {"title": "GRP 2023, pre-revision vintage (100 million yuan)"},
        "gdp_100m_yuan_revised": {"title": "GRP 2023, revised vintage (100 million yuan)"},
        "rd_expenditure_100m_yuan": {"title": "R&D expenditure (100 million yuan)", "description":
            "R&D expenditure in 2023 (2023 R&D bulletin), in 100 million yuan (亿元)."},
        "rd_intensity_pct": {"description":
            "R&D intensity in 2023 (2023 R&D bulletin) = R&D expenditure / pre-revision 2023 GRP."},
        "basic_research_10k_yuan": {"title": "R&D on basic research (10,000 yuan, not 100 million)", "description":
            PROFILE_10K + "Intramural R&D expenditure on basic research, 2023 (CSYST 2024 table 1-7)."},
        "government_funds_10k_yuan": {"title": "R&D funded by government (10,000 yuan, not 100 million)",
            "description": PROFILE_10K + "Intramural R&D funded by government, 2023 (CSYST 2024 table 1-14)."},
        "enterprise_funds_10k_yuan": {"title": "R&D funded by enterprises (10,000 yuan, not 100 million)",
            "description": PROFILE_10K + "Intramural R&D funded by enterprises, 2023 (CSYST 2024 table 1-14)."},
        "hightech_revenue_100m_yuan": {"title": "High-tech manufacturing revenue (100 million yuan)"},
        "hightech_profit_100m_yuan": {"title": "High-tech manufacturing profit (100 million yuan)"},
        "tech_market_turnover_100m_yuan": {"title": "Technology-market turnover (100 million yuan)"},
        "local_general_budget_expenditure_100m_yuan": {
            "title": "Local general public budget expenditure (100 million yuan)"},
        "local_fiscal_sci_tech_expenditure_100m_yuan": {
            "title": "Local fiscal expenditure on science and technology (100 million yuan)"},
    },
    "province_rd_personnel": {
        "basic_research_fte_manyears": {"description":
            "R&D personnel FTE working on basic research. Basic + applied + experimental need not equal the "
            "total: see the table description."},
        "applied_research_fte_manyears": {"description":
            "R&D personnel FTE working on applied research. Basic + applied + experimental need not equal the "
            "total: see the table description."},
        "experimental_dev_fte_manyears": {"description":
            "R&D personnel FTE working on experimental development. Basic + applied + experimental need not "
            "equal the total: see the table description."},
    },
    "province_rd_2024_unverified": {
        "rd_expenditure_100m_yuan": {"title": "R&D expenditure 2024 (unverified transcription)", "description":
            UNVERIFIED + "R&D expenditure in 2024 (亿元); the 31 provinces add up exactly to the national row."},
        "rd_intensity_pct": {"title": "R&D intensity 2024 (unverified transcription)", "description":
            UNVERIFIED + "R&D intensity in 2024, over the revised (post-5th-census) GRP."},
        "rd_intensity_2023_restated_pct": {"title": "R&D intensity 2023, restated (unverified transcription)"},
        "year": {"description": "Data year: 2024 (the restated 2023 intensity is a separate column)."},
    },
    "province_internet": {
        "year": {"description": "Data year. 2000-2005 have only the national row (100000); provinces from 2006."},
    },
    "province_value_added": {
        "gdp_100m_yuan": {"description":
            "Gross regional product in the vintage of the row; equals province_gdp for the same province, "
            "year and vintage."},
    },
    "pwt_china": {"year": {"description": "Data year (1952-2019)."}},
    "rd_by_industry_2022": {"rd_expenditure_100m_yuan": {"description":
        "R&D expenditure of industrial enterprises above designated size in the industry, 2022 bulletin."}},
}

# Resource-level metadata.
DEC = "December cumulative value, NBS monthly provincial database; not the final annual figure"
RESOURCES: dict[str, dict] = {
    "provinces": dict(
        citation="NBS regional grouping (East, Central, West, Northeast); GB/T 2260 codes; tile positions: course design",
        title="Provinces: codes, names, region groups and tile-map positions",
        description="The 31 provincial-level divisions of mainland China with GB/T 2260 code, Chinese and "
                    "English name, NBS region group (East 10, Central 6, West 12, Northeast 3), and the row and "
                    "column of each province on the course's 8 x 8 tile map (tile positions are a course "
                    "design, not a statistic). Hong Kong, Macao and Taiwan are not included, as in all NBS "
                    "provincial tables.",
        provinces=True, national=False),
    "province_profile_2023": dict(
        citation="NBS National Data; NBS/MOST/MOF R&D bulletin 2023; China Statistical Yearbook on Science and Technology 2024",
        title="Province profile 2023 (innovation, output, fiscal)",
        description="One row per province for 2023: GRP in both vintages, year-end population, R&D expenditure "
                    "and intensity (2023 bulletin), R&D personnel, R&D funds by activity and source, patents, "
                    "high-tech manufacturing, technology-market turnover and local fiscal expenditure. Each "
                    "column is copied from the panel table of the same name or from the yearbook table named in "
                    "the sources. The 2023 R&D intensity is over the pre-revision GRP. Money comes in TWO "
                    "units side by side: columns ending _100m_yuan are 100 million yuan (亿元); "
                    "basic_research_10k_yuan, government_funds_10k_yuan and enterprise_funds_10k_yuan are "
                    "10,000 yuan (万元), i.e. 10,000 times smaller units: divide them by 10,000 before comparing "
                    "with rd_expenditure_100m_yuan.",
        provinces=True, national=False),
    "province_gdp": dict(
        citation="NBS National Data, gross regional product by province (pre- and post-5th-census vintages)",
        title="Gross regional product by province, two vintages",
        description="Gross regional product (亿元, current prices), long format with a 'vintage' column: "
                    "pre_5th_census_revision 2004-2023 (as in China Statistical Yearbook 2024; for years before "
                    "2019 a later restatement, not the figure printed at the time) and "
                    "post_5th_census_revision 2006-2024 (current NBS series). The provinces do not add up to "
                    "national GDP (regional and national accounts are compiled separately).",
        provinces=True, national=False),
    "province_population": dict(
        citation="NBS National Data, year-end resident population by province",
        title="Year-end resident population by province",
        description="Year-end resident population (万人), 2010-2024. The 31 provinces sum to less than the "
                    "national total, which also counts active servicemen.",
        provinces=True, national=False),
    "province_rd_first_published": dict(
        citation="NBS, MOST and MOF, Statistical Communiques on National Expenditure on Science and Technology, 2011-2023",
        title="R&D expenditure and intensity by province, as first published",
        description="R&D expenditure (亿元) and R&D intensity (% of GRP) by province plus the national total "
                    "(code 100000), 2011-2023, as printed in each year's R&D bulletin. 2018-2023 were parsed "
                    "from saved official pages; 2011-2017 come from a careful third-party transcription that "
                    "passes all consistency checks. Intensities use the GRP known at the time.",
        provinces=True, national=True),
    "province_rd_intensity_restated": dict(
        citation="NBS and MOST, China Statistical Yearbook on Science and Technology 2024, table 1-8",
        title="R&D intensity by province, restated (CSYST 2024)",
        description="R&D intensity (% of GRP) 2012-2023 restated by the China Statistical Yearbook on Science "
                    "and Technology 2024 (table 1-8) on one consistent, pre-5th-census-revision GRP vintage, with "
                    "the national row (100000). Compare with province_rd_first_published.",
        provinces=True, national=True),
    "province_rd_personnel": dict(
        citation="NBS and MOST, China Statistical Yearbook on Science and Technology 2014-2024, table 1-4",
        title="R&D personnel (full-time equivalent) by province",
        description="R&D personnel FTE (人年): total, researchers, and by activity (basic, applied, "
                    "experimental), 2013-2023, national row included; one CSYST edition (table 1-4) per year. "
                    "Basic + applied + experimental does not equal the total in 228 of the 352 rows (by up to "
                    "299 person-years, less than 0.1 % of the total): the yearbook prints them so, it is not a "
                    "copying error. Use the total column for totals, the three activities for shares. The 2022 "
                    "West subtotal of the applied/experimental split differs from the sum of provinces in the "
                    "yearbook itself (totals agree).",
        provinces=True, national=True),
    "province_rd_funding_2023": dict(
        citation="NBS and MOST, China Statistical Yearbook on Science and Technology 2024, tables 1-7 and 1-14",
        title="R&D funds by activity and source, 2023",
        description="Intramural R&D expenditure 2023 (万元) by activity (basic/applied/experimental) and by "
                    "source of funds (government/enterprise/foreign/other), with the national row; CSYST 2024 "
                    "tables 1-7 and 1-14. Foreign funds are blank for Xizang and Ningxia, as in the yearbook.",
        provinces=True, national=True),
    "province_patents_granted": dict(
        citation="NBS and MOST, China Statistical Yearbook on Science and Technology 2014-2024, table 8-8 (7-8)",
        title="Domestic patents granted by province",
        description="Domestic patents granted, total and by kind (invention, utility model, design), "
                    "2013-2023, from CSYST tables 8-8 (7-8 before the 2017 edition). The printed national row "
                    "includes Hong Kong, Macao, Taiwan and unallocated grants, so it exceeds the sum of the 31 "
                    "provinces: use the provinces' own sum when shares must add up to 100 %.",
        provinces=True, national=True),
    "province_patent_applications": dict(
        citation="NBS National Data (data from CNIPA), domestic patent applications by province",
        title="Domestic patent applications by province",
        description="Domestic patent applications accepted (all kinds), 2011-2024, NBS National Data portal.",
        provinces=True, national=False),
    "province_patents_2023": dict(
        citation="NBS and MOST, China Statistical Yearbook on Science and Technology 2024, tables 8-7 and 8-9",
        title="Patent applications and patents in force, 2023",
        description="2023 patent applications and patents in force at year-end, total and by kind, with the "
                    "national row (CSYST 2024 tables 8-7 and 8-9).",
        provinces=True, national=True),
    "province_hightech": dict(
        citation="NBS and MOST, China Statistical Yearbook on Science and Technology 2019-2024, table 5-2",
        title="High-technology manufacturing by province",
        description="Number of enterprises, operating revenue and total profit of high-technology "
                    "manufacturing (enterprises above designated size), 2018-2023, national row included; CSYST "
                    "table 5-2 of each edition. Revenue and profit are whole 亿元 in most years; the 2020 and 2021 "
                    "values carry up to five decimals, as in the source copy.",
        provinces=True, national=True),
    "province_tech_market": dict(
        citation="NBS National Data (data from MOST), technology-market turnover by province",
        title="Technology-market turnover by province",
        description="Turnover of technology contracts by region of the seller (亿元), 2011-2024. Xizang has no "
                    "row for 2011-2016 (missing in the NBS export), so those years cover 30 provinces.",
        provinces=False, national=False),
    "province_fiscal": dict(
        citation="NBS National Data (data from the Ministry of Finance), local fiscal expenditure by province",
        title="Local general budget expenditure and science-and-technology expenditure",
        description="Local general public budget expenditure 2011-2024 and local fiscal expenditure on science "
                    "and technology 2011-2023 (亿元; 2024 S&T blank, not yet in the export).",
        provinces=True, national=False),
    "province_energy_intensity_change_2020": dict(
        citation="NBS, NDRC and NEA, bulletin on energy use per unit of GRP by province, 2020",
        title="Change in energy and electricity intensity by province, 2020",
        description="2020 change (%) in energy use per 10,000 yuan of GRP, growth of total energy consumption and "
                    "change in electricity use per unit of GRP, from the NBS/NDRC/NEA 2020 bulletin (read from a "
                    "full-text repost). Xizang is blank (data not available in the bulletin); the national "
                    "electricity change is not printed. One year only: no panel.",
        provinces=True, national=True),
    "province_value_added": dict(
        citation="NBS National Data, gross regional product and value added by province (two vintages)",
        title="Value added by industry and per-capita GRP by province, two vintages",
        description="GRP, value added of the three industries and of nine sectors, and published per-capita "
                    "GRP: pre_5th_census_revision 2013-2019 and post_5th_census_revision 2019-2024 (2019 is in "
                    "both). 农林牧渔业 exceeds the primary industry, and industry + construction exceeds the "
                    "secondary industry, because auxiliary activities are counted in the tertiary industry. "
                    "Transport/storage/post is blank for 2013-2019.",
        provinces=True, national=False),
    "province_gdp_index": dict(
        citation="NBS National Data, real growth indices of gross regional product by province",
        title="Real growth indices of GRP and the three industries",
        description="GRP index at constant prices (previous year = 100), pre_5th_census_revision 2013-2019 and "
                    "post_5th_census_revision 2016-2024; indices of the three industries for 2013-2019 and 2024 "
                    "only (blank otherwise). The revised 2016-2023 GRP index comes from an export without an "
                    "indicator line (identified by file name and a labelled 2024 copy).",
        provinces=True, national=False),
    "province_income_consumption": dict(
        citation="NBS National Data (household survey), per-capita disposable income and consumption by province",
        title="Per-capita disposable income and consumption by province",
        description="Per-capita disposable income and consumption expenditure (yuan, current prices) of all "
                    "residents 2013-2024, and of urban and rural residents 2013-2019 only (blank 2020-2024); NBS "
                    "household survey.",
        provinces=True, national=False),
    "province_employment_by_sector_2024": dict(
        citation="NBS National Data, employment in urban non-private units by sector, 2024",
        title="Employment in urban non-private units by sector, 2024",
        description="Year-end 2024 employment in urban non-private units (万人), long format: 19 GB/T 4754-2017 "
                    "sections A-S plus TOTAL for each province. Private enterprises and the self-employed are "
                    "excluded, so this describes formal, mostly state and large-firm employment. No national "
                    "row. The sections add up to TOTAL within rounding (+-0.3).",
        provinces=True, national=False),
    "province_employment_total": dict(
        citation="NBS National Data, employment in urban non-private units by province",
        title="Employment in urban non-private units, total",
        description="Year-end employment in urban non-private units (万人), 2008-2024 (excludes private "
                    "enterprises and the self-employed).",
        provinces=True, national=False),
    "pwt_china": dict(
        citation="Penn World Table 10.01 (Feenstra, Inklaar and Timmer 2015), www.ggdc.net/pwt",
        title="Penn World Table 10.01: China, 1952-2019",
        description="China's national accounts, capital, labour, human capital and TFP series from Penn World "
                    "Table 10.01 (full-precision copy). Capital services, TFP and the TFP level start in 1956 and "
                    "hours worked in 1970 (earlier cells blank, as in PWT). PWT ends in 2019.",
        provinces=False),
    "pwt_peers": dict(
        citation="Penn World Table 10.01 (Feenstra, Inklaar and Timmer 2015), www.ggdc.net/pwt",
        title="Penn World Table 10.01: China and seven peers, 1970-2019",
        description="The same PWT 10.01 variables for China, the United States, Japan, Korea, Germany, the United "
                    "Kingdom, France and India, 1970-2019.",
        provinces=False),
    "rd_intensity_countries": dict(
        citation="UNESCO Institute for Statistics via World Bank WDI (GB.XPD.RSDV.GD.ZS), processed by Our World in Data",
        title="R&D intensity by country, 1996-2021",
        description="Gross domestic expenditure on R&D as % of GDP for China, the US, Japan, Germany, Korea, the "
                    "UK, France, India, the EU-27, high-income countries and the world (UNESCO UIS via World Bank "
                    "WDI, as processed by Our World in Data). Not every entity has every year. The UK series "
                    "reflects the UK's 2022 survey revision (higher than older publications).",
        provinces=False),
    "rd_intensity_oecd_2019": dict(
        citation="NSF NCSES, Science and Engineering Indicators 2022, table RD-5",
        title="GERD and R&D intensity, 2019: selected economies and OECD/G20 averages",
        description="GERD (million current PPP dollars) and R&D intensity for 2019 (India 2018), including the "
                    "OECD and G20 averages, from NSF NCSES Science and Engineering Indicators 2022, table RD-5 "
                    "(selected rows).",
        provinces=False),
    "energy_intensity_countries": dict(
        citation="World Bank WDI (EG.EGY.PRIM.PP.KD), processed by Our World in Data",
        title="Energy intensity of primary energy, China and peers",
        description="Primary energy intensity (MJ per 2017 PPP dollar of GDP), 2000-2019 for China and peers, "
                    "World 1990-2012 only in this copy (World Bank EG.EGY.PRIM.PP.KD via Our World in Data). The "
                    "source stores 32-bit floats; they are written here as the shortest decimal giving the same "
                    "32-bit value (10.850000381469727 -> 10.85). One copy, not cross-checked.",
        provinces=False),
    "capacity_utilization": dict(
        citation="NBS quarterly releases on industrial capacity utilization, 2021-2025",
        title="Industrial capacity utilization, China, 2021-2025Q1",
        description="Capacity utilization (%) of national industry and main industries, by quarter, half-year, "
                    "first three quarters and year, 2021Q1-2025Q1, from NBS quarterly releases read from reposts "
                    "(the host of each copy is in the sources). Each period has only the rows its release "
                    "printed. From 2023Q4 the scope reads 'industrial enterprises above designated size'. Rows "
                    "are sorted by period and keep the release's industry order within a period.",
        provinces=False),
    "china_wdi": dict(
        citation="World Bank, World Development Indicators",
        title="China: selected World Development Indicators, 2000-2020",
        description="High-technology exports (% of manufactured exports, from 2007), fixed broadband per 100 "
                    "people, internet users (%), and value added of agriculture, industry, manufacturing and "
                    "services (% of GDP), World Bank WDI as returned by the World Bank API (third-party crawl, "
                    "October 2025). WDI sector shares are not the NBS three-industry shares: do not mix them.",
        provinces=False),
    "rd_by_industry_2022": dict(
        citation="NBS, MOST and MOF, Statistical Communique on National Expenditure on Science and Technology 2022",
        title="R&D of industrial enterprises by industry, 2022",
        description="R&D expenditure (亿元) and R&D as % of operating revenue of industrial enterprises above "
                    "designated size, by GB/T 4754 section and division, national, from the 2022 R&D bulletin. "
                    "Rows keep the bulletin's order (total, then each section followed by its divisions).",
        provinces=False),
    # --- fourth pass ------------------------------------------------------------------------------------
    "province_higher_education": dict(
        citation="NBS National Data, students enrolled in and graduates of regular higher-education institutions "
                 "by province, 2000-2019 (copy scraped from the portal in 2021)",
        title="Higher education: students enrolled and graduates by province",
        description="Students enrolled in, and graduates of, regular higher-education institutions (普通高等学校; "
                    "undergraduate and junior-college programmes, without postgraduates or adult education), in "
                    "10,000 persons, 2000-2019, all 31 provinces and the national row (100000). NBS National Data "
                    "(分省年度数据 and 年度数据, 教育 > 高等学校普通本、专科学校和学生情况), read from a copy a third party "
                    "scraped from the portal in 2021 and reshaped to long form: not a raw export and no second copy "
                    "was found (medium confidence). The provinces add up to the national row within 0.01 % "
                    "(students) and 0.15 % (graduates) every year; graduates are fewer than students in every "
                    "province-year. The NBS series end in 2019 here. Two indicators of the same NBS table share "
                    "the province-year key, so they are one table.",
        provinces=True, national=True),
    "province_internet": dict(
        citation="NBS National Data, main internet indicators by province, 2000-2019 (copy scraped from the "
                 "portal in 2021)",
        title="Internet by province: broadband ports and subscribers, mobile internet, domain names, web pages, "
              "websites",
        description="The six indicators of the NBS table 互联网主要指标发展情况, one column each: broadband access "
                    "ports (万个), broadband subscribers (万户), mobile internet subscribers (万户), domain names, web "
                    "pages and websites (万个). They share the province-year key, so one wide table serves "
                    "per-capita ratios, growth rates and comparisons without joins; a blank means the NBS table "
                    "has no value for that province-year. Provinces 2006-2019 with the national row (100000); "
                    "2000-2005 have the national row only (listed in national_only_years). Provincial values "
                    "start in 2006 (ports), 2011 (broadband subscribers, domain names, web pages, websites) and "
                    "2014 (mobile internet); websites end in 2018. Ports from 2008, broadband and mobile "
                    "subscribers and web pages add up to the national row within 0.01 % (ports 2006-2007: "
                    "2.5-2.7 % short). Domain names and websites do NOT add up (the national count includes "
                    "entries assigned to no province): never compute provincial shares of their national row. "
                    "Subscribers are accounts (户), not persons. NBS National Data (分省年度数据 and 年度数据, "
                    "运输和邮电), read from a 2021 copy scraped from the portal (medium confidence).",
        provinces=True, national=True, national_only_years=[2000, 2001, 2002, 2003, 2004, 2005]),
    "province_digital_finance_pku": dict(
        citation="Institute of Digital Finance, Peking University, Peking University Digital Financial Inclusion "
                 "Index of China (PKU-DFIIC), 2011-2023; Guo Feng, Wang Jingyi, Wang Fang, Kong Tao, Zhang Xun "
                 "and Cheng Zhiyun (2020), 'Measuring China's digital financial inclusion: index compilation and "
                 "spatial characteristics', China Economic Quarterly 19(4)",
        title="Peking University Digital Financial Inclusion Index by province, 2011-2023",
        description="The Peking University Digital Financial Inclusion Index of China (北京大学数字普惠金融指数, "
                    "PKU-DFIIC), provincial level: the total index and its three sub-indices, coverage breadth "
                    "(覆盖广度), usage depth (使用深度) and digitization level (数字化程度), all 31 provinces, "
                    "2011-2023, no national row. A research index compiled by the Institute of Digital Finance, "
                    "Peking University, from Ant Group transaction data, not an official statistic. Its terms of "
                    "use are the publisher's, not an open licence; its users are asked to cite 郭峰、王靖一、王芳、"
                    "孔涛、张勋、程志云 (2020), 测度中国数字普惠金融发展：指数编制与空间特征, 经济学(季刊) 19(4). "
                    "Read from a third-party conversion of the official workbook (sheet Provinces) to Stata that "
                    "renames columns only; not compared cell by cell with the official file (medium confidence). "
                    "The total is close to a fixed weighted sum of the sub-indices (least-squares weights 0.5396, "
                    "0.2970 and 0.1634, rounded; largest residual 0.008 over all 403 rows).",
        provinces=True, national=False),
    "province_output_steel_cement": dict(
        citation="NBS National Data, crude steel and cement output by province, 2015-2020: " + DEC,
        title="Crude steel and cement output by province, 2015-2020 (December cumulative value)",
        description="Crude steel and cement output (万吨) of industrial enterprises above designated size, by "
                    "province, 2015-2020: " + DEC + " (yearbook values can differ slightly). Every province has a "
                    "row every year, but a value is blank where NBS published none: it served 0.0 (left blank, "
                    "since 0.0 there means 'not published') or nothing. Crude steel has 28-30 provinces a year "
                    "(blank: Beijing from 2016, Hainan from 2018, Xizang every year), cement all 31. No national row. Read from a machine crawl of "
                    "the NBS monthly database (分省月度数据, 工业 > 主要工业产品产量), not a portal export (medium "
                    "confidence).",
        provinces=True, national=False, values_note="crude steel blank in 1-3 provinces a year"),
    "province_output_ics_phones": dict(
        citation="NBS National Data, integrated circuit and mobile phone output by province, 2015-2021: " + DEC,
        title="Integrated circuit and mobile phone output by province, 2015-2021 (December cumulative value)",
        description="Integrated circuits (万块) and mobile telephone handsets (万台) produced by industrial "
                    "enterprises above designated size, by province, 2015-2021: " + DEC + " (yearbook values can "
                    "differ slightly). Every province has a row every year, but a value is blank where NBS "
                    "published none (it served 0.0, left blank, or nothing): integrated circuits have 19-25 "
                    "provinces a year, mobile phones 19-24. A blank is 'not published', which is not the same "
                    "as 'none produced'. No national row. Read from a machine crawl of the NBS monthly database "
                    "(分省月度数据, 工业 > 主要工业产品产量), not a portal export (medium confidence).",
        provinces=True, national=False, values_note="blank in 6-12 provinces a year"),
    "province_rd_2024_unverified": dict(
        citation="NBS, MOST and MOF, Statistical Communique on National Expenditure on Science and Technology "
                 "2024, as transcribed by a third party (UNVERIFIED, medium confidence)",
        title="R&D expenditure and intensity by province, 2024 (UNVERIFIED transcription)",
        description="UNVERIFIED, medium confidence: R&D expenditure (亿元) and intensity by province for 2024, with "
                    "the national row, and the 2023 intensity as restated in the 2024 bulletin, from a third "
                    "party's transcription of the 2024 bulletin (published 29 September 2025), not from the "
                    "official page. Checked: the 31 provinces add up exactly to the national 36,326.8 亿元; the "
                    "national 2.69 % and Beijing's 6.58 % match reposts of the bulletin; the restated 2023 "
                    "intensities equal 2023 R&D (province_rd_first_published) over the revised 2023 GRP "
                    "(province_gdp, post_5th_census_revision) to rounding in every province. The 2024 "
                    "intensities are over the revised GRP, like the restated 2023 ones (2024 R&D over the revised "
                    "2024 GRP reproduces them within 0.03 percentage points, though not to rounding everywhere: "
                    "the bulletin may have used an earlier GRP estimate); do not compare them with the 2023 "
                    "bulletin's intensities, which are over the pre-revision GRP. Say "
                    "'unverified transcription' wherever a figure from this table is shown.",
        provinces=True, national=True),
}

# The one synthetic table (lesson 32): built from scripts/synthetic_microdata.py, not from a reference file.
SYNTHETIC_SOURCE = "course_synthetic_microdata"
RESOURCES["synthetic_residents"] = dict(
    citation="SYNTHETIC data generated by the course (scripts/synthetic_microdata.py, seed 20240417); no record "
             "describes a real person. Province weights and mean incomes from NBS 2023 population and "
             "household-survey income",
    title="SYNTHETIC microdata: 2,000 invented residents (privacy lesson)",
    description="SYNTHETIC — every record is invented by a seeded random generator "
                "(scripts/synthetic_microdata.py, seed 20240417); no record describes a real person. 2,000 "
                "records with age, sex, province (and its NBS region), annual income and an invented sensitive "
                "attribute (overdue debt), for the lesson on de-identification and k-anonymity (paper section "
                "四(二)1, F2.1), where real microdata cannot be published. Provinces are drawn in proportion to "
                "their 2023 year-end resident population and incomes are centred on each province's 2023 "
                "per-capita disposable income (both NBS), so that the records look plausible; everything else "
                "is random. Label it synthetic wherever it is shown.",
    provinces=False, synthetic=True)


def synthetic_table(built: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The synthetic microdata, generated from two real tables of this build (text frames)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("synthetic_microdata", REPO / "scripts" / "synthetic_microdata.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    provinces = gen.provinces_from_tables(built["provinces"], built["province_population"],
                                          built["province_income_consumption"])
    frame = pd.DataFrame(gen.generate(provinces), columns=gen.COLUMNS).astype(object)
    frame["source_id"] = SYNTHETIC_SOURCE        # like every table: each row names its source
    return frame


def synthetic_resource(name: str, frame: pd.DataFrame) -> dict:
    """The data-package entry of a synthetic table: marked synthetic, its generator as the source."""
    spec = {"key": [("record_id", "str")]}
    fields = FIELDS_FOR(name, list(frame.columns))
    res_meta = RESOURCES[name]
    validate(name, frame, fields, spec, res_meta)
    source = {
        "id": SYNTHETIC_SOURCE,
        "title": "SYNTHETIC: generated by the course, scripts/synthetic_microdata.py (seed 20240417)",
        "publisher": "This course (generated, not published statistics)",
        "publication": "scripts/synthetic_microdata.py",
        "table": "invented records; province weights from NBS year-end resident population 2023, mean incomes "
                 "from NBS per-capita disposable income of all residents 2023",
        "years": "none (invented records)",
        "unit": "see the column descriptions",
        "licence": LICENCE_CC_BY["title"],
        "confidence": "synthetic",
        "retrieved_via": "generated by scripts/build_datasets.py, which calls scripts/synthetic_microdata.py",
        "notes": "SYNTHETIC. Seeded (random.Random(20240417)); rebuilding gives the same file byte for byte.",
    }
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": res_meta["title"],
        "description": res_meta["description"],
        "citation": res_meta["citation"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "provinces": False,
        "synthetic": True,
        "rows": len(frame),
        "schema": {"fields": fields, "primaryKey": [k for k, _ in spec["key"]], "missingValues": [""]},
        "sources": [source],
        "licenses": [LICENCE_CC_BY],
    }


LICENCE_NBS = {
    "name": "NBS-public-statistics",
    "title": "Public statistical data of the National Bureau of Statistics of China, reproduced with citation",
    "path": "https://www.stats.gov.cn",
}
LICENCE_CC_BY = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                 "path": "https://creativecommons.org/licenses/by/4.0/"}
LICENCE_PKU = {"name": "PKU-DFIIC-terms-of-use",
               "title": "Terms of use of the Institute of Digital Finance, Peking University (not an open "
                        "licence); cite Guo Feng et al. (2020) as the publisher asks",
               "path": "https://idf.pku.edu.cn/"}
LICENCE_US_PD = {"name": "US-Government-Public-Domain",
                 "title": "Public domain (work of the US Government, NSF NCSES); cite NCSES as the source",
                 "path": "https://ncses.nsf.gov/"}


def licence_for(source_id: str, row: dict) -> dict:
    """Licence of one source, from its publisher (sources.csv has no licence column)."""
    publisher = row["publisher"]
    if source_id == "pwt1001" or "Groningen" in publisher:
        return LICENCE_CC_BY
    if "NCSES" in publisher:
        return LICENCE_US_PD
    if "Institute of Digital Finance, Peking University" in publisher:
        return LICENCE_PKU
    if "Our World in Data" in publisher or publisher.startswith("World Bank") or "UNESCO" in publisher:
        return LICENCE_CC_BY
    if publisher.startswith("NBS") or "National Bureau of Statistics" in publisher:
        return LICENCE_NBS
    raise BuildError(f"sources.csv: no licence rule for source {source_id!r} ({publisher})")


def source_entry(source_id: str, row: dict) -> dict:
    lic = licence_for(source_id, row)
    entry = {
        "id": source_id,
        "title": f"{row['publisher']}: {row['publication']}",
        "publisher": row["publisher"],
        "publication": row["publication"],
        "table": row["table_or_indicator"],
        "years": row["data_years"],
        "unit": row["unit"],
        "licence": lic["title"],
        "confidence": row["confidence"],
        "retrieved_via": row["retrieved_via"],
        "notes": row["notes"],
    }
    if row["original_url"].startswith("http"):
        entry["path"] = row["original_url"].split(" ")[0]
    if source_id == "pwt1001":
        entry["title"] = ("Penn World Table version 10.01 (Feenstra, Inklaar and Timmer 2015, 'The Next "
                          "Generation of the Penn World Table', American Economic Review 105(10): 3150-3182), "
                          "www.ggdc.net/pwt")
    return entry


def FIELDS_FOR(name: str, columns: list[str]) -> list[dict]:
    """Field descriptors (Frictionless schema fields) for a table's columns, in column order."""
    fields = []
    res = RESOURCES[name]
    for col in columns:
        if col not in COLUMNS:
            raise BuildError(f"table {name!r}: column {col!r} has no metadata in build_datasets.py")
        meta = json.loads(json.dumps(COLUMNS[col]))  # deep copy
        for k, v in OVERRIDES.get(name, {}).get(col, {}).items():
            meta[k] = v
        if col in OPTIONAL_IN.get(name, []):
            meta["constraints"]["required"] = False
        if res.get("national"):
            if col == "nbs_region_en":
                meta["constraints"]["enum"] = REGIONS_EN + ["National"]
            elif col == "nbs_region_zh":
                meta["constraints"]["enum"] = REGIONS_ZH + ["全国"]
            elif col == "province_code":
                meta["constraints"]["enum"] = [NATIONAL_CODE] + PROVINCE_CODES
        elif col == "province_code":
            meta["constraints"]["minimum"] = PROVINCE_CODES[0]
            meta["constraints"]["enum"] = list(PROVINCE_CODES)
        fields.append({"name": col, **meta})
    return fields


PACKAGE = {
    "profile": "tabular-data-package",
    "name": "nqpf-course-datasets",
    "title": "Datasets of the open course on Zhang & Ma (2024), new quality productive forces according "
             "to local conditions",
    "description": "Official statistics used by the course: Chinese provincial panels (GRP in two vintages, "
                   "population, value added, income, employment, R&D, patents, high-tech industry, technology "
                   "market, fiscal, energy, higher-education, internet and industrial-output data) from the "
                   "National Bureau of Statistics of China and its yearbooks, Penn World Table 10.01, and "
                   "international R&D and energy indicators (UNESCO UIS / World Bank via Our World in Data, World "
                   "Bank WDI, NSF NCSES); plus one research index, the Peking University Digital Financial "
                   "Inclusion Index (under its publisher's terms, not an open licence); and one SYNTHETIC table "
                   "(synthetic_residents: invented people for the privacy lesson, generated by a seeded script, "
                   "marked synthetic). Every value of the other tables is copied "
                   "from a published table; nothing is estimated or filled in; blank cells are values the source "
                   "did not print. See datasets/README.md for the data dictionary and the two traps (GDP vintages; "
                   "first-published versus restated R&D intensity). Generated by scripts/build_datasets.py.",
}


def split_ids(value: str) -> list[str]:
    return [p.strip() for p in value.split(";") if p.strip()]


def validate(name: str, frame: pd.DataFrame, fields: list[dict], spec: dict, res: dict) -> None:
    """Check the built table against its own descriptor; raise BuildError on the first problem."""
    path = f"datasets/{name}.csv"
    if [f["name"] for f in fields] != list(frame.columns):
        raise BuildError(f"{path}: columns and schema fields differ")
    for f in fields:
        col, c = f["name"], f["constraints"]
        for i, v in enumerate(frame[col]):
            where = f"{path}, row {i + 2}, column {col!r}"
            if v == "":
                if c.get("required"):
                    raise BuildError(f"{where}: blank but required")
                continue
            if f["type"] in ("integer", "year"):
                if not INT_RE.fullmatch(v):
                    raise BuildError(f"{where}: {v!r} is not an integer")
                x = int(v)
            elif f["type"] == "number":
                if not NUM_RE.fullmatch(v):
                    raise BuildError(f"{where}: {v!r} is not a number")
                x = float(v)
            else:
                x = v
            if "enum" in c and x not in c["enum"]:
                raise BuildError(f"{where}: {v!r} not in {c['enum']}")
            if "minimum" in c and x < c["minimum"]:
                raise BuildError(f"{where}: {v} below minimum {c['minimum']}")
            if "maximum" in c and x > c["maximum"]:
                raise BuildError(f"{where}: {v} above maximum {c['maximum']}")
    key = [k for k, _ in spec["key"]]
    if res.get("provinces"):
        other = [k for k in key if k != "province_code"]
        groups = frame.groupby(other, sort=False) if other else [((), frame)]
        national_only = set(res.get("national_only_years", []))
        seen_national_only = set()
        for values, group in groups:
            codes = sorted(int(c) for c in group["province_code"] if int(c) != NATIONAL_CODE)
            if not codes and other == ["year"] and int(values if not isinstance(values, tuple) else values[0]) \
                    in national_only:
                seen_national_only.add(int(values if not isinstance(values, tuple) else values[0]))
                continue
            if codes != PROVINCE_CODES:
                raise BuildError(f"{path}: {dict(zip(other, values if isinstance(values, tuple) else (values,)))} "
                                 f"covers {len(set(codes))} of the 31 provinces")
            if res.get("national") and NATIONAL_CODE not in [int(c) for c in group["province_code"]]:
                raise BuildError(f"{path}: {values}: national row 100000 missing")
        if seen_national_only != national_only:
            raise BuildError(f"{path}: national_only_years {sorted(national_only)} but the years with only the "
                             f"national row are {sorted(seen_national_only)}")


def build_resource(name: str, frame: pd.DataFrame, spec: dict, sources: dict[str, dict]) -> dict:
    fields = FIELDS_FOR(name, list(frame.columns))
    res_meta = RESOURCES[name]
    validate(name, frame, fields, spec, res_meta)
    id_col = next((c for c in ("source_id", "source_ids") if c in frame.columns), None)
    if name == "provinces":
        used = ["nbs_region_division"]   # the dropped source_id column of provinces_reference.csv
    else:
        used = []
        for value in frame[id_col]:
            for sid in split_ids(value):
                if sid not in used:
                    used.append(sid)
    missing = [sid for sid in used if sid not in sources]
    if missing:
        raise BuildError(f"datasets/{name}.csv: source ids not described in sources.csv: {missing}")
    source_list = [source_entry(sid, sources[sid]) for sid in used]
    licences = []
    for sid in used:
        lic = licence_for(sid, sources[sid])
        if lic not in licences:
            licences.append(lic)
    resource = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": res_meta["title"],
        "description": res_meta["description"],
        "citation": res_meta["citation"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "provinces": bool(res_meta.get("provinces")),
    }
    if res_meta.get("provinces"):
        resource["national_row"] = bool(res_meta.get("national"))
    if res_meta.get("national_only_years"):
        resource["national_only_years"] = list(res_meta["national_only_years"])
    resource.update({
        "rows": len(frame),
        "schema": {"fields": fields, "primaryKey": [k for k, _ in spec["key"]], "missingValues": [""]},
        "sources": source_list,
        "licenses": licences,
    })
    return resource


# --------------------------------------------------------------------------------------------------
# datasets/README.md (human data dictionary). The prose is the course's own; every number quoted in
# it is computed here from the built tables, so the text cannot drift from the data.
# --------------------------------------------------------------------------------------------------
def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col].replace("", np.nan))


def _facts(built: dict[str, pd.DataFrame]) -> dict:
    gdp = built["province_gdp"].copy()
    gdp["code"] = _num(gdp, "province_code")
    gdp["yr"] = _num(gdp, "year")
    gdp["v"] = _num(gdp, "gdp_100m_yuan")
    pre = gdp[gdp["vintage"] == VINTAGES[0]].set_index(["code", "yr"])["v"]
    post = gdp[gdp["vintage"] == VINTAGES[1]].set_index(["code", "yr"])["v"]
    fp = built["province_rd_first_published"].copy()
    fp.index = pd.MultiIndex.from_arrays([_num(fp, "province_code"), _num(fp, "year")])
    rs = built["province_rd_intensity_restated"].copy()
    rs.index = pd.MultiIndex.from_arrays([_num(rs, "province_code"), _num(rs, "year")])
    common = rs.index
    differ = int((_num(fp.loc[common], "rd_intensity_pct") != _num(rs, "rd_intensity_pct")).sum())
    cases = {}
    for label, code, year in (("tianjin", 120000, 2016), ("liaoning", 210000, 2013)):
        first = float(_num(fp, "rd_intensity_pct").loc[(code, year)])
        rd = float(_num(fp, "rd_expenditure_100m_yuan").loc[(code, year)])
        cases[label] = dict(
            year=year, first=first, restated=float(_num(rs, "rd_intensity_pct").loc[(code, year)]),
            rd=rd, gdp_then=rd / first * 100, gdp_now=float(pre.loc[(code, year)]))
    # Rule 2 of trap 1: which published intensities are R&D over the pre-revision GRP?
    fpp = fp[fp.index.get_level_values(0) != NATIONAL_CODE]
    gap_fp = (_num(fpp, "rd_expenditure_100m_yuan") / pre.reindex(fpp.index) * 100
              - _num(fpp, "rd_intensity_pct")).abs()
    early = gap_fp[gap_fp.index.get_level_values(1) < 2023]
    rsp = rs[rs.index.get_level_values(0) != NATIONAL_CODE]
    gap_rs = (_num(fp.reindex(rsp.index), "rd_expenditure_100m_yuan") / pre.reindex(rsp.index) * 100
              - _num(rsp, "rd_intensity_pct")).abs()
    names = dict(zip(_num(built["provinces"], "province_code"), built["provinces"]["province_en"]))
    worst = early.idxmax()
    rule2 = dict(n_restated=len(gap_rs), max_restated=float(gap_rs.max()),
                 max_2023=float(gap_fp[gap_fp.index.get_level_values(1) == 2023].max()),
                 n_2023=int((gap_fp.index.get_level_values(1) == 2023).sum()),
                 early_first=int(early.index.get_level_values(1).min()),
                 early_last=int(early.index.get_level_values(1).max()),
                 max_early=float(early.max()), worst_province=names[worst[0]], worst_year=int(worst[1]))
    va = built["province_value_added"].copy()
    bj = va[(va["province_code"] == "110000") & (va["year"] == "2023")].iloc[0]
    pop = built["province_population"]
    popv = {int(y): int(p) for c, y, p in zip(pop["province_code"], pop["year"], pop["resident_population_10k"])
            if c == "110000"}
    gdp_bj = float(bj["gdp_100m_yuan"])
    provs = [c for c in PROVINCE_CODES]
    return dict(
        sum_pre_2023=sum(pre.loc[(c, 2023)] for c in provs),
        sum_post_2023=sum(post.loc[(c, 2023)] for c in provs),
        bj_pre_2023=pre.loc[(110000, 2023)], bj_post_2023=post.loc[(110000, 2023)],
        differ=differ, n_common=len(common),
        nat_fp_2023=float(_num(fp, "rd_intensity_pct").loc[(NATIONAL_CODE, 2023)]),
        nat_rs_2023=float(_num(rs, "rd_intensity_pct").loc[(NATIONAL_CODE, 2023)]),
        cases=cases,
        bj_vintage=bj["vintage"], bj_pc_published=int(bj["gdp_per_capita_yuan"]),
        bj_pc_mean=gdp_bj * 1e4 / ((popv[2022] + popv[2023]) / 2),
        bj_pc_yearend=gdp_bj * 1e4 / popv[2023],
        bj_pop_2022=popv[2022], bj_pop_2023=popv[2023], bj_gdp=gdp_bj, rule2=rule2,
    )


def _years(frame: pd.DataFrame) -> str:
    for col in ("year", "data_year"):
        if col in frame.columns:
            ys = sorted({int(y) for y in frame[col]})
            return str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"
    if "period" in frame.columns:
        ps = sorted(frame["period"])
        return f"{ps[0]} to {ps[-1]}"
    return "-"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


README_INTRO = """# Course datasets: data dictionary

These tables feed every lesson of the course on Zhang & Ma (2024), *developing new quality productive
forces according to local conditions* (因地制宜发展新质生产力). They are official statistics, copied
figure by figure from published tables: the National Bureau of Statistics of China (NBS, 国家统计局) and
its yearbooks, the R&D bulletins of NBS, MOST and MOF, Penn World Table 10.01, UNESCO/World Bank data as
processed by Our World in Data, the World Bank's World Development Indicators and NSF NCSES. One table is a
research index rather than a statistic: the Peking University Digital Financial Inclusion Index
(`province_digital_finance_pku`), under its publisher's terms of use. And one table is **SYNTHETIC**:
`synthetic_residents`, 2,000 invented people for the privacy lesson (32), generated by a seeded script
(`scripts/synthetic_microdata.py`) because real microdata of that kind cannot be published; it is marked
`"synthetic": true` in `datapackage.json`.

**Apart from that synthetic table, nothing here is estimated, interpolated or filled in.** An empty cell means the source did not print a
value. The files are written by `scripts/build_datasets.py` and must not be edited by hand: change the
script and rebuild (`.venv/bin/python scripts/build_datasets.py`). The machine-readable description of
every table and column (types, units, allowed ranges, keys and full source notes) is
[`datapackage.json`](datapackage.json), a Frictionless *tabular data package*; `course.data.load(name)`
reads a table and checks it against that descriptor, and `course.data.citation(name)` gives the citation
to print under a figure. `validated.json` lists the SHA-256 of every file that passed that check when it was
built: `load` reads an unchanged file without checking it cell by cell again (a changed file is checked in
full).

## Conventions

- UTF-8 CSV, one header row, LF line endings. Blank = missing (`missingValues: [""]`).
- Units are in the column names: `_100m_yuan` = 100 million yuan (亿元), `_10k_yuan` = 10,000 yuan (万元),
  `_10k` persons = 10,000 persons (万人), `_pct` = per cent, `_pp` = percentage points, `_manyears` =
  full-time-equivalent person-years (人年). Counts of things other than persons name the thing after `_10k`:
  `_10k_units` (万个, 万台: ports, domain names, web pages, websites, phones), `_10k_accounts` (万户:
  subscriber accounts, not persons), `_10k_pieces` (万块: integrated circuits), `_10k_tonnes` (万吨). Money is
  in current prices unless a column says otherwise. `province_profile_2023` has 亿元 and 万元 columns side by
  side: read the suffix.
- `province_code` is the GB/T 2260 code (110000 Beijing ... 650000 Xinjiang). A national row, where a table
  has one, has code 100000 and region `National`. Regions follow the NBS grouping: East 10, Central 6,
  West 12, Northeast 3. Hong Kong, Macao and Taiwan are not in any provincial table.
- `province_zh`, `province_en`: Chinese short name and English name (Xizang is written "Xizang (Tibet)");
  `nbs_region_en`, `nbs_region_zh`: region group in English and Chinese.
- `year` is the year the data describe, not the year of publication.
- `source_id` (or `source_ids`, separated by `;`) keys into the `sources` list of the table's resource in
  `datapackage.json`, which names the publisher, publication, table, years, licence and how the copy was
  obtained.
- Tables flagged "all 31 provinces" contain a row for every province in every year (and vintage, sector):
  the build and the tests check this. A row can still have a blank value where the source printed none (the
  industrial-output tables, for example), and `province_internet` has years with the national row only,
  listed as `national_only_years` in `datapackage.json`.
- Confidence: most tables are high; the fourth-pass tables (higher education, internet, digital finance,
  industrial products) are medium (copies made by third parties, no second copy found), and
  `province_rd_2024_unverified` is an unverified transcription. The rating of each source is in
  `datapackage.json` and at the end of each table's entry below.
"""


def _traps(f: dict) -> str:
    t, l = f["cases"]["tianjin"], f["cases"]["liaoning"]
    r2 = f["rule2"]
    return f"""
## Read this first: two traps

### Trap 1. There are two vintages of provincial GDP

After the Fifth National Economic Census (第五次全国经济普查) NBS revised the provincial accounts back to
1992 and published the new series from December 2024. `province_gdp`, `province_value_added` and
`province_gdp_index` therefore carry a `vintage` column:

| vintage | what it is | years here |
|---|---|---|
| `pre_5th_census_revision` | the series as it stood in the China Statistical Yearbook 2024 and the provinces' 2023 communiques; for years before 2019 a later restatement, not what was printed at the time (Tianjin {t['year']}: {t['gdp_now']:,.1f} 亿元 here, while the GRP behind that year's R&D bulletin was about {round(t['gdp_then'], -2):,.0f}) | GDP 2004-2023 |
| `post_5th_census_revision` | the current, revised NBS series | GDP 2006-2024 |

For 2023, Beijing's GRP is {f['bj_pre_2023']:,.1f} 亿元 in the old vintage and {f['bj_post_2023']:,.1f} in the
new one; the 31 provinces add up to {f['sum_pre_2023']:,.1f} and {f['sum_post_2023']:,.1f} 亿元.

Rules for the course:

1. Never mix the vintages in one calculation (a growth rate from an old-vintage year to a new-vintage
   year measures the revision, not growth). Filter on `vintage` first.
2. R&D intensity goes with the **pre-revision** vintage, but only for the figures computed on it: the
   yearbook's restated series (`province_rd_intensity_restated`, 2012-2023) and the 2023 bulletin. Dividing
   R&D expenditure by the old-vintage GRP reproduces those to rounding (all {r2['n_restated']} province-years
   of the restated series within 0.01 percentage points, largest gap {r2['max_restated']:.4f}; all
   {r2['n_2023']} provinces of the 2023 bulletin within 0.005, largest {r2['max_2023']:.4f}), while dividing by
   the revised GRP does not. The intensities first published by the {r2['early_first']}-{r2['early_last']}
   bulletins (`province_rd_first_published`) were computed on the GRP known at the time, which was later
   revised: R&D over today's pre-revision GRP differs from them by up to {r2['max_early']:.2f} percentage
   points ({r2['worst_province']} {r2['worst_year']}; see trap 2). If you need an intensity on revised GDP,
   compute it, and call it computed.
3. Use the revised vintage for 2024 and for long growth comparisons that end in 2024.
4. The provinces do not add up to national GDP. Regional and national accounts are compiled separately;
   a sum over provinces is "the sum of provinces", never "China's GDP". The same holds for population:
   the provincial year-end populations add up to less than the national figure, which also counts the
   armed forces.

### Trap 2. R&D intensity as first published is not the same as R&D intensity restated

`province_rd_first_published` keeps each year's figures exactly as that year's bulletin printed them:
R&D divided by the GDP known at the time. `province_rd_intensity_restated` is the yearbook's later
restatement of 2012-2023 on one consistent GDP series. They differ in {f['differ']} of the {f['n_common']}
province-years they share (the national figure for 2023 is {f['nat_fp_2023']:.2f} % in both).

The gaps are large where a province's GDP was later corrected downwards after inflated figures were
found:

| province, year | first published | restated | R&D, 亿元 | GDP implied by the first publication (R&D / intensity) | GDP in today's pre-revision series |
|---|---|---|---|---|---|
| Tianjin, {t['year']} | {t['first']:.2f} % | {t['restated']:.2f} % | {t['rd']:,.1f} | about {t['gdp_then']:,.0f} | {t['gdp_now']:,.1f} |
| Liaoning, {l['year']} | {l['first']:.2f} % | {l['restated']:.2f} % | {l['rd']:,.1f} | about {l['gdp_then']:,.0f} | {l['gdp_now']:,.1f} |

The R&D spending is the same in both series; only the denominator moved. Lessons that compare provinces
over time should use the restated series (one consistent denominator); lessons about what was known and
reported at the time (实事求是, seeking truth from facts) can show both. The tests recompute both
examples from the tables.

### Also: published versus computed GDP per capita

NBS publishes per-capita GRP (`province_value_added.gdp_per_capita_yuan`) as GRP divided by the **mean** of
the start- and end-of-year resident population. Dividing GRP by the year-end population alone gives a
slightly different number. Example, Beijing 2023 ({f['bj_vintage']}): published {f['bj_pc_published']:,} yuan;
GRP / mean population ({f['bj_pop_2022']:,} and {f['bj_pop_2023']:,} 万人) = {f['bj_pc_mean']:,.0f}; GRP / year-end
population = {f['bj_pc_yearend']:,.0f}. Any per-capita value the course derives itself must be labelled
"computed" and say which population it used. The published and mean-population figures agree within
0.01 % in every province-year 2013-2023 (tested); for 2024 NBS evidently used other population figures
(gaps up to about 0.9 %), so the published 2024 value is kept as printed.

### Smaller cautions

- Employment tables cover **urban non-private units** only (城镇单位): private firms and the self-employed
  are excluded.
- The national patent totals include Hong Kong, Macao, Taiwan and unallocated grants, so they exceed the sum
  of the 31 provinces.
- Value added of 农林牧渔业 exceeds the primary industry, and industry + construction exceed the secondary
  industry, because auxiliary activities are booked in the tertiary industry.
- WDI value-added shares (`china_wdi`) are not NBS three-industry shares; do not mix them.
- Capacity-utilization figures were read from reposts of the NBS releases (hosts listed per source).
- Confidence ratings per source (high / medium-high / medium) are in `datapackage.json`.
"""


IDENTIFIER_COLUMNS = {"province_code", "province_zh", "province_en", "nbs_region_en", "nbs_region_zh",
                      "year", "source_id", "source_ids"}


def write_readme(path: Path, built: dict[str, pd.DataFrame], resources: list[dict]) -> None:
    facts = _facts(built)
    out = [README_INTRO, _traps(facts)]
    out.append("\n## Overview\n\n| table | rows | years | all 31 provinces | what |\n|---|---|---|---|---|\n")
    for r in resources:
        frame = built[r["name"]]
        res_meta = RESOURCES[r["name"]]
        cover = ("yes" + (" + national row" if r.get("national_row") else "")) if r["provinces"] else "-"
        if r.get("national_only_years"):
            ys = r["national_only_years"]
            cover += f" (national row only {ys[0]}-{ys[-1]})"
        if res_meta.get("values_note"):
            cover = f"rows yes; values: {res_meta['values_note']}"
        out.append(f"| [`{r['name']}`](#{r['name']}) | {len(frame)} | {_years(frame)} | {cover} | "
                   f"{_md(r['title'])} |\n")
    out.append("\n## Licences\n\n")
    out.append("- NBS, NBS/MOST/MOF and yearbook tables: public statistical data of the National Bureau of "
               "Statistics of China, reproduced with citation of the publisher and table.\n"
               "- Penn World Table 10.01: CC BY 4.0; cite Feenstra, Inklaar and Timmer (2015), 'The Next "
               "Generation of the Penn World Table', *American Economic Review* 105(10): 3150-3182, "
               "www.ggdc.net/pwt.\n"
               "- UNESCO UIS / World Bank WDI data via Our World in Data, and World Bank WDI: CC BY 4.0.\n"
               "- NSF NCSES Science and Engineering Indicators: US Government work, public domain; cite NCSES.\n"
               "- Peking University Digital Financial Inclusion Index (`province_digital_finance_pku`): the terms "
               "of use of the Institute of Digital Finance, Peking University, **not an open licence**. Its users "
               "are asked to cite 郭峰、王靖一、王芳、孔涛、张勋、程志云 (2020), 测度中国数字普惠金融发展：指数编制与空间特征, "
               "经济学(季刊) 19(4). Check the publisher's terms before reusing the table outside the course.\n"
               "- `synthetic_residents` (SYNTHETIC, generated by the course): CC BY 4.0, like the lesson text.\n"
               "\nThe course's own code is MIT-licensed; these data keep their sources' terms.\n")
    out.append("\n## Tables\n")
    for r in resources:
        frame = built[r["name"]]
        out.append(f"\n### {r['name']}\n\n**{r['title']}.** {r['description']}\n\n")
        cover = "all 31 provinces in every group" if r["provinces"] else "not every group has every member"
        if r.get("national_row"):
            cover += ", plus a national row (100000)"
        if r.get("national_only_years"):
            ys = r["national_only_years"]
            cover += f"; except {ys[0]}-{ys[-1]}, which have the national row only"
        if RESOURCES[r["name"]].get("values_note"):
            cover += f" (rows; values: {RESOURCES[r['name']]['values_note']})"
        out.append(f"- File: `{r['path']}`, {len(frame)} rows, years {_years(frame)}; key: "
                   f"{', '.join('`' + k + '`' for k in r['schema']['primaryKey'])}; coverage: {cover}.\n")
        out.append(f"- Licence: {'; '.join(lic['title'] for lic in r['licenses'])}.\n")
        out.append(f"- Cite as: {r['citation']}.\n\n")
        ids = [f["name"] for f in r["schema"]["fields"] if f["name"] in IDENTIFIER_COLUMNS]
        if ids:
            out.append(f"Identifier columns (see Conventions): {', '.join('`' + c + '`' for c in ids)}.\n\n")
        out.append("| column | type | unit | meaning |\n|---|---|---|---|\n")
        for fld in r["schema"]["fields"]:
            if fld["name"] in IDENTIFIER_COLUMNS:
                continue
            req = "" if fld["constraints"]["required"] else " (may be blank)"
            out.append(f"| `{fld['name']}` | {fld['type']}{req} | {_md(fld['unit'])} | "
                       f"{_md(fld['description'])} |\n")
        out.append("\nSources:\n\n")
        for s in r["sources"]:
            where = f" <{s['path']}>" if s.get("path") else ""
            out.append(f"- `{s['id']}`: {_md(s['publisher'])}, *{_md(s['publication'])}*; "
                       f"{_md(s['table'])}; data years {_md(s['years'])}; confidence {s['confidence']}."
                       f"{where}\n")
    out.append("\n---\nGenerated by `scripts/build_datasets.py` from the gathered reference tables; edit the "
               "script, not this file.\n")
    path.write_text("".join(out), encoding="utf-8", newline="")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="folder with the reference CSVs (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=REPO / "datasets",
                        help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        sources_frame = read_reference(args.reference / "sources.csv")
        sources_frame = sources_frame.apply(lambda s: s.str.strip())
        if sources_frame["source_id"].duplicated().any():
            raise BuildError("sources.csv: duplicated source_id")
        sources = {r["source_id"]: r for r in sources_frame.to_dict("records")}
        built = {}
        for name, spec in TABLES.items():
            built[name] = build_table(name, spec, args.reference)
        resources = [build_resource(name, frame, TABLES[name], sources) for name, frame in built.items()]
        built["synthetic_residents"] = synthetic_table(built)
        resources.append(synthetic_resource("synthetic_residents", built["synthetic_residents"]))
        licences = []
        for r in resources:
            for lic in r["licenses"]:
                if lic not in licences:
                    licences.append(lic)
        package = dict(PACKAGE)
        package["licenses"] = licences
        package["resources"] = resources
        args.out.mkdir(parents=True, exist_ok=True)
        for name, frame in built.items():
            write_csv(frame, args.out / f"{name}.csv")
            print(f"{name}.csv: {len(frame)} rows x {frame.shape[1]} columns")
        text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
        (args.out / "datapackage.json").write_text(text, encoding="utf-8", newline="")
        print(f"datapackage.json: {len(resources)} resources")
        write_readme(args.out / "README.md", built, resources)
        print("README.md: data dictionary")
        # the tables just written, checked once more by the course's own loader: kernels that read an
        # unchanged file skip the cell-by-cell check (course.data.write_stamp)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from course import data as course_data

        try:
            stamp = course_data.write_stamp(args.out)
        except course_data.DataError as exc:
            raise BuildError(f"the course's loader refuses a table just built: {exc}") from None
        print(f"{stamp.name}: {len(json.loads(stamp.read_text(encoding='utf-8'))['files'])} tables checked")
    except BuildError as exc:
        print(f"build_datasets: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
