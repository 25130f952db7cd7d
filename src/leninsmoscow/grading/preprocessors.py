"""nbgrader preprocessors that make autograding and feedback trustworthy.

Both are configured in the course's ``nbgrader_config.py``; nbgrader composes
them with its own, so grading stays nbgrader's, with two rules added.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution

from .referee import ANSWER_MIMETYPE, RECEIPT_MIMETYPE, judge

HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
# Errors whose message was written for students and shows no hidden value.
PLAIN_WORDS = {"WrongAnswer", "AnswerFormError", "TestNotConfirmed", "GradingLimit"}
WITHHELD = "[withheld: this output showed part of a hidden test]"


def is_autograded_test(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def receipts(cell: NotebookNode) -> set[str]:
    """grade_ids confirmed by the referee in this cell's outputs."""
    found = set()
    for output in cell.get("outputs", []):
        if output.get("output_type") in ("display_data", "execute_result"):
            receipt = output.get("data", {}).get(RECEIPT_MIMETYPE)
            if isinstance(receipt, dict) and isinstance(receipt.get("grade_id"), str):
                found.add(receipt["grade_id"])
    return found


def error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


CHECKS = ("expect", "expect_each")
OPTIONS = ("tolerance", "ordered", "message")
RESOURCE_KEY = "leninsmoscow_hidden_tests"


@dataclass(frozen=True)
class HiddenCheck:
    """One ``_r.expect(answer, expected, ...)`` of a hidden test, kept by the grader."""

    kind: str
    answer_source: str
    expected: object
    options: dict


class UnrecognisedHiddenTest(ValueError):
    """A hidden test written in a form the grader cannot take out of the kernel."""


def hidden_checks(block: str) -> list[HiddenCheck]:
    """The checks of a hidden block; raises UnrecognisedHiddenTest for anything else that computes."""
    tree = ast.parse(block)
    checks = []
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Assign)) or _is_receipt(call):
            continue  # the referee's import, reload and receipt: the grader does their job
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in CHECKS):
            raise UnrecognisedHiddenTest(f"line {statement.lineno}: only _r.expect(...) and _r.expect_each(...) can be judged by the grader")
        if len(call.args) != 2:
            raise UnrecognisedHiddenTest(f"line {statement.lineno}: give the answer and the expected value as two arguments")
        try:
            expected = ast.literal_eval(call.args[1])
            options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords if keyword.arg in OPTIONS}
        except ValueError:
            raise UnrecognisedHiddenTest(f"line {statement.lineno}: the expected value and options must be literals") from None
        checks.append(HiddenCheck(call.func.attr, ast.get_source_segment(block, call.args[0]), expected, options))
    return checks


def _is_receipt(call) -> bool:
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "passed"


def reporting_source(source: str, grade_id: str, checks: list[HiddenCheck]) -> str:
    """The test cell as the kernel runs it: visible tests, then answers handed to the grader."""
    lines = ["import leninsmoscow.grading.referee as _r"]
    lines += [f"_r.report({grade_id!r}, {index}, {check.answer_source})" for index, check in enumerate(checks)]
    return HIDDEN_BLOCK.sub(lambda _: "\n".join(lines) + "\n", source, count=1)


class ExtractHiddenTests(NbGraderPreprocessor):
    """Take the hidden tests out of the notebook before the student's kernel runs it.

    A hidden test that runs in the student's kernel can be read and talked
    round by code that ran before it (an input transformer that rewrites the
    test, a replaced ``importlib.reload``). So the grader keeps each hidden
    check, the kernel only reports the answer it computed
    (:func:`leninsmoscow.grading.referee.report`), and
    :class:`RequireReceipts` judges it after the run. The cell's source is put
    back afterwards, so the formgrader and the feedback see the test as written.
    """

    def preprocess(self, nb, resources):
        kept = resources.setdefault(RESOURCE_KEY, {})
        for cell in nb.cells:
            match = HIDDEN_BLOCK.search(cell.source) if is_autograded_test(cell) else None
            if match is None:
                continue
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            try:
                checks = hidden_checks(match.group(1))
            except (UnrecognisedHiddenTest, SyntaxError) as problem:
                self.log.warning("Hidden test %s stays in the kernel: %s", grade_id, problem)
                continue
            kept[grade_id] = {"source": cell.source, "checks": checks}
            cell.source = reporting_source(cell.source, grade_id, checks)
        return nb, resources


class RequireReceipts(NbGraderPreprocessor):
    """Points for a test only when its hidden check confirmed it.

    nbgrader gives full marks to a test cell with no error in its output, so a
    test that never ran (the kernel died or was told to exit) or whose error
    was swallowed would score. Here a test whose source calls the referee must
    also carry the referee's receipt. With the receipt in hand, text on stderr
    is a warning from honest code, not a failure, and is kept out of the grade.
    """

    def preprocess_cell(self, cell, resources, index):
        if not is_autograded_test(cell):
            return cell, resources
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        kept = resources.get(RESOURCE_KEY, {}).get(grade_id)
        if kept is not None:
            self._judge(cell, grade_id, kept["checks"])
            cell.source = kept["source"]
            return cell, resources
        if "passed(" not in cell.source:
            return cell, resources
        has_error = any(output.get("output_type") == "error" for output in cell.outputs)
        if has_error:
            return cell, resources
        if grade_id not in receipts(cell):
            cell.outputs.append(error_output("TestNotConfirmed", _NOT_CONFIRMED))
            return cell, resources
        cell.outputs = [output for output in cell.outputs if not _is_stderr(output)]
        return cell, resources


    def _judge(self, cell, grade_id: str, checks: list[HiddenCheck]) -> None:
        """Compare each reported answer with the kept expectation; only exactly one report counts."""
        reports = _answer_reports(cell, grade_id)
        cell.outputs = [output for output in cell.outputs if ANSWER_MIMETYPE not in output.get("data", {})]
        if any(output.get("output_type") == "error" for output in cell.outputs):
            return
        for index, check in enumerate(checks):
            answers = reports.get(index, [])
            if len(answers) != 1:
                cell.outputs.append(error_output("TestNotConfirmed", _NOT_CONFIRMED))
                return
            failure = judge(check.kind, answers[0], check.expected, **check.options)
            if failure is not None:
                cell.outputs.append(error_output("WrongAnswer", failure))
                return
        cell.outputs = [output for output in cell.outputs if not _is_stderr(output)]
        cell.outputs.append(NotebookNode(output_type="stream", name="stdout", text=f"✓ {grade_id}: checked\n"))


_NOT_CONFIRMED = (
    "this test did not run to its end, so it earns no points "
    "(the notebook stopped, the kernel died, or the check was interfered with)"
)


def _answer_reports(cell, grade_id: str) -> dict[int, list]:
    """Answers the kernel reported in this cell, by check number."""
    found: dict[int, list] = {}
    for output in cell.get("outputs", []):
        report = output.get("data", {}).get(ANSWER_MIMETYPE)
        if not isinstance(report, dict) or report.get("grade_id") != grade_id:
            continue
        try:
            found.setdefault(int(report["index"]), []).append(json.loads(report["answer"]))
        except (KeyError, TypeError, ValueError):
            found.setdefault(-1, []).append(None)
    return found


def _is_stderr(output) -> bool:
    return output.get("output_type") == "stream" and output.get("name") == "stderr"


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback that reveals nothing of the hidden tests.

    nbgrader's ClearHiddenTests removes the hidden lines from the cells, but a
    failed hidden check still shows them in its traceback, and a student cell
    that printed IPython's history (``print(In)``) shows them too. This runs
    before ClearHiddenTests: it collects every hidden line, replaces a hidden
    test's error with a plain sentence, and withholds any output that repeats
    a hidden line.
    """

    def preprocess(self, nb, resources):
        hidden_lines = self._hidden_lines(nb)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if HIDDEN_BLOCK.search(cell.source):
                cell.outputs = [self._without_traceback(output) for output in cell.outputs]
            cell.outputs = [self._withheld_if_revealing(output, hidden_lines) for output in cell.outputs]
        return nb, resources

    @staticmethod
    def _hidden_lines(nb) -> list[str]:
        lines = []
        for cell in nb.cells:
            for block in HIDDEN_BLOCK.findall(cell.get("source", "")):
                lines.extend(line.strip() for line in block.splitlines() if len(line.strip()) >= 12)
        return lines

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
    def _withheld_if_revealing(output, hidden_lines):
        text = _output_text(output)
        if text and any(line in text for line in hidden_lines):
            return NotebookNode(output_type="stream", name="stdout", text=WITHHELD + "\n")
        return output


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", [])) + output.get("evalue", "")
    data = output.get("data", {})
    return "\n".join(str(value) for value in data.values())
