"""Import the submissions a learning platform exported (a folder or a zip) for one assignment.

Each notebook goes to nbgrader's submitted/<student>/<assignment>/<notebook>,
through nbgrader's zip_collect. The student id is read from the file or folder
name; these layouts are understood without being told:

  jdoe_war-communism.ipynb                      (id, then the notebook's name)
  jdoe/war-communism.ipynb                      (a folder per student)
  Jane Doe_12345_assignsubmission_file_war-communism.ipynb   (Moodle: id 12345)

For another platform, give --pattern with nbgrader's named groups, e.g.
  --pattern '(?P<student_id>[^/_]+)__(?P<file_id>[^/]+)'
(matched from the start of the file's path inside the export; it may also be
set once as c.FileNameCollectorPlugin.named_regexp in nbgrader_config.py).

Every file that cannot be placed is listed with the reason: not a notebook,
no student id, not a notebook of this assignment, or an older duplicate (the
newest file of a student is kept). A student's earlier submission is replaced
by the one in the new export; other students' submissions are left alone.
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
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course)
    assignment = course.check_assignment(args.assignment)
    patterns = _patterns(args.pattern, course)
    if not (args.path.is_dir() or zipfile.is_zipfile(args.path)):
        raise CommandError(f"{args.path} is neither a folder nor a zip file")
    collected = collect(course, assignment, args.path, patterns)
    return 0 if collected.placements else 1


def collect(course, assignment, path, patterns=None, say=print):
    """Collect one export and tell the teacher what went where and what did not."""
    from leninsmoscow.teacher.zipcollect import collect as zip_collect

    try:
        collected = zip_collect(course, assignment, path, patterns)
    except RuntimeError as error:
        raise CommandError(f"nbgrader's zip_collect stopped: {error}") from None
    students = sorted({p.student for p in collected.placements})
    where = course.folder("submitted").relative_to(course.root)
    say(f"collected {len(collected.placements)} notebook(s) of {len(students)} student(s) "
        f"into {where}/<student>/{assignment}/")
    if collected.rejections:
        say(f"could not place {len(collected.rejections)} file(s):")
        for rejection in collected.rejections:
            say(f"  {rejection}")
    if not collected.placements:
        say(f"nothing was collected from {path}: check the file names (see `leninsmoscow collect --help`)")
    return collected


def _patterns(given, course) -> list[str] | None:
    """--pattern, else the course config's FileNameCollectorPlugin.named_regexp, else the built-in layouts."""
    from leninsmoscow.teacher.lms import check_pattern

    patterns = list(given or [])
    if not patterns:
        configured = course.layout_setting("FileNameCollectorPlugin", "named_regexp")
        patterns = [configured] if configured else []
    try:
        return [check_pattern(p) for p in patterns] or None
    except ValueError as error:
        raise CommandError(error) from None
