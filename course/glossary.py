"""The course's bilingual glossary: the paper's Chinese key terms with English equivalents.

Lessons put the Chinese term beside the English on first use; this list is where both are kept
together, with a short explanation in the course's words and the paper section where the term
matters most. ``python -m course.glossary`` prints it.

Examples
--------
>>> lookup("因地制宜").en
'according to local conditions'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Term", "GLOSSARY", "lookup", "table", "main"]


@dataclass(frozen=True)
class Term:
    zh: str
    pinyin: str
    en: str
    meaning: str
    section: str


GLOSSARY: tuple[Term, ...] = tuple(Term(*row) for row in [
    ("新质生产力", "xīn zhì shēngchǎnlì", "new quality productive forces",
     "Productive capacity in which innovation leads: high technology, high efficiency and high quality, rather than growth from piling up more inputs.", "P0"),
    ("因地制宜", "yīn dì zhì yí", "according to local conditions",
     "Choosing what to build from a place's own endowments and strengths instead of copying one model everywhere.", "P0"),
    ("全要素生产率", "quán yàosù shēngchǎnlǜ", "total factor productivity (TFP)",
     "Output growth not explained by more capital, labour or skills; the usual measure of efficiency and technology.", "N1"),
    ("劳动者", "láodòngzhě", "workers", "The people who produce: their skills and knowledge.", "P0"),
    ("劳动资料", "láodòng zīliào", "means of labour", "Tools, machines, infrastructure and, now, digital equipment.", "P0"),
    ("劳动对象", "láodòng duìxiàng", "objects of labour", "What work acts on: materials, land, energy and, now, data.", "P0"),
    ("高质量发展", "gāo zhìliàng fāzhǎn", "high-quality development",
     "Growth judged by efficiency, balance and sustainability, not only by speed.", "N1"),
    ("中国式现代化", "Zhōngguó shì xiàndàihuà", "Chinese modernization",
     "The official term for China's path to a modern economy and society, including regional balance and green development.", "N2"),
    ("现代化产业体系", "xiàndàihuà chǎnyè tǐxì", "modern industrial system",
     "An industrial structure that upgrades traditional industries and grows emerging and future ones.", "N4"),
    ("新发展理念", "xīn fāzhǎn lǐniàn", "new development philosophy",
     "Five guiding concepts: innovation, coordination, green, openness and sharing.", "N5"),
    ("创新", "chuàngxīn", "innovation", "The first of the five concepts.", "N5"),
    ("协调", "xiétiáo", "coordination", "Balance between regions, urban and rural areas, and sectors.", "N5"),
    ("绿色", "lǜsè", "green", "Less energy and pollution per unit of output.", "N5"),
    ("开放", "kāifàng", "openness", "Trade, investment and exchange with the rest of the world.", "N5"),
    ("共享", "gòngxiǎng", "sharing", "Development whose gains reach all residents.", "N5"),
    ("实事求是", "shí shì qiú shì", "seeking truth from facts", "Start from measured reality, not from slogans or wishes.", "S1.1"),
    ("具体问题具体分析", "jùtǐ wèntí jùtǐ fēnxī", "specific analysis of specific problems",
     "Each case is analysed on its own facts.", "S1.2"),
    ("精准施策", "jīngzhǔn shī cè", "precise policy", "Targeted measures that are monitored and evaluated.", "S1.3"),
    ("资源禀赋", "zīyuán bǐngfù", "resource endowment", "What a region starts with: resources, people, industry, institutions.", "S2.1"),
    ("比较优势", "bǐjiào yōushì", "comparative advantage",
     "Doing what one does relatively best, so that specialisation and exchange raise joint output.", "S3.3"),
    ("产能过剩", "chǎnnéng guòshèng", "overcapacity", "More capacity than demand can use; low capacity utilization.", "S4"),
    ("一哄而上", "yì hōng ér shàng", "rushing in all at once", "Many regions entering the same fashionable industry at the same time.", "S4"),
    ("先立后破", "xiān lì hòu pò", "build the new before discarding the old",
     "Keep traditional industries going until new ones can carry the load.", "S3.1"),
    ("数据要素", "shùjù yàosù", "data as a factor of production", "Data treated like labour or capital: an input that can be supplied, priced and traded.", "F2"),
    ("战略性新兴产业", "zhànlüè xìng xīnxīng chǎnyè", "strategic emerging industries",
     "Sectors such as new energy, new materials, biotechnology and information technology that policy promotes.", "F1"),
    ("未来产业", "wèilái chǎnyè", "future industries", "Industries still at an early stage, such as quantum technology or humanoid robots.", "F1"),
    ("增长核算", "zēngzhǎng hésuàn", "growth accounting",
     "Splitting output growth into the parts due to capital, labour, skills and the residual (TFP).", "N1"),
    ("索洛余值", "Suǒluò yúzhí", "Solow residual", "The part of output growth left after the inputs' contributions: measured TFP growth.", "N1"),
    ("区域协调发展", "qūyù xiétiáo fāzhǎn", "coordinated regional development",
     "Narrowing the gaps between regions while each develops its own strengths.", "N2"),
    ("绿色转型", "lǜsè zhuǎnxíng", "green transition", "Shifting production and energy use towards low-carbon, low-pollution ways.", "N2"),
    ("新一轮科技革命和产业变革", "xīn yì lún kējì gémìng hé chǎnyè biàngé", "new round of technological revolution and industrial transformation",
     "The wave of technologies (AI, new energy, biotechnology) that is reshaping industries worldwide.", "N3"),
    ("新赛道", "xīn sàidào", "new tracks (new fields of competition)", "Emerging fields where no country has yet locked in a lead.", "N3"),
    ("企业创新主体", "qǐyè chuàngxīn zhǔtǐ", "firms as the main innovators", "The policy aim that enterprises, not only institutes, lead R&D.", "F1.3"),
    ("产业升级", "chǎnyè shēngjí", "industrial upgrading", "Moving towards higher-value, more technology-intensive activities.", "N4"),
    ("研发强度", "yánfā qiángdù", "R&D intensity", "R&D spending divided by GDP (or revenue), in per cent.", "N3"),
    ("地区生产总值", "dìqū shēngchǎn zǒngzhí", "gross regional product (GRP)", "A province's GDP.", "N2"),
    ("第一、二、三产业", "dì yī, èr, sān chǎnyè", "primary, secondary, tertiary industry",
     "Agriculture; industry and construction; services.", "N4"),
    ("增加值", "zēngjiāzhí", "value added", "Output minus intermediate inputs; the pieces that add up to GDP.", "N4"),
    ("东部、中部、西部、东北", "dōngbù, zhōngbù, xībù, dōngběi", "East, Central, West, Northeast",
     "The four region groups the National Bureau of Statistics uses.", "N2"),
    ("基尼系数", "jīní xìshù", "Gini coefficient", "Inequality from 0 (equal) to 1 (one unit has everything).", "N2"),
    ("泰尔指数", "tài'ěr zhǐshù", "Theil index", "An inequality index that splits exactly into between-group and within-group parts.", "N2"),
    ("变异系数", "biànyì xìshù", "coefficient of variation", "Standard deviation divided by the mean.", "N2"),
    ("区位商", "qūwèi shāng", "location quotient", "A sector's share in a region divided by its share in the nation; above 1 means specialised.", "N4"),
    ("熵值法", "shāng zhí fǎ", "entropy weight method", "Weights indicators by how much they vary across units.", "N5"),
    ("全国经济普查", "quánguó jīngjì pǔchá", "national economic census", "The five-yearly census after which NBS revises GDP.", "S1.1"),
    ("统计公报", "tǒngjì gōngbào", "statistical bulletin", "The official annual release of statistics.", "S1.1"),
    ("京津冀", "Jīng-Jīn-Jì", "Beijing-Tianjin-Hebei", "The capital region, the paper's case of local versus overall interest.", "S3.3"),
    ("招才引智", "zhāo cái yǐn zhì", "attracting talent and expertise", "Policies to bring skilled people to a region.", "F5"),
    # --- lessons 33 (deepening reform, F3) and 34 (finance, F4) ---
    ("全面深化改革", "quánmiàn shēnhuà gǎigé", "comprehensively deepening reform",
     "Reform of the economic, scientific and administrative systems together; the heading of section 四(三).", "F3"),
    ("堵点", "dǔdiǎn", "bottleneck (blocked point)",
     "A point where rules or institutions stop resources, research results or goods from flowing.", "F3"),
    ("科技体制改革", "kējì tǐzhì gǎigé", "reform of the science and technology system",
     "Changing how research is organised, approved, funded and evaluated.", "F3.1"),
    ("科技成果转化", "kējì chéngguǒ zhuǎnhuà", "transfer of research results (commercialisation)",
     "Turning research results into products, processes and services that are used.", "F3.1"),
    ("科技成果评价机制", "kējì chéngguǒ píngjià jīzhì", "evaluation system for research results",
     "The indicators and weights by which research is judged and rewarded; what it counts steers what researchers do.", "F3.1"),
    ("技术转化率", "jìshù zhuǎnhuàlǜ", "technology transfer rate",
     "The share of research results that are actually put to use; not published by province.", "F3.1"),
    ("有效市场与有为政府", "yǒuxiào shìchǎng yǔ yǒuwéi zhèngfǔ", "efficient market and capable government",
     "Markets allocate most resources; government acts where markets fall short, such as slow and costly research.", "F3.2"),
    ("知识溢出", "zhīshi yìchū", "knowledge spillover",
     "Benefits of research that reach people and regions who did not pay for it.", "F3.2"),
    ("外部性", "wàibùxìng", "externality",
     "An effect of one party's action on others that no price accounts for.", "F3.2"),
    ("庇古补贴", "Bìgǔ bǔtiē", "Pigouvian subsidy",
     "A subsidy equal to the outside benefit of an activity, so that the private choice matches the social optimum.", "F3.2"),
    ("对外开放", "duìwài kāifàng", "opening up",
     "Trade, investment and the exchange of people and technology with other countries.", "F3.3"),
    ("贸易便利化", "màoyì biànlìhuà", "trade facilitation",
     "Making trade cheaper and faster: lower barriers, simpler customs, lower logistics costs.", "F3.3"),
    ("金融供给", "jīnróng gōngjǐ", "financial supply",
     "The loans, equity and other financial services available to firms.", "F4"),
    ("融资压力", "róngzī yālì", "financing pressure",
     "How hard and how costly it is for firms to raise money.", "F4"),
    ("差异化金融服务", "chāyìhuà jīnróng fúwù", "differentiated financial services",
     "Loans and other services designed and priced for each firm's risk and needs, not one product for all.", "F4.1"),
    ("风险分担机制", "fēngxiǎn fēndān jīzhì", "risk-sharing mechanism",
     "An arrangement in which a guarantor or fund bears part of a lender's losses.", "F4.1"),
    ("融资担保", "róngzī dānbǎo", "financing guarantee",
     "A promise by a third party to cover part of a loan's loss if the borrower defaults.", "F4.1"),
    ("违约概率", "wéiyuē gàilǜ", "probability of default (PD)", "The chance that a borrower fails to repay within a year.", "F4.1"),
    ("违约损失率", "wéiyuē sǔnshīlǜ", "loss given default (LGD)",
     "The share of the amount owed that the lender loses when the borrower defaults.", "F4.1"),
    ("违约风险暴露", "wéiyuē fēngxiǎn bàolù", "exposure at default (EAD)", "The amount owed at the moment of default.", "F4.1"),
    ("预期损失", "yùqī sǔnshī", "expected loss", "PD x LGD x EAD: the average loss a lender prices into a loan.", "F4.1"),
    ("数字金融", "shùzì jīnróng", "digital finance",
     "Financial services delivered through digital technology: mobile payment, online lending, insurance and funds.", "F4.2"),
    ("数字普惠金融", "shùzì pǔhuì jīnróng", "digital financial inclusion",
     "Digital finance reaching people and small firms that banks served poorly; measured by the Peking University index.", "F4.2"),
    ("覆盖广度", "fùgài guǎngdù", "coverage breadth",
     "Sub-index of the Peking University index: how many people hold digital-finance accounts.", "F4.2"),
    ("使用深度", "shǐyòng shēndù", "usage depth",
     "Sub-index: how much the accounts are used for payment, credit, insurance and investment.", "F4.2"),
    ("数字化程度", "shùzìhuà chéngdù", "digitization level",
     "Sub-index: how mobile, cheap and convenient digital financial services are.", "F4.2"),
    ("信息不对称", "xìnxī bú duìchèn", "information asymmetry",
     "A borrower knows more about its own risk than the lender; screening with data narrows the gap.", "F4.2"),
    ("非预期损失", "fēi yùqī sǔnshī", "unexpected loss",
     "Loss beyond the expected loss in a bad year, which capital has to absorb.", "F4.3"),
    ("资本缓冲", "zīběn huǎnchōng", "capital buffer", "Equity a bank holds to absorb unexpected losses.", "F4.3"),
    ("审慎监管", "shěnshèn jiānguǎn", "prudential regulation",
     "Rules that keep financial institutions able to bear their losses.", "F4.3"),
    ("监管科技", "jiānguǎn kējì", "regulatory technology (regtech)",
     "Data and AI tools that supervisors use to watch financial risk.", "F4.3"),
])


def lookup(term: str) -> Term:
    """Find a term by its Chinese or English form (KeyError with a suggestion if absent)."""
    key = term.strip().lower()
    for t in GLOSSARY:
        if key in (t.zh, t.en.lower()):
            return t
    raise KeyError(f"{term!r} is not in the glossary; see course.glossary.table()")


def table() -> pd.DataFrame:
    """The glossary as a table (Chinese, pinyin, English, meaning, paper section)."""
    return pd.DataFrame([t.__dict__ for t in GLOSSARY])[["zh", "pinyin", "en", "meaning", "section"]]


def main() -> None:
    with pd.option_context("display.max_colwidth", 70, "display.width", 200, "display.max_rows", None):
        print(table().to_string(index=False))


if __name__ == "__main__":
    main()
