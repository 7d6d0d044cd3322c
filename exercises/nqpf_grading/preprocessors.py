"""nbgrader steps that run a submission in the sandbox and grade it by name in the grader's process.

``grade.py autograde`` runs ``nbgrader autograde`` with these in place of nbgrader's ``Execute``:

1. :class:`SandboxExecute` runs every code cell in a kernel started in the bubblewrap sandbox (the
   ``nqpf-sandbox`` kernelspec, forced whatever the notebook's metadata says), keeps the student's
   own wall-clock budget (each cell gets at most what is left of it), caps the output it keeps in
   bytes, ignores widget and display-update messages, and records every timeout, kernel death and cut
   output as an *event* (never by reading the notebook's text, which the student controls). After the
   whole notebook has run it appends the grader's **report cells**: they read the named answers from
   the kernel's namespace and send them back as plain data (numbers as text, type names otherwise),
   and call each function question on the grader's inputs. Only output carrying this run's random
   nonce is read; the report cells are removed again.
2. :class:`GradeByName` compares the reported values with the references, computed here from the
   problem set's specification for the variant of the student the submission was **collected from**
   (nbgrader's student id, not anything in the notebook), writes each verdict as the only output of the
   question's grade cell (an error output when it fails, so nbgrader's ``SaveAutoGrades`` scores it 0;
   stderr warnings of a correct answer no longer cost points), strips every output down to plain text
   and PNG/JPEG images, cut to a byte budget, and writes the flags to the run's events folder.

:class:`SanitizeForFeedback` repeats the output clean-up before HTML feedback is made.

What a hostile notebook can do here is lie about its own values, which it could as well have set;
everything that decides a score or a flag happens in this process.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import contextlib
import json
import math
import os
import re
import secrets
import shutil
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Float, Integer, Unicode

from course.i18n import _

from . import sandbox, spec

MIME = "application/vnd.nqpf.report+json"


def _fast_sqlite(dbapi_connection, _record) -> None:
    # the gradebook is in WAL mode (grade.py); NORMAL sync is safe there and saves an fsync per commit
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


try:  # every engine nbgrader creates in this grading process
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _fast_sqlite):
        event.listen(Engine, "connect", _fast_sqlite)
except ImportError:  # pragma: no cover
    pass
KEEP_MIME = ("text/plain", "image/png", "image/jpeg")
TEXT_CAP = 20_000        # bytes of one text output kept in the graded notebook and the feedback
CELL_CAP = 64_000        # bytes of all outputs of one cell
IMAGE_CAP = 1_500_000    # bytes of one base64 image
LIVE_CELL_CAP = 1_000_000        # bytes accepted from the kernel per cell while running
LIVE_NOTEBOOK_CAP = 8_000_000    # ... and per notebook


# ---------------------------------------------------------------------------
# the report cells (run in the student's kernel, after the whole notebook)
# ---------------------------------------------------------------------------

_ENCODE = r'''
def _enc(x):
    import numbers
    try:
        if isinstance(x, bool) or type(x).__name__ == "bool_":
            return {"t": "bool"}
        if isinstance(x, numbers.Real):
            return {"t": "number", "v": repr(float(x))}
        if type(x).__module__.startswith("numpy") and getattr(x, "size", None) == 1 and hasattr(x, "item"):
            return _enc(x.item())
        if isinstance(x, str):
            return {"t": "str", "v": x[:200]}
        if callable(x):
            return {"t": "callable"}
        return {"t": "other", "type": type(x).__name__[:60]}
    except BaseException as exc:  # a hostile __float__ etc.: its own loss
        return {"t": "error", "error": type(exc).__name__[:60]}
'''

_REPORT_VALUES = _ENCODE + r'''
def _report():
    from IPython import get_ipython
    from IPython.display import publish_display_data
    import sys
    sh = get_ipython()
    ns = sh.user_ns
    values = {n: (_enc(ns[n]) if n in ns else {"t": "missing"}) for n in NAMES}
    hooks = [getattr(f, "__qualname__", type(f).__name__)[:40]
             for f in list(sh.input_transformers_cleanup) + list(sh.input_transformers_post)]
    hooks += ["ast:" + type(t).__name__[:40] for t in sh.ast_transformers]
    if sys.gettrace() is not None or sys.getprofile() is not None:
        hooks.append("trace/profile function")
    publish_display_data({MIME: {"nonce": NONCE, "values": values, "hooks": hooks[:20]}})
_report()
'''

_REPORT_CALLS = _ENCODE + r'''
def _report():
    from IPython import get_ipython
    from IPython.display import publish_display_data
    f = get_ipython().user_ns.get(NAME)
    results = []
    if callable(f):
        for args in ARGS:
            try:
                results.append(_enc(f(*args)))
            except Exception as exc:
                results.append({"t": "error", "error": type(exc).__name__[:60]})
    publish_display_data({MIME: {"nonce": NONCE, "name": NAME, "results": results}})
_report()
'''


def _report_cell(source: str, **names) -> NotebookNode:
    env = {"__name__": "__grader__", "MIME": MIME, **names}
    return new_code_cell(f"exec(compile({source!r}, '<grader>', 'exec'), {env!r})")


@contextlib.contextmanager
def _nodes_unchecked():
    """nbformat checks every output node it builds against the notebook schema, with the slow validator
    (a part of the schema cannot use fastjsonschema): 1-2 ms each, about 45 nodes per submission. While
    grading, the outputs the kernel sent are rebuilt by :func:`clean_outputs` from plain strings of the
    schema's types before anything is written, so the check is skipped in these steps only."""
    from nbformat.v4 import nbbase

    original = nbbase.validate
    nbbase.validate = lambda node, ref=None: None
    try:
        yield
    finally:
        nbbase.validate = original


def _read_report(cell: NotebookNode, nonce: str) -> dict | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") != "display_data":
            continue
        payload = out.get("data", {}).get(MIME)
        if isinstance(payload, dict) and payload.get("nonce") == nonce:
            return payload
    return None


# ---------------------------------------------------------------------------
# the kernel manager and the executor
# ---------------------------------------------------------------------------

class SandboxKernelManager(AsyncKernelManager):
    """Starts the ``nqpf-sandbox`` kernel over ``ipc`` sockets in a fresh private folder.

    The kernel sees that folder at ``sandbox.CONN_MOUNT``; the connection file it reads names the
    sockets there, while this side connects to the same sockets by their real path.
    """

    run_dir = Unicode("", help="folder for the per-kernel connection folders (grader-private)").tag(config=True)

    async def _async_pre_start_kernel(self, **kw):
        import tempfile

        base = self.run_dir or None
        self.conn_dir = Path(tempfile.mkdtemp(prefix="k", dir=base))
        self.transport = "ipc"
        self._host_ip = str(self.conn_dir / "s")
        self.ip = self._host_ip
        self.connection_file = str(self.conn_dir / "kernel.json")
        return await super()._async_pre_start_kernel(**kw)

    def write_connection_file(self, **kwargs):
        self.ip = f"{sandbox.CONN_MOUNT}/s"  # the kernel's view
        try:
            return super().write_connection_file(**kwargs)
        finally:
            self.ip = self._host_ip

    def kernel_log(self, limit: int = 600) -> str:
        try:
            text = (self.conn_dir / "kernel.log").read_text(errors="replace")
        except (OSError, AttributeError):
            return ""
        lines = [ln for ln in text.splitlines() if ln.strip() and "Ctrl-C will not work" not in ln]
        return " | ".join(lines)[-limit:]


def _default_hooks() -> set[str]:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return {getattr(f, "__qualname__", type(f).__name__) for f in TransformerManager().cleanup_transforms}
    except Exception:  # noqa: BLE001
        return set()


_DEFAULT_HOOKS = _default_hooks()


class Events:
    """What happened while a notebook ran, seen from the grader (never read from the notebook's text)."""

    def __init__(self):
        self.timeouts: list[str] = []
        self.kernel_died: str | None = None
        self.budget_cells: list[str] = []
        self.stuck: str | None = None
        self.cut_bytes = 0
        self.report = "not run"
        self.hooks: list[str] = []
        self.folder_full: str | None = None
        self.seconds = 0.0
        self.kernel_cpu = 0.0
        self.warm = False

    def flags(self, budget: float) -> list[str]:
        f = []
        if self.timeouts:
            f.append("cell timeout: interrupted (" + ", ".join(self.timeouts) + ")")
        if self.budget_cells:
            f.append(f"time budget of {budget:g} s used up: {self.budget_cells[0]} and later cells not run")
        if self.kernel_died is not None:
            f.append(f"kernel died ({self.kernel_died}): later cells not run")
        if self.stuck is not None:
            f.append(f"kernel ignored the interrupt ({self.stuck}): stopped, later cells not run")
        if self.folder_full is not None:
            f.append(f"wrote too much into the kernel's connection folder ({self.folder_full}): stopped")
        if self.cut_bytes:
            f.append(f"long output cut ({self.cut_bytes} bytes not kept)")
        if self.hooks:
            f.append("changed how the kernel runs code (" + ", ".join(self.hooks) + "): review")
        if self.report != "ok":
            f.append(f"answers could not be read ({self.report}): autograded questions score 0, review")
        return f


def _label(nb, index: int) -> str:
    cell = nb.cells[index]
    gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
    return f"cell {index + 1}" + (f", {gid}" if gid else "")


FOLDER_CAP = 64 * 1024 * 1024  # bytes a kernel may leave in its connection folder (only writable when not root)


def _folder_bytes(folder: Path) -> int:
    try:
        return sum(e.stat(follow_symlinks=False).st_size for e in os.scandir(folder))
    except OSError:
        return 0


class SandboxExecute(Execute):
    """nbgrader's Execute, in the sandbox, with a per-student budget and the report cells."""

    budget = Float(300.0, help="wall-clock seconds for one student's whole notebook").tag(config=True)
    report_timeout = Integer(20, help="seconds for each report cell").tag(config=True)
    run_dir = Unicode("", help="grader-private folder for the kernels' connection folders").tag(config=True)

    def create_kernel_manager(self):
        # forced: whatever the notebook's metadata or any configuration names, grading runs this kernel
        self.kernel_name = sandbox.KERNEL_NAME
        self.km = self._km_ref = SandboxKernelManager(kernel_name=sandbox.KERNEL_NAME, config=self.config,
                                                      run_dir=self.run_dir)
        return self.km

    def preprocess(self, nb, resources=None, km=None):
        with _nodes_unchecked():
            return self._preprocess(nb, resources, km)

    def _preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.shutdown_kernel = "immediate"
        self.iopub_timeout = 30  # a loaded machine can take seconds to deliver the last outputs
        self.raise_on_iopub_timeout = True  # (and raising cancels the stale output reader; see below)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        ps = spec.load(resources["nbgrader"]["assignment"])
        student = resources["nbgrader"]["student"]
        names, calls = ps.report_plan(student)
        ev = self._events = Events()
        self._km_ref, self._interrupted = None, False
        self._live_nb, self._live_cell, self._index, self._in_report = 0, 0, -1, False
        per_cell = self.timeout or 30  # Execute.timeout, as configured (grade.py --timeout)
        t0 = time.monotonic()
        payload: dict = {"values": {}, "results": {}}
        try:
            with self.setup_kernel():
                sandbox.seal(self.km.conn_dir)
                info = self.wait_for_reply(self.kc.kernel_info())
                if info and "language_info" in info["content"]:
                    self.nb.metadata["language_info"] = info["content"]["language_info"]
                for index, cell in enumerate(self.nb.cells):
                    if cell.cell_type != "code" or not cell.source.strip():
                        continue
                    left = self.budget - (time.monotonic() - t0)
                    if left < 1:
                        ev.budget_cells.append(_label(self.nb, index))
                        cell.outputs = [new_output("stream", name="stdout",
                                                   text="[not run: this notebook's time budget was used up]\n")]
                        continue
                    self.timeout = max(1, int(min(per_cell, math.ceil(left))))
                    self._index, self._live_cell, self._interrupted = index, 0, False
                    self.iopub_timeout = 30
                    try:
                        self.preprocess_cell(cell, resources, index)
                    except DeadKernelError:
                        ev.kernel_died = _label(self.nb, index)
                        break
                    except CellTimeoutError:
                        if self._interrupted:  # interrupted, and still busy: it ignores interrupts
                            ev.stuck = _label(self.nb, index)
                            break
                        ev.timeouts.append(_label(self.nb, index) + ", outputs late")  # keep what arrived
                    if os.geteuid() != 0 and _folder_bytes(self.km.conn_dir) > FOLDER_CAP:
                        ev.folder_full = _label(self.nb, index)
                        break
                if ev.kernel_died is None and ev.stuck is None and ev.folder_full is None:
                    self.timeout = self.report_timeout
                    payload = self._report(names, calls, ev)
                elif ev.stuck is not None:
                    ev.report = "the kernel stayed busy after being interrupted"
                else:
                    ev.report = "the notebook was stopped" if ev.folder_full else "the kernel died"
                ev.kernel_cpu, ev.warm = _sandbox_cpu(self.km)
        except DeadKernelError:
            ev.report = "the kernel died"
            if ev.kernel_died is None:
                ev.kernel_died = "while reporting"
        except RuntimeError as exc:  # the kernel never started: a problem of the grading machine
            if "before replying to kernel_info" in str(exc) or "Kernel died" in str(exc):
                log = self._km_ref.kernel_log() if getattr(self, "_km_ref", None) else ""
                raise sandbox.SandboxUnavailable(f"the sandboxed kernel did not start: {log or exc}") from None
            raise
        finally:
            conn = getattr(getattr(self, "_km_ref", None), "conn_dir", None)
            if conn is not None:
                shutil.rmtree(conn, ignore_errors=True)
        ev.seconds = time.monotonic() - t0
        resources["nqpf"] = {"events": ev, "values": payload["values"], "results": payload["results"],
                             "budget": self.budget}
        return self.nb, self.resources

    def _report(self, names, calls, ev) -> dict:
        nonce = secrets.token_hex(16)
        out = {"values": {}, "results": {}}
        cell = _report_cell(_REPORT_VALUES, NAMES=names, NONCE=nonce)
        data = self._run_report_cell(cell)
        got = _read_report(cell, nonce) if data else None
        if got is None or not isinstance(got.get("values"), dict):
            ev.report = "the report cell gave no answer: the kernel stopped, stayed busy, or the report was blocked"
            return out
        ev.report = "ok"
        out["values"] = {n: got["values"].get(n) for n in names}
        hooks = got.get("hooks") if isinstance(got.get("hooks"), list) else []
        ev.hooks = [str(h)[:40] for h in hooks if str(h) not in _DEFAULT_HOOKS][:5]
        for name, args in calls.items():
            cell = _report_cell(_REPORT_CALLS, NAME=name, ARGS=[list(a) for a in args], NONCE=nonce)
            if not self._run_report_cell(cell):
                break
            got = _read_report(cell, nonce)
            if got is not None and got.get("name") == name and isinstance(got.get("results"), list):
                out["results"][name] = got["results"][: len(args)]
        return out

    def _run_report_cell(self, cell) -> bool:
        self.nb.cells.append(cell)
        index = len(self.nb.cells) - 1
        self._index, self._live_cell, self._in_report, self._interrupted = index, 0, True, False
        self.iopub_timeout = 30
        try:
            self.preprocess_cell(cell, self.resources, index)
            return True
        except (DeadKernelError, CellTimeoutError):
            return False
        finally:
            self._in_report = False
            self.nb.cells.pop()

    async def _async_handle_timeout(self, timeout, cell=None):
        if not getattr(self, "_in_report", False):
            self._events.timeouts.append(_label(self.nb, self._index))
        self._interrupted = True
        self.iopub_timeout = 5  # an interrupted kernel answers at once, or not at all
        return await super()._async_handle_timeout(timeout, cell)

    # --- what the kernel sends back --------------------------------------------------------------

    def output(self, outs, msg, display_id, cell_index):
        size = _message_size(msg)
        if getattr(self, "_in_report", False):
            if size > LIVE_CELL_CAP:
                return None
            return super().output(outs, msg, None, cell_index)
        if self._live_cell + size > LIVE_CELL_CAP or self._live_nb + size > LIVE_NOTEBOOK_CAP:
            self._events.cut_bytes += size
            return None
        self._live_cell += size
        self._live_nb += size
        return super().output(outs, msg, None, cell_index)  # no display ids: no updates of earlier outputs

    def _update_display_id(self, display_id, msg):
        return None

    def handle_comm_msg(self, outs, msg, cell_index):
        return None  # widgets are not rendered while grading

    def on_comm_open_jupyter_widget(self, msg):
        return None


def _sandbox_cpu(km) -> tuple[float, bool]:
    """CPU seconds used so far by every process of the kernel's sandbox (for the benchmark), and whether
    the kernel was started warm (``warm.py``: it is then not a child of its launcher, which names it)."""
    try:
        import psutil

        top = psutil.Process(km.provisioner.process.pid)
        procs = [top, *top.children(recursive=True)]
        warm = (km.conn_dir / "kernel.pid").exists()
        if warm:
            kernel = psutil.Process(int((km.conn_dir / "kernel.pid").read_text()))
            procs += [kernel, *kernel.children(recursive=True)]
        return round(sum(sum(p.cpu_times()[:2]) for p in procs), 3), warm
    except Exception:  # noqa: BLE001 - gone already, or no psutil
        return 0.0, False


def _message_size(msg) -> int:
    content = msg.get("content", {})
    size = len(str(content.get("text", "")))
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
    size += sum(len(str(t)) for t in content.get("traceback", []) or [])
    return size + len(str(content.get("evalue", "")))


# ---------------------------------------------------------------------------
# grading by name, and the clean-up of outputs
# ---------------------------------------------------------------------------

def _cut(text: str, cap: int = TEXT_CAP) -> tuple[str, int]:
    raw = text.encode("utf-8", "replace")
    if len(raw) <= cap:
        return text, 0
    kept = raw[:cap].decode("utf-8", "ignore")
    return kept + f"\n[... output cut by the grader: {len(raw) - cap} more bytes]\n", len(raw) - cap


def _is_base64(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        base64.b64decode(value.replace("\n", ""), validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


def clean_outputs(nb) -> int:
    """Keep only plain text and PNG/JPEG images, cut to byte budgets; returns the bytes removed."""
    removed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept, used = [], 0
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                text, cut = _cut(str(out.get("text", "")))
                new = new_output("stream", name="stderr" if out.get("name") == "stderr" else "stdout", text=text)
            elif kind == "error":
                tb = "\n".join(str(t) for t in out.get("traceback", []) or [])
                tb, cut = _cut(tb)
                new = new_output("error", ename=str(out.get("ename", ""))[:200],
                                 evalue=_cut(str(out.get("evalue", "")), 2000)[0], traceback=tb.splitlines())
            elif kind in ("execute_result", "display_data"):
                data, cut = {}, 0
                for mime in KEEP_MIME:
                    value = (out.get("data") or {}).get(mime)
                    if value is None:
                        continue
                    if mime == "text/plain":
                        value = "".join(value) if isinstance(value, list) else str(value)
                        data[mime], c = _cut(value)
                        cut += c
                    elif _is_base64(value) and len(value) <= IMAGE_CAP:
                        data[mime] = value
                    else:
                        cut += len(str(value))
                others = [m for m in (out.get("data") or {}) if m not in KEEP_MIME]
                if not data:
                    data = {"text/plain": "[output of type " + ", ".join(o[:40] for o in others[:3]) + " not shown]"}
                count = out.get("execution_count")
                count = count if type(count) is int and count >= 0 else None  # noqa: E721 - not a bool
                kwargs = {"execution_count": count} if kind == "execute_result" else {}
                new = new_output(kind, data=data, metadata={}, **kwargs)
            else:
                continue
            size = _message_size({"content": new})
            if used + size > CELL_CAP:
                removed += size
                continue
            used += size
            removed += cut
            kept.append(new)
        cell.outputs = kept
    for key in list(nb.metadata):  # e.g. widget state, which the HTML would embed
        if key not in ("kernelspec", "language_info"):
            nb.metadata.pop(key)
    return removed


class GradeByName(NbGraderPreprocessor):
    """Compare the reported answers with the references (this process), write verdicts and flags."""

    events_dir = Unicode("", help="folder for one JSON file of flags and verdicts per student").tag(config=True)

    def preprocess(self, nb, resources):
        with _nodes_unchecked():
            return self._preprocess(nb, resources)

    def _preprocess(self, nb, resources):
        info = resources.get("nqpf")
        if info is None:
            raise RuntimeError("GradeByName needs SandboxExecute before it (the notebook did not run in the sandbox)")
        student = resources["nbgrader"]["student"]
        ps = spec.load(resources["nbgrader"]["assignment"])
        ev: Events = info["events"]
        if ev.report == "ok":
            verdicts = ps.grade(student, info["values"], info["results"])
        else:
            with spec._language(ps.language):
                why = _("not graded: the grader could not read the answers from this notebook")
            verdicts = {q.name: spec.Verdict(False, why) for q in ps.autograded}
        by_cell = {ps.questions[q].test_cell: v for q, v in verdicts.items()}
        seen = set()
        for cell in nb.cells:
            gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
            if cell.cell_type == "code" and gid in by_cell and gid not in seen:
                seen.add(gid)
                v = by_cell[gid]
                cell.outputs = ([new_output("stream", name="stdout", text=v.message + "\n")] if v.ok else
                                [new_output("error", ename="AssertionError", evalue=v.message,
                                            traceback=[f"AssertionError: {v.message}"])])
        flags = ev.flags(info["budget"])
        missing = sorted(set(by_cell) - seen)
        if missing:
            flags.append("grade cell missing after clean-up (" + ", ".join(missing) + "): scored by hand")
        reported = info["values"].get("STUDENT_ID")
        typed = reported.get("v") if isinstance(reported, dict) and reported.get("t") == "str" else None
        if ev.report == "ok":
            if typed is None or not typed.strip() or typed.strip() == "...":
                flags.append("no STUDENT_ID")
            elif typed.strip().lower() != student.lower():
                flags.append(f"id mismatch: notebook says {_printable(typed)!r}")
        clean_outputs(nb)
        if self.events_dir:
            record = {"student": student, "assignment": ps.name, "flags": flags, "seconds": round(ev.seconds, 2),
                      "kernel_cpu": ev.kernel_cpu, "warm": ev.warm,
                      "verdicts": {q: {"ok": v.ok, "message": v.message} for q, v in verdicts.items()}}
            path = Path(self.events_dir) / f"{student}.json"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        return nb, resources


def _printable(text: str, limit: int = 40) -> str:
    """Student-controlled text shown in flags and CSV cells: a safe subset, cut short."""
    out = re.sub(r"[^A-Za-z0-9 ._@:/-]", "?", str(text))[:limit]
    return out


class SanitizeForFeedback(Preprocessor):
    """The output clean-up again, before HTML feedback (defence in depth: autograded notebooks are clean)."""

    def preprocess(self, nb, resources):
        clean_outputs(nb)
        for cell in nb.cells:
            cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k == "nbgrader"}
            if cell.cell_type == "raw":
                cell.metadata = {}
        return nb, resources


def preflight(limits: dict | None = None, slot: int = 0) -> float:
    """Start one sandboxed kernel and run a cell, before grading anyone; returns the seconds it took.

    A machine where the sandbox cannot start a kernel (a missing path, no user namespaces ...) is
    reported once, with the kernel's own log, instead of as every student's failure.
    """
    import tempfile

    import nbformat
    from nbclient import NotebookClient

    run = Path(tempfile.mkdtemp(prefix="nqpf-check-"))
    t0 = time.monotonic()
    try:
        sandbox.write_kernelspec(run, limits, slot)
        work = run / "work"
        work.mkdir()
        nb = nbformat.v4.new_notebook(cells=[new_code_cell("import course\nprint(6 * 7)")])
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = str(run)
        try:
            client = NotebookClient(nb, kernel_name=sandbox.KERNEL_NAME, kernel_manager_class=SandboxKernelManager,
                                    shutdown_kernel="immediate", timeout=120, startup_timeout=120,
                                    resources={"metadata": {"path": str(work)}})
            km = client.create_kernel_manager()
            km.run_dir = str(run)
            try:
                client.execute()
            except Exception as exc:  # noqa: BLE001
                atexit.unregister(client._cleanup_kernel)  # nothing to clean up: no traceback at exit
                raise sandbox.SandboxUnavailable(f"the sandboxed kernel did not start or run: "
                                                 f"{km.kernel_log() or exc}") from None
        finally:
            if old is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = old
        text = "".join(o.get("text", "") for o in nb.cells[0].get("outputs", []))
        if "42" not in text:
            raise sandbox.SandboxUnavailable(f"the sandboxed kernel ran, but `import course` failed: {text[-300:]}")
        return time.monotonic() - t0
    finally:
        shutil.rmtree(run, ignore_errors=True)
