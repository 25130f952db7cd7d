"""nbgrader preprocessors that make autograding and feedback trustworthy.

Both are configured in the course's ``nbgrader_config.py``; nbgrader composes
them with its own, so grading stays nbgrader's, with two rules added.
"""

from __future__ import annotations

import re

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution

from .referee import RECEIPT_MIMETYPE

HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
# Errors whose message was written for students and shows no hidden value.
PLAIN_WORDS = {"WrongAnswer", "AnswerFormError", "TestNotConfirmed"}
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


class RequireReceipts(NbGraderPreprocessor):
    """Points for a test only when its hidden check confirmed it.

    nbgrader gives full marks to a test cell with no error in its output, so a
    test that never ran (the kernel died or was told to exit) or whose error
    was swallowed would score. Here a test whose source calls the referee must
    also carry the referee's receipt. With the receipt in hand, text on stderr
    is a warning from honest code, not a failure, and is kept out of the grade.
    """

    def preprocess_cell(self, cell, resources, index):
        if not is_autograded_test(cell) or "passed(" not in cell.source:
            return cell, resources
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        has_error = any(output.get("output_type") == "error" for output in cell.outputs)
        if has_error:
            return cell, resources
        if grade_id not in receipts(cell):
            cell.outputs.append(
                error_output(
                    "TestNotConfirmed",
                    "this test did not run to its end, so it earns no points "
                    "(the notebook stopped, the kernel died, or the check was interfered with)",
                )
            )
            return cell, resources
        cell.outputs = [output for output in cell.outputs if not _is_stderr(output)]
        return cell, resources


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
