"""Shared helpers of the grading tests (tests/test_grading*.py); not a test module.

Problem sets are discovered from ``exercises/problemsets/*.py`` (with a source notebook), so a new
problem set is tested by the same tests without new code: solution full marks, blank zero, each of
its ``MISCONCEPTIONS`` loses exactly its question's points, nothing of the instructor's reaches the
release, the feedback or the student edition, and the hostile submissions of
``tests/test_grading_hostile.py`` are graded right.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import itertools
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"

_spec = importlib.util.spec_from_file_location("grade_cli", EXERCISES / "grade.py")
grade = importlib.util.module_from_spec(_spec)
sys.modules["grade_cli"] = grade
_spec.loader.exec_module(grade)

from nqpf_grading import edition, sandbox, spec  # noqa: E402  (grade.py put exercises/ on sys.path)

PROBLEM_SETS = edition.problem_sets()
#: translated editions (``problemsets/psN_zh.py`` reuses psN's questions): graded end to end once, in
#: tests/test_problem_sets_zh.py, not again by every end-to-end test here
TRANSLATED = [name for name in PROBLEM_SETS if getattr(importlib.import_module(f"problemsets.{name}"), "ENGLISH", None)]
ENGLISH_SETS = [name for name in PROBLEM_SETS if name not in TRANSLATED]


def sandbox_or_skip() -> None:
    """Skip (with the reason) where bubblewrap cannot run; CI installs it, so there it must run."""
    ok, why = sandbox.check_available()
    if not ok:
        if os.environ.get("CI") or os.environ.get("NQPF_REQUIRE_SANDBOX"):
            pytest.fail(f"the grading sandbox must work here: {why}")
        pytest.skip(f"grading sandbox unavailable: {why}")


def problem_set(name: str) -> spec.ProblemSet:
    return spec.load(name)


def module(name: str):
    return importlib.import_module(f"problemsets.{name}")


def full_marks(ps: spec.ProblemSet) -> dict[str, float]:
    return {q.name: q.points for q in ps.autograded}


def scores(row: dict, ps: spec.ProblemSet) -> dict[str, float]:
    return {q.name: float(row[q.name]) if row[q.name] != "" else None for q in ps.autograded}


def misconception_answers(sol: dict[str, str], ps_name: str) -> dict[str, tuple[str, dict[str, str]]]:
    """student id -> (question that must lose its points, answers) from the spec's MISCONCEPTIONS."""
    out = {}
    for i, (question, (cell, old, new)) in enumerate(getattr(module(ps_name), "MISCONCEPTIONS", {}).items()):
        assert old in sol[cell], (ps_name, question, old)
        answers = dict(sol)
        answers[cell] = sol[cell].replace(old, new)
        out[f"mis{i:02d}"] = (question, answers)
    return out


def write(folder: Path, sid: str, nb, assignment: str) -> None:
    (folder / sid).mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / sid / f"{assignment}.ipynb")


def all_variants(q: spec.Question) -> list[dict]:
    """Every variant a question can give (the product of its draws)."""
    if not q.draws:
        return [{}]
    out = []
    for combo in itertools.product(*[d.options for d in q.draws]):
        merged = {}
        for part in combo:
            merged.update(part)
        out.append(merged)
    return out


def reference_values(ps: spec.ProblemSet) -> list[tuple[str, float]]:
    """(question, value) for every reference value of every variant (functions: every grader case)."""
    out = []
    for q in ps.autograded:
        if q.kind in ("number", "function"):
            for p in all_variants(q):
                out += [(q.name, v) for v in q.expected(p)]
    return out


def _digits(form: str) -> int:
    return len(re.sub(r"[^0-9]", "", form).strip("0"))


def number_forms(value: float, percent: bool = True) -> set[str]:
    """Ways a reference value could be written, each with at least five significant digits.

    Fractions are also tried as percents. Degenerate values (0, 1, 0.25 ...) have no such form.
    """
    forms = {repr(value), str(value)}
    for v in (value, 100 * value) if percent and abs(value) <= 1 else (value,):
        for g in (5, 6, 7, 8, 10):
            forms.add(f"{v:.{g}g}")
        for d in range(2, 9):
            forms.add(f"{v:.{d}f}")
    return {f for f in forms if _digits(f) >= 5}


_NUMBER = re.compile(rb"-?\d+\.\d+(?:[eE][-+]?\d+)?")
LONG = 8  # significant digits from which a form is searched in the datasets too


def find_values(folder: Path, values: list[tuple[str, float]], percent: bool = True) -> list[tuple[str, str, str]]:
    """(file, question, text) for every number in a file of ``folder`` that shows a reference value.

    A number matches when it equals one of the value's forms or begins with one (the value shown with
    more digits). In ``datasets/`` (published statistics with thousands of long numbers, built from
    their sources by a script) only forms with at least ``LONG`` significant digits are searched, as
    shorter ones match published figures by chance; everywhere else every form is.
    """
    forms: dict[str, str] = {}
    for q, v in values:
        for f in number_forms(v, percent):
            forms.setdefault(f.lstrip("-"), q)
    longest = max((len(f) for f in forms), default=0)
    hits = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        need = LONG if rel.parts[0] == "datasets" else 5
        for m in _NUMBER.finditer(path.read_bytes()):
            token = m.group().decode().lstrip("-")
            for k in range(min(len(token), longest), 4, -1):
                if token[:k] in forms and _digits(token[:k]) >= need:
                    hits.append((str(rel), forms[token[:k]], token))
                    break
    return hits


def tree_digest(folder: Path, skip: tuple[str, ...] = (), content: bool = True) -> dict[str, str]:
    """path -> sha256 (or size and mtime) of every file under ``folder``, except paths starting with ``skip``."""
    out = {}
    folder = Path(folder)
    for dirpath, dirs, files in os.walk(folder):
        rel_dir = os.path.relpath(dirpath, folder)
        dirs[:] = [d for d in dirs if not os.path.join(rel_dir, d).lstrip("./").startswith(skip)]
        for f in files:
            p = Path(dirpath) / f
            rel = str(p.relative_to(folder))
            if rel.startswith(skip) or p.is_symlink():
                continue
            st = p.stat()
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if content else f"{st.st_size}:{st.st_mtime_ns}"
    return out


def stream_text(cell) -> str:
    """A cell's printed text. One print can reach the notebook as several stream messages (the kernel flushes
    on a timer, and a busy machine can flush between "WRITES:" and the JSON after it), so join them first."""
    return "".join(str(o.get("text", "")) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def printed_line(root: Path, assignment: str, sid: str, marker: str) -> str:
    """What student ``sid``'s graded notebook printed after ``marker`` (the first line starting with it)."""
    nb = nbformat.read(root / "autograded" / sid / assignment / f"{assignment}.ipynb", as_version=4)
    for c in nb.cells:
        for line in stream_text(c).splitlines():
            if line.startswith(marker):
                return line[len(marker):].strip()
    raise AssertionError(f"{sid}: no output line starting with {marker!r}")


def sandbox_processes_left(others: set[int] | None = None) -> list:
    """Processes of the sandbox users (``sandbox.SANDBOX_UID`` + slot) that another test worker is not
    running right now.

    ``make test`` runs two workers; the other one may be grading at the same moment, and its
    sandboxed kernels descend from it (seen in a fresh-clone run on 2026-12-02). A process of a
    sandbox user that descends from this worker, or from no test worker at all (an orphan, re-parented
    to init), is one that grading left behind. ``others``: the other workers' pids (by default this
    worker's siblings under pytest-xdist; none outside it).
    """
    import psutil

    me = psutil.Process()
    if others is None:
        others = set()
        if os.environ.get("PYTEST_XDIST_WORKER"):
            try:
                others = {p.pid for p in psutil.Process(me.ppid()).children() if p.pid != me.pid}
            except psutil.Error:
                pass
    left = []
    for p in psutil.process_iter(["pid", "uids", "cmdline"]):
        uids = p.info["uids"]
        if not uids or not sandbox.SANDBOX_UID <= uids.real < sandbox.SANDBOX_UID + 16:
            continue
        try:
            ancestors = {a.pid for a in p.parents()}
        except psutil.Error:  # it ended meanwhile
            continue
        if not ancestors & others:
            left.append(p)
    return left
