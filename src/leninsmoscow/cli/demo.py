"""Run the whole assessment cycle on a synthetic class, offline, and show where the report is.

A copy of the course is made in a scratch folder (or in --keep DIR, to explore
it afterwards in the formgrader). One assignment is released there, and a class
of --students synthetic students (at least 30) hands it in as a learning
platform exports it (one zip, Moodle-style names): right, partly right and
blank answers, broken files (invalid JSON, an empty file), tampering (an edited
test, an __eq__ cheat, a patched referee, forged results), script aimed at the
teacher's browser (hostile HTML), an endless loop and a kernel that kills itself. Then collect, grade, feedback and report run on it, and the demo
checks that each kind of submission got what it deserves.

The course itself is not touched, except that the report is copied to
demo-output/ in it (a folder git ignores) when no --keep is given.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from . import add_sandbox_argument, positive_float, positive_int

MIN_STUDENTS = 30  # as leninsmoscow.teacher.demo.MIN_STUDENTS, without importing it for --help


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--students", type=_class_size, default=MIN_STUDENTS, metavar="N",
                        help=f"size of the synthetic class (at least {MIN_STUDENTS}; default %(default)s)")
    parser.add_argument("--jobs", "-j", type=positive_int, default=os.cpu_count() or 1,
                        help="grading worker processes (default: the number of CPUs, %(default)s here)")
    parser.add_argument("--db-url", metavar="URL",
                        help="the demo's gradebook (any SQLAlchemy URL; default: SQLite in the demo course)")
    parser.add_argument("--keep", metavar="DIR",
                        help="make the demo course in DIR and keep it (default: a scratch folder, removed at the end)")
    parser.add_argument("--assignment", help="the assignment to use (default: the course's first)")
    parser.add_argument("--timeout", type=positive_float, default=40.0, metavar="SECONDS",
                        help="grading time limit per submission (default: %(default)g)")
    parser.add_argument("--seed", type=int, default=1917, help="the same seed gives the same class")
    add_sandbox_argument(parser)


def _class_size(text: str) -> int:
    value = positive_int(text)
    if value < MIN_STUDENTS:
        raise argparse.ArgumentTypeError(f"a class of at least {MIN_STUDENTS} students is needed; {value} is fewer")
    return value


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher import demo
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course)
    assignment = course.check_assignment(args.assignment) if args.assignment else demo.first_assignment(course)
    options = {"students": args.students, "jobs": args.jobs, "timeout": args.timeout, "seed": args.seed,
               "sandboxed": not args.no_sandbox, "db_url": args.db_url}
    if args.keep:
        keep = Path(args.keep).expanduser().resolve()
        demo.prepare_keep(keep)
        return demo.demo(course, assignment, keep, **options)
    with tempfile.TemporaryDirectory(prefix="leninsmoscow-demo-") as scratch:
        return demo.demo(course, assignment, Path(scratch), copy_report_to=course.root / "demo-output", **options)
