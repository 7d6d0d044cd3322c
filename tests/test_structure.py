"""Tests for course.structure (lesson 14, N4): expectations from theory and hand computation.

Tiny hand-built tables test the formulas; a few tests then run the functions on the course data
to check the data properties the lesson relies on, the widget and the quiz answers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from course import structure as st

# ---------------------------------------------------------------------------------------------------
# tiny tables
# ---------------------------------------------------------------------------------------------------

NINE_COLS = list(st.NINE_SECTORS.values())


def va_row(code, name, year, vintage, p, s, t, nine=None, region="East"):
    """One province-year of a value-added table; ``nine`` defaults to a split that adds to p+s+t."""
    row = {
        "province_code": code, "province_en": name, "nbs_region_en": region, "year": year,
        "vintage": vintage, "gdp_100m_yuan": p + s + t,
        "va_primary_100m_yuan": p, "va_secondary_100m_yuan": s, "va_tertiary_100m_yuan": t,
    }
    if nine is None:  # agriculture = primary, industry + construction = secondary, seven services share t
        nine = [p, 0.75 * s, 0.25 * s] + [t / 7] * 7
    row.update(dict(zip(NINE_COLS, nine)))
    return row


@pytest.fixture
def tiny_va():
    pre, post = st.PRE, st.POST
    rows = [
        # pre-revision 2018-2019, transport blank (as in the course data)
        va_row(1, "A", 2018, pre, 10, 30, 60),
        va_row(2, "B", 2018, pre, 20, 50, 30),
        va_row(1, "A", 2019, pre, 10, 40, 50),
        va_row(2, "B", 2019, pre, 0, 0, 100),
        # revised 2019-2020: same year 2019 with different numbers
        va_row(1, "A", 2019, post, 5, 20, 75),
        va_row(2, "B", 2019, post, 25, 25, 50),
        va_row(1, "A", 2020, post, 1, 1, 2),
        va_row(2, "B", 2020, post, 3, 2, 1),
    ]
    frame = pd.DataFrame(rows)
    frame.loc[frame["vintage"] == pre, "va_transport_storage_post_100m_yuan"] = np.nan
    return frame


def edge_case():
    from course.widgets import EdgeCase

    return EdgeCase


# ---------------------------------------------------------------------------------------------------
# shares and indices
# ---------------------------------------------------------------------------------------------------


def test_shares_sum_to_one_three_and_nine(tiny_va):
    three = st.sector_shares(tiny_va, st.PRE)
    assert np.allclose(three[list(st.THREE_SECTORS)].sum(axis=1), 1.0)
    nine = st.sector_shares(tiny_va, st.POST, detail="nine")
    assert np.allclose(nine[list(st.NINE_SECTORS)].sum(axis=1), 1.0)


def test_shares_by_hand(tiny_va):
    s = st.sector_shares(tiny_va, st.PRE, 2018).set_index("province_en")
    # A: 10, 30, 60 of 100
    assert s.loc["A", "Primary"] == pytest.approx(0.10)
    assert s.loc["A", "Secondary"] == pytest.approx(0.30)
    assert s.loc["A", "Tertiary"] == pytest.approx(0.60)
    assert list(s["year"]) == [2018, 2018]


def test_vintages_are_never_mixed(tiny_va):
    pre = st.sector_shares(tiny_va, st.PRE, 2019).set_index("province_en")
    post = st.sector_shares(tiny_va, st.POST, 2019).set_index("province_en")
    assert pre.loc["A", "Tertiary"] == pytest.approx(0.50)  # 50 / 100, pre-revision numbers
    assert post.loc["A", "Tertiary"] == pytest.approx(0.75)  # 75 / 100, revised numbers
    nat = st.national_sum(tiny_va, st.PRE)
    assert list(nat["year"]) == [2018, 2019]  # no revised year leaks in
    assert nat.set_index("year").loc[2019, "Tertiary"] == pytest.approx(150)


def test_level_coefficient_theory():
    frame = pd.DataFrame(
        {"Primary": [0.0, 7.0, 10.0, 1.0], "Secondary": [0.0, 0.0, 30.0, 1.0], "Tertiary": [4.0, 0.0, 60.0, 1.0]}
    )
    out = st.upgrading_indices(frame)
    assert out["level"].iloc[0] == pytest.approx(3.0)  # all tertiary
    assert out["level"].iloc[1] == pytest.approx(1.0)  # all primary
    assert out["level"].iloc[2] == pytest.approx(1 * 0.1 + 2 * 0.3 + 3 * 0.6)  # 2.5
    assert out["level"].iloc[3] == pytest.approx(2.0)  # equal thirds
    assert out["advancement"].iloc[2] == pytest.approx(2.0)  # 60 / 30
    assert math.isinf(out["advancement"].iloc[0])  # no secondary industry
    assert ((out["level"] >= 1) & (out["level"] <= 3)).all()


def test_indices_are_scale_free(tiny_va):
    levels = st.upgrading_indices(st.national_sum(tiny_va, st.PRE))
    nat = st.national_sum(tiny_va, st.PRE)
    cols = list(st.THREE_SECTORS)
    nat[cols] = nat[cols].div(nat[cols].sum(axis=1), axis=0)  # the same economy as shares
    shares = st.upgrading_indices(nat)
    assert np.allclose(levels["level"], shares["level"])
    assert np.allclose(levels["advancement"], shares["advancement"])
    # 2018 sum: 30, 80, 90 -> advancement 90/80
    assert levels["advancement"].iloc[0] == pytest.approx(90 / 80)


def test_upgrading_indices_needs_three_columns():
    with pytest.raises(ValueError, match="Tertiary"):
        st.upgrading_indices(pd.DataFrame({"Primary": [1.0], "Secondary": [1.0]}))


def test_national_sum_labels_and_counts(tiny_va):
    nat = st.national_sum(tiny_va, st.POST)
    assert set(nat["area"]) == {st.NATIONAL_LABEL}
    assert list(nat["n_provinces"]) == [2, 2]
    row = nat.set_index("year").loc[2020]
    assert (row["Primary"], row["Secondary"], row["Tertiary"]) == (4, 3, 3)


# ---------------------------------------------------------------------------------------------------
# edge cases
# ---------------------------------------------------------------------------------------------------


def test_year_outside_vintage_is_an_edge_case(tiny_va):
    with pytest.raises(edge_case()) as err:
        st.sector_shares(tiny_va, st.PRE, 2020)
    msg = str(err.value)
    assert "2018-2019" in msg and "2020" in msg and "revised" in msg
    with pytest.raises(edge_case(), match="No vintage"):
        st.sector_shares(tiny_va, st.POST, 2030)


def test_nine_sectors_blank_transport_is_an_edge_case(tiny_va):
    with pytest.raises(edge_case(), match="Transport"):
        st.sector_shares(tiny_va, st.PRE, 2018, detail="nine")


def test_bad_arguments_raise_value_errors(tiny_va):
    with pytest.raises(ValueError, match="unknown vintage"):
        st.sector_shares(tiny_va, "2019 vintage")
    with pytest.raises(ValueError, match="unknown detail"):
        st.sector_shares(tiny_va, st.PRE, detail="four")


# ---------------------------------------------------------------------------------------------------
# high tech, location quotients, R&D intensity
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_hightech():
    ht = pd.DataFrame({
        "province_code": [100000, 1, 2, 3, 1, 2, 3],
        "province_en": ["China", "A", "B", "C", "A", "B", "C"],
        "nbs_region_en": ["National", "East", "East", "West", "East", "East", "West"],
        "year": [2020, 2020, 2020, 2020, 2021, 2021, 2021],
        "hightech_enterprises_n": [6, 1, 2, 3, 1, 2, 3],
        "hightech_revenue_100m_yuan": [60.0, 10.0, 20.0, 30.0, 1.0, 2.0, 3.0],
        "hightech_profit_100m_yuan": [6.0, 1.0, 2.0, 3.0, 0.1, 0.2, 0.3],
    })
    gdp = pd.DataFrame({
        "province_code": [1, 2, 3, 1, 2, 3, 1, 2, 3],
        "year": [2020, 2020, 2020, 2021, 2021, 2021, 2020, 2020, 2020],
        "gdp_100m_yuan": [100.0, 50.0, 300.0, 10.0, 10.0, 10.0, 999.0, 999.0, 999.0],
        "vintage": [st.PRE] * 6 + [st.POST] * 3,
    })
    return ht, gdp


def test_hightech_ratio_uses_pre_revision_gdp(tiny_hightech):
    ht, gdp = tiny_hightech
    out = st.hightech_ratio(ht, gdp, 2020).set_index("province_en")
    assert 100000 not in set(out["province_code"])
    assert out.loc["A", "revenue_to_gdp"] == pytest.approx(10 / 100)
    assert out.loc["B", "revenue_to_gdp"] == pytest.approx(20 / 50)
    assert out.loc["C", "revenue_to_gdp"] == pytest.approx(30 / 300)
    assert len(st.hightech_ratio(ht, gdp)) == 6
    with pytest.raises(edge_case(), match="2020-2021"):
        st.hightech_ratio(ht, gdp, 2024)


@pytest.fixture
def mirror_emp():
    # A = (10, 20, 30); B = (1, 0, 3) and C = (1, 4, 3) add up to (2, 4, 6), proportional to A,
    # so the national total (12, 24, 36) has A's mix.
    rows = []
    for code, values in [(1, (10, 20, 30)), (2, (1, 0, 3)), (3, (1, 4, 3))]:
        rows.append({"province_code": code, "sector_code_gbt4754": "TOTAL", "employment_10k": float(sum(values))})
        for sec, v in zip("ABC", values):
            rows.append({"province_code": code, "sector_code_gbt4754": sec, "employment_10k": float(v)})
    return pd.DataFrame(rows)


def test_location_quotient_of_a_mirror_province_is_one(mirror_emp):
    lq = st.location_quotients(mirror_emp)
    assert list(lq.columns) == ["A", "B", "C"]  # TOTAL left out
    assert np.allclose(lq.loc[1], 1.0)
    # B: shares (1/4, 0, 3/4) against national (1/6, 2/6, 3/6) -> (1.5, 0, 1.5)
    assert np.allclose(lq.loc[2], [1.5, 0.0, 1.5])
    # employment-weighted mean LQ of each sector is 1: sum_r e_r LQ_rj / E = sum_r e_rj / E_j = 1
    weights = st.employment_matrix(mirror_emp).sum(axis=1)
    assert np.allclose((lq.mul(weights, axis=0)).sum() / weights.sum(), 1.0)


def test_research_intensity_ranking():
    rd = pd.DataFrame({
        "industry_en": ["Total", "Mining", "Manufacturing", "Coal", "Drugs", "Steel"],
        "rd_expenditure_100m_yuan": [100.0, 10.0, 90.0, 10.0, 30.0, 60.0],
        "rd_intensity_pct_of_revenue": [1.5, 0.5, 1.6, 0.5, 4.0, 1.0],
        "level": ["total", "section", "section", "division", "division", "division"],
    })
    out = st.research_intensity(rd)
    assert list(out["industry_en"]) == ["Drugs", "Steel", "Coal"]
    assert list(out["above_total"]) == [True, False, False]
    assert out["relative_to_total"].iloc[0] == pytest.approx(4.0 / 1.5)
    assert out["rd_share"].iloc[1] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="total"):
        st.research_intensity(rd[rd["level"] != "total"])


# ---------------------------------------------------------------------------------------------------
# the profile
# ---------------------------------------------------------------------------------------------------


def tiny_lq():
    return pd.DataFrame({"A": [2.0, 0.5], "B": [1.0, 3.0], "C": [0.5, 1.0]}, index=pd.Index([1, 2]))


def test_province_profile_by_hand(tiny_va, tiny_hightech):
    ht = st.hightech_ratio(*tiny_hightech)
    p = st.province_profile(1, 2020, st.POST, va=tiny_va, lq=tiny_lq(), hightech=ht, top=2)
    # A 2020 revised: 1, 1, 2 of 4; national sum 4, 3, 3 of 10
    assert p.name == "A"
    assert list(p.shares["province"]) == pytest.approx([0.25, 0.25, 0.5])
    assert list(p.shares["national"]) == pytest.approx([0.4, 0.3, 0.3])
    assert p.indices.loc["province", "level"] == pytest.approx(0.25 + 0.5 + 1.5)
    assert p.indices.loc["national", "advancement"] == pytest.approx(1.0)
    assert list(p.top_lq["code"]) == ["A", "B"]
    assert list(p.top_lq["sector"]) == ["Agriculture", "Mining"]
    assert p.year == 2020 and p.vintage == st.POST

def test_province_profile_hightech_rank_and_median(tiny_va, tiny_hightech):
    ht = st.hightech_ratio(*tiny_hightech)
    p = st.province_profile(1, 2020, st.POST, va=tiny_va, lq=tiny_lq(), hightech=ht, top=1)
    # 2020 ratios: A 0.1, B 0.4, C 0.1 -> median 0.1; A ranks 2nd (only B is higher)
    assert p.hightech == {"ratio": pytest.approx(0.1), "median": pytest.approx(0.1), "rank": 2, "n": 3}
    p2 = st.province_profile(2, 2019, st.PRE, va=tiny_va, lq=tiny_lq(), hightech=ht)
    assert p2.hightech is None
    assert any("no data for 2019" in note for note in p2.notes)


def test_province_profile_edges(tiny_va, tiny_hightech):
    ht = st.hightech_ratio(*tiny_hightech)
    with pytest.raises(edge_case(), match="covers 2018-2019"):
        st.province_profile(1, 2020, st.PRE, va=tiny_va, lq=tiny_lq(), hightech=ht)
    with pytest.raises(edge_case(), match="Transport"):
        st.province_profile(1, 2018, st.PRE, va=tiny_va, lq=tiny_lq(), hightech=ht, detail="nine")
    with pytest.raises(ValueError, match="unknown province code 9"):
        st.province_profile(9, 2019, st.PRE, va=tiny_va, lq=tiny_lq(), hightech=ht)
    with pytest.raises(ValueError, match="top"):
        st.province_profile(1, 2019, st.PRE, va=tiny_va, lq=tiny_lq(), hightech=ht, top=0)


# ---------------------------------------------------------------------------------------------------
# the course data: properties the lesson relies on
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    import course

    va = course.load("province_value_added")
    gdp = course.load("province_gdp")
    hightech = course.load("province_hightech")
    emp = course.load("province_employment_by_sector_2024")
    return {
        "va": va,
        "gdp": gdp,
        "hightech": hightech,
        "emp": emp,
        "lq": st.location_quotients(emp),
        "ratios": st.hightech_ratio(hightech, gdp),
    }


def test_data_vintages_and_overlap(data):
    va = data["va"]
    assert st.vintage_years(va, st.PRE) == list(range(2013, 2020))
    assert st.vintage_years(va, st.POST) == list(range(2019, 2025))
    # three sectors add up to GRP within the source's rounding, in every row
    gap = va[list(st.THREE_SECTORS.values())].sum(axis=1) - va["gdp_100m_yuan"]
    assert gap.abs().max() <= 0.11
    # transport is blank exactly in the pre-revision vintage
    blank = va["va_transport_storage_post_100m_yuan"].isna()
    assert (blank == (va["vintage"] == st.PRE)).all()
    # 2019 differs between the vintages (the revision), so mixing them would matter
    nat_pre = st.national_sum(va, st.PRE).set_index("year").loc[2019]
    nat_post = st.national_sum(va, st.POST).set_index("year").loc[2019]
    assert nat_post["gdp_100m_yuan"] > nat_pre["gdp_100m_yuan"]
    assert (st.national_sum(va, st.POST)["n_provinces"] == 31).all()


def test_data_profile_shares_match_sector_shares(data):
    p = st.province_profile(440000, 2021, st.POST, va=data["va"], lq=data["lq"], hightech=data["ratios"])
    row = st.sector_shares(data["va"], st.POST, 2021).set_index("province_code").loc[440000]
    assert list(p.shares["province"]) == pytest.approx([row[k] for k in st.THREE_SECTORS])
    nat = st.national_sum(data["va"], st.POST).set_index("year").loc[2021, list(st.THREE_SECTORS)]
    assert list(p.shares["national"]) == pytest.approx(list(nat / nat.sum()))


def test_data_location_quotients(data):
    lq = data["lq"]
    assert lq.shape == (31, 19)
    # the specialisations the lesson discusses (reference-data README: computed against the 31-province sum)
    assert lq["B"].idxmax() == 140000 and lq.loc[140000, "B"] == pytest.approx(10.1, abs=0.05)  # mining, Shanxi
    assert lq["I"].idxmax() == 110000 and lq.loc[110000, "I"] == pytest.approx(3.95, abs=0.01)  # ICT, Beijing
    assert list(lq["C"].nlargest(2).index) == [440000, 320000]  # manufacturing: Guangdong, Jiangsu
    # employment-weighted mean of every column is 1 (a property of the LQ)
    weights = st.employment_matrix(data["emp"]).sum(axis=1)
    assert np.allclose(lq.mul(weights, axis=0).sum() / weights.sum(), 1.0)


def test_data_hightech_ratio(data):
    r = data["ratios"]
    assert set(r["year"]) == set(range(2018, 2024))
    assert r["gdp_100m_yuan"].notna().all() and len(r) == 31 * 6
    # the 31 provinces add up to the yearbook's national row (within rounding)
    ht = data["hightech"]
    nat = ht[ht["province_code"] == 100000].set_index("year")["hightech_revenue_100m_yuan"]
    assert (r.groupby("year")["hightech_revenue_100m_yuan"].sum() - nat).abs().max() <= 2


# ---------------------------------------------------------------------------------------------------
# the widget
# ---------------------------------------------------------------------------------------------------


def test_widget_controls_recompute_and_edges(data):
    ex = st.profile_explorer(data["va"], data["lq"], data["ratios"], code=140000, year=2023, vintage=st.POST)
    assert ex.error is None and ex.message is None
    assert ex.result.name == "Shanxi" and ex.result.top_lq["code"].iloc[0] == "B"
    assert "<img" in ex.html and "Mining" in ex.html

    ex.controls["code"].value = 440000
    p = ex.result
    assert p.name == "Guangdong" and p.year == 2023
    expected = data["ratios"].query("year == 2023").set_index("province_code")["revenue_to_gdp"]
    assert p.hightech["ratio"] == pytest.approx(expected[440000])
    assert p.hightech["median"] == pytest.approx(expected.median())
    assert p.hightech["rank"] == 1  # highest revenue / GRP of the 31

    ex.controls["detail"].value = "nine"
    assert list(ex.result.shares.index) == list(st.NINE_SECTORS)
    assert ex.result.shares["province"].sum() == pytest.approx(1.0)

    ex.controls["year"].value = 2024  # no high-tech data: a note, not an error
    assert ex.result.hightech is None and "no data for 2024" in ex.html

    ex.controls["vintage"].value = st.PRE  # 2024 is not in the pre-revision vintage
    assert ex.result is None and ex.error is None
    assert "covers 2013-2019" in ex.message and "revised" in ex.message
    assert "course-edgecase" in ex.html

    ex.controls["year"].value = 2016  # nine sectors: transport is blank before 2019
    assert ex.result is None and "Transport" in ex.message

    ex.controls["detail"].value = "three"
    assert ex.message is None and ex.result.vintage == st.PRE and ex.result.year == 2016
    assert ex.result.hightech is None


# ---------------------------------------------------------------------------------------------------
# the quiz answers (digests in the notebook), recomputed
# ---------------------------------------------------------------------------------------------------

QUIZ_DIGESTS = {"q1": "b31a85dd8cf23b32", "q2": "69663dba97febdde", "q3": "0b66d87a0df8312a"}


def test_quiz_answers(data):
    from course import quiz

    level = st.upgrading_indices(pd.DataFrame({"Primary": [12.0], "Secondary": [45.0], "Tertiary": [43.0]}))
    assert quiz.digest(float(level["level"].iloc[0]), 2) == QUIZ_DIGESTS["q1"]  # 0.12 + 0.90 + 1.29 = 2.31
    assert quiz.digest(2.31, 2) == QUIZ_DIGESTS["q1"]

    # Jiangsu's advancement VA3/VA2 in 2024 (revised), as the widget reports it
    p = st.province_profile(320000, 2024, st.POST, va=data["va"], lq=data["lq"], hightech=data["ratios"])
    shares = st.sector_shares(data["va"], st.POST, 2024).set_index("province_code").loc[320000]
    assert p.indices.loc["province", "advancement"] == pytest.approx(shares["Tertiary"] / shares["Secondary"])
    assert quiz.digest(p.indices.loc["province", "advancement"], 2) == QUIZ_DIGESTS["q2"]

    # 2013 is only in the pre-revision vintage, so both years must come from it
    assert 2013 in st.vintage_years(data["va"], st.PRE) and 2013 not in st.vintage_years(data["va"], st.POST)
    assert quiz.digest("the pre-revision vintage for both years") == QUIZ_DIGESTS["q3"]


def test_notebook_questions_use_these_digests():
    import json
    from pathlib import Path

    nb = Path(__file__).resolve().parent.parent / "notebooks" / "14_modern_industrial_system.ipynb"
    source = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"])
    for digest in QUIZ_DIGESTS.values():
        assert f'answer="{digest}"' in source


def test_doctests_pass():
    import doctest

    result = doctest.testmod(st, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 1


# --------------------------------------------------------------------------- product location quotients (S2.3)
def test_output_location_quotients_by_hand_and_blank_means_not_published():
    out = pd.DataFrame({"province_code": [1, 2, 3, 1, 2, 3], "year": [2020] * 3 + [2021] * 3,
                        "x": [6.0, 2.0, np.nan, 1.0, 1.0, 2.0]})
    g = pd.DataFrame({"province_code": [1, 2, 3] * 2, "year": [2020] * 3 + [2021] * 3, "vintage": st.PRE,
                      "gdp_100m_yuan": [10.0, 30.0, 60.0, 25.0, 25.0, 50.0]})
    lq = st.output_location_quotients(out, g, "x").set_index(["year", "province_code"])
    # 2020: province 3 unpublished -> left out; output shares 3/4, 1/4; GRP shares 1/4, 3/4
    assert lq.loc[(2020, 1), "lq"] == pytest.approx(3.0) and lq.loc[(2020, 2), "lq"] == pytest.approx(1 / 3)
    assert (2020, 3) not in lq.index and lq.loc[(2020, 1), "reporting"] == 2
    # 2021: output mirrors GRP -> every LQ is 1
    assert np.allclose(lq.loc[2021, "lq"], 1.0)
    with pytest.raises(ValueError, match="no column"):
        st.output_location_quotients(out, g, "y")


def test_output_location_quotients_real_steel():
    import course

    steel = course.load("province_output_steel_cement")
    gdp = course.load("province_gdp")
    lq = st.output_location_quotients(steel, gdp, "crude_steel_10k_tonnes")
    for year, part in lq.groupby("year"):
        assert len(part) == steel[(steel["year"] == year)]["crude_steel_10k_tonnes"].notna().sum()
        assert (part["share_of_grp"] * part["lq"]).sum() == pytest.approx(1.0)   # GRP-weighted mean LQ is 1
    y2020 = lq[lq["year"] == 2020].set_index("province_code")
    assert y2020["lq"].idxmax() == 130000                                  # Hebei: the steel province
    assert 110000 not in y2020.index                                       # Beijing: not published
