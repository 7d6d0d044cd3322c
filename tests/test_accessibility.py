"""Accessible figures: titles and alt text on every figure; a palette that survives colour blindness.

Per lesson (``tests/test_lesson_runs.py`` and ``tests/test_lesson_runs_zh.py``; the lesson runs once,
offline, for three checks: ``tests/lesson_run.py``)

* every image in its outputs is accessible: an ``image/png`` output carries ``alt`` metadata and
  comes with a ``text/html`` ``<figure>`` whose ``<img>`` has the same non-empty alt text (that is
  what :func:`course.plots.show` emits); every ``<img>`` in any HTML output (including the static
  view of an Explorer and, from the stored widget state, its live output) sits inside a
  ``<figure>`` and has alt text; there is no bare ``image/png`` (e.g. from ``plt.show()``);
* in the kernel, :data:`course.plots.FIGURE_LOG` (every figure shown by ``show`` and every
  Explorer's default view) has a non-empty title and alt text for each entry, and the alt text says
  more than the title alone would: at least :data:`MIN_ALT` characters;
* each Explorer's current output has alt text on its image. (Figures an Explorer renders into HTML
  go through :func:`course.plots.figure_bundle`, which refuses a figure without a title.)

The palette checks need no lesson: the region colours (:data:`course.plots.REGION_STYLE`) and the
eight series colours (:data:`course.plots.COLORS`) stay pairwise at least :data:`MIN_DELTA_E` CIE76
Delta-E apart under simulated protanopia, deuteranopia and tritanopia
(:func:`course.plots.simulate_cvd`, Machado et al. 2009, full severity); and regions are told apart by
more than colour: distinct markers, distinct line styles and distinct hatches.

Why Delta-E 10: a Delta-E76 of about 2.3 is a just-noticeable difference for large patches seen
side by side (Sharma 2003, *Digital Color Imaging Handbook*); lines and markers in a chart are small
and not adjacent, and distinctions of fewer than about 10 units become hard to name at a glance, so
10 (about four JNDs) is the usual working threshold for categorical chart palettes. The Okabe-Ito
palette was chosen to pass it.
"""

from __future__ import annotations

import html.parser
import itertools
import json
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from course import plots

ROOT = Path(__file__).resolve().parent.parent

MIN_ALT = 20          # characters: "Bar chart" is not a description
MIN_DELTA_E = 10.0    # CIE76, see the module docstring
CVD_KINDS = ("protanopia", "deuteranopia", "tritanopia")

PROBE = r"""
import gc as _gc, json as _json
from course import plots as _plots
from course.widgets import Explorer as _Explorer
_ex = []
for _o in _gc.get_objects():
    if isinstance(_o, _Explorer):
        _ex.append({"title": _o.title, "html": _o.html, "alt": _o.alt_text})
print("A11Y" + _json.dumps({"log": list(_plots.FIGURE_LOG), "explorers": _ex}))
"""


class _ImgScanner(html.parser.HTMLParser):
    """Collects each <img>: its alt text and whether it sits inside a <figure>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "figure":
            self.depth += 1
        elif tag == "img":
            a = dict(attrs)
            self.images.append({"alt": (a.get("alt") or "").strip(), "in_figure": self.depth > 0,
                                "src": (a.get("src") or "")[:40]})

    def handle_endtag(self, tag):
        if tag == "figure" and self.depth:
            self.depth -= 1


def images_in_html(text: str) -> list[dict]:
    s = _ImgScanner()
    s.feed(text)
    s.close()
    return s.images


def image_problems(where: str, text: str) -> list[str]:
    problems = []
    for img in images_in_html(text):
        if not img["alt"]:
            problems.append(f"{where}: <img> without alt text")
        elif len(img["alt"]) < MIN_ALT:
            problems.append(f"{where}: alt text too short to describe a figure: {img['alt']!r}")
        if not img["in_figure"]:
            problems.append(f"{where}: <img> outside a <figure>")
    return problems


def output_problems(nb) -> tuple[list[str], int]:
    """Problems in the notebook's outputs (and stored widget state); also the number of images."""
    problems, n_images = [], 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for k, out in enumerate(cell.get("outputs", [])):
            data, meta = out.get("data", {}), out.get("metadata", {})
            where = f"cell {i} output {k}"
            if "image/png" in data:
                n_images += 1
                alt = str((meta.get("image/png") or {}).get("alt", "")).strip()
                figure_html = images_in_html(str(data.get("text/html", "")))
                if not alt and not any(img["alt"] for img in figure_html):
                    problems.append(f"{where}: a bare image/png without alt text "
                                    "(use course.plots.show(fig, alt=...), never plt.show())")
                elif not figure_html:
                    problems.append(f"{where}: image/png without the <figure> HTML of plots.show")
            for mime in ("text/html", "image/svg+xml"):
                if mime in data:
                    problems += image_problems(f"{where} {mime}", str(data[mime]))
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model_id, model in state.get("state", {}).items():
        value = model.get("state", {}).get("value")
        if model.get("model_name") == "HTMLModel" and isinstance(value, str) and "<img" in value:
            n_images += 1
            problems += image_problems(f"widget {model_id[:8]}", value)
    return problems, n_images


def test_image_checks_catch_a_bare_png():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("plt.show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR",
                                                                "text/plain": "<Figure>"})]
    nb.cells = [cell]
    problems, n = output_problems(nb)
    assert n == 1 and "bare image/png" in problems[0]
    assert image_problems("x", '<div><img src="a.png"></div>') == [
        "x: <img> without alt text", "x: <img> outside a <figure>"]
    assert image_problems("x", '<figure><img alt="A bar chart of GDP per capita by region"></figure>') == []


# -- palette -------------------------------------------------------------------------------------

def _srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0-1) -> CIELAB (D65), written out from the CIE formulas."""
    c = np.asarray(rgb, dtype=float)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def test_lab_conversion_against_known_values():
    # white is L* = 100, a* = b* = 0; sRGB red is (53.24, 80.09, 67.20) (Lindbloom's calculator)
    np.testing.assert_allclose(_srgb_to_lab(np.array([1.0, 1.0, 1.0])), [100, 0, 0], atol=0.01)
    np.testing.assert_allclose(_srgb_to_lab(np.array([1.0, 0.0, 0.0])), [53.24, 80.09, 67.20], atol=0.05)


def _min_delta_e(colours: dict[str, str]) -> list[tuple[str, str, str, float]]:
    from matplotlib import colors as mcolors
    out = []
    for kind in (None, *CVD_KINDS):
        for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
            ra, rb = np.array(mcolors.to_rgb(ca)), np.array(mcolors.to_rgb(cb))
            if kind:
                ra, rb = plots.simulate_cvd(ra, kind), plots.simulate_cvd(rb, kind)
            out.append((kind or "normal vision", a, b, float(np.linalg.norm(_srgb_to_lab(ra) - _srgb_to_lab(rb)))))
    return out


@pytest.mark.parametrize("name,colours", [
    ("REGION_STYLE", {k: v["color"] for k, v in plots.REGION_STYLE.items()}),
    ("COLORS", {f"{i}:{c}": c for i, c in enumerate(plots.COLORS)}),
])
def test_palette_distinguishable_under_cvd(name, colours):
    close = [f"{kind}: {a} vs {b} Delta-E {d:.1f}" for kind, a, b, d in _min_delta_e(colours)
             if d < MIN_DELTA_E]
    assert not close, f"{name} colours too close (< {MIN_DELTA_E}):\n  " + "\n  ".join(close)


def test_regions_differ_by_more_than_colour():
    styles = plots.REGION_STYLE
    assert set(plots.REGIONS) <= set(styles)
    for key in ("marker", "linestyle"):
        values = [repr(s[key]) for s in styles.values()]
        assert len(set(values)) == len(values), f"REGION_STYLE {key}s repeat: {values}"
    # bars and tiles: the four regions have distinct, non-empty hatches
    hatches = [styles[r]["hatch"] for r in ("East", "Central", "West", "Northeast")]
    assert all(hatches) and len(set(hatches)) == 4, hatches


def test_series_differ_by_more_than_colour():
    n = len(plots.COLORS)
    for key in ("marker", "linestyle", "hatch"):
        values = [repr(plots.series_style(i)[key]) for i in range(n)]
        assert len(set(values)) == n, f"series_style {key}s repeat within {n} series: {values}"
