"""Student content reaches the teacher's pages as inert text.

The graded notebook is cleaned by the autograding pipeline
(:mod:`leninsmoscow.grading.inert`); here the hostile submission of the demo's
class is cleaned and rendered exactly as the formgrader and the feedback
render it, and the pages are read for anything that could run. The same pages
rendered from the uncleaned notebook show that the check finds the attacks.
tests/browser/test_lab.py opens such a submission in Chromium, in a live
formgrader, as the teacher would.
"""

from __future__ import annotations

import json
import random

import nbformat
import pytest
from helpers import ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output, new_raw_cell

from leninsmoscow.grading import inert
from leninsmoscow.teacher import pages, synthetic

ASSIGNMENT = "war-communism"
PAYLOAD = synthetic.PAYLOAD


def released():
    return nbformat.read(ROOT / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def hostile_submission():
    """The demo's hostile student, with the outputs its code would leave after a run."""
    release = json.loads((ROOT / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    source = json.loads((ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    handed_in = synthetic.submission(synthetic.Student("1", "A B", "hostile HTML"), release, source, random.Random(1))
    notebook = nbformat.reads(json.dumps(handed_in), as_version=4)
    cell = next(c for c in notebook.cells if c.get("id") == "hostile-outputs")
    cell.outputs = [
        new_output("display_data", data={"text/html": f'<b>bold</b><img src=x onerror="{PAYLOAD}">', "text/plain": "<b>"}),
        new_output("display_data", data={"application/javascript": PAYLOAD, "text/plain": "<JS>"}),
        new_output("display_data", data={"image/svg+xml": f'<svg onload="{PAYLOAD}"><script>{PAYLOAD}</script></svg>'}),
        new_output("display_data", data={"image/png": f'iVBORw0KGgo="><script>{PAYLOAD}</script>'},
                   metadata={"width": f'1 onerror="{PAYLOAD}"'}),
        new_output("execute_result", data={"text/markdown": f"<script>{PAYLOAD}</script>",
                                           "text/latex": rf"$\href{{javascript:{PAYLOAD}}}{{x}}$"}, execution_count=3),
    ]
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                                   "version_minor": 0, "x": f"</script><script>{PAYLOAD}</script>"}}
    return notebook


@pytest.fixture(scope="module")
def harmless_pages():
    return pages.formgrader_page(released()), pages.feedback_page(released())


@pytest.mark.parametrize("render", ["formgrader", "feedback"])
def test_the_hostile_submission_runs_script_until_it_is_made_inert(render, harmless_pages):
    page = {"formgrader": pages.formgrader_page, "feedback": pages.feedback_page}[render]
    harmless = harmless_pages[0 if render == "formgrader" else 1]
    notebook = hostile_submission()
    found = pages.active_markup(page(notebook), harmless)
    assert any(PAYLOAD in part for part in found), "the attacks should show when nothing cleans them"
    inert.make_inert(notebook)
    cleaned = page(notebook)
    assert pages.active_markup(cleaned, harmless) == []
    assert "LENINSMOSCOW_PWNED" in cleaned, "the attempts stay visible to the teacher, as text"


def test_a_harmless_answer_is_left_exactly_as_written():
    text = "The NEP **kept** the monopoly of foreign trade; see [Lenin](https://www.marxists.org/).\n\n> a quotation\n\n1. one\n2. two"
    assert inert.inert_markdown(text) == text


@pytest.mark.parametrize("text", [
    "<script>x()</script>", "<img src=x onerror=x()>", "<svg/onload=x()>", "[a](javascript:x())",
    "[a]: javascript:x()\n\n[b][a]", "![i](/api/contents/solutions)", "$\\href{javascript:x()}{y}$",
    "<a href='javascript:x()'>a</a>", "![a](attachment:missing.png)", "<!-- x --><iframe src=//e.org>",
])
def test_markdown_that_could_run_or_load_is_neutralised(text):
    cleaned = inert.inert_markdown(text)
    assert inert.renders_safely(cleaned)
    page = pages.formgrader_page(nbformat.v4.new_notebook(cells=[new_markdown_cell(cleaned)]))
    empty = pages.formgrader_page(nbformat.v4.new_notebook(cells=[new_markdown_cell("x")]))
    assert pages.active_markup(page, empty) == []


def test_outputs_keep_text_tables_and_images_and_lose_everything_else():
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    outputs = [
        new_output("display_data", data={"text/html": "<table class='dataframe'><tr><td onclick='x()'>1</td></tr></table>",
                                         "text/plain": "a table"}, metadata={"isolated": True}),
        new_output("display_data", data={"image/png": png}),
        new_output("display_data", data={"application/javascript": "x()"}),
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "1"}, "text/plain": "HBox()"}),
        new_output("stream", name="stderr", text="careful\n"),
        {"output_type": "made_up", "data": {}},
    ]
    kept = [inert.inert_output(output) for output in outputs]
    assert kept[0].data == {"text/plain": "a table", "text/html": "<table><tbody><tr><td>1</td></tr></tbody></table>"}
    assert kept[0].metadata == {}
    assert kept[1].data == {"image/png": png}
    assert kept[2].data == {"text/plain": "[application/javascript output, shown as text]\nx()"}
    assert kept[3].data == {"text/plain": "HBox()"}
    assert kept[4] == new_output("stream", name="stderr", text="careful\n")
    assert kept[5] is None


def test_cells_keep_only_nbgraders_metadata_and_raw_cells_are_escaped():
    notebook = nbformat.v4.new_notebook(cells=[new_code_cell("x"), new_raw_cell("<script>x()</script>"),
                                               new_markdown_cell("ok")])
    notebook.cells[0].metadata = {"tags": ['"><script>x()</script>'], "nbgrader": {"grade_id": "answer-x", "solution": True},
                                  "editable": False, "collapsed": True}
    notebook.cells[1].metadata = {"raw_mimetype": "text/html"}
    notebook.cells[2].id = "not a valid id <b>"
    inert.make_inert(notebook)
    assert notebook.cells[0].metadata == {"nbgrader": {"grade_id": "answer-x", "solution": True}, "editable": False}
    assert notebook.cells[1].source == "&lt;script&gt;x()&lt;/script&gt;" and notebook.cells[1].metadata == {}
    assert inert.CELL_ID.match(notebook.cells[2].id)
    nbformat.validate(notebook)


def test_the_teachers_own_markdown_is_never_rewritten():
    from nbgrader.utils import compute_checksum

    cell = new_markdown_cell("Teacher's <b>bold</b> question")
    cell.metadata["nbgrader"] = {"grade_id": "written-x", "solution": True, "grade": True, "locked": False,
                                 "points": 2, "schema_version": 3, "task": False}
    cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
    notebook = nbformat.v4.new_notebook(cells=[cell])
    inert.make_inert(notebook)
    assert notebook.cells[0].source == "Teacher's <b>bold</b> question"
    notebook.cells[0].source += " <script>x()</script>"  # the student's text after it is the student's
    inert.make_inert(notebook)
    assert "<script>" not in notebook.cells[0].source
