"""Real sandboxed autograding of the kept hostile submissions (tests/hostile/).

One class, one `nbgrader autograde` run with the course's own pipeline and
the sandbox at small limits: every attack must fail, score as intended and
say why in its graded notebook, while the course, the gradebook and the other
students' grades stay as they were, and an honest student in the same run
gets full marks.
"""

from __future__ import annotations

import hashlib
import os
import socket
import string
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from leninsmoscow import sandbox
from leninsmoscow.sandbox import GiB, MiB

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).with_name("hostile")
SECRET = "LENINSMOSCOW_TEST_SECRET"
LIMITS = sandbox.Limits(memory=1 * GiB, processes=32, wall_time=12, output=2 * MiB, scratch=32 * MiB)

# student -> (points out of 5, what the graded notebook must say).
# The answer's test is worth 2 and runs after the answer cell; the second
# test (3 points) runs after a correct, untouched cell. Names sort so that the
# honest student is graded first, where a grade-rewriting attack would show.
EXPECTED = {
    "a_honest": (5, None),
    "allocate_20gib": (3, "stopped: asked for more than 1 GiB of memory"),
    "display_metadata": (0, "killed: printed more than 2 MiB of output"),
    "fork_bomb": (0, "killed: started more than 32 processes"),
    "forked_memory": (0, "killed: used more than 1 GiB of memory"),
    "gradebook": (3, "OperationalError"),
    "kill_parent": (5, None),
    "link_to_solution": (3, "FileNotFoundError"),
    "overwrite_package": (3, "Read-only file system"),
    "print_1gb": (0, "killed: printed more than 2 MiB of output"),
    "read_environment": (3, "KeyError"),
    "read_solution": (3, "FileNotFoundError"),
    "sleep_forever": (0, "killed: ran longer than 12 s"),
    "socket_loopback": (3, "ConnectionRefusedError"),
    "write_outside": (3, "FileNotFoundError"),
}

pytestmark = [pytest.mark.slow, pytest.mark.needs("bubblewrap")]


def cell(source, grade_id, *, grade=False, solution=False, points=None):
    node = nbformat.v4.new_code_cell(source)
    meta = {"grade": grade, "solution": solution, "locked": not solution, "grade_id": grade_id,
            "schema_version": 3, "task": False}
    if points is not None:
        meta["points"] = points
    node.metadata["nbgrader"] = meta
    return node


def hidden_test(name, value):
    return f"### BEGIN HIDDEN TESTS\nimport leninsmoscow.grading.referee as _r\n_r.expect({name}, {value!r})\n### END HIDDEN TESTS"


def source_notebook():
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        cell("import leninsmoscow", "setup"),
        cell("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", "answer", solution=True),
        cell(hidden_test("answer", 42), "test-answer", grade=True, points=2),
        cell("### BEGIN SOLUTION\norder = ['a', 'b']\n### END SOLUTION", "order", solution=True),
        cell(hidden_test("order", ["a", "b"]), "test-order", grade=True, points=3),
    ]
    return notebook


def course_config():
    return (f"c = get_config()\nload_subconfig({str(ROOT / 'nbgrader_config.py')!r})\n"
            "c.CourseDirectory.course_id = 'hostile'\n"
            "from leninsmoscow import sandbox\n"
            f"c.merge(sandbox.nbgrader_config(c, limits=sandbox.{LIMITS!r}))\n")


class Listener(threading.Thread):
    """A TCP server on the machine's loopback that records whoever connects."""

    def __init__(self):
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0

    def run(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def fingerprint(*paths: Path) -> dict[str, str]:
    """A hash of every file under the given paths (caches aside)."""
    found = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" not in file.parts:
                found[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


def run(args, course, env=None):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **(env or {})}
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The hostile class, autograded once in the sandbox; what the tests look at."""
    reason = sandbox.problem()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to sandbox grading: {reason}")
        pytest.skip(f"no sandbox on this machine: {reason}")
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(course_config())
    (course / "solutions" / "mini").mkdir(parents=True)
    nbformat.write(source_notebook(), course / "solutions" / "mini" / "mini.ipynb")
    assert run(["generate_assignment", "mini", "--force"], course).returncode == 0

    listener = Listener()
    listener.start()
    values = {"course": str(course), "gradebook": str(course / "gradebook.db"),
              "port": str(listener.port), "secret_name": SECRET}
    released = nbformat.read(course / "assignments" / "mini" / "mini.ipynb", as_version=4)
    for student in EXPECTED:
        snippet = (HOSTILE / f"{student.removeprefix('a_')}.py").read_text()
        released.cells[1].source = string.Template(snippet).substitute(values)
        released.cells[3].source = "order = ['a', 'b']"
        folder = course / "submitted" / student / "mini"
        folder.mkdir(parents=True)
        nbformat.write(released, folder / "mini.ipynb")
    solution = course / "solutions" / "mini" / "mini.ipynb"
    (course / "submitted" / "link_to_solution" / "mini" / "solution-copy.txt").symlink_to(solution)

    from leninsmoscow.grading import referee
    protected = [course / "solutions", course / "assignments", course / "submitted",
                 course / "nbgrader_config.py", Path(referee.__file__)]
    before = fingerprint(*protected)
    result = run(["autograde", "mini"], course, env={SECRET: "the teacher's token"})
    listener.server.close()
    return {"course": course, "result": result, "before": before, "after": fingerprint(*protected),
            "listener": listener, "scores": scores(course)}


def scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: gradebook.find_submission("mini", student).score for student in EXPECTED}


def graded_text(course: Path, student: str) -> str:
    notebook = nbformat.read(course / "autograded" / student / "mini" / "mini.ipynb", as_version=4)
    return "\n".join(f"{out.get('ename', '')}: {out.get('evalue', '')}"
                     for c in notebook.cells for out in c.get("outputs", []) if out.get("output_type") == "error")


def test_the_grader_finishes_the_whole_class(graded):
    assert graded["result"].returncode == 0, graded["result"].stderr[-3000:]


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_submission_scores_as_intended_with_its_reason(graded, student):
    points, reason = EXPECTED[student]
    text = graded_text(graded["course"], student)
    assert graded["scores"][student] == points, text
    if reason:
        assert reason in text


def test_output_metadata_counts_against_the_limit_and_the_graded_notebook_stays_small(graded):
    notebook = graded["course"] / "autograded" / "display_metadata" / "mini" / "mini.ipynb"
    assert notebook.stat().st_size < 4 * MiB


def test_limits_appear_as_incidents(graded):
    notebook = graded["course"] / "autograded" / "fork_bomb" / "mini" / "mini.ipynb"
    assert sandbox.incidents(notebook) == ["killed: started more than 32 processes"]
    assert sandbox.incidents(graded["course"] / "autograded" / "a_honest" / "mini" / "mini.ipynb") == []


def test_course_and_package_are_untouched(graded):
    assert graded["after"] == graded["before"]
    assert not (graded["course"] / "written-by-student.txt").exists()


def test_nothing_reached_the_loopback(graded):
    assert graded["listener"].connections == 0
