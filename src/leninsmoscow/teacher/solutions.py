"""The answer key a teacher hands out once marking is done: questions, model answers, no hidden test.

``leninsmoscow solutions ASSIGNMENT`` wires this. nbgrader's own
GenerateSolution converter writes the solution notebook, with the course's
steps (:data:`leninsmoscow.grading.pipeline.SOLUTION`): the hidden tests are
cleared before the notebook runs, and the solution markers are taken out, so
the page shows each question, its model answer and the answer's output. The
notebook is rendered with nbconvert's basic template inside the course's own
page (no script, nothing fetched from the network), and the page is then read
back like the student bundle: if a line of a hidden test or an nbgrader marker
is in it, the page is deleted and the command fails. Model answers are meant
to be there.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .course import CourseError

NOTICE = ("Answer key: hand it to students only after the written answers are marked. The model answers show one "
          "good answer; the rubric under each written question credits other well-argued answers too.")


@dataclass
class AnswerKey:
    pages: list[Path] = field(default_factory=list)
    findings: list = field(default_factory=list)

    @property
    def safe(self) -> bool:
        return not self.findings


def answer_key(course, assignment: str, out: Path | None = None, say=print) -> AnswerKey:
    """Write one page per notebook of the assignment into ``out`` (dist/solutions/<assignment>/)."""
    out = out or course.root / "dist" / "solutions" / assignment
    key = AnswerKey()
    with tempfile.TemporaryDirectory(prefix="leninsmoscow-key-") as scratch:
        for notebook in solution_notebooks(course, assignment, Path(scratch)):
            page = out / f"{notebook.stem}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(render(notebook, assignment), encoding="utf-8")
            key.pages.append(page)
    key.findings = leaks(course, assignment, key.pages)
    if not key.safe:
        shutil.rmtree(out, ignore_errors=True)
    _say(course, assignment, key, out, say)
    return key


def solution_notebooks(course, assignment: str, scratch: Path) -> list[Path]:
    """nbgrader's GenerateSolution, run with the course's steps, into a scratch folder."""
    from nbgrader.converters import GenerateSolution
    from nbgrader.converters.base import NbGraderException
    from nbgrader.coursedir import CourseDirectory

    from leninsmoscow.grading import pipeline

    from .console import quiet_stderr

    config = course.nbgrader_config({"GenerateSolution": {"preprocessors": list(pipeline.SOLUTION)},
                                     "CourseDirectory": {"solution_directory": str(scratch)}})
    with course.gradebook() as gradebook:
        gradebook.update_or_create_assignment(assignment)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    try:
        with quiet_stderr():
            GenerateSolution(coursedir=coursedir, config=config).start()
    except NbGraderException as error:
        raise CourseError(f"nbgrader could not write the answer key of {assignment}: {error}") from None
    return sorted((scratch / assignment).glob("*.ipynb"))


def render(notebook: Path, assignment: str) -> str:
    """The notebook as one self-contained page: nbconvert's basic body in the course's frame."""
    import nbformat
    from jinja2 import Environment, PackageLoader, select_autoescape
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="basic").from_notebook_node(nbformat.read(notebook, as_version=4))
    templates = Environment(loader=PackageLoader("leninsmoscow.teacher", "templates"), autoescape=select_autoescape())
    return templates.get_template("answer-key.html.j2").render(assignment=assignment, notice=NOTICE, body=body)


def leaks(course, assignment: str, pages: list[Path]) -> list:
    """Hidden-test lines and nbgrader markers found in the pages (none may be there)."""
    from . import secrets

    hidden = secrets.hidden_lines([course.folder("source") / assignment / name for name in course.notebooks(assignment)])
    found = []
    for page in pages:
        found += secrets.findings_in_text(page.name, secrets.html_text(page.read_text(encoding="utf-8")), hidden)
    return found


def _say(course, assignment: str, key: AnswerKey, out: Path, say) -> None:
    if key.safe:
        say(f"answer key of {assignment}: {', '.join(course.shown(page) for page in key.pages)} "
            "(read back: no hidden test). Hand it out after marking.")
        return
    say(f"the answer key of {assignment} showed hidden tests, so it was removed:")
    for finding in key.findings:
        say(f"  {finding}")
