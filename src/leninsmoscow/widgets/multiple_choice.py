"""MultipleChoice: one question, one right option, feedback as soon as a choice is made."""

from __future__ import annotations

import ipywidgets as widgets

from ._selfcheck import SelfCheck
from ._shared import escape


class MultipleChoice(SelfCheck):
    """``answer`` is the right option's text (or its position, from 0).

    ``why_not`` says, for each wrong option, why it is wrong: that is the
    feedback a student gets on choosing it. (``hint`` is the older, single
    message for every wrong option, used only where ``why_not`` is not given.)
    """

    def __init__(self, question: str, options, answer, explanation: str, why_not: dict | None = None,
                 hint: str = "Read the passage again."):
        options = [str(option) for option in options]
        if isinstance(answer, int) and not isinstance(answer, bool):
            answer = options[answer]
        if answer not in options:
            raise ValueError(f"The answer {answer!r} is not one of the options {options}.")
        why_not = {str(option): str(reason) for option, reason in (why_not or {}).items()}
        unknown = set(why_not) - set(options)
        missing = [option for option in options if option != answer and option not in why_not]
        if unknown or (why_not and missing):
            raise ValueError(f"why_not must explain each wrong option: unknown {sorted(unknown)}, missing {missing}.")
        super().__init__(question, explanation, with_button=False)
        self.options, self.answer, self.hint, self.why_not = options, answer, hint, why_not
        self.controls = {"choice": widgets.RadioButtons(options=options, value=None, description="",
                                                        layout=widgets.Layout(width="max-content"))}
        self.controls["choice"].observe(self._chosen, names="value")
        self._assemble(self.controls["choice"])

    def _chosen(self, change) -> None:
        if change["new"] is None:
            self._changed()
        else:
            self.check()

    def _verdict(self) -> tuple[bool, str]:
        choice = self.controls["choice"].value
        if choice is None:
            return False, "Choose one of the answers."
        if choice == self.answer:
            return True, ""
        reason = self.why_not.get(choice, self.hint)
        return False, f"“{choice}”: {reason} Try another option."

    def _answered(self) -> bool:
        return self.controls["choice"].value is not None

    def _solution(self) -> str:
        return f"“{self.answer}”."

    def _answer_html(self) -> str:
        choice = self.controls["choice"].value
        items = "".join(f"<li>{'☑' if option == choice else '☐'} {escape(option)}</li>" for option in self.options)
        return f'<ul style="list-style:none">{items}</ul>'

    def _answer_text(self) -> str:
        choice = self.controls["choice"].value
        return "\n".join(f"[{'x' if option == choice else ' '}] {option}" for option in self.options)
