"""Tests for course.fastdraw: redraws with cached text must give matplotlib's own pixels.

The reference is always matplotlib's stock Agg renderer on the same figure, drawn in the same test;
the fast renderer must reproduce it exactly, also on a second draw served from its caches, and
after anything that changes how text looks (font, size, dpi, hinting, colour, antialiasing).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from course import data, fastdraw, plots  # noqa: E402
from redraw_helpers import fast_pixels  # noqa: E402
from redraw_helpers import pixels as stock_pixels  # noqa: E402

PROVINCES = data.load("provinces")


@pytest.fixture(autouse=True)
def _fresh():
    fastdraw.clear_caches()
    yield
    plt.close("all")


def tile_figure(seed=0, **kw):
    rng = np.random.default_rng(seed)
    values = pd.Series(rng.uniform(0.5, 150, len(PROVINCES)), index=PROVINCES["province_code"])
    values.iloc[[2, 9]] = np.nan
    fig, ax = plt.subplots(figsize=(6.2, 5.4), dpi=80)
    plots.tile_map(values, ax=ax, provinces=PROVINCES, label="thousand yuan per person",
                   title="Beijing and Shanghai print the highest values", highlight=110000, **kw)
    return fig


def busy_figure():
    """Everything the fast path handles and everything it hands back to matplotlib."""
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=90)
    x = np.arange(2010, 2025)
    ax.plot(x, np.sin(x / 3), label="sine (East)")
    ax.plot(x, np.cos(x / 3), label="cosine (West)", linestyle="--")
    ax.set_ylabel("rotated label")                        # rotated: matplotlib's own path
    ax.set_xlabel("first line\nsecond line, Unicode \u2212 \u00b7 %")
    ax.set_title(r"Math $\alpha^2$ and plain words", loc="left")  # mathtext: matplotlib's own path
    ax.text(2012, 0.5, "faint", alpha=0.4, color="#D55E00", fontsize=14, fontweight="bold")
    ax.text(2014, -0.5, "no antialiasing", antialiased=False, fontsize=9)
    ax.text(2016, 0.0, "boxed", bbox={"boxstyle": "round", "facecolor": "#F0E442"})
    ax.annotate("arrow", xy=(2020, 0.2), xytext=(2021, 0.8), arrowprops={"arrowstyle": "->"})
    ax.legend(loc="lower left")
    return fig


@pytest.mark.parametrize("make", [tile_figure, busy_figure])
def test_same_pixels_as_matplotlib_first_and_second_time(make):
    fig = make()
    reference = stock_pixels(fig)
    first = fast_pixels(fig)
    second = fast_pixels(fig)  # now served from the caches
    assert first.shape == reference.shape
    assert np.array_equal(first, reference)
    assert np.array_equal(second, reference)


def test_every_text_shares_layouts_while_a_fast_draw_runs_and_only_then():
    """Tick labels (made anew by their axis) and other texts reuse the layouts of texts with the same
    words and font, with matplotlib's pixels; after the draw, and if it fails, matplotlib's own
    ``Text._get_layout`` is back."""
    from matplotlib.text import Text

    own = Text._get_layout
    fig = busy_figure()
    reference = stock_pixels(fig)
    first = fast_pixels(fig)
    misses = fastdraw.cache_info()["text_layout_misses"]
    assert misses > 10                                         # ticks, labels, legend entries
    hits = fastdraw.cache_info()["text_layout_hits"]
    second = fast_pixels(fig)
    info = fastdraw.cache_info()
    assert info["text_layout_misses"] == misses                 # nothing laid out again ...
    assert info["text_layout_hits"] >= hits + misses            # ... every text found its layout
    assert np.array_equal(first, reference) and np.array_equal(second, reference)
    # the same words on another figure (other ticks' places, other axes) share the layouts too
    other = busy_figure()
    other.axes[0].set_xlim(2009, 2026)
    before = fastdraw.cache_info()["text_layout_hits"]
    assert np.array_equal(fast_pixels(other), stock_pixels(other))
    assert fastdraw.cache_info()["text_layout_hits"] > before
    assert Text._get_layout is own                              # not left in place after a draw
    from matplotlib.artist import Artist

    class Boom(Artist):
        def draw(self, renderer):
            raise RuntimeError("boom")

    broken = busy_figure()
    broken.axes[0].add_artist(Boom())                            # raises while the figure draws
    with pytest.raises(RuntimeError, match="boom"):
        fastdraw.figure_png(broken)
    assert Text._get_layout is own


def test_each_axis_works_out_its_ticks_once_per_fast_draw_with_matplotlibs_pixels():
    """Axis.draw asks for its ticks and their labels' boxes again to place its label; while a fast
    draw runs the second ask gets the first answer: the same pixels (also for labels aligned across
    axes, which measure their siblings' ticks), fewer tick updates, and Axis.draw restored after."""
    from matplotlib.axis import Axis

    own = Axis.draw
    fig, (a, b) = plt.subplots(2, 1, figsize=(4, 4), dpi=80)
    a.plot([0, 1e5], [0, 2e5])
    b.plot([0, 1], [0.001, 0.002])
    a.set_ylabel("wide ticks")
    b.set_ylabel("narrow")
    fig.align_ylabels()                              # each y label measures both axes' tick labels
    calls = []
    update = Axis._update_ticks

    def counted(axis):
        calls.append(axis)
        return update(axis)

    Axis._update_ticks = counted
    try:
        reference = stock_pixels(fig)
        stock_calls = len(calls)
        calls.clear()
        assert np.array_equal(fast_pixels(fig), reference)
        fast_calls = len(calls)
    finally:
        Axis._update_ticks = update
    assert fast_calls < stock_calls, (fast_calls, stock_calls)
    assert Axis.draw is own
    plt.close(fig)


def test_second_draw_renders_no_new_glyph():
    fig = tile_figure()
    fastdraw.figure_png(fig)
    before = fastdraw.cache_info()
    assert before["glyph_misses"] > 0 and before["layout_misses"] > 0
    fastdraw.figure_png(fig)
    after = fastdraw.cache_info()
    assert after["glyph_misses"] == before["glyph_misses"]
    assert after["layout_misses"] == before["layout_misses"]
    assert after["glyph_hits"] > before["glyph_hits"]


def test_rotated_and_math_text_go_to_matplotlib():
    fig = busy_figure()
    fastdraw.figure_png(fig)
    assert fastdraw.cache_info()["fallbacks"] >= 2  # the y label and the mathtext title


def test_changed_values_colours_font_dpi_and_hinting_still_match():
    # each change alters the text drawn; a stale cache entry would show up as a pixel difference
    fig = tile_figure(seed=1)
    fastdraw.figure_png(fig)
    for seed in (2, 3):  # new values, new strings and new text colours on the tiles
        other = tile_figure(seed=seed)
        assert np.array_equal(fast_pixels(other), stock_pixels(other))
    fig.set_dpi(100)
    assert np.array_equal(fast_pixels(fig), stock_pixels(fig))
    with matplotlib.rc_context({"font.family": "serif", "font.serif": ["DejaVu Serif"]}):
        serif = tile_figure(seed=1)
        assert np.array_equal(fast_pixels(serif), stock_pixels(serif))
    for hinting in ("force_autohint", "none"):
        with matplotlib.rc_context({"text.hinting": hinting}):
            hinted = tile_figure(seed=1)
            assert np.array_equal(fast_pixels(hinted), stock_pixels(hinted))


def test_bounded_caches_still_draw_correctly(monkeypatch):
    monkeypatch.setattr(fastdraw, "MAX_ENTRIES", 20)
    fig = tile_figure()
    assert np.array_equal(fast_pixels(fig), stock_pixels(fig))
    info = fastdraw.cache_info()
    assert max(info["glyphs"], info["layouts"], info["metrics"]) <= 20


def test_coarser_subpixel_grid_moves_text_by_a_fraction_of_a_pixel(monkeypatch):
    fig = tile_figure()
    reference = stock_pixels(fig).astype(int)
    monkeypatch.setattr(fastdraw, "SUBPIXEL", 4)
    coarse = fast_pixels(fig).astype(int)
    changed = np.abs(coarse - reference).max(axis=2) > 0
    assert changed.any()                 # the grid is really coarser ...
    assert changed.mean() < 0.05         # ... but only antialiased text edges change
    assert np.abs(coarse - reference).mean() < 1.0


def test_figure_keeps_its_canvas_and_can_be_closed():
    fig = tile_figure()
    canvas = fig.canvas
    fastdraw.figure_png(fig)
    assert fig.canvas is canvas
    plt.close(fig)
    assert not plt.get_fignums()


def test_figure_bundle_fast_uses_the_cached_renderer_and_keeps_the_pixels():
    import base64

    fig = tile_figure()
    slow = plots.figure_bundle(fig, alt="A tile map.")
    fast = plots.figure_bundle(fig, alt="A tile map.", fast=True)
    assert fastdraw.cache_info()["glyph_misses"] > 0  # drawn by course.fastdraw
    decode = lambda b: np.asarray(Image.open(io.BytesIO(base64.b64decode(b["image/png"]))))  # noqa: E731
    assert np.array_equal(decode(slow), decode(fast))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_glyph_no_font_has_fails_fast_redraws_every_time(language):
    # the caches must not hide a missing glyph: the second redraw of the same string (a cache hit,
    # primed here by a draw that ignored the warning) must fail like the first
    from course import i18n

    i18n.set_language(language)
    try:
        fig, ax = plt.subplots(figsize=(3, 2), dpi=60)
        plots.finding_title(ax, "Egyptian \U00013000 hieroglyph")  # in neither DejaVu Sans nor Noto CJK
        with pytest.warns(UserWarning, match="missing from font"):
            fastdraw.figure_png(fig)
        assert fastdraw.cache_info()["layouts"] > 0
        for _ in range(2):
            with pytest.raises(ValueError, match="no installed font can draw"):
                plots.figure_bundle(fig, alt="A test figure.", fast=True)
        assert fastdraw.cache_info()["layout_hits"] > 0  # really served from the cache
    finally:
        i18n.set_language("en")


def test_cache_keeps_languages_and_font_sizes_apart():
    # the same strings in the English and the Chinese edition (another font list) and at two sizes:
    # a cache keyed too loosely would draw one with the other's glyphs or layout
    from course import i18n

    def figure(size):
        fig, ax = plt.subplots(figsize=(3, 2), dpi=70)
        ax.set_title("Beijing 2023: 12.5 %", fontsize=size)
        ax.text(0.1, 0.5, "n/a 0123456789", fontsize=size - 2)
        return fig

    try:
        for language in ("en", "zh", "en"):
            i18n.set_language(language)
            for size in (9, 12):
                fig = figure(size)
                assert np.array_equal(fast_pixels(fig), stock_pixels(fig)), (language, size)
        i18n.set_language("zh")
        fig = figure(9)
        plots.finding_title(fig.axes[0], "北京：人均产出最高")
        assert np.array_equal(fast_pixels(fig), stock_pixels(fig))
        assert fastdraw.cache_info()["layout_hits"] > 0
    finally:
        i18n.set_language("en")
