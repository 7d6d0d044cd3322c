"""The paper map and the registry of what the course teaches and grades.

``PAPER_MAP`` lists the 42 canonical section ids of Zhang & Ma (2024) with their Chinese headings
and short English titles. ``LESSONS`` and ``EXERCISES`` say which notebook covers which ids.
:func:`coverage` joins them into one table; ``python -m course.syllabus`` (or the ``course-coverage``
command) prints it.

Examples
--------
>>> len(PAPER_MAP)
42
>>> title("N1")
'Driving force for high-quality development'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["Section", "Entry", "PAPER_MAP", "LESSONS", "EXERCISES", "ids", "title", "coverage", "main"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Section:
    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Entry:
    """A lesson or graded item: its file (relative to the repository), title and paper ids."""

    path: str
    title: str
    ids: tuple[str, ...]


PAPER_MAP: tuple[Section, ...] = tuple(
    Section(*row)
    for row in [
        ("P0", "一、问题提出", "Introduction: what new quality productive forces are, and why local conditions"),
        ("N1", "二(一) 为实现高质量发展提供强劲推动力", "Driving force for high-quality development"),
        ("N2", "二(二) 为推进中国式现代化注入新鲜活力", "Vitality for Chinese modernization"),
        ("N3", "二(三) 为培育国际竞争新优势把握新机遇", "New opportunities in international competition"),
        ("N4", "二(四) 为建设现代化产业体系提供坚实支撑", "Support for a modern industrial system"),
        ("N5", "二(五) 为全面贯彻新发展理念指明前进方向", "Direction for the new development philosophy"),
        ("S1", "三(一) 坚持实事求是的重要方法", "Seeking truth from facts"),
        ("S1.1", "1. 实事求是的根本原则", "The principle: start from reality"),
        ("S1.2", "2. 具体问题具体分析", "Specific analysis of specific problems"),
        ("S1.3", "3. 精准施策", "Precise policy, monitored and evaluated"),
        ("S2", "三(二) 立足中国国情的现实选择", "Grounded in national conditions"),
        ("S2.1", "1. 基于地域差异", "Regional differences"),
        ("S2.2", "2. 基于消费需求", "Consumer demand (urban/rural)"),
        ("S2.3", "3. 基于经济发展侧重点不一", "Different development priorities"),
        ("S3", "三(三) 统筹发展全局的前提条件", "Coordinating the whole"),
        ("S3.1", "1. 传统产业和新兴产业", "Traditional and emerging industries"),
        ("S3.2", "2. 产业升级和绿色转型", "Industrial upgrading and green transition"),
        ("S3.3", "3. 地方利益和整体效益", "Local interest and overall benefit"),
        ("S4", "三(四) 避免产能过剩的关键举措", "Avoiding overcapacity"),
        ("S4.1", "1. 深入市场调研和预测", "Market research and forecasting"),
        ("S4.2", "2. 重视绿色技术研发应用", "Green technology"),
        ("S4.3", "3. 拓展绿色消费市场", "Green consumption market"),
        ("F1", "四(一) 整合科技创新资源,研发通用底层技术", "Science and technology resources, foundational technology"),
        ("F1.1", "1. 坚持核心技术自主研发创新", "Independent R&D of core technologies"),
        ("F1.2", "2. 支持科技创新生态系统建设", "Innovation ecosystem and commercialization"),
        ("F1.3", "3. 强化企业科技创新主体地位", "Firms as main innovators; regional linkage"),
        ("F2", "四(二) 释放数据要素潜能,推进区域协同创新", "Data as a factor of production; regional collaboration"),
        ("F2.1", "1. 提升数据要素供给水平,维护数据隐私安全", "Data supply and privacy"),
        ("F2.2", "2. 鼓励数据要素互联互通", "Interconnection; breaking information barriers"),
        ("F2.3", "3. 攻克数据要素确权难题", "Data property rights and compliance"),
        ("F3", "四(三) 坚持全面深化改革,打通束缚发展堵点", "Deepening reform"),
        ("F3.1", "1. 深化科技体制改革", "Reform of the science and technology system; evaluation"),
        ("F3.2", "2. 发挥政府主导作用", "Government and market"),
        ("F3.3", "3. 加大对外开放力度", "Opening up"),
        ("F4", "四(四) 调整优化金融供给,减轻企业融资压力", "Financial supply and firms' financing"),
        ("F4.1", "1. 提供差异化金融服务", "Differentiated financial services"),
        ("F4.2", "2. 引入数字金融模式", "Digital finance"),
        ("F4.3", "3. 完善金融监管体系", "Regulation and risk control"),
        ("F5", "四(五) 完善招才引智体系,锻造人才中坚力量", "Talent"),
        ("F5.1", "1. 优化人才培养模式", "Talent cultivation"),
        ("F5.2", "2. 实施灵活人才政策", "Flexible talent policy and attraction"),
        ("F5.3", "3. 创新人才评价机制", "Talent evaluation"),
    ]
)

#: Lessons that exist, in reading order, with the paper ids each one teaches.
LESSONS: tuple[Entry, ...] = (
    Entry("notebooks/00_start_here.ipynb", "Start here", ("P0",)),
    Entry("notebooks/11_high_quality_development.ipynb", "High-quality development", ("N1",)),
    Entry("notebooks/12_modernization_regional_balance.ipynb", "Modernization and regional balance", ("N2",)),
    Entry("notebooks/13_international_competition.ipynb", "International competition", ("N3",)),
    Entry("notebooks/14_modern_industrial_system.ipynb", "Modern industrial system", ("N4",)),
    Entry("notebooks/15_new_development_philosophy.ipynb", "New development philosophy", ("N5",)),
    Entry("notebooks/21_seeking_truth_from_facts.ipynb", "Seeking truth from facts", ("S1", "S1.1", "S1.2", "S1.3")),
    Entry("notebooks/22_national_conditions.ipynb", "National conditions", ("S2", "S2.1", "S2.2", "S2.3")),
    Entry("notebooks/23_coordinating_the_whole.ipynb", "Coordinating the whole", ("S3", "S3.1", "S3.2", "S3.3")),
    Entry("notebooks/24_avoiding_overcapacity.ipynb", "Avoiding overcapacity", ("S4", "S4.1", "S4.2", "S4.3")),
    Entry("notebooks/31_science_and_technology_resources.ipynb", "Science and technology resources",
          ("F1", "F1.1", "F1.2", "F1.3")),
    Entry("notebooks/32_data_as_a_factor.ipynb", "Data as a factor of production", ("F2", "F2.1", "F2.2", "F2.3")),
    Entry("notebooks/33_deepening_reform.ipynb", "Deepening reform", ("F3", "F3.1", "F3.2", "F3.3")),
    Entry("notebooks/34_finance.ipynb", "Finance", ("F4", "F4.1", "F4.2", "F4.3")),
    Entry("notebooks/35_talent.ipynb", "Talent", ("F5", "F5.1", "F5.2", "F5.3")),
    # The capstone draws on every part; it lists the ids whose claims or measures it really uses.
    Entry("notebooks/40_capstone_nqpf_index.ipynb", "Capstone: a provincial NQPF index, its robustness, one province's path",
          ("P0", "N2", "N4", "N5", "S1.2", "S1.3", "S2.1", "S2.3", "F1", "F2", "F3.1", "F4.2", "F5")),
)

#: Graded items (problem-set questions) with the paper ids each one exercises.
EXERCISES: tuple[Entry, ...] = (
    Entry("exercises/source/ps1/ps1.ipynb#q0_spread_test", "PS1 q0: ratio of highest to lowest GDP per capita", ("P0",)),
    Entry("exercises/source/ps1/ps1.ipynb#q1_tfp_test", "PS1 q1: growth-accounting TFP residual", ("N1",)),
    Entry("exercises/source/ps1/ps1.ipynb#q2_between_share_test", "PS1 q2: Theil between-region share", ("N2",)),
    Entry("exercises/source/ps1/ps1.ipynb#q3_years_test", "PS1 q3: years for R&D intensity to catch up", ("N3",)),
    Entry("exercises/source/ps1/ps1.ipynb#q4_lq_test", "PS1 q4: location quotient", ("N4",)),
    Entry("exercises/source/ps1/ps1.ipynb#q5_score_test", "PS1 q5: normalised dashboard score", ("N5",)),
    Entry("exercises/source/ps1/ps1.ipynb#q6_cagr_test", "PS1 q6: compound annual growth function", ("N1", "N3")),
    Entry("exercises/source/ps1/ps1.ipynb#w1_written", "PS1 w1: written answer on local conditions",
          ("N1", "N2", "N3", "N4", "N5")),
    Entry("exercises/source/ps2/ps2.ipynb#q1_grp_revision_test", "PS2 q1: GRP behind a first-published R&D intensity",
          ("S1.1",)),
    Entry("exercises/source/ps2/ps2.ipynb#q2_years_test", "PS2 q2: years to a target at the province's own trend",
          ("S1.2", "S1.3")),
    Entry("exercises/source/ps2/ps2.ipynb#q3_nearest_test", "PS2 q3: distance to the closest standardised profile",
          ("S2.1",)),
    Entry("exercises/source/ps2/ps2.ipynb#q4_ratio_test", "PS2 q4: projected urban/rural consumption ratio", ("S2.2",)),
    Entry("exercises/source/ps2/ps2.ipynb#q5_steel_lq_test", "PS2 q5: crude-steel location quotient", ("S2.3", "S3.1")),
    Entry("exercises/source/ps2/ps2.ipynb#q6_gain_test", "PS2 q6: gain from specialising (comparative advantage)",
          ("S3.3",)),
    Entry("exercises/source/ps2/ps2.ipynb#q7_utilisation_test", "PS2 q7: capacity utilisation in the tide model",
          ("S4", "S4.1")),
    Entry("exercises/source/ps2/ps2.ipynb#w1_written", "PS2 w1: written plan that fits the place, and the data's limits",
          ("S1", "S2", "S3", "S3.2", "S4", "S4.2", "S4.3")),
    Entry("exercises/source/ps3/ps3.ipynb#q0_concentration_test", "PS3 q0: top-k shares of R&D spending and basic research",
          ("F1", "F1.1", "F1.3")),
    Entry("exercises/source/ps3/ps3.ipynb#q1_inventions_test", "PS3 q1: invention patents per 1,000 researchers", ("F1.2",)),
    Entry("exercises/source/ps3/ps3.ipynb#q2_kanon_test", "PS3 q2: k-anonymity check (synthetic records)", ("F2", "F2.1")),
    Entry("exercises/source/ps3/ps3.ipynb#q3_pooling_test", "PS3 q3: how many regions to pool (model)", ("F2.2",)),
    Entry("exercises/source/ps3/ps3.ipynb#q4_reversals_test", "PS3 q4: rank reversals in research and talent evaluation",
          ("F3.1", "F5.3")),
    Entry("exercises/source/ps3/ps3.ipynb#q5_spillover_test", "PS3 q5: spillover and a Pigouvian subsidy (model)",
          ("F3", "F3.2")),
    Entry("exercises/source/ps3/ps3.ipynb#q6_finance_test", "PS3 q6: break-even rate, screening, capital buffer (models)",
          ("F4", "F4.1", "F4.2", "F4.3")),
    Entry("exercises/source/ps3/ps3.ipynb#q7_share_test", "PS3 q7: logit share of mobile talent (model)", ("F5", "F5.2")),
    Entry("exercises/source/ps3/ps3.ipynb#w1_written", "PS3 w1: a focus for one province, and what the data cannot show",
          ("F1", "F2", "F3", "F4", "F5", "F2.3", "F3.3", "F5.1")),
    # the graded capstone (lesson 40): one index per student, one province
    Entry("exercises/source/capstone/capstone.ipynb#q1_norm_test", "Capstone q1: min-max with a cost indicator", ("N5",)),
    Entry("exercises/source/capstone/capstone.ipynb#q2_weight_test", "Capstone q2: entropy weights", ("F3.1",)),
    Entry("exercises/source/capstone/capstone.ipynb#q3_closeness_test", "Capstone q3: TOPSIS score of a province",
          ("P0", "F1", "F2", "F4.2", "F5")),
    Entry("exercises/source/capstone/capstone.ipynb#q4_rank_test", "Capstone q4: rank by closeness", ("P0", "N2")),
    Entry("exercises/source/capstone/capstone.ipynb#q5_equal_test", "Capstone q5: rank under equal weights", ("F3.1",)),
    Entry("exercises/source/capstone/capstone.ipynb#q6_gap_share_test", "Capstone q6: gap to the ideal by element",
          ("S1.2", "S1.3")),
    Entry("exercises/source/capstone/capstone.ipynb#w1_recommendation",
          "Capstone w1: a recommendation according to local conditions",
          ("P0", "N2", "N4", "S1.2", "S1.3", "S2.1", "S2.3")),
)


def _short(path: str) -> str:
    """``notebooks/11_x.ipynb`` -> ``11_x``; ``exercises/.../ps1.ipynb#q1`` -> ``ps1#q1``."""
    file, _, item = path.partition("#")
    return Path(file).stem + (f"#{item}" if item else "")


def ids() -> list[str]:
    """All 42 section ids in paper order."""
    return [s.id for s in PAPER_MAP]


def title(section_id: str) -> str:
    """The short English title of a section id (KeyError with the valid ids if unknown)."""
    for s in PAPER_MAP:
        if s.id == section_id:
            return s.en
    raise KeyError(f"unknown paper section id {section_id!r}; valid ids: {', '.join(ids())}")


def coverage(lessons=LESSONS, exercises=EXERCISES) -> pd.DataFrame:
    """One row per paper id: which lessons teach it, which graded items exercise it, and a status.

    A parent id (``S1``) counts as taught when the parent itself or any of its sub-sections is
    taught. Status is ``taught and graded``, ``taught``, ``graded`` or ``not yet``.
    """
    known = set(ids())
    for entry in (*lessons, *exercises):
        for sid in entry.ids:
            if sid not in known:
                raise KeyError(f"{entry.path}: unknown paper section id {sid!r}")

    def who(entries, sid):
        names = [_short(e.path) for e in entries if any(x == sid or x.startswith(sid + ".") for x in e.ids)]
        return list(dict.fromkeys(names))

    rows = []
    for s in PAPER_MAP:
        taught, graded = who(lessons, s.id), who(exercises, s.id)
        status = (
            "taught and graded" if taught and graded else "taught" if taught else "graded" if graded else "not yet"
        )
        rows.append(
            {"id": s.id, "section": s.zh, "title": s.en, "lessons": ", ".join(taught),
             "graded items": ", ".join(graded), "status": status}
        )
    return pd.DataFrame(rows)


def main() -> None:
    """Print the coverage table (``python -m course.syllabus``)."""
    table = coverage()
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 40, "display.width", 160):
        print(table[["id", "title", "lessons", "graded items", "status"]].to_string(index=False))
    counts = table["status"].value_counts()
    print("\n" + ", ".join(f"{k}: {v}" for k, v in counts.items()) + f" (of {len(table)} ids)")


if __name__ == "__main__":
    main()
