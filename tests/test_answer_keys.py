"""The hidden tests' expected values are what the course data gives, and none is a lookup.

Each literal a hidden test expects is recomputed from data/ by the answer-key
harness (tests/helpers/answer_keys.py), written apart from the solutions; a
corrected date or figure in data/ that would make a key stale fails here
first. Then the issue's rule for automatic items: no expected value is one
column of a dataset read off for the rows asked about, or one column filtered
on another; and no day count a student computes is printed in a lesson.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from helpers import ROOT
from helpers.answer_keys import KEYS, Context

from leninsmoscow import data
from leninsmoscow.grading import hidden

ASSIGNMENTS = list(KEYS)


def hidden_checks(context: Context) -> dict[str, list[hidden.HiddenCheck]]:
    found = {}
    for cell in context.notebook.cells:
        block = hidden.hidden_block(cell.source)
        if block is not None:
            found[cell.metadata["nbgrader"]["grade_id"]] = hidden.checks_of(block)
    return found


def same(computed, expected, tolerance: float) -> bool:
    if isinstance(expected, float) or isinstance(computed, float):
        return expected is not None and computed is not None and math.isclose(computed, expected, rel_tol=tolerance or 1e-12)
    if isinstance(expected, list):
        return isinstance(computed, list) and len(computed) == len(expected) and all(
            same(c, e, tolerance) for c, e in zip(computed, expected))
    if isinstance(expected, dict):
        return isinstance(computed, dict) and computed.keys() == expected.keys() and all(
            same(computed[key], expected[key], tolerance) for key in expected)
    return type(computed) is type(expected) and computed == expected


@pytest.fixture(params=ASSIGNMENTS)
def context(request) -> Context:
    return Context(request.param)


def test_the_harness_keys_every_hidden_test_and_nothing_else(context):
    assert set(hidden_checks(context)) == set(KEYS[context.assignment])


def test_every_expected_value_is_what_the_data_gives(context):
    for grade_id, checks in hidden_checks(context).items():
        for check in checks:
            computed = KEYS[context.assignment][grade_id](context, check)
            tolerance = check.options.get("tolerance", 0.0)
            assert same(computed, check.expected, tolerance), \
                f"{grade_id}: the data gives {computed!r}, the hidden test expects {check.expected!r}"


def column_readings(ids: list[str]):
    """Every column of every dataset read off for these ids, by a key column that holds them all."""
    for name in data.names():
        table = data.load(name)
        for key in table.columns:
            keys = table[key].astype(str)
            if not keys.is_unique or not set(ids) <= set(keys):
                continue
            indexed = table.assign(**{key: keys}).set_index(key)
            for column in indexed.columns:
                yield f"{name}.{column} by {key}", {item: str(indexed.loc[item, column]) for item in ids}


def column_filters(items: list[str]):
    """Every set of a dataset's column values picked out by one value of another column."""
    for name in data.names():
        table = data.load(name).astype(str)
        for key in table.columns:
            if not set(items) <= set(table[key]):
                continue
            for column in table.columns.drop(key):
                for value, group in table.groupby(column)[key]:
                    yield f"{name}.{key} where {column} == {value!r}", sorted(group)


def as_ids(labels: dict, expected: dict) -> dict | None:
    """A dictionary keyed by an assignment's labels, re-keyed by the data's ids (None when labels are not ids)."""
    table = next((table for table in labels.values() if set(expected) == set(table)), None)
    if table is None or not all(isinstance(item, str) for item in table.values()):
        return None
    return {table[label]: str(value) for label, value in expected.items()}


def test_no_expected_value_is_a_column_read_off_the_data(context):
    for grade_id, checks in hidden_checks(context).items():
        for check in checks:
            expected = check.expected
            if isinstance(expected, dict):
                by_id = as_ids(context.labels, expected)
                if by_id is None:
                    continue
                for where, reading in column_readings(list(by_id)):
                    assert reading != by_id, f"{grade_id} can be answered by reading {where}"
            elif isinstance(expected, list) and expected and all(isinstance(item, str) for item in expected):
                for where, picked in column_filters(expected):
                    assert picked != sorted(expected), f"{grade_id} can be answered by one filter: {where}"


def test_no_day_count_a_student_computes_is_printed_in_a_lesson(context):
    lessons = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "lessons").glob("[0-9]*.md")))
    for grade_id, checks in hidden_checks(context).items():
        for check in checks:
            if isinstance(check.expected, int) and not isinstance(check.expected, bool):
                assert not re.search(rf"\b{check.expected}\s+days\b", lessons), \
                    f"{grade_id}: a lesson prints {check.expected} days"


def test_the_harness_would_notice_a_stale_key(context, monkeypatch):
    """A corrected date in data/ changes the harness's answer: the keys cannot go stale unnoticed."""
    events = data.load("events")
    moved = pd.to_timedelta(range(len(events)), unit="D")  # each event by a different number of days
    shifted = events.assign(date_start=events["date_start"] + moved, date_end=events["date_end"] + moved)
    monkeypatch.setattr(type(context), "events", property(lambda self: shifted.set_index("event_id")))
    differing = [grade_id for grade_id, checks in hidden_checks(context).items() for check in checks
                 if "timing" in grade_id or "days" in grade_id or "gap" in grade_id or "-to-" in grade_id
                 if not same(KEYS[context.assignment][grade_id](context, check), check.expected,
                             check.options.get("tolerance", 0.0))]
    assert differing, "moving the events changed no key: the harness does not read the data"
