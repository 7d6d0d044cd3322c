"""The Chinese edition: extract, merge, check and build (one gettext catalogue per lesson).

    python scripts/translations.py update              # English lessons -> translations/zh/*.po (+ course.po)
    python scripts/translations.py status              # per lesson: current, stale (fuzzy), missing
    python scripts/translations.py build 11_high_quality_development   # -> notebooks/zh/..., executed
    python scripts/translations.py build --all         # every lesson whose catalogue is complete

    python scripts/translations.py build ps1             # -> exercises/source/ps1_zh/ps1_zh.ipynb (not executed)

``make zh`` runs ``update`` and then ``build --all``. Problem sets (``exercises/source/psN/psN.ipynb``)
are handled like lessons: catalogue ``translations/zh/psN.po``, Chinese instructor source
``exercises/source/psN_zh/psN_zh.ipynb`` (graded as the assignment ``psN_zh``; see translations/README.md).

What goes into a lesson's catalogue (``translations/zh/NN_name.po``):

* every Markdown cell of the English notebook, its whole source as ``msgid``, with the context
  ``markdown <cell id>``;
* every string literal a code cell passes to ``i18n.t(...)`` or ``i18n.md(...)``, with the context
  ``code <cell id> <k>`` (the k-th such string of the cell).

What goes into the package's catalogue (``course/locale/zh_CN/LC_MESSAGES/course.po``): the
strings of ``course/*.py`` marked ``_("...")`` or ``N_("...")`` (extracted with Babel) and every
glossary definition (context ``glossary <term>``).

Merging (``update``) keeps every translation. When the English text of an entry changed, its old
translation is kept but marked **fuzzy** (stale) with the previous English as ``#| msgid``, so the
translator sees exactly what changed; a fuzzy entry is not used (the English shows instead) and the
tests fail for a published lesson until the translator revises it and removes the flag. English
text that vanished is kept at the end as an obsolete ``#~`` entry.

A lesson is *published* in Chinese when ``notebooks/zh/NN_name.ipynb`` exists; ``build`` writes it
from the English notebook (same code cells, same cell ids) with the Markdown from the catalogue and
a first cell that switches the kernel to Chinese, then executes it so that its stored outputs (for
nbval, for readers without a kernel) are in Chinese.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOTEBOOKS = ROOT / "notebooks"
ZH_NOTEBOOKS = NOTEBOOKS / "zh"
CATALOGUES = ROOT / "translations" / "zh"
PACKAGE_PO = ROOT / "course" / "locale" / "zh_CN" / "LC_MESSAGES" / "course.po"
#: graded problem sets: ``exercises/source/psN/psN.ipynb`` (instructor source) -> ``translations/zh/psN.po``
#: -> ``exercises/source/psN_zh/psN_zh.ipynb`` (the Chinese instructor source, graded by the same spec)
PS_SOURCES = ROOT / "exercises" / "source"
PS_SUFFIX = "_zh"

#: the tag and id of the first cell of a Chinese notebook (not in the English one)
LANGUAGE_TAG = "course-language"
LANGUAGE_CELL_ID = "zh-language"
LANGUAGE_CELL = '''# 中文版：本格把课程切换为中文（图表、控件、提示与答题反馈）；其余代码格与英文版完全相同。
from course import i18n

i18n.set_language("zh", lesson="{stem}")'''

#: the first cell of a Chinese problem set: no lesson catalogue (the grading sandbox sees only ``course``
#: and ``datasets``; the problem sets' code cells pass no text to ``i18n.t``)
PS_LANGUAGE_CELL = '''# 中文版：本格把课程切换为中文（自检提示与图表）；其余代码格与英文版完全相同。
from course import i18n

i18n.set_language("zh")'''

HEADER = """\
Chinese (zh_CN) translation of {what}.
Generated and merged by scripts/translations.py; see translations/README.md.
Lesson text: CC BY 4.0 (LICENSE-CONTENT.md)."""

PACKAGE_KEYWORDS = {"_": None, "N_": None, "_f": None, "gettext": None}
#: folders whose marked strings go into the package catalogue: the course package, and the grader's
#: verdicts (``exercises/nqpf_grading``: evaluated by the grader with ``course.i18n``, for translated
#: problem sets; they hold no reference value)
PACKAGE_SOURCES = ("course", "exercises/nqpf_grading")


@dataclass(frozen=True)
class Msg:
    context: str | None
    id: str
    comment: str = ""
    python_format: bool = False


# ------------------------------------------------------------------------------------------------
# Extraction
# ------------------------------------------------------------------------------------------------


def english_lessons() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


#: calls whose string arguments a lesson's catalogue holds: the templates of ``i18n.t`` / ``i18n.md``,
#: and what ``course.quiz`` shows of a check question (it translates them itself)
TEMPLATE_CALLS = {"t", "md"}
QUIZ_CALLS = {"numeric", "choice"}
QUIZ_KEYWORDS = {"prompt", "hint", "unit", "options"}


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _constants(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for elt in node.elts for s in _constants(elt)]
    return []


def code_strings(source: str) -> list[tuple[str, bool]]:
    """The texts of a code cell that its catalogue holds, in source order: ``(text, is_template)``.

    Templates are the first arguments of ``i18n.t(...)`` / ``i18n.md(...)``; a check question
    (``quiz.numeric`` / ``quiz.choice``) contributes its prompt, options, hint and unit.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: nothing to translate in them
        return []
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name in TEMPLATE_CALLS and node.args:
            for text in _constants(node.args[0])[:1]:
                found.append((node.args[0].lineno, node.args[0].col_offset, text, True))
        elif name in QUIZ_CALLS:
            args = list(node.args[:2]) + [k.value for k in node.keywords if k.arg in QUIZ_KEYWORDS]
            for arg in args:
                for text in _constants(arg):
                    found.append((arg.lineno, arg.col_offset, text, False))
    found.sort(key=lambda x: (x[0], x[1]))
    return [(text, template) for _l, _c, text, template in found if text.strip()]


def lesson_messages(nb) -> list[Msg]:
    """The translatable text of an English notebook, in notebook order."""
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            if cell.source.strip():
                out.append(Msg(f"markdown {cell.id}", cell.source, f"Markdown cell {index}"))
        elif cell.cell_type == "code":
            for k, (text, template) in enumerate(code_strings(cell.source)):
                note = (f"code cell {index}: a template for i18n.t/md; its {{fields}} are Python expressions"
                        if template else f"code cell {index}: shown by a check question")
                out.append(Msg(f"code {cell.id} {k}", text, note, python_format=template and "{" in text))
    return out


def package_messages() -> list[Msg]:
    """The marked strings of ``course/*.py`` and the glossary's definitions."""
    from course.glossary import GLOSSARY

    out, seen = [], set()
    for folder in PACKAGE_SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(ROOT / folder), method_map=[("*.py", "python")], keywords=PACKAGE_KEYWORDS,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            if not isinstance(message, str) or (context, message) in seen:
                continue
            seen.add((context, message))
            # (the grader's strings are located without their folder: the student edition ships course.po,
            # and names nothing of the instructor's grading tools)
            where = f"course/{filename}" if folder == "course" else f"the grader's verdicts, {filename}"
            note = f"{where}:{lineno}" + (" " + " ".join(comments) if comments else "")
            out.append(Msg(context, message, note, python_format="{" in message))
    for term in GLOSSARY:
        out.append(Msg(f"glossary {term.zh}", term.meaning, f"glossary: {term.zh} ({term.en})"))
    return out


# ------------------------------------------------------------------------------------------------
# Merging
# ------------------------------------------------------------------------------------------------


def read_catalogue(path: Path) -> Catalog | None:
    """The catalogue at ``path`` (None if there is none), with each stale entry's previous English.

    Babel does not read ``#| msgid`` lines back, so they are recovered here, by ``msgctxt``.
    """
    from babel.messages.pofile import denormalize

    if not path.exists():
        return None
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    previous = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.split("\n")
        ctx = next((line[len("msgctxt "):] for line in lines if line.startswith("msgctxt ")), None)
        old = [line[3:] for line in lines if line.startswith("#| ") and not line.startswith("#| msgctxt")]
        if ctx and old and old[0].startswith("msgid "):
            old[0] = old[0][len("msgid "):]
            previous[denormalize(ctx)] = denormalize("\n".join(old))
    for m in catalog:
        if m.id and m.context in previous and m.fuzzy:
            m.previous_id = [previous[m.context]]
    return catalog


def write_catalogue(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` as a PO file, stale entries with their previous English as ``#| msgid``.

    (Babel's own ``include_previous`` output wraps the previous msgid as free text, which neither
    Babel nor gettext reads back; the lines are written here in msgmerge's form instead.)
    """
    from babel.messages.pofile import normalize

    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=76, omit_header=False, include_previous=False, sort_output=False)
    blocks = buf.getvalue().decode("utf-8").split("\n\n")
    messages = [m for m in catalog if m.id]                 # the header is the first block
    for i, m in enumerate(messages, start=1):
        if m.previous_id and m.fuzzy and i < len(blocks):
            previous = m.previous_id[0] if isinstance(m.previous_id, (list, tuple)) else m.previous_id
            lines = blocks[i].split("\n")
            at = next(k for k, line in enumerate(lines) if line.startswith(("msgctxt ", "msgid ")))
            if m.context:
                lines.insert(at, "#| msgctxt " + normalize(m.context, prefix="#| ", width=76))
                at += 1
            lines.insert(at, "#| msgid " + normalize(previous, prefix="#| ", width=76))
            blocks[i] = "\n".join(lines)
    text = "\n\n".join(blocks).encode("utf-8")
    if not path.exists() or path.read_bytes() != text:
        path.write_bytes(text)


def merge(messages: list[Msg], old: Catalog | None, what: str) -> Catalog:
    """A new catalogue for ``messages`` keeping the translations of ``old`` (see the module docstring)."""
    new = Catalog(locale="zh_CN", project="NQPF course", version="1", header_comment="# " + HEADER.format(
        what=what).replace("\n", "\n# "), fuzzy=False, charset="utf-8")
    new.language_team = "Chinese edition of the NQPF course"
    if old is not None:
        new.creation_date = old.creation_date
        new.revision_date = old.revision_date
    entries = [m for m in old if m.id] if old is not None else []
    by_key = {(m.context, m.id): m for m in entries}
    by_ctx = {m.context: m for m in entries if m.context}
    by_id = {}
    for m in entries:
        if m.string and not m.fuzzy:
            by_id.setdefault(m.id, m)
    used = set()

    for msg in messages:
        flags = ["python-brace-format"] if msg.python_format else []
        hit = by_key.get((msg.context, msg.id))
        string, previous, fuzzy = "", None, False
        if hit is not None:
            string, fuzzy = hit.string, hit.fuzzy
            previous = hit.previous_id if hit.fuzzy else None
        elif msg.context and msg.context in by_ctx and by_ctx[msg.context].string:
            hit = by_ctx[msg.context]                      # same cell, English changed: stale
            string, fuzzy, previous = hit.string, True, hit.id
        elif msg.id in by_id:
            hit = by_id[msg.id]                            # same English, moved (new cell id)
            string = hit.string
        else:
            candidates = {m.id: m for m in entries if m.string and (m.context, m.id) not in used
                          and m.context == msg.context}
            close = difflib.get_close_matches(msg.id, list(candidates), n=1, cutoff=0.7)
            if close:
                hit = candidates[close[0]]                 # a package string reworded: stale
                string, fuzzy, previous = hit.string, True, hit.id
        if hit is not None:
            used.add((hit.context, hit.id))
        if fuzzy:
            flags.append("fuzzy")
        new.add(msg.id, string, context=msg.context, auto_comments=[msg.comment] if msg.comment else [],
                user_comments=list(hit.user_comments) if hit is not None else [], flags=flags,
                previous_id=previous)
    for m in entries:
        if (m.context, m.id) not in used and m.string and (m.context, m.id) not in new._messages:
            new.obsolete[(m.id, m.context) if m.context else m.id] = m
    return new


def update_lesson(path: Path) -> Path:
    nb = nbformat.read(path, as_version=4)
    po = CATALOGUES / f"{path.stem}.po"
    catalog = merge(lesson_messages(nb), read_catalogue(po), f"lesson {path.name}")
    write_catalogue(catalog, po)
    return po


def english_problem_sets() -> list[Path]:
    """Instructor sources of the English problem sets (``exercises/source/psN/psN.ipynb``)."""
    return sorted(p for p in PS_SOURCES.glob("*/*.ipynb")
                  if p.stem == p.parent.name and not p.stem.endswith(PS_SUFFIX))


def chinese_problem_set(path: Path) -> Path:
    """Where the Chinese instructor source of the English problem set ``path`` lives."""
    stem = path.stem + PS_SUFFIX
    return PS_SOURCES / stem / f"{stem}.ipynb"


def update_problem_set(path: Path) -> Path:
    nb = nbformat.read(path, as_version=4)
    po = CATALOGUES / f"{path.stem}.po"
    catalog = merge(lesson_messages(nb), read_catalogue(po), f"problem set {path.name}")
    write_catalogue(catalog, po)
    return po


def update_package() -> Path:
    catalog = merge(package_messages(), read_catalogue(PACKAGE_PO), "the course package (course/*.py)")
    write_catalogue(catalog, PACKAGE_PO)
    return PACKAGE_PO


# ------------------------------------------------------------------------------------------------
# Status
# ------------------------------------------------------------------------------------------------


@dataclass
class Status:
    name: str
    total: int
    current: int
    stale: list
    missing: list

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.current == self.total


def status_of(messages: list[Msg], catalog: Catalog | None, name: str) -> Status:
    """Compare the English text *now* with the catalogue on disk (no merge needed)."""
    entries = {} if catalog is None else {(m.context, m.id): m for m in catalog if m.id}
    by_ctx = {} if catalog is None else {m.context: m for m in catalog if m.id and m.context}
    stale, missing, current = [], [], 0
    for msg in messages:
        hit = entries.get((msg.context, msg.id))
        if hit is not None and hit.string and not hit.fuzzy:
            current += 1
        elif (hit is not None and hit.fuzzy) or (msg.context in by_ctx and by_ctx[msg.context].string):
            stale.append(msg)
        else:
            missing.append(msg)
    return Status(name, len(messages), current, stale, missing)


def lesson_status(path: Path) -> Status:
    nb = nbformat.read(path, as_version=4)
    return status_of(lesson_messages(nb), read_catalogue(CATALOGUES / f"{path.stem}.po"), path.stem)


def problem_set_status(path: Path) -> Status:
    nb = nbformat.read(path, as_version=4)
    return status_of(lesson_messages(nb), read_catalogue(CATALOGUES / f"{path.stem}.po"), path.stem)


def package_status() -> Status:
    return status_of(package_messages(), read_catalogue(PACKAGE_PO), "course (package)")


# ------------------------------------------------------------------------------------------------
# Building the Chinese notebooks
# ------------------------------------------------------------------------------------------------


def translated_notebook(path: Path, problem_set: bool = False):
    """The Chinese notebook for the English notebook at ``path`` (not executed; outputs cleared).

    Raises ``ValueError`` naming every Markdown cell or code string without a current translation.
    With ``problem_set``, ``path`` is an instructor source: every cell keeps its nbgrader metadata,
    the code cells (answers, self-checks) stay the English ones, and the first cell switches the
    kernel to Chinese without a lesson catalogue.
    """
    nb = nbformat.read(path, as_version=4)
    st = problem_set_status(path) if problem_set else lesson_status(path)
    if not st.complete:
        lines = [f"  {'stale' if m in st.stale else 'missing'}: {m.context}: {m.id[:70]!r}"
                 for m in st.stale + st.missing]
        raise ValueError(f"{path.stem}: {len(lines)} of {st.total} texts have no current translation; "
                         "run `python scripts/translations.py update` and translate them:\n" + "\n".join(lines))
    catalog = read_catalogue(CATALOGUES / f"{path.stem}.po")
    strings = {(m.context, m.id): m.string for m in catalog if m.id}
    zh = copy.deepcopy(nb)
    for cell in zh.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            cell.source = strings[(f"markdown {cell.id}", cell.source)]
        elif cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    first = nbformat.v4.new_code_cell(PS_LANGUAGE_CELL if problem_set else LANGUAGE_CELL.format(stem=path.stem))
    first.id = LANGUAGE_CELL_ID
    first.metadata["tags"] = [LANGUAGE_TAG]
    zh.cells.insert(0, first)
    zh.metadata["language"] = "zh-CN"
    english = path.relative_to(ROOT).as_posix() if problem_set else f"notebooks/{path.name}"
    zh.metadata["course"] = {"edition": "zh", "english": english,
                             "catalogue": f"translations/zh/{path.stem}.po"}
    return zh


def build_problem_set(path: Path) -> Path:
    """Write the Chinese instructor source of a problem set (outputs cleared, like every source)."""
    out = chinese_problem_set(path)
    zh = translated_notebook(path, problem_set=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(zh, out)
    print(f"{out.relative_to(ROOT)}: built (grade it with `python exercises/grade.py ... --assignment {out.stem}`)",
          flush=True)
    return out


def build(path: Path, execute: bool = True) -> Path:
    out = ZH_NOTEBOOKS / path.name
    zh = translated_notebook(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(zh, out)
    if execute:
        from run_notebooks import run  # scripts/run_notebooks.py: execute in place, drop run noise

        seconds = run(out)
        print(f"{out.relative_to(ROOT)}: built and executed in {seconds:.1f} s", flush=True)
    return out


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------


def _problem_set_path(name: str) -> Path | None:
    stem = Path(name).stem
    path = PS_SOURCES / stem / f"{stem}.ipynb"
    return path if path in english_problem_sets() else None


def _lesson_paths(names: list[str]) -> list[Path]:
    paths = []
    for name in names:
        stem = Path(name).stem
        if _problem_set_path(stem):
            paths.append(_problem_set_path(stem))
            continue
        path = NOTEBOOKS / f"{stem}.ipynb"
        if not path.exists():
            raise SystemExit(f"no English lesson notebooks/{stem}.ipynb")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("update", help="extract the English text and merge it into the catalogues")
    p.add_argument("lessons", nargs="*")
    sub.add_parser("status", help="how much of each catalogue is current")
    p = sub.add_parser("build", help="write (and execute) notebooks/zh/NN_name.ipynb")
    p.add_argument("lessons", nargs="*")
    p.add_argument("--all", action="store_true", help="every lesson whose catalogue is complete")
    p.add_argument("--no-execute", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "update":
        paths = _lesson_paths(args.lessons) if args.lessons else english_lessons() + english_problem_sets()
        for path in paths:
            update = update_problem_set if path.is_relative_to(PS_SOURCES) else update_lesson
            print(update(path).relative_to(ROOT))
        if not args.lessons:
            print(update_package().relative_to(ROOT))
        return 0
    if args.command == "status":
        rows = [package_status()] + [lesson_status(p) for p in english_lessons()]
        rows += [problem_set_status(p) for p in english_problem_sets()]
        for st in rows:
            published = (ZH_NOTEBOOKS / f"{st.name}.ipynb").exists() or (
                PS_SOURCES / f"{st.name}{PS_SUFFIX}" / f"{st.name}{PS_SUFFIX}.ipynb").exists()
            print(f"{st.name:42s} {st.current:4d}/{st.total:<4d} current, {len(st.stale):3d} stale, "
                  f"{len(st.missing):4d} missing{'  [published]' if published else ''}")
        return 0
    if args.command == "build":
        if args.all:
            paths = [p for p in english_lessons() if lesson_status(p).complete]
            paths += [p for p in english_problem_sets() if problem_set_status(p).complete]
        else:
            paths = _lesson_paths(args.lessons)
        if not paths:
            print("nothing to build: no lesson has a complete catalogue")
        for path in paths:
            if path.is_relative_to(PS_SOURCES):
                build_problem_set(path)
            else:
                build(path, execute=not args.no_execute)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
