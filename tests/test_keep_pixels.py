"""Pasting kept pixels instead of drawing again (``course.plots.keep_pixels``, issue 14).

A tile map that a widget updates in place keeps each tile's and each label's pixels by look and
pastes them when the same look comes back over the same pixels. Every test below compares the
pasted figure, pixel for pixel, with one drawn afresh, and checks that pixels really were pasted
(``plots.KEEP_STATS``), so that a test cannot pass by never taking the new path.
"""

from __future__ import annotations

import base64
import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from PIL import Image  # noqa: E402

import course  # noqa: E402
from course import fastdraw, plots  # noqa: E402
from redraw_helpers import fast_pixels, pixels  # noqa: E402


def pasted() -> int:
    return plots.KEEP_STATS["pasted"]


def label_over_tile(face, text="Ab", box=True):
    """A coloured square with a (boxed) label over it; the label keeps its pixels by look."""
    fig = plt.figure(figsize=(2, 2), dpi=80)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    rect = ax.add_artist(Rectangle((0.1, 0.1), 0.8, 0.8, facecolor=face, hatch="//", edgecolor="none"))
    label = ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=14,
                    bbox=dict(boxstyle="round,pad=0.12", facecolor=face, edgecolor="none") if box else None)
    return fig, rect, label


def keep_label(label):
    plots.keep_pixels(label, lambda: plots._text_look(label), keep=4, beneath="same",
                      extent=lambda renderer: plots._text_extent(label, renderer))


@pytest.mark.parametrize("draw", [pixels, fast_pixels])
def test_a_label_is_pasted_only_over_the_pixels_it_was_kept_over(draw):
    fig, rect, label = label_over_tile("#0072B2", box=False)
    keep_label(label)
    first = draw(fig)
    before = pasted()
    second = draw(fig)
    assert pasted() == before + 1            # pasted, not drawn
    assert np.array_equal(first, second)
    # the tile beneath changes, the label does not: its kept pixels would show the old tile
    rect.set_facecolor("#E69F00")
    before = pasted()
    third = draw(fig)
    assert pasted() == before                 # drawn again
    fresh_fig, _, _ = label_over_tile("#E69F00", box=False)
    assert np.array_equal(third, draw(fresh_fig))
    plt.close("all")


def test_a_boxed_label_keeps_its_box_and_a_new_look_is_drawn():
    fig, rect, label = label_over_tile("#009E73")
    keep_label(label)
    fast_pixels(fig)
    before = pasted()
    again = fast_pixels(fig)
    assert pasted() == before + 1
    fresh, _, _ = label_over_tile("#009E73")
    assert np.array_equal(again, fast_pixels(fresh))   # the box (wider than the words) was kept too
    label.set_text("Cd")                               # a new look: drawn, then kept
    before = pasted()
    new = fast_pixels(fig)
    assert pasted() == before
    fresh, _, _ = label_over_tile("#009E73", text="Cd")
    assert np.array_equal(new, fast_pixels(fresh))
    plt.close("all")


def test_a_draw_that_warned_of_a_missing_glyph_is_not_kept():
    # figure_bundle refuses a figure whose text no font can draw by the warning the draw gives:
    # a pasted label would give none
    fig, rect, label = label_over_tile("#56B4E9", text="x \U00013000")
    keep_label(label)
    for _ in range(2):
        before = pasted()
        with pytest.warns(UserWarning, match="missing from font"):
            fastdraw.figure_png(fig)
        assert pasted() == before
    plt.close("all")


def test_keep_pixels_refuses_an_unknown_mode():
    fig, rect, label = label_over_tile("#56B4E9")
    with pytest.raises(ValueError, match="beneath"):
        plots.keep_pixels(label, beneath="under")
    plt.close(fig)


# -- tile maps updated in place -------------------------------------------------------------------

def _map(cats, ax=None, update=False, values=None, highlight=None, names="abbr", size=(5.0, 4.9)):
    with plots.course_style():
        if ax is None:
            fig = plt.figure(figsize=size, dpi=100)
            ax = fig.add_axes([0.0, 0.0, 1.0, 0.86])
        out = plots.tile_map(values, categories=cats, ax=ax, label="group", update=update,
                             highlight=highlight, names=names, fmt="{:,.1f}")
        if out is not None:
            plots.finding_title(ax.figure, "A test map")
    return out


@pytest.mark.parametrize("names, size", [("abbr", (5.0, 4.9)), ("en", (5.0, 4.9)),
                                         ("en", (2.4, 2.35))])   # labels wider than their tiles
def test_a_categorical_map_pastes_its_tiles_and_still_matches_a_new_one(names, size):
    codes = course.load("provinces")["province_code"].to_numpy()
    rng = np.random.default_rng(7)
    levels = list("ABCDEFG")

    def cats(n):
        return pd.Series(pd.Categorical(rng.choice(levels[:n], len(codes)), categories=levels[:n]), index=codes)

    small = pd.Series(rng.integers(1, 9, len(codes)).astype(float), index=codes)
    big = pd.Series(rng.uniform(1e4, 1e6, len(codes)), index=codes)   # long strings
    # an outlined province (drawn over its neighbours' margins) in some settings
    settings = [dict(c=cats(3), v=small), dict(c=cats(3), v=small), dict(c=cats(6), v=small, hl=110000),
                dict(c=cats(3), v=big), dict(c=cats(6), v=small), dict(c=cats(3), v=big, hl=440000),
                dict(c=cats(6), v=small), dict(c=cats(3), v=big)]
    kept_ax = _map(settings[0]["c"], values=small, names=names, size=size)
    before = pasted()
    for s in settings:
        assert _map(s["c"], ax=kept_ax, update=True, values=s["v"], highlight=s.get("hl"), names=names,
                    size=size) is kept_ax
        fresh = _map(s["c"], values=s["v"], highlight=s.get("hl"), names=names, size=size)
        for draw in (fast_pixels, pixels):
            a, b = draw(kept_ax.figure), draw(fresh.figure)
            assert np.array_equal(a, b), f"{int((a != b).any(axis=2).sum())} pixels differ"
        plt.close(fresh.figure)
    # most tiles and labels were pasted (fewer where labels spill over onto their neighbours)
    assert pasted() - before > (100 if size[0] > 4 else 40)
    plt.close("all")


def test_the_grouping_widget_pastes_on_a_revisit():
    from course import grouping as gr

    ex = gr.explorer()
    ex.controls["k"].value = 5
    before = pasted()
    ex.controls["k"].value = 4
    ex.controls["k"].value = 5
    assert pasted() - before >= 2 * 62        # every label (letter and name) of both revisits


# -- the Explorer's default view and lesson 22's results ------------------------------------------

def _png_in(html: str) -> bytes:
    return base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1))


def test_the_default_view_has_matplotlibs_own_bytes_and_fills_the_text_caches():
    from course import tour

    fastdraw.clear_caches()
    table = tour.profile_table()
    ex = tour.make_explorer(table)
    assert fastdraw.cache_info()["glyphs"] > 0     # drawn with the cached renderer ...
    view = tour.tour_view(table, 440000, "gdp_per_capita_yuan")
    fig = tour.render_tour(view)[1]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi="figure", facecolor="white", metadata={"Software": None})
    plt.close(fig)
    assert _png_in(ex.output.value) == buf.getvalue()   # ... and encoded as matplotlib encodes
    # the first redraw then finds the glyphs it needs
    before = fastdraw.cache_info()
    ex.controls["province"].value = 110000
    after = fastdraw.cache_info()
    assert after["glyph_hits"] - before["glyph_hits"] > 5 * (after["glyph_misses"] - before["glyph_misses"])


def test_the_grouping_widget_computes_each_setting_once(monkeypatch):
    from course import grouping as gr
    from course import i18n

    calls = []
    explore = gr.explore

    def counted(*args, **kwargs):
        calls.append(args[3:])
        return explore(*args, **kwargs)

    monkeypatch.setattr(gr, "explore", counted)
    ex = gr.explorer()
    for k in (5, 4, 5, 4):
        ex.controls["k"].value = k
    assert len(calls) == 2                    # the default (k = 4) and k = 5, once each
    shown = ex.output.value                   # k = 4
    i18n.set_language("zh")
    try:
        ex.controls["k"].value = 5            # the profiles are described in the new language
        assert len(calls) == 3
    finally:
        i18n.set_language("en")
    ex.controls["k"].value = 5                # back in English: both settings are known
    ex.controls["k"].value = 4
    assert len(calls) == 3
    assert ex.output.value == shown           # the same view as before
