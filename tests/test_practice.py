"""Fill-in exercises: a blank never fails, a right answer is recognised, a wrong one says what to look at."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from leninsmoscow import practice


@pytest.fixture
def exercises(monkeypatch):
    items = {
        "l99-count": practice.Exercise("l99-count", "count rows", lambda: 7, "len() of the filtered table",
                                       mistakes=(practice.Mistake(lambda answer: answer == 8, "You counted the header too."),)),
        "l99-table": practice.Exercise("l99-table", "filter rows", lambda: pd.DataFrame({"a": [1, 2]}), "the condition"),
        "l99-dict": practice.Exercise("l99-dict", "build a dictionary", lambda: {"x": 1.0, "y": 2.0}, "to_dict()",
                                      tolerance=0.01),
        "l99-list": practice.Exercise("l99-list", "list a column", lambda: ["b", "a"], ".tolist()", ordered=False),
    }
    monkeypatch.setattr(practice, "exercise", items.__getitem__)
    return items


def test_a_blank_exercise_is_a_reminder_not_an_error(exercises):
    feedback = practice.check("l99-count", ...)
    assert feedback.right is None and "Replace the ..." in repr(feedback) and not feedback


@pytest.mark.parametrize("exercise_id, answer", [
    ("l99-count", 7), ("l99-table", pd.DataFrame({"a": [1, 2], "b": [0, 0]}, index=[5, 9])),
    ("l99-dict", {"y": 2.001, "x": 1.0}), ("l99-list", pd.Series(["a", "b"])),
])
def test_right_answers_are_recognised_in_the_forms_students_write(exercises, exercise_id, answer):
    assert practice.check(exercise_id, answer).right is True


@pytest.mark.parametrize("exercise_id, answer, says", [
    ("l99-count", 8, "You counted the header too."),
    ("l99-count", 3, "too low"),
    ("l99-count", "7", "You gave text; the answer is a number."),
    ("l99-table", pd.DataFrame({"a": [1]}), "1 rows; the answer has 2"),
    ("l99-table", pd.DataFrame({"a": [2, 1]}), "not in the order"),
    ("l99-table", [1, 2], "the answer is a table"),
    ("l99-dict", {"x": 1.0}, "lacks 'y'"),
    ("l99-dict", pd.Series({"x": 1.0, "y": 2.0}), "use .to_dict()"),
    ("l99-list", ["a"], "You have 1 items; the answer has 2."),
])
def test_wrong_answers_say_what_is_wrong_and_where_to_look(exercises, exercise_id, answer, says):
    feedback = practice.check(exercise_id, answer)
    assert feedback.right is False and says in feedback.message
    assert "Look at:" in feedback.message


def test_numpy_values_count_as_the_python_values_they_are(exercises, monkeypatch):
    import numpy as np

    exercises["l99-flags"] = practice.Exercise("l99-flags", "apply a rule", lambda: {"a": True, "b": False}, "the rule")
    assert practice.check("l99-flags", {"a": np.bool_(True), "b": np.bool_(False)}).right is True
    assert practice.check("l99-count", np.int64(7)).right is True


def test_nothing_a_student_passes_can_make_check_raise(exercises):
    class Hostile:
        def __eq__(self, other):
            raise RuntimeError("boom")

        def __len__(self):
            raise RuntimeError("boom")

    for exercise_id in exercises:
        assert practice.check(exercise_id, Hostile()).right is False


def test_an_unknown_exercise_id_is_the_authors_error():
    with pytest.raises(KeyError):
        practice.exercise("lesson-x")


def graded_rows() -> set[str]:
    """Every row an assignment asks about under a neutral label (``"G5": "event-id"`` in its first cell)."""
    from helpers import ROOT

    texts = (ROOT / "solutions-text").glob("*.md")
    return {row for text in texts for row in re.findall(r'"[A-Z]\d+":\s*"([a-z0-9-]+)"', text.read_text(encoding="utf-8"))}


def test_the_date_rule_is_practised_on_events_no_assignment_grades():
    """Practising on a graded item would turn the assignment's reasoning into recall."""
    from leninsmoscow.practice import lesson07

    graded = graded_rows()
    assert "scissors-crisis" in graded, "the pattern no longer finds the assignments' items"
    assert set(lesson07.TIMING_EVENTS) & graded == set()
