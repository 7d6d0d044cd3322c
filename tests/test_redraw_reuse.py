"""A widget's tile map updated in place must look exactly like the map drawn afresh (issue 14).

The lesson-12 Explorer keeps its figure and gives the tiles new colours, values, highlights and a
new colour bar on every redraw. Each updated figure is compared, pixel for pixel, with a new figure
drawn by the same code for the same setting; a stale colour, text, font size or scale shows up.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course  # noqa: E402
from course import i18n, plots, regional  # noqa: E402
from redraw_helpers import pixels  # noqa: E402


@pytest.fixture(scope="module")
def panels():
    return regional.build_panels(course.load("province_gdp"), course.load("province_population"),
                                 course.load("province_income_consumption"), course.load("province_value_added"))


def test_updated_map_has_the_pixels_of_a_new_one(panels):
    view: dict = {}
    settings = [dict(year=2024), dict(year=2010),                     # new values, same scale type
                dict(indicator="income_pc", year=2019),               # another scale and digits
                dict(year=2024, regions=("East", "West")),            # highlighted tiles
                dict(year=2024)]                                      # highlights removed again
    first = None
    for kw in settings:
        r = regional.explore(panels, **kw)
        fig = regional.render(r, view)[0]
        first = first or fig
        fresh = regional.render(r)[0]
        assert np.array_equal(pixels(fig), pixels(fresh)), kw
        plt.close(fresh)
    assert fig is first  # really updated in place, not drawn anew
    plt.close("all")


def test_update_refuses_another_language(panels):
    r = regional.explore(panels, year=2024)
    view: dict = {}
    fig = regional.render(r, view)[0]
    i18n.set_language("zh")
    try:
        assert plots.tile_map(r.map_values / 1000, ax=view["ax"], update=True, fmt="{:.0f}") is None
        assert regional.render(r, view)[0] is not fig  # a new figure in the new fonts
    finally:
        i18n.set_language("en")
        plt.close("all")


def test_tour_map_updated_in_place_matches_a_new_one():
    from course import tour

    table = tour.profile_table()
    reuse: dict = {}
    shown = []
    for province in (440000, 540000):                  # the outline moves
        for indicator in list(tour.INDICATORS)[:2]:    # other values, digits and colour-bar labels
            view = tour.tour_view(table, province, indicator)
            fig = tour.render_tour(view, reuse)[1]
            fresh = tour.render_tour(view)[1]
            assert np.array_equal(pixels(fig), pixels(fresh)), (province, indicator)
            plt.close(fresh)
            shown.append(fig)
    assert len(set(map(id, shown))) < len(shown)  # at least some redraws updated the map in place
    plt.close("all")
