"""What the three self-check questions share: prompt, Check button and feedback.

Nothing here is graded or recorded: the questions let a student test their
own reading, so feedback is immediate and says why a wrong answer is wrong
(each question supplies that per option or item). The explanation, which gives
the answer away, comes only after a right answer or after two wrong tries.
Feedback never relies on colour alone: it starts with a word and a symbol.
"""

from __future__ import annotations

import ipywidgets as widgets

from ._shared import CourseWidget, escape

NOT_CHECKED = "Press Check when you are ready."
TRIES_BEFORE_EXPLANATION = 2


class SelfCheck(CourseWidget):
    """Base class: subclasses supply the answer controls and ``_verdict``."""

    kind = "Self-check"

    def __init__(self, prompt: str, explanation: str, with_button: bool = True):
        self.prompt = prompt
        self.explanation = explanation
        self.prompt_html = widgets.HTML(f"<p><strong>{self.kind}:</strong> {escape(prompt)}</p>")
        self.feedback_html = widgets.HTML(self._neutral(NOT_CHECKED if with_button else ""))
        self.button = widgets.Button(description="Check", button_style="primary",
                                     tooltip="Check your answer", icon="check") if with_button else None
        if self.button is not None:
            self.button.on_click(lambda _: self.check())
        self.result: bool | None = None  # None until checked
        self.wrong_tries = 0

    def _assemble(self, answer_area: widgets.Widget) -> None:
        parts = [self.prompt_html, answer_area]
        if self.button is not None:
            parts.append(self.button)
        parts.append(self.feedback_html)
        self.widget = widgets.VBox(parts)

    def check(self) -> bool:
        """Mark the current answer, show the feedback, and return True if right."""
        right, detail = self._verdict()
        self.result = right
        if right:
            text = f"<strong>✓ Right.</strong> {escape(self.explanation)}"
        else:
            self.wrong_tries += 1 if self._answered() else 0
            text = f"<strong>✗ Not yet.</strong> {escape(detail)}"
            if self.wrong_tries >= TRIES_BEFORE_EXPLANATION:
                text += f"<br><strong>The answer, after {self.wrong_tries} tries:</strong> {escape(self._solution())} "
                text += escape(self.explanation)
        self.feedback_html.value = self._neutral(text, raw=True)
        return right

    def _solution(self) -> str:
        """The right answer in words, shown with the explanation after two wrong tries."""
        raise NotImplementedError

    def _answered(self) -> bool:
        """Whether the student gave an answer at all (a check with none is not a try)."""
        return True

    def _changed(self, _change=None) -> None:
        """An answer changed after a check: the old verdict no longer applies."""
        self.result = None
        self.feedback_html.value = self._neutral(NOT_CHECKED)

    def _verdict(self) -> tuple[bool, str]:
        raise NotImplementedError

    @staticmethod
    def _neutral(text: str, raw: bool = False) -> str:
        body = text if raw else escape(text)
        return f'<div role="status" aria-live="polite">{body}</div>'

    def _answer_html(self) -> str:
        raise NotImplementedError

    def _answer_text(self) -> str:
        raise NotImplementedError

    def to_html(self) -> str:
        return (f'<div class="leninsmoscow-static">{self.prompt_html.value}{self._answer_html()}'
                f"{self.feedback_html.value}<p><em>Static view: run the notebook to answer.</em></p></div>")

    def to_text(self) -> str:
        state = {None: "not checked", True: "right", False: "not yet right"}[self.result]
        return f"{self.kind}: {self.prompt}\n{self._answer_text()}\n({state})"
