"""What the test modules share: where the course is, and small course builders (``minicourse``).

pytest puts ``tests/`` and the repository root on the import path (``pythonpath`` in
pyproject.toml), so tests import these as ``from helpers import ROOT`` and the
repository's scripts as ``from tools import lessons`` or ``from submissions import make_submissions``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
