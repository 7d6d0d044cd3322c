"""Lesson 00's province profile and picker: values from the tables, ranks, and the widget."""

import pandas as pd
import pytest

import course
from course import glossary, syllabus, tour
from course.widgets import EdgeCase


@pytest.fixture(scope="module")
def table():
    return tour.profile_table()


def test_profile_covers_the_31_provinces(table):
    assert len(table) == 31 and table.index.is_unique
    assert set(tour.INDICATORS) <= set(table.columns)


def test_profile_values_come_from_the_tables(table):
    # recompute two indicators for Beijing straight from the raw tables
    va = course.load("province_value_added")
    bj = va[(va.province_code == 110000) & (va.year == 2023) & (va.vintage == "post_5th_census_revision")].iloc[0]
    assert table.loc[110000, "tertiary_share_pct"] == pytest.approx(100 * bj.va_tertiary_100m_yuan / bj.gdp_100m_yuan)
    prof = course.load("province_profile_2023").set_index("province_code")
    assert table.loc[110000, "invention_patents_per_10k"] == pytest.approx(
        prof.loc[110000, "invention_patents_in_force"] / prof.loc[110000, "yearend_resident_population_10k"])


def test_card_ranks_are_consistent_with_sorting(table):
    for code in (110000, 520000, 650000):
        card = tour.province_card(table, code)
        for ind in tour.INDICATORS:
            values = table[ind].dropna()
            higher = int((values > values.loc[code]).sum())
            assert card.loc[ind, "rank"] == f"{higher + 1} of {len(values)}"
            assert card.loc[ind, "median"] == pytest.approx(values.median())


def test_card_for_unknown_province_explains(table):
    with pytest.raises(EdgeCase, match="no province with code 999999"):
        tour.province_card(table, 999999)


def test_missing_value_shows_no_data(table):
    t = table.copy()
    t.loc[540000, "rd_intensity_pct"] = float("nan")
    card = tour.province_card(t, 540000)
    assert card.loc["rd_intensity_pct", "rank"] == "no data"
    assert card.loc["gdp_per_capita_yuan", "rank"].endswith("of 31")


def test_picker_redraws_when_controls_change(table):
    ex = tour.make_explorer(table)
    assert ex.result.code == 440000 and "Guangdong" in ex.html
    first_html = ex.html
    ex.controls["province"].value = 520000
    assert ex.result.name == "Guizhou" and ex.error is None
    assert "Guizhou" in ex.html and ex.html != first_html
    ex.controls["indicator"].value = "rd_intensity_pct"
    assert ex.result.indicator == "rd_intensity_pct"
    assert ex.result.values.equals(table["rd_intensity_pct"].astype("float64"))
    assert 'alt="Tile map of the 31 provinces coloured by R&amp;D intensity' in ex.html


def test_picker_edge_cases_explain_themselves(table):
    with pytest.raises(EdgeCase, match="Pick a province"):
        tour.tour_view(table, None, "rd_intensity_pct")
    with pytest.raises(EdgeCase, match="listed indicators"):
        tour.tour_view(table, 110000, "nonsense")


def test_glossary_terms_are_unique_and_point_at_paper_ids():
    zh = [t.zh for t in glossary.GLOSSARY]
    assert len(zh) == len(set(zh))
    valid = set(syllabus.ids())
    for t in glossary.GLOSSARY:
        assert t.section in valid and t.en and t.meaning
    assert glossary.lookup("new quality productive forces").zh == "新质生产力"
    with pytest.raises(KeyError):
        glossary.lookup("not a term")


# Check questions: answered by hand in tests/lesson_answers.py, tested in tests/test_check_questions.py.
