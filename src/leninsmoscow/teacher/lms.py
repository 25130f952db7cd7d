"""Which student handed in which file: read from the export's own structure, never from a name
a student chose inside their own folder.

A platform exports one notebook (or a folder) per student. Below the export's
root (and below one wrapper folder that holds everything, if there is one),
the first level says who the student is; these layouts are understood without
being told (``war-communism.ipynb`` being a notebook of the assignment):

- a file per student: ``jdoe_war-communism.ipynb`` or ``jdoe-war-communism.ipynb``
  (the id before the notebook's name), or Moodle's
  ``Jane Doe_12345_assignsubmission_file_war-communism.ipynb`` (the id is the
  participant number);
- a folder per student: ``jdoe/war-communism.ipynb``, or Moodle's
  ``Jane Doe_12345_assignsubmission_file_/war-communism.ipynb``. Whatever is
  inside the folder belongs to that student, whatever it is called:
  ``mallory/bob_war-communism.ipynb`` is Mallory's, not Bob's.

For other platforms the teacher gives a regular expression with nbgrader's
named groups ``student_id`` and ``file_id`` (``--pattern``, or
``c.FileNameCollectorPlugin.named_regexp`` in nbgrader_config.py), matched from
the start of the path inside the export; its student id must lie within the
first level too.

Every file gets a :class:`Placement` or a :class:`Rejection` with a reason.
When two files claim the same student and notebook from different places,
neither can be trusted: all of that student's files are refused and listed,
the other students are collected, and the teacher is told to settle it (the
command exits non-zero). Nothing here needs nbgrader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from .exports import CollectLimits, Entry

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<student_id>\d+)_assignsubmission_file_(?P<rest>.*)$")
SEPARATORS = ("_", "-")
ARCHIVES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar")


@dataclass(frozen=True)
class Placement:
    """A file that goes to submitted/<student>/<assignment>/<notebook>."""

    entry: Entry
    student: str
    notebook: str

    @property
    def source(self) -> str:
        return self.entry.path


@dataclass(frozen=True)
class Rejection:
    """A file that cannot be placed, and why."""

    source: str
    reason: str


@dataclass
class Plan:
    placements: list
    rejections: list
    conflicts: dict  # student -> the paths that claim the same notebook of theirs


def plan(entries: list[Entry], notebooks: list[str], patterns: list[str] | None = None,
         limits: CollectLimits = CollectLimits()) -> Plan:
    """Where each file of an export goes, or why it goes nowhere."""
    placed, rejections = [], []
    wrapper = wrapper_folder(entries, notebooks)
    for entry in entries:
        if entry.kind == "folder":
            continue
        path = entry.path[len(wrapper) + 1:] if wrapper else entry.path
        result = unusable(entry, limits) or place(entry, path, notebooks, patterns, limits)
        (placed if isinstance(result, Placement) else rejections).append(result)
    placements, conflicts = [], {}
    claims: dict[tuple[str, str], list[Placement]] = {}
    for placement in placed:
        claims.setdefault((placement.student, placement.notebook), []).append(placement)
    doubtful = {student for (student, _), claim in claims.items() if len(claim) > 1}
    for placement in placed:
        if placement.student in doubtful:
            conflicts.setdefault(placement.student, []).append(placement.source)
            rejections.append(Rejection(placement.source, f"refused: more than one file claims "
                                                          f"{placement.student}'s {placement.notebook}"))
        else:
            placements.append(placement)
    return Plan(sorted(placements, key=lambda p: (p.student, p.notebook)),
                sorted(rejections, key=lambda r: r.source), conflicts)


def wrapper_folder(entries: list[Entry], notebooks: list[str]) -> str:
    """The one folder that holds the whole export, if there is one and it is no student's folder."""
    paths = [entry.parts for entry in entries if entry.kind != "folder" and not _is_clutter(entry.parts)]
    tops = {parts[0] for parts in paths}
    if len(tops) != 1 or any(len(parts) < 2 for parts in paths):
        return ""
    top = tops.pop()
    student_folder = MOODLE.match(top) or any(len(parts) == 2 and parts[1] in notebooks for parts in paths)
    return "" if student_folder else top


def unusable(entry: Entry, limits: CollectLimits) -> Rejection | None:
    """Why a file of the export cannot be a submission, whoever it belongs to."""
    name = entry.parts[-1] if entry.parts else entry.path
    if _is_clutter(entry.parts):
        return Rejection(entry.path, "metadata added by the zip program or Jupyter, not a submission")
    if entry.kind == "link":
        return Rejection(entry.path, "a link: links in an export are never followed")
    if entry.kind != "file":
        return Rejection(entry.path, "not a regular file")
    if entry.path.startswith("/") or ".." in entry.parts or "\\" in entry.path:
        return Rejection(entry.path, "an unsafe path (it points outside the export)")
    if any(len(part.encode("utf-8", "surrogateescape")) > limits.name_bytes for part in entry.parts):
        return Rejection(entry.path, f"a name longer than {limits.name_bytes} bytes")
    if name.lower().endswith(ARCHIVES):
        return Rejection(entry.path, "an archive inside the export: archives in an export are not opened")
    if not name.endswith(".ipynb"):
        return Rejection(entry.path, "not a notebook")
    if entry.size > limits.notebook:
        return Rejection(entry.path, f"larger than {limits.notebook / 1024**2:g} MiB: not collected")
    return None


def _is_clutter(parts: tuple[str, ...]) -> bool:
    return "__MACOSX" in parts or ".ipynb_checkpoints" in parts or bool(parts) and parts[-1].startswith("._")


def place(entry: Entry, path: str, notebooks: list[str], patterns, limits: CollectLimits):
    """The placement of one usable notebook file, ``path`` being its path below any wrapper folder."""
    if patterns:
        return _by_patterns(entry, path, notebooks, patterns, limits)
    parts = PurePosixPath(path).parts
    if len(parts) == 1:
        moodle = MOODLE.match(parts[0])
        if moodle:
            return _placed(entry, moodle["student_id"], notebook_named(moodle["rest"], notebooks), notebooks, limits)
        student, notebook = _split_prefixed(parts[0], notebooks)
        if student is None:
            return Rejection(entry.path, _why_not(parts[0], notebooks))
        return _placed(entry, student, notebook, notebooks, limits)
    moodle = MOODLE.match(parts[0])
    student = moodle["student_id"] if moodle else parts[0]
    return _placed(entry, student, notebook_named(parts[-1], notebooks), notebooks, limits)


def notebook_named(name: str, notebooks: list[str]) -> str:
    """The notebook a file inside a student's folder is: its own name, or the notebook its name ends with."""
    if name in notebooks:
        return name
    for notebook in sorted(notebooks, key=len, reverse=True):
        if any(name.endswith(separator + notebook) for separator in SEPARATORS):
            return notebook
    return name


def _split_prefixed(name: str, notebooks: list[str]) -> tuple[str | None, str]:
    """``<id>_<notebook>`` or ``<id>-<notebook>``; the longest notebook name that fits wins."""
    for notebook in sorted(notebooks, key=len, reverse=True):
        for separator in SEPARATORS:
            if name.endswith(separator + notebook) and len(name) > len(separator + notebook):
                return name[: -len(separator + notebook)], notebook
    return None, name


def _placed(entry: Entry, student: str, notebook: str, notebooks: list[str], limits: CollectLimits):
    if notebook not in notebooks:
        return Rejection(entry.path, _unknown(notebook, notebooks))
    if len(student) > limits.student_id:
        return Rejection(entry.path, f"a student id longer than {limits.student_id} characters (the gradebook "
                                     "cannot hold it; it is refused, not shortened)")
    if not STUDENT_ID.match(student):
        return Rejection(entry.path, f"{student!r} is not usable as a student id (letters, digits and . _ - @ + only)")
    return Placement(entry, student, notebook)


def _why_not(name: str, notebooks: list[str]) -> str:
    if name in notebooks:
        return "no student id in the file or folder name"
    for separator in SEPARATORS:
        if separator in name:
            return _unknown(name.rsplit(separator, 1)[-1], notebooks)
    return _unknown(name, notebooks)


def _unknown(file_id: str, notebooks: list[str]) -> str:
    return f"{file_id!r} is not a notebook of this assignment (expected {', '.join(notebooks)})"


def _by_patterns(entry: Entry, path: str, notebooks, patterns, limits):
    first = PurePosixPath(path).parts[0]
    for pattern in patterns:
        match = re.match(pattern, path)
        if not match:
            continue
        groups = match.groupdict()
        if not groups.get("student_id"):
            return Rejection(entry.path, "no student id in the file or folder name (the pattern found none)")
        if not groups.get("file_id"):
            return Rejection(entry.path, "the pattern found no notebook name (group file_id)")
        if match.end("student_id") > len(first):
            return Rejection(entry.path, "the pattern took the student id from inside a folder; "
                                         "it must come from the export's first level")
        file_id = groups["file_id"]
        notebook = file_id if file_id.endswith(".ipynb") else file_id + ".ipynb"
        return _placed(entry, groups["student_id"], notebook, notebooks, limits)
    return Rejection(entry.path, "no student id: the file name does not match the pattern "
                     + " or ".join(map(repr, patterns)))


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
