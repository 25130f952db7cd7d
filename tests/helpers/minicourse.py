"""A two-assignment nbgrader course, small enough to grade a class in seconds.

It is built like the real course (the real nbgrader_config.py, a hidden test
per answer that the grader judges, one answer graded by hand), so the command
line is tested on the mechanism the real assignments use, at a fraction of
their running time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    nbgrader = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
                "schema_version": 3, "task": False}
    if points is not None:
        nbgrader["points"] = points
    return {"nbgrader": nbgrader}


def _code(source, **meta):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.update(_meta(**meta))
    return cell


def _markdown(source, **meta):
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata.update(_meta(**meta))
    return cell


def _hidden(check):
    return f"### BEGIN HIDDEN TESTS\nimport leninsmoscow.grading.referee as _r\n{check}\n### END HIDDEN TESTS"


def mini_notebook(answer=1917, months=["February", "October"]):
    """The source notebook: two autograded answers, one answer graded by hand."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        _markdown("# Mini assignment\nAnswer the three questions.", grade_id="intro", locked=True),
        _code("from leninsmoscow.grading import form", grade_id="setup", locked=True),
        _code(f"### BEGIN SOLUTION\nyear = {answer}\n### END SOLUTION", grade_id="year", solution=True),
        _code("form.check_number(year, 'year', whole=True)\n"
              + _hidden(f"_r.expect(year, {answer})"),
              grade_id="test-year", grade=True, locked=True, points=2),
        _code(f"### BEGIN SOLUTION\nmonths = {months!r}\n### END SOLUTION", grade_id="months", solution=True),
        _code("form.check_list(months, 'months', length=2)\n"
              + _hidden(f"_r.expect(months, {months!r})"),
              grade_id="test-months", grade=True, locked=True, points=3),
        _markdown("Which two revolutions shaped 1917?\n\n### BEGIN SOLUTION\nThe February and the October revolutions.\n### END SOLUTION",
                  grade_id="essay", grade=True, solution=True, points=2),
    ]
    return nb


def make_course(root: Path, assignments=("mini", "mini2")) -> Path:
    """A course folder with the real configuration and small assignments."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for number, assignment in enumerate(assignments):
        folder = root / "solutions" / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(mini_notebook(answer=1917 + number), folder / f"{assignment}.ipynb")
    (root / "notebooks").mkdir(exist_ok=True)
    lesson = nbformat.v4.new_notebook()
    lesson.cells = [nbformat.v4.new_markdown_cell("# A lesson\nRead the review.")]
    nbformat.write(lesson, root / "notebooks" / "01-lesson.ipynb")
    shutil.copytree(ROOT / "data", root / "data", dirs_exist_ok=True)
    return root
