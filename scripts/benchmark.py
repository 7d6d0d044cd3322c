"""Measure what a student waits for: lesson run time and widget redraw latency.

For each lesson it starts a kernel, runs the notebook top to bottom and reports the time after the
kernel started. Then, in the same kernel, it finds every ``course.widgets.Explorer`` the lesson made
and drives each one until it has timed at least 30 full redraws (cycling each control through its options or
range), timing each change from setting the value to the finished redraw, and prints the median and
95th percentile beside the budgets of the course plan. It prints figures; it asserts nothing.

    python scripts/benchmark.py                  # every lesson
    python scripts/benchmark.py notebooks/12_*.ipynb --changes 60
    python scripts/benchmark.py --grading        # also grading throughput, serial and parallel, sandboxed
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LESSON_BUDGET_S = 10.0     # "a few seconds" after kernel start
REDRAW_BUDGET_MS = 100.0   # "well under 100 ms"

# Runs inside the lesson's kernel after the lesson: drive every Explorer and report timings as JSON.
_PROBE = r"""
import gc, json, time, statistics
from course.widgets import Explorer
from course.widget_sweep import control_values

def _probe(n_changes):
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
        times, notes, k = [], 0, 0
        while len(times) < n_changes and k < 20 * n_changes:
            name, value = plan[k % len(plan)]
            k += 1
            w = ex.controls[name]
            if w.value == value:
                continue
            t0 = time.perf_counter()
            w.value = value
            elapsed = 1000 * (time.perf_counter() - t0)
            if ex.message is None and ex.error is None:
                times.append(elapsed)   # a full redraw: the figure or table changed
            else:
                notes += 1              # an edge setting: a note was shown instead (fast)
        if not times:
            continue
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        report.append({"title": ex.title or type(ex).__name__, "n": len(times), "notes": notes,
                       "median_ms": statistics.median(times), "p95_ms": p95,
                       "errors": int(ex.error is not None)})
    return report

print("BENCH" + json.dumps(_probe(N_CHANGES)))
"""


def bench_lesson(path: Path, changes: int) -> dict:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        run_s = time.perf_counter() - start
        probe = nbformat.v4.new_code_cell(_PROBE.replace("N_CHANGES", str(changes)))
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream")
    line = next((ln for ln in text.splitlines() if ln.startswith("BENCH")), "BENCH[]")
    return {"lesson": path.name, "run_s": run_s, "widgets": json.loads(line[5:])}


def bench_grading(n: int = 50) -> str:
    """Autograde n copies of the problem-set-1 solution, serially and in parallel, each in its sandbox."""
    script = ROOT / "exercises" / "grade.py"
    if not script.exists():
        return "grading: exercises/grade.py not present"
    out = subprocess.run([sys.executable, str(script), "benchmark", "-n", str(n)], cwd=ROOT, capture_output=True,
                         text=True)
    return (out.stdout + out.stderr).strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Lesson run time and widget redraw latency.")
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--changes", type=int, default=40, help="control changes per widget (>= 30)")
    parser.add_argument("--grading", action="store_true",
                        help="also measure grading throughput (serial and parallel, with the sandbox)")
    parser.add_argument("--grading-n", type=int, default=50, help="submissions per grading run (default 50)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    changes = max(30, args.changes)

    print(f"Budgets: lesson run (after kernel start) <= {LESSON_BUDGET_S:.0f} s; widget redraw p95 < {REDRAW_BUDGET_MS:.0f} ms\n")
    print("Widget rows time full redraws only (n); changes that showed an edge-case note instead are counted apart.")
    print(f"{'lesson':44} {'run s':>7}  {'widget':34} {'n':>4} {'notes':>5} {'median ms':>10} {'p95 ms':>8}  verdict")
    for path in paths:
        result = bench_lesson(path, changes)
        verdict = "ok" if result["run_s"] <= LESSON_BUDGET_S else "OVER BUDGET"
        print(f"{result['lesson']:44} {result['run_s']:7.2f}  {'(whole lesson)':34} {'':>4} {'':>5} {'':>10} {'':>8}  {verdict}")
        for w in result["widgets"]:
            ok = w["p95_ms"] < REDRAW_BUDGET_MS and not w["errors"]
            flag = "ok" if ok else ("ERROR during redraw" if w["errors"] else "OVER BUDGET")
            print(f"{'':44} {'':>7}  {w['title'][:34]:34} {w['n']:4d} {w['notes']:5d} {w['median_ms']:10.1f} "
                  f"{w['p95_ms']:8.1f}  {flag}")
        sys.stdout.flush()
    if args.grading:
        print("\n" + bench_grading(args.grading_n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
