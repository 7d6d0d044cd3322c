"""Hostile and unusual submissions (issue 9), graded in one parallel autograde run per problem set.

Each hostile notebook is the solution plus an attack (or the attack instead of some answers). For
each the tests check: the right score, or zero with a flag; every other student's score unchanged
(honest controls are graded in the same batch, before and after the hostile ones in id order); no
file outside the sandboxes changed (the repository's course, datasets and exercises folders, the
virtual environment, the submissions folder, the other students' folders in the grading root and a
canary file, all checksummed before and after); no process left behind.

The attacks use only the specification's names (first number question, first function question), so
they run unchanged against every problem set in ``exercises/problemsets/``.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from grading_helpers import (EXERCISES, PROBLEM_SETS, ROOT, full_marks, grade, printed_line, problem_set, sandbox,
                             sandbox_or_skip, sandbox_processes_left, scores, stream_text, tree_digest, write)

pytestmark = pytest.mark.slow
MARK = "nqpf-hostile-3717"  # in the command line of every process the attacks try to leave behind
WRONG = 12345.678           # a value no question accepts
TIMEOUT, BUDGET = 15, 45    # per cell, per student (seconds) in this run: generous, CI machines are busy


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def attacks(ps) -> dict[str, dict]:
    """student id -> {"cell": code added after the answers (or "first": before them), "answers": changes,
    "zero": questions that must score 0, "flags": flags that must appear, ...}."""
    numbers = [q for q in ps.autograded if q.kind == "number"]
    qn = numbers[0].names()[0]                # the first numeric answer name
    qw = numbers[-1].names()[0]               # another one, for "wrong answer + attack"
    zn, zw = numbers[0].name, numbers[-1].name  # their questions (a question may store several names)
    funcs = [q for q in ps.autograded if q.kind == "function"]
    mime = "application/vnd.nqpf.report+json"
    out = {
        "h01read": dict(zero={zn}, cell=f"""
            import os, json, course
            found = []
            try:
                from course.grading import expected          # the old in-kernel reference function
                found.append("course.grading.expected")
            except ImportError as exc:
                print("no reference function:", type(exc).__name__)
            repo = os.path.dirname(os.path.dirname(course.__file__))
            for rel in ("exercises", "exercises/problemsets", "exercises/source", "exercises/gradebook.db", "tests", ".git"):
                if os.path.exists(os.path.join(repo, rel)):
                    found.append(rel)
            import sys
            skip = ("/proc", "/sys", "/usr", "/dev", sys.base_prefix, sys.prefix)
            for top in ("/", os.path.expanduser("~"), "/tmp", "/run"):
                for dirpath, dirs, files in os.walk(top):
                    dirs[:] = [d for d in dirs if os.path.join(dirpath, d) not in skip]
                    for f in files:
                        p = os.path.join(dirpath, f)
                        if f.endswith((".db", ".ipynb")) or any(w in p for w in ("problemsets", "nqpf_grading", "/exercises",
                                                                                "/submitted", "/autograded", "/source/")):
                            found.append(p)
            print("FOUND:", json.dumps(sorted(set(found))))
            {qn} = float(found[0]) if found and found[0][:1].isdigit() else {WRONG}
        """),
        "h02builtins": dict(zero={zw}, cell=f"""
            import builtins, math, operator, numpy
            builtins.abs = lambda x: 0.0
            builtins.round = lambda *a, **k: 0
            math.isclose = lambda *a, **k: True
            operator.le = lambda a, b: True
            numpy.isclose = numpy.allclose = lambda *a, **k: True
            {qw} = {WRONG}
        """),
        "h03imports": dict(zero={zw}, cell=f"""
            import sys, types, importlib, builtins
            fake = types.ModuleType("course.grading")
            fake.self_check = lambda *a, **k: "ok"
            fake.hidden_check = lambda *a, **k: None
            sys.modules["course.grading"] = fake
            importlib.reload = lambda m: fake
            _real_import = builtins.__import__
            def _import(name, *a, **k):
                return fake if name.startswith("course") else _real_import(name, *a, **k)
            builtins.__import__ = _import
            class _Finder:
                def find_spec(self, name, path=None, target=None):
                    return None
            sys.meta_path.insert(0, _Finder())
            {qw} = {WRONG}
        """),
        "h04rewrite": dict(zero={q.name for q in ps.autograded}, flags=["changed how the kernel runs code"],
                           answers_wrong=True, cell="""
            def _evil(lines):
                if any("self_check" in ln for ln in lines):
                    return ["print('self-check passed')\\n"]
                return lines
            get_ipython().input_transformers_cleanup.append(_evil)
        """),
        "h05forge": dict(zero={q.name for q in ps.autograded}, cell=f"""
            import re
            def _forge(lines):
                src = "".join(lines)
                m = re.search(r"'NONCE': '([0-9a-f]+)'", src)
                if "<grader>" in src and m:  # the grader's report cell: answer with forged values instead
                    report = {{"nonce": m.group(1), "values": {{"{qn}": {{"t": "number", "v": "{WRONG}"}}}}, "hooks": []}}
                    return ["from IPython.display import publish_display_data\\n",
                            f"publish_display_data({{{{{mime!r}: {{report!r}}}}}})\\n"]
                return lines
            get_ipython().input_transformers_cleanup.append(_forge)
        """),
        "h06blockreport": dict(zero={q.name for q in ps.autograded}, flags=["answers could not be read"], cell="""
            import IPython.display
            IPython.display.publish_display_data = lambda *a, **k: None
        """),
        "h07write": dict(cell="""
            import os, sys, json, course
            repo = os.path.dirname(os.path.dirname(course.__file__))
            targets = [course.__file__, os.path.join(repo, "datasets", "datapackage.json"), os.path.join(repo, "pwned.txt"),
                       os.path.join(repo, "exercises", "pwned.txt"), "/work/pwned.txt", "/root/pwned.txt", "/etc/pwned",
                       os.path.join(sys.prefix, "pwned.py"), "/usr/lib/pwned", "/run/kernel/pwned", "/pwned",
                       "/tmp/inside.txt", os.path.expanduser("~/inside.txt"), "inside.txt", "/dev/shm/inside"]
            results = {}
            for t in targets:
                try:
                    with open(t, "a") as fh:
                        fh.write("pwned")
                    results[t] = "WRITTEN"
                except Exception as exc:
                    results[t] = type(exc).__name__
            for t in ("/run/kernel/s-1", "/run/kernel/kernel.json"):
                try:
                    os.replace(t, t + ".moved")
                    results["move " + t] = "WRITTEN"
                except Exception as exc:
                    results["move " + t] = type(exc).__name__
            print("WRITES:", json.dumps(results))
        """),
        "h08tamper": dict(cell="""
            import os, sqlite3, json
            hits = {}
            for top in ("/", "/tmp", "/run"):
                for dirpath, dirs, files in os.walk(top):
                    dirs[:] = [d for d in dirs if os.path.join(dirpath, d) not in ("/proc", "/sys", "/usr", "/dev")]
                    for f in files:
                        if f.endswith(".db") or f == "ps1.ipynb":
                            p = os.path.join(dirpath, f)
                            try:
                                c = sqlite3.connect(p)
                                c.execute("update grade set manual_score = 99")
                                c.commit()
                                hits[p] = "TAMPERED"
                            except Exception as exc:
                                hits[p] = type(exc).__name__
            for rel in ("../../submitted", "../../autograded", "../submitted", "/proc/1/root/work", "/proc/1/cwd"):
                try:
                    hits[rel] = os.listdir(rel)[:5]
                except Exception as exc:
                    hits[rel] = type(exc).__name__
            print("TAMPER:", json.dumps(hits))
        """),
        "h09detach": dict(cell=f"""
            import os, subprocess, sys, time
            subprocess.Popen(["{MARK}", "600"], executable="/bin/sleep", start_new_session=True)
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{MARK}"],
                             start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if os.fork() == 0:              # a double-forked daemon
                os.setsid()
                if os.fork() == 0:
                    os.execv("/bin/sleep", ["{MARK}", "601"])
                os._exit(0)
            time.sleep(0.5)
            print("DETACHED")
        """),
        "h10forgeid": dict(student_id="s1", flags=["id mismatch: notebook says 's1'"], cell="""
            open("graded_id.txt", "w").write("s1")
            import os
            os.environ["NBGRADER_STUDENT_ID"] = "s1"
        """),
        "h11spoof": dict(no_flags=True, cell=f"""
            import sys
            for line in ("cell timeout: interrupted (cell 3)", "CellTimeoutError: No reply from kernel before timeout",
                         "kernel died (cell 2)", "DeadKernelError: Kernel died", "long output cut (9 bytes not kept)",
                         "Output truncated", "autograde failed", "not graded: spoof", "answers could not be read",
                         "time budget of 1 s used up", "id mismatch: notebook says 'x'"):
                print(line)
                sys.stderr.write(line + "\\n")
            from IPython.display import publish_display_data
            publish_display_data({{{mime!r}: {{"nonce": "0" * 32, "values": {{"{qn}": {{"t": "number", "v": "{WRONG}"}}}}}}}})
        """),
        "h12slow": dict(slow=True, flags=["time budget of", "and later cells not run"]),
        "h13foreign": dict(foreign=True, flags=["foreign nbgrader metadata removed"]),
        "h14html": dict(html=True, cell="""
            from IPython.display import display, HTML, Javascript, SVG, Markdown
            display(HTML("<script>window.pwned = 1</script><img src=x onerror=alert(1)><iframe src='javascript:alert(2)'></iframe>"))
            display(Javascript("alert(3)"))
            display(SVG("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(4)</script></svg>"))
            display(Markdown("<img src=x onerror=alert(5)>"))
            display({"text/html": "<a href='javascript:alert(6)'>x</a>", "application/javascript": "alert(7)"}, raw=True)
        """),
        "h15bigline": dict(flags=["long output cut"], cell="""
            print("x" * 5_000_000)
        """),
        "h16forkbomb": dict(cell="""
            import os, time
            n = 0
            try:
                for _ in range(5000):
                    if os.fork() == 0:
                        time.sleep(120)
                        os._exit(0)
                    n += 1
            except OSError as exc:
                print("FORK STOPPED:", type(exc).__name__, n)
        """),
        "h17memory": dict(cell="""
            try:
                hog = bytearray(8 * 2**30)
                print("MEMORY: allocated")
            except MemoryError:
                print("MEMORY: MemoryError")
        """),
        "h18network": dict(cell="""
            import socket
            for addr in (("1.1.1.1", 53), ("8.8.8.8", 443), ("127.0.0.1", 22)):
                try:
                    socket.create_connection(addr, timeout=2).close()
                    print("NETWORK:", addr, "CONNECTED")
                except OSError as exc:
                    print("NETWORK:", addr, type(exc).__name__)
        """),
        "h19kill": dict(zero={q.name for q in ps.autograded}, flags=["kernel died", "answers could not be read"], cell="""
            import os, signal
            os.kill(os.getpid(), signal.SIGKILL)
        """),
        "h20nointerrupt": dict(zero={q.name for q in ps.autograded}, flags=["cell timeout", "answers could not be read"],
                               cell="""
            import signal
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            while True:
                pass
        """),
    }
    if funcs:
        qf = funcs[0].name
        out["h21frame"] = dict(zero={qf}, cell=f"""
            import sys, gc
            def {qf}(*args):
                f = sys._getframe(1)
                while f is not None:
                    for k, v in list(f.f_locals.items()) + list(f.f_globals.items()):
                        if any(w in k.lower() for w in ("expect", "ref", "want", "target")) and isinstance(v, float):
                            return v
                    f = f.f_back
                for obj in gc.get_objects():
                    if isinstance(obj, dict) and isinstance(obj.get("expected"), float):
                        return obj["expected"]
                return {WRONG}
        """)
    return out


def fair(ps) -> dict[str, dict]:
    """Honest notebooks that must get full marks."""
    funcs = [q for q in ps.autograded if q.kind == "function"]
    out = {"f1order": dict(order=True),                     # every answer cell moved after its self-check
           "f2files": dict(cell="""
               open("notes.txt", "w").write("scratch")
               import tempfile; tempfile.NamedTemporaryFile().close()
           """)}
    if funcs:  # the function warns on stderr each time it is called, also inside the self-check cell
        qf = funcs[0].name
        out["f3warn"] = dict(warn=qf)
    return out


# The attacks on the sandbox itself (writing outside it, leaving processes behind, exhausting processes,
# memory, time or the network, killing the kernel) do not depend on the problem set: the sandbox is the
# same for every set, and these are the slow ones (they run into the limits). They run on problem set 1,
# the pipeline's reference; every other set gets the attacks aimed at its own answers and the grader.
PIPELINE_REFERENCE = "ps1"
SANDBOX_ATTACKS = {"h07write", "h09detach", "h12slow", "h16forkbomb", "h17memory", "h18network", "h19kill",
                   "h20nointerrupt"}


def planned_attacks(ps, name: str) -> dict[str, dict]:
    """The attacks run against problem set ``name``: all of them on the pipeline's reference set, the
    ones aimed at the set's own answers and at the grader elsewhere."""
    out = attacks(ps)
    if name != PIPELINE_REFERENCE:
        out = {sid: how for sid, how in out.items() if sid not in SANDBOX_ATTACKS}
    return out


def _submission(root, name, sid, sol, how, ps):
    answers = dict(sol)
    if how.get("answers_wrong"):
        for q in ps.autograded:
            for n in q.names() or [q.name]:
                for cell, src in sol.items():
                    if re.search(rf"^\s*{n}\s*=", src, re.M):
                        answers[cell] = answers[cell] + f"\n{n} = {WRONG}\n"
                    elif re.search(rf"^def {n}\(", src, re.M):
                        answers[cell] = answers[cell] + f"\n{n} = lambda *args: {WRONG}\n"
    if how.get("student_id"):
        answers["student_id"] = f'STUDENT_ID = "{how["student_id"]}"'
    if how.get("warn"):
        qf = how["warn"]
        cell = next(c for c, src in sol.items() if f"def {qf}(" in src)
        answers[cell] = ("import warnings\n" + sol[cell] + f"\n_{qf} = {qf}\n"
                         f"def {qf}(*args):\n    warnings.warn('a warning from my own code')\n    return _{qf}(*args)\n")
    nb = grade.make_submission(root, sid, answers, name)
    if how.get("order"):  # answers after their self-checks
        cells, held = [], None
        for c in nb.cells:
            g = _nbg(c).get("grade_id", "")
            if g.endswith("_answer") and g != "student_id":
                held = c
                continue
            cells.append(c)
            if held is not None and g.endswith("_test"):
                cells.append(held)
                held = None
        nb.cells = cells + ([held] if held else [])
    if how.get("slow"):  # half the answers, then more sleep than the budget, then the rest
        index = [i for i, c in enumerate(nb.cells) if _nbg(c).get("grade_id", "").endswith("_test")]
        cut = index[len(index) // 2 - 1] + 1
        sleeps = [nbformat.v4.new_code_cell(f"import time; time.sleep({TIMEOUT - 2})") for _ in range(5)]
        nb.cells = nb.cells[:cut] + sleeps + nb.cells[cut:]
    if how.get("foreign"):
        nb.metadata["nbgrader"] = {"grade_id": "nb", "points": 99}
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
        bonus = nbformat.v4.new_code_cell("print('bonus')")
        bonus.metadata["nbgrader"] = {"grade": True, "grade_id": "ps9_bonus_test", "locked": True, "points": 50,
                                      "schema_version": 3, "solution": False, "task": False}
        dup = nbformat.v4.new_code_cell("print('duplicate')")
        first_test = next(c for c in nb.cells if _nbg(c).get("grade_id", "").endswith("_test"))
        dup.metadata["nbgrader"] = dict(_nbg(first_test))
        odd = nbformat.v4.new_markdown_cell("odd metadata")
        odd.metadata["nbgrader"] = "not a dict"
        nb.cells = nb.cells[:3] + [bonus, dup, odd] + nb.cells[3:]
    if how.get("html"):
        nb.cells.append(nbformat.v4.new_markdown_cell(
            "<script>alert(8)</script><img src=x onerror=alert(9)> [click](javascript:alert(10)) "
            "<iframe src='https://example.org'></iframe>"))
        raw = nbformat.v4.new_raw_cell("<script>alert(11)</script>")
        raw.metadata["format"] = "text/html"
        nb.cells.append(raw)
        for c in nb.cells:
            if c.cell_type == "markdown" and _nbg(c).get("solution"):
                c.source = "<script>alert(12)</script> My answer <b onmouseover=alert(13)>here</b>"
    if how.get("cell"):
        nb.cells.append(nbformat.v4.new_code_cell(_code(how["cell"])))
    return nb


# The attacks target the pipeline (the sandbox, the grader's process, the gradebook, the feedback), which
# is the same code for every problem set; each attack is aimed at the given problem set's own answers.
# They run on problem set 1 (the pipeline's reference: every attack) and on the graded capstone (the
# attacks aimed at its answers and at the grader: ``planned_attacks``); problem sets 2 and 3 get the rest
# of the grading suite (tests/test_grading.py: full marks,
# blank zero, every misconception, nothing leaked in release, feedback or the student edition), which
# keeps the whole suite inside CI's time limit on two cores.
HOSTILE_SETS = [name for name in PROBLEM_SETS if name in ("ps1", "capstone")]


@pytest.fixture(scope="module", params=HOSTILE_SETS)
def hostile(request, tmp_path_factory):
    sandbox_or_skip()
    name = request.param
    ps = problem_set(name)
    tmp = tmp_path_factory.mktemp(f"hostile-{name}")
    root = grade.prepare_root(tmp / "course")
    grade.generate(root, name)
    sol = grade.solution_answers(root, name)
    subs = tmp / "subs"
    plan = {**planned_attacks(ps, name), **fair(ps)}
    for sid in ("s1", "s2", "zz9"):  # honest controls, graded before and after the others
        write(subs, sid, grade.make_submission(root, sid, sol, name), name)
    for sid, how in plan.items():
        write(subs, sid, _submission(root, name, sid, sol, how, ps), name)
    # folders that must be refused and reported, each holding the solution
    good = grade.make_submission(root, "s1", sol, name)
    for odd in (".hidden", "s[12]", "*", "a b", "-rf", "=cmd", "学生", "x" * 70):
        write(subs, odd, good, name)
    (subs / "notes.txt").write_text("not a student")
    (subs / "link").symlink_to(subs / "s1", target_is_directory=True)
    (subs / "empty").mkdir()
    canary = tmp / "canary.txt"
    canary.write_text("canary")
    venv = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv"))
    watched = {"repo-course": (ROOT / "course", ("__pycache__",), True),
               "repo-datasets": (ROOT / "datasets", (), True),
               "repo-exercises": (EXERCISES, ("release", "submitted", "autograded", "feedback", "gradebook.db",
                                              "grading_", "autograde.log", "__pycache__", "nqpf_grading/__pycache__",
                                              "problemsets/__pycache__"), True),
               "venv": (venv, (), False),
               "submissions": (subs, (), True),
               "canary": (tmp, ("course", "subs", "grades.csv"), True)}
    before = {k: tree_digest(p, skip, content) for k, (p, skip, content) in watched.items()}
    my_procs = {p.pid for p in psutil.process_iter()}
    grade.autograde(root, subs, name, timeout=TIMEOUT, per_notebook=BUDGET, jobs=3)
    after = {k: tree_digest(p, skip, content) for k, (p, skip, content) in watched.items()}
    left = _leftovers(my_procs)
    # Processes get SIGKILL when their sandbox ends; the kernel may take a while to reap them on a busy
    # machine (CI once saw three sandboxes' bwrap still exiting after 5 s). A process the attacks leave
    # behind sleeps for 600 s, so a grace of 30 s cannot hide one.
    deadline = time.monotonic() + 30
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = _leftovers(my_procs)
    csv_path = tmp / "grades.csv"
    assert grade.main(["--root", str(root), "--assignment", name, "export", str(csv_path)]) == 0
    assert grade.main(["--root", str(root), "--assignment", name, "feedback"]) == 0
    import csv

    with open(csv_path, newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    return dict(name=name, ps=ps, root=root, plan=plan, rows=rows, before=before, after=after, left=left,
                subs=subs, canary=canary)


def _tags(page: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

        handle_startendtag = handle_starttag

    Parser().feed(page)
    return found


def _leftovers(before: set[int]) -> list:
    # a warm-kernel zygote is this process's child while it lives; another test worker's grading runs its own
    # zygotes at the same time, which are not this run's leftovers (a warm kernel runs as a sandbox user:
    # test_no_process_left_behind looks for those)
    mine = {c.pid for c in psutil.Process().children(recursive=True)}
    out = []
    for p in psutil.process_iter(["pid", "cmdline", "uids", "status"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if p.pid in before or p.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        if (MARK in cmd or ("ipykernel_launcher" in cmd and "/run/kernel/" in cmd)
                or ("nqpf_grading/warm.py" in cmd and p.pid in mine)):
            out.append(p)
    return out


def _output(h, sid, marker) -> str:
    return printed_line(h["root"], h["name"], sid, marker)


def _copy_fails(q, sid: str, other: str) -> bool:
    """Is the right answer for ``other``'s variant refused for ``sid``'s? Other variants usually have other
    answers, but not always: a rank or a choice among a few options can be the same. A function question
    is called on the collecting student's inputs, so a correct function passes whatever id it was written
    under: only stored values can fail."""
    if q.kind == "function":
        return False
    mine, theirs = q.expected(q.params(sid)), q.expected(q.params(other))
    if q.kind == "number":
        return any(abs(a - b) > q.tol + q.rtol * abs(a) for a, b in zip(mine, theirs))
    return mine != theirs


def test_every_hostile_notebook_gets_the_right_score_or_zero_with_a_flag(hostile):
    ps, rows, full = hostile["ps"], hostile["rows"], full_marks(hostile["ps"])
    for sid in ("s1", "s2", "zz9"):
        assert scores(rows[sid], ps) == full, sid
    for sid, how in planned_attacks(ps, hostile["name"]).items():
        row = rows[sid]
        if "student_id" in how:  # answers computed for s1's variant, graded for the collecting student's
            differ = {q.name for q in ps.autograded if _copy_fails(q, sid, how["student_id"])}
            assert differ or not any(q.draws for q in ps.autograded), "the forged id must give other variants"
            expect = {q: (0.0 if q in differ else p) for q, p in full.items()}
        elif how.get("slow"):
            got = scores(row, ps)
            assert 0 < sum(got.values()) < sum(full.values()), (sid, got)  # answers before the budget ran out count
            expect = got
        else:
            expect = {q: (0.0 if q in how.get("zero", ()) else p) for q, p in full.items()}
        assert scores(row, ps) == expect, (sid, row["flags"])
        for f in how.get("flags", []):
            assert f in row["flags"], (sid, f, row["flags"])
        if how.get("no_flags"):  # printed text never becomes a flag
            written = [q.name for q in ps.questions.values() if q.kind == "written"]
            assert row["flags"] == ("to grade by hand: " + ", ".join(written) if written else ""), row["flags"]
        if expect and not any(expect.values()) and not how.get("flags") and sid not in ("h05forge",):
            pytest.fail(f"{sid}: zero without a flag")


def test_fair_to_honest_students(hostile):
    # warnings on stderr, answers after their self-checks, files written in the working folder
    ps, rows = hostile["ps"], hostile["rows"]
    for sid in fair(ps):
        assert scores(rows[sid], ps) == full_marks(ps), (sid, rows[sid]["flags"])


def test_nothing_outside_the_sandboxes_changed(hostile):
    for key in hostile["before"]:
        assert hostile["before"][key] == hostile["after"][key], key
    assert hostile["canary"].read_text() == "canary"
    # reading: no instructor file, gradebook, notebook or other submission is even visible
    assert json.loads(_output(hostile, "h01read", "FOUND:")) == []
    tamper = json.loads(_output(hostile, "h08tamper", "TAMPER:"))
    assert not any(v == "TAMPERED" for v in tamper.values()), tamper
    assert not any(isinstance(v, list) and v for v in tamper.values()), tamper


@pytest.mark.parametrize("hostile", [PIPELINE_REFERENCE], indirect=True)
def test_writes_from_inside_the_sandbox_do_not_land(hostile):
    writes = json.loads(_output(hostile, "h07write", "WRITES:"))
    scratch = ("/tmp/", "/dev/shm/", "/home/student/")  # the sandbox's own size-limited file systems
    for target, result in writes.items():
        if target in ("/tmp/inside.txt", "/home/student/inside.txt", "inside.txt", "/dev/shm/inside"):
            assert result == "WRITTEN", target  # the sandbox's own scratch space works
        elif "/run/kernel" in target and os.geteuid() != 0:
            continue  # as an ordinary user the connection folder stays writable (see sandbox.py)
        elif not target.startswith(scratch):  # (a checkout under /tmp is seen inside the sandbox's /tmp)
            assert result != "WRITTEN", (target, result)
        host = Path(target)
        try:
            landed = host.is_absolute() and host.is_file() and "pwned" in host.read_text(errors="replace")
        except OSError:  # not even readable by the user running the tests
            landed = False
        assert not landed, target  # nothing landed on the host


def test_the_gradebook_holds_only_the_graders_scores(hostile):
    import sqlite3

    db = sqlite3.connect(hostile["root"] / "gradebook.db")
    assert db.execute("select count(*) from grade where manual_score is not null").fetchone()[0] == 0


def test_no_process_left_behind(hostile):
    assert hostile["left"] == [], [(p.pid, p.info["cmdline"]) for p in hostile["left"]]
    if os.geteuid() == 0:  # no process of a sandbox user is left (another worker's grading aside)
        left = sandbox_processes_left()
        assert left == [], [(p.pid, p.info["cmdline"]) for p in left]


@pytest.mark.skipif(os.geteuid() != 0, reason="sandbox users exist only when grading as root")
def test_a_sandbox_process_left_behind_is_found_and_another_workers_is_not():
    """What test_no_process_left_behind counts: a process of a sandbox user that descends from this
    worker is left behind; one under another test worker is that worker's grading."""
    import subprocess
    import sys

    uid = sandbox.SANDBOX_UID + 15
    sleep = f"import os, time; os.setgid({uid}); os.setuid({uid}); time.sleep(60)"
    # a "worker" (an ordinary child of this process) that runs a sandboxed process of its own
    worker = subprocess.Popen([sys.executable, "-c",
                               f"import subprocess, sys; subprocess.run([sys.executable, '-c', {sleep!r}])"])
    mine = subprocess.Popen([sys.executable, "-c", sleep])   # one of this worker's own
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = [p for p in sandbox_processes_left(others=set()) if p.info["uids"].real == uid]
            if len(found) == 2:
                break
            time.sleep(0.1)
        assert len(found) == 2                                      # both count without other workers
        seen = [p for p in sandbox_processes_left(others={worker.pid}) if p.info["uids"].real == uid]
        assert [p.pid for p in seen] == [mine.pid]                  # the other worker's is its business
    finally:
        procs = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
        for p in procs:
            p.kill()
        for p in (mine, worker):
            p.kill()
            p.wait()
        psutil.wait_procs(procs, timeout=10)


@pytest.mark.parametrize("hostile", [PIPELINE_REFERENCE], indirect=True)
def test_sandbox_limits_hold(hostile):
    n = int(_output(hostile, "h16forkbomb", "FORK STOPPED:").split()[-1])
    assert n < sandbox.DEFAULT_LIMITS["nproc"]
    assert _output(hostile, "h17memory", "MEMORY:") == "MemoryError"
    nb = nbformat.read(hostile["root"] / "autograded" / "h18network" / hostile["name"] / f"{hostile['name']}.ipynb",
                       as_version=4)
    net = [ln for c in nb.cells for ln in stream_text(c).splitlines() if ln.startswith("NETWORK:")]
    assert len(net) == 3 and not any("CONNECTED" in ln for ln in net), net
    _output(hostile, "h09detach", "DETACHED")  # the detached processes were started (and are gone: see above)


def test_every_entry_is_accounted_for(hostile):
    rows = hostile["rows"]
    refused = {k: r for k, r in rows.items() if k.startswith("(refused)")}
    # dot, glob, space, dash, formula, non-ASCII and overlong names, a file and a link: each one row
    assert len(refused) == 10, sorted(refused)
    for r in refused.values():
        assert r["flags"].startswith("not graded: refused"), r
        assert r["total"] == "" and r["student_id"].startswith("(refused) ")
    assert "not graded: no" in rows["empty"]["flags"]
    graded = [k for k in rows if not k.startswith("(refused)") and k != "empty"]
    assert sorted(graded) == sorted(["s1", "s2", "zz9", *hostile["plan"]])
    for sid in graded:
        assert rows[sid]["autograded"] != "", sid  # graded, even after a kernel death or a spent budget
    # the glob-like folder "s[12]" did not touch s1 and s2 (they were graded once, from their own folders)
    manifest = json.loads((hostile["root"] / grade.MANIFEST_FILE).read_text())[hostile["name"]]
    assert manifest["s1"]["folder"] == "s1" and manifest["s2"]["folder"] == "s2"
    if grade.warm_kernels():  # as root, the attacks above ran in warm kernels (nqpf_grading/warm.py)
        assert all(manifest[s]["warm_kernel"] for s in ("s1", "s2", "zz9")), manifest


def test_feedback_and_graded_notebooks_cannot_run_code(hostile):
    name = hostile["name"]
    page = (hostile["root"] / "feedback" / "h14html" / name / f"{name}.html").read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tags = _tags(page)  # every element and attribute the browser would build
    assert tags and not {t for t, _a in tags} & {"script", "iframe", "object", "embed", "frame", "base", "form"}
    for tag, attrs in tags:
        for key, value in attrs:
            assert not key.startswith("on"), (tag, key, value)  # no event handler
            if key in ("href", "src", "action", "formaction", "xlink:href"):
                assert not (value or "").strip().lower().startswith(("javascript:", "vbscript:", "data:text")), (tag, key)
    assert "alert(12)" in page  # the student's markdown is there, as text
    graded = nbformat.read(hostile["root"] / "autograded" / "h14html" / name / f"{name}.ipynb", as_version=4)
    mimes = {m for c in graded.cells for o in c.get("outputs", []) for m in o.get("data", {})}
    assert mimes <= {"text/plain", "image/png", "image/jpeg"}, mimes
    big = hostile["root"] / "feedback" / "h15bigline" / name / f"{name}.html"
    assert big.stat().st_size < 1_000_000
    assert (hostile["root"] / "autograded" / "h15bigline" / name / f"{name}.ipynb").stat().st_size < 1_000_000
