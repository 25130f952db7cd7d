"""Import the submissions a learning platform exported (a folder or a zip) for one assignment.

Each notebook goes to nbgrader's submitted/<student>/<assignment>/<notebook>,
through nbgrader's zip_collect. Who handed in a file is read from the export's
structure, the first level below its root (and below one folder that wraps the
whole export, if there is one); these layouts are understood without being told:

  jdoe_war-communism.ipynb                      (a file per student: id, then the notebook's name)
  jdoe/war-communism.ipynb                      (a folder per student; anything inside is theirs)
  Jane Doe_12345_assignsubmission_file_war-communism.ipynb   (Moodle: id 12345)

For another platform, give --pattern with nbgrader's named groups, e.g.
  --pattern '(?P<student_id>[^/_]+)__(?P<file_id>[^/]+)'
(matched from the start of the file's path inside the export; it may also be
set once as c.FileNameCollectorPlugin.named_regexp in nbgrader_config.py).

Everything in an export is treated as hostile (docs/teacher-guide.md, "Limits"):
an export that would expand to more than 2 GiB, or to more than 100 times its
own size, is refused before anything is written; a notebook over 20 MiB, a
link, an archive inside the export, a name over 255 bytes or a student id over
128 characters is refused with its reason, and the others are collected. When
two files claim the same student and notebook, both are refused and listed, and
the command exits with 1 after collecting everyone else. A student's earlier
submission is replaced by the one in the new export; other students' are left alone.
"""

from __future__ import annotations

import argparse
import zipfile

from . import CommandError, existing_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, e.g. war-communism")
    parser.add_argument("path", type=existing_path, help="the platform's export: a folder or a .zip file")
    parser.add_argument("--pattern", action="append", metavar="REGEX",
                        help="a regular expression with (?P<student_id>...) and (?P<file_id>...) for the "
                             "file path inside the export; may be given several times (tried in order)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.collect import collect, patterns
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course)
    assignment = course.check_assignment(args.assignment)
    if not (args.path.is_dir() or zipfile.is_zipfile(args.path)):
        raise CommandError(f"{args.path} is neither a folder nor a zip file")
    collected = collect(course, assignment, args.path, patterns(args.pattern, course))
    return 0 if collected.placements and not collected.conflicts else 1
