"""Helpers for the graded problem sets (``exercises/``): variants, reference answers, grading by name.

The tests inside a problem-set notebook call these functions. Three ideas:

* **Variants.** :func:`variant` picks one option from a list, deterministically from a hash of the
  student's id, so every student gets their own province, year or sector and the grader can
  recompute it. :func:`params` gives the variant of one question of problem set 1.
* **Reference answers.** :func:`expected` computes a question's answer for a student's variant with
  the course's own functions (:mod:`course.measures` on :func:`course.load` data). It is called by
  the hidden tests only; its value is never printed.
* **Grading by name.** :func:`answer` reads a student's variable or function from the kernel
  namespace by its name, so moving or splitting cells does not matter. :func:`self_check` (visible
  tests: type and range) and :func:`hidden_check` (hidden tests: the value) take a question name.

Test cells reload this module first (``importlib.reload``), so a student who overrides one of these
helpers, or binds the name ``course`` to something else, is still graded by the real code.

Examples
--------
>>> variant("s123", ["a", "b", "c"], "q1") == variant(" S123 ", ["a", "b", "c"], "q1")
True
>>> sorted(QUESTIONS)
['q0_spread', 'q1_tfp', 'q2_between_share', 'q3_years', 'q4_lq', 'q5_score', 'q6_cagr']
"""

from __future__ import annotations

import hashlib
import inspect
import math
import numbers
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["variant", "params", "expected", "answer", "self_check", "hidden_check", "QUESTIONS",
           "PLACEHOLDER_ID", "student_id_of"]

PLACEHOLDER_ID = "..."
_MISSING = object()

# ---------------------------------------------------------------------------
# variants
# ---------------------------------------------------------------------------


def _normalise_id(student_id) -> str:
    if not isinstance(student_id, str) or not student_id.strip() or student_id.strip() == PLACEHOLDER_ID:
        raise ValueError('Set STUDENT_ID in the first cell to your student id, e.g. STUDENT_ID = "s1234567"')
    return student_id.strip().lower()


def variant(student_id, options, salt: str = ""):
    """One element of ``options``, chosen from a SHA-256 hash of the (normalised) id and ``salt``.

    The same id always gets the same option; case and surrounding spaces of the id do not matter.
    Use a different ``salt`` per question so the choices are independent.
    """
    options = list(options)
    if not options:
        raise ValueError("variant: options must not be empty")
    key = f"nqpf-course/variant/v1:{salt}:{_normalise_id(student_id)}".encode()
    return options[int(hashlib.sha256(key).hexdigest(), 16) % len(options)]


# Variant options of problem set 1 (fixed lists: changing them changes every student's variant).
SPREAD_YEARS = list(range(2013, 2025))  # question 0: years with published per-capita GDP of all 31 provinces
PRE, POST = "pre_5th_census_revision", "post_5th_census_revision"
PERIODS = [(1978, 1990), (1990, 2000), (2000, 2010), (2010, 2019), (1995, 2007), (2007, 2019)]
THEIL_YEARS = list(range(2010, 2025))
PEERS = ["United States", "Japan", "South Korea", "Germany"]
LQ_SECTORS = {"C": "Manufacturing", "I": "Information transmission, software and IT services",
              "J": "Financial intermediation", "M": "Scientific research and technical services"}
ALPHA = 0.4  # capital share used in question 1


@lru_cache(maxsize=None)
def _province_names() -> tuple:
    import course

    prov = course.load("provinces")
    return tuple(prov.sort_values("province_code")["province_en"])


@lru_cache(maxsize=None)
def _q5_provinces() -> tuple:
    # provinces whose energy indicator scores near 0.5 are left out: there, forgetting to reverse
    # the cost indicator would hardly change the score, so the question would not test it
    from course import measures

    scaled = measures.minmax(_q5_frame()["energy"])
    return tuple(p for p, m in scaled.items() if abs(1 - 2 * m) >= 0.04)


def params(question: str, student_id) -> dict:
    """The variant of one question of problem set 1 for a student, as a dict of settings."""
    q = _question_key(question)
    if q == "q0_spread":
        year = variant(student_id, SPREAD_YEARS, q)
        # 2019 is published in both vintages: the revised one is used from 2019 on
        return {"year": year, "vintage": POST if year >= 2019 else PRE}
    if q == "q1_tfp":
        start, end = variant(student_id, PERIODS, q)
        return {"start": start, "end": end, "alpha": ALPHA}
    if q == "q2_between_share":
        return {"year": variant(student_id, THEIL_YEARS, q)}
    if q == "q3_years":
        return {"peer": variant(student_id, PEERS, q), "base_year": 2021, "growth_from": 2011}
    if q == "q4_lq":
        return {"province": variant(student_id, _province_names(), q + "/province"),
                "sector": variant(student_id, sorted(LQ_SECTORS), q + "/sector")}
    if q == "q5_score":
        return {"province": variant(student_id, _q5_provinces(), q)}
    return {}


# ---------------------------------------------------------------------------
# reference answers (course.measures on course.load data)
# ---------------------------------------------------------------------------


def _question_key(question: str) -> str:
    for name in QUESTIONS:
        if question == name or question == name.split("_")[0]:
            return name
    raise KeyError(f"unknown question {question!r}; known: {', '.join(QUESTIONS)}")


def _ref_spread(year: int, vintage: str) -> float:
    import course

    va = course.load("province_value_added")
    per_capita = va[(va.year == year) & (va.vintage == vintage)].gdp_per_capita_yuan
    if len(per_capita) != 31:
        raise ValueError(f"reference for {year} ({vintage}): expected 31 provinces, got {len(per_capita)}")
    return float(per_capita.max() / per_capita.min())


def _ref_tfp(start: int, end: int, alpha: float) -> float:
    import course

    pwt = course.load("pwt_china").set_index("year")
    years = end - start

    def g(col):
        return (math.log(pwt.loc[end, col]) - math.log(pwt.loc[start, col])) / years

    return g("rgdpna_mil_2017usd") - alpha * g("rnna_mil_2017usd") - (1 - alpha) * (g("emp_millions") + g("hc_index"))


def _ref_between_share(year: int) -> float:
    import course
    from course import measures

    gdp = course.load("province_gdp")
    gdp = gdp[(gdp.vintage == "post_5th_census_revision") & (gdp.year == year)]
    pop = course.load("province_population")
    pop = pop[pop.year == year]
    frame = gdp.merge(pop[["province_code", "resident_population_10k"]], on="province_code")
    if len(frame) != 31:
        raise ValueError(f"reference for {year}: expected 31 provinces, got {len(frame)}")
    per_capita = frame.gdp_100m_yuan * 1e8 / (frame.resident_population_10k * 1e4)
    dec = measures.theil_decomposition(per_capita, frame.nbs_region_en, weights=frame.resident_population_10k)
    return dec.between / dec.total


def _ref_years(peer: str) -> float:
    import course

    rd = course.load("rd_intensity_countries").pivot(index="year", columns="entity", values="rd_expenditure_pct_gdp")
    from course import measures

    g = float(measures.cagr(rd.loc[2011, "China"], rd.loc[2021, "China"], 10))
    return math.log(rd.loc[2021, peer] / rd.loc[2021, "China"]) / math.log(1 + g)


def _lq_matrix():
    import course

    emp = course.load("province_employment_by_sector_2024")
    emp = emp[(emp.sector_code_gbt4754 != "TOTAL") & (emp.province_code != 100000)]
    return emp.pivot(index="province_en", columns="sector_code_gbt4754", values="employment_10k")


def _ref_lq(province: str, sector: str) -> float:
    from course import measures

    return float(measures.location_quotient(_lq_matrix()).loc[province, sector])


@lru_cache(maxsize=None)
def _q5_frame():
    import course

    rd = course.load("province_rd_intensity_restated")
    rd = rd[(rd.year == 2023) & (rd.province_code != 100000)].set_index("province_en")["rd_intensity_pct"]
    en = course.load("province_energy_intensity_change_2020")
    en = en[en.province_code != 100000].set_index("province_en")["energy_intensity_change_pct"]
    frame = __import__("pandas").DataFrame({"rd": rd, "energy": en}).dropna()
    return frame.loc[[p for p in _province_names() if p in frame.index]]


def _ref_score(province: str) -> float:
    from course import measures

    frame = _q5_frame()
    scaled = measures.minmax(frame, direction={"rd": "+", "energy": "-"})
    return float(scaled.loc[province].mean())


def _ref_cagr(start, end, years):
    from course import measures

    return float(measures.cagr(start, end, years))


def expected(question: str, student_id):
    """The reference answer of ``question`` for ``student_id`` (question 6: a list of cases)."""
    q = _question_key(question)
    p = params(q, student_id)
    if q == "q0_spread":
        return _ref_spread(p["year"], p["vintage"])
    if q == "q1_tfp":
        return _ref_tfp(p["start"], p["end"], p["alpha"])
    if q == "q2_between_share":
        return _ref_between_share(p["year"])
    if q == "q3_years":
        return _ref_years(p["peer"])
    if q == "q4_lq":
        return _ref_lq(p["province"], p["sector"])
    if q == "q5_score":
        return _ref_score(p["province"])
    return [((s, e, y), _ref_cagr(s, e, y)) for s, e, y in Q6_CASES]


Q6_CASES = [(100, 121, 2), (50, 25, 1), (1.78, 2.43, 10), (200, 400, 7.5), (80, 80, 3)]

# name -> (points, tolerance (absolute), plausible range for the visible self-check, kind)
QUESTIONS = {
    "q0_spread": (2, 2e-3, (1.0, 100.0), "number"),
    "q1_tfp": (3, 5e-4, (-0.2, 0.2), "number"),
    "q2_between_share": (3, 2e-3, (0.0, 1.0), "number"),
    "q3_years": (2, 0.05, (0.0, 200.0), "number"),
    "q4_lq": (2, 2e-3, (0.0, 50.0), "number"),
    "q5_score": (3, 2e-3, (0.0, 1.0), "number"),
    "q6_cagr": (2, 1e-6, None, "function"),
}

# ---------------------------------------------------------------------------
# grading by name
# ---------------------------------------------------------------------------


def _namespace() -> dict:
    try:  # inside a Jupyter kernel: the user's namespace, wherever the cell was
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            return shell.user_ns
    except ImportError:  # pragma: no cover
        pass
    frame = inspect.currentframe()
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


def answer(name: str, default=_MISSING):
    """The student's variable or function called ``name`` (read from the kernel namespace)."""
    ns = _namespace()
    if name in ns:
        return ns[name]
    if default is not _MISSING:
        return default
    raise NameError(f"{name} is not defined: run the cell where you compute it, and keep this exact name")


def student_id_of() -> str:
    """The STUDENT_ID typed in the notebook, checked to be set."""
    return _normalise_id(answer("STUDENT_ID"))


GRADED_ID_FILE = "graded_id.txt"


def graded_id() -> str:
    """The id whose variant the hidden tests check.

    While the instructor autogrades, ``exercises/grade.py`` writes the id of the student the
    submission was *collected from* into ``graded_id.txt`` beside the notebook, so a notebook
    carrying another student's id (a copied neighbour's work) is checked against the collecting
    student's variant, and fails where the variants differ. Elsewhere (a student running their
    own notebook) it is the notebook's ``STUDENT_ID``.
    """
    marker = Path.cwd() / GRADED_ID_FILE
    if marker.is_file():
        return _normalise_id(marker.read_text(encoding="utf-8").strip())
    return student_id_of()


def _as_number(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.item()
        else:
            raise AssertionError(f"{name} should be a single number (a float), not {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise AssertionError(f"{name} should be a finite number, not {value}")
    return value


def self_check(question: str) -> str:
    """The visible test of a question: the answer exists, has the right type and a plausible range."""
    q = _question_key(question)
    student_id_of()
    points, _tol, plausible, kind = QUESTIONS[q]
    value = answer(q)
    if kind == "function":
        if not callable(value):
            raise AssertionError(f"{q} should be a function")
        out = value(100, 110, 1)
        _as_number(f"{q}(100, 110, 1)", out)
        message = f"{q}: a function returning a number. The hidden tests check its values."
    else:
        x = _as_number(q, value)
        lo, hi = plausible
        if not lo <= x <= hi:
            raise AssertionError(f"{q} = {x:g} is outside the plausible range [{lo:g}, {hi:g}]: check units "
                                 "(a fraction, not a percent?) and the formula")
        message = f"{q}: a number in a plausible range. The hidden tests check the value ({points} points)."
    print(message)
    return message


def hidden_check(question: str) -> None:
    """The hidden test: compare the student's answer with the reference for their variant.

    The failure message shows the student's own value but never the expected one.
    """
    q = _question_key(question)
    student_id_of()  # the notebook must still set its STUDENT_ID
    sid = graded_id()
    _points, tol, _plausible, kind = QUESTIONS[q]
    value = answer(q)
    if kind == "function":
        for args, ref in expected(q, sid):
            try:
                got = _as_number(q, value(*args))
            except AssertionError:
                raise
            except Exception as exc:  # noqa: BLE001 - the student's code
                raise AssertionError(f"{q}{args} raised {type(exc).__name__}") from None
            if not abs(got - ref) <= tol:
                raise AssertionError(f"{q}{args} returned {got:.6g}, which is not accepted")
        return
    got = _as_number(q, value)
    ok = abs(got - expected(q, sid)) <= tol
    if not ok:
        raise AssertionError(f"{q} = {got:.6g} is not accepted for your variant {params(q, sid)}")
