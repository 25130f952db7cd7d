"""Practice exercises of lesson 1 (Start here): keep rows, sort by date, search a column."""

from __future__ import annotations

import pandas as pd

from .. import data
from . import Exercise, Mistake


def _french_people():
    people = data.load("people")
    return people[people["country"] == "France"]


def _congress_names():
    congresses = data.load("congresses")
    return congresses.sort_values("date_start")["name"].tolist()


def _rosmer_mentioned():
    events = data.load("events")
    return events[events["description"].str.contains("Rosmer", regex=False)]["event_id"].tolist()


def _rosmer_theme():
    events = data.load("events")
    return events[events["theme"] == "rosmer"]["event_id"].tolist()


def _rosmer_in_title():
    events = data.load("events")
    return events[events["title"].str.contains("Rosmer", regex=False)]["event_id"].tolist()


def _opening_slips():
    errata = data.load("errata")
    return errata[errata["paragraph"] <= 5]["erratum_id"].tolist()


def _is_condition(answer) -> bool:
    """A column of True/False: the condition itself, not the rows it keeps."""
    return isinstance(answer, pd.Series) and str(answer.dtype) in ("bool", "boolean")


def _same_items(answer, expected) -> bool:
    return sorted(map(str, answer)) == sorted(map(str, expected))


EXERCISES = (
    Exercise(
        "l01-french-people",
        skill="filter rows with a condition",
        expected=_french_people,
        look_at="the worked example on events: a condition on one column (==), placed inside the table's square brackets",
        mistakes=(
            Mistake(_is_condition, "That is the condition: one True or False per row. Put it inside people[...] "
                                   "to keep the rows where it is True."),
            Mistake(lambda answer: isinstance(answer, pd.DataFrame) and len(answer) == len(data.load("people")),
                    "You kept every row: the condition is missing or always True."),
            Mistake(lambda answer: isinstance(answer, pd.DataFrame) and len(answer) == 0,
                    'No rows kept: check the spelling and capital letter of "France".'),
        ),
    ),
    Exercise(
        "l01-congress-names",
        skill="sort by date and list a column",
        expected=_congress_names,
        look_at="the worked example: .sort_values on the date column, then the name column, then .tolist()",
        mistakes=(
            Mistake(lambda answer: list(answer) == _congress_names()[::-1],
                    "That is latest first: sort_values puts the earliest first unless you ask otherwise."),
            Mistake(lambda answer: list(answer) == data.load("congresses")["name"].tolist(),
                    "That is the order of the table, not of the dates: sort by date_start first."),
        ),
    ),
    Exercise(
        "l01-rosmer-mentioned",
        skill="search text in a column",
        expected=_rosmer_mentioned,
        look_at='the worked example on quotations: .str.contains("...", regex=False) on the description column, then the event_id column as a list',
        mistakes=(
            Mistake(lambda answer: isinstance(answer, pd.DataFrame),
                    "You gave the whole table: take its event_id column and turn it into a list with .tolist()."),
            Mistake(_is_condition, "That is the condition: one True or False per event. Put it inside events[...] to "
                                   "keep the rows, then take their event_id column as a list."),
            Mistake(lambda answer: len(answer) == 0,
                    'Nothing found: the search is case-sensitive, so write "Rosmer" with a capital R.'),
            Mistake(lambda answer: _same_items(answer, _rosmer_theme()) or _same_items(answer, _rosmer_in_title()),
                    "Those are the events of the theme 'rosmer' (or with Rosmer in the title): search the "
                    "description column instead."),
            Mistake(lambda answer: len(answer) == len(_rosmer_mentioned()) and not _same_items(answer, _rosmer_mentioned()),
                    "The right rows, but give their event_id values, not another column."),
        ),
        ordered=False,
    ),
    Exercise(
        "l01-opening-slips",
        skill="filter rows with a condition",
        expected=_opening_slips,
        look_at="a condition on the paragraph column with <= (at most), then the erratum_id column and .tolist()",
        mistakes=(
            Mistake(lambda answer: len(answer) == 3,
                    "Paragraph 5 is missing: < 5 stops before it, <= 5 keeps it."),
            Mistake(lambda answer: len(answer) == len(data.load("errata")),
                    "You kept every slip: add the condition on paragraph."),
        ),
        ordered=False,
    ),
)
