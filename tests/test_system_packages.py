"""`make test` on a machine without Chromium, PostgreSQL or bubblewrap: skip those suites, naming the package.

Under CI (the CI variable set, as .ci/run sets it) nothing is skipped: a missing
package there is a broken machine, and its suites fail.
"""

from __future__ import annotations

import pytest

from helpers import system_packages


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
    monkeypatch.setitem(system_packages.INSTALLED, "bubblewrap", lambda: False)
    monkeypatch.setitem(system_packages.INSTALLED, "chromium", lambda: True)
    sandboxed, browser, plain = Item("bubblewrap"), Item("chromium"), Item()
    system_packages.skip_tests_lacking_packages([sandboxed, browser, plain])
    [skip] = sandboxed.added
    assert skip.name == "skip" and "not installed: bubblewrap" in skip.kwargs["reason"]
    assert browser.added == [] and plain.added == []


def test_under_ci_a_missing_package_fails_its_suite_instead(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setitem(system_packages.INSTALLED, "bubblewrap", lambda: False)
    sandboxed = Item("bubblewrap")
    system_packages.skip_tests_lacking_packages([sandboxed])
    assert sandboxed.added == []
