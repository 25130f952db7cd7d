"""Finding solutions and hidden tests where students could read them.

The student bundle and the feedback files are checked by reading every file,
not by trusting that nbgrader's converters did their job: a lesson notebook
with a forgotten solution marker, a stray copy of solutions/ or a traceback
that quotes a hidden check would otherwise reach the class.

What counts as secret:

- nbgrader's markers ``### BEGIN SOLUTION`` and ``### BEGIN HIDDEN TESTS`` where
  they open a line, as they do in a notebook cell (code that merely mentions
  them, like the course's own grading preprocessors, is not a solution);
- the secret lines of the source notebooks' hidden tests, by the one rule of
  :func:`leninsmoscow.grading.hidden.secret_lines`.

Text is compared with all white space removed, so re-indenting or re-spacing
a line does not hide a copy. Only the standard library is used, so the checks are cheap.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from leninsmoscow.grading import hidden

SOLUTION_MARK = "BEGIN SOLUTION"
HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
MARKER = re.compile(r"""^[ \t"']*(### (?:%s|%s))""" % (SOLUTION_MARK, HIDDEN_BEGIN), re.MULTILINE)
REFEREE_FRAME = re.compile(r"grading[/\\]referee\.py")
normalize = hidden.without_space


@dataclass(frozen=True)
class Finding:
    """One secret found in one file."""

    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def cell_sources(notebook: dict) -> list[str]:
    """The source text of every cell of a notebook read as JSON."""
    sources = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        sources.append("".join(source) if isinstance(source, list) else str(source))
    return sources


def hidden_lines(source_notebooks: list[Path]) -> dict[str, str]:
    """The secret lines of these source notebooks, {normalized: as written} (see the module's docstring)."""
    sources = [source for path in source_notebooks
               for source in cell_sources(json.loads(Path(path).read_text(encoding="utf-8")))]
    return {normalize(line): line for line in hidden.secret_lines(sources)}


def findings_in_text(path: str, text: str, secrets: dict[str, str], allowed: str = "") -> list[Finding]:
    """Markers and secret lines in one text (a secret found in ``allowed``, normalized text, is not reported)."""
    flat = normalize(text)
    markers = sorted(set(MARKER.findall(text)))
    found = [Finding(path, f"contains {marker!r}") for marker in markers]
    for key in sorted(secrets):
        if key in flat and key not in allowed:
            found.append(Finding(path, f"contains a hidden test's line: {secrets[key][:80]!r}"))
    return found


def notebook_text(raw: str) -> str:
    """What a reader of a notebook sees: cell sources and outputs (the raw text if it is no JSON)."""
    try:
        notebook = json.loads(raw)
    except ValueError:
        return raw
    parts = cell_sources(notebook)
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            parts.append(_output_text(output))
    return "\n".join(parts)


def _output_text(output: dict) -> str:
    def text(value):
        return "".join(value) if isinstance(value, list) else str(value)

    if output.get("output_type") == "stream":
        return text(output.get("text", ""))
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", [])) + "\n" + str(output.get("evalue", ""))
    return "\n".join(text(value) for value in output.get("data", {}).values())


class _TextOfHtml(HTMLParser):
    """The text a browser would show, without styles and scripts (highlighted code is one string again)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(raw: str) -> str:
    parser = _TextOfHtml()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)


def readable_text(name: str, data: bytes) -> str:
    """The text to scan in a file of any kind (binary files are scanned as they are)."""
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".ipynb"):
        return notebook_text(text)
    if name.endswith((".html", ".htm")):
        return html_text(text) + "\n" + text
    return text


def scan_folder(folder: Path, secrets: dict[str, str], forbidden_dirs: set[str]) -> list[Finding]:
    """Every file under ``folder``: markers, secret lines, and folders that must not be there."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir():
            if path.name in forbidden_dirs:
                found.append(Finding(relative, "is a folder of teacher's notebooks"))
            continue
        found += findings_in_text(relative, readable_text(path.name, path.read_bytes()), secrets)
    return found


def scan_zip(archive: Path, secrets: dict[str, str], forbidden_dirs: set[str]) -> list[Finding]:
    """Every member of a zip file, as :func:`scan_folder` does for a folder."""
    found = []
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.infolist():
            where = f"{archive.name}:{member.filename}"
            if set(Path(member.filename).parts[:-1]) & forbidden_dirs:
                found.append(Finding(where, "is inside a folder of teacher's notebooks"))
            if not member.is_dir():
                found += findings_in_text(where, readable_text(member.filename, bundle.read(member)), secrets)
    return found


def feedback_findings(path: Path, secrets: dict[str, str], allowed: str = "") -> list[Finding]:
    """Hidden-test text or a traceback from inside the referee in one feedback file."""
    text = html_text(path.read_text(encoding="utf-8", errors="replace"))
    found = findings_in_text(path.name, text, secrets, allowed)
    if REFEREE_FRAME.search(text):
        found.append(Finding(path.name, "shows a traceback from inside the hidden checks (grading/referee.py)"))
    return found


def own_text(notebook_paths: list[Path]) -> str:
    """What a student wrote or received (normalized), which their feedback may show back to them."""
    parts = []
    for path in notebook_paths:
        try:
            notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        parts += [normalize(source) for source in cell_sources(notebook)]
    return "\n".join(parts)
