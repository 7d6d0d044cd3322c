"""Lesson 33 (F3.2): the model of under-investment in basic research when benefits spill over.

Expectations come from the model's first-order conditions worked by hand and from a brute-force
grid search that does not use the closed forms.
"""

import math

import numpy as np
import pytest

from course import spillover as sp
from course.widgets import EdgeCase

A, C = sp.BENEFIT_SCALE, sp.UNIT_COST


def grid_argmax(f, hi=20.0, n=200001):
    xs = np.linspace(0.0, hi, n)
    return float(xs[np.argmax(f(xs))])


def test_zero_spillover_private_equals_social():
    assert sp.private_choice(0.0, 0.0) == sp.social_optimum() == A / C - 1
    r = sp.model(0.0, 0.0)
    assert r.gap == 0 and r.deadweight_loss == 0


@pytest.mark.parametrize("sigma", [0.1, 0.25, 0.5, 0.6])
def test_the_pigouvian_subsidy_closes_the_gap(sigma):
    s = sp.pigouvian_subsidy(sigma)
    assert s == sigma
    assert sp.private_choice(sigma, s) == pytest.approx(sp.social_optimum(), abs=1e-12)
    assert sp.model(sigma, s).deadweight_loss == pytest.approx(0.0, abs=1e-12)


def test_closed_forms_match_a_grid_search():
    # the region maximises (1 - sigma) a ln(1 + x) - (1 - s) c x; the country a ln(1 + x) - c x
    for sigma, s in [(0.5, 0.0), (0.3, 0.2), (0.5, 0.7), (0.8, 0.0)]:
        own = grid_argmax(lambda x: (1 - sigma) * A * np.log1p(x) - (1 - s) * C * x)
        assert sp.private_choice(sigma, s) == pytest.approx(own, abs=1e-3)
    assert sp.social_optimum() == pytest.approx(grid_argmax(lambda x: A * np.log1p(x) - C * x), abs=1e-3)


def test_hand_values():
    # sigma 0.5, s 0: x_p = 0.5 * 3 / 1 - 1 = 0.5; x* = 2; W = 3 ln(1 + x) - x
    r = sp.model(0.5, 0.0)
    assert (r.x_private, r.x_social) == (0.5, 2.0)
    assert r.deadweight_loss == pytest.approx((3 * math.log(3) - 2) - (3 * math.log(1.5) - 0.5))
    assert r.share_of_optimum == pytest.approx(0.25)
    # sigma 0.6, s 0.25: x_p = 0.4 * 3 / 0.75 - 1 = 0.6; the centre pays 0.25 * 1 * 0.6
    r = sp.model(0.6, 0.25)
    assert r.x_private == pytest.approx(0.6) and r.subsidy_cost == pytest.approx(0.15)


def test_comparative_statics():
    sigmas = np.linspace(0, 0.95, 20)
    xp = [sp.private_choice(s) for s in sigmas]
    assert all(a >= b for a, b in zip(xp, xp[1:]))            # more spillover, less own research
    subs = np.linspace(0, 0.9, 19)
    xs = [sp.private_choice(0.5, s) for s in subs]
    assert all(a < b for a, b in zip(xs, xs[1:]))             # more subsidy, more research
    # a corner: when (1 - sigma) a <= c the region funds nothing at all
    assert sp.private_choice(1 - C / A) == 0.0 and sp.private_choice(0.9) == 0.0


def test_deadweight_loss_is_never_negative_and_zero_only_at_the_pigouvian_rate():
    for sigma in (0.0, 0.3, 0.6):
        for s in np.linspace(0, 0.9, 10):
            r = sp.model(sigma, float(s))
            assert r.deadweight_loss >= -1e-12
            if abs(s - sigma) > 1e-9:
                assert r.deadweight_loss > 0
    over = sp.model(0.5, 0.7)
    assert over.x_private > over.x_social and over.gap < 0      # too much subsidy: over-investment


def test_equal_sharing_between_n_regions():
    assert sp.equal_sharing_spillover(1) == 0.0
    assert sp.equal_sharing_spillover(4) == 0.75
    n = 31
    sigma = sp.equal_sharing_spillover(n)
    assert sp.private_choice(sigma) == 0.0                      # a province alone funds nothing here
    assert sp.private_choice(sigma, sigma) == pytest.approx(sp.social_optimum())
    with pytest.raises(ValueError):
        sp.equal_sharing_spillover(0)


def test_bad_input():
    with pytest.raises(EdgeCase, match="100%"):
        sp.model(0.5, 1.0)
    with pytest.raises(ValueError, match="spillover"):
        sp.model(1.5, 0.0)
    with pytest.raises(ValueError, match="subsidy"):
        sp.model(0.5, -0.1)
    with pytest.raises(ValueError, match="positive"):
        sp.model(0.5, 0.0, a=0)
    with pytest.raises(ValueError, match="finite"):
        sp.model(float("nan"), 0.0)


def plt_close(fig):
    from course import plots

    plots.close(fig)


def title_of(result):
    from course import plots

    fig, _ = sp.render(result)
    try:
        return plots.figure_title(fig)
    finally:
        plots.close(fig)


def test_widget_recomputes_and_is_labelled_a_model():
    ex = sp.explorer()
    assert ex.result.x_private == 0.5 and "MODEL" in ex.title and "MODEL" in ex.alt_text.upper()
    assert title_of(ex.result).startswith("MODEL.")
    ex.controls["subsidy"].value = 0.5
    assert ex.result.x_private == pytest.approx(ex.result.x_social)
    assert "closes the gap" in ex.html and title_of(ex.result).startswith("MODEL. No gap")
    ex.controls["subsidy"].value = 0.95
    assert ex.result.gap < 0 and "over-invests" in ex.html and "Over-investment" in title_of(ex.result)
    fig, _ = sp.render(ex.result)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    plt_close(fig)
    assert "beyond the axis" in texts
    ex.controls["spillover"].value = 1.0
    assert ex.result.x_private == 0 and ex.error is None
    assert "deadweight loss" in ex.alt_text


def test_doctests():
    import doctest

    assert doctest.testmod(sp).failed == 0
