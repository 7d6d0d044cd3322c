"""Values to drive a widget control through: its extremes, each option, an empty selection.

Used by the benchmark (redraw latency over many changes) and by the edge-sweep tests (every
control pushed to its limits must give a figure or an explanation, never an error).

Examples
--------
>>> import ipywidgets as w
>>> control_values(w.IntSlider(value=5, min=0, max=10, step=1), limit=3)
[0, 10, 5]
>>> control_values(w.Dropdown(options=[("a", 1), ("b", 2)]))
[1, 2]
>>> control_values(w.SelectMultiple(options=["x", "y", "z"], value=("x",)))
[(), ('x',), ('y',), ('z',), ('x', 'y', 'z')]
>>> control_values(w.Dropdown(options=list("abcdefghij")), max_options=4)
['a', 'd', 'g', 'j']
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

__all__ = ["control_values", "sweep"]


def _option_values(w, max_options: int | None = None) -> list:
    values = []
    for opt in w.options:
        values.append(opt[1] if isinstance(opt, tuple) and len(opt) == 2 else opt)
    if max_options is not None and len(values) > max(max_options, 2):
        keep = sorted({int(round(i)) for i in np.linspace(0, len(values) - 1, max(max_options, 2))})
        values = [values[i] for i in keep]
    return values


def control_values(w, limit: int = 12, max_options: int | None = None) -> list:
    """A list of values to set on control ``w``: extremes first, then points in between.

    Sliders give min, max and up to ``limit - 2`` evenly spaced interior values (on the step grid);
    selections give every option; multi-selections give the empty tuple, each single option and
    all options; checkboxes give both states; range sliders give the full, the lowest and the
    highest one-step ranges. Widgets of other kinds give their current value only.
    ``max_options`` (default: no cap) keeps at most that many options of a selection, evenly spaced
    from the first to the last (the lighter sweep of a lesson's Chinese twin, whose compute code the
    English sweep already drives through every option).
    """
    if isinstance(w, (widgets.IntRangeSlider, widgets.FloatRangeSlider)):
        lo, hi, step = w.min, w.max, w.step or 1
        return [(lo, hi), (lo, lo + step) if lo + step <= hi else (lo, hi), (hi - step, hi) if hi - step >= lo else (lo, hi)]
    if isinstance(w, (widgets.SelectMultiple, widgets.TagsInput)) or isinstance(getattr(w, "value", None), tuple):
        opts = _option_values(w, max_options) if hasattr(w, "options") else []
        return [()] + [(o,) for o in opts] + ([tuple(opts)] if len(opts) > 1 else [])
    if isinstance(w, (widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons, widgets.Select,
                      widgets.SelectionSlider)):
        return _option_values(w, max_options)
    if isinstance(w, (widgets.Checkbox, widgets.ToggleButton)):
        return [False, True]
    if hasattr(w, "min") and hasattr(w, "max"):
        lo, hi = w.min, w.max
        step = getattr(w, "step", None) or (1 if isinstance(w.value, int) else (hi - lo) / 100)
        n_inner = max(0, limit - 2)
        inner = np.linspace(lo, hi, n_inner + 2)[1:-1] if n_inner else []
        grid = [lo, hi]
        for x in inner:
            v = lo + round((x - lo) / step) * step
            v = int(round(v)) if isinstance(w.value, int) else float(round(v, 10))
            if v not in grid:
                grid.append(v)
        return grid
    return [w.value]


def sweep(explorer, limit: int = 12, max_options: int | None = None) -> list[dict]:
    """Drive every control of ``explorer`` through :func:`control_values`, one control at a time.

    Returns one record per setting: control, value, and what the explorer showed ("figure",
    "note" with the message, or "error" with the exception). The other controls stay at their
    defaults; each control is restored afterwards.
    """
    records = []
    for name, w in explorer.controls.items():
        default = w.value
        for value in control_values(w, limit=limit, max_options=max_options):
            try:
                w.value = value
            except Exception as exc:  # the widget itself refused the value (a trait error)
                records.append({"control": name, "value": value, "shown": "refused", "detail": str(exc)})
                continue
            if explorer.error is not None:
                shown, detail = "error", repr(explorer.error)
            elif explorer.message is not None:
                shown, detail = "note", explorer.message
            else:
                shown, detail = "figure", ""
            records.append({"control": name, "value": value, "shown": shown, "detail": detail})
        w.value = default
    return records
