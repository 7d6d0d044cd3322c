"""A bubblewrap sandbox for the kernels that run students' notebooks while grading.

Why bubblewrap: it is Debian's small, unprivileged sandbox tool (the one Flatpak uses), it needs no
daemon, no image and no root (user namespaces), it is driven by one command line, and it gives
everything grading needs in one process tree: a private mount namespace built from read-only binds
(so the kernel sees the system, Python, the ``course`` package and the datasets, and nothing else of
the machine), its own network namespace (no network), its own PID namespace (every process the
notebook starts dies with the kernel), and ``--die-with-parent``. Docker or Podman would need a
daemon or an image and are not installed here; a dedicated user with ``prlimit`` alone would still
see the whole file system.

How a kernel is started. ``grade.py`` writes a kernelspec named ``nqpf-sandbox`` per grading process
(:func:`write_kernelspec`: ``kernel.json`` + ``policy.json``) whose ``argv`` runs this file as a small
launcher (``python -I -S sandbox.py --policy {resource_dir}/policy.json --cwd {cwd} -f
{connection_file}``); nbgrader is made to run that kernel whatever the notebook's metadata says
(``preprocessors.SandboxExecute.create_kernel_manager``). The launcher execs (:func:`build_argv`)

    bwrap --unshare-pid --unshare-net --unshare-ipc --unshare-uts --die-with-parent --new-session
          --clearenv --setenv ... --proc /proc --dev /dev --tmpfs /tmp (size-limited) ...
          --ro-bind <system, Python, venv, course, datasets> ... --tmpfs /home/student (size-limited)
          --ro-bind <the assignment's questions.json> --bind <private connection folder> /run/kernel
          --chdir /home/student/<assignment> --remount-ro /
      -- prlimit --as --cpu --nproc --fsize --nofile --core
      -- [setpriv --reuid U --regid U --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs]
      -- PYTHON -m ipykernel_launcher -f /run/kernel/kernel.json

Warm kernels (as root, the default when grading; ``warm.py``): bwrap builds the same sandbox with
``sleep`` (through the same ``prlimit`` and ``setpriv``) in the kernel's place, and the kernel is a fork
of a zygote that has imported ipykernel, numpy, pandas and ``course`` already; the fork joins the
sandbox's namespaces and drops to the same uid, limits and empty capabilities before ipykernel starts.
It saves about 0.9 CPU-s per submission. If anything in that fails, the kernel is started cold as above.

As root, bwrap makes the namespaces itself and keeps only CAP_SETUID/CAP_SETGID for ``setpriv``, which
drops to a uid of the grading process's own (``SANDBOX_UID + slot``) with no capabilities: the kernel
reads only world-readable files, and RLIMIT_NPROC counts only its sandbox's processes. As an ordinary
user, bwrap makes a user namespace (``--unshare-user --disable-userns``: no nested ones) and the
limits are set inside it, so the process count is per sandbox there too (Linux 5.14 and later).

Limits: address space (memory), CPU seconds, number of processes and threads, size of any file
written, open files, and the size of every writable file system (/tmp, /dev/shm and the home folder
are size-limited tmpfs). The output the kernel sends is capped in bytes by the grader
(``preprocessors.py``).

The kernel talks to the grader over ZeroMQ ``ipc`` sockets in a private folder bound at
``/run/kernel``, the only host folder writable from the sandbox: with its own network namespace the
kernel cannot reach the grader over TCP. As root, the folder belongs to the sandbox user only while
the kernel binds its sockets; the grader takes it back before the first cell runs (:func:`seal`), so
student code can neither add files there nor replace the sockets. As an ordinary user that is not
possible (the kernel runs as the same user); the grader then stops a kernel that leaves more than
64 MB there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

KERNEL_NAME = "nqpf-sandbox"
HOME = "/home/student"
CONN_MOUNT = "/run/kernel"  # where the kernel sees its connection folder (file + sockets)
KERNEL_SITE = "/opt/nqpf/kernel_site"  # first on the kernel's path: keeps debugpy out (see kernel_site/debugpy)
# When the grader runs as root, each parallel grading process runs its kernels as its own uid
# SANDBOX_UID + slot: an account that owns no file, so the kernel can read only world-readable files,
# and RLIMIT_NPROC counts only that sandbox's processes.
SANDBOX_UID = 3_141_500

# Limits (override per run with grade.py options). Memory is the address space of each process.
DEFAULT_LIMITS = {
    "memory_mb": 2048,   # RLIMIT_AS per process
    "cpu_seconds": 600,  # RLIMIT_CPU per process (the wall-clock budget per student is kept by the grader)
    "nproc": 64,         # processes + threads inside the sandbox (RLIMIT_NPROC in the sandbox's user namespace)
    "fsize_mb": 64,      # largest file the kernel may write (RLIMIT_FSIZE)
    "nofile": 256,       # open files (RLIMIT_NOFILE)
    "tmpfs_mb": 128,     # each writable file system: /tmp, /dev/shm, the home folder
}

# The per-process limits: (the limits' key, prlimit's option, the resource module's name, the unit).
# prlimit sets them for a cold kernel; warm.py sets the same for a warm one.
RLIMITS = (("memory_mb", "as", "RLIMIT_AS", 1024 * 1024), ("cpu_seconds", "cpu", "RLIMIT_CPU", 1),
           ("nproc", "nproc", "RLIMIT_NPROC", 1), ("fsize_mb", "fsize", "RLIMIT_FSIZE", 1024 * 1024),
           ("nofile", "nofile", "RLIMIT_NOFILE", 1))

_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd",
              "/etc/group", "/etc/nsswitch.conf", "/etc/mime.types", "/etc/fonts")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here (one-line reason)."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap") or (os.path.exists("/usr/bin/bwrap") and "/usr/bin/bwrap") or None


def _python() -> str:
    """This Python as a plain absolute path. Started as ``../.venv/bin/python`` it is known as
    ``/course/exercises/../.venv/bin/python``, which the sandbox cannot follow (``exercises`` is not
    in it). Not resolved further: a venv's python is a link, and the venv is known by the link's path."""
    return os.path.normpath(os.path.abspath(sys.executable))


def readonly_paths() -> list[str]:
    """What the kernel may read besides the system: Python, the venv, ``course`` and its datasets."""
    import course
    from course import data

    paths = [sys.base_prefix, sys.prefix, str(Path(course.__file__).resolve().parent),
             str(Path(data.DATASETS_DIR).resolve())]
    real_python = os.path.realpath(sys.executable)
    if not any(real_python.startswith(p.rstrip("/") + "/") for p in paths + list(_SYSTEM_DIRS)):
        paths.append(os.path.dirname(real_python))
    # site-packages folders outside this prefix that .pth files put on the path: a thin environment
    # (the classroom's python for every user) imports the course's packages from another venv's.
    # Only package folders, never the working folder or a checkout: those could hold instructor files.
    paths += [p for p in sys.path if p and os.path.basename(os.path.normpath(p)) in ("site-packages", "dist-packages")
              and os.path.isdir(p)]
    out = []
    for p in paths:
        p = os.path.realpath(p)
        if p not in out and not any(p.startswith(s + "/") for s in _SYSTEM_DIRS):
            out.append(p)
    return out


def make_policy(limits: dict | None = None, slot: int = 0, language: str = "en") -> dict:
    """The sandbox settings of one grading process; ``slot`` numbers parallel processes (own uid each).

    ``language``: the problem set's language; a translated edition's kernel gets ``COURSE_LANGUAGE``
    (``course.i18n`` reads it at import, so the self-checks speak it even without the language cell).
    """
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    root = os.geteuid() == 0
    return {
        "bwrap": bwrap_path(),
        "setpriv": shutil.which("setpriv") if root else None,
        "prlimit": shutil.which("prlimit") or "/usr/bin/prlimit",
        "uid": SANDBOX_UID + slot if root else None,
        "gid": SANDBOX_UID + slot if root else None,
        "python": _python(),
        "readonly": readonly_paths(),
        "limits": limits,
        "env": {
            "PATH": f"{os.path.dirname(_python())}:/usr/local/bin:/usr/bin:/bin",
            "HOME": HOME, "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": f"{HOME}/.config/matplotlib",
            "IPYTHONDIR": f"{HOME}/.ipython", "JUPYTER_CONFIG_DIR": f"{HOME}/.jupyter",
            "JUPYTER_DATA_DIR": f"{HOME}/.local/share/jupyter", "JUPYTER_RUNTIME_DIR": f"{HOME}/.runtime",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "MALLOC_ARENA_MAX": "2", "TMPDIR": "/tmp", "PYTHONPATH": KERNEL_SITE,
            **({"COURSE_LANGUAGE": language} if language != "en" else {}),
        },
        "kernel_site": str(Path(__file__).resolve().parent / "kernel_site"),
    }


def write_kernelspec(folder: Path, limits: dict | None = None, slot: int = 0, language: str = "en",
                     zygote: str | None = None) -> Path:
    """Write ``folder/kernels/nqpf-sandbox/`` (kernel.json + policy.json); put ``folder`` on JUPYTER_PATH.

    ``zygote``: the socket of this grading process's warm-kernel zygote (``warm.py``), if it has one.
    """
    spec_dir = Path(folder) / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    policy = make_policy(limits, slot, language)
    if zygote and policy["uid"] is not None:
        policy["zygote"] = str(zygote)
    (spec_dir / "policy.json").write_text(json.dumps(policy, indent=1))
    kernel = {
        "argv": [_python(), "-I", "-S", str(Path(__file__).resolve()), "--policy",
                 "{resource_dir}/policy.json", "--cwd", "{cwd}", "-f", "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",  # signals cannot cross into the sandbox's new session
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(kernel, indent=1))
    return spec_dir


# ---------------------------------------------------------------------------
# the launcher (runs in its own small process: python -I -S sandbox.py ...)
# ---------------------------------------------------------------------------

def build_argv(policy: dict, cwd: str, connection_file: str, kernel_args: list[str],
               payload: list[str] | None = None) -> list[str]:
    """The full command line that starts one kernel in its sandbox (or ``payload`` in its place).

    As root: bwrap makes the namespaces itself (no user namespace), keeps only CAP_SETUID/SETGID for
    ``setpriv``, which drops to the run's unprivileged uid after ``prlimit`` set the limits, so the
    kernel runs as a plain user with no capabilities. As an ordinary user: bwrap makes a user namespace
    (and forbids nested ones); the limits are set inside it, so the process count is the sandbox's own.
    """
    lim = policy["limits"]
    root = policy.get("uid") is not None
    conn_dir = os.path.dirname(os.path.realpath(connection_file))
    work = f"{HOME}/{os.path.basename(os.path.normpath(cwd)) or 'work'}"
    tmpfs = str(int(lim["tmpfs_mb"]) * 1024 * 1024)
    a = [policy["bwrap"], "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
         "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv", "--hostname", "sandbox"]
    a += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"] if root else ["--unshare-user", "--disable-userns"]
    for key, value in policy["env"].items():
        a += ["--setenv", key, value]
    # the writable, size-limited file systems first, so that binds below them (a venv or a checkout
    # under /tmp) are not hidden; 1777 because bwrap (as root) makes them root's and the kernel is not root
    a += ["--proc", "/proc", "--dev", "/dev",
          "--size", tmpfs, "--perms", "1777", "--tmpfs", "/dev/shm",
          "--size", tmpfs, "--perms", "1777", "--tmpfs", "/tmp"]
    for d in _SYSTEM_DIRS:
        if os.path.islink(d):
            a += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            a += ["--ro-bind", d, d]
    for f in _ETC_FILES:
        if os.path.islink(f):
            a += ["--symlink", os.readlink(f), f]
        elif os.path.exists(f):
            a += ["--ro-bind", f, f]
    # parents of the bound folders: bwrap would make them 0700 (root-only) when it runs as root
    parents = sorted({str(q) for p in [*policy["readonly"], CONN_MOUNT, KERNEL_SITE] for q in Path(p).parents
                      if str(q) not in ("/", "/tmp")})
    for q in parents:
        a += ["--perms", "0755", "--dir", q]
    for p in policy["readonly"]:
        a += ["--ro-bind", p, p]
    a += ["--ro-bind", policy["kernel_site"], KERNEL_SITE,
          "--perms", "0755", "--dir", os.path.dirname(HOME),
          "--size", tmpfs, "--perms", "1777", "--tmpfs", HOME,
          "--perms", "1777", "--dir", work]
    # the assignment's other files (e.g. questions.json), read-only; never the notebook, never a link
    for entry in sorted(os.scandir(cwd), key=lambda e: e.name):
        if entry.is_file(follow_symlinks=False) and not entry.name.endswith(".ipynb"):
            a += ["--ro-bind", entry.path, f"{work}/{entry.name}"]
    a += ["--bind", conn_dir, CONN_MOUNT, "--chdir", work, "--remount-ro", "/", "--",
          policy["prlimit"], *(f"--{option}={int(lim[key]) * unit}" for key, option, _, unit in RLIMITS),
          "--core=0", "--"]
    if root:
        a += [policy["setpriv"], f"--reuid={policy['uid']}", f"--regid={policy['gid']}", "--clear-groups",
              "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    if payload is not None:
        return a + payload
    a += [policy["python"], "-m", "ipykernel_launcher", "-f", f"{CONN_MOUNT}/{os.path.basename(connection_file)}",
          "--HistoryManager.enabled=False", *kernel_args]
    return a


def main(argv: list[str]) -> None:
    args, kernel_args = {}, []
    it = iter(argv)
    for a in it:
        if a in ("--policy", "--cwd", "-f"):
            args[a] = next(it)
        else:
            kernel_args.append(a)
    kernel_args = [a for a in kernel_args if not a.startswith("--HistoryManager.hist_file")]
    with open(args["--policy"], encoding="utf-8") as fh:
        policy = json.load(fh)
    conn = os.path.realpath(args["-f"])
    # the kernel's own stdout/stderr (start-up errors; what a student writes to the raw file descriptors
    # goes to the grader through ipykernel instead) -> a log beside the connection file, size-capped by
    # RLIMIT_FSIZE inside the sandbox
    log = os.open(os.path.join(os.path.dirname(conn), "kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    if policy.get("uid") is not None:  # root: the sandbox user may bind its sockets here until seal()
        os.chown(os.path.dirname(conn), policy["uid"], policy["gid"])
        os.chmod(conn, 0o644)
    if policy.get("zygote") and _zygote_ready(policy["zygote"]):
        _warm(policy, args["--cwd"], conn, kernel_args)  # returns only if no warm kernel could be started
    cmd = build_argv(policy, args["--cwd"], conn, kernel_args)
    os.execv(cmd[0], cmd)


def _zygote_ready(sock: str, wait: float = 30.0) -> bool:
    """True once the zygote listens; it may still be importing when the first kernel starts. False at
    once if it has stopped (``grade.py`` writes its pid beside the socket)."""
    deadline = time.monotonic() + wait
    while not os.path.exists(sock):
        try:
            with open(sock + ".pid") as fh:
                os.kill(int(fh.read()), 0)
        except (OSError, ValueError):
            return False
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _warm(policy: dict, cwd: str, conn: str, kernel_args: list[str]) -> None:
    """Start the kernel from the grading process's zygote (``warm.py``) in a sandbox held by ``sleep``.

    bubblewrap builds the sandbox exactly as for a cold kernel, with ``sleep`` in the kernel's place;
    the zygote's fork joins it. This process then stays the kernel's process for the grader: it ends
    when the kernel ends, and when it ends (or is killed) bubblewrap's PID 1 goes, and every process
    in the sandbox with it. Returns (after removing the holder) if the kernel cannot be started warm.
    """
    import select
    import socket

    sleep = shutil.which("sleep", path="/usr/bin:/bin") or "/usr/bin/sleep"
    cmd = build_argv(policy, cwd, conn, kernel_args, payload=[sleep, "infinity"])
    r, w = os.pipe()
    proc = subprocess.Popen([cmd[0], "--info-fd", str(w), *cmd[1:]], pass_fds=(w,), stdin=subprocess.DEVNULL)
    os.close(w)
    why = "no answer"
    try:
        holder = _holder(_info(r, time.monotonic() + 20).get("child-pid", 0), proc, time.monotonic() + 20)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(60)
            s.connect(policy["zygote"])
            s.sendall((json.dumps({"holder": holder, "conn": conn, "kernel_args": kernel_args,
                                   "log": os.path.join(os.path.dirname(conn), "kernel.log"),
                                   "work": f"{HOME}/{os.path.basename(os.path.normpath(cwd)) or 'work'}"})
                       + "\n").encode())
            reply = json.loads(s.makefile("r", encoding="utf-8").readline() or "{}")
        kernel = int(reply.get("pid") or 0)
        why = reply.get("error", "no kernel")
        if kernel > 0:
            with open(os.path.join(os.path.dirname(conn), "kernel.pid"), "w") as fh:  # the grader's CPU figure
                fh.write(str(kernel))
            pidfd = os.pidfd_open(kernel)
            while proc.poll() is None and not select.select([pidfd], [], [], 1.0)[0]:
                pass
            proc.kill()
            proc.wait()
            os._exit(0)
    except (OSError, ValueError, TimeoutError) as exc:
        why = f"{type(exc).__name__}: {exc}"
    finally:
        os.close(r)
    proc.kill()
    proc.wait()
    print(f"[grading sandbox] warm kernel refused ({why}); starting a cold one", file=sys.stderr, flush=True)


def _info(fd: int, deadline: float) -> dict:
    """bubblewrap's ``--info-fd`` document (it may arrive in pieces)."""
    import select

    text = b""
    while time.monotonic() < deadline:
        if select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            chunk = os.read(fd, 4096)
            text += chunk
            try:
                return json.loads(text.decode())
            except ValueError:
                if not chunk:
                    break
    raise TimeoutError("bubblewrap gave no sandbox information")


def _holder(init: int, proc, deadline: float) -> int:
    """The pid of the sandbox's ``sleep`` (a child of bubblewrap's PID 1) once it runs: the sandbox is built."""
    while time.monotonic() < deadline and proc.poll() is None and init > 0:
        try:
            with open(f"/proc/{init}/task/{init}/children") as fh:
                for pid in fh.read().split():
                    if os.readlink(f"/proc/{pid}/exe").endswith("/sleep"):
                        return int(pid)
        except OSError:
            pass
        time.sleep(0.002)
    raise TimeoutError("the sandbox did not come up")


# ---------------------------------------------------------------------------
# grader side
# ---------------------------------------------------------------------------

def seal(conn_dir: Path) -> None:
    """After the kernel is up, before any student code: the sandbox user can no longer write here."""
    if os.geteuid() == 0:
        os.chown(conn_dir, 0, 0)
        os.chmod(conn_dir, 0o755)


_checked: tuple[bool, str] | None = None


def check_available() -> tuple[bool, str]:
    """(True, "") when a sandbox can be made here, else (False, one-line reason). Cached."""
    global _checked
    if _checked is not None:
        return _checked
    bw = bwrap_path()
    if not bw:
        _checked = (False, "bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
        return _checked
    cmd = [bw, "--unshare-pid", "--unshare-net", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    if os.geteuid() != 0:
        cmd[1:1] = ["--unshare-user", "--disable-userns"]
    elif not shutil.which("setpriv"):
        _checked = (False, "setpriv (util-linux) is missing: the grader runs as root and must drop to a plain user")
        return _checked
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _checked = (False, f"bwrap could not run: {exc}")
        return _checked
    if r.returncode != 0:
        why = (r.stderr.strip().splitlines() or ["no message"])[-1]
        _checked = (False, f"bwrap cannot create namespaces here ({why}); user namespaces must be enabled")
        return _checked
    _checked = (True, "")
    return _checked


if __name__ == "__main__":
    main(sys.argv[1:])
