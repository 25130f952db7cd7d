"""StrikeChart: strikes and lockouts in five countries, 1913–1925."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from .. import data
from ._figure import FigureView, figure_html
from ._shared import (
    INK,
    CheckboxGroup,
    CourseWidget,
    digits,
    escape,
    listing,
    markers,
    palette,
    static_page,
)

BASE_YEAR = 1913
LABELS = {
    "disputes": "Strikes and lockouts begun",
    "workers involved": "Workers involved",
    "days lost": "Working days lost",
}
LINESTYLES = ("solid", (0, (5, 2)), (0, (1, 1.5)), "dashdot", (0, (3, 1, 1, 1, 1, 1)))


def _scale(top: float) -> tuple[float, str]:
    """Divide big counts so tick labels stay short: (divisor, unit words)."""
    if top >= 2e6:
        return 1e6, " (millions)"
    if top >= 2e4:
        return 1e3, " (thousands)"
    return 1.0, ""


class StrikeChart(CourseWidget):
    """One line per country for the chosen measure, with gaps where a year is missing.

    Countries count strikes differently (lockouts in or out, changing
    territory); the notes under the chart say how, and the index option
    compares each country with itself rather than across definitions.
    """

    def __init__(self, countries=None, measure: str = "days lost", index: bool = False):
        strikes = data.load("strikes")
        self._countries = list(strikes["country"].cat.categories)
        self._measures = list(strikes["measure"].cat.categories)
        self._years = np.arange(strikes["year"].min(), strikes["year"].max() + 1)
        self._series = self._tabulate(strikes)
        self._notes = strikes.groupby(["country", "measure"], observed=True)
        self._citations = {source: data.cite(source) for source in set(strikes["source"])}
        self._colours = palette(self._countries)
        self._markers = markers(self._countries)
        self.controls = {
            "countries": CheckboxGroup(self._countries, value=countries, description="Countries:"),
            "measure": widgets.Dropdown(options=[(LABELS.get(m, m), m) for m in self._measures], value=measure,
                                        description="Measure"),
            "index": widgets.Checkbox(value=index, description=f"Index ({BASE_YEAR} = 100)", indent=False),
        }
        self._view = FigureView(7.5, 3.8)
        self._build_figure()
        self.figure_html = widgets.HTML()
        self.note_html = widgets.HTML()
        self.widget = widgets.VBox([
            self.controls["countries"],
            widgets.HBox([self.controls["measure"], self.controls["index"]], layout=widgets.Layout(align_items="center")),
            self.figure_html, self.note_html,
        ])
        for control in self.controls.values():
            control.observe(lambda _: self._update(), names="value")
        self._update()

    def _tabulate(self, strikes: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
        """{(country, measure): values by year, NaN where the year is missing}."""
        table = {}
        for (country, measure), rows in strikes.groupby(["country", "measure"], observed=True):
            values = rows.set_index("year")["value"].reindex(self._years).to_numpy(dtype=float)
            table[(country, measure)] = values
        return table

    # -- what is shown ----------------------------------------------------

    def values(self, country: str, measure: str | None = None, index: bool | None = None) -> np.ndarray:
        """The plotted values for one country, year by year (NaN = no figure)."""
        measure = self.controls["measure"].value if measure is None else measure
        index = self.controls["index"].value if index is None else index
        values = self._series.get((country, measure), np.full(len(self._years), np.nan))
        if index:
            base = values[self._years == BASE_YEAR][0]
            if not base or base != base:
                return np.full(len(self._years), np.nan)
            return values / base * 100
        return values

    @property
    def missing(self) -> list[str]:
        """Chosen countries with no figures at all for the chosen measure."""
        measure = self.controls["measure"].value
        return [country for country in self.controls["countries"].value if (country, measure) not in self._series]

    @property
    def not_indexed(self) -> list[str]:
        """Chosen countries that have figures but none for the base year."""
        if not self.controls["index"].value:
            return []
        return [country for country in self.controls["countries"].value
                if country not in self.missing and np.isnan(self.values(country)).all()]

    # -- figure -----------------------------------------------------------

    def _build_figure(self) -> None:
        figure = self._view.figure
        figure.subplots_adjust(left=0.13, right=0.8, top=0.89, bottom=0.14)
        self._axes = axes = figure.add_subplot()
        axes.set_xlim(self._years[0] - 0.5, self._years[-1] + 0.5)
        axes.xaxis.set_major_locator(FixedLocator(self._years))
        axes.xaxis.set_minor_locator(NullLocator())
        axes.tick_params(axis="x", labelsize=8)
        axes.set_xlabel("Year")
        axes.set_title(f"Strikes and lockouts, {self._years[0]}–{self._years[-1]}", fontsize=11)
        axes.grid(color="#e3e3e3", linewidth=0.6)
        self._lines = {
            country: axes.plot([], [], color=self._colours[country], marker=self._markers[country],
                               markeredgecolor=INK, markeredgewidth=0.5, markersize=5,
                               linestyle=LINESTYLES[index % len(LINESTYLES)], linewidth=1.8, label=country)[0]
            for index, country in enumerate(self._countries)
        }
        # A fixed legend beside the axes: every country, whether shown or not.
        axes.legend(handles=list(self._lines.values()), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                    title="Country", title_fontsize=8, frameon=False)
        self._empty = axes.text(0.5, 0.5, "", transform=axes.transAxes, ha="center", va="center", fontsize=11,
                                color=INK, bbox={"facecolor": "white", "edgecolor": "#999999"}, zorder=6)
        self._view.layer("axes", axes.yaxis)
        self._view.layer("data", *self._lines.values(), self._empty)

    def _plotted(self) -> dict[str, np.ndarray]:
        return {country: self.values(country) for country in self.controls["countries"].value
                if not np.isnan(self.values(country)).all()}

    def _set_axes(self, plotted: dict[str, np.ndarray]) -> tuple:
        measure, index = self.controls["measure"].value, self.controls["index"].value
        top = max((np.nanmax(values) for values in plotted.values()), default=1.0)
        divisor, unit = (1.0, "") if index else _scale(top)
        ticks = [tick for tick in MaxNLocator(nbins=6).tick_values(0, top * 1.05) if tick >= 0]
        axes = self._axes
        axes.set_ylim(0, max(ticks[-1], top * 1.05))
        axes.yaxis.set_major_locator(FixedLocator(ticks))
        axes.yaxis.set_minor_locator(NullLocator())
        axes.set_yticklabels([digits(tick / divisor) for tick in ticks], fontsize=8)
        label = f"Index, {BASE_YEAR} = 100" if index else LABELS.get(measure, measure) + unit
        axes.set_ylabel(label, fontsize=9)
        return (measure, index, tuple(ticks), divisor)

    def _draw(self) -> None:
        plotted = self._plotted()
        key = self._set_axes(plotted)
        for country, line in self._lines.items():
            line.set_visible(country in plotted)
            if country in plotted:
                line.set_data(self._years, plotted[country])
        chosen = self.controls["countries"].value
        message = ""
        if not chosen:
            message = "No country chosen: tick at least one"
        elif not plotted:
            message = "No figures for this measure in the countries chosen"
        self._empty.set_text(message)
        self._empty.set_visible(bool(message))
        state = (self.controls["countries"].value, self.controls["measure"].value, self.controls["index"].value)
        self._view.render("axes", key=key, state=state)

    # -- views ------------------------------------------------------------

    def _update(self) -> None:
        self._draw()
        self.figure_html.value = figure_html(self._view.png, self.alt_text(), self._view.size_px)
        self.note_html.value = self._note_html()

    def _describe(self, country: str, values: np.ndarray) -> str:
        present = ~np.isnan(values)
        years = self._years[present]
        peak = int(np.nanargmax(values))
        gaps = "" if present[present.argmax():len(present) - present[::-1].argmax()].all() else ", with gaps"
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
        return (f"{country} {span} ({len(years)} year{'s' if len(years) != 1 else ''}{gaps}; highest "
                f"{digits(values[peak])} in {self._years[peak]})")

    def alt_text(self) -> str:
        """The chart in words: which lines, their spans and peaks, and what is missing."""
        measure, index = self.controls["measure"].value, self.controls["index"].value
        what = LABELS.get(measure, measure).lower() + (f", as an index ({BASE_YEAR} = 100)" if index else "")
        plotted = self._plotted()
        if not plotted:
            return f"Line chart of {what} per year, with no lines. {self._empty.get_text()}."
        lines = "; ".join(self._describe(country, values) for country, values in plotted.items())
        text = f"Line chart of {what} per year, {self._years[0]}–{self._years[-1]}, one line per country: {lines}."
        if self.missing:
            text += f" No figures for {listing(self.missing)}."
        if self.not_indexed:
            text += f" Not indexed (no {BASE_YEAR} figure): {listing(self.not_indexed)}."
        return text

    def _note_html(self) -> str:
        measure = self.controls["measure"].value
        parts = []
        if self._empty.get_visible():
            parts.append(f'<p role="status"><strong>{escape(self._empty.get_text())}.</strong></p>')
        if self.missing:
            parts.append(f'<p role="status"><strong>No data for {escape(LABELS.get(measure, measure).lower())}:</strong> '
                         f"{escape(listing(self.missing))}.</p>")
        if self.not_indexed:
            parts.append(f'<p role="status"><strong>Cannot index to {BASE_YEAR} (no {BASE_YEAR} figure):</strong> '
                         f"{escape(listing(self.not_indexed))}. Untick the index to see their figures.</p>")
        definitions = []
        for country in self.controls["countries"].value:
            if (country, measure) not in self._series:
                continue
            rows = self._notes.get_group((country, measure))
            notes = "; ".join(escape(note) for note in rows["note"].dropna().unique())
            sources = "; ".join(escape(self._citations[source]) for source in rows["source"].unique())
            definitions.append(f"<li><strong>{escape(country)}</strong>: {notes} <small>Source: {sources}</small></li>")
        if definitions:
            parts.append("<details><summary>What each country's figures count, and where they come from</summary>"
                         f"<ul>{''.join(definitions)}</ul></details>")
        return "".join(parts)

    def to_html(self) -> str:
        settings = (f"countries: {listing(list(self.controls['countries'].value))}; "
                    f"measure: {self.controls['measure'].value}; "
                    f"index: {'on' if self.controls['index'].value else 'off'}")
        return static_page("Strike chart", settings, self.figure_html.value + self.note_html.value)

    def to_text(self) -> str:
        return "StrikeChart: " + self.alt_text()
