"""Redraw shortcuts of lessons 11 and 13 must give the pixels of a full draw (issue 14).

Lesson 13's kept figure pastes the pixels of its rotated y-axis label instead of drawing it again
(``course.catchup._paste_when_unmoved``). The label moves sideways when the tick labels beside it
get wider (ticks up to 200 against up to 7.5), so the settings below move it there and back; each redraw of the
kept figure is compared, pixel for pixel, with a figure drawn afresh by the redraw path's own
renderer (``course.fastdraw``), and the paste must really have happened.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from redraw_helpers import fast_pixels as pixels  # noqa: E402


@pytest.fixture(scope="module")
def levels():
    import course
    from course import catchup

    return catchup.wide_levels(course.load("rd_intensity_countries"))


def test_catchup_label_pasted_only_where_it_was_drawn(levels, monkeypatch):
    from course import catchup

    everyone = tuple(c for c in levels.columns if c != "China")
    peers = ("United States", "Japan")
    settings = [dict(countries=peers, china_growth=9.0, until=2070),       # y to 200: wide tick labels
                dict(countries=peers),                                     # narrow ones: the label moves right
                dict(countries=everyone, period=(1996, 2021)),             # further right
                dict(countries=everyone, period=(1996, 1997)),             # other limits, the same place
                dict(countries=peers, china_growth=9.0, until=2070),       # back to the left
                dict(countries=peers)]
    calls = {"draws": 0, "full": 0}
    wrap = catchup._paste_when_unmoved

    def counting(text):
        original = text.draw

        def full(renderer):
            calls["full"] += 1
            return original(renderer)

        text.draw = full
        wrap(text)
        shortcut = text.draw

        def draw(renderer):
            calls["draws"] += 1
            return shortcut(renderer)

        text.draw = draw

    monkeypatch.setattr(catchup, "_paste_when_unmoved", counting)
    reuse: dict = {}
    positions = set()
    for kw in settings:
        r = catchup.explore(levels, **kw)
        fig = catchup.render(r, reuse=reuse)
        a = pixels(fig)
        fresh = catchup.render(r)
        b = pixels(fresh)
        assert fresh is not fig
        assert np.array_equal(a, b), f"{kw}: {int((a != b).any(axis=2).sum())} pixels differ"
        positions.add(round(fig.axes[0].yaxis.label.get_window_extent().x0))
        plt.close(fresh)
    assert len(positions) > 1, "the settings did not move the label"
    assert reuse["state"]["fig"] is fig
    assert calls["draws"] - calls["full"] >= 3, f"the kept label was pasted too rarely: {calls}"


# ------------------------------------------------------------------------------ lesson 11
def test_growth_legend_laid_out_once_per_draw_matches_matplotlib(monkeypatch):
    """The kept bar chart's legend keeps each box's layout for one draw only: through settings whose
    legend entries change width, every redraw equals a new chart whose legend is laid out by
    matplotlib alone, and the kept layouts were really used."""
    import course
    from course import growth, plots

    china, peers = course.load("pwt_china"), course.load("pwt_peers")
    settings = [dict(start=1978, end=2019), dict(start=2010, end=2019), dict(start=1978, end=1990),
                dict(start=1978, end=2019, alpha=0.6), dict(start=1970, end=2019, country="USA", pwt=peers),
                dict(start=1978, end=2019)]
    real = plots.one_layout_per_draw
    layouts = {"asked": 0, "computed": 0}

    def tally(box, what):
        """Count every call of each box's layout method (the box and all boxes inside it) as ``what``."""
        from matplotlib.offsetbox import OffsetBox

        inner = box._get_bbox_and_child_offsets

        def counted(renderer):
            layouts[what] += 1
            return inner(renderer)

        box._get_bbox_and_child_offsets = counted
        for child in box.get_children():
            if isinstance(child, OffsetBox):
                tally(child, what)

    def counting(legend):
        tally(legend._legend_box, "computed")  # matplotlib's own layouts, under growth's once-per-draw wrapper
        real(legend)
        tally(legend._legend_box, "asked")     # every layout asked for, over the wrapper

    reuse: dict = {}
    shown = []
    for kw in settings:
        kw = dict(kw)
        r = growth.growth_accounting(kw.pop("pwt", china), **kw)
        monkeypatch.setattr(plots, "one_layout_per_draw", counting)
        fig = growth.plot_contributions(r, reuse=reuse)
        a = pixels(fig)
        monkeypatch.setattr(plots, "one_layout_per_draw", lambda legend: None)  # matplotlib's own layout
        fresh = growth.plot_contributions(r)
        b = pixels(fresh)
        assert fresh is not fig
        assert np.array_equal(a, b), f"{kw}: {int((a != b).any(axis=2).sum())} pixels differ"
        plt.close(fresh)
        shown.append(fig)
    assert len(set(map(id, shown))) < len(shown), "no figure was reused"
    assert 0 < layouts["computed"] < layouts["asked"], f"the kept layouts were not used: {layouts}"
    plt.close("all")
