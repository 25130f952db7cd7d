"""Practice for lesson 7 (1923, the decisive year): the mark's collapse and the events of the year in pandas.

Each expected answer is computed from the course data when the check runs, so
it follows the data if a row is corrected or added.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from . import Exercise, Mistake


def _rate(month: str) -> float:
    rates = data.load("hyperinflation")
    return float(rates.loc[rates["month"] == pd.Timestamp(month), "marks_per_dollar"].iloc[0])


def _growth_jan_sep() -> float:
    return _rate("1923-09-01") / _rate("1923-01-01")


def _billion_months() -> list:
    rates = data.load("hyperinflation").sort_values("month")
    return rates[rates["marks_per_dollar"] > 1_000_000_000]["month"].dt.strftime("%Y-%m").tolist()


def _events() -> pd.DataFrame:
    """The events in date order, as the lesson's first cell loads them."""
    return data.load("events").sort_values("date_start")


def _events_1923() -> pd.DataFrame:
    events = _events()
    return events[events["date_start"].dt.year == 1923]


def _german_events_1923() -> list:
    events_1923 = _events_1923()
    return events_1923[events_1923["country"] == "Germany"]["event_id"].tolist()


def _lasting_events_1923() -> list:
    return _events_1923().dropna(subset=["date_end"])["event_id"].tolist()


def _soviet_events_1923() -> list:
    events = _events()
    chosen = events[(events["country"] == "Soviet Union") & (events["date_start"].dt.year == 1923)]
    return chosen["event_id"].tolist()


def _is_dates(answer) -> bool:
    return all(isinstance(item, pd.Timestamp) for item in answer)


def _is_full_dates(answer) -> bool:
    return all(isinstance(item, str) and len(item) == 10 for item in answer)


EXERCISES = (
    Exercise(
        "l07-growth-jan-sep", skill="compute a ratio or a growth factor", expected=_growth_jan_sep,
        look_at="the later month's rate divided by the earlier month's: "
                "by_month['1923-09-01'] / by_month['1923-01-01']",
        mistakes=(
            Mistake(lambda answer: 0 < answer < 1,
                    "Your number is below 1: you divided January by September. Put the later month on top."),
            Mistake(lambda answer: abs(answer - (_rate("1923-09-01") - _rate("1923-01-01"))) < 1,
                    "That is a difference (how many more marks), not a growth factor (how many times more): divide."),
        ),
        tolerance=0.001,
    ),
    Exercise(
        "l07-billion-months", skill="format dates as text", expected=_billion_months,
        look_at="filter rates on marks_per_dollar > 1_000_000_000, then ['month'].dt.strftime('%Y-%m').tolist()",
        mistakes=(
            Mistake(_is_dates, "You have the right kind of rows, but as dates: turn them into text with "
                               ".dt.strftime('%Y-%m') before .tolist()."),
            Mistake(_is_full_dates, "Your texts include the day ('1923-10-01'): the format asked for is '%Y-%m'."),
            Mistake(lambda answer: len(answer) > 3, "You kept months below a billion: check the condition (> 1_000_000_000)."),
        ),
    ),
    Exercise(
        "l07-german-events-1923", skill="filter rows with a condition", expected=_german_events_1923,
        look_at="events_1923[events_1923['country'] == 'Germany']['event_id'].tolist()",
        mistakes=(
            Mistake(lambda answer: "bulgarian-coup" in answer or "lenin-stroke-3" in answer,
                    "Your list has events outside Germany: the condition is on the column 'country'."),
        ),
        ordered=False,
    ),
    Exercise(
        "l07-lasting-events", skill="drop missing values", expected=_lasting_events_1923,
        look_at="events_1923.dropna(subset=['date_end'])['event_id'].tolist() (name the column in subset)",
        mistakes=(
            Mistake(lambda answer: len(answer) == 0,
                    "Your list is empty: dropna() with no subset drops a row if ANY column is missing, and every row "
                    "misses something (julian_date, for one). Name the column: dropna(subset=['date_end'])."),
            Mistake(lambda answer: len(answer) == len(_events_1923()),
                    "You kept every event of 1923: drop the rows whose date_end is missing."),
        ),
        ordered=False,
    ),
    Exercise(
        "l07-events-in", skill="write a function that filters a table", expected=_soviet_events_1923,
        look_at="inside the function: events[(events['country'] == country) & (events['date_start'].dt.year == year)], "
                "then ['event_id'].tolist(); use the arguments, not fixed values",
        mistakes=(
            Mistake(lambda answer: len(answer) > len(_soviet_events_1923()),
                    "Too many events: the function must keep only the rows where BOTH the country and the year match."),
        ),
        ordered=False,
    ),
)
