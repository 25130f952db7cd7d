"""nbgrader preprocessors that make autograding and feedback trustworthy.

They are composed with nbgrader's own steps in :mod:`.pipeline`, which
``nbgrader_config.py`` and the course's commands read, so grading stays
nbgrader's with these rules added:

- :class:`ExtractHiddenTests` and :class:`JudgeHiddenTests`: the hidden tests
  leave the notebook before the student's kernel runs it, and afterwards the
  grader's own verdict is the only output of every test cell, so nothing the
  kernel printed or displayed can decide a score;
- :class:`RefuseOversizedNotebook`: a graded notebook too large to store is a
  failed submission, not a gigabyte in the gradebook's folders;
- :class:`HideHiddenTests`: feedback shows no hidden test, hidden traceback or
  hidden value.
"""

from __future__ import annotations

import json
import re

import nbformat
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Integer

from . import hidden
from .referee import ANSWER_MIMETYPE, judge

# Errors whose message was written for students and shows no hidden value.
PLAIN_WORDS = {"WrongAnswer", "AnswerFormError", "NotYetRight", "TestNotConfirmed", "TestNotJudged", "GradingLimit"}
SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
WITHHELD = "[withheld: this output showed part of a hidden test]"
RESOURCE_KEY = "leninsmoscow_hidden_tests"
LIMIT_ERROR = "GradingLimit"  # as leninsmoscow.sandbox.limits.ERROR_NAME, without importing the sandbox

NOT_CONFIRMED = (
    "this test did not run to its end, so it earns no points "
    "(the notebook stopped, the kernel died, or the check was interfered with)"
)
NOT_JUDGED = (
    "this test has no check the grader can judge, so it earns no points "
    "(release refuses such a test: tell your teacher)"
)


def is_autograded_test(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def passed_output(grade_id: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=f"✓ {grade_id}: checked\n")


def reporting_source(source: str, grade_id: str, checks: list[hidden.HiddenCheck]) -> str:
    """The test cell as the kernel runs it: visible tests, then answers handed to the grader."""
    lines = ["import leninsmoscow.grading.referee as _r"]
    lines += [f"_r.report({grade_id!r}, {index}, {check.answer_source})" for index, check in enumerate(checks)]
    return hidden.BLOCK.sub(lambda _: "\n".join(lines) + "\n", source, count=1)


def unjudgeable_tests(notebook) -> list[str]:
    """Autograded test cells whose checks the grader cannot take out of the kernel, with the reason.

    Release refuses a notebook with any: such a test would stay in the
    student's kernel, where code that ran before it can rewrite or answer it.
    """
    problems = []
    for cell in notebook.cells:
        if not is_autograded_test(cell):
            continue
        grade_id = cell.metadata["nbgrader"].get("grade_id", "?")
        block = hidden.hidden_block(cell.source)
        if block is None:
            problems.append(f"{grade_id}: no hidden test (every autograded test needs one the grader can judge)")
            continue
        try:
            hidden.checks_of(block)
        except hidden.UnrecognisedHiddenTest as problem:
            problems.append(f"{grade_id}: {problem}")
    return problems


class ExtractHiddenTests(NbGraderPreprocessor):
    """Take the hidden tests out of the notebook before the student's kernel runs it.

    A hidden test that runs in the student's kernel can be read and talked
    round by code that ran before it (an input transformer that rewrites the
    test, a replaced ``importlib.reload``). So the grader keeps each hidden
    check, the kernel only reports the answer it computed
    (:func:`leninsmoscow.grading.referee.report`), and
    :class:`JudgeHiddenTests` judges it after the run. The cell's source is put
    back afterwards, so the formgrader and the feedback see the test as written.
    A test whose checks cannot be taken out keeps nothing here and so scores
    nothing (release refuses such a test before it reaches students).
    """

    def preprocess(self, nb, resources):
        kept = resources.setdefault(RESOURCE_KEY, {})
        for cell in nb.cells:
            block = hidden.hidden_block(cell.source) if is_autograded_test(cell) else None
            if block is None:
                continue
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            try:
                checks = hidden.checks_of(block)
            except hidden.UnrecognisedHiddenTest as problem:
                self.log.error("Hidden test %s cannot be judged by the grader: %s", grade_id, problem)
                continue
            kept[grade_id] = {"source": cell.source, "checks": checks}
            cell.source = reporting_source(cell.source, grade_id, checks)
        return nb, resources


class JudgeHiddenTests(NbGraderPreprocessor):
    """Points for a test only from the grader's own verdict.

    nbgrader scores a test cell by its outputs: no error means full marks, and
    the first ``execute_result`` decides the score whatever follows it. Every
    output of a test cell comes from the student's kernel, which can forge
    them (a display hook called before the test, a last line turned into an
    expression, a patched ``report`` that returns a value). So after the run
    every output the kernel left in a test cell is removed, and the cell gets
    exactly one output, the verdict: passed only when the kernel reported one
    answer for each kept check, every answer is right and the cell raised no
    error. Text on stderr from honest code is therefore never held against it.
    """

    def preprocess_cell(self, cell, resources, index):
        if not is_autograded_test(cell):
            return cell, resources
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        kept = resources.get(RESOURCE_KEY, {}).get(grade_id)
        if kept is None:
            cell.outputs = [error_output("TestNotJudged", NOT_JUDGED)]
            return cell, resources
        cell.outputs = [verdict(cell.get("outputs", []), grade_id, kept["checks"])]
        cell.source = kept["source"]
        return cell, resources


def verdict(outputs: list, grade_id: str, checks: list[hidden.HiddenCheck]) -> NotebookNode:
    """The one output a judged test cell keeps."""
    failed = _first_error(outputs)
    if failed is not None:
        return error_output(str(failed.get("ename", "Error")), str(failed.get("evalue", "")))
    reports = _answer_reports(outputs, grade_id)
    for index, check in enumerate(checks):
        answers = reports.get(index, [])
        if len(answers) != 1:
            return error_output("TestNotConfirmed", NOT_CONFIRMED)
        failure = judge(check.kind, answers[0], check.expected, **check.options)
        if failure is not None:
            return error_output("WrongAnswer", failure)
    return passed_output(grade_id)


def _first_error(outputs: list):
    """The error to show: a limit the sandbox recorded, else the first error the cell raised."""
    errors = [output for output in outputs if output.get("output_type") == "error"]
    limits = [output for output in errors if output.get("ename") == LIMIT_ERROR]
    return (limits or errors or [None])[0]


def _answer_reports(outputs: list, grade_id: str) -> dict[int, list]:
    """Answers the kernel reported in this cell, by check number (anything malformed counts as a guess)."""
    found: dict[int, list] = {}
    for output in outputs:
        report = output.get("data", {}).get(ANSWER_MIMETYPE) if isinstance(output.get("data"), dict) else None
        if not isinstance(report, dict) or report.get("grade_id") != grade_id:
            continue
        try:
            found.setdefault(int(report["index"]), []).append(json.loads(report["answer"]))
        except Exception:  # noqa: BLE001 - malformed, huge or deeply nested: one more report, never a crash
            found.setdefault(-1, []).append(None)
    return found


class RefuseOversizedNotebook(NbGraderPreprocessor):
    """Fail a submission whose graded notebook would be larger than the gradebook's folders should hold.

    The sandbox bounds what the kernel prints, but a notebook also carries what
    the student handed in; a graded copy over the limit is refused with a
    reason instead of being written.
    """

    max_bytes = Integer(50 * 1024**2, help="Largest graded notebook written, in bytes.").tag(config=True)

    def preprocess(self, nb, resources):
        size = len(nbformat.writes(nb).encode("utf-8"))
        if size > self.max_bytes:
            raise NotebookTooLarge(
                f"the graded notebook would be {size / 1024**2:.0f} MiB, over the limit of "
                f"{self.max_bytes / 1024**2:.0f} MiB, so it is not written")
        return nb, resources


class NotebookTooLarge(ValueError):
    """A graded notebook over :attr:`RefuseOversizedNotebook.max_bytes`."""


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback that reveals nothing of the hidden tests.

    nbgrader's ClearHiddenTests removes the hidden lines from the cells, but a
    failed hidden check still shows them in its traceback, and a student cell
    that printed IPython's history (``print(In)``) shows them too. This runs
    before ClearHiddenTests: it collects every secret line, replaces a hidden
    test's error with a plain sentence, and withholds any output that repeats
    a secret line.
    """

    def preprocess(self, nb, resources):
        secrets = hidden.secret_lines([cell.get("source", "") for cell in nb.cells])
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if hidden.hidden_block(cell.source) is not None:
                cell.outputs = [self._without_traceback(output) for output in cell.outputs]
            cell.outputs = [self._withheld_if_revealing(output, secrets) for output in cell.outputs]
        return nb, resources

    @staticmethod
    def _without_traceback(output):
        if output.get("output_type") != "error":
            return output
        if output.get("ename") in PLAIN_WORDS:
            message = output.get("evalue", "")
        else:
            message = "a hidden test did not pass"
        return error_output(output.get("ename", "Error"), message)

    @staticmethod
    def _withheld_if_revealing(output, secrets):
        text = _output_text(output)
        if text and any(line in text for line in secrets):
            return NotebookNode(output_type="stream", name="stdout", text=WITHHELD + "\n")
        return output


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", [])) + output.get("evalue", "")
    data = output.get("data", {})
    return "\n".join(str(value) for value in data.values())


class RemoveSolutionMarkers(NbGraderPreprocessor):
    """An answer key that reads as one: the model answers without nbgrader's solution markers around them."""

    def preprocess_cell(self, cell, resources, index):
        lines = cell.source.splitlines()
        kept = [line for line in lines if not SOLUTION_MARKER.match(line)]
        if len(kept) != len(lines):
            cell.source = "\n".join(kept).strip("\n")
        return cell, resources
