"""Practice for lesson 3 (places): Rosmer's 1920 journey and the wars around it, in pandas.

Each expected answer is computed from the course data when the check runs, so
it follows the data if a row is corrected or added.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from . import Exercise, Mistake


def _stops() -> pd.DataFrame:
    return data.load("journey_1920").set_index("stop")


def _events() -> pd.DataFrame:
    return data.load("events").set_index("event_id")


def _reval_to_petrograd() -> str:
    return str(_stops().loc[10, "mode_from_previous"])


def _stop_states() -> dict:
    return {int(stop): str(state) for stop, state in _stops()["country_1920"].to_dict().items()}


def _days(earlier_id: str, earlier_column: str, later_id: str, later_column: str) -> int:
    events = _events()
    return int((events.loc[later_id, later_column] - events.loc[earlier_id, earlier_column]).days)


def _warsaw_to_riga() -> int:
    return _days("battle-of-warsaw", "date_end", "treaty-of-riga", "date_start")


def _baku_to_reed() -> int:
    return _days("baku-congress", "date_end", "reed-death", "date_start")


def _is_timedelta(answer) -> bool:
    return isinstance(answer, pd.Timedelta)


TIMEDELTA = "You have the gap as a Timedelta (it prints as '... days'): add .days to turn it into a number."

EXERCISES = (
    Exercise(
        "l03-reval-to-petrograd", skill="look up a value by its id", expected=_reval_to_petrograd,
        look_at="the worked example on events (by_id.loc[row, column]): make the stop numbers the row labels "
                "first, then ask for the row 10 and the column mode_from_previous",
        mistakes=(
            Mistake(lambda answer: answer == "rail",
                    "'rail' is the leg to Moscow (stop 11): with .iloc[10] you counted positions from 0. "
                    "Use .set_index('stop') and .loc[10, ...], which look up the stop number itself."),
            Mistake(lambda answer: answer == "ship",
                    "'ship' is the leg to Reval (stop 9), the crossing from Stettin. Look up stop 10."),
        ),
    ),
    Exercise(
        "l03-stop-states", skill="build a dictionary from a table", expected=_stop_states,
        look_at="the worked example on congresses: dict(zip(keys, values)), with the stop column as the keys "
                "and country_1920 as the values",
        mistakes=(
            Mistake(lambda answer: isinstance(answer, dict) and "Paris" in answer,
                    "Your keys are place names; the question asks for the stop numbers as keys "
                    "(Paris is stop 1 and stop 3, so a dictionary by place loses a stop)."),
            Mistake(lambda answer: isinstance(answer, dict) and "France" in answer,
                    "Keys and values are swapped: the stop number comes first, the state second."),
        ),
    ),
    Exercise(
        "l03-warsaw-to-riga", skill="days between two dates", expected=_warsaw_to_riga,
        look_at="the worked example on the Second Congress: later date minus earlier date, each read with "
                "by_id.loc[event, column], then .days; here the later date is the treaty's date_start",
        mistakes=(
            Mistake(_is_timedelta, TIMEDELTA),
            Mistake(lambda answer: answer == _days("battle-of-warsaw", "date_start", "treaty-of-riga", "date_start"),
                    "You counted from the first day of the battle (date_start); the question asks from its "
                    "last day (date_end)."),
            Mistake(lambda answer: isinstance(answer, (int, float)) and answer < 0,
                    "A negative number: you took the later date away from the earlier one. Later minus earlier."),
        ),
    ),
    Exercise(
        "l03-baku-to-reed", skill="days between two dates", expected=_baku_to_reed,
        look_at="the worked example on the Second Congress: later date minus earlier date, each read with "
                "by_id.loc[event, column], then .days; the earlier date is the congress's date_end",
        mistakes=(
            Mistake(_is_timedelta, TIMEDELTA),
            Mistake(lambda answer: answer == _days("baku-congress", "date_start", "reed-death", "date_start"),
                    "You counted from the congress's first day (date_start); the question asks from its last "
                    "session (date_end)."),
            Mistake(lambda answer: isinstance(answer, (int, float)) and answer < 0,
                    "A negative number: you took the later date away from the earlier one. Later minus earlier."),
        ),
    ),
)
