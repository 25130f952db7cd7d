"""Hidden tests as the teacher writes them: one rule for what they are and what they hold.

A hidden test is the block of a test cell between nbgrader's markers (the
lines BEGIN HIDDEN TESTS and END HIDDEN TESTS, each after ``###``), below the
visible checks students run themselves, for example
``_r.expect(order, ["a", "b", "c"], message="The order is not right yet.")``.
Every line inside the block must be a check the grader can take out of the
student's kernel: ``_r.expect(answer, expected, ...)`` or
``_r.expect_each(answer, expected, ...)`` with a literal expected value and
literal options, after at most the line that names the checks
(:data:`IMPORT`, so that the teacher's notebook also runs in Jupyter). The
grader keeps those values; the kernel only computes the answer. Release refuses a test written any other way, because code left in the
kernel can be read and talked round by the student's code.

The same module says which lines are secret (:func:`secret_lines`): the
feedback cleaner, the leak checks of the student bundle and of the feedback,
and their tests all use it, so that they agree on what must never be shown.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"
BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
CHECKS = ("expect", "expect_each")
OPTIONS = ("tolerance", "ordered", "message")
IMPORT = "import leninsmoscow.grading.referee as _r"
# Shorter hidden lines (a bracket, "]") are too common to count as secrets.
MIN_LINE = 12
_SPACE = re.compile(r"\s+")


class UnrecognisedHiddenTest(ValueError):
    """A hidden test written in a form the grader cannot take out of the kernel."""


@dataclass(frozen=True)
class HiddenCheck:
    """One ``_r.expect(answer, expected, ...)`` of a hidden test, kept by the grader."""

    kind: str
    answer_source: str
    expected: object
    options: dict


def hidden_block(source: str) -> str | None:
    """The text of a cell's hidden block, or None when it has none."""
    match = BLOCK.search(source)
    return match.group(1) if match else None


def checks_of(block: str) -> list[HiddenCheck]:
    """The checks of a hidden block; UnrecognisedHiddenTest for anything else in it."""
    try:
        tree = ast.parse(block)
    except SyntaxError as error:
        raise UnrecognisedHiddenTest(f"line {error.lineno}: not valid Python ({error.msg})") from None
    statements = tree.body[1:] if tree.body and ast.unparse(tree.body[0]) == IMPORT else tree.body
    checks = [_check(block, statement) for statement in statements]
    if not checks:
        raise UnrecognisedHiddenTest("the hidden block holds no check")
    return checks


def _check(block: str, statement: ast.stmt) -> HiddenCheck:
    call = statement.value if isinstance(statement, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in CHECKS
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "_r"):
        raise UnrecognisedHiddenTest(
            f"line {statement.lineno}: a hidden test may hold only _r.expect(...) and _r.expect_each(...) lines")
    if len(call.args) != 2:
        raise UnrecognisedHiddenTest(f"line {statement.lineno}: give the answer and the expected value as two arguments")
    unknown = [keyword.arg for keyword in call.keywords if keyword.arg not in OPTIONS]
    if unknown:
        raise UnrecognisedHiddenTest(f"line {statement.lineno}: unknown option {unknown[0]!r}")
    try:
        expected = ast.literal_eval(call.args[1])
        options = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    except ValueError:
        raise UnrecognisedHiddenTest(f"line {statement.lineno}: the expected value and options must be literals") from None
    return HiddenCheck(call.func.attr, ast.get_source_segment(block, call.args[0]), expected, options)


def split(source: str) -> tuple[list[str], list[str]]:
    """(hidden lines, visible lines) of one cell, as nbgrader delimits hidden tests."""
    hidden, visible, inside = [], [], False
    for line in source.splitlines():
        if BEGIN.removeprefix("### ") in line:
            inside = True
        elif END.removeprefix("### ") in line:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return hidden, visible


def secret_lines(sources: list[str]) -> list[str]:
    """The hidden lines of these cell sources that students never see (stripped, in order).

    A hidden line long enough to be telling (:data:`MIN_LINE`) is secret unless
    it is the line that names the checks (:data:`IMPORT`), or it also stands
    outside the hidden blocks of the same sources, as a visible check that
    calls the same function would: searching for such a line would only raise
    false alarms.
    """
    hidden, visible = [], []
    for source in sources:
        secret, shown = split(source)
        hidden += [line.strip() for line in secret if len(line.strip()) >= MIN_LINE and line.strip() != IMPORT]
        visible.append(without_space("\n".join(shown)))
    seen = "\n".join(visible)
    return [line for line in dict.fromkeys(hidden) if without_space(line) not in seen]


def without_space(text: str) -> str:
    """Text with all white space removed: re-indenting or re-spacing a line does not hide a copy."""
    return _SPACE.sub("", text)
