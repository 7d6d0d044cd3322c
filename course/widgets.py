"""The course's pattern for an interactive figure: controls -> pure compute -> render.

A lesson writes two small functions and hands them, with its controls, to :class:`Explorer`:

- ``compute(**values)`` is *pure*: it takes the controls' values (by the controls' names) and
  returns a result (a number, a DataFrame, a named tuple ...). It can be tested without a screen.
  For a setting that has no meaningful answer (nothing selected, all weights zero, one province)
  it raises :class:`EdgeCase` with a short explanation written for the student.
- ``render(result)`` turns the result into a matplotlib Figure (with a title that states the
  finding), an HTML string, or a DataFrame (or a list of these, shown one after the other).

The Explorer redraws synchronously whenever a control's ``value`` changes. Its output is an
``ipywidgets.HTML`` widget holding the figure as ``<figure><img alt=...></figure>``: fast, readable
without a front end (tests, nbval), and accessible. A setting that raises :class:`EdgeCase` shows a
"Note:" box instead of the figure; any other error shows a one-line "Something went wrong" box
(never a traceback) and is kept in ``.error`` so tests and the browser check can detect it.

Examples
--------
>>> import ipywidgets as w
>>> def compute(n):
...     if n == 0:
...         raise EdgeCase("Choose at least one province.")
...     return n * n
>>> ex = Explorer({"n": w.IntSlider(value=2, min=0, max=5)}, compute,
...               render=lambda r: f"<p>{r}</p>", alt="Square of n")
>>> ex.result
4
>>> ex.controls["n"].value = 3
>>> ex.result, ex.html
(9, '<p>9</p>')
>>> ex.controls["n"].value = 0
>>> ex.result is None, ex.message
(True, 'Choose at least one province.')
"""

from __future__ import annotations

import contextlib
import functools
import gc
import html
import inspect
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import plots
from .edgecase import EdgeCase
from .i18n import N_, _, _f, get_language

__all__ = ["EdgeCase", "Explorer", "STATIC_NOTE", "once_per_setting"]

#: shown above a figure's default view; in the student's language via ``_(STATIC_NOTE)``
STATIC_NOTE = N_("Static view of the default setting; run the notebook to interact.")

_EDGE_STYLE = ("border-left:4px solid #E69F00;background:#FFF6E0;color:#222;padding:8px 12px;"
               "margin:6px 0;font-size:14px;")
_ERROR_STYLE = ("border-left:4px solid #D55E00;background:#FBEAE3;color:#222;padding:8px 12px;"
                "margin:6px 0;font-size:14px;")


def edgecase_html(message: str) -> str:
    """The note box shown for an :class:`EdgeCase`."""
    note = html.escape(_("Note:"))
    return (f'<div class="course-edgecase" role="status" style="{_EDGE_STYLE}">'
            f"<strong>{note}</strong> {html.escape(message)}</div>")


def error_html(exc: BaseException) -> str:
    """The one-line box shown for an unexpected error while redrawing."""
    msg = " ".join(str(exc).split())
    if len(msg) > 300:
        msg = msg[:297] + "..."
    text = _f("Something went wrong while redrawing: {type(exc).__name__}: {msg}")
    return f'<div class="course-error" role="alert" style="{_ERROR_STYLE}">{html.escape(text)}</div>'


class Explorer:
    """An interactive figure: controls -> ``compute(**values)`` -> ``render(result)``.

    Parameters
    ----------
    controls : dict of str -> ipywidgets.Widget
        Widgets with a ``value``; the keys are the names of ``compute``'s parameters.
    compute : callable
        Pure function ``compute(**values) -> result``. Raises :class:`EdgeCase` for settings
        without a meaningful answer.
    render : callable
        ``render(result)`` returning a matplotlib Figure (with a title), an HTML string, a
        DataFrame or Styler, or a list of these. Figures are closed after they are converted.
    alt : str or callable
        Alt text of the figure, or ``alt(result) -> str`` so it can state the current numbers.
    title : str
        Heading shown above the controls.
    caption : str or callable, optional
        Figure caption (e.g. the data citation), or ``caption(result) -> str``.
    layout : {"vertical", "horizontal"}
        Controls above the output, or beside it.

    Attributes
    ----------
    controls, result, message, error, output, widget, html, last_render_seconds, redraws
        ``message`` is the text of the last :class:`EdgeCase` (else None); ``error`` the last
        unexpected exception (else None) and ``traceback`` its formatted traceback, for
        debugging; ``redraws`` counts calls of :meth:`update`.

    Notes
    -----
    The default setting is computed on construction. If it fails with an unexpected error, the
    constructor raises it: that is a bug in the lesson, and it should fail the notebook tests
    rather than hide behind the friendly box shown for errors at later settings.
    """

    def __init__(self, controls: Mapping[str, widgets.Widget], compute: Callable[..., Any],
                 render: Callable[[Any], Any], *, alt: Callable[[Any], str] | str,
                 title: str = "", caption: Callable[[Any], str] | str | None = None,
                 layout: str = "vertical"):
        if not isinstance(controls, Mapping) or not controls:
            raise TypeError("Explorer: controls must be a non-empty dict of name -> widget")
        for name, w in controls.items():
            if not isinstance(w, widgets.Widget) or not w.has_trait("value"):
                raise TypeError(f"Explorer: control {name!r} must be an ipywidget with a value")
        if not callable(compute) or not callable(render):
            raise TypeError("Explorer: compute and render must be functions")
        if layout not in ("vertical", "horizontal"):
            raise ValueError("Explorer: layout must be 'vertical' or 'horizontal'")
        _check_signature(compute, list(controls))
        self.controls: dict[str, widgets.Widget] = dict(controls)
        self.compute = compute
        self.render = render
        self.alt = alt
        self.caption = caption
        self.title = title
        self.result: Any = None
        self.message: str | None = None
        self.error: BaseException | None = None
        self.traceback: str | None = None
        self.alt_text: str | None = None
        self.last_render_seconds: float | None = None
        self.redraws = 0
        self._batch = False
        self._log_figures = True  # the default view is logged in plots.FIGURE_LOG

        _align_labels(self.controls.values())
        self.output = widgets.HTML(layout=widgets.Layout(min_height="2em"))
        box = widgets.VBox(list(self.controls.values()))
        parts: list[widgets.Widget] = []
        if title:
            parts.append(widgets.HTML(f"<h4 class='course-explorer-title'>{html.escape(title)}</h4>"))
        if layout == "vertical":
            parts += [box, self.output]
        else:
            parts.append(widgets.HBox([box, self.output]))
        self.widget = widgets.VBox(parts)
        self.widget.add_class("course-explorer")

        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self.update()
        self._log_figures = False
        if self.error is not None:
            raise self.error
        self.default_values = self.values()
        self.default_html = self.html

    # -- state -------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: w.value for name, w in self.controls.items()}

    @property
    def html(self) -> str:
        """The HTML currently shown in the output area."""
        return self.output.value

    # -- redraw ------------------------------------------------------------------------------
    def _on_change(self, change) -> None:
        if not self._batch:
            self.update()

    def update(self) -> Any:
        """Recompute and redraw from the controls' current values; return the result (or None)."""
        self.redraws += 1
        start = time.perf_counter()
        before = set(plt.get_fignums())
        # A matplotlib figure leaves reference cycles behind; a full garbage collection that
        # happens to start in the middle of a redraw scans every object the kernel holds and
        # doubles the wait. Collections are therefore held off while drawing; the next allocation
        # after the redraw collects the young garbage (the figure) cheaply.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            result = self.compute(**self.values())
            shown = self._to_html(result)
        except EdgeCase as exc:
            self.result, self.message, self.error, self.traceback = None, str(exc), None, None
            shown = edgecase_html(str(exc))
        except Exception as exc:  # noqa: BLE001 - shown to the reader as one line, kept in .error
            self.result, self.message, self.error = None, None, exc
            self.traceback = traceback.format_exc()
            shown = error_html(exc)
        else:
            self.result, self.message, self.error, self.traceback = result, None, None, None
        finally:
            # figures a failed render left open would pop up under the next cell that runs
            for num in set(plt.get_fignums()) - before:
                plt.close(num)
            if gc_was_enabled:
                gc.enable()
        self.output.value = shown
        self.last_render_seconds = time.perf_counter() - start
        return self.result

    @contextlib.contextmanager
    def hold(self):
        """A ``with`` block in which control changes do not redraw (the caller redraws after).

        Use it when one control moves others (a period slider resetting two rate sliders), so the
        figure is drawn once, with all the new values together.
        """
        previous = self._batch
        self._batch = True
        try:
            yield self
        finally:
            self._batch = previous

    def set(self, **values: Any) -> Any:
        """Set several controls at once and redraw once; return the result."""
        unknown = [k for k in values if k not in self.controls]
        if unknown:
            raise KeyError(f"Explorer.set: no control named {unknown[0]!r}; "
                           f"the controls are {', '.join(self.controls)}")
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
        return self.update()

    def _to_html(self, result: Any) -> str:
        out = self.render(result)
        items = out if isinstance(out, (list, tuple)) else [out]
        parts = []
        for item in items:
            if isinstance(item, Figure):
                try:
                    alt = self.alt(result) if callable(self.alt) else self.alt
                    cap = self.caption(result) if callable(self.caption) else self.caption
                    self.alt_text = alt
                    # the default view (also the static one) is encoded as usual, drawn with the text
                    # caches so that the first redraws find them filled; redraws are encoded faster
                    parts.append(plots.figure_bundle(item, alt, cap, fast=not self._log_figures,
                                                     cached_text=True)["text/html"])
                    if self._log_figures:
                        plots._log(item, alt, cap)
                finally:
                    plt.close(item)
            elif isinstance(item, pd.DataFrame):
                parts.append(item.to_html(classes="course-table", border=0))
            elif hasattr(item, "to_html") and callable(item.to_html):  # pandas Styler
                parts.append(item.to_html())
            elif isinstance(item, str):
                parts.append(item)
            elif item is None:
                continue
            else:
                raise TypeError(f"render returned {type(item).__name__}; "
                                "return a Figure, an HTML string or a DataFrame")
        return "".join(parts)

    # -- display -----------------------------------------------------------------------------
    def static_html(self) -> str:
        """The default view for readers without a kernel (GitHub, nbconvert)."""
        settings = ", ".join(f"{html.escape(_control_name(k, self.controls[k]))}: "
                             f"{html.escape(_show_value(_shown(self.controls[k], v)))}"
                             for k, v in self.default_values.items())
        setting = _f("Setting: {settings}.")
        title = (f"<h4 class='course-explorer-title'>{html.escape(self.title)}</h4>"
                 if self.title else "")
        return (f'<div class="course-explorer-static">{title}'
                f'<p class="course-static-note"><em>{html.escape(_(STATIC_NOTE))}</em> '
                f"{setting}</p>"
                f"{self.default_html}</div>")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["text/html"] = self.static_html()
        label = self.title or _("interactive figure")
        bundle["text/plain"] = _f("Explorer: {label} ({_(STATIC_NOTE)})")
        return bundle

    def __repr__(self) -> str:
        return f"<Explorer {self.title or ''} controls={list(self.controls)}>"


def once_per_setting(compute: Callable[..., Any], most: int = 256) -> Callable[..., Any]:
    """An Explorer's ``compute`` that works each setting out once per language (issue 14).

    For a computation that takes a noticeable part of a redraw (k-means, a Theil decomposition, a
    projection of eleven economies): students come back to settings they tried. The result is kept
    by the controls' values and the language (results carry translated notes and titles); at most
    ``most`` are kept and a full store is emptied. A setting that raised (an edge case) is computed
    again next time. Callers must not change a result in place. The signature is ``compute``'s, so
    the Explorer still checks its controls against it.
    """
    results: dict = {}

    @functools.wraps(compute)
    def remembered(**values):
        key = (tuple(sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in values.items())),
               get_language())
        if key not in results:
            if len(results) >= most:
                results.clear()
            results[key] = compute(**values)
        return results[key]

    return remembered


def _align_labels(controls) -> None:
    """Give every control's label the same width, wide enough for the longest one.

    ipywidgets cuts labels longer than about ten characters ("GDP vinta..."); a shared width keeps
    the whole label readable and the controls aligned. Widths set by the lesson are left alone.
    """
    controls = list(controls)
    longest = max((len(getattr(w, "description", "") or "") for w in controls), default=0)
    if longest <= 10:
        return
    width = f"{min(240, 16 + 7.5 * longest):.0f}px"
    for w in controls:
        style = getattr(w, "style", None)
        if style is not None and "description_width" in style.keys and not style.description_width:
            style.description_width = width


def _control_name(key: str, widget) -> str:
    """What the student sees as the control's label (its description), else its name."""
    return (getattr(widget, "description", "") or key).rstrip(":")


def _shown(widget, value: Any) -> Any:
    """The label the student sees for a value: a dropdown's option label (a province's name, not
    its code 440000), each label of a multiple selection; other values unchanged."""
    labels = getattr(widget, "_options_labels", None)
    values = getattr(widget, "_options_values", None)
    if not labels or values is None:
        return value
    lookup = {}
    for label, v in zip(labels, values):
        try:
            lookup.setdefault(v, label)
        except TypeError:  # an unhashable option value: show it as it is
            return value
    try:
        if isinstance(value, (list, tuple)):
            return [lookup.get(v, v) for v in value]
        return lookup.get(value, value)
    except TypeError:
        return value


def _show_value(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(map(str, v)) + "]"
    return str(v)


def _check_signature(compute: Callable[..., Any], names: list[str]) -> None:
    """Fail early, at construction, when a control has no matching parameter in compute."""
    try:
        sig = inspect.signature(compute)
    except (TypeError, ValueError):  # builtins without a signature: let the call decide
        return
    params = sig.parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return
    for name in names:
        if name not in params:
            raise TypeError(f"Explorer: compute() has no parameter {name!r} for the control "
                            f"of that name; its parameters are {', '.join(params) or 'none'}")
    required = [n for n, p in params.items() if p.default is p.empty
                and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and n not in names]
    if required:
        raise TypeError(f"Explorer: compute() needs {', '.join(map(repr, required))} but there is "
                        "no control of that name")
