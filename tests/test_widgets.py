"""Tests for course.widgets: the Explorer pattern (controls -> pure compute -> render).

The compute functions work on tiny hand-made tables, so every expected result is a hand
computation (for example 30 / (10 + 20 + 30) = 0.5).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from course import plots  # noqa: E402
from course.widgets import STATIC_NOTE, EdgeCase, Explorer, once_per_setting  # noqa: E402

# A tiny table: three provinces on a 1 x 3 grid, values for two years.
PROVINCES = pd.DataFrame({"province_code": [110000, 120000, 130000],
                          "tile_row": [0, 0, 0], "tile_col": [0, 1, 2]})
TABLE = pd.DataFrame({
    "province_code": [110000, 120000, 130000, 110000, 120000, 130000],
    "year": [2022, 2022, 2022, 2023, 2023, 2023],
    "value": [10.0, 20.0, 30.0, 10.0, 10.0, 0.0],
})


def share_of_total(year, code):
    """Pure: the chosen province's share of the three-province total in ``year``."""
    rows = TABLE[TABLE["year"] == year].set_index("province_code")["value"]
    if code not in rows.index:
        raise EdgeCase("Choose one of the three provinces.")
    total = rows.sum()
    return rows[code] / total


def shares(year):
    rows = TABLE[TABLE["year"] == year].set_index("province_code")["value"]
    if rows.sum() == 0:
        raise EdgeCase("All values are zero in this year, so shares are undefined.")
    return rows / rows.sum()


def render_map(result):
    ax = plots.tile_map(result * 100, provinces=PROVINCES, fmt="{:.0f}", label="share (%)",
                        title="Hebei has the largest share")
    return ax.figure


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def text_explorer(**kwargs):
    controls = {"year": w.Dropdown(options=[2022, 2023], value=2022),
                "code": w.Dropdown(options=[110000, 120000, 130000, 999999], value=130000)}
    return Explorer(controls, share_of_total, render=lambda r: f"<p>share = {r:.3f}</p>",
                    alt="Share of the chosen province", **kwargs)


def test_default_result_is_computed_on_construction():
    ex = text_explorer()
    assert ex.result == pytest.approx(30 / 60)
    assert ex.html == "<p>share = 0.500</p>"
    assert ex.message is None and ex.error is None
    assert ex.last_render_seconds >= 0


def test_setting_a_control_changes_result_and_html():
    ex = text_explorer()
    ex.controls["year"].value = 2023
    assert ex.result == 0.0  # Hebei has 0 of 20 in 2023
    assert ex.html == "<p>share = 0.000</p>"
    ex.controls["code"].value = 110000
    assert ex.result == pytest.approx(10 / 20)


def test_figure_render_shows_an_img_with_the_alt_text():
    ex = Explorer({"year": w.Dropdown(options=[2022, 2023], value=2022)}, shares, render_map,
                  alt=lambda r: f"Three tiles; Hebei holds {r[130000]:.0%} of the total.")
    assert '<figure class="course-figure">' in ex.html
    assert 'alt="Three tiles; Hebei holds 50% of the total."' in ex.html
    assert ex.alt_text == "Three tiles; Hebei holds 50% of the total."
    assert plt.get_fignums() == []  # the rendered figure was closed


def test_edge_case_shows_a_note_and_clears_the_result():
    ex = Explorer({"year": w.Dropdown(options=[2022, 2023, 2024], value=2022)}, shares, render_map,
                  alt="Shares of three provinces")
    ex.controls["year"].value = 2024  # no rows: total 0
    assert ex.result is None
    assert ex.message == "All values are zero in this year, so shares are undefined."
    assert 'class="course-edgecase"' in ex.html and "Note:" in ex.html
    assert "<img" not in ex.html and ex.error is None
    ex.controls["year"].value = 2023  # back to a valid setting clears the note
    assert ex.message is None and ex.result[110000] == pytest.approx(0.5)


def test_unexpected_error_shows_a_friendly_box_without_raising():
    def compute(n):
        return 1 / n

    ex = Explorer({"n": w.IntSlider(value=2, min=0, max=3)}, compute,
                  render=lambda r: f"<p>{r}</p>", alt="One over n")
    ex.controls["n"].value = 0  # must not raise
    assert isinstance(ex.error, ZeroDivisionError)
    assert ex.result is None and ex.message is None
    assert 'class="course-error"' in ex.html
    assert "Something went wrong while redrawing: ZeroDivisionError: division by zero" in ex.html
    assert "Traceback" not in ex.html and "Traceback" in ex.traceback
    ex.controls["n"].value = 1
    assert ex.error is None and ex.result == 1.0


def test_error_message_is_escaped():
    def compute(n):
        if n:
            raise ValueError("bad <b>value</b> & more")
        return n

    ex = Explorer({"n": w.IntSlider(value=0)}, compute, render=str, alt="n")
    ex.controls["n"].value = 1
    assert "<b>" not in ex.html and "&lt;b&gt;value&lt;/b&gt; &amp; more" in ex.html


def test_a_failing_render_leaves_no_open_figure():
    def render(result):
        fig, ax = plt.subplots()
        if result > 1:
            raise RuntimeError("render failed")
        ax.set_title("ok")
        return fig

    ex = Explorer({"n": w.IntSlider(value=1, max=3)}, lambda n: n, render, alt="n")
    ex.controls["n"].value = 2
    assert isinstance(ex.error, RuntimeError)
    assert plt.get_fignums() == []


def test_a_figure_without_alt_text_is_reported_as_an_error():
    ex = Explorer({"n": w.IntSlider(value=1, max=3)}, lambda n: n,
                  render=lambda r: render_map(pd.Series({110000: r / 10})),
                  alt=lambda r: "" if r == 3 else "One tile.")
    ex.controls["n"].value = 3
    assert isinstance(ex.error, ValueError) and "alt text" in ex.html


def test_mimebundle_has_the_live_widget_and_a_static_default_view():
    ex = text_explorer(title="Share explorer")
    default_html = ex.html
    ex.controls["year"].value = 2023  # the static view still shows the default
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    static = bundle["text/html"]
    assert STATIC_NOTE in static and default_html in static
    assert "year: 2022" in static and "Share explorer" in static
    assert "share = 0.000" not in static
    assert bundle["text/plain"].startswith("Explorer: Share explorer")


def test_static_view_names_a_province_not_its_code():
    """A dropdown of (label, value) options shows the label the student picks, not the code behind it."""
    ex = Explorer({"code": w.Dropdown(options=[("Beijing", 110000), ("Hebei", 130000)], value=130000,
                                      description="Province"),
                   "regions": w.SelectMultiple(options=[("East", "E"), ("West", "W")], value=("E", "W"),
                                               description="Regions")},
                  lambda code, regions: code, render=lambda r: f"<p>{r}</p>", alt="A number.")
    static = ex.static_html()
    assert "Province: Hebei" in static and "Regions: [East, West]" in static
    assert "130000" not in static.split("</p>")[0] and "code =" not in static


def test_set_changes_several_controls_with_one_redraw():
    calls = []

    def compute(year, code):
        calls.append((year, code))
        return share_of_total(year, code)

    controls = {"year": w.Dropdown(options=[2022, 2023], value=2022),
                "code": w.Dropdown(options=[110000, 120000, 130000], value=130000)}
    ex = Explorer(controls, compute, render=lambda r: f"{r:.2f}", alt="share")
    before = ex.redraws
    calls.clear()
    result = ex.set(year=2023, code=120000)
    assert calls == [(2023, 120000)]
    assert ex.redraws == before + 1
    assert result == ex.result == pytest.approx(10 / 20)
    with pytest.raises(KeyError, match="yeer"):
        ex.set(yeer=2022)


def test_dataframe_and_list_renders():
    ex = Explorer({"year": w.Dropdown(options=[2022, 2023], value=2022)}, shares,
                  render=lambda r: ["<h5>Shares</h5>", r.rename("share").to_frame()],
                  alt="Shares table")
    assert ex.html.startswith("<h5>Shares</h5><table")
    assert "course-table" in ex.html and "0.5" in ex.html


def test_unsupported_render_result_is_an_error():
    ex = Explorer({"n": w.IntSlider(value=0)}, lambda n: n, render=lambda r: r if r else "x",
                  alt="n")
    ex.controls["n"].value = 5  # render returns an int
    assert isinstance(ex.error, TypeError) and "render returned int" in str(ex.error)


def test_construction_checks_controls_against_compute():
    with pytest.raises(TypeError, match="'yeer'"):
        Explorer({"yeer": w.IntSlider()}, lambda year: year, render=str, alt="x")
    with pytest.raises(TypeError, match="'code'"):
        Explorer({"year": w.IntSlider()}, lambda year, code: year, render=str, alt="x")
    with pytest.raises(TypeError, match="non-empty"):
        Explorer({}, lambda: 1, render=str, alt="x")
    with pytest.raises(TypeError, match="value"):
        Explorer({"b": w.Button()}, lambda b: b, render=str, alt="x")
    Explorer({"a": w.IntSlider()}, lambda **kw: kw["a"], render=str, alt="x")  # **kwargs is fine


def test_a_broken_default_fails_loudly_but_a_default_edge_case_does_not():
    with pytest.raises(ZeroDivisionError):
        Explorer({"n": w.IntSlider(value=0)}, lambda n: 1 / n, render=str, alt="x")

    def compute(n):
        raise EdgeCase("Pick a number above zero.")

    ex = Explorer({"n": w.IntSlider(value=0)}, compute, render=str, alt="x")
    assert ex.message == "Pick a number above zero." and "Note:" in ex.static_html()


def test_layouts():
    ex = text_explorer(layout="horizontal", title="T")
    assert any(isinstance(c, w.HBox) for c in ex.widget.children)
    assert ex.output in ex.widget.children[-1].children
    ex = text_explorer()
    assert ex.widget.children[-1] is ex.output
    with pytest.raises(ValueError, match="layout"):
        text_explorer(layout="diagonal")


def test_default_figure_is_logged_once():
    plots.FIGURE_LOG.clear()
    ex = Explorer({"year": w.Dropdown(options=[2022, 2023], value=2022)}, shares, render_map,
                  alt="Shares of three provinces")
    ex.controls["year"].value = 2023
    assert plots.FIGURE_LOG == [{"title": "Hebei has the largest share",
                                 "alt": "Shares of three provinces", "caption": ""}]


def test_hold_defers_redraws_until_the_caller_updates():
    import ipywidgets as w

    from course.widgets import Explorer

    ex = Explorer({"a": w.IntSlider(value=1, min=0, max=9), "b": w.IntSlider(value=1, min=0, max=9)},
                  lambda a, b: a + b, render=lambda r: f"<p>{r}</p>", alt="sum")
    before = ex.redraws
    with ex.hold():
        ex.controls["a"].value = 5
        ex.controls["b"].value = 7
    assert ex.redraws == before and ex.result == 2  # nothing redrawn inside the block
    ex.controls["a"].value = 6                      # outside it, changes redraw again
    assert ex.redraws == before + 1 and ex.result == 13


def test_long_control_labels_are_not_cut():
    import ipywidgets as w

    from course.widgets import Explorer

    ex = Explorer({"vintage": w.Dropdown(options=["a", "b"], description="GDP vintage"),
                   "year": w.IntSlider(value=1, min=0, max=2, description="Year"),
                   "fixed": w.IntSlider(value=1, min=0, max=2, description="Set by lesson",
                                        style={"description_width": "50px"})},
                  lambda vintage, year, fixed: year, render=lambda r: f"<p>{r}</p>", alt="x")
    widths = {name: c.style.description_width for name, c in ex.controls.items()}
    assert widths["vintage"] == widths["year"] != ""          # shared and set
    assert int(widths["vintage"].rstrip("px")) >= 7 * len("GDP vintage")
    assert widths["fixed"] == "50px"                          # a lesson's own width is kept


# -- the topic modules import without the display stack -------------------------------------------

#: modules whose job is display (widgets, figures, the quiz, the sweep) and may import ipywidgets and
#: matplotlib's pyplot when they are imported; every other module of the package must not
DISPLAY_MODULES = {"widgets", "plots", "fastdraw", "tour", "quiz", "widget_sweep"}


def test_topic_modules_import_without_ipywidgets_or_pyplot():
    """A graded notebook's kernel and the grader import the topic modules (privacy, credit, ...) for
    their computations; importing ipywidgets and pyplot with them cost about 1.4 s of CPU per notebook.
    EdgeCase lives in course.edgecase for that reason. Checked in a fresh interpreter, module by module."""
    import subprocess
    import sys
    from pathlib import Path

    names = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "course").glob("*.py")
                   if p.stem not in DISPLAY_MODULES | {"__init__", "__main__"})
    assert "privacy" in names and "credit" in names and "edgecase" in names
    code = ("import importlib, sys, json\nout = {}\n"
            f"for name in {names!r}:\n"
            "    for m in [k for k in sys.modules if k == 'ipywidgets' or k.startswith('ipywidgets.') "
            "or k == 'matplotlib.pyplot' or k == 'course' or k.startswith('course.')]:\n"
            "        del sys.modules[m]\n"
            "    importlib.import_module('course.' + name)\n"
            "    out[name] = sorted(k for k in ('ipywidgets', 'matplotlib.pyplot') if k in sys.modules)\n"
            "print(json.dumps(out))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    import json

    loaded = {k: v for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items() if v}
    assert loaded == {}, f"these modules pull in the display stack when imported: {loaded}"


def test_edgecase_is_one_class_wherever_it_is_imported_from():
    from course import edgecase, privacy, widgets

    assert widgets.EdgeCase is edgecase.EdgeCase is EdgeCase
    assert privacy.EdgeCase is EdgeCase


def test_once_per_setting_computes_each_setting_once_per_language_and_keeps_a_bounded_store():
    from course import i18n

    calls = []

    def compute(n, names=()):
        calls.append((n, tuple(names)))
        if n < 0:
            raise EdgeCase("negative")
        return {"n": n, "names": tuple(names)}

    remembered = once_per_setting(compute, most=3)
    first = remembered(n=1, names=["a"])
    assert remembered(names=("a",), n=1) is first        # the same setting: the kept result
    assert calls == [(1, ("a",))]
    i18n.set_language("zh")
    try:
        assert remembered(n=1, names=("a",)) is not first  # another language: computed again
    finally:
        i18n.set_language("en")
    assert len(calls) == 2
    for _ in range(2):                                     # an edge case is not kept
        with pytest.raises(EdgeCase):
            remembered(n=-1)
    assert len(calls) == 4
    remembered(n=2)                                        # three settings kept: the store is full ...
    remembered(n=3)                                        # ... so it is emptied before this one is kept
    assert remembered(n=1, names=("a",)) is not first
    assert len(calls) == 7
    # the Explorer still checks its controls against compute's own parameters
    with pytest.raises(TypeError, match="no parameter 'x'"):
        Explorer({"x": w.IntSlider(value=1)}, remembered, lambda r: "", alt="A test.")
