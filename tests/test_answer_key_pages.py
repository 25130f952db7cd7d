"""`leninsmoscow solutions`: the answer key a teacher hands out after marking.

The real assignments' keys are written from a copy of the course and read as a
student would: every question and every model answer is there, no line of a
hidden test and no nbgrader marker is. A teacher's slip that would leak a hidden
test (its line pasted into a question) makes the command fail and leaves no page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from helpers import ROOT, minicourse

from leninsmoscow.grading.hidden import secret_lines
from leninsmoscow.teacher import secrets

pytestmark = pytest.mark.slow

ASSIGNMENTS = ["war-communism", "united-front", "year-1923"]


def solutions_command(course, *args):
    return subprocess.run([sys.executable, "-m", "leninsmoscow.cli", "solutions", *args, "--course", str(course)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    first, *others = ASSIGNMENTS
    done = {first: solutions_command(course, first)}  # creates the gradebook, which two at once would race for
    with ThreadPoolExecutor(max_workers=2) as pool:
        done |= dict(zip(others, pool.map(lambda assignment: solutions_command(course, assignment), others)))
    return course, done


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_key_shows_questions_and_model_answers_and_no_hidden_test(keys, assignment):
    course, done = keys
    assert done[assignment].returncode == 0, done[assignment].stderr
    page = course / "dist" / "solutions" / assignment / f"{assignment}.html"
    text = secrets.html_text(page.read_text(encoding="utf-8"))
    source = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in source.cells:
        meta = cell.metadata["nbgrader"]
        first_line = next(line for line in cell.source.splitlines() if line.strip() and "###" not in line)
        if meta["grade_id"].startswith(("q-", "written-", "rubric-")):
            shown = re.sub(r"[`*]", "", first_line.lstrip("#> "))
            assert secrets.normalize(shown) in secrets.normalize(text), meta["grade_id"]
    hidden = [line for line in secret_lines([cell.source for cell in source.cells])]
    assert hidden
    assert not [line for line in hidden if secrets.normalize(line) in secrets.normalize(text)]
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "<script" not in page.read_text(encoding="utf-8"), "the page runs nothing and fetches nothing"


def test_a_key_that_would_show_a_hidden_test_is_removed(tmp_path, monkeypatch):
    """The page is read back, not trusted: had the steps kept the hidden tests, no page would be left."""
    from leninsmoscow.grading import pipeline
    from leninsmoscow.teacher.course import find_course
    from leninsmoscow.teacher.solutions import answer_key

    course = find_course(minicourse.make_course(tmp_path / "course", assignments=("mini",)))
    monkeypatch.setattr(pipeline, "SOLUTION", tuple(step for step in pipeline.SOLUTION if "ClearHiddenTests" not in step))
    said = []
    key = answer_key(course, "mini", say=said.append)
    assert not key.safe and any("hidden test" in str(finding) for finding in key.findings)
    assert "showed hidden tests, so it was removed" in said[0]
    assert not (course.root / "dist" / "solutions" / "mini").exists()
