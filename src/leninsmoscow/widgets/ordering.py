"""OrderingQuestion: put items in order, one dropdown per position."""

from __future__ import annotations

import ipywidgets as widgets

from ._selfcheck import SelfCheck
from ._shared import escape


class OrderingQuestion(SelfCheck):
    """Each position has a dropdown of all the items.

    Choosing an item for a position swaps it with the position that held it,
    so the answer is always a complete order; this works with the keyboard
    alone (Tab to a position, arrow keys to choose), unlike drag and drop.
    ``items`` is the order shown first: it may be neither the right order nor
    its reverse (both are patterns a student can guess). ``hints`` says, for an
    item, what to look at when it is out of place.
    """

    def __init__(self, prompt: str, items, correct_order, explanation: str, hints: dict | None = None):
        items = [str(item) for item in items]
        correct = [str(item) for item in correct_order]
        if sorted(items) != sorted(correct) or len(set(items)) != len(items):
            raise ValueError("correct_order must list each of the items exactly once "
                             f"(items: {items}; correct_order: {correct}).")
        if len(items) > 2 and items in (correct, correct[::-1]):
            raise ValueError("items must not start in the right order or its reverse: choose another first order.")
        if items == correct and len(items) > 1:
            items = items[::-1]
        hints = {str(item): str(hint) for item, hint in (hints or {}).items()}
        super().__init__(prompt, explanation)
        self.items, self.correct_order, self.hints = items, correct, hints
        self.controls = {
            "positions": [widgets.Dropdown(options=items, value=item, description=f"{index + 1}.",
                                           layout=widgets.Layout(width="auto"),
                                           style={"description_width": "2em"})
                          for index, item in enumerate(items)],
            "check": self.button,
        }
        self._swapping = False
        for position in self.controls["positions"]:
            position.observe(self._moved, names="value")
        self._assemble(widgets.VBox(self.controls["positions"]))

    @property
    def order(self) -> list[str]:
        """The order the student has chosen so far."""
        return [position.value for position in self.controls["positions"]]

    @order.setter
    def order(self, items) -> None:
        for position, item in zip(self.controls["positions"], items):
            position.value = item

    def _moved(self, change) -> None:
        if self._swapping:
            return
        self._swapping = True
        try:
            for position in self.controls["positions"]:
                if position is not change["owner"] and position.value == change["new"]:
                    position.value = change["old"]
        finally:
            self._swapping = False
        self._changed()

    def _verdict(self) -> tuple[bool, str]:
        placed = sum(chosen == right for chosen, right in zip(self.order, self.correct_order))
        if placed == len(self.correct_order):
            return True, ""
        detail = f"{placed} of {len(self.correct_order)} are in the right place."
        misplaced = [chosen for chosen, right in zip(self.order, self.correct_order) if chosen != right]
        for item in misplaced:
            if item in self.hints:
                detail += f" {item}: {self.hints[item]}"
        return False, detail + " Move the others and check again."

    def _solution(self) -> str:
        return " → ".join(self.correct_order) + "."

    def _answer_html(self) -> str:
        return "<ol>" + "".join(f"<li>{escape(item)}</li>" for item in self.order) + "</ol>"

    def _answer_text(self) -> str:
        return "\n".join(f"{index + 1}. {item}" for index, item in enumerate(self.order))
