"""Student-side helpers for the graded problem sets: your variant, your answers by name, self-checks.

Nothing here knows a reference answer. Grading happens on the instructor's side: after your whole
notebook has run, the grader reads the answers you stored under the names the questions give and
compares them, in its own process, with reference values it computes itself. This module only helps
you while you work:

* :func:`params` gives your **variant** of a question (your year, province, period ...). Variants are
  drawn from a hash of your student id over the options listed in the ``questions.json`` file that
  comes with each problem set (:func:`variant` is the draw, so you can check it by hand).
* :func:`self_check` is the visible check in each test cell: the answer exists under its name and has
  the right type and a plausible range. It never tells you whether the value is right.
* :func:`answer` reads one of your variables by name, wherever the cell that set it is.

Examples
--------
>>> variant("s123", ["a", "b", "c"], "q1") == variant(" S123 ", ["a", "b", "c"], "q1")
True
>>> variant("s123", [10, 20, 30], "q1") in (10, 20, 30)
True
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import numbers
from pathlib import Path

from course.i18n import _, _f

__all__ = ["variant", "params", "answer", "self_check", "student_id_of", "PLACEHOLDER_ID", "QUESTIONS_FILE"]

PLACEHOLDER_ID = "..."
QUESTIONS_FILE = "questions.json"
_MISSING = object()


def _normalise_id(student_id) -> str:
    if not isinstance(student_id, str) or not student_id.strip() or student_id.strip() == PLACEHOLDER_ID:
        raise ValueError(_('Set STUDENT_ID in the first cell to your student id, e.g. STUDENT_ID = "s1234567"'))
    return student_id.strip().lower()


def variant(student_id, options, salt: str = ""):
    """One element of ``options``, chosen from a SHA-256 hash of the (normalised) id and ``salt``.

    The same id always gets the same option; case and surrounding spaces of the id do not matter.
    Each question uses its own ``salt`` so the choices are independent.
    """
    options = list(options)
    if not options:
        raise ValueError("variant: options must not be empty")
    key = f"nqpf-course/variant/v1:{salt}:{_normalise_id(student_id)}".encode()
    return options[int(hashlib.sha256(key).hexdigest(), 16) % len(options)]


def _questions(path=None) -> dict:
    p = Path(path) if path is not None else Path.cwd() / QUESTIONS_FILE
    try:
        return json.loads(p.read_text(encoding="utf-8"))["questions"]
    except FileNotFoundError:
        raise FileNotFoundError(f"{p.name} is missing next to this notebook: it comes with the problem set; "
                                "fetch the problem set again or copy the file back") from None


def _question(question: str, path=None) -> tuple[str, dict]:
    qs = _questions(path)
    for name, spec in qs.items():
        if question == name or question == name.split("_")[0]:
            return name, spec
    raise KeyError(f"unknown question {question!r}; this problem set has: {', '.join(qs)}")


def draw(student_id, draws: list) -> dict:
    """Merge one pick per draw (``{"salt": ..., "options": [dict, ...]}``) into a dict of settings."""
    out: dict = {}
    for d in draws:
        out.update(variant(student_id, d["options"], d["salt"]))
    return out


def params(question: str, student_id, path=None) -> dict:
    """Your variant of ``question`` (e.g. ``params("q1", STUDENT_ID)``): a dict of settings."""
    name, spec = _question(question, path)
    return draw(student_id, spec.get("variant", []))


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
    """Your variable or function called ``name`` (read from the kernel namespace)."""
    ns = _namespace()
    if name in ns:
        return ns[name]
    if default is not _MISSING:
        return default
    raise NameError(_f("{name} is not defined: run the cell where you compute it, and keep this exact name"))


def student_id_of() -> str:
    """The STUDENT_ID typed in the notebook, checked to be set."""
    return _normalise_id(answer("STUDENT_ID"))


def _as_number(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if getattr(value, "size", None) == 1 and hasattr(value, "item") and hasattr(value, "shape"):
            return _as_number(name, value.item())
        raise AssertionError(_f("{name} should be a single number (a float), not {type(value).__name__}"))
    value = float(value)
    if not math.isfinite(value):
        raise AssertionError(_f("{name} should be a finite number, not {value}"))
    return value


def self_check(question: str, path=None) -> str:
    """The visible test of a question: the answer exists, has the right type and a plausible range."""
    name, spec = _question(question, path)
    student_id_of()
    kind, points = spec["kind"], spec["points"]
    names = spec.get("names", [name])
    if kind == "function":
        value = answer(name)
        if not callable(value):
            raise AssertionError(_f("{name} should be a function"))
        example = tuple(spec.get("example", ()))
        _as_number(f"{name}{example}", value(*example))
        message = _f("{name}: a function returning a number. The grader checks its values ({points} points).")
    elif kind == "choice":
        value = answer(name)
        if value not in spec["options"]:
            options = spec["options"]
            raise AssertionError(_f("{name} should be one of {options}, not {value!r}"))
        message = _f("{name}: one of the options. The grader checks which ({points} points).")
    else:
        lo, hi = spec.get("plausible") or (-math.inf, math.inf)
        for n in names:
            x = _as_number(n, answer(n))
            if not lo <= x <= hi:
                raise AssertionError(_f("{n} = {x:g} is outside the plausible range [{lo:g}, {hi:g}]: check units (a fraction, not a percent?) and the formula"))
        shown = ", ".join(names)
        message = _f("{shown}: a number in a plausible range. The grader checks the value ({points} points).")
    print(message)
    return message
