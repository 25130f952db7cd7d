"""The text the course reads in nbgrader's log is text the pinned nbgrader (and its libraries) still write.

Every needle of leninsmoscow.teacher.nbgrader_log is searched for in the
installed sources of nbgrader, nbformat, nbclient, jupyter_client and
SQLAlchemy: an upgrade that rewords a message fails here, not in a class's
report as "unknown error".
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from leninsmoscow.teacher import nbgrader_log

LIBRARIES = ("nbgrader", "nbformat", "nbclient", "jupyter_client", "sqlalchemy", "json", "leninsmoscow.grading")
# Written by a database server, not by a library installed here.
SERVER_MESSAGES = {"could not obtain lock"}  # PostgreSQL: lock_timeout / NOWAIT


def installed_text() -> str:
    parts = []
    for name in LIBRARIES:
        folder = Path(importlib.import_module(name).__file__).parent
        parts += [path.read_text(encoding="utf-8", errors="replace") for path in folder.rglob("*.py")]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def sources() -> str:
    return installed_text()


@pytest.mark.parametrize("needle", [needle for needle, _ in nbgrader_log.REASONS]
                         + [needle for needle in nbgrader_log.BUSY if needle not in SERVER_MESSAGES])
def test_every_needle_is_still_written_by_the_installed_libraries(sources, needle):
    assert needle.lower() in sources.lower(), f"{needle!r} is no longer in nbgrader's libraries"


def test_a_known_failure_gets_its_plain_reason_and_an_unknown_one_its_last_error():
    log = "[AutogradeApp | ERROR] Notebook does not appear to be JSON: ''\nTraceback...\nNotJSONError: x"
    assert nbgrader_log.known_reason(log) == "the file is not a readable notebook (invalid JSON)"
    strange = {"log": "[ERROR] something\nValueError: the odd thing\nNbGraderException: wrapper", "error": ""}
    assert nbgrader_log.known_reason(strange["log"]) is None
    assert nbgrader_log.last_error(strange) == "ValueError: the odd thing"
    assert nbgrader_log.is_busy("sqlite3.OperationalError: database is locked")


def test_a_missing_feedback_page_is_explained_from_the_log():
    log = "[GenerateFeedbackApp | ERROR] There was an error processing assignment 'x' for student 'jdoe'"
    assert "error processing" in nbgrader_log.feedback_failure(log, "jdoe")
    assert "no feedback file" in nbgrader_log.feedback_failure(log, "asmith")
