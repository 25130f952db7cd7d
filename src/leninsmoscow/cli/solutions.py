"""Write an assignment's answer key as HTML, for the teacher to hand out once marking is done.

nbgrader's own solution generation writes the solution notebook with the
hidden tests cleared, the notebook is run and rendered as one page in
dist/solutions/<assignment>/, and the page is read back: a line of a hidden
test in it and the page is removed and the command fails. The questions, the
model answers and their outputs are meant to be there.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, for example war-communism")
    parser.add_argument("--out", metavar="DIR", help="where the pages go (default: dist/solutions/ASSIGNMENT in the course)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course
    from leninsmoscow.teacher.solutions import answer_key

    course = find_course(args.course)
    assignment = course.check_assignment(args.assignment)
    out = Path(args.out).expanduser().resolve() if args.out else None
    return 0 if answer_key(course, assignment, out).safe else 1
