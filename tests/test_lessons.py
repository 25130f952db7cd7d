"""The lessons run cleanly offline, quote only the data, date only from the data, and follow the lesson plan.

Each lesson is executed in a fresh kernel between guard cells (see
``tests/helpers/notebook_runner.py``): it fails on an error, on anything written to
stderr and on any attempt to reach a host other than loopback. The other checks
read the lessons' Markdown and are quick.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import nbformat
import pytest
from helpers import ROOT

from leninsmoscow import data
from helpers.notebook_runner import execute_notebook

NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(path for path in NOTEBOOKS.glob("*.ipynb") if ".ipynb_checkpoints" not in path.parts)
NO_LESSONS = "no lessons yet: notebooks/ holds no .ipynb file"

MAX_QUOTATIONS_PER_LESSON = 5  # "a few": the course quotes the review briefly, it does not reproduce it
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DATE = re.compile(r"\b(?:(\d{1,2})\s+)?(" + "|".join(MONTHS) + r")\s+(\d{4})\b")
EM_DASH = "—"
QUOTE_MARKS = "\"'“”‘’«»„"
EMPHASIS = "*_"
WIDGETS = ("TimelineExplorer", "JourneyMap", "InflationExplorer", "StrikeChart", "PeopleExplorer")
SELF_CHECKS = ("MultipleChoice", "OrderingQuestion", "MatchingQuestion")
HISTORIANS_SKILLS = {
    "Sourcing": r"\bsourcing\b",
    "Contextualisation": r"\bcontextuali[sz]ation\b",
    "Corroboration": r"\bcorroboration\b",
    "Close reading": r"\bclose reading\b",
}


def lessons():
    """One parameter per lesson; a single skipped one, saying why, while there are none."""
    if not LESSONS:
        return [pytest.param(None, id="no-lessons", marks=pytest.mark.skip(reason=NO_LESSONS))]
    return [pytest.param(path, id=path.name) for path in LESSONS]


# -- reading a lesson ---------------------------------------------------------


@cache
def _read(path):
    return nbformat.read(path, as_version=4)


def markdown_lines(path) -> list[tuple[int, str]]:
    """(cell number, line) for every Markdown line outside fenced code blocks."""
    found = []
    for number, cell in enumerate(_read(path).cells):
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
                continue
            if not fenced:
                found.append((number, line))
    return found


def code_sources(path) -> list[str]:
    return [cell.source for cell in _read(path).cells if cell.cell_type == "code"]


def is_blockquote(line: str) -> bool:
    return line.lstrip(" ").startswith(">")


def headings(path) -> list[tuple[str, str]]:
    """(heading text, the text under it up to the next heading)."""
    sections: list[tuple[str, list[str]]] = []
    for _, line in markdown_lines(path):
        match = re.match(r"\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            sections.append((match.group(1), []))
        elif sections:
            sections[-1][1].append(line)
    return [(title, "\n".join(body)) for title, body in sections]


# -- quotations ---------------------------------------------------------------


def _unwrap(text: str) -> str:
    """Strip spaces, Markdown emphasis and quotation marks from both ends."""
    previous = None
    while text != previous:
        previous = text
        text = text.strip().strip(EMPHASIS).strip(QUOTE_MARKS)
    return text


def quoted_text(line: str, quotations: set[str]) -> tuple[str | None, bool]:
    """(the quotation a blockquote line gives, whether the line holds any text at all).

    The line loses its leading '>' marks, then an attribution after an em dash
    if there is one, then surrounding quotation marks. Quotations may
    themselves contain an em dash, so every cut is tried, the whole line first.
    """
    text = line.lstrip(" >").strip()
    if not text:
        return None, False
    cuts = [len(text)] + [index for index, char in enumerate(text) if char == EM_DASH]
    for cut in cuts:
        kept = text[:cut]
        for candidate in (kept.strip(), _unwrap(kept)):
            if candidate in quotations:
                return candidate, True
    attribution_only = not _unwrap(text[: cuts[1]]) if len(cuts) > 1 else False
    return None, not attribution_only


@pytest.mark.parametrize("path", lessons())
def test_blockquotes_quote_the_data_exactly_and_sparingly(path):
    quotations = set(data.load("quotations")["text"])
    wrong, used = [], set()
    for cell, line in markdown_lines(path):
        if not is_blockquote(line):
            continue
        quote, has_text = quoted_text(line, quotations)
        if quote:
            used.add(quote)
        elif has_text:
            wrong.append(f"cell {cell}: {line.strip()[:100]!r}")
    assert not wrong, (
        f"{path.name}: these blockquote lines are not the exact text of a row of data/quotations.csv:\n  "
        + "\n  ".join(wrong)
        + "\nQuote only from the data, word for word (curly apostrophes included), one quotation per line; "
        "an attribution may follow an em dash (> “text” — Alfred Rosmer). Use a blockquote for nothing else."
    )
    assert len(used) <= MAX_QUOTATIONS_PER_LESSON, (
        f"{path.name} quotes {len(used)} passages of the review; a lesson may quote at most "
        f"{MAX_QUOTATIONS_PER_LESSON}. Keep the ones the lesson works on and point students to the review's "
        "paragraphs for the rest. Quoted: " + "; ".join(sorted(quote[:50] for quote in used))
    )


def test_quotation_lines_are_recognised():
    """The parsing rules themselves, so the lesson checks cannot pass by accident."""
    quotations = {"It was Moscow without Lenin.", "Most would later split three ways—some towards Stalinism"}
    assert quoted_text("> It was Moscow without Lenin.", quotations)[0] == "It was Moscow without Lenin."
    assert quoted_text("> “It was Moscow without Lenin.” — Alfred Rosmer", quotations)[0]
    assert quoted_text("> *\"It was Moscow without Lenin.\"*", quotations)[0]
    assert quoted_text("> Most would later split three ways—some towards Stalinism — the reviewer", quotations)[0]
    assert quoted_text("> It was Moscow without Lenin", quotations) == (None, True)  # full stop missing
    assert quoted_text("> **Note:** remember this", quotations) == (None, True)
    assert quoted_text(">", quotations) == (None, False)
    assert quoted_text("> — Alfred Rosmer, paragraph 38", quotations) == (None, False)


# -- dates --------------------------------------------------------------------


@lru_cache(maxsize=1)
def data_dates() -> tuple[frozenset, frozenset]:
    """(days the data states exactly, (year, month) pairs the data mentions).

    Sources: events (date_start and date_end, and the Old Style julian_date,
    at the event's precision), congresses (opening and closing days),
    policies (introduced), hyperinflation (months), and the dates written in
    the text of errata (what the review printed and the correction) and of
    source citations (publication dates for further reading).
    """
    days, months = set(), set()

    def add(stamp, precision="day"):
        if stamp is None or stamp != stamp:
            return
        if precision == "day":
            days.add(stamp.date())
        if precision in ("day", "month"):
            months.add((stamp.year, stamp.month))

    import pandas as pd

    events = data.load("events")
    for event in events.itertuples():
        add(event.date_start, event.precision)
        add(event.date_end if not pd.isna(event.date_end) else None, event.precision)
        if isinstance(event.julian_date, str):
            add(pd.Timestamp(event.julian_date), event.precision)
    for congress in data.load("congresses").itertuples():
        add(congress.date_start)
        add(congress.date_end)
    for introduced in data.load("policies")["introduced"].dropna():
        add(introduced)
    for month in data.load("hyperinflation")["month"]:
        add(month, "month")
    texts = list(data.load("errata")[["as_printed", "correct"]].stack()) + list(data.load("sources")["citation"])
    for text in texts:
        for day, month, year in DATE.findall(str(text)):
            stamp = pd.Timestamp(int(year), MONTHS.index(month) + 1, int(day) if day else 1)
            add(stamp, "day" if day else "month")
    return frozenset(days), frozenset(months)


def undated(text: str) -> list[str]:
    """The dates written in ``text`` that the data does not hold."""
    import datetime

    days, months = data_dates()
    missing = []
    for match in DATE.finditer(text):
        day, month, year = match.groups()
        number = MONTHS.index(month) + 1
        if day:
            try:
                known = datetime.date(int(year), number, int(day)) in days
            except ValueError:  # 31 February
                known = False
        else:
            known = (int(year), number) in months
        if not known:
            missing.append(match.group(0))
    return missing


@pytest.mark.parametrize("path", lessons())
def test_dates_in_the_lesson_are_dates_in_the_data(path):
    problems = [
        f"cell {cell}: '{mention}'"
        for cell, line in markdown_lines(path)
        if not is_blockquote(line)  # quotations are checked word for word above
        for mention in undated(line)
    ]
    assert not problems, (
        f"{path.name} states dates that are not in data/:\n  " + "\n  ".join(problems) + "\n"
        "A full date ('21 January 1924') must equal a date in events.csv (date_start, date_end, julian_date), "
        "congresses.csv (date_start, date_end) or policies.csv (introduced); a month ('January 1924') matches "
        "any of those dates in that month, or a month of hyperinflation.csv. To fix: correct the date, write only "
        "the month if the data knows only the month, or first add the fact with its source to the data."
    )


def test_date_matching_rules():
    """A month mention matches any date in the month; a full date must be exact."""
    days, _ = data_dates()
    known = min(days)
    written = f"{known.day} {MONTHS[known.month - 1]} {known.year}"
    assert undated(f"On {written} it began.") == []
    assert undated(f"In {MONTHS[known.month - 1]} {known.year} it began.") == []
    assert undated("On 31 February 1921 nothing happened.") == ["31 February 1921"]
    assert undated("In March 1850 nothing happened.") == ["March 1850"]


# -- the lesson plan ----------------------------------------------------------


@pytest.mark.parametrize("path", lessons())
def test_lesson_has_the_sections_the_plan_asks_for(path):
    sections = headings(path)
    titles = [title for title, _ in sections]
    code = "\n".join(code_sources(path))
    missing = []
    if not any(re.search(r"learning objectives", title, re.IGNORECASE) for title in titles):
        missing.append("a 'Learning objectives' heading")
    if not any(re.search(r"\bread\b", title, re.IGNORECASE) and re.search(r"\breview\b", body, re.IGNORECASE)
               for title, body in sections):
        missing.append("a 'Read' heading (e.g. '## Read first') whose text points to the review's paragraphs")
    if not re.search(r"\b(" + "|".join(WIDGETS) + r")\s*\(", code):
        missing.append(f"a widget ({', '.join(WIDGETS)})")
    if not re.search(r"\b(" + "|".join(SELF_CHECKS) + r")\s*\(", code):
        missing.append(f"a self-check ({', '.join(SELF_CHECKS)})")
    if not any(re.search(r"\bsummary\b", title, re.IGNORECASE) for title in titles):
        missing.append("a 'Summary' heading")
    if not any(re.search(r"\bfurther reading\b", title, re.IGNORECASE) for title in titles):
        missing.append("a 'Further reading' heading")
    skills = [skill for skill, pattern in HISTORIANS_SKILLS.items()
              if any(re.search(pattern, title, re.IGNORECASE) for title in titles)]
    if len(skills) < 2:
        missing.append(f"headings naming at least two of {', '.join(HISTORIANS_SKILLS)} (found: {skills or 'none'})")
    assert not missing, f"{path.name} lacks " + "; ".join(missing) + "."


# -- running ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", lessons())
def test_lesson_runs_offline_without_errors_or_warnings(path):
    run = execute_notebook(path, timeout=120)
    assert run.ok, "\n" + run.problems()


@pytest.mark.slow
def test_the_runner_reports_errors_stderr_and_network_attempts(tmp_path):
    """The guard itself: a notebook that misbehaves in every way is caught in every way."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import os\nprint(os.getcwd())"),
        nbformat.v4.new_code_cell(
            "import socket, urllib.request\n"
            "for attempt in (lambda: socket.create_connection(('192.0.2.1', 80), timeout=0.05),\n"
            "                lambda: urllib.request.urlopen('http://example.invalid/', timeout=0.05),\n"
            "                lambda: socket.create_connection(('127.0.0.1', 9), timeout=0.05)):\n"
            "    try:\n        attempt()\n    except Exception:\n        pass"
        ),
        nbformat.v4.new_code_cell("import warnings\nwarnings.warn('careful')"),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    path = tmp_path / "misbehaves.ipynb"
    nbformat.write(notebook, path)
    run = execute_notebook(path, timeout=60)
    assert run.notebook.cells[0].outputs[0]["text"].strip() == str(tmp_path)
    assert any("ZeroDivisionError" in line for line in run.errors)
    assert any("careful" in line for line in run.stderr)
    assert any("192.0.2.1" in line for line in run.network)
    assert any("example.invalid" in line for line in run.network)
    assert not any("127.0.0.1" in line for line in run.network)
    assert not run.ok
