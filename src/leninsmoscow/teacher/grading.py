"""Autograding a class: what needs grading, the workers that grade it, and what the teacher is told.

``leninsmoscow grade`` wires this: :func:`grade` decides from the recorded
checksums what is new or changed, hands those students to long-lived workers
(:mod:`.workers`) that run nbgrader's autograder in the sandbox, records each
outcome (:mod:`.receipts`) and prints one line per student. A submission that
breaks is reported with its reason (:mod:`.nbgrader_log`) and scores zero; it
never stops the class.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .course import CourseError

DEFAULT_TIMEOUT = 300.0


ATTEMPTS = 3  # for a gradebook that was busy, not for a broken submission


def kernel_config(course, sandboxed: bool = True, say=print) -> dict:
    """Extra nbgrader/traitlets configuration for the kernels that run students' code.

    Merged into the configuration of every grading worker: the course's
    pipeline with its Execute step sandboxed (docs/sandbox.md), or with
    --no-sandbox run as nbgrader runs it. Refuses, naming the risk and the
    flag, where no sandbox can be made; says which mode grading runs in.
    """
    from leninsmoscow import sandbox

    enabled = sandboxed
    if enabled:
        try:
            sandbox.require()
        except sandbox.SandboxUnavailable as error:
            raise CourseError(str(error)) from None
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
          kernel=None, say=print, retry_failed: bool = False) -> Summary:
    """Grade what needs grading; print one line per student and a summary.

    What needs grading is decided first, from the receipts and the files'
    checksums alone; only when something does are the sandbox probed
    (``kernel``, a function returning the kernels' extra configuration) and
    nbgrader loaded, so that a re-run with nothing new answers at once.
    """
    from . import receipts as stored

    students = course.submitted_students(assignment)
    if not students:
        raise CourseError(f"no submissions of {assignment} in {course.layout['submitted_directory']}/: "
                           f"collect them first (leninsmoscow collect {assignment} EXPORT)")
    source_sha = source_checksum(course, assignment)
    todo, summary = plan(course, assignment, students, stored.load(course.db_url, course.course_id, assignment),
                         source_sha, force, retry_failed)
    summary.jobs = min(jobs, len(todo)) or 1
    say(f"{assignment}: {len(students)} submission(s); grading {len(todo)}"
        + (f", {len(summary.skipped)} unchanged since graded (--force grades them again)"
           if summary.skipped else ""))
    if todo:
        receipts = stored.Receipts(course.db_url, course.course_id)
        try:
            _grade_todo(course, assignment, todo, source_sha, receipts, summary, jobs, timeout,
                        kernel() if kernel else {}, say)
        finally:
            receipts.close()
    known = stored.load(course.db_url, course.course_id, assignment)
    graded = [s for s, r in known.items() if r.status == "graded" and s in students]
    summary.failed_before = {s: known[s].reason for s in summary.skipped if known[s].status == "failed"}
    if todo:
        from .gradebook import waiting_for_manual_grading

        summary.manual = waiting_for_manual_grading(course, assignment, graded)
    else:
        say(f"nothing new to grade; `leninsmoscow report {assignment}` lists the answers that wait for grading by hand")
    report(summary, say)
    return summary


def _grade_todo(course, assignment, todo, source_sha, receipts, summary, jobs, timeout, extra_config, say) -> None:
    """Start the workers, enter the assignment in the gradebook if it is new there, and grade."""
    from .course import concurrent_db_url
    from .gradebook import ensure_in_gradebook
    from .workers import GradingPool

    with tempfile.TemporaryDirectory(prefix="leninsmoscow-grade-") as logs:
        setup = {"root": str(course.root), "assignment": assignment, "db_url": concurrent_db_url(course.db_url),
                 "config": extra_config, "log": str(Path(logs) / "workers.log")}
        # the workers load nbgrader while this process looks at the gradebook
        pool = GradingPool(setup, summary.jobs, timeout)
        pool.start()
        try:
            course.nbgrader_config()  # a broken configuration is reported here, in one line
            if ensure_in_gradebook(course, assignment):
                say(f"the gradebook did not know {assignment} yet: entered it from its source")
            run_pool(course, assignment, todo, source_sha, receipts, summary, pool, say)
        finally:
            pool.close()


def source_checksum(course, assignment: str) -> str:
    """What a grade depends on besides the submission: the assignment, the course config, the grading code."""
    from .receipts import files_checksum

    return files_checksum(course.folder("source") / assignment, course.root / "nbgrader_config.py", *grading_code())


def grading_code() -> list[Path]:
    """The course's own grading code: a new version of it grades every submission again."""
    import leninsmoscow

    package = Path(leninsmoscow.__file__).parent
    return [package / "grading", package / "sandbox"]


def plan(course, assignment, students, known, source_sha, force, retry_failed=False):
    """(students to grade, summary with the skipped ones): new, changed, or graded without their files."""
    from .console import shown
    from .exports import CollectLimits
    from .lms import STUDENT_ID
    from .receipts import files_checksum

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
    from .console import Progress, elapsed
    from .gradebook import Book
    from .receipts import Receipt, now
    from .workers import PoolError

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
        raise CourseError(str(error)) from None
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
    from .nbgrader_log import is_busy, known_reason, last_error

    text = outcome.log + "\n" + outcome.error
    if is_busy(text):
        return None
    return known_reason(text) or f"nbgrader could not grade it: {last_error({'log': outcome.log, 'error': outcome.error})}"


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
