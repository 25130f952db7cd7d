"""Checks across rows and datasets that a single column's type cannot express.

:func:`leninsmoscow.data.load` already enforces the dictionary (types, allowed
values, ranges, unique keys). What is left are the rules historians care about:
every row cites a work that exists, a person named in the timeline has a
biography, dates run forwards, and Russian dates before the calendar reform
carry their Old Style twin.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd

from . import data

# Soviet Russia moved to the Gregorian calendar on 14 February 1918 (N.S.);
# in the twentieth century the Julian calendar ran 13 days behind.
CALENDAR_REFORM = pd.Timestamp("1918-02-14")
JULIAN_LAG = timedelta(days=13)

# Natural keys of the datasets whose first column is not a key.
NATURAL_KEYS = {
    "hyperinflation": ["month"],
    "strikes": ["country", "year", "measure"],
}
# Longest excerpt of a primary document, in words: a public-domain text may be read at
# length, one still in copyright is quoted briefly (fair dealing), with credit.
EXCERPT_LIMIT = {"public domain": 320, "in copyright": 55}
OPENING_WORDS = 8
# The datasets of facts that data/audit.csv must cover row by row (sources, the
# dictionary and the audit itself are the apparatus, not claims).
AUDITED = ("events", "people", "congresses", "policies", "journey_1920", "errata", "strikes", "hyperinflation",
           "quotations", "review", "documents", "historians", "glossary")


def problems(directory: Path | None = None) -> list[str]:
    """Every rule broken by the datasets, as sentences; empty when all is well."""
    found: list[str] = []
    frames = {}
    for name in data.names(directory):
        try:
            frames[name] = data.load(name, directory)
        except data.DataError as error:
            found.append(str(error))
    if found:
        return found  # later rules assume every file loaded
    for rule in (
        _sources_resolve,
        _every_source_is_used,
        _review_facts_are_confirmed,
        _natural_keys_unique,
        _people_in_events_exist,
        _counterparts_exist,
        _dates_run_forwards,
        _julian_dates_match,
        _journey_stops_in_order,
        _lives_run_forwards,
        _excerpts_are_counted_and_short,
        _debates_have_two_sides,
        _opening_words_are_few,
        _audit_points_at_rows,
        _audit_covers_every_row,
    ):
        found.extend(rule(frames))
    return found


def check(directory: Path | None = None) -> None:
    """Raise one DataError listing every problem, for scripts and tests."""
    found = problems(directory)
    if found:
        raise data.DataError("The course data has problems:\n- " + "\n- ".join(found))


def _where(frame: pd.DataFrame, name: str, position: int) -> str:
    return f"data/{name}.csv, {data.row_label(frame, position)}"


def _source_columns(name: str) -> list[str]:
    return [column.name for column in data.dictionary()[name] if column.dtype == "source"]


def _sources_resolve(frames: dict[str, pd.DataFrame]) -> list[str]:
    known = set(frames["sources"]["source_id"])
    found = []
    for name, frame in frames.items():
        for column in _source_columns(name):
            for position, source in enumerate(frame[column]):
                if isinstance(source, str) and source not in known:
                    found.append(f"{_where(frame, name, position)}: {column} {source!r} is not in data/sources.csv")
    return found


def _every_source_is_used(frames: dict[str, pd.DataFrame]) -> list[str]:
    """A work nobody cites is clutter; a work cited only in prose must be named by its id."""
    cited: set[str] = set()
    prose: list[str] = []
    for name, frame in frames.items():
        if name == "sources":
            continue
        for column in _source_columns(name):
            cited.update(frame[column].dropna())
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
                prose.extend(frame[column].dropna().astype(str))
    text = "\n".join(prose)
    return [
        f"data/sources.csv: {source_id!r} is cited by no row (cite it in a source column or by its id in a note)"
        for source_id in frames["sources"]["source_id"]
        if source_id not in cited and source_id not in text
    ]


def _review_facts_are_confirmed(frames: dict[str, pd.DataFrame]) -> list[str]:
    """The review has slips: an event resting on it needs a second source or says it has none."""
    events = frames["events"]
    found = []
    for position in range(len(events)):
        row = events.iloc[position]
        if row["source"] == "review" and not isinstance(row["confirmed_by"], str):
            if "not confirmed" not in row["description"]:
                found.append(
                    f"{_where(events, 'events', position)}: rests on the review alone; "
                    "add confirmed_by or say 'not confirmed' in the description"
                )
    return found


def _natural_keys_unique(frames: dict[str, pd.DataFrame]) -> list[str]:
    found = []
    for name, key in NATURAL_KEYS.items():
        frame = frames[name]
        repeated = frame.duplicated(subset=key)
        for position in repeated.to_numpy().nonzero()[0]:
            found.append(f"{_where(frame, name, position)}: a second row for the same {', '.join(key)}")
    return found


def _people_in_events_exist(frames: dict[str, pd.DataFrame]) -> list[str]:
    known = set(frames["people"]["person_id"])
    events = frames["events"]
    found = []
    for position, listed in enumerate(events["people"]):
        if not isinstance(listed, str):
            continue
        for person in (item.strip() for item in listed.split(";")):
            if person and person not in known:
                found.append(f"{_where(events, 'events', position)}: person {person!r} is not in data/people.csv")
    return found


def _counterparts_exist(frames: dict[str, pd.DataFrame]) -> list[str]:
    policies = frames["policies"]
    known = set(policies["policy_id"])
    found = []
    for position, counterpart in enumerate(policies["counterpart"]):
        if isinstance(counterpart, str) and counterpart not in known:
            found.append(f"{_where(policies, 'policies', position)}: counterpart {counterpart!r} is not a policy_id")
    return found


def _dates_run_forwards(frames: dict[str, pd.DataFrame]) -> list[str]:
    found = []
    for name in ("events", "congresses"):
        frame = frames[name]
        backwards = frame["date_end"].notna() & (frame["date_end"] < frame["date_start"])
        for position in backwards.to_numpy().nonzero()[0]:
            found.append(f"{_where(frame, name, position)}: date_end is before date_start")
    return found


def _julian_dates_match(frames: dict[str, pd.DataFrame]) -> list[str]:
    events = frames["events"]
    found = []
    russian_before_reform = _is_russian(events) & (events["date_start"] < CALENDAR_REFORM)
    for position in range(len(events)):
        row = events.iloc[position]
        julian = row["julian_date"]
        needs_julian = bool(russian_before_reform.iloc[position]) and row["precision"] == "day"
        if needs_julian and not isinstance(julian, str):
            found.append(f"{_where(events, 'events', position)}: a Russian date before 14 February 1918 needs its julian_date")
        if isinstance(julian, str) and row["precision"] == "day":
            expected = (row["date_start"] - JULIAN_LAG).strftime("%Y-%m-%d")
            if julian != expected:
                found.append(
                    f"{_where(events, 'events', position)}: julian_date {julian} should be {expected} "
                    "(13 days before the Gregorian date)"
                )
    return found


def _is_russian(events: pd.DataFrame) -> pd.Series:
    """Events in the Russian Empire, Republic or Soviet Russia (the country column names the state of the time)."""
    return events["country"].str.contains("Russia", regex=False)


def _journey_stops_in_order(frames: dict[str, pd.DataFrame]) -> list[str]:
    stops = list(frames["journey_1920"]["stop"].astype(int))
    if stops != list(range(1, len(stops) + 1)):
        return [f"data/journey_1920.csv: stops must run 1, 2, 3 ... in file order, found {stops}"]
    return []


def _lives_run_forwards(frames: dict[str, pd.DataFrame]) -> list[str]:
    people = frames["people"]
    backwards = people["died"].notna() & (people["died"] < people["born"])
    return [
        f"{_where(people, 'people', position)}: died before being born"
        for position in backwards.to_numpy().nonzero()[0]
    ]


def _excerpts_are_counted_and_short(frames: dict[str, pd.DataFrame]) -> list[str]:
    documents = frames["documents"]
    found = []
    for position in range(len(documents)):
        row = documents.iloc[position]
        words = len(row["excerpt"].split())
        if words != row["excerpt_words"]:
            found.append(f"{_where(documents, 'documents', position)}: excerpt_words says {row['excerpt_words']}, "
                         f"the excerpt has {words}")
        limit = EXCERPT_LIMIT[row["copyright"]]
        if words > limit:
            found.append(f"{_where(documents, 'documents', position)}: {words} words of a text {row['copyright']}; "
                         f"at most {limit}")
    return found


def _debates_have_two_sides(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Where historians disagree, the course names at least two of them on different sides."""
    historians = frames["historians"]
    found = []
    for debate in historians["debate"].cat.categories:
        rows = historians[historians["debate"] == debate]
        if rows["historian"].nunique() < 2 or rows["side"].nunique() < 2:
            found.append(f"data/historians.csv: the debate {debate!r} needs two named historians on different sides")
    return found


def _opening_words_are_few(frames: dict[str, pd.DataFrame]) -> list[str]:
    review = frames["review"]
    return [f"{_where(review, 'review', position)}: opening_words has more than {OPENING_WORDS} words"
            for position, words in enumerate(review["opening_words"]) if len(words.split()) > OPENING_WORDS]


def row_keys(frames: dict[str, pd.DataFrame], name: str) -> list[str]:
    """How data/audit.csv names each row of a dataset (see the dictionary's audit.where)."""
    frame = frames[name]
    if name == "strikes":
        return [f"{c}-{y}-{m}" for c, y, m in zip(frame["country"], frame["year"], frame["measure"])]
    if name == "hyperinflation":
        return [month.strftime("%Y-%m-%d") for month in frame["month"]]
    return [str(value) for value in frame.iloc[:, 0]]


def _audit_points_at_rows(frames: dict[str, pd.DataFrame]) -> list[str]:
    audit = frames["audit"]
    found = []
    keys = {name: set(row_keys(frames, name)) for name in AUDITED}
    for position, where in enumerate(audit["where"]):
        dataset, _, key = where.partition(":")
        if "/" in dataset:
            continue  # a notebook cell: checked by tests/test_audit.py, which reads the notebooks
        if dataset not in keys or key not in keys[dataset]:
            found.append(f"{_where(audit, 'audit', position)}: {where!r} names no row of data/")
    return found


def _audit_covers_every_row(frames: dict[str, pd.DataFrame]) -> list[str]:
    covered = set(frames["audit"]["where"])
    return [f"data/audit.csv: no check recorded for {name}:{key}"
            for name in AUDITED for key in row_keys(frames, name) if f"{name}:{key}" not in covered]
