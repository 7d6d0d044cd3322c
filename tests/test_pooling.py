"""Lesson 32 (F2.2): the pooling model — standard errors, bias and RMSE against theory.

The theory is the textbook one: the mean of m independent records with spread sigma has standard
error sigma / sqrt(m); the mean of regions whose true means step up by tau is off by the average step.
The simulation must agree with it within simulation error, for several settings and a second seed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from course import plots
from course import pooling as pl
from course import quiz
from course.widgets import EdgeCase

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "32_data_as_a_factor.ipynb"


@pytest.fixture(scope="module")
def model():
    return pl.PoolingModel(regions=8, n_max=200, reps=1000)


def test_formulas_by_hand():
    assert pl.standard_error(1.0, 25, 4) == pytest.approx(0.1)             # 1 / sqrt(100)
    assert pl.standard_error(2.0, 50, 2) == pytest.approx(0.2)             # 2 / sqrt(100)
    assert pl.bias(0.1, 1) == 0 and pl.bias(0.1, 5) == pytest.approx(0.2)  # (0+.1+.2+.3+.4)/5
    assert pl.rmse(1.0, 25, 4, 0.0) == pytest.approx(0.1)
    assert pl.rmse(1.0, 100, 1, 0.3) == pytest.approx(0.1)                  # no pooling: no bias
    assert pl.rmse(1.0, 36, 4, 0.1) == pytest.approx(math.hypot(0.15, 1 / 12))


def test_best_pool_theory():
    # no difference between regions: pool them all
    assert pl.best_pool(n=10, tau=0.0, regions=8) == 8
    # large differences: keep to your own data
    assert pl.best_pool(n=200, tau=0.5, regions=8) == 1
    # by hand for n = 50, tau = 0.1: RMSE^2 = 1/(50p) + 0.0025 (p-1)^2 -> p = 2 (0.0125 against 0.02, 0.0167)
    assert pl.best_pool(n=50, tau=0.1, regions=8) == 2


@pytest.mark.parametrize("n", [10, 40, 200])
@pytest.mark.parametrize("seed", [pl.SEED, 7])
def test_pooled_standard_errors_match_sigma_over_sqrt_n(n, seed):
    """With tau = 0 the simulated spread of the pooled mean equals sigma / sqrt(p n) within 3.5
    simulation errors (the SD of an SD estimate from R draws is about SE / sqrt(2 (R - 1)))."""
    m = pl.PoolingModel(regions=8, n_max=200, reps=1000, seed=seed)
    for sigma in (1.0, 2.5):
        c = m.simulate(pooled=8, n=n, tau=0.0, sigma=sigma).curve
        theory = sigma / np.sqrt(np.arange(1, 9) * n)
        assert np.allclose(c["se_theory"], theory)
        z = (c["se_simulated"] - theory) / (theory / np.sqrt(2 * (m.reps - 1)))
        assert (np.abs(z) < 3.5).all(), z.round(2).tolist()
        # and the pooled mean is unbiased when the regions share the parameter
        assert (np.abs(c["bias_simulated"]) < 3.5 * theory / np.sqrt(m.reps)).all()


def test_bias_and_rmse_when_regions_differ(model):
    c = model.simulate(pooled=8, n=40, tau=0.1).curve
    p = np.arange(1, 9)
    assert np.allclose(c["bias_theory"], 0.1 * (p - 1) / 2)
    se = 1 / np.sqrt(p * 40)
    assert (np.abs(c["bias_simulated"] - c["bias_theory"]) < 4 * se / np.sqrt(model.reps)).all()
    assert np.allclose(c["rmse_theory"], np.hypot(c["bias_theory"], se))
    # the simulated RMSE agrees with theory within a few per cent
    assert np.allclose(c["rmse_simulated"], c["rmse_theory"], rtol=0.08)
    # shifting by tau changes the bias, not the spread: same SE with and without tau
    c0 = model.simulate(pooled=8, n=40, tau=0.0).curve
    assert np.allclose(c["se_simulated"], c0["se_simulated"])


def test_pooled_mean_from_the_raw_noise(model):
    """An independent route: average the raw records of regions 1..p directly."""
    s = model.simulate(pooled=3, n=20, tau=0.2, sigma=1.5)
    raw = model.noise[:, :3, :20] * 1.5 + 0.2 * np.arange(3)[None, :, None]
    assert np.allclose(s.pooled_est, raw.mean(axis=(1, 2)))
    assert np.allclose(s.own, model.noise[:, 0, :20].mean(axis=1) * 1.5)


def test_edges(model):
    with pytest.raises(EdgeCase, match="only 8 regions"):
        model.simulate(pooled=9)
    with pytest.raises(EdgeCase, match="between 1 and 200"):
        model.simulate(n=201)
    with pytest.raises(EdgeCase, match="cannot be negative"):
        model.simulate(tau=-0.1)
    with pytest.raises(EdgeCase, match="at least one record"):
        pl.standard_error(1.0, 0)
    with pytest.raises(EdgeCase, match="sigma must be positive"):
        pl.standard_error(0.0, 10)


def test_explorer(model):
    ex = pl.build_explorer(model)
    assert ex.error is None and (ex.result.pooled, ex.result.n) == (4, 40)
    assert "MODEL" in ex.html and "theory" in ex.html
    ex.controls["pooled"].value = 1
    assert ex.result.pooled == 1 and ex.result.row["bias_theory"] == 0
    fig, _table = pl.render(ex.result)
    try:
        assert plots.figure_title(fig).startswith("Your region alone: standard error 0.158")
    finally:
        plots.close(fig)
    ex.set(pooled=8, tau=0.0, n=200)
    r = ex.result.row
    assert r["se_theory"] == pytest.approx(1 / math.sqrt(1600))
    assert "lowest at 8 regions" in ex.alt_text
    ex.set(pooled=4, n=40, tau=0.05)
    assert ex.error is None


def test_doctests():
    import doctest

    result = doctest.testmod(pl)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- check question 2
ANSWER_Q2 = "9149e8ea5d72d774"


def test_quiz_q2_best_number_of_regions():
    # by hand: RMSE^2(p) = 1 / (10 p) + (0.03 (p - 1) / 2)^2 for p = 1 ... 8
    values = {p: 1 / (10 * p) + (0.03 * (p - 1) / 2) ** 2 for p in range(1, 9)}
    answer = min(values, key=values.get)
    assert quiz.digest(answer) == ANSWER_Q2
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    (src,) = ["".join(c["source"]) for c in cells
              if c["cell_type"] == "code" and "".join(c["source"]).startswith("q2 = quiz.")]
    ns = {"quiz": quiz}
    exec(src, ns)
    q = ns["q2"]
    assert q.answer == ANSWER_Q2 and q.check(str(answer)).correct
    # plausible slips: pool everything (ignore bias), keep to your own data (ignore noise), and the
    # neighbour of the optimum whose RMSE is nearly as small
    for wrong in (8, 1, answer + 1):
        fb = q.check(str(wrong))
        assert not fb.correct and fb.message.startswith("Not yet")
    assert "outside the plausible range" in q.check("12").message
