"""Practice for lesson 5 (war communism and the NEP): seven fill-in exercises.

The expected answers are computed from the course data when a check runs, so
they follow the data if a row is corrected. None of them is one of the
war-communism assignment's computations (the timing of eight events against
the NEP decree of 21 March 1921, the days from the concessions decree, the
measures of the war, the years after 1921 of the accounts of Kronstadt): the
lesson practises the same skills on other days, events and debates.
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

# Practice 5.6: the events compared with the day the Tenth Congress opened (the lesson shows the list).
CONGRESS_OPENS = pd.Timestamp("1921-03-08")
TO_COMPARE = ["kronstadt-rising", "georgia-invasion", "concessions-decree", "rosmer-arrives-moscow",
              "famine-1921", "tenth-party-congress", "party-unity-resolution", "nep-decree"]
SHAPE = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
# The two months the check asks events_in_month for (Practice 5.5).
MONTHS_ASKED = [(1921, 3), (1920, 11)]


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


def _dated_war_communism() -> pd.DataFrame:
    historians = data.load("historians")
    return historians[(historians["debate"] == "war communism") & historians["year"].notna()]


def _debate_years() -> dict[str, int]:
    dated = _dated_war_communism()
    return {str(position_id): int(year) - 1921 for position_id, year in zip(dated["position_id"], dated["year"])}


def _days_after_wrangel() -> int:
    starts = data.load("events").set_index("event_id")["date_start"]
    return int((starts["nep-decree"] - starts["wrangel-defeat"]).days)


def _events_in(year: int, month: int) -> list[str]:
    events = data.load("events")
    starts = events["date_start"]
    return events[(starts.dt.year == year) & (starts.dt.month == month)]["event_id"].tolist()


def _events_in_months() -> list[list[str]]:
    return [_events_in(year, month) for year, month in MONTHS_ASKED]


def _events_in_years() -> list[list[str]]:
    events = data.load("events")
    return [sorted(events[events["date_start"].dt.year == year]["event_id"]) for year, _ in MONTHS_ASKED]


def _still_blank(answer) -> bool:
    return isinstance(answer, (list, tuple)) and any(part is ... for part in answer)


def _other_order(answer) -> bool:
    return ([sorted(part) for part in answer] == [sorted(part) for part in _events_in_months()]
            and [list(part) for part in answer] != _events_in_months())


def _same_for_both(answer) -> bool:
    """A function that ignores its inputs gives the same list for both months."""
    return isinstance(answer, (list, tuple)) and len(answer) == 2 and list(answer[0]) == list(answer[1])


def _timing(day: pd.Timestamp, event_ids: list[str]) -> dict[str, str]:
    by_id = data.load("events").set_index("event_id")
    found = {}
    for event_id in event_ids:
        fmt = SHAPE[by_id.loc[event_id, "precision"]]
        known, asked = by_id.loc[event_id, "date_start"].strftime(fmt), day.strftime(fmt)
        found[event_id] = "before" if known < asked else "after" if known > asked else "cannot tell"
    return found


def _timing_at_congress() -> dict[str, str]:
    return _timing(CONGRESS_OPENS, TO_COMPARE)


def _timing_as_if_to_the_day() -> dict[str, str]:
    """The classic error: every date_start compared as if it were known to the day."""
    starts = data.load("events").set_index("event_id")["date_start"]
    return {event_id: "before" if starts[event_id] < CONGRESS_OPENS else "after" if starts[event_id] > CONGRESS_OPENS
            else "cannot tell" for event_id in TO_COMPARE}


def _imprecise_read_as_day(answer) -> bool:
    """Right for the events known to the day, but an event known only to the month or year placed by its
    first day (the famine 'before' the congress)."""
    if not isinstance(answer, dict):
        return False
    by_id = data.load("events").set_index("event_id")
    coarse = [event_id for event_id in TO_COMPARE if by_id.loc[event_id, "precision"] != "day"]
    naive, expected = _timing_as_if_to_the_day(), _timing_at_congress()
    return any(answer.get(event_id) == naive[event_id] != expected[event_id] for event_id in coarse)


def _same_day_placed(answer) -> bool:
    return isinstance(answer, dict) and answer.get("tenth-party-congress") in ("before", "after")


def _swapped(answer) -> bool:
    expected = _timing_at_congress()
    swap = {"before": "after", "after": "before", "cannot tell": "cannot tell"}
    return isinstance(answer, dict) and answer == {key: swap[value] for key, value in expected.items()}


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
                 "theme and one on the country (with ==), then the event_id column as a list"),
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
        look_at=("the worked example with policy_table: make the ids the row labels with set_index, then name the "
                 "row and the column inside .loc[...]"),
        mistakes=(
            Mistake(lambda answer: isinstance(answer, (pd.Series, pd.DataFrame)),
                    "You have a whole row or table: name both the row and the column inside .loc[...]."),
            Mistake(lambda answer: answer == "NEP",
                    "The concessions decree came months before the NEP decree: look the value up in the data "
                    "rather than guessing it."),
        ),
    ),
    Exercise(
        "l05-debate-years", skill="look up a value by its id", expected=_debate_years,
        look_at=("the worked example with works and stalinism_ids: a dictionary built in one line, each year "
                 "looked up with .loc[position_id, \"year\"], turned into a whole number, minus the year asked"),
        mistakes=(
            Mistake(lambda answer: isinstance(answer, dict) and bool(
                        {"roberts-war-communism", "deutscher-war-communism"} & set(answer)),
                    "Roberts's and Deutscher's rows have no year: loop over dated_ids, which leaves them out."),
            Mistake(lambda answer: isinstance(answer, dict) and answer and all(
                        isinstance(value, (int, float, np.integer)) and value > 1900 for value in answer.values()),
                    "Those are the years themselves: subtract 1921 from each."),
            Mistake(lambda answer: isinstance(answer, dict) and answer == {key: -value for key, value
                                                                          in _debate_years().items()},
                    "Negative numbers: take 1921 from the year (year - 1921), not the other way round."),
            Mistake(lambda answer: isinstance(answer, dict) and set(answer) == set(_debate_years()) and any(
                        key == "trotsky-war-communism" and value != _debate_years()[key] for key, value in answer.items()),
                    "Check each year against its own id: look it up with the id of that position."),
        ),
    ),
    Exercise(
        "l05-days-after-wrangel", skill="days between two dates", expected=_days_after_wrangel,
        look_at=("the worked example: look each date up in starts by its event_id, subtract the earlier "
                 "from the later, then turn the length of time into a number of days"),
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
        "l05-events-in-month", skill="write a function that filters a table", expected=_events_in_months,
        look_at=("inside the function, two conditions on date_start (one on .dt.year, one on .dt.month), each "
                 "compared with the function's own input, joined with & and each in brackets; end with the "
                 "event_id column as a list"),
        mistakes=(
            Mistake(_still_blank,
                    "Your turn: the function still returns ... ; replace the ... inside it with your filter, then run "
                    "this cell again."),
            Mistake(_other_order,
                    "The right events, but in another order: keep the table's order (leave out sort_values)."),
            Mistake(_same_for_both,
                    "Your function gives the same list for March 1921 and for November 1920: it must use its "
                    "inputs year and month, not fixed numbers."),
            Mistake(lambda answer: [sorted(part) for part in answer] == _events_in_years(),
                    "You have every event of the year: add the condition on the month."),
            Mistake(lambda answer: any("date_start" in part or (len(part) and not isinstance(part[0], str))
                                       for part in answer),
                    "Your function returns a table or its columns, not the ids: end with the event_id column "
                    "as a list (.tolist())."),
        ),
    ),
    Exercise(
        "l05-timing-rule", skill="compare dates at their precision", expected=_timing_at_congress,
        look_at=("the worked example timing_at_wrangel: for each event, choose the format from its precision, "
                 "format both its date_start and the day with .strftime, then compare the two texts"),
        mistakes=(
            Mistake(_imprecise_read_as_day,
                    "You compared date_start as if every date were known to the day. The famine's date_start, "
                    "the first day of 1921, only stands for the year 1921, a span that includes 8 March: "
                    "'cannot tell'. Format both dates at the event's precision before comparing."),
            Mistake(_same_day_placed,
                    "The congress began on 8 March itself: an event known to the day that began on the day asked "
                    "is 'cannot tell', since the data do not say which came first."),
            Mistake(_swapped,
                    "Your 'before' and 'after' are swapped: 'before' means the event's span ends before the day."),
            Mistake(lambda answer: isinstance(answer, dict) and any(isinstance(value, (bool, np.bool_))
                                                                    for value in answer.values()),
                    "Use the three answers of the rule as text: 'before', 'after' or 'cannot tell'."),
        ),
    ),
    Exercise(
        "l05-demands-touched", skill="apply a stated rule to each item", expected=_demands_touched,
        look_at=("the loop of the timing worked example: start with an empty dictionary, loop over "
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
