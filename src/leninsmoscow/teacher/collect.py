"""Collecting an export for one assignment, and telling the teacher what went where.

``leninsmoscow collect`` wires this; the reading of the export is in
:mod:`.exports` and :mod:`.lms`, the placing in :mod:`.zipcollect`.
"""

from __future__ import annotations

from .course import CourseError

def collect(course, assignment, path, patterns=None, say=print):
    """Collect one export and tell the teacher what went where and what did not."""
    from .console import shown
    from .exports import ExportRefused
    from .zipcollect import collect as zip_collect

    try:
        collected = zip_collect(course, assignment, path, patterns)
    except ExportRefused as refused:
        raise CourseError(f"export refused: {shown(refused)}") from None
    except RuntimeError as error:
        raise CourseError(f"nbgrader's zip_collect stopped: {shown(error)}") from None
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


def patterns(given, course) -> list[str] | None:
    """--pattern, else the course config's FileNameCollectorPlugin.named_regexp, else the built-in layouts."""
    from .lms import check_pattern

    patterns = list(given or [])
    if not patterns:
        configured = course.setting("FileNameCollectorPlugin", "named_regexp")
        patterns = [configured] if configured else []
    try:
        return [check_pattern(p) for p in patterns] or None
    except ValueError as error:
        raise CourseError(error) from None
