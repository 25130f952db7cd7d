"""The student bundle: everything a student needs, nothing a student must not see.

A folder and a zip of it hold the lessons, the student versions of the
assignments, the data, the package's source (so ``pip install -e .`` and
``make lab`` work) and a short README. Whether they hold a solution or a hidden
test is then checked by reading every file (:mod:`.secrets`), because a lesson
notebook or a copied folder can carry one in past nbgrader.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import secrets
from .course import Course, package_checkout

IGNORED = shutil.ignore_patterns(
    ".ipynb_checkpoints", "__pycache__", "*.pyc", ".DS_Store", "gradebook.db", "*.db-journal", ".nbgrader.log"
)
TOP_FILES = ("LICENSE",)
# Students get `make lab` and the package's runtime dependencies, not the maintainers' targets and extras.
STUDENT_FILES = ("Makefile", "pyproject.toml", "environment.yml")

STUDENT_README = """\
# Lenin's Moscow: the course, student edition

This folder holds the lessons (`notebooks/`), your assignments (`assignments/`),
the course's datasets (`data/`) and the course's Python package (`src/`).

## Start

```bash
make lab            # installs everything into .venv and opens JupyterLab
```

Without `make`: `python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/jupyter lab`.
Conda users: `conda env create -f environment.yml && conda activate leninsmoscow && jupyter lab`.

## Assignments

{assignments}

Open an assignment notebook, write your answers where it says `YOUR CODE HERE` or
`YOUR ANSWER HERE`, and run the checks under each answer: they tell you whether your
answer has the right form (a number, a list of names...). Whether it is right is
decided when your teacher grades it. Before you hand in, use Kernel > Restart and
Run All (or the Validate button) to be sure the whole notebook runs.

Hand in the notebook file itself, keeping its name (for example
`{example}`), on your course's learning platform.
"""


@dataclass
class Bundle:
    folder: Path
    archive: Path
    files: int = 0
    findings: list = field(default_factory=list)

    @property
    def safe(self) -> bool:
        return not self.findings


def build(course: Course, out: Path) -> Bundle:
    """Write the bundle folder ``out`` and ``out.zip`` (replacing earlier ones), then scan both."""
    out = Path(out)
    archive = out.with_name(out.name + ".zip")
    if out.exists():
        shutil.rmtree(out)
    archive.unlink(missing_ok=True)
    out.mkdir(parents=True)
    _copy_course_parts(course, out)
    (out / "README.md").write_text(_readme(course), encoding="utf-8")
    shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
    bundle = Bundle(out, archive, files=sum(1 for p in out.rglob("*") if p.is_file()))
    bundle.findings = scan(course, bundle)
    return bundle


def scan(course: Course, bundle: Bundle) -> list:
    """Every file of the folder and of the zip, against every source notebook's secrets."""
    sources = sorted(course.folder("source").glob("*/*.ipynb"))
    hidden = secrets.hidden_lines(sources)
    forbidden = {course.folder("source").name, course.folder("autograded").name,
                 course.folder("submitted").name, course.folder("feedback").name}
    return secrets.scan_folder(bundle.folder, hidden, forbidden) + secrets.scan_zip(bundle.archive, hidden, forbidden)


def discard(bundle: Bundle) -> None:
    """Remove an unsafe bundle so that it cannot be handed out by mistake."""
    shutil.rmtree(bundle.folder, ignore_errors=True)
    bundle.archive.unlink(missing_ok=True)


def _copy_course_parts(course: Course, out: Path) -> None:
    root = course.root
    for name, source in (("notebooks", root / "notebooks"), ("assignments", course.folder("release")),
                         ("data", root / "data")):
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=IGNORED)
    shutil.copytree(_package_source(course), out / "src" / "leninsmoscow", ignore=IGNORED)
    for name in TOP_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, out / name)
    for name, text in student_files().items():
        (out / name).write_text(text, encoding="utf-8")
    if (root / "etc").is_dir():
        shutil.copytree(root / "etc", out / "etc", ignore=IGNORED)


def student_files() -> dict[str, str]:
    """The student's Makefile, pyproject.toml and environment.yml, from the installed package's metadata.

    Only the runtime dependencies are kept (no test, browser or hub extras),
    and the Makefile offers `make lab` alone.
    """
    import re
    from importlib import metadata

    from jinja2 import Environment, PackageLoader

    about = metadata.metadata("leninsmoscow")
    runtime = [requirement for requirement in metadata.requires("leninsmoscow") or [] if "extra ==" not in requirement]
    project = {"name": about["Name"], "version": about["Version"], "description": about["Summary"],
               "requires-python": about["Requires-Python"], "dependencies": runtime}
    conda = [" ".join(re.match(r"([A-Za-z0-9_.-]+)(.*)", requirement).groups()).strip() for requirement in runtime]
    templates = Environment(loader=PackageLoader("leninsmoscow.teacher", "templates"), keep_trailing_newline=True)
    return {
        "Makefile": templates.get_template("student/Makefile").render(),
        "pyproject.toml": templates.get_template("student/pyproject.toml.j2").render(project=project),
        "environment.yml": templates.get_template("student/environment.yml.j2").render(
            project=project, conda_requirements=conda),
    }


def _package_source(course: Course) -> Path:
    """The course's own copy of the package, else the installed one."""
    own = course.root / "src" / "leninsmoscow"
    if own.is_dir():
        return own
    import leninsmoscow

    installed = Path(leninsmoscow.__file__).parent
    return installed if installed.is_dir() else package_checkout() / "src" / "leninsmoscow"


def _readme(course: Course) -> str:
    release = course.folder("release")
    notebooks = sorted(release.glob("*/*.ipynb")) if release.is_dir() else []
    lines = [f"- `assignments/{p.parent.name}/{p.name}`" for p in notebooks] or ["- (none released yet)"]
    example = notebooks[0].name if notebooks else "assignment.ipynb"
    return STUDENT_README.format(assignments="\n".join(lines), example=example)
