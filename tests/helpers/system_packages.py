"""The system packages some suites need, and what to do with a test whose package is missing.

It lives here rather than in conftest.py because a test cannot import conftest
reliably: with tests/browser/conftest.py also on the path, `import conftest`
finds whichever pytest loaded last. .ci/system-packages installs the packages
when make test runs as root.
"""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

import pytest

INSTALLED = {
    "chromium": lambda: Path("/usr/bin/chromium").exists(),
    "bubblewrap": lambda: shutil.which("bwrap") is not None,
    "postgresql": lambda: bool(shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")),
}


def skip_tests_lacking_packages(items) -> None:
    """Skip a test whose system package is missing, naming it; under CI it runs (and fails) instead.

    A missing package on a CI machine is a broken machine, not a reason to pass.
    """
    if os.environ.get("CI"):
        return
    missing = {name for name, installed in INSTALLED.items() if not installed()}
    for item in items:
        marker = item.get_closest_marker("needs")
        lacking = sorted(set(marker.args) & missing) if marker else []
        if lacking:
            item.add_marker(pytest.mark.skip(reason=f"not installed: {', '.join(lacking)} "
                                             f"(make test installs it as root; or sudo apt-get install {' '.join(lacking)})"))
