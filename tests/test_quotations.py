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

from leninsmoscow import data, review

REVIEW = os.environ.get("LENINSMOSCOW_REVIEW")


def _paragraphs(text: str) -> list[str]:
    return review.paragraphs(text)


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


@pytest.mark.skipif(not REVIEW, reason="set LENINSMOSCOW_REVIEW to the review's text file to check the opening words")
def test_each_paragraph_begins_with_its_opening_words():
    paragraphs = _paragraphs(unicodedata.normalize("NFC", Path(REVIEW).read_text(encoding="utf-8")))
    for row in data.load("review").itertuples():
        assert paragraphs[row.paragraph - 1].startswith(row.opening_words), f"paragraph {row.paragraph}"


def test_the_reading_guide_in_the_lessons_is_built_from_the_data():
    from helpers import ROOT

    committed = (ROOT / "notebooks" / review.GUIDE_NAME).read_text(encoding="utf-8")
    assert committed == review.reading_guide(), "notebooks/reading-guide.md is stale: run make lessons"
    for row in data.load("review").itertuples():
        assert f"| {row.paragraph} | {row.section} | “{row.opening_words} …” |" in committed


@pytest.mark.skipif(not REVIEW, reason="set LENINSMOSCOW_REVIEW to the review's text file to check the word counts")
def test_each_paragraph_has_its_word_count():
    paragraphs = _paragraphs(unicodedata.normalize("NFC", Path(REVIEW).read_text(encoding="utf-8")))
    for row in data.load("review").itertuples():
        assert len(paragraphs[row.paragraph - 1].split()) == row.words, f"paragraph {row.paragraph}"
