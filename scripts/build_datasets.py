#!/usr/bin/env python
"""Build the course datasets (datasets/*.csv and datasets/datapackage.json).

Reads the reference tables gathered for the course (default: ../shared/reference-data relative to the
repository root) and writes one CSV per course table, with exactly the reference columns, plus a
Frictionless Data Package descriptor (profile "tabular-data-package").

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


def build_table(name: str, spec: dict, reference: Path) -> pd.DataFrame:
    where = f"{spec['file']}"
    frame = read_reference(reference / spec["file"])
    frame = frame.astype(object)
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
# Metadata (descriptions, units, constraints) -- see METADATA below; FIELDS_FOR is defined there.
# --------------------------------------------------------------------------------------------------
#@@META@@


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="folder with the reference CSVs (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=REPO / "datasets",
                        help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, spec in TABLES.items():
            frame = build_table(name, spec, args.reference)
            write_csv(frame, args.out / f"{name}.csv")
            print(f"{name}.csv: {len(frame)} rows x {frame.shape[1]} columns")
    except BuildError as exc:
        print(f"build_datasets: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
