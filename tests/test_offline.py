"""The lessons run with the network unavailable.

**How the network is taken away.** Each notebook runs (``tests/lesson_runner.py``: nbclient, a fresh
kernel) inside a new Linux
network namespace made with ``unshare -rn`` (a user namespace, so no root is needed where
unprivileged user namespaces are allowed). The namespace has only a loopback interface; the runner
brings it up, because the kernel and its client talk over TCP on 127.0.0.1, which is not "the
network". There is no other interface and no route, so any connection to another host fails with
"Network is unreachable" and every DNS lookup fails. The runner checks that before it starts, and a
probe cell checks it again *inside the kernel* after the lesson has run, so the test cannot pass
with the network quietly available.

**Fallback.** Where ``unshare -rn`` is not permitted (some containers), the runner and the kernel get
a ``sitecustomize`` (through ``PYTHONPATH``) that makes ``socket.connect`` refuse every address
outside 127.0.0.0/8 and ``::1`` and ``getaddrinfo`` refuse every name except localhost. That is
weaker than a namespace (code that bypasses the socket module would escape), so the test output
says which method ran.

``test_no_network_code`` is the cheap static half: no course module and no code cell of a lesson
imports an HTTP client (urllib.request, requests, http.client, ...) or passes an ``http(s)://``
address to a function call. URLs inside markdown, comments or printed citation text are fine.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# the Chinese edition (notebooks/zh/, built from the same code cells) is tested like any lesson
LESSONS += sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
# The lessons run offline in tests/test_lesson_runs.py and tests/test_lesson_runs_zh.py (one run per
# lesson for three checks, by this module's method: tests/lesson_run.py); the problem sets' instructor
# sources run here. test_no_network_code reads them all.
EXERCISES = sorted((ROOT / "exercises" / "source").glob("*/*.ipynb"))
NOTEBOOKS = LESSONS + EXERCISES
# the Chinese sources (``*_zh``) have the English code cells (tests/test_problem_sets_zh.py): not run again
EXERCISES_RUN = [p for p in EXERCISES if not p.parent.name.endswith("_zh")]

SITECUSTOMIZE = r'''
"""Test-only: refuse network connections outside loopback (see tests/test_offline.py)."""
import ipaddress as _ip, socket as _socket

def _is_loopback(host):
    if host in ("localhost", "", None):
        return True
    try:
        return _ip.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False

_connect, _connect_ex, _gai = _socket.socket.connect, _socket.socket.connect_ex, _socket.getaddrinfo

def connect(self, address):
    if self.family in (_socket.AF_INET, _socket.AF_INET6) and not _is_loopback(address[0]):
        raise OSError(101, "Network is unreachable (blocked by the offline test)")
    return _connect(self, address)

def connect_ex(self, address):
    if self.family in (_socket.AF_INET, _socket.AF_INET6) and not _is_loopback(address[0]):
        return 101
    return _connect_ex(self, address)

def getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        raise _socket.gaierror(-3, "Temporary failure in name resolution (blocked by the offline test)")
    return _gai(host, *args, **kwargs)

_socket.socket.connect, _socket.socket.connect_ex, _socket.getaddrinfo = connect, connect_ex, getaddrinfo
'''


@lru_cache(maxsize=1)
def namespaces_work() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    try:
        return subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.parametrize("path", EXERCISES_RUN, ids=[p.relative_to(ROOT).with_suffix("").as_posix() for p in EXERCISES_RUN])
def test_problem_set_runs_offline(path):
    # the runner of tests/lesson_run.py: the notebook in a network namespace (or with blocked sockets),
    # then a probe in its kernel that tries a public address and a DNS lookup
    from lesson_run import check_offline

    check_offline(path)


# -- static: no network code -----------------------------------------------------------------------

NETWORK_MODULES = {"urllib.request", "urllib3", "requests", "http.client", "httpx", "aiohttp",
                   "ftplib", "smtplib", "socket", "webbrowser", "pooch", "wget"}
URL_PREFIXES = ("http://", "https://", "ftp://")
# calls whose string arguments are text shown to the reader, not something fetched
DISPLAY_CALLS = {"print", "Markdown", "HTML", "display", "citation", "format", "join", "write"}


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else (f.id if isinstance(f, ast.Name) else "")


def network_code(source: str) -> list[str]:
    """Lines of ``source`` that import a network client or pass a URL to a call."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # notebook cells with IPython magics: drop the magic lines
        tree = ast.parse("\n".join(ln for ln in source.splitlines()
                                   if not ln.lstrip().startswith(("%", "!"))))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for n in names:
            if n in NETWORK_MODULES or any(n.startswith(m + ".") for m in NETWORK_MODULES):
                found.append(f"line {node.lineno}: imports {n}")
        if isinstance(node, ast.Call) and _call_name(node) not in DISPLAY_CALLS:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                        and arg.value.strip().lower().startswith(URL_PREFIXES):
                    found.append(f"line {node.lineno}: {_call_name(node)}({arg.value[:60]!r})")
    return found


def test_network_code_detector():
    assert network_code("import requests")
    assert network_code("from urllib.request import urlopen")
    assert network_code("import pandas as pd\npd.read_csv('https://example.org/x.csv')")
    assert not network_code("print('Source: https://pwt.example')\nurl = 'https://doi.org/x'")
    assert not network_code("from urllib.parse import quote")


def test_no_network_code():
    problems = []
    for path in sorted((ROOT / "course").glob("*.py")):
        problems += [f"{path.relative_to(ROOT)} {p}" for p in network_code(path.read_text())]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                problems += [f"{path.name} cell {i} {p}" for p in network_code(cell.source)]
    assert not problems, "network code in the course:\n  " + "\n  ".join(problems)
