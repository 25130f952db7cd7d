"""The teacher's cycle end to end, with real nbgrader runs on a scratch course.

A small assignment (tests/cli/minicourse.py, built like the real ones) and a
class of nine synthetic students keep grading fast; the demo then runs the
whole cycle on the real course with a class of 30.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT

from helpers import minicourse

from leninsmoscow.teacher import synthetic
from leninsmoscow.teacher.course import Course

pytestmark = [pytest.mark.slow, pytest.mark.needs("bubblewrap")]

ASSIGNMENT = "mini"
KINDS = ["right", "partly right", "blank", "invalid JSON", "empty file", "edited test", "__eq__ cheat", "crashed kernel"]
STUDENTS = [synthetic.Student(str(10001 + i), f"Student {i}", kind) for i, kind in enumerate(KINDS)]
FAILING = {s.id for s in STUDENTS if s.kind in ("invalid JSON", "empty file", "crashed kernel")}
HIDDEN_SNIPPETS = ("_r.expect(year, 1917)", "_r.expect(months, ['February', 'October'])")


def cli(*args, timeout=600):
    result = subprocess.run([sys.executable, "-m", "leninsmoscow.cli", *map(str, args)], capture_output=True,
                            text=True, timeout=timeout)
    print(result.stdout, result.stderr)
    return result


def clone(root: Path, target: Path) -> Path:
    """A private copy of a course folder, its gradebook included (SQLite paths are fixed up)."""
    shutil.copytree(root, target)
    return target


def grades(root: Path) -> dict:
    """{(student, item): (auto score, score, needs manual grade)} straight from nbgrader's gradebook."""
    with Course(root).gradebook() as gradebook:
        found = {}
        for submission in gradebook.assignment_submissions(ASSIGNMENT):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    found[(submission.student.id, grade.name)] = (grade.auto_score, grade.score,
                                                                  grade.needs_manual_grade)
        return found


def totals(root: Path) -> dict:
    with Course(root).gradebook() as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(ASSIGNMENT)}


def graded_students(root: Path) -> set:
    return {p.parent.name for p in (root / "autograded").glob(f"*/{ASSIGNMENT}")}


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """The mini course, released, with the class's Moodle-style export collected into submitted/."""
    root = minicourse.make_course(tmp_path_factory.mktemp("cycle") / "course", assignments=(ASSIGNMENT,))
    assert cli("release", "--no-validate", "--course", root).returncode == 0  # the demo validates, on the real course
    export = synthetic.export(Course(root), ASSIGNMENT, STUDENTS, root.parent / "export.zip")
    result = cli("collect", ASSIGNMENT, export, "--course", root)
    assert result.returncode == 0 and f"collected {len(STUDENTS)} notebook(s)" in result.stdout
    return root


def graded_copy(collected: Path, folder: Path, jobs: int):
    """A copy of the collected course graded with ``jobs`` workers: (its root, what grade printed)."""
    root = clone(collected, folder / "course")
    result = cli("grade", ASSIGNMENT, "--jobs", str(jobs), "--course", root, "--db-url", f"sqlite:///{root / 'gradebook.db'}")
    assert result.returncode == 0
    return root, result


@pytest.fixture(scope="module")
def sequential(collected, tmp_path_factory) -> Path:
    return graded_copy(collected, tmp_path_factory.mktemp("sequential"), jobs=1)[0]


@pytest.fixture(scope="module")
def parallel(collected, tmp_path_factory) -> Path:
    root, result = graded_copy(collected, tmp_path_factory.mktemp("parallel"), jobs=2)
    assert "with 2 worker(s)" in result.stdout
    return root


def test_bundle_holds_no_solution_and_no_hidden_test(collected):
    bundle = collected / "dist" / "student-bundle"
    archive = collected / "dist" / "student-bundle.zip"
    assert (bundle / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    assert (bundle / "notebooks").is_dir() and (bundle / "data").is_dir() and (bundle / "README.md").is_file()
    assert (bundle / "src" / "leninsmoscow" / "grading" / "referee.py").is_file()
    shipped = {path.relative_to(bundle).as_posix() for path in bundle.rglob("*") if path.is_file()}
    development = [name for name in shipped if "bench" in name or "notebook_runner" in name
                   or name.startswith(("tests/", "tools/", "solutions-text/", "lessons/", "benchmarks/", "docs/"))]
    assert not development, f"development files in the student bundle: {development}"
    makefile = (bundle / "Makefile").read_text(encoding="utf-8")
    assert re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE) == ["lab"], "students get `make lab` only"
    assert "[test]" not in makefile and "optional-dependencies" not in (bundle / "pyproject.toml").read_text()
    assert "pytest" not in (bundle / "environment.yml").read_text()
    import zipfile

    with zipfile.ZipFile(archive) as handed_out:
        names = handed_out.namelist()
        assert not [n for n in names if "/solutions/" in n or "/autograded/" in n or n.endswith(".db")]
        for name in names:
            text = handed_out.read(name).decode("utf-8", errors="replace")
            for snippet in HIDDEN_SNIPPETS:
                assert snippet not in text, name
            if name.endswith(".ipynb"):
                sources = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
                assert "BEGIN SOLUTION" not in sources and "BEGIN HIDDEN TESTS" not in sources, name


def test_release_removes_a_bundle_that_would_leak(collected, tmp_path):
    root = clone(collected, tmp_path / "course")
    lesson = json.loads((root / "notebooks" / "01-lesson.ipynb").read_text())
    lesson["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                            "source": "### BEGIN SOLUTION\nyear = 1917\n### END SOLUTION"})
    (root / "notebooks" / "01-lesson.ipynb").write_text(json.dumps(lesson))
    result = cli("release", ASSIGNMENT, "--no-validate", "--course", root)
    assert result.returncode == 1
    assert "NOT safe" in result.stdout and "notebooks/01-lesson.ipynb" in result.stdout
    assert not (root / "dist" / "student-bundle").exists() and not (root / "dist" / "student-bundle.zip").exists()


def test_parallel_grading_gives_the_grades_of_sequential_grading(sequential, parallel):
    assert grades(parallel) == grades(sequential)
    assert len(grades(sequential)) == len(STUDENTS) * 3
    assert graded_students(parallel) == graded_students(sequential) == {s.id for s in STUDENTS} - FAILING


def test_each_kind_of_submission_gets_what_it_deserves(sequential):
    scores = grades(sequential)
    for student in STUDENTS:
        tests = [scores[(student.id, item)][1] for item in ("test-year", "test-months")]
        if student.kind == "right":
            assert tests == [2, 3], student
        elif student.kind in ("blank", "edited test", "__eq__ cheat") or student.id in FAILING:
            assert tests == [0, 0], student
    for student in FAILING:  # as nbgrader leaves a failed submission: no automatic score, flagged for a human
        assert {scores[(student, item)][0] for item in ("test-year", "test-months", "essay")} == {None}
    log = sequential / "autograded" / STUDENTS[KINDS.index("invalid JSON")].id / f"{ASSIGNMENT}.log"
    assert log.is_file()


INTERRUPTED = STUDENTS[KINDS.index("partly right")].id  # graded early, with others after it
STAGES = ["worker-mid-grade", "gradebook-mid-write", "receipt-mid-write", "between-students"]


@pytest.mark.parametrize("stage", STAGES)
def test_a_run_killed_at_any_stage_loses_nothing(collected, sequential, tmp_path, stage):
    """SIGKILL the whole run at one moment of one student's grading, then grade again as a teacher would."""
    from leninsmoscow.teacher.receipts import Receipts

    root = clone(collected, tmp_path / "course")
    env = dict(os.environ, INTERRUPT_STAGE=stage, INTERRUPT_STUDENT=INTERRUPTED)
    killed = subprocess.run([sys.executable, str(Path(__file__).parent / "helpers" / "interrupt.py"), "grade", ASSIGNMENT,
                             "--jobs", "2", "--course", str(root)], env=env, capture_output=True, text=True,
                            timeout=600, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL, (killed.stdout, killed.stderr)
    time.sleep(1)  # the sandboxed kernels end with their workers
    again = cli("grade", ASSIGNMENT, "--jobs", "2", "--course", root)
    assert again.returncode == 0
    assert f"{INTERRUPTED}  graded" in again.stdout or stage == "between-students"
    assert grades(root) == grades(sequential)
    assert graded_students(root) == graded_students(sequential)
    receipts = Receipts(Course(root).db_url, "leninsmoscow")
    try:
        recorded = receipts.load(ASSIGNMENT)
    finally:
        receipts.close()
    assert set(recorded) == {s.id for s in STUDENTS}
    assert {s for s, r in recorded.items() if r.status == "failed"} == FAILING
    for student in graded_students(root):
        json.loads((root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())


def test_a_rerun_grades_only_what_changed(parallel, tmp_path):
    root = clone(parallel, tmp_path / "course")
    nothing = cli("grade", ASSIGNMENT, "--course", root)
    assert nothing.returncode == 0
    assert f"grading 0, {len(STUDENTS)} unchanged" in nothing.stdout
    blank = next(s.id for s in STUDENTS if s.kind == "blank")
    right = next(s.id for s in STUDENTS if s.kind == "right")
    before = totals(root)
    shutil.copy(root / "submitted" / right / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                root / "submitted" / blank / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    changed = cli("grade", ASSIGNMENT, "--course", root)
    assert changed.returncode == 0
    assert f"grading 1, {len(STUDENTS) - 1} unchanged" in changed.stdout and f"{blank}  graded" in changed.stdout
    after = totals(root)
    assert after[blank] > before[blank]
    assert {s: t for s, t in after.items() if s != blank} == {s: t for s, t in before.items() if s != blank}


def test_report_figures_match_the_gradebook(sequential, tmp_path):
    out = tmp_path / "report"
    result = cli("report", ASSIGNMENT, "--out", out, "--course", sequential)
    assert result.returncode == 0
    with open(out / "grades.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    gradebook_totals = totals(sequential)
    assert set(rows) == set(gradebook_totals)
    for student, total in gradebook_totals.items():
        assert float(rows[student]["total"]) == pytest.approx(total)
    assert {s for s, row in rows.items() if row["status"].startswith("failed")} == FAILING
    scores = grades(sequential)
    graded = [s.id for s in STUDENTS if s.id not in FAILING]
    with open(out / "items.csv", newline="") as handle:
        items = {row["item"]: row for row in csv.DictReader(handle)}
    for item in ("test-year", "test-months"):
        expected = sum(scores[(s, item)][1] for s in graded) / len(graded)
        assert float(items[item]["mean_score"]) == pytest.approx(expected, abs=1e-3)
        assert int(items[item]["n"]) == len(graded)
    page = (out / "report.html").read_text()
    assert "data:image/png;base64," in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page), "the page must not load anything"
    assert (out / "totals.png").read_bytes()[:4] == b"\x89PNG"
    with open(out / "manual.csv", newline="") as handle:
        waiting = list(csv.DictReader(handle))
    assert waiting and all(row["item"] == "essay" for row in waiting)


def test_feedback_shows_no_hidden_test(sequential, tmp_path):
    root = clone(sequential, tmp_path / "course")
    result = cli("feedback", ASSIGNMENT, "--course", root)
    assert result.returncode == 0
    files = sorted((root / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert {f.parent.parent.name for f in files} == graded_students(root)
    from leninsmoscow.teacher.secrets import html_text

    for path in files:
        text = html_text(path.read_text())
        for snippet in HIDDEN_SNIPPETS:
            assert snippet not in text, path
    # a page that does show a hidden line is found and withheld
    from leninsmoscow.teacher.feedback import check

    leaky = files[0]
    leaky.write_text(leaky.read_text().replace("</body>", f"<pre>{HIDDEN_SNIPPETS[0]}</pre></body>"))
    leaks = check(Course(root), ASSIGNMENT, {leaky.parent.parent.name: [leaky]})
    assert leaks and not leaky.exists()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    keep = tmp_path_factory.mktemp("demo") / "kept"
    started = time.monotonic()
    result = cli("demo", "--students", "30", "--jobs", "2", "--keep", keep, "--course", ROOT, timeout=900)
    return result, keep, time.monotonic() - started


def _kind_lines(stdout: str) -> dict:
    lines = {}
    for kind in synthetic.KINDS:
        match = re.search(rf"^\s+{re.escape(kind)}\s+\d+\s+(ok|UNEXPECTED)\s+(.*)$", stdout, re.MULTILINE)
        if match:
            lines[kind] = match.groups()
    return lines


def test_demo_runs_the_cycle_end_to_end(demo):
    result, keep, seconds = demo
    assert "Traceback" not in result.stderr
    assert "== the demo class: 30 students" in result.stdout
    report = re.search(r"^report: (.+)$", result.stdout, re.MULTILINE)
    assert report and Path(report.group(1)).is_file()
    assert (keep / "course" / "dist" / "student-bundle.zip").is_file()
    kinds = _kind_lines(result.stdout)
    assert set(kinds) == set(synthetic.KINDS)
    for kind, (verdict, happened) in kinds.items():  # every cheat scores nothing, every broken file fails
        assert verdict == "ok", (kind, happened)
    assert result.returncode == 0
    assert seconds < 600
