"""The pooling Explorer of lesson 32 and the capital-buffer Explorer of lesson 34 update one figure in
place: it must look exactly like a new one (issue 14).

The pooling Explorer keeps the figure of its last redraw and puts the next setting into it (histogram heights
and edges, limits, curves, the ring, the legend entry, the title) instead of building a new figure.
Every updated figure is compared, pixel for pixel, with a figure drawn afresh for the same setting,
through settings that change every control, in both directions; a stale bar, limit, tick, legend
entry or title shows up as a pixel difference. The drawing is the redraw path's own (``course.fastdraw``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import plots  # noqa: E402
from redraw_helpers import fast_pixels as pixels  # noqa: E402
from redraw_helpers import new_figure_after_language_switch, same_as_fresh  # noqa: E402


@pytest.fixture(scope="module")
def model():
    from course import pooling

    return pooling.PoolingModel()


def test_pooling_chart_updated_in_place_matches_a_new_one(model):
    from course import pooling

    settings = [dict(pooled=4, n=40, tau=0.05),     # the lesson's default
                dict(pooled=1, n=40, tau=0.05),     # no pooling: another title, "1 regions pooled"
                dict(pooled=8, n=200, tau=0.0),     # narrow histograms, low curves, other ticks
                dict(pooled=8, n=10, tau=0.3),      # wide histograms, large bias, high curves
                dict(pooled=2, n=10, tau=0.3),
                dict(pooled=6, n=120, tau=0.12),
                dict(pooled=4, n=40, tau=0.05)]     # back to the start
    results = [(kw, model.simulate(**kw)) for kw in settings]
    shown = same_as_fresh(pooling.render, results)
    assert all(fig is shown[0] for fig in shown)    # really updated in place, not drawn anew
    # the second and later draws copy the unchanging layer back instead of drawing it
    assert len(shown[0]._course_layer) == 1


def test_pooling_layered_figure_equals_a_plain_one(model):
    """The kept layer and the changing artists over it give the pixels of drawing the figure as usual."""
    from course import pooling

    for kw in (dict(pooled=4, n=40, tau=0.05), dict(pooled=8, n=10, tau=0.3), dict(pooled=1, n=200, tau=0.0)):
        fig = pooling.render(model.simulate(**kw))[0]
        layered = pixels(fig)
        fig.course_dynamic = ()                    # no layer: matplotlib draws every artist itself
        assert np.array_equal(layered, pixels(fig)), kw
        plt.close(fig)


def test_pooling_explorer_keeps_its_figure(model):
    from course import pooling

    ex = pooling.build_explorer(model)
    seen = []
    original = plots.figure_bundle

    def spy(fig, *args, **kwargs):
        seen.append(fig)
        return original(fig, *args, **kwargs)

    plots.figure_bundle = spy
    try:
        ex.set(pooled=2)
        ex.set(n=100, tau=0.2)
    finally:
        plots.figure_bundle = original
        plt.close("all")
    assert len(seen) == 2 and seen[0] is seen[1]
    assert plots.figure_title(seen[1]).startswith("Pooling 2 regions cuts the standard error from 0.100")


def test_pooling_refuses_another_language(model):
    from course import pooling

    new_figure_after_language_switch(pooling.render, model.simulate)


def test_pooling_redraw_path_gives_matplotlibs_own_pixels(model, monkeypatch):
    """The redraw path draws the rotated y labels from course.fastdraw's caches and lays each legend out
    once per draw: the pixels of a figure that matplotlib draws alone, with neither."""
    from course import fastdraw, pooling
    from redraw_helpers import fast_pixels, pixels as stock_pixels

    for kw in (dict(pooled=4, n=40, tau=0.05), dict(pooled=8, n=10, tau=0.3)):
        r = model.simulate(**kw)
        fig = pooling.render(r)[0]
        before = fastdraw.cache_info()["fallbacks"]
        fast = [fast_pixels(fig) for _ in range(2)]   # the second from the caches
        assert fastdraw.cache_info()["fallbacks"] == before  # no text left to matplotlib's own renderer
        with monkeypatch.context() as m:
            m.setattr(plots, "one_layout_per_draw", lambda legend: None)
            m.setattr(fastdraw, "cache_rotated", lambda text: None)
            plain = pooling.render(r)[0]
        plain.course_dynamic = ()                     # and no kept layer
        reference = stock_pixels(plain)
        for pixels_now in fast:
            assert np.array_equal(pixels_now, reference), kw
        plt.close("all")


# -- lesson 34: the capital buffer -------------------------------------------------------------------

BUFFER_SETTINGS = [dict(pd=0.03, rho=0.12, confidence=0.999, n_loans=200),    # the lesson's default
                   dict(pd=0.03, rho=0.0, confidence=0.999, n_loans=200),     # no correlation: no curve
                   dict(pd=0.20, rho=0.30, confidence=0.99, n_loans=50),      # wide losses, other ticks
                   dict(pd=0.005, rho=0.05, confidence=0.9999, n_loans=5000),  # narrow losses, fine steps
                   dict(pd=0.03, rho=0.0, confidence=0.95, n_loans=1000),
                   dict(pd=0.03, rho=0.12, confidence=0.999, n_loans=200)]    # back to the start


def test_buffer_chart_updated_in_place_matches_a_new_one():
    from course import credit

    results = [(kw, credit.buffer(**kw)) for kw in BUFFER_SETTINGS]
    shown = same_as_fresh(credit.render_buffer, results)
    assert all(fig is shown[0] for fig in shown)    # really updated in place, not drawn anew
    view: dict = {}
    credit.render_buffer(results[0][1], view)
    credit.render_buffer(results[1][1], view)                  # rho = 0: the kept curve is hidden
    assert not view["curve"].get_visible()
    plt.close("all")


def test_buffer_chart_matches_the_chart_drawn_from_scratch():
    """A new chart (the default view) is the chart the lesson drew before it was kept: stairs, curve,
    lines, arrow and labels plotted one by one and the y axis autoscaled by matplotlib."""
    import math

    from course import credit

    def from_scratch(r):
        blue, orange, black, green = (plots.PALETTE[c] for c in ("blue", "orange", "black", "bluish_green"))
        xmax = max(r.quantile, r.sim_quantile, float(np.quantile(r.losses, 0.9995))) * 1.15 + 1e-4
        with plots.course_style():
            fig, ax = plt.subplots(figsize=(6.2, 4.0), dpi=72)
            fig.subplots_adjust(left=0.11, right=0.97, top=0.84, bottom=0.13)
            step = 100 * r.lgd / r.n_loans if r.lgd > 0 else 100 * xmax / 60
            width = step * max(1, math.ceil((100 * xmax / 60) / step))
            counts, edges = np.histogram(r.losses * 100, bins=np.arange(-step / 2, 100 * xmax + width, width),
                                         density=True)
            ax.stairs(counts, edges, fill=True, color="#BFD8EA")
            ax.stairs(counts, edges, color=blue, linewidth=1.0)
            if r.rho > 0:
                xs = np.linspace(xmax / 200, min(xmax, r.lgd * 0.999), 120)
                ax.plot(xs * 100, credit.loss_density(xs, r.pd, r.rho, r.lgd) / 100, color=black, linewidth=1.6)
            ax.axvline(100 * r.expected_loss, color=orange, linestyle="--", linewidth=2)
            ax.axvline(100 * r.quantile, color=green, linestyle="-.", linewidth=2)
            top = ax.get_ylim()[1]
            ax.annotate("", xy=(100 * r.quantile, 0.80 * top), xytext=(100 * r.expected_loss, 0.80 * top),
                        arrowprops={"arrowstyle": "<->", "color": "0.2"})
            ax.text(100 * (r.quantile + r.expected_loss) / 2, 0.82 * top, "buffer", ha="center", va="bottom",
                    fontsize=9)
            ax.text(100 * r.expected_loss, 0.95 * top, " expected loss", color=orange, fontsize=8.5, va="top")
            ax.text(100 * r.quantile, 0.95 * top, f" {r.confidence:.1%}", color=green, fontsize=8.5, va="top")
            ax.set_xlim(-step / 2, 100 * xmax)
            ax.locator_params(axis="x", nbins=4)
            ax.locator_params(axis="y", nbins=3)
            ax.set_xlabel("Loss in a year (% of the portfolio)")
            ax.set_ylabel("Density")
            plots.finding_title(fig, "MODEL. " + f"Buffer {100 * r.buffer:.1f} per 100 yuan at {r.confidence:.1%} "
                                "confidence", width=56)
        return fig

    for kw in BUFFER_SETTINGS[:4]:
        r = credit.buffer(**kw)
        new = credit.render_buffer(r)[0]
        assert np.array_equal(pixels(new), pixels(from_scratch(r))), kw
        plt.close("all")
