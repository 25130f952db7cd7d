"""What every course widget shares: palette, figure rendering and the static view.

Three promises are kept here so each widget module need not repeat them:

* colours come from the Okabe–Ito palette, which stays distinguishable for
  the common forms of colour blindness;
* a figure is one matplotlib ``Figure`` on the Agg canvas, created once and
  redrawn in place (no pyplot, so no global state leaks between widgets or
  into a student's own plots), and shown as an ``<img>`` with alt text;
* every widget renders its current state as plain HTML too, so a notebook saved
  with outputs, or opened without a kernel, still shows the figure and the list.
"""

from __future__ import annotations

import base64
import html
import struct
import zlib
from collections import OrderedDict

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

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

DPI = 96  # modest: a figure is re-encoded on every control change


def palette(categories) -> dict[str, str]:
    """A stable colour per category, in the order the data dictionary lists them."""
    return {category: OKABE_ITO[index % len(OKABE_ITO)] for index, category in enumerate(categories)}


def markers(categories) -> dict[str, str]:
    return {category: MARKERS[index % len(MARKERS)] for index, category in enumerate(categories)}


class FigureView:
    """One Agg figure a widget keeps for its whole life, redrawn in layers.

    Redrawing a whole matplotlib figure costs tens of milliseconds, nearly all
    of it rasterising text (tick labels, axis labels). So a widget files the
    artists that change into two layers:

    * ``"axes"``: what changes when limits or scales change (an axis, its
      ticks and grid);
    * ``"data"``: what changes with every control (markers, lines).

    Text is the dearest artist (about 3 ms a label with matplotlib 3.11's Agg
    backend, which renders glyph by glyph), so widgets keep it out of the data
    layer where they can. Everything else is drawn once and kept as pixels. ``render("data")``
    paints only the data layer over the cached pixels ("blitting"),
    ``render("axes")`` redraws the axes layer first, ``render("all")``
    starts again from a blank canvas. A widget whose axes take a few states
    (log or linear, a range of years) passes ``key`` to keep the pixels of
    the last few states, so returning to one costs no redraw at all.
    """

    LEVELS = ("data", "axes", "all")
    KEPT_STATES = 16  # pixels with the axes layer, about 1 MB each
    KEPT_PNGS = 128  # finished images, 20-60 kB each

    def __init__(self, width: float, height: float, dpi: int = DPI):
        self.figure = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        self._layers: dict[str, list] = {"axes": [], "data": []}
        self._base = None  # pixels of everything outside the layers
        self._with_axes = None  # ... plus the axes layer, as last drawn
        self._axes_key = None  # which state of the axes layer _with_axes shows
        self._kept: OrderedDict = OrderedDict()  # key -> pixels with the axes layer
        self._pngs: OrderedDict = OrderedDict()  # state -> finished PNG
        self.png = b""

    @property
    def size_px(self) -> tuple[int, int]:
        width, height = self.canvas.get_width_height()
        return int(width), int(height)

    def layer(self, name: str, *artists) -> None:
        """File artists under a layer; they are then drawn only by render()."""
        for artist in artists:
            artist.set_animated(True)  # canvas.draw() skips animated artists
            self._layers[name].append(artist)

    def render(self, changed: str = "data", key=None, state=None) -> bytes:
        """Redraw what ``changed`` says has changed, and return the PNG.

        ``key`` names the state of the axes layer and ``state`` the state of
        the whole figure (both hashable): pixels drawn under a key, and PNGs
        drawn under a state, are reused when the same key or state comes back.
        A widget must pass the same ``key`` whenever it passes one.
        """
        if changed not in self.LEVELS:
            raise ValueError(f"changed must be one of {self.LEVELS}, not {changed!r}")
        if changed == "all":
            self._base = None
            self._kept.clear()
            self._pngs.clear()
        if state is not None and state in self._pngs:
            self._pngs.move_to_end(state)
            self.png = self._pngs[state]
            return self.png
        self._draw_layers(changed, key)
        self.png = self._encode()
        if state is not None:
            self._pngs[state] = self.png
            while len(self._pngs) > self.KEPT_PNGS:
                self._pngs.popitem(last=False)
        return self.png

    def _draw_layers(self, changed: str, key) -> None:
        if self._base is None:
            self.canvas.draw()
            self._base = self.canvas.copy_from_bbox(self.figure.bbox)
            self._with_axes = None
        if key != self._axes_key:  # also after a PNG came from the cache
            changed = "axes"
        if changed == "axes" and key is not None and key in self._kept:
            self._kept.move_to_end(key)
            self._with_axes = self._kept[key]
            changed = "data"
        if changed == "axes" or self._with_axes is None:
            self.canvas.restore_region(self._base)
            self._paint("axes")
            self._with_axes = self.canvas.copy_from_bbox(self.figure.bbox)
            if key is not None:
                self._kept[key] = self._with_axes
                while len(self._kept) > self.KEPT_STATES:
                    self._kept.popitem(last=False)
        else:
            self.canvas.restore_region(self._with_axes)
        self._axes_key = key
        self._paint("data")

    def _paint(self, name: str) -> None:
        visible = [artist for artist in self._layers[name] if artist.get_visible()]
        for artist in sorted(visible, key=lambda artist: artist.get_zorder()):
            (artist.axes or self.figure).draw_artist(artist)

    def _encode(self) -> bytes:
        width, height = self.canvas.get_width_height()
        return encode_png(self.canvas.buffer_rgba(), int(width), int(height))


def encode_png(rgba, width: int, height: int) -> bytes:
    """An RGB PNG of an RGBA buffer, made for speed rather than size.

    Pillow tries five filters on every row, which takes most of a redraw's
    time; charts are mostly flat colour, so one filter ("Up": each byte minus
    the byte above it) and the fastest zlib level give nearly the same size
    in about a third of the time.
    """
    pixels = np.frombuffer(rgba, dtype=np.uint8).reshape(height, width, 4)[:, :, :3]
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    body = rows[:, 1:].reshape(height, width, 3)  # a view: writes land in rows
    rows[:, 0] = 2  # filter type Up ...
    rows[0, 0] = 0  # ... except the first row, which has nothing above it
    body[0] = pixels[0]
    np.subtract(pixels[1:], pixels[:-1], out=body[1:])  # wraps modulo 256, as PNG specifies

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b""))


def figure_html(png: bytes, alt: str, size_px: tuple[int, int]) -> str:
    """The figure as an <img> with alt text, and the same text visible beneath it.

    The caption repeats the alt text on purpose: sighted readers who cannot
    make out the colours, and anyone copying the numbers, get the words too.
    """
    width, height = size_px
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    text = html.escape(alt, quote=True)
    return (
        '<figure style="margin:0">'
        f'<img src="{source}" alt="{text}" width="{width}" height="{height}" '
        'style="max-width:100%;height:auto">'
        f'<figcaption style="font-size:0.9em;color:#333">{html.escape(alt)}</figcaption>'
        "</figure>"
    )


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

    def __init__(self, options, value=None, description: str = "", colours: dict | None = None):
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
