"""Lesson 34 (F4): the credit models, tested against theory.

Expected values come from the models' definitions worked by hand, from SciPy's normal
distribution (an independent implementation; the course itself uses the standard library), and
from seeded simulations whose agreement is judged against their sampling error.
"""

import math

import numpy as np
import pytest
from scipy import stats

from course import credit as cr
from course.widgets import EdgeCase

K = 1 + cr.FUNDING_RATE + cr.COST_RATE


# --------------------------------------------------------------------------- normal distribution
def test_normal_helpers_agree_with_scipy():
    xs = np.array([-3.1, -1.0, 0.0, 0.5, 2.7])
    assert np.allclose(cr.norm_cdf(xs), stats.norm.cdf(xs), atol=1e-12)
    ps = np.array([0.001, 0.1, 0.5, 0.9, 0.999])
    assert np.allclose(cr.norm_ppf(ps), stats.norm.ppf(ps), atol=1e-9)
    assert cr.norm_cdf(1.0) == pytest.approx(stats.norm.cdf(1.0)) and cr.norm_ppf(0.975) == pytest.approx(1.959964, abs=1e-6)


# --------------------------------------------------------------------------- pricing
def test_expected_loss_is_linear_in_exposure():
    assert cr.expected_loss(0.05, 0.6, 100.0) == pytest.approx(3.0)                # 0.05 x 0.6 x 100
    assert cr.expected_loss(0.05, 0.6, 200.0) == pytest.approx(2 * cr.expected_loss(0.05, 0.6, 100.0))
    assert cr.expected_loss(0.05, 0.6, 70.0) + cr.expected_loss(0.05, 0.6, 30.0) == pytest.approx(
        cr.expected_loss(0.05, 0.6, 100.0))
    assert cr.expected_loss(0.05, 0.6, 0.0) == 0.0
    ead = np.array([1.0, 2.0, 5.0])
    assert np.allclose(cr.expected_loss(0.1, 0.5, ead), 0.05 * ead)
    with pytest.raises(ValueError, match="shares"):
        cr.expected_loss(5, 0.6, 1.0)                                                  # 5 % typed as 5
    with pytest.raises(ValueError, match="EAD"):
        cr.expected_loss(0.05, 0.6, -1.0)


def test_break_even_rate_by_hand_and_zero_expected_profit():
    r = cr.break_even_rate(0.05, 0.6)
    assert r == pytest.approx(1.03 / (1 - 0.03) - 1)
    # at that rate the bank's expected repayment equals its funding plus costs
    repaid = (1 - 0.05) * (1 + r) + 0.05 * (1 - 0.6) * (1 + r)
    assert repaid == pytest.approx(K)
    assert cr.break_even_rate(0.0, 0.6) == pytest.approx(K - 1)
    assert cr.break_even_rate(1.0, 1.0) == math.inf


def test_break_even_rate_rises_with_pd_and_lgd_and_falls_with_the_guarantee():
    pds = np.linspace(0, 0.3, 13)
    assert all(a < b for a, b in zip([cr.break_even_rate(p, 0.6) for p in pds],
                                     [cr.break_even_rate(p, 0.6) for p in pds[1:]]))
    lgds = np.linspace(0, 1, 11)
    rates = [cr.break_even_rate(0.1, x) for x in lgds]
    assert all(a < b for a, b in zip(rates, rates[1:]))
    gs = np.linspace(0, 1, 11)
    rates = [cr.break_even_rate(0.1, 0.6, g) for g in gs]
    assert all(a > b for a, b in zip(rates, rates[1:]))
    assert rates[-1] == pytest.approx(K - 1)                   # a full guarantee: the bank bears no risk
    # a guarantee of g is the same as an LGD of LGD (1 - g)
    assert cr.break_even_rate(0.1, 0.6, 0.25) == pytest.approx(cr.break_even_rate(0.1, 0.45))


def test_fair_fee_leaves_the_firms_expected_payment_unchanged():
    for pd, lgd, g in [(0.05, 0.6, 0.5), (0.12, 0.7, 0.8), (0.2, 0.9, 0.3)]:
        rg = cr.break_even_rate(pd, lgd, g)
        fee = cr.fair_fee(pd, lgd, g)
        assert fee == pytest.approx(pd * lgd * g * (1 + rg))
        with_guarantee = (1 + rg) * (1 - pd * lgd) + fee       # repayment expected from the firm, plus the fee
        without = (1 + cr.break_even_rate(pd, lgd)) * (1 - pd * lgd)
        assert with_guarantee == pytest.approx(without) == pytest.approx(K)


def test_pricing_splits_the_expected_loss_between_bank_and_guarantor():
    r = cr.pricing(pd=0.12, lgd=0.7, guarantee_share=0.5, guarantee_fee=0.01, max_rate=0.10)
    assert r.bank_expected_loss + r.guarantor_payout == pytest.approx(cr.expected_loss(0.12, 0.7, 1 + r.rate_with))
    assert r.guarantor_payout == pytest.approx(r.fair_fee)
    assert r.guarantor_net_cost == pytest.approx(r.fair_fee - 0.01)
    # by hand: without 1.03 / (1 - 0.084) - 1 = 12.445 %; with 1.03 / (1 - 0.042) - 1 = 7.516 %
    assert r.rate_without == pytest.approx(1.03 / 0.916 - 1) and r.rate_with == pytest.approx(1.03 / 0.958 - 1)
    assert not r.served_without and r.served_with and r.all_in == pytest.approx(r.rate_with + 0.01)
    no_g = cr.pricing(pd=0.12, lgd=0.7, guarantee_share=0.0, guarantee_fee=0.03)
    assert no_g.fee_paid == 0.0 and no_g.all_in == no_g.rate_without     # no guarantee, no fee


def test_pricing_edge_and_bad_input():
    with pytest.raises(EdgeCase, match="no interest rate"):
        cr.pricing(pd=1.0, lgd=1.0, guarantee_share=0.0)
    assert math.isfinite(cr.pricing(pd=1.0, lgd=1.0, guarantee_share=0.5).rate_with)
    with pytest.raises(ValueError, match="share"):
        cr.pricing(pd=12)


# --------------------------------------------------------------------------- screening
def test_separation_matches_the_binormal_auc():
    for auc in (0.6, 0.75, 0.9):
        d = cr.separation(auc)
        assert stats.norm.cdf(d / math.sqrt(2)) == pytest.approx(auc)
    assert cr.separation(0.5) == 0 and cr.separation(1.0) == math.inf
    with pytest.raises(ValueError, match="0.5"):
        cr.separation(0.3)


def test_max_pd_for_rate_inverts_the_break_even_rate():
    for cap in (0.05, 0.10, 0.2):
        pm = cr.max_pd_for_rate(cap, 0.6)
        assert cr.break_even_rate(pm, 0.6) == pytest.approx(cap)
    assert cr.max_pd_for_rate(0.02, 0.6) == 0.0                # below funding + costs: nothing can be priced


def test_perfect_data_finance_exactly_the_sound_firms():
    s = cr.screen(base_pd=0.2, auc=1.0, max_pd=0.05)
    assert (s.good_accepted, s.bad_accepted, s.accepted_pd) == (1.0, 0.0, 0.0)


def test_no_information_gives_the_base_rate_or_nothing():
    s = cr.screen(base_pd=0.08, auc=0.5, max_pd=0.10)          # base rate below what the bank can price
    assert s.accepted_pd == pytest.approx(0.08) and s.acceptance == 1.0
    s = cr.screen(base_pd=0.15, auc=0.5, max_pd=0.10)          # above: credit rationing, nobody financed
    assert not s.lends and math.isnan(s.accepted_pd) and s.good_accepted == 0.0


def test_every_borrower_is_priceable_and_the_marginal_one_is_exactly_at_the_limit():
    pi, auc, pm = 0.15, 0.8, 0.08
    s = cr.screen(pi, auc, pm)
    d = cr.separation(auc)
    # posterior default probability at the threshold score, by Bayes' rule from the two normal densities
    lb = pi * stats.norm.pdf(s.threshold + d / 2)
    lg = (1 - pi) * stats.norm.pdf(s.threshold - d / 2)
    assert lb / (lb + lg) == pytest.approx(pm)
    assert s.accepted_pd < pm                                  # the average borrower is safer than the marginal one


def test_better_data_lower_the_default_rate_and_widen_access_under_rationing():
    pm = cr.max_pd_for_rate(0.10, 0.6)
    aucs = np.linspace(0.55, 0.99, 23)
    rows = [cr.screen(0.15, float(a), pm) for a in aucs]        # base rate above pm: rationed without data
    pds = [r.accepted_pd for r in rows]
    good = [r.good_accepted for r in rows]
    assert all(a > b for a, b in zip(pds, pds[1:]))
    assert all(a < b for a, b in zip(good, good[1:]))
    assert all(p <= pm + 1e-12 for p in pds)


def test_when_lending_to_all_already_pays_better_data_first_turn_some_sound_firms_away():
    pm = cr.max_pd_for_rate(0.10, 0.6)                          # about 10.6 %
    rows = [cr.screen(0.05, float(a), pm) for a in (0.5, 0.7, 0.999)]
    assert rows[0].good_accepted == 1.0
    assert rows[1].good_accepted < 1.0 and rows[2].good_accepted > rows[1].good_accepted
    assert rows[1].accepted_pd < 0.05 and rows[2].accepted_pd < rows[1].accepted_pd


def test_simulation_agrees_with_the_formulas_within_sampling_error():
    pm = cr.max_pd_for_rate(0.10, 0.6)
    for pi, auc in [(0.15, 0.75), (0.3, 0.9), (0.05, 0.65)]:
        s = cr.screen(pi, auc, pm)
        sim = cr.simulate_screening(pi, auc, pm, n=200_000, seed=1)
        n_acc = sim["acceptance"] * sim["n"]
        se = math.sqrt(s.accepted_pd * (1 - s.accepted_pd) / n_acc)
        assert abs(sim["accepted_pd"] - s.accepted_pd) < 4 * se
        se_good = math.sqrt(s.good_accepted * (1 - s.good_accepted) / ((1 - pi) * sim["n"]))
        assert abs(sim["good_accepted"] - s.good_accepted) < 4 * se_good + 1e-12
    assert cr.simulate_screening(0.15, 0.75, pm, n=1000, seed=3) == cr.simulate_screening(0.15, 0.75, pm, n=1000, seed=3)


def test_screening_edge_case_and_curves():
    with pytest.raises(EdgeCase, match="does not even cover"):
        cr.screening(rate_cap=0.02)
    r = cr.screening(base_pd=0.15, auc=0.75, rate_cap=0.10)
    assert len(r.grid) == len(r.curve_good) == 51 and r.grid[0] == 0.5 and r.grid[-1] == 1.0
    assert math.isnan(r.curve_pd[0]) and r.curve_pd[-1] == 0.0 and r.curve_good[-1] == 1.0
    assert r.pooled_rate == pytest.approx(cr.break_even_rate(r.result.accepted_pd, cr.DEFAULT_LGD))


# --------------------------------------------------------------------------- capital buffer
def test_loss_quantile_matches_the_basel_formula_computed_with_scipy():
    pd, rho, alpha, lgd = 0.01, 0.2, 0.999, 0.45
    by_hand = lgd * stats.norm.cdf((stats.norm.ppf(pd) + math.sqrt(rho) * stats.norm.ppf(alpha)) / math.sqrt(1 - rho))
    assert cr.loss_quantile(pd, rho, alpha, lgd) == pytest.approx(by_hand, rel=1e-9)
    # Basel's capital requirement K at maturity 1 (the maturity adjustment is then exactly 1)
    assert cr.capital_buffer(pd, rho, alpha, lgd) == pytest.approx(by_hand - pd * lgd, rel=1e-9)


def test_buffer_rises_with_confidence_and_correlation_and_vanishes_without_correlation():
    b = [cr.capital_buffer(0.03, 0.12, c) for c in cr.CONFIDENCE_LEVELS]
    assert all(x < y for x, y in zip(b, b[1:]))
    assert cr.capital_buffer(0.03, 0.0, 0.999) == pytest.approx(0.0, abs=1e-12)
    rhos = [0.02, 0.1, 0.2, 0.3]
    bs = [cr.capital_buffer(0.03, r, 0.999) for r in rhos]
    assert all(x < y for x, y in zip(bs, bs[1:]))
    # at the median year the large-portfolio loss is below the expected loss (the distribution is right-skewed)
    assert cr.loss_quantile(0.03, 0.12, 0.5) < 0.03 * cr.DEFAULT_LGD


def test_conditional_pd_averages_to_the_pd():
    z = np.linspace(-8, 8, 20001)
    w = stats.norm.pdf(z)
    avg = np.trapezoid(cr.conditional_pd(0.04, 0.15, z) * w, z)
    assert avg == pytest.approx(0.04, rel=1e-6)


def test_density_integrates_to_one_and_its_cdf_matches_the_quantile():
    pd, rho, lgd = 0.03, 0.12, 0.6
    xs = np.linspace(1e-7, lgd * (1 - 1e-9), 400001)
    dens = cr.loss_density(xs, pd, rho, lgd)
    assert np.trapezoid(dens, xs) == pytest.approx(1.0, abs=2e-3)
    q = cr.loss_quantile(pd, rho, 0.95, lgd)
    below = xs <= q
    assert np.trapezoid(dens[below], xs[below]) == pytest.approx(0.95, abs=2e-3)


def test_simulated_portfolio_mean_is_the_expected_loss_and_quantile_approaches_the_formula():
    pd, rho, lgd = 0.03, 0.12, 0.6
    losses = cr.simulate_losses(pd, rho, lgd, n_loans=5000, scenarios=20_000, seed=0)
    se = losses.std() / math.sqrt(losses.size)
    assert abs(losses.mean() - pd * lgd) < 4 * se
    q_sim = np.quantile(losses, 0.99)
    assert q_sim == pytest.approx(cr.loss_quantile(pd, rho, 0.99, lgd), rel=0.06)
    again = cr.simulate_losses(pd, rho, lgd, n_loans=5000, scenarios=20_000, seed=0)
    assert np.array_equal(losses, again)                        # seeded


def test_buffer_result_and_guards():
    r = cr.buffer(pd=0.03, rho=0.12, confidence=0.999, n_loans=200)
    assert r.buffer == pytest.approx(cr.capital_buffer(0.03, 0.12, 0.999))
    assert r.added_rate == pytest.approx(r.buffer * cr.EQUITY_PREMIUM)
    assert r.sim_buffer == pytest.approx(np.quantile(r.losses, 0.999) - 0.018)
    with pytest.raises(ValueError, match="asset correlation"):
        cr.buffer(rho=1.0)
    with pytest.raises(ValueError, match="PD"):
        cr.buffer(pd=0.0)
    with pytest.raises(ValueError, match="n_loans"):
        cr.simulate_losses(0.03, 0.1, n_loans=0)


# --------------------------------------------------------------------------- widgets
def test_pricing_widget():
    ex = cr.pricing_explorer()
    assert not ex.result.served_without and "MODEL" in ex.title
    ex.controls["guarantee_share"].value = 0.5
    assert ex.result.served_with and ex.result.rate_with < ex.result.rate_without
    ex.set(pd=0.3, lgd=1.0, guarantee_share=0.0)              # the sliders' far corner
    assert ex.error is None and not ex.result.served_without and ex.result.rate_without == pytest.approx(1.03 / 0.7 - 1)
    ex.set(pd=0.0, lgd=0.0, max_rate=0.03)
    assert ex.error is None and ex.result.served_without        # a riskless loan at exactly funding + costs


def test_screening_widget():
    ex = cr.screening_explorer()
    base = ex.result.result.accepted_pd
    ex.controls["auc"].value = 0.9
    assert ex.result.result.accepted_pd < base
    ex.controls["auc"].value = 0.5
    assert not ex.result.result.lends and ex.error is None and "nobody is financed" in ex.alt_text


def test_buffer_widget():
    ex = cr.buffer_explorer()
    b999 = ex.result.buffer
    ex.controls["confidence"].value = 0.95
    assert ex.result.buffer < b999
    ex.controls["rho"].value = 0.0
    assert ex.result.buffer == pytest.approx(0.0, abs=1e-12) and ex.error is None
    assert ex.result.sim_buffer > 0                             # a finite portfolio still needs a buffer
    ex.controls["n_loans"].value = 50
    assert ex.error is None


def test_widgets_in_chinese():
    from course import i18n

    try:
        i18n.set_language("zh")
        ex = cr.pricing_explorer()
        assert ex.controls["pd"].description == "违约概率（PD）" and ex.title.startswith("模型")
        assert "高于企业可承受的 10.0%" in ex.html and "无担保时银行的保本利率" in ex.html
        ex.controls["guarantee_share"].value = 0.5
        assert ex.result.served_with and "获得了没有担保就得不到的贷款" in ex.html
        with pytest.raises(EdgeCase, match="覆盖不了"):
            cr.screening(rate_cap=0.02)
    finally:
        i18n.set_language("en")


def test_doctests():
    import doctest

    assert doctest.testmod(cr).failed == 0


# --------------------------------------------------------------------------- lesson 34's check questions
import json
import re
from pathlib import Path

import course
from course import quiz

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "34_finance.ipynb"
ANSWERS_34 = {"q1": "6ff96248b2761790", "q2": "aee1acb2b7ce08f5", "q3": "703e509e109cd9d3"}


def notebook_questions():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    found = {}
    for name in ("q1", "q2", "q3"):
        (src,) = [t for t in sources if t.startswith(f"{name} = quiz.")]
        ns = {"quiz": quiz}
        exec(src, ns)
        found[name] = ns[name]
    return found


def q1_answer():
    return 100 * (1.03 / (1 - 0.08 * 0.7 * 0.5) - 1)          # by hand: the break-even equation with LGD (1 - g)


def q2_answer(start=2011, end=2023, column="dfii_usage_depth"):
    d = course.load("province_digital_finance_pku").pivot(index="province_code", columns="year", values=column)
    growth = np.log(d[end] / d[start]) / (end - start)
    return float(np.polyfit(np.log(d[start]), growth, 1)[0])


def q3_answer(pd=0.02, rho=0.15, alpha=0.995, lgd=0.6):
    q = lgd * stats.norm.cdf((stats.norm.ppf(pd) + math.sqrt(rho) * stats.norm.ppf(alpha)) / math.sqrt(1 - rho))
    return 100 * (q - pd * lgd)


def test_quiz_q1_break_even_rate_with_a_guarantee():
    answer = q1_answer()
    assert quiz.digest(answer, 2) == ANSWERS_34["q1"]
    q = notebook_questions()["q1"]
    assert q.answer == ANSWERS_34["q1"] and q.check(f"{answer:.2f}").correct
    additive = 100 * (0.03 + 0.08 * 0.7 * 0.5)                # the approximation
    no_guarantee = 100 * (1.03 / (1 - 0.08 * 0.7) - 1)
    for wrong in (additive, no_guarantee, answer / 100):        # ... and a fraction instead of per cent
        assert abs(wrong - answer) > 0.015
        fb = q.check(f"{wrong:.4f}")
        assert not fb.correct and f"{answer:.2f}" not in fb.message


def test_quiz_q2_beta_of_usage_depth():
    answer = q2_answer()
    assert quiz.digest(answer, 4) == ANSWERS_34["q2"]
    q = notebook_questions()["q2"]
    assert q.answer == ANSWERS_34["q2"] and q.check(f"{answer:.4f}").correct
    for wrong in (q2_answer(column="dfii_total"), q2_answer(column="dfii_coverage_breadth"), q2_answer(2016, 2023)):
        assert abs(wrong - answer) > 0.00015
        fb = q.check(f"{wrong:.4f}")
        assert not fb.correct and fb.message.startswith("Not yet")


def test_quiz_q3_buffer_at_99_5():
    answer = q3_answer()
    assert quiz.digest(answer, 2) == ANSWERS_34["q3"]
    q = notebook_questions()["q3"]
    assert q.answer == ANSWERS_34["q3"] and q.check(f"{answer:.2f}").correct
    quantile = answer + 100 * 0.02 * 0.6                        # forgot to subtract the expected loss
    for wrong in (quantile, q3_answer(alpha=0.999), q3_answer(lgd=1.0), answer / 100):
        assert abs(wrong - answer) > 0.015
        fb = q.check(f"{wrong:.4f}")
        assert not fb.correct and f"{answer:.2f}" not in fb.message


def test_quiz_answers_are_not_printed_in_lesson_34():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    shown = " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/markdown", ""))
                     + str(o.get("data", {}).get("text/plain", "")) + str(o.get("data", {}).get("text/html", ""))
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    shown = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", shown)       # the figures' pixels are not text
    source = " ".join("".join(c["source"]) for c in cells)
    for text in (f"{q1_answer():.2f}", f"{q2_answer():.4f}", f"{q2_answer():.3f}", f"{q3_answer():.2f}"):
        assert text not in shown and text not in source, text
    for digest in ANSWERS_34.values():
        assert f'answer="{digest}"' in source
