"""The grading core, without nbgrader runs: what the referee accepts, how the grader judges reports,
that nothing the kernel leaves in a test cell can decide its score, and the pipeline's steps."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.utils import determine_grade

from leninsmoscow.grading import hidden, pipeline, preprocessors, referee

HIDDEN_CELL = '''form.check_list(order, "order", length=2)
### BEGIN HIDDEN TESTS
import leninsmoscow.grading.referee as _r
_r.expect(order, ["a", "b"], message="The order is not right yet.")
_r.expect_each(pair, {"x": 1.0}, tolerance=0.01)
### END HIDDEN TESTS
'''
RIGHT = None  # set below: the kernel's reports of right answers


def graded_cell(source: str = HIDDEN_CELL, grade_id: str = "test-order"):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": 2, "schema_version": 3, "task": False}
    return cell


def report(grade_id: str, index: int, answer) -> dict:
    return new_output("display_data", data={referee.ANSWER_MIMETYPE: {"grade_id": grade_id, "index": index,
                                                                       "answer": json.dumps(answer)}})


RIGHT = [report("test-order", 0, ["a", "b"]), report("test-order", 1, {"x": 1.001})]


def extract_then_judge(outputs_for_kernel_source, source: str = HIDDEN_CELL) -> tuple:
    notebook = new_notebook(cells=[graded_cell(source)])
    resources: dict = {}
    notebook, resources = preprocessors.ExtractHiddenTests().preprocess(notebook, resources)
    cell = notebook.cells[0]
    ran = cell.source
    cell.outputs = outputs_for_kernel_source(ran)
    notebook, resources = preprocessors.JudgeHiddenTests().preprocess(notebook, resources)
    return ran, notebook.cells[0]


def errors(cell) -> list[str]:
    return [f"{output.ename}: {output.evalue}" for output in cell.outputs if output.output_type == "error"]


def score(cell) -> float:
    return determine_grade(cell)[0]


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


@pytest.mark.parametrize("answer", [10**400, [[[[[[[[1]]]]]]]], {"k": 10**400}])
def test_an_answer_the_judge_cannot_compare_is_wrong_not_a_crash(answer):
    assert referee.judge("expect", answer, 1.5, tolerance=0.1) is not None
    assert referee.judge("expect_each", {"k": answer}, {"k": 2.5}, tolerance=0.1) is not None


# --- hidden tests leave the kernel --------------------------------------------------------


def test_the_kernel_sees_no_expected_value():
    ran, _ = extract_then_judge(lambda source: [])
    assert "### BEGIN HIDDEN TESTS" not in ran
    assert '"a", "b"' not in ran and "1.0" not in ran and "not right yet" not in ran
    assert "_r.report('test-order', 0, order)" in ran and "_r.report('test-order', 1, pair)" in ran
    assert ran.startswith('form.check_list(order, "order", length=2)')


def test_right_answers_pass_the_source_is_restored_and_a_warning_costs_nothing():
    _, cell = extract_then_judge(lambda source: [*RIGHT, new_output("stream", name="stderr", text="FutureWarning: honest\n")])
    assert cell.source == HIDDEN_CELL
    assert cell.outputs == [preprocessors.passed_output("test-order")]
    assert score(cell) == 2


def test_a_wrong_answer_fails_with_the_teachers_message():
    _, cell = extract_then_judge(lambda source: [report("test-order", 0, ["b", "a"]), report("test-order", 1, {"x": 1.0})])
    assert errors(cell) == ["WrongAnswer: The order is not right yet."]
    assert score(cell) == 0


@pytest.mark.parametrize("outputs", [
    [],  # the kernel died or the report was suppressed
    [report("test-order", 0, ["a", "b"])],  # one check never reported
    [report("test-order", 0, ["b", "a"]), report("test-order", 0, ["a", "b"]), report("test-order", 1, {"x": 1.0})],  # guesses
    [report("another-test", 0, ["a", "b"]), report("another-test", 1, {"x": 1.0})],  # someone else's answers
    [new_output("display_data", data={referee.ANSWER_MIMETYPE: {"grade_id": "test-order", "index": 0,
                                                                 "answer": "[" * 100_000}}), RIGHT[1]],  # too deep to read
])
def test_missing_repeated_foreign_or_unreadable_reports_earn_nothing(outputs):
    _, cell = extract_then_judge(lambda source: outputs)
    assert [error.split(":")[0] for error in errors(cell)] == ["TestNotConfirmed"]
    assert score(cell) == 0


def test_an_error_in_the_cell_is_the_verdict_even_after_right_reports():
    failed = new_output("error", ename="AnswerFormError", evalue="`order` should be a list", traceback=["long"])
    _, cell = extract_then_judge(lambda source: [*RIGHT, failed])
    assert errors(cell) == ["AnswerFormError: `order` should be a list"] and len(cell.outputs) == 1


def test_a_limit_the_sandbox_recorded_is_the_verdict():
    killed = new_output("error", ename="GradingLimit", evalue="killed: ran longer than 10 minutes", traceback=[])
    other = new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[])
    _, cell = extract_then_judge(lambda source: [other, killed])
    assert errors(cell) == ["GradingLimit: killed: ran longer than 10 minutes"]


# Each is what a student's code can make the kernel put in a test cell, ahead of or
# instead of its reports: a display hook called before the test, a last line made an
# expression, a patched report that returns a value. nbgrader reads the first
# execute_result of a cell as its score, and a non-numeric one as full marks.
FORGED = {
    "display hook": [new_output("execute_result", data={"text/plain": "'full marks'"}, execution_count=1)],
    "numeric result": [new_output("execute_result", data={"text/plain": "2"}, execution_count=1)],
    "display of a report": [new_output("display_data", data={"text/plain": "✓ test-order: checked"})],
    "stdout verdict": [new_output("stream", name="stdout", text="✓ test-order: checked\n")],
}


@pytest.mark.parametrize("kind", sorted(FORGED))
def test_outputs_the_kernel_forged_never_decide_the_score(kind):
    """Blank answers (no reports) with a forged output first: the forgery is dropped, the score is 0."""
    _, cell = extract_then_judge(lambda source: [*FORGED[kind], *[]])
    assert errors(cell) == [f"TestNotConfirmed: {preprocessors.NOT_CONFIRMED}"]
    assert len(cell.outputs) == 1 and score(cell) == 0


@pytest.mark.parametrize("kind", sorted(FORGED))
def test_a_forged_output_beside_right_answers_leaves_only_the_verdict(kind):
    _, cell = extract_then_judge(lambda source: [*FORGED[kind], *RIGHT])
    assert cell.outputs == [preprocessors.passed_output("test-order")] and score(cell) == 2


def test_a_test_without_a_judgeable_hidden_block_scores_nothing_and_release_names_it():
    visible_only = 'form.check_list(order, "order", length=2)\nassert order == ["a", "b"]\n'
    odd = HIDDEN_CELL.replace('_r.expect(order, ["a", "b"], message="The order is not right yet.")',
                              "assert order == ['a', 'b']")
    for source in (visible_only, odd):
        ran, cell = extract_then_judge(lambda source: [*RIGHT], source=source)
        assert ran == source, "an unjudgeable test is not rewritten"
        assert errors(cell) == [f"TestNotJudged: {preprocessors.NOT_JUDGED}"] and score(cell) == 0
    notebook = new_notebook(cells=[graded_cell(visible_only, "test-a"), graded_cell(odd, "test-b"), graded_cell()])
    problems = preprocessors.unjudgeable_tests(notebook)
    assert [p.split(":")[0] for p in problems] == ["test-a", "test-b"]
    assert "only _r.expect" in problems[1]


@pytest.mark.parametrize("block", [
    "import os\n_r.expect(x, 1)\n",          # anything but a check
    "_r.expect(x, compute())\n",             # an expected value that is not a literal
    "_r.expect(x)\n",                        # no expected value
    "_r.expect(x, 1, hint=2)\n",             # an option the grader does not know
    "other.expect(x, 1)\n",                  # not the referee
    "",                                      # no check at all
    "import leninsmoscow.grading.referee as _r\n",  # the import alone
    "_r.expect(x, 1)\nimport leninsmoscow.grading.referee as _r\n",  # the import only comes first
])
def test_hidden_blocks_the_grader_cannot_keep_are_refused(block):
    with pytest.raises(hidden.UnrecognisedHiddenTest):
        hidden.checks_of(block)


# --- the pipeline --------------------------------------------------------------------------


def test_the_pipeline_keeps_nbgraders_own_steps_in_nbgraders_order():
    """A new nbgrader that adds, drops or reorders a step fails here, not in a class's grades."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_feedback import GenerateFeedback
    from nbgrader.converters.generate_solution import GenerateSolution

    nbgraders = [pipeline.dotted(step) for step in Autograde.class_traits()["autograde_preprocessors"].default()]
    ours = [step for step in pipeline.AUTOGRADE if not step.startswith("leninsmoscow.")]
    assert ours == nbgraders
    feedback = [pipeline.dotted(step) for step in GenerateFeedback.class_traits()["preprocessors"].default()]
    # nbgrader's feedback keeps hidden tests; the course adds nbgrader's own ClearHiddenTests after its step
    assert [step for step in pipeline.FEEDBACK if not step.startswith("leninsmoscow.")] == [
        feedback[0], "nbgrader.preprocessors.ClearHiddenTests", *feedback[1:]]
    solution = [pipeline.dotted(step) for step in GenerateSolution.class_traits()["preprocessors"].default()]
    # nbgrader's solution keeps hidden tests; the answer key clears them before the notebook runs
    assert [step for step in pipeline.SOLUTION if not step.startswith("leninsmoscow.")] == [
        *solution[:-1], "nbgrader.preprocessors.ClearHiddenTests", solution[-1]]


def test_every_step_of_the_pipelines_can_be_loaded():
    from traitlets.utils.importstring import import_item

    for step in {*pipeline.autograde(sandboxed=True), *pipeline.AUTOGRADE, *pipeline.FEEDBACK, *pipeline.SOLUTION}:
        assert callable(import_item(step)), step


def test_the_course_config_uses_the_pipeline_and_imports_no_nbgrader_class():
    from helpers import ROOT

    from leninsmoscow.teacher.course import find_course

    course = find_course(ROOT)
    assert course.setting("Autograde", "autograde_preprocessors") == pipeline.autograde()
    assert course.setting("GenerateFeedback", "preprocessors") == list(pipeline.FEEDBACK)
    assert "import nbgrader" not in (ROOT / "nbgrader_config.py").read_text()
    assert pipeline.validation() == [step for step in pipeline.AUTOGRADE if step not in pipeline.GRADEBOOK_STEPS]


def test_a_graded_notebook_over_the_limit_is_refused():
    notebook = new_notebook(cells=[new_code_cell("x = 1")])
    notebook.cells[0].outputs = [new_output("stream", name="stdout", text="x" * 3000)]
    step = preprocessors.RefuseOversizedNotebook(max_bytes=2000)
    with pytest.raises(preprocessors.NotebookTooLarge, match="over the limit"):
        step.preprocess(notebook, {})
    preprocessors.RefuseOversizedNotebook(max_bytes=5000).preprocess(notebook, {})


# --- feedback -------------------------------------------------------------------------------


def test_feedback_withholds_outputs_that_repeat_hidden_lines_and_hidden_tracebacks():
    cell = graded_cell()
    cell.outputs = [new_output("error", ename="AssertionError", evalue="", traceback=['_r.expect(order, ["a", "b"], message="The order is not right yet.")'])]
    printer = new_code_cell("print(In)")
    printer.outputs = [new_output("stream", name="stdout", text=HIDDEN_CELL)]
    notebook, _ = preprocessors.HideHiddenTests().preprocess(new_notebook(cells=[cell, printer]), {})
    assert notebook.cells[0].outputs[0].traceback == ["AssertionError: a hidden test did not pass"]
    assert notebook.cells[1].outputs[0].text == preprocessors.WITHHELD + "\n"


def test_secret_lines_leave_out_what_students_see_anyway():
    visible_too = 'form.check_list(order, "order", length=2)\n### BEGIN HIDDEN TESTS\n' \
                  'form.check_list(order,  "order", length=2)\n_r.expect(order, ["a"])\n### END HIDDEN TESTS\n'
    assert hidden.secret_lines([visible_too]) == ['_r.expect(order, ["a"])']


# --- visible checks that can say "wrong" ---------------------------------------------------


def test_a_worked_case_tells_a_student_at_once_that_an_answer_is_wrong():
    from leninsmoscow.grading import form

    form.check_example("before", "before", "timing", why="")
    with pytest.raises(form.NotYetRight, match=r"`timing` should be 'cannot tell', as the question shows; it is str 'before'"):
        form.check_example("before", "cannot tell", "timing", why="Compare years.")
    with pytest.raises(form.NotYetRight):
        form.check_example(1, True, "flag", why="True is not 1 here")
    import pandas as pd

    with pytest.raises(form.NotYetRight):  # a Series compared with a value is not an error, just wrong
        form.check_example(pd.Series([1, 2]), 1, "count", why="")


def test_a_property_every_right_answer_has_is_checked_in_plain_words():
    from leninsmoscow.grading import form

    form.check_property(90 < 118 < 150, why="")
    with pytest.raises(form.NotYetRight, match="Not yet right: between 90 and 150 days"):
        form.check_property(90 < 119 < 100, why="between 90 and 150 days")


def test_a_laptop_course_has_an_exchange_and_jupyterhub_keeps_its_own(tmp_path, monkeypatch):
    from helpers import ROOT

    """The formgrader warns when its exchange is missing; a laptop course brings one, the hub's is left alone."""
    import shutil

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from leninsmoscow.teacher.course import find_course

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    monkeypatch.delenv("LENINSMOSCOW_EXCHANGE", raising=False)
    config = find_course(tmp_path).nbgrader_config()
    assert config.Exchange.root == str(tmp_path / "exchange")
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    assert not api.exchange_missing and api.exchange_root == str(tmp_path / "exchange")
    monkeypatch.setenv("LENINSMOSCOW_EXCHANGE", "/srv/nbgrader/exchange")
    assert "root" not in find_course(tmp_path).nbgrader_config().Exchange
