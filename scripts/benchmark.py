"""Measure what a student waits for: lesson run time and widget redraw latency, idle and on a busy server.

For each lesson it starts a kernel, runs the notebook top to bottom and reports the time after the
kernel started. Then, in the same kernel, it finds every ``course.widgets.Explorer`` the lesson made
and drives each one until it has timed at least 30 full redraws (cycling each control through its options or
range), timing each change from setting the value to the finished redraw: wall time and the kernel's
CPU time. It prints the median and 95th percentile beside the budgets. It prints figures; it asserts nothing.

Machines differ by 2-3x on this work, so each kernel also times a *bare figure*: a one-line
640x480 matplotlib figure saved as PNG (the same work any plotting library does, nothing of the
course), 25 times before the widgets are driven (after 5 untimed ones: the first after a lesson are
slower) and 25 times after; that median is printed on each lesson's line. A machine's speed drifts
by a third or more within seconds, so in the idle runs the bare figure is also timed once right after
each full redraw of a widget, and each widget's redraws are printed as ratios to the median of the
bare figures timed between them (``bare ms`` in its row): the same moments, the same machine.
With two kernels at once the ratios are to the lesson's idle bare figure (before and after), as the
budget says.
Budgets (issue 14): median <= 1.0x and p95 <= 1.5x the bare figure, idle; p95 <= 3x the idle bare
figure with two kernels redrawing at the same time (``--concurrent``: lessons run in pairs, both
start driving their widgets together).

    python scripts/benchmark.py                  # every lesson, idle, then in concurrent pairs
    python scripts/benchmark.py notebooks/12_*.ipynb --changes 60 --no-concurrent
    python scripts/benchmark.py --grading        # also grading throughput, serial and parallel, sandboxed
    COURSE_FASTDRAW=0 python scripts/benchmark.py ...   # the stock redraw path (no course.fastdraw, a new
                                                         # figure per redraw), for an A/B on the same machine
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSON_BUDGET_S = 10.0     # "a few seconds" after kernel start
REDRAW_BUDGET_MS = 100.0   # "well under 100 ms"
RATIO_MEDIAN, RATIO_P95, RATIO_P95_BUSY = 1.0, 1.5, 3.0   # x the bare figure's median (issue 14)

# Runs inside the lesson's kernel after the lesson: drive every Explorer and report timings as JSON.
_PROBE = r"""
import gc, io, json, os, time, statistics
import matplotlib.pyplot as plt
from course.widgets import Explorer
from course.widget_sweep import control_values

def _pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]

def _bare(n=25, warm=5):
    # a one-line 640x480 figure saved as PNG: the yardstick for this machine and moment. The first
    # few after a lesson are slower (its caches are cold, like a widget's first redraw): not timed.
    wall, cpu = [], []
    for i in range(warm + n):
        t0, c0 = time.perf_counter(), time.process_time()
        fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
        ax.plot([0, 1, 2, 3], [1, 3, 2, 4])
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        if i >= warm:
            wall.append(1000 * (time.perf_counter() - t0)); cpu.append(1000 * (time.process_time() - c0))
    return wall, cpu

INTERLEAVE = INTERLEAVE_FLAG

def _yardstick(runs):
    wall = [t for w, _c in runs for t in w]
    cpu = [t for _w, c in runs for t in c]
    return {"median_ms": statistics.median(wall), "cpu_ms": statistics.median(cpu),
            "before_ms": statistics.median(runs[0][0]), "after_ms": statistics.median(runs[-1][0])}

def _probe(n_changes, start_flag, ready_flag):
    if ready_flag:  # concurrent mode: say we are ready, wait for the partner, then go together
        open(ready_flag, "w").close()
        t_end = time.time() + 300
        while not os.path.exists(start_flag) and time.time() < t_end:
            time.sleep(0.05)
    before = _bare()
    report = []
    seen = set()
    explorers = [o for o in gc.get_objects() if isinstance(o, Explorer)]
    for ex in explorers:
        if id(ex) in seen:
            continue
        seen.add(id(ex))
        plan = []
        for name, w in ex.controls.items():
            plan += [(name, v) for v in control_values(w, limit=12) if v != w.value]
        if not plan:
            continue
        times, cpus, notes, k = [], [], 0, 0
        bare_wall, bare_cpu = [], []   # one bare figure right after each full redraw (idle runs)
        while len(times) < n_changes and k < 20 * n_changes:
            name, value = plan[k % len(plan)]
            k += 1
            w = ex.controls[name]
            if w.value == value:
                continue
            t0, c0 = time.perf_counter(), time.process_time()
            w.value = value
            elapsed = 1000 * (time.perf_counter() - t0)
            cpu = 1000 * (time.process_time() - c0)
            if ex.message is None and ex.error is None:
                times.append(elapsed)   # a full redraw: the figure or table changed
                cpus.append(cpu)
                if INTERLEAVE:
                    w_, c_ = _bare(n=1, warm=0)
                    bare_wall += w_
                    bare_cpu += c_
            else:
                notes += 1              # an edge setting: a note was shown instead (fast)
        if not times:
            continue
        report.append({"title": ex.title or type(ex).__name__, "n": len(times), "notes": notes,
                       "median_ms": statistics.median(times), "p95_ms": _pct(times, 0.95),
                       "cpu_ms": statistics.median(cpus), "errors": int(ex.error is not None),
                       "bare_ms": statistics.median(bare_wall) if bare_wall else None,
                       "bare_cpu_ms": statistics.median(bare_cpu) if bare_cpu else None})
    # the bare figure again after the widgets (their garbage collected first), so that a machine
    # that speeds up or slows down during the run moves the yardstick too: the median of both
    gc.collect()
    return {"bare": _yardstick([before, _bare(warm=0)]), "widgets": report}

print("BENCH" + json.dumps(_probe(N_CHANGES, START_FLAG, READY_FLAG)))
"""


def bench_lesson(path: Path, changes: int, start_flag: str = "", ready_flag: str = "") -> dict:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        run_s = time.perf_counter() - start
        code = (_PROBE.replace("N_CHANGES", str(changes)).replace("START_FLAG", repr(start_flag))
                .replace("READY_FLAG", repr(ready_flag)).replace("INTERLEAVE_FLAG", repr(not ready_flag)))
        probe = nbformat.v4.new_code_cell(code)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    line = next((ln for ln in text.splitlines() if ln.startswith("BENCH")), 'BENCH{"bare": {}, "widgets": []}')
    data = json.loads(line[5:])
    return {"lesson": path.name, "run_s": run_s, "bare": data["bare"], "widgets": data["widgets"]}


def bench_pair(a: Path, b: Path, changes: int) -> list[dict]:
    """Two lessons in two kernels; both drive their widgets from the same moment on."""
    with tempfile.TemporaryDirectory(prefix="bench-pair-") as tmp:
        start = os.path.join(tmp, "start")
        ready = [os.path.join(tmp, "ready-a"), os.path.join(tmp, "ready-b")]
        out: list = [None, None]

        def go(i, path):
            out[i] = bench_lesson(path, changes, start, ready[i])
        threads = [threading.Thread(target=go, args=(i, p)) for i, p in enumerate((a, b))]
        for t in threads:
            t.start()
        t_end = time.time() + 600
        while not all(os.path.exists(r) for r in ready) and time.time() < t_end and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        open(start, "w").close()
        for t in threads:
            t.join()
    return [r for r in out if r is not None]


def _row(w: dict, bare_ms: float, busy: bool, bare_cpu: float = float("nan")) -> str:
    if not busy and w.get("bare_ms"):
        # idle: the bare figures timed between this widget's redraws, at the same moments
        bare_ms, bare_cpu = w["bare_ms"], w.get("bare_cpu_ms") or bare_cpu
    r_med, r_p95 = w["median_ms"] / bare_ms, w["p95_ms"] / bare_ms
    if w["errors"]:
        verdict = "ERROR during redraw"
    elif busy:
        verdict = "ok" if r_p95 <= RATIO_P95_BUSY else "OVER BUDGET"
    else:
        # issue 14's budget is the ratio to the bare figure (machines differ by 2-3x); the absolute 100 ms
        # of the course plan is noted beside it, since a slow machine's bare figure alone can take that long
        verdict = "ok" if (r_med <= RATIO_MEDIAN and r_p95 <= RATIO_P95) else "OVER BUDGET"
        if w["p95_ms"] >= REDRAW_BUDGET_MS:
            verdict += f" (p95 >= {REDRAW_BUDGET_MS:.0f} ms here)"
    return (f"{w['title'][:34]:34} {w['n']:4d} {w['median_ms']:8.1f} {w['p95_ms']:8.1f} {w['cpu_ms']:7.1f}"
            f" {bare_ms:7.1f}   {r_med:5.2f}x {r_p95:5.2f}x {w['cpu_ms'] / bare_cpu:5.2f}x  {verdict}")


HEADER = (f"{'widget':34} {'n':>4} {'med ms':>8} {'p95 ms':>8} {'cpu ms':>7} {'bare ms':>7}   {'med/bare':>6} "
          f"{'p95/bare':>6} {'cpu/bare':>6}  verdict")


def bench_grading(n: int = 50) -> str:
    """Autograde n copies of the problem-set-1 solution, serially and in parallel, each in its sandbox."""
    script = ROOT / "exercises" / "grade.py"
    if not script.exists():
        return "grading: exercises/grade.py not present"
    out = subprocess.run([sys.executable, str(script), "benchmark", "-n", str(n)], cwd=ROOT, capture_output=True,
                         text=True)
    return (out.stdout + out.stderr).strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Lesson run time and widget redraw latency, idle and concurrent.")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--changes", type=int, default=40, help="control changes per widget (>= 30)")
    parser.add_argument("--no-concurrent", action="store_true", help="skip the two-kernels-at-once pass")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--grading", action="store_true",
                        help="also measure grading throughput (serial and parallel, with the sandbox)")
    parser.add_argument("--grading-n", type=int, default=50, help="submissions per grading run (default 50)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    changes = max(30, args.changes)
    load = os.getloadavg()

    print(f"Budgets: lesson run (after kernel start) <= {LESSON_BUDGET_S:.0f} s; widget redraws (issue 14), as ratios "
          f"to the bare 640x480 PNG figure's median in the same kernel: idle median <= {RATIO_MEDIAN}x, "
          f"p95 <= {RATIO_P95}x; two kernels at once p95 <= {RATIO_P95_BUSY}x (of the idle bare figure). The verdict "
          f"also notes a p95 of {REDRAW_BUDGET_MS:.0f} ms or more (the course plan's aim on a fast machine).")
    print(f"Load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores.")
    print("Rows time full redraws only (n); changes that showed an edge-case note instead are not counted.")
    print("cpu ms: the kernel's CPU time per redraw (median), what a shared server pays; cpu/bare: that over the")
    print("bare figure's CPU time, the ratio that a busy machine does not distort.\n")
    idle = {}
    for path in paths:
        result = bench_lesson(path, changes)
        idle[path.name] = result
        bare = result["bare"].get("median_ms") or float("nan")
        verdict = "ok" if result["run_s"] <= LESSON_BUDGET_S else "OVER BUDGET"
        print(f"{result['lesson']}: run {result['run_s']:.2f} s ({verdict}); bare figure {bare:.1f} ms "
              f"(cpu {result['bare'].get('cpu_ms', float('nan')):.1f} ms; before the widgets "
              f"{result['bare'].get('before_ms', float('nan')):.1f}, after {result['bare'].get('after_ms', float('nan')):.1f})")
        print("  " + HEADER)
        for w in result["widgets"]:
            print("  " + _row(w, bare, busy=False, bare_cpu=result["bare"].get("cpu_ms") or float("nan")))
        sys.stdout.flush()
    busy = []
    if not args.no_concurrent and len(paths) >= 2:
        print("\nTwo kernels redrawing at the same time (ratios to each lesson's idle bare figure):")
        pairs = [(paths[i], paths[(i + 1) % len(paths)]) for i in range(0, len(paths), 2)]
        for a, b in pairs:
            results = bench_pair(a, b, changes)
            busy += results
            print(f"{a.name} + {b.name}")
            for r in results:
                bare = idle[r["lesson"]]["bare"].get("median_ms") or float("nan")
                print(f"  {r['lesson']} (bare figure now {r['bare'].get('median_ms', float('nan')):.1f} ms)")
                print("    " + HEADER)
                for w in r["widgets"]:
                    print("    " + _row(w, bare, busy=True,
                                         bare_cpu=idle[r["lesson"]]["bare"].get("cpu_ms") or float("nan")))
            sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps({"load_before": load, "idle": list(idle.values()), "concurrent": busy},
                                        indent=1))
    if args.grading:
        print("\n" + bench_grading(args.grading_n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
