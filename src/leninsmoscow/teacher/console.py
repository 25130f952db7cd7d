"""What the teacher sees in the terminal: a progress bar, status lines, and quiet kernels.

The progress bar is plain text on stderr, redrawn in place only when stderr is
a terminal; in a log file or under CI only the status lines appear, one per
student, so the output stays readable.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time


class Progress:
    """A one-line bar under the status lines: ``[#####-----] 12/30  1m05s``."""

    WIDTH = 28

    def __init__(self, total: int, label: str = "", stream=None, say=None):
        self.say = say or (lambda text: print(text, flush=True))
        self.total = max(total, 0)
        self.done = 0
        self.label = label
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._shown = ""
        self._draw()

    def line(self, text: str) -> None:
        """Print a status line above the bar."""
        self._clear()
        self.say(text)
        self._draw()

    def advance(self, text: str | None = None) -> None:
        self.done += 1
        if text:
            self.line(f"[{self.done:>{len(str(self.total))}}/{self.total}] {text}")
        else:
            self._draw()

    def tick(self) -> None:
        """Redraw, so that the clock moves while a long notebook runs."""
        self._draw()

    def close(self) -> None:
        self._clear()

    def _draw(self) -> None:
        if not self.live:
            return
        filled = self.WIDTH * self.done // self.total if self.total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        text = f"{self.label}[{bar}] {self.done}/{self.total}  {elapsed(time.monotonic() - self.started)}"
        if text != self._shown:
            self.stream.write("\r" + text)
            self.stream.flush()
            self._shown = text

    def _clear(self) -> None:
        self._shown = ""
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


def elapsed(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


@contextlib.contextmanager
def quiet_stderr(path: str = os.devnull):
    """Send this process's stderr (and that of the kernels it starts) to ``path`` for a while.

    Kernels inherit the file descriptor, so their start-up warnings do not
    interleave with the teacher's report.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(target, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(target)


def shown(name: str) -> str:
    """A name from a student's export as the terminal may print it: control characters and
    other unprintable ones escaped (``\\x1b``), so a file name cannot drive the teacher's terminal."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for char in str(name))
