"""JourneyMap: Rosmer's 1920 journey to Moscow, stop by stop, on an offline map."""

from __future__ import annotations

import json
import math

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator

from .. import data
from ._figure import FigureView, figure_html
from ._shared import (
    INK,
    LAND,
    OKABE_ITO,
    CourseWidget,
    escape,
    static_page,
)

# Fixed so the map does not jump about, and wide enough for Baku (lesson 3).
EXTENT = (-6.0, 54.0, 36.0, 63.0)  # lon min, lon max, lat min, lat max
SEA = "#eef5fb"
ROUTE = OKABE_ITO[4]  # blue
EXTRA = OKABE_ITO[5]  # vermillion
TO_COME = "#9a9a9a"
LINESTYLES = {"rail": "solid", "ship": (0, (6, 3)), "road": "dashdot", "unknown": (0, (1.5, 2.5)), "start": "solid"}
MODE_WORDS = {"rail": "by rail", "ship": "by ship", "road": "by road", "unknown": "by a route the sources do not give",
              "start": "start of the journey"}


def short_name(place: str) -> str:
    """'Vienna (Wien)' -> 'Vienna': the map label; the note gives the full name."""
    return place.split(" (")[0]


def land_paths(path) -> list[Path]:
    """Every land polygon of the GeoJSON as a matplotlib Path (holes kept)."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    paths = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for rings in polygons:
            paths.append(Path.make_compound_path(*(Path(np.asarray(ring, dtype=float), closed=True) for ring in rings)))
    return paths


class JourneyMap(CourseWidget):
    """The route from Paris to Moscow drawn up to the chosen stop.

    ``extra_places`` (a DataFrame with columns place, lat, lon) adds places
    that are not stops, such as Baku, as labelled diamonds.
    """

    def __init__(self, extra_places: pd.DataFrame | None = None, stop: int = 1):
        self._stops = data.load("journey_1920").sort_values("stop").reset_index(drop=True)
        self._extra = self._check_extra(extra_places)
        self._citations = {source: data.cite(source) for source in set(self._stops["source"])}
        count = len(self._stops)
        self.controls = {
            "stop": widgets.IntSlider(value=max(1, min(count, stop)), min=1, max=count, step=1,
                                      description="Stop", continuous_update=True,
                                      layout=widgets.Layout(width="420px")),
        }
        self._view = FigureView(7.5, 5.0)
        self._build_figure()
        self.figure_html = widgets.HTML()
        self.note_html = widgets.HTML()
        self.widget = widgets.VBox([self.controls["stop"], self.figure_html, self.note_html])
        self.controls["stop"].observe(lambda _: self._update(), names="value")
        self._update()

    @property
    def stop(self) -> int:
        return int(self.controls["stop"].value)

    @stop.setter
    def stop(self, value: int) -> None:
        self.controls["stop"].value = value

    @staticmethod
    def _check_extra(extra) -> pd.DataFrame:
        if extra is None:
            return pd.DataFrame({"place": [], "lat": [], "lon": []})
        missing = {"place", "lat", "lon"} - set(extra.columns)
        if missing:
            raise ValueError(f"extra_places needs the columns place, lat and lon; it lacks {sorted(missing)}")
        return extra.reset_index(drop=True)

    # -- figure -----------------------------------------------------------

    def _extent(self) -> tuple[float, float, float, float]:
        west, east, south, north = EXTENT
        if len(self._extra):
            west = min(west, self._extra["lon"].min() - 3)
            east = max(east, self._extra["lon"].max() + 3)
            south = min(south, self._extra["lat"].min() - 2)
            north = max(north, self._extra["lat"].max() + 2)
        return west, east, south, north

    def _build_figure(self) -> None:
        figure = self._view.figure
        figure.subplots_adjust(left=0.08, right=0.99, top=0.93, bottom=0.1)
        self._axes = axes = figure.add_subplot(facecolor=SEA)
        west, east, south, north = self._extent()
        axes.add_collection(PathCollection(land_paths(data.data_dir() / "basemap" / "land_europe.geojson"),
                                           facecolor=LAND, edgecolor=LAND, linewidth=0.3, zorder=1))
        axes.set_xlim(west, east)
        axes.set_ylim(south, north)
        # Equirectangular map: a degree of longitude is shorter than one of latitude.
        axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
        axes.xaxis.set_major_locator(FixedLocator(np.arange(math.ceil(west / 10) * 10, east + 1, 10)))
        axes.yaxis.set_major_locator(FixedLocator(np.arange(math.ceil(south / 5) * 5, north + 1, 5)))
        axes.set_xlabel("Longitude (degrees east)")
        axes.set_ylabel("Latitude (degrees north)")
        axes.tick_params(labelsize=8)
        self._draw_extra(axes)
        self._draw_legend(axes)
        self._build_route(axes)

    def _draw_extra(self, axes) -> None:
        for place in self._extra.itertuples(index=False):
            axes.plot(place.lon, place.lat, marker="D", color=EXTRA, markeredgecolor=INK, markersize=7, zorder=4)
            axes.annotate(str(place.place), (place.lon, place.lat), xytext=(6, -10), textcoords="offset points",
                          fontsize=8, color=INK, zorder=6)

    def _draw_legend(self, axes) -> None:
        handles = [
            Line2D([], [], color=ROUTE, marker="o", markeredgecolor=INK, linestyle="none",
                   label="stop the sources name"),
            Line2D([], [], color=ROUTE, marker="o", markerfacecolor="white", markeredgewidth=1.6, linestyle="none",
                   label="stand-in: the point stands in for a region"),
            Line2D([], [], color=INK, marker="o", markerfacecolor="none", markersize=13, linestyle="none",
                   label="current stop"),
            Line2D([], [], color=TO_COME, marker="o", markersize=4, linestyle="none", label="stop still to come"),
        ]
        modes = [mode for mode in ("rail", "ship", "road", "unknown") if mode in set(self._stops["mode_from_previous"])]
        handles += [Line2D([], [], color=ROUTE, linestyle=LINESTYLES[mode], label=f"leg {MODE_WORDS[mode]}")
                    for mode in modes]
        if len(self._extra):
            handles.append(Line2D([], [], color=EXTRA, marker="D", markeredgecolor=INK, linestyle="none",
                                  label="other place (not a stop)"))
        axes.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.92)

    def _build_route(self, axes) -> None:
        stops = self._stops
        self._lon = stops["lon"].to_numpy(dtype=float)
        self._lat = stops["lat"].to_numpy(dtype=float)
        self._standin = (stops["located"] == "stand-in").to_numpy()
        self._route = LineCollection([], colors=ROUTE, linewidths=2, zorder=3)
        # Line2D markers rather than scatter: they draw several times faster.
        (self._named,) = axes.plot([], [], linestyle="none", marker="o", markersize=6.5, color=ROUTE,
                                   markeredgecolor=INK, markeredgewidth=0.6, zorder=5)
        (self._hollow,) = axes.plot([], [], linestyle="none", marker="o", markersize=6.5, markerfacecolor="white",
                                    markeredgecolor=ROUTE, markeredgewidth=1.8, zorder=5)
        (self._current,) = axes.plot([], [], linestyle="none", marker="o", markersize=14, markerfacecolor="none",
                                     markeredgecolor=INK, markeredgewidth=1.8, zorder=6)
        axes.add_collection(self._route)
        # Every place is named from the start (drawn once: text is the dearest
        # thing to redraw), with a small grey dot until the route reaches it.
        axes.scatter(self._lon, self._lat, s=12, color=TO_COME, zorder=2)
        labelled = set()
        for _, stop in stops.iterrows():
            key = (stop["lat"], stop["lon"])
            if key in labelled:
                continue  # Paris is stops 1 and 3
            labelled.add(key)
            suffix = " (stand-in)" if stop["located"] == "stand-in" else ""
            left = self._crowded_to_the_north(stop["lat"], stop["lon"])
            axes.annotate(short_name(stop["place"]) + suffix, (stop["lon"], stop["lat"]),
                          xytext=(-6 if left else 6, 4), textcoords="offset points",
                          ha="right" if left else "left", fontsize=8, color=INK, zorder=7)
        self._where = axes.text(0.985, 0.975, "", transform=axes.transAxes, ha="right", va="top", fontsize=9,
                                fontweight="bold", color=INK, zorder=8,
                                bbox={"facecolor": "white", "edgecolor": INK, "linewidth": 0.8})
        axes.set_title("Rosmer's journey from Paris to Moscow, 1920", fontsize=11)
        self._view.layer("data", self._route, self._named, self._hollow, self._current, self._where)

    def _crowded_to_the_north(self, lat: float, lon: float) -> bool:
        """True when another stop sits just above: its label would cover this one."""
        near = (self._lat > lat) & (self._lat - lat < 1.5) & (np.abs(self._lon - lon) < 3)
        return bool(near.any())

    def _draw(self) -> None:
        shown = self.stop
        points = np.column_stack([self._lon[:shown], self._lat[:shown]])
        segments = [points[index - 1:index + 1] for index in range(1, shown)]
        modes = self._stops["mode_from_previous"].iloc[1:shown]
        self._route.set_segments(segments)
        self._route.set_linestyle([LINESTYLES[mode] for mode in modes] or "solid")
        standin = self._standin[:shown]
        self._named.set_data(points[~standin, 0], points[~standin, 1])
        self._hollow.set_data(points[standin, 0], points[standin, 1])
        self._current.set_data(points[-1:, 0], points[-1:, 1])
        self._where.set_text(f"Stop {shown} of {len(self._stops)}: {short_name(self._stops['place'].iloc[shown - 1])}")
        self._view.render("data", state=shown)

    # -- views ------------------------------------------------------------

    def _update(self) -> None:
        self._draw()
        self.figure_html.value = figure_html(self._view.png, self.alt_text(), self._view.size_px)
        self.note_html.value = self._note_html()

    def _current_row(self) -> pd.Series:
        return self._stops.iloc[self.stop - 1]

    def _route_words(self) -> str:
        names = [short_name(place) + (" (stand-in)" if located == "stand-in" else "")
                 for place, located in zip(self._stops["place"].iloc[:self.stop], self._stops["located"].iloc[:self.stop])]
        return " → ".join(names)

    def alt_text(self) -> str:
        """The map in words: where the route has got to and how it went."""
        row = self._current_row()
        west, east, south, north = self._extent()
        extra = ""
        if len(self._extra):
            extra = " Also marked (not stops): " + ", ".join(map(str, self._extra["place"])) + "."
        return (
            f"Map of Europe (longitude {west:.0f} to {east:.0f} degrees east, latitude {south:.0f} to {north:.0f} "
            "degrees north; land only, no modern borders) "
            f"showing Rosmer's 1920 route up to stop {self.stop} of {len(self._stops)}, {row['place']}: "
            f"{self._route_words()}. Hollow points stand in for a region the sources name without a town.{extra}"
        )

    def _note_html(self) -> str:
        row = self._current_row()
        stand_in = ""
        if row["located"] == "stand-in":
            stand_in = ("<p><strong>Stand-in point:</strong> the sources name only a region or country here, "
                        "so the point on the map only stands in for it.</p>")
        note = escape(row["note"]) if isinstance(row["note"], str) else "No note for this stop."
        return (
            f'<div role="status"><h4 style="margin:0.3em 0">Stop {self.stop} of {len(self._stops)}: '
            f'{escape(row["place"])}; {escape(row["country_1920"])} in 1920</h4>'
            f"<p>How he got here: {escape(MODE_WORDS[row['mode_from_previous']])}.</p>"
            f"{stand_in}<p>{note}</p>"
            f"<p><small>Source: {escape(self._citations[row['source']])}</small></p>"
            f"<p><small>Route so far: {escape(self._route_words())}</small></p></div>"
        )

    def to_html(self) -> str:
        return static_page("Journey map", f"stop {self.stop} of {len(self._stops)}",
                           self.figure_html.value + self.note_html.value)

    def to_text(self) -> str:
        row = self._current_row()
        return (f"JourneyMap: stop {self.stop} of {len(self._stops)}, {row['place']} ({row['country_1920']}).\n"
                f"Route so far: {self._route_words()}\n{row['note'] if isinstance(row['note'], str) else ''}")
