"""The few gradebook operations the course's commands need besides nbgrader's own.

Each is retried while SQLite is busy (several graders write to one file), and
none loads nbgrader before it is needed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .course import CourseError

class Book:
    """The few gradebook operations the parent needs, each retried while SQLite is busy."""

    def __init__(self, course):
        from leninsmoscow.teacher.course import concurrent_db_url

        self.course = course
        self.db_url = concurrent_db_url(course.db_url)
        self.gradebook = course.gradebook(self.db_url)

    def score(self, assignment, student) -> tuple[float, float, float]:
        """(score, max score, points still to be graded by hand)."""
        def read(gb):
            submission = gb.find_submission(assignment, student)
            pending = sum(g.max_score for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade)
            return float(submission.score), float(submission.max_score), float(pending)

        return self._retrying(read)

    def clear_auto_scores(self, assignment, student) -> None:
        """A failed grading leaves no stale points: as after nbgrader's own failure, no automatic
        score (so zero) and every item flagged for a human; scores a grader entered are kept."""
        from nbgrader.api import MissingEntry

        def clear(gb):
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                return
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = None
                    grade.needs_manual_grade = True
                for comment in notebook.comments:
                    comment.auto_comment = None

        self._retrying(clear)

    def _retrying(self, operation, attempts: int = 5):
        from sqlalchemy.exc import OperationalError

        for attempt in range(attempts):
            try:
                result = operation(self.gradebook)
                self.gradebook.db.commit()
                return result
            except OperationalError:
                self.gradebook.db.rollback()
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5 * (attempt + 1))

    def close(self) -> None:
        self.gradebook.close()


def ensure_in_gradebook(course, assignment: str) -> bool:
    """Enter the assignment in the gradebook from its source if it is missing (a new --db-url).

    nbgrader's generate_assignment does this; it writes into a scratch folder
    here, so the student version already handed out is not touched.
    """
    from nbgrader.api import MissingEntry

    wanted = {Path(name).stem for name in course.notebooks(assignment)}
    with course.gradebook() as gb:
        try:
            known = {notebook.name for notebook in gb.find_assignment(assignment).notebooks}
        except MissingEntry:
            known = set()
    if wanted <= known:
        return False
    with tempfile.TemporaryDirectory(prefix="leninsmoscow-release-") as scratch:
        api = course.api({"CourseDirectory": {"release_directory": scratch}})
        result = api.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        from .nbgrader_log import last_error

        raise CourseError(f"nbgrader could not enter {assignment} in the gradebook: {last_error(result)}")
    return True


def waiting_for_manual_grading(course, assignment: str, students: list[str]) -> int:
    """How many answers of these students a human still has to grade in the formgrader."""
    if not students:
        return 0
    from nbgrader.api import MissingEntry

    count = 0
    with course.gradebook() as gb:
        for student in students:
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            count += sum(1 for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade)
    return count
