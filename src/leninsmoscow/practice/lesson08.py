"""Practice for lesson 8, Moscow without Lenin: days between two dates, sorting a chronology,
filtering by a date, and applying a stated rule to each item."""

from __future__ import annotations

import pandas as pd

from .. import data
from . import Exercise, Mistake

# The milestones of the succession that Practice 8.2 puts in order (the lesson gives them shuffled). None is
# among the events lesson 4's ordering self-check asks for, so the list is new to the student.
SUCCESSION = ["comintern-5", "ussr-founded", "literary-discussion", "thirteenth-party-congress", "georgian-affair",
              "trotsky-removed-war", "socialism-in-one-country", "twelfth-party-congress", "lessons-of-october"]

# The events that Practice 8.4 sorts by the rule "began while Lenin was alive".
RULE_EVENTS = ["tenth-party-congress", "stalin-general-secretary", "twelfth-party-congress",
               "thirteenth-party-conference", "comintern-5", "socialism-in-one-country", "rosmer-expelled"]


def _events() -> pd.DataFrame:
    return data.load("events").set_index("event_id")


def _lenin_died() -> pd.Timestamp:
    return _events().loc["lenin-death", "date_start"]


def _conference_to_death() -> int:
    events = _events()
    return (events.loc["lenin-death", "date_start"] - events.loc["thirteenth-party-conference", "date_end"]).days


def _from_opening() -> int:
    events = _events()
    return (events.loc["lenin-death", "date_start"] - events.loc["thirteenth-party-conference", "date_start"]).days


def _succession() -> list:
    events = data.load("events")
    milestones = events[events["event_id"].isin(SUCCESSION)]
    return milestones.sort_values("date_start")["title"].tolist()


def _after_lenin() -> list:
    events = data.load("events")
    return events[events["date_start"] > _lenin_died()]["event_id"].tolist()


def _while_lenin_lived() -> dict:
    events = data.load("events")
    chosen = events[events["event_id"].isin(RULE_EVENTS)]
    return {event_id: bool(start < _lenin_died()) for event_id, start in zip(chosen["event_id"], chosen["date_start"])}


def _numpy_truths(answer) -> bool:
    """The rule applied rightly, but with numpy's booleans (which the checker tells apart from Python's)."""
    expected = _while_lenin_lived()
    return (isinstance(answer, dict) and set(answer) == set(expected)
            and any(type(value).__module__ == "numpy" for value in answer.values())
            and all(bool(answer[key]) == value for key, value in expected.items()))


def _is_timedelta(answer) -> bool:
    return isinstance(answer, pd.Timedelta)


EXERCISES = (
    Exercise(
        "l08-conference-to-death", skill="days between two dates", expected=_conference_to_death,
        look_at="the worked example on how long Lenin's notes waited (days between two dates): the later date minus "
                "the earlier one, then .days",
        mistakes=(
            Mistake(_is_timedelta, "You have a length of time (a Timedelta): add .days to turn it into a number."),
            Mistake(lambda answer: answer == -_conference_to_death(),
                    "Your number is negative: subtract the earlier date from the later one."),
            Mistake(lambda answer: answer == _from_opening(),
                    "You counted from the day the conference opened (date_start); the question asks from the day it "
                    "closed (date_end)."),
        ),
    ),
    Exercise(
        "l08-succession-order", skill="sort by date and list a column", expected=_succession,
        look_at="the worked example on the congresses just above: sort the rows by their date column, then take the title "
                "column and .tolist()",
        mistakes=(
            Mistake(lambda answer: list(answer) == _succession()[::-1],
                    "Your list runs from the latest to the earliest: sort_values sorts earliest first unless you "
                    "add ascending=False."),
            Mistake(lambda answer: list(answer) == sorted(_succession()),
                    "You sorted the titles in alphabetical order: sort the rows by date_start, then take the titles."),
        ),
    ),
    Exercise(
        "l08-after-lenin", skill="filter rows with a condition", expected=_after_lenin,
        look_at="the worked example on the documents just above: a comparison with lenin_died inside the square brackets "
                "keeps the rows where it is True; then the event_id column and .tolist()",
        mistakes=(
            Mistake(lambda answer: "lenin-death" in list(answer),
                    "Your list includes Lenin's death itself: use > (strictly after), not >=."),
            Mistake(lambda answer: "thirteenth-party-conference" in list(answer),
                    "Your list has events from before his death: check the direction of the comparison (> means after)."),
        ),
        ordered=False,
    ),
    Exercise(
        "l08-while-lenin-lived", skill="apply a stated rule to each item", expected=_while_lenin_lived,
        look_at="the worked example on the congresses just above: dict(zip(...)) pairs each id with the rule's True or "
                "False; here the ids and dates are those of chosen",
        mistakes=(
            Mistake(lambda answer: all(answer[key] != value for key, value in _while_lenin_lived().items()),
                    "Every value is the opposite of the rule: True means the event began BEFORE Lenin died (<)."),
            Mistake(lambda answer: isinstance(answer, (list, tuple)),
                    "You made a list: the question asks for a dictionary {event_id: True or False}."),
            Mistake(_numpy_truths, "Your True/False values are right, but they are numpy's, not Python's: zip the "
                                   "column of True/False itself (without .to_numpy()), or use .to_dict()."),
        ),
    ),
)
