"""Reading a learning platform's export (a zip or a folder) as hostile input.

Everything in an export was chosen by students: file names, sizes, links,
archives inside the archive. So the export is listed without being unpacked
(:func:`entries`), the whole export is refused before anything is written when
it would expand beyond :class:`CollectLimits` (a zip bomb), and each file that
is placed is copied out on its own (:func:`copy_out`) with the bytes counted
as they are written: a file that turns out larger than its limit is removed,
whatever its entry claimed. Links are never followed, archives inside the
export are never opened, and nothing is written under a name from the export.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MiB, GiB = 1024**2, 1024**3
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CollectLimits:
    """What collect accepts; stated in the teacher guide."""

    notebook: int = 20 * MiB       # one submitted notebook
    expanded: int = 2 * GiB        # everything a zip export would expand to
    ratio: int = 100               # ... and at most this many times the zip's own size
    name_bytes: int = 255          # one file or folder name (what file systems allow)
    student_id: int = 128          # characters (nbgrader's gradebook columns)


class ExportRefused(Exception):
    """The whole export is refused, before anything was written; the message says why."""


class TooLarge(Exception):
    """A file grew past its limit while it was copied out (it was removed)."""


@dataclass(frozen=True)
class Entry:
    """One item of an export: its path inside the export (with /), size and kind."""

    path: str
    size: int
    kind: str  # "file", "link", "folder" or "other"

    @property
    def parts(self) -> tuple[str, ...]:
        return PurePosixPath(self.path).parts


def entries(export: Path, limits: CollectLimits = CollectLimits()) -> list[Entry]:
    """The items of an export, listed without unpacking anything."""
    return zip_entries(export, limits) if export.is_file() else folder_entries(export)


def zip_entries(archive: Path, limits: CollectLimits) -> list[Entry]:
    """The members of a zip; ExportRefused if it would expand too far (judged from its directory)."""
    try:
        with zipfile.ZipFile(archive) as export:
            members = export.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ExportRefused(f"{archive.name} cannot be read as a zip file ({error})") from None
    total = sum(member.file_size for member in members)
    own = max(archive.stat().st_size, 1)
    if total > limits.expanded:
        raise ExportRefused(f"{archive.name} would expand to {total / GiB:.1f} GiB, over the limit of "
                            f"{limits.expanded / GiB:g} GiB: nothing was written")
    if total > limits.ratio * own:
        raise ExportRefused(f"{archive.name} would expand to {total / own:.0f} times its own size (over "
                            f"{limits.ratio} times: a zip bomb, not a class's work): nothing was written")
    return [Entry(member.filename.rstrip("/"), member.file_size, _zip_kind(member)) for member in members]


def _zip_kind(member: zipfile.ZipInfo) -> str:
    mode = member.external_attr >> 16
    if member.is_dir():
        return "folder"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # no type bits at all: a plain file
        return "other"
    return "file"


def folder_entries(folder: Path) -> list[Entry]:
    """The items below a folder, found without following any link."""
    found = []
    for parent, folders, files in os.walk(folder, followlinks=False):
        for name in sorted(folders + files):
            path = Path(parent) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            kind = ("link" if stat.S_ISLNK(info.st_mode) else "folder" if stat.S_ISDIR(info.st_mode)
                    else "file" if stat.S_ISREG(info.st_mode) else "other")
            found.append(Entry(path.relative_to(folder).as_posix(), info.st_size, kind))
    return found


def copy_out(export: Path, entry: Entry, target: Path, limit: int) -> None:
    """Copy one file of the export to ``target``, stopping (and removing it) past ``limit`` bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _open(export, entry) as source, open(target, "wb") as out:
            written = 0
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > limit:
                    raise TooLarge(f"larger than {limit / MiB:g} MiB")
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _open(export: Path, entry: Entry):
    if export.is_file():
        archive = zipfile.ZipFile(export)
        return _Closing(archive.open(entry.path), archive)
    # O_NOFOLLOW: a file swapped for a link after it was listed is refused, not followed
    descriptor = os.open(export / entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError("not a regular file")
    return os.fdopen(descriptor, "rb")


class _Closing:
    """A zip member that closes its archive with it."""

    def __init__(self, member, archive):
        self.member, self.archive = member, archive

    def __enter__(self):
        return self.member

    def __exit__(self, *exc):
        self.member.close()
        self.archive.close()
