"""Autograde every collected submission of an assignment, in parallel, each within a time limit.

nbgrader's autograder runs in --jobs long-lived worker processes (nbgrader is
loaded once per worker, not once per student). A submission that breaks
(invalid or empty file, endless loop, crashed kernel, altered metadata) is
reported with its reason and scores zero, as in nbgrader; it never stops or
spoils the grading of the others. A worker that overruns --timeout is killed
with its kernel and replaced.

Only new or changed submissions are graded again (by a checksum of the
submitted files, of the assignment's source and of the grading code itself,
recorded once a student's grading has finished), so upgrading the course
grades everything again; --force grades them all. A student folder whose name
cannot be a student id (over 128 characters, or characters the gradebook
should not hold) is refused with its reason. A run interrupted at any point
loses nothing: run the same command again.
"""

from __future__ import annotations

import argparse
import os

from . import add_sandbox_argument, positive_float, positive_int

DEFAULT_TIMEOUT = 300.0  # as leninsmoscow.teacher.grading.DEFAULT_TIMEOUT, without importing it for --help


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, e.g. war-communism")
    parser.add_argument("--jobs", "-j", type=positive_int, default=os.cpu_count() or 1,
                        help="worker processes grading at once (default: the number of CPUs, %(default)s here)")
    parser.add_argument("--force", action="store_true", help="grade every submission again, changed or not")
    parser.add_argument("--retry-failed", action="store_true",
                        help="grade again the submissions that failed before, even if unchanged (e.g. with a larger --timeout)")
    parser.add_argument("--timeout", type=positive_float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time limit per submission; an overrunning one is stopped and scores zero "
                             "(default: %(default)g)")
    parser.add_argument("--db-url", metavar="URL",
                        help="the gradebook (any SQLAlchemy URL, e.g. postgresql://...; default: the course's SQLite file)")
    add_sandbox_argument(parser)


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course
    from leninsmoscow.teacher.grading import grade, kernel_config

    course = find_course(args.course, args.db_url)
    assignment = course.check_assignment(args.assignment)
    summary = grade(course, assignment, jobs=args.jobs, force=args.force, retry_failed=args.retry_failed,
                    timeout=args.timeout, kernel=lambda: kernel_config(course, sandboxed=not args.no_sandbox))
    return 0 if summary.complete else 1
