"""How a problem set declares its questions: points, answer names, variants, references, tolerance.

Instructor-only: this package and ``exercises/problemsets/`` are left out of the student edition.
A problem set is one module ``exercises/problemsets/<name>.py`` with a ``PROBLEM_SET`` built from
these classes (see ``exercises/README.md``, "Writing a problem set"):

* :class:`Number` — one or more numbers stored under given names, compared with a reference within
  a tolerance;
* :class:`Function` — a function the student writes, called by the grader's report cell on inputs the
  grader chooses, each output compared with the reference;
* :class:`Choice` — one of a few labelled options (a string);
* :class:`Written` — graded by hand in formgrader, with the rubric in the instructor notebook.

Variants are drawn in the grader's process from the collecting student's id with the public hash
:func:`course.grading.variant` over the options a question lists (:func:`choose`); the same options
are published in ``questions.json`` beside the released notebook so that students see their own
variant with ``grading.params``. References are computed here, in the grader's process, never in
the student's kernel, and the verdict messages show the student's value, never the expected one.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from course.grading import draw as _draw
from course.i18n import _f  # verdicts in the problem set's language (translated editions: COURSE_LANGUAGE)

EXERCISES = Path(__file__).resolve().parent.parent
_SCALARS = (int, float, str, bool, type(None))


@dataclass(frozen=True)
class Draw:
    """One independent pick: ``options`` (dicts merged into the variant) drawn with ``salt``."""
    salt: str
    options: tuple

    def public(self) -> dict:
        return {"salt": self.salt, "options": [dict(o) for o in self.options]}


def choose(salt: str, options, key: str | None = None) -> Draw:
    """A draw over ``options``: dicts, or plain values stored under ``key`` (``choose("q2", years, key="year")``)."""
    options = list(options)
    if key is not None:
        options = [{key: o} for o in options]
    if not options or not all(isinstance(o, dict) for o in options):
        raise ValueError(f"choose({salt!r}): options must be a non-empty list of dicts (or give key=)")
    for o in options:
        for k, v in o.items():
            if not isinstance(v, _SCALARS):
                raise ValueError(f"choose({salt!r}): option {k}={v!r} must be a number, string or bool")
    return Draw(salt, tuple(options))


@dataclass
class Verdict:
    ok: bool
    message: str


def _decode_number(name: str, enc) -> tuple[float | None, str]:
    """(value, "") or (None, why) from the report's encoding of one value."""
    if not isinstance(enc, dict) or enc.get("t") == "missing":
        return None, _f("{name} is not defined after the whole notebook ran: store your answer under this exact name")
    t = enc.get("t")
    if t == "number":
        try:
            x = float(str(enc.get("v"))[:40])
        except ValueError:
            return None, _f("{name} could not be read as a number")
        if not math.isfinite(x):
            return None, _f("{name} should be a finite number, not {x}")
        return x, ""
    if t == "error":
        error = str(enc.get("error"))[:60]
        return None, _f("{name} could not be read ({error})")
    shown = {"bool": "bool", "str": "str", "callable": "function"}.get(t, str(enc.get("type", "object"))[:60])
    return None, _f("{name} should be a single number (a float), not {shown}")


def _close(x: float, ref: float, tol: float, rtol: float) -> bool:
    return abs(x - ref) <= tol + rtol * abs(ref)


class Question:
    kind = ""

    def __init__(self, name: str, points: float, *, variant=None):
        if not name.isidentifier():
            raise ValueError(f"question name {name!r} must be a Python identifier")
        self.name, self.points = name, float(points)
        self.draws = [variant] if isinstance(variant, Draw) else list(variant or [])

    @property
    def test_cell(self) -> str:
        """grade_id of the notebook cell that carries the points (the self-check cell)."""
        return f"{self.name}_test"

    def params(self, student_id) -> dict:
        return _draw(student_id, [d.public() for d in self.draws])

    def public(self) -> dict:
        pts = int(self.points) if self.points.is_integer() else self.points
        out = {"kind": self.kind, "points": pts}
        if self.draws:
            out["variant"] = [d.public() for d in self.draws]
        return out

    def names(self) -> list[str]:
        return [self.name]

    def calls(self, params: dict) -> list[tuple]:
        return []

    def expected(self, params: dict):
        raise NotImplementedError

    def grade(self, params: dict, values: dict, results: list | None, expected=None) -> Verdict:
        raise NotImplementedError


class Number(Question):
    """Numbers stored under ``names`` (default: the question's name), each within the tolerance.

    ``reference(**params)`` returns one float, or a tuple with one float per name.
    """
    kind = "number"

    def __init__(self, name, points, *, reference, tolerance, rel_tolerance=0.0, plausible=None, names=None,
                 variant=None):
        super().__init__(name, points, variant=variant)
        self.reference, self.tol, self.rtol = reference, float(tolerance), float(rel_tolerance)
        self.plausible = tuple(plausible) if plausible else None
        self._names = list(names or [name])

    def public(self) -> dict:
        out = super().public()
        if self.plausible:
            out["plausible"] = list(self.plausible)
        if self._names != [self.name]:
            out["names"] = list(self._names)
        return out

    def names(self) -> list[str]:
        return list(self._names)

    def expected(self, params):
        ref = self.reference(**params)
        refs = tuple(ref) if isinstance(ref, (tuple, list)) else (ref,)
        if len(refs) != len(self._names):
            raise ValueError(f"{self.name}: reference gave {len(refs)} values for {len(self._names)} names")
        return tuple(float(r) for r in refs)

    def grade(self, params, values, results, expected=None):
        expected = self.expected(params) if expected is None else expected
        for n, ref in zip(self._names, expected):
            x, why = _decode_number(n, values.get(n))
            if x is None:
                return Verdict(False, why)
            if not _close(x, ref, self.tol, self.rtol):
                return Verdict(False, _f("{n} = {x:.6g} is not accepted for your variant {params}"))
        names, points = ", ".join(self._names), _pts(self.points)
        return Verdict(True, _f("{names}: accepted ({points})"))


class Function(Question):
    """A function ``name(*args)``; the grader calls it on ``cases`` and compares with ``reference(*args)``.

    ``cases``: a list of argument tuples, or ``cases(**params)`` for per-variant inputs. ``example``: the
    arguments the visible self-check uses (shown to students; keep it out of ``cases``).
    """
    kind = "function"

    def __init__(self, name, points, *, reference, cases, tolerance, rel_tolerance=0.0, example=(), variant=None):
        super().__init__(name, points, variant=variant)
        self.reference, self.cases = reference, cases
        self.tol, self.rtol, self.example = float(tolerance), float(rel_tolerance), tuple(example)

    def public(self) -> dict:
        return {**super().public(), "example": list(self.example)}

    def calls(self, params):
        cases = self.cases(**params) if callable(self.cases) else self.cases
        out = [tuple(c) for c in cases]
        for c in out:
            if not all(isinstance(v, _SCALARS) for v in c):
                raise ValueError(f"{self.name}: case {c!r} must hold numbers, strings or bools only")
        return out

    def expected(self, params):
        return tuple(float(self.reference(*args)) for args in self.calls(params))

    def grade(self, params, values, results, expected=None):
        expected = self.expected(params) if expected is None else expected
        enc = values.get(self.name)
        if not isinstance(enc, dict) or enc.get("t") == "missing":
            return Verdict(False, _f("{self.name} is not defined after the whole notebook ran: define the function under this exact name"))
        if enc.get("t") != "callable":
            return Verdict(False, _f("{self.name} should be a function"))
        if not isinstance(results, list) or len(results) != len(expected):
            return Verdict(False, _f("{self.name} could not be called by the grader (it did not return in time, or the kernel stopped)"))
        for args, ref, res in zip(self.calls(params), expected, results):
            shown = f"{self.name}{args}"
            if isinstance(res, dict) and res.get("t") == "error":
                error = str(res.get("error"))[:60]
                return Verdict(False, _f("{shown} raised {error}"))
            x, why = _decode_number(shown, res)
            if x is None:
                return Verdict(False, why)
            if not _close(x, ref, self.tol, self.rtol):
                return Verdict(False, _f("{shown} returned {x:.6g}, which is not accepted"))
        points = _pts(self.points)
        return Verdict(True, _f("{self.name}: accepted on every input the grader tried ({points})"))


class Choice(Question):
    """One of ``options`` (strings) stored under the question's name; ``reference(**params)`` is the right one."""
    kind = "choice"

    def __init__(self, name, points, *, options, reference, variant=None):
        super().__init__(name, points, variant=variant)
        self.options, self.reference = [str(o) for o in options], reference

    def public(self) -> dict:
        return {**super().public(), "options": list(self.options)}

    def expected(self, params):
        ref = str(self.reference(**params))
        if ref not in self.options:
            raise ValueError(f"{self.name}: reference {ref!r} is not one of the options")
        return (ref,)

    def grade(self, params, values, results, expected=None):
        expected = self.expected(params) if expected is None else expected
        enc = values.get(self.name)
        if not isinstance(enc, dict) or enc.get("t") == "missing":
            return Verdict(False, _f("{self.name} is not defined after the whole notebook ran"))
        if enc.get("t") != "str" or enc.get("v") not in self.options:
            return Verdict(False, _f("{self.name} should be one of {self.options}"))
        if enc["v"] != expected[0]:
            value = enc["v"]
            return Verdict(False, _f("{self.name} = {value!r} is not accepted"))
        points = _pts(self.points)
        return Verdict(True, _f("{self.name}: accepted ({points})"))


class Written(Question):
    """Graded by hand (formgrader); the grade cell is the markdown answer cell with this grade_id."""
    kind = "written"

    @property
    def test_cell(self) -> str:
        return self.name

    def names(self) -> list[str]:
        return []


@contextlib.contextmanager
def _language(language: str):
    """Switch ``course.i18n`` to ``language`` for the verdicts of one problem set, then back."""
    from course import i18n

    before = i18n.get_language()
    if language != before:
        i18n.set_language(language)
    try:
        yield
    finally:
        if i18n.get_language() != before:
            i18n.set_language(before)


def _pts(points: float) -> str:
    p = int(points) if float(points).is_integer() else points
    return _f("{p} point") if p == 1 else _f("{p} points")


class ProblemSet:
    """The questions of one problem set (an nbgrader assignment with one notebook of the same name)."""

    def __init__(self, name: str, questions: list[Question], language: str = "en"):
        self.name, self.language = name, language  # a translated edition's verdicts are in its language
        self.questions = {q.name: q for q in questions}
        if len(self.questions) != len(questions):
            raise ValueError(f"{name}: question names must be unique")
        seen = {}
        for q in questions:
            for n in q.names():
                if n in seen:
                    raise ValueError(f"{name}: answer name {n!r} is used by {seen[n]} and {q.name}")
                seen[n] = q.name
        self._cache: dict = {}

    @property
    def autograded(self) -> list[Question]:
        return [q for q in self.questions.values() if q.kind != "written"]

    def question(self, name: str) -> Question:
        for q in self.questions.values():
            if name in (q.name, q.name.split("_")[0], q.test_cell):
                return q
        raise KeyError(f"unknown question {name!r}; {self.name} has: {', '.join(self.questions)}")

    def params(self, question: str, student_id) -> dict:
        return self.question(question).params(student_id)

    def expected(self, question: str, student_id):
        """The reference value(s) for one student's variant (cached per variant)."""
        q = self.question(question)
        p = q.params(student_id)
        key = (q.name, json.dumps(p, sort_keys=True))
        if key not in self._cache:
            self._cache[key] = q.expected(p)
        return self._cache[key]

    def public(self) -> dict:
        """What ``questions.json`` holds: kinds, points, plausible ranges, variant options. No answers."""
        return {"problem_set": self.name, "version": 1,
                "questions": {q.name: q.public() for q in self.questions.values()}}

    def public_json(self) -> str:
        return json.dumps(self.public(), indent=1, ensure_ascii=False) + "\n"

    def report_plan(self, student_id) -> tuple[list[str], dict[str, list[tuple]]]:
        """Names whose values the kernel reports, and the grader's calls of each function question."""
        names = ["STUDENT_ID"]
        calls = {}
        for q in self.autograded:
            names += q.names()
            if q.kind == "function":
                calls[q.name] = q.calls(q.params(student_id))
        return names, calls

    def grade(self, student_id, values: dict, results: dict) -> dict[str, Verdict]:
        """Compare what the kernel reported with the references, all in this process.

        The verdicts' text is in the problem set's language (``course.i18n``, the package catalogue).
        """
        out = {}
        with _language(self.language):
            for q in self.autograded:
                p = q.params(student_id)
                out[q.name] = q.grade(p, values, results.get(q.name), self.expected(q.name, student_id))
        return out


def load(assignment: str) -> ProblemSet:
    """The ``PROBLEM_SET`` of ``exercises/problemsets/<assignment>.py``."""
    if not assignment.isidentifier():
        raise ValueError(f"assignment name {assignment!r} must be a Python identifier")
    if str(EXERCISES) not in sys.path:
        sys.path.insert(0, str(EXERCISES))
    try:
        module = importlib.import_module(f"problemsets.{assignment}")
    except ModuleNotFoundError as exc:
        raise FileNotFoundError(f"no grading specification exercises/problemsets/{assignment}.py ({exc})") from None
    ps = getattr(module, "PROBLEM_SET", None)
    if not isinstance(ps, ProblemSet) or ps.name != assignment:
        raise ValueError(f"exercises/problemsets/{assignment}.py must define PROBLEM_SET = ProblemSet({assignment!r}, ...)")
    return ps
