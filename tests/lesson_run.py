"""One execution per lesson for three checks: offline, accessible figures, every widget swept.

Running a lesson is the expensive part of each of those checks (a fresh kernel, every cell), and CI
has two cores and a time limit, so the lesson runs **once**, with the network taken away (the
method of ``tests/test_offline.py``: a new network namespace, or blocked sockets where namespaces
are not allowed), and three probes then run in the same kernel, in this order:

1. ``A11Y`` (``tests/test_accessibility.py``): the figure log and each Explorer's current view, read
   before anything is moved;
2. ``SWEEP`` (``tests/test_widget_sweeps.py``): every control of every Explorer pushed to its limits;
3. ``OFFLINE``: whether the kernel itself could reach a public address or resolve a name.

:func:`lesson_run` caches the result per worker process; ``tests/test_lesson_runs.py`` (English) and
``tests/test_lesson_runs_zh.py`` (Chinese edition) hold the per-lesson tests, so with
``--dist loadfile`` each file's lessons run on one worker and each lesson runs exactly once. The
checks themselves (and the synthetic notebooks that prove each check can fail) stay in the three
test modules named above.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from test_accessibility import PROBE as A11Y_PROBE
from test_accessibility import MIN_ALT, image_problems, output_problems
from test_offline import SITECUSTOMIZE, namespaces_work
from test_widget_sweeps import PROBE as SWEEP_PROBE
from test_widget_sweeps import sweep_problems

ROOT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).resolve().parent / "lesson_runner.py"

OFFLINE_PROBE = """
import socket as _socket, json as _json
_reached = []
for _h in ("1.1.1.1", "8.8.8.8"):
    try:
        _socket.create_connection((_h, 53), timeout=2).close(); _reached.append(_h)
    except OSError:
        pass
try:
    _socket.getaddrinfo("pypi.org", 443); _reached.append("dns")
except OSError:
    pass
print("OFFLINE" + _json.dumps(_reached))
"""

PROBES = [("A11Y", A11Y_PROBE), ("SWEEP", SWEEP_PROBE), ("OFFLINE", OFFLINE_PROBE)]

# A Chinese lesson runs exactly the English code cells (tests/test_translations.py checks it), so the
# English sweep has already driven its compute and render code through every option and twelve points
# of every slider. The twin's sweep checks the language layer (translated labels, notes, titles and
# alt text, the CJK font) at every control's extremes, the middle of each slider and at most six
# options of each selection, first and last included: about a third of the English sweep's redraws.
ZH_SWEEP = (4, 6)  # (points per slider, options per selection)
_CALL = "records = _sweep(ex)"
assert _CALL in SWEEP_PROBE, "tests/test_widget_sweeps.py PROBE changed: update tests/lesson_run.py"
ZH_PROBES = [(m, SWEEP_PROBE.replace(_CALL, f"records = _sweep(ex, limit={ZH_SWEEP[0]}, "
                                              f"max_options={ZH_SWEEP[1]})") if m == "SWEEP" else code)
             for m, code in PROBES]
ZH = (ROOT / "notebooks" / "zh").resolve()

_CACHE: dict[Path, dict] = {}


def lesson_run(path: Path) -> dict:
    """Run ``path`` once (offline) with the three probes; cached per process.

    Returns the runner's result: ``mode``, ``runner_blocked``, ``runner_reached``, ``ok``, ``error``,
    ``seconds``, ``probes`` (marker -> parsed JSON) and ``nb`` (the executed notebook).
    """
    path = Path(path).resolve()
    if path in _CACHE:
        return _CACHE[path]
    with tempfile.TemporaryDirectory(prefix="lesson-run-") as tmp:
        tmp = Path(tmp)
        spec = tmp / "spec.json"
        out = tmp / "executed.ipynb"
        probes = ZH_PROBES if path.is_relative_to(ZH) else PROBES
        spec.write_text(json.dumps({"path": str(path), "out": str(out), "probes": probes}))
        env = dict(os.environ, MPLBACKEND="Agg")
        if namespaces_work():
            cmd = [shutil.which("unshare"), "-rn", sys.executable, str(RUNNER), "namespace", str(spec)]
        else:
            site = tmp / "site"
            site.mkdir()
            (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
            env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
            cmd = [sys.executable, str(RUNNER), "sockets-blocked", str(spec)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=1500)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")), None)
        if line is None:
            result = {"ok": False, "runner_blocked": True, "runner_reached": [], "mode": cmd[-2],
                      "probes": {}, "error": f"the lesson runner failed (exit {proc.returncode}):\n"
                                            f"{proc.stderr[-3000:]}"}
        else:
            result = json.loads(line[len("RESULT"):])
        result["nb"] = nbformat.read(out, as_version=4) if out.exists() else None
    _CACHE[path] = result
    return result


def _probe(r: dict, marker: str, name: str):
    assert r["runner_blocked"], f"the network was reachable ({r['runner_reached']}): the run proves nothing"
    assert r.get("ok"), f"{name} failed to run offline ({r.get('mode')}): {r.get('error')}"
    data = r["probes"].get(marker)
    assert data is not None, f"{name}: the {marker} probe did not run"
    assert not (isinstance(data, dict) and "_missing" in data), f"{name}: {data.get('_missing')}"
    return data


def check_offline(path: Path) -> None:
    r = lesson_run(path)
    reached = _probe(r, "OFFLINE", path.name)
    print(path.name, r.get("mode"), f"{r.get('seconds')} s")
    assert reached == [], f"the kernel could reach {reached}"


def check_accessible(path: Path) -> None:
    r = lesson_run(path)
    kernel = _probe(r, "A11Y", path.name)
    nb = r["nb"]
    problems, n_images = output_problems(nb)
    for j, entry in enumerate(kernel["log"]):
        where = f"figure {j + 1} ({entry.get('title', '')[:50]!r})"
        if not entry.get("title", "").strip():
            problems.append(f"{where}: no title")
        alt = entry.get("alt", "").strip()
        if len(alt) < MIN_ALT:
            problems.append(f"{where}: alt text missing or too short: {alt!r}")
    for ex in kernel["explorers"]:
        problems += image_problems(f"Explorer {ex['title']!r} (current view)", ex["html"])
    print(path.name, f"{n_images} images in outputs, {len(kernel['log'])} figures logged, "
          f"{len(kernel['explorers'])} explorers")
    n_png = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                if "image/png" in o.get("data", {}))
    # each image/png output must have gone through plots.show, which logs its title and alt text
    assert n_png <= len(kernel["log"]), (
        f"{n_png} image outputs but only {len(kernel['log'])} figures shown through course.plots")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def check_swept(path: Path) -> None:
    explorers = _probe(lesson_run(path), "SWEEP", path.name)
    problems = sweep_problems(explorers)
    summary = {ex["title"]: {k: sum(r["shown"] == k for r in ex["records"])
                             for k in ("figure", "note")} for ex in explorers}
    print(path.name, summary)
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)
