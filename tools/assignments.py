"""Build the teacher's assignment notebooks (solutions/) from the text authors edit (solutions-text/).

    python tools/assignments.py                 # what `make assignments` runs: all three
    python tools/assignments.py united-front    # only this one

An assignment is written as MyST Markdown, like a lesson, in
``solutions-text/<assignment>.md``. Each cell names its ``grade_id`` (a code
cell with a ``:grade_id:`` option, a markdown cell with ``+++ {"grade_id": ...}``)
and a graded cell its ``points``; the prefix of the grade_id says what kind of
nbgrader cell it is (:data:`KINDS`), so a reviewer reads questions, answers,
hidden tests and rubrics in one diff, without nbgrader's metadata around every
cell. Text that every assignment shares (how to answer, the rule for evidence
from outside the course) is written once in ``solutions-text/shared/NAME.md``
and placed where a cell says ``<!-- shared:NAME -->``. The script writes ``solutions/<assignment>/<assignment>.ipynb`` and then
runs nbgrader's own ``generate_assignment`` to rewrite the student version in
``assignments/``. Afterwards run ``tests/submissions/make_submissions.py``.

The texts hold the answers: they are not in the package and not in the
student bundle.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "solutions-text"
SHARED = re.compile(r"^<!-- shared:([a-z-]+) -->$", re.MULTILINE)
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# grade_id prefix -> (solution, grade, locked): nbgrader's cell kinds.
KINDS = {
    "answer": (True, False, False),   # the student's code; the text holds the model answer
    "test": (False, True, True),      # autograded: visible checks, then hidden tests
    "written": (True, True, False),   # a written answer a teacher marks by the rubric under it
}
READ_ONLY = (False, False, True)      # intro, setup, part-..., q-..., rubric-...


class AuthoringError(ValueError):
    """A cell of an assignment's text that nbgrader could not grade as meant."""


def nbgrader_metadata(grade_id: str, points) -> dict:
    solution, grade, locked = KINDS.get(grade_id.split("-", 1)[0], READ_ONLY)
    if grade != (points is not None):
        raise AuthoringError(f"{grade_id}: a graded cell (test-, written-) states its points, no other cell does")
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = int(points)
    return meta


def with_shared_text(source: str) -> str:
    return SHARED.sub(lambda found: (TEXTS / "shared" / f"{found.group(1)}.md").read_text(encoding="utf-8").strip(),
                      source)


def build(text: Path) -> nbformat.NotebookNode:
    """The nbgrader source notebook an assignment's text makes."""
    source = jupytext.read(text, fmt="md:myst")
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": dict(KERNEL), "language_info": {"name": "python"}})
    for cell in source.cells:
        grade_id = cell.metadata.get("grade_id")
        if not grade_id:
            raise AuthoringError(f"{text.name}: a cell has no grade_id: {cell.source[:60]!r}")
        made = (nbformat.v4.new_code_cell(cell.source) if cell.cell_type == "code"
                else nbformat.v4.new_markdown_cell(with_shared_text(cell.source)))
        made.id = grade_id
        made.metadata["nbgrader"] = nbgrader_metadata(grade_id, cell.metadata.get("points"))
        notebook.cells.append(made)
    nbformat.validate(notebook)
    return notebook


def texts(names: list[str]) -> list[Path]:
    found = sorted(TEXTS.glob("*.md"))
    return [path for path in found if not names or path.stem in names]


def generate_student_version(assignment: str) -> None:
    """nbgrader's own release step (it calls alembic, so the environment's bin/ goes first on PATH)."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", assignment, "--force"], cwd=ROOT, env=env,
                   check=True)


def main(names: list[str]) -> int:
    for text in texts(names):
        folder = ROOT / "solutions" / text.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(build(text), folder / f"{text.stem}.ipynb")
        print(f"built solutions/{text.stem}/{text.stem}.ipynb from solutions-text/{text.name}")
        generate_student_version(text.stem)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
