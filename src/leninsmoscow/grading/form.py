"""Visible checks, said in plain words: is the answer of the right form, and can it be right?

Students run these with nbgrader's Validate button before they submit, as
Data 8's public tests are run. The ``check_`` functions of form catch the slips
that would otherwise cost marks for nothing: a string where a list was asked
for, a misspelt label, a count that came out as a float. :func:`check_example`
and :func:`check_property` go one step further and tell a student at once that
an answer is wrong, from a case the question works or a property every right
answer has, without giving the answer away. They never award points: only the
hidden referee does that, outside the student's kernel.
"""

from __future__ import annotations

from collections.abc import Iterable


class AnswerFormError(AssertionError):
    """The answer is not yet of the form the question asks for."""


class NotYetRight(AssertionError):
    """The answer has the right form but fails a case or a property the question states."""


def _describe(value) -> str:
    return f"{type(value).__name__} {value!r}"[:120]


def check_number(value, name: str, *, whole: bool = False, minimum=None, maximum=None) -> None:
    """A number (an integer when ``whole``), optionally within bounds."""
    if value is ...:
        raise AnswerFormError(f"`{name}` is still `...`: replace it with your answer.")
    is_number = isinstance(value, (int, float)) or type(value).__module__.startswith("numpy")
    if isinstance(value, bool) or not is_number:
        raise AnswerFormError(f"`{name}` should be a number, but it is {_describe(value)}.")
    if whole and float(value) != int(value):
        raise AnswerFormError(f"`{name}` should be a whole number, but it is {value}.")
    if minimum is not None and value < minimum:
        raise AnswerFormError(f"`{name}` should be at least {minimum}; it is {value}.")
    if maximum is not None and value > maximum:
        raise AnswerFormError(f"`{name}` should be at most {maximum}; it is {value}.")


def check_text(value, name: str, *, allowed: Iterable[str] | None = None) -> None:
    """A piece of text, optionally one of a list of allowed values."""
    if value is ...:
        raise AnswerFormError(f"`{name}` is still `...`: replace it with your answer.")
    if not isinstance(value, str):
        raise AnswerFormError(f"`{name}` should be text in quotes, but it is {_describe(value)}.")
    if allowed is not None:
        choices = list(allowed)
        if value not in choices:
            raise AnswerFormError(f"`{name}` is {value!r}, which is not one of: {', '.join(map(repr, choices))}.")


def check_list(value, name: str, *, length: int | None = None, allowed: Iterable[str] | None = None,
               unique: bool = False) -> None:
    """A list of texts, of a given length, each one of the allowed values."""
    if value is ...:
        raise AnswerFormError(f"`{name}` is still `...`: replace it with your answer.")
    if not isinstance(value, list):
        raise AnswerFormError(f"`{name}` should be a list in square brackets, but it is {_describe(value)}.")
    if length is not None and len(value) != length:
        raise AnswerFormError(f"`{name}` should have {length} items; it has {len(value)}.")
    choices = None if allowed is None else list(allowed)
    for position, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise AnswerFormError(f"Item {position} of `{name}` should be text in quotes, but it is {_describe(item)}.")
        if choices is not None and item not in choices:
            raise AnswerFormError(f"Item {position} of `{name}`, {item!r}, is not one of: {', '.join(map(repr, choices))}.")
    if unique and len(set(value)) != len(value):
        raise AnswerFormError(f"`{name}` names the same item more than once.")


def check_mapping(value, name: str, *, keys: Iterable[str], allowed: Iterable[str] | None = None) -> None:
    """A dictionary with exactly the given keys, each value one of the allowed values."""
    if value is ...:
        raise AnswerFormError(f"`{name}` is still `...`: replace it with your answer.")
    if not isinstance(value, dict):
        raise AnswerFormError(f"`{name}` should be a dictionary {{key: value}}, but it is {_describe(value)}.")
    expected = list(keys)
    missing = [key for key in expected if key not in value]
    extra = [key for key in value if key not in expected]
    if missing:
        raise AnswerFormError(f"`{name}` is missing: {', '.join(map(repr, missing))}.")
    if extra:
        raise AnswerFormError(f"`{name}` has keys that are not asked for: {', '.join(map(repr, extra))}.")
    if allowed is not None:
        choices = list(allowed)
        for key, item in value.items():
            if item not in choices:
                raise AnswerFormError(f"`{name}[{key!r}]` is {item!r}, which is not one of: {', '.join(map(repr, choices))}.")


def _equal(value, expected) -> bool:
    """Plain equality, where True is not 1 and a Series compared with a value is simply not equal."""
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected
    try:
        return bool(value == expected)
    except Exception:  # noqa: BLE001 - whatever a student's object does, it is just not the example
        return False


def check_example(value, expected, name: str, *, why: str) -> None:
    """The case the question works for the student: a wrong value here is wrong everywhere."""
    if not _equal(value, expected):
        raise NotYetRight(f"`{name}` should be {expected!r}, as the question shows; it is {_describe(value)}. {why}")


def check_property(holds: bool, *, why: str) -> None:
    """A property every right answer has (an order the question gives, a sanity bound)."""
    if not holds:
        raise NotYetRight(f"Not yet right: {why}")
