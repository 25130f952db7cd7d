"""The gradebook on PostgreSQL grades exactly as on SQLite, with two graders writing at once.

One class's submissions are graded twice from the same course folder: into
SQLite by one process, as a teacher on a laptop does, and into a PostgreSQL
server of the test's own by two processes at once, each grading half the class,
as two graders on different servers do. Both gradebooks must hold the same
score for every test cell of every student, and those scores must be the ones
the answers deserve (so two equally broken runs cannot agree their way to a pass).
"""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest

from hub import course
from hub.servers import postgres_cluster

pytestmark = pytest.mark.hub

CLASS = course.class_of(6)
HALVES = ("s0[1-3]", "s0[4-6]")  # nbgrader's --student takes a glob: two disjoint halves of the class


def _hand_in(root, klass: dict[str, str]) -> None:
    """Put each student's notebook where `nbgrader collect` would have: submitted/<student>/mini/."""
    released = root / "assignments" / course.ASSIGNMENT / f"{course.ASSIGNMENT}.ipynb"
    for student, kind in klass.items():
        folder = root / "submitted" / student / course.ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(course.answered(released, kind), folder / f"{course.ASSIGNMENT}.ipynb")


def _check(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result


def _autograde_at_once(root, db_url: str) -> list[dict]:
    """Two autograde processes on disjoint halves of the class, both running before either is waited for."""
    graders = [
        subprocess.Popen(
            [str(course.BIN / "nbgrader"), "autograde", course.ASSIGNMENT, f"--student={half}",
             f"--CourseDirectory.db_url={db_url}"],
            cwd=root, env=course.course_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for half in HALVES
    ]
    runs = []
    for grader in graders:
        out, err = grader.communicate(timeout=600)
        runs.append({"code": grader.returncode, "log": out + err})
    return runs


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The same submissions graded into SQLite (one process) and PostgreSQL (two at once)."""
    work = tmp_path_factory.mktemp("gradebooks")
    lite = course.make_course(work / "sqlite")
    lite_url = f"sqlite:///{lite / 'gradebook.db'}"
    _check(course.nbgrader(lite, "generate_assignment", course.ASSIGNMENT, db_url=lite_url))
    _hand_in(lite, CLASS)
    pg = work / "postgresql"
    shutil.copytree(lite, pg, ignore=shutil.ignore_patterns("gradebook.db"))
    _check(course.nbgrader(lite, "autograde", course.ASSIGNMENT, db_url=lite_url))
    with postgres_cluster() as pg_url:
        _check(course.nbgrader(pg, "generate_assignment", course.ASSIGNMENT, "--force", db_url=pg_url))
        runs = _autograde_at_once(pg, pg_url)
        yield {"sqlite": course.grades(lite_url), "postgresql": course.grades(pg_url), "runs": runs}


def test_postgresql_gives_exactly_the_grades_sqlite_gives(graded):
    expected = {student: course.ANSWERS[kind][2] for student, kind in CLASS.items()}
    totals = {}
    for (student, _cell), score in graded["sqlite"].items():
        totals[student] = totals.get(student, 0.0) + score
    assert totals == expected, "SQLite's grades are not what the answers deserve: the comparison would prove nothing"
    assert graded["postgresql"] == graded["sqlite"]


def test_two_graders_writing_at_once_lose_nothing(graded):
    for run in graded["runs"]:
        assert run["code"] == 0, run["log"]
    students = {student for student, _cell in graded["postgresql"]}
    assert students == set(CLASS), f"missing from the shared gradebook: {sorted(set(CLASS) - students)}"
    assert len(graded["postgresql"]) == 2 * len(CLASS), "every student has exactly one score per test cell"
