"""Widgets of lessons 31-33 that update one figure in place must look exactly like a new figure (issue 14).

Each Explorer below keeps the figure of its last redraw and puts the next setting into it (moves
points, changes texts, switches scales) instead of building a new figure. Every updated figure is
compared, pixel for pixel, with a figure drawn afresh for the same setting, through a sequence of
settings that changes everything the widget can change; a stale label, limit, tick or scale shows
up as a pixel difference. The drawing is the redraw path's own (``course.fastdraw``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from redraw_helpers import fast_pixels as pixels  # noqa: E402
from redraw_helpers import new_figure_after_language_switch, same_as_fresh  # noqa: E402


# -- lesson 31: the scatter Explorer -----------------------------------------------------------

@pytest.fixture(scope="module")
def table():
    from course import innovation

    return innovation.indicator_table()


def test_innovation_scatter_updated_in_place_matches_a_new_one(table):
    from course import innovation

    settings = [
        dict(),                                                           # the default
        dict(x="rd_100m_yuan", y="inventions_per_100m_rd"),               # other values, limits, ticks
        dict(x="rd_100m_yuan", y="inventions_per_100m_rd", logx=True),    # log x: minor tick labels
        dict(x="rd_100m_yuan", y="inventions_per_100m_rd", logx=True, logy=True),
        dict(x="researchers_per_10k", y="tech_market_to_rd", province="Beijing"),   # back to linear
        dict(x="foreign_funded_pct", y="rd_intensity_pct", province="Guangdong"),   # 29 provinces
        dict(x="enterprise_funded_pct", y="basic_share_pct", province="Shanghai", logy=True),
        dict(province="Qinghai"),
    ]
    results = [(kw, innovation.scatter(table, **kw)) for kw in settings]
    # fewer points on the same axes: the labels left over must disappear, and a region can be empty
    no_northeast = table[table["nbs_region_en"] != "Northeast"]
    results.insert(1, ("without the Northeast", innovation.scatter(no_northeast)))
    shown = same_as_fresh(innovation.render, results)
    assert all(fig is shown[0] for fig in shown)   # really updated in place, not drawn anew


def test_innovation_new_figure_when_the_legend_changes(table):
    from course import innovation

    view: dict = {}
    first = innovation.render(innovation.scatter(table), view)[0]
    # Ningxia has no foreign-funded share: no ring, so no "your province" entry in the legend
    missing = innovation.scatter(table, x="foreign_funded_pct", province="Ningxia")
    assert missing.highlight is None
    fig = innovation.render(missing, view)[0]
    assert fig is not first
    fresh = innovation.render(missing)[0]
    assert np.array_equal(pixels(fig), pixels(fresh))
    plt.close("all")


def test_innovation_refuses_another_language(table):
    from course import innovation

    new_figure_after_language_switch(innovation.render, lambda: innovation.scatter(table))


# -- lesson 32: the k-anonymity Explorer ---------------------------------------------------------

@pytest.fixture(scope="module")
def k_model():
    import course
    from course import privacy

    people = course.load("synthetic_residents")
    lat = privacy.lattice(people)
    curves = {keep: privacy.frontier(lat, range(1, privacy.K_MAX + 1), keep) for keep in privacy.KEEP_OPTIONS}
    return people, lat, curves


def test_privacy_chart_updated_in_place_matches_a_new_one(k_model):
    from course import privacy

    people, lat, curves = k_model
    settings = [dict(k=5), dict(k=1), dict(k=50), dict(k=12, keep="age"), dict(k=3, keep="income"),
                dict(k=30, keep="place"), dict(k=5)]
    results = [(kw, privacy.explore(people, lat, curves=curves, **kw)) for kw in settings]
    shown = same_as_fresh(privacy.render, results)
    assert all(fig is shown[0] for fig in shown)
    # the second and later draws copy the unchanging layer back instead of drawing it
    assert len(shown[0]._course_layer) == 1


def test_privacy_refuses_another_language(k_model):
    from course import privacy

    people, lat, curves = k_model
    new_figure_after_language_switch(privacy.render, lambda: privacy.explore(people, lat, curves=curves))


# -- lesson 33: the spillover model and the evaluation slope chart -------------------------------

def test_spillover_diagram_updated_in_place_matches_a_new_one():
    from course import spillover

    settings = [dict(spillover=0.5, subsidy=0.0),      # the default: a gap and a deadweight loss
                dict(spillover=0.5, subsidy=0.5),      # the Pigouvian subsidy: no gap, a subsidy line
                dict(spillover=0.0, subsidy=0.95),     # the region far beyond the axis, wider x axis
                dict(spillover=1.0, subsidy=0.0),      # no research at all
                dict(spillover=0.2, subsidy=0.3),
                dict(spillover=0.5, subsidy=0.0)]
    results = [(kw, spillover.model(**kw)) for kw in settings]
    shown = same_as_fresh(spillover.render, results)
    assert all(fig is shown[0] for fig in shown)


def test_spillover_refuses_another_language():
    from course import spillover

    new_figure_after_language_switch(spillover.render, spillover.model)


def test_evaluation_chart_updated_in_place_matches_a_new_one():
    from course import evaluation as ev

    settings = [dict(),                                                   # the default weights
                dict(transfer_ratio=3.0, province="Anhui"),               # a sixth, thicker line
                dict(rd_intensity_pct=1.0, patents_per_10k=1.0, invention_patents_per_10k=1.0,
                     transfer_ratio=0.0, hightech_revenue_pct_grp=0.0),   # the baseline's own order
                dict(baseline="equal", province="Beijing"),
                dict(hightech_revenue_pct_grp=0.0, baseline="transfer and application"),
                dict()]
    results = [(kw, ev.evaluate(**kw)) for kw in settings]
    shown = same_as_fresh(ev.render, results)
    assert all(fig is shown[0] for fig in shown)


def test_evaluation_refuses_another_language():
    from course import evaluation as ev

    new_figure_after_language_switch(ev.render, ev.evaluate)
