"""Practice for lesson 4 (people): the review's cast, their later paths and Stalin's place, in pandas.

Each expected answer is computed from the course data when the check runs, so
it follows the data if a row is corrected or added.
"""

from __future__ import annotations

import pandas as pd

from .. import data
from . import Exercise, Mistake

WESTERN_COUNTRIES = ["Italy", "Spain", "Germany", "France", "Britain", "United States"]


def _people() -> pd.DataFrame:
    return data.load("people")


def _western_named() -> pd.DataFrame:
    people = _people()
    return people[people["country"].isin(WESTERN_COUNTRIES) & people["in_review"]]


def _named_west_paths() -> dict:
    return {str(path): int(count) for path, count in _western_named()["trajectory"].value_counts().to_dict().items()}


def _nashe_slovo() -> list:
    people = _people()
    return people[people["role_1917_1924"].str.contains("Nashe Slovo", regex=False)]["person_id"].tolist()


def _russians_named() -> pd.DataFrame:
    people = _people()
    return people[(people["country"] == "Soviet Russia") & people["in_review"]]


def _russian_deaths() -> dict:
    return {str(name): int(died) for name, died in _russians_named().set_index("name")["died"].to_dict().items()}


def _stalin_events() -> list:
    events = data.load("events")
    return events[events["people"].str.contains("stalin", regex=False)]["event_id"].tolist()


def _exact_stalin() -> list:
    events = data.load("events")
    return events[events["people"] == "stalin"]["event_id"].tolist()


def _total(answer) -> int:
    return sum(answer.values()) if isinstance(answer, dict) else -1


EXERCISES = (
    Exercise(
        "l04-named-west-paths", skill="group and summarise", expected=_named_west_paths,
        look_at="the worked example on the themes of the events: value_counts() on one column, then .to_dict(); "
                "here the table is western_named and the column trajectory",
        mistakes=(
            Mistake(lambda answer: _total(answer) == len(_people()),
                    "You counted the whole people table: count the rows of western_named only."),
            Mistake(lambda answer: _total(answer) == int(_people()["in_review"].sum()),
                    "You counted everyone the review names, the Russians included: count the rows of "
                    "western_named."),
            Mistake(lambda answer: _total(answer) == int(_people()["country"].isin(WESTERN_COUNTRIES).sum()),
                    "You counted every Western person in the table, named in the review or not: count the rows of "
                    "western_named."),
        ),
    ),
    Exercise(
        "l04-nashe-slovo", skill="search text in a column", expected=_nashe_slovo,
        look_at="the worked example on the events (typhus): str.contains with regex=False inside the table's "
                "square brackets, then the id column as a list; here the column to search is role_1917_1924",
        mistakes=(
            Mistake(lambda answer: any(isinstance(item, str) and " " in item for item in answer),
                    "You have the people's names: the question asks for their person_id values (lower case, "
                    "no spaces), so take the person_id column."),
            Mistake(lambda answer: len(answer) == 0,
                    "No one found: check the spelling and the capitals, 'Nashe Slovo', and the column, "
                    "role_1917_1924."),
            Mistake(lambda answer: len(answer) == len(_people()),
                    "You have every person: filter the table with the True/False column that str.contains gives, "
                    "people[...], before taking ['person_id']."),
        ),
        ordered=False,
    ),
    Exercise(
        "l04-russian-deaths", skill="build a dictionary from a table", expected=_russian_deaths,
        look_at="the dictionary methods of lesson 3 (Practice 3.2): dict(zip(keys, values)) or "
                ".set_index(keys)[values].to_dict(), with name as the keys and died as the values",
        mistakes=(
            Mistake(lambda answer: isinstance(answer, dict) and "lenin" in answer,
                    "Your keys are person_id values ('lenin'); the question asks for the names ('Vladimir Lenin')."),
            Mistake(lambda answer: isinstance(answer, dict) and "Lev Kamenev" in answer,
                    "Kamenev is in the table but the review does not name him: start from russians_named."),
            Mistake(lambda answer: isinstance(answer, dict) and 1924 in answer,
                    "Keys and values are swapped: the name comes first, the year of death second."),
        ),
    ),
    Exercise(
        "l04-stalin-events", skill="search text in a column", expected=_stalin_events,
        look_at="the same method as Practice 4.2: str.contains with regex=False inside the table's square "
                "brackets, here on the people column of events, then the event_id column as a list",
        mistakes=(
            Mistake(lambda answer: len(answer) == 0,
                    "No events found. Two common causes: == keeps only the cells that are exactly 'stalin', but the "
                    "people column holds several ids separated by ';' (use str.contains, which finds the id inside "
                    "the cell); and the ids are in lower case, so search for 'stalin', not 'Stalin'."),
            Mistake(lambda answer: 0 < len(answer) < len(_stalin_events()) and set(answer) <= set(_exact_stalin()),
                    "You kept only the events whose people cell is exactly 'stalin': == needs the whole cell to match, "
                    "but the column holds several ids separated by ';'. Use str.contains, which finds the id inside "
                    "the cell."),
            Mistake(lambda answer: len(answer) == len(data.load("events")),
                    "You have every event: filter the table with the True/False column that str.contains gives, "
                    "events[...], before taking ['event_id']."),
        ),
        ordered=False,
    ),
)
