"""Make the student submissions that tests/test_assignments.py autogrades.

Every case starts from the released notebook in assignments/<assignment>/ (what a
student receives) and changes only what that student would change: it fills in
answer cells, or tampers with the notebook the way the case's name says. The
right answers are taken from the teacher's notebook in solutions/, so after an
assignment changes, run

    .venv/bin/python tests/submissions/make_submissions.py

and commit the result; tests/test_assignment_files.py fails until the committed
cases match what this script makes.

``SPECS`` records which answer each case tampers with, and :func:`zeroed_tests`
turns that into the tests a case must score nothing on, so the end-to-end test
can say exactly which grades every case earns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from leninsmoscow.teacher import synthetic

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
# A notebook from the wrong assignment, handed in under this assignment's name.
OTHER_ASSIGNMENT = {"war-communism": "united-front", "united-front": "year-1923", "year-1923": "war-communism"}
# Files nbgrader cannot grade at all: it logs an error and leaves their grades empty.
UNGRADABLE = {"exit", "corrupt-json", "empty-file", "other-assignment", "deleted-written"}

SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")

# ----------------------------------------------------------------- the cheats
# Each is code a student could type into an answer cell. None of them may earn
# the points of the test it is aimed at.

AGREEABLE = '''\
class _Agreeable(list):
    """Says it equals anything."""
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = None
'''

PATCH_BUILTINS = '''\
import builtins, pandas
builtins.all = lambda *args, **kwargs: True
builtins.sorted = lambda iterable, *args, **kwargs: list(iterable)
pandas.testing.assert_frame_equal = lambda *args, **kwargs: None
pandas.testing.assert_series_equal = lambda *args, **kwargs: None
pandas.Series.equals = lambda self, other: True
pandas.DataFrame.equals = lambda self, other: True
'''

PATCH_REFEREE = '''\
import leninsmoscow.grading.referee as referee
from leninsmoscow.grading import form as _form
referee.expect = referee.expect_each = lambda *args, **kwargs: None
referee.same = lambda *args, **kwargs: True
referee.plain = lambda value, depth=0: value
for _name in ("check_number", "check_text", "check_list", "check_mapping"):
    setattr(_form, _name, lambda *args, **kwargs: None)
'''

SWALLOW_ERRORS = '''\
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
'''

# Sleeps rather than spins, so that the suite does not burn a core for the timeout.
ENDLESS_LOOP = '''\
import time
while True:
    time.sleep(0.5)
'''

# Code that runs before the hidden test and tries to change how it runs. Both would beat a
# referee inside the kernel; the grader judges answers outside it (docs/assignments.md, "Limits").
PATCH_RELOAD = '''\
import importlib
import leninsmoscow.grading.referee as referee
importlib.reload = lambda module: module
referee.expect = referee.expect_each = lambda *args, **kwargs: None
'''

REWRITE_TESTS = '''\
def _skip_checks(lines):
    return [line.replace("_r.expect_each(", "(lambda *a, **k: None)(").replace("_r.expect(", "(lambda *a, **k: None)(")
            for line in lines]
get_ipython().input_transformers_cleanup.append(_skip_checks)
'''

# Hands the grader many answers at once, hoping one of them is right: only a single report counts.
FORGE_ANSWERS = '''\
import re as _re
def _guess_answers(lines):
    guessed = []
    for line in lines:
        match = _re.match(r"_r\\.report\\(('[^']+'), (\\d+), ", line)
        if match:
            guessed += [f"_r.report({match.group(1)}, {match.group(2)}, {guess})\\n" for guess in range(60, 100)]
        guessed.append(line)
    return guessed
get_ipython().input_transformers_cleanup.append(_guess_answers)
'''

# Forged results: a blank notebook plus one cell. Before the grader's verdict became the only
# output of a test cell, nbgrader read the first execute_result of a test cell as its score,
# and any value that is not a number as full marks.
FORGE_DISPLAYHOOK = '''\
def _forge(info):
    if "_r.report(" in info.raw_cell:
        get_ipython().displayhook("full marks")
get_ipython().events.register("pre_run_cell", _forge)
'''

FORGE_EXPRESSION = '''\
def _last_line_a_value(lines):
    if not any("_r.report(" in line for line in lines):
        return lines
    body = ["    " + line if line.strip() else line for line in lines]
    return ["try:\\n", *body, "\\nexcept BaseException:\\n    pass\\n", "'full marks'\\n"]
get_ipython().input_transformers_cleanup.append(_last_line_a_value)
'''

# With the visible checks silenced, the report line runs on the blank answers, and the
# value the patched report returns became the test cell's result.
FORGE_REPORT = '''\
import leninsmoscow.grading.referee as _referee
from leninsmoscow.grading import form as _form
_referee.report = lambda *args, **kwargs: "full marks"
for _name in ("check_number", "check_text", "check_list", "check_mapping"):
    setattr(_form, _name, lambda *args, **kwargs: None)
'''

FORGERIES = {"forged-displayhook": FORGE_DISPLAYHOOK, "forged-expression": FORGE_EXPRESSION,
             "forged-report": FORGE_REPORT}

# Every answer wrong in a way that passes every visible check, with the written answers done:
# what a student who trusted the visible checks alone would hand in. It must score nothing.
VISIBLE_ONLY = "visible-checks-only"

WARN = 'import warnings\n    warnings.warn("pandas may warn about honest code; that costs nothing", UserWarning)\n'


@dataclass
class Spec:
    """What the cases of one assignment change, by the grade_id of the answer cell."""

    function: str  # answer cell that defines the function the test calls
    wrong: dict[str, str]  # answer cell -> code giving a wrong answer that passes every visible check
    partial_wrong: list[str]  # answer cells the "partial" student gets wrong
    partial_blank_written: list[str]  # written answers the "partial" student leaves blank
    targets: dict[str, str] = field(default_factory=dict)  # cheat case -> answer cell it is aimed at
    agreeable: tuple[str, str] | None = None  # (answer cell, code handing in an _Agreeable list)
    exits: bool = False  # whether to include the case that ends the kernel with exit()
    deletes_written: str | None = None  # a written answer cell deleted by editing the file


# Cheats that attack the shared grading code (the referee, the receipts,
# nbgrader's restoring of cells) are each tried on one assignment, to keep the
# end-to-end test short; what depends on an assignment's own cells (its function
# question, a deleted test cell, its hidden lines in the feedback) is tried on
# all three. Aiming another cheat at another assignment is one line below.
SPECS = {
    "war-communism": Spec(
        function="answer-timing",
        wrong={
            # the March Action and the treaty of Riga put before the decision, as if it were the decree's day
            "answer-decision-timing": (
                'decision_timing = {"E1": "cannot tell", "E2": "before", "E3": "before", "E4": "before", '
                '"E5": "before", "E6": "after", "E7": "before", "E8": "before"}'),
            "answer-concessions-gap": "concessions_days = 119  # both ends counted",
            # a month treated as if known to the day
            "answer-timing": (
                "def timing(event_id, day):\n"
                '    shape = {"day": "%Y-%m-%d", "month": "%Y-%m-%d", "year": "%Y"}\n'
                '    row = events.set_index("event_id").loc[event_id]\n'
                '    known = row["date_start"].strftime(shape[row["precision"]])\n'
                '    asked = pd.Timestamp(day).strftime(shape[row["precision"]])\n'
                '    return "before" if known < asked else "after" if known > asked else "cannot tell"'),
            "answer-civil-war-measures": (
                'war_measures = {"M1": "during", "M2": "during", "M3": "no date", "M4": "during", "M5": "outside", '
                '"M6": "during", "M7": "no date"}'),
            # Ida Mett's book of 1938 taken for a witness's account
            "answer-accounts-kinds": (
                'account_kinds = {"K1": "before the archives", "K2": "at the time", "K3": "at the time", '
                '"K4": "before the archives", "K5": "before the archives", "K6": "before the archives"}'),
        },
        deletes_written="written-kronstadt-nep",
        partial_wrong=["answer-decision-timing", "answer-timing", "answer-accounts-kinds"],
        partial_blank_written=["written-kronstadt-nep"],
        targets={
            "deleted-test": "answer-decision-timing",
            "patched-referee": "answer-civil-war-measures",
            "patched-reload": "answer-accounts-kinds",
            "rewritten-tests": "answer-concessions-gap",
        },
    ),
    "united-front": Spec(
        function="answer-change",
        wrong={
            "answer-change": (
                "def change(country, measure, first_year, second_year):\n"
                '    values = strikes.set_index(["country", "measure", "year"])["value"]\n'
                "    first, second = (country, measure, first_year), (country, measure, second_year)\n"
                "    if first not in values.index or second not in values.index:\n"
                "        return None\n"
                "    return round(float(values[second] / values[first]), 1)"),
            "answer-subsiding": (
                'subsiding = {label: "supported" for label in SERIES}\nsubsiding["S2"] = subsiding["S6"] = "no data"'),
            "answer-turn-order": 'turn_order = ["U4", "U2", "U7", "U1", "U3", "U6", "U5"]',
            "answer-action-to-congress": "action_days = 83  # both ends counted",
            # the Executive's letter of December 1921 taken to be before its theses of the 18th
            "answer-theses-timing": (
                'theses_timing = {"T1": "after", "T2": "before", "T3": "before", "T4": "before", '
                '"T5": "after", "T6": "before", "T7": "cannot tell", "T8": "before"}'),
            "answer-theses-to-berlin": "berlin_days = 106  # both ends counted",
            # Macnair's review of 2013 taken for an older work
            "answer-accounts-kinds": (
                'account_kinds = {"A1": "since the archives", "A2": "at the time", "A3": "before the archives", '
                '"A4": "at the time", "A5": "at the time", "A6": "before the archives"}'),
        },
        agreeable=("answer-turn-order", 'turn_order = _Agreeable(["U4", "U2", "U7", "U1", "U3", "U6", "U5"])'),
        partial_wrong=["answer-change", "answer-theses-timing", "answer-accounts-kinds"],
        partial_blank_written=["written-why-united-front", "written-french-resistance"],
        targets={
            "deleted-test": "answer-theses-timing",
            "edited-test": "answer-subsiding",
            "forged-answers": "answer-action-to-congress",
            "patched-builtins": "answer-accounts-kinds",
        },
        exits=True,
    ),
    "year-1923": Spec(
        function="answer-price-in-marks",
        wrong={
            # rounded to pfennigs, which is wrong once prices are small numbers of marks
            "answer-price-in-marks": (
                "def price_in_marks(price_1914, month):\n"
                '    rates = hyperinflation.set_index(hyperinflation["month"].dt.strftime("%Y-%m"))["marks_per_dollar"]\n'
                '    return round(float(price_1914 * rates[month] / rates["1914-07"]), 2)'),
            # every fall counted, however small
            "answer-recovered": (
                'recovered = ["1921-01", "1921-02", "1921-05", "1921-12", "1922-01", "1922-05", "1923-03"]'),
            # the Reich's move against Saxony (29 October) read as before the conference
            "answer-chemnitz-timing": (
                'chemnitz_timing = {"G1": "after", "G2": "before", "G3": "before", "G4": "after", '
                '"G5": "cannot tell", "G6": "before", "G7": "after", "G8": "before", "G9": "before"}'),
            "answer-resistance-to-chemnitz": "chemnitz_days = 26  # both ends counted",
            # Trotsky's account of 1924 counted as looking back
            "answer-accounts-kinds": (
                'account_kinds = {"H1": "before the archives", "H2": "at the time", "H3": "before the archives", '
                '"H4": "before the archives", "H5": "before the archives", "H6": "since the archives"}'),
        },
        partial_wrong=["answer-recovered", "answer-price-in-marks", "answer-resistance-to-chemnitz"],
        partial_blank_written=["written-german-october", "written-decisive-year"],
        targets={
            "deleted-test": "answer-chemnitz-timing",
            "swallowed-errors": "answer-recovered",
            "endless-loop": "answer-resistance-to-chemnitz",
        },
    ),
}


def zeroed_tests(assignment: str, case: str) -> set[str]:
    """The autograded tests a gradable case must score nothing on (all others: full marks)."""
    spec = SPECS[assignment]
    if case in ("blank", VISIBLE_ONLY) or case in FORGERIES:
        return {graded_by(answer_id) for answer_id in spec.wrong}
    if case == "partial":
        return {graded_by(answer_id) for answer_id in spec.partial_wrong}
    if case == "agreeable-object" and spec.agreeable:
        return {graded_by(spec.agreeable[0])}
    if case == "sys-exit":  # the function ends the kernel's cell: its test and every answer that calls it
        return {graded_by(answer_id) for answer_id in callers(assignment, spec.function)}
    if case == "forged-answers":  # its transformer spoils every test from its own cell on
        return tests_from(assignment, graded_by(spec.targets[case]))
    if case in spec.targets:
        return {graded_by(spec.targets[case])}
    return set()


def callers(assignment: str, function_answer: str) -> set[str]:
    """The answer cell that defines a function and every answer cell that calls it."""
    answers = solution_sources(assignment)
    name = re.search(r"def (\w+)\(", answers[function_answer]).group(1)
    return {answer_id for answer_id, source in answers.items()
            if answer_id.startswith("answer-") and (answer_id == function_answer or f"{name}(" in source)}


def tests_from(assignment: str, first_test: str) -> set[str]:
    """The autograded tests from first_test to the end of the notebook."""
    tests = [cell.metadata["nbgrader"]["grade_id"] for cell in released(assignment).cells
             if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")]
    return set(tests[tests.index(first_test):])


def blank_written(assignment: str, case: str) -> set[str]:
    """Written answers a gradable case leaves as released (scored 0 for no response)."""
    if case == "partial":
        return set(SPECS[assignment].partial_blank_written)
    if case == "blank" or case in FORGERIES:
        return {cell.metadata["nbgrader"]["grade_id"] for cell in released(assignment).cells
                if cell.metadata.get("nbgrader", {}).get("solution") and cell.metadata["nbgrader"].get("grade")}
    return set()


# ----------------------------------------------------------------- notebooks

def released(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)


def solution_sources(assignment: str) -> dict[str, str]:
    """The teacher's answer for every answer cell, without the solution markers."""
    source = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [line for line in cell.source.splitlines() if not SOLUTION_MARKER.match(line)]
            answers[meta["grade_id"]] = "\n".join(lines)
    return answers


def setup_index(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")


def cell(nb, grade_id: str):
    for item in nb.cells:
        if item.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return item
    raise KeyError(grade_id)


def graded_by(answer_id: str) -> str:
    """The grade_id of the test cell that grades an answer cell."""
    return "test-" + answer_id.removeprefix("answer-")


def answered(assignment: str, *, skip_written=()) -> nbformat.NotebookNode:
    """The released notebook with every answer filled in from the solutions."""
    nb = released(assignment)
    for grade_id, source in solution_sources(assignment).items():
        if grade_id not in skip_written:
            cell(nb, grade_id).source = source
    return nb


def with_function_prelude(source: str, prelude: str) -> str:
    """Insert lines at the top of the function body in an answer cell."""
    head, _, body = source.partition(":\n")
    return f"{head}:\n    {prelude}{body}"


CHEAT_CODE = {
    "patched-builtins": PATCH_BUILTINS,
    "patched-referee": PATCH_REFEREE,
    "swallowed-errors": SWALLOW_ERRORS,
    "endless-loop": ENDLESS_LOOP,
    "patched-reload": PATCH_RELOAD,
    "rewritten-tests": REWRITE_TESTS,
    "forged-answers": FORGE_ANSWERS,
    "deleted-test": "",
    "edited-test": "",
}


def honest_cases(assignment: str) -> dict[str, nbformat.NotebookNode]:
    """Work handed in as students do: complete, blank, half right, noisy, nosy."""
    spec = SPECS[assignment]
    made = {"solution": answered(assignment), "blank": released(assignment)}

    nb = answered(assignment, skip_written=spec.partial_blank_written)
    for answer_id in spec.partial_wrong:
        cell(nb, answer_id).source = spec.wrong[answer_id]
    made["partial"] = nb

    nb = answered(assignment)
    function = cell(nb, spec.function)
    function.source = with_function_prelude(function.source, WARN)
    made["warning"] = nb

    nb = answered(assignment)
    for answer_id, wrong in spec.wrong.items():
        cell(nb, answer_id).source = wrong
    made[VISIBLE_ONLY] = nb

    nb = answered(assignment)
    spy = nbformat.v4.new_code_cell("print(In)")
    spy.id = "student-spy"
    nb.cells.append(spy)
    made["print-history"] = nb
    return made


def cheat_cases(assignment: str) -> dict[str, nbformat.NotebookNode]:
    """Right answers everywhere except one, which a cheat tries to pass off."""
    spec = SPECS[assignment]
    made = {}
    if spec.agreeable:
        nb = answered(assignment)
        target, code = spec.agreeable
        cell(nb, target).source = AGREEABLE + code
        made["agreeable-object"] = nb

    nb = answered(assignment)
    function = cell(nb, spec.function)
    function.source = with_function_prelude(function.source, "import sys\n    sys.exit()\n")
    made["sys-exit"] = nb

    if spec.exits:
        nb = answered(assignment)
        first_answer = next(iter(spec.wrong))
        cell(nb, first_answer).source += "\nexit()"
        made["exit"] = nb

    if spec.deletes_written:
        nb = answered(assignment)
        nb.cells.remove(cell(nb, spec.deletes_written))
        made["deleted-written"] = nb

    for case, code in FORGERIES.items():
        nb = released(assignment)
        forger = nbformat.v4.new_code_cell(code)
        forger.id = "student-forger"
        nb.cells.insert(setup_index(nb) + 1, forger)
        made[case] = nb

    nb = answered(assignment)
    synthetic.make_hostile(nb)
    made["hostile-html"] = nbformat.reads(json.dumps(nb), as_version=4)

    for case, target in spec.targets.items():
        nb = answered(assignment)
        cell(nb, target).source = CHEAT_CODE[case] + spec.wrong[target]
        if case == "deleted-test":
            nb.cells.remove(cell(nb, graded_by(target)))
        if case == "edited-test":
            test = cell(nb, graded_by(target))
            test.source = "pass"
            test.metadata["nbgrader"]["points"] = 100
        made[case] = nb
    return made


def broken_files(assignment: str) -> dict[str, nbformat.NotebookNode | str]:
    """Files nbgrader cannot grade: the wrong notebook, broken JSON, nothing at all."""
    text = nbformat.writes(released(assignment))
    return {
        "other-assignment": answered(OTHER_ASSIGNMENT[assignment]),
        "corrupt-json": text[: len(text) // 2],
        "empty-file": "",
    }


def cases(assignment: str) -> dict[str, nbformat.NotebookNode | str]:
    """Every case of one assignment: a notebook, or raw text for the broken files."""
    return {**honest_cases(assignment), **cheat_cases(assignment), **broken_files(assignment)}


def rendered(case: nbformat.NotebookNode | str) -> str:
    return case if isinstance(case, str) else nbformat.writes(case) + "\n"


def expected_files() -> dict[Path, str]:
    """Every file this script writes, with its text."""
    files = {}
    for assignment in SPECS:
        for name, case in cases(assignment).items():
            files[HERE / assignment / f"{name}.ipynb"] = rendered(case)
    return files


def main() -> None:
    files = expected_files()
    for assignment in SPECS:
        for old in (HERE / assignment).glob("*.ipynb"):
            if old not in files:
                old.unlink()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} submissions under {HERE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
