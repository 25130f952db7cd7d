"""Practice for lesson 6: the Communist International, the trade unions and the united front.

Each expected answer is computed from the course data when the check runs, so
it stays right if a row is corrected. None is one of the united-front
assignment's computations (1922 against 1920 in the strike series, the order of
the turn, the days from the March Action to the Third Congress and from the
theses to Berlin, the years after 1921 of the accounts): the strike practice
tests the other half of the reviewer's sentence, 1919 against 1913.
"""

from __future__ import annotations

from .. import data
from . import Exercise, Mistake

MILITANTS = ["rosmer", "monatte", "pestana", "nin", "malatesta"]


def _congresses_in_order():
    congresses = data.load("congresses")
    return congresses.sort_values("date_start")["congress_id"].tolist()


def _table_order():
    return data.load("congresses")["congress_id"].tolist()


def _militants_paths():
    people = data.load("people")
    return {person: str(path) for person, path in
            people.set_index("person_id").loc[MILITANTS, "trajectory"].to_dict().items()}


def _council_to_congress():
    events = data.load("events").set_index("event_id")
    return int((events.loc["profintern-founded", "date_start"] - events.loc["mezhsovprof", "date_start"]).days)


def _disputes(year: int) -> dict[str, float]:
    strikes = data.load("strikes")
    disputes = strikes[strikes["measure"] == "disputes"]
    return {str(country): float(value) for country, value in
            disputes[disputes["year"] == year].set_index("country")["value"].to_dict().items()}


def _disputes_shot_up():
    in_1913, in_1919 = _disputes(1913), _disputes(1919)
    return {country: bool(in_1919[country] >= 2 * in_1913[country]) for country in in_1913}


def _merely_rose():
    in_1913, in_1919 = _disputes(1913), _disputes(1919)
    return {country: bool(in_1919[country] > in_1913[country]) for country in in_1913}


EXERCISES = (
    Exercise(
        "l06-congresses-in-order", skill="sort by date and list a column", expected=_congresses_in_order,
        look_at=("the worked example on Rosmer's events: sort the whole table by its date column first, then take "
                 "the column you want as a list"),
        mistakes=(
            Mistake(lambda answer: list(answer) == _table_order(),
                    "That is the table's own order (all the Comintern rows first): sort by date_start before you list."),
            Mistake(lambda answer: list(answer) == _congresses_in_order()[::-1],
                    "You have the latest congress first: sort_values sorts earliest first unless you ask "
                    "for ascending=False, so leave that out."),
            Mistake(lambda answer: list(answer) == data.load("congresses").sort_values("date_start")["name"].tolist(),
                    "Those are the names: the question asks for the congress_id column."),
        ),
    ),
    Exercise(
        "l06-militants-paths", skill="build a dictionary from a table", expected=_militants_paths,
        look_at=("the second worked example on congresses: make the ids the index, keep only the rows of "
                 "militants with .loc, take the trajectory column and turn it into a dictionary"),
        mistakes=(
            Mistake(lambda answer: hasattr(answer, "to_dict"),
                    "You have a column (Series), not a dictionary: end with .to_dict()."),
            Mistake(lambda answer: isinstance(answer, dict) and "Alfred Rosmer" in answer,
                    "Your keys are names: set the index to person_id, so that the keys are ids like 'rosmer'."),
            Mistake(lambda answer: isinstance(answer, dict) and len(answer) > len(MILITANTS),
                    "Your dictionary holds everybody: keep only the five ids in militants with .loc[militants, ...]."),
        ),
    ),
    Exercise(
        "l06-council-to-congress", skill="days between two dates", expected=_council_to_congress,
        look_at="the worked example: the later date minus the earlier one, then turn the length into days",
        mistakes=(
            Mistake(lambda answer: answer == -_council_to_congress(),
                    "A negative number: subtract the earlier date from the later one."),
            Mistake(lambda answer: answer == _council_to_congress() + 1,
                    "One day too many: the question asks for the days between, so do not add 1."),
            Mistake(lambda answer: hasattr(answer, "days") and not isinstance(answer, int),
                    "You have a length of time (Timedelta): add .days to turn it into a number."),
        ),
    ),
    Exercise(
        "l06-disputes-shot-up", skill="apply a stated rule to each item", expected=_disputes_shot_up,
        look_at=("the worked example on congresses: a dictionary comprehension that loops over the countries of "
                 "in_1913 and stores the rule's test (is the 1919 number at least 2 times the 1913 number?) for each"),
        mistakes=(
            Mistake(lambda answer: isinstance(answer, dict) and any(
                        isinstance(value, (int, float)) and not isinstance(value, bool) for value in answer.values()),
                    "Your values should be True or False (the rule's verdict), not the numbers themselves."),
            Mistake(lambda answer: isinstance(answer, dict) and "France" in answer,
                    "France has no count of disputes for 1913: loop over the countries of in_1913 only."),
            Mistake(lambda answer: isinstance(answer, dict) and answer == _merely_rose() != _disputes_shot_up(),
                    "You tested whether 1919 was higher than 1913; the rule asks whether it was at least twice "
                    "as high (>= 2 * ...)."),
            Mistake(lambda answer: isinstance(answer, dict) and answer == {country: not verdict for country, verdict
                                                                  in _disputes_shot_up().items()},
                    "Every verdict is the wrong way round: the rule asks whether 1919 is AT LEAST twice 1913."),
        ),
    ),
)
