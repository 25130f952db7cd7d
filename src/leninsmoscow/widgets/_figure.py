"""The figure every drawing widget keeps: one matplotlib Figure on the Agg canvas.

Kept apart from ``_shared`` so that the self-check questions, which draw
nothing, never load matplotlib (most of a drawing widget's import time).
A figure is created once and redrawn in place (no pyplot, so no global state
leaks between widgets or into a student's own plots), and shown as an
``<img>`` with alt text.
"""

from __future__ import annotations

import base64
import html
import io
from collections import OrderedDict

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

DPI = 96  # modest: a figure is re-encoded on every control change


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
    """An RGB PNG of the canvas's RGBA buffer, through Pillow at its fastest compression.

    A figure is re-encoded on every control change, so speed matters more than
    size: charts are mostly flat colour, and zlib's fastest level gives nearly
    the smallest file anyway. Reading the buffer as RGBX drops the alpha channel
    without a second copy. Pillow is as fast as the hand-written NumPy encoder
    it replaced, within a few per cent (benchmarks/RESULTS.md), and leaves the
    PNG format to a library that keeps it.
    """
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), rgba, "raw", "RGBX").save(out, format="PNG", compress_level=1)
    return out.getvalue()


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
