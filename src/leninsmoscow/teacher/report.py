"""The report on an assignment: grades and item statistics as CSV files and one self-contained page.

``leninsmoscow report`` wires this. The figures come from nbgrader's gradebook
(:mod:`.stats`); the page is rendered from a Jinja2 template with
autoescaping, so a student id or a reason can only ever appear as text.
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

from .course import CourseError


def report(course, assignment: str, out: Path | None = None, say=print) -> Path:
    """Write the report's files and return the HTML page's path."""
    from . import stats
    from .receipts import Receipts

    out = out or course.root / "dist" / "reports" / assignment
    out.mkdir(parents=True, exist_ok=True)
    receipts = Receipts(course.db_url, course.course_id)
    try:
        with course.gradebook() as gradebook:
            from nbgrader.api import MissingEntry

            try:
                items = stats.items_of(course, assignment, gradebook)
            except MissingEntry:
                raise CourseError(f"the gradebook has no {assignment}: release and grade it first") from None
            rows = stats.rows_of(course, assignment, gradebook, items, receipts.load(assignment))
    finally:
        receipts.close()
    if not rows:
        raise CourseError(f"no submission of {assignment} yet: collect and grade first")
    item_stats = stats.item_stats(items, rows)
    queue = stats.manual_queue(items, rows)
    max_total = sum(item.max_score for item in items)
    png = stats.totals_plot_png(rows, max_total)
    write_files(out, items, rows, item_stats, queue, png)
    page = out / "report.html"
    page.write_text(render(course, assignment, items, rows, item_stats, queue, png, max_total), encoding="utf-8")
    _say_summary(assignment, rows, queue, max_total, page, say)
    return page


def _say_summary(assignment, rows, queue, max_total, page, say) -> None:
    from .console import shown

    graded = [row for row in rows if row.graded]
    failed = [row for row in rows if row.status.startswith("failed")]
    mean = sum(row.total for row in graded) / len(graded) if graded else 0.0
    say(f"report on {assignment}: {len(graded)} graded (mean {mean:.1f} of {max_total:g}), {len(failed)} failed, "
        f"{len(queue)} answer(s) to grade by hand")
    checks = [(row.student, check) for row in rows for check in row.checks]
    if checks:
        say(f"CHECK {len(checks)} score(s) the grading cannot explain (see the report):")
        for student, check in checks:
            say(f"  {shown(student)}: {shown(check)}")
    say(f"open {page}")


def write_files(out: Path, items, rows, item_stats, queue, png: bytes) -> None:
    from .stats import write_csv

    keys = [item.key for item in items]
    write_csv(out / "grades.csv", ["student", *keys, "total", "max", "status", "check"],
              [[row.student, *[number(row.scores.get(k)) for k in keys], number(row.total), number(row.max_total),
                row.status, "; ".join(row.checks)] for row in rows])
    write_csv(out / "items.csv", ["item", "kind", "max_points", "n", "mean_score", "share_full_marks",
                                  "discrimination", "note"],
              [[s.item.key, "by hand" if s.item.manual else "test", number(s.item.max_score), s.n,
                number(s.mean, 3), number(s.full, 3), number(s.discrimination, 3), s.advice] for s in item_stats])
    write_csv(out / "manual.csv", ["student", "item", "points", "formgrader"],
              [[q["student"], q["item"], number(q["points"]), q["formgrader"]] for q in queue])
    (out / "totals.png").write_bytes(png)


def number(value, digits: int = 2) -> str:
    """A score as a teacher reads it: 2.5, 3, or nothing for no value."""
    if value is None or value == "":
        return ""
    return f"{round(float(value), digits):g}"


def percent(value) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


def render(course, assignment, items, rows, item_stats, queue, png, max_total) -> str:
    """The whole report as one HTML page with its style and plot inside (no address to fetch)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(loader=PackageLoader("leninsmoscow.teacher", "templates"),
                              autoescape=select_autoescape(default=True), trim_blocks=True)
    graded = sorted(row.total for row in rows if row.graded)
    median = (graded[len(graded) // 2] + graded[(len(graded) - 1) // 2]) / 2 if graded else 0.0
    return environment.get_template("report.html.j2").render(
        assignment=assignment, course_root=str(course.root), written=f"{datetime.now():%Y-%m-%d %H:%M}",
        rows=rows, graded=len(graded), failed=sum(1 for row in rows if row.status.startswith("failed")),
        mean=sum(graded) / len(graded) if graded else 0.0, median=median, max_total=max_total, queue=queue,
        checks=[(row.student, check) for row in rows for check in row.checks], item_stats=item_stats,
        keys=[item.key for item in items], plot=base64.b64encode(png).decode(),
        plot_alt=f"Histogram of the totals of {len(graded)} graded submission(s), out of {number(max_total)} points",
        number=number, percent=percent,
    )
