"""What every course widget shares: palette, base class and the static view.

Two promises are kept here so each widget module need not repeat them:

* colours come from the Okabe–Ito palette, which stays distinguishable for
  the common forms of colour blindness;
* every widget renders its current state as plain HTML too, so a notebook saved
  with outputs, or opened without a kernel, still shows the figure and the list.

The figure itself lives in ``_figure``, so that widgets which draw nothing
(the self-check questions) do not load matplotlib.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import traitlets

# Okabe & Ito (2008), "Color Universal Design". Black last: it is kept for
# the eighth category and for marks that must stand out (the current stop).
OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
# A second cue besides colour, for readers who cannot tell two hues apart.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LAND = "#e4e4e4"
INK = "#222222"


def palette(categories) -> dict[str, str]:
    """A stable colour per category, in the order the data dictionary lists them."""
    return {category: OKABE_ITO[index % len(OKABE_ITO)] for index, category in enumerate(categories)}


def markers(categories) -> dict[str, str]:
    return {category: MARKERS[index % len(MARKERS)] for index, category in enumerate(categories)}


def escape(value) -> str:
    """Data text made safe for HTML; missing values become an empty string."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value))


class CourseWidget:
    """Base class: a box of ipywidgets plus a static rendering of its state.

    Subclasses build ``self.widget`` (the box students see), ``self.controls``
    (the ipywidgets that drive it, by name) and implement :meth:`to_html` and
    :meth:`to_text`. Displaying the object sends both the live widget and the
    static HTML, so what a saved notebook shows without a kernel is the same
    state the student last saw.
    """

    widget: widgets.Box
    controls: dict

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/html"] = self.to_html()
        bundle["text/plain"] = self.to_text()
        return bundle

    def to_html(self) -> str:
        raise NotImplementedError

    def to_text(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.to_text()


NOTHING_CHOSEN = "— choose one to read about it —"


def details_dropdown(label: str) -> widgets.Dropdown:
    """The control a student uses to open one row's full record (the events or people shown)."""
    return widgets.Dropdown(options=[(NOTHING_CHOSEN, None)], value=None, description=label,
                            style={"description_width": "initial"}, layout=widgets.Layout(width="auto"))


def refill(dropdown: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
    """New options for a details dropdown, keeping the choice when it is still among them."""
    kept = dropdown.value if dropdown.value in {value for _, value in options} else None
    dropdown.options = [(NOTHING_CHOSEN, None), *options]
    dropdown.value = kept


def source_line(*source_ids) -> str:
    """'Source: <full citation>' (and the second source), as HTML, from data/sources.csv."""
    from .. import data

    parts = [f"{'Source' if index == 0 else 'Confirmed by'}: {escape(data.cite(source_id))}"
             for index, source_id in enumerate(source_id for source_id in source_ids if isinstance(source_id, str))]
    return "<br>".join(f"<small>{part}</small>" for part in parts)


def static_page(title: str, settings: str, body: str) -> str:
    """Wrap a widget's static HTML: what it is, how it is set, then its view."""
    return (
        '<div class="leninsmoscow-static">'
        f"<p><strong>{html.escape(title)}</strong> ({html.escape(settings)}). "
        "<em>Static view: run the notebook to use the controls.</em></p>"
        f"{body}</div>"
    )


class CheckboxGroup(widgets.HBox):
    """Several checkboxes that act as one multiple-choice control.

    ``value`` is the tuple of ticked options, so code (and tests) can observe
    and set it like any other ipywidget value, while students tick boxes with
    the mouse or Tab and Space. "All" and "None" buttons save eight clicks.
    """

    value = traitlets.Tuple()

    def __init__(self, options, value=None, description: str = ""):
        self.options = tuple(options)
        if isinstance(value, str):
            value = [value]
        unknown = [option for option in (value or ()) if option not in self.options]
        if unknown:  # a typo in a lesson would otherwise show an empty view
            raise ValueError(f"{description.rstrip(':')} has no option {unknown}; the options are {list(self.options)}")
        chosen = self.options if value is None else tuple(option for option in self.options if option in value)
        self.boxes = {
            option: widgets.Checkbox(value=option in chosen, description=str(option), indent=False,
                                     layout=widgets.Layout(width="auto", margin="0 12px 0 0"))
            for option in self.options
        }
        self.all_button = widgets.Button(description="All", layout=widgets.Layout(width="auto"),
                                         tooltip=f"Tick every option: {description}")
        self.none_button = widgets.Button(description="None", layout=widgets.Layout(width="auto"),
                                          tooltip=f"Untick every option: {description}")
        label = widgets.Label(description, layout=widgets.Layout(width="auto", margin="0 8px 0 0"))
        super().__init__(
            [label, *self.boxes.values(), self.all_button, self.none_button],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self._syncing = False
        self.value = chosen
        for box in self.boxes.values():
            box.observe(self._read_boxes, names="value")
        self.all_button.on_click(lambda _: setattr(self, "value", self.options))
        self.none_button.on_click(lambda _: setattr(self, "value", ()))
        self.observe(self._tick_boxes, names="value")

    @traitlets.validate("value")
    def _valid(self, proposal):
        unknown = [option for option in proposal["value"] if option not in self.options]
        if unknown:
            raise traitlets.TraitError(f"not an option: {unknown}; the options are {list(self.options)}")
        return tuple(option for option in self.options if option in proposal["value"])

    def _read_boxes(self, _change):
        if not self._syncing:
            self.value = tuple(option for option, box in self.boxes.items() if box.value)

    def _tick_boxes(self, change):
        self._syncing = True
        try:
            for option, box in self.boxes.items():
                box.value = option in change["new"]
        finally:
            self._syncing = False


def listing(items: list[str], empty: str = "none") -> str:
    """'a, b and c': lists read as prose in alt text and notes."""
    items = [str(item) for item in items]
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def big_number(value: float) -> str:
    """Digits with separators, and words for the huge numbers of 1923."""
    if value != value:
        return "unknown"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value:,.0f} (about {value / size:,.1f} {word})"
    return digits(value)


def digits(value: float) -> str:
    """1,234 or 4.2: separators, and decimals only where they say something."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
