"""What a lesson puts in front of a student to read: documents, historians' positions, glossary entries.

The story stays in the notebook; the texts come from the data, with their
sources, so a lesson shows a primary document as a historian meets it
(headnote first, then the words, then where they come from and whether they
are free to copy), names historians with their works, and defines a term the
same way everywhere. Each function returns an object that Jupyter displays
as HTML, and that prints as plain text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from . import data

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _escape(value) -> str:
    return html.escape(str(value)) if isinstance(value, str) else ""


def _date(stamp, precision: str) -> str:
    if precision == "year":
        return str(stamp.year)
    if precision == "month":
        return f"{MONTHS[stamp.month - 1]} {stamp.year}"
    return f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"


@dataclass(frozen=True)
class Shown:
    """A piece of reading: HTML for the notebook, plain text for print() and saved copies."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def document(document_id: str) -> Shown:
    """A primary document: headnote, excerpt, source line and copyright status."""
    table = data.load("documents").set_index("document_id")
    if document_id not in table.index:
        raise data.DataError(f"There is no document {document_id!r}; the documents are: {', '.join(table.index)}.")
    row = table.loc[document_id]
    when = _date(row["date"], row["date_precision"])
    where = f"{row['author']}, “{row['title']}”, {row['place']}, {when}"
    translated = "" if row["translation"].lower().startswith("none") else f" Translation: {row['translation']}."
    source = (f"{where}. {row['kind'].capitalize()} for {row['audience']}; written in {row['original_language']}."
              f"{translated} Read at {row['url']}. {row['copyright'].capitalize()}: {row['copyright_note']}")
    paragraphs = "".join(f"<p>{_escape(part)}</p>" for part in row["excerpt"].split("\n") if part.strip())
    page = (
        f'<figure class="leninsmoscow-document" style="border:1px solid #888;padding:8px 12px;margin:8px 0">'
        f'<p><strong>Document: {_escape(row["title"])}</strong> ({_escape(row["author"])}, {_escape(when)})</p>'
        f'<p><em>Headnote.</em> {_escape(row["headnote"])}</p>'
        f'<div style="border-left:4px solid #555;padding-left:10px;margin:6px 0">{paragraphs}</div>'
        f'<figcaption><small>{_escape(source)}</small></figcaption></figure>'
    )
    text = (f"Document: {row['title']} ({row['author']}, {when})\nHeadnote. {row['headnote']}\n\n"
            f"{row['excerpt']}\n\n{source}")
    return Shown(page, text)


def historians(debate: str) -> Shown:
    """The named positions on one debate: who argues what, in which work, and how the course checked it."""
    table = data.load("historians")
    known = list(table["debate"].cat.categories)
    if debate not in known:
        raise data.DataError(f"There is no debate {debate!r}; the debates are: {', '.join(known)}.")
    rows = table[table["debate"] == debate]
    body = "".join(
        f"<tr><td>{_escape(row.historian)}</td><td><em>{_escape(row.work)}</em>"
        f"{' (' + str(row.year) + ')' if not _missing(row.year) else ''}</td><td>{_escape(row.side)}</td>"
        f"<td>{_escape(row.position)}</td><td><small>{_escape(row.verified_through)}</small></td></tr>"
        for row in rows.itertuples())
    page = ('<table class="leninsmoscow-historians" style="border-collapse:collapse">'
            f'<caption style="text-align:left">Historians on {_escape(debate)}</caption>'
            '<thead><tr><th scope="col">Historian</th><th scope="col">Work</th><th scope="col">Side</th>'
            '<th scope="col">Position (the course\'s summary)</th><th scope="col">How the course checked it</th>'
            f'</tr></thead><tbody>{body}</tbody></table>')
    text = "\n".join(f"- {row.historian}, {row.work}"
                     f"{' (' + str(row.year) + ')' if not _missing(row.year) else ''}: {row.position}"
                     for row in rows.itertuples())
    return Shown(page, f"Historians on {debate}:\n{text}")


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def glossary(*terms: str) -> Shown:
    """Definitions of the terms named (exactly as in data/glossary.csv)."""
    table = data.load("glossary").set_index("term")
    unknown = [term for term in terms if term not in table.index]
    if unknown:
        raise data.DataError(f"Not in the glossary: {', '.join(unknown)}.")
    items = "".join(f"<dt><strong>{_escape(term)}</strong></dt><dd>{_escape(table.loc[term, 'definition'])}</dd>"
                    for term in terms)
    text = "\n".join(f"{term}: {table.loc[term, 'definition']}" for term in terms)
    return Shown(f'<dl class="leninsmoscow-glossary">{items}</dl>', text)


def new_terms(lesson: int) -> Shown:
    """The glossary's terms first needed in a lesson, for its opening."""
    table = data.load("glossary")
    return glossary(*table.loc[table["first_lesson"] == lesson, "term"])
