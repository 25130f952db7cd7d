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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, e.g. war-communism")
    parser.add_argument("--db-url", metavar="URL", help="the gradebook (default: the course's SQLite file)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course
    from leninsmoscow.teacher.feedback import feedback

    course = find_course(args.course, args.db_url)
    assignment = course.check_assignment(args.assignment)
    summary = feedback(course, assignment)
    return 0 if summary.safe and not summary.failed else 1
