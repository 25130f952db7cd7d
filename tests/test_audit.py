"""The fact-check of every lesson cell is recorded, and goes stale the moment a cell's text changes.

data/audit.csv records what was checked, against which source, with which
verdict. For lessons it names a notebook cell by its id (``notebooks/05-....ipynb#ma-6f265ddef5``);
tools/lessons.py makes that id from the cell's text, so an edited cell gets a
new id and loses its audit rows until someone checks the new text. The rows
of the data itself (``events:kronstadt-rising``) are checked by
leninsmoscow.validation; this module checks the notebooks' side.
"""

from __future__ import annotations

import json

import pytest
from helpers import ROOT

from leninsmoscow import data

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def audited_cells() -> dict[str, list[dict]]:
    audit = data.load("audit")
    rows = audit[audit["where"].str.startswith("notebooks/")]
    found: dict[str, list[dict]] = {}
    for row in rows.to_dict("records"):
        found.setdefault(row["where"], []).append(row)
    return found


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_every_markdown_cell_of_a_lesson_has_been_fact_checked(path):
    audited = audited_cells()
    unchecked = [cell["id"] for cell in cells(path) if cell["cell_type"] == "markdown"
                 and f"notebooks/{path.name}#{cell['id']}" not in audited]
    assert not unchecked, f"{path.name}: cells changed or added since the fact-check: {unchecked[:5]}"


def test_no_audit_row_points_at_a_cell_that_is_gone():
    ids = {f"notebooks/{path.name}#{cell['id']}" for path in LESSONS for cell in cells(path)}
    dangling = sorted(where for where in audited_cells() if where not in ids)
    assert not dangling, f"audit rows for cells no lesson has any more: {dangling[:5]}"


def test_every_lesson_audit_row_says_what_was_checked_and_against_what():
    for where, rows in audited_cells().items():
        for row in rows:
            assert isinstance(row["claim"], str) and row["claim"].strip(), where
            if row["verdict"] != "no factual claim":
                assert isinstance(row["source"], str) and row["source"].strip(), f"{where}: no source"


ASSIGNMENTS = sorted((ROOT / "solutions").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda path: path.stem)
def test_every_markdown_cell_of_an_assignment_has_been_fact_checked(path):
    """Questions, model answers and rubrics, by grade_id (solutions/<id>/<id>.ipynb#<grade_id>)."""
    audit = data.load("audit")
    prefix = f"solutions/{path.parent.name}/{path.name}#"
    audited = {where.removeprefix(prefix) for where in audit["where"] if where.startswith(prefix)}
    markdown = {cell["id"] for cell in cells(path) if cell["cell_type"] == "markdown"}
    assert markdown - audited == set(), f"{path.stem}: cells never fact-checked"
    assert audited - markdown == set(), f"{path.stem}: audit rows for cells that are gone"
