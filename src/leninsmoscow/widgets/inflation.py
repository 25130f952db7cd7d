"""InflationExplorer: the German paper mark against the dollar, 1914–1923."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, NullLocator

from .. import data
from ._figure import FigureView, figure_html
from ._shared import (
    INK,
    OKABE_ITO,
    CourseWidget,
    big_number,
    digits,
    escape,
    static_page,
)
from .timeline import MONTHS, fractional_year

LOG, LINEAR = "log scale", "linear scale"
LINE = OKABE_ITO[4]  # blue
MARK = OKABE_ITO[5]  # vermillion
LOG_TICKS = {1: "1", 1e3: "1,000", 1e6: "1 million", 1e9: "1 billion", 1e12: "1 trillion"}


def month_label(month: pd.Timestamp) -> str:
    """'Oct 1923', the slider's label."""
    return f"{MONTHS[month.month - 1][:3]} {month.year}"


class InflationExplorer(CourseWidget):
    """How many paper marks a dollar cost, and what a 1914 price became.

    The conversion assumes prices rose in step with the dollar rate, which is
    what contemporaries did when they priced goods in dollars; the note in the
    view says so.
    """

    def __init__(self, month=None, price_1914: float = 1.0, log: bool = True):
        rates = data.load("hyperinflation").sort_values("month").reset_index(drop=True)
        self._rates = rates
        self._months = list(rates["month"])
        base = rates[rates["basis"] == "pre-war parity"]
        self._base = (base if len(base) else rates.iloc[:1]).iloc[0]
        self._citations = {source: data.cite(source) for source in set(rates["source"])}
        first = self._months[-1] if month is None else self._month(month)
        self.controls = {
            "scale": widgets.ToggleButtons(options=[LOG, LINEAR], value=LOG if log else LINEAR, description="Scale"),
            "month": widgets.SelectionSlider(options=[(month_label(m), m) for m in self._months], value=first,
                                             description="Month", continuous_update=True,
                                             layout=widgets.Layout(width="460px")),
            "price": widgets.FloatText(value=price_1914, description="Price in 1914 marks",
                                       style={"description_width": "initial"}, layout=widgets.Layout(width="260px")),
        }
        self._view = FigureView(7.5, 3.6)
        self._build_figure()
        self.figure_html = widgets.HTML()
        self.price_html = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HBox([self.controls["scale"]]), self.controls["month"], self.figure_html,
            self.controls["price"], self.price_html,
        ])
        self.controls["scale"].observe(lambda _: self._update("axes"), names="value")
        self.controls["month"].observe(lambda _: self._update("data"), names="value")
        self.controls["price"].observe(lambda _: self._show_price(), names="value")
        self._update("axes")

    # -- the sum ----------------------------------------------------------

    def _month(self, month) -> pd.Timestamp:
        """A month in the data, from a Timestamp, '1923-10' or 'Oct 1923'."""
        try:
            stamp = pd.Timestamp(month)
        except (ValueError, TypeError):
            stamp = None
        if stamp is not None and not pd.isna(stamp):
            stamp = stamp.to_period("M").to_timestamp()
        if stamp not in self._months:
            shown = ", ".join(month_label(m) for m in self._months[:3])
            raise ValueError(f"There is no rate for {month!r} in data/hyperinflation.csv. "
                             f"Use a month it lists ({shown}, ... {month_label(self._months[-1])}).")
        return stamp

    def rate(self, month) -> float:
        """Paper marks per dollar in that month."""
        stamp = self._month(month)
        return float(self._rates.loc[self._rates["month"] == stamp, "marks_per_dollar"].iloc[0])

    def price_in(self, month, price_1914: float) -> float:
        """What something costing ``price_1914`` marks in 1914 cost in ``month``."""
        return float(price_1914) * self.rate(month) / float(self._base["marks_per_dollar"])

    # -- figure -----------------------------------------------------------

    def _build_figure(self) -> None:
        figure = self._view.figure
        figure.subplots_adjust(left=0.15, right=0.97, top=0.88, bottom=0.15)
        self._axes = axes = figure.add_subplot()
        x = fractional_year(self._rates["month"])
        y = self._rates["marks_per_dollar"].to_numpy(dtype=float)
        self._x, self._y = x, y
        series = self._rates["basis"] != "pre-war parity"
        (self._line,) = axes.plot(x[series], y[series], color=LINE, linewidth=1.8, marker="o", markersize=2.5)
        base_x = fractional_year(pd.Series([self._base["month"]]))[0]
        first = int(np.argmax(series.to_numpy()))
        (self._gap,) = axes.plot([base_x, x[first]], [self._base["marks_per_dollar"], y[first]], color=LINE,
                                 linestyle=(0, (1, 3)), linewidth=1.2)
        (self._parity,) = axes.plot([base_x], [self._base["marks_per_dollar"]], marker="s", color=LINE,
                                    markeredgecolor=INK, linestyle="none")
        # Placed in axes height (not marks) so it stays put when the scale changes.
        self._gap_label = axes.text((base_x + x[first]) / 2, 0.12, "no monthly figures in the data, 1914–1918",
                                    transform=axes.get_xaxis_transform(), ha="center", fontsize=8, color="#555555")
        axes.set_xlim(1914, 1924.05)
        axes.xaxis.set_major_locator(FixedLocator(range(1914, 1925)))
        axes.xaxis.set_minor_locator(NullLocator())
        axes.set_xlabel("Month (ticks mark 1 January of each year)")
        axes.set_title("Paper marks needed to buy one US dollar, 1914–1923", fontsize=11)
        axes.grid(color="#e3e3e3", linewidth=0.6)
        (self._marker,) = axes.plot([], [], marker="o", markersize=10, markerfacecolor="none", markeredgecolor=MARK,
                                    markeredgewidth=2.2, linestyle="none", zorder=5)
        self._month_line = axes.axvline(1914, color=MARK, linewidth=1, linestyle=(0, (4, 2)), zorder=4)
        self._view.layer("axes", axes.yaxis, self._line, self._gap, self._parity)
        # The month's figure is in the caption and the text below, not drawn:
        # a label would cost more to draw than everything else in the layer.
        self._view.layer("data", self._month_line, self._marker)

    def _set_scale(self) -> None:
        axes = self._axes
        log = self.controls["scale"].value == LOG
        axes.set_yscale("log" if log else "linear")
        if log:
            axes.set_ylim(1, 1e13)
            ticks = list(LOG_TICKS)
            labels = list(LOG_TICKS.values())
        else:
            top = float(self._y.max()) * 1.08
            axes.set_ylim(0, top)
            ticks = list(np.arange(0, top, 1e12))
            labels = ["0"] + [f"{tick / 1e12:g} trillion" for tick in ticks[1:]]
        axes.yaxis.set_major_locator(FixedLocator(ticks))
        axes.yaxis.set_minor_locator(NullLocator())
        axes.set_yticklabels(labels, fontsize=8)
        axes.set_ylabel(f"Paper marks per US dollar\n({self.controls['scale'].value})", fontsize=9)

    def _draw(self, changed: str) -> None:
        if changed != "data":
            self._set_scale()
        index = self._months.index(self.controls["month"].value)
        self._marker.set_data([self._x[index]], [self._y[index]])
        self._month_line.set_xdata([self._x[index], self._x[index]])
        self._view.render(changed, key=self.controls["scale"].value,
                          state=(self.controls["scale"].value, self.controls["month"].value))

    # -- views ------------------------------------------------------------

    def _update(self, changed: str) -> None:
        self._draw(changed)
        self.figure_html.value = figure_html(self._view.png, self.alt_text(), self._view.size_px)
        self._show_price()

    def alt_text(self) -> str:
        """The chart in words, with the highlighted month's figure."""
        month = self.controls["month"].value
        row = self._rates.iloc[self._months.index(month)]
        first, last = self._rates.iloc[0], self._rates.iloc[-1]
        return (
            f"Line chart: paper marks per US dollar, {self.controls['scale'].value}, "
            f"{MONTHS[first['month'].month - 1]} {first['month'].year} to "
            f"{MONTHS[last['month'].month - 1]} {last['month'].year}; the rate rises from "
            f"{big_number(first['marks_per_dollar'])} to {big_number(last['marks_per_dollar'])}, "
            f"with no monthly figures between {first['month'].year} and {self._months[1].year}. "
            f"Highlighted: {MONTHS[month.month - 1]} {month.year}, {big_number(row['marks_per_dollar'])} "
            f"marks per dollar ({row['basis']})."
        )

    def _show_price(self) -> None:
        self.price_html.value = self._price_html()

    def _price_html(self) -> str:
        month = self.controls["month"].value
        price = self.controls["price"].value
        row = self._rates.iloc[self._months.index(month)]
        base = self._base
        when = f"{MONTHS[month.month - 1]} {month.year}"
        rate = (f"<p><strong>{when}:</strong> {big_number(row['marks_per_dollar'])} paper marks per US dollar "
                f"({escape(row['basis'])}).</p>")
        if price is None or price != price or price < 0:
            return rate + '<p role="status">Type a price of 0 or more, in the marks of 1914.</p>'
        cost = self.price_in(month, price)
        return (
            f'{rate}<p role="status">Something that cost <strong>{big_number(price)} mark{"" if price == 1 else "s"}</strong> '
            f"in {base['month'].year} cost about <strong>{big_number(cost)} paper mark{'' if cost == 1 else 's'}</strong> "
            f"in {when}.</p>"
            f"<p>The sum: {digits(price)} × {digits(row['marks_per_dollar'])} ({when}, {escape(row['basis'])}) "
            f"÷ {digits(base['marks_per_dollar'])} ({MONTHS[base['month'].month - 1]} {base['month'].year}, "
            f"{escape(base['basis'])}). This assumes prices rose in step with the dollar rate: a guide, not a "
            "price index.</p>"
            f"<p><small>Rate for {when}: {escape(self._citations[row['source']])}. "
            f"1914 rate: {escape(self._citations[base['source']])}.</small></p>"
        )

    def to_html(self) -> str:
        settings = f"{self.controls['scale'].value}, {month_label(self.controls['month'].value)}, " \
                   f"price in 1914 marks: {self.controls['price'].value:g}"
        return static_page("Inflation explorer", settings, self.figure_html.value + self.price_html.value)

    def to_text(self) -> str:
        month = self.controls["month"].value
        price = self.controls["price"].value
        lines = [f"InflationExplorer: {month_label(month)}, {big_number(self.rate(month))} marks per US dollar "
                 f"({self.controls['scale'].value})."]
        if price is not None and price >= 0:
            lines.append(f"{big_number(price)} marks in 1914 -> about {big_number(self.price_in(month, price))} "
                         f"paper marks in {month_label(month)}.")
        return "\n".join(lines)
