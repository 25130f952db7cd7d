"""Notebooks are committed as source: no outputs, no execution counts, no editor state."""

from __future__ import annotations

import json

import pytest
from helpers import ROOT

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


LESSON_TEXTS = sorted((ROOT / "lessons").glob("*.md"))
LESSON_TEXT_README = "README.md"


def test_every_lesson_has_its_text_and_every_text_its_lesson():
    texts = {path.stem for path in LESSON_TEXTS if path.name != LESSON_TEXT_README}
    lessons = {path.stem for path in (ROOT / "notebooks").glob("*.ipynb")}
    assert texts == lessons, "pair each notebook with lessons/<name>.md (make lessons)"


@pytest.mark.parametrize("text", [p for p in LESSON_TEXTS if p.name != LESSON_TEXT_README], ids=lambda p: p.stem)
def test_the_committed_notebook_is_the_one_its_text_builds(text):
    """Authors edit lessons/*.md; the notebook students open must hold exactly those cells, with their ids."""
    import jupytext

    from tools import lessons as tools

    built = [(cell.cell_type, cell.source) for cell in jupytext.read(text).cells]
    committed = json.loads((ROOT / "notebooks" / f"{text.stem}.ipynb").read_text(encoding="utf-8"))
    cells = [(cell["cell_type"], "".join(cell["source"])) for cell in committed["cells"]]
    assert len(cells) == len(built), f"{text.name} builds {len(built)} cells, the notebook has {len(cells)}: make lessons"
    for index, (made, kept) in enumerate(zip(built, cells)):
        assert made == kept, f"{text.name}, cell {index}: the notebook differs from its text (make lessons)"
    assert [cell["id"] for cell in committed["cells"]] == [cell.id for cell in tools.build(text).cells], \
        f"{text.name}: cell ids are not the ones the text gives (make lessons)"


def test_the_pairing_is_in_jupytext_toml_not_in_the_notebooks():
    assert 'formats = "notebooks///ipynb,lessons///md:myst"' in (ROOT / "jupytext.toml").read_text()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        assert "jupytext" not in json.loads(path.read_text(encoding="utf-8"))["metadata"]
