"""Fill-in exercises: the student writes the code, :func:`check` says at once whether it is right.

Every skill an assignment grades is practised first in a lesson, with instant
feedback, as in Berkeley's Data 8 labs. A practice cell in a lesson looks like::

    # Practice 2.1: the strike rows of 1920 (replace ... with your code)
    strikes_1920 = ...

    check("l02-strikes-1920", strikes_1920)

Each exercise is defined in its lesson's module here (``lesson02.py`` for the
ids ``l02-...``): the expected answer, computed from the course data when the
check runs, the skill it practises (``docs/practice-map.csv``), where to look
when the answer is wrong, and the mistakes worth naming. A blank exercise
(``...`` still in place) gets a reminder and never an error, so a lesson runs
top to bottom unattended; nothing a student writes can make ``check`` raise.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mistake:
    """A wrong answer worth naming: ``test(answer)`` is true for it, and ``message`` says what to change."""

    test: Callable[[object], bool]
    message: str


@dataclass(frozen=True)
class Exercise:
    """One fill-in exercise (see the module's docstring)."""

    id: str
    skill: str
    expected: Callable[[], object]
    look_at: str
    mistakes: tuple = field(default_factory=tuple)
    tolerance: float = 0.0
    ordered: bool = True


@dataclass(frozen=True)
class Feedback:
    """The verdict, displayed under the practice cell; ``right`` is True, False, or None when blank."""

    exercise: str
    right: bool | None
    message: str

    def __bool__(self) -> bool:
        return bool(self.right)

    def _repr_html_(self) -> str:
        mark = {True: "✓ Right.", False: "✗ Not yet.", None: "… Your turn."}[self.right]
        return (f'<div role="status" class="leninsmoscow-practice"><strong>{mark}</strong> '
                f"{html.escape(self.message)} <small>({html.escape(self.exercise)})</small></div>")

    def __repr__(self) -> str:
        mark = {True: "✓ Right.", False: "✗ Not yet.", None: "… Your turn."}[self.right]
        return f"{mark} {self.message}"


BLANK = "Replace the ... above with your code, then run this cell again."


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id, from its lesson's module (l02-... is in lesson02)."""
    prefix = exercise_id.split("-", 1)[0]
    if not (prefix.startswith("l") and prefix[1:].isdigit()):
        raise KeyError(f"{exercise_id!r} is not a practice exercise id (they start with l01-, l02-, ...)")
    module = importlib.import_module(f".lesson{int(prefix[1:]):02d}", __name__)
    for item in module.EXERCISES:
        if item.id == exercise_id:
            return item
    raise KeyError(f"no exercise {exercise_id!r} in {module.__name__}")


def all_exercises() -> list[Exercise]:
    """Every exercise of every lesson (for the practice map and its test)."""
    found = []
    for number in range(1, 9):
        try:
            module = importlib.import_module(f".lesson{number:02d}", __name__)
        except ModuleNotFoundError:
            continue
        found += list(module.EXERCISES)
    return found


def check(exercise_id: str, answer) -> Feedback:
    """Say whether ``answer`` is right, and if not, what to look at."""
    item = exercise(exercise_id)
    if answer is ...:
        return Feedback(exercise_id, None, BLANK)
    try:
        expected = item.expected()
        problem = difference(answer, expected, item.tolerance, item.ordered)
        if problem is None:
            return Feedback(exercise_id, True, "That is the answer.")
        for mistake in item.mistakes:
            if _holds(mistake.test, answer):
                return Feedback(exercise_id, False, f"{mistake.message} Look at: {item.look_at}")
        return Feedback(exercise_id, False, f"{problem} Look at: {item.look_at}")
    except Exception as error:  # noqa: BLE001 - the student's value must never break the lesson
        return Feedback(exercise_id, False, f"Your answer could not be checked ({type(error).__name__}). "
                                            f"Look at: {item.look_at}")


def _holds(test, answer) -> bool:
    try:
        return bool(test(answer))
    except Exception:  # noqa: BLE001 - a mistake test that does not apply is simply not this mistake
        return False


def difference(answer, expected, tolerance: float = 0.0, ordered: bool = True) -> str | None:
    """What is wrong with ``answer`` compared with ``expected``, in plain words; None when it is right."""
    import pandas as pd

    if isinstance(expected, pd.DataFrame):
        return _table_difference(answer, expected, ordered)
    if isinstance(expected, pd.Series):
        return _list_difference(answer.tolist() if isinstance(answer, pd.Series) else answer,
                                expected.tolist(), tolerance, ordered, "values")
    if isinstance(expected, (list, tuple)):
        if isinstance(answer, (pd.Series, pd.Index)):
            answer = answer.tolist()
        return _list_difference(answer, list(expected), tolerance, ordered, "items")
    if isinstance(expected, dict):
        return _dict_difference(answer, expected, tolerance)
    return _value_difference(answer, expected, tolerance)


def _kind(value) -> str:
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return "a table (DataFrame)"
    if isinstance(value, pd.Series):
        return "a column (Series)"
    if isinstance(value, bool):
        return "True or False"
    if isinstance(value, (int, float)) or type(value).__module__ == "numpy":
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a dictionary"
    return f"a {type(value).__name__}"


def _plain(value):
    """NumPy's scalars (what pandas hands out: numpy.bool_, numpy.int64) as Python's own."""
    return value.item() if type(value).__module__ == "numpy" and hasattr(value, "item") else value


def _value_difference(answer, expected, tolerance: float) -> str | None:
    import numbers

    import pandas as pd

    answer, expected = _plain(answer), _plain(expected)

    if isinstance(expected, numbers.Number) and not isinstance(expected, bool):
        if isinstance(answer, bool) or not isinstance(answer, numbers.Number):
            return f"You gave {_kind(answer)}; the answer is a number."
        if abs(float(answer) - float(expected)) <= tolerance * abs(float(expected)) or answer == expected:
            return None
        side = "too high" if answer > expected else "too low"
        return f"Your number, {answer:g}, is {side}."
    if isinstance(expected, (pd.Timestamp, pd.Timedelta)):
        return None if answer == expected else f"Your value, {answer}, is not the one asked for."
    if isinstance(expected, str):
        if not isinstance(answer, str):
            return f"You gave {_kind(answer)}; the answer is text (in quotes)."
        if answer.strip() == expected:
            return None
        if answer.strip().lower() == expected.lower():
            return "Nearly: check capital letters."
        return f"{answer!r} is not the answer."
    if type(answer) is not type(expected):
        return f"You gave {_kind(answer)}; the answer is {_kind(expected)}."
    return None if answer == expected else "Not the value asked for."


def _list_difference(answer, expected: list, tolerance: float, ordered: bool, what: str) -> str | None:
    if not isinstance(answer, (list, tuple)):
        return f"You gave {_kind(answer)}; the answer is a list (use .tolist() on a column)."
    answer = list(answer)
    if len(answer) != len(expected):
        return f"You have {len(answer)} {what}; the answer has {len(expected)}."
    if not ordered:
        try:
            answer, expected = sorted(answer), sorted(expected)
        except TypeError:
            pass
    wrong = [index for index, (mine, theirs) in enumerate(zip(answer, expected))
             if _value_difference(mine, theirs, tolerance) is not None]
    if not wrong:
        return None
    if ordered and sorted(map(str, answer)) == sorted(map(str, expected)):
        return f"The right {what}, but not in the order asked for."
    return f"{len(wrong)} of the {len(expected)} {what} are not right (the first at position {wrong[0] + 1})."


def _dict_difference(answer, expected: dict, tolerance: float) -> str | None:
    if not isinstance(answer, dict):
        return f"You gave {_kind(answer)}; the answer is a dictionary {{key: value}} (use .to_dict() on a column)."
    missing = [key for key in expected if key not in answer]
    if missing:
        return f"Your dictionary lacks {', '.join(map(repr, missing[:3]))}."
    extra = [key for key in answer if key not in expected]
    if extra:
        return f"Your dictionary has keys that are not asked for: {', '.join(map(repr, extra[:3]))}."
    wrong = [key for key in expected if _value_difference(answer[key], expected[key], tolerance) is not None]
    return None if not wrong else f"{len(wrong)} of the {len(expected)} values are not right (for example {wrong[0]!r})."


def _table_difference(answer, expected, ordered: bool) -> str | None:
    import pandas as pd

    if not isinstance(answer, pd.DataFrame):
        return f"You gave {_kind(answer)}; the answer is a table (DataFrame)."
    missing = [column for column in expected.columns if column not in answer.columns]
    if missing:
        return f"Your table lacks the column(s) {', '.join(map(repr, missing))}."
    mine = answer[list(expected.columns)].reset_index(drop=True)
    theirs = expected.reset_index(drop=True)
    if len(mine) != len(theirs):
        return f"Your table has {len(mine)} rows; the answer has {len(theirs)}. Check the condition that picks them."
    if mine.astype(str).equals(theirs.astype(str)):
        return None
    key = list(expected.columns)
    same_rows = (mine.astype(str).sort_values(key).reset_index(drop=True)
                 .equals(theirs.astype(str).sort_values(key).reset_index(drop=True)))
    if same_rows:
        return "The right rows, but not in the order asked for (sort_values)." if ordered else None
    return "Your table has the right number of rows, but not the right ones."
