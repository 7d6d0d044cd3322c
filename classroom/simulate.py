"""A simulated class on a real JupyterHub: N students, problem set 1, graded end to end.

    make classroom N=50                       # = .venv/bin/python classroom/simulate.py --students 50
    .venv/bin/python classroom/simulate.py --students 5 --json out.json

What it does, in order (each phase is timed):

1. creates a class folder and, when run as root, one Unix user per student plus an instructor, all
   named with a fresh random prefix (homes 0700); without root it says so and every student shares
   this account (the isolation checks are then skipped). A checkout that other users cannot read
   (a clone in a 0700 folder) is mirrored into the class folder first;
2. starts JupyterHub with ``classroom/jupyterhub_config.py`` on loopback ports (dummy authenticator,
   demo only) and starts every student's server through the hub's REST API;
3. the instructor releases problem set 1 (``classroom.py release``: grade.py generate + nbgrader);
4. every student, through the proxy with a token of their own: fetches the problem set, writes
   answers decided in advance (right, wrong, blank, broken, over time), runs every cell in their own
   kernel over the websocket, saves and submits; one student submits twice. A request whose
   connection drops before an answer (a reset on a busy server) is sent once more, as a student
   clicks again, and listed in the report; a second drop is a client error;
5. from inside students' kernels: tries to read another student's home, submission and server
   token, the instructor's source and gradebook, the hub database; submits under another
   student's id; plants a symlink submission (all must fail or be refused);
6. the instructor collects (``classroom.py collect``), then grades with the unchanged
   ``exercises/grade.py`` (autograde, feedback, export); feedback goes back through the exchange and
   each student fetches their own. A grading kernel that dies at start on a busy machine (a port
   race in jupyter_client) leaves its submission flagged "autograde failed": autograde then runs once
   more, as an instructor would, and the retry is reported;
7. asserts: every submission arrived, every autograded score equals the one the plan earns (worked
   out from the plan and the points of the release, not from the grader), every student's token
   opens their own server (200) and no other (403), every isolation check held;
8. prints a table of phase timings, memory per student server, CPU and peak load, then stops the
   hub, ends every process of the class's users and removes the users and the class folder.

Exit status 0 only if every assertion held.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import requests
import websocket

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import classroom  # noqa: E402  (classroom/classroom.py)

ASSIGNMENT = "ps1"
COURSE_ID = classroom.COURSE_ID
KINDS = ("right", "wrong", "blank", "broken", "overtime")
CELL_TIMEOUT = 10          # grade.py autograde --timeout: seconds per cell
STUDENT_PATIENCE = 2.0     # a simulated student stops the endless loop after this many seconds
ENDLESS_MARK = "# never finishes"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------
# The plan: what every student answers, decided before anything runs
# ---------------------------------------------------------------------------------------------

def questions_of(release_nb) -> list[dict]:
    """Autograded questions of the release: name, points, answer cell id, kind (number/function)."""
    out = []
    for cell in release_nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        gid = meta.get("grade_id", "")
        if meta.get("grade") and not meta.get("solution") and gid.endswith("_test"):
            name = gid[: -len("_test")]
            out.append({"name": name, "points": float(meta["points"]),
                        "answer_id": name.split("_")[0] + "_answer"})
    if not out:
        raise RuntimeError("no autograded test cells found in the release notebook")
    return out


def solution_code(source_nb) -> dict[str, str]:
    """grade_id -> the answer cell of the instructor source with the solution markers removed."""
    out = {}
    for cell in source_nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        if cell.cell_type == "code" and meta.get("solution") and meta.get("grade_id"):
            out[meta["grade_id"]] = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", "", cell.source, flags=re.M)
    return out


def make_plan(students: list[str], questions: list[dict], seed: int) -> dict[str, dict]:
    """student -> {"kinds": {question: kind}, "untouched": bool, "resubmit": bool}.

    Student 0 answers everything right, student 1 hands in the untouched notebook, student 2 cycles
    through wrong/broken/blank/right, one in twelve runs an endless loop in one answer, one in ten
    submits a blank version first and the real one later; the rest draw at random (seeded).
    """
    rng = random.Random(seed)
    plan = {}
    for i, s in enumerate(students):
        if i == 0:
            kinds = {q["name"]: "right" for q in questions}
        elif i == 2:
            cycle = ["wrong", "broken", "blank", "right"]
            kinds = {q["name"]: cycle[j % 4] for j, q in enumerate(questions)}
        else:
            kinds = {q["name"]: rng.choices(["right", "wrong", "blank", "broken"], weights=[6, 2, 1, 1])[0]
                     for q in questions}
        if i % 12 == 3:
            kinds[rng.choice(questions)["name"]] = "overtime"
        plan[s] = {"kinds": kinds, "untouched": i == 1, "resubmit": i % 10 == 4}
    return plan


def expected_score(entry: dict, questions: list[dict]) -> float:
    """What the plan earns: the points of every question answered right (0 for an untouched notebook)."""
    if entry["untouched"]:
        return 0.0
    return sum(q["points"] for q in questions if entry["kinds"][q["name"]] == "right")


def answer_cell(kind: str, question: dict, solution: str, release_source: str) -> str:
    var = question["name"]
    if kind == "right":
        return solution
    if kind == "blank":
        return release_source
    if kind == "wrong":
        if var == "q6_cagr":  # forgot the "- 1"
            return "def q6_cagr(start, end, years):\n    return (end / start) ** (1 / years)\n"
        return solution + f"\n{var} = {var} * 1.5 + 1.0  # a slip after the right computation\n"
    if kind == "broken":
        return solution.split("\n")[0] + f"\n{var} = float(undefined_name)  # NameError\n"
    if kind == "overtime":
        return f"import time\nwhile True:  {ENDLESS_MARK}\n    time.sleep(0.1)\n"
    raise ValueError(kind)


def student_notebook(release_nb, sid: str, entry: dict, questions: list[dict], solutions: dict[str, str]):
    nb = nbformat.from_dict(json.loads(json.dumps(release_nb)))
    if entry["untouched"]:
        return nb
    by_answer = {q["answer_id"]: q for q in questions}
    for cell in nb.cells:
        gid = (cell.get("metadata", {}).get("nbgrader", {}) or {}).get("grade_id")
        if gid == "student_id":
            cell.source = f'STUDENT_ID = "{sid}"'
        elif gid in by_answer:
            q = by_answer[gid]
            cell.source = answer_cell(entry["kinds"][q["name"]], q, solutions[gid], cell.source)
    return nb


# ---------------------------------------------------------------------------------------------
# Talking to the hub and to a student's server
# ---------------------------------------------------------------------------------------------

class Hub:
    def __init__(self, url: str, token: str):
        self.url = url.rstrip("/")
        self.s = requests.Session()
        self.s.headers["Authorization"] = f"token {token}"

    def api(self, method: str, path: str, **kw):
        kw.setdefault("timeout", 60)
        return self.s.request(method, f"{self.url}/hub/api{path}", **kw)


class StudentClient:
    """One student, talking to their own server through the proxy with their own token only."""

    def __init__(self, base: str, name: str, token: str, retries: list | None = None):
        self.base, self.name, self.token = base.rstrip("/"), name, token
        self.s = requests.Session()
        self.s.headers["Authorization"] = f"token {token}"
        self.retries = [] if retries is None else retries  # what was sent twice, for the report

    def url(self, path: str, user: str | None = None) -> str:
        return f"{self.base}/user/{user or self.name}{path}"

    def request(self, method: str, url: str, **kw):
        """Send a request; if the connection drops before an answer comes (a reset on a busy
        server), send it once more after a second, as a student clicks again, and note it."""
        try:
            return self.s.request(method, url, **kw)
        except requests.ConnectionError as exc:
            self.retries.append(f"{self.name}: {method} {url.split('/user/', 1)[-1]}: "
                                f"{type(exc).__name__}: {str(exc)[:120]}")
            time.sleep(1.0)
            return self.s.request(method, url, **kw)

    def get(self, path, user=None, **kw):
        return self.request("GET", self.url(path, user), timeout=120, **kw)

    def post(self, path, **kw):
        return self.request("POST", self.url(path), timeout=300, **kw)

    def nbgrader(self, action: str) -> dict:
        sent = len(self.retries)
        r = self.post(f"/assignments/{action}", data={"course_id": COURSE_ID, "assignment_id": ASSIGNMENT})
        r.raise_for_status()
        out = r.json()
        if (not out.get("success") and action == "fetch" and len(self.retries) > sent
                and "already have a copy" in str(out)):
            return out  # the first fetch arrived before its connection dropped
        if not out.get("success"):
            raise RuntimeError(f"{self.name}: nbgrader {action} failed: {str(out)[:400]}")
        return out

    def start_kernel(self) -> str:
        r = self.post("/api/kernels", json={"name": "python3"})
        r.raise_for_status()
        return r.json()["id"]

    def run_cells(self, kernel: str, cells, limit: float = 180) -> list[dict]:
        """Execute code cells one by one over the kernel's websocket; fill in their outputs.

        A student waits for a cell; one that never finishes (the planned endless loop) is stopped
        after STUDENT_PATIENCE seconds with the kernel's interrupt, as a student presses stop.
        Returns one record per cell: status, the error name if any, whether it was interrupted.
        """
        ws_url = self.url(f"/api/kernels/{kernel}/channels").replace("http://", "ws://", 1)
        ws = websocket.create_connection(f"{ws_url}?session_id={uuid.uuid4().hex}",
                                         header=[f"Authorization: token {self.token}"], timeout=60)
        session = uuid.uuid4().hex
        results = []
        try:
            for cell in cells:
                patience = STUDENT_PATIENCE if ENDLESS_MARK in cell.source else limit
                msg_id = uuid.uuid4().hex
                ws.send(json.dumps({
                    "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                               "username": self.name, "version": "5.3"},
                    "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                    "content": {"code": cell.source, "silent": False, "store_history": True,
                                "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}}))
                outputs, status, error, interrupted, idle = [], None, None, False, False
                started = time.monotonic()
                ws.settimeout(0.5)
                while status is None or not idle:
                    waited = time.monotonic() - started
                    if not interrupted and waited > patience:
                        self.post(f"/api/kernels/{kernel}/interrupt").raise_for_status()
                        interrupted = True
                    if waited > limit + 30:
                        raise TimeoutError(f"{self.name}: a cell ran {waited:.0f} s")
                    try:
                        msg = json.loads(ws.recv())
                    except websocket.WebSocketTimeoutException:
                        continue
                    if msg.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    mtype, content = msg["msg_type"], msg["content"]
                    if mtype == "stream":
                        outputs.append(nbformat.v4.new_output("stream", name=content["name"], text=content["text"]))
                    elif mtype == "display_data":
                        outputs.append(nbformat.v4.new_output("display_data", data=content.get("data", {}),
                                                              metadata=content.get("metadata", {})))
                    elif mtype == "execute_result":
                        outputs.append(nbformat.v4.new_output("execute_result", data=content.get("data", {}),
                                                              metadata=content.get("metadata", {}),
                                                              execution_count=content.get("execution_count")))
                    elif mtype == "error":
                        error = content.get("ename")
                        outputs.append(nbformat.v4.new_output("error", ename=content["ename"],
                                                              evalue=content["evalue"],
                                                              traceback=content["traceback"]))
                    elif mtype == "execute_reply":
                        status = content.get("status")
                    elif mtype == "status" and content.get("execution_state") == "idle":
                        idle = True
                cell.outputs = outputs
                results.append({"status": status, "error": error, "interrupted": interrupted})
        finally:
            ws.close()
        return results

    def execute(self, kernel: str, code: str) -> str:
        """Run one piece of code in the kernel and return what it printed."""
        cell = nbformat.v4.new_code_cell(code)
        self.run_cells(kernel, [cell], limit=180)
        return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


# ---------------------------------------------------------------------------------------------
# Measuring: memory per student server, CPU, load
# ---------------------------------------------------------------------------------------------

class Sampler(threading.Thread):
    """Every second: the RSS of each student's server and kernels, the load average, free memory."""

    def __init__(self, students: set[str]):
        super().__init__(daemon=True)
        self.students = students
        self.stop_event = threading.Event()
        self.owner: dict[int, tuple[str, str] | None] = {}  # pid -> (student, "server"|"kernel")
        self.peak_server: dict[str, int] = {}
        self.peak_total: dict[str, int] = {}
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (student, cpu seconds so far)
        self.peak_load = 0.0
        self.min_available = psutil.virtual_memory().available
        self.samples = 0

    def _classify(self, proc: psutil.Process):
        try:
            cmd = " ".join(proc.cmdline())
            if "jupyterhub-singleuser" not in cmd and "ipykernel" not in cmd:
                return None
            user = proc.environ().get("JUPYTERHUB_USER")
        except (psutil.Error, OSError):
            return None
        if user not in self.students:
            return None
        return user, ("server" if "jupyterhub-singleuser" in cmd else "kernel")

    def sample(self):
        server, total = {}, {}
        for proc in psutil.process_iter(["pid"]):
            pid = proc.info["pid"]
            if pid not in self.owner:
                self.owner[pid] = self._classify(proc)
            who = self.owner[pid]
            if who is None:
                continue
            try:
                rss = proc.memory_info().rss
                t = proc.cpu_times()
            except psutil.Error:
                continue
            user, role = who
            total[user] = total.get(user, 0) + rss
            if role == "server":
                server[user] = server.get(user, 0) + rss
            self.cpu[pid] = (user, t.user + t.system)
        for u, v in server.items():
            self.peak_server[u] = max(self.peak_server.get(u, 0), v)
        for u, v in total.items():
            self.peak_total[u] = max(self.peak_total.get(u, 0), v)
        self.peak_load = max(self.peak_load, os.getloadavg()[0])
        self.min_available = min(self.min_available, psutil.virtual_memory().available)
        self.samples += 1

    def cpu_by_student(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for user, secs in self.cpu.values():
            out[user] = out.get(user, 0.0) + secs
        return out

    def run(self):
        while not self.stop_event.wait(1.0):
            self.sample()


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------

def _everyone_can_read(path: Path) -> bool:
    """Every user may traverse the parents of ``path`` and list/read ``path`` itself."""
    path = Path(path).resolve()
    if not os.stat(path).st_mode & 0o005 == 0o005:
        return False
    return all(os.stat(p).st_mode & 0o001 for p in path.parents)


def checkout_for_everyone(class_dir: Path) -> Path:
    """The checkout the class runs from: this one if every user can read it, else a mirror.

    A clone in a private folder (``mktemp -d`` makes 0700 folders) cannot serve students. The
    mirror in the class folder has the tracked files without ``exercises/source`` (the instructor's
    course folder gets its own copy) and the ``.venv`` as hard links (a copy across file systems).
    """
    readable = all(_everyone_can_read(p) for p in (REPO, REPO / ".venv", REPO / "course", REPO / "datasets"))
    if readable and not os.environ.get("NQPF_FORCE_MIRROR"):  # the variable: to test the mirror
        return REPO
    mirror = class_dir / "checkout"
    skip = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache"}
    shutil.copytree(REPO, mirror, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n in skip
                                             or (Path(d) == REPO / "exercises" and n == "source")])
    linked = subprocess.run(["cp", "-al", str(REPO / ".venv"), str(mirror / ".venv")], capture_output=True)
    if linked.returncode != 0:
        shutil.rmtree(mirror / ".venv", ignore_errors=True)
        shutil.copytree(REPO / ".venv", mirror / ".venv", symlinks=True)
    (mirror / "classroom" / "node_modules").symlink_to(REPO / "classroom" / "node_modules")  # used by root only
    for folder, dirs, files in os.walk(mirror):
        if ".venv" in Path(folder).parts:
            continue
        for n in dirs + files:
            p = Path(folder) / n
            if not p.is_symlink():
                os.chmod(p, p.stat().st_mode | (0o555 if p.is_dir() else 0o444))
    os.chmod(mirror, 0o755)
    why = "NQPF_FORCE_MIRROR is set" if readable else "it is not readable by every user"
    log(f"the class runs from a mirror of the checkout {REPO} in {mirror}: {why}")
    return mirror


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_user(name: str | None, cmd: list[str], *, cwd: Path, env_extra: dict | None = None,
            timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run a command as Unix user ``name`` (root only; None: as ourselves), with its HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "NQPF_"))}
    kw = {}
    if name is not None:
        pw = pwd.getpwnam(name)
        env.update(HOME=pw.pw_dir, USER=name, LOGNAME=name)
        kw = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": [], "umask": 0o077}
    env.update(env_extra or {})
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, **kw)


# Runs in a student's own kernel: every attempt should fail. Prints one JSON line.
PROBE = r'''
import json, os, glob, subprocess, sys
T = json.loads(__TARGETS__)
def attempt(fn):
    try:
        out = fn()
        return "ALLOWED: " + repr(out)[:120]
    except OSError as e:
        return "denied (" + type(e).__name__ + ")"
def read(p):
    with open(p, "rb") as fh:
        return len(fh.read())
def write(p):
    with open(p, "w") as fh:
        fh.write("tampered")
    return p
r = {}
r["list another student's home"] = attempt(lambda: os.listdir(T["victim_home"]))
r["read another student's notebook"] = attempt(lambda: read(T["victim_notebook"]))
r["list the exchange inbound folder"] = attempt(lambda: os.listdir(T["inbound"]))
r["find another student's submission by pattern"] = ("denied (nothing found)" if not glob.glob(os.path.join(T["inbound"], T["victim"] + "+*"))
                                                      else "ALLOWED: " + str(glob.glob(os.path.join(T["inbound"], T["victim"] + "+*"))))
r["read another student's server token (/proc)"] = attempt(lambda: read("/proc/%d/environ" % T["victim_server_pid"]))
r["read the instructor's source (solutions, hidden tests)"] = attempt(lambda: read(T["instructor_source"]))
r["list the instructor's course folder"] = attempt(lambda: os.listdir(T["course_dir"]))
r["read the gradebook"] = attempt(lambda: read(T["gradebook"]))
r["write the gradebook"] = attempt(lambda: write(T["gradebook"]))
r["read the hub database"] = attempt(lambda: read(T["hub_db"]))
r["change the released problem set"] = attempt(lambda: write(T["release_nb"]))
r["rename the course's exchange folder (to put my own in its place)"] = attempt(
    lambda: os.rename(os.path.join(T["exchange"], T["course_id"]), os.path.join(T["exchange"], "moved")))
r["rename another student's submission (knowing its exact name)"] = attempt(
    lambda: os.rename(T["victim_submission"], T["victim_submission"] + "-gone"))
# the victim's submission by its exact name (nbgrader leaves it world-readable, relying on a
# random name nobody else can list): recorded as information, not as a check
r["(info) read another student's submission knowing its exact random name"] = attempt(
    lambda: read(os.path.join(T["victim_submission"], T["assignment"] + ".ipynb")))
# forgery 1: submit my notebook under the victim's id
p = subprocess.run([sys.executable, "-m", "nbgrader", "submit", T["assignment"],
                    "--CourseDirectory.student_id=" + T["victim"]], capture_output=True, text=True, cwd=os.path.expanduser("~"))
r["submit under another student's id (nbgrader submit)"] = ("written to inbound (exit %d); judged at collect" % p.returncode)
# forgery 2: a submission of my own that links to the instructor's source
import datetime
ts = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
trap = os.path.join(T["inbound"], "%s+%s+%s+%s" % (T["me"], T["assignment"], ts, "trap"))
def plant():
    os.mkdir(trap)
    os.symlink(T["instructor_source"], os.path.join(trap, T["assignment"] + ".ipynb"))
    with open(os.path.join(trap, "timestamp.txt"), "w") as fh:
        fh.write(ts)
    return trap
r["plant a symlink to the instructor's source as my submission"] = attempt(plant).replace("ALLOWED", "written to inbound; judged at collect")
print("PROBE" + json.dumps(r))
'''


def run(n_students: int, threads: int, seed: int, keep: bool = False) -> dict:
    t_all = time.perf_counter()
    phases: list[tuple[str, float, str]] = []
    failures: list[str] = []
    root = classroom.is_root()
    prefix = "nq" + secrets.token_hex(3)
    instructor = f"{prefix}ins"
    students = [f"{prefix}s{i:03d}" for i in range(n_students)]
    class_dir = Path(tempfile.mkdtemp(prefix="nqpf-class-"))
    os.chmod(class_dir, 0o755)
    homes = class_dir / "home"
    homes.mkdir()
    os.chmod(homes, 0o755)
    created: list[str] = []
    hub_proc = None
    sampler = Sampler(set(students))
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    log(f"class of {n_students}, prefix {prefix!r}, folder {class_dir}; machine: {uptime_before}")
    if not root:
        log("NOT ROOT: every student shares this Unix account, so the isolation checks are SKIPPED; "
            "run as root (CI does) for one Unix user per student")

    autograde_failures: list[str] = []
    summary: dict = {"students": n_students, "root": root, "prefix": prefix, "uptime_before": uptime_before,
                     "phases": [], "failures": failures}

    def phase(name: str, t0: float, note: str = "") -> None:
        dt = time.perf_counter() - t0
        phases.append((name, dt, note))
        log(f"{name}: {dt:.1f} s {note}")

    try:
        # -- 1. users and class folder --------------------------------------------------------
        t0 = time.perf_counter()
        font_cache = _font_cache()
        if root:
            for name in [instructor, *students]:
                classroom.create_unix_user(name, homes / name)
                created.append(name)
                _seed_font_cache(name, font_cache)
        else:
            for name in [instructor, *students]:
                (homes / name).mkdir(mode=0o700)
            (class_dir / "shared_account").write_text("students share one Unix account (not root)\n")
        src = checkout_for_everyone(class_dir) if root else REPO
        classroom.init_class_dir(class_dir, instructor if root else pwd.getpwuid(os.getuid()).pw_name,
                                 venv=src / ".venv", extra_path=None if src == REPO else src)
        cpy = str(classroom.class_python(class_dir))  # the interpreter every class user may run
        cli = str(src / "classroom" / "classroom.py")
        instr_home = homes / instructor
        course_dir = instr_home / COURSE_ID
        # the instructor's private course folder holds its own copy of the source (classroom/README.md)
        shutil.copytree(REPO / "exercises" / "source", course_dir / "source")
        os.chmod(course_dir, 0o700)
        if root:
            pw_i = pwd.getpwnam(instructor)
            for folder, dirs, files in os.walk(course_dir):
                for n in [folder, *[os.path.join(folder, x) for x in dirs + files]]:
                    os.chown(n, pw_i.pw_uid, pw_i.pw_gid)
        (class_dir / "allowed_users.txt").write_text("".join(s + "\n" for s in students))
        phase("create users and class folder", t0, f"({len(created)} Unix users)" if root else "(not root: none)")

        # -- 2. hub and servers ---------------------------------------------------------------
        t0 = time.perf_counter()
        port, hub_port, api_port = free_port(), free_port(), free_port()
        token = secrets.token_hex(32)
        cmd, env = classroom.hub_command(class_dir, here=src / "classroom")
        env.update(NQPF_BIND_URL=f"http://127.0.0.1:{port}", NQPF_HUB_PORT=str(hub_port),
                   NQPF_PROXY_API_PORT=str(api_port), NQPF_AUTH="dummy", NQPF_SERVICE_TOKEN=token,
                   NQPF_INSTRUCTORS=instructor)
        hub_log = open(class_dir / "hub" / "hub.log", "w")
        hub_proc = subprocess.Popen(cmd, env=env, cwd=class_dir / "hub", stdout=hub_log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        hub = Hub(base, token)
        _wait(lambda: _ok(hub, "/"), 60, "the hub did not answer", hub_proc)
        phase("hub start", t0)
        sampler.start()

        t0 = time.perf_counter()
        r = hub.api("POST", "/users", json={"usernames": students})  # 409: the allowed list made them
        if r.status_code not in (201, 409):
            raise RuntimeError(f"creating hub users: HTTP {r.status_code} {r.text[:300]}")
        for s in students:
            r = hub.api("POST", f"/users/{s}/server")
            if r.status_code not in (201, 202):
                raise RuntimeError(f"starting {s}'s server: HTTP {r.status_code} {r.text[:300]}")
        ready: set[str] = set()

        def all_ready():
            users = hub.api("GET", "/users", params={"state": "", "limit": 1000}).json()
            gone = []
            for u in users:
                srv = (u.get("servers") or {}).get("")
                if srv and srv.get("ready"):
                    ready.add(u["name"])
                elif u["name"] in students and not srv:
                    gone.append(u["name"])
            if gone:  # a spawn that failed leaves no server behind
                tail = (class_dir / "hub" / "hub.log").read_text().splitlines()
                errors = [ln for ln in tail if "[E " in ln][-3:]
                raise RuntimeError(f"{len(gone)} servers failed to start, e.g. {gone[0]}: " + " | ".join(errors))
            return ready >= set(students)
        _wait(all_ready, 600, "not every server became ready", hub_proc, every=1.0)
        sampler.sample()
        spawn_cpu = sampler.cpu_by_student()
        phase(f"start {n_students} student servers (all ready)", t0)

        # -- 3. release -----------------------------------------------------------------------
        t0 = time.perf_counter()
        who = instructor if root else None
        out = as_user(who, [cpy, cli, "release", "--class-dir", str(class_dir),
                            "--course-dir", str(course_dir)], cwd=instr_home)
        if out.returncode != 0:
            raise RuntimeError(f"release failed: {out.stdout}{out.stderr}")
        phase("release problem set 1 (grade.py generate + nbgrader release)", t0)

        release_nb = nbformat.read(class_dir / "exchange" / COURSE_ID / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                   as_version=4)
        source_nb = nbformat.read(REPO / "exercises" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        questions = questions_of(release_nb)
        solutions = solution_code(source_nb)
        plan = make_plan(students, questions, seed)

        # -- 4. students ----------------------------------------------------------------------
        t0 = time.perf_counter()
        tokens: dict[str, str] = {}
        for s in students:
            r = hub.api("POST", f"/users/{s}/tokens", json={"note": "simulated student", "expires_in": 7200})
            r.raise_for_status()
            tokens[s] = r.json()["token"]
        step_times: dict[str, list[float]] = {"fetch": [], "run": [], "submit": []}
        client_retries: list[str] = []  # requests a student sent twice after a dropped connection
        access: dict[str, tuple[int, int]] = {}

        def one_student(i: int, s: str) -> dict:
            c = StudentClient(base, s, tokens[s], client_retries)
            other = students[(i + 1) % len(students)]
            own = c.get("/api/status").status_code
            foreign = c.get("/api/status", user=other, allow_redirects=False).status_code
            access[s] = (own, foreign)
            ta = time.perf_counter()
            c.nbgrader("fetch")
            tb = time.perf_counter()
            entry = plan[s]
            path = f"/api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
            got = c.get(path)
            got.raise_for_status()
            fetched = nbformat.from_dict(got.json()["content"])
            if entry["resubmit"]:  # a first, blank submission; the real one follows
                c.nbgrader("submit")
            nb = student_notebook(fetched, s, entry, questions, solutions)
            kernel = c.start_kernel()
            code = [cell for cell in nb.cells if cell.cell_type == "code"]
            res = c.run_cells(kernel, code)
            c.request("DELETE", c.url(f"/api/kernels/{kernel}"), timeout=60)
            r = c.request("PUT", c.url(path), json={"type": "notebook", "format": "json", "content": nb}, timeout=120)
            r.raise_for_status()
            tc = time.perf_counter()
            c.nbgrader("submit")
            td = time.perf_counter()
            step_times["fetch"].append(tb - ta)
            step_times["run"].append(tc - tb)
            step_times["submit"].append(td - tc)
            return {"errors": sum(1 for x in res if x["error"]), "interrupted": sum(1 for x in res if x["interrupted"])}

        results, client_errors = {}, []
        with cf.ThreadPoolExecutor(max_workers=threads) as pool:
            futs = {pool.submit(one_student, i, s): s for i, s in enumerate(students)}
            for f in cf.as_completed(futs):
                try:
                    results[futs[f]] = f.result()
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    client_errors.append(f"{futs[f]}: {type(exc).__name__}: {exc}")
        phase(f"{n_students} students: fetch, run in own kernel, submit ({threads} at a time)", t0,
              f"(median per student: fetch {_med(step_times['fetch']):.2f} s, run {_med(step_times['run']):.1f} s, "
              f"submit {_med(step_times['submit']):.2f} s)")
        if client_errors:
            failures += [f"student client error: {e}" for e in client_errors]

        bad_access = {s: v for s, v in access.items() if v != (200, 403)}
        if bad_access or len(access) != n_students:
            failures.append(f"own server 200 / other's 403 failed for {bad_access or 'missing students'}")

        # -- 5. isolation, from inside students' kernels -----------------------------------------
        probe = {}
        if root:
            t0 = time.perf_counter()
            attacker, victim = students[0], students[2 % n_students]
            inbound = class_dir / "exchange" / COURSE_ID / "inbound"
            victim_subs = sorted(inbound.glob(f"{victim}+{ASSIGNMENT}+*"))
            victim_pid = next((p.pid for p in psutil.process_iter(["pid"])
                               if sampler.owner.get(p.pid) == (victim, "server")), 1)
            targets = {
                "me": attacker, "victim": victim, "assignment": ASSIGNMENT,
                "victim_home": str(homes / victim),
                "victim_notebook": str(homes / victim / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                "inbound": str(inbound), "exchange": str(class_dir / "exchange"),
                "victim_submission": str(victim_subs[-1]) if victim_subs else "/nonexistent", "course_id": COURSE_ID,
                "victim_server_pid": victim_pid,
                "instructor_source": str(course_dir / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                "course_dir": str(course_dir), "gradebook": str(course_dir / "gradebook.db"),
                "hub_db": str(class_dir / "hub" / "jupyterhub.sqlite"),
                "release_nb": str(class_dir / "exchange" / COURSE_ID / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
            }
            c = StudentClient(base, attacker, tokens[attacker])
            kernel = c.start_kernel()
            text = c.execute(kernel, PROBE.replace("__TARGETS__", repr(json.dumps(targets))))
            c.s.delete(c.url(f"/api/kernels/{kernel}"), timeout=60)
            line = next((ln for ln in text.splitlines() if ln.startswith("PROBE")), None)
            if line is None:
                failures.append(f"isolation probe printed nothing: {text[-500:]}")
            else:
                probe = json.loads(line[5:])
            for check, outcome in probe.items():
                if check.startswith("(info)") or check.startswith("submit under") or check.startswith("plant"):
                    continue
                if not outcome.startswith("denied"):
                    failures.append(f"isolation: {check}: {outcome}")
            phase("isolation probes from a student's kernel", t0)

        # -- 6. collect, grade, feedback, export ----------------------------------------------
        t0 = time.perf_counter()
        out = as_user(who, [cpy, cli, "collect", "--class-dir", str(class_dir),
                            "--course-dir", str(course_dir)], cwd=instr_home)
        if out.returncode != 0:
            raise RuntimeError(f"collect failed: {out.stdout}{out.stderr}")
        inbox = course_dir / "inbox"
        refused_file = course_dir / "collected" / "refused_submissions.json"
        refused = json.loads(refused_file.read_text()) if refused_file.exists() else []
        phase("collect (nbgrader, forged submissions refused)", t0, f"({len(refused)} refused)")
        arrived = sorted(p.name for p in inbox.iterdir()) if inbox.exists() else []
        lost = sorted(set(students) - set(arrived))
        if lost:
            failures.append(f"{len(lost)} submissions lost: {lost[:5]}")
        if root:
            expect_refused = {(students[2 % n_students], "owned by"), (students[0], "symbolic link")}
            got_refused = {(r["student_id"], "owned by" if "owned by" in r["why"] else
                            "symbolic link" if "symbolic link" in r["why"] else r["why"]) for r in refused}
            if got_refused != expect_refused:
                failures.append(f"refused submissions {got_refused} != expected {expect_refused}")
            probe["collect: the forged submission under another student's id"] = (
                "refused" if (students[2 % n_students], "owned by") in got_refused else "ACCEPTED")
            probe["collect: the symlink submission"] = (
                "refused" if (students[0], "symbolic link") in got_refused else "ACCEPTED")

        grade = [cpy, str(src / "exercises" / "grade.py"), "--root", str(course_dir)]
        t0 = time.perf_counter()
        out = as_user(who, [*grade, "autograde", str(inbox), "--timeout", str(CELL_TIMEOUT)], cwd=instr_home)
        if out.returncode != 0:
            raise RuntimeError(f"autograde failed: {out.stdout[-2000:]}{out.stderr[-2000:]}")
        graders = re.search(r"\((\d+) parallel graders at most\)", out.stdout)
        phase(f"autograde {len(arrived)} submissions (grade.py, {graders.group(1) if graders else '?'} in parallel)", t0)
        flags_file = course_dir / "grading_flags.json"
        failed = sorted(sid for sid, f in (json.loads(flags_file.read_text()) if flags_file.exists() else {}).items()
                        if any(x.startswith("autograde failed") for x in f))
        if failed:
            # seen on a busy machine: a grading kernel dies at start ("Address already in use": another
            # process took the port jupyter_client had picked). grade.py flags the submission for hand
            # grading; an instructor would run autograde again, which regrades every submission.
            autograde_failures.extend(failed)
            log(f"{len(failed)} autograde failure(s) ({', '.join(failed)}): running grade.py autograde again")
            t0 = time.perf_counter()
            out = as_user(who, [*grade, "autograde", str(inbox), "--timeout", str(CELL_TIMEOUT)], cwd=instr_home)
            if out.returncode != 0:
                raise RuntimeError(f"autograde (again) failed: {out.stdout[-2000:]}{out.stderr[-2000:]}")
            phase(f"autograde again after {len(failed)} kernel failure(s) (grade.py regrades all)", t0)

        t0 = time.perf_counter()
        out = as_user(who, [*grade, "feedback"], cwd=instr_home)
        if out.returncode != 0:
            raise RuntimeError(f"feedback failed: {out.stdout[-2000:]}{out.stderr[-2000:]}")
        out = as_user(who, [cpy, cli, "return-feedback", "--class-dir",
                            str(class_dir), "--course-dir", str(course_dir)], cwd=instr_home)
        if out.returncode != 0:
            raise RuntimeError(f"return-feedback failed: {out.stdout}{out.stderr}")
        phase("feedback (grade.py) and return through the exchange", t0)

        t0 = time.perf_counter()
        csv_path = course_dir / "grades.csv"
        out = as_user(who, [*grade, "export", str(csv_path)], cwd=instr_home)
        if out.returncode != 0:
            raise RuntimeError(f"export failed: {out.stdout[-2000:]}{out.stderr[-2000:]}")
        import csv as _csv
        with open(csv_path, newline="", encoding="utf-8") as fh:
            rows = {r["student_id"]: r for r in _csv.DictReader(fh)}
        phase("export grades.csv (grade.py)", t0)

        misscored = []
        for s in students:
            want = expected_score(plan[s], questions)
            got = float(rows[s]["autograded"]) if s in rows and rows[s]["autograded"] != "" else None
            if got is None or abs(got - want) > 1e-9:
                misscored.append((s, want, got, plan[s]))
        if misscored:
            failures.append(f"{len(misscored)} mis-scored: " + "; ".join(f"{s}: plan {w}, graded {g}"
                                                                        for s, w, g, _ in misscored[:5]))

        t0 = time.perf_counter()
        fb_ok = []

        def fetch_fb(s):
            """The student's own feedback arrives: nbgrader's feedback page for *their* notebook."""
            c = StudentClient(base, s, tokens[s])
            c.nbgrader("fetch_feedback")
            listing = c.get(f"/api/contents/{ASSIGNMENT}/feedback")
            if listing.status_code != 200:
                return False
            stamps = sorted(x["path"] for x in listing.json()["content"] if x["type"] == "directory")
            if not stamps:
                return False
            page = c.get(f"/api/contents/{stamps[-1]}/{ASSIGNMENT}.html")
            text = page.json().get("content", "") if page.status_code == 200 else ""
            return "Score:" in text and (plan[s]["untouched"] or f'STUDENT_ID = &quot;{s}&quot;' in text
                                        or f'STUDENT_ID = "{s}"' in text or s in text)
        with cf.ThreadPoolExecutor(max_workers=threads) as pool:
            for s, ok in zip(students, pool.map(lambda s: _safe(fetch_fb, s), students)):
                if ok:
                    fb_ok.append(s)
        if len(fb_ok) != n_students:
            failures.append(f"feedback reached {len(fb_ok)}/{n_students} students")
        phase("students fetch their feedback through the hub", t0, f"({len(fb_ok)}/{n_students})")

        sampler.sample()
        total_cpu = sampler.cpu_by_student()
        summary.update({
            "submissions_arrived": len(arrived), "lost": len(lost), "misscored": len(misscored),
            "client_errors": len(client_errors), "client_retries": client_retries,
            "refused": refused, "isolation": probe,
            "autograde_failures_first_run": autograde_failures,
            "access_checks": {"own_200": sum(1 for v in access.values() if v[0] == 200),
                              "other_403": sum(1 for v in access.values() if v[1] == 403)},
            "expected_scores": {s: expected_score(plan[s], questions) for s in students},
            "graded_scores": {s: rows.get(s, {}).get("autograded") for s in students},
            "kinds": {k: sum(1 for s in students for v in plan[s]["kinds"].values()
                             if v == k and not plan[s]["untouched"]) for k in KINDS},
            "server_rss_mb": _stats([v / 2**20 for v in sampler.peak_server.values()]),
            "server_plus_kernel_rss_mb": _stats([v / 2**20 for v in sampler.peak_total.values()]),
            "spawn_cpu_s": _stats(list(spawn_cpu.values())),
            "student_cpu_s_total": _stats(list(total_cpu.values())),
            "peak_load1": round(sampler.peak_load, 1),
            "min_mem_available_gb": round(sampler.min_available / 2**30, 2),
        })
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - reported after the teardown
        import traceback

        failures.append(f"the run stopped: {type(exc).__name__}: {exc}")
        traceback.print_exc()
    finally:
        sampler.stop_event.set()
        t0 = time.perf_counter()
        _kill_users_processes(set(created))  # first: the hub then finds its servers gone, not stopping
        if hub_proc is not None:
            _stop_hub(hub_proc)
        _kill_users_processes(set(created))
        for name in created:
            classroom.delete_unix_user(name)
        leftover = [n for n in created if _user_exists(n)]
        if not keep:
            shutil.rmtree(class_dir, ignore_errors=True)
        log(f"teardown: hub stopped, {len(created)} users removed "
            f"({'none left' if not leftover else 'LEFT: ' + ', '.join(leftover)}), "
            f"{'class folder kept: ' + str(class_dir) if keep else 'class folder removed'} "
            f"in {time.perf_counter() - t0:.1f} s")
    phases.append(("teardown (stop hub and servers, remove users)", time.perf_counter() - t0, ""))
    summary["phases"] = [{"phase": p, "seconds": round(d, 2), "note": n} for p, d, n in phases]
    summary["total_seconds"] = round(time.perf_counter() - t_all, 1)
    if leftover:
        summary["failures"].append(f"Unix users left behind: {leftover}")
    return summary


def _safe(fn, *a):
    try:
        return fn(*a)
    except Exception:  # noqa: BLE001
        return False


def _med(xs):
    return statistics.median(xs) if xs else float("nan")


def _stats(xs):
    if not xs:
        return {}
    xs = sorted(xs)
    return {"n": len(xs), "median": round(statistics.median(xs), 1), "max": round(xs[-1], 1),
            "min": round(xs[0], 1)}


def _ok(hub: Hub, path: str) -> bool:
    try:
        return hub.api("GET", path, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _wait(pred, limit: float, what: str, proc=None, every: float = 0.3) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the hub exited with status {proc.returncode}")
        if pred():
            return
        time.sleep(every)
    raise RuntimeError(f"{what} within {limit:.0f} s")


def _font_cache() -> Path | None:
    import matplotlib

    found = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    return found[-1] if found else None


def _seed_font_cache(user: str, font_cache: Path | None) -> None:
    """Give a new account matplotlib's font list (built once per account otherwise, ~0.5 CPU-s)."""
    if font_cache is None:
        return
    pw = pwd.getpwnam(user)
    d = Path(pw.pw_dir) / ".cache" / "matplotlib"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(font_cache, d / font_cache.name)
    for p in (d.parent, d, d / font_cache.name):
        os.chown(p, pw.pw_uid, pw.pw_gid)


def _stop_hub(proc: subprocess.Popen) -> None:
    """SIGTERM the hub (it stops every student server and the proxy), then make sure of it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            pass
    try:  # the hub's process group: the proxy and anything else it left
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _kill_users_processes(users: set[str]) -> None:
    """End every process that runs as one of the class's users (servers, kernels), by pid."""
    uids = set()
    for u in users:
        try:
            uids.add(pwd.getpwnam(u).pw_uid)
        except KeyError:
            pass
    if not uids:
        return
    procs = [p for p in psutil.process_iter(["pid", "uids"]) if p.info["uids"] and p.info["uids"].real in uids]
    for p in procs:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(procs, timeout=10)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def print_report(s: dict) -> None:
    print()
    print(f"Simulated class: {s['students']} students, {'one Unix user each' if s['root'] else 'ONE shared Unix user (not root)'}")
    print(f"machine before the run: {s['uptime_before']}")
    print()
    w = max(len(p["phase"]) for p in s["phases"])
    print(f"{'phase':{w}}  {'seconds':>8}")
    for p in s["phases"]:
        print(f"{p['phase']:{w}}  {p['seconds']:8.1f}  {p['note']}")
    print(f"{'total (end to end)':{w}}  {s['total_seconds']:8.1f}")
    print()
    if "server_rss_mb" not in s:  # the run stopped early
        print("FAILED:\n  " + "\n  ".join(s["failures"]))
        return
    sr, st = s["server_rss_mb"], s["server_plus_kernel_rss_mb"]
    print(f"peak RSS per student server: median {sr.get('median')} MB, max {sr.get('max')} MB; "
          f"with its kernel: median {st.get('median')} MB, max {st.get('max')} MB")
    sc, tc = s["spawn_cpu_s"], s["student_cpu_s_total"]
    print(f"CPU per student: server start {sc.get('median')} s (median), whole session incl. kernel "
          f"{tc.get('median')} s (median, max {tc.get('max')} s)")
    print(f"peak load (1 min): {s['peak_load1']}; lowest MemAvailable: {s['min_mem_available_gb']} GB")
    print(f"answers planned: {s['kinds']}")
    print(f"submissions arrived: {s['submissions_arrived']}/{s['students']}, lost: {s['lost']}, "
          f"mis-scored: {s['misscored']}, client errors: {s['client_errors']}, autograde kernel failures "
          f"retried: {len(s['autograde_failures_first_run'])}")
    retried = s.get("client_retries", [])
    print(f"student requests sent again after a dropped connection: {len(retried)}")
    for r in retried:
        print(f"  {r}")
    ac = s["access_checks"]
    print(f"own server with own token: {ac['own_200']}/{s['students']} 200; another student's server: "
          f"{ac['other_403']}/{s['students']} 403")
    if s["isolation"]:
        print("isolation, from inside a student's kernel:")
        for k, v in s["isolation"].items():
            print(f"  {k}: {v}")
    for r in s["refused"]:
        print(f"  collect refused {r['submission']}: {r['why']}")
    print()
    if s["failures"]:
        print("FAILED:")
        for f in s["failures"]:
            print("  " + f)
    else:
        print("PASSED: every submission arrived, every score as planned, every isolation check held.")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="A simulated class on a real JupyterHub (classroom/README.md).")
    ap.add_argument("--students", "-n", type=int, default=50)
    ap.add_argument("--threads", type=int, default=4, help="students working at the same time (default 4)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--keep", action="store_true", help="keep the class folder (users are removed anyway)")
    args = ap.parse_args(argv)
    if args.students < 3:
        print("simulate: at least 3 students (one to probe, one to be probed, one untouched)", file=sys.stderr)
        return 2
    chp = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists():
        print(f"simulate: {chp} is missing: run `make setup` (needs npm)", file=sys.stderr)
        return 2
    def on_term(signum, frame):  # SIGTERM/SIGHUP: stop through the normal teardown (users, hub)
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    summary = run(args.students, args.threads, args.seed, args.keep)
    print_report(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, default=str))
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
