"""Where the course datasets are, found without loading pandas.

The grading sandbox mounts this folder read-only for students' kernels; the
``grade`` command and each grading worker ask for it before anything else and
should not pay pandas' import (about a second here) for a path.
"""

from __future__ import annotations

from pathlib import Path

DICTIONARY = "dictionary.csv"


class DataError(ValueError):
    """A dataset that does not match its data dictionary."""


def data_dir() -> Path:
    """Where the datasets are: the wheel's copy, else the source checkout's."""
    packaged = Path(__file__).with_name("_data")
    if (packaged / DICTIONARY).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / DICTIONARY).is_file():
        return checkout
    raise DataError(
        f"The course data was not found (looked in {packaged} and {checkout}). "
        "Reinstall the package with `make setup` or `pip install .`."
    )
