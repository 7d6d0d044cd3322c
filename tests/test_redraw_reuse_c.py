"""Widgets that keep their figure and update it in place must look exactly like a new figure (issue 14).

Lessons 11, 13, 15 and 35 keep one figure per widget and give its artists the new values on each
redraw. Each updated figure is compared, pixel for pixel, with a figure drawn afresh by the same code
for the same setting (settings chosen so that every updated part changes: values, labels, colours,
names, legend entries, limits); a stale artist shows up as a pixel difference. Each test also checks
that the figure really was reused, and that a language switch gives a new figure.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from redraw_helpers import figure_of, new_figure_after_language_switch, pixels  # noqa: E402


def check_reuse(render, results):
    """Render each result into one kept figure and afresh; the pixels must agree; return the figures."""
    reuse: dict = {}
    shown = []
    for label, r in results:
        fig = figure_of(render(r, reuse))
        fresh = figure_of(render(r, None))
        assert fresh is not fig
        assert np.array_equal(pixels(fig), pixels(fresh)), label
        plt.close(fresh)
        shown.append(fig)
    assert all(f is shown[0] for f in shown), "the figure was not reused"
    return reuse


def check_reuse_some(render, results):
    """Like :func:`check_reuse` for a figure that is kept only while its layout stays (e.g. the same
    number of bars): every figure must equal a new one, and at least one redraw must have reused it."""
    reuse: dict = {}
    shown = []
    for label, r in results:
        fig = figure_of(render(r, reuse))
        fresh = figure_of(render(r, None))
        assert fresh is not fig
        assert np.array_equal(pixels(fig), pixels(fresh)), label
        plt.close(fresh)
        shown.append(fig)
    assert len(set(map(id, shown))) < len(shown), "no figure was reused"
    return reuse


def check_new_figure_after_language_switch(render, r):
    new_figure_after_language_switch(render, lambda: r, draw=pixels)


# ------------------------------------------------------------------------------ lesson 35
@pytest.fixture(scope="module")
def talent_inputs():
    from course import talent

    return talent.choice_inputs(2023), talent.evaluation_indicators()


def test_talent_policy_bars_updated_in_place_match_new_ones(talent_inputs):
    from course import talent

    inputs, _ = talent_inputs
    settings = [("Shaanxi", 20, 2.0, 0.5, False),   # West
                ("Beijing", 20, 2.0, 0.5, False),   # another region: colours and the legend keys change
                ("Beijing", 0, 2.0, 0.5, False),    # nothing moves
                ("Liaoning", 100, 10.0, 0.0, False),  # Northeast, a wide scale
                ("Henan", 40, 3.0, 0.5, True)]      # every province matches
    results = [(s, talent.policy_experiment(inputs, *s)) for s in settings]
    check_reuse(talent.render_policy, results)
    plt.close("all")


def test_talent_evaluation_scatter_updated_in_place_matches_a_new_one(talent_inputs):
    from course import talent

    _, ind = talent_inputs
    settings = [dict(), dict(patents=0, basic=5),             # other ranks, winners and names
                dict(province="Zhejiang"),                    # a name on the other side of its point
                dict(province="Inner Mongolia"),              # a long name in the legend, two lines
                dict(patents=5, transfer=0, industry=0, basic=0, province="Beijing"),  # winner = followed
                dict(method="rank", transfer=5, province="Xizang (Tibet)")]
    results = [(kw, talent.evaluation_view(ind, **kw)) for kw in settings]
    check_reuse(talent.render_evaluation, results)
    plt.close("all")


def test_talent_evaluation_redraw_path_gives_matplotlibs_own_pixels(talent_inputs, monkeypatch):
    """The kept scatter pastes its legend while the province followed stays, lays the legend out once
    per draw and draws the rotated y label from course.fastdraw's caches: the pixels of the scatter
    drawn by matplotlib alone, with none of that."""
    from course import fastdraw, plots, talent
    from redraw_helpers import fast_pixels

    _, ind = talent_inputs
    view: dict = {}
    for kw in (dict(), dict(patents=0, basic=5), dict(province="Zhejiang"), dict(method="rank", province="Zhejiang")):
        r = talent.evaluation_view(ind, **kw)
        pasted, fallbacks = plots.KEEP_STATS["pasted"], fastdraw.cache_info()["fallbacks"]
        shown = fast_pixels(figure_of(talent.render_evaluation(r, view)))
        assert fastdraw.cache_info()["fallbacks"] == fallbacks   # no text left to matplotlib's renderer
        if kw in (dict(patents=0, basic=5), dict(method="rank", province="Zhejiang")):
            assert plots.KEEP_STATS["pasted"] > pasted           # the same province: the legend was pasted
        with monkeypatch.context() as m:
            m.setattr(plots, "keep_pixels", lambda *args, **kwargs: None)
            m.setattr(plots, "one_layout_per_draw", lambda legend: None)
            m.setattr(fastdraw, "cache_rotated", lambda text: None)
            plain = figure_of(talent.render_evaluation(r, None))
        assert np.array_equal(shown, pixels(plain)), kw
        plt.close(plain)
    plt.close("all")


def test_talent_widgets_make_a_new_figure_after_a_language_switch(talent_inputs):
    from course import talent

    inputs, ind = talent_inputs
    check_new_figure_after_language_switch(talent.render_policy, talent.policy_experiment(inputs))
    check_new_figure_after_language_switch(talent.render_evaluation, talent.evaluation_view(ind))


# ------------------------------------------------------------------------------ lesson 13
def test_catchup_lines_updated_in_place_match_new_ones():
    import course
    from course import catchup

    levels = catchup.wide_levels(course.load("rd_intensity_countries"))
    peers = ("United States", "South Korea", "Japan", "Germany", "European Union (27)")
    settings = [dict(countries=peers),
                dict(countries=peers, until=2070),                        # longer lines, other x ticks
                dict(countries=peers, china_growth=9.0, until=2040),      # other crossings, labels, title
                dict(countries=("Japan", "India")),                       # other economies: new lines
                dict(countries=("Japan", "India"), period=(2001, 2011)),  # other trends
                dict(countries=peers, peers_follow_trend=False, peer_growth=1.0, china_growth=3.0)]
    results = [(kw, catchup.explore(levels, **kw)) for kw in settings]
    check_reuse(lambda r, reuse: [catchup.render(r, reuse=reuse)], results)
    check_new_figure_after_language_switch(lambda r, reuse: [catchup.render(r, reuse=reuse)], results[0][1])
    plt.close("all")


# ------------------------------------------------------------------------------ lesson 11
def test_growth_bar_updated_in_place_matches_a_new_one():
    import course
    from course import growth

    china, peers = course.load("pwt_china"), course.load("pwt_peers")
    settings = [dict(start=1978, end=2019), dict(start=2010, end=2019),      # other values; a text hidden
                dict(start=1978, end=1990),                                  # one shown again, another hidden
                dict(start=1978, end=2019, alpha=0.6),                       # the slider's share
                dict(start=1952, end=1978),                                  # no PWT TFP: a new figure
                dict(start=1990, end=2019, hours=True),                      # another source: a new figure
                dict(start=2000, end=2019, hours=True),
                dict(start=1970, end=2019, country="USA", pwt=peers)]        # another economy
    results = []
    for kw in settings:
        kw = dict(kw)
        results.append((kw, growth.growth_accounting(kw.pop("pwt", china), **kw)))
    reuse = check_reuse_some(lambda r, reuse: [growth.plot_contributions(r, reuse=reuse)], results)
    assert reuse  # the kept figure
    check_new_figure_after_language_switch(lambda r, reuse: [growth.plot_contributions(r, reuse=reuse)],
                                           results[0][1])
    plt.close("all")


# ------------------------------------------------------------------------------ lesson 15
def test_dashboard_radar_updated_in_place_matches_a_new_one():
    from course import dashboard as dash

    settings = [dict(provinces=("Beijing", "Zhejiang", "Qinghai")),
                dict(provinces=("Beijing", "Zhejiang", "Qinghai"), innovation=3.0, green=0.0),  # weights, title
                dict(provinces=("Xizang (Tibet)", "Guangdong", "Henan"), method="rank"),  # other lines, names, a gap
                dict(provinces=("Guizhou",)),                                             # one province: a new figure
                dict(provinces=("Shanghai",), sharing=2.5)]
    results = [(kw, dash.dashboard(**kw)) for kw in settings]
    check_reuse_some(lambda r, reuse: dash.render(r, reuse), results)
    check_new_figure_after_language_switch(lambda r, reuse: dash.render(r, reuse), results[0][1])
    plt.close("all")
