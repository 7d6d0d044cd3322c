"""Widget edge sweeps: every control of every Explorer in every lesson, pushed to its limits.

For each lesson (``tests/test_lesson_runs.py`` and ``tests/test_lesson_runs_zh.py``; the lesson runs
once, offline, for three checks: ``tests/lesson_run.py``), in the lesson's kernel, every :class:`course.widgets.Explorer` the lesson made (found with
a ``gc`` scan, as ``scripts/benchmark.py`` does) goes through :func:`course.widget_sweep.sweep`:
each control, one at a time, to its minimum and maximum and points between (sliders), through each
option (dropdowns, toggles, radio buttons), both states (checkboxes) and the empty, each single and
the full selection (multi-selections). The records come back as JSON and the test asserts

* no setting ends in an unexpected error (``shown == "error"``: the student would see the
  "Something went wrong" box) and no value the sweep offers is refused by the widget itself;
* every empty multi-selection shows its explanation (an :class:`~course.widgets.EdgeCase` note),
  not a figure and not an error, and every note has text;
* after the sweep each control is back at its default and the Explorer shows no error.

``test_sweep_catches_a_broken_callback`` runs the same check on a tiny synthetic lesson whose compute
function raises ``RuntimeError`` at one slider value and shows it fails, and passes once repaired.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import gc as _gc, json as _json
import ipywidgets as _w
from course.widgets import Explorer as _Explorer
from course.widget_sweep import sweep as _sweep

def _jsonable(v):
    return list(v) if isinstance(v, tuple) else (v if isinstance(v, (int, float, str, bool, type(None))) else repr(v))

def _sweep_all():
    out, seen = [], set()
    for ex in [o for o in _gc.get_objects() if isinstance(o, _Explorer)]:
        if id(ex) in seen:
            continue
        seen.add(id(ex))
        kinds = {name: type(w).__name__ for name, w in ex.controls.items()}
        multi = {name for name, w in ex.controls.items()
                 if isinstance(w, (_w.SelectMultiple, _w.TagsInput)) or isinstance(w.value, tuple)
                 and not isinstance(w, (_w.IntRangeSlider, _w.FloatRangeSlider))}
        defaults = ex.values()
        records = _sweep(ex)
        for r in records:
            r["value"] = _jsonable(r["value"])
            r["kind"] = kinds[r["control"]]
            r["multi"] = r["control"] in multi
        out.append({"title": ex.title or repr(ex), "records": records,
                    "restored": ex.values() == defaults,
                    "error_after": repr(ex.error) if ex.error is not None else None})
    return out

print("SWEEP" + _json.dumps(_sweep_all()))
"""


def run_with_probe(nb, cwd: Path, probe: str, marker: str, timeout: int = 600):
    """Execute ``nb`` in a fresh kernel, then ``probe`` in the same kernel; parse its JSON line."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        cell = nbformat.v4.new_code_cell(probe)
        nb.cells.append(cell)  # nbclient stores the executed cell back at its index
        client.execute_cell(cell, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    line = next((ln for ln in text.splitlines() if ln.startswith(marker)), None)
    assert line is not None, f"the probe printed no {marker} line: {text[-2000:]}"
    return json.loads(line[len(marker):])


def sweep_problems(explorers: list[dict]) -> list[str]:
    """Everything wrong in the sweep records of a lesson, one line each (empty = all good)."""
    problems = []
    for ex in explorers:
        for r in ex["records"]:
            where = f"{ex['title']}: {r['control']} ({r['kind']}) = {r['value']!r}"
            if r["shown"] == "error":
                problems.append(f"{where} -> error: {r['detail']}")
            elif r["shown"] == "refused":
                problems.append(f"{where} -> the widget refused the value: {r['detail']}")
            elif r["shown"] == "note" and not str(r["detail"]).strip():
                problems.append(f"{where} -> a note without text")
            if r["multi"] and r["value"] == [] and r["shown"] != "note":
                problems.append(f"{where} -> an empty selection showed {r['shown']!r}, "
                                "not an explanation (raise EdgeCase in compute)")
        if not ex["restored"]:
            problems.append(f"{ex['title']}: controls not back at their defaults after the sweep")
        if ex["error_after"]:
            problems.append(f"{ex['title']}: error at the default setting after the sweep: "
                            f"{ex['error_after']}")
    return problems


SYNTHETIC = '''\
import ipywidgets as widgets
import matplotlib.pyplot as plt
from course import plots
from course.widgets import EdgeCase, Explorer

def compute(n, regions):
    if not regions:
        raise EdgeCase("Choose at least one region.")
    if {broken} and n == 7:
        raise RuntimeError("synthetic bug at n = 7")
    return n * len(regions)

def render(v):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar([0], [v])
    plots.finding_title(ax, f"The value is {{v}}")
    return fig

ex = Explorer({{"n": widgets.IntSlider(value=3, min=0, max=10),
               "regions": widgets.SelectMultiple(options=["East", "West"], value=("East",))}},
              compute, render, alt=lambda v: f"One bar of height {{v}}.", title="synthetic")
ex
'''


def _synthetic(broken: bool):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SYNTHETIC.format(broken=broken))]
    return nb


def test_sweep_catches_a_broken_callback(tmp_path):
    """The proof that the sweep bites: a compute that raises at n = 7 fails it; repaired, it passes."""
    broken = run_with_probe(_synthetic(True), tmp_path, PROBE, "SWEEP")
    problems = sweep_problems(broken)
    assert len(problems) == 1 and "n (IntSlider) = 7 -> error: RuntimeError" in problems[0], problems
    repaired = run_with_probe(_synthetic(False), tmp_path, PROBE, "SWEEP")
    assert sweep_problems(repaired) == []
    shown = {(r["control"], str(r["value"])): r["shown"] for r in repaired[0]["records"]}
    assert shown[("regions", "[]")] == "note" and shown[("n", "7")] == "figure"


def test_sweep_flags_an_empty_selection_without_a_note():
    """An empty multi-selection that silently draws a figure is reported."""
    records = [{"control": "regions", "kind": "SelectMultiple", "value": [], "shown": "figure",
                "detail": "", "multi": True}]
    problems = sweep_problems([{"title": "t", "records": records, "restored": True,
                                "error_after": None}])
    assert len(problems) == 1 and "empty selection" in problems[0]
