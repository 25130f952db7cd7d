"""A one-notebook course built like the real one, and a class's worth of answers.

The course folder carries the repository's own nbgrader_config.py (so the
referee's receipts and the rest of our grading pipeline take part), with one
assignment of two autograded questions worth 2 and 3 points. Answers vary so
that grades differ from student to student: a comparison of two gradebooks
that agree only because everyone scored the same would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ASSIGNMENT = "mini"

# What each kind of student writes in the two answer cells, and the points it earns.
ANSWERS = {
    "right": ("answer = 42", "order = ['a', 'b']", 5.0),
    "half": ("answer = 42", "order = ['b', 'a']", 2.0),
    "typed": ("answer = '42'", "order = ['a', 'b']", 3.0),
    "wrong": ("answer = 41", "order = ['x']", 0.0),
}


def _cell(kind: str, source: str, grade_id: str, *, grade=False, solution=False, locked=False, points=None):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3, "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _hidden(check: str) -> str:
    return f"### BEGIN HIDDEN TESTS\nimport leninsmoscow.grading.referee as _r\n{check}\n### END HIDDEN TESTS"


def source_notebook() -> nbformat.NotebookNode:
    """The teacher's version: answers between SOLUTION markers, checks in hidden tests."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        _cell("code", "from leninsmoscow.grading import form", "setup", locked=True),
        _cell("code", "### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", "answer", solution=True),
        _cell("code", "form.check_number(answer, 'answer', whole=True)\n"
              + _hidden("_r.expect(answer, 42)"), "test-answer", grade=True, locked=True, points=2),
        _cell("code", "### BEGIN SOLUTION\norder = ['a', 'b']\n### END SOLUTION", "order", solution=True),
        _cell("code", "form.check_list(order, 'order', length=2)\n"
              + _hidden("_r.expect(order, ['a', 'b'])"), "test-order", grade=True, locked=True, points=3),
    ]
    return nb


def make_course(root: Path) -> Path:
    """A course folder: our nbgrader_config.py and solutions/mini/mini.ipynb."""
    folder = root / "solutions" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    nbformat.write(source_notebook(), folder / f"{ASSIGNMENT}.ipynb")
    return root


def answered(released: Path, kind: str) -> nbformat.NotebookNode:
    """The released notebook with a student's two answers typed in."""
    nb = nbformat.read(released, as_version=4)
    first, second, _ = ANSWERS[kind]
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "answer":
            cell.source = first
        elif grade_id == "order":
            cell.source = second
    return nb


def class_of(size: int) -> dict[str, str]:
    """Student ids mapped to the kind of answer each hands in, every kind present."""
    kinds = list(ANSWERS)
    return {f"s{number:02d}": kinds[number % len(kinds)] for number in range(1, size + 1)}


def nbgrader(course: Path, *args: str, db_url: str) -> subprocess.CompletedProcess:
    """One nbgrader command in the course folder against the given gradebook."""
    command = [str(BIN / "nbgrader"), *args, f"--CourseDirectory.db_url={db_url}"]
    return subprocess.run(command, cwd=course, capture_output=True, text=True, env=course_env())


def course_env() -> dict[str, str]:
    """This environment's bin/ first: nbgrader shells out to alembic from there."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def grades(db_url: str) -> dict[tuple[str, str], float]:
    """Every autograded score in a gradebook, keyed by (student, test cell)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id="leninsmoscow") as gradebook:
        return {
            (submission.student.id, grade.name): grade.score
            for submission in gradebook.assignment_submissions(ASSIGNMENT)
            for notebook in submission.notebooks
            for grade in notebook.grades
        }
