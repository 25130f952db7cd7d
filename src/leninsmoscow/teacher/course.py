"""The course folder: where it is, what it holds, and nbgrader's view of it.

Finding the course and its assignments is done without importing nbgrader,
because a mistyped assignment id should be answered at once, not after the
seconds nbgrader takes to load. ``nbgrader_config.py`` imports no nbgrader
class (the pipeline is a list of names), so it is read whole, once, with
traitlets' own loader, as nbgrader reads it. Only :meth:`Course.api` and
:meth:`Course.gradebook` load nbgrader, when a command is about to use it.
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"

# nbgrader's defaults, overridden by nbgrader_config.py.
DEFAULT_LAYOUT = {
    "source_directory": "source",
    "release_directory": "release",
    "submitted_directory": "submitted",
    "autograded_directory": "autograded",
    "feedback_directory": "feedback",
    "course_id": "",
    "db_url": "",
}


def put_environment_on_path() -> None:
    """nbgrader runs `alembic` from PATH when it creates a gradebook; make it the one
    beside this Python, even when the teacher did not activate the environment."""
    here = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[:1] != [here]:
        os.environ["PATH"] = os.pathsep.join([here, *parts])


# Optional modules that nbgrader's imports would load although no grading uses
# them. jsonschema (through nbformat) imports rfc3987_syntax, if installed, for
# its "iri" format check, and that module compiles some forty Lark grammars as
# it loads: about 3 s of every nbgrader start on a 2-core machine, for a format
# no notebook schema uses. jsonschema skips the check when the import fails
# (upstream: python-jsonschema/jsonschema#1428 and #1521).
UNUSED_SLOW_IMPORTS = ("rfc3987_syntax",)


def skip_unused_slow_imports() -> None:
    """Make the imports above fail at once in this process, as if the modules were absent.

    A ``None`` entry in ``sys.modules`` is Python's own way to refuse an
    import; ``setdefault`` leaves a module that is already loaded alone.
    """
    for name in UNUSED_SLOW_IMPORTS:
        sys.modules.setdefault(name, None)


class CourseError(Exception):
    """The course, an assignment or a path is not what the command needs."""


def package_checkout() -> Path:
    """The repository this package was installed from (an editable install)."""
    import leninsmoscow

    return Path(leninsmoscow.__file__).resolve().parents[2]


def find_course(path: str | os.PathLike | None = None, db_url: str | None = None) -> Course:
    """The course named by --course, else the current folder, else the package's checkout."""
    if path is not None:
        root = Path(path).expanduser().resolve()
        if not root.is_dir():
            raise CourseError(f"{path}: no such folder")
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(f"{path} is not a course folder: it has no {CONFIG_FILE}")
        return Course(root, db_url)
    for candidate in (Path.cwd(), package_checkout()):
        if (candidate / CONFIG_FILE).is_file():
            return Course(candidate.resolve(), db_url)
    raise CourseError(
        f"no course here: the current folder has no {CONFIG_FILE}; run the command "
        "inside the course folder or pass --course PATH"
    )


@dataclass
class Course:
    """One nbgrader course folder, and the gradebook the teacher chose for it."""

    root: Path
    db_url_option: str | None = None
    layout: dict[str, str] = field(init=False)
    config: object = field(init=False, repr=False)

    def __post_init__(self):
        self.config = load_config(self.root)
        section = self.config.get("CourseDirectory", {})
        self.layout = {name: _text_setting(section, name, default) for name, default in DEFAULT_LAYOUT.items()}

    def setting(self, section: str, name: str):
        """A setting of nbgrader_config.py, or None when the file does not set it."""
        return self.config.get(section, {}).get(name)

    # -- folders -------------------------------------------------------------

    def folder(self, kind: str) -> Path:
        """One of nbgrader's folders: 'source', 'release', 'submitted', 'autograded', 'feedback'."""
        return self.root / self.layout[f"{kind}_directory"]

    @property
    def course_id(self) -> str:
        return self.layout["course_id"]

    @property
    def db_url(self) -> str:
        """--db-url, else the config's, else nbgrader's default SQLite file in the course."""
        if self.db_url_option:
            return self.db_url_option
        if self.layout["db_url"]:
            return self.layout["db_url"]
        return f"sqlite:///{self.root / 'gradebook.db'}"

    # -- assignments ---------------------------------------------------------

    def assignments(self) -> list[str]:
        """The assignments the teacher authored (folders of the source directory with notebooks)."""
        source = self.folder("source")
        if not source.is_dir():
            return []
        return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def check_assignment(self, assignment: str) -> str:
        """The assignment id, or a one-line error that lists the right ones."""
        known = self.assignments()
        if assignment in known:
            return assignment
        if not known:
            raise CourseError(f"unknown assignment {assignment!r}: {self.folder('source')} holds no assignment")
        raise CourseError(f"unknown assignment {assignment!r}: the course has {', '.join(known)}")

    def notebooks(self, assignment: str) -> list[str]:
        """The notebook file names of an assignment, as in the source directory."""
        return sorted(p.name for p in (self.folder("source") / assignment).glob("*.ipynb"))

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a submission folder for this assignment."""
        submitted = self.folder("submitted")
        if not submitted.is_dir():
            return []
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())

    def autograded_students(self, assignment: str) -> list[str]:
        autograded = self.folder("autograded")
        if not autograded.is_dir():
            return []
        return sorted(p.name for p in autograded.iterdir() if (p / assignment).is_dir())

    # -- nbgrader ------------------------------------------------------------

    def shown(self, path: Path) -> str:
        """A path as the teacher would type it: relative to the course when inside it."""
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return str(path)

    def nbgrader_config(self, extra: dict | None = None, db_url: str | None = None):
        """The course's nbgrader configuration, rooted here and pointing at the chosen gradebook.

        Only the course's own nbgrader_config.py is read (not the teacher's
        ~/.jupyter), so grading gives the same result on every machine.
        """
        from traitlets.config import Config

        put_environment_on_path()
        config = copy.deepcopy(self.config)
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.db_url = db_url or self.db_url
        config.NbGraderAPI.log_level = "ERROR"
        if extra:
            config.merge(Config(extra))
        return config

    def api(self, extra: dict | None = None, db_url: str | None = None):
        """nbgrader's own high-level API for this course."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.nbgrader_config(extra, db_url)
        coursedir = CourseDirectory(config=config)
        return NbGraderAPI(coursedir=coursedir, config=config)

    def gradebook(self, db_url: str | None = None):
        """nbgrader's Gradebook for this course (close it, or use it in a with block)."""
        from nbgrader.api import Gradebook

        put_environment_on_path()
        return Gradebook(db_url or self.db_url, self.course_id)


def load_config(root: Path):
    """nbgrader_config.py as nbgrader reads it (traitlets' loader); one line of error if it cannot be."""
    from traitlets.config.loader import PyFileConfigLoader

    try:
        return PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    except Exception as error:  # the teacher's file: say what is wrong with it, not where traitlets was
        raise CourseError(f"{root / CONFIG_FILE} cannot be loaded: {type(error).__name__}: {error}") from None


def _text_setting(section, name: str, default: str) -> str:
    """A folder name or address nbgrader_config.py sets; refused loudly when it is not text."""
    value = section.get(name, default)
    if not isinstance(value, str):
        raise CourseError(f"{CONFIG_FILE}: c.CourseDirectory.{name} should be text, not {value!r}")
    return value


# The parts of a course a teacher authored, which a copy of it (the demo's) needs.
AUTHORED = ("nbgrader_config.py", "notebooks", "data", "pyproject.toml", "environment.yml", "Makefile", "etc",
            "README.md", "src")


def copy_course(course, target: Path, db_url: str | None):
    """The course's authored parts in a fresh folder: no gradebook, no submissions, no feedback."""
    target.mkdir(parents=True)
    for name in (*AUTHORED, course.layout["source_directory"]):
        source = course.root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(
                "__pycache__", ".ipynb_checkpoints", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, target / name)
    return Course(target, db_url)


def concurrent_db_url(db_url: str, seconds: int = 60) -> str:
    """The same gradebook, but SQLite waits for a lock instead of failing at once.

    Several grading processes write to one SQLite file; by default SQLite gives
    up after 5 seconds of contention. Other databases handle this themselves.
    """
    if db_url.startswith("sqlite:") and "?" not in db_url:
        return f"{db_url}?timeout={seconds}"
    return db_url
