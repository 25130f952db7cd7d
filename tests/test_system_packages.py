"""`make test` on a machine without Chromium, PostgreSQL or bubblewrap: skip those suites, naming the package.

Under CI (the CI variable set, as .ci/run sets it) nothing is skipped: a missing
package there is a broken machine, and its suites fail.
"""

from __future__ import annotations

import pytest

import conftest


class Item:
    """As much of a pytest item as the hook reads."""

    def __init__(self, *packages):
        self.marker = pytest.mark.needs(*packages).mark if packages else None
        self.added = []

    def get_closest_marker(self, name):
        return self.marker if name == "needs" else None

    def add_marker(self, marker):
        self.added.append(marker)


def test_a_suite_whose_package_is_missing_is_skipped_with_its_name(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setitem(conftest.SYSTEM_PACKAGES, "bubblewrap", lambda: False)
    monkeypatch.setitem(conftest.SYSTEM_PACKAGES, "chromium", lambda: True)
    sandboxed, browser, plain = Item("bubblewrap"), Item("chromium"), Item()
    conftest.pytest_collection_modifyitems(None, [sandboxed, browser, plain])
    [skip] = sandboxed.added
    assert skip.name == "skip" and "not installed: bubblewrap" in skip.kwargs["reason"]
    assert browser.added == [] and plain.added == []


def test_under_ci_a_missing_package_fails_its_suite_instead(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setitem(conftest.SYSTEM_PACKAGES, "bubblewrap", lambda: False)
    sandboxed = Item("bubblewrap")
    conftest.pytest_collection_modifyitems(None, [sandboxed])
    assert sandboxed.added == []
