"""Interactive views of the course data for the lessons, and self-check questions.

Every widget is a small class around ipywidgets: ``.controls`` holds the
ipywidgets that drive it (set their ``.value`` from code to drive it as a
student would), ``.widget`` is the box to place in a layout, and displaying
the object itself sends the live widget together with a static HTML copy of
its current state, so saved notebooks and pages without a kernel still show
the figure (with its alt text) and the list.
"""

from .inflation import InflationExplorer
from .journey import JourneyMap
from .matching import MatchingQuestion
from .multiple_choice import MultipleChoice
from .ordering import OrderingQuestion
from .people import PeopleExplorer
from .strikes import StrikeChart
from .timeline import TimelineExplorer

__all__ = [
    "InflationExplorer",
    "JourneyMap",
    "MatchingQuestion",
    "MultipleChoice",
    "OrderingQuestion",
    "PeopleExplorer",
    "StrikeChart",
    "TimelineExplorer",
]
