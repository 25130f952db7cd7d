"""Shared fixtures: where the repository is, and a scratch copy of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import DATA, ROOT, system_packages  # noqa: F401 - ROOT for the few modules that still read it from here


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break without harming the others."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def pytest_collection_modifyitems(config, items):
    """Suites whose system package is missing are skipped with its name (run, and failed, under CI)."""
    system_packages.skip_tests_lacking_packages(items)
