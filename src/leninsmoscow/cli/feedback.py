"""Write each student's feedback with nbgrader, then make sure it gives no hidden test away.

nbgrader's generate_feedback turns every graded notebook into an HTML page
(the course's configuration already hides hidden tests and their
tracebacks). Each page is then read: a page that shows a line of a hidden test
(other than a line the student wrote), nbgrader's hidden-test marker, or a
traceback from inside the hidden checks is deleted and reported, so that it
cannot be handed out. Feedback left over from an earlier grading of a
submission that now failed is removed too.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass, field

from . import CommandError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, e.g. war-communism")
    parser.add_argument("--db-url", metavar="URL", help="the gradebook (default: the course's SQLite file)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course, args.db_url)
    assignment = course.check_assignment(args.assignment)
    summary = feedback(course, assignment)
    return 0 if summary.safe and not summary.failed else 1


@dataclass
class Summary:
    written: dict = field(default_factory=dict)  # student -> [feedback files]
    failed: dict = field(default_factory=dict)  # student -> reason
    leaks: list = field(default_factory=list)
    stale: list = field(default_factory=list)

    @property
    def safe(self) -> bool:
        return not self.leaks


def feedback(course, assignment: str, say=print) -> Summary:
    """Generate, check and report; returns what was written and what was withheld."""
    students = course.autograded_students(assignment)
    if not students:
        raise CommandError(f"nothing of {assignment} is graded yet: run `leninsmoscow grade {assignment}` first")
    summary = Summary()
    summary.stale = remove_stale(course, assignment, students)
    result = course.api().generate_feedback(assignment, force=True)
    log = (result.get("log") or "") + (result.get("error") or "")
    for student in students:
        files = sorted((course.folder("feedback") / student / assignment).glob("*.html"))
        if files:
            summary.written[student] = files
        else:
            summary.failed[student] = _reason(log, student)
    summary.leaks = check(course, assignment, summary.written)
    _say(course, assignment, summary, say)
    return summary


def check(course, assignment: str, written: dict) -> list:
    """Read every feedback file; delete and report those that show a secret."""
    from leninsmoscow.teacher import secrets

    hidden = secrets.hidden_lines(sorted((course.folder("source") / assignment).glob("*.ipynb")))
    leaks = []
    for student, files in written.items():
        own = secrets.own_text(sorted((course.folder("submitted") / student / assignment).glob("*.ipynb")))
        for path in list(files):
            found = secrets.feedback_findings(path, hidden, own)
            if found:
                path.unlink()
                files.remove(path)
                leaks += [f"{student}/{finding}" for finding in found]
    return leaks


def remove_stale(course, assignment: str, graded: list[str]) -> list[str]:
    """Feedback of students whose submission is no longer graded (it failed on regrading)."""
    folder = course.folder("feedback")
    stale = []
    if folder.is_dir():
        for student_folder in sorted(folder.iterdir()):
            if (student_folder / assignment).is_dir() and student_folder.name not in graded:
                shutil.rmtree(student_folder / assignment)
                stale.append(student_folder.name)
    return stale


def _reason(log: str, student: str) -> str:
    for line in log.splitlines():
        if f"'{student}'" in line and "error" in line.lower():
            return line.split("]", 1)[-1].strip()
    return "nbgrader wrote no feedback file (see nbgrader's log)"


def _say(course, assignment, summary: Summary, say) -> None:
    where = course.folder("feedback").relative_to(course.root)
    count = sum(len(files) for files in summary.written.values())
    say(f"feedback for {len(summary.written)} student(s): {count} file(s) in {where}/<student>/{assignment}/ "
        f"(checked: no hidden test, no hidden traceback)")
    if summary.stale:
        say(f"removed old feedback of {len(summary.stale)} submission(s) that no longer grade: {', '.join(summary.stale)}")
    for student, reason in sorted(summary.failed.items()):
        say(f"  no feedback for {student}: {reason}")
    if summary.leaks:
        say(f"WITHHELD {len(summary.leaks)} finding(s): these feedback files showed hidden-test text and were deleted:")
        for leak in summary.leaks:
            say(f"  {leak}")
    say("hand them out with `nbgrader release_feedback` (JupyterHub) or upload each student's file to your platform")
