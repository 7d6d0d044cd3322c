"""The course's bilingual glossary: the paper's Chinese key terms with English equivalents.

Lessons put the Chinese term beside the English on first use; this list is where both are kept
together, with a short explanation in the course's words and the paper section where the term
matters most. ``python -m course.glossary`` prints it; ``python -m course.glossary zh`` prints the
Chinese glossary (the explanations from the package catalogue ``course/locale/zh_CN/...``, where
each has the context ``glossary <term>``), which is what :func:`show` prints in the Chinese edition.

Examples
--------
>>> lookup("因地制宜").en
'according to local conditions'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import i18n

__all__ = ["Term", "GLOSSARY", "lookup", "table", "entries", "meaning", "show", "main"]


@dataclass(frozen=True)
class Term:
    zh: str
    pinyin: str
    en: str
    meaning: str
    section: str


GLOSSARY: tuple[Term, ...] = tuple(Term(*row) for row in [
    ("新质生产力", "xīn zhì shēngchǎnlì", "new quality productive forces",
     "Productive capacity in which innovation leads: high technology, high efficiency and high quality, rather than growth from piling up more inputs (abbreviated NQPF in the course; lesson 00).", "P0"),
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
    ("一哄而上", "yì hōng ér shàng", "rushing in all at once",
     "Many regions entering the same fashionable industry at the same time; the paper (三(二)) warns that it "
     "ends in bubbles (泡沫化).", "S2"),
    ("先立后破", "xiān lì hòu pò", "build the new before discarding the old",
     "Keep traditional industries going until new ones can carry the load; with 因地制宜 and 分类指导 one of the "
     "principles the paper (一) attributes to Xi Jinping's remarks of 5 March 2024.", "P0"),
    ("分类指导", "fēnlèi zhǐdǎo", "guidance by category",
     "Different guidance for different kinds of region and sector instead of one rule for all; the third of "
     "the principles named with 先立后破 and 因地制宜.", "P0"),
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
    # --- lesson 35 (talent, F5-F5.3) ---
    ("人才中坚力量", "réncái zhōngjiān lìliàng", "backbone of talent",
     "The skilled core of a workforce that carries innovation; the paper's heading for section 四(五).", "F5"),
    ("卓越工程师", "zhuóyuè gōngchéngshī", "excellent engineers",
     "Highly capable engineers trained at home, whom the paper (citing Xi Jinping) wants in large numbers.", "F5"),
    ("全时当量", "quánshí dāngliàng", "full-time equivalent (FTE)",
     "Work counted in person-years: someone spending half of the working year on R&D counts as 0.5.", "F5"),
    ("研究人员", "yánjiū rényuán", "researchers",
     "The professionals among R&D personnel who conceive and carry out research (not technicians or support staff).", "F5"),
    ("人才培养", "réncái péiyǎng", "talent cultivation", "Training people: schooling, higher education and training at work.", "F5.1"),
    ("创新素养", "chuàngxīn sùyǎng", "innovative qualities",
     "Innovative thinking, problem solving and teamwork, which the paper wants teaching to build.", "F5.1"),
    ("跨学科", "kuà xuékē", "interdisciplinary", "Drawing on several fields of study at once, in a course or a project.", "F5.1"),
    ("人才引进", "réncái yǐnjìn", "talent attraction",
     "Bringing skilled people into a region or country, e.g. with tax preferences, grants or housing support.", "F5.2"),
    ("人才住房扶持", "réncái zhùfáng fúchí", "housing support for talent",
     "Subsidised or guaranteed housing that local governments offer to attract skilled people.", "F5.2"),
    ("多项Logit模型", "duōxiàng Logit móxíng", "multinomial logit model",
     "A model of choice among several options: in its simplest form each option's share is exp(utility) divided by the sum of exp(utility) over all options.", "F5.2"),
    ("人才评价", "réncái píngjià", "talent evaluation",
     "How people's work is judged, for pay, promotion and grants; the paper calls it the baton that steers talent.", "F5.3"),
    ("单一指标", "dānyī zhǐbiāo", "single indicator",
     "Judging by one number (e.g. a count of papers or patents) instead of several criteria.", "F5.3"),
    # --- lessons 31 (四(一), F1) and 32 (四(二), F2) ------------------------------------------------------
    ("整合科技创新资源", "zhěnghé kējì chuàngxīn zīyuán", "integrating science and technology innovation resources",
     "Pooling the research money, people and facilities of several regions instead of each region working alone.", "F1"),
    ("通用底层技术", "tōngyòng dǐcéng jìshù", "general-purpose foundational technologies",
     "Technologies many industries build on, such as chips, industrial software and sensors.", "F1"),
    ("卡脖子", "qiǎ bózi", "chokepoint (\"stuck at the neck\") technologies",
     "Key technologies a country cannot make itself and can be cut off from.", "F1"),
    ("原始创新", "yuánshǐ chuàngxīn", "original innovation",
     "Innovation from new knowledge rather than from copying or improving existing technology.", "F1.1"),
    ("基础研究", "jīchǔ yánjiū", "basic research",
     "Research to understand, without a particular use in view; the first of the three kinds of R&D.", "F1.1"),
    ("应用研究", "yìngyòng yánjiū", "applied research", "Research aimed at a specific practical goal.", "F1.1"),
    ("试验发展", "shìyàn fāzhǎn", "experimental development",
     "Using knowledge to make new or better products and processes; most of China's R&D spending.", "F1.1"),
    ("科技成果转化", "kējì chéngguǒ zhuǎnhuà", "commercialisation of research results",
     "Turning research results into products, licences and services that are used.", "F1.2"),
    ("技术市场成交额", "jìshù shìchǎng chéngjiāo'é", "technology-market turnover",
     "Value of registered technology contracts (development, transfer, licensing, services), booked to the seller's province.", "F1.2"),
    ("R&D经费内部支出", "R&D jīngfèi nèibù zhīchū", "intramural R&D expenditure",
     "What the research units in a region spend on R&D they perform themselves; classified by activity and by source of funds.", "F1.3"),
    ("区域联动创新", "qūyù liándòng chuàngxīn", "regionally linked innovation",
     "Firms and research units of several regions innovating together, led by leading firms.", "F1.3"),
    ("互联互通", "hùlián hùtōng", "interconnection",
     "Linking the data of regions and departments so that they can be exchanged and used together.", "F2.2"),
    ("区域信息壁垒", "qūyù xìnxī bìlěi", "regional information barriers",
     "Obstacles that keep data in one region or department from being used in another.", "F2.2"),
    ("脱敏", "tuōmǐn", "data masking (de-sensitisation)",
     "Removing or disguising the parts of a record that identify a person or reveal sensitive facts.", "F2.1"),
    ("匿名化", "nìmínghuà", "anonymisation",
     "Processing data so that no record can be linked back to a person; k-anonymity is one test of it.", "F2.1"),
    ("准标识符", "zhǔn biāoshífú", "quasi-identifier",
     "An attribute such as age, place or income that does not name a person but can single them out in combination.", "F2.1"),
    ("数据确权", "shùjù quèquán", "establishing data property rights",
     "Settling who may hold, use and trade a body of data.", "F2.3"),
    ("数据产权分置", "shùjù chǎnquán fēnzhì", "separation of data property rights",
     "Splitting rights over data into holding, processing-and-use and product-operation rights (the 2022 data opinions).", "F2.3"),
    ("数据资源持有权", "shùjù zīyuán chíyǒu quán", "right to hold data resources",
     "The right of whoever lawfully collects or generates data to keep and manage it.", "F2.3"),
    ("数据加工使用权", "shùjù jiāgōng shǐyòng quán", "right to process and use data",
     "The right, granted by the holder or by law, to analyse and transform the data.", "F2.3"),
    ("数据产品经营权", "shùjù chǎnpǐn jīngyíng quán", "right to operate data products",
     "The right to sell or license products and services made from the data.", "F2.3"),
    # lessons 21 (S1) and 22 (S2)
    ("数据修订", "shùjù xiūdìng", "data revision",
     "A later correction of a published statistic; the course keeps both versions of R&D intensity and of GDP.", "S1.1"),
    ("一刀切", "yì dāo qiē", "one size fits all",
     "Applying the same rule or target everywhere, whatever the local differences.", "S1.2"),
    ("量力而行", "liàng lì ér xíng", "act within one's means",
     "Setting goals a region can reach from where it stands and at the pace it can sustain.", "S1.2"),
    ("监测评估机制", "jiāncè pínggū jīzhì", "monitoring and evaluation mechanism",
     "Tracking each region against its targets and judging the effect of policy, so that policy can be adjusted.", "S1.3"),
    ("国情", "guóqíng", "national conditions",
     "The basic facts of a country: its size, population, resources, level of development and regional differences.", "S2"),
    ("地域差异", "dìyù chāyì", "regional differences",
     "Differences between places in resources, development stage, industry and people.", "S2.1"),
    ("特色产业", "tèsè chǎnyè", "characteristic industries",
     "Industries built on what is particular to a place: its resources, skills or traditions.", "S2.1"),
    ("标准化", "biāozhǔnhuà", "standardisation (z-score)",
     "Subtracting the mean and dividing by the standard deviation, so that indicators in different units can be combined.", "S2.1"),
    ("聚类分析", "jùlèi fēnxī", "cluster analysis",
     "Grouping units so that members of a group are alike and the groups differ, e.g. by k-means or Ward's method.", "S2.1"),
    ("消费需求", "xiāofèi xūqiú", "consumer demand", "What households buy; the paper's market for new products.", "S2.2"),
    ("城乡差距", "chéngxiāng chājù", "urban-rural gap",
     "The difference between town and country, here in consumption per person (as a ratio or in yuan).", "S2.2"),
    ("新三样", "xīn sān yàng", "the \"new three\"",
     "New-energy vehicles, lithium-ion batteries and solar cells: the export products of the 2020s.", "S2.3"),
    ("低空经济", "dīkōng jīngjì", "low-altitude economy",
     "Activities using low airspace: drones, electric air taxis, their makers and services.", "S2.3"),
    # --- lessons 23 (S3, coordinating the whole) and 24 (S4, avoiding overcapacity) ---
    ("统筹兼顾", "tǒngchóu jiāngù", "planning for the whole with due regard for every part",
     "Holding several aims together in one plan instead of pursuing one at the expense of the others.", "S3"),
    ("战略定位", "zhànlüè dìngwèi", "strategic position", "The role a region takes in the national plan, chosen from its own strengths.", "S3"),
    ("传统产业", "chuántǒng chǎnyè", "traditional industries", "Long-established industries such as steel, cement, chemicals and textiles.", "S3.1"),
    ("新兴产业", "xīnxīng chǎnyè", "emerging industries", "Young, technology-intensive industries that policy expects to lead growth.", "S3.1"),
    ("改造升级", "gǎizào shēngjí", "transformation and upgrading",
     "Renewing an existing industry with new technology, processes and business models.", "S3.1"),
    ("循环经济", "xúnhuán jīngjì", "circular economy", "Production that reuses and recycles materials instead of discarding them.", "S3.2"),
    ("万元地区生产总值能耗", "wàn yuán dìqū shēngchǎn zǒngzhí nénghào", "energy intensity (energy use per 10,000 yuan of GRP)",
     "Energy used per unit of output; it falls when energy use grows more slowly than real output.", "S3.2"),
    ("地方利益", "dìfāng lìyì", "local interest", "What a single region gains or loses from a policy.", "S3.3"),
    ("整体效益", "zhěngtǐ xiàoyì", "overall benefit", "What the whole country or region group gains, added up over its parts.", "S3.3"),
    ("绝对优势", "juéduì yōushì", "absolute advantage", "Producing more of something per worker than another region does.", "S3.3"),
    ("机会成本", "jīhuì chéngběn", "opportunity cost", "What is given up to do something: the output the same workers would have made otherwise.", "S3.3"),
    ("自给自足", "zìjǐ zìzú", "autarky (self-sufficiency)", "Each region makes everything it uses and trades nothing.", "S3.3"),
    ("专业化分工", "zhuānyèhuà fēngōng", "specialisation (division of labour)",
     "Each region concentrating on what it has a comparative advantage in and exchanging for the rest.", "S3.3"),
    ("贸易条件", "màoyì tiáojiàn", "terms of trade", "The price of one good in units of another at which regions exchange them.", "S3.3"),
    ("潮涌现象", "cháoyǒng xiànxiàng", "tide phenomenon",
     "Many firms or regions investing in the same promising industry at the same time, ending in overcapacity (Lin Yifu).", "S4"),
    ("产能利用率", "chǎnnéng lìyònglǜ", "capacity utilisation",
     "Actual output as a share of production capacity; NBS surveys industrial enterprises every quarter.", "S4"),
    ("规模以上工业企业", "guīmó yǐshàng gōngyè qǐyè", "industrial enterprises above designated size",
     "Industrial firms with at least 20 million yuan of annual main-business revenue, the firms most NBS industrial statistics cover.", "S4"),
    ("绿色生产力", "lǜsè shēngchǎnlì", "green productive forces",
     "Productive capacity that saves resources and pollutes little; the paper says new quality productive forces are green productive forces.", "S4"),
    ("集中度", "jízhōngdù", "concentration", "How much of an industry's output the largest producers (here provinces) account for: top-k shares, the HHI.", "S4"),
    ("赫芬达尔-赫希曼指数", "hèfēndá'ěr-hèxīmàn zhǐshù", "Herfindahl-Hirschman index (HHI)",
     "The sum of squared output shares: 1/n when n producers are equal, 1 for a single producer.", "S4"),
    ("市场调研", "shìchǎng diàoyán", "market research", "Finding out what buyers want and what competitors are building before investing.", "S4.1"),
    ("绿色技术", "lǜsè jìshù", "green technology", "Technology aimed at less pollution, lower resource use and sustainable development.", "S4.2"),
    ("绿色消费", "lǜsè xiāofèi", "green consumption", "Buying and using goods in ways that save resources and protect the environment.", "S4.3"),
    ("绿色供应链", "lǜsè gōngyìngliàn", "green supply chain", "A supply chain made cleaner at every stage, from raw materials to sales.", "S4.3"),
    # --- lessons 33 (deepening reform, F3) and 34 (finance, F4) ---
    ("全面深化改革", "quánmiàn shēnhuà gǎigé", "comprehensively deepening reform",
     "Reform of the economic, scientific and administrative systems together; the heading of section 四(三).", "F3"),
    ("堵点", "dǔdiǎn", "bottleneck (blocked point)",
     "A point where rules or institutions stop resources, research results or goods from flowing.", "F3"),
    ("科技体制改革", "kējì tǐzhì gǎigé", "reform of the science and technology system",
     "Changing how research is organised, approved, funded and evaluated.", "F3.1"),
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
    # --- lesson 40 (the capstone): building and testing a provincial NQPF index; filed under P0, the
    # introduction's question of what NQPF are, which the literature answers with such indices ---
    ("指标体系", "zhǐbiāo tǐxì", "indicator system",
     "The indicators of a composite index, grouped into dimensions (一级指标) such as workers, means of labour "
     "and objects of labour.", "P0"),
    ("正向指标、负向指标", "zhèngxiàng zhǐbiāo, fùxiàng zhǐbiāo", "benefit and cost indicators",
     "Indicators for which more is better (正向, +) or less is better (负向, -); a cost indicator's scale is "
     "turned round before indicators are combined.", "P0"),
    ("极差标准化", "jíchā biāozhǔnhuà", "min-max normalisation",
     "Rescaling an indicator so that the best unit gets 1 and the worst 0; it keeps the distances between units.",
     "P0"),
    ("熵权法", "shāng quán fǎ", "entropy weighting",
     "The usual name of the entropy weight method (熵值法) in NQPF indices: an indicator's weight grows with how "
     "unevenly it is spread across units, not with how important it is.", "P0"),
    ("逼近理想解排序法", "bījìn lǐxiǎng jiě páixù fǎ", "TOPSIS",
     "Technique for Order Preference by Similarity to an Ideal Solution: each unit's distance to the best value "
     "on every indicator (D+) and to the worst (D-), combined as closeness D- / (D+ + D-), from 0 to 1.", "P0"),
    ("障碍度", "zhàng'ài dù", "obstacle degree",
     "An indicator's share of what keeps a unit below the best: its weight times the unit's shortfall, divided "
     "by the sum over all indicators.", "P0"),
    ("稳健性", "wěnjiàn xìng", "robustness",
     "Whether a result survives other reasonable choices: other weights, another normalisation, another data "
     "year or vintage.", "P0"),
    ("蒙特卡洛模拟", "Méngtèkǎluò mónǐ", "Monte Carlo simulation",
     "Repeating a calculation with many random draws of an uncertain input (here the weights) to see the range "
     "of results it can give.", "P0"),
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


def entries(section: str | None = None, width: int = 100) -> str:
    """The glossary (or the terms of one paper section) as text, every definition in full.

    Each term takes a heading line -- Chinese, pinyin, English, section -- and its meaning on the
    lines below, wrapped at ``width`` characters but never cut. ``section`` picks the terms of one
    section id exactly ("N5") or of a part and its sub-points ("S1" also gives S1.1, S1.2 ...).

    Examples
    --------
    >>> print(entries("S4").splitlines()[0])
    产能过剩 (chǎnnéng guòshèng) — overcapacity [S4]
    """
    import textwrap

    terms = [t for t in GLOSSARY
             if section is None or t.section == section or t.section.startswith(section + ".")]
    if not terms:
        raise KeyError(f"no glossary terms for section {section!r}")
    blocks = []
    for t in terms:
        if i18n.is_chinese():
            from .plots import wrap_text

            body = "\n".join("    " + line for line in wrap_text(meaning(t), width - 4))
        else:
            body = textwrap.fill(t.meaning, width=width, initial_indent="    ", subsequent_indent="    ",
                                 break_long_words=False, break_on_hyphens=False)
        blocks.append(f"{t.zh} ({t.pinyin}) — {t.en} [{t.section}]\n{body}")
    return "\n".join(blocks)


def meaning(term: Term) -> str:
    """The term's explanation in the current language (English if it has no current translation)."""
    return i18n.pgettext(f"glossary {term.zh}", term.meaning)


def show(section: str | None = None) -> None:
    """Print :func:`entries` (what the lessons' glossary cells call)."""
    print(entries(section))


def main(argv=None) -> None:
    """``python -m course.glossary [zh]``: the glossary in English, or in Chinese."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in i18n.LANGUAGES:
        i18n.set_language(args[0])
    show()


if __name__ == "__main__":
    main()
