"""Autograding speed against its floor, for benchmarks/run.py.

The floor is what grading cannot avoid: running the solution notebook once in a
fresh kernel with nbclient. ``grade`` is measured as a teacher runs it (a new
process, sandboxed by default) on a class of copies of the solution, twice:
with one worker and with two. The marginal cost per submission (the difference
between a class of 2N and a class of N, divided by N) leaves out the one-off
start-up, which a real class of 30 to 300 spreads thin.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLASS = 4


def rows(repeat: int = 3) -> list[tuple]:
    from leninsmoscow.teacher.course import find_course

    course = find_course()
    found = []
    for assignment in course.assignments():
        solution = course.folder("source") / assignment / f"{assignment}.ipynb"
        floor = statistics.median(nbclient_seconds(solution) for _ in range(repeat))
        one = marginal_seconds(course, assignment, solution, jobs=1)
        two = marginal_seconds(course, assignment, solution, jobs=2)
        found.append((f"{assignment}: grade, 1 worker, s/submission", one, "nbclient run of solution", floor, "<= 1.3 x floor"))
        found.append((f"{assignment}: grade, 2 workers, s/submission", two, "1 worker", one, "<= 0.59 (1.7 x throughput)"))
    return found


def nbclient_seconds(notebook: Path) -> float:
    import nbclient
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    started = time.perf_counter()
    nbclient.NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return time.perf_counter() - started


def marginal_seconds(course, assignment: str, solution: Path, jobs: int) -> float:
    small = grade_seconds(course, assignment, solution, CLASS, jobs)
    large = grade_seconds(course, assignment, solution, 2 * CLASS, jobs)
    return max(large - small, 0.0) / CLASS


def grade_seconds(course, assignment: str, solution: Path, students: int, jobs: int) -> float:
    from leninsmoscow.cli.demo import copy_course

    with tempfile.TemporaryDirectory(prefix="leninsmoscow-bench-") as scratch:
        work = copy_course(course, Path(scratch) / "course", None)
        for number in range(students):
            folder = work.root / "submitted" / f"student{number:03d}" / assignment
            folder.mkdir(parents=True)
            shutil.copy(solution, folder / solution.name)
        command = [sys.executable, "-m", "leninsmoscow.cli", "grade", assignment, "--course", str(work.root),
                   "--jobs", str(jobs), "--force"]
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started
