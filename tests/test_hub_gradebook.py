"""The teacher's `grade --db-url postgresql://...` gives exactly the grades of SQLite, with two graders at once.

One class's submissions are graded twice with the course's command line
(`leninsmoscow grade`): into the course's SQLite file, as a teacher on a
laptop does, and into a PostgreSQL server of the test's own by two graders at
once, each in a course folder of their own holding half the class, as two
graders on different servers do. Both gradebooks must hold the same score for
every test cell of every student, and those scores must be the ones the
answers deserve (so two equally broken runs cannot agree their way to a pass).
"""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest
from hub import course
from hub.servers import postgres_cluster

pytestmark = [pytest.mark.hub, pytest.mark.needs("postgresql")]

CLASS = course.class_of(6)
HALVES = (["s01", "s02", "s03"], ["s04", "s05", "s06"])  # the two graders' students, disjoint


def _hand_in(root, klass: dict[str, str]) -> None:
    """Put each student's notebook where collecting puts it: submitted/<student>/mini/."""
    released = root / "assignments" / course.ASSIGNMENT / f"{course.ASSIGNMENT}.ipynb"
    for student, kind in klass.items():
        folder = root / "submitted" / student / course.ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(course.answered(released, kind), folder / f"{course.ASSIGNMENT}.ipynb")


def _check(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result


def _grade_command(root, db_url: str | None = None) -> list[str]:
    command = [str(course.BIN / "leninsmoscow"), "grade", course.ASSIGNMENT, "--course", str(root)]
    return command + (["--db-url", db_url] if db_url else [])


def _grade_at_once(folders, db_url: str) -> list[dict]:
    """Both graders' commands running before either is waited for."""
    logs = [folder.with_suffix(".log") for folder in folders]
    graders = []
    for folder, log in zip(folders, logs):
        with open(log, "w") as out:
            graders.append(subprocess.Popen([*_grade_command(folder, db_url), "--jobs", "1"], env=course.course_env(),
                                            stdout=out, stderr=subprocess.STDOUT))
    return [{"code": grader.wait(timeout=600), "log": log.read_text()} for grader, log in zip(graders, logs)]


def _grader_folder(lite, target, students) -> None:
    """A grader's own copy of the course, with only their students' submissions and no gradebook."""
    shutil.copytree(lite, target, ignore=shutil.ignore_patterns("gradebook.db", "autograded"))
    for folder in (target / "submitted").iterdir():
        if folder.name not in students:
            shutil.rmtree(folder)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The same submissions graded into SQLite (one command) and PostgreSQL (two graders at once)."""
    work = tmp_path_factory.mktemp("gradebooks")
    lite = course.make_course(work / "sqlite")
    lite_url = f"sqlite:///{lite / 'gradebook.db'}"
    _check(course.nbgrader(lite, "generate_assignment", course.ASSIGNMENT, db_url=lite_url))
    _hand_in(lite, CLASS)
    folders = [work / "grader-a", work / "grader-b"]
    for folder, students in zip(folders, HALVES):
        _grader_folder(lite, folder, students)
    _check(subprocess.run(_grade_command(lite), env=course.course_env(), capture_output=True, text=True))
    with postgres_cluster() as pg_url:
        # The instructor's release entered the assignment in the shared gradebook before anyone graded.
        _check(course.nbgrader(folders[0], "generate_assignment", course.ASSIGNMENT, "--force", db_url=pg_url))
        runs = _grade_at_once(folders, pg_url)
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
