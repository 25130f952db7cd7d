"""What nbgrader's log says went wrong: all matching against nbgrader's log text, in one place.

nbgrader reports a failed grading as text in its log, not as a value. The
course turns that text into a reason a teacher can act on. Because the text
belongs to nbgrader, every needle here is tested against the pinned nbgrader
(tests/test_nbgrader_log.py), so an upgrade that rewords a message fails
there rather than leaving teachers with "unknown error".
"""

from __future__ import annotations

import re

REASONS = (  # (text in nbgrader's log, what the teacher is told)
    ("Notebook does not appear to be JSON", "the file is not a readable notebook (invalid JSON)"),
    ("NotJSONError", "the file is not a readable notebook (invalid JSON)"),
    ("JSONDecodeError", "the file is not a readable notebook (invalid JSON)"),
    ("NBFormatError", "the file is not a valid notebook"),
    ("ValidationError", "the file is not a valid notebook (nbformat validation failed)"),
    ("SchemaTooNewError", "the notebook's grading metadata was altered"),
    ("SchemaTooOldError", "the notebook's grading metadata was altered"),
    ("DeadKernelError", "the kernel died while running the notebook"),
    ("Kernel died", "the kernel died while running the notebook"),
    ("UnresponsiveKernelError", "the kernel stopped responding (and could not be interrupted)"),
    ("unresponsive and we could not interrupt it", "the kernel stopped responding (and could not be interrupted)"),
    ("NotebookTooLarge", "the graded notebook would be larger than the course keeps (50 MiB): it was not written"),
)

# SQLite's and nbgrader's words for a busy gradebook; "could not obtain lock" is PostgreSQL's server's.
BUSY = ("error accessing the nbgrader database", "database is locked", "could not obtain lock")



def is_busy(text: str) -> bool:
    """Whether the log shows only a busy gradebook (worth a retry), not a broken submission."""
    return any(busy in text for busy in BUSY)


def known_reason(text: str) -> str | None:
    """The plain-words reason for a failure nbgrader's log describes, when it is a known one."""
    for needle, reason in REASONS:
        if needle in text:
            return reason
    return None


def last_error(result: dict) -> str:
    """The most telling line of an nbgrader API result: the exception that stopped it."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    raised = re.findall(r"^\s*(\w+(?:\.\w+)*(?:Error|Exception|Exit)\b:?.*)$", text, re.MULTILINE)
    telling = [line.strip() for line in raised if "NbGraderException" not in line]
    if telling:
        return telling[-1]
    errors = [line.removeprefix("[ERROR]").strip() for line in text.splitlines() if line.startswith("[ERROR]")]
    return errors[0] if errors else "unknown error"


def feedback_failure(log: str, student: str) -> str:
    """Why generate_feedback wrote no page for a student: the log's error line that names them."""
    for line in log.splitlines():
        if f"'{student}'" in line and "error" in line.lower():
            return line.split("]", 1)[-1].strip()
    return "nbgrader wrote no feedback file (see nbgrader's log)"
