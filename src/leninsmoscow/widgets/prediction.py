"""Prediction: a guess written down before the data answers, and the answer set beside it later.

Guessing first makes the answer stick (and shows a student what they
assumed). The lesson asks with :class:`Prediction`, works something out, then
calls :meth:`Prediction.reveal` with the value it computed, which sets the
answer beside the guess. A student who skipped the guess (and a notebook run
top to bottom unattended) is told so, never stopped by an error.
"""

from __future__ import annotations

import math

import ipywidgets as widgets

from ._shared import CourseWidget, escape

KINDS = ("number", "choice")


def number(value: float) -> str:
    """25260000000 -> '25,260,000,000'; 2.5 -> '2.5': as a reader writes numbers, not as a computer does."""
    if abs(value) >= 100 and abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:,.3g}"


class Prediction(CourseWidget):
    """Ask for a guess: a number (``kind="number"``) or one of ``options`` (``kind="choice"``).

    ``unit`` is how a number is read ("marks", "days"); the guess counts from
    the moment it is typed or chosen, and "Lock in my guess" keeps it from
    being changed once the answer is in sight.
    """

    def __init__(self, question: str, kind: str = "number", options=None, unit: str = ""):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if kind == "choice" and not options:
            raise ValueError("a choice needs its options")
        self.question, self.kind, self.unit = question, kind, unit
        self.options = [str(option) for option in options or []]
        guess = (widgets.FloatText(value=None, description="My guess", style={"description_width": "initial"})
                 if kind == "number" else
                 widgets.Dropdown(options=[("— choose —", None)] + [(o, o) for o in self.options], value=None,
                                  description="My guess", style={"description_width": "initial"}))
        self.controls = {"guess": guess, "lock": widgets.Button(description="Lock in my guess", icon="lock")}
        self.controls["lock"].on_click(lambda _: self.lock())
        self._given = False  # a FloatText shows 0 before anything is typed: only a change is a guess
        self.status_html = widgets.HTML(self._status())
        guess.observe(self._typed, names="value")
        self.widget = widgets.VBox([
            widgets.HTML(f"<p><strong>Predict first:</strong> {escape(question)}</p>"),
            widgets.HBox([guess, widgets.Label(unit), self.controls["lock"]]), self.status_html,
        ])

    def _typed(self, _change) -> None:
        self._given = True
        self._refresh()

    @property
    def guess(self):
        value = self.controls["guess"].value
        if not self._given or value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return value

    @property
    def locked(self) -> bool:
        return self.controls["guess"].disabled

    def lock(self) -> None:
        if self.guess is not None:
            self.controls["guess"].disabled = True
            self.controls["lock"].disabled = True
        self._refresh()

    def _refresh(self) -> None:
        self.status_html.value = self._status()

    def _status(self) -> str:
        guess = self.guess if hasattr(self, "controls") else None
        if guess is None:
            return '<p role="status"><em>No guess yet.</em></p>'
        shown = escape(self._shown(guess))
        return f'<p role="status">Your guess: <strong>{shown}</strong>{" (locked)" if self.locked else ""}.</p>'

    def _shown(self, value) -> str:
        if self.kind == "number":
            return f"{number(value)} {self.unit}".strip()
        return str(value)

    def reveal(self, actual, explanation: str = "") -> Reveal:
        """The answer beside the guess (display it): how far off a number was, or whether the choice was right."""
        return Reveal(self, actual, explanation)

    def verdict(self, actual) -> str:
        """The comparison in words."""
        guess = self.guess
        if guess is None:
            return f"You made no guess above. The answer is {self._shown(actual)}."
        if self.kind == "choice":
            if str(guess) == str(actual):
                return f"You guessed {self._shown(guess)}: right."
            return f"You guessed {self._shown(guess)}; the answer is {self._shown(actual)}."
        return f"You guessed {self._shown(guess)}; the answer is {self._shown(actual)}. {self._distance(guess, actual)}"

    @staticmethod
    def _distance(guess: float, actual: float) -> str:
        if actual == 0 or guess == 0 or (guess < 0) != (actual < 0):
            return ""
        ratio = actual / guess
        if 0.9 <= ratio <= 1.1:
            return "Close: within a tenth of it."
        if ratio > 1:
            return f"The answer is {number(ratio)} times your guess."
        return f"Your guess is {number(1 / ratio)} times the answer."

    def to_html(self) -> str:
        return (f'<div class="leninsmoscow-static"><p><strong>Predict first:</strong> {escape(self.question)}</p>'
                f"{self._status()}<p><em>Static view: run the notebook to enter a guess.</em></p></div>")

    def to_text(self) -> str:
        guess = self.guess
        return f"Prediction: {self.question}\nguess: {'none' if guess is None else self._shown(guess)}"


class Reveal:
    """What :meth:`Prediction.reveal` displays: the answer beside the guess."""

    def __init__(self, prediction: Prediction, actual, explanation: str):
        self.text = prediction.verdict(actual)
        self.explanation = explanation

    def _repr_html_(self) -> str:
        extra = f" {escape(self.explanation)}" if self.explanation else ""
        return f'<div role="status"><p><strong>Your prediction:</strong> {escape(self.text)}{extra}</p></div>'

    def __repr__(self) -> str:
        return f"Your prediction: {self.text}" + (f" {self.explanation}" if self.explanation else "")
