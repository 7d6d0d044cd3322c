"""Instructor command line for the graded problem sets (nbgrader 0.9.6, fully offline).

    python exercises/grade.py generate                     # source/ps1 -> release/ps1 (student version)
    python exercises/grade.py autograde SUBMISSIONS        # SUBMISSIONS/<student_id>/ps1.ipynb
    python exercises/grade.py feedback                     # -> feedback/<student_id>/ps1/ps1.html
    python exercises/grade.py export grades.csv            # one row per student
    python exercises/grade.py demo SUBMISSIONS             # example submissions (solution, blank, broken)
    python exercises/grade.py benchmark [-n 6]             # grading throughput

Every command takes ``--root DIR`` (default: this folder) and ``--assignment`` (default ps1).
A root without ``source/`` or ``nbgrader_config.py`` gets copies of this folder's.
See exercises/README.md.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course.grading import GRADED_ID_FILE, QUESTIONS

HERE = Path(__file__).resolve().parent
FLAGS_FILE = "grading_flags.json"
HELPERS = ("answer", "self_check", "hidden_check", "variant", "params", "expected", "student_id_of")
_HELPER_RE = re.compile(
    r"^\s*(course|grading|_g)\s*=|(course\.)?grading\.\w+\s*=|sys\.modules|importlib\.reload\s*=|"
    r"^\s*def\s+(" + "|".join(HELPERS) + r")\b", re.M)
_ID_RE = re.compile(r"^\s*STUDENT_ID\s*=\s*(['\"])(.*?)\1", re.M)


class GradingError(Exception):
    """A problem the instructor must fix (one-line message)."""


# ---------------------------------------------------------------------------
# set-up and nbgrader calls
# ---------------------------------------------------------------------------

def prepare_root(root: Path) -> Path:
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    if root != HERE:
        if not (root / "nbgrader_config.py").exists():
            shutil.copy2(HERE / "nbgrader_config.py", root / "nbgrader_config.py")
        if not (root / "source").exists():
            shutil.copytree(HERE / "source", root / "source")
    return root


def nbgrader(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run one nbgrader command in ``root``; on ``timeout`` kill it and every kernel it started."""
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}",
           f"--CourseDirectory.db_url=sqlite:///{root / 'gradebook.db'}"]
    env = dict(os.environ)  # nbgrader calls the `alembic` script: the venv's bin must be on PATH
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc.pid)
        out, _ = proc.communicate()
        return subprocess.CompletedProcess(cmd, -9, (out or "") + "\n[grade.py] whole-run time limit hit: killed\n")
    return subprocess.CompletedProcess(cmd, proc.returncode, out)


def _kill_tree(pid: int) -> None:
    """Kill a process and all its descendants (kernels run in their own sessions)."""
    try:
        import psutil

        parent = psutil.Process(pid)
        procs = parent.children(recursive=True) + [parent]
        for p in procs:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(procs, timeout=5)
    except Exception:  # noqa: BLE001 - psutil missing or process gone
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        tail = "\n".join(result.stdout.strip().splitlines()[-15:])
        raise GradingError(f"{what} failed (exit {result.returncode}):\n{tail}")


def generate(root: Path, assignment: str = "ps1") -> Path:
    src = root / "source" / assignment / f"{assignment}.ipynb"
    if not src.exists():
        raise GradingError(f"no instructor source {src}")
    _check(nbgrader(root, "generate_assignment", assignment, "--force"), "nbgrader generate_assignment")
    release = root / "release" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:  # the id cell: the student types over "...", no NotImplementedError stub
        if cell.cell_type == "code" and _ID_RE.search(cell.source) and "raise NotImplementedError()" in cell.source:
            cell.source = _ID_RE.search(cell.source).group(0) + "  # type your student id between the quotes"
    nbformat.write(nb, release)
    return release


# ---------------------------------------------------------------------------
# submissions
# ---------------------------------------------------------------------------

def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def inspect_submission(nb, release, student_id: str) -> tuple[list[str], bool]:
    """Flags for one submission and whether it must be rebuilt by name from the release."""
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
        edited = sorted(g for g in tests & set(mine) if mine[g].source.strip() != rel[g].source.strip())
        if edited:
            flags.append("test cell edited (" + ", ".join(edited) + "): restored from the instructor copy")
    fixed = {c.source.strip() for c in release.cells if not _nbg(c).get("solution")}
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code"
                     and c.source.strip() not in fixed and not (_nbg(c).get("grade_id") in tests))
    ids = _ID_RE.findall(code)
    typed = ids[-1][1].strip() if ids else None
    if typed is None or typed in ("", "..."):
        flags.append("no STUDENT_ID")
    elif typed.lower() != student_id.lower():
        flags.append(f"id mismatch: notebook says {typed!r}")
    if _HELPER_RE.search(code):
        flags.append("redefines a course helper: graded with the real one, review")
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
        if meta.get("grade_id") == "setup" and not inserted:
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


def collect(folder: Path, assignment: str) -> dict[str, Path]:
    folder = Path(folder)
    if not folder.is_dir():
        raise GradingError(f"submissions folder {folder} does not exist")
    found = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        nb = sub / f"{assignment}.ipynb"
        if not nb.exists():
            others = sorted(sub.glob("*.ipynb"))
            nb = others[0] if len(others) == 1 else nb
        if nb.exists():
            found[sub.name] = nb
    if not found:
        raise GradingError(f"no submissions in {folder} (expected {folder}/<student_id>/{assignment}.ipynb)")
    return found


def _scan_outputs(path: Path) -> list[str]:
    flags = []
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001
        return flags
    text = json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
    if "CellTimeoutError" in text or "timed out" in text:
        flags.append("cell timeout: interrupted")
    if "DeadKernelError" in text or "Kernel died" in text:
        flags.append("kernel died")
    if "Output truncated" in text or "output truncated" in text.lower():
        flags.append("long output truncated")
    return flags


def autograde(root: Path, folder: Path, assignment: str = "ps1", timeout: int = 30,
              per_notebook: int = 300) -> dict[str, list[str]]:
    release_path = root / "release" / assignment / f"{assignment}.ipynb"
    if not release_path.exists():
        generate(root, assignment)
    release = nbformat.read(release_path, as_version=4)
    subs = collect(folder, assignment)
    before = {sid: _sha(p) for sid, p in subs.items()}
    flags: dict[str, list[str]] = {}
    for sid, path in subs.items():
        dest = root / "submitted" / sid / assignment
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - not a notebook
            flags[sid] = [f"unreadable notebook ({type(exc).__name__}): graded as empty"]
            nb = nbformat.v4.new_notebook()
        f, rebuild = inspect_submission(nb, release, sid)
        flags.setdefault(sid, []).extend(f)
        if rebuild:
            nb = rebuild_by_name(nb, release)
        nb.metadata["kernelspec"] = release.metadata.get("kernelspec", {"name": "python3"})
        nbformat.write(nb, dest / f"{assignment}.ipynb")
        (dest / "timestamp.txt").write_text(time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
        # the hidden tests check the variant of the student the notebook was collected from
        (dest / GRADED_ID_FILE).write_text(sid, encoding="utf-8")
    result = nbgrader(root, "autograde", assignment, "--create", "--force",
                      f"--Execute.timeout={timeout}", "--Execute.interrupt_on_timeout=True",
                      timeout=60 + per_notebook * len(subs))
    (root / "autograde.log").write_text(result.stdout)
    graded = _graded_students(root, assignment)
    for sid in subs:
        out = root / "autograded" / sid / assignment / f"{assignment}.ipynb"
        if sid not in graded or not out.exists():
            why = "whole-run time limit" if result.returncode == -9 else "kernel died or notebook failed"
            flags[sid].append(f"autograde failed ({why}): 0 recorded, grade by hand")
        else:
            flags[sid].extend(x for x in _scan_outputs(out) if x not in flags[sid])
    after = {sid: _sha(p) for sid, p in subs.items()}
    changed = [sid for sid in subs if before[sid] != after[sid]]
    if changed:  # never expected: nbgrader works on copies
        raise GradingError(f"submission files changed during grading: {changed}")
    stored = _load_flags(root)
    stored.update(flags)
    (root / FLAGS_FILE).write_text(json.dumps(stored, indent=1, ensure_ascii=False))
    return flags


def _graded_students(root: Path, assignment: str) -> set[str]:
    from nbgrader.api import Gradebook, MissingEntry

    done = set()
    if not (root / "gradebook.db").exists():
        return done
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for s in gb.students:
            try:
                sub = gb.find_submission(assignment, s.id)
            except MissingEntry:
                continue
            if sub.notebooks and any(g.auto_score is not None for g in sub.notebooks[0].grades):
                done.add(s.id)
    return done


def _load_flags(root: Path) -> dict:
    p = root / FLAGS_FILE
    return json.loads(p.read_text()) if p.exists() else {}


# ---------------------------------------------------------------------------
# feedback and export
# ---------------------------------------------------------------------------

def feedback(root: Path, assignment: str = "ps1") -> Path:
    _check(nbgrader(root, "generate_feedback", assignment, "--force"), "nbgrader generate_feedback")
    return root / "feedback"


def grade_table(root: Path, assignment: str = "ps1") -> list[dict]:
    from nbgrader.api import Gradebook, MissingEntry

    flags = _load_flags(root)
    rows = []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        nb_def = gb.find_assignment(assignment).notebooks[0]
        cells = [(c.name, c.max_score, c.cell_type) for c in nb_def.grade_cells]
        for s in sorted(gb.students, key=lambda s: s.id):
            try:
                sub = gb.find_submission(assignment, s.id)
            except MissingEntry:
                continue
            grades = {g.name: g for g in sub.notebooks[0].grades}
            row = {"student_id": s.id}
            auto = total = 0.0
            manual_pending = []
            for name, _max, ctype in cells:
                g = grades.get(name)
                col = name.removesuffix("_test")
                if g is None or (g.needs_manual_grade and g.manual_score is None):
                    row[col] = ""
                    manual_pending.append(col)
                    continue
                row[col] = g.score
                total += g.score
                if ctype == "code":
                    auto += g.score
            row["autograded"] = auto
            row["total"] = total
            row["max"] = sum(m for _n, m, _t in cells)
            f = list(flags.get(s.id, []))
            if manual_pending:
                f.append("to grade by hand: " + ", ".join(manual_pending))
            row["flags"] = "; ".join(f)
            rows.append(row)
    return rows


def export(root: Path, out: Path, assignment: str = "ps1") -> list[dict]:
    rows = grade_table(root, assignment)
    if not rows:
        raise GradingError("no graded submissions in the gradebook: run autograde first")
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return rows


def print_table(rows: list[dict]) -> None:
    cols = [c for c in rows[0] if c != "flags"]
    print(" | ".join(cols + ["flags"]))
    for r in rows:
        print(" | ".join(str(r[c]) for c in cols) + " | " + r["flags"])


# ---------------------------------------------------------------------------
# example submissions (demo, tests and benchmark)
# ---------------------------------------------------------------------------

def solution_answers(root: Path, assignment: str = "ps1") -> dict[str, str]:
    """grade_id -> the solution code of each answer cell of the source (markers removed)."""
    src = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    out = {}
    for c in src.cells:
        m = _nbg(c)
        if m.get("solution") and m.get("grade_id") and m["grade_id"] != "student_id":
            text = re.sub(r"^.*### (BEGIN|END) SOLUTION.*\n?", "", c.source, flags=re.M)
            out[m["grade_id"]] = text
    return out


def make_submission(root: Path, student_id: str, answers: dict[str, str] | None = None,
                    assignment: str = "ps1"):
    """The release notebook with answer cells filled in (``answers``: grade_id -> source).

    The id cell gets ``STUDENT_ID = "<student_id>"`` unless ``answers`` sets "student_id".
    """
    nb = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = dict(answers or {})
    answers.setdefault("student_id", f'STUDENT_ID = "{student_id}"')
    for c in nb.cells:
        gid = _nbg(c).get("grade_id")
        if gid in answers:
            c.source = answers[gid]
    return nb


def demo(root: Path, folder: Path, assignment: str = "ps1") -> dict[str, str]:
    """Write the end-to-end demo submissions into ``folder``; returns student_id -> description."""
    folder = Path(folder)
    sol = solution_answers(root, assignment)
    plan = {}

    def put(sid, nb, what):
        (folder / sid).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / sid / f"{assignment}.ipynb")
        plan[sid] = what

    put("s001", make_submission(root, "s001", sol), "solution")
    blank = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    put("s002", blank, "blank student version (untouched)")
    wrong = dict(sol)
    wrong["q2_answer"] = sol["q2_answer"].replace(', weights=both["resident_population_10k"]', "")
    put("s003", make_submission(root, "s003", wrong), "q2 unweighted Theil (misconception)")
    loop = dict(sol)
    loop["q3_answer"] = "while True:\n    pass\n" + sol["q3_answer"]
    loop["q5_answer"] = 'print("x" * 100 + "\\n", end="")\nprint("spam\\n" * 300_000)\n' + sol["q5_answer"]
    put("s004", make_submission(root, "s004", loop), "endless loop in q3, prints ~1.5 MB in q5")
    lost = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('STUDENT_ID = "s005"'),
                                           nbformat.v4.new_code_cell("import course\nfrom course import grading, measures\n"
                                                                     "import math, numpy as np, pandas as pd")]
                                    + [nbformat.v4.new_code_cell(sol[g]) for g in sol if g.startswith("q")]
                                    + [nbformat.v4.new_markdown_cell("My written answer: ...")])
    put("s005", lost, "answers pasted into a new notebook (metadata lost)")
    deleted = make_submission(root, "s006", sol)
    deleted.cells = [c for c in deleted.cells if _nbg(c).get("grade_id") != "q4_lq_test"]
    for c in deleted.cells:
        if _nbg(c).get("grade_id") == "q1_tfp_test":
            c.source = "pass  # edited"
        if _nbg(c).get("grade_id") == "student_id":
            c.source = 'STUDENT_ID = "s999"'
    put("s006", deleted, "id of another student, q4 test deleted, q1 test edited")
    hack = dict(sol)
    hack["q6_answer"] = ("import course.grading\ncourse.grading.hidden_check = lambda q: None\n"
                         "course = None\ndef q6_cagr(start, end, years):\n    return (end / start - 1) / years\n")
    hack["q1_answer"] = "raise RuntimeError('oops')\n"
    put("s007", make_submission(root, "s007", hack),
        "q1 raises, q6 simple average + overrides course.grading.hidden_check and binds course=None")
    return plan


def benchmark(n: int = 6, timeout: int = 30) -> str:
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        root = prepare_root(Path(tmp) / "course")
        generate(root)
        sol = solution_answers(root)
        subs = Path(tmp) / "subs"
        for i in range(n):
            sid = f"bench{i:03d}"
            (subs / sid).mkdir(parents=True)
            nbformat.write(make_submission(root, sid, sol), subs / sid / "ps1.ipynb")
        t0 = time.perf_counter()
        autograde(root, subs, timeout=timeout)
        dt = time.perf_counter() - t0
        rows = grade_table(root)
        auto_max = sum(points for points, *_rest in QUESTIONS.values())
        full = sum(1 for r in rows if r["autograded"] == auto_max)
    return (f"grading: {n} solution copies autograded in {dt:.1f} s = {60 * n / dt:.1f} submissions per minute "
            f"({full}/{n} full marks; nbgrader 0.9.6, one batch, {os.cpu_count()} cores)")


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate, autograde, give feedback on and export problem sets.")
    ap.add_argument("--root", type=Path, default=HERE, help="course root (default: exercises/)")
    ap.add_argument("--assignment", default="ps1")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("generate", help="make release/<assignment>/ (the student version)")
    a = sub.add_parser("autograde", help="grade SUBMISSIONS/<student_id>/<assignment>.ipynb")
    a.add_argument("submissions", type=Path)
    a.add_argument("--timeout", type=int, default=30, help="per-cell time limit in seconds (default 30)")
    a.add_argument("--per-notebook", type=int, default=300, help="whole-notebook guard in seconds (default 300)")
    sub.add_parser("feedback", help="HTML feedback in feedback/<student_id>/")
    e = sub.add_parser("export", help="CSV of scores and flags")
    e.add_argument("csv", type=Path)
    d = sub.add_parser("demo", help="write example submissions into a folder")
    d.add_argument("submissions", type=Path)
    b = sub.add_parser("benchmark", help="grading throughput on N copies of the solution")
    b.add_argument("-n", type=int, default=6)
    for p in (a, sub.choices["generate"], sub.choices["feedback"], e, d, b):
        p.add_argument("--root", type=Path, default=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        root = prepare_root(args.root)
        if args.cmd == "generate":
            print("student version:", generate(root, args.assignment))
        elif args.cmd == "autograde":
            flags = autograde(root, args.submissions, args.assignment, args.timeout, args.per_notebook)
            print(f"autograded {len(flags)} submissions; log in {root / 'autograde.log'}")
            print_table(grade_table(root, args.assignment))
        elif args.cmd == "feedback":
            print("feedback in", feedback(root, args.assignment))
        elif args.cmd == "export":
            rows = export(root, args.csv, args.assignment)
            print(f"wrote {args.csv} ({len(rows)} students)")
            print_table(rows)
        elif args.cmd == "demo":
            if not (root / "release" / args.assignment).exists():
                generate(root, args.assignment)
            for sid, what in demo(root, args.submissions, args.assignment).items():
                print(f"{sid}: {what}")
        elif args.cmd == "benchmark":
            print(benchmark(args.n))
    except GradingError as exc:
        print(f"grade.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
