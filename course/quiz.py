"""Check questions with immediate feedback that never gives the answer away.

A question stores only a *digest* of its answer (a salted SHA-256 of the rounded number or the
normalised text), so reading the notebook's source does not reveal it. A student types an answer,
presses **Check** and gets one of three kinds of feedback:

* "Correct" when the answer matches (a number asked for with decimals may be off by one unit in the
  last decimal, which forgives rounding of intermediate steps; whole numbers must be exact);
* a range or units hint when a number is outside the plausible range of the quantity;
* "Not yet." plus the author's hint otherwise.

Examples
--------
>>> q = numeric("What is 1/4 as a decimal?", answer=digest(0.25, 2), decimals=2, lo=0, hi=1)
>>> q.check(0.25).correct
True
>>> q.check(0.251).correct            # rounds to 0.25
True
>>> q.check(25).message.startswith("That is outside")
True
>>> q.check(0.5).correct
False
"""

from __future__ import annotations

import hashlib
import html
import math
import numbers
from dataclasses import dataclass

import ipywidgets as widgets

from .i18n import _, _f, translate

__all__ = ["Feedback", "digest", "numeric", "choice", "NumericQuestion", "ChoiceQuestion"]

_SALT = "nqpf-course/quiz/v1:"


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer: whether it is correct and what to tell the student."""

    correct: bool
    message: str


def _canonical(value, decimals: int | None) -> str:
    if isinstance(value, str):
        return "s:" + " ".join(value.strip().lower().split())
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"an answer must be a number or a string, not {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("an answer must be a finite number")
    if decimals is None:
        if value != round(value):
            raise ValueError("give `decimals` for an answer that is not a whole number")
        decimals = 0
    text = f"{round(value, decimals):.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return "n:" + text


def digest(value, decimals: int | None = None) -> str:
    """The 16-hex-digit digest of an answer, as stored in a question.

    Numbers are rounded to ``decimals`` places before hashing; text is lower-cased and its
    whitespace collapsed.

    Examples
    --------
    >>> digest(0.25, 2) == digest(0.2500001, 2)
    True
    >>> digest("East") == digest("  east ")
    True
    """
    return hashlib.sha256((_SALT + _canonical(value, decimals)).encode()).hexdigest()[:16]


def _parse_number(text) -> float:
    if isinstance(text, numbers.Real) and not isinstance(text, bool):
        return float(text)
    cleaned = str(text).strip().replace(",", "").replace(" ", "")
    percent = cleaned.endswith("%")
    value = float(cleaned.rstrip("%"))  # raises ValueError on junk
    return value / 100 if percent else value


class _Question:
    """Shared widget plumbing: prompt, input, Check button and a feedback line."""

    def __init__(self, prompt: str, answer: str, hint: str):
        if not (isinstance(answer, str) and len(answer) == 16):
            raise ValueError("answer must be a digest from course.quiz.digest(...)")
        self.prompt = prompt
        self.answer = answer
        self.hint = hint
        self.input = self._make_input()
        self.button = widgets.Button(description=_("Check"), button_style="primary", icon="check")
        self.feedback = widgets.HTML(value="")
        self.button.on_click(lambda _button: self.submit())
        self.widget = widgets.VBox(
            [widgets.HTML(f"<b>{html.escape(translate(prompt))}</b>"), widgets.HBox([self.input, self.button]),
             self.feedback]
        )

    def _make_input(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def check(self, value) -> Feedback:  # pragma: no cover - overridden
        raise NotImplementedError

    def submit(self) -> Feedback:
        """Check what is in the input box and show the feedback (what the button does)."""
        result = self.check(self.input.value)
        mark = "✔" if result.correct else "✘"
        colour = "#006d2c" if result.correct else "#8c2d04"
        self.feedback.value = (
            f'<span class="course-quiz-feedback" style="color:{colour}">{mark} {html.escape(result.message)}</span>'
        )
        return result

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle = dict(bundle)
        prompt = translate(self.prompt)
        bundle["text/plain"] = _f("Question: {prompt} (run the notebook to check your answer)")
        return bundle


class NumericQuestion(_Question):
    """A question whose answer is a number; see :func:`numeric`."""

    def __init__(self, prompt, answer, decimals, lo=None, hi=None, hint="", unit=""):
        self.decimals = decimals
        self.lo, self.hi, self.unit = lo, hi, unit
        super().__init__(prompt, answer, hint)

    def _make_input(self):
        return widgets.Text(placeholder=_f("a number, {self.decimals} decimals"), description=_("Answer:"))

    def check(self, value) -> Feedback:
        if value is None or (isinstance(value, str) and not value.strip()):
            return Feedback(False, _("Type a number first."))
        try:
            number = _parse_number(value)
        except ValueError:
            return Feedback(False, _f("Please type a plain number such as 1.23 (you typed {str(value)[:30]!r})."))
        if not math.isfinite(number):
            return Feedback(False, _("Please type a finite number."))
        if (self.lo is not None and number < self.lo) or (self.hi is not None and number > self.hi):
            unit = f" {translate(self.unit)}" if self.unit else ""
            return Feedback(
                False,
                _f("That is outside the plausible range ({self.lo} to {self.hi}{unit}) for this quantity: "
                  "check the units (per cent or fraction?) and the formula."),
            )
        step = 10 ** (-self.decimals)
        slack = (0, -1, 1) if self.decimals > 0 else (0,)
        if any(digest(number + k * step, self.decimals) == self.answer for k in slack):
            return Feedback(True, _("Correct!"))
        return Feedback(False, (_("Not yet.") + " " + translate(self.hint)).strip())


class ChoiceQuestion(_Question):
    """A multiple-choice question; see :func:`choice`."""

    def __init__(self, prompt, options, answer, hint=""):
        self.options = list(options)
        if len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        super().__init__(prompt, answer, hint)
        if not any(digest(o) == answer for o in self.options):
            raise ValueError("the answer digest matches none of the options")

    def _make_input(self):
        # the student sees the options in their language; the value checked is the option as written
        return widgets.RadioButtons(options=[(translate(o), o) for o in self.options], value=None, description="")

    def check(self, value) -> Feedback:
        if value is None:
            return Feedback(False, _("Pick one of the options first."))
        if str(value) not in self.options:
            shown = {translate(o): o for o in self.options}
            if str(value) not in shown:
                return Feedback(False, _("That is not one of the options."))
            value = shown[str(value)]
        if digest(str(value)) == self.answer:
            return Feedback(True, _("Correct!"))
        return Feedback(False, (_("Not yet.") + " " + translate(self.hint)).strip())


def numeric(prompt: str, answer: str, decimals: int = 2, lo=None, hi=None, hint: str = "", unit: str = "") -> NumericQuestion:
    """A question answered by a number.

    Parameters
    ----------
    prompt : str
        The question, saying how many decimals and which unit are expected.
    answer : str
        ``digest(true_value, decimals)``, computed from the data by the author.
    decimals : int
        Decimals the answer is compared at (one unit in the last place is forgiven when
        ``decimals > 0``; whole-number answers must be exact).
    lo, hi : float, optional
        The plausible range; answers outside it get a units/range hint instead of "Not yet".
    hint : str
        Shown after a wrong answer. It must not contain the answer.
    """
    return NumericQuestion(prompt, answer, decimals, lo=lo, hi=hi, hint=hint, unit=unit)


def choice(prompt: str, options, answer: str, hint: str = "") -> ChoiceQuestion:
    """A multiple-choice question; ``answer`` is ``digest(correct_option)``."""
    return ChoiceQuestion(prompt, options, answer, hint=hint)
