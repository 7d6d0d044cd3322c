"""Warm kernels: start each graded kernel from a process that has already imported its libraries.

Why: a graded kernel used about 1.3 s of CPU, and most of it went on the same work for every student:
starting Python and importing ipykernel, IPython, numpy, pandas and ``course``. On two cores that alone
held grading below 60 submissions per minute (issue 14).

How, while each kernel stays in its own bubblewrap sandbox (``sandbox.py``):

1. ``grade.py`` starts one *zygote* per grading process, as root, before grading: ``python warm.py``
   with the sandbox's environment (the kernels inherit its command line and environment, so neither
   names anything of the grader's; the policy's and the socket's paths come on stdin). It imports the
   libraries (never any student's file, never the grader's
   state) and then listens on a Unix socket in the grader's private run folder, which no sandbox can see.
2. For each student the kernel launcher (``sandbox.main``) starts the sandbox as before, with bubblewrap
   making every namespace and mount, but with a *holder* (``sleep``, through the same ``prlimit`` and
   ``setpriv``) in place of the kernel. When the holder runs, the sandbox is complete.
3. The launcher asks the zygote for a kernel in that sandbox. The zygote forks; the child joins the
   holder's namespaces (mount, PID, network, IPC, UTS, cgroup) with ``setns``, checks that it is inside
   (each namespace differs from the zygote's and the connection file is at ``/run/kernel``), forks again
   so that the kernel is inside the PID namespace (in a new session it does not lead, as in bubblewrap),
   and there makes itself what ``prlimit`` + ``setpriv`` make the cold kernel: the same resource limits, the sandbox's uid and gid, no
   supplementary groups, an empty capability bounding set, no capabilities, ``no_new_privs``, the
   sandbox's environment, every other file descriptor closed. Only then does it start ipykernel.
   Anything it cannot do, or cannot verify, ends the child before any kernel starts; the launcher then
   starts a cold kernel instead.
4. Each kernel is a fresh fork of the zygote, which never runs student code, so no student sees what
   another left; its files live on the sandbox's own tmpfs, which goes when the sandbox goes. When the
   launcher ends (or is killed), bubblewrap's PID 1 dies and takes the kernel with it.

Only as root (as the grader runs in CI and in the classroom); as an ordinary user every kernel starts
cold. ``NQPF_WARM_KERNELS=0`` turns it off. This file runs as a script; besides the standard library it
imports only its neighbour ``sandbox.py`` (the sandbox's paths and limits, shared with the cold path).
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import socket
import sys
import time

from sandbox import CONN_MOUNT, KERNEL_SITE, RLIMITS  # (this file's folder is first on the path)

del sys.modules["sandbox"]  # the kernels are forks of this process: they import nothing of the grader's

NAMESPACES = ("cgroup", "ipc", "uts", "net", "pid", "mnt")  # mnt last: it changes the root
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.interactiveshell",
           "numpy", "pandas", "course", "course.data", "course.grading", "course.measures")

_PR_SET_DUMPABLE, _PR_CAPBSET_DROP, _PR_SET_NO_NEW_PRIVS = 4, 24, 38
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, _PR_SET_CHILD_SUBREAPER = 47, 4, 36
_libc = ctypes.CDLL(None, use_errno=True)


class Refused(Exception):
    """The kernel cannot be started warm safely (one-line reason); the launcher starts it cold."""


def _call(name, *args):
    if getattr(_libc, name)(*args) != 0:
        raise Refused(f"{name}{args[:2]} failed: {os.strerror(ctypes.get_errno())}")


def _ns_id(pid, ns: str) -> str:
    return os.readlink(f"/proc/{pid}/ns/{ns}")


# ---------------------------------------------------------------------------
# the zygote
# ---------------------------------------------------------------------------

def serve(policy_path: str, sock_path: str) -> None:
    with open(policy_path, encoding="utf-8") as fh:
        policy = json.load(fh)
    if os.geteuid() != 0 or policy.get("uid") is None:
        raise SystemExit("warm kernels need root (the grader's cold kernels are used otherwise)")
    here = os.path.dirname(os.path.abspath(__file__))
    host_site = policy["kernel_site"]
    os.environ.clear()  # (it was started with the sandbox's environment; PYTHONPATH names the sandbox's path)
    os.environ.update(policy["env"])
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path.insert(0, host_site)
    os.chdir("/")
    for name in PRELOAD:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - the kernel imports it itself (and reports the error there)
            pass
    if len(os.listdir("/proc/self/task")) != 1:  # forking a process with threads is not safe
        raise SystemExit("a preloaded library started a thread: warm kernels are off")
    import gc

    gc.collect()
    gc.freeze()  # the children share the preloaded objects instead of copying them when gc touches them
    _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # the kernels are reaped here
    own = {ns: _ns_id("self", ns) for ns in NAMESPACES}
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path + ".new")
    os.chmod(sock_path + ".new", 0o600)
    os.rename(sock_path + ".new", sock_path)  # connectable only once everything is imported
    listener.listen(16)
    listener.settimeout(0.5)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        _reap()
        try:
            conn, _ = listener.accept()
        except (socket.timeout, InterruptedError):
            continue
        except OSError:
            if stop:
                break
            raise
        pid = os.fork()
        if pid == 0:
            listener.close()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _child(conn, policy, own, host_site)  # never returns
        conn.close()
    listener.close()
    try:
        os.unlink(sock_path)
    except OSError:
        pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _reap():
        time.sleep(0.05)


def _reap() -> bool:
    """Reap every kernel that has ended; True while some still run."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


def _child(conn, policy, own, host_site) -> None:
    """In the zygote's fork: handle one request, then exit (the kernel itself is forked once more)."""
    code = 1
    try:
        conn.settimeout(30)
        request = json.loads(conn.makefile("r", encoding="utf-8").readline())
        kernel = _enter_and_fork(request, policy, own, host_site)
        conn.sendall((json.dumps({"pid": kernel}) + "\n").encode())
        code = 0
    except BaseException as exc:  # noqa: BLE001 - tell the launcher, which starts a cold kernel
        try:
            conn.sendall((json.dumps({"error": f"{type(exc).__name__}: {exc}"[:300]}) + "\n").encode())
        except OSError:
            pass
    finally:
        os._exit(code)


def _enter_and_fork(request: dict, policy: dict, own: dict, host_site: str) -> int:
    holder = int(request["holder"])
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o644)
    fds = {ns: os.open(f"/proc/{holder}/ns/{ns}", os.O_RDONLY) for ns in NAMESPACES}
    # the holder is still the sandbox's `sleep` (not a recycled pid), and its namespaces are not ours
    if not os.readlink(f"/proc/{holder}/exe").endswith("/sleep"):
        raise Refused("the holder is not running")
    for ns in ("mnt", "pid", "net", "ipc", "uts"):
        if _ns_id(holder, ns) == own[ns]:
            raise Refused(f"the holder shares the grader's {ns} namespace")
    for ns in NAMESPACES:
        if _ns_id(holder, ns) != own[ns]:
            _call("setns", fds[ns], 0)
        os.close(fds[ns])
    conn_file = f"{CONN_MOUNT}/{os.path.basename(request['conn'])}"
    if not os.path.exists(conn_file) or os.path.exists(request["conn"]):  # the grader's path is not in it
        raise Refused("not inside the sandbox after setns")
    os.setsid()  # a session of its own for each kernel, which (as in bubblewrap) the kernel does not lead
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _become_kernel(request, policy, log, conn_file, host_site)
            code = 0
        except BaseException as exc:  # noqa: BLE001 - the kernel's log says why
            try:
                os.write(2, f"warm kernel did not start: {type(exc).__name__}: {exc}\n".encode())
            except OSError:
                pass
        finally:
            os._exit(code)
    return pid


def _become_kernel(request, policy, log, conn_file, host_site) -> None:
    """In the sandbox's PID namespace, as root: become what prlimit + setpriv make of the cold kernel."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    os.chdir(request["work"])
    lim = policy["limits"]
    for key, _, name, unit in RLIMITS:
        value = int(lim[key]) * unit
        resource.setrlimit(getattr(resource, name), (value, value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for cap in range(64):
        if _libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() != 22:  # EINVAL: no such cap
            raise Refused(f"could not drop capability {cap}")
    os.setgroups([])
    uid, gid = int(policy["uid"]), int(policy["gid"])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)  # clears the permitted and effective capabilities
    _libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    _call("prctl", _PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _call("prctl", _PR_SET_DUMPABLE, 1, 0, 0, 0)  # as a cold kernel after exec: its own uid may inspect it
    with open("/proc/self/status", encoding="utf-8") as fh:
        status = dict(line.split(":", 1) for line in fh if ":" in line)
    for field in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        if int(status[field].strip(), 16) != 0:
            raise Refused(f"{field} is not empty")
    if status["NoNewPrivs"].strip() != "1" or os.getuid() != uid or os.getgroups():
        raise Refused("privileges were not dropped")
    os.environ.clear()
    os.environ.update(policy["env"], PWD=request["work"])  # as bubblewrap's --chdir sets it
    sys.path[:] = [KERNEL_SITE if p == host_site else p for p in sys.path]
    import types

    sys.modules["__main__"] = types.ModuleType("__main__")
    sys.argv = ["ipykernel_launcher", "-f", conn_file, "--HistoryManager.enabled=False", *request["kernel_args"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def main() -> None:
    """``python warm.py`` with ``{"policy": ..., "socket": ...}`` on stdin: the kernels are forks of this
    process and inherit its command line, so it names no path of the grader's."""
    args = json.loads(sys.stdin.read())
    sys.stdin.close()
    serve(args["policy"], args["socket"])


if __name__ == "__main__":
    main()
