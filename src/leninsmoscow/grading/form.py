"""Visible checks: is the answer of the right form? Said in plain words.

Students run these with nbgrader's Validate button before they submit. They
never decide correctness (the hidden referee does); they catch the slips that
would otherwise cost marks for nothing: a string where a list was asked for,
a misspelt event name, a count that came out as a float.
"""

from __future__ import annotations

from collections.abc import Iterable


class AnswerFormError(AssertionError):
    """The answer is not yet of the form the question asks for."""


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
