"""Every lesson's check questions: right answers accepted, plausible wrong ones refused, none printed.

The answers come from ``tests/lesson_answers.py``, where each is recomputed by hand from the raw
tables. Three properties per lesson:

1. the notebook's question accepts the hand-computed answer (so the stored digest is right);
2. each wrong-but-plausible answer gets "Not yet." and a hint that does not give the answer away;
3. no numeric answer appears anywhere a student can read it in the lesson -- markdown, code, or the
   stored outputs (printed text, tables, Markdown, HTML, figure alt text) -- rounded to the decimals
   asked for or one or two more, and as a fraction or a percentage where the question is about a
   share. Choice questions are not searched: their options are shown on purpose; they must instead
   ask for a reasoned choice, and property 2 checks that every other option is refused.

``test_the_search_finds_*`` show that property 3 can fail: a copy of each lesson with an answer
printed in an output or typed in a markdown cell is caught.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from course import quiz
from lesson_answers import ANSWERS, NOTEBOOKS, Answer, notebook_questions

LESSONS = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def _fmt(value, decimals):
    return f"{value:.{decimals}f}"


# ------------------------------------------------------------------------------ what a student sees
def _html_text(html: str) -> str:
    alts = " ".join(re.findall(r'alt="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + alts


def visible_text(nb: dict) -> str:
    """Everything a student can read in a stored notebook: sources and every text-like output."""
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append("".join(out["text"]))
            data = out.get("data", {})
            for mime in ("text/plain", "text/markdown", "text/latex"):
                if mime in data:
                    parts.append("".join(data[mime]))
            if "text/html" in data:
                parts.append(_html_text("".join(data["text/html"])))
    return "\n".join(parts).replace("\u2212", "-")     # a typographic minus is a minus


def answer_forms(a: Answer) -> list[str]:
    """The ways a numeric answer could be printed: at the decimals asked for and one or two more, as a
    fraction when it is a percentage and as a percentage when it is a fraction."""
    v, d = float(a.value), a.decimals
    forms = {_fmt(v, k) for k in (d, d + 1, d + 2)}
    if a.percent:
        forms |= {_fmt(v / 100, k) for k in (d + 2, d + 3)}
    if a.fraction:
        forms |= {_fmt(100 * v, k) for k in range(max(d - 2, 0), d + 1)}
    forms |= {f.replace("-", "", 1) for f in forms if f.startswith("-")}  # the magnitude alone
    return sorted(f for f in forms if f.strip("-0.") != "")


def find_printed(text: str, forms: list[str], contexts: tuple = ()) -> list[str]:
    """The forms that occur in ``text`` as whole numbers (not as part of a longer number).

    With ``contexts`` (for a small whole-number answer, which occurs everywhere as a bare number) only
    the occurrences inside one of those phrases count, e.g. ``"{} unique"``.
    """
    hits = []
    for form in forms:
        number = r"(?<![\d.])" + re.escape(form) + r"(?![\d])"
        patterns = [re.escape(c).replace(r"\{\}", number) for c in contexts] or [number]
        for m in (m for pattern in patterns for m in re.finditer(pattern, text, flags=re.I)):
            hits.append(f"{form!r} in ...{text[max(0, m.start() - 60):m.end() + 20]!r}...")
            break
    return hits


def _planted(a, decimals: int) -> str:
    """The answer as a broken copy would print it (inside its phrase when it has one)."""
    number = _fmt(float(a.value), decimals)
    return a.contexts[0].replace("{}", number) if a.contexts else f"value = {number}"


def _load(stem: str) -> dict:
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------ the tests
def test_every_lesson_with_questions_has_hand_computed_answers():
    for stem in LESSONS:
        questions = notebook_questions(stem)
        if not questions:
            continue
        assert stem in ANSWERS, f"{stem} has check questions but no entry in tests/lesson_answers.py"
        assert {a.question for a in ANSWERS[stem]()} == set(questions), stem


@pytest.fixture(scope="module", params=sorted(ANSWERS))
def lesson(request):
    stem = request.param
    return stem, notebook_questions(stem), ANSWERS[stem]()


def test_questions_accept_the_hand_computed_answers(lesson):
    stem, questions, answers = lesson
    for a in answers:
        q = questions[a.question]
        if a.numeric:
            assert q.decimals == a.decimals, (stem, a.question)
            assert q.answer == quiz.digest(float(a.value), a.decimals), (stem, a.question, a.value)
            assert q.check(_fmt(float(a.value), a.decimals)).correct, (stem, a.question)
        else:
            assert a.value in q.options and q.answer == quiz.digest(a.value), (stem, a.question)
            assert q.check(a.value).correct


def test_plausible_wrong_answers_get_not_yet_and_a_hint(lesson):
    stem, questions, answers = lesson
    for a in answers:
        q = questions[a.question]
        assert a.not_yet or not a.numeric, f"{stem} {a.question}: name at least one plausible wrong answer"
        for wrong in a.not_yet:
            if a.numeric:
                step = 10 ** -a.decimals
                # more than the forgiven unit in the last decimal (whole numbers are forgiven nothing),
                # or the test would prove nothing
                margin = 1.5 * step if a.decimals > 0 else 0.5
                assert abs(round(float(wrong), a.decimals) - round(float(a.value), a.decimals)) > margin, \
                    (stem, a.question, wrong)
                typed = _fmt(float(wrong), a.decimals)
                right = _fmt(float(a.value), a.decimals)
            else:
                typed, right = wrong, a.value
            fb = q.check(typed)
            assert not fb.correct and fb.message.startswith("Not yet"), (stem, a.question, typed, fb.message)
            assert right not in fb.message and len(fb.message) > len("Not yet. ") + 20, (stem, a.question)
        for wrong in a.refused:
            assert not q.check(_fmt(float(wrong), a.decimals)).correct, (stem, a.question, wrong)


@pytest.mark.parametrize("stem", sorted(ANSWERS))
def test_no_answer_is_printed_in_the_lesson(stem):
    text = visible_text(_load(stem))
    found = {a.question: find_printed(text, answer_forms(a), a.contexts) for a in ANSWERS[stem]() if a.numeric}
    found = {k: v for k, v in found.items() if v}
    assert not found, f"{stem}: answers a student could copy: {found}"


@pytest.mark.parametrize("stem", sorted(ANSWERS))
def test_the_search_finds_an_answer_printed_in_an_output(stem):
    """A deliberately broken copy: one more decimal of each answer printed by the last code cell."""
    numeric = [a for a in ANSWERS[stem]() if a.numeric]
    assert numeric
    for a in numeric:
        nb = copy.deepcopy(_load(stem))
        last = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
        last.setdefault("outputs", []).append(
            {"output_type": "stream", "name": "stdout", "text": [_planted(a, a.decimals + 1) + "\n"]})
        assert find_printed(visible_text(nb), answer_forms(a), a.contexts), (stem, a.question)


@pytest.mark.parametrize("stem", sorted(ANSWERS))
def test_the_search_finds_an_answer_typed_in_markdown_or_html(stem):
    """Broken copies: the answer in a sentence of a markdown cell, and inside an HTML table of an output."""
    for a in (a for a in ANSWERS[stem]() if a.numeric):
        nb = copy.deepcopy(_load(stem))
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "broken",
                            "source": [f"The result is {_planted(a, a.decimals)}."]})
        assert find_printed(visible_text(nb), answer_forms(a), a.contexts), (stem, a.question)
        nb = copy.deepcopy(_load(stem))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"][0]
        code.setdefault("outputs", []).append({"output_type": "display_data", "metadata": {}, "data": {
            "text/html": [f"<table><tr><td>{_planted(a, a.decimals)}</td></tr></table>"],
            "text/plain": ["<table>"]}})
        assert find_printed(visible_text(nb), answer_forms(a), a.contexts), (stem, a.question)


def test_the_search_respects_number_boundaries():
    a = Answer("q", 0.52, 2)
    assert find_printed("rho = 0.52, p = 0.01", answer_forms(a))
    assert not find_printed("10.52 and 0.521 and 20.520", ["0.52"])
    assert find_printed("share 27.2%", answer_forms(Answer("q", 27.153, 1, percent=True)))
    assert find_printed("a fraction of 0.2715", answer_forms(Answer("q", 27.153, 1, percent=True)))


# ------------------------------------------------------------------------------ the Chinese edition
ZH = NOTEBOOKS / "zh"


@pytest.mark.parametrize("stem", sorted(s for s in ANSWERS if (ZH / f"{s}.ipynb").exists()))
def test_no_answer_is_printed_in_the_chinese_edition(stem):
    """The same search in ``notebooks/zh/``: a translation or a Chinese output must not give an answer away.

    (Small whole-number answers are searched inside their English phrases only, so for them this
    search is weaker in Chinese; every other answer is searched as a bare number.)"""
    text = visible_text(json.loads((ZH / f"{stem}.ipynb").read_text(encoding="utf-8")))
    found = {a.question: find_printed(text, answer_forms(a), a.contexts) for a in ANSWERS[stem]() if a.numeric}
    found = {k: v for k, v in found.items() if v}
    assert not found, f"zh/{stem}: answers a student could copy: {found}"
