"""Build the lesson notebooks students open (notebooks/) from the text authors edit (lessons/).

    python tools/lessons.py          # what `make lessons` runs: every lesson
    python tools/lessons.py 05 06    # only these lessons (by number)

jupytext reads each MyST file (the pairing is in jupytext.toml); this script
then gives every cell a stable id (nbformat 4.5) and writes the notebook
stripped of outputs. A practice cell (one that calls ``check("l02-...")``)
takes the exercise's id, so docs/practice-map.csv can name it; every other
cell takes an id made from its text, so data/audit.csv, which records the
fact-check of each cell by id, stops matching a cell as soon as its text
changes and the cell must be checked again. The reading guide is rewritten
from data/review.csv at the same time.

A maintainer's tool: it is not in the package and not in the student bundle.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
PRACTICE = re.compile(r"""\bcheck\(\s*["'](l\d\d-[a-z0-9-]+)["']""")
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def cell_id(cell, taken: set[str]) -> str:
    """The exercise id of a practice cell, else a digest of the cell's type and text."""
    practice = PRACTICE.search(cell.source) if cell.cell_type == "code" else None
    base = practice.group(1) if practice else (
        f"{cell.cell_type[:2]}-" + hashlib.sha1(cell.source.encode("utf-8")).hexdigest()[:10])
    found, number = base, 2
    while found in taken:
        found, number = f"{base}-{number}", number + 1
    taken.add(found)
    return found


def build(text: Path) -> nbformat.NotebookNode:
    """The notebook a lesson's text makes: cells with stable ids, no outputs, minimal metadata."""
    source = jupytext.read(text)
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNEL), "language_info": {"name": "python"}})
    taken: set[str] = set()
    for cell in source.cells:
        made = (nbformat.v4.new_code_cell(cell.source) if cell.cell_type == "code"
                else nbformat.v4.new_markdown_cell(cell.source) if cell.cell_type == "markdown"
                else nbformat.v4.new_raw_cell(cell.source))
        made.id = cell_id(cell, taken)
        notebook.cells.append(made)
    nbformat.validate(notebook)
    return notebook


def texts() -> list[Path]:
    return sorted(path for path in TEXTS.glob("[0-9][0-9]-*.md"))


def main(numbers: list[str]) -> int:
    for text in texts():
        if numbers and text.name[:2] not in numbers:
            continue
        nbformat.write(build(text), NOTEBOOKS / f"{text.stem}.ipynb")
        print(f"built notebooks/{text.stem}.ipynb from lessons/{text.name}")
    sys.path.insert(0, str(ROOT / "src"))
    from leninsmoscow import review

    review.write_reading_guide(NOTEBOOKS)
    print(f"wrote notebooks/{review.GUIDE_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
