"""course.i18n: the language switch, templates filled like f-strings, and the Chinese edition's widgets.

Expected values are written out by hand (what the f-string would print, what the catalogue says).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from course import glossary, i18n, plots, quiz, tour
from course.widgets import EdgeCase, edgecase_html


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


# ------------------------------------------------------------------------------ templates
def test_template_is_filled_like_the_f_string():
    x, items, d = 3.14159, ["a", "b"], {"k": -2.5}
    cases = [
        ("x = {x:.2f}", f"x = {x:.2f}"),
        ("{', '.join(items)}!", f"{', '.join(items)}!"),
        ("{d['k']:+.1f} and {{braces}}", f"{d['k']:+.1f} and {{braces}}"),
        ("{x!r:>10}", f"{x!r:>10}"),
        ("{x != 1} {len(items) * 2}", f"{x != 1} {len(items) * 2}"),
        ("{x:{'>'}{8}.1f}", f"{x:{'>'}{8}.1f}"),
        ("{', '.join(f'{k}={v}' for k, v in d.items())}", f"{', '.join(f'{k}={v}' for k, v in d.items())}"),
        ("{'}'}", f"{'}'}"),
        ("line\nbreak {x:.0f}", "line\nbreak 3"),
    ]
    for template, expected in cases:
        assert i18n.t(template) == expected, template


def test_template_sees_the_variables_of_a_comprehension_and_a_function():
    def inner(value):
        return i18n.t("value {value}")

    assert inner(7) == "value 7"
    assert [i18n.t("n={n}") for n in range(2)] == ["n=0", "n=1"]


@pytest.mark.parametrize("bad", ["{", "}", "{}", "{x:.2f", "{1 +}"])
def test_a_broken_template_raises_a_translation_error(bad):
    x = 1  # noqa: F841 - used by the templates
    with pytest.raises(i18n.TranslationError):
        i18n.t(bad)


def test_an_unknown_name_names_the_field():
    with pytest.raises(i18n.TranslationError, match="no_such_name"):
        i18n.t("{no_such_name}")


def test_fields_lists_the_expressions():
    assert i18n.fields("{a:.2f} {b['x']!r} {{c}}") == ["a", "b['x']"]


# ------------------------------------------------------------------------------ the switch
def test_english_is_the_default_and_unknown_languages_are_refused():
    assert i18n.get_language() == "en"
    assert i18n._("Correct!") == "Correct!"
    with pytest.raises(ValueError, match="speaks en, zh"):
        i18n.set_language("fr")
    with pytest.raises(ValueError, match="no catalogue"):
        i18n.set_language("zh", lesson="99_no_such_lesson")


def test_chinese_uses_the_package_and_the_lesson_catalogues():
    i18n.set_language("zh", lesson="00_start_here")
    assert i18n._("Correct!") == "正确！"
    catalogue = range(35)  # noqa: F841 - read by the template
    assert i18n.t("{len(catalogue)} tables") == "共 35 张表"              # the lesson's entry
    assert i18n.t("Not in any catalogue {1 + 1}") == "Not in any catalogue 2"  # falls back to English
    assert i18n.province("Guangdong") == "广东" and i18n.province(110000) == "北京"
    i18n.set_language("en")
    assert i18n.t("{len(catalogue)} tables") == "35 tables"


def test_fonts_follow_the_language():
    i18n.set_language("zh")
    assert plt.rcParams["font.family"] == ["DejaVu Sans", "Noto Sans CJK SC"]
    i18n.set_language("en")
    assert plt.rcParams["font.family"] == ["sans-serif"]


# ------------------------------------------------------------------------------ what the student sees
def test_quiz_in_chinese_shows_translated_options_and_still_checks_the_english_answer():
    i18n.set_language("zh", lesson="11_high_quality_development")
    q = quiz.choice("China, 1978-2019: if you assume a higher capital share alpha, what happens to the TFP residual?",
                    options=["rises", "falls", "stays the same"], answer=quiz.digest("falls"), hint="Write it out.")
    assert [label for label, _ in q.input.options] == ["上升", "下降", "不变"]
    assert [value for _, value in q.input.options] == ["rises", "falls", "stays the same"]
    q.input.value = "falls"
    assert q.submit().message == "正确！"
    assert q.check("上升").message.startswith("还不对。")
    assert "中国，1978—2019 年" in q.widget.children[0].value
    n = quiz.numeric("?", answer=quiz.digest(0.25, 2), decimals=2, lo=0, hi=1)
    assert n.check(5).message.startswith("这超出了该数量的合理范围（0 到 1）")
    assert n.check("abc").message == "请输入一个普通的数，例如 1.23（你输入的是 'abc'）。"


def test_edge_notes_and_tour_in_chinese():
    i18n.set_language("zh")
    assert "<strong>提示：</strong>" in edgecase_html("x")
    table = tour.profile_table()
    with pytest.raises(EdgeCase, match="请选择一个省份"):
        tour.tour_view(table, None, "rd_intensity_pct")
    view = tour.tour_view(table, 110000, "rd_intensity_pct")
    assert view.name == "北京" and view.region == "东部"
    assert tour.tour_alt(view).startswith("31 个省份的方块地图，按研发投入强度（%）着色") and "北京" in tour.tour_alt(view)
    assert view.card.loc["rd_intensity_pct", "rank"] == "第 1 位（共 31 个）"
    ex = tour.make_explorer(table)
    assert ex.controls["province"].description == "省份"
    assert ex.controls["province"].options[0] == ("北京", 110000)        # NBS code order in Chinese


def test_glossary_in_chinese_has_every_term_explained_in_chinese():
    i18n.set_language("zh")
    text = glossary.entries()
    assert text.count("\n    ") >= len(glossary.GLOSSARY)
    untranslated = [t.zh for t in glossary.GLOSSARY if glossary.meaning(t) == t.meaning]
    assert not untranslated
    assert "新质生产力 (xīn zhì shēngchǎnlì) — new quality productive forces [P0]\n    以创新为主导" in text


def test_a_chinese_figure_renders_and_an_english_one_refuses_chinese():
    i18n.set_language("zh")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, -1])
    plots.finding_title(ax, "资本增长远快于产出，TFP 余值增幅最小")
    bundle = plots.figure_bundle(fig, alt="折线图")
    assert bundle["image/png"]
    i18n.set_language("en")
    with pytest.raises(ValueError, match="English only"):
        plots.figure_bundle(fig, alt="A line.")
    plt.close(fig)


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("where", ["major", "minor"])
def test_an_english_figure_refuses_chinese_tick_labels(fast, where):
    """Tick labels exist only once the figure is drawn: they are checked after the draw, also on a
    kept figure whose ticks an earlier draw made."""
    from matplotlib.ticker import FixedFormatter, FixedLocator

    i18n.set_language("en")
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, -1, 1])
    plots.finding_title(ax, "A title")
    assert plots.figure_bundle(fig, alt="A line.", fast=fast)["image/png"]    # English ticks: fine
    if where == "major":
        ax.set_xticks([0, 1, 2], ["east", "中部", "west"])
    else:
        ax.xaxis.set_minor_locator(FixedLocator([0.3]))
        ax.xaxis.set_minor_formatter(FixedFormatter(["中部"]))
    with pytest.raises(ValueError, match="English only.*中部"):
        plots.figure_bundle(fig, alt="A line.", fast=fast)
    plt.close(fig)


def test_a_glyph_no_font_has_fails_the_figure():
    i18n.set_language("zh")
    fig, ax = plt.subplots()
    plots.finding_title(ax, "Egyptian \U00013000 hieroglyph")       # in neither DejaVu Sans nor Noto CJK
    with pytest.raises(ValueError, match="no installed font can draw"):
        plots.figure_bundle(fig, alt="A test figure.")
    plt.close(fig)


def test_chinese_titles_wrap_between_characters():
    lines = plots.wrap_text("中国：TFP 在 2002—2011 年贡献了增长的 30%，在 2012—2019 年为 -9%", 24)
    assert len(lines) > 1 and all(len(line) <= 24 for line in lines)
    assert "".join(lines).replace(" ", "") == "中国：TFP在2002—2011年贡献了增长的30%，在2012—2019年为-9%"
    assert not any(line.startswith(("，", "。", "）")) for line in lines)


def test_growth_widget_in_chinese():
    import course
    from course import growth

    i18n.set_language("zh")
    ex = growth.make_explorer(course.load("pwt_china"), course.load("pwt_peers"))
    assert ex.controls["share"].options == (("PWT 劳动份额", "pwt"), ("滑块", "slider"))
    ex.set(period=(2019, 2019))
    assert ex.message.startswith("结束年份（2019）必须晚于起始年份（2019）")
    ex.set(period=(1978, 2019))
    assert ex.error is None and ex.alt_text.startswith("条形图：中国 1978—2019 年的增长核算")
    assert not math.isnan(ex.result.tfp_share)
    frame = pd.DataFrame({"year": [2000, 2001]})
    with pytest.raises(EdgeCase, match="这张表没有"):
        growth.growth_accounting(frame.assign(countrycode="CHN"), 2000, 2001)
