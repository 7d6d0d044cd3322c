"""Instructor command line for the graded problem sets (nbgrader 0.9.6, bubblewrap sandbox, offline).

    python exercises/grade.py generate                     # source/ps1 -> release/ps1 (student version)
    python exercises/grade.py autograde SUBMISSIONS        # SUBMISSIONS/<student_id>/ps1.ipynb
    python exercises/grade.py feedback                     # -> feedback/<student_id>/ps1/ps1.html
    python exercises/grade.py export grades.csv            # one row per collected student
    python exercises/grade.py student-edition DIR          # what students receive (no instructor material)
    python exercises/grade.py check                        # the source notebook agrees with its specification
    python exercises/grade.py demo SUBMISSIONS             # example submissions (solution, blank, broken)
    python exercises/grade.py benchmark [-n 50]            # grading throughput, serial and parallel

Every command takes ``--root DIR`` (default: this folder) and ``--assignment`` (default ps1).
A root without ``source/`` or ``nbgrader_config.py`` gets copies of this folder's.
See exercises/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from nqpf_grading import sandbox, spec  # noqa: E402
from nqpf_grading import submissions as subm  # noqa: E402

FLAGS_FILE = "grading_flags.json"
MANIFEST_FILE = "grading_manifest.json"
LOG_FILE = "autograde.log"
REPORT_ALLOWANCE = 60  # seconds per student beyond its budget: kernel start, report cells, nbgrader's own work


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


def _env(extra: dict | None = None) -> dict:
    env = dict(os.environ)  # nbgrader calls the `alembic` script: the venv's bin must be on PATH
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(HERE) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("MPLBACKEND", "Agg")
    env.update(extra or {})
    return env


def _db_url(root: Path, wait: bool = False) -> str:
    # parallel graders share the gradebook: SQLite waits up to 120 s for a lock instead of failing
    return f"sqlite:///{root / 'gradebook.db'}" + ("?timeout=120" if wait else "")


def nbgrader_cmd(root: Path, *args: str, wait: bool = False) -> list[str]:
    # nbgrader's own command line, with a cheaper gradebook (see nqpf_grading/nbgrader_main.py)
    return [sys.executable, "-m", "nqpf_grading.nbgrader_main", *args, f"--CourseDirectory.root={root}",
            f"--CourseDirectory.db_url={_db_url(root, wait)}"]


def nbgrader(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run one nbgrader command in ``root``; on ``timeout`` kill it and every kernel it started."""
    cmd = nbgrader_cmd(root, *args)
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=_env(), start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc.pid)
        out, _ = proc.communicate()
        return subprocess.CompletedProcess(cmd, -9, (out or "") + "\n[grade.py] time limit hit: killed\n")
    return subprocess.CompletedProcess(cmd, proc.returncode, out)


def _kill_tree(pid: int) -> None:
    """Kill a process and all its descendants (each sandbox dies with its bwrap)."""
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
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        tail = "\n".join(result.stdout.strip().splitlines()[-15:])
        raise GradingError(f"{what} failed (exit {result.returncode}):\n{tail}")


# ---------------------------------------------------------------------------
# generate: the student version, after checking the source against its specification
# ---------------------------------------------------------------------------

def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def check_source(root: Path, assignment: str = "ps1") -> list[str]:
    """Problems that would make the source notebook and ``problemsets/<assignment>.py`` disagree."""
    src = root / "source" / assignment / f"{assignment}.ipynb"
    if not src.exists():
        return [f"no instructor source {src}"]
    try:
        ps = spec.load(assignment)
    except (FileNotFoundError, ValueError) as exc:
        return [str(exc)]
    nb = nbformat.read(src, as_version=4)
    problems = []
    cells = {}
    for c in nb.cells:
        gid = _nbg(c).get("grade_id")
        if gid:
            if gid in cells:
                problems.append(f"grade_id {gid!r} is used twice")
            cells[gid] = c
        if "BEGIN HIDDEN TESTS" in c.source:
            problems.append(f"cell {gid or '?'} has hidden tests: the grader checks values itself (problemsets/"
                            f"{assignment}.py); keep only the visible self-check")
    for gid in ("student_id", "setup"):
        if gid not in cells:
            problems.append(f"no cell with grade_id {gid!r} (the id cell and the setup cell)")
    wanted = set()
    for q in ps.questions.values():
        c = cells.get(q.test_cell)
        wanted.add(q.test_cell)
        kind = "markdown" if q.kind == "written" else "code"
        if c is None:
            problems.append(f"{q.name}: no {kind} cell with grade_id {q.test_cell!r}")
            continue
        m = _nbg(c)
        if c.cell_type != kind or not m.get("grade"):
            problems.append(f"{q.test_cell}: must be a {kind} cell with nbgrader 'grade': true")
        if float(m.get("points", -1)) != q.points:
            problems.append(f"{q.test_cell}: {m.get('points')} points in the notebook, {q.points:g} in the specification")
        if kind == "code" and (not m.get("locked") or f'self_check("{q.name}")' not in c.source):
            problems.append(f'{q.test_cell}: must be locked and call grading.self_check("{q.name}")')
    for gid, c in cells.items():
        if _nbg(c).get("grade") and gid not in wanted:
            problems.append(f"grade cell {gid!r} is not in problemsets/{assignment}.py")
    return problems


def generate(root: Path, assignment: str = "ps1") -> Path:
    problems = check_source(root, assignment)
    if problems:
        raise GradingError("the source notebook and its specification disagree:\n  " + "\n  ".join(problems))
    ps = spec.load(assignment)
    public = root / "source" / assignment / "questions.json"  # variants and ranges, released with the notebook
    if not public.exists() or public.read_text(encoding="utf-8") != ps.public_json():
        public.write_text(ps.public_json(), encoding="utf-8")
    _check(nbgrader(root, "generate_assignment", assignment, "--force"), "nbgrader generate_assignment")
    release = root / "release" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(release, as_version=4)
    id_re = re.compile(r"^\s*STUDENT_ID\s*=\s*(['\"])(.*?)\1", re.M)
    for cell in nb.cells:  # the id cell: the student types over "...", no NotImplementedError stub
        if cell.cell_type == "code" and id_re.search(cell.source) and "raise NotImplementedError()" in cell.source:
            cell.source = id_re.search(cell.source).group(0) + "  # type your student id between the quotes"
    nbformat.write(nb, release)
    return release


# ---------------------------------------------------------------------------
# autograde: collect, clean, grade in parallel sandboxes, account for everyone
# ---------------------------------------------------------------------------

def _load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _save_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _load_flags(root: Path) -> dict:
    return _load_json(root / FLAGS_FILE)


def _load_manifest(root: Path, assignment: str) -> dict:
    return _load_json(root / MANIFEST_FILE).get(assignment, {})


def _save_state(root: Path, assignment: str, flags: dict, manifest: dict) -> None:
    stored = _load_flags(root)
    stored.update(flags)
    _save_json(root / FLAGS_FILE, stored)
    allm = _load_json(root / MANIFEST_FILE)
    allm[assignment] = manifest
    _save_json(root / MANIFEST_FILE, allm)


def default_jobs() -> int:
    """Graders at once: one more than the cores (at most 5). A grader waits for its kernel and the kernel
    for its grader, so with one per core the cores sat idle part of the time: on 2 cores, 3 graders did 61
    submissions per minute and 2 did 52 with cold kernels; with warm ones 101, 77 and (4 graders) 87
    (``grade.py benchmark``, issue 14)."""
    return max(1, min(5, (os.cpu_count() or 1) + 1))


def autograde(root: Path, folder: Path, assignment: str = "ps1", timeout: int = 30, per_notebook: int = 300,
              jobs: int | None = None, limits: dict | None = None, log=None) -> dict[str, list[str]]:
    """Grade every student folder of ``folder``; returns the flags of each student graded or refused.

    Every entry ends up in ``grading_manifest.json`` (graded, or not graded with the reason) and its
    flags in ``grading_flags.json``; both are written before grading starts and again at the end,
    whatever happens in between.
    """
    root, folder = Path(root), Path(folder)
    if not folder.is_dir():
        raise GradingError(f"submissions folder {folder} does not exist")
    ok, why = sandbox.check_available()
    if not ok:
        raise GradingError(f"cannot grade safely here: {why}")
    from nqpf_grading import preprocessors  # fail here, not once per student, if it cannot load

    spec.load(assignment)
    _precompile()
    preprocessors.preflight(limits)  # one sandboxed kernel must start and import course, or nobody is graded
    release_path = root / "release" / assignment / f"{assignment}.ipynb"
    if not release_path.exists():
        generate(root, assignment)
    release = nbformat.read(release_path, as_version=4)
    entries = subm.collect(folder, assignment)
    if not entries:
        raise GradingError(f"no submissions in {folder} (expected {folder}/<student_id>/{assignment}.ipynb)")
    manifest = _load_manifest(root, assignment)
    flags: dict[str, list[str]] = {}
    todo: list[str] = []
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    try:
        for e in entries:
            if e.reason:
                key = e.student or _refused_key(e.shown, manifest)
                flags[key] = list(e.flags)
                manifest[key] = {"status": "not graded", "reason": e.reason, "folder": e.shown, "at": stamp}
                continue
            nb, f = subm.read(e.notebook)
            nb, f2 = subm.canonical(nb, release)
            f3, rebuild = subm.inspect(nb, release)
            if rebuild:
                nb = subm.rebuild_by_name(nb, release)
            dest = root / "submitted" / e.student / assignment
            if dest.exists():
                shutil.rmtree(dest)
            dest.mkdir(parents=True)
            nbformat.write(nb, dest / f"{assignment}.ipynb")
            (dest / "timestamp.txt").write_text(stamp)
            flags[e.student] = e.flags + f + f2 + f3
            manifest[e.student] = {"status": "pending", "reason": "grading did not finish", "folder": e.shown,
                                   "at": stamp}
            todo.append(e.student)
        _save_state(root, assignment, flags, manifest)
        if todo:
            outcome = _grade_in_sandboxes(root, assignment, todo, timeout, per_notebook, jobs, limits, log)
            for sid in todo:
                status, reason, extra, timing = outcome[sid]
                flags[sid].extend(x for x in extra if x not in flags[sid])
                manifest[sid].update(status=status, reason=reason, **timing)
    finally:
        _save_state(root, assignment, flags, manifest)
    return flags


def _precompile() -> None:
    """Byte-compile the course package once: every sandbox reads it read-only and could not cache it."""
    import compileall

    import course

    try:
        compileall.compile_dir(Path(course.__file__).resolve().parent, quiet=2)
    except OSError:
        pass


def _refused_key(shown: str, manifest: dict) -> str:
    key = f"(refused) {shown}"
    n = 2
    while key in manifest and manifest[key].get("folder") != shown:
        key, n = f"(refused) {shown} #{n}", n + 1
    return key


def _grade_in_sandboxes(root, assignment, students, timeout, per_notebook, jobs, limits, log):
    """Run nbgrader autograde over disjoint groups of students at once; retry failures one at a time."""
    run_dir = Path(tempfile.mkdtemp(prefix="nqpf-grade-"))  # short path: the kernels' sockets live here
    events = run_dir / "events"
    events.mkdir()
    outcome = {}
    logs = []
    try:
        jobs = max(1, min(jobs or default_jobs(), len(students)))
        _wal(root)
        groups = [students[i::jobs] for i in range(jobs)]
        killed = _run_workers(root, assignment, groups, run_dir, events, timeout, per_notebook, limits, logs)
        done = _finished(root, assignment, students, events)
        retry = [s for s in students if s not in done and s not in killed]
        if retry:  # e.g. a gradebook lock or a crash of one worker: once more, alone
            killed |= _run_workers(root, assignment, [retry], run_dir, events, timeout, per_notebook, limits, logs)
            done = _finished(root, assignment, students, events)
        for sid in students:
            if sid in done:
                record = _load_json(events / f"{sid}.json")
                outcome[sid] = ("graded", "", record.get("flags", []),
                                {"seconds": record.get("seconds"), "kernel_cpu": record.get("kernel_cpu"),
                                 "warm_kernel": bool(record.get("warm"))})
            elif sid in killed:
                outcome[sid] = ("not graded", "whole-run time limit hit: grade by hand", [], {})
            else:
                outcome[sid] = ("not graded", f"autograde failed (see {LOG_FILE}): grade by hand", [], {})
    finally:
        (root / LOG_FILE).write_text("\n".join(logs), encoding="utf-8", errors="replace")
        if not os.environ.get("NQPF_KEEP_RUN"):  # set it to keep the kernelspecs, events and logs for debugging
            shutil.rmtree(run_dir, ignore_errors=True)
    return outcome


def _wal(root: Path) -> None:
    """Write-ahead logging for the gradebook: parallel graders read while one writes (kept in the file)."""
    import sqlite3

    if (root / "gradebook.db").exists():
        con = sqlite3.connect(root / "gradebook.db", timeout=120)
        try:
            con.execute("PRAGMA journal_mode=WAL")
        finally:
            con.close()


def _finished(root, assignment, students, events) -> set[str]:
    return {s for s in students if (events / f"{s}.json").exists()
            and (root / "autograded" / s / assignment / f"{assignment}.ipynb").exists()}


def _run_workers(root, assignment, groups, run_dir, events, timeout, per_notebook, limits, logs) -> set[str]:
    everyone = sorted(p.name for p in (root / "submitted").iterdir() if p.is_dir())
    procs = []
    zygotes = []
    for k, group in enumerate(groups):
        slot = run_dir / f"w{k}"
        slot.mkdir(parents=True, exist_ok=True)
        zygote = slot / "zygote.sock" if warm_kernels() else None
        spec_dir = sandbox.write_kernelspec(slot, limits={**(limits or {}), "cpu_seconds": per_notebook + REPORT_ALLOWANCE},
                                            slot=k, language=spec.load(assignment).language, zygote=zygote)
        if zygote is not None:
            zlog = open(slot / "zygote.log", "w+", encoding="utf-8", errors="replace")
            # the kernels are its forks: they inherit its command line and environment, so both say nothing
            # of the grader (the sandbox's environment; the policy and the socket come on stdin)
            policy = json.loads((spec_dir / "policy.json").read_text())
            zproc = subprocess.Popen([policy["python"], str(ZYGOTE)], cwd="/", stdin=subprocess.PIPE, stdout=zlog,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     env={k: v for k, v in policy["env"].items() if k != "PYTHONPATH"})
            zproc.stdin.write(json.dumps({"policy": str(spec_dir / "policy.json"), "socket": str(zygote)}).encode())
            zproc.stdin.close()
            (slot / "zygote.sock.pid").write_text(str(zproc.pid))  # a kernel waits for the socket while it lives
            zygotes.append((zproc, zlog, k))
        exclude = ",".join(s for s in everyone if s not in group)
        args = ["autograde", assignment, "--create", "--force",
                f"--CourseDirectory.student_id_exclude={exclude}",
                "--Autograde.sanitize_preprocessors=" + json.dumps(SANITIZE_PREPROCESSORS),
                "--Autograde.autograde_preprocessors=" + json.dumps(AUTOGRADE_PREPROCESSORS),
                f"--SandboxExecute.timeout={int(timeout)}", "--SandboxExecute.interrupt_on_timeout=True",
                f"--SandboxExecute.budget={float(per_notebook)}", f"--SandboxExecute.run_dir={slot}",
                f"--SandboxExecute.report_timeout={max(5, int(timeout))}",
                f"--GradeByName.events_dir={events}"]
        out = open(slot / "nbgrader.log", "w+", encoding="utf-8", errors="replace")
        proc = subprocess.Popen(nbgrader_cmd(root, *args, wait=True), cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                env=_env({"JUPYTER_PATH": str(slot)}), start_new_session=True)
        deadline = time.monotonic() + 120 + len(group) * (per_notebook + REPORT_ALLOWANCE)
        procs.append((proc, out, group, deadline))
    killed: set[str] = set()
    for proc, out, group, deadline in procs:
        try:
            proc.wait(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill_tree(proc.pid)
            proc.wait()
            killed |= set(group)
        out.seek(0)
        logs.append(f"===== nbgrader autograde for {', '.join(group)} (exit {proc.returncode}) =====\n" + out.read())
        out.close()
    for proc, zlog, k in zygotes:  # the warm-kernel zygotes: stop them, keep what they said
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _kill_tree(proc.pid)
            proc.wait()
        zlog.seek(0)
        text = zlog.read()
        zlog.close()
        if text.strip():
            logs.append(f"===== warm-kernel zygote of grader {k} (exit {proc.returncode}) =====\n" + text)
    return killed


ZYGOTE = HERE / "nqpf_grading" / "warm.py"


def warm_kernels() -> bool:
    """Start graded kernels from a preloaded zygote (``nqpf_grading/warm.py``): as root only, and not when
    ``NQPF_WARM_KERNELS=0``. Each kernel is still in its own bubblewrap sandbox; it saves about 0.9 CPU-s
    per submission (issue 14)."""
    return os.geteuid() == 0 and os.environ.get("NQPF_WARM_KERNELS", "1") != "0"


# nbgrader's steps, with Execute replaced. Its sanitizing steps (clear outputs, new cell ids, the
# release's kernelspec, locked cells and grade metadata restored, a JSON-schema check of every cell) are
# done before nbgrader sees the notebook (submissions.canonical: a new notebook from the cells, with the
# release's metadata and locked sources), so they are left out: they were a third of nbgrader's CPU time
# per submission. LimitOutput is replaced by byte caps.
SANITIZE_PREPROCESSORS: list[str] = []
AUTOGRADE_PREPROCESSORS = [
    "nqpf_grading.preprocessors.SandboxExecute",
    "nqpf_grading.preprocessors.GradeByName",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
]


# ---------------------------------------------------------------------------
# feedback and export
# ---------------------------------------------------------------------------

CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
       "style-src 'unsafe-inline'; font-src data:\">")


def harden_html(text: str) -> str:
    """Feedback that cannot run code: no script elements at all, and a policy that forbids scripts."""
    text = re.sub(r"<script\b.*?</script\s*>", "", text, flags=re.S | re.I)
    text = re.sub(r"<script\b[^>]*>", "", text, flags=re.I)
    return re.sub(r"<head([^>]*)>", lambda m: f"<head{m.group(1)}>\n{CSP}", text, count=1, flags=re.I)


def feedback(root: Path, assignment: str = "ps1") -> Path:
    pre = ["nbgrader.preprocessors.GetGrades", "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
           "nqpf_grading.preprocessors.SanitizeForFeedback"]
    _check(nbgrader(root, "generate_feedback", assignment, "--force",
                    "--GenerateFeedback.preprocessors=" + json.dumps(pre), "--HTMLExporter.sanitize_html=True"),
           "nbgrader generate_feedback")
    for page in (root / "feedback").glob(f"*/{assignment}/*.html"):
        page.write_text(harden_html(page.read_text(encoding="utf-8")), encoding="utf-8")
    return root / "feedback"


def _columns(assignment: str) -> list[tuple[str, float, str, bool]]:
    ps = spec.load(assignment)
    return [(q.name, q.points, q.test_cell, q.kind != "written") for q in ps.questions.values()]


def grade_table(root: Path, assignment: str = "ps1") -> list[dict]:
    """One row per student in the gradebook or collected by autograde (graded or not)."""
    from nbgrader.api import Gradebook, MissingEntry

    flags = _load_flags(root)
    manifest = _load_manifest(root, assignment)
    cols = _columns(assignment)
    grades: dict[str, dict] = {}
    if (root / "gradebook.db").exists():
        with Gradebook(_db_url(root)) as gb:
            for s in gb.students:
                try:
                    sub = gb.find_submission(assignment, s.id)
                except MissingEntry:
                    continue
                if sub.notebooks:
                    grades[s.id] = {g.name: g for g in sub.notebooks[0].grades}
                    grades[s.id] = {name: (None if g.needs_manual_grade and g.manual_score is None else g.score)
                                    for name, g in grades[s.id].items()}
    rows = []
    for sid in sorted(set(grades) | set(manifest)):
        m = manifest.get(sid, {"status": "graded"})
        row = {"student_id": sid}
        f = list(flags.get(sid, []))
        auto = total = 0.0
        pending = []
        graded = m.get("status") == "graded" and sid in grades
        for name, _pts, cell, autograded in cols:
            score = grades.get(sid, {}).get(cell) if graded else None
            if score is None:
                row[name] = ""
                if graded:
                    pending.append(name)
                continue
            row[name] = score
            total += score
            if autograded:
                auto += score
        row["autograded"] = auto if graded else ""
        row["total"] = total if graded else ""
        row["max"] = sum(c[1] for c in cols)
        if not graded:
            f.insert(0, "not graded: " + (m.get("reason") or "no autograde result"))
        elif pending:
            f.append("to grade by hand: " + ", ".join(pending))
        row["flags"] = "; ".join(f)
        rows.append(row)
    return rows


def _csv_safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export(root: Path, out: Path, assignment: str = "ps1") -> list[dict]:
    rows = grade_table(root, assignment)
    if not rows:
        raise GradingError("no students in the gradebook or the last autograde: run autograde first")
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows({k: _csv_safe(v) for k, v in r.items()} for r in rows)
    return rows


def print_table(rows: list[dict]) -> None:
    cols = [c for c in rows[0] if c != "flags"]
    print(" | ".join(cols + ["flags"]))
    for r in rows:
        print(" | ".join(str(r[c]) for c in cols) + " | " + r["flags"])


def flag_summary(rows: list[dict]) -> str:
    """Every flag of every student, grouped by kind, for the instructor to work through."""
    kinds: dict[str, list[str]] = {}
    for r in rows:
        for f in filter(None, (x.strip() for x in r["flags"].split("; "))):
            kind = re.split(r"[:(]", f, maxsplit=1)[0].strip()
            kinds.setdefault(kind, []).append(f"{r['student_id']}: {f}")
    if not kinds:
        return "flags: none"
    lines = [f"flags: {sum(len(v) for v in kinds.values())} in {len(kinds)} kinds"]
    for kind in sorted(kinds, key=lambda k: (-len(kinds[k]), k)):
        lines.append(f"  {kind} ({len(kinds[kind])})")
        lines.extend(f"    {x}" for x in kinds[kind])
    return "\n".join(lines)


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
            out[m["grade_id"]] = re.sub(r"^.*### (BEGIN|END) SOLUTION.*\n?", "", c.source, flags=re.M)
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
    """Write the end-to-end demo submissions of problem set 1 into ``folder``; returns id -> description."""
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
    hack["q6_answer"] = ("import course.grading\ncourse.grading.self_check = lambda q: None\n"
                         "course = None\ndef q6_cagr(start, end, years):\n    return (end / start - 1) / years\n")
    hack["q1_answer"] = "raise RuntimeError('oops')\n"
    put("s007", make_submission(root, "s007", hack),
        "q1 raises, q6 simple average + overrides course.grading.self_check and binds course=None")
    return plan


def benchmark(n: int = 50, jobs: int | None = None, timeout: int = 30) -> str:
    """Grade ``n`` copies of the solution serially and in parallel, each in its sandbox.

    Prints the wall-clock throughput and the CPU time per submission (the grader's nbgrader processes
    and warm-kernel zygotes plus every process of each sandbox), which does not depend on what else the machine is doing: on
    a machine that is busy with other work the wall-clock figure understates what it can do alone.
    """
    import resource

    lines = []
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        for label, j in (("serial", 1), ("parallel", jobs or default_jobs())):
            root = prepare_root(Path(tmp) / label)
            generate(root)
            sol = solution_answers(root)
            subs = Path(tmp) / f"subs-{label}"
            for i in range(n):
                sid = f"bench{i:03d}"
                (subs / sid).mkdir(parents=True)
                nbformat.write(make_submission(root, sid, sol), subs / sid / "ps1.ipynb")
            load0 = os.getloadavg()[0]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            autograde(root, subs, timeout=timeout, jobs=j)
            dt = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            grader_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            manifest = _load_manifest(root, "ps1")
            kernel_cpu = sum(float(m.get("kernel_cpu") or 0) for m in manifest.values())
            warm = [float(m.get("kernel_cpu") or 0) for m in manifest.values() if m.get("warm_kernel")]
            # a warm kernel is reaped by its zygote, a child of this process, so its CPU time is in
            # grader_cpu already; a cold one is not (its sandbox is killed before its launcher reaps it)
            cpu = (grader_cpu + kernel_cpu - sum(warm)) / n
            grader_cpu = cpu * n - kernel_cpu
            rows = grade_table(root)
            auto_max = sum(q.points for q in spec.load("ps1").autograded)
            full = sum(1 for r in rows if r["autograded"] == auto_max)
            lines.append(f"grading, {label} ({j} nbgrader process{'es' if j > 1 else ''}, bubblewrap sandbox): "
                         f"{n} solution copies in {dt:.1f} s = {60 * n / dt:.1f} submissions per minute "
                         f"({full}/{n} full marks, {len(warm)} warm kernels); CPU {cpu:.2f} s per submission (grader "
                         f"{grader_cpu / n:.2f} + sandbox {kernel_cpu / n:.2f}); load average {load0:.1f} -> {os.getloadavg()[0]:.1f}")
    lines.append(f"  {cores} cores: with the CPU to itself this machine grades at most {60 * cores / cpu:.0f} "
                 "submissions per minute in parallel (target >= 60 on 2 cores)")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate, autograde, give feedback on and export problem sets.")
    ap.add_argument("--root", type=Path, default=HERE, help="course root (default: exercises/)")
    ap.add_argument("--assignment", default="ps1")
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="make release/<assignment>/ (the student version)")
    a = sub.add_parser("autograde", help="grade SUBMISSIONS/<student_id>/<assignment>.ipynb")
    a.add_argument("submissions", type=Path)
    a.add_argument("--timeout", type=int, default=30, help="per-cell time limit in seconds (default 30)")
    a.add_argument("--per-notebook", type=int, default=300,
                   help="each student's time budget for the whole notebook, in seconds (default 300)")
    a.add_argument("--jobs", type=int, default=None,
                   help=f"nbgrader processes grading at once (default: cores + 1, at most 5; here {default_jobs()})")
    a.add_argument("--memory-mb", type=int, default=sandbox.DEFAULT_LIMITS["memory_mb"],
                   help="address-space limit of each process in the sandbox (MB)")
    f = sub.add_parser("feedback", help="HTML feedback in feedback/<student_id>/")
    e = sub.add_parser("export", help="CSV of scores and flags, one row per student")
    e.add_argument("csv", type=Path)
    s = sub.add_parser("student-edition", help="build what students receive into DIR (no instructor material)")
    s.add_argument("dest", type=Path)
    s.add_argument("--force", action="store_true", help="replace DIR if it exists")
    c = sub.add_parser("check", help="check the source notebook against problemsets/<assignment>.py")
    d = sub.add_parser("demo", help="write example submissions into a folder")
    d.add_argument("submissions", type=Path)
    b = sub.add_parser("benchmark", help="grading throughput on N copies of the solution, serial and parallel")
    b.add_argument("-n", type=int, default=50)
    b.add_argument("--jobs", type=int, default=None)
    for p in (g, a, f, e, s, c, d, b):
        p.add_argument("--root", type=Path, default=argparse.SUPPRESS)
        p.add_argument("--assignment", default=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        root = prepare_root(args.root)
        if args.cmd == "generate":
            print("student version:", generate(root, args.assignment))
        elif args.cmd == "autograde":
            t0 = time.perf_counter()
            flags = autograde(root, args.submissions, args.assignment, args.timeout, args.per_notebook,
                              jobs=args.jobs, limits={"memory_mb": args.memory_mb})
            print(f"autograded {len(flags)} entries in {time.perf_counter() - t0:.0f} s "
                  f"({args.jobs or default_jobs()} parallel graders at most); log in {root / LOG_FILE}")
            rows = grade_table(root, args.assignment)
            print_table(rows)
            print(flag_summary(rows))
        elif args.cmd == "feedback":
            print("feedback in", feedback(root, args.assignment))
        elif args.cmd == "export":
            rows = export(root, args.csv, args.assignment)
            print(f"wrote {args.csv} ({len(rows)} students)")
            print_table(rows)
            print(flag_summary(rows))
        elif args.cmd == "student-edition":
            from nqpf_grading import edition

            out = edition.build(args.dest, force=args.force, generate=lambda a: generate(prepare_root(root), a))
            print(f"student edition in {out}")
        elif args.cmd == "check":
            problems = check_source(root, args.assignment)
            print("\n".join(problems) if problems else f"{args.assignment}: source and specification agree")
            return 1 if problems else 0
        elif args.cmd == "demo":
            if not (root / "release" / args.assignment).exists():
                generate(root, args.assignment)
            for sid, what in demo(root, args.submissions, args.assignment).items():
                print(f"{sid}: {what}")
        elif args.cmd == "benchmark":
            print(benchmark(args.n, args.jobs))
    except (GradingError, sandbox.SandboxUnavailable) as exc:
        print(f"grade.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
