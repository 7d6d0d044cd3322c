"""Widgets of lessons 21-24 that keep their figure must look exactly like a figure drawn afresh (issue 14).

Each Explorer below keeps one figure and updates its artists on every redraw. Each updated figure
is compared, pixel for pixel, with a new figure drawn by the same code for the same setting: a
stale colour, hatch, letter, legend entry, bar, tick or title shows up as a differing pixel. Each
test also checks that the figure really was reused, and that a figure made in English is not
reused after a switch to Chinese.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import course  # noqa: E402
from course import i18n, plots  # noqa: E402
from redraw_helpers import pixels  # noqa: E402


def first_figure(out):
    return next(item for item in out if isinstance(item, matplotlib.figure.Figure))


def same_as_fresh(render, result, reuse: dict, *fresh_args):
    """Render ``result`` into the kept figure and afresh; assert equal pixels; return the kept figure."""
    fig = first_figure(render(result, reuse, *fresh_args))
    fresh = first_figure(render(result, None, *fresh_args))
    try:
        assert fig is not fresh
        assert np.array_equal(pixels(fig), pixels(fresh))
        assert plots.figure_title(fig) == plots.figure_title(fresh)
    finally:
        plt.close(fresh)
    return fig


# -- the categorical tile map (plots.tile_map(categories=..., update=True)) ----------------------

def test_categorical_map_updated_in_place_matches_a_new_one():
    prov = course.load("provinces").set_index("province_code")
    codes = prov.index
    levels = ["low", "middle", "high"]
    rng = np.random.default_rng(3)

    def cats(n_levels, missing=()):
        lev = levels[:n_levels]
        s = pd.Series(pd.Categorical(rng.choice(lev, len(codes)), categories=lev), index=codes)
        return s.mask(s.index.isin(missing))

    def draw(c, ax=None, update=False, highlight=None):
        with plots.course_style():
            if ax is None:
                fig = plt.figure(figsize=(5.0, 4.9), dpi=100)
                ax = fig.add_axes([0.0, 0.0, 1.0, 0.86])
            out = plots.tile_map(categories=c, ax=ax, label="level", highlight=highlight, update=update)
            if out is not None:
                plots.finding_title(ax.figure, "A test map")
        return out

    def plain_and_hatched():  # "National" tiles have no hatch, so their texts have no box
        lev = ["East", "National"]
        return pd.Series(pd.Categorical(rng.choice(lev, len(codes)), categories=lev), index=codes)

    kept = draw(cats(3))
    fig = kept.figure
    for c, hl in [(cats(3), None),                        # new categories, same legend
                  (cats(2), 110000),                       # a shorter legend, a highlighted tile
                  (cats(3, missing=(540000, 650000)), None),  # no-data tiles and legend entry
                  (plain_and_hatched(), None),             # text boxes removed from some tiles
                  (cats(3), None)]:                        # and given back
        assert draw(c, kept, update=True, highlight=hl) is kept
        fresh = draw(c, highlight=hl).figure
        assert np.array_equal(pixels(fig), pixels(fresh)), (c.value_counts(dropna=False).to_dict(), hl)
        plt.close(fresh)
    # a numeric map is not updated as a categorical one, nor the other way round
    assert plots.tile_map(pd.Series(1.0, index=codes), ax=kept, update=True) is None
    plt.close("all")


# -- lesson 22: grouping ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def grouping_inputs():
    from course import grouping as gr

    data = gr.endowment_table()
    prov = course.load("provinces").set_index("province_code")
    return data, prov["nbs_region_en"], prov["province_en"]


def test_grouping_map_updated_in_place_matches_a_new_one(grouping_inputs):
    from course import grouping as gr

    data, regions, names = grouping_inputs
    reuse: dict = {}
    settings = [dict(k=4), dict(k=4, features=("gdp_pc", "hightech")),   # other groups, same legend
                dict(k=7), dict(k=2), dict(k=4)]                          # legends of other lengths
    shown = []
    for kw in settings:
        r = gr.explore(data, regions, names, permutations=99, **kw)
        shown.append(same_as_fresh(gr.render, r, reuse))
    assert all(f is shown[0] for f in shown)  # really updated in place, not drawn anew
    plt.close("all")


def test_grouping_figure_not_reused_after_a_language_switch(grouping_inputs):
    from course import grouping as gr

    data, regions, names = grouping_inputs
    reuse: dict = {}
    fig = first_figure(gr.render(gr.explore(data, regions, names, permutations=99), reuse))
    i18n.set_language("zh")
    try:
        r = gr.explore(data, regions, names, permutations=99)
        zh = same_as_fresh(gr.render, r, reuse)
        assert zh is not fig  # a new figure in the new fonts
    finally:
        i18n.set_language("en")
        plt.close("all")


# -- lesson 21: monitoring -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def monitoring_inputs():
    from course import monitoring

    return monitoring.build_series(), course.load("provinces").set_index("province_code")["province_en"]


def test_monitoring_map_updated_in_place_matches_a_new_one(monitoring_inputs):
    from course import monitoring

    series, names = monitoring_inputs
    reuse: dict = {}
    other = [k for k in monitoring.SERIES if k != "rd_restated"][0]
    lo, hi, step, default = monitoring.SERIES[other].target
    settings = [dict(), dict(target=2.0), dict(target=4.5, target_year=2040),   # other verdicts
                dict(window=1, method="endpoints"),
                dict(indicator=other, target=default),                          # another indicator, legend
                dict()]
    shown = []
    for kw in settings:
        v = monitoring.explore(series, names, **kw)
        shown.append(same_as_fresh(monitoring.render, v, reuse))
    assert all(f is shown[0] for f in shown)  # really updated in place, not drawn anew
    plt.close("all")


def test_monitoring_figure_not_reused_after_a_language_switch(monitoring_inputs):
    from course import monitoring

    series, names = monitoring_inputs
    reuse: dict = {}
    fig = first_figure(monitoring.render(monitoring.explore(series, names), reuse))
    i18n.set_language("zh")
    try:
        zh = same_as_fresh(monitoring.render, monitoring.explore(series, names), reuse)
        assert zh is not fig
    finally:
        i18n.set_language("en")
        plt.close("all")


# -- lesson 24: overcapacity -------------------------------------------------------------------------

def test_overcapacity_figure_updated_in_place_matches_a_new_one():
    from course import overcapacity as oc

    reuse: dict = {}
    settings = [dict(), dict(followers=0, information=0.0, demand=0.4, seed=1),   # an empty industry
                dict(followers=100, information=1.0, demand=1.6, seed=9),       # gluts and higher bars
                dict(followers=60, information=0.2, demand=0.7, seed=3), dict()]
    shown, unpriced = [], 0
    for kw in settings:
        r = oc.explore(**{**dict(followers=30, information=0.5, demand=1.0, seed=0), **kw})
        unpriced += int(r.industries["price"].isna().sum())
        shown.append(same_as_fresh(oc.render, r, reuse))
    assert unpriced > 0  # the settings include an industry without a price (its label is hidden)
    assert all(f is shown[0] for f in shown)
    plt.close("all")


def test_overcapacity_figure_not_reused_after_a_language_switch():
    from course import overcapacity as oc

    reuse: dict = {}
    fig = first_figure(oc.render(oc.explore(30, 0.5, 1.0, 0), reuse))
    i18n.set_language("zh")
    try:
        assert same_as_fresh(oc.render, oc.explore(30, 0.5, 1.0, 0), reuse) is not fig
    finally:
        i18n.set_language("en")
        plt.close("all")


# -- lesson 23: comparative advantage ----------------------------------------------------------------

def test_comparative_advantage_figure_updated_in_place_matches_a_new_one():
    from course import comparative_advantage as ca

    e = ca._default_economy()
    reuse: dict = {}
    settings = [(50, 50, 50, 240), (100, 0, 0, 240), (0, 100, 100, 2000),   # other points and bars
                (0, 0, 0, 100), (35, 70, 5, 900), (50, 50, 50, 240)]
    shown, signs = [], set()
    for b, t, h, price in settings:
        r = ca.outcome(b, t, h, price, economy=e)
        signs |= set(np.sign(r.gains.round(1)))
        shown.append(same_as_fresh(ca.render, r, reuse))
    assert {-1.0, 1.0} <= signs      # gains above and below zero (labels above and below the bars)
    assert all(f is shown[0] for f in shown)
    plt.close("all")


def test_comparative_advantage_figure_not_reused_after_a_language_switch():
    from course import comparative_advantage as ca

    e = ca._default_economy()
    reuse: dict = {}
    fig = first_figure(ca.render(ca.outcome(50, 50, 50, 240, economy=e), reuse))
    i18n.set_language("zh")
    try:
        assert same_as_fresh(ca.render, ca.outcome(50, 50, 50, 240, economy=e), reuse) is not fig
    finally:
        i18n.set_language("en")
        plt.close("all")
