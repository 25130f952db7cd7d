"""The answer-key harness: every expected value of every hidden test, recomputed from the course data.

The hidden tests compare answers with literals written when an assignment was
written. Data change (the history issue corrected dozens of rows), so a literal
can silently go stale: the solution notebook would then be graded against
yesterday's facts. This harness recomputes each literal from data/ with code
written apart from the solutions (pandas Periods for the date rule, plain
lookups for the rest), so that a stale or mistyped key fails a test.

``KEYS[assignment][test grade_id]`` is a function of a :class:`Context` (the
data and the labels the assignment's setup cell defines) and of the hidden
check; it returns the value the check must expect. A function item is checked
call by call: the harness reads the calls the hidden test makes and answers
each with its own implementation.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cached_property

import nbformat
import pandas as pd

from helpers import ROOT

from leninsmoscow import data

PERIOD = {"day": "D", "month": "M", "year": "Y"}


@dataclass
class Context:
    """One assignment's setup: its label tables (from the setup cell) and the course data."""

    assignment: str

    @cached_property
    def notebook(self):
        return nbformat.read(ROOT / "solutions" / self.assignment / f"{self.assignment}.ipynb", as_version=4)

    @cached_property
    def labels(self) -> dict[str, dict]:
        """The setup cell's literal dictionaries (DECREE_EVENTS = {"E1": "famine-1921", ...})."""
        setup = next(cell for cell in self.notebook.cells if cell.metadata["nbgrader"]["grade_id"] == "setup")
        found = {}
        for node in ast.parse(setup.source).body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                found[node.targets[0].id] = ast.literal_eval(node.value)
        return found

    @cached_property
    def events(self) -> pd.DataFrame:
        return data.load("events").set_index("event_id")

    def start(self, event_id: str) -> pd.Timestamp:
        return self.events.loc[event_id, "date_start"]

    def end(self, event_id: str) -> pd.Timestamp:
        return self.events.loc[event_id, "date_end"]


def timing(context: Context, event_id: str, day: str) -> str:
    """The course's date rule, through pandas Periods: the span a date is known to lie in, against a day."""
    row = context.events.loc[event_id]
    span = pd.Period(row["date_start"], freq=PERIOD[row["precision"]])
    asked = pd.Timestamp(day)
    if span.end_time < asked:
        return "before"
    if span.start_time > asked:
        return "after"
    return "cannot tell"


def written_year(account: str) -> int:
    documents = data.load("documents").set_index("document_id")
    if account in documents.index:
        return int(documents.loc[account, "date"].year)
    return int(data.load("historians").set_index("position_id").loc[account, "year"])


def account_kind(account: str, events_year: int) -> str:
    """The sourcing rule of the assignments' C1: at the time (two years at most), then before or since 1991."""
    year = written_year(account)
    if year <= events_year + 2:
        return "at the time"
    return "before the archives" if year < 1991 else "since the archives"


def strike_value(country: str, measure: str, year: int):
    strikes = data.load("strikes")
    found = strikes[(strikes["country"] == country) & (strikes["measure"] == measure) & (strikes["year"] == year)]
    return None if found.empty else float(found["value"].iloc[0])


def change(country: str, measure: str, first_year: int, second_year: int):
    first, second = strike_value(country, measure, first_year), strike_value(country, measure, second_year)
    return None if first is None or second is None else round(second / first, 2)


def rate(month: str) -> float:
    table = data.load("hyperinflation")
    return float(table.loc[table["month"] == pd.Timestamp(f"{month}-01"), "marks_per_dollar"].iloc[0])


def price_in_marks(price_1914: float, month: str) -> float:
    return price_1914 * rate(month) / rate("1914-07")


def recovered_months(first: str, last: str, below: float = 0.99) -> list[str]:
    table = data.load("hyperinflation").sort_values("month").reset_index(drop=True)
    months = []
    for index in range(1, len(table)):
        month = table.loc[index, "month"]
        if pd.Timestamp(first) <= month <= pd.Timestamp(last) and \
                table.loc[index, "marks_per_dollar"] < below * table.loc[index - 1, "marks_per_dollar"]:
            months.append(month.strftime("%Y-%m"))
    return months


def civil_war_place(context: Context, policy_id: str) -> str:
    introduced = data.load("policies").set_index("policy_id").loc[policy_id, "introduced"]
    if pd.isna(introduced):
        return "no date"
    inside = context.start("czech-legion-revolt") <= introduced <= context.start("wrangel-defeat")
    return "during" if inside else "outside"


def calls(check, implementation):
    """Answer each call of a function item's hidden test with the harness's own implementation."""
    answers = []
    for call in ast.parse(check.answer_source, mode="eval").body.elts:
        answers.append(implementation(*[ast.literal_eval(arg) for arg in call.args]))
    return answers


def each(labels: dict, rule) -> dict:
    return {label: rule(item) for label, item in labels.items()}


def days(context: Context, earlier, later) -> int:
    return int((later - earlier).days)


KEYS = {
    "war-communism": {
        "test-decision-timing": lambda c, _: each(c.labels["DECISION_EVENTS"], lambda e: timing(c, e, "1921-03-16")),
        "test-concessions-gap": lambda c, _: days(c, c.start("concessions-decree"), c.start("nep-decree")),
        "test-timing": lambda c, check: calls(check, lambda event_id, day: timing(c, event_id, day)),
        "test-civil-war-measures": lambda c, _: each(c.labels["MEASURES"], lambda p: civil_war_place(c, p)),
        "test-accounts-kinds": lambda c, _: each(c.labels["KRONSTADT_ACCOUNTS"], lambda a: account_kind(a, 1921)),
    },
    "united-front": {
        "test-change": lambda c, check: calls(check, change),
        "test-subsiding": lambda c, _: each(c.labels["SERIES"], lambda series: (
            "no data" if change(*series, 1920, 1922) is None
            else "supported" if change(*series, 1920, 1922) < 1 else "not supported")),
        "test-turn-order": lambda c, _: sorted(c.labels["TURN_EVENTS"], key=lambda label: c.start(c.labels["TURN_EVENTS"][label])),
        "test-action-to-congress": lambda c, _: days(c, c.end("march-action"), c.start("comintern-3")),
        "test-theses-timing": lambda c, _: each(c.labels["THESES_EVENTS"], lambda e: timing(c, e, "1921-12-18")),
        "test-theses-to-berlin": lambda c, _: days(c, c.start("united-front-theses"),
                                                   c.start("three-internationals-conference")),
        "test-accounts-kinds": lambda c, _: each(c.labels["UNITED_FRONT_ACCOUNTS"], lambda a: account_kind(a, 1921)),
    },
    "year-1923": {
        "test-price-in-marks": lambda c, check: calls(check, price_in_marks),
        "test-recovered": lambda c, _: recovered_months("1921-01-01", "1923-12-01"),
        "test-chemnitz-timing": lambda c, _: each(c.labels["CHEMNITZ_EVENTS"], lambda e: timing(c, e, "1923-10-21")),
        "test-resistance-to-chemnitz": lambda c, _: days(c, c.start("passive-resistance-ends"),
                                                         c.start("chemnitz-conference")),
        "test-accounts-kinds": lambda c, _: each(c.labels["OCTOBER_ACCOUNTS"], lambda a: account_kind(a, 1923)),
    },
}
