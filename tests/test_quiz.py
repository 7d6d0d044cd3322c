"""Check questions: digests, tolerance, range hints, and feedback that never reveals the answer."""

import pytest

from course import quiz


def test_digest_is_stable_and_normalised():
    assert quiz.digest(0.25, 2) == quiz.digest(0.2500004, 2)
    assert quiz.digest(0.25, 2) != quiz.digest(0.26, 2)
    assert quiz.digest("East") == quiz.digest("  EAST ")
    assert quiz.digest(3) == quiz.digest(3.0)
    assert quiz.digest(-0.0001, 2) == quiz.digest(0.0, 2)  # no "-0.00"
    assert len(quiz.digest(1)) == 16


def test_digest_refuses_ambiguous_input():
    with pytest.raises(ValueError, match="decimals"):
        quiz.digest(0.5)
    with pytest.raises(ValueError):
        quiz.digest(float("nan"), 2)
    with pytest.raises(TypeError):
        quiz.digest([1, 2])


def test_numeric_question_feedback():
    q = quiz.numeric("Share of the East?", answer=quiz.digest(0.52, 2), decimals=2, lo=0, hi=1,
                     hint="Divide the East's total by the national total.")
    assert q.check("0.52").correct
    assert q.check(0.521).correct
    assert q.check(0.53).correct          # one unit in the last place is forgiven
    assert q.check("52%").correct         # a percentage is read as a fraction
    wrong = q.check(0.60)
    assert not wrong.correct and wrong.message.startswith("Not yet.")
    assert "0.52" not in wrong.message
    out_of_range = q.check(52)
    assert not out_of_range.correct and "outside the plausible range" in out_of_range.message
    assert not q.check("abc").correct and "plain number" in q.check("abc").message
    assert not q.check("").correct


def test_numeric_widget_shows_feedback_when_button_clicked():
    q = quiz.numeric("2 + 2?", answer=quiz.digest(4), decimals=0)
    q.input.value = "5"
    q.button.click()
    assert "Not yet" in q.feedback.value
    q.input.value = "4"
    q.button.click()
    assert "Correct" in q.feedback.value


def test_choice_question():
    q = quiz.choice("Which region is richest?", ["East", "West"], answer=quiz.digest("East"), hint="Compare means.")
    assert q.check(None).message.startswith("Pick")
    assert q.check("East").correct
    assert not q.check("West").correct
    assert "East" not in q.check("West").message
    q.input.value = "East"
    assert q.submit().correct and "Correct" in q.feedback.value


def test_choice_question_rejects_an_answer_matching_no_option():
    with pytest.raises(ValueError, match="matches none"):
        quiz.choice("?", ["a", "b"], answer=quiz.digest("c"))


def test_static_view_states_the_question():
    q = quiz.choice("Which region is richest?", ["East", "West"], answer=quiz.digest("East"))
    bundle = q._repr_mimebundle_()
    assert "Which region is richest?" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
