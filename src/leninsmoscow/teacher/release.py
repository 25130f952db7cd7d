"""Releasing an assignment: refuse tests the grader cannot judge, generate, validate, bundle.

``leninsmoscow release`` wires this. For each assignment every autograded
test is read first; nbgrader's generate_assignment then writes the student
version; both versions are run through the course's own grading pipeline
(the teacher's must pass every test, the student's may fail only where an
answer is missing); last, the student bundle is built and read file by file.
"""

from __future__ import annotations

from pathlib import Path

from .course import CourseError

def release(course, assignments: list[str], out: Path, validate: bool = True, say=print):
    """Generate, validate and bundle; the bundle is removed again if a secret is found in it."""
    from . import bundle as bundles

    for assignment in assignments:
        problems = unjudgeable(course, assignment)
        if problems:
            raise CourseError(f"{assignment} is not released: the grader cannot take these tests out of the "
                               "student's kernel, where the student's code could rewrite them:\n  " + "\n  ".join(problems))
    api = course.api()
    for assignment in assignments:
        generate(api, assignment)
        if validate:
            problems = check_versions(course, assignment)
            if problems:
                raise CourseError(f"{assignment} is not ready to hand out:\n  " + "\n  ".join(problems))
        checked = "solution passes every test, student version fails only where answers are missing"
        say(f"released {assignment} into {course.shown(course.folder('release') / assignment)}"
            + (f" ({checked})" if validate else " (not validated)"))
    bundle = bundles.build(course, out)
    if bundle.safe:
        say(f"student bundle: {course.shown(bundle.folder)}/ and {course.shown(bundle.archive)} "
            f"({bundle.files} files; every file read: no solution, no hidden test)")
        return bundle
    bundles.discard(bundle)
    say("the student bundle is NOT safe to hand out, so it was removed:")
    for finding in bundle.findings:
        say(f"  {finding}")
    return bundle


def generate(api, assignment: str) -> None:
    """nbgrader's generate_assignment, which also enters the assignment in the gradebook."""
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        from .nbgrader_log import last_error

        raise CourseError(f"nbgrader could not generate {assignment}: {last_error(result)}")


def unjudgeable(course, assignment: str) -> list[str]:
    """Tests of the teacher's notebooks that the grader could not take out of the student's kernel."""
    import nbformat

    from leninsmoscow.grading.preprocessors import unjudgeable_tests

    return [f"{name}: {problem}" for name in course.notebooks(assignment)
            for problem in unjudgeable_tests(nbformat.read(course.folder("source") / assignment / name, as_version=4))]


def check_versions(course, assignment: str) -> list[str]:
    """Problems found by running the teacher's and the student's version of each notebook."""
    problems = []
    config = course.nbgrader_config()
    for name in course.notebooks(assignment):
        solution = execute(course.folder("source") / assignment / name, config)
        problems += [f"{name} (solution): {p}" for p in solution_problems(solution)]
        student = execute(course.folder("release") / assignment / name, config)
        problems += [f"{name} (student version): {p}" for p in student_problems(student)]
    return problems


def validation_steps(config) -> list:
    """The course's own autograding pipeline, without its gradebook steps: validation grades as grading does."""
    from traitlets.utils.importstring import import_item

    from leninsmoscow.grading import pipeline

    configured = config.Autograde.get("autograde_preprocessors") if "Autograde" in config else None
    return [import_item(step) for step in pipeline.validation(configured or pipeline.AUTOGRADE)]


def execute(path: Path, config):
    """The notebook after the course's autograding steps (hidden tests judged by the grader)."""
    import nbformat
    from nbgrader import utils

    from .console import quiet_stderr

    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    with utils.chdir(str(path.parent)), utils.setenv(NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate"), \
            quiet_stderr():
        for step in validation_steps(config):
            notebook, resources = step(config=config).preprocess(notebook, resources)
    return notebook


def solution_problems(notebook) -> list[str]:
    """Every error and every test without full marks in the teacher's version."""
    from nbgrader import utils

    problems = []
    for index, cell in enumerate(notebook.cells):
        error = _error(cell)
        if error:
            problems.append(f"cell {index} ({_cell_name(cell)}) raised {error}")
        elif utils.is_grade(cell) and cell.cell_type == "code":
            score, points = utils.determine_grade(cell)
            if score is not None and score < points:
                problems.append(f"test {_cell_name(cell)} gives {score} of {points} points to the solution")
    return problems


def student_problems(notebook) -> list[str]:
    """Errors in the student's version outside answers and their tests."""
    from nbgrader import utils

    problems = []
    for index, cell in enumerate(notebook.cells):
        error = _error(cell)
        if error and not (utils.is_solution(cell) or utils.is_grade(cell)):
            problems.append(f"cell {index} ({_cell_name(cell)}) raised {error} before any answer was written")
    return problems


def _error(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {str(output.get('evalue'))[:200]}"
    return None


def _cell_name(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.cell_type

