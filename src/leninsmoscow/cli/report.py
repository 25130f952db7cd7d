"""Grades and item statistics of an assignment, as CSV files and one self-contained HTML page.

Written to --out (default dist/reports/<assignment> in the course, a folder git ignores):

  grades.csv    one row per student: id, the score of every item, total, status, scores to check
  items.csv     per item: max points, mean score, share of full marks, discrimination
  manual.csv    the answers still waiting for manual grading in the formgrader
  totals.png    the distribution of totals
  report.html   all of the above on one page (the plot embedded; no internet needed)

The figures come straight from nbgrader's gradebook, so they include the
scores given by hand in the formgrader: run report again after grading by hand.
A score no grading can give (above an item's maximum, below zero), a test's
score changed by hand and extra credit are listed under "scores to check".
"""

from __future__ import annotations

import argparse
import base64
import html
from datetime import datetime
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="the assignment id, e.g. war-communism")
    parser.add_argument("--out", metavar="DIR", help="where to write (default: dist/reports/<assignment> in the course)")
    parser.add_argument("--db-url", metavar="URL", help="the gradebook (default: the course's SQLite file)")


def run(args: argparse.Namespace) -> int:
    from leninsmoscow.teacher.course import find_course

    course = find_course(args.course, args.db_url)
    assignment = course.check_assignment(args.assignment)
    out = Path(args.out).expanduser().resolve() if args.out else None
    report(course, assignment, out)
    return 0


def report(course, assignment: str, out: Path | None = None, say=print) -> Path:
    """Write the report's files and return the HTML page's path."""
    from leninsmoscow.cli import CommandError
    from leninsmoscow.teacher import stats
    from leninsmoscow.teacher.receipts import Receipts

    out = out or course.root / "dist" / "reports" / assignment
    out.mkdir(parents=True, exist_ok=True)
    receipts = Receipts(course.db_url, course.course_id)
    try:
        with course.gradebook() as gradebook:
            from nbgrader.api import MissingEntry

            try:
                items = stats.items_of(course, assignment, gradebook)
            except MissingEntry:
                raise CommandError(f"the gradebook has no {assignment}: release and grade it first") from None
            rows = stats.rows_of(course, assignment, gradebook, items, receipts.load(assignment))
    finally:
        receipts.close()
    if not rows:
        raise CommandError(f"no submission of {assignment} yet: collect and grade first")
    item_stats = stats.item_stats(items, rows)
    queue = stats.manual_queue(items, rows)
    max_total = sum(item.max_score for item in items)
    png = stats.totals_plot_png(rows, max_total)
    write_files(out, items, rows, item_stats, queue, png)
    page = out / "report.html"
    page.write_text(render(course, assignment, items, rows, item_stats, queue, png, max_total), encoding="utf-8")
    graded = [row for row in rows if row.graded]
    failed = [row for row in rows if row.status.startswith("failed")]
    mean = sum(row.total for row in graded) / len(graded) if graded else 0.0
    say(f"report on {assignment}: {len(graded)} graded (mean {mean:.1f} of {max_total:g}), {len(failed)} failed, "
        f"{len(queue)} answer(s) to grade by hand")
    checks = [(row.student, check) for row in rows for check in row.checks]
    if checks:
        from leninsmoscow.teacher.console import shown

        say(f"CHECK {len(checks)} score(s) the grading cannot explain (see the report):")
        for student, check in checks:
            say(f"  {shown(student)}: {shown(check)}")
    say(f"open {page}")
    return page


def write_files(out: Path, items, rows, item_stats, queue, png: bytes) -> None:
    from leninsmoscow.teacher.stats import write_csv

    keys = [item.key for item in items]
    write_csv(out / "grades.csv", ["student", *keys, "total", "max", "status", "check"],
              [[row.student, *[_num(row.scores.get(k)) for k in keys], _num(row.total), _num(row.max_total), row.status,
                "; ".join(row.checks)] for row in rows])
    write_csv(out / "items.csv", ["item", "kind", "max_points", "n", "mean_score", "share_full_marks", "discrimination", "note"],
              [[s.item.key, "by hand" if s.item.manual else "test", _num(s.item.max_score), s.n, _num(s.mean, 3),
                _num(s.full, 3), _num(s.discrimination, 3), s.advice] for s in item_stats])
    write_csv(out / "manual.csv", ["student", "item", "points", "formgrader"],
              [[q["student"], q["item"], _num(q["points"]), q["formgrader"]] for q in queue])
    (out / "totals.png").write_bytes(png)


def _num(value, digits: int = 2) -> str:
    if value is None or value == "":
        return ""
    return f"{round(float(value), digits):g}"


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
tr.failed td { background: #fdecea; } tr.pending td { background: #fff8e1; }
.figures span { display: inline-block; margin-right: 2rem; } .note { color: #8c2d19; }
p.help { color: #555; font-size: 0.9rem; }
"""


def render(course, assignment, items, rows, item_stats, queue, png, max_total) -> str:
    """The whole report as one HTML page with its style and plot inside."""
    graded = [row for row in rows if row.graded]
    failed = [row for row in rows if row.status.startswith("failed")]
    totals = sorted(row.total for row in graded)
    mean = sum(totals) / len(totals) if totals else 0.0
    median = (totals[len(totals) // 2] + totals[(len(totals) - 1) // 2]) / 2 if totals else 0.0
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(assignment)}: grades and item statistics</title><style>{STYLE}</style></head><body>",
        f"<h1>{e(assignment)}: grades and item statistics</h1>",
        f"<p class='help'>Course folder {e(str(course.root))}; written {datetime.now():%Y-%m-%d %H:%M} "
        "from nbgrader's gradebook. Scores given by hand in the formgrader count as soon as they are saved: "
        "run <code>leninsmoscow report</code> again after grading by hand.</p>",
        "<p class='figures'>"
        f"<span><b>{len(rows)}</b> submissions</span><span><b>{len(graded)}</b> graded</span>"
        f"<span><b>{len(failed)}</b> failed</span><span>mean <b>{mean:.1f}</b> / {max_total:g}</span>"
        f"<span>median <b>{median:.1f}</b></span><span><b>{len(queue)}</b> answers to grade by hand</span></p>",
        *_checks_section(rows),
        "<h2>Distribution of totals</h2>",
        f"<img alt='histogram of the totals' src='data:image/png;base64,{base64.b64encode(png).decode()}'>",
        "<h2>Items</h2>",
        "<p class='help'><b>mean</b>: average score; <b>full marks</b>: share of students with all the points "
        "(how hard the item is). <b>discrimination</b>: correlation between the item's score and the rest of "
        "the total. Above 0.3 the item tells strong from weak work; near 0 it does not (too easy, too hard, or "
        "testing something else); below 0 students who did well elsewhere did worse here: check the question "
        "and its test first. Only graded submissions count, and for answers graded by hand only those already "
        "graded (<b>n</b>).</p>",
        _table(["item", "kind", "points", "n", "mean", "full marks", "discrimination", "note"],
               [[s.item.key, "by hand" if s.item.manual else "test", _num(s.item.max_score), s.n, _num(s.mean),
                 _pct(s.full), _num(s.discrimination), f"<span class='note'>{e(s.advice)}</span>"]
                for s in item_stats], raw_last=True),
        "<h2>Waiting for manual grading</h2>",
        "<p class='help'>Open the formgrader (<code>jupyter lab</code> → Nbgrader → Formgrader, or "
        "<code>jupyter server --ServerApp.default_url=/formgrader</code> in the course folder); the last "
        "column is the page of each submission.</p>" if queue else "<p>Nothing: every answer is graded.</p>",
        _table(["student", "item", "points", "formgrader page"],
               [[q["student"], q["item"], _num(q["points"]), q["formgrader"]] for q in queue]) if queue else "",
        "<h2>Grades</h2>",
        _grades_table(items, rows),
        "</body></html>",
    ]
    return "\n".join(parts)


def _checks_section(rows) -> list[str]:
    checks = [[row.student, check] for row in rows for check in row.checks]
    if not checks:
        return []
    return ["<h2 class='note'>Scores to check</h2>",
            "<p class='help'>No grading gives these scores: a score above the item's maximum or below zero, a "
            "test's score changed by hand, extra credit. If you did not set them, someone else did: look at "
            "the submission in the formgrader, then grade it again (<code>leninsmoscow grade --force</code>).</p>",
            _table(["student", "what"], checks)]


def _pct(value) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


def _is_number(value) -> bool:
    try:
        float(str(value).rstrip("%"))
    except ValueError:
        return str(value) == ""
    return True


def _table(header, records, raw_last=False) -> str:
    e = html.escape
    head = "".join(f"<th>{e(str(h))}</th>" for h in header)
    body = []
    for record in records:
        cells = [f"<td{'' if _is_number(v) else ' class=text'}>{e(str(v))}</td>"
                 for v in (record[:-1] if raw_last else record)]
        if raw_last:
            cells.append(f"<td class='text'>{record[-1]}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _grades_table(items, rows) -> str:
    e = html.escape
    keys = [item.key for item in items]
    head = "".join(f"<th>{e(h)}</th>" for h in ["student", *keys, "total", "status"])
    body = []
    for row in rows:
        kind = "failed" if row.status.startswith("failed") else "pending" if row.pending and row.graded else ""
        cells = [f"<td>{e(row.student)}</td>"]
        cells += [f"<td>{_num(row.scores.get(k))}{'*' if k in row.pending else ''}</td>" for k in keys]
        cells += [f"<td><b>{_num(row.total)}</b></td>", f"<td class='text'>{e(row.status)}</td>"]
        body.append(f"<tr class='{kind}'>" + "".join(cells) + "</tr>")
    note = "<p class='help'>* waits for manual grading (counts 0 until graded).</p>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"
