"""Quick checks of the graded assignments' files, without running nbgrader.

tests/test_assignments.py grades real submissions end to end; these catch, in a
second, the slips that would make that grading untrustworthy or confusing: a
hidden test the grader cannot judge, points that do not add up to the
stated total, a rubric missing from the docs, a solution left in the student's
copy, a quotation that is not the review's words, stale test submissions.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
from helpers import ROOT

from leninsmoscow import data

ASSIGNMENTS = ["war-communism", "united-front", "year-1923"]
DOCS = ROOT / "docs" / "assignments.md"
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)
GRADE_ID = re.compile(r"^(test|answer|written|rubric|q|part)-[a-z0-9]+(-[a-z0-9]+)*$|^(intro|setup)$")
CURLY_QUOTE = re.compile(r"“([^”]+)”")


from submissions import make_submissions  # noqa: E402


def source(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def release(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def autograded_tests(nb) -> list:
    return [cell for cell in nb.cells if nbgrader(cell).get("grade") and not nbgrader(cell).get("solution")]


def written_answers(nb) -> list:
    return [cell for cell in nb.cells if nbgrader(cell).get("grade") and nbgrader(cell).get("solution")]


@pytest.fixture(params=ASSIGNMENTS)
def assignment(request) -> str:
    return request.param


def test_each_assignment_has_a_source_and_a_release(assignment):
    assert (ROOT / "solutions" / assignment / f"{assignment}.ipynb").is_file()
    assert (ROOT / "assignments" / assignment / f"{assignment}.ipynb").is_file()
    assert [path.name for path in (ROOT / "assignments" / assignment).iterdir()] == [f"{assignment}.ipynb"]


def test_grade_ids_are_unique_and_say_what_they_grade(assignment):
    ids = [nbgrader(cell)["grade_id"] for cell in source(assignment).cells if nbgrader(cell)]
    assert len(ids) == len(set(ids))
    for grade_id in ids:
        assert GRADE_ID.match(grade_id), f"{grade_id!r} does not say what it is (test-..., answer-..., written-...)"


def test_points_add_up_to_the_total_the_first_cell_states(assignment):
    nb = source(assignment)
    auto = sum(nbgrader(cell)["points"] for cell in autograded_tests(nb))
    manual = sum(nbgrader(cell)["points"] for cell in written_answers(nb))
    first = nb.cells[0].source
    assert f"**Total: {auto + manual} points** ({auto} marked automatically, {manual} by your teacher)" in first
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", first)


PART = re.compile(r"^## Part ([A-C]) — .*\(about (\d+) minutes\)$")
WRITTEN = re.compile(r"^### (W\d) — .*; about (\d+) minutes\)$")


def timed_sections(nb) -> dict[str, tuple[int, int]]:
    """{"A": (minutes, points), ..., "W1": (minutes, points)}: each part's stated time and the points it carries."""
    sections, current = {}, None
    for cell in nb.cells:
        heading = cell.source.splitlines()[0] if cell.source else ""
        found = PART.match(heading) or WRITTEN.match(heading)
        if found:
            current = found.group(1)
            sections[current] = (int(found.group(2)), 0)
        elif heading.startswith("## "):
            current = None
        meta = nbgrader(cell)
        if meta.get("grade") and current:
            minutes, points = sections[current]
            sections[current] = (minutes, points + meta["points"])
    return sections


def test_points_follow_the_time_each_part_takes(assignment):
    """The issue's fair points: a part worth more time is worth more points, within a third of the average rate."""
    nb = source(assignment)
    sections = timed_sections(nb)
    total_points = sum(nbgrader(cell)["points"] for cell in nb.cells if nbgrader(cell).get("grade"))
    assert sum(points for _, points in sections.values()) == total_points, "a graded item outside a timed part"
    rate = total_points / sum(minutes for minutes, _ in sections.values())
    for name, (minutes, points) in sections.items():
        assert 0.7 <= points / minutes / rate <= 1.3, f"part {name}: {points} points for {minutes} minutes"
    stated = re.search(r"\*\*Time:\*\* about (\d+) minutes: (.*)\.", nb.cells[0].source)
    assert stated and int(stated.group(1)) == sum(minutes for minutes, _ in sections.values())
    listed = dict(re.findall(r"(Part [A-C]|W\d) (\d+)", stated.group(2)))
    assert {name.removeprefix("Part "): int(minutes) for name, minutes in listed.items()} == \
        {name: minutes for name, (minutes, _) in sections.items()}


def test_every_question_states_its_points(assignment):
    nb = source(assignment)
    for index, cell in enumerate(nb.cells):
        meta = nbgrader(cell)
        if not meta.get("grade"):
            continue
        prompt = nb.cells[index - 1 if meta.get("solution") else index - 2]
        points = meta["points"]
        assert f"({points} point" in prompt.source.splitlines()[0], f"{meta['grade_id']}: the question does not say {points} points"


def test_every_test_cell_follows_its_answer_cell(assignment):
    """nbgrader puts a deleted test back after the cell before it, which must be its answer."""
    cells = source(assignment).cells
    for index, cell in enumerate(cells):
        if nbgrader(cell).get("grade") and not nbgrader(cell).get("solution"):
            grade_id = nbgrader(cell)["grade_id"]
            answer = nbgrader(cells[index - 1])
            assert answer.get("solution") and make_submissions.graded_by(answer["grade_id"]) == grade_id


def test_every_test_cell_checks_form_then_holds_checks_the_grader_can_judge(assignment):
    from leninsmoscow.grading.preprocessors import unjudgeable_tests

    for cell in autograded_tests(source(assignment)):
        visible, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS\n")
        assert "form.check_" in visible, f"{nbgrader(cell)['grade_id']}: no visible form check"
        assert rest.rstrip().endswith("### END HIDDEN TESTS")
    assert unjudgeable_tests(source(assignment)) == []


def _referee_calls(cell):
    hidden = HIDDEN.search(cell.source).group(1)
    for node in ast.walk(ast.parse(hidden)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("_r.expect", "_r.expect_each"):
            yield node


def _texts_and_numbers(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _texts_and_numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts_and_numbers(item)
    else:
        yield value


def test_hidden_tests_compare_with_literals_and_never_show_them(assignment):
    for cell in autograded_tests(source(assignment)):
        grade_id = nbgrader(cell)["grade_id"]
        calls = list(_referee_calls(cell))
        assert calls, f"{grade_id}: no referee check"
        assert "data." not in HIDDEN.search(cell.source).group(1), f"{grade_id}: hidden tests must not load data"
        for call in calls:
            expected = ast.literal_eval(call.args[1])
            message = ast.literal_eval(next(k.value for k in call.keywords if k.arg == "message"))
            for value in _texts_and_numbers(expected):
                shown = str(value)
                if len(shown) > 2:
                    assert shown not in message, f"{grade_id}: the failure message gives away {shown!r}"


def rubric_levels(rubric: str) -> list[tuple[int, int]]:
    """The (lowest, highest) points of each level of a rubric's table, top level first."""
    bands = []
    for row in rubric.splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"\d+(–\d+)?", cells[1]):
            low, _, high = cells[1].partition("–")
            bands.append((int(low), int(high or low)))
    return bands


def test_every_written_answer_has_a_rubric_of_levels_beside_it_and_in_the_docs(assignment):
    """Levels from the full mark down to 0, with no gap and no overlap, as in the issue's "what a 2, 4, 6 looks like"."""
    cells = source(assignment).cells
    docs = DOCS.read_text(encoding="utf-8")
    for index, cell in enumerate(cells):
        meta = nbgrader(cell)
        if not (meta.get("grade") and meta.get("solution")):
            continue
        assert cell.cell_type == "markdown"
        rubric = cells[index + 1]
        assert nbgrader(rubric).get("locked") and rubric.cell_type == "markdown"
        assert rubric.source.startswith("**Rubric for") and f"({meta['points']} points)" in rubric.source.splitlines()[0]
        bands = rubric_levels(rubric.source)
        assert len(bands) >= 4, f"{meta['grade_id']}: a rubric of levels has at least four"
        assert bands[0][1] == meta["points"] and bands[-1] == (0, 0), f"{meta['grade_id']}: levels {bands}"
        for higher, lower in zip(bands, bands[1:]):
            assert lower[1] == higher[0] - 1, f"{meta['grade_id']}: levels {higher} and {lower} leave a gap or overlap"
        assert "from outside the course" in rubric.source, f"{meta['grade_id']}: no rule for sourced outside knowledge"
        table = "\n".join(row for row in rubric.source.splitlines() if row.startswith("|"))
        assert table in docs, f"{meta['grade_id']}: rubric table missing from docs/assignments.md"
        assert f"`{meta['grade_id']}`" in docs


def test_every_model_answer_keeps_to_the_word_limit_its_question_sets(assignment):
    """A model that runs past its own limit teaches students and markers that the limit is loose."""
    cells = source(assignment).cells
    for index, cell in enumerate(cells):
        meta = nbgrader(cell)
        if not (meta.get("grade") and meta.get("solution")):
            continue
        question = cells[index - 1].source
        low, high = map(int, re.search(r"(\d+)–(\d+) words", question).groups())
        words = len(SOLUTION.search(cell.source).group(1).split())
        assert low <= words <= high, f"{meta['grade_id']}: the model answer has {words} words, the question asks {low}–{high}"


def test_every_test_cell_can_tell_a_student_at_once_that_an_answer_is_wrong(assignment):
    """Beyond its form: a case the question works or a property every right answer has (Data 8's public tests)."""
    for cell in autograded_tests(source(assignment)):
        visible = cell.source.partition("### BEGIN HIDDEN TESTS")[0]
        assert "form.check_example(" in visible or "form.check_property(" in visible, nbgrader(cell)["grade_id"]


def test_docs_give_each_assignment_its_objectives_time_prerequisites_and_points(assignment):
    docs = DOCS.read_text(encoding="utf-8")
    section = docs.split(f"(`{assignment}`)")[1].split("\n## ")[0]
    nb = source(assignment)
    total = sum(nbgrader(cell)["points"] for cell in nb.cells if nbgrader(cell).get("grade"))
    for label in ("**Time:**", "**Prerequisites:**", "Objectives", f"**Points:** {total} in all"):
        assert label in section
    for cell in autograded_tests(nb) + written_answers(nb):
        assert f"`{nbgrader(cell)['grade_id']}` |" in section


def test_the_release_holds_no_solution_and_no_hidden_test(assignment):
    text = (ROOT / "assignments" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "_r.expect", "_r.passed", "referee"):
        assert marker not in text
    for cell in source(assignment).cells:
        for block in SOLUTION.findall(cell.source):
            for line in block.splitlines():
                if len(line.strip()) > 12:
                    assert line.strip() not in text, f"solution line left in the student's copy: {line!r}"


def test_the_assignments_use_no_widgets(assignment):
    for cell in source(assignment).cells:
        if cell.cell_type == "code":
            assert "widgets" not in cell.source and "Output(" not in cell.source


def test_quotations_are_the_reviews_words_from_the_data(assignment):
    texts = data.load("quotations")["text"].tolist()
    for cell in source(assignment).cells:
        if cell.cell_type != "markdown":
            continue
        for quoted in CURLY_QUOTE.findall(cell.source):
            quoted = " ".join(quoted.split())  # a line break in markdown is a space
            assert any(quoted in text for text in texts), f"not in data/quotations.csv: “{quoted}”"


def test_the_solution_notebook_names_only_known_rows(assignment):
    """Ids in backticks that look like rows of the data must be rows of the data."""
    known = set()
    for name, key in (("events", "event_id"), ("policies", "policy_id"), ("quotations", "quote_id"),
                      ("people", "person_id"), ("congresses", "congress_id"), ("documents", "document_id"),
                      ("historians", "position_id")):
        known |= set(data.load(name)[key])
    for cell in source(assignment).cells:
        if cell.cell_type != "markdown":
            continue
        for name in re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", cell.source):
            assert name in known, f"`{name}` is not a row of the course data"


def test_the_test_submissions_are_up_to_date():
    expected = make_submissions.expected_files()
    committed = {path for assignment in ASSIGNMENTS for path in (ROOT / "tests" / "submissions" / assignment).glob("*.ipynb")}
    assert committed == set(expected), "run tests/submissions/make_submissions.py"
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run tests/submissions/make_submissions.py"


def test_every_answer_cell_has_a_wrong_answer_for_the_test_cases(assignment):
    spec = make_submissions.SPECS[assignment]
    answers = {nbgrader(cell)["grade_id"] for cell in source(assignment).cells
               if nbgrader(cell).get("solution") and cell.cell_type == "code"}
    assert set(spec.wrong) == answers


def test_the_teachers_notebook_is_built_from_its_text(assignment):
    """solutions/ is what `make assignments` builds from solutions-text/: the text is what reviewers read."""
    from tools import assignments as builder

    built = builder.build(builder.TEXTS / f"{assignment}.md")
    cells = [(cell.id, cell.cell_type, cell.source, cell.metadata) for cell in source(assignment).cells]
    assert cells == [(cell.id, cell.cell_type, cell.source, cell.metadata) for cell in built.cells], \
        f"solutions/{assignment} is stale: run make assignments"


def test_the_builder_refuses_a_cell_it_cannot_grade_as_meant(tmp_path):
    from tools import assignments as builder

    text = tmp_path / "broken.md"
    text.write_text("---\njupytext:\n  text_representation:\n    format_name: myst\n---\n\n"
                    "+++ {\"grade_id\": \"test-sum\"}\n\nA test cell without its points.\n", encoding="utf-8")
    with pytest.raises(builder.AuthoringError, match="states its points"):
        builder.build(text)
    text.write_text(text.read_text(encoding="utf-8").replace('{"grade_id": "test-sum"}', "{}"), encoding="utf-8")
    with pytest.raises(builder.AuthoringError, match="no grade_id"):
        builder.build(text)
