"""The comparison behind every hidden test, made so that student code cannot talk it round.

During autograding the hidden tests never reach the student's kernel (see
:mod:`leninsmoscow.grading.preprocessors`): the kernel only hands each answer
over with :func:`report`, and the grader compares it with the expected value
it kept, using :func:`judge`. The same functions also run in a kernel when the
teacher validates the source notebook. Either way this module:

- takes its types from literals (``[].__class__`` is the real list even when
  ``builtins.list`` is not) and calls no builtin function at all, so that
  replaced builtins change nothing;
- reduces every answer to plain values of exact built-in types before comparing,
  so a lying ``__eq__`` is never consulted.

Failure messages never show the expected answer: they go into the feedback.
"""

from __future__ import annotations

_type = (0).__class__.__class__
_bool = True.__class__
_int = (0).__class__
_float = (0.0).__class__
_str = "".__class__
_list = [].__class__
_tuple = ().__class__
_dict = {}.__class__
_none = None.__class__
_PRIMITIVES = (_bool, _int, _float, _str, _none)

ANSWER_MIMETYPE = "application/vnd.leninsmoscow.answer+json"
MAX_DEPTH = 6


class WrongAnswer(AssertionError):
    """The answer has the right form but is not correct."""


def plain(value, depth=0):
    """The answer as exact built-in values (bool, int, float, str, None, list, dict).

    NumPy scalars, which pandas hands out, are turned into Python numbers with
    their own ``item()`` method, and what comes back is checked again, so an
    impostor gains nothing from the detour.
    """
    if depth > MAX_DEPTH:
        raise WrongAnswer("The answer is nested too deeply to be checked.")
    kind = _type(value)
    for primitive in _PRIMITIVES:
        if kind is primitive:
            return value
    if kind is _list or kind is _tuple:
        return [plain(item, depth + 1) for item in value]
    if kind is _dict:
        result = {}
        for key in _list(_dict.keys(value)):
            if _type(key) is not _str:
                raise WrongAnswer("The answer's dictionary keys must be text.")
            result[key] = plain(_dict.__getitem__(value, key), depth + 1)
        return result
    module = _type.__getattribute__(kind, "__module__")
    if _type(module) is _str and module.startswith("numpy") and hasattr_item(kind):
        return plain(value.item(), depth + 1)
    raise WrongAnswer(
        "The answer must be made of plain Python values (numbers, text, lists); "
        "got an object of another kind."
    )


def hasattr_item(kind) -> bool:
    try:
        _type.__getattribute__(kind, "item")
    except AttributeError:
        return False
    return True


def same(answer, expected, tolerance=0.0) -> bool:
    """Whether two plain values are equal, numbers within a relative tolerance."""
    answer_kind, expected_kind = _type(answer), _type(expected)
    numbers = (_int, _float)
    if answer_kind in numbers and expected_kind in numbers:
        if answer_kind is _bool or expected_kind is _bool:
            return answer_kind is expected_kind and answer == expected
        difference = answer - expected
        if difference < 0:
            difference = -difference
        scale = expected if expected >= 0 else -expected
        return difference <= tolerance * scale or difference == 0
    if answer_kind is not expected_kind:
        return False
    if answer_kind is _list:
        if _list.__len__(answer) != _list.__len__(expected):
            return False
        for left, right in zip_lists(answer, expected):
            if not same(left, right, tolerance):
                return False
        return True
    if answer_kind is _dict:
        if _dict.__len__(answer) != _dict.__len__(expected):
            return False
        for key in _list(_dict.keys(expected)):
            if not _dict.__contains__(answer, key) or not same(answer[key], expected[key], tolerance):
                return False
        return True
    return answer == expected


def zip_lists(left, right):
    """Pairs of items, without the builtin zip (which student code could replace)."""
    pairs = []
    index = 0
    while index < _list.__len__(left):
        pairs.append((left[index], right[index]))
        index += 1
    return pairs


def expect(answer, expected, *, tolerance=0.0, ordered=True, message="The answer is not correct."):
    """Raise :class:`WrongAnswer` unless the answer equals the expected value.

    ``ordered=False`` compares lists as collections (order ignored).
    """
    answer = plain(answer)
    expected = plain(expected)
    if not ordered:
        answer, expected = _sorted_list(answer), _sorted_list(expected)
    if not same(answer, expected, tolerance):
        raise WrongAnswer(message)


def expect_each(answer, expected, *, tolerance=0.0, message="Some items are not correct."):
    """Like :func:`expect` for dictionaries, but names how many items were right."""
    answer, expected = plain(answer), plain(expected)
    if _type(answer) is not _dict:
        raise WrongAnswer("The answer must be a dictionary.")
    right = 0
    keys = _list(_dict.keys(expected))
    for key in keys:
        if _dict.__contains__(answer, key) and same(answer[key], expected[key], tolerance):
            right += 1
    if right != _list.__len__(keys):
        raise WrongAnswer(f"{message} ({right} of {_list.__len__(keys)} right)")


def _sorted_list(value):
    if _type(value) is not _list:
        raise WrongAnswer("The answer must be a list.")
    copy = _list(value)
    try:
        _list.sort(copy, key=_str.__str__ if all_text(copy) else None)
    except TypeError:
        raise WrongAnswer("The answer's items cannot be compared with each other.") from None
    return copy


def all_text(items) -> bool:
    for item in items:
        if _type(item) is not _str:
            return False
    return True


def report(grade_id: str, index: int, answer) -> None:
    """Hand an answer to the grader, which judges it outside the kernel.

    During autograding the hidden checks never reach the student's kernel:
    :class:`leninsmoscow.grading.preprocessors.ExtractHiddenTests` replaces
    each ``expect(answer, expected)`` by ``report(grade_id, n, answer)``, and
    the grader compares what is reported with the expected value it kept.
    Code in the kernel can therefore neither read the expected values nor
    talk the comparison round; all it can do is report an answer.
    """
    import json

    from IPython.display import display

    value = plain(answer)
    display(
        {
            ANSWER_MIMETYPE: {"grade_id": grade_id, "index": index, "answer": json.dumps(value)},
            "text/plain": f"answer {index + 1} for {grade_id} handed to the grader",
        },
        raw=True,
    )


NOT_CHECKABLE = "The answer could not be checked (it is too large, too deep or of an odd kind), so it is not right."


def judge(kind: str, answer, expected, **options) -> str | None:
    """The failure message for a reported answer, or None when it is right (run by the grader).

    Whatever goes wrong while comparing (an answer nested too deeply, a number
    too large to compare) is a wrong answer, never an error of the grader.
    """
    check = expect_each if kind == "expect_each" else expect
    try:
        check(answer, expected, **options)
    except WrongAnswer as failure:
        return str(failure)
    except Exception:  # noqa: BLE001 - the answer is the student's: nothing it does may stop grading
        return NOT_CHECKABLE
    return None
