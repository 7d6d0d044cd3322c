"""Lesson 33 (F3.1): research-evaluation scores and rank reversals.

Expectations come from the definitions and hand computation on tiny tables; the real-data checks
rebuild the 2023 indicators from the province profile table (a second route) and count reversals
with a plain double loop.
"""

import itertools

import numpy as np
import pandas as pd
import pytest

import course
from course import evaluation as ev
from course.widgets import EdgeCase

KEYS = list(ev.KEYS)


def tiny(**overrides):
    """Three provinces: P leads on inputs and counts, R on transfer and application."""
    cols = {"province_en": ["P", "Q", "R"], "nbs_region_en": ["East", "Central", "West"],
            "rd_intensity_pct": [3.0, 2.0, 1.0], "patents_per_10k": [30.0, 20.0, 10.0],
            "invention_patents_per_10k": [9.0, 5.0, 1.0], "transfer_ratio": [0.5, 1.0, 3.0],
            "hightech_revenue_pct_grp": [10.0, 20.0, 30.0]}
    cols.update(overrides)
    return pd.DataFrame(cols, index=[1, 2, 3])


# --------------------------------------------------------------------------- scores
def test_one_indicator_alone_ranks_like_that_indicator():
    ind = tiny(transfer_ratio=[0.5, 3.0, 1.0])
    s = ev.scores(ind, {"transfer_ratio": 1.0})
    # min-max of 0.5, 3, 1: 0, 1, 0.2
    assert s.tolist() == pytest.approx([0.0, 1.0, 0.2])


def test_weights_count_only_relative_to_each_other():
    ind = tiny(transfer_ratio=[0.5, 3.0, 1.0])
    w = {"rd_intensity_pct": 1.0, "transfer_ratio": 2.0}
    assert ev.scores(ind, w).tolist() == pytest.approx(ev.scores(ind, {k: 5 * v for k, v in w.items()}).tolist())


def test_score_by_hand_with_two_weights():
    ind = tiny(transfer_ratio=[0.5, 3.0, 1.0])
    # rd normalised: 1, .5, 0; transfer: 0, 1, .2; weights 1 and 3 -> (1*x + 3*y) / 4
    s = ev.scores(ind, {"rd_intensity_pct": 1, "transfer_ratio": 3})
    assert s.tolist() == pytest.approx([0.25, (0.5 + 3) / 4, 0.6 / 4])


def test_rank_normalisation_is_passed_through():
    ind = tiny(transfer_ratio=[0.5, 3.0, 1.0])
    s = ev.scores(ind, {"transfer_ratio": 1}, method="rank")
    assert s.tolist() == pytest.approx([0.0, 1.0, 0.5])   # (rank - 1) / (n - 1)


def test_bad_weights():
    with pytest.raises(EdgeCase, match="zero"):
        ev.scores(tiny(), {k: 0 for k in KEYS})
    with pytest.raises(ValueError, match="unknown indicator"):
        ev.scores(tiny(), {"papers": 1})
    with pytest.raises(ValueError, match="at least zero"):
        ev.scores(tiny(), {"transfer_ratio": -1})


# --------------------------------------------------------------------------- evaluate
def test_same_weights_as_the_baseline_give_no_reversals():
    for baseline, weights in ev.PRESETS.items():
        r = ev.evaluate(**weights, baseline=baseline, indicators=tiny())
        assert r.reversals == 0 and (r.table["shift"] == 0).all() and r.rho == pytest.approx(1.0)
        assert any("proportional" in n for n in r.notes)
        # proportional weights are the same weights
        r2 = ev.evaluate(**{k: 3 * v for k, v in weights.items()}, baseline=baseline, indicators=tiny())
        assert r2.reversals == 0


def test_opposite_evaluations_reverse_every_pair():
    r = ev.evaluate(**ev.PRESETS["transfer and application"], baseline="output counts", indicators=tiny())
    assert (r.reversals, r.pairs) == (3, 3) and r.share == 1.0
    assert r.top(3) == ["R", "Q", "P"] and r.top(3, "baseline_rank") == ["P", "Q", "R"]
    assert r.table.set_index("province_en")["shift"].to_dict() == {"P": 2, "Q": 0, "R": -2}


def test_reversals_by_hand_on_four_provinces():
    ind = pd.DataFrame({"province_en": list("ABCD"), "nbs_region_en": ["East"] * 4,
                        "rd_intensity_pct": [4.0, 3.0, 2.0, 1.0], "patents_per_10k": [4.0, 3.0, 2.0, 1.0],
                        "invention_patents_per_10k": [4.0, 3.0, 2.0, 1.0],
                        "transfer_ratio": [3.0, 4.0, 1.0, 2.0], "hightech_revenue_pct_grp": [3.0, 4.0, 1.0, 2.0]},
                       index=range(4))
    # baseline order A B C D; transfer order B A D C: the pairs (A,B) and (C,D) flip
    r = ev.evaluate(indicators=ind)
    assert r.reversals == 2 and r.pairs == 6


def test_missing_value_is_scored_on_the_other_indicators_and_noted():
    ind = tiny(hightech_revenue_pct_grp=[10.0, np.nan, 30.0])
    r = ev.evaluate(indicators=ind)
    assert r.table["score"].notna().all()
    assert any(n.startswith("Q lacks a value") for n in r.notes)


def test_evaluate_guards():
    with pytest.raises(EdgeCase):
        ev.evaluate(0, 0, 0, 0, 0, indicators=tiny())
    with pytest.raises(ValueError, match="baseline"):
        ev.evaluate(baseline="papers", indicators=tiny())
    with pytest.raises(ValueError, match="unknown province"):
        ev.evaluate(province="Atlantis", indicators=tiny())
    with pytest.raises(ValueError, match="year"):
        ev.indicator_table(2012)


# --------------------------------------------------------------------------- tables
def tiny_tables():
    prov = pd.DataFrame({"province_code": [1, 2], "province_en": ["A", "B"], "nbs_region_en": ["East", "West"]})
    def long(col, vals, **extra):
        return pd.DataFrame({"province_code": [1, 2, 100000], "year": 2020, col: vals, **extra})
    return {
        "provinces": prov,
        "province_rd_first_published": pd.DataFrame({"province_code": [1, 2, 100000], "year": 2020,
                                                     "rd_expenditure_100m_yuan": [10.0, 4.0, 14.0],
                                                     "rd_intensity_pct": [2.0, 1.0, 1.5]}),
        "province_patents_granted": pd.DataFrame({"province_code": [1, 2, 100000], "year": 2020,
                                                  "patents_granted_total": [500, 100, 700],
                                                  "patents_granted_invention": [100, 10, 120]}),
        "province_population": long("resident_population_10k", [100.0, 50.0, 160.0]),
        "province_tech_market": long("tech_market_turnover_100m_yuan", [20.0, 1.0, 21.0]),
        "province_hightech": long("hightech_revenue_100m_yuan", [100.0, 40.0, 140.0]),
        "province_gdp": pd.DataFrame({"province_code": [1, 1, 2, 2], "year": 2020,
                                      "vintage": ["pre_5th_census_revision", "post_5th_census_revision"] * 2,
                                      "gdp_100m_yuan": [500.0, 550.0, 400.0, 420.0]}),
    }


def test_indicator_table_on_tiny_tables_by_hand():
    t = ev.indicator_table(2020, tables=tiny_tables())
    assert t.loc[1, "patents_per_10k"] == 5.0 and t.loc[2, "invention_patents_per_10k"] == pytest.approx(0.2)
    assert t.loc[1, "transfer_ratio"] == 2.0 and t.loc[2, "transfer_ratio"] == 0.25
    assert t.loc[1, "hightech_revenue_pct_grp"] == 20.0     # over the PRE-revision GRP, 100 / 500
    assert t.loc[2, "rd_intensity_pct"] == 1.0 and 100000 not in t.index


@pytest.fixture(scope="module")
def profile():
    """The 2023 indicators rebuilt from province_profile_2023 (one table, a second route)."""
    p = course.load("province_profile_2023").set_index("province_code")
    x = pd.DataFrame({
        "province_en": p["province_en"],
        "rd_intensity_pct": p["rd_intensity_pct"],
        "patents_per_10k": p["patents_granted_total"] / p["yearend_resident_population_10k"],
        "invention_patents_per_10k": p["patents_granted_invention"] / p["yearend_resident_population_10k"],
        "transfer_ratio": p["tech_market_turnover_100m_yuan"] / p["rd_expenditure_100m_yuan"],
        "hightech_revenue_pct_grp": p["hightech_revenue_100m_yuan"] / p["gdp_100m_yuan_pre_revision"] * 100,
    })
    return x


def test_real_indicators_agree_with_the_2023_profile(profile):
    t = ev.indicator_table(2023)
    assert len(t) == 31 and t[KEYS].notna().all().all()
    for k in KEYS:
        assert np.allclose(t[k], profile.loc[t.index, k], rtol=1e-9), k


def hand_reversals(a, b):
    a, b = list(a), list(b)
    return sum(1 for i, j in itertools.combinations(range(len(a)), 2) if (a[i] - a[j]) * (b[i] - b[j]) < 0)


def hand_score(x, weights):
    norm = (x[KEYS] - x[KEYS].min()) / (x[KEYS].max() - x[KEYS].min())
    w = pd.Series(weights, dtype=float)[KEYS]
    return (norm * w).sum(axis=1) / w.sum()


def test_real_reversals_output_counts_against_transfer(profile):
    r = ev.evaluate()
    base = hand_score(profile, ev.PRESETS["output counts"])
    now = hand_score(profile, ev.PRESETS["transfer and application"])
    assert r.reversals == hand_reversals(base, now)
    assert np.allclose(r.table["score"], now.loc[r.table.index])
    assert 0 < r.reversals < r.pairs == 465


def test_cached_widget_path_equals_the_uncached_computation():
    ind = ev.indicator_table(2023)
    for method in ("minmax", "rank"):
        a = ev.evaluate(1, 0, 2, 1, 0, baseline="equal", method=method)
        b = ev.evaluate(1, 0, 2, 1, 0, baseline="equal", method=method, indicators=ind)
        assert a.reversals == b.reversals
        pd.testing.assert_frame_equal(a.table, b.table)


# --------------------------------------------------------------------------- widget
def test_widget_default_view_and_controls():
    ex = ev.explorer()
    assert ex.result.baseline == "output counts" and ex.result.reversals > 0
    assert "swap order" in ex.html and "Top five under the baseline" in ex.html
    ex.set(**ev.PRESETS["output counts"])
    assert ex.result.reversals == 0 and "proportional" in ex.html
    ex.controls["baseline"].value = "equal"
    assert ex.result.reversals > 0 and ex.result.baseline == "equal"
    ex.controls["province"].value = "Guizhou"
    fig, _ = ev.render(ex.result)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    __import__("matplotlib.pyplot").pyplot.close(fig)
    assert "Guizhou" in ex.alt_text and "Guizhou" in texts and "(yours)" in texts


def test_widget_all_zero_weights_gives_a_note():
    ex = ev.explorer()
    ex.set(**{k: 0.0 for k in KEYS})
    assert ex.result is None and ex.error is None and "weights are zero" in ex.message
    ex.controls["transfer_ratio"].value = 1.0
    assert ex.result is not None and ex.message is None


def test_doctests():
    import doctest

    assert doctest.testmod(ev).failed == 0


# --------------------------------------------------------------------------- lesson 33's check questions
import json
import re
from pathlib import Path

from course import quiz

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "33_deepening_reform.ipynb"
ANSWERS_33 = {"q1": "d86d6b805de52464", "q2": "6389de4425152ff1", "q3": "d4e41847f941f2ec"}
Q3_OPTIONS = ["Zhejiang", "Henan", "Shanghai", "Guangdong"]


def notebook_questions(path=NOTEBOOK, names=("q1", "q2", "q3")):
    """Build the questions exactly as the notebook's question cells do."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    found = {}
    for name in names:
        (src,) = [t for t in sources if t.startswith(f"{name} = quiz.")]
        ns = {"quiz": quiz}
        exec(src, ns)
        found[name] = ns[name]
    return found


def refused(q, value):
    fb = q.check(value)
    return not fb.correct


def test_quiz_q1_reversals_output_counts_against_equal_weights(profile):
    base = hand_score(profile, ev.PRESETS["output counts"])
    equal = hand_score(profile, {k: 1.0 for k in KEYS})
    answer = hand_reversals(base, equal)
    assert quiz.digest(answer) == ANSWERS_33["q1"]
    q = notebook_questions()["q1"]
    assert q.answer == ANSWERS_33["q1"] and q.check(str(answer)).correct
    transfer = hand_reversals(base, hand_score(profile, ev.PRESETS["transfer and application"]))
    # slips: the count printed in the lesson (transfer), the pairs that agree, the share in per cent
    for wrong in (transfer, 465 - answer, round(100 * answer / 465)):
        assert wrong != answer
        fb = q.check(str(wrong))
        assert not fb.correct and fb.message.startswith("Not yet") and str(answer) not in fb.message


def test_quiz_q2_model_with_spillover_and_subsidy():
    a, c, keep, s = 3.0, 1.0, 0.4, 0.30
    answer = keep * a / ((1 - s) * c) - 1                # (1 - sigma) a / (1 + x) = (1 - s) c, by hand
    assert answer == pytest.approx(1.2 / 0.7 - 1)
    assert quiz.digest(answer, 2) == ANSWERS_33["q2"]
    q = notebook_questions()["q2"]
    assert q.answer == ANSWERS_33["q2"] and q.check(f"{answer:.2f}").correct
    # slips: ignoring the subsidy, the social optimum, the subsidy on the benefit side, keep/spill swapped
    for wrong in (keep * a / c - 1, a / c - 1, keep * a * (1 + s) / c - 1, (1 - keep) * a / ((1 - s) * c) - 1):
        assert abs(wrong - answer) > 0.015
        assert refused(q, f"{wrong:.2f}")


def test_quiz_q3_largest_rise_in_the_science_share_of_the_budget():
    f = course.load("province_fiscal").set_index(["province_en", "year"])
    share = f["local_fiscal_sci_tech_expenditure_100m_yuan"] / f["local_general_budget_expenditure_100m_yuan"]
    change = {p: share[(p, 2023)] - share[(p, 2011)] for p in Q3_OPTIONS}
    answer = max(change, key=change.get)
    assert sorted(change.values())[-1] - sorted(change.values())[-2] > 0.001     # a clear winner (0.1 point)
    assert quiz.digest(answer) == ANSWERS_33["q3"]
    q = notebook_questions()["q3"]
    assert q.options == Q3_OPTIONS and q.check(answer).correct
    level_2023 = max(Q3_OPTIONS, key=lambda p: share[(p, 2023)])
    assert level_2023 != answer                                                  # the tempting slip: the level
    for wrong in [o for o in Q3_OPTIONS if o != answer]:
        fb = q.check(wrong)
        assert not fb.correct and answer not in fb.message


def test_quiz_answers_are_not_printed_in_lesson_33(profile):
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    shown = " ".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/markdown", ""))
                     + str(o.get("data", {}).get("text/plain", "")) + str(o.get("data", {}).get("text/html", ""))
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))
    shown = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", shown)       # the figures' pixels are not text
    source = " ".join("".join(c["source"]) for c in cells)
    base = hand_score(profile, ev.PRESETS["output counts"])
    n = hand_reversals(base, hand_score(profile, {k: 1.0 for k in KEYS}))
    assert not re.search(rf"(?<![\d.]){n}(?![\d.%])", shown) and not re.search(rf"(?<![\d.]){n} of", source)
    x = 0.4 * 3 / 0.7 - 1
    for text in (f"{x:.2f}", f"{x:.3f}"):
        assert text not in shown and text not in source
    for digest in ANSWERS_33.values():
        assert f'answer="{digest}"' in source
