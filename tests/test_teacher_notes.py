"""What a teacher plans with: the scheme of work agrees with the lessons, and every lesson has its notes.

docs/scheme-of-work.md gives each lesson's time and places each assignment after
the lesson that prepares it; the times must be the lessons' own, so that a
lesson rewritten longer cannot leave the plan behind. docs/lessons/NN-*.md holds
each lesson's answer key (one section, or one per part), extension tasks and support; these stay out
of the student bundle (tests/test_cli_cycle.py reads the bundle).
"""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.md"))
SCHEME = ROOT / "docs" / "scheme-of-work.md"
SET_AFTER = {"war-communism": "05", "united-front": "06", "year-1923": "07"}


def stated_minutes(text: str) -> int:
    return int(re.search(r"\*\*Time:\*\* about (\d+) minutes", text).group(1))


def scheme_rows() -> list[str]:
    return [line for line in SCHEME.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.stem)
def test_the_scheme_gives_each_lesson_its_own_time(lesson):
    [row] = [row for row in scheme_rows() if f"(`{lesson.stem}`)" in row]
    assert f"about {stated_minutes(lesson.read_text(encoding='utf-8'))} minutes" in row


@pytest.mark.parametrize("assignment", SET_AFTER)
def test_the_scheme_sets_each_assignment_after_the_lesson_that_prepares_it(assignment):
    rows = scheme_rows()
    position = next(index for index, row in enumerate(rows) if f"(`{assignment}`)" in row)
    lesson = next(index for index, row in enumerate(rows) if f"(`{SET_AFTER[assignment]}-" in row)
    assert lesson < position and all(f"(`{SET_AFTER[assignment]}-" not in row for row in rows[position:])
    intro = (ROOT / "solutions-text" / f"{assignment}.md").read_text(encoding="utf-8")
    assert f"about {stated_minutes(intro)} minutes" in rows[position]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.stem)
def test_every_lesson_has_notes_with_answers_for_each_part_extension_and_support(lesson):
    notes = ROOT / "docs" / "lessons" / lesson.name
    headings = [line for line in notes.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    parts = re.findall(r"^## Part ([A-Z])\b", lesson.read_text(encoding="utf-8"), re.MULTILINE)
    assert parts
    answer_key = any("answer key" in heading.lower() for heading in headings)
    for part in parts:
        assert answer_key or any(re.search(rf"\bPart {part}\b", heading) for heading in headings), \
            f"no answer key, and no section for Part {part}"
    for section in ("Extension", "Support"):
        assert any(section.lower() in heading.lower() for heading in headings), f"no {section} section"
