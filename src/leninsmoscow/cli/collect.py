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
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course)
    assignment = course.check_assignment(args.assignment)
    patterns = _patterns(args.pattern, course)
    if not (args.path.is_dir() or zipfile.is_zipfile(args.path)):
        raise CommandError(f"{args.path} is neither a folder nor a zip file")
    collected = collect(course, assignment, args.path, patterns)
    return 0 if collected.placements and not collected.conflicts else 1


def collect(course, assignment, path, patterns=None, say=print):
    """Collect one export and tell the teacher what went where and what did not."""
    from leninsmoscow.teacher.console import shown
    from leninsmoscow.teacher.exports import ExportRefused
    from leninsmoscow.teacher.zipcollect import collect as zip_collect

    try:
        collected = zip_collect(course, assignment, path, patterns)
    except ExportRefused as refused:
        raise CommandError(f"export refused: {shown(refused)}") from None
    except RuntimeError as error:
        raise CommandError(f"nbgrader's zip_collect stopped: {shown(error)}") from None
    students = sorted({p.student for p in collected.placements})
    where = course.folder("submitted").relative_to(course.root)
    say(f"collected {len(collected.placements)} notebook(s) of {len(students)} student(s) "
        f"into {where}/<student>/{assignment}/")
    if collected.rejections:
        say(f"could not place {len(collected.rejections)} file(s):")
        for rejection in collected.rejections:
            say(f"  {shown(rejection.source)}: {shown(rejection.reason)}")
    if collected.conflicts:
        say(f"NOT collected, because several files claim the same notebook ({len(collected.conflicts)} student(s)); "
            "check which file is the student's, then collect again from an export that holds only that one:")
        for student, sources in sorted(collected.conflicts.items()):
            say(f"  {shown(student)}: {', '.join(shown(source) for source in sources)}")
    if not collected.placements:
        say(f"nothing was collected from {shown(path)}: check the file names (see `leninsmoscow collect --help`)")
    return collected


def _patterns(given, course) -> list[str] | None:
    """--pattern, else the course config's FileNameCollectorPlugin.named_regexp, else the built-in layouts."""
    from leninsmoscow.teacher.lms import check_pattern

    patterns = list(given or [])
    if not patterns:
        configured = course.setting("FileNameCollectorPlugin", "named_regexp")
        patterns = [configured] if configured else []
    try:
        return [check_pattern(p) for p in patterns] or None
    except ValueError as error:
        raise CommandError(error) from None
