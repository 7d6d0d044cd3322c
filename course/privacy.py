"""De-identification and k-anonymity: a MODEL of the privacy trade-off, on SYNTHETIC records (paper F2.1).

Section 四(二)1 of Zhang & Ma (2024) (course id **F2.1**) asks for more data to be shared while keeping
people's privacy safe, by masking (脱敏) and anonymising (匿名化) personal data. This module makes that
concrete on the course's synthetic table ``synthetic_residents`` (2,000 invented people; **no record
describes a real person**): it generalises the quasi-identifiers, measures the risk that a record can
be re-identified and the information the generalisation destroys, and finds the least costly release
that reaches a required k. It is a model of a mechanism, not a measurement of China's data.

Definitions (Sweeney 2002; Samarati 2001)
-----------------------------------------
* **Quasi-identifiers** (准标识符): attributes that do not name anyone but single people out in
  combination — here age, sex, place (province) and income. An attacker who knows them for a target
  (from a social-media profile, say) can look the target up in a released table.
* **Generalisation** replaces a value by a coarser one along a fixed hierarchy (:data:`HIERARCHIES`):
  age 37 -> 33-37 -> 28-37 -> 18-37 -> any (bands start at 18); Zhejiang -> East -> China;
  46,600 yuan -> 40,000-49,999 -> 30,000-59,999 -> any (incomes of 100,000 and more form one top band,
  and the three-band level puts everything from 60,000 together); F -> any. Each hierarchy is *nested*
  (a coarser band is a union of finer ones), so coarsening can only merge groups, never split them.
* An **equivalence class** is a set of records with the same generalised quasi-identifiers. A release
  is **k-anonymous** when every class has at least k records: anyone matched by quasi-identifiers is
  hidden among at least k records.
* **Re-identification risk** (prosecutor model): an attacker who knows the target is in the data picks
  one record of the target's class, right with probability :math:`1/|E|`. The largest risk is
  :math:`1/k`; the average over records is :math:`(\\text{number of classes})/n`.
* **Information loss**: the *precision loss* (Sweeney 2002) is the mean, over the quasi-identifiers, of
  levels climbed / levels available (0 = exact data, 1 = everything suppressed); the *discernibility*
  :math:`\\sum_E |E|^2 / n` is the average size of the class a record falls in (1 = every record
  distinct).
* **Homogeneity**: k-anonymity hides *who* is who, not *what* they have. If everyone in a class shares
  the sensitive value, the attacker learns it without finding the record (Machanavajjhala et al. 2007,
  l-diversity). :func:`assess` reports the share of records in such classes.

Assumptions of the model: the attacker knows all four quasi-identifiers exactly and that the target
is in the data; generalisation is global (one level per attribute for the whole table); no record is
suppressed. Real anonymisation adds suppression, local recoding, noise (differential privacy) and
access control.

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"age_years": [31, 33, 38, 52], "sex": ["F", "F", "M", "M"],
...                        "province_code": [330000, 330000, 320000, 320000],
...                        "province_en": ["Zhejiang", "Zhejiang", "Jiangsu", "Jiangsu"],
...                        "nbs_region_en": ["East"] * 4,
...                        "annual_income_yuan": [40100, 45800, 41000, 47000],
...                        "overdue_debt": ["no", "no", "no", "yes"]})
>>> k_anonymity(people, {"age": 0, "sex": 0, "place": 0, "income": 0})      # all four distinct
1
>>> k_anonymity(people, {"age": 2, "sex": 0, "place": 1, "income": 1})      # 28-37, sex, East, 40-49k
1
>>> k_anonymity(people, {"age": 3, "sex": 1, "place": 1, "income": 1})      # 18-37 and 38-57: two each
2
>>> k_anonymity(people, {"age": 4, "sex": 1, "place": 1, "income": 1})      # any age, any sex
4
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.i18n import N_, _, _f
from course.edgecase import EdgeCase

__all__ = [
    "QUASI_IDENTIFIERS",
    "SENSITIVE",
    "HIERARCHIES",
    "KEEP_OPTIONS",
    "generalise",
    "class_sizes",
    "equivalence_classes",
    "k_anonymity",
    "Assessment",
    "assess",
    "lattice",
    "best_release",
    "frontier",
    "Release",
    "explore",
    "describe",
    "render",
    "build_explorer",
]

QUASI_IDENTIFIERS = ("age", "sex", "place", "income")
_QI_NAMES = (N_("age"), N_("sex"), N_("place"), N_("income"))    # shown as _(q) in the Explorer
SENSITIVE = "overdue_debt"

#: The generalisation hierarchy of each quasi-identifier: level names from exact (0) to suppressed.
HIERARCHIES: dict[str, tuple[str, ...]] = {
    "age": (N_("exact age"), N_("5-year band"), N_("10-year band"), N_("20-year band"), N_("any age")),  # from 18
    "sex": (N_("sex shown"), N_("any sex")),
    "place": (N_("province"), N_("NBS region"), N_("China")),
    "income": (N_("exact (to 100 yuan)"), N_("10,000-yuan band (100,000+ together)"),
               N_("three bands (under 30,000; 30,000-59,999; 60,000+)"), N_("any income")),
}
_AGE_FROM = 18
_AGE_WIDTH = (1, 5, 10, 20, None)
_REGIONS = ("East", "Central", "West", "Northeast")

#: What the student may ask the Explorer to keep as detailed as possible.
KEEP_OPTIONS = {
    "none": N_("nothing in particular (least information loss)"),
    "age": N_("age"),
    "place": N_("place"),
    "income": N_("income"),
}


def _check_levels(levels: Mapping[str, int]) -> dict[str, int]:
    out = {}
    for qi in QUASI_IDENTIFIERS:
        if qi not in levels:
            raise ValueError(f"levels: give a level for each of {', '.join(QUASI_IDENTIFIERS)} (missing {qi!r})")
        lv = levels[qi]
        top = len(HIERARCHIES[qi]) - 1
        if isinstance(lv, bool) or not isinstance(lv, (int, np.integer)) or not 0 <= lv <= top:
            raise ValueError(f"levels[{qi!r}] must be a whole number from 0 to {top}, got {lv!r}")
        out[qi] = int(lv)
    unknown = set(levels) - set(QUASI_IDENTIFIERS)
    if unknown:
        raise ValueError(f"levels: unknown quasi-identifier(s) {', '.join(sorted(unknown))}")
    return out


def _codes(frame: pd.DataFrame, levels: Mapping[str, int]) -> np.ndarray:
    """One non-negative integer code per record and quasi-identifier (shape n x 4)."""
    lv = _check_levels(levels)
    age = frame["age_years"].to_numpy(dtype=np.int64)
    w = _AGE_WIDTH[lv["age"]]
    a = np.zeros_like(age) if w is None else (age - _AGE_FROM) // w
    s = np.zeros(len(frame), dtype=np.int64) if lv["sex"] == 1 else (frame["sex"].to_numpy() == "M").astype(np.int64)
    if lv["place"] == 0:
        p = frame["province_code"].to_numpy(dtype=np.int64) // 10000
    elif lv["place"] == 1:
        p = pd.Categorical(frame["nbs_region_en"], categories=_REGIONS).codes.astype(np.int64)
    else:
        p = np.zeros(len(frame), dtype=np.int64)
    inc = frame["annual_income_yuan"].to_numpy(dtype=np.int64)
    i = _income_code(inc, lv["income"])
    return np.column_stack([a, s, p, i])


def _income_code(inc: np.ndarray, level: int) -> np.ndarray:
    if level == 0:
        return inc // 100
    if level == 1:
        return np.minimum(inc // 10_000, 10)                   # 10 = "100,000 and more"
    if level == 2:
        return (inc >= 30_000).astype(np.int64) + (inc >= 60_000)
    return np.zeros_like(inc)


def _income_text(v: int, level: int) -> str:
    if level == 0:
        return f"{v:,}"
    if level == 1:
        return "100,000+" if v >= 100_000 else _band(v // 10_000 * 10_000, 10_000, True)
    if level == 2:
        return "under 30,000" if v < 30_000 else "30,000-59,999" if v < 60_000 else "60,000+"
    return "any"


def _class_ids(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Class id of each record and the size of each class.

    The four codes are packed into one integer (a mixed-radix number), which is much faster to sort
    than rows of four.
    """
    key = np.zeros(len(codes), dtype=np.int64)
    for j in range(codes.shape[1]):
        col = codes[:, j]
        key = key * (int(col.max()) + 1) + col
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return inverse.ravel(), counts


def _band(lo: int, width: int, money: bool) -> str:
    hi = lo + width - 1
    return f"{lo:,}-{hi:,}" if money else f"{lo}-{hi}"


def generalise(frame: pd.DataFrame, levels: Mapping[str, int]) -> pd.DataFrame:
    """The records as they would be released: each quasi-identifier shown at its level, as text.

    Returns a DataFrame with columns ``age``, ``sex``, ``place``, ``income`` and the sensitive
    attribute, in the order of ``frame``.
    """
    lv = _check_levels(levels)
    age = frame["age_years"].astype(int)
    w = _AGE_WIDTH[lv["age"]]
    age_txt = (age.astype(str) if w == 1 else
               age.map(lambda a: _band(_AGE_FROM + (a - _AGE_FROM) // w * w, w, False)) if w else
               pd.Series("any", index=frame.index))
    inc_txt = frame["annual_income_yuan"].astype(int).map(lambda v: _income_text(v, lv["income"]))
    place = (frame["province_en"] if lv["place"] == 0 else frame["nbs_region_en"] if lv["place"] == 1
             else pd.Series("China", index=frame.index))
    sex = frame["sex"] if lv["sex"] == 0 else pd.Series("any", index=frame.index)
    return pd.DataFrame({"age": age_txt, "sex": sex, "place": place, "income": inc_txt,
                         SENSITIVE: frame[SENSITIVE]}, index=frame.index)


def class_sizes(frame: pd.DataFrame, levels: Mapping[str, int]) -> np.ndarray:
    """For every record, the size of its equivalence class at ``levels``."""
    ids, counts = _class_ids(_codes(frame, levels))
    return counts[ids]


def equivalence_classes(frame: pd.DataFrame, levels: Mapping[str, int]) -> pd.DataFrame:
    """One row per equivalence class: the released quasi-identifiers, its size and its sensitive values."""
    shown = generalise(frame, levels)
    groups = shown.groupby(list(QUASI_IDENTIFIERS), sort=True)
    out = groups.agg(size=(SENSITIVE, "size"), sensitive_values=(SENSITIVE, "nunique"),
                     share_yes=(SENSITIVE, lambda s: float((s == "yes").mean())))
    return out.reset_index().sort_values("size", kind="stable").reset_index(drop=True)


def k_anonymity(frame: pd.DataFrame, levels: Mapping[str, int]) -> int:
    """The k the release achieves: the size of its smallest equivalence class."""
    if len(frame) == 0:
        raise EdgeCase(_("There are no records, so there is nothing to release."))
    return int(_class_ids(_codes(frame, levels))[1].min())


@dataclass(frozen=True)
class Assessment:
    """Risk and information loss of one release (one level per quasi-identifier)."""

    levels: tuple            # (age, sex, place, income) levels
    n: int
    k: int
    classes: int
    max_risk: float          # 1 / k
    average_risk: float      # classes / n
    unique_share: float      # share of records alone in their class
    discernibility: float    # sum |E|^2 / n: average size of a record's class
    precision_loss: float    # mean of level / top level over the quasi-identifiers
    homogeneous_share: float  # share of records in classes with a single sensitive value

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d.update(dict(zip(QUASI_IDENTIFIERS, self.levels)))
        del d["levels"]
        return d


def _assess_codes(codes: np.ndarray, sensitive: np.ndarray, levels: tuple) -> Assessment:
    ids, counts = _class_ids(codes)
    n = len(ids)
    per_record = counts[ids]
    # distinct sensitive values per class: count distinct (class, value) pairs
    pairs = np.unique(ids * 2 + sensitive)
    distinct = np.bincount(pairs // 2, minlength=len(counts))
    homogeneous = (distinct == 1)[ids]
    tops = [len(HIERARCHIES[q]) - 1 for q in QUASI_IDENTIFIERS]
    return Assessment(
        levels=tuple(int(x) for x in levels),
        n=n,
        k=int(counts.min()),
        classes=len(counts),
        max_risk=1.0 / int(counts.min()),
        average_risk=len(counts) / n,
        unique_share=float((per_record == 1).mean()),
        discernibility=float((counts.astype(float) ** 2).sum() / n),
        precision_loss=float(np.mean([lv / top for lv, top in zip(levels, tops)])),
        homogeneous_share=float(homogeneous.mean()),
    )


def assess(frame: pd.DataFrame, levels: Mapping[str, int]) -> Assessment:
    """k, re-identification risk, information loss and homogeneity of the release at ``levels``."""
    if len(frame) == 0:
        raise EdgeCase(_("There are no records, so there is nothing to release."))
    lv = _check_levels(levels)
    sensitive = (frame[SENSITIVE].to_numpy() == "yes").astype(np.int64)
    return _assess_codes(_codes(frame, lv), sensitive, tuple(lv[q] for q in QUASI_IDENTIFIERS))


def lattice(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`assess` for every combination of levels (5 x 2 x 3 x 4 = 120 releases).

    Returns one row per release with the four levels and the measures of :class:`Assessment`, plus
    ``height`` (the sum of the levels).
    """
    if len(frame) == 0:
        raise EdgeCase(_("There are no records, so there is nothing to release."))
    sensitive = (frame[SENSITIVE].to_numpy() == "yes").astype(np.int64)
    per_qi = {q: [_codes(frame, {**{p: 0 for p in QUASI_IDENTIFIERS}, q: lv})[:, j]
                  for lv in range(len(HIERARCHIES[q]))] for j, q in enumerate(QUASI_IDENTIFIERS)}
    rows = []
    for combo in itertools.product(*(range(len(HIERARCHIES[q])) for q in QUASI_IDENTIFIERS)):
        codes = np.column_stack([per_qi[q][lv] for q, lv in zip(QUASI_IDENTIFIERS, combo)])
        rows.append(_assess_codes(codes, sensitive, combo).as_dict())
    out = pd.DataFrame(rows)
    out["height"] = out[list(QUASI_IDENTIFIERS)].sum(axis=1)
    return out[list(QUASI_IDENTIFIERS) + ["height"] + [c for c in out.columns
                                                     if c not in QUASI_IDENTIFIERS and c != "height"]]


def _order(lat: pd.DataFrame, keep: str) -> pd.DataFrame:
    keys = ["precision_loss", "discernibility", "height"]
    if keep != "none":
        keys = [keep] + keys
    return lat.sort_values(keys + list(QUASI_IDENTIFIERS), kind="stable")


def _first_feasible(ordered: pd.DataFrame, k: int) -> pd.Series:
    feasible = ordered["k"].to_numpy() >= k
    if not feasible.any():
        raise EdgeCase(_f("No generalisation reaches k = {k}: even suppressing every quasi-identifier leaves "
                          "one class of {int(ordered['k'].max())} records. Choose a smaller k."))
    return ordered.iloc[int(np.argmax(feasible))]


def best_release(lat: pd.DataFrame, k: int, keep: str = "none") -> pd.Series:
    """The release with the least information loss among those that are k-anonymous.

    "Least loss" is the smallest precision loss, then the smallest discernibility. With
    ``keep = "age"`` (or ``"place"``, ``"income"``) the release keeps that attribute as detailed as
    any k-anonymous release can, and minimises the loss among those.
    """
    if keep not in KEEP_OPTIONS:
        raise ValueError(f"keep must be one of {', '.join(KEEP_OPTIONS)}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise EdgeCase(_("k must be a whole number of at least 1 (k = 1 means no protection at all)."))
    return _first_feasible(_order(lat, keep), int(k))


def frontier(lat: pd.DataFrame, ks, keep: str = "none") -> pd.DataFrame:
    """:func:`best_release` for each k in ``ks`` (one row per k, indexed by the required k)."""
    if keep not in KEEP_OPTIONS:
        raise ValueError(f"keep must be one of {', '.join(KEEP_OPTIONS)}")
    ordered = _order(lat, keep)
    rows = [_first_feasible(ordered, int(k)).rename(int(k)) for k in ks]
    return pd.DataFrame(rows).rename_axis("k_required")


# --------------------------------------------------------------------------------------------
# The Explorer
# --------------------------------------------------------------------------------------------

K_MAX = 50


@dataclass
class Release:
    """What :func:`explore` returns: the chosen release, the curve over k and a sample to show."""

    k_required: int
    keep: str
    chosen: pd.Series
    curve: pd.DataFrame
    sample: pd.DataFrame

    @property
    def levels(self) -> dict[str, int]:
        return {q: int(self.chosen[q]) for q in QUASI_IDENTIFIERS}


def explore(frame: pd.DataFrame, lat: pd.DataFrame, k: int = 5, keep: str = "none",
            sample_rows: int = 6, curves: Mapping[str, pd.DataFrame] | None = None) -> Release:
    """The pure function behind the k Explorer: the best k-anonymous release and the risk/loss curve.

    ``curves`` may hold :func:`frontier` over k = 1 ... K_MAX for each keep option, computed once
    (the Explorer passes them, so a redraw does not recompute them).
    """
    chosen = best_release(lat, k, keep)
    curve = curves[keep] if curves is not None and keep in curves else frontier(lat, range(1, K_MAX + 1), keep)
    levels = {q: int(chosen[q]) for q in QUASI_IDENTIFIERS}
    sample = generalise(frame.iloc[:sample_rows], levels)
    sample.insert(0, "record", frame["record_id"].iloc[:sample_rows].to_numpy())
    return Release(int(k), keep, chosen, curve, sample)


def _levels_text(levels: Mapping[str, int]) -> str:
    parts = []
    for q, lv in levels.items():
        name, level = _(q), _(HIERARCHIES[q][lv])
        parts.append(_f("{name}: {level}"))
    return _("; ").join(parts)


def _finding(r: Release) -> str:
    c = r.chosen
    return _f("Required k = {r.k_required}: re-identification risk at worst 1 in {int(c['k'])}, on average "
              "{c['average_risk']:.1%}; {c['homogeneous_share']:.0%} of records still reveal their debt status; "
              "precision lost {c['precision_loss']:.0%}")


def describe(r: Release) -> str:
    """Alt text with the current numbers."""
    c = r.chosen
    first, last = r.curve.iloc[0], r.curve.iloc[-1]
    return _f("Two line charts over the required k from 1 to {K_MAX}, for the SYNTHETIC table of "
              "{int(c['n'])} invented residents. Left, in per cent: re-identification risk, worst case (1/k "
              "achieved) and average, falling from {first['max_risk']:.0%} and {first['average_risk']:.0%} at k = 1 "
              "to {last['max_risk']:.1%} and {last['average_risk']:.1%} at k = {K_MAX}, and the share of records in "
              "classes where everyone has the same debt status (from {first['homogeneous_share']:.0%} to "
              "{last['homogeneous_share']:.0%}). Right: precision lost, rising from {first['precision_loss']:.0%} to "
              "{last['precision_loss']:.0%}. A vertical line marks the chosen k = {r.k_required}: "
              "{_levels_text(r.levels)}.")


def levels_html(r: Release) -> str:
    """The chosen generalisation and its numbers, and a sample of released records, labelled SYNTHETIC."""
    c = r.chosen
    rows = "".join(f"<tr><th scope='row' style='text-align:left;padding:2px 8px'>{html.escape(_(q))}</th>"
                   f"<td style='padding:2px 8px'>{html.escape(_(HIERARCHIES[q][int(c[q])]))}</td></tr>"
                   for q in QUASI_IDENTIFIERS)
    kept = _(KEEP_OPTIONS[r.keep])
    keep = "" if r.keep == "none" else _f(" (keeping {kept} as detailed as possible)")
    numbers = _f("k achieved {int(c['k'])} · {int(c['classes'])} classes · records alone in their class "
                 "{c['unique_share']:.1%} · average class size of a record {c['discernibility']:.1f} · records whose "
                 "overdue-debt status is revealed by their class {c['homogeneous_share']:.1%}.")
    sample = r.sample.to_html(index=False, classes="course-table", border=0)
    heading, n_sample = _f("Least costly release for k = {r.k_required}{keep}:"), len(r.sample)
    synthetic = _("SYNTHETIC data")
    first_rows = _f(" — the first {n_sample} invented records as they would be released "
                    "(no record describes a real person):")
    return (f"<div style='font-size:13px'><p><b>{html.escape(heading)}</b></p>"
            f"<table style='border-collapse:collapse;margin-bottom:4px'>{rows}</table>"
            f"<p>{html.escape(numbers)}</p>"
            f"<p><b>{html.escape(synthetic)}</b>{html.escape(first_rows)}</p>{sample}</div>")




_PANELS = ((0, (("max_risk", N_("re-identification, worst case (1/k)")),
                ("average_risk", N_("re-identification, average")),
                ("homogeneous_share", N_("debt status revealed by the class")))),
           (1, (("precision_loss", N_("precision lost")),)))


def _new_figure(r: Release) -> dict:
    """The parts of the chart that do not change with k or with what is kept detailed."""
    import matplotlib.pyplot as plt

    from course import plots

    fig, axes = plt.subplots(1, 2, figsize=(8.8, 3.8), dpi=100, gridspec_kw={"width_ratios": [1.25, 1]},
                             FigureClass=plots.layered_figure_class())
    ks = r.curve.index.to_numpy()
    lines, marks = {}, []
    for panel, series in _PANELS:
        ax = axes[panel]
        for i, (col, label) in enumerate(series):
            st = plots.series_style(i if panel == 0 else 3)
            lines[col], = ax.plot(ks, r.curve[col] * 100, color=st["color"], linestyle=st["linestyle"],
                                  marker=st["marker"], markevery=[0, 1, 4, 9, 19, 49], markersize=5,
                                  drawstyle="steps-post", label=_(label))
        marks.append(ax.axvline(r.k_required, color="black", linewidth=1, linestyle=":"))
        ax.set_xscale("log")
        ax.set_xticks([1, 2, 5, 10, 20, 50], ["1", "2", "5", "10", "20", "50"])
        ax.minorticks_off()
        ax.set_xlabel(_("required k (log scale)"))
        ax.set_ylim(0, 102)
        ax.set_xlim(*ax.get_xlim())   # fixed: the curves always span k = 1 ... K_MAX
        ax.legend(fontsize=8.5, loc="upper right" if panel == 0 else "lower right")
        ax.set_ylabel(_("per cent"))
    axes[0].set_title(_("Risk falls ..."), loc="left", fontsize=11, fontweight="normal")
    axes[1].set_title(_("... information is lost"), loc="left", fontsize=11, fontweight="normal")
    title = plots.finding_title(fig, _finding(r), width=84)
    fig.text(0.01, 0.01, _("SYNTHETIC data: 2,000 invented residents"), fontsize=8.5, style="italic")
    fig.subplots_adjust(left=0.07, right=0.98, top=0.8, bottom=0.17, wspace=0.22)
    spans = _legend_spans(fig, axes)
    _place_marks(marks, axes, spans, r.k_required)
    fig.course_dynamic = (*lines.values(), *marks, title)
    return {"fig": fig, "axes": list(axes), "lines": lines, "marks": marks, "spans": spans, "key": plots.reuse_key()}


def _legend_spans(fig, axes) -> list[tuple[float, float, float, float]]:
    """Each panel's legend box in axes fractions (x0, x1, y0, y1); the legends never move."""
    renderer = fig.canvas.get_renderer()
    spans = []
    for ax in axes:
        box = ax.get_legend().get_window_extent(renderer).transformed(ax.transAxes.inverted())
        spans.append((box.x0, box.x1, box.y0, box.y1))
    return spans


def _place_marks(marks, axes, spans, k) -> None:
    """The dotted line at the required k, stopped short of a legend it would cross (it is drawn last)."""
    for ax, mark, (x0, x1, y0, y1) in zip(axes, marks, spans):
        x = ax.transAxes.inverted().transform(ax.transData.transform((k, 1)))[0]
        lo, hi = 0.0, 1.0
        if x0 - 0.01 <= x <= x1 + 0.01:
            if y0 > 0.5:
                hi = y0 - 0.02   # the legend is at the top
            else:
                lo = y1 + 0.02   # the legend is at the bottom
        mark.set_xdata([k, k])
        mark.set_ydata([lo, hi])


def render(r: Release, view: dict | None = None):
    """Risk and information loss against the required k, with the current k marked; then the levels table.

    ``view`` (a dict kept by the Explorer) holds the figure of the previous redraw: the new curves,
    k markers and title are put into it, and the figure redraws only those over the pixels it kept
    of everything else (see :func:`course.plots.layered_figure_class`); a new figure is made for another
    language or fonts.
    """
    from course import plots

    with plots.course_style():
        if plots.kept(view):
            ks = r.curve.index.to_numpy()
            for col, line in view["lines"].items():
                line.set_data(ks, r.curve[col].to_numpy() * 100)
            _place_marks(view["marks"], view["axes"], view["spans"], r.k_required)
            plots.finding_title(view["fig"], _finding(r), width=84)
        else:
            view = plots.keep(view, _new_figure(r))
    return [view["fig"], levels_html(r)]


def build_explorer(frame: pd.DataFrame, lat: pd.DataFrame | None = None, k: int = 5):
    """The lesson's Explorer: a k slider and what to keep detailed."""
    import ipywidgets as w

    from course.widgets import Explorer

    lat = lattice(frame) if lat is None else lat
    curves = {keep: frontier(lat, range(1, K_MAX + 1), keep) for keep in KEEP_OPTIONS}
    controls = {
        "k": w.IntSlider(value=k, min=1, max=K_MAX, step=1, description=_("required k"), continuous_update=False),
        "keep": w.Dropdown(options=[(_(label), key) for key, label in KEEP_OPTIONS.items()], value="none",
                           description=_("keep detailed"), layout=w.Layout(width="420px")),
    }

    def compute(k, keep):
        return explore(frame, lat, k=k, keep=keep, curves=curves)

    view: dict = {}  # the figure drawn last, updated in place by the next redraw
    return Explorer(controls, compute, lambda r: render(r, view), alt=describe,
                    title=_("k-anonymity on SYNTHETIC records: privacy risk against information loss"),
                    caption=_("SYNTHETIC data generated by the course (scripts/synthetic_microdata.py); "
                              "no record describes a real person."))
