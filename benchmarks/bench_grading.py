"""Autograding speed against its floor, for benchmarks/run.py.

The floor is what grading cannot avoid: running the solution notebook once in a
fresh kernel with nbclient. ``grade`` is measured as a teacher runs it (a new
process, sandboxed by default) on a class of copies of the solution, with one
worker and with two.

The figure is the steady pace of the teacher's progress lines: the time from
the moment every worker has finished its first student to the last student,
divided by the students finished in between. That leaves out the one-off
start-up (entering the assignment in the gradebook, starting the workers),
which a real class of 30 to 300 spreads thin (it is reported on its own row),
and it is read off one run rather than taken as the difference of two runs,
whose noise it would double.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLASS = 8
PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] ")


def rows(repeat: int = 3) -> list[tuple]:
    from leninsmoscow.teacher.course import find_course

    course = find_course()
    found = []
    for assignment in course.assignments():
        solution = course.folder("source") / assignment / f"{assignment}.ipynb"
        floor = statistics.median(nbclient_seconds(solution) for _ in range(repeat))
        with tempfile.TemporaryDirectory(prefix="leninsmoscow-bench-") as scratch:
            work = class_of_solutions(course, assignment, solution, Path(scratch) / "course")
            ones = [class_run(work, assignment, jobs=1) for _ in range(repeat)]
            twos = [class_run(work, assignment, jobs=2) for _ in range(repeat)]
            idle = statistics.median(nothing_to_grade_seconds(work, assignment) for _ in range(repeat))
            empty = statistics.median(no_submissions_seconds(work, assignment) for _ in range(repeat))
        one = statistics.median(pace for _, pace in ones)
        two = statistics.median(pace for _, pace in twos)
        first = statistics.median(first for first, _ in ones)
        found.append((f"{assignment}: grade, 1 worker, s/submission", one, "nbclient run of solution", floor,
                      "<= 1.15 x floor"))
        found.append((f"{assignment}: grade, 2 workers, s/submission", two, "1 worker", one, "<= 0.55 (of one worker)"))
        found.append((f"{assignment}: grade, first student done after", first, "nbclient run of solution", floor,
                      "<= 2.5 x floor"))
        found.append((f"{assignment}: grade with nothing new to grade", idle, "nbclient run of solution", floor, "< 1 s"))
        found.append((f"{assignment}: grade with no submissions", empty, "nbclient run of solution", floor, "< 1 s"))
    return found


def nbclient_seconds(notebook: Path) -> float:
    import nbclient
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    started = time.perf_counter()
    nbclient.NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return time.perf_counter() - started


def class_of_solutions(course, assignment: str, solution: Path, target: Path):
    """A copy of the course in which CLASS students all handed in the solution."""
    from leninsmoscow.teacher.course import copy_course

    work = copy_course(course, target, None)
    for number in range(CLASS):
        folder = work.root / "submitted" / f"student{number:03d}" / assignment
        folder.mkdir(parents=True)
        shutil.copy(solution, folder / solution.name)
    return work


def class_run(work, assignment: str, jobs: int) -> tuple[float, float]:
    """(seconds until the first student is done, seconds per submission once every worker is busy)."""
    finished = progress_times(work, assignment, jobs)
    if len(finished) < jobs + 2:
        raise RuntimeError(f"grade reported {len(finished)} of {CLASS} students: too few to time")
    steady = finished[jobs - 1:]
    return finished[0], (steady[-1] - steady[0]) / (len(steady) - 1)


def progress_times(work, assignment: str, jobs: int) -> list[float]:
    """When each "[k/n] student ..." line reached the teacher's terminal."""
    command = grade_command(work, assignment, "--jobs", str(jobs), "--force")
    started = time.perf_counter()
    finished = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"}) as run:
        for line in run.stdout:
            if PROGRESS.match(line):
                finished.append(time.perf_counter() - started)
    if run.returncode != 0:
        raise RuntimeError(f"grade {assignment} exited with {run.returncode}")
    return finished


def nothing_to_grade_seconds(work, assignment: str) -> float:
    """The whole command when every submission is graded already: what a teacher's re-run costs."""
    started = time.perf_counter()
    subprocess.run(grade_command(work, assignment), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def no_submissions_seconds(work, assignment: str) -> float:
    """The whole command for an assignment of the course that has no submission yet (it says so, exit 1)."""
    others = [other for other in work.assignments() if other != assignment and not work.submitted_students(other)]
    started = time.perf_counter()
    subprocess.run(grade_command(work, others[0]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def grade_command(work, assignment: str, *options: str) -> list[str]:
    """`leninsmoscow grade` on the benchmark's course, as a teacher types it."""
    return [sys.executable, "-m", "leninsmoscow.cli", "grade", assignment, "--course", str(work.root), *options]
