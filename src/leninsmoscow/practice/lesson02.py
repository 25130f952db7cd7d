"""Practice exercises of lesson 2 (The period): drop missing values, keep rows by a date,
build a pivot table, compute a growth factor."""

from __future__ import annotations

import pandas as pd

from .. import data
from . import Exercise, Mistake

CZECH_REVOLT = pd.Timestamp("1918-05-25")


def _old_style_ids():
    events = data.load("events")
    return events.dropna(subset=["julian_date"])["event_id"].tolist()


def _war_from_may_1918():
    events = data.load("events").set_index("event_id", drop=False)
    war = events[events["theme"] == "war"]
    return war[war["date_start"] >= CZECH_REVOLT]


def _days_table():
    strikes = data.load("strikes")
    days = strikes[strikes["measure"] == "days lost"]
    return days.pivot_table(index="year", columns="country", values="value", observed=True)


def _germany_growth():
    table = _days_table()
    return float(table.loc[1919, "Germany"] / table.loc[1913, "Germany"])


def _is_table(answer) -> bool:
    return isinstance(answer, pd.DataFrame)


EXERCISES = (
    Exercise(
        "l02-old-style-ids",
        skill="drop missing values",
        expected=_old_style_ids,
        look_at="dropna with subset= the column that must be filled in, then the event_id column as a list",
        mistakes=(
            Mistake(lambda answer: len(answer) == len(data.load("events")),
                    "You kept every event: drop the rows whose julian_date is missing (subset=[\"julian_date\"])."),
            Mistake(lambda answer: len(answer) == 0,
                    "You dropped every row: without subset=, dropna drops a row if ANY column is empty. "
                    "Name the column with subset=[\"julian_date\"]."),
        ),
        ordered=False,
    ),
    Exercise(
        "l02-war-from-may-1918",
        skill="filter rows with a condition",
        expected=_war_from_may_1918,
        look_at="the worked example just above (before_armistice): the same shape, on the table war, with >= and the date of the revolt",
        mistakes=(
            Mistake(lambda answer: _is_table(answer) and len(answer) == len(_war_from_may_1918()) - 1,
                    "One row short: the revolt itself began on 25 May 1918, so use >= (on or after), not >."),
            Mistake(lambda answer: _is_table(answer) and set(answer["event_id"]) <= {"ww1-outbreak", "zimmerwald-conference", "brest-litovsk"},
                    "Those are the events BEFORE the revolt: turn the comparison round (>=)."),
            Mistake(lambda answer: isinstance(answer, pd.Series) and str(answer.dtype) in ("bool", "boolean"),
                    "That is the condition: one True or False per row. Put it inside war[...] to keep the rows."),
        ),
    ),
    Exercise(
        "l02-days-table",
        skill="group and summarise",
        expected=_days_table,
        look_at="first keep the rows of one measure, then .pivot_table with index=, columns= and values= as in the worked example",
        mistakes=(
            Mistake(lambda answer: _is_table(answer) and "measure" in answer.columns,
                    "That is still the long table: turn it into a grid with .pivot_table(...)."),
            Mistake(lambda answer: _is_table(answer) and {"France", "United States"} & set(map(str, answer.columns))
                    and not answer[[c for c in answer.columns if str(c) in ("France", "United States")]].isna().all().all(),
                    "Your grid has figures for France or the United States: keep only the rows whose measure is "
                    "\"days lost\" before pivoting."),
            Mistake(lambda answer: _is_table(answer) and answer.columns.name == "year",
                    "Years should be the rows (index=\"year\") and countries the columns (columns=\"country\")."),
        ),
    ),
    Exercise(
        "l02-germany-growth",
        skill="compute a ratio or a growth factor",
        expected=_germany_growth,
        look_at="the worked example for Britain: .loc[year, country] for the later year, divided by the same for the earlier year",
        mistakes=(
            Mistake(lambda answer: abs(float(answer) - 1 / _germany_growth()) < 0.01,
                    "Upside down: divide the later year (1919) by the earlier one (1913)."),
            Mistake(lambda answer: abs(float(answer) - 100 * _germany_growth()) < 1,
                    "That is a percentage: give the factor itself, without multiplying by 100."),
            Mistake(lambda answer: abs(float(answer) - _days_table().loc[1919, "Britain"] / _days_table().loc[1913, "Britain"]) < 0.01,
                    "That is Britain's factor, from the worked example: change the country."),
        ),
        tolerance=0.005,
    ),
)
