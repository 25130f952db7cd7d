"""Quotations are the review's words exactly, and few.

The review itself is not part of the course (students read it on the
publisher's site), so the verbatim check runs only where a maintainer points
LENINSMOSCOW_REVIEW at a copy of its text; the size limits run everywhere.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from leninsmoscow import data

REVIEW = os.environ.get("LENINSMOSCOW_REVIEW")


def _paragraphs(text: str) -> list[str]:
    """The review body's paragraphs, numbered as data/review.csv numbers them (after the three title blocks)."""
    headings = {"The period", "Difficult border crossings", "Leading participants", "Politics above all"}
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    body = [block for block in blocks[3:] if block not in headings and not block.startswith("1.")]
    merged: list[str] = []
    for block in body:
        if merged and merged[-1].endswith("of the problems"):
            merged[-1] += " " + block
        else:
            merged.append(block)
    return merged


def test_quotations_are_a_small_share_of_the_review():
    quotes = data.load("quotations")
    words_quoted = quotes["text"].str.split().str.len().sum()
    assert words_quoted <= 600
    assert len(quotes) <= 40


def test_each_quotation_names_its_voice_and_speaker():
    quotes = data.load("quotations")
    rosmer = quotes[quotes["voice"] == "rosmer"]
    assert (rosmer["speaker"] == "Alfred Rosmer").all()
    assert set(quotes["voice"].astype(str)) == {"rosmer", "reviewer", "other"}


@pytest.mark.skipif(not REVIEW, reason="set LENINSMOSCOW_REVIEW to the review's text file to check quotations verbatim")
def test_every_quotation_is_verbatim_in_its_paragraph():
    text = unicodedata.normalize("NFC", Path(REVIEW).read_text(encoding="utf-8"))
    paragraphs = _paragraphs(text)
    assert len(paragraphs) == len(data.load("review"))
    for row in data.load("quotations").itertuples():
        assert row.text in paragraphs[row.paragraph - 1], f"{row.quote_id} is not verbatim in paragraph {row.paragraph}"


@pytest.mark.skipif(not REVIEW, reason="set LENINSMOSCOW_REVIEW to the review's text file to check the errata")
def test_every_erratum_is_printed_in_its_paragraph():
    paragraphs = _paragraphs(unicodedata.normalize("NFC", Path(REVIEW).read_text(encoding="utf-8")))
    for row in data.load("errata").itertuples():
        assert row.as_printed in paragraphs[row.paragraph - 1], f"{row.erratum_id}: not found in paragraph {row.paragraph}"
