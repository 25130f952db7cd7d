"""Regenerate the student versions of the assignments, check them, and build the student bundle.

For each assignment (all of them when none is named) every autograded test
is read first: one whose hidden checks the grader cannot take out of the
student's kernel is refused (docs/sandbox.md). Then nbgrader's
generate_assignment writes the student version from solutions/. Both versions
are then run: the teacher's must pass every test, the student's may fail only
where an answer is missing (in an answer cell or in the test that checks it),
never in a cell students cannot change. Last, the student bundle (a folder and
a zip: lessons, assignments, data, the package and a README) is written and
every file of it is read to make sure no solution and no hidden test is in it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CommandError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", nargs="?", help="one assignment id (default: all of them)")
    parser.add_argument("--out", metavar="DIR", help="the bundle folder; the zip is DIR.zip (default: dist/student-bundle in the course)")
    parser.add_argument("--no-validate", action="store_true", help="do not run the notebooks (faster, but unchecked)")
    parser.add_argument("--db-url", metavar="URL", help="the gradebook (any SQLAlchemy URL; default: the course's SQLite file)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course
    from leninsmoscow.teacher.release import release

    course = find_course(args.course, args.db_url)
    assignments = [course.check_assignment(args.assignment)] if args.assignment else course.assignments()
    if not assignments:
        raise CommandError(f"{course.folder('source')} holds no assignment to release")
    out = Path(args.out).expanduser().resolve() if args.out else course.root / "dist" / "student-bundle"
    bundle = release(course, assignments, out, validate=not args.no_validate)
    return 0 if bundle.safe else 1
