"""The figures of the report, read from nbgrader's gradebook.

Per student: the score of each item (a test or an answer graded by hand), the
total as the gradebook computes it, and a status (graded, failed with its
reason, not graded yet). Per item, what a teacher needs to improve the course:

- ``mean``: the average score, and ``full``: the share of students with full
  marks (how hard the item is);
- ``discrimination``: the correlation between the item's score and the rest of
  the assignment's total (the total without this item). Near 0, the item does
  not separate students who did the assignment well from those who did not;
  below 0, the students who did well elsewhere did worse here, which usually
  means a flawed question or test.

Item statistics use graded submissions only, and for an item graded by hand
only the submissions where a human has graded it: a failed file or an answer
not yet marked says nothing about the question.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Item:
    notebook: str
    name: str
    max_score: float
    manual: bool  # graded by a human (a written answer) rather than by a test

    @property
    def key(self) -> str:
        return self.name if not self.notebook else f"{self.notebook}:{self.name}"


@dataclass
class Row:
    student: str
    status: str
    scores: dict = field(default_factory=dict)  # item key -> score (None: not graded)
    pending: set = field(default_factory=set)  # item keys waiting for a human
    total: float = 0.0
    max_total: float = 0.0
    submission_ids: dict = field(default_factory=dict)  # notebook -> SubmittedNotebook id (formgrader)
    checks: list = field(default_factory=list)  # scores the teacher should look at (see score_checks)

    @property
    def graded(self) -> bool:
        return self.status.startswith("graded")


@dataclass
class ItemStats:
    item: Item
    n: int
    mean: float | None
    full: float | None
    discrimination: float | None

    @property
    def advice(self) -> str:
        """A first reading of the figures, to be checked against the question itself."""
        notes = []
        if self.discrimination is not None:
            if self.discrimination < 0:
                notes.append("reversed: students who did well elsewhere did worse here; check the question and its test")
            elif self.discrimination < 0.2:
                notes.append("weak: does not separate strong from weak work")
        if self.full is not None and self.n >= 5:
            if self.full >= 0.9:
                notes.append("very easy")
            elif self.full <= 0.1:
                notes.append("very hard: is it taught, is it clear?")
        return "; ".join(notes)


def items_of(course, assignment: str, gradebook) -> list[Item]:
    """The graded items in the order of the source notebooks (the gradebook keeps no order)."""
    order = {}
    for path in sorted((course.folder("source") / assignment).glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        for index, cell in enumerate(cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            order[(path.stem, grade_id)] = index
    notebooks = gradebook.find_assignment(assignment).notebooks
    several = len(notebooks) > 1
    items = []
    for notebook in notebooks:
        answers = {cell.name for cell in notebook.solution_cells}  # a graded answer cell: marked by hand
        for cell in notebook.grade_cells:
            items.append(Item(notebook.name if several else "", cell.name, float(cell.max_score), cell.name in answers))
        for cell in getattr(notebook, "task_cells", []):
            items.append(Item(notebook.name if several else "", cell.name, float(cell.max_score), True))
    return sorted(items, key=lambda item: (item.notebook, order.get((_nb(item, notebooks), item.name), 10**6)))


def _nb(item, notebooks):
    return item.notebook or notebooks[0].name


def rows_of(course, assignment: str, gradebook, items: list[Item], receipts: dict) -> list[Row]:
    """One row per student with a submission in the gradebook or on disk."""
    from nbgrader.api import MissingEntry

    several = any(item.notebook for item in items)
    students = set(course.submitted_students(assignment))
    students |= {s.student.id for s in gradebook.find_assignment(assignment).submissions}
    max_total = sum(item.max_score for item in items)
    rows = []
    for student in sorted(students):
        receipt = receipts.get(student)
        row = Row(student, _status(receipt), max_total=max_total)
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            row.status = "not graded yet"
            rows.append(row)
            continue
        manual = {item.key for item in items if item.manual}
        for notebook in submission.notebooks:
            row.submission_ids[notebook.name] = notebook.id
            for grade in notebook.grades:
                key = f"{notebook.name}:{grade.name}" if several else grade.name
                row.scores[key] = float(grade.score)
                row.checks += score_checks(key, grade, graded_by_hand=key in manual)
                if grade.needs_manual_grade:
                    row.pending.add(key)
        row.total = float(submission.score)
        if row.graded and row.pending:
            row.status = f"graded; {len(row.pending)} answer(s) to grade by hand"
        rows.append(row)
    return rows


def score_checks(key: str, grade, graded_by_hand: bool) -> list[str]:
    """What is odd about one stored grade: a score no grading can give, or a test's score changed by hand.

    The autograder never gives more than an item's points or less than zero,
    and only a person in the formgrader (or something acting as one) sets a
    manual score on a test or extra credit. Such a grade is not wrong for
    sure, but the report cannot explain it, so the teacher is asked to look.
    """
    found = []
    score, most = float(grade.score), float(grade.max_score)
    if score > most + 1e-9:
        found.append(f"{key}: {score:g} is above the item's maximum of {most:g}")
    if score < -1e-9:
        found.append(f"{key}: {score:g} is below zero")
    if not graded_by_hand and grade.manual_score is not None and grade.manual_score != grade.auto_score:
        automatic = "no score" if grade.auto_score is None else f"{float(grade.auto_score):g}"
        found.append(f"{key}: a test's score was set by hand to {float(grade.manual_score):g} (the grader gave {automatic})")
    if grade.extra_credit:
        found.append(f"{key}: {float(grade.extra_credit):g} point(s) of extra credit")
    return found


def _status(receipt) -> str:
    if receipt is None:
        return "not graded yet"
    if receipt.status == "graded":
        return "graded"
    return f"failed: {receipt.reason}"


def item_stats(items: list[Item], rows: list[Row]) -> list[ItemStats]:
    stats = []
    for item in items:
        pairs = [(row.scores.get(item.key, 0.0), row.total - row.scores.get(item.key, 0.0))
                 for row in rows if row.graded and item.key not in row.pending]
        scores = [score for score, _ in pairs]
        n = len(scores)
        mean = sum(scores) / n if n else None
        full = sum(1 for s in scores if s >= item.max_score - 1e-9) / n if n and item.max_score else None
        stats.append(ItemStats(item, n, mean, full, correlation(pairs)))
    return stats


def correlation(pairs: list[tuple[float, float]]) -> float | None:
    """Pearson's r, or None when it is undefined (fewer than 3 pairs, or a column with no variation)."""
    if len(pairs) < 3:
        return None
    xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:  # a constant column: every student got the same score
        return None


def manual_queue(items: list[Item], rows: list[Row]) -> list[dict]:
    """The answers of graded submissions that still wait for a human, with their formgrader page."""
    by_key = {item.key: item for item in items}
    queue = []
    for row in rows:
        if not row.graded:
            continue
        for key in sorted(row.pending, key=lambda k: list(by_key).index(k) if k in by_key else 0):
            item = by_key.get(key)
            notebook = item.notebook if item and item.notebook else next(iter(row.submission_ids), "")
            queue.append({
                "student": row.student,
                "item": key,
                "points": item.max_score if item else "",
                "formgrader": f"/formgrader/submissions/{row.submission_ids.get(notebook, '')}",
            })
    return queue


def totals_plot_png(rows: list[Row], max_total: float) -> bytes:
    """A histogram of the graded totals, as PNG bytes (matplotlib's Agg, no display needed)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    totals = [row.total for row in rows if row.graded]
    figure = Figure(figsize=(6.4, 3.2), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    top = max([max_total, *totals, 1.0])
    if top <= 40:  # one bar per whole point
        bins = [edge - 0.5 for edge in range(int(math.ceil(top)) + 2)]
    else:
        bins = [top * step / 20 for step in range(21)]
    axes.hist(totals, bins=bins, color="#8c2d19", edgecolor="white")
    if totals:
        mean = sum(totals) / len(totals)
        axes.axvline(mean, color="#333333", linestyle="--", linewidth=1)
        axes.annotate(f"mean {mean:.1f}", (mean, axes.get_ylim()[1] * 0.92), xytext=(4, 0),
                      textcoords="offset points", fontsize=8)
    axes.set_xlabel(f"total points (of {max_total:g})")
    axes.set_ylabel("students")
    axes.set_title(f"Totals of {len(totals)} graded submission(s)", fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def write_csv(path: Path, header: list[str], records: list[list]) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(records)
