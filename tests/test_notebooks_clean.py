"""Notebooks are committed as source: no outputs, no execution counts, no editor state."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

NOTEBOOKS = sorted(
    path
    for folder in ("notebooks", "solutions", "assignments")
    for path in (ROOT / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)
ALLOWED_NOTEBOOK_METADATA = {"kernelspec", "language_info"}
ALLOWED_CELL_METADATA = {"nbgrader", "deletable", "editable", "slideshow"}


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: str(path.relative_to(ROOT)))
def test_notebook_is_stripped(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    extra = set(notebook["metadata"]) - ALLOWED_NOTEBOOK_METADATA
    assert not extra, f"notebook metadata to strip: {extra} (run `make strip`)"
    for index, cell in enumerate(notebook["cells"]):
        where = f"{path.name} cell {index}"
        assert set(cell.get("metadata", {})) <= ALLOWED_CELL_METADATA, f"{where}: editor metadata {cell['metadata']}"
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{where} has outputs (run `make strip`)"
            assert cell["execution_count"] is None, f"{where} has an execution count"
