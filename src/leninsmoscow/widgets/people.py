"""PeopleExplorer: who was who in 1917–1924, and where they went afterwards."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .. import data
from ._shared import (
    CourseWidget,
    details_dropdown,
    escape,
    palette,
    refill,
    source_line,
    static_page,
)

ALL_TRAJECTORIES = "All trajectories"
ALL_COUNTRIES = "All countries"
EVERYONE, NAMED, NOT_NAMED = "Everyone", "Named in the review", "Not named in the review"
EMPTY_MESSAGE = "No one matches these filters"


def life_dates(born, died) -> str:
    """'1870–1924', or '1883–?' when the data has no year of death."""
    return f"{born}–{died if not pd.isna(died) else '?'}"


class PeopleExplorer(CourseWidget):
    """Cards for the people of the course, filtered, with a count per trajectory; choose one for the full record.

    The trajectories are the review's three-way split (Stalinism, fascism,
    the anti-Stalinist left) plus the other paths the data records; the
    counts let a student test the review's claim against the whole cast.
    """

    def __init__(self, trajectory: str = ALL_TRAJECTORIES, country: str = ALL_COUNTRIES, review: str = EVERYONE):
        people = data.load("people").sort_values(["trajectory", "name"]).reset_index(drop=True)
        self._people = people
        self._trajectories = list(people["trajectory"].cat.categories)
        self._colours = palette(self._trajectories)
        self._cards = np.array([self._card(person) for person in people.itertuples(index=False)], dtype=object)
        self._trajectory = people["trajectory"].astype(str).to_numpy()
        self._country = people["country"].to_numpy()
        self._named = people["in_review"].fillna(False).to_numpy(dtype=bool)
        self.controls = {
            "trajectory": widgets.Dropdown(options=[ALL_TRAJECTORIES, *self._trajectories], value=trajectory,
                                           description="Trajectory"),
            "country": widgets.Dropdown(options=[ALL_COUNTRIES, *sorted(people["country"].unique())], value=country,
                                        description="Country"),
            "review": widgets.Dropdown(options=[EVERYONE, NAMED, NOT_NAMED], value=review, description="Review",
                                       style={"description_width": "initial"}),
        }
        filters = list(self.controls.values())
        self.controls["person"] = details_dropdown("Read about a person")
        self.counts_html = widgets.HTML()
        self.cards_html = widgets.HTML()
        self.details_html = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HBox(filters, layout=widgets.Layout(flex_flow="row wrap")),
            self.counts_html, self.controls["person"], self.details_html, self.cards_html,
        ])
        for control in filters:
            control.observe(lambda _: self._update(), names="value")
        self.controls["person"].observe(lambda _: self._show_details(), names="value")
        self._update()

    def _show_details(self) -> None:
        """The chosen person's card, with the source it rests on."""
        chosen = self.controls["person"].value
        if chosen is None:
            self.details_html.value = ""
            return
        position = int(np.flatnonzero(self._people["person_id"].to_numpy() == chosen)[0])
        person = self._people.iloc[position]
        self.details_html.value = (f'<div role="region" aria-label="The chosen person">{self._cards[position]}'
                                   f'<p style="margin:2px 0">{source_line(person["source"])}</p></div>')

    def _mask(self) -> np.ndarray:
        keep = np.ones(len(self._people), dtype=bool)
        trajectory, country, review = (self.controls[name].value for name in ("trajectory", "country", "review"))
        if trajectory != ALL_TRAJECTORIES:
            keep &= self._trajectory == trajectory
        if country != ALL_COUNTRIES:
            keep &= self._country == country
        if review != EVERYONE:
            keep &= self._named if review == NAMED else ~self._named
        return keep

    @property
    def selection(self) -> pd.DataFrame:
        """The people shown, with the data's columns."""
        return self._people[self._mask()].reset_index(drop=True)

    def counts(self) -> dict[str, int]:
        """How many of the people shown took each trajectory (zeros included)."""
        shown = self._trajectory[self._mask()]
        return {trajectory: int((shown == trajectory).sum()) for trajectory in self._trajectories}

    # -- views ------------------------------------------------------------

    def _update(self) -> None:
        keep = self._mask()
        shown = self._people[keep]
        refill(self.controls["person"], list(zip(shown["name"], shown["person_id"])))
        self.counts_html.value = self._counts_html()
        if keep.any():
            self.cards_html.value = (
                '<div role="list" aria-label="People shown" '
                'style="display:flex;flex-wrap:wrap;gap:8px;max-height:30em;overflow:auto" tabindex="0">'
                f"{''.join(self._cards[keep])}</div>"
            )
        else:
            self.cards_html.value = (f'<p role="status"><strong>{EMPTY_MESSAGE}.</strong> '
                                     "Choose a wider filter, for example “All countries”.</p>")

    def _counts_html(self) -> str:
        counts = self.counts()
        total = sum(counts.values())
        rows = "".join(
            f"<tr><td style=\"padding:1px 8px\">{self._swatch(trajectory)} {escape(trajectory)}</td>"
            f"<td style=\"padding:1px 8px;text-align:right\">{count}</td></tr>"
            for trajectory, count in counts.items()
        )
        return (
            '<table role="status" style="border-collapse:collapse">'
            f'<caption style="text-align:left">{total} {"person" if total == 1 else "people"} shown, '
            "by later trajectory</caption>"
            '<thead><tr><th scope="col" style="text-align:left">Trajectory after 1924</th>'
            '<th scope="col">People</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )

    def _swatch(self, trajectory: str) -> str:
        return (f'<span aria-hidden="true" style="display:inline-block;width:0.8em;height:0.8em;'
                f'background:{self._colours[trajectory]};border:1px solid #222"></span>')

    def _card(self, person) -> str:
        named = ""
        if bool(person.in_review):
            shown = person.name_in_review if isinstance(person.name_in_review, str) else person.name
            named = f"<p style=\"margin:2px 0\"><em>Named in the review as “{escape(shown)}”.</em></p>"
        return (
            f'<div role="listitem" style="border:1px solid #bbb;border-left:6px solid '
            f'{self._colours[str(person.trajectory)]};padding:6px 8px;width:21em">'
            f'<h4 style="margin:0">{escape(person.name)} <small>({life_dates(person.born, person.died)})</small></h4>'
            f'<p style="margin:2px 0"><small>{escape(person.country)}</small></p>'
            f'<p style="margin:2px 0"><strong>1917–1924:</strong> {escape(person.role_1917_1924)}</p>'
            f'<p style="margin:2px 0"><strong>Later:</strong> {self._swatch(str(person.trajectory))} '
            f"{escape(person.trajectory)}. {escape(person.trajectory_note)}</p>{named}</div>"
        )

    def _settings(self) -> str:
        return ", ".join(str(self.controls[name].value) for name in ("trajectory", "country", "review"))

    def to_html(self) -> str:
        return static_page("People explorer", self._settings(),
                           self.counts_html.value + self.details_html.value + self.cards_html.value)

    def to_text(self) -> str:
        chosen = self.selection
        counts = ", ".join(f"{trajectory} {count}" for trajectory, count in self.counts().items() if count)
        lines = [f"PeopleExplorer ({self._settings()}): {len(chosen)} people" + (f" ({counts})" if counts else "")]
        if chosen.empty:
            lines.append(EMPTY_MESSAGE)
        lines += [f"- {person.name} ({life_dates(person.born, person.died)}): {person.trajectory}"
                  for person in chosen.itertuples(index=False)]
        return "\n".join(lines)
