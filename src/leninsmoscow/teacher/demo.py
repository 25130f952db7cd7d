"""The whole cycle on a synthetic class, and whether each kind of submission got what it deserves.

``leninsmoscow demo`` wires this: a copy of the course releases one
assignment, a synthetic class (:mod:`.synthetic`) hands it in as a platform
export, and collect, grade, feedback and report run on it as a teacher would
run them; the table at the end is the course's self-test.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from .course import CourseError

MIN_STUDENTS = 30


MARKER = ".leninsmoscow-demo"


def demo(course, assignment: str, where: Path, *, students: int = MIN_STUDENTS, jobs: int = 1,
         timeout: float = 40.0, seed: int = 1917, sandboxed: bool = True, db_url: str | None = None,
         copy_report_to: Path | None = None) -> int:
    """The cycle on a synthetic class; 0 when every kind of submission got what it deserves."""
    from . import collect, feedback, grading, release, report, synthetic
    from .console import elapsed
    from .course import copy_course

    started = time.monotonic()
    size = students
    work = copy_course(course, where / "course", db_url)
    step = _stepper()
    step("release", f"{assignment} into a copy of the course in {work.root}")
    bundle = release.release(work, [assignment], work.root / "dist" / "student-bundle", say=_indent)
    if not bundle.safe:
        raise CourseError("the student bundle held a secret (see above)")
    step("class", f"{size} synthetic students hand in {assignment} through a Moodle-style export")
    students = synthetic.make_class(size, seed)
    export = synthetic.export(work, assignment, students, where / "export" / f"{assignment}-moodle-export.zip", seed)
    _indent(f"wrote {export}")
    step("collect", f"leninsmoscow collect {assignment} {export.name}")
    collect.collect(work, assignment, export, say=_indent)
    step("grade", f"leninsmoscow grade {assignment} --jobs {jobs} --timeout {timeout:g}")
    summary = grading.grade(work, assignment, jobs=jobs, force=True, timeout=timeout,
                            kernel=lambda: grading.kernel_config(work, sandboxed, say=_indent), say=_indent)
    step("feedback", f"leninsmoscow feedback {assignment}")
    notes = feedback.feedback(work, assignment, say=_indent)
    step("report", f"leninsmoscow report {assignment}")
    page = report.report(work, assignment, say=_indent)
    if copy_report_to is not None:
        page = _copy_report(page.parent, copy_report_to / assignment)
    verdicts = judge(work, assignment, students, summary)
    print_outcome(students, verdicts, summary, notes, page, bundle, where, copy_report_to is None,
                  elapsed(time.monotonic() - started))
    return 0 if all(ok for ok, _ in verdicts.values()) and notes.safe else 1


def judge(course, assignment: str, students, summary) -> dict:
    """kind -> (as expected?, what happened), from the gradebook's automatic points."""
    points = automatic_points(course, assignment)
    full = max_automatic_points(course, assignment)
    outcomes: dict[str, list] = {}
    for student in students:
        outcomes.setdefault(student.kind, []).append(student.id)
    verdicts = {}
    for kind, ids in outcomes.items():
        failed = [summary.failed[i] for i in ids if i in summary.failed]
        got = [points.get(i, 0.0) for i in ids if i not in summary.failed]
        verdicts[kind] = _verdict(kind, failed, got, full)
        if kind == "hostile HTML":
            active = active_in_pages(course, assignment, [i for i in ids if i not in summary.failed])
            ok, happened = verdicts[kind]
            verdicts[kind] = (ok and not active, happened + ("; its pages would run: " + active[0] if active
                                                             else "; its formgrader page runs no student script"))
    return verdicts


def active_in_pages(course, assignment: str, students: list[str]) -> list[str]:
    """What the formgrader pages of these students would run beyond the template's own scripts."""
    from . import pages

    found = []
    for name in course.notebooks(assignment):
        harmless = pages.formgrader_page(course.folder("release") / assignment / name)
        for student in students:
            graded = course.folder("autograded") / student / assignment / name
            if graded.is_file():
                found += pages.active_markup(pages.formgrader_page(graded), harmless)
    return found


def _verdict(kind, failed, got, full):
    lo, hi = (min(got), max(got)) if got else (0.0, 0.0)
    span = f"{lo:g}" if lo == hi else f"{lo:g} to {hi:g}"
    graded = f"graded, {span} of {full:g} automatic points" if got else ""
    happened = "; ".join(filter(None, [graded, *(f"failed: {reason}" for reason in sorted(set(failed)))]))
    if kind == "right":
        return (not failed and lo == full, happened)
    if kind == "partly right":
        return (not failed, happened)
    if kind in ("blank", "edited test", "__eq__ cheat", "patched referee", "forged result"):
        return (hi == 0.0, happened)
    if kind == "hostile HTML":
        return (not failed and lo == full, happened)
    if kind in ("invalid JSON", "empty file", "crashed kernel"):
        return (bool(failed) and not got, happened)
    if kind == "endless loop":
        return (bool(failed) or hi < full, happened)
    return (True, happened)


def automatic_points(course, assignment: str) -> dict:
    """student -> points from tests (answers graded by hand left out)."""
    from . import stats

    with course.gradebook() as gradebook:
        items = stats.items_of(course, assignment, gradebook)
        rows = stats.rows_of(course, assignment, gradebook, items, {})
    tests = [item.key for item in items if not item.manual]
    return {row.student: sum(row.scores.get(key, 0.0) for key in tests) for row in rows}


def max_automatic_points(course, assignment: str) -> float:
    from . import stats

    with course.gradebook() as gradebook:
        return sum(item.max_score for item in stats.items_of(course, assignment, gradebook) if not item.manual)


def print_outcome(students, verdicts, summary, notes, page, bundle, where, kept, took) -> None:
    from .synthetic import KINDS

    counts = {kind: sum(1 for s in students if s.kind == kind) for kind in KINDS}
    counts = {kind: count for kind, count in counts.items() if count}
    print(f"\n== the demo class: {len(students)} students, {len(summary.graded)} graded, {len(summary.failed)} failed ==")
    width = max(len(kind) for kind in counts)
    for kind, count in counts.items():
        ok, happened = verdicts[kind]
        print(f"  {kind:<{width}}  {count:>3}  {'ok ' if ok else 'UNEXPECTED'}  {happened}")
    if not all(ok for ok, _ in verdicts.values()):
        print("UNEXPECTED results above: a kind of submission did not get what it deserves; "
              "look at its notebook in the demo course (--keep DIR) and at leninsmoscow.grading")
    if not notes.safe:
        print("some feedback showed hidden-test text and was withheld (see above)")
    print(f"\nreport: {page}")
    print(f"student bundle (checked, no solution): {bundle.archive if kept else 'made in the scratch course'}")
    if kept:
        print(f"demo course: {where / 'course'} (explore it: cd there and run "
              "`jupyter server --ServerApp.default_url=/formgrader`)")
    else:
        print("the scratch course was removed; pass --keep DIR to explore it in the formgrader")
    print(f"the demo took {took}")


def _copy_report(folder: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(folder, target)
    return target / "report.html"


def prepare_keep(keep: Path) -> None:
    """--keep DIR must be new, empty, or an earlier demo (which is replaced)."""
    if keep.exists():
        if not keep.is_dir():
            raise CourseError(f"--keep {keep}: not a folder")
        if any(keep.iterdir()) and not (keep / MARKER).exists():
            raise CourseError(f"--keep {keep}: the folder is not empty and holds no earlier demo; choose another")
        shutil.rmtree(keep)
    keep.mkdir(parents=True)
    (keep / MARKER).write_text("made by `leninsmoscow demo`; replaced by the next demo run\n", encoding="utf-8")


def first_assignment(course) -> str:
    assignments = course.assignments()
    if not assignments:
        raise CourseError(f"the course has no assignment in {course.folder('source')}")
    return assignments[0]


def _indent(text: str) -> None:
    print(f"   {text}", flush=True)


def _stepper():
    number = [0]

    def step(name: str, what: str) -> None:
        number[0] += 1
        print(f"\n[{number[0]}/6] {name}: {what}", flush=True)

    return step
