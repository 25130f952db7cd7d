"""Autograde every collected submission of an assignment, in parallel, each within a time limit.

nbgrader's autograder runs in --jobs long-lived worker processes (nbgrader is
loaded once per worker, not once per student). A submission that breaks
(invalid or empty file, endless loop, crashed kernel, altered metadata) is
reported with its reason and scores zero, as in nbgrader; it never stops or
spoils the grading of the others. A worker that overruns --timeout is killed
with its kernel and replaced.

Only new or changed submissions are graded again (by a checksum of the
submitted files, of the assignment's source and of the grading code itself,
recorded once a student's grading has finished), so upgrading the course
grades everything again; --force grades them all. A student folder whose name
cannot be a student id (over 128 characters, or characters the gradebook
should not hold) is refused with its reason. A run interrupted at any point
loses nothing: run the same command again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import CommandError, positive_float, positive_int

DEFAULT_TIMEOUT = 300.0
ATTEMPTS = 3  # for a gradebook that was busy, not for a broken submission
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
    ("kernel became unresponsive", "the kernel stopped responding (and could not be interrupted)"),
)
BUSY = ("error accessing the nbgrader database", "database is locked", "could not obtain lock")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, e.g. war-communism")
    parser.add_argument("--jobs", "-j", type=positive_int, default=os.cpu_count() or 1,
                        help="worker processes grading at once (default: the number of CPUs, %(default)s here)")
    parser.add_argument("--force", action="store_true", help="grade every submission again, changed or not")
    parser.add_argument("--retry-failed", action="store_true",
                        help="grade again the submissions that failed before, even if unchanged (e.g. with a larger --timeout)")
    parser.add_argument("--timeout", type=positive_float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time limit per submission; an overrunning one is stopped and scores zero "
                             "(default: %(default)g)")
    parser.add_argument("--db-url", metavar="URL",
                        help="the gradebook (any SQLAlchemy URL, e.g. postgresql://...; default: the course's SQLite file)")
    add_sandbox_argument(parser)


def add_sandbox_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run students' code with your own rights, outside the sandbox, where no sandbox "
                             "can be made (see docs/sandbox.md for the risk)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course, args.db_url)
    assignment = course.check_assignment(args.assignment)
    summary = grade(course, assignment, jobs=args.jobs, force=args.force, retry_failed=args.retry_failed,
                    timeout=args.timeout,
                    extra_config=kernel_config(args, course))
    return 0 if summary.complete else 1


def kernel_config(args: argparse.Namespace, course, say=print) -> dict:
    """Extra nbgrader/traitlets configuration for the kernels that run students' code.

    Merged into the configuration of every grading worker: the course's
    pipeline with its Execute step sandboxed (docs/sandbox.md), or with
    --no-sandbox run as nbgrader runs it. Refuses, naming the risk and the
    flag, where no sandbox can be made; says which mode grading runs in.
    """
    from leninsmoscow import sandbox

    enabled = not getattr(args, "no_sandbox", False)
    if enabled:
        try:
            sandbox.require()
        except sandbox.SandboxUnavailable as error:
            raise CommandError(str(error)) from None
    say(f"students' code runs {sandbox.mode(enabled)}")
    return sandbox.nbgrader_config(course.nbgrader_config(), enabled=enabled)


@dataclass
class Summary:
    assignment: str
    graded: dict = field(default_factory=dict)  # student -> (score, max score)
    failed: dict = field(default_factory=dict)  # student -> reason
    skipped: list = field(default_factory=list)
    unfinished: list = field(default_factory=list)
    failed_before: dict = field(default_factory=dict)  # unchanged since an earlier run failed them
    refused: dict = field(default_factory=dict)  # folder name -> why it cannot be graded at all
    seconds: float = 0.0
    jobs: int = 1
    manual: int = 0

    @property
    def complete(self) -> bool:
        return not self.unfinished and not self.refused


def grade(course, assignment: str, jobs: int = 1, force: bool = False, timeout: float = DEFAULT_TIMEOUT,
          extra_config: dict | None = None, say=print, retry_failed: bool = False) -> Summary:
    """Grade what needs grading; print one line per student and a summary."""
    from leninsmoscow.teacher.course import concurrent_db_url
    from leninsmoscow.teacher.receipts import Receipts
    from leninsmoscow.teacher.workers import GradingPool

    students = course.submitted_students(assignment)
    if not students:
        raise CommandError(f"no submissions of {assignment} in {course.layout['submitted_directory']}/: "
                           f"collect them first (leninsmoscow collect {assignment} EXPORT)")
    with tempfile.TemporaryDirectory(prefix="leninsmoscow-grade-") as logs:
        setup = {"root": str(course.root), "assignment": assignment, "db_url": concurrent_db_url(course.db_url),
                 "config": extra_config or {}, "log": str(Path(logs) / "workers.log")}
        # the workers load nbgrader while this process looks at the gradebook
        pool = GradingPool(setup, min(jobs, len(students)), timeout)
        pool.start()
        try:
            course.nbgrader_config()  # a broken configuration is reported here, in one line
            if ensure_in_gradebook(course, assignment):
                say(f"the gradebook did not know {assignment} yet: entered it from its source")
            receipts = Receipts(course.db_url, course.course_id)
            source_sha = source_checksum(course, assignment)
            todo, summary = plan(course, assignment, students, receipts.load(assignment), source_sha, force,
                                 retry_failed)
            summary.jobs = min(jobs, len(todo)) or 1
            say(f"{assignment}: {len(students)} submission(s); grading {len(todo)}"
                + (f", {len(summary.skipped)} unchanged since graded (--force grades them again)"
                   if summary.skipped else ""))
            if todo:
                run_pool(course, assignment, todo, source_sha, receipts, summary, pool, say)
        finally:
            pool.close()
    known = receipts.load(assignment)
    graded = [s for s, r in known.items() if r.status == "graded" and s in students]
    summary.failed_before = {s: known[s].reason for s in summary.skipped if known[s].status == "failed"}
    summary.manual = waiting_for_manual_grading(course, assignment, graded)
    receipts.close()
    report(summary, say)
    return summary


def source_checksum(course, assignment: str) -> str:
    """What a grade depends on besides the submission: the assignment, the course config, the grading code."""
    from leninsmoscow.teacher.receipts import files_checksum

    return files_checksum(course.folder("source") / assignment, course.root / "nbgrader_config.py", *grading_code())


def grading_code() -> list[Path]:
    """The course's own grading code: a new version of it grades every submission again."""
    import leninsmoscow

    package = Path(leninsmoscow.__file__).parent
    return [package / "grading", package / "sandbox"]


def plan(course, assignment, students, known, source_sha, force, retry_failed=False):
    """(students to grade, summary with the skipped ones): new, changed, or graded without their files."""
    from leninsmoscow.teacher.console import shown
    from leninsmoscow.teacher.exports import CollectLimits
    from leninsmoscow.teacher.lms import STUDENT_ID
    from leninsmoscow.teacher.receipts import files_checksum

    todo, summary = [], Summary(assignment)
    for student in students:
        if len(student) > CollectLimits.student_id or not STUDENT_ID.match(student):
            summary.refused[shown(student)[:160]] = ("not a usable student id (over 128 characters, or characters "
                                                     "other than letters, digits and . _ - @ +): rename the folder")
            continue
        receipt = known.get(student)
        submission = files_checksum(course.folder("submitted") / student / assignment)
        current = (receipt and not force and receipt.submission == submission and receipt.source == source_sha
                   and ((receipt.status == "failed" and not retry_failed)
                        or (receipt.status == "graded" and (course.folder("autograded") / student / assignment).is_dir())))
        if current:
            summary.skipped.append(student)
        else:
            todo.append((student, submission))
    return todo, summary


def run_pool(course, assignment, todo, source_sha, receipts, summary, pool, say):
    """Hand the students to the workers; record each outcome as it comes."""
    from leninsmoscow.teacher.console import Progress, elapsed
    from leninsmoscow.teacher.receipts import Receipt, now
    from leninsmoscow.teacher.workers import PoolError

    checksums = dict(todo)
    for student in checksums:
        receipts.forget(assignment, student)
    attempts: dict[str, int] = {}
    width = max(len(s) for s in checksums)
    progress = Progress(len(todo), label=f"{assignment} ", say=say)
    book = Book(course)

    def on_outcome(outcome) -> bool:
        student = outcome.student
        attempts[student] = attempts.get(student, 0) + 1
        reason = "" if outcome.ok else failure_reason(course, assignment, outcome)
        if not outcome.ok and reason is None and attempts[student] < ATTEMPTS:
            return True  # the gradebook was busy: try this student again
        if outcome.ok:
            score = book.score(assignment, student)
            summary.graded[student] = score[:2]
            _remove(course.folder("autograded") / student / f"{assignment}.log")
            by_hand = f", {score[2]:g} to grade by hand" if score[2] else ""
            line = f"{student:<{width}}  graded  {score[0]:g}/{score[1]:g}  ({outcome.seconds:.1f} s{by_hand})"
            line += limits_hit(course.folder("autograded") / student / assignment)
        else:
            reason = reason or "the gradebook stayed busy; run grade again"
            book.clear_auto_scores(assignment, student)
            _remove(course.folder("autograded") / student / assignment)
            log = _write_log(course, assignment, student, outcome)
            summary.failed[student] = reason
            line = f"{student:<{width}}  FAILED  {reason}  (details: {log.relative_to(course.root)})"
        receipts.record(assignment, Receipt(student, checksums[student], source_sha,
                                            "graded" if outcome.ok else "failed", reason or "", outcome.seconds, now()))
        progress.advance(line)
        return False

    started = time.monotonic()
    try:
        pool.run([student for student, _ in todo], on_outcome, on_tick=progress.tick)
    except PoolError as error:
        raise CommandError(str(error)) from None
    except KeyboardInterrupt:
        progress.close()
        done = len(summary.graded) + len(summary.failed)
        say(f"interrupted after {done} of {len(todo)}: what was graded is kept; "
            f"run the same command again to grade the rest")
        raise
    finally:
        progress.close()
        book.close()
    summary.seconds = time.monotonic() - started
    summary.unfinished = [s for s in checksums if s not in summary.graded and s not in summary.failed]
    say(f"graded {len(summary.graded)}, failed {len(summary.failed)} in {elapsed(summary.seconds)} "
        f"with {summary.jobs} worker(s) ({summary.seconds / max(len(todo), 1):.1f} s per submission)")


def limits_hit(graded: Path) -> str:
    """'  [killed: used more than 2 GiB of memory]' when the sandbox stopped this student's notebook."""
    from leninsmoscow import sandbox

    reasons = sandbox.incidents(graded) if graded.is_dir() else []
    return f"  [{'; '.join(reasons)}]" if reasons else ""


def failure_reason(course, assignment, outcome) -> str | None:
    """Why a submission could not be graded, in plain words; None if the gradebook was only busy."""
    if outcome.killed:
        if "time limit" in outcome.killed:
            return outcome.killed + " (an endless loop, or a very slow notebook)"
        return outcome.killed
    folder = course.folder("submitted") / outcome.student / assignment
    empty = [p.name for p in folder.glob("*.ipynb") if p.stat().st_size == 0]
    if empty:
        return f"the file is empty ({', '.join(empty)})"
    text = outcome.log + "\n" + outcome.error
    if any(busy in text for busy in BUSY):
        return None
    for needle, reason in REASONS:
        if needle in text:
            return reason
    from leninsmoscow.cli.release import last_error

    return f"nbgrader could not grade it: {last_error({'log': outcome.log, 'error': outcome.error})}"


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
        from leninsmoscow.cli.release import last_error

        raise CommandError(f"nbgrader could not enter {assignment} in the gradebook: {last_error(result)}")
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


def report(summary: Summary, say=print) -> None:
    if summary.refused:
        say(f"refused ({len(summary.refused)}): " + "; ".join(f"{s}: {r}" for s, r in sorted(summary.refused.items())))
    if summary.failed:
        say("failed (they score zero; fix or ask for a new file, then run grade again):")
        for student, reason in sorted(summary.failed.items()):
            say(f"  {student}: {reason}")
    if summary.failed_before:
        say("still failed from an earlier run (unchanged; --retry-failed grades them again): "
            + "; ".join(f"{s}: {r}" for s, r in sorted(summary.failed_before.items())))
    if summary.unfinished:
        say(f"not graded ({len(summary.unfinished)}): {', '.join(summary.unfinished)}; run grade again")
    if summary.manual:
        say(f"{summary.manual} answer(s) wait for manual grading in the formgrader")


def _write_log(course, assignment, student, outcome) -> Path:
    """nbgrader's own account of a failed grading, kept for the teacher beside the grades."""
    path = course.folder("autograded") / student / f"{assignment}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"{outcome.killed}\n" if outcome.killed else ""
    path.write_text(text + outcome.log + "\n" + outcome.error, encoding="utf-8")
    return path


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
