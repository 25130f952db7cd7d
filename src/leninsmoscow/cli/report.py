"""Grades and item statistics of an assignment, as CSV files and one self-contained HTML page.

Written to --out (default dist/reports/<assignment> in the course, a folder git ignores):

  grades.csv    one row per student: id, the score of every item, total, status, scores to check
  items.csv     per item: max points, mean score, share of full marks, discrimination
  manual.csv    the answers still waiting for manual grading in the formgrader
  totals.png    the distribution of totals
  report.html   all of the above on one page (the plot embedded; no internet needed)

The figures come straight from nbgrader's gradebook, so they include the
scores given by hand in the formgrader: run report again after grading by hand.
A score no grading can give (above an item's maximum, below zero), a test's
score changed by hand and extra credit are listed under "scores to check".
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, e.g. war-communism")
    parser.add_argument("--out", metavar="DIR", help="where to write (default: dist/reports/<assignment> in the course)")
    parser.add_argument("--db-url", metavar="URL", help="the gradebook (default: the course's SQLite file)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course
    from leninsmoscow.teacher.report import report

    course = find_course(args.course, args.db_url)
    assignment = course.check_assignment(args.assignment)
    report(course, assignment, Path(args.out).expanduser().resolve() if args.out else None)
    return 0
