"""The teacher's command line, fast: help, start-up cost, errors, secrets, statistics.

Reading exports (collect) is tested in test_collect.py.

The slow end-to-end cycle with real nbgrader runs is in test_cli_cycle.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from helpers import minicourse

from leninsmoscow.cli import COMMANDS, main
from leninsmoscow.teacher import secrets, stats, synthetic
from leninsmoscow.teacher.course import Course, CourseError, find_course

HEAVY = ("nbgrader", "pandas", "matplotlib", "sqlalchemy", "nbformat", "nbconvert")


def cli(*args, cwd=None, timeout=120):
    """The command as a teacher runs it, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "leninsmoscow.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return minicourse.make_course(tmp_path_factory.mktemp("course"))


# -- help and start-up -------------------------------------------------------------


def test_help_lists_every_command():
    result = cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_has_help(command):
    result = cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "--course" in result.stdout
    assert f"usage: leninsmoscow {command}" in result.stdout


@pytest.mark.parametrize("argv", [["--help"], *[[c, "--help"] for c in COMMANDS]], ids=lambda a: " ".join(a))
def test_help_imports_no_heavy_library(argv):
    probe = (
        "import sys\n"
        "from leninsmoscow.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


def test_top_level_help_loads_no_command_module():
    probe = ("import sys\nfrom leninsmoscow.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('leninsmoscow.')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "['leninsmoscow.cli']"


# -- errors: one line, no traceback, exit code not 0 ------------------------------


def _one_line_error(result, *needles):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert lines and "error" in lines[-1]
    for needle in needles:
        assert needle in result.stderr
    return lines[-1]


@pytest.mark.parametrize("command", ["collect", "grade", "feedback", "report"])
def test_unknown_assignment_is_one_line_listing_the_right_ones(course, command, tmp_path):
    args = [command, "no-such-assignment"] + ([tmp_path] if command == "collect" else [])
    line = _one_line_error(cli(*args, "--course", course), "unknown assignment 'no-such-assignment'", "mini, mini2")
    assert line.startswith(f"leninsmoscow {command}: error:")


def test_release_of_an_unknown_assignment(course):
    _one_line_error(cli("release", "nope", "--course", course), "unknown assignment 'nope'")


def test_demo_with_an_unknown_assignment(course):
    _one_line_error(cli("demo", "--assignment", "nope", "--course", course), "unknown assignment 'nope'")


def test_course_that_does_not_exist(tmp_path):
    _one_line_error(cli("grade", "mini", "--course", tmp_path / "missing"), "no such folder")


def test_folder_that_is_not_a_course(tmp_path):
    _one_line_error(cli("report", "mini", "--course", tmp_path), "not a course folder", "nbgrader_config.py")


def test_collect_from_a_missing_path_is_a_usage_error(course, tmp_path):
    result = cli("collect", "mini", tmp_path / "nothing.zip", "--course", course)
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr and "Traceback" not in result.stderr


def test_collect_from_a_file_that_is_no_zip(course, tmp_path):
    text = tmp_path / "export.txt"
    text.write_text("not a zip")
    _one_line_error(cli("collect", "mini", text, "--course", course), "neither a folder nor a zip file")


def test_collect_with_a_pattern_without_the_groups(course, tmp_path):
    _one_line_error(cli("collect", "mini", tmp_path, "--pattern", "(?P<who>.*)", "--course", course),
                    "needs the named groups")


def test_grade_without_submissions(course):
    _one_line_error(cli("grade", "mini", "--course", course), "no submissions of mini", "leninsmoscow collect")


@pytest.mark.parametrize("args, message", [
    (["grade", "mini", "--jobs", "0"], "less than 1"),
    (["grade", "mini", "--timeout", "soon"], "not a number"),
    (["demo", "--students", "12"], "at least 30"),
])
def test_bad_option_values_are_usage_errors(course, args, message):
    result = cli(*args, "--course", course)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_no_course_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("leninsmoscow.teacher.course.package_checkout", lambda: tmp_path)
    with pytest.raises(CourseError, match="no course here"):
        find_course()


def test_course_is_the_current_folder_first(course, monkeypatch):
    monkeypatch.chdir(course)
    assert find_course().root == course.resolve()


def test_course_defaults_to_the_repository_outside_a_course(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_course().root == ROOT


def test_main_returns_the_exit_code_and_prints_one_line(course, capsys):
    assert main(["report", "nope", "--course", str(course)]) == 1
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_course_reads_its_layout_without_nbgrader(course):
    layout = Course(course)
    assert layout.folder("source") == course / "solutions"
    assert layout.folder("release") == course / "assignments"
    assert layout.course_id == "leninsmoscow"
    assert layout.assignments() == ["mini", "mini2"]
    assert layout.db_url == f"sqlite:///{course / 'gradebook.db'}"
    assert Course(course, "postgresql://grader@db/course").db_url == "postgresql://grader@db/course"


# -- reading exports ------------------------------------------------------------------

# -- secrets -------------------------------------------------------------------------

HIDDEN = "### BEGIN HIDDEN TESTS\nimport importlib\n_r.expect(year, 1917)\n### END HIDDEN TESTS"


def _notebook(path: Path, *sources: str) -> Path:
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []}
                                          for s in sources], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_hidden_lines_leave_out_what_students_see_anyway(tmp_path):
    source = _notebook(tmp_path / "a.ipynb", "import importlib\nx = 1", HIDDEN,
                       'form.check(peak("Germany", "disputes"), "x")\n### BEGIN HIDDEN TESTS\n'
                       '_r.expect([\n    peak("Germany", "disputes"),\n    peak("Italy", "days lost"),\n], [1, 2])\n'
                       "### END HIDDEN TESTS")
    assert set(secrets.hidden_lines([source]).values()) == {"_r.expect(year, 1917)", 'peak("Italy", "days lost"),'}


def test_scan_finds_markers_and_copied_hidden_lines(tmp_path):
    hidden = {"_r.expect(year,1917)": "_r.expect(year, 1917)"}
    bundle = tmp_path / "bundle"
    (bundle / "notebooks").mkdir(parents=True)
    (bundle / "solutions").mkdir()
    _notebook(bundle / "notebooks" / "lesson.ipynb", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION")
    (bundle / "notes.py").write_text("if ok:\n        _r.expect( year,  1917)\n")
    (bundle / "fine.py").write_text('PATTERN = re.compile(r"### BEGIN HIDDEN TESTS(.*)")\n')
    found = {f.path: f.what for f in secrets.scan_folder(bundle, hidden, {"solutions"})}
    assert "BEGIN SOLUTION" in found["notebooks/lesson.ipynb"]
    assert "hidden test's line" in found["notes.py"]
    assert "solutions" in found
    assert "fine.py" not in found


def test_feedback_check_reads_highlighted_html(tmp_path):
    page = tmp_path / "feedback.html"
    page.write_text("<style>.n{}</style><pre><span class='n'>_r</span><span class='o'>.</span>"
                    "<span class='n'>expect</span>(year, 1917)</pre>")
    hidden = {"_r.expect(year,1917)": "_r.expect(year, 1917)"}
    assert secrets.feedback_findings(page, hidden, set())
    assert not secrets.feedback_findings(page, hidden, "if x:\n_r.expect(year,1917)")
    page.write_text("<pre>File .../leninsmoscow/grading/referee.py:120, in expect</pre>")
    assert "traceback" in str(secrets.feedback_findings(page, {}, set())[0])


# -- statistics ------------------------------------------------------------------------


def test_correlation():
    assert stats.correlation([(0, 0), (1, 1), (2, 2)]) == pytest.approx(1.0)
    assert stats.correlation([(0, 2), (1, 1), (2, 0)]) == pytest.approx(-1.0)
    assert stats.correlation([(1, 0), (1, 1), (1, 2)]) is None
    assert stats.correlation([(0, 0), (1, 1)]) is None


def test_item_statistics_leave_out_failed_and_ungraded_answers():
    items = [stats.Item("", "t1", 2, False), stats.Item("", "essay", 4, True)]
    rows = [
        stats.Row("a", "graded", {"t1": 2, "essay": 4}, total=6),
        stats.Row("b", "graded", {"t1": 0, "essay": 1}, total=1),
        stats.Row("c", "graded", {"t1": 2, "essay": 0}, {"essay"}, total=2),
        stats.Row("d", "failed: empty file", {"t1": 0, "essay": 0}, total=0),
    ]
    t1, essay = stats.item_stats(items, rows)
    assert (t1.n, t1.mean, t1.full) == (3, pytest.approx(4 / 3), pytest.approx(2 / 3))
    assert (essay.n, essay.mean, essay.full) == (2, 2.5, 0.5)
    queue = stats.manual_queue(items, rows)
    assert [(q["student"], q["item"]) for q in queue] == [("c", "essay")]


# -- the synthetic class ------------------------------------------------------------


def test_synthetic_class_has_a_realistic_spread():
    students = synthetic.make_class(30)
    kinds = [s.kind for s in students]
    assert len(set(s.id for s in students)) == 30
    assert kinds.count("right") >= 10 and kinds.count("partly right") >= 5 and kinds.count("blank") >= 2
    for kind in synthetic.SPECIAL:
        assert kind in kinds
    assert synthetic.make_class(30) == students
    assert len(synthetic.make_class(90)) == 90


def test_synthetic_answers_come_from_the_solution():
    code = "x = ...\n### BEGIN SOLUTION\nx = 3\ny = [1, 2]\n### END SOLUTION"
    assert synthetic.solution_text({"source": code}) == "x = ...\nx = 3\ny = [1, 2]"
    assert synthetic.assigned_names("x = 3\ny = [1]\ndef f():\n    return 1") == (["x", "y"], ["f"])


def test_nbgrader_loads_without_the_unused_iri_grammars():
    """The commands refuse rfc3987_syntax (seconds of grammar compiling per process); notebooks still validate."""
    probe = ("import sys\n"
             "from leninsmoscow.teacher.course import skip_unused_slow_imports\n"
             "skip_unused_slow_imports()\n"
             "import nbformat, nbgrader.api\n"
             "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))\n"
             "print(sorted(m for m in sys.modules if m.startswith(('rfc3987_syntax', 'lark')) and sys.modules[m]))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


# -- grading: what decides a re-run, and what is refused -------------------------------


def test_a_new_version_of_the_grading_code_grades_everything_again(course, tmp_path, monkeypatch):
    from leninsmoscow.teacher import grading as grade

    code = tmp_path / "grading"
    code.mkdir()
    (code / "referee.py").write_text("version = 1\n")
    monkeypatch.setattr(grade, "grading_code", lambda: [code])
    before = grade.source_checksum(Course(course), "mini")
    assert grade.source_checksum(Course(course), "mini") == before
    (code / "referee.py").write_text("version = 2\n")
    assert grade.source_checksum(Course(course), "mini") != before


def test_student_folders_that_cannot_be_ids_are_refused_and_the_others_graded(course):
    from leninsmoscow.teacher import grading as grade

    students = ["jdoe", "x" * 129, "bad\x1b[2Jname"]
    todo, summary = grade.plan(Course(course), "mini", students, {}, "sha", force=False)
    assert [student for student, _ in todo] == ["jdoe"]
    assert len(summary.refused) == 2 and not summary.complete
    assert all("\x1b" not in name for name in summary.refused)


def test_report_flags_scores_no_grading_can_give():
    from types import SimpleNamespace

    def grade(score, most, auto=None, manual=None, extra=None):
        return SimpleNamespace(score=score, max_score=most, auto_score=auto, manual_score=manual, extra_credit=extra)

    assert stats.score_checks("t", grade(2, 2, auto=2), graded_by_hand=False) == []
    assert stats.score_checks("essay", grade(3, 4, manual=3), graded_by_hand=True) == []
    assert stats.score_checks("t", grade(527, 27, auto=0, manual=527), graded_by_hand=False) == [
        "t: 527 is above the item's maximum of 27", "t: a test's score was set by hand to 527 (the grader gave 0)"]
    assert stats.score_checks("essay", grade(4, 4, manual=3, extra=1), graded_by_hand=True) == [
        "essay: 1 point(s) of extra credit"]


def test_release_refuses_a_hidden_test_the_grader_cannot_take_out_of_the_kernel(tmp_path):
    root = minicourse.make_course(tmp_path / "c", assignments=("mini",))
    path = root / "solutions" / "mini" / "mini.ipynb"
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        if cell["metadata"]["nbgrader"]["grade_id"] == "test-year":
            cell["source"] = "".join(cell["source"]).replace("_r.expect(year, 1917)", "assert year == 1917")
    path.write_text(json.dumps(notebook))
    result = cli("release", "--no-validate", "--course", root)
    assert result.returncode == 1
    assert "mini is not released" in result.stderr and "test-year" in result.stderr and "only _r.expect" in result.stderr
    assert not (root / "assignments").exists(), "nothing is generated for students"


def test_commands_only_wire_the_library():
    """No module below cli/ imports cli/, and no command imports another (the library does the work)."""
    import ast

    from leninsmoscow import cli

    package = ROOT / "src" / "leninsmoscow"
    commands = set(COMMANDS)
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        home = module if parts[-1] == "__init__" else module.rsplit(".", 1)[0]  # what `from .` means here
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = home.rsplit(".", node.level - 1)[0] if node.level > 1 else home
                target = ".".join(filter(None, [base if node.level else "", node.module or ""]))
                imported = [target, *(f"{target}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            for item in imported:
                if not module.startswith("leninsmoscow.cli"):
                    assert not item.startswith("leninsmoscow.cli"), f"{module} imports {item}"
                elif item.startswith("leninsmoscow.cli."):
                    assert item.split(".")[2] not in commands, f"{module} imports the command {item}"
    assert cli.add_sandbox_argument  # shared options live in cli/__init__, not in a command


def test_receipts_read_without_sqlalchemy_match_what_was_written(tmp_path):
    """`grade` decides there is nothing new from the SQLite file directly; it must read what Receipts wrote."""
    from leninsmoscow.teacher import receipts as stored

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    assert stored.load(url, "leninsmoscow", "mini") == {}  # no file yet
    book = stored.Receipts(url, "leninsmoscow")
    assert stored.load(url, "leninsmoscow", "mini") == {}  # a table with no rows
    written = stored.Receipt("anna", "a" * 64, "b" * 64, "failed", "the file is empty", 1.5, stored.now())
    book.record("mini", written)
    book.record("other", stored.Receipt("boris", "c" * 64, "d" * 64, "graded", "", 2.0, stored.now()))
    assert stored.load(url, "leninsmoscow", "mini") == {"anna": written} == book.load("mini")
    assert stored.load(url, "another-course", "mini") == {}
    book.close()
