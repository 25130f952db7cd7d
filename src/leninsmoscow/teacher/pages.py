"""The pages a teacher opens on a graded notebook, and the check that they run no student script.

The formgrader shows a submission, and ``generate_feedback`` writes a
student's feedback, by converting the graded notebook with nbconvert and
nbgrader's templates. :func:`formgrader_page` and :func:`feedback_page` render
a notebook exactly that way, without a server or a gradebook, so that tests
and the demo can read what a browser would get. :func:`active_markup` lists
what in such a page could run or load: every script, plugin, frame or event
handler must be one the template itself brings (the same page rendered from a
harmless notebook), and no address may run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

RUNNING_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
                "svg", "math", "form", "style", "template", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
BAD_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html|data:image/svg)", re.IGNORECASE)


def _template_path() -> str:
    from nbgrader.server_extensions.formgrader import handlers

    return handlers.template_path


def _read(notebook):
    import copy

    import nbformat

    if isinstance(notebook, (str, Path)):
        return nbformat.read(str(notebook), as_version=4)
    return copy.deepcopy(notebook)


def formgrader_page(notebook) -> str:
    """The HTML the formgrader serves for a graded notebook (a path or a notebook), as its
    SubmissionHandler renders it; the page's own details (ids, names) are fixed placeholders."""
    from nbconvert.exporters import HTMLExporter

    exporter = HTMLExporter(template_name="formgrade", extra_template_basedirs=[_template_path()])
    resources = {"assignment_id": "assignment", "notebook_id": "notebook", "submission_id": "id",
                 "index": 0, "total": 1, "base_url": "", "student": "student", "last_name": "", "first_name": "",
                 "notebook_path": "autograded/student/assignment/notebook.ipynb"}
    page, _ = exporter.from_notebook_node(_read(notebook), resources=resources)
    return page


def feedback_page(notebook) -> str:
    """The HTML of a feedback file for a graded notebook (nbgrader's feedback template, the
    course's feedback steps except the gradebook's and the inlined CSS; every graded cell shown at zero points)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.preprocessors import ClearHiddenTests

    from leninsmoscow.grading.preprocessors import HideHiddenTests

    notebook = _read(notebook)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") or meta.get("task"):
            meta["score"], meta["comment"] = 0.0, ""
    resources = {"nbgrader": {"notebook": "notebook", "score": 0.0, "max_score": 1.0,
                              "late_penalty": 0.0}, "inlining": {"css": []}}
    for step in (HideHiddenTests(), ClearHiddenTests()):
        notebook, resources = step.preprocess(notebook, resources)
    static = Path(_template_path()).parent / "static" / "node_modules" / "bootstrap" / "dist" / "css"
    exporter = HTMLExporter(template_name="feedback", extra_template_basedirs=[_template_path()],
                            extra_template_paths=[str(static)])
    page, _ = exporter.from_notebook_node(notebook, resources=resources)
    return page


@dataclass
class _Active(HTMLParser):
    found: list = field(default_factory=list)

    def __post_init__(self):
        super().__init__(convert_charrefs=True)
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in RUNNING_TAGS:
            self.found.append(f"<{tag} {sorted(attributes.items())}>")
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and value and BAD_URL.match(value):
                self.found.append(f"{name}={value[:60]!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"script: {' '.join(data.split())[:200]}")


def active_parts(page: str) -> list[str]:
    """Everything in a page that can run or load something, as comparable text."""
    parser = _Active()
    parser.feed(page)
    parser.close()
    return parser.found


def active_markup(page: str, harmless_page: str) -> list[str]:
    """What ``page`` can run that the same template does not bring with a harmless notebook."""
    expected = active_parts(harmless_page)
    extra = []
    for part in active_parts(page):
        if part in expected:
            expected.remove(part)
        else:
            extra.append(part)
    return extra
