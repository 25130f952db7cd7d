"""Practice for lesson 5 (war communism and the NEP): five fill-in exercises, one skill each.

The expected answers are computed from the course data when a check runs, so
they follow the data if a row is corrected. None of them is one of the
war-communism assignment's computations (which measure came first, every
counterpart, the order of the turn, the overlap in days, the imprecise dates,
the voices): the lesson practises the same skills on other questions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import data
from . import Exercise, Mistake

# The sailors' demands read in the Kronstadt resolution (document kronstadt-resolution),
# numbered as in the resolution, with the area of life each belongs to. "politics" is not
# a domain of policies.csv: the NEP had no measure there. The lesson shows the same dict.
KRONSTADT_DEMANDS = {
    "1 new elections to the soviets by secret ballot": "politics",
    "2 freedom of speech and press": "politics",
    "3 freedom of assembly for unions and peasant organisations": "politics",
    "5 release of socialist and worker political prisoners": "politics",
    "9 equal rations for all who work": "trade",
    "11 peasants free to use their land and keep cattle": "agriculture",
}


def _civil_war_fronts() -> list[str]:
    events = data.load("events")
    chosen = events[(events["theme"] == "war") & (events["country"] == "Soviet Russia (RSFSR)")]
    return chosen["event_id"].tolist()


def _war_events() -> list[str]:
    events = data.load("events")
    return events[events["theme"] == "war"]["event_id"].tolist()


def _concessions_period() -> str:
    policies = data.load("policies")
    return str(policies.set_index("policy_id").loc["concessions", "period"])


def _days_after_wrangel() -> int:
    starts = data.load("events").set_index("event_id")["date_start"]
    return int((starts["nep-decree"] - starts["wrangel-defeat"]).days)


def _events_in_march_1921() -> list[str]:
    events = data.load("events")
    starts = events["date_start"]
    return events[(starts.dt.year == 1921) & (starts.dt.month == 3)]["event_id"].tolist()


def _events_in_1921() -> list[str]:
    events = data.load("events")
    return events[events["date_start"].dt.year == 1921]["event_id"].tolist()


def _demands_touched() -> dict[str, bool]:
    policies = data.load("policies")
    nep_domains = policies[policies["period"] == "NEP"]["domain"].tolist()
    return {demand: area in nep_domains for demand, area in KRONSTADT_DEMANDS.items()}


def _same_values_as_plain_booleans(answer) -> bool:
    """True when a dict holds the right answer but as numpy booleans (np.True_), not True/False."""
    expected = _demands_touched()
    return (isinstance(answer, dict) and set(answer) == set(expected)
            and any(isinstance(value, np.bool_) for value in answer.values())
            and {key: bool(value) for key, value in answer.items()} == expected)


EXERCISES = (
    Exercise(
        "l05-civil-war-fronts", skill="filter rows with two conditions", expected=_civil_war_fronts,
        look_at=("the worked example: two conditions joined with &, each in its own brackets; here one on the "
                 "theme and one on the country (with ==), then [\"event_id\"].tolist()"),
        mistakes=(
            Mistake(lambda answer: sorted(answer) == sorted(_war_events()),
                    "You kept every war event, the First World War's too: add the condition on the country."),
            Mistake(lambda answer: "brest-litovsk" in list(answer),
                    "Brest-Litovsk's country is 'Soviet Russia (RSFSR); Central Powers': it was a peace with "
                    "Germany and its allies, not a front of the civil war. Use == for an exact match, not "
                    "str.contains."),
            Mistake(lambda answer: len(answer) > len(_war_events()),
                    "Your list has events of other themes: add the condition on the theme."),
        ),
        ordered=False,
    ),
    Exercise(
        "l05-concessions-period", skill="look up a value by its id", expected=_concessions_period,
        look_at=('policies.set_index("policy_id") makes the ids the row labels; then .loc["concessions", "period"] '
                 "picks one row and one column"),
        mistakes=(
            Mistake(lambda answer: isinstance(answer, (pd.Series, pd.DataFrame)),
                    "You have a whole row or table: name both the row and the column inside .loc[...]."),
            Mistake(lambda answer: answer == "NEP",
                    "The concessions decree came months before the NEP decree: look the value up in the data "
                    "rather than guessing it."),
        ),
    ),
    Exercise(
        "l05-days-after-wrangel", skill="days between two dates", expected=_days_after_wrangel,
        look_at=("the worked example: look each date up in starts by its event_id, subtract the earlier "
                 "from the later, then add .days"),
        mistakes=(
            Mistake(lambda answer: isinstance(answer, pd.Timedelta),
                    "You have a Timedelta, a length of time with a unit: add .days to get a number."),
            Mistake(lambda answer: answer == -_days_after_wrangel(),
                    "Negative: you took the later date from the earlier one. Write later minus earlier."),
            Mistake(lambda answer: answer == _days_after_wrangel() + 1,
                    "One too many: you counted both the first and the last day. Subtraction counts the days "
                    "in between, which is what 'how many days after' means."),
        ),
    ),
    Exercise(
        "l05-events-in-month", skill="write a function that filters a table", expected=_events_in_march_1921,
        look_at=("inside the function, two conditions on date_start (.dt.year == year and .dt.month == month) "
                 "joined with &, each in brackets; then [\"event_id\"].tolist()"),
        mistakes=(
            Mistake(lambda answer: sorted(answer) == sorted(_events_in_1921()),
                    "You have every event of 1921: add the condition on the month."),
            Mistake(lambda answer: isinstance(answer, pd.DataFrame),
                    "Your function returns a table: end with [\"event_id\"].tolist()."),
        ),
        ordered=False,
    ),
    Exercise(
        "l05-demands-touched", skill="apply a stated rule to each item", expected=_demands_touched,
        look_at=("the worked example known_to_the_day: start with an empty dictionary, loop over "
                 "demands.items() (each demand with its area), and store the rule's True or False for each"),
        mistakes=(
            Mistake(_same_values_as_plain_booleans,
                    "The right values, but as numpy booleans: use `area in nep_domains`, which gives plain "
                    "True or False."),
            Mistake(lambda answer: isinstance(answer, dict) and answer and all(value is True for value in answer.values()),
                    "Every demand is True: check the rule against the area, not the demand's text. "
                    "Is 'politics' one of the NEP's domains?"),
            Mistake(lambda answer: isinstance(answer, dict) and answer and all(value is False for value in answer.values()),
                    "Every demand is False: did you build nep_domains from the NEP rows (period == 'NEP')?"),
        ),
    ),
)
