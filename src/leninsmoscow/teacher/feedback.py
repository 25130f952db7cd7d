"""Feedback for every graded student, checked so that it gives no hidden test away.

``leninsmoscow feedback`` wires this: nbgrader's generate_feedback writes the
pages (the course's configuration hides hidden tests and their tracebacks);
each page is then read, and one that still shows a hidden line is deleted and
reported. Feedback left from an earlier grading of a submission that now
fails is removed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

from .course import CourseError
from .nbgrader_log import feedback_failure

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
        raise CourseError(f"nothing of {assignment} is graded yet: run `leninsmoscow grade {assignment}` first")
    summary = Summary()
    summary.stale = remove_stale(course, assignment, students)
    result = course.api().generate_feedback(assignment, force=True)
    log = (result.get("log") or "") + (result.get("error") or "")
    for student in students:
        files = sorted((course.folder("feedback") / student / assignment).glob("*.html"))
        if files:
            summary.written[student] = files
        else:
            summary.failed[student] = feedback_failure(log, student)
    summary.leaks = check(course, assignment, summary.written)
    _say(course, assignment, summary, say)
    return summary


def check(course, assignment: str, written: dict) -> list:
    """Read every feedback file; delete and report those that show a secret."""
    from . import secrets

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
