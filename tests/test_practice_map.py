"""Practice before grading: every skill an assignment grades is practised first in a lesson, with instant feedback.

docs/practice-map.csv says, skill by skill, which lesson exercises practise it and
which autograded items use it. This checks the map against the course itself:
the exercises exist, every autograded item is in the map, and each of its skills
is practised in a lesson the class has done before the assignment.
"""

from __future__ import annotations

import csv

import nbformat
import pytest
from helpers import ROOT

from leninsmoscow import practice

MAP = ROOT / "docs" / "practice-map.csv"
# The lesson after which each assignment is set (its prerequisites in docs/assignments.md).
SET_AFTER = {"war-communism": 5, "united-front": 6, "year-1923": 7}


def rows() -> list[dict]:
    with MAP.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def split(text: str) -> list[str]:
    return [item for item in text.split(";") if item]


def autograded_items(assignment: str) -> set[str]:
    notebook = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells
            if cell.metadata["nbgrader"].get("grade") and not cell.metadata["nbgrader"]["solution"]}


def test_every_skill_is_practised_and_every_exercise_exists():
    for row in rows():
        assert split(row["practised_in"]), f"{row['skill']}: practised nowhere"
        for exercise_id in split(row["practised_in"]):
            assert practice.exercise(exercise_id).skill == row["skill"], exercise_id


@pytest.mark.parametrize("assignment", SET_AFTER)
def test_every_autograded_item_is_practised_in_an_earlier_lesson(assignment):
    mapped = {}
    for row in rows():
        for item in split(row["graded_in"]):
            name, _, grade_id = item.partition(":")
            mapped.setdefault((name, grade_id), []).append(row)
    for grade_id in autograded_items(assignment):
        skills = mapped.get((assignment, grade_id))
        assert skills, f"{assignment}:{grade_id} is in no row of docs/practice-map.csv"
        for row in skills:
            lessons = [int(exercise_id[1:3]) for exercise_id in split(row["practised_in"])]
            assert min(lessons) <= SET_AFTER[assignment], \
                f"{assignment}:{grade_id} grades {row['skill']!r}, first practised in lesson {min(lessons)}"
    assert {grade_id for name, grade_id in mapped if name == assignment} <= autograded_items(assignment)
