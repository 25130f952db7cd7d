"""MatchingQuestion: match each item on the left to one option, by dropdown."""

from __future__ import annotations

import ipywidgets as widgets

from ._selfcheck import SelfCheck
from ._shared import escape

UNCHOSEN = "— choose —"


class MatchingQuestion(SelfCheck):
    """``answers`` maps each left item to its right option (a dict, or a list in the order of ``left``).

    ``hints`` says, for each left item, where to look when its match is wrong.
    The options must not be listed in the order of the items they match (a
    pattern students soon learn to read): at most one may stand at its item's place.
    """

    def __init__(self, prompt: str, left, right_options, answers, explanation: str, hints: dict | None = None):
        left = [str(item) for item in left]
        right_options = [str(option) for option in right_options]
        if not isinstance(answers, dict):
            answers = dict(zip(left, answers))
        answers = {str(key): str(value) for key, value in answers.items()}
        problems = [item for item in left if answers.get(item) not in right_options]
        if problems or set(answers) - set(left):
            raise ValueError(f"answers must give one of {right_options} for each of {left}; check {problems or sorted(set(answers) - set(left))}.")
        in_place = [item for index, item in enumerate(left)
                    if index < len(right_options) and right_options[index] == answers[item]]
        if len(left) > 2 and len(in_place) > 1:
            raise ValueError(f"The options are listed in the order of the items they match ({in_place}): shuffle them.")
        hints = {str(item): str(hint) for item, hint in (hints or {}).items()}
        if set(hints) - set(left):
            raise ValueError(f"hints name items that are not asked: {sorted(set(hints) - set(left))}.")
        super().__init__(prompt, explanation)
        self.left, self.right_options, self.answers, self.hints = left, right_options, answers, hints
        self.controls = {
            "matches": {item: widgets.Dropdown(options=[(UNCHOSEN, None)] + [(o, o) for o in right_options],
                                               value=None, description=item,
                                               style={"description_width": "initial"},
                                               layout=widgets.Layout(width="auto"))
                        for item in left},
            "check": self.button,
        }
        for dropdown in self.controls["matches"].values():
            dropdown.observe(self._changed, names="value")
        self._assemble(widgets.VBox(list(self.controls["matches"].values())))

    @property
    def chosen(self) -> dict[str, str | None]:
        return {item: dropdown.value for item, dropdown in self.controls["matches"].items()}

    def _verdict(self) -> tuple[bool, str]:
        chosen = self.chosen
        unanswered = [item for item, value in chosen.items() if value is None]
        right = sum(chosen[item] == self.answers[item] for item in self.left)
        if right == len(self.left):
            return True, ""
        detail = f"{right} of {len(self.left)} matches are right."
        if unanswered:
            detail += f" Still to choose: {', '.join(unanswered)}."
        wrong = [item for item in self.left if chosen[item] is not None and chosen[item] != self.answers[item]]
        for item in wrong:
            detail += f" {item}: not that one. {self.hints.get(item, '')}".rstrip()
        return False, detail + " Change the wrong ones and check again."

    def _answered(self) -> bool:
        return any(value is not None for value in self.chosen.values())

    def _solution(self) -> str:
        return "; ".join(f"{item} → {self.answers[item]}" for item in self.left) + "."

    def _answer_html(self) -> str:
        rows = "".join(f"<tr><td>{escape(item)}</td><td>{escape(value or UNCHOSEN)}</td></tr>"
                       for item, value in self.chosen.items())
        return f"<table>{rows}</table>"

    def _answer_text(self) -> str:
        return "\n".join(f"{item} -> {value or UNCHOSEN}" for item, value in self.chosen.items())
