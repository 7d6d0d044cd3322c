"""How the weights of a research-evaluation system change who wins (lesson 33, paper 四(三)1, F3.1).

Section 四(三)1 of the paper asks for an evaluation system for research built on the *transfer* of
results, their *real application* and their *economic and social benefit* (技术转化率、成果实际应用、
经济社会效益), instead of one that counts outputs. This module scores the 31 provinces on five
indicators from the course's tables and lets the weights change, so that a student can see how
many pairs of provinces swap places when the evaluation rewards different things.

The indicators (one row per province, one year; :data:`INDICATORS` says where each comes from):

* ``rd_intensity_pct`` -- R&D spending / GRP, as first published (input);
* ``patents_per_10k`` -- domestic patents granted, all three kinds, per 10,000 residents (output count);
* ``invention_patents_per_10k`` -- invention patents granted per 10,000 residents (output count);
* ``transfer_ratio`` -- technology-market turnover (contracts sold by the province) / R&D spending
  (transfer, a proxy: a contract value is not a transfer *rate*);
* ``hightech_revenue_pct_grp`` -- operating revenue of high-technology manufacturing / GRP x 100
  (application and economic benefit, a proxy; revenue is not value added, so this is not a share).

Papers are not in the course's data, and no indicator measures *social* benefit: both are left out,
not replaced.

The scoring reuses the course's dashboard machinery (:func:`course.dashboard.normalise` for min-max or
rank normalisation, :func:`course.dashboard.overall_score` for the weighted mean) and the shared
measure :func:`course.measures.rank_reversals` to count the pairs of provinces whose order flips
between a baseline weighting (:data:`PRESETS`) and the student's weights. :func:`evaluate` is the
pure function behind the lesson's widget and :func:`render` draws its result (a slope chart of the
31 ranks).

Examples
--------
>>> import pandas as pd
>>> ind = pd.DataFrame({"province_en": ["P", "Q", "R"], "nbs_region_en": ["East", "West", "West"],
...                     "rd_intensity_pct": [3.0, 2.0, 1.0], "patents_per_10k": [30.0, 20.0, 10.0],
...                     "invention_patents_per_10k": [9.0, 5.0, 1.0], "transfer_ratio": [0.5, 1.0, 3.0],
...                     "hightech_revenue_pct_grp": [10.0, 20.0, 30.0]})
>>> r = evaluate(indicators=ind)          # default: transfer and application vs output counts
>>> r.reversals, r.pairs
(3, 3)
>>> r.table.sort_values("rank")["province_en"].tolist()
['R', 'Q', 'P']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from course import dashboard, measures
from course.data import NATIONAL_CODE
from course.i18n import N_, _, _f, province as _province
from course.edgecase import EdgeCase

__all__ = [
    "Indicator",
    "INDICATORS",
    "KEYS",
    "PRESETS",
    "DEFAULT_BASELINE",
    "DEFAULT_WEIGHTS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "NO_PROVINCE",
    "indicator_table",
    "catalogue",
    "scores",
    "Evaluation",
    "evaluate",
    "render",
    "alt_text",
    "explorer",
    "CAPTION",
]

FIRST_YEAR, LAST_YEAR = 2018, 2023  # high-tech manufacturing starts in 2018, patents granted end in 2023
NO_PROVINCE = N_("(none)")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the evaluation: column key, label, unit, what it stands for and its tables."""

    key: str
    label: str
    short: str
    unit: str
    stands_for: str
    tables: str
    definition: str


INDICATORS = (
    Indicator("rd_intensity_pct", N_("R&D intensity"), N_("R&D intensity"), N_("% of GRP"), "input",
              "province_rd_first_published",
              "R&D expenditure / gross regional product, as first published in that year's R&D bulletin"),
    Indicator("patents_per_10k", N_("Patents granted per 10,000 residents"), N_("Patents"), N_("per 10,000 residents"),
              "output count", "province_patents_granted; province_population",
              "domestic patents granted (invention, utility model, design) / year-end resident population"),
    Indicator("invention_patents_per_10k", N_("Invention patents granted per 10,000 residents"), N_("Invention patents"),
              N_("per 10,000 residents"), "output count", "province_patents_granted; province_population",
              "domestic invention patents granted / year-end resident population"),
    Indicator("transfer_ratio", N_("Technology-market turnover / R&D spending"), N_("Transfer ratio"),
              N_("yuan of contracts per yuan of R&D"), "transfer (proxy)",
              "province_tech_market; province_rd_first_published",
              "value of technology contracts sold by the province (by seller) / its R&D expenditure"),
    Indicator("hightech_revenue_pct_grp", N_("High-tech manufacturing revenue / GRP"), N_("High-tech revenue"),
              N_("% of GRP (revenue, not value added)"), "application and economic benefit (proxy)",
              "province_hightech; province_gdp",
              "operating revenue of high-technology manufacturing / GRP (pre-revision vintage) x 100"),
)
KEYS = tuple(i.key for i in INDICATORS)

#: Baseline weightings. "output counts" is the evaluation the paper wants to move away from (inputs
#: and counts of outputs); "transfer and application" weights only the two indicators closest to
#: what the paper asks for; "equal" weights all five alike.
PRESETS: dict[str, dict[str, float]] = {
    "output counts": {"rd_intensity_pct": 1.0, "patents_per_10k": 1.0, "invention_patents_per_10k": 1.0,
                      "transfer_ratio": 0.0, "hightech_revenue_pct_grp": 0.0},
    "transfer and application": {"rd_intensity_pct": 0.0, "patents_per_10k": 0.0,
                                 "invention_patents_per_10k": 0.0, "transfer_ratio": 1.0,
                                 "hightech_revenue_pct_grp": 1.0},
    "equal": {k: 1.0 for k in KEYS},
}
DEFAULT_BASELINE = "output counts"
#: the baselines' names as the widget shows them (translated where shown)
_PRESET_NAMES = (N_("output counts"), N_("transfer and application"), N_("equal"))


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be a whole number from {FIRST_YEAR} to {LAST_YEAR} (got {year!r})")
    return int(year)


def _load_tables() -> dict[str, pd.DataFrame]:
    from course.data import load

    names = ["provinces", "province_rd_first_published", "province_patents_granted", "province_population",
             "province_tech_market", "province_hightech", "province_gdp"]
    return {name: load(name) for name in names}


def _by_province(frame: pd.DataFrame, column: str, year: int, **filters) -> pd.Series:
    sub = frame[(frame["province_code"] != NATIONAL_CODE) & (frame["year"] == year)]
    for col, value in filters.items():
        sub = sub[sub[col] == value]
    if sub["province_code"].duplicated().any():
        raise ValueError(f"more than one row per province for {column!r} in {year}")
    return sub.set_index("province_code")[column].astype("float64")


def indicator_table(year: int = LAST_YEAR, tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The five raw indicators, one row per province (indexed by ``province_code``).

    Columns ``province_en``, ``nbs_region_en`` and one per key of :data:`INDICATORS`. A value missing
    in a source stays ``NaN``. GRP is the pre-revision vintage, the one the R&D bulletins divided by.
    ``tables`` (by course table name) lets tests pass tiny tables.
    """
    y = _check_year(year)
    t = tables if tables is not None else _load_tables()
    out = t["provinces"].set_index("province_code")[["province_en", "nbs_region_en"]].copy()
    rd = t["province_rd_first_published"]
    pat = t["province_patents_granted"]
    pop = _by_province(t["province_population"], "resident_population_10k", y)
    rd_spend = _by_province(rd, "rd_expenditure_100m_yuan", y)
    grp = _by_province(t["province_gdp"], "gdp_100m_yuan", y, vintage="pre_5th_census_revision")
    out["rd_intensity_pct"] = _by_province(rd, "rd_intensity_pct", y)
    out["patents_per_10k"] = _by_province(pat, "patents_granted_total", y) / pop
    out["invention_patents_per_10k"] = _by_province(pat, "patents_granted_invention", y) / pop
    out["transfer_ratio"] = _by_province(t["province_tech_market"], "tech_market_turnover_100m_yuan", y) / rd_spend
    out["hightech_revenue_pct_grp"] = _by_province(t["province_hightech"], "hightech_revenue_100m_yuan", y) / grp * 100
    return out


def catalogue() -> pd.DataFrame:
    """One row per indicator: key, label, unit, what it stands for, tables, definition."""
    return pd.DataFrame([i.__dict__ for i in INDICATORS]).drop(columns="short")


def _weights(weights) -> pd.Series:
    w = pd.Series({k: float(weights.get(k, 0.0)) for k in KEYS})
    unknown = [k for k in weights if k not in KEYS]
    if unknown:
        raise ValueError(f"unknown indicator(s) {', '.join(map(str, unknown))}; use {', '.join(KEYS)}")
    if w.isna().any() or np.isinf(w).any() or (w < 0).any():
        raise ValueError("weights must be finite numbers of at least zero")
    if w.sum() == 0:
        raise EdgeCase(_("All five weights are zero, so there is nothing to score the provinces on. "
                         "Give at least one indicator a weight above zero."))
    return w


def scores(indicators: pd.DataFrame, weights: dict[str, float], method: str = "minmax") -> pd.Series:
    """Weighted score of each province (0 = lowest, 1 = highest on every weighted indicator).

    Each indicator is normalised with :func:`course.dashboard.normalise` (``"minmax"`` or ``"rank"``,
    more is better for all five), then averaged with the weights by
    :func:`course.dashboard.overall_score` (a province missing an indicator is scored on the others,
    with the weights rescaled). Weights are relative: doubling all of them changes nothing.
    """
    w = _weights(weights)
    norm = dashboard.normalise(indicators, {k: "+" for k in KEYS}, method=method)
    return _weighted(norm, w)


def _weighted(norm: pd.DataFrame, w: pd.Series) -> pd.Series:
    return dashboard.overall_score(norm, w.to_dict()).rename("score")


@dataclass
class Evaluation:
    """What :func:`evaluate` returns.

    ``table`` has one row per province: ``province_en``, ``nbs_region_en``, ``baseline_score``,
    ``score``, ``baseline_rank``, ``rank`` (1 = best) and ``shift`` (``rank - baseline_rank``;
    negative = moves up). ``reversals`` counts the pairs of provinces whose order flips, out of
    ``pairs``; ``rho`` is Spearman's rank correlation of the two scorings.
    """

    table: pd.DataFrame
    weights: dict[str, float]
    baseline: str
    baseline_weights: dict[str, float]
    method: str
    reversals: int
    pairs: int
    rho: float
    province: str
    year: int
    notes: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Share of the province pairs whose order flips."""
        return self.reversals / self.pairs

    def top(self, k: int = 5, which: str = "rank") -> list[str]:
        """The ``k`` best provinces under the student's weights (``"rank"``) or the baseline."""
        return self._order(which)[:k]

    def _order(self, which: str) -> list[str]:
        # sorted once per result and kept: the widget asks for the leaders several times per redraw.
        # 31 rows: a plain sort (missing ranks last, then by name) is several times cheaper than
        # DataFrame.sort_values and gives the same order
        cache = self.__dict__.setdefault("_orders", {})
        if which not in cache:
            names = self.table["province_en"].tolist()
            value, missing = _floats(self.table[which])
            cache[which] = [names[i] for i in sorted(range(len(names)),
                                                     key=lambda i: (missing[i], value[i], names[i]))]
        return cache[which]

    def movers(self, k: int = 4) -> pd.DataFrame:
        """The ``k`` provinces that move most (ties broken by the better new rank)."""
        cache = self.__dict__.setdefault("_movers", None)
        if cache is None:
            # largest absolute shift first, then the better new rank, missing values last; a stable
            # sort keeps the table's order for full ties (as DataFrame.sort_values does)
            shift, no_shift = _floats(self.table["shift"])
            rank, no_rank = _floats(self.table["rank"])
            order = sorted(range(len(shift)), key=lambda i: (no_shift[i], -abs(shift[i]), no_rank[i], rank[i]))
            cache = self.table.iloc[order]
            self.__dict__["_movers"] = cache
        return cache.head(k)


def _floats(column: pd.Series) -> tuple[list[float], list[bool]]:
    """A column's values as floats (0.0 where missing) and which are missing."""
    missing = column.isna().to_numpy()
    values = np.where(missing, 0.0, column.to_numpy(dtype="float64", na_value=np.nan))
    return values.tolist(), missing.tolist()


@lru_cache(maxsize=8)
def _cached_indicators(year: int) -> pd.DataFrame:
    return indicator_table(year)


@lru_cache(maxsize=16)
def _cached_normalised(year: int, method: str) -> pd.DataFrame:
    return dashboard.normalise(_cached_indicators(year), {k: "+" for k in KEYS}, method=method)


@lru_cache(maxsize=32)
def _cached_baseline(year: int, method: str, baseline: str) -> pd.Series:
    return _weighted(_cached_normalised(year, method), _weights(PRESETS[baseline]))


def evaluate(rd_intensity_pct: float = 0.0, patents_per_10k: float = 0.0, invention_patents_per_10k: float = 0.0,
             transfer_ratio: float = 1.0, hightech_revenue_pct_grp: float = 1.0,
             baseline: str = DEFAULT_BASELINE, province: str = NO_PROVINCE, method: str = "minmax",
             year: int = LAST_YEAR, indicators: pd.DataFrame | None = None) -> Evaluation:
    """Score the provinces with the student's five weights and compare with a baseline weighting.

    The five weight arguments are named after the indicator keys (so the widget's sliders map onto
    them); ``baseline`` names one of :data:`PRESETS`; ``province`` (or ``"(none)"``) is highlighted
    in the chart. Raises :class:`course.widgets.EdgeCase` if every weight is zero.
    """
    if baseline not in PRESETS:
        raise ValueError(f"baseline must be one of {', '.join(PRESETS)} (got {baseline!r})")
    if method not in dashboard.METHODS:
        raise ValueError(f"method must be one of {', '.join(dashboard.METHODS)} (got {method!r})")
    cached = indicators is None
    ind = _cached_indicators(_check_year(year)) if cached else indicators
    if province != NO_PROVINCE and province not in set(ind["province_en"]):
        raise ValueError(f"unknown province {province!r}")
    weights = {"rd_intensity_pct": rd_intensity_pct, "patents_per_10k": patents_per_10k,
               "invention_patents_per_10k": invention_patents_per_10k, "transfer_ratio": transfer_ratio,
               "hightech_revenue_pct_grp": hightech_revenue_pct_grp}
    if cached:  # the widget's path: the normalised table and the baselines are computed once
        norm = _cached_normalised(int(year), method)
        current = _weighted(norm, _weights(weights))
        base = _cached_baseline(int(year), method, baseline)
    else:
        current = scores(ind, weights, method)
        base = scores(ind, PRESETS[baseline], method)
    table = ind[["province_en", "nbs_region_en"]].copy()
    table["baseline_score"] = base
    table["score"] = current
    table["baseline_rank"] = base.rank(ascending=False, method="min").astype("Int64")
    table["rank"] = current.rank(ascending=False, method="min").astype("Int64")
    table["shift"] = table["rank"] - table["baseline_rank"]
    both = table[["baseline_score", "score"]].dropna()
    n = len(both)
    reversals = measures.rank_reversals(both["baseline_score"], both["score"])
    rho = float(both["baseline_score"].rank().corr(both["score"].rank()))
    notes = []
    w = pd.Series(weights, dtype=float)
    b = pd.Series(PRESETS[baseline], dtype=float)
    if np.allclose(w / w.sum(), b / b.sum()):
        name = _(baseline)
        notes.append(_f("These weights are proportional to the '{name}' weights, so the ranking is the same: "
                        "weights only count relative to each other."))
    missing = ind[list(KEYS)].isna().any(axis=1)
    for code in ind.index[missing]:
        name, lacking = _province(ind.at[code, "province_en"]), ", ".join(k for k in KEYS if pd.isna(ind.at[code, k]))
        notes.append(_f("{name} lacks a value for {lacking}; it is scored on the others."))
    return Evaluation(table=table, weights={k: float(v) for k, v in weights.items()}, baseline=baseline,
                      baseline_weights=dict(PRESETS[baseline]), method=method, reversals=reversals,
                      pairs=n * (n - 1) // 2, rho=rho, province=province, year=int(year), notes=notes)


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------

def _weights_text(weights: dict[str, float]) -> str:
    short = {i.key: _(i.short) for i in INDICATORS}
    return _(", ").join(f"{short[k]} {v:g}" for k, v in weights.items())


def _finding(r: Evaluation) -> str:
    first, baseline = _province(r.top(1)[0]), _(r.baseline)
    if r.reversals == 0:
        return _f("The same order as the '{baseline}' baseline: no pair of provinces swaps places ({first} first)")
    return _f("{r.reversals} of {r.pairs} province pairs ({r.share:.0%}) swap order against the "
              "'{baseline}' baseline; {first} ranks first")


def _highlighted(r: Evaluation) -> list:
    """Codes of the provinces drawn in colour: the four largest moves, the new leader, the student's."""
    t = r.table
    codes = list(r.movers(4).index)
    leader = t.index[t["province_en"] == r.top(1)[0]][0]
    if leader not in codes:
        codes.append(leader)
    if r.province != NO_PROVINCE:
        mine = t.index[t["province_en"] == r.province][0]
        if mine in codes:
            codes.remove(mine)
        codes.append(mine)
    return codes


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label positions near ``ys`` (ranks, growing downwards) that are at least ``gap`` apart."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed: dict[int, float] = {}
    last = -np.inf
    for i in order:
        y = max(ys[i], last + gap)
        placed[i] = y
        last = y
    return [placed[i] for i in range(len(ys))]


def _short_finding(r: Evaluation) -> str:
    first = _province(r.top(1)[0])
    if r.reversals == 0:
        return _f("Same order as the baseline ({first} first)")
    return _f("{r.reversals} of {r.pairs} pairs swap order; {first} first")


def render(r: Evaluation, view: dict | None = None):
    """A slope chart of the 31 ranks (baseline left, the student's weights right) and a summary.

    The chart keeps its text short (drawing text is the costly part of a redraw); the full finding and
    the numbers are in the HTML under it. ``view`` (a dict kept by the Explorer) holds the figure of
    the previous redraw: its axes, ticks and labels are kept and only the lines, points and names are
    drawn anew (a new figure for another language or fonts); the result has the same pixels as a new
    figure (``tests/test_redraw_reuse_a.py``).
    """
    import html

    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    from course import plots

    t = r.table
    highlight = _highlighted(r)
    codes = t.index.to_numpy()
    base_rank = t["baseline_rank"].to_numpy(dtype=float)
    new_rank = t["rank"].to_numpy(dtype=float)
    names = t["province_en"].to_numpy()
    where = {c: i for i, c in enumerate(codes)}
    grey = np.ones(len(codes), dtype=bool)
    grey[[where[c] for c in highlight]] = False
    with plots.course_style():
        if plots.kept(view):
            fig, ax = view["fig"], view["ax"]
            for artist in (*ax.lines, *ax.collections, *ax.texts):   # what the last setting drew
                artist.remove()
        else:
            fig, ax = plt.subplots(figsize=(5.6, 5.0), dpi=72)
            fig.subplots_adjust(left=0.11, right=0.62, top=0.90, bottom=0.07)
            plots.keep(view, dict(fig=fig, ax=ax, key=plots.reuse_key()))
        y0, y1 = base_rank[grey], new_rank[grey]
        ax.add_collection(LineCollection([[(0, a), (1, b)] for a, b in zip(y0, y1)], colors="0.78",
                                         linewidths=0.8, linestyles="-"))
        ax.scatter(np.r_[np.zeros(len(y0)), np.ones(len(y1))], np.r_[y0, y1], s=6, color="0.65", marker="o")
        labels = []
        for i, code in enumerate(highlight):
            j = where[code]
            st = plots.series_style(i)
            mine = r.province != NO_PROVINCE and names[j] == r.province
            ax.plot([0, 1], [base_rank[j], new_rank[j]], color=st["color"], linestyle=st["linestyle"],
                    marker=st["marker"], linewidth=3.0 if mine else 2.0, markersize=6)
            name, b_rank, n_rank = _province(names[j]), base_rank[j], new_rank[j]
            text = _f("{name} {b_rank:.0f} to {n_rank:.0f}") + (_(" (yours)") if mine else "")
            labels.append((float(new_rank[j]), text))
        for y, (_y, text) in zip(_spread([y for y, _y in labels], gap=1.3), labels):
            ax.text(1.06, y, text, va="center", fontsize=9, color="0.1", clip_on=False)
        ax.set_xlim(-0.08, 1.04)
        ax.set_ylim(len(codes) + 0.8, 0.2)
        ax.set_xticks([0, 1], [_("Baseline"), _("Your weights")])
        ax.set_yticks([1, 10, 20, 31])
        ax.set_ylabel(_("Rank (1 = best)"))
        ax.grid(axis="x", visible=False)
        plots.finding_title(fig, _short_finding(r), width=48)
    top_base, top_now = r.top(5, "baseline_rank"), r.top(5)
    stayed = [p for p in top_now if p in top_base]
    finding, baseline = html.escape(_finding(r)), html.escape(_(r.baseline))
    base_w, your_w = html.escape(_weights_text(r.baseline_weights)), html.escape(_weights_text(r.weights))
    yours = _(" and your province (thickest)") if r.province != NO_PROVINCE else ""
    method = html.escape(r.method)
    names_base = html.escape(_(", ").join(_province(p) for p in top_base))
    names_now = html.escape(_(", ").join(_province(p) for p in top_now))
    n_stayed = len(stayed)
    summary = (
        "<p class='course-summary' style='font-size:13px'>"
        + _f("<b>{finding}.</b> Left: rank under the baseline '{baseline}' "
             "({base_w}); right: rank under your weights "
             "({your_w}). Coloured lines, each with its own line style and marker: the "
             "largest moves, the new leader{yours}; grey: "
             "the others. Normalisation: {method}; data {r.year}.<br>"
             "Province pairs that swap order: <b>{r.reversals} of {r.pairs}</b> ({r.share:.0%}); "
             "Spearman rank correlation with the baseline {r.rho:.2f}.<br>"
             "Top five under the baseline: {names_base}. Under your weights: "
             "{names_now} ({n_stayed} of 5 in both).")
        + "</p>"
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in r.notes)
    return [fig, summary + (f"<ul class='course-notes'>{notes}</ul>" if notes else "")]


def alt_text(r: Evaluation) -> str:
    """Alt text for :func:`render`, stating the current numbers."""
    moves = []
    for _i, row in r.movers(4).iterrows():
        name = _province(row["province_en"])
        moves.append(_f("{name} {row['baseline_rank']} to {row['rank']}"))
    moves = _("; ").join(moves)
    first = r.table.sort_values(["rank", "province_en"]).iloc[0]
    first_name, baseline = _province(first["province_en"]), _(r.baseline)
    mine = ""
    if r.province != NO_PROVINCE:
        row = r.table.set_index("province_en").loc[r.province]
        name = _province(r.province)
        mine = _f(" Highlighted province: {name}, {row['baseline_rank']} to {row['rank']}.")
    return _f("Slope chart of the ranks of the 31 provinces: the left end of each line is the rank under the "
              "'{baseline}' baseline, the right end the rank under the chosen weights. {r.reversals} of {r.pairs} "
              "pairs of provinces swap order. Largest moves: {moves}. First under the chosen weights: "
              "{first_name} (rank {first['baseline_rank']} under the baseline).{mine}")


CAPTION = N_("Indicators for 2023: R&D intensity (NBS/MOST/MOF R&D bulletin), patents and invention patents granted "
             "per 10,000 residents (China Statistical Yearbook on Science and Technology 2024; NBS population), "
             "technology-market turnover by seller over R&D spending (NBS/MOST), high-tech manufacturing revenue over "
             "pre-revision GRP (CSYST 2024 table 5-2; NBS). Min-max normalisation, more is better on all five.")


#: The widget's starting weights: the paper's emphasis (transfer and application only).
DEFAULT_WEIGHTS = dict(PRESETS["transfer and application"])


def _weight_label(i: Indicator) -> str:
    short = _(i.short)
    return _f("{short} weight")


def explorer(province: str = NO_PROVINCE):
    """The lesson's widget (2023 data): five weight sliders, a baseline menu and a province to highlight."""
    import ipywidgets as w

    from course.widgets import Explorer

    ind = _cached_indicators(LAST_YEAR)
    style = {"description_width": "initial"}
    controls = {
        i.key: w.FloatSlider(value=DEFAULT_WEIGHTS[i.key], min=0.0, max=3.0, step=0.5,
                             description=_weight_label(i), style=style, continuous_update=False)
        for i in INDICATORS
    }
    controls["baseline"] = w.Dropdown(options=[(_(k), k) for k in PRESETS], value=DEFAULT_BASELINE,
                                      description=_("Compare with"), style=style)
    controls["province"] = w.Dropdown(options=[(_(NO_PROVINCE), NO_PROVINCE)]
                                      + [(_province(n), n) for n in sorted(ind["province_en"])], value=province,
                                      description=_("Your province"), style=style)
    view: dict = {}  # the figure drawn last, reused by the next redraw
    return Explorer(controls, evaluate, lambda r: render(r, view), alt=alt_text, caption=_(CAPTION),
                    title=_("Who wins under which evaluation? Weights and rank reversals"))
