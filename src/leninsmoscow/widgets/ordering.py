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
    ``items`` is the order shown first; if it is already the right order, it
    is shown reversed.
    """

    def __init__(self, prompt: str, items, correct_order, explanation: str):
        items = [str(item) for item in items]
        correct = [str(item) for item in correct_order]
        if sorted(items) != sorted(correct) or len(set(items)) != len(items):
            raise ValueError("correct_order must list each of the items exactly once "
                             f"(items: {items}; correct_order: {correct}).")
        if items == correct and len(items) > 1:
            items = items[::-1]
        super().__init__(prompt, explanation)
        self.items, self.correct_order = items, correct
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
        return False, f"{placed} of {len(self.correct_order)} are in the right place. Move the others and check again."

    def _answer_html(self) -> str:
        return "<ol>" + "".join(f"<li>{escape(item)}</li>" for item in self.order) + "</ol>"

    def _answer_text(self) -> str:
        return "\n".join(f"{index + 1}. {item}" for index, item in enumerate(self.order))
