"""Interactive views of the course data for the lessons, and self-check questions.

Every widget is a small class around ipywidgets: ``.controls`` holds the
ipywidgets that drive it (set their ``.value`` from code to drive it as a
student would), ``.widget`` is the box to place in a layout, and displaying
the object itself sends the live widget together with a static HTML copy of
its current state, so saved notebooks and pages without a kernel still show
the figure (with its alt text) and the list.

The classes are imported on first use, so ``import leninsmoscow.widgets``
stays cheap for code that needs only one of them (and matplotlib is loaded
only by the widgets that draw).
"""

from __future__ import annotations

import importlib

_MODULES = {
    "TimelineExplorer": "timeline",
    "JourneyMap": "journey",
    "InflationExplorer": "inflation",
    "StrikeChart": "strikes",
    "PeopleExplorer": "people",
    "MultipleChoice": "multiple_choice",
    "OrderingQuestion": "ordering",
    "MatchingQuestion": "matching",
    "Prediction": "prediction",
}

__all__ = list(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        value = getattr(importlib.import_module(f".{_MODULES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
