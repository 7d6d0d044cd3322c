"""Collecting submissions: safe ids, one notebook each, cleaned before nbgrader sees it.

Every entry of the submissions folder is accounted for: a student folder with a safe id and a
notebook is graded; anything else (a file, a link, a dot or glob name, no notebook, an unreadable
or oversized notebook) is reported with its reason, never skipped in silence.

Cleaning a notebook (:func:`canonical`) rebuilds it from its cells only: nbgrader metadata is kept
only on cells whose ``grade_id`` the release has (and then replaced by the release's own, with the
release's source for locked cells: nbgrader's own clean-up steps are not needed after this), any other
nbgrader metadata (another assignment's, duplicates, invented grade cells) is removed and flagged for
that student alone; notebook metadata is replaced; students' own markdown loses its raw HTML and
script links, raw cells lose their output format, attachments other than PNG/JPEG are dropped.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
ID_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters"
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_SOURCE_CHARS = 200_000


@dataclass
class Entry:
    name: str                     # the folder name as found (may be unsafe: show with shown())
    student: str | None = None    # the id, when safe
    notebook: Path | None = None
    reason: str = ""              # why it is not graded ("" when it is), shown after "not graded: "
    flags: list[str] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return printable(self.name, 60)


def printable(text: str, limit: int = 40) -> str:
    """Student-controlled text for flags and CSV cells: a safe character subset, cut short."""
    return re.sub(r"[^A-Za-z0-9 ._@:/-]", "?", str(text))[:limit]


def _nbg(cell) -> dict:
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbg if isinstance(nbg, dict) else {}


def collect(folder: Path, assignment: str) -> list[Entry]:
    """One :class:`Entry` per item of ``folder`` (sorted by name)."""
    folder = Path(folder)
    entries = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        e = Entry(item.name)
        entries.append(e)
        if item.is_symlink():
            e.reason = "refused: a symbolic link, not a student folder"
        elif not item.is_dir():
            e.reason = "refused: a file, not a student folder"
        elif not SAFE_ID.match(item.name):
            e.reason = f"refused id: only {ID_RULE}"
        else:
            e.student = item.name
            nb = item / f"{assignment}.ipynb"
            candidates = [p for p in sorted(item.glob("*.ipynb")) if p.is_file() and not p.is_symlink()]
            if nb.is_symlink():
                e.reason = f"{assignment}.ipynb is a symbolic link"
            elif nb.is_file():
                e.notebook = nb
            elif len(candidates) == 1:
                e.notebook = candidates[0]
                e.flags.append(f"notebook named {printable(candidates[0].name)!r}: graded as {assignment}.ipynb")
            elif candidates:
                e.reason = f"{len(candidates)} notebooks, none named {assignment}.ipynb"
            else:
                e.reason = f"no {assignment}.ipynb in the folder"
            if e.notebook is not None and e.notebook.stat().st_size > MAX_NOTEBOOK_BYTES:
                e.reason = f"notebook larger than {MAX_NOTEBOOK_BYTES // 2**20} MB"
                e.notebook = None
    lower: dict[str, list[Entry]] = {}
    for e in entries:
        if e.student:
            lower.setdefault(e.student.lower(), []).append(e)
    for same in lower.values():
        if len(same) > 1:
            for e in same:
                e.flags.append("another folder has the same id in other letter case: same variant, check")
    return entries


def read(path: Path) -> tuple[nbformat.NotebookNode, list[str]]:
    """The notebook, or an empty one with a flag when it cannot be read."""
    try:
        nb = nbformat.reads(Path(path).read_text(encoding="utf-8", errors="replace"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
        return nb, []
    except Exception as exc:  # noqa: BLE001 - anything a student can hand in
        return nbformat.v4.new_notebook(), [f"unreadable notebook ({type(exc).__name__}): graded as empty"]


def neutral_markdown(text: str) -> str:
    """Students' markdown with raw HTML shown as text and script/data links disabled."""
    text = text.replace("<", "&lt;")
    return re.sub(r"\]\(\s*(?:javascript|vbscript|data|file)\s*:", "](#blocked:", text, flags=re.I)


def canonical(nb, release) -> tuple[nbformat.NotebookNode, list[str]]:
    """A clean copy of ``nb`` (see the module docstring) and the flags it earned."""
    rel = {_nbg(c)["grade_id"]: c for c in release.cells if _nbg(c).get("grade_id")}
    release_md = {c.source for c in release.cells if c.cell_type == "markdown"}
    out = nbformat.v4.new_notebook(metadata={"kernelspec": copy.deepcopy(release.metadata.get("kernelspec", {})),
                                             "language_info": {"name": "python"}})
    used, foreign, edited, flags = set(), [], [], []
    for cell in nb.get("cells", []):
        if not isinstance(cell, dict):
            continue
        kind, source = cell.get("cell_type"), cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if kind not in ("code", "markdown", "raw") or not isinstance(source, str):
            continue
        source = source[:MAX_SOURCE_CHARS]
        new = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell,
               "raw": nbformat.v4.new_raw_cell}[kind](source)
        meta, gid = _nbg(cell), _nbg(cell).get("grade_id")
        if isinstance(gid, str) and gid in rel and gid not in used and rel[gid].cell_type == kind:
            new.metadata["nbgrader"] = copy.deepcopy(rel[gid].metadata["nbgrader"])
            used.add(gid)
            if _nbg(rel[gid]).get("locked") and source != rel[gid].source:  # what nbgrader's OverwriteCells does
                if _nbg(rel[gid]).get("grade") and not _nbg(rel[gid]).get("solution"):
                    edited.append(gid)
                new.source = source = rel[gid].source
        elif meta or "nbgrader" in (cell.get("metadata") or {}):
            foreign.append(printable(gid, 30) if isinstance(gid, str) else "?")
        if kind == "markdown":
            if source not in release_md:
                new.source = neutral_markdown(source)
            att = cell.get("attachments")
            if isinstance(att, dict):
                keep = {k: {m: v for m, v in b.items() if m in ("image/png", "image/jpeg") and isinstance(v, str)}
                        for k, b in att.items() if isinstance(b, dict)}
                keep = {k: b for k, b in keep.items() if b}
                if keep:
                    new["attachments"] = keep
        out.cells.append(new)
    if foreign:
        flags.append("foreign nbgrader metadata removed (" + ", ".join(sorted(set(foreign))[:8]) + ")")
    if edited:
        flags.append("test cell edited (" + ", ".join(sorted(edited)) + "): restored from the instructor copy")
    return out, flags


def inspect(nb, release) -> tuple[list[str], bool]:
    """Flags for lost grade cells, and whether to rebuild the notebook by name (after :func:`canonical`)."""
    flags, rebuild = [], False
    rel = {_nbg(c)["grade_id"]: c for c in release.cells if _nbg(c).get("grade_id")}
    tests = {g for g, c in rel.items() if _nbg(c).get("grade") and not _nbg(c).get("solution")}
    mine = {_nbg(c)["grade_id"]: c for c in nb.cells if _nbg(c).get("grade_id")}
    if not mine:
        flags.append("metadata lost: graded by name")
        rebuild = True
    else:
        missing = sorted(tests - set(mine))
        if missing:
            flags.append("test cell deleted (" + ", ".join(missing) + "): restored, graded by name")
            rebuild = True
    return flags, rebuild


def rebuild_by_name(nb, release):
    """The release notebook with the student's own cells put in by name.

    The student's code cells (minus copies of the release's fixed cells) run first, right after the
    setup cell; the release's code answer cells are emptied; a written answer keeps its grade_id if
    the student's notebook still has it, otherwise the student's markdown is added for hand grading.
    """
    out = copy.deepcopy(release)
    fixed = {c.source.strip() for c in release.cells if not _nbg(c).get("solution")}
    written = {_nbg(c)["grade_id"]: c.source for c in nb.cells
               if c.cell_type == "markdown" and _nbg(c).get("solution") and _nbg(c).get("grade_id")}
    student_code, student_md = [], []
    for c in nb.cells:
        if c.source.strip() in fixed or not c.source.strip():
            continue
        if c.cell_type == "code":
            student_code.append(nbformat.v4.new_code_cell(c.source))
        elif c.cell_type == "markdown" and not _nbg(c).get("grade_id"):
            student_md.append(nbformat.v4.new_markdown_cell(c.source))
    if not written and student_md:  # metadata lost: the student's text goes in the written answer cell
        first = next((_nbg(c)["grade_id"] for c in release.cells
                      if c.cell_type == "markdown" and _nbg(c).get("solution") and _nbg(c).get("grade_id")), None)
        if first:
            written = {first: "\n\n".join(c.source for c in student_md)}
            student_md = []
    cells, inserted = [], False
    for c in out.cells:
        meta = _nbg(c)
        if meta.get("solution") and c.cell_type == "code":
            c.source = "# (answer moved: this notebook was rebuilt and is graded by name)"
        if meta.get("solution") and c.cell_type == "markdown" and meta.get("grade_id") in written:
            c.source = written[meta["grade_id"]]
        cells.append(c)
        if not inserted and meta.get("grade_id") == "setup":
            cells.extend(student_code)
            inserted = True
    if not inserted:
        cells = student_code + cells
    if student_md:
        cells.append(nbformat.v4.new_markdown_cell("**Student's other text (metadata lost; grade the written "
                                                   "answer by hand from here):**"))
        cells.extend(student_md)
    out.cells = cells
    return out
