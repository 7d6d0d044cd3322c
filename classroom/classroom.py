"""The course's JupyterHub classroom: set up a class, add students, start the hub, move problem sets.

    sudo .venv/bin/python classroom/classroom.py init --class-dir /srv/nqpf --instructor alice
    sudo .venv/bin/python classroom/classroom.py add-students roster.csv --class-dir /srv/nqpf --create-unix-users
    sudo .venv/bin/python classroom/classroom.py start --class-dir /srv/nqpf          # the hub, in the foreground

As the instructor (a normal user, in a terminal of their own hub server or over ssh):

    python classroom/classroom.py release          # grade.py generate + nbgrader release_assignment
    python classroom/classroom.py collect          # nbgrader collect (forged submissions refused) -> inbox/
    python exercises/grade.py --root ~/nqpf-course autograde ~/nqpf-course/inbox    # unchanged
    python exercises/grade.py --root ~/nqpf-course feedback
    python exercises/grade.py --root ~/nqpf-course export grades.csv
    python classroom/classroom.py return-feedback  # students get it with "Fetch feedback"

See classroom/README.md. Every command prints one clear line and exits 1 on bad input.
"""

from __future__ import annotations

import argparse
import csv
import grp
import hashlib
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GRADE_PY = REPO / "exercises" / "grade.py"
COURSE_ID = "nqpf-course"
USERNAME_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
DEFAULT_CLASS_DIR = os.environ.get("NQPF_CLASS_DIR", "/srv/nqpf-class")


class ClassroomError(Exception):
    """A problem the instructor must fix (one-line message)."""


# ---------------------------------------------------------------------------------------------
# Class folder and Unix users
# ---------------------------------------------------------------------------------------------

def is_root() -> bool:
    return os.geteuid() == 0


def init_class_dir(class_dir: Path, instructor: str, *, venv: Path | None = None,
                   extra_path: Path | None = None) -> Path:
    """Make the class folder: hub/ (root only, 0700), the exchange, the lists of users.

    The exchange keeps nbgrader's intended modes and adds the sticky bit where students write:

    ====================================  =======  ==========  ============================================
    exchange/                             1777     root        nbgrader wants 0777; sticky: nobody renames
                                                               or deletes another's entry (like /tmp)
    exchange/nqpf-course/                 0755     instructor  made now, so no student can claim the name
    exchange/nqpf-course/outbound/        0755     instructor  released problem sets: read only
    exchange/nqpf-course/inbound/         3733     instructor  submissions: write, never list; setgid as
                                                               nbgrader makes it; sticky: no student can
                                                               remove or rename another's submission
    exchange/nqpf-course/feedback/        0711     instructor  feedback files, opened by a secret name
    ====================================  =======  ==========  ============================================
    """
    if not USERNAME_RE.match(instructor):
        raise ClassroomError(f"instructor name {instructor!r} is not a valid Unix user name")
    class_dir = Path(class_dir).resolve()
    class_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(class_dir, 0o755)
    hub = class_dir / "hub"
    hub.mkdir(exist_ok=True)
    os.chmod(hub, 0o700)
    uid = gid = None
    if is_root():
        try:
            pw = pwd.getpwnam(instructor)
        except KeyError as exc:
            raise ClassroomError(f"no Unix user {instructor!r}: create the instructor's account first") from exc
        uid, gid = pw.pw_uid, pw.pw_gid
    exchange = class_dir / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chmod(exchange, 0o1777)
    course = exchange / COURSE_ID
    for path, mode in ((course, 0o755), (course / "outbound", 0o755), (course / "inbound", 0o3733),
                       (course / "feedback", 0o711)):
        path.mkdir(exist_ok=True)
        if uid is not None:
            os.chown(path, uid, gid)
        os.chmod(path, mode)
    make_class_python(class_dir, venv, extra_path)
    (class_dir / "instructor").write_text(instructor + "\n")
    allowed = class_dir / "allowed_users.txt"
    if not allowed.exists():
        allowed.write_text("# students allowed on the hub, one a line (classroom.py add-students)\n")
    return class_dir


def usable_by_everyone(path: Path) -> bool:
    """True if any user can reach and run ``path``: every parent folder o+x, the file o+rx."""
    path = Path(os.path.realpath(path))
    mode = path.stat().st_mode
    if not (mode & stat.S_IROTH and mode & stat.S_IXOTH):
        return False
    return all(p.stat().st_mode & stat.S_IXOTH for p in path.parents)


_STDLIB_SKIP = {"site-packages", "test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3"}


def _base_python_for_everyone(class_dir: Path) -> Path:
    """This CPython's interpreter if every user may run it, else a copy of it in ``<class_dir>/python-base``.

    pyenv keeps Python under /root (0700): students could not start it. The copy (interpreter,
    libpython, standard library without tests: about 100 MB) is the very same build, so every
    compiled package of the course's .venv works with it; its library search path is set to its own
    ``lib`` folder so it never picks up the system's libpython of another patch version.
    """
    real = Path(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))
    if usable_by_everyone(real):
        return real
    prefix = Path(sys.base_prefix)
    xy = f"{sys.version_info.major}.{sys.version_info.minor}"
    dest = Path(class_dir) / "python-base"
    (dest / "bin").mkdir(parents=True, exist_ok=True)
    (dest / "lib").mkdir(exist_ok=True)
    binary = (dest / "bin" / f"python{xy}")
    data = real.read_bytes()
    runpath = str(prefix / "lib").encode() + b"\0"
    if data.count(runpath) == 1:  # the dynamic section's RUNPATH: point it at the copy's own lib/
        new = b"$ORIGIN/../lib"
        data = data.replace(runpath, new + b"\0" * (len(runpath) - len(new)))
    binary.write_bytes(data)
    os.chmod(binary, 0o755)
    for lib in prefix.glob(f"lib/libpython{xy}*.so*"):
        if lib.is_symlink():
            (dest / "lib" / lib.name).symlink_to(os.readlink(lib))
        else:
            shutil.copy2(lib, dest / "lib" / lib.name)
    shutil.copytree(prefix / "lib" / f"python{xy}", dest / "lib" / f"python{xy}", symlinks=True, dirs_exist_ok=True,
                    ignore=lambda d, names: [n for n in names if n in _STDLIB_SKIP or n.startswith("config-")])
    return binary


def make_class_python(class_dir: Path, venv: Path | None = None, extra_path: Path | None = None) -> Path:
    """A thin virtual environment in ``<class_dir>/python`` that every student and the instructor can run.

    It holds no packages of its own: a ``.pth`` file adds the course's ``.venv`` site-packages, its
    ``share``/``etc`` link to the ``.venv``'s (JupyterLab, the widget and nbgrader extensions), and its
    ``bin`` has the ``.venv``'s scripts with this interpreter in their first line. The interpreter is
    this Python's own or, when that one is private (pyenv under /root), a copy of it (see
    :func:`_base_python_for_everyone`). ``venv`` is the course's environment (default: this one);
    ``extra_path`` a checkout to import ``course`` from instead of the editable install's (a mirror
    of a checkout that students cannot read). Returns its ``bin/python``.
    """
    env = Path(class_dir) / "python"
    py = env / "bin" / "python"
    if py.exists():
        return py
    base = _base_python_for_everyone(class_dir)
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(env)], check=True, capture_output=True)
    venv = Path(venv or sys.prefix)
    xy = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site_dir = venv / "lib" / xy / "site-packages"
    if not site_dir.is_dir():
        site_dir = Path(sysconfig.get_paths()["purelib"])
    target = env / "lib" / xy / "site-packages"
    lines = f"import site; site.addsitedir({str(site_dir)!r})\n"
    if extra_path is not None:  # found by the path finder before the editable install's finder
        lines += f"import sys; sys.path.append({str(extra_path)!r})\n"
    (target / "nqpf_course_env.pth").write_text(lines)
    for name in ("share", "etc"):
        if (venv / name).exists() and not (env / name).exists():
            (env / name).symlink_to(venv / name)
    for script in (venv / "bin").iterdir():
        if script.is_symlink() or not script.is_file() or (env / "bin" / script.name).exists():
            continue
        try:
            text = script.read_text()
        except UnicodeDecodeError:
            continue
        first, _, rest = text.partition("\n")
        if first.startswith("#!") and "python" in first:
            out = env / "bin" / script.name
            out.write_text(f"#!{py}\n{rest}")
            os.chmod(out, 0o755)
    for top in (env, Path(class_dir) / "python-base"):
        if not top.exists():
            continue
        os.chmod(top, 0o755)
        for folder, dirs, files in os.walk(top):
            for n in dirs + files:
                p = Path(folder) / n
                if not p.is_symlink():
                    os.chmod(p, (p.stat().st_mode | 0o444 | (0o111 if p.is_dir() else 0)) & 0o7777)
    if not usable_by_everyone(py):
        raise ClassroomError(f"{py} is not usable by every user: check the modes of its parent folders")
    return py


def class_python(class_dir: Path) -> Path:
    py = Path(class_dir) / "python" / "bin" / "python"
    return py if py.exists() else Path(sys.executable)


def create_unix_user(name: str, home: Path, *, shell: str = "/usr/sbin/nologin") -> bool:
    """Create a Unix user with a private group and a 0700 home; False if it already existed."""
    if not USERNAME_RE.match(name):
        raise ClassroomError(f"{name!r} is not a valid Unix user name")
    try:
        pwd.getpwnam(name)
        existed = True
    except KeyError:
        existed = False
        subprocess.run(["useradd", "--home-dir", str(home), "--no-create-home", "--shell", shell,
                        "--user-group", name], check=True, capture_output=True, text=True)
    pw = pwd.getpwnam(name)
    home = Path(pw.pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, pw.pw_uid, pw.pw_gid)
    os.chmod(home, 0o700)
    return not existed


def delete_unix_user(name: str) -> None:
    """Remove a user and its private group (its home is left to the caller)."""
    subprocess.run(["userdel", name], check=False, capture_output=True)
    try:
        grp.getgrnam(name)
        subprocess.run(["groupdel", name], check=False, capture_output=True)
    except KeyError:
        pass


def read_roster(path: Path) -> list[dict]:
    """Rows of a roster CSV with a ``username`` column (``name`` and ``email`` optional).

    Raises ClassroomError naming the row for a missing column, a bad or a duplicate user name.
    """
    path = Path(path)
    if not path.exists():
        raise ClassroomError(f"roster {path} does not exist")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        if "username" not in fields:
            raise ClassroomError(f"{path}: the first line must be a header with a 'username' column "
                                 f"(found: {', '.join(fields) or 'nothing'})")
        rows, seen = [], {}
        for lineno, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            name = row.get("username", "")
            if not name and not any(row.values()):
                continue  # blank line
            if not USERNAME_RE.match(name):
                raise ClassroomError(f"{path}, line {lineno}: username {name!r} is not usable: use lower-case "
                                     "letters, digits, '_' or '-', starting with a letter, at most 32 characters")
            if name in seen:
                raise ClassroomError(f"{path}, line {lineno}: username {name!r} repeats line {seen[name]}")
            seen[name] = lineno
            rows.append({"username": name, "name": row.get("name", ""), "email": row.get("email", "")})
    if not rows:
        raise ClassroomError(f"{path}: no students in the roster")
    return rows


def add_students(class_dir: Path, roster: Path, *, create_unix_users: bool = False,
                 home_base: Path = Path("/home"), hub_url: str | None = None,
                 token: str | None = None) -> list[str]:
    """Allow the roster's students on the hub; optionally create their Unix users and tell a running hub."""
    class_dir = Path(class_dir)
    rows = read_roster(roster)
    names = [r["username"] for r in rows]
    allowed_file = class_dir / "allowed_users.txt"
    if not allowed_file.exists():
        raise ClassroomError(f"{class_dir} is not a class folder: run `classroom.py init` first")
    current = [ln.strip() for ln in allowed_file.read_text().splitlines()]
    new = [n for n in names if n not in current]
    with open(allowed_file, "a", encoding="utf-8") as fh:
        fh.writelines(n + "\n" for n in new)
    if create_unix_users:
        if not is_root():
            raise ClassroomError("creating Unix users needs root (run with sudo)")
        for n in names:
            create_unix_user(n, Path(home_base) / n)
    if hub_url and token:
        import requests

        r = requests.post(f"{hub_url.rstrip('/')}/hub/api/users", json={"usernames": names},
                          headers={"Authorization": f"token {token}"}, timeout=30)
        if r.status_code not in (201, 409):
            raise ClassroomError(f"the hub refused the new users: HTTP {r.status_code} {r.text[:200]}")
    return new


# ---------------------------------------------------------------------------------------------
# Instructor's exchange commands (nbgrader with the class's configuration)
# ---------------------------------------------------------------------------------------------

def nbgrader_env(class_dir: Path) -> dict:
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = str(HERE / "jupyter")
    env["NQPF_EXCHANGE"] = str(Path(class_dir) / "exchange")
    me = pwd.getpwuid(os.getuid()).pw_name
    env["NQPF_INSTRUCTORS"] = me  # the instructor gets no student id
    env.pop("JUPYTERHUB_USER", None)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    if not is_root() and _class_shares_one_account(class_dir):
        env["NQPF_OWNER_CHECK"] = "0"
    return env


def _class_shares_one_account(class_dir: Path) -> bool:
    return (Path(class_dir) / "shared_account").exists()


def run_nbgrader(course_dir: Path, class_dir: Path, *args: str, root: Path | None = None) -> str:
    root = Path(root or course_dir)
    cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}",
           f"--CourseDirectory.db_url=sqlite:///{Path(course_dir) / 'gradebook.db'}"]
    out = subprocess.run(cmd, cwd=course_dir, env=nbgrader_env(class_dir), capture_output=True, text=True)
    if out.returncode != 0:
        tail = "\n".join((out.stdout + out.stderr).strip().splitlines()[-12:])
        raise ClassroomError(f"nbgrader {args[0]} failed (exit {out.returncode}):\n{tail}")
    return out.stdout + out.stderr


def _grade_py(course_dir: Path, *args: str) -> str:
    out = subprocess.run([sys.executable, str(GRADE_PY), "--root", str(course_dir), *args],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise ClassroomError(f"grade.py {' '.join(args)} failed:\n{(out.stdout + out.stderr).strip()[-1500:]}")
    return out.stdout


def release(course_dir: Path, class_dir: Path, assignment: str = "ps1") -> Path:
    """Make the student version with grade.py and put it in the exchange's outbound folder."""
    course_dir = Path(course_dir)
    course_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(course_dir, 0o700)  # source (solutions, hidden tests) and gradebook: the instructor's only
    _grade_py(course_dir, "--assignment", assignment, "generate")
    run_nbgrader(course_dir, class_dir, "release_assignment", assignment, "--force")
    return Path(class_dir) / "exchange" / COURSE_ID / "outbound" / assignment


def collect(course_dir: Path, class_dir: Path, assignment: str = "ps1") -> tuple[Path, list[dict]]:
    """Collect the newest genuine submission of every student into ``inbox/<student>/<assignment>.ipynb``.

    nbgrader collect (with :class:`exchange.OwnerCheckedCollect`) fills ``collected/submitted/``;
    the notebooks are then copied to ``inbox/``, the layout ``grade.py autograde`` reads.
    Returns the inbox and the refused submissions.
    """
    course_dir = Path(course_dir)
    collected = course_dir / "collected"
    collected.mkdir(exist_ok=True)
    run_nbgrader(course_dir, class_dir, "collect", assignment, "--update", root=collected)
    inbox = course_dir / "inbox"
    for sub in sorted((collected / "submitted").glob(f"*/{assignment}")):
        sid = sub.parent.name
        nb = sub / f"{assignment}.ipynb"
        if nb.exists():
            (inbox / sid).mkdir(parents=True, exist_ok=True)
            shutil.copy2(nb, inbox / sid / f"{assignment}.ipynb")
    refused_file = collected / "refused_submissions.json"
    refused = json.loads(refused_file.read_text()) if refused_file.exists() else []
    return inbox, refused


def return_feedback(course_dir: Path, class_dir: Path, assignment: str = "ps1") -> int:
    """Put each student's grade.py feedback where nbgrader's "Fetch feedback" finds it.

    nbgrader names a feedback file by a hash of the secret the student's submission carries
    (``submission_secret.txt``); only that student's own copy of the submission has it.
    """
    course_dir = Path(course_dir)
    dest = Path(class_dir) / "exchange" / COURSE_ID / "feedback"  # 0711: open by name, never list
    if not dest.is_dir():
        raise ClassroomError(f"{dest} does not exist: is {class_dir} a class folder (classroom.py init)?")
    n = 0
    for sub in sorted((course_dir / "collected" / "submitted").glob(f"*/{assignment}")):
        sid = sub.parent.name
        html_file = course_dir / "feedback" / sid / assignment / f"{assignment}.html"
        secret_file = sub / "submission_secret.txt"
        if not html_file.exists() or not secret_file.exists():
            continue
        digest = hashlib.md5((secret_file.read_text() + assignment).encode()).hexdigest()
        tmp = dest / f"{digest}-tmp.html"
        shutil.copyfile(html_file, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest / f"{digest}.html")
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# The hub
# ---------------------------------------------------------------------------------------------

def hub_command(class_dir: Path, here: Path = HERE) -> tuple[list[str], dict]:
    """The command that starts the hub (run by root) with ``here``'s configuration, and its environment."""
    env = dict(os.environ)
    env["NQPF_CLASS_DIR"] = str(Path(class_dir).resolve())
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(Path(here) / "jupyterhub_config.py")], env


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Run the course on a JupyterHub for a class (classroom/README.md).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("init", help="make the class folder (root)")
    p.add_argument("--instructor", required=True, help="the instructor's Unix and hub user name")
    a = sub.add_parser("add-students", help="allow the students of a roster CSV (username[,name,email])")
    a.add_argument("roster", type=Path)
    a.add_argument("--create-unix-users", action="store_true", help="also create their Unix users (root)")
    a.add_argument("--home-base", type=Path, default=Path("/home"))
    a.add_argument("--hub-url", help="tell a running hub too, e.g. http://127.0.0.1:8000 (token in NQPF_SERVICE_TOKEN)")
    sub.add_parser("start", help="start the hub in the foreground (root for a real class)")
    home = Path(os.path.expanduser("~"))
    for name in ("release", "collect", "return-feedback"):
        q = sub.add_parser(name, help=f"instructor: {name} (run as the instructor, not root)")
        q.add_argument("--course-dir", type=Path, default=home / COURSE_ID,
                       help="the instructor's course folder (default ~/nqpf-course)")
        q.add_argument("--assignment", default="ps1")
    for q in sub.choices.values():
        q.add_argument("--class-dir", type=Path, default=Path(DEFAULT_CLASS_DIR),
                       help=f"the class folder (default $NQPF_CLASS_DIR or {DEFAULT_CLASS_DIR})")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "init":
            if not is_root():
                print("classroom: not root: students will share your Unix account (demo only, no isolation)")
            d = init_class_dir(args.class_dir, args.instructor)
            print(f"class folder ready: {d}")
        elif args.cmd == "add-students":
            new = add_students(args.class_dir, args.roster, create_unix_users=args.create_unix_users,
                               home_base=args.home_base, hub_url=args.hub_url,
                               token=os.environ.get("NQPF_SERVICE_TOKEN"))
            print(f"{len(new)} new students allowed ({args.class_dir / 'allowed_users.txt'})")
        elif args.cmd == "start":
            cmd, env = hub_command(args.class_dir)
            os.execve(cmd[0], cmd, env)
        elif args.cmd == "release":
            print("released to", release(args.course_dir, args.class_dir, args.assignment))
        elif args.cmd == "collect":
            inbox, refused = collect(args.course_dir, args.class_dir, args.assignment)
            n = len([p for p in inbox.iterdir() if p.is_dir()]) if inbox.exists() else 0
            print(f"{n} submissions in {inbox}; refused {len(refused)}")
            for r in refused:
                print(f"  refused {r['submission']}: {r['why']}")
        elif args.cmd == "return-feedback":
            print(f"feedback returned to {return_feedback(args.course_dir, args.class_dir, args.assignment)} students")
    except ClassroomError as exc:
        print(f"classroom: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
