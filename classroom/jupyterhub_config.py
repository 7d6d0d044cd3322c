"""JupyterHub configuration for a class on one server (JupyterHub 6.1, see classroom/README.md).

    jupyterhub -f classroom/jupyterhub_config.py          # or: python classroom/classroom.py start

Everything that differs between classes comes from environment variables, so this file is used
unchanged by the instructor's server and by the simulated class (classroom/simulate.py):

=====================  ============================================================================
NQPF_CLASS_DIR         the class folder made by ``classroom.py init`` (hub database, exchange ...);
                       required
NQPF_BIND_URL          public address of the proxy; default ``http://127.0.0.1:8000`` (loopback)
NQPF_HUB_PORT          the hub's own API port on 127.0.0.1 (default 8081)
NQPF_PROXY_API_PORT    the proxy's API port on 127.0.0.1 (default 8001)
NQPF_AUTH              ``pam`` (default: Unix accounts and passwords), ``dummy`` (DEMO ONLY: any
                       password is accepted; refused unless the hub listens on loopback), or the
                       import path of another authenticator class (e.g.
                       ``oauthenticator.generic.GenericOAuthenticator``, configured in
                       ``$NQPF_CLASS_DIR/jupyterhub_extra_config.py``)
NQPF_INSTRUCTORS       comma-separated hub user names of the instructors (default: the one in
                       ``$NQPF_CLASS_DIR/instructor``); they get no student id in nbgrader
NQPF_SPAWN_TIMEOUT     seconds a server may take to start (default 180; JupyterHub's 30/60 s make
                       most spawns fail when a whole class starts at once on two cores)
NQPF_SERVICE_TOKEN     optional API token of an admin service ``classdriver`` (roster, simulation)
=====================  ============================================================================

Students are allowed from ``$NQPF_CLASS_DIR/allowed_users.txt`` (one name a line, written by
``classroom.py add-students``). A hub run by root starts each student's server as that student's
Unix user (JupyterHub's local-process spawner); see the README for what that isolates.
"""

import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent


class ClassroomConfigError(SystemExit):
    pass


def _fail(message: str) -> None:
    bar = "!" * 78
    raise ClassroomConfigError(f"\n{bar}\nclassroom/jupyterhub_config.py: {message}\n{bar}\n")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; False for '', 0.0.0.0 and every other address."""
    host = (host or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


class_dir = os.environ.get("NQPF_CLASS_DIR")
if not class_dir:
    _fail("set NQPF_CLASS_DIR to the class folder made by `python classroom/classroom.py init`")
class_dir = Path(class_dir).resolve()
hub_dir = class_dir / "hub"
if not hub_dir.is_dir():
    _fail(f"{hub_dir} does not exist: run `python classroom/classroom.py init --class-dir {class_dir}` first")

bind_url = os.environ.get("NQPF_BIND_URL", "http://127.0.0.1:8000")
bind_host = urlparse(bind_url).hostname or ""
auth = os.environ.get("NQPF_AUTH", "pam").strip()

# ---------------------------------------------------------------------------------------------
# Authentication. The dummy authenticator lets ANYONE in as ANY user with ANY password: it is for
# the simulated class and local demos only, and is refused on anything but a loopback address.
# ---------------------------------------------------------------------------------------------
if auth == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
elif auth == "pam":
    c.JupyterHub.authenticator_class = "pam"
else:
    c.JupyterHub.authenticator_class = auth

allowed_file = class_dir / "allowed_users.txt"
allowed = set()
if allowed_file.exists():
    allowed = {ln.strip() for ln in allowed_file.read_text().splitlines() if ln.strip() and not ln.startswith("#")}
instructor_file = class_dir / "instructor"
instructors = [u.strip() for u in os.environ.get("NQPF_INSTRUCTORS", "").split(",") if u.strip()]
if not instructors and instructor_file.exists():
    instructors = [instructor_file.read_text().strip()]
c.Authenticator.allowed_users = allowed | set(instructors)
# users the admin API adds later (classroom.py add-students on a running hub) are allowed too
c.Authenticator.allow_existing_users = True

# ---------------------------------------------------------------------------------------------
# Network: the proxy on NQPF_BIND_URL, the hub and the proxy API on loopback only.
# ---------------------------------------------------------------------------------------------
c.JupyterHub.bind_url = bind_url
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("NQPF_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('NQPF_PROXY_API_PORT', '8001'))}"
chp = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if not chp.exists():
    _fail(f"{chp} is missing: run `make setup` (it installs configurable-http-proxy with npm)")
c.ConfigurableHTTPProxy.command = [str(chp)]
c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(hub_dir / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(hub_dir / "jupyterhub.pid")

# ---------------------------------------------------------------------------------------------
# Student servers: the course's own Python, the class's nbgrader configuration, the timeouts a
# whole class starting at once needs, and idle kernels/servers shut down by jupyter_server itself.
# ---------------------------------------------------------------------------------------------
running_as_root = os.geteuid() == 0
if running_as_root:
    # each server runs as the Unix user of the same name, in that user's home (0700)
    c.JupyterHub.spawner_class = "localprocess"
else:
    # not root: every server runs as this one Unix user, in a folder of its own. Students are
    # NOT isolated from each other; fine for a demo on a laptop, never for a class.
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(class_dir / "home" / "{username}")
    print("classroom: not root, so all students share one Unix user (no isolation: demo only)",
          file=sys.stderr)

# classroom.py init made <class dir>/python: the course's packages on an interpreter every student
# may run (this machine's own Python may sit in a private folder, e.g. pyenv under /root)
class_bin = class_dir / "python" / "bin"
if not (class_bin / "jupyterhub-singleuser").exists():
    _fail(f"{class_bin}/jupyterhub-singleuser is missing: run `python classroom/classroom.py init` again")
c.Spawner.cmd = [str(class_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    # classroom/jupyter/nbgrader_config.py: course id, exchange, student id from the hub user
    "JUPYTER_CONFIG_PATH": str(HERE / "jupyter"),
    "NQPF_EXCHANGE": str(class_dir / "exchange"),
    "NQPF_CLASS_DIR": str(class_dir),
    "NQPF_INSTRUCTORS": ",".join(instructors),
    "PATH": f"{class_bin}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
}
# students keep JupyterLab, the kernels and nbgrader's assignment list; no language server, no
# terminal, no classic notebook UI, no formgrader: about 0.5 CPU-s less per server start
off = ["jupyter_lsp", "jupyter_server_terminals", "notebook", "nbgrader.server_extensions.formgrader",
       "nbgrader.server_extensions.course_list"]
lean = ["--ServerApp.jpserver_extensions=" + repr({name: False for name in off})]
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=1800",  # a kernel idle 30 min is shut down
    "--MappingKernelManager.cull_interval=300",
    "--ServerApp.shutdown_no_activity_timeout=3600",  # a server unused for an hour stops itself
]


def _lean_for_students(spawner):
    """Students get the lean server; instructors keep the terminal, formgrader and course list."""
    if spawner.user.name not in instructors and lean[0] not in spawner.args:
        spawner.args = lean + list(spawner.args)


c.Spawner.pre_spawn_hook = _lean_for_students
timeout = int(os.environ.get("NQPF_SPAWN_TIMEOUT", "180"))
c.Spawner.start_timeout = timeout
c.Spawner.http_timeout = timeout
# start/stop API calls return 202 at once instead of blocking up to 10 s each
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0, "slow_stop_timeout": 0}
c.JupyterHub.concurrent_spawn_limit = 200
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student server

# ---------------------------------------------------------------------------------------------
# Roles: the instructors are hub admins; an optional admin service drives roster and simulation.
# ---------------------------------------------------------------------------------------------
roles = [{"name": "admin", "users": instructors}]
token = os.environ.get("NQPF_SERVICE_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "classdriver", "api_token": token}]
    roles[0]["services"] = ["classdriver"]
c.JupyterHub.load_roles = roles

extra = class_dir / "jupyterhub_extra_config.py"
if extra.exists():  # site-specific settings (OAuth client ids, TLS ...), kept out of the repo
    load_subconfig(str(extra))  # noqa: F821 - provided by JupyterHub

# Checked last, on the final settings, so an extra config cannot slip past it.
_auth_class = str(c.JupyterHub.authenticator_class)
if _auth_class == "dummy" or "DummyAuthenticator" in _auth_class:
    final_url = str(c.JupyterHub.bind_url)
    if not is_loopback(urlparse(final_url).hostname or ""):
        _fail(f"the DUMMY authenticator lets anyone in as any user with any password. It is for the "
              f"simulated class and local demos on loopback only, and is refused on {final_url!r}. "
              f"For a real class use NQPF_AUTH=pam (Unix accounts) or an OAuth/LDAP authenticator "
              f"(classroom/README.md, 'Authentication').")
    print("*" * 78 + "\n*  DEMO ONLY: the dummy authenticator accepts any password for any user.  "
          "      *\n" + "*" * 78, file=sys.stderr)
