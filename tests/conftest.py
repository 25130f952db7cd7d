"""Shared fixtures: where the repository is, and a scratch copy of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break without harming the others."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy
