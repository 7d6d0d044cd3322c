"""The JupyterHub classroom (classroom/): roster, exchange rules, the dummy-authenticator guard, and a
whole simulated class of five students on a real hub (classroom/simulate.py).

The class needs the proxy from npm (``make setup`` installs it into classroom/node_modules). In CI
(``CI`` set) a missing proxy is a failure, not a skip, so the class cannot silently stop running.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "classroom"))
import classroom  # noqa: E402
import exchange  # noqa: E402
import simulate  # noqa: E402

CHP = ROOT / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy"
IS_ROOT = os.geteuid() == 0


def _need_proxy():
    if not CHP.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHP} missing in CI: `make setup` must install configurable-http-proxy with npm")
        pytest.skip("configurable-http-proxy not installed (needs npm; `make setup` installs it)")


# ---------------------------------------------------------------------------------------------
# roster
# ---------------------------------------------------------------------------------------------

def test_roster_reads_usernames_and_optional_columns(tmp_path):
    f = tmp_path / "roster.csv"
    f.write_text("Username,Name,Email\nali01,Ali,a@x.org\n\nbo_2,Bo,\n", encoding="utf-8")
    rows = classroom.read_roster(f)
    assert [r["username"] for r in rows] == ["ali01", "bo_2"]
    assert rows[0]["name"] == "Ali" and rows[1]["email"] == ""


@pytest.mark.parametrize("text, message", [
    ("name,email\nAli,a@x\n", "'username' column"),
    ("username\nali01\nAli Baba\n", "line 3"),
    ("username\nali01\nbo\nali01\n", "repeats line 2"),
    ("username\n", "no students"),
])
def test_roster_errors_name_the_line(tmp_path, text, message):
    f = tmp_path / "roster.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(classroom.ClassroomError, match=message):
        classroom.read_roster(f)


def test_add_students_appends_only_new_names(tmp_path):
    (tmp_path / "allowed_users.txt").write_text("# header\nali01\n")
    roster = tmp_path / "r.csv"
    roster.write_text("username\nali01\nbo\n")
    assert classroom.add_students(tmp_path, roster) == ["bo"]
    assert (tmp_path / "allowed_users.txt").read_text().splitlines()[1:] == ["ali01", "bo"]


# ---------------------------------------------------------------------------------------------
# the exchange: forged and booby-trapped submissions are refused at collect
# ---------------------------------------------------------------------------------------------

def test_symlinked_submission_is_refused(tmp_path):
    sub = tmp_path / "me+ps1+2026-01-01 00:00:00.000000 UTC+x"
    sub.mkdir()
    (sub / "ps1.ipynb").symlink_to(tmp_path / "secret.ipynb")
    assert "symbolic link" in exchange.submission_problem(str(sub), "me", require_owner=False)


def test_plain_submission_is_accepted_and_owner_is_checked(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "ps1.ipynb").write_text("{}")
    me = exchange._owner(str(sub))
    assert exchange.submission_problem(str(sub), me) is None
    assert "not by the student it names" in exchange.submission_problem(str(sub), me + "x")


# ---------------------------------------------------------------------------------------------
# the plan of the simulated class: expected scores worked out by hand from the points
# ---------------------------------------------------------------------------------------------

def _release_points():
    src = nbformat.read(ROOT / "exercises" / "source" / "ps1" / "ps1.ipynb", as_version=4)
    return simulate.questions_of(src)


def test_plan_scores_by_hand():
    qs = _release_points()
    # exercises/README.md: seven autograded questions, 17 points
    assert [q["points"] for q in qs] == [2, 3, 3, 2, 2, 3, 2]
    students = [f"s{i}" for i in range(12)]
    plan = simulate.make_plan(students, qs, seed=1)
    assert simulate.expected_score(plan["s0"], qs) == 17          # all right
    assert simulate.expected_score(plan["s1"], qs) == 0           # untouched notebook
    # s2 cycles wrong, broken, blank, right, wrong, broken, blank: only q3 (2 points) is right
    assert [plan["s2"]["kinds"][q["name"]] for q in qs] == ["wrong", "broken", "blank", "right",
                                                            "wrong", "broken", "blank"]
    assert simulate.expected_score(plan["s2"], qs) == 2
    assert "overtime" in plan["s3"]["kinds"].values() and plan["s4"]["resubmit"]


def _flaky_server(drops: int):
    """A loopback HTTP server that drops the first ``drops`` connections unanswered (a reset), then
    answers every request with the JSON ``{"success": true}``; returns (url, requests seen, stop)."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    seen: list[str] = []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = conn.recv(65536).decode("latin-1")
                seen.append(data.split("\r\n", 1)[0])
                if len(seen) <= drops:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    continue  # closed with a reset, no answer
                body = b'{"success": true}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", seen, listener.close


def test_a_student_request_whose_connection_drops_is_sent_once_more_and_reported():
    url, seen, stop = _flaky_server(drops=1)
    try:
        retries: list[str] = []
        c = simulate.StudentClient(url, "s007", "token", retries)
        assert c.nbgrader("submit") == {"success": True}
        assert [line.split(" ")[0] for line in seen] == ["POST", "POST"]      # sent twice
        assert len(retries) == 1 and retries[0].startswith("s007: POST s007/assignments/submit")
        assert c.get("/api/status").status_code == 200                      # the next one: once
        assert len(seen) == 3 and len(retries) == 1
    finally:
        stop()


def test_a_connection_that_drops_twice_is_a_client_error():
    import requests

    url, seen, stop = _flaky_server(drops=2)
    try:
        retries: list[str] = []
        with pytest.raises(requests.ConnectionError):
            simulate.StudentClient(url, "s008", "token", retries).get("/api/status")
        assert len(seen) == 2 and len(retries) == 1
    finally:
        stop()


def test_dummy_authenticator_is_refused_off_loopback(tmp_path):
    """The hub refuses to start with the dummy authenticator on a non-loopback address."""
    _need_proxy()
    class_dir = tmp_path / "class"
    (class_dir / "hub").mkdir(parents=True)
    (class_dir / "python" / "bin").mkdir(parents=True)
    (class_dir / "python" / "bin" / "jupyterhub-singleuser").write_text("#!/bin/sh\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd, env = classroom.hub_command(class_dir)
    for bind in (f"http://0.0.0.0:{port}", f"http://:{port}", f"http://203.0.113.7:{port}"):
        env.update(NQPF_AUTH="dummy", NQPF_BIND_URL=bind)
        out = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert out.returncode != 0, bind
        assert "DUMMY authenticator" in out.stderr + out.stdout and "refused" in out.stderr + out.stdout
        assert not (class_dir / "hub" / "jupyterhub.sqlite").exists()  # refused before starting anything


def test_loopback_check():
    cfg = (ROOT / "classroom" / "jupyterhub_config.py").read_text()
    ns = {}
    exec(cfg[cfg.index("def is_loopback"):cfg.index("class_dir = os.environ")],
         {"ipaddress": __import__("ipaddress")}, ns)
    ok = ns["is_loopback"]
    assert ok("127.0.0.1") and ok("127.3.4.5") and ok("::1") and ok("[::1]") and ok("localhost")
    assert not ok("0.0.0.0") and not ok("") and not ok("10.0.0.1") and not ok("class.example.org")


# ---------------------------------------------------------------------------------------------
# a whole class on a real hub
# ---------------------------------------------------------------------------------------------

@pytest.mark.classroom
def test_simulated_class_of_five(tmp_path):
    """Five students on a real JupyterHub: nothing lost, nothing mis-scored, nobody in another's space."""
    _need_proxy()
    out_json = tmp_path / "class.json"
    proc = subprocess.run([sys.executable, str(ROOT / "classroom" / "simulate.py"), "--students", "5",
                           "--json", str(out_json)], capture_output=True, text=True, timeout=1200)
    print(proc.stdout[-6000:])
    assert out_json.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    s = json.loads(out_json.read_text())
    assert s["failures"] == [], s["failures"]
    assert proc.returncode == 0
    assert s["submissions_arrived"] == 5 and s["lost"] == 0 and s["misscored"] == 0
    # scores: what the plan earns, computed from the plan and the points (see test_plan_scores_by_hand)
    assert s["expected_scores"][s["prefix"] + "s000"] == 17 and s["expected_scores"][s["prefix"] + "s001"] == 0
    assert {k: float(v) for k, v in s["graded_scores"].items()} == s["expected_scores"]
    assert s["access_checks"] == {"own_200": 5, "other_403": 5}
    assert all(s["kinds"][k] > 0 for k in ("right", "wrong", "blank", "broken", "overtime"))
    if IS_ROOT:
        checks = {k: v for k, v in s["isolation"].items() if not k.startswith("(info)")}
        denied = [k for k, v in checks.items() if v.startswith("denied")]
        assert len(denied) >= 12, checks
        assert checks["collect: the forged submission under another student's id"] == "refused"
        assert checks["collect: the symlink submission"] == "refused"
        assert len(s["refused"]) == 2
    else:
        print("not root: students shared one Unix account, the isolation checks did not run")
    # every user the class created is gone again
    with open("/etc/passwd") as fh:
        assert s["prefix"] not in fh.read()
