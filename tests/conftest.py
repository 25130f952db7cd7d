"""Shared fixtures: where the repository is, and a scratch copy of the data."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

import pytest

from helpers import DATA, ROOT  # noqa: F401 - ROOT for the few modules that still read it from here


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break without harming the others."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


# The system packages some suites need, and how to tell they are installed (.ci/system-packages
# installs them when make test runs as root).
SYSTEM_PACKAGES = {
    "chromium": lambda: Path("/usr/bin/chromium").exists(),
    "bubblewrap": lambda: shutil.which("bwrap") is not None,
    "postgresql": lambda: bool(shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")),
}


def pytest_collection_modifyitems(config, items):
    """Skip a test whose system package is missing, naming it; under CI it runs (and fails) instead."""
    if os.environ.get("CI"):
        return
    missing = {name for name, installed in SYSTEM_PACKAGES.items() if not installed()}
    for item in items:
        marker = item.get_closest_marker("needs")
        lacking = sorted(set(marker.args) & missing) if marker else []
        if lacking:
            item.add_marker(pytest.mark.skip(reason=f"not installed: {', '.join(lacking)} "
                                             f"(make test installs it as root; or sudo apt-get install {' '.join(lacking)})"))
