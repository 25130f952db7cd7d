"""Practice for lesson 7 (1923, the decisive year): dates at their precision, the mark's collapse and the
events of the year in pandas.

Each expected answer is computed from the course data when the check runs, so
it follows the data if a row is corrected or added. "Look at" points to the
worked example of the skill; it never spells out the whole answer.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from . import Exercise, Mistake

# Practice 7.1: the events compared with the day of the Treaty of Rapallo (the lesson lists them in this cell).
# None of them is an item of an assignment, so the practice does not rehearse a graded answer.
RAPALLO_DAY = pd.Timestamp("1922-04-16")
TIMING_EVENTS = ["genoa-conference", "stalin-general-secretary", "rosmer-moscow-1922", "lenin-stroke-1", "frossard-resigns"]
FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}

# Practice 7.6: the two calls the check cell makes of the student's events_in(country, year).
EVENTS_IN_CALLS = {"Soviet Union, 1923": ("Soviet Union", 1923), "Germany, 1921": ("Germany", 1921)}


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


def timing(start: pd.Timestamp, precision: str, day: pd.Timestamp) -> str:
    """The rule of lessons 5 and 7: before, after or cannot tell, comparing the span the start is known to lie in."""
    form = FORMATS[precision]
    mine, theirs = start.strftime(form), day.strftime(form)
    return "before" if mine < theirs else "after" if mine > theirs else "cannot tell"


def _rapallo_timing() -> dict:
    events = _events()
    chosen = events[events["event_id"].isin(TIMING_EVENTS)]
    return {event_id: timing(start, precision, RAPALLO_DAY)
            for event_id, start, precision in zip(chosen["event_id"], chosen["date_start"], chosen["precision"])}


def _naive_timing() -> dict:
    """The mistake of comparing the stored dates as if every one were known to the day."""
    events = _events()
    chosen = events[events["event_id"].isin(TIMING_EVENTS)]
    return {event_id: "before" if start < RAPALLO_DAY else "after" if start > RAPALLO_DAY else "cannot tell"
            for event_id, start in zip(chosen["event_id"], chosen["date_start"])}


def _events_1923() -> pd.DataFrame:
    events = _events()
    return events[events["date_start"].dt.year == 1923]


def _german_events_1923() -> list:
    events_1923 = _events_1923()
    return events_1923[events_1923["country"] == "Germany"]["event_id"].tolist()


def _lasting_events_1923() -> list:
    return _events_1923().dropna(subset=["date_end"])["event_id"].tolist()


def _events_in(country: str, year: int) -> list:
    events = _events()
    return events[(events["country"] == country) & (events["date_start"].dt.year == year)]["event_id"].tolist()


def _events_in_calls() -> dict:
    return {label: _events_in(*arguments) for label, arguments in EVENTS_IN_CALLS.items()}


def _is_dates(answer) -> bool:
    return all(isinstance(item, pd.Timestamp) for item in answer)


def _is_full_dates(answer) -> bool:
    return all(isinstance(item, str) and len(item) == 10 for item in answer)


def _same_for_every_call(answer) -> bool:
    values = [sorted(map(str, value)) for value in answer.values()]
    return len(values) > 1 and all(value == values[0] for value in values)


def _right_events_other_order(answer) -> bool:
    expected = _events_in_calls()
    return all(sorted(map(str, answer[key])) == sorted(expected[key]) for key in expected)


EXERCISES = (
    Exercise(
        "l07-timing-rule", skill="compare dates at their precision", expected=_rapallo_timing,
        look_at="the worked example just above: for each event, write its start and the day with the format of the "
                "event's precision (formats[precision]), then compare the two texts",
        mistakes=(
            Mistake(lambda answer: answer == _naive_timing(),
                    "You compared the stored dates. rosmer-moscow-1922 is known only to the year 1922 (its "
                    "1922-01-01 is a stand-in), and the year 1922 contains 16 April: 'cannot tell'."),
            Mistake(lambda answer: isinstance(answer, dict) and any(isinstance(value, bool) for value in answer.values()),
                    "The values are True or False: this rule has three answers, the texts 'before', 'after' and "
                    "'cannot tell'."),
            Mistake(lambda answer: isinstance(answer, dict) and set(answer) == set(_rapallo_timing())
                    and all(answer[key] == {"before": "after", "after": "before"}.get(value, value)
                            for key, value in _rapallo_timing().items()),
                    "'before' and 'after' are the wrong way round: 'before' means the whole span ends before 16 "
                    "April 1922."),
        ),
    ),
    Exercise(
        "l07-growth-jan-sep", skill="compute a ratio or a growth factor", expected=_growth_jan_sep,
        look_at="the worked example 'a ratio' and the loaf sum below it: the later figure divided by the earlier one, "
                "each month's rate looked up in by_month by its date",
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
        look_at="the worked example 'format dates as text': keep the rows that pass a condition on marks_per_dollar, "
                "then write the month column as text with the pattern shown there, and end with .tolist()",
        mistakes=(
            Mistake(_is_dates, "You have the right kind of rows, but as dates: turn them into text with "
                               ".dt.strftime before .tolist()."),
            Mistake(_is_full_dates, "Your texts include the day ('1923-10-01'): the format asked for is '%Y-%m'."),
            Mistake(lambda answer: len(answer) > 3, "You kept months below a billion: check the condition (> 1_000_000_000)."),
        ),
    ),
    Exercise(
        "l07-german-events-1923", skill="filter rows with a condition", expected=_german_events_1923,
        look_at="the worked example 'filter rows with a condition' in Part A: one condition inside the square brackets, "
                "this time on the country column of events_1923, then the event_id column and .tolist()",
        mistakes=(
            Mistake(lambda answer: "bulgarian-coup" in answer or "lenin-stroke-3" in answer,
                    "Your list has events outside Germany: the condition is on the column 'country'."),
            Mistake(lambda answer: "kapp-putsch" in answer or "march-action" in answer,
                    "Your list has German events of other years: start from events_1923, not events."),
        ),
        ordered=False,
    ),
    Exercise(
        "l07-lasting-events", skill="drop missing values", expected=_lasting_events_1923,
        look_at="the sentence after the worked example: dropna(subset=[...]) names the one column that may not be missing",
        mistakes=(
            Mistake(lambda answer: len(answer) == 0,
                    "Your list is empty: dropna() with no subset drops a row if ANY column is missing, and every row "
                    "misses something (julian_date, for one). Name the column in subset."),
            Mistake(lambda answer: len(answer) == len(_events_1923()),
                    "You kept every event of 1923: drop the rows whose date_end is missing."),
        ),
        ordered=False,
    ),
    Exercise(
        "l07-events-in", skill="write a function that filters a table", expected=_events_in_calls,
        look_at="the worked example disputes_in: two conditions joined with &, each in brackets, each built from one of "
                "the function's arguments (country, year) rather than from a fixed value",
        mistakes=(
            Mistake(lambda answer: isinstance(answer, dict) and all(len(value) == 0 for value in answer.values()),
                    "Your function finds nothing: check the country names against events['country'].unique() and "
                    "compare the year as a number (events['date_start'].dt.year == year)."),
            Mistake(lambda answer: isinstance(answer, dict) and _same_for_every_call(answer),
                    "Your function gives the same events for the Soviet Union in 1923 and for Germany in 1921: it "
                    "ignores its arguments. Build the conditions from country and year, not from fixed values."),
            Mistake(lambda answer: isinstance(answer, dict) and any(len(value) > len(_events_in_calls()[key])
                                                                 for key, value in answer.items()
                                                                 if key in _events_in_calls()),
                    "Too many events: keep only the rows where BOTH the country and the year match (&)."),
            Mistake(_right_events_other_order,
                    "The right events, in another order: filter the events table as the lesson loaded it (in date "
                    "order) and do not sort the result."),
        ),
    ),
)
