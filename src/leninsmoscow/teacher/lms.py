"""Reading submission file names as learning platforms export them.

A platform exports one notebook per student, with the student's id in the file
name or in a folder name. Without a pattern from the teacher these layouts are
understood (``war-communism.ipynb`` being a notebook of the assignment):

- ``jdoe_war-communism.ipynb`` or ``jdoe-war-communism.ipynb``: the id before the notebook's name;
- ``jdoe/war-communism.ipynb``: a folder per student;
- ``Jane Doe_12345_assignsubmission_file_war-communism.ipynb`` (Moodle), also as a
  folder ``Jane Doe_12345_assignsubmission_file_/war-communism.ipynb``: the
  participant number is the id, the name is kept for the record.

Knowing the assignment's notebook names is what makes this reliable: the
notebook name is found at the end of the file name, and the id is what comes
before it. For other platforms the teacher gives a regular expression with
nbgrader's named groups ``student_id`` and ``file_id`` (``--pattern``, or
``c.FileNameCollectorPlugin.named_regexp`` in nbgrader_config.py), matched from
the start of the file's path inside the export, folders separated by ``/``.

Every file gets a :class:`Placement` or a :class:`Rejection` with a reason, and
when a student has several files for one notebook the newest is kept and the
others are rejected, saying which one was kept. Nothing here needs nbgrader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")
MOODLE = re.compile(r"(?:^|/)(?P<name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_file_/?(?:[^/]*/)*(?P<file_id>[^/]+)$")
SEPARATORS = ("_", "-")


@dataclass(frozen=True)
class Placement:
    """A file that goes to submitted/<student>/<assignment>/<notebook>."""

    source: str  # path inside the export, with /
    student: str
    notebook: str
    mtime: float = 0.0
    name: str = ""


@dataclass(frozen=True)
class Rejection:
    """A file that cannot be placed, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def parse(source: str, notebooks: list[str], patterns: list[str] | None = None, mtime: float = 0.0):
    """Where one exported file goes, or why it cannot go anywhere."""
    path = PurePosixPath(source)
    if "__MACOSX" in path.parts or path.name.startswith("._"):
        return Rejection(source, "macOS metadata added by the zip program, not a notebook")
    if ".ipynb_checkpoints" in path.parts:
        return Rejection(source, "a Jupyter checkpoint copy, not the submitted notebook")
    if not path.name.endswith(".ipynb"):
        return Rejection(source, "not a notebook")
    if patterns:
        return _by_patterns(source, notebooks, patterns, mtime)
    found = _moodle(source, notebooks, mtime) or _prefixed(source, notebooks, mtime) or _foldered(source, notebooks, mtime)
    return found or _why_not(source, notebooks)


def plan(files: list[tuple[str, float]], notebooks: list[str], patterns: list[str] | None = None):
    """(placements, rejections) for an export: one file per student and notebook, the newest."""
    placements: dict[tuple[str, str], Placement] = {}
    rejections: list[Rejection] = []
    for source, mtime in sorted(files):
        result = parse(source, notebooks, patterns, mtime)
        if isinstance(result, Rejection):
            rejections.append(result)
            continue
        key = (result.student, result.notebook)
        kept = placements.get(key)
        if kept is None:
            placements[key] = result
            continue
        newer, older = (result, kept) if result.mtime >= kept.mtime else (kept, result)
        placements[key] = newer
        rejections.append(Rejection(older.source, f"duplicate for {result.student}: kept the newer "
                                                  f"{newer.source} ({_when(newer.mtime)}), not this one ({_when(older.mtime)})"))
    return sorted(placements.values(), key=lambda p: (p.student, p.notebook)), sorted(rejections, key=lambda r: r.source)


def _moodle(source, notebooks, mtime):
    match = MOODLE.search(source)
    if not match:
        return None
    file_id = match["file_id"]
    if file_id not in notebooks:
        return Rejection(source, _unknown(file_id, notebooks))
    return Placement(source, match["student_id"], file_id, mtime, match["name"])


def _prefixed(source, notebooks, mtime):
    """``<id>_<notebook>`` or ``<id>-<notebook>``; the longest notebook name that fits wins."""
    name = PurePosixPath(source).name
    for notebook in sorted(notebooks, key=len, reverse=True):
        for separator in SEPARATORS:
            if name.endswith(separator + notebook) and len(name) > len(separator + notebook):
                student = name[: -len(separator + notebook)]
                return _placed(source, student, notebook, mtime)
    return None


def _foldered(source, notebooks, mtime):
    """``<id>/<notebook>``: the folder just above the notebook names the student."""
    path = PurePosixPath(source)
    if path.name in notebooks and len(path.parts) >= 2:
        return _placed(source, path.parts[-2], path.name, mtime)
    return None


def _placed(source, student, notebook, mtime):
    if not STUDENT_ID.match(student):
        return Rejection(source, f"{student!r} is not usable as a student id (letters, digits and . _ - @ + only)")
    return Placement(source, student, notebook, mtime)


def _why_not(source, notebooks):
    """The reason for a file no rule placed: no id, or a name that is no notebook of the assignment."""
    path = PurePosixPath(source)
    if path.name in notebooks:
        return Rejection(source, "no student id in the file or folder name")
    for separator in SEPARATORS:
        if separator in path.name:
            return Rejection(source, _unknown(path.name.rsplit(separator, 1)[-1], notebooks))
    return Rejection(source, _unknown(path.name, notebooks))


def _unknown(file_id, notebooks):
    return f"{file_id!r} is not a notebook of this assignment (expected {', '.join(notebooks)})"


def _by_patterns(source, notebooks, patterns, mtime):
    reasons = []
    for pattern in patterns:
        match = re.match(pattern, source)
        if not match:
            reasons.append("does not match")
            continue
        groups = match.groupdict()
        student, file_id = groups.get("student_id"), groups.get("file_id")
        if not student:
            return Rejection(source, "no student id in the file or folder name (the pattern found none)")
        if not file_id:
            return Rejection(source, "the pattern found no notebook name (group file_id)")
        notebook = file_id if file_id.endswith(".ipynb") else file_id + ".ipynb"
        if notebook not in notebooks:
            return Rejection(source, _unknown(notebook, notebooks))
        name = " ".join(filter(None, (groups.get("first_name"), groups.get("last_name"))))
        placed = _placed(source, student, notebook, mtime)
        return Placement(source, student, notebook, mtime, name) if isinstance(placed, Placement) else placed
    return Rejection(source, "no student id: the file name does not match the pattern " + " or ".join(map(repr, patterns)))


def _when(mtime: float) -> str:
    return datetime.fromtimestamp(mtime).strftime("%Y-%m-%d %H:%M:%S") if mtime else "no date"


def check_pattern(pattern: str) -> str:
    """A teacher's pattern, or a one-line reason why it cannot work."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise ValueError(f"the pattern {pattern!r} is not a regular expression: {error}") from None
    missing = {"student_id", "file_id"} - set(compiled.groupindex)
    if missing:
        raise ValueError(f"the pattern {pattern!r} needs the named groups (?P<student_id>...) and (?P<file_id>...)")
    return pattern
