"""Redraw speed-ups of lessons 13 and 31 must not change a pixel (issue 14).

- ``course.fastdraw.cache_rotated``: a rotated text that opts in is drawn from cached layouts and
  glyph bitmaps; the reference is matplotlib's own Agg renderer on the same figure, in the same test,
  on the first draw and on later draws served from the caches, at several angles and after a move.
- Lesson 31 (``course.innovation``): the fixed ticks of a linear axis are the automatic ones.
- Lesson 13 (``course.catchup``): crossings and end labels are kept and updated in place; an updated
  figure must equal a new one for the same setting, the figure must really be reused, and a language
  switch must give a new figure.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from course import fastdraw, i18n  # noqa: E402
from redraw_helpers import fast_pixels  # noqa: E402
from redraw_helpers import pixels as stock_pixels  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh():
    fastdraw.clear_caches()
    yield
    plt.close("all")


# ------------------------------------------------------------------------------ fastdraw, rotated text
def rotated_figure(angle=90, y=0.5, dpi=80):
    fig = plt.figure(figsize=(3.2, 2.4), dpi=dpi)
    ax = fig.add_axes([0.3, 0.2, 0.6, 0.7])
    label = ax.set_ylabel("R&D spending (% of GDP)\nsecond line, Unicode \u2212 \u00b7 %", fontsize=9)
    other = fig.text(0.62, y, "turned 30.5\u00b0 text", rotation=angle, fontsize=8.5, color="#D55E00")
    for text in (label, other):
        fastdraw.cache_rotated(text)
    return fig, other


@pytest.mark.parametrize("angle", [90, 30.5, 270, -45])
def test_rotated_text_that_opts_in_has_matplotlibs_pixels_first_and_second_time(angle):
    fig, _other = rotated_figure(angle)
    reference = stock_pixels(fig)
    first = fast_pixels(fig)
    assert fastdraw.cache_info()["fallbacks"] == 0       # drawn by the cached path, not matplotlib's
    assert np.array_equal(first, reference)
    before = fastdraw.cache_info()
    second = fast_pixels(fig)
    after = fastdraw.cache_info()
    assert after["glyph_misses"] == before["glyph_misses"]  # every glyph from the cache ...
    assert after["glyph_hits"] > before["glyph_hits"]
    assert np.array_equal(second, reference)                # ... and still the same pixels


def test_moved_rotated_text_and_other_dpi_still_match():
    fig, other = rotated_figure(90)
    fast_pixels(fig)
    for y in (0.41, 0.4137, 0.6):   # sub-pixel moves: other glyph positions, other cached bitmaps
        other.set_y(y)
        assert np.array_equal(fast_pixels(fig), stock_pixels(fig))
    fig.set_dpi(100)
    assert np.array_equal(fast_pixels(fig), stock_pixels(fig))


def test_rotated_text_without_opting_in_still_goes_to_matplotlib():
    fig = plt.figure(figsize=(3, 2), dpi=80)
    fig.text(0.5, 0.5, "turned", rotation=90)
    fast_pixels(fig)
    assert fastdraw.cache_info()["fallbacks"] == 1


def test_a_turned_and_an_upright_copy_of_a_string_are_cached_apart():
    fig = plt.figure(figsize=(3, 2), dpi=80)
    for angle, x in ((0, 0.1), (90, 0.6)):
        t = fig.text(x, 0.3, "Same words", rotation=angle, fontsize=10)
        fastdraw.cache_rotated(t)
    assert np.array_equal(fast_pixels(fig), stock_pixels(fig))
    assert np.array_equal(fast_pixels(fig), stock_pixels(fig))


def test_renderer_keeps_turned_and_upright_glyphs_apart():
    # the same glyph at the same whole-pixel place, upright then turned: a cache that mixed them up
    # would paste the upright bitmap for the turned one
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=20)

    def draw(renderer):
        gc = renderer.new_gc()
        renderer.draw_text(gc, 30, 40, "W", prop, 0)
        renderer.draw_text(gc, 30, 40, "W", prop, 90)
        gc.restore()
        return np.asarray(renderer.buffer_rgba()).copy()

    reference = draw(RendererAgg(80, 60, 72))
    for _ in range(2):  # first from FreeType, then from the caches
        fast = fastdraw.FastRendererAgg(80, 60, 72)
        fast._course_turned_ok = True   # what cache_rotated sets while its text draws
        assert np.array_equal(draw(fast), reference)


def test_font_files_follow_rcparams_also_when_a_list_changes_in_place():
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family="sans-serif", size=9)
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        sans = fastdraw._font_files(prop)
        assert fastdraw._font_files(prop) == sans
        matplotlib.rcParams["font.sans-serif"].insert(0, "DejaVu Serif")   # in place: same list object
        serif = fastdraw._font_files(prop)
        assert serif != sans
        assert "Serif" in str(serif[0])
    with matplotlib.rc_context({"font.family": "serif", "font.serif": ["DejaVu Serif"]}):
        assert fastdraw._font_files(FontProperties(size=9)) == serif


# ------------------------------------------------------------------------------ lesson 13
@pytest.fixture(scope="module")
def levels():
    import course
    from course import catchup

    return catchup.wide_levels(course.load("rd_intensity_countries"))


def _catchup_fig(result, reuse):
    from course import catchup

    return catchup.render(result, reuse=reuse)


def test_catchup_crossings_and_end_labels_updated_in_place_match_new_ones(levels):
    """All economies, then settings whose crossings come and go (many, few, none, many again), whose
    end labels change order and whose limits and ticks move: each kept figure must equal a new one."""
    from course import catchup

    every = tuple(c for c in levels.columns if c != "China")
    settings = [dict(countries=every, period=(1996, 2021)),
                dict(countries=every, period=(1996, 1997)),              # other limits, other crossings
                dict(countries=every, period=(2011, 2021), china_growth=15.0, until=2040),  # many crossings
                dict(countries=every, period=(2011, 2021), china_growth=-0.5, peer_growth=-2.0,
                     peers_follow_trend=False),                          # China passes nobody
                dict(countries=every, period=(2001, 2011), until=2080),  # crossings back, longer lines
                dict(countries=("Japan", "Germany"), period=(2006, 2016)),   # other economies: new marks
                dict(countries=("Japan", "Germany"), china_growth=12.0)]
    results = []
    for kw in settings:
        try:
            results.append((kw, catchup.explore(levels, **kw)))
        except catchup.EdgeCase:
            continue
    assert len(results) >= 6
    counts = [sum(1 for s, y in zip(r.table["status"], r.table["catch_up_year"])
                  if s != catchup.STATUS_AHEAD and not pd.isna(y) and y <= r.until) for _kw, r in results]
    assert len(set(counts)) >= 3, counts      # the number of crossings really changes
    reuse: dict = {}
    shown = []
    for kw, r in results:
        fig = _catchup_fig(r, reuse)
        fresh = _catchup_fig(r, None)
        assert fresh is not fig
        assert np.array_equal(stock_pixels(fig), stock_pixels(fresh)), kw
        assert np.array_equal(fast_pixels(fig), stock_pixels(fresh)), kw
        plt.close(fresh)
        shown.append(fig)
    assert all(f is shown[0] for f in shown[:5]), "the figure was not reused"


def test_catchup_other_economies_reuse_kept_lines_drawn_in_a_new_figures_order(levels):
    """Economies chosen before keep their (hidden) lines and labels: another selection shows them
    again instead of making new artists, and the drawing order is a new figure's even when the pool
    holds them in another order (two economies first, then all, whose lines cross them)."""
    from matplotlib.lines import Line2D

    from course import catchup

    every = tuple(c for c in levels.columns if c != "China")
    selections = [("Japan", "India"), every, ("United States", "Japan"), ("India", "Japan"), every,
                  ("South Korea",)]
    reuse: dict = {}
    counts = []
    for countries in selections:
        r = catchup.explore(levels, countries=countries, period=(2001, 2011))
        fig = _catchup_fig(r, reuse)
        fresh = _catchup_fig(r, None)
        assert np.array_equal(stock_pixels(fig), stock_pixels(fresh)), countries
        assert np.array_equal(fast_pixels(fig), stock_pixels(fresh)), countries
        plt.close(fresh)
        ax = fig.axes[0]
        shown = [a for a in ax.get_children() if isinstance(a, Line2D) and a.get_visible() and len(a.get_xdata())]
        assert len(shown) == 2 * (len(r.history.columns)) + 1 + sum(   # two lines an economy, the divider,
            1 for a in reuse["state"]["stars"] if a.get_visible())   # the stars
        counts.append(sum(isinstance(a, Line2D) for a in ax.get_children()))
    assert counts[2:5] == [counts[1]] * 3        # every economy had its lines: nothing new was made


def test_catchup_end_labels_sit_on_whole_pixels_keep_their_gap_and_colour(levels):
    from matplotlib.colors import to_rgb

    from course import catchup, plots

    every = tuple(c for c in levels.columns if c != "China")
    r = catchup.explore(levels, countries=every, period=(1996, 2021))
    reuse: dict = {}
    fig = _catchup_fig(r, reuse)
    fast_pixels(fig)   # a draw places the annotations (their transforms hold the display anchor)
    state = reuse["state"]
    anchors = [label.get_transform().transform(label.get_unitless_position()) for label in state["ends"]]
    anchors = np.array(anchors)
    assert np.allclose(anchors, np.round(anchors), atol=1e-6)   # whole pixels
    ys = np.sort(anchors[:, 1])
    gap = 7.5 * 1.15 * fig.dpi / 72
    assert (np.diff(ys) >= gap - 1.0).all()                        # spread apart, as annotate_last does
    for label, line in zip(state["ends"], state["proj_lines"]):
        assert label.get_text() == line.get_label()
        assert to_rgb(label.get_color()) == to_rgb(plots.readable_on_white(line.get_color()))


def test_catchup_new_figure_after_a_language_switch(levels):
    from course import catchup

    r = catchup.explore(levels, countries=("Japan", "Germany"))
    reuse: dict = {}
    fig = _catchup_fig(r, reuse)
    i18n.set_language("zh")
    try:
        zh = catchup.explore(levels, countries=("Japan", "Germany"))
        again = _catchup_fig(zh, reuse)
        assert again is not fig
        assert np.array_equal(stock_pixels(again), stock_pixels(_catchup_fig(zh, None)))
    finally:
        i18n.set_language("en")


# ------------------------------------------------------------------------------ lesson 31
@pytest.mark.parametrize("kw", [dict(), dict(x="rd_100m_yuan", y="basic_share_pct", logx=True),
                                dict(x="researchers_per_10k", y="tech_market_to_rd", province="Beijing")])
def test_scatter_fixed_ticks_are_the_automatic_ones(kw):
    """Lesson 31 fixes each linear axis's ticks once per redraw: they must be the ticks matplotlib's
    own locator gives, so the figure is the one it would draw (also after other settings)."""
    from matplotlib import ticker

    from course import innovation

    table = innovation.indicator_table()
    view: dict = {}
    innovation.render(innovation.scatter(table, x="tech_market_pct_grp", y="rd_per_resident_yuan"), view)
    fig = innovation.render(innovation.scatter(table, **kw), view)[0]
    ax = fig.axes[0]
    fixed = fast_pixels(fig)
    for axis, log in ((ax.xaxis, kw.get("logx")), (ax.yaxis, kw.get("logy"))):
        if log:
            assert not isinstance(axis.get_major_locator(), ticker.FixedLocator)
            continue
        assert isinstance(axis.get_major_locator(), ticker.FixedLocator)
        locs = axis.get_majorticklocs()
        axis.set_major_locator(ticker.AutoLocator())
        assert np.array_equal(axis.get_majorticklocs(), locs)
    assert np.array_equal(fast_pixels(fig), fixed)


# ------------------------------------------------------------------------------ fastdraw, text layouts
def test_cached_layout_follows_every_change_of_the_text():
    """A text that opts in (``cache_layout``) must be laid out as matplotlib would after each change
    of what the layout depends on; a stale layout shows as a pixel difference."""
    fig = plt.figure(figsize=(3.2, 2.4), dpi=80)
    ax = fig.add_axes([0.1, 0.1, 0.8, 0.8])
    texts = [ax.text(0.2, 0.2 + 0.15 * i, "BJ", fontsize=7.5) for i in range(4)]
    for t in texts:
        fastdraw.cache_layout(t)
        fastdraw.cache_rotated(t)
    changes = [lambda t: None,
               lambda t: t.set_text("SH"),
               lambda t: t.set_fontsize(11),
               lambda t: t.set_horizontalalignment("right"),
               lambda t: t.set_verticalalignment("top"),
               lambda t: t.set_rotation(30),
               lambda t: t.set_fontsize(8),          # with another alignment: other offsets
               lambda t: t.set_fontweight("bold"),
               lambda t: t.set_text("two\nlines"),
               lambda t: t.set_linespacing(2.0),
               lambda t: t.set_multialignment("right"),
               lambda t: t.set_text("$x^2$ math")]
    for change in changes:
        for t in texts:
            change(t)
        assert np.array_equal(fast_pixels(fig), stock_pixels(fig))
        assert np.array_equal(fast_pixels(fig), stock_pixels(fig))   # the second time from the caches
    fig.set_dpi(100)
    assert np.array_equal(fast_pixels(fig), stock_pixels(fig))
    with matplotlib.rc_context({"font.family": "serif", "font.serif": ["DejaVu Serif"]}):
        for t in texts:
            t.set_fontproperties(matplotlib.font_manager.FontProperties(size=9))
        assert np.array_equal(fast_pixels(fig), stock_pixels(fig))


def test_catchup_limits_are_those_relim_finds(levels):
    """Lesson 13 sets the data limits from the lines' arrays instead of ``ax.relim()``: the same limits."""
    from course import catchup

    every = tuple(c for c in levels.columns if c != "China")
    reuse: dict = {}
    for kw in (dict(countries=every), dict(countries=every, period=(1996, 1997), until=2070),
               dict(countries=("India", "Japan"), china_growth=14.0)):
        fig = _catchup_fig(catchup.explore(levels, **kw), reuse)
        ax = fig.axes[0]
        limits = ax.get_xlim(), ax.get_ylim()
        data = ax.dataLim.get_points().copy()
        ax.relim(visible_only=True)
        assert np.array_equal(ax.dataLim.get_points(), data)
        ax.autoscale_view()
        assert (ax.get_xlim(), ax.get_ylim()) == limits
