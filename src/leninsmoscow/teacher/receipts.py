"""Which submissions are graded already: a checksum per student, kept in the gradebook.

A receipt says "this student's submitted files, graded with this version of the
assignment, gave this outcome". It is written only after the student's grading
has finished (successfully or as a failure of the submission), in the same
database as the grades, so:

- a re-run grades only new or changed submissions (or all of them after the
  teacher changed the assignment's source or nbgrader_config.py);
- a run killed at any moment leaves no receipt for the student it was grading,
  who is therefore graded again from scratch next time; nbgrader rewrites every
  grade of a regraded submission, so nothing half-written survives;
- a fresh or different gradebook (--db-url) has no receipts and grades all.

The table is the course's own (``leninsmoscow_receipts``); nbgrader ignores it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

TABLE = "leninsmoscow_receipts"


@dataclass(frozen=True)
class Receipt:
    student: str
    submission: str
    source: str
    status: str  # "graded" or "failed"
    reason: str
    seconds: float
    graded_at: str


def files_checksum(*folders: Path) -> str:
    """sha256 over the relative paths and contents of every file in these folders."""
    digest = hashlib.sha256()
    for folder in folders:
        folder = Path(folder)
        if folder.is_file():
            _add(digest, folder.name, folder)
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            _add(digest, path.relative_to(folder).as_posix(), path)
    return digest.hexdigest()


def _add(digest, name: str, path: Path) -> None:
    digest.update(name.encode() + b"\0")
    digest.update(path.read_bytes())
    digest.update(b"\0")


class Receipts:
    """The receipts table of one gradebook, for one course."""

    def __init__(self, db_url: str, course_id: str):
        from sqlalchemy import (
            Column,
            Float,
            MetaData,
            String,
            Table,
            Text,
            create_engine,
        )

        self.course_id = course_id or ""
        self.engine = create_engine(db_url)
        self.table = Table(
            TABLE,
            MetaData(),
            Column("course_id", String(128), primary_key=True),
            Column("assignment_id", String(128), primary_key=True),
            Column("student_id", String(128), primary_key=True),
            Column("submission_sha", String(64), nullable=False),
            Column("source_sha", String(64), nullable=False),
            Column("status", String(16), nullable=False),
            Column("reason", Text, nullable=False, default=""),
            Column("seconds", Float, nullable=False, default=0.0),
            Column("graded_at", String(32), nullable=False),
        )
        self.table.metadata.create_all(self.engine, checkfirst=True)

    def load(self, assignment: str) -> dict[str, Receipt]:
        table = self.table
        query = table.select().where(table.c.course_id == self.course_id, table.c.assignment_id == assignment)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return {
            row["student_id"]: Receipt(row["student_id"], row["submission_sha"], row["source_sha"], row["status"],
                                       row["reason"], row["seconds"], row["graded_at"])
            for row in rows
        }

    def record(self, assignment: str, receipt: Receipt) -> None:
        """Replace the student's receipt in one transaction."""
        table = self.table
        key = (table.c.course_id == self.course_id, table.c.assignment_id == assignment,
               table.c.student_id == receipt.student)
        with self.engine.begin() as connection:
            connection.execute(table.delete().where(*key))
            connection.execute(table.insert().values(
                course_id=self.course_id, assignment_id=assignment, student_id=receipt.student,
                submission_sha=receipt.submission, source_sha=receipt.source, status=receipt.status,
                reason=receipt.reason, seconds=receipt.seconds, graded_at=receipt.graded_at,
            ))

    def forget(self, assignment: str, student: str) -> None:
        table = self.table
        with self.engine.begin() as connection:
            connection.execute(table.delete().where(
                table.c.course_id == self.course_id, table.c.assignment_id == assignment,
                table.c.student_id == student))

    def close(self) -> None:
        self.engine.dispose()


COLUMNS = ("student_id", "submission_sha", "source_sha", "status", "reason", "seconds", "graded_at")


def load(db_url: str, course_id: str, assignment: str) -> dict[str, Receipt]:
    """The receipts of an assignment, read without SQLAlchemy from a SQLite gradebook.

    Deciding that there is nothing new to grade must not wait half a second
    for SQLAlchemy to load; a SQLite file (the laptop's gradebook) is read
    with the standard library, any other database through :class:`Receipts`.
    """
    import sqlite3

    prefix = "sqlite:///"
    if not db_url.startswith(prefix) or "?" in db_url:
        receipts = Receipts(db_url, course_id)
        try:
            return receipts.load(assignment)
        finally:
            receipts.close()
    path = Path(db_url.removeprefix(prefix))
    if not path.is_file():
        return {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        try:
            rows = connection.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE course_id = ? AND assignment_id = ?",
                                      (course_id or "", assignment)).fetchall()
        except sqlite3.OperationalError:  # no receipts table yet: nothing was ever graded here
            return {}
    return {row[0]: Receipt(*row) for row in rows}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
