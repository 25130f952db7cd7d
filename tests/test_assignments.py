"""nbgrader grades the three assignments as a teacher can trust, end to end.

For each assignment a temporary copy of the course regenerates the student
version, validates it and the teacher's version, autogrades the submissions in
tests/submissions/<assignment>/ (one `nbgrader autograde` run for the whole
class) and generates feedback. The tests then read the gradebook: honest work
earns exactly its points, each cheat earns nothing on the test it is aimed at,
broken files are logged and graded as nothing without stopping the class, and
no feedback shows a hidden test.

The three assignments run side by side in one module-scoped fixture; the cases
come from tests/submissions/make_submissions.py, which also says which test each
case is aimed at.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from helpers import ROOT
from nbgrader.api import Gradebook, MissingEntry

from leninsmoscow.grading.preprocessors import WITHHELD

pytestmark = pytest.mark.slow

ASSIGNMENTS = ["war-communism", "united-front", "year-1923"]
TIMEOUT = 20  # seconds per cell; only the endless loop waits for it
MISNAMED = "misnamed-notebook"  # hands in the right work under the wrong file name
ENV = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
# nbgrader's Validate button, for several notebooks in one process.
VALIDATE = ("import json, sys\nfrom nbgrader.validator import Validator\n"
            "print(json.dumps([Validator().validate(path) for path in sys.argv[1:]]))")


from submissions import make_submissions as ms  # noqa: E402


@dataclass
class Run:
    """What one assignment's grading left behind."""

    course: Path
    students: list[str]
    autograde_log: str
    feedback_log: str
    validated: dict[str, dict]


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["nbgrader", *args], cwd=course, env=ENV, capture_output=True, text=True, timeout=900)


def _validate(course: Path, paths: dict[str, Path]) -> dict[str, dict]:
    done = subprocess.run([sys.executable, "-c", VALIDATE, *map(str, paths.values())], cwd=course, env=ENV,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return dict(zip(paths, json.loads(done.stdout.strip().splitlines()[-1])))


def _submit(course: Path, assignment: str) -> list[str]:
    """Put every case where nbgrader looks for student work; return the student ids."""
    students = []
    for case in sorted((ROOT / "tests" / "submissions" / assignment).glob("*.ipynb")):
        folder = course / "submitted" / case.stem / assignment
        folder.mkdir(parents=True)
        shutil.copy(case, folder / f"{assignment}.ipynb")
        students.append(case.stem)
    folder = course / "submitted" / MISNAMED / assignment
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "submissions" / assignment / "solution.ipynb", folder / "Untitled.ipynb")
    return students + [MISNAMED]


def _grade(tmp: Path, assignment: str) -> Run:
    course = tmp / assignment
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    shutil.copytree(ROOT / "assignments", course / "assignments")
    generated = _nbgrader(course, "generate_assignment", assignment, "--force")
    assert generated.returncode == 0, generated.stderr
    students = _submit(course, assignment)
    validated = _validate(course, {
        "release": course / "assignments" / assignment / f"{assignment}.ipynb",
        "solution": course / "solutions" / assignment / f"{assignment}.ipynb",
        "warning": course / "submitted" / "warning" / assignment / f"{assignment}.ipynb",
        ms.VISIBLE_ONLY: course / "submitted" / ms.VISIBLE_ONLY / assignment / f"{assignment}.ipynb",
    })
    autograded = _nbgrader(course, "autograde", assignment, f"--Execute.timeout={TIMEOUT}")
    feedback = _nbgrader(course, "generate_feedback", assignment)
    return Run(course, students, autograded.stdout + autograded.stderr, feedback.stdout + feedback.stderr, validated)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    tmp = tmp_path_factory.mktemp("courses")
    with ThreadPoolExecutor(max_workers=len(ASSIGNMENTS)) as pool:
        futures = {assignment: pool.submit(_grade, tmp, assignment) for assignment in ASSIGNMENTS}
        return {assignment: future.result() for assignment, future in futures.items()}


# ----------------------------------------------------------------- expectations

def source(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def grade_cells(assignment: str) -> dict[str, dict]:
    """grade_id -> nbgrader metadata of every graded cell, in notebook order."""
    cells = {}
    for cell in source(assignment).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            cells[meta["grade_id"]] = meta
    return cells


def expected_scores(assignment: str, case: str) -> dict[str, float | None]:
    """What the autograder must record for each graded cell (None: not autograded)."""
    if case in ms.UNGRADABLE or case == MISNAMED:
        return {grade_id: None for grade_id in grade_cells(assignment)}
    zeroed = ms.zeroed_tests(assignment, case)
    blank = ms.blank_written(assignment, case)
    scores = {}
    for grade_id, meta in grade_cells(assignment).items():
        if meta.get("solution"):  # written answer: a person marks it, unless nothing was written
            scores[grade_id] = 0.0 if case == "blank" or grade_id in blank else None
        else:
            scores[grade_id] = 0.0 if grade_id in zeroed else float(meta["points"])
    return scores


def recorded_scores(run: Run, assignment: str, student: str) -> dict[str, float | None]:
    with Gradebook(f"sqlite:///{run.course / 'gradebook.db'}", course_id="leninsmoscow") as gradebook:
        submission = gradebook.find_submission_notebook(assignment, assignment, student)
        return {grade.name: grade.auto_score for grade in submission.grades}


def all_cases() -> list:
    params = []
    for assignment in ASSIGNMENTS:
        for case in sorted(path.stem for path in (ROOT / "tests" / "submissions" / assignment).glob("*.ipynb")):
            params.append(pytest.param(assignment, case, id=f"{assignment}-{case}"))
        params.append(pytest.param(assignment, MISNAMED, id=f"{assignment}-{MISNAMED}"))
    return params


def hidden_lines(assignment: str) -> list[str]:
    """Lines of hidden tests a student has never seen (the course's one rule for them)."""
    from leninsmoscow.grading.hidden import secret_lines

    return secret_lines([cell.source for cell in source(assignment).cells])


def page_text(path: Path) -> str:
    """What a reader of a feedback page can see or copy: the HTML without tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


# ----------------------------------------------------------------- the tests

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignments_folder_is_what_nbgrader_generates_from_solutions(runs, assignment):
    committed = ROOT / "assignments" / assignment / f"{assignment}.ipynb"
    generated = runs[assignment].course / "assignments" / assignment / f"{assignment}.ipynb"
    assert json.loads(committed.read_text(encoding="utf-8")) == json.loads(generated.read_text(encoding="utf-8")), \
        f"assignments/{assignment} is stale: run nbgrader generate_assignment {assignment} --force"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_teachers_notebook_passes_validate(runs, assignment):
    assert runs[assignment].validated["solution"] == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_released_notebook_fails_validate_only_for_missing_answers(runs, assignment):
    results = runs[assignment].validated["release"]
    assert set(results) == {"failed"}
    assert len(results["failed"]) == len(grade_cells(assignment)), "every graded cell should wait for an answer"
    missing = ("NotImplementedError", "is still `...`: replace it with your answer.", "You did not provide a response.")
    for failure in results["failed"]:
        assert any(reason in failure["raw_error"] for reason in missing), failure["raw_error"]


@pytest.mark.parametrize(("assignment", "case"), all_cases())
def test_each_submission_earns_exactly_its_expected_grades(runs, assignment, case):
    assert recorded_scores(runs[assignment], assignment, case) == expected_scores(assignment, case)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_wrong_answers_that_pass_every_visible_check_score_nothing(runs, assignment):
    """Validate finds nothing wrong in them (every visible check passes), and the grader gives them no point."""
    assert runs[assignment].validated[ms.VISIBLE_ONLY] == {}
    scores = recorded_scores(runs[assignment], assignment, ms.VISIBLE_ONLY)
    automatic = {grade_id: meta["points"] for grade_id, meta in grade_cells(assignment).items() if not meta.get("solution")}
    earned = sum(scores[grade_id] or 0 for grade_id in automatic)
    assert earned <= 0.2 * sum(automatic.values()), f"{earned} of {sum(automatic.values())} automatic points"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_files_nbgrader_cannot_grade_are_logged_and_the_class_is_still_graded(runs, assignment):
    run = runs[assignment]
    ungradable = {case for case in run.students if case in ms.UNGRADABLE} | {MISNAMED}
    for student in ungradable:
        assert f"error processing assignment: {run.course / 'submitted' / student / assignment}" in run.autograde_log
    for student in set(run.students) - ungradable:
        assert f"error processing assignment: {run.course / 'submitted' / student / assignment}" not in run.autograde_log
        assert (run.course / "autograded" / student / assignment / f"{assignment}.ipynb").is_file()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_gradebook_holds_the_class_and_the_points_the_teacher_set(runs, assignment):
    run = runs[assignment]
    points = {grade_id: float(meta["points"]) for grade_id, meta in grade_cells(assignment).items()}
    with Gradebook(f"sqlite:///{run.course / 'gradebook.db'}", course_id="leninsmoscow") as gradebook:
        assert [item.name for item in gradebook.assignments] == [assignment]
        assert sorted(student.id for student in gradebook.students) == sorted(run.students)
        for student in run.students:
            try:
                submission = gradebook.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                pytest.fail(f"{student} has no submission in the gradebook")
            assert {grade.name: grade.max_score for grade in submission.grades} == points, student


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_never_shows_a_hidden_test(runs, assignment):
    run = runs[assignment]
    pages = sorted((run.course / "feedback").glob(f"*/{assignment}/*.html"))
    graded = {student for student in run.students if student not in ms.UNGRADABLE and student != MISNAMED}
    assert {page.parent.parent.name for page in pages} == graded
    secrets = hidden_lines(assignment)
    assert secrets
    for page in pages:
        text = page_text(page)
        assert "HIDDEN TESTS" not in text
        shown = [line for line in secrets if line in text]
        assert not shown, f"{page.parent.parent.name}'s feedback shows hidden lines: {shown[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_withholds_printed_history_and_explains_failures_in_plain_words(runs, assignment):
    feedback = runs[assignment].course / "feedback"
    assert WITHHELD in page_text(feedback / "print-history" / assignment / f"{assignment}.html")
    partial = page_text(feedback / "partial" / assignment / f"{assignment}.html")
    for grade_id in ms.zeroed_tests(assignment, "partial"):
        cell = next(c for c in source(assignment).cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        message = re.search(r"message='([^']+)'", cell.source).group(1)
        assert message in partial, f"the feedback does not say why {grade_id} failed"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_warning_from_honest_code_is_dropped_once_the_test_passed(runs, assignment):
    """The warning case's function warns (Validate, which keeps stderr, flags it), yet earns full points."""
    test_id = ms.graded_by(ms.SPECS[assignment].function)
    [flagged] = runs[assignment].validated["warning"]["failed"]
    assert "UserWarning: pandas may warn about honest code" in flagged["raw_error"]
    assert "_r.passed" not in flagged["source"] and test_id.removeprefix("test-").replace("-", "_") in flagged["source"]
    path = runs[assignment].course / "autograded" / "warning" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == test_id)
    assert not [output for output in cell.outputs if output.get("name") == "stderr"]
    assert recorded_scores(runs[assignment], assignment, "warning")[test_id] == grade_cells(assignment)[test_id]["points"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_html_reaches_the_teachers_pages_as_inert_text(runs, assignment):
    """The hostile case's graded notebook, as the formgrader shows it and as its feedback file is written,
    runs nothing the same pages of the honest solution do not run."""
    from leninsmoscow.teacher import pages

    run = runs[assignment]
    graded = {case: run.course / "autograded" / case / assignment / f"{assignment}.ipynb"
              for case in ("hostile-html", "solution")}
    assert pages.active_markup(pages.formgrader_page(graded["hostile-html"]),
                               pages.formgrader_page(graded["solution"])) == []
    feedback = {case: (run.course / "feedback" / case / assignment / f"{assignment}.html").read_text(encoding="utf-8")
                for case in graded}
    assert pages.active_markup(feedback["hostile-html"], feedback["solution"]) == []
    assert "LENINSMOSCOW_PWNED" in feedback["hostile-html"], "the attempt is shown to the student as text"
