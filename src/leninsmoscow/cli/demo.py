"""Run the whole assessment cycle on a synthetic class, offline, and show where the report is.

A copy of the course is made in a scratch folder (or in --keep DIR, to explore
it afterwards in the formgrader). One assignment is released there, and a class
of --students synthetic students (at least 30) hands it in as a learning
platform exports it (one zip, Moodle-style names): right, partly right and
blank answers, broken files (invalid JSON, an empty file), tampering (an edited
test, an __eq__ cheat, a patched referee, forged results), script aimed at the
teacher's browser (hostile HTML), an endless loop and a kernel that kills itself. Then collect, grade, feedback and report run on it, and the demo
checks that each kind of submission got what it deserves.

The course itself is not touched, except that the report is copied to
demo-output/ in it (a folder git ignores) when no --keep is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from . import CommandError, positive_float, positive_int
from .grade import add_sandbox_argument

MIN_STUDENTS = 30
MARKER = ".leninsmoscow-demo"
COPIED = ("nbgrader_config.py", "notebooks", "data", "pyproject.toml", "environment.yml", "Makefile", "etc",
          "README.md", "src")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--students", type=_class_size, default=MIN_STUDENTS, metavar="N",
                        help=f"size of the synthetic class (at least {MIN_STUDENTS}; default %(default)s)")
    parser.add_argument("--jobs", "-j", type=positive_int, default=os.cpu_count() or 1,
                        help="grading worker processes (default: the number of CPUs, %(default)s here)")
    parser.add_argument("--db-url", metavar="URL",
                        help="the demo's gradebook (any SQLAlchemy URL; default: SQLite in the demo course)")
    parser.add_argument("--keep", metavar="DIR",
                        help="make the demo course in DIR and keep it (default: a scratch folder, removed at the end)")
    parser.add_argument("--assignment", help="the assignment to use (default: the course's first)")
    parser.add_argument("--timeout", type=positive_float, default=40.0, metavar="SECONDS",
                        help="grading time limit per submission (default: %(default)g)")
    parser.add_argument("--seed", type=int, default=1917, help="the same seed gives the same class")
    add_sandbox_argument(parser)


def _class_size(text: str) -> int:
    value = positive_int(text)
    if value < MIN_STUDENTS:
        raise argparse.ArgumentTypeError(f"a class of at least {MIN_STUDENTS} students is needed; {value} is fewer")
    return value


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course)
    assignment = course.check_assignment(args.assignment) if args.assignment else _first(course)
    keep = Path(args.keep).expanduser().resolve() if args.keep else None
    if keep is not None:
        _prepare(keep)
        return demo(course, assignment, keep, args)
    with tempfile.TemporaryDirectory(prefix="leninsmoscow-demo-") as scratch:
        return demo(course, assignment, Path(scratch), args, copy_report_to=course.root / "demo-output")


def demo(course, assignment: str, where: Path, args, copy_report_to: Path | None = None) -> int:
    """The cycle on a synthetic class; 0 when every kind of submission got what it deserves."""
    from leninsmoscow.cli import collect, feedback, grade, release, report
    from leninsmoscow.teacher import synthetic
    from leninsmoscow.teacher.console import elapsed

    started = time.monotonic()
    work = copy_course(course, where / "course", args.db_url)
    step = _stepper()
    step("release", f"{assignment} into a copy of the course in {work.root}")
    bundle = release.release(work, [assignment], work.root / "dist" / "student-bundle", say=_indent)
    if not bundle.safe:
        raise CommandError("the student bundle held a secret (see above)")
    step("class", f"{args.students} synthetic students hand in {assignment} through a Moodle-style export")
    students = synthetic.make_class(args.students, args.seed)
    export = synthetic.export(work, assignment, students, where / "export" / f"{assignment}-moodle-export.zip", args.seed)
    _indent(f"wrote {export}")
    step("collect", f"leninsmoscow collect {assignment} {export.name}")
    collect.collect(work, assignment, export, say=_indent)
    step("grade", f"leninsmoscow grade {assignment} --jobs {args.jobs} --timeout {args.timeout:g}")
    summary = grade.grade(work, assignment, jobs=args.jobs, force=True, timeout=args.timeout,
                          extra_config=grade.kernel_config(args, work, say=_indent), say=_indent)
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


def copy_course(course, target: Path, db_url: str | None):
    """The course's authored parts in a fresh folder: no gradebook, no submissions, no feedback."""
    from leninsmoscow.teacher.course import Course

    target.mkdir(parents=True)
    for name in (*COPIED, course.layout["source_directory"]):
        source = course.root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(
                "__pycache__", ".ipynb_checkpoints", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, target / name)
    return Course(target, db_url)


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
    from leninsmoscow.teacher import pages

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
    from leninsmoscow.teacher import stats

    with course.gradebook() as gradebook:
        items = stats.items_of(course, assignment, gradebook)
        rows = stats.rows_of(course, assignment, gradebook, items, {})
    tests = [item.key for item in items if not item.manual]
    return {row.student: sum(row.scores.get(key, 0.0) for key in tests) for row in rows}


def max_automatic_points(course, assignment: str) -> float:
    from leninsmoscow.teacher import stats

    with course.gradebook() as gradebook:
        return sum(item.max_score for item in stats.items_of(course, assignment, gradebook) if not item.manual)


def print_outcome(students, verdicts, summary, notes, page, bundle, where, kept, took) -> None:
    from leninsmoscow.teacher.synthetic import KINDS

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


def _prepare(keep: Path) -> None:
    """--keep DIR must be new, empty, or an earlier demo (which is replaced)."""
    if keep.exists():
        if not keep.is_dir():
            raise CommandError(f"--keep {keep}: not a folder")
        if any(keep.iterdir()) and not (keep / MARKER).exists():
            raise CommandError(f"--keep {keep}: the folder is not empty and holds no earlier demo; choose another")
        shutil.rmtree(keep)
    keep.mkdir(parents=True)
    (keep / MARKER).write_text("made by `leninsmoscow demo`; replaced by the next demo run\n", encoding="utf-8")


def _first(course) -> str:
    assignments = course.assignments()
    if not assignments:
        raise CommandError(f"the course has no assignment in {course.folder('source')}")
    return assignments[0]


def _indent(text: str) -> None:
    print(f"   {text}", flush=True)


def _stepper():
    number = [0]

    def step(name: str, what: str) -> None:
        number[0] += 1
        print(f"\n[{number[0]}/6] {name}: {what}", flush=True)

    return step
