"""TimelineExplorer: the events of 1914–1925, filtered by years, theme and country."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.ticker import FixedLocator, NullLocator

from .. import data
from ._figure import FigureView, figure_html
from ._shared import (
    INK,
    CheckboxGroup,
    CourseWidget,
    details_dropdown,
    escape,
    listing,
    markers,
    palette,
    refill,
    source_line,
    static_page,
)

ALL_COUNTRIES = "All countries"
EMPTY_MESSAGE = "No events match these filters"
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def format_date(day: pd.Timestamp, precision: str = "day") -> str:
    """'7 November 1917', 'May 1915' or '1915': only as exact as the source."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_span(start: pd.Timestamp, end, precision: str = "day") -> str:
    """A date or a range, without repeating the month or year they share."""
    if end is None or pd.isna(end) or end == start:
        return format_date(start, precision)
    if precision == "day" and (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end)}"
    if precision == "day" and start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {format_date(end)}"
    return f"{format_date(start, precision)} – {format_date(end, precision)}"


def fractional_year(dates: pd.Series) -> np.ndarray:
    """1917.85 for 7 November 1917: plain numbers draw faster than dates."""
    days = np.where(dates.dt.is_leap_year, 366.0, 365.0)
    return (dates.dt.year + (dates.dt.day_of_year - 1) / days).to_numpy(dtype=float)


class TimelineExplorer(CourseWidget):
    """Which events happened when, by theme and country; choose one to read its full record.

    ``years`` is the range shown first (the slider always spans the data);
    ``themes`` the themes ticked first (default: all); ``countries`` the
    countries offered (default: every country in the data), so a lesson can
    narrow the explorer to, say, Germany and Soviet Russia.
    """

    def __init__(self, years=(1914, 1925), themes=None, countries=None):
        self._events = self._prepare(data.load("events"))
        self._themes = list(self._events["theme"].cat.categories)
        self._colours = palette(self._themes)
        self._markers = markers(self._themes)
        offered = self._countries(countries)
        low, high = 1914, 1925
        years = (max(low, min(years)), min(high, max(years)))
        self.controls = {
            "years": widgets.IntRangeSlider(value=years, min=low, max=high, step=1, description="Years",
                                            continuous_update=False,
                                            layout=widgets.Layout(width="420px")),
            "themes": CheckboxGroup(self._themes, value=themes, description="Themes:"),
            "country": widgets.Dropdown(options=[ALL_COUNTRIES, *offered], value=ALL_COUNTRIES,
                                        description="Country"),
            "event": details_dropdown("Read about an event"),
        }
        self._offered = offered
        self._index()
        self._view = FigureView(7.5, 3.4)
        self._build_figure()
        self.figure_html = widgets.HTML()
        self.list_html = widgets.HTML()
        self.details_html = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HBox([self.controls["years"], self.controls["country"]],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.controls["themes"], self.figure_html, self.list_html, self.controls["event"], self.details_html,
        ])
        self.controls["event"].observe(lambda _: self._show_details(), names="value")
        self.controls["years"].observe(lambda _: self._update("axes"), names="value")
        self.controls["themes"].observe(lambda _: self._update("data"), names="value")
        self.controls["country"].observe(lambda _: self._update("data"), names="value")
        self._update("axes")

    # -- data -------------------------------------------------------------

    @staticmethod
    def _prepare(events: pd.DataFrame) -> pd.DataFrame:
        events = events.sort_values(["date_start", "event_id"]).reset_index(drop=True)
        end = events["date_end"].fillna(events["date_start"])
        events["_x0"] = fractional_year(events["date_start"])
        events["_x1"] = fractional_year(end)
        events["_end"] = end
        events["_countries"] = events["country"].str.split(r"\s*;\s*")
        return events

    def _countries(self, countries) -> list[str]:
        known = sorted({name for names in self._events["_countries"] for name in names})
        if countries is None:
            return known
        if isinstance(countries, str):
            countries = [countries]
        unknown = [name for name in countries if name not in known]
        if unknown:
            raise ValueError(f"No events in the data for {unknown}; the countries are: {', '.join(known)}")
        self._events = self._events[self._events["_countries"].map(lambda names: bool(set(names) & set(countries)))]
        return list(countries)

    def _index(self) -> None:
        """Plain arrays for filtering: pandas indexing costs milliseconds per call."""
        events = self._events
        self._x0 = events["_x0"].to_numpy()
        self._x1 = events["_x1"].to_numpy()
        self._theme = events["theme"].astype(str).to_numpy()
        self._in_country = {
            country: events["_countries"].map(lambda names, country=country: country in names).to_numpy(dtype=bool)
            for country in self._offered
        }
        self._columns = [column for column in events.columns if not column.startswith("_")]
        rows = list(events.itertuples(index=False))
        self._rows = np.array([self._row_html(event) for event in rows], dtype=object)
        self._lines = np.array([self._row_text(event) for event in rows], dtype=object)
        self._short = np.array([f"{event.title}, {format_date(event.date_start, event.precision)}" for event in rows],
                               dtype=object)
        self._ids = events["event_id"].to_numpy(dtype=object)

    def _mask(self) -> np.ndarray:
        low, high = self.controls["years"].value
        keep = (self._x0 < high + 1) & (self._x1 >= low)
        keep &= np.isin(self._theme, list(self.controls["themes"].value))
        country = self.controls["country"].value
        if country != ALL_COUNTRIES:
            keep &= self._in_country[country]
        return keep

    @property
    def selection(self) -> pd.DataFrame:
        """The events the view shows, in date order, with the data's columns."""
        return self._events.loc[self._mask(), self._columns].reset_index(drop=True)

    # -- figure -----------------------------------------------------------

    def _build_figure(self) -> None:
        figure = self._view.figure
        figure.subplots_adjust(left=0.17, right=0.94, top=0.88, bottom=0.17)
        self._axes = axes = figure.add_subplot()
        lanes = {theme: len(self._themes) - 1 - index for index, theme in enumerate(self._themes)}
        self._lanes = lanes
        axes.set_ylim(-0.7, len(self._themes) - 0.3)
        axes.yaxis.set_major_locator(FixedLocator(list(lanes.values())))
        axes.set_yticklabels(list(lanes))
        axes.yaxis.set_minor_locator(NullLocator())
        axes.set_ylabel("Theme")
        # A figure text rather than the axis label, so it is drawn once and
        # not again with the ticks every time the years change.
        figure.text(0.575, 0.02, "Date (Gregorian calendar; ticks mark 1 January, or the quarters of a short range)",
                    ha="center", va="bottom", fontsize=9)
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        self._spans = LineCollection([], linewidths=3, alpha=0.55)
        axes.add_collection(self._spans)
        # Line2D markers rather than scatter: they draw several times faster.
        self._dots = {
            theme: axes.plot([], [], linestyle="none", marker=self._markers[theme], markersize=6.5,
                             color=self._colours[theme], markeredgecolor=INK, markeredgewidth=0.5, zorder=3,
                             label=theme)[0]
            for theme in self._themes
        }
        self._empty = axes.text(0.5, 0.5, EMPTY_MESSAGE, transform=axes.transAxes, ha="center", va="center",
                                fontsize=12, color=INK, zorder=5,
                                bbox={"facecolor": "white", "edgecolor": "#999999"})
        # Text is the dearest thing to draw: the title stays the same (the axis
        # shows the years) and the count of events is in the caption and list.
        axes.set_title("Events of the course by theme and date", fontsize=11)
        self._view.layer("axes", axes.xaxis)
        self._view.layer("data", self._spans, *self._dots.values(), self._empty)

    def _set_axis_years(self, low: int, high: int) -> None:
        axes = self._axes
        axes.set_xlim(low, high + 1)
        if high - low < 2:
            ticks = [year + quarter / 4 for year in range(low, high + 1) for quarter in range(4)] + [high + 1]
            labels = [f"{MONTHS[int(round((tick % 1) * 12))][:3]} {int(tick)}" for tick in ticks]
        else:
            ticks = list(range(low, high + 2))
            # Every other label on long ranges: each label costs a millisecond or more to draw.
            step = 1 if len(ticks) <= 7 else 2
            labels = [str(tick) if (tick - low) % step == 0 else "" for tick in ticks]
        axes.xaxis.set_major_locator(FixedLocator(ticks))
        axes.set_xticklabels(labels, fontsize=9)
        axes.xaxis.set_minor_locator(NullLocator())

    def _draw(self, keep: np.ndarray, changed: str) -> None:
        low, high = self.controls["years"].value
        if changed != "data":
            self._set_axis_years(low, high)
        for theme, dots in self._dots.items():
            rows = keep & (self._theme == theme)
            dots.set_data(self._x0[rows], np.full(rows.sum(), self._lanes[theme]))
        lasting = keep & (self._x1 > self._x0 + 1 / 365)
        lanes = [self._lanes[theme] for theme in self._theme[lasting]]
        self._spans.set_segments([[(x0, lane), (x1, lane)]
                                  for x0, x1, lane in zip(self._x0[lasting], self._x1[lasting], lanes)])
        self._spans.set_color([self._colours[theme] for theme in self._theme[lasting]])
        self._empty.set_visible(not keep.any())
        state = (low, high, self.controls["themes"].value, self.controls["country"].value)
        self._view.render(changed, key=(low, high), state=state)

    # -- views ------------------------------------------------------------

    def _update(self, changed: str) -> None:
        keep = self._mask()
        self._draw(keep, changed)
        self.figure_html.value = figure_html(self._view.png, self.alt_text(keep), self._view.size_px)
        self.list_html.value = self._list_html(keep)
        refill(self.controls["event"], list(zip(self._short[keep], self._ids[keep])))

    def _show_details(self) -> None:
        """The chosen event's full record: date, place, people, description and sources."""
        chosen = self.controls["event"].value
        if chosen is None:
            self.details_html.value = ""
            return
        event = self._events[self._events["event_id"] == chosen].iloc[0]
        date = format_span(event["date_start"], event["date_end"], event["precision"])
        if isinstance(event["julian_date"], str) and event["precision"] == "day":
            date += f" (Old Style: {format_date(pd.Timestamp(event['julian_date']))})"
        people = event["people"] if isinstance(event["people"], str) else ""
        self.details_html.value = (
            f'<div role="region" aria-label="The chosen event" style="border-left:4px solid #555;padding:4px 10px">'
            f"<h4 style=\"margin:0\">{escape(event['title'])}</h4>"
            f"<p style=\"margin:2px 0\"><strong>{escape(date)}</strong>, {escape(event['place'])} "
            f"({escape(event['country'])}); theme: {escape(event['theme'])}"
            + (f"; people: {escape(people.replace(';', ', '))}" if people else "") + "</p>"
            f"<p style=\"margin:2px 0\">{escape(event['description'])}</p>"
            f"<p style=\"margin:2px 0\">{source_line(event['source'], event['confirmed_by'])}</p></div>"
        )

    def _settings(self) -> str:
        low, high = self.controls["years"].value
        themes = self.controls["themes"].value
        theme_text = "all themes" if len(themes) == len(self._themes) else f"themes: {listing(list(themes))}"
        years = f"{low}" if low == high else f"{low}–{high}"
        return f"years {years}, {theme_text}, country: {self.controls['country'].value}"

    def alt_text(self, keep: np.ndarray | None = None) -> str:
        """What the timeline shows, in words, for screen readers and the caption."""
        keep = self._mask() if keep is None else keep
        count = int(keep.sum())
        if not count:
            return f"Timeline chart: {EMPTY_MESSAGE.lower()} ({self._settings()})."
        themes = self._theme[keep]
        by_theme = listing([f"{theme} {(themes == theme).sum()}" for theme in self._themes if (themes == theme).any()])
        shown = self._short[keep]
        return (
            f"Timeline chart of {count} event{'s' if count != 1 else ''} ({self._settings()}): "
            "one mark per event at its start date (x axis, years) in a lane per theme (y axis); "
            f"bars show events that lasted longer. By theme: {by_theme}. "
            f"First: {shown[0]}; last: {shown[-1]}."
        )

    def _list_html(self, keep: np.ndarray) -> str:
        count = int(keep.sum())
        if not count:
            return (f'<p role="status"><strong>{EMPTY_MESSAGE}.</strong> '
                    f'Widen the years, tick more themes or choose "{ALL_COUNTRIES}".</p>')
        return (
            '<div role="region" aria-label="List of the events shown" tabindex="0" '
            'style="max-height:22em;overflow:auto">'
            '<table style="border-collapse:collapse"><caption style="text-align:left">'
            f"{count} event{'s' if count != 1 else ''}, in date order</caption>"
            "<thead><tr>" + "".join(f'<th scope="col" style="text-align:left;padding:2px 8px">{name}</th>'
                                    for name in ("Date", "Event", "Theme", "Place", "In the review"))
            + "</tr></thead>"
            f"<tbody>{''.join(self._rows[keep])}</tbody></table></div>"
        )

    @staticmethod
    def _row_html(event) -> str:
        date = format_span(event.date_start, event.date_end, event.precision)
        if isinstance(event.julian_date, str) and event.precision == "day":
            old_style = format_date(pd.Timestamp(event.julian_date))
            date += f" <small>(Old Style: {escape(old_style)})</small>"
        marker = "✓ in the review" if bool(event.in_review) else ""
        cell = 'style="padding:2px 8px;text-align:left;vertical-align:top"'
        return (
            f"<tr><td {cell}>{date}</td><td {cell}>{escape(event.title)}</td><td {cell}>{escape(event.theme)}</td>"
            f"<td {cell}>{escape(event.place)}</td><td {cell}>{marker}</td></tr>"
        )

    def to_html(self) -> str:
        return static_page("Timeline explorer", self._settings(),
                           self.figure_html.value + self.list_html.value + self.details_html.value)

    @staticmethod
    def _row_text(event) -> str:
        review = " [in the review]" if bool(event.in_review) else ""
        return f"- {format_span(event.date_start, event.date_end, event.precision)}: {event.title} ({event.place}){review}"

    def to_text(self) -> str:
        keep = self._mask()
        lines = [f"TimelineExplorer ({self._settings()}): {int(keep.sum())} events"]
        if not keep.any():
            lines.append(EMPTY_MESSAGE)
        lines.extend(self._lines[keep])
        return "\n".join(lines)
