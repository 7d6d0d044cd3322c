"""Load the course datasets and check them against their description.

Every table in ``datasets/`` is described once, in ``datasets/datapackage.json`` (a Frictionless
Data Package). :func:`load` reads a table and checks it against that description before handing
it to you: the columns, the type of every cell, the allowed ranges and categories, the uniqueness
of the key, and, where a table promises it, that all 31 provinces are present. A file that breaks
a rule is refused with one line that names the file, the row, the column and the problem, so that
a typo in a spreadsheet never turns into a silent error in a lesson.

Nothing here touches the network.

Examples
--------
>>> import course
>>> provinces = course.load("provinces")
>>> len(provinces)
31
>>> provinces.set_index("province_code").loc[110000, "province_en"]
'Beijing'
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["DataError", "DATASETS_DIR", "load", "resource", "citation", "datasets", "validate", "write_stamp"]

DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
STAMP_FILE = "validated.json"
NATIONAL_CODE = 100000
_INT_RE = re.compile(r"^[+-]?\d+$")


class DataError(ValueError):
    """A dataset does not match its description; the message is one line naming file, row, column."""


@lru_cache(maxsize=1)
def _package() -> dict:
    path = DATASETS_DIR / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{_show(path)}: file not found; the course data package is missing") from None
    except json.JSONDecodeError as err:
        raise DataError(f"{_show(path)}, line {err.lineno}: not valid JSON ({err.msg})") from None


def _show(path: Path) -> str:
    """A short, readable name for a file: relative to the repository when it is inside it."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(DATASETS_DIR.parent))
    except ValueError:
        return str(path)


def resource(name: str) -> dict:
    """Return the data-package description of the table ``name``.

    Raises
    ------
    DataError
        If there is no such table; the message lists the tables that exist.
    """
    for res in _package()["resources"]:
        if res["name"] == name:
            return res
    names = ", ".join(sorted(r["name"] for r in _package()["resources"]))
    raise DataError(f"unknown dataset {name!r}; the course has: {names}")


def citation(name: str) -> str:
    """One line that cites the original publishers of the table ``name``.

    Examples
    --------
    >>> "Penn World Table" in citation("pwt_china")
    True
    """
    res = resource(name)
    if res.get("citation"):
        return f"Source ({name}): {res['citation']}"
    parts = []
    for src in res.get("sources", []):
        bits = [src.get("publisher"), src.get("publication") or src.get("title"), src.get("table")]
        text = ", ".join(str(b) for b in bits if b)
        if text and text not in parts:
            parts.append(text)
    return f"Source ({name}): " + ("; ".join(parts) if parts else "see datasets/README.md")


def datasets() -> pd.DataFrame:
    """A table of the course datasets: name, title, file and number of columns."""
    rows = [
        {
            "name": r["name"],
            "title": r.get("title", ""),
            "path": r["path"],
            "columns": len(r["schema"]["fields"]),
        }
        for r in _package()["resources"]
    ]
    return pd.DataFrame(rows)


def load(name: str, path: str | Path | None = None) -> pd.DataFrame:
    """Read the course table ``name`` and check it against ``datasets/datapackage.json``.

    Parameters
    ----------
    name : str
        The table's name in the data package, e.g. ``"province_gdp"``.
    path : str or Path, optional
        Read this file instead of the packaged one, but check it against the description of
        ``name``. The tests use this to show what happens to a damaged copy.

    Returns
    -------
    pandas.DataFrame
        A fresh copy (changing it does not change what the next call returns). Integer columns
        with missing cells use pandas' nullable ``Int64`` type; missing values are ``NA``/``NaN``.

    Raises
    ------
    DataError
        With one line naming the file, the row (as numbered in a spreadsheet: the header is row 1)
        and the column, e.g. ``datasets/province_gdp.csv, row 7, column 'gdp_100m_yuan': 'abc' is
        not a number``.
    """
    res = resource(name)
    file = Path(path) if path is not None else DATASETS_DIR / res["path"]
    try:
        stamp = file.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError(f"{_show(file)}: file not found (dataset {name!r})") from None
    return _load_cached(name, str(file.resolve()), stamp).copy()


@lru_cache(maxsize=64)
def _load_cached(name: str, file: str, stamp: int) -> pd.DataFrame:
    return _read_checked(name, Path(file))


# -- files already checked ----------------------------------------------------------------------
# Checking a table cell by cell costs far more than reading it (0.33 s against 0.04 s of CPU for the
# nine tables of problem set 1), and every kernel that loads the tables pays it again: each lesson,
# each test run, each submission graded in its sandbox. ``datasets/validated.json`` (written by
# :func:`write_stamp`, which ``scripts/build_datasets.py`` calls) lists the SHA-256 of every file that
# passed :func:`validate` and the column types it produced. A file whose bytes have that digest is read
# directly with those types, which :func:`write_stamp` checked gives the same table. Any other file (an
# edited copy, a damaged download, a file passed with ``path=``) is checked in full, so a typo is still
# named by file, row and column. The stamp counts only while this module, the data package and the
# province list are the ones it was written with.

def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _context(folder: Path) -> str:
    """What every check depends on besides the file: this module, the data package, the province list."""
    parts = [Path(__file__).read_bytes(), (folder / "datapackage.json").read_bytes()]
    provinces = next((r["path"] for r in _package()["resources"] if r["name"] == "provinces"), None)
    if provinces:
        parts.append((folder / provinces).read_bytes())
    return _digest(b"\0".join(_digest(p).encode() for p in parts))


@lru_cache(maxsize=1)
def _stamps() -> dict:
    """The entries of ``validated.json`` that still apply ({} when it is missing, stale or unreadable)."""
    try:
        stamp = json.loads((DATASETS_DIR / STAMP_FILE).read_text(encoding="utf-8"))
        if stamp.get("context") != _context(DATASETS_DIR):
            return {}
        return dict(stamp["files"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _read_typed(file: Path, res: dict, dtypes: dict) -> pd.DataFrame:
    tokens = res["schema"].get("missingValues", [""])
    types = {col: (object if kind == "object" else kind) for col, kind in dtypes.items()}
    return pd.read_csv(file, dtype=types, keep_default_na=False, na_values=tokens, encoding="utf-8")


def _read_checked(name: str, file: Path) -> pd.DataFrame:
    entry = _stamps().get(name)
    if entry:
        try:
            data = file.read_bytes()
        except OSError:
            data = b""
        if _digest(data) == entry.get("sha256"):
            try:
                return _read_typed(file, resource(name), entry["dtypes"])
            except Exception:  # noqa: BLE001 - whatever went wrong, the full check explains it
                pass
    return validate(name, file)


def write_stamp(folder: str | Path = DATASETS_DIR) -> Path:
    """Check every table of the data package in ``folder`` and write ``folder/validated.json``.

    A table is listed only if reading it with the recorded column types gives exactly the table
    :func:`validate` returns. ``folder`` must hold the same ``datapackage.json`` as the course's.
    """
    folder = Path(folder).resolve()
    _package.cache_clear()
    _province_names.cache_clear()
    _stamps.cache_clear()
    _load_cached.cache_clear()
    if (folder / "datapackage.json").read_bytes() != (DATASETS_DIR / "datapackage.json").read_bytes():
        raise DataError(f"{folder / 'datapackage.json'} differs from the course's data package; "
                        "write the stamp where the package is")
    files = {}
    for res in _package()["resources"]:
        file = folder / res["path"]
        full = validate(res["name"], file)
        dtypes = {col: str(full[col].dtype) for col in full.columns}
        try:
            pd.testing.assert_frame_equal(_read_typed(file, res, dtypes), full, check_exact=True)
        except (AssertionError, ValueError, TypeError):
            continue  # read the long way every time
        files[res["name"]] = {"sha256": _digest(file.read_bytes()), "dtypes": dtypes}
    stamp = {"about": "Tables that passed course.data.validate; see course/data.py (write_stamp).",
             "context": _context(folder), "files": files}
    out = folder / STAMP_FILE
    out.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8", newline="")
    _stamps.cache_clear()
    return out


def _read_text_table(file: Path) -> pd.DataFrame:
    shown = _show(file)
    try:
        raw = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{shown}: not UTF-8 text (byte {err.start}); save the file as UTF-8 CSV") from None
    except pd.errors.ParserError as err:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if match:
            want, line, got = match.groups()
            raise DataError(f"{shown}, row {line}: the row has {got} cells where the header has {want}") from None
        raise DataError(f"{shown}: cannot be read as CSV ({' '.join(str(err).split())})") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{shown}: the file is empty") from None
    return raw


def validate(name: str, file: Path) -> pd.DataFrame:
    """Check ``file`` against the description of ``name`` and return it with proper types.

    This is what :func:`load` calls; it reads the file every time (no cache).
    """
    res = resource(name)
    schema = res["schema"]
    fields = schema["fields"]
    shown = _show(file)
    raw = _read_text_table(file)
    missing_tokens = set(schema.get("missingValues", [""]))

    expected = [f["name"] for f in fields]
    for col in expected:
        if col not in raw.columns:
            raise DataError(f"{shown}, row 1 (header), column {col!r}: missing column")
    for col in raw.columns:
        if col not in expected:
            raise DataError(f"{shown}, row 1 (header), column {col!r}: unexpected column, not in the data package")
    if raw.empty:
        raise DataError(f"{shown}: the table has a header but no rows")

    out = {}
    for field in fields:
        col = field["name"]
        text = raw[col].str.strip()
        missing = text.isin(missing_tokens)
        cons = field.get("constraints", {})
        if cons.get("required") and missing.any():
            row = int(np.flatnonzero(missing.to_numpy())[0])
            raise DataError(f"{shown}, row {row + 2}, column {col!r}: empty cell in a required column")
        out[col] = _convert(text, missing, field, shown)
        _check_constraints(out[col], field, shown)

    frame = pd.DataFrame(out)
    _check_key(frame, schema.get("primaryKey"), shown)
    if name == "provinces":
        _check_province_list(frame, shown)
    elif "province_code" in frame.columns:
        _check_provinces(frame, res, shown)
    return frame


def _official_codes() -> list[int]:
    """The 31 GB/T 2260 province codes, as listed in the provinces table's description."""
    field = next(f for f in resource("provinces")["schema"]["fields"] if f["name"] == "province_code")
    return sorted(int(c) for c in field["constraints"]["enum"])


def _check_province_list(frame: pd.DataFrame, shown: str) -> None:
    lacking = sorted(set(_official_codes()) - set(frame["province_code"]))
    if lacking:
        raise DataError(
            f"{shown}, column 'province_code': lacks {len(lacking)} of the 31 provinces: "
            + ", ".join(map(str, lacking))
        )


def _convert(text: pd.Series, missing: pd.Series, field: dict, shown: str) -> pd.Series:
    col, kind = field["name"], field.get("type", "string")
    if kind in ("integer", "year"):
        bad = ~missing & ~text.str.match(_INT_RE)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            what = "a whole number" if kind == "integer" else "a year"
            raise DataError(f"{shown}, row {row + 2}, column {col!r}: {text.iloc[row]!r} is not {what}")
        values = pd.to_numeric(text.where(~missing), errors="coerce")
        return values.astype("int64") if not missing.any() else values.astype("Int64")
    if kind == "number":
        values = pd.to_numeric(text.where(~missing), errors="coerce")
        bad = ~missing & values.isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{shown}, row {row + 2}, column {col!r}: {text.iloc[row]!r} is not a number")
        return values.astype("float64")
    return text.where(~missing)


def _check_constraints(values: pd.Series, field: dict, shown: str) -> None:
    col, cons = field["name"], field.get("constraints", {})
    present = values.notna().to_numpy()
    if "enum" in cons:
        allowed = set(cons["enum"])
        bad = present & ~values.isin(allowed).to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"{shown}, row {row + 2}, column {col!r}: {values.iloc[row]!r} is not one of "
                f"{', '.join(map(str, sorted(allowed)))}"
            )
    for bound, test, word in (("minimum", np.less, "below the minimum"), ("maximum", np.greater, "above the maximum")):
        if bound in cons:
            limit = cons[bound]
            with np.errstate(invalid="ignore"):
                bad = present & test(values.to_numpy(dtype="float64", na_value=np.nan), float(limit))
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise DataError(f"{shown}, row {row + 2}, column {col!r}: {values.iloc[row]} is {word} {limit}")


def _check_key(frame: pd.DataFrame, key, shown: str) -> None:
    if not key:
        return
    key = [key] if isinstance(key, str) else list(key)
    dup = frame.duplicated(subset=key, keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        first = rows[0]
        value = tuple(frame.iloc[first][k] for k in key)
        same = [r for r in rows[1:] if tuple(frame.iloc[r][k] for k in key) == value]
        cols = ", ".join(key)
        raise DataError(
            f"{shown}, row {same[0] + 2}, columns ({cols}): duplicate key {value} (also in row {first + 2})"
        )


@lru_cache(maxsize=1)
def _province_names() -> pd.DataFrame:
    return _read_checked("provinces", DATASETS_DIR / resource("provinces")["path"]).set_index("province_code")


def _check_provinces(frame: pd.DataFrame, res: dict, shown: str) -> None:
    ref = _province_names()
    codes = frame["province_code"]
    known = codes.isin(ref.index) | (codes == NATIONAL_CODE)
    if not known.all():
        row = int(np.flatnonzero(~known.to_numpy())[0])
        raise DataError(f"{shown}, row {row + 2}, column 'province_code': unknown province code {codes.iloc[row]}")
    provincial = (codes != NATIONAL_CODE).to_numpy()
    for col in ("province_en", "province_zh", "nbs_region_en"):
        if col in frame.columns:
            want = codes[provincial].map(ref[col])
            have = frame.loc[provincial, col]
            bad = (have != want).to_numpy()
            if bad.any():
                row = int(np.flatnonzero(provincial)[np.flatnonzero(bad)[0]])
                raise DataError(
                    f"{shown}, row {row + 2}, column {col!r}: {frame[col].iloc[row]!r} does not match "
                    f"province {codes.iloc[row]} ({ref.loc[codes.iloc[row], col]})"
                )
    if not res.get("provinces"):
        return
    key = res["schema"].get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    others = [k for k in key if k != "province_code"]
    sub = frame.loc[provincial]
    if others == ["year"]:
        # a year with the national row only is allowed where the data package lists it
        allowed = set(res.get("national_only_years", []))
        national_only = sorted(set(frame["year"]) - set(sub["year"]) - allowed)
        if national_only:
            raise DataError(
                f"{shown}, column 'province_code': year={national_only[0]} has the national row but none of "
                f"the 31 provinces"
            )
    groups = sub.groupby(others, dropna=False) if others else [((), sub)]
    for value, part in groups:
        lacking = sorted(set(ref.index) - set(part["province_code"]))
        if lacking:
            value = value if isinstance(value, tuple) else (value,)
            where = ", ".join(f"{k}={v}" for k, v in zip(others, value)) or "the table"
            names = ", ".join(f"{c} ({ref.loc[c, 'province_en']})" for c in lacking[:3])
            more = f" and {len(lacking) - 3} more" if len(lacking) > 3 else ""
            raise DataError(f"{shown}, column 'province_code': {where} lacks {len(lacking)} of the 31 provinces: {names}{more}")
