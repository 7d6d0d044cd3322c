"""The loader reads every table, and a damaged copy of any table is refused with one clear line.

Each test writes a corrupted copy of a real dataset to a temporary folder and checks that
``course.load(name, path=copy)`` raises ``DataError`` whose single-line message names the file,
the row (spreadsheet numbering: header = row 1) and the column.
"""

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

import course
from course import data

NAMES = list(data.datasets()["name"])
PROVINCE_TABLES = [n for n in NAMES if n != "provinces" and "province_code" in pd.read_csv(data.DATASETS_DIR / data.resource(n)["path"], nrows=0).columns]


def _rows(name):
    with open(data.DATASETS_DIR / data.resource(name)["path"], newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(tmp_path: Path, name: str, rows) -> Path:
    path = tmp_path / f"{name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path


def _fields(name, kinds):
    return [f["name"] for f in data.resource(name)["schema"]["fields"] if f.get("type") in kinds]


def _assert_one_line(err, path, row=None, column=None):
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(str(path)) or path.name in msg
    if row is not None:
        assert f"row {row}" in msg, msg
    if column is not None:
        assert f"'{column}'" in msg, msg
    return msg


def test_the_course_has_the_tables_the_lessons_need():
    needed = {"provinces", "province_gdp", "province_population", "province_rd_first_published",
              "province_rd_intensity_restated", "province_value_added", "province_employment_by_sector_2024",
              "pwt_china", "pwt_peers", "rd_intensity_countries", "capacity_utilization", "china_wdi",
              # parts three and four (lessons 21-24, 31-35, 40)
              "province_higher_education", "province_internet", "province_digital_finance_pku",
              "province_output_steel_cement", "province_output_ics_phones", "province_rd_2024_unverified"}
    assert needed <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_table_loads_and_matches_its_description(name):
    frame = course.load(name)
    fields = data.resource(name)["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    assert len(frame) > 0
    for f in fields:
        if f["type"] == "number":
            assert pd.api.types.is_float_dtype(frame[f["name"]])
        elif f["type"] in ("integer", "year"):
            assert pd.api.types.is_integer_dtype(frame[f["name"]])


def test_load_returns_a_fresh_copy():
    a = course.load("provinces")
    a.loc[0, "province_en"] = "changed"
    assert course.load("provinces").loc[0, "province_en"] != "changed"


def test_provinces_table_has_31_provinces_in_four_regions():
    p = course.load("provinces")
    assert len(p) == 31 and p["province_code"].is_unique
    assert p["nbs_region_en"].value_counts().to_dict() == {"West": 12, "East": 10, "Central": 6, "Northeast": 3}


def test_unknown_table_names_the_alternatives():
    with pytest.raises(course.DataError, match="unknown dataset 'gdp'.*province_gdp"):
        course.load("gdp")


@pytest.mark.parametrize("name", NAMES)
def test_missing_column(tmp_path, name):
    rows = _rows(name)
    dropped = rows[0][-1]
    path = _write(tmp_path, name, [r[:-1] for r in rows])
    with pytest.raises(course.DataError) as err:
        course.load(name, path=path)
    msg = _assert_one_line(err, path, row=1, column=dropped)
    assert "missing column" in msg


@pytest.mark.parametrize("name", [n for n in NAMES if _fields(n, {"number", "integer", "year"})])
def test_non_numeric_cell(tmp_path, name):
    rows = _rows(name)
    col = _fields(name, {"number", "integer", "year"})[0]
    j = rows[0].index(col)
    i = min(3, len(rows) - 1)
    rows[i][j] = "12,3x"
    path = _write(tmp_path, name, rows)
    with pytest.raises(course.DataError) as err:
        course.load(name, path=path)
    msg = _assert_one_line(err, path, row=i + 1, column=col)
    assert "'12,3x' is not" in msg


@pytest.mark.parametrize("name", [n for n in NAMES if _fields(n, {"integer", "year"})])
def test_wrong_type_decimal_in_whole_number_column(tmp_path, name):
    rows = _rows(name)
    col = _fields(name, {"integer", "year"})[0]
    j = rows[0].index(col)
    rows[2][j] = "2020.5"
    path = _write(tmp_path, name, rows)
    with pytest.raises(course.DataError) as err:
        course.load(name, path=path)
    _assert_one_line(err, path, row=3, column=col)


@pytest.mark.parametrize("name", PROVINCE_TABLES)
def test_unknown_province(tmp_path, name):
    rows = _rows(name)
    j = rows[0].index("province_code")
    rows[2][j] = "990000"
    path = _write(tmp_path, name, rows)
    with pytest.raises(course.DataError) as err:
        course.load(name, path=path)
    msg = _assert_one_line(err, path, row=3, column="province_code")
    assert "990000" in msg


@pytest.mark.parametrize("name", [n for n in NAMES if data.resource(n)["schema"].get("primaryKey")])
def test_duplicated_key(tmp_path, name):
    rows = _rows(name)
    rows.insert(3, list(rows[1]))  # the first data row again, as row 4
    path = _write(tmp_path, name, rows)
    with pytest.raises(course.DataError) as err:
        course.load(name, path=path)
    msg = _assert_one_line(err, path, row=4)
    assert "duplicate key" in msg and "also in row 2" in msg


@pytest.mark.parametrize("name", [n for n in NAMES if data.resource(n).get("provinces")])
def test_a_missing_province_is_named(tmp_path, name):
    rows = _rows(name)
    j = rows[0].index("province_code")
    kept = [rows[0]] + [r for r in rows[1:] if r[j] != "650000"]
    path = _write(tmp_path, name, kept)
    with pytest.raises(course.DataError) as err:
        course.load(name, path=path)
    msg = str(err.value)
    assert "\n" not in msg and "lacks 1 of the 31 provinces" in msg
    assert ("650000 (Xinjiang)" if name != "provinces" else "650000") in msg


def test_province_name_must_match_its_code(tmp_path):
    rows = _rows("province_gdp")
    j = rows[0].index("province_en")
    rows[5][j] = "Beijng"
    path = _write(tmp_path, "province_gdp", rows)
    with pytest.raises(course.DataError) as err:
        course.load("province_gdp", path=path)
    _assert_one_line(err, path, row=6, column="province_en")


def test_value_outside_its_range(tmp_path):
    res = data.resource("provinces")
    tile = next(f for f in res["schema"]["fields"] if f["name"] == "tile_row")
    assert "maximum" in tile.get("constraints", {}), "the tile grid columns should carry a maximum"
    col = "tile_row"
    rows = _rows("provinces")
    rows[4][rows[0].index(col)] = str(int(tile["constraints"]["maximum"]) + 5)
    path = _write(tmp_path, "provinces", rows)
    with pytest.raises(course.DataError) as err:
        course.load("provinces", path=path)
    assert "above the maximum" in _assert_one_line(err, path, row=5, column=col)


def test_category_outside_its_list(tmp_path):
    rows = _rows("province_gdp")
    rows[7][rows[0].index("vintage")] = "latest"
    path = _write(tmp_path, "province_gdp", rows)
    with pytest.raises(course.DataError) as err:
        course.load("province_gdp", path=path)
    assert "'latest' is not one of" in _assert_one_line(err, path, row=8, column="vintage")


def test_empty_required_cell(tmp_path):
    rows = _rows("province_gdp")
    rows[9][rows[0].index("year")] = ""
    path = _write(tmp_path, "province_gdp", rows)
    with pytest.raises(course.DataError) as err:
        course.load("province_gdp", path=path)
    assert "empty cell" in _assert_one_line(err, path, row=10, column="year")


def test_ragged_row_and_bad_encoding(tmp_path):
    rows = _rows("provinces")
    path = _write(tmp_path, "provinces", rows)
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] += ",extra,cells"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(course.DataError) as err:
        course.load("provinces", path=path)
    assert str(err.value).endswith("row 4: the row has 9 cells where the header has 7")

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("\n".join(",".join(r) for r in rows).encode("gbk"))
    with pytest.raises(course.DataError, match="not UTF-8"):
        course.load("provinces", path=gbk)


def test_missing_file(tmp_path):
    with pytest.raises(course.DataError, match="file not found"):
        course.load("provinces", path=tmp_path / "nope.csv")


def test_missing_values_stay_missing():
    energy = course.load("province_energy_intensity_change_2020").set_index("province_code")
    assert pd.isna(energy.loc[540000, "energy_intensity_change_pct"])  # Xizang: not published


def test_citations_name_original_publishers_not_the_reference_folder():
    for name in NAMES:
        text = course.citation(name)
        assert "reference" not in text.lower(), text
        assert len(text) > len(f"Source ({name}): ") + 10
    assert "Penn World Table" in course.citation("pwt_peers")
    assert "National Bureau of Statistics" in course.citation("province_population") or "NBS" in course.citation("province_population")


def test_every_resource_names_a_licence_and_its_sources():
    for name in NAMES:
        res = data.resource(name)
        assert res.get("licenses"), f"{name} has no licence"
        assert res.get("sources"), f"{name} has no sources"
        for src in res["sources"]:
            assert src.get("publisher") or src.get("title"), f"{name}: a source without a publisher"


def test_no_network_modules_in_the_loader():
    source = Path(data.__file__).read_text()
    assert not re.search(r"\b(urllib|requests|http\.client|socket)\b", source)


def test_a_year_with_only_the_national_row_must_be_declared(tmp_path):
    """province_internet declares 2000-2005 as national-only; dropping every province of 2010 is refused."""
    assert data.resource("province_internet")["national_only_years"] == [2000, 2001, 2002, 2003, 2004, 2005]
    course.load("province_internet")           # the declared years load
    rows = _rows("province_internet")
    j, y = rows[0].index("province_code"), rows[0].index("year")
    kept = [rows[0]] + [r for r in rows[1:] if not (r[y] == "2010" and r[j] != "100000")]
    path = _write(tmp_path, "province_internet", kept)
    with pytest.raises(course.DataError) as err:
        course.load("province_internet", path=path)
    msg = _assert_one_line(err, path, column="province_code")
    assert "year=2010 has the national row but none of the 31 provinces" in msg


# -- the stamp of tables already checked (datasets/validated.json) -------------------------------

@pytest.fixture
def fresh_caches():
    def clear():
        for f in (data._package, data._province_names, data._stamps, data._load_cached):
            f.cache_clear()
    clear()
    yield
    clear()


def _copy_datasets(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "datasets"
    shutil.copytree(data.DATASETS_DIR, folder)
    return folder


def test_the_stamp_is_current_and_lists_every_table(tmp_path, fresh_caches):
    # written again from the committed tables: the committed stamp must be byte for byte the same
    folder = _copy_datasets(tmp_path)
    (folder / data.STAMP_FILE).unlink()
    written = data.write_stamp(folder)
    assert written.read_bytes() == (data.DATASETS_DIR / data.STAMP_FILE).read_bytes(), \
        "datasets/validated.json is stale: run scripts/build_datasets.py (or course.data.write_stamp())"
    assert sorted(data._stamps()) == sorted(NAMES)


def test_stamped_tables_are_read_without_the_cell_by_cell_check(monkeypatch, fresh_caches):
    checked = []
    real = data.validate
    monkeypatch.setattr(data, "validate", lambda name, file: checked.append(name) or real(name, file))
    for name in NAMES:
        fast = course.load(name)
        pd.testing.assert_frame_equal(fast, real(name, data.DATASETS_DIR / data.resource(name)["path"]),
                                      check_exact=True)
    assert checked == []


def test_an_edited_table_is_checked_in_full_despite_the_stamp(tmp_path, monkeypatch, fresh_caches):
    folder = _copy_datasets(tmp_path)
    monkeypatch.setattr(data, "DATASETS_DIR", folder)
    rows = _rows("province_gdp")
    col = rows[0].index("province_en")
    rows[5][col] = "Pekin"  # reads as text without complaint; only the full check sees it
    _write(folder, "province_gdp", rows)
    with pytest.raises(data.DataError) as err:
        course.load("province_gdp")
    assert "province_gdp.csv, row 6, column 'province_en'" in str(err.value)
    assert "'Pekin' does not match" in str(err.value)
    assert len(course.load("provinces")) == 31  # an untouched table still loads


def test_a_stale_stamp_counts_for_nothing(tmp_path, monkeypatch, fresh_caches):
    folder = _copy_datasets(tmp_path)
    monkeypatch.setattr(data, "DATASETS_DIR", folder)
    assert data._stamps()  # the copy's stamp applies to the copy
    data._stamps.cache_clear()
    package = folder / "datapackage.json"
    package.write_bytes(package.read_bytes() + b"\n")  # the description changed: every check may differ
    assert data._stamps() == {}
    data._stamps.cache_clear()
    package.write_bytes(package.read_bytes()[:-1])
    (folder / data.STAMP_FILE).write_text("{not json", encoding="utf-8")
    assert data._stamps() == {}
    checked = []
    real = data.validate
    monkeypatch.setattr(data, "validate", lambda name, file: checked.append(name) or real(name, file))
    course.load("pwt_china")
    assert checked == ["pwt_china"]
