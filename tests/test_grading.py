"""The grading core, without nbgrader: what the referee accepts and how the grader judges reports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from leninsmoscow.grading import preprocessors, referee

HIDDEN_CELL = '''form.check_list(order, "order", length=2)
### BEGIN HIDDEN TESTS
import importlib, leninsmoscow.grading.referee as _r
_r = importlib.reload(_r)
_r.expect(order, ["a", "b"], message="The order is not right yet.")
_r.expect_each(pair, {"x": 1.0}, tolerance=0.01)
_r.passed("test-order")
### END HIDDEN TESTS
'''


def graded_cell(source: str = HIDDEN_CELL, grade_id: str = "test-order"):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": 2, "schema_version": 3, "task": False}
    return cell


def report(grade_id: str, index: int, answer) -> dict:
    return new_output("display_data", data={referee.ANSWER_MIMETYPE: {"grade_id": grade_id, "index": index,
                                                                       "answer": json.dumps(answer)}})


def extract_then_judge(outputs_for_kernel_source) -> tuple:
    notebook = new_notebook(cells=[graded_cell()])
    resources: dict = {}
    notebook, resources = preprocessors.ExtractHiddenTests().preprocess(notebook, resources)
    cell = notebook.cells[0]
    ran = cell.source
    cell.outputs = outputs_for_kernel_source(ran)
    notebook, resources = preprocessors.RequireReceipts().preprocess(notebook, resources)
    return ran, notebook.cells[0]


def errors(cell) -> list[str]:
    return [f"{output.ename}: {output.evalue}" for output in cell.outputs if output.output_type == "error"]


# --- the referee -----------------------------------------------------------------------


def test_plain_accepts_numbers_text_lists_and_numpy_scalars():
    import numpy as np

    assert referee.plain([np.int64(3), "a", (1.5, None), {"k": np.float64(2.0)}]) == [3, "a", [1.5, None], {"k": 2.0}]


@pytest.mark.parametrize("impostor", [type("Liar", (int,), {"__eq__": lambda self, other: True})(1),
                                      type("LiarList", (list,), {"__eq__": lambda self, other: True})([1]),
                                      object()])
def test_plain_refuses_objects_that_are_not_plain_values(impostor):
    with pytest.raises(referee.WrongAnswer):
        referee.plain(impostor)


def test_same_compares_numbers_within_a_relative_tolerance_and_keeps_bools_apart():
    assert referee.same(100.5, 100.0, tolerance=0.01)
    assert not referee.same(102.0, 100.0, tolerance=0.01)
    assert not referee.same(True, 1)
    assert referee.same({"a": [1, 2]}, {"a": [1, 2]})
    assert not referee.same({"a": [1, 2]}, {"a": [2, 1]})


def test_unordered_expectation_ignores_order_only():
    referee.expect(["b", "a"], ["a", "b"], ordered=False)
    with pytest.raises(referee.WrongAnswer):
        referee.expect(["b", "b"], ["a", "b"], ordered=False)


def test_the_referee_is_not_fooled_by_patched_builtins():
    code = (
        "import builtins\n"
        "from leninsmoscow.grading import referee\n"
        "builtins.isinstance = lambda *a: True\nbuiltins.all = lambda *a: True\nbuiltins.len = lambda x: 2\n"
        "builtins.list = tuple\nbuiltins.type = lambda x: list\nbuiltins.range = lambda *a: [0, 1]\n"
        "try:\n    referee.expect(['x'], ['a', 'b'])\nexcept referee.WrongAnswer:\n    print('refused')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "refused", result.stderr


def test_judge_gives_the_teachers_message_and_never_the_expected_value():
    message = referee.judge("expect", ["b", "a"], ["a", "b"], message="The order is not right yet.")
    assert message == "The order is not right yet."
    assert referee.judge("expect_each", {"x": 1.0, "y": 0}, {"x": 1.0, "y": 2}) == "Some items are not correct. (1 of 2 right)"
    assert referee.judge("expect", 3, 3) is None


# --- hidden tests leave the kernel --------------------------------------------------------


def test_the_kernel_sees_no_expected_value():
    ran, _ = extract_then_judge(lambda source: [])
    assert "### BEGIN HIDDEN TESTS" not in ran
    assert '"a", "b"' not in ran and "1.0" not in ran and "not right yet" not in ran
    assert "_r.report('test-order', 0, order)" in ran and "_r.report('test-order', 1, pair)" in ran
    assert ran.startswith('form.check_list(order, "order", length=2)')


def test_right_answers_pass_and_the_source_is_restored():
    _, cell = extract_then_judge(lambda source: [report("test-order", 0, ["a", "b"]), report("test-order", 1, {"x": 1.001}),
                                                 new_output("stream", name="stderr", text="FutureWarning: honest\n")])
    assert errors(cell) == []
    assert cell.source == HIDDEN_CELL
    assert not any(output.get("name") == "stderr" for output in cell.outputs), "a warning must not cost points"


def test_a_wrong_answer_fails_with_the_teachers_message():
    _, cell = extract_then_judge(lambda source: [report("test-order", 0, ["b", "a"]), report("test-order", 1, {"x": 1.0})])
    assert errors(cell) == ["WrongAnswer: The order is not right yet."]


@pytest.mark.parametrize("outputs", [
    [],  # the kernel died or the report was suppressed
    [report("test-order", 0, ["a", "b"])],  # one check never reported
    [report("test-order", 0, ["b", "a"]), report("test-order", 0, ["a", "b"]), report("test-order", 1, {"x": 1.0})],  # guesses
    [report("another-test", 0, ["a", "b"]), report("another-test", 1, {"x": 1.0})],  # someone else's answers
])
def test_missing_repeated_or_foreign_reports_earn_nothing(outputs):
    _, cell = extract_then_judge(lambda source: outputs)
    assert [error.split(":")[0] for error in errors(cell)] == ["TestNotConfirmed"]


def test_an_error_in_the_cell_is_left_for_nbgrader_to_score():
    failed = new_output("error", ename="AnswerFormError", evalue="`order` should be a list", traceback=[])
    _, cell = extract_then_judge(lambda source: [failed])
    assert errors(cell) == ["AnswerFormError: `order` should be a list"]


def test_a_hidden_test_the_grader_cannot_take_out_stays_in_the_kernel():
    odd = HIDDEN_CELL.replace('_r.expect(order, ["a", "b"], message="The order is not right yet.")', "assert order == ['a', 'b']")
    notebook = new_notebook(cells=[graded_cell(odd)])
    notebook, resources = preprocessors.ExtractHiddenTests().preprocess(notebook, {})
    assert notebook.cells[0].source == odd
    assert resources[preprocessors.RESOURCE_KEY] == {}


# --- feedback -------------------------------------------------------------------------------


def test_feedback_withholds_outputs_that_repeat_hidden_lines_and_hidden_tracebacks():
    cell = graded_cell()
    cell.outputs = [new_output("error", ename="AssertionError", evalue="", traceback=['_r.expect(order, ["a", "b"], message="The order is not right yet.")'])]
    printer = new_code_cell("print(In)")
    printer.outputs = [new_output("stream", name="stdout", text=HIDDEN_CELL)]
    notebook, _ = preprocessors.HideHiddenTests().preprocess(new_notebook(cells=[cell, printer]), {})
    assert notebook.cells[0].outputs[0].traceback == ["AssertionError: a hidden test did not pass"]
    assert notebook.cells[1].outputs[0].text == preprocessors.WITHHELD + "\n"
