"""Warm kernels (exercises/nqpf_grading/warm.py): a kernel forked from a preloaded zygote must be in the
same sandbox as a cold one, must not see what the student graded before it left behind, and grading must
fall back to a cold kernel whenever the zygote cannot give one.

The reference is the cold kernel itself (bubblewrap + prlimit + setpriv, ``NQPF_WARM_KERNELS=0``): the
same probe runs in both, and what it reports about its sandbox must agree.
"""

from __future__ import annotations

import json
import os
import textwrap

import nbformat
import pytest

from grading_helpers import grade, printed_line, sandbox, sandbox_or_skip, sandbox_processes_left, write

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="warm kernels are made only when grading as root")

PLANT = """
import os, subprocess, sys, json
import pandas, course
for path in ("/tmp/planted", os.path.expanduser("~/planted"), "/dev/shm/planted", "planted"):
    with open(path, "w") as fh:
        fh.write("from the student before")
pandas.PLANTED = course.PLANTED = True
pandas.DataFrame.sum = lambda *a, **k: "PLANTED"
os.environ["PLANTED"] = "1"
subprocess.Popen(["sleep", "600"], start_new_session=True)
found = []
skip = ("/proc", "/sys", "/usr", "/dev", sys.base_prefix, sys.prefix)
for top in ("/", "/tmp", "/run"):
    for dirpath, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if os.path.join(dirpath, d) not in skip]
        found += [os.path.join(dirpath, f) for f in dirs + files if "zygote" in f or "nqpf-grade" in f]
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\\0", b" ").decode()
    except OSError:
        continue
    # A warm kernel's command line is its zygote's, `python .../nqpf_grading/warm.py` (Linux lets no process
    # rewrite it here); it must name nothing of the run. (bubblewrap's own names the run folder, for a cold
    # kernel as well.)
    if "zygote" in cmd or "policy.json" in cmd or ("warm.py" in cmd and cmd.split()[1:] != [cmd.split()[1]]):
        found.append(cmd)
with open("/proc/self/environ", "rb") as fh:
    found += [v.decode() for v in fh.read().split(b"\\0") if b"nqpf-grade" in v or b"zygote" in v]
print("GRADER SEEN:", json.dumps(found))
"""

PROBE = """
import os, sys, json, resource, socket
import pandas, course
with open("/proc/self/status") as fh:
    status = dict(line.split(":", 1) for line in fh if ":" in line)
others = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            others.append(os.path.basename(fh.read().split(b"\\0")[0].decode()))
    except OSError:
        pass
facts = {
    "ids": [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), os.getgroups()],
    "caps": {k: status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")},
    "no_new_privs": status["NoNewPrivs"].strip(),
    "seccomp": status["Seccomp"].strip(),
    "session_leader": os.getsid(0) == os.getpid(),
    "hostname": socket.gethostname(),
    "interfaces": sorted(name for _, name in socket.if_nameindex()),
    "mounts": sorted(line.split()[4] for line in open("/proc/self/mountinfo")),
    "root": sorted(os.listdir("/")),
    "cwd": os.getcwd(),
    "here": sorted(os.listdir(".")),
    "tmp": sorted(os.listdir("/tmp")) + sorted(os.listdir("/dev/shm")),
    "limits": {n: resource.getrlimit(getattr(resource, n)) for n in
               ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CORE")},
    "env": {k: v for k, v in os.environ.items() if k not in ("JPY_PARENT_PID", "JPY_SESSION_NAME")},
    "path": sys.path,
    "debugger": "debugpy" in sys.modules,
}
leaks = {
    "files": [p for p in ("/tmp/planted", os.path.expanduser("~/planted"), "/dev/shm/planted", "planted")
              if os.path.exists(p)],
    "modules": [hasattr(pandas, "PLANTED"), hasattr(course, "PLANTED"), str(pandas.DataFrame({"x": [1, 2]}).sum()["x"])],
    "env": "PLANTED" in os.environ,
    "sleepers": others.count("sleep"),
}
print("FACTS:", json.dumps(facts))
print("LEAKS:", json.dumps(leaks))
print("OTHERS:", json.dumps(sorted(others)))
"""


def _with(root, sid, sol, cell):
    nb = grade.make_submission(root, sid, sol)
    nb.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(cell)))
    return nb


def _printed(root, sid, marker):
    return json.loads(printed_line(root, "ps1", sid, marker))


def _grade(tmp, label, plan, monkeypatch=None):
    root = grade.prepare_root(tmp / label / "course")
    grade.generate(root)
    sol = grade.solution_answers(root)
    subs = tmp / label / "subs"
    for sid, cell in plan.items():
        write(subs, sid, _with(root, sid, sol, cell) if cell else grade.make_submission(root, sid, sol), "ps1")
    grade.autograde(root, subs, timeout=60, jobs=1)
    rows = {r["student_id"]: r for r in grade.grade_table(root)}
    manifest = json.loads((root / grade.MANIFEST_FILE).read_text())["ps1"]
    return root, rows, manifest


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    sandbox_or_skip()
    tmp = tmp_path_factory.mktemp("warm")
    full = sum(q.points for q in grade.spec.load("ps1").autograded)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NQPF_WARM_KERNELS", raising=False)
        warm = _grade(tmp, "warm", {"a1plant": PLANT, "b2probe": PROBE, "c3probe": PROBE})
        mp.setenv("NQPF_WARM_KERNELS", "0")
        cold = _grade(tmp, "cold", {"b2probe": PROBE})
        mp.delenv("NQPF_WARM_KERNELS")
        refusing = tmp / "refusing_zygote.py"
        refusing.write_text(textwrap.dedent("""
            import json, socket, sys
            sock = json.loads(sys.stdin.read())["socket"]
            s = socket.socket(socket.AF_UNIX)
            s.bind(sock)
            s.listen(4)
            while True:
                c, _ = s.accept()
                c.makefile().readline()
                c.sendall(b'{"error": "refused by the test"}\\n')
                c.close()
        """))
        mp.setattr(grade, "ZYGOTE", refusing)
        fallback = _grade(tmp, "fallback", {"d4": None})
    return dict(warm=warm, cold=cold, fallback=fallback, full=full)


def test_the_kernels_were_warm_and_graded_right(runs):
    root, rows, manifest = runs["warm"]
    assert all(manifest[s]["warm_kernel"] for s in ("a1plant", "b2probe", "c3probe")), manifest
    assert all(float(rows[s]["autograded"]) == runs["full"] for s in ("a1plant", "b2probe", "c3probe")), rows
    assert not runs["cold"][2]["b2probe"]["warm_kernel"]


def test_a_warm_kernel_is_in_the_same_sandbox_as_a_cold_one(runs):
    warm = _printed(runs["warm"][0], "b2probe", "FACTS:")
    cold = _printed(runs["cold"][0], "b2probe", "FACTS:")
    assert warm == cold
    # and that sandbox is the one sandbox.py describes
    assert warm["ids"][:4] == [sandbox.SANDBOX_UID] * 4 and warm["ids"][4] == []
    assert set(warm["caps"].values()) == {"0000000000000000"} and warm["no_new_privs"] == "1"
    assert warm["interfaces"] == ["lo"] and warm["hostname"] == "sandbox"
    # the only other processes it sees are bubblewrap's PID 1 and the sandbox's holder
    assert _printed(runs["warm"][0], "b2probe", "OTHERS:").count("sleep") == 1


def test_nothing_passes_from_one_student_to_the_next(runs):
    for sid in ("b2probe", "c3probe"):
        leaks = _printed(runs["warm"][0], sid, "LEAKS:")
        assert leaks == {"files": [], "modules": [False, False, "3"], "env": False, "sleepers": 1}, (sid, leaks)


def test_the_grader_is_not_visible_from_a_warm_kernel(runs):
    assert _printed(runs["warm"][0], "a1plant", "GRADER SEEN:") == []


def test_a_refused_warm_start_falls_back_to_a_cold_kernel(runs):
    root, rows, manifest = runs["fallback"]
    assert manifest["d4"]["status"] == "graded" and not manifest["d4"]["warm_kernel"]
    assert float(rows["d4"]["autograded"]) == runs["full"]


def test_no_warm_kernel_or_zygote_is_left(runs):
    """No zygote of these gradings is still running (they are this process's children; another test
    worker's grading may run zygotes of its own meanwhile), and no process of a sandbox user is left
    (grading_helpers.sandbox_processes_left: another worker's sandboxed kernels aside)."""
    import psutil

    zygotes = [p.pid for p in psutil.Process().children(recursive=True)
               if any("warm.py" in a or "refusing_zygote" in a for a in p.cmdline())]
    kernels = [p.info for p in sandbox_processes_left()]
    assert zygotes == [] and kernels == []
