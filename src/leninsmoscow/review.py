"""The review the course is built on, as the course numbers it, and the students' reading guide.

The course cites the review and does not ship it: students read it on the
publisher's web page. That page splits paragraph 3 across a line break, so a
student counting paragraphs on it drifts by one from there on. The reading
guide therefore lists every paragraph by its number, its section and its
opening words (``data/review.csv``), so it can be found however the page is
laid out; ``make lessons`` writes it to ``notebooks/reading-guide.md``, which
the student bundle carries and lesson 1 links to.
"""

from __future__ import annotations

from pathlib import Path

HEADINGS = ("The period", "Difficult border crossings", "Leading participants", "Politics above all")
GUIDE_NAME = "reading-guide.md"


def paragraphs(text: str) -> list[str]:
    """The review body's paragraphs, numbered as data/review.csv numbers them.

    Skips the three title blocks, the section headings and the footnotes, and
    joins paragraph 3, which the page breaks after "of the problems".
    """
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    body = [block for block in blocks[3:] if block not in HEADINGS and not block[:2].rstrip(".").isdigit()]
    merged: list[str] = []
    for block in body:
        if merged and merged[-1].endswith("of the problems"):
            merged[-1] += " " + block
        else:
            merged.append(block)
    return merged


def reading_guide() -> str:
    """The reading guide as Markdown, built from data/review.csv."""
    from . import data

    review = data.load("review")
    source = data.cite("review")
    lines = [
        "# Reading guide to the review",
        "",
        f"The course reads one text: {source}.",
        "",
        "Lessons point to the review's paragraphs by number. Count them with this table, not by the breaks on the "
        "web page: the page splits paragraph 3 in two (after *\"the seriousness of the problems\"*), so from there "
        "on its breaks run one ahead. Each paragraph is named by its first words, exactly as printed; the last "
        "column says what it is about, in the course's words.",
        "",
        "| ¶ | section | begins with | about |",
        "| --- | --- | --- | --- |",
    ]
    for row in review.itertuples():
        lines.append(f"| {row.paragraph} | {row.section} | “{row.opening_words} …” | {row.topic} |")
    lines += ["", "The review's footnotes are not numbered as paragraphs.", ""]
    return "\n".join(lines)


def write_reading_guide(folder: Path) -> Path:
    """Write the guide into a folder (the course's notebooks/); returns its path."""
    path = Path(folder) / GUIDE_NAME
    path.write_text(reading_guide(), encoding="utf-8")
    return path
