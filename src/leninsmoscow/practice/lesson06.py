"""Practice for lesson 6: the Communist International, the trade unions and the united front.

Each expected answer is computed from the course data when the check runs, so
it stays right if a row is corrected.
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


def _peaks_and_1922():
    strikes = data.load("strikes")
    disputes = strikes[strikes["measure"] == "disputes"]
    peak = disputes[disputes["year"].isin([1919, 1920])].groupby("country", observed=True)["value"].max().to_dict()
    in_1922 = disputes[disputes["year"] == 1922].set_index("country")["value"].to_dict()
    return {str(country): value for country, value in peak.items()}, {str(c): v for c, v in in_1922.items()}


def _disputes_halved():
    peak, in_1922 = _peaks_and_1922()
    return {country: bool(in_1922[country] < peak[country] / 2) for country in in_1922}


def _theses_to_fourth():
    events = data.load("events").set_index("event_id")
    return int((events.loc["comintern-4", "date_start"] - events.loc["united-front-theses", "date_start"]).days)


EXERCISES = (
    Exercise(
        "l06-congresses-in-order", skill="sort by date and list a column", expected=_congresses_in_order,
        look_at="congresses.sort_values(\"date_start\")[\"congress_id\"].tolist()",
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
        look_at="people.set_index(\"person_id\").loc[militants, \"trajectory\"].to_dict()",
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
        look_at="(profintern_opens - council_agreed).days, the later date first",
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
        "l06-disputes-halved", skill="apply a stated rule to each item", expected=_disputes_halved,
        look_at="{country: in_1922[country] < peak[country] / 2 for country in in_1922}",
        mistakes=(
            Mistake(lambda answer: isinstance(answer, dict) and any(
                        isinstance(value, (int, float)) and not isinstance(value, bool) for value in answer.values()),
                    "Your values should be True or False (the rule's verdict), not the numbers themselves."),
            Mistake(lambda answer: isinstance(answer, dict) and "Britain" in answer,
                    "Britain has no count of disputes for 1922 in the data: loop over the countries of in_1922 only."),
            Mistake(lambda answer: isinstance(answer, dict) and answer == {country: not verdict for country, verdict
                                                                  in _disputes_halved().items()},
                    "Every verdict is the wrong way round: the rule asks whether 1922 is BELOW half the peak (<)."),
            Mistake(lambda answer: isinstance(answer, dict) and answer.get("Germany") is True,
                    "Check Germany again: its 1922 number is higher than its peak, so it cannot be below half of it."),
        ),
    ),
    Exercise(
        "l06-theses-to-fourth", skill="days between two dates", expected=_theses_to_fourth,
        look_at="(fourth_opens - theses_adopted).days, the later date first",
        mistakes=(
            Mistake(lambda answer: answer == -_theses_to_fourth(),
                    "A negative number: subtract the earlier date (the theses) from the later one (the congress)."),
            Mistake(lambda answer: hasattr(answer, "days") and not isinstance(answer, int),
                    "You have a length of time (Timedelta): add .days to turn it into a number."),
        ),
    ),
)
