"""The course on JupyterHub: release, fetch, submit, collect and autograde through the hub.

A real JupyterHub on 127.0.0.1 runs deploy/jupyterhub/jupyterhub_config.py
(tests/hub/jupyterhub_config.py lists the two parts swapped for test ones),
the formgrader runs as deployed (deploy/jupyterhub/formgrader) over a
PostgreSQL gradebook, and each person acts with an API token of their own,
through the same HTTP endpoints their browser uses:

- the instructor generates and releases through the formgrader's REST API;
- each student fetches and submits through nbgrader's assignment-list
  extension in their own single-user server, and writes answers through
  that server's contents API;
- the instructor collects and autogrades through the formgrader again.

Then the refusals: students cannot open the formgrader, nor another
student's server, nor climb out of their own folder.
"""

from __future__ import annotations

import json
import time

import pytest
from helpers import ROOT
from hub import course
from hub.hubserver import measure, running_hub
from hub.servers import postgres_cluster

pytestmark = [pytest.mark.hub, pytest.mark.needs("postgresql")]

ROSTER = {"teacher": "instructor", "ta": "grader", "s1": "student", "s2": "student"}
ANSWERS = {"s1": "right", "s2": "half"}  # the kind of answer each student hands in
FORMGRADER = "/services/leninsmoscow/formgrader"
COURSE_ARGS = {"course_id": "leninsmoscow", "assignment_id": course.ASSIGNMENT}
MEASUREMENTS = ROOT / "artifacts" / "hub" / "measurements.json"


class Classroom:
    """The running hub, everyone's token, and the gradebook's address."""

    def __init__(self, hub, db_url):
        self.hub, self.db_url = hub, db_url
        self.tokens = {user: hub.token_for(user) for user in ROSTER}

    def as_user(self, user: str, method: str, path: str, **kwargs):
        return self.hub.call(method, path, self.tokens[user], **kwargs)

    def formgrader(self, user: str, method: str, path: str):
        """A call to the formgrader's REST API; nbgrader answers JSON with a success flag."""
        response = self.as_user(user, method, f"{FORMGRADER}/api{path}")
        assert response.status_code == 200, response.text[:500]
        reply = response.json()
        if isinstance(reply, dict) and "success" in reply:
            assert reply["success"], reply
        return reply

    def exchange(self, student: str, action: str):
        """fetch or submit, as the student's JupyterLab does it (nbgrader's assignment list)."""
        response = self.as_user(student, "POST", f"/user/{student}/assignments/{action}", data=COURSE_ARGS)
        assert response.status_code == 200, response.text[:500]
        reply = response.json()
        assert reply["success"], reply
        return reply["value"]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    work = tmp_path_factory.mktemp("hub")
    course_dir = course.make_course(work / "course")
    with postgres_cluster() as db_url, running_hub(work / "hub", ROSTER, course_dir, db_url) as hub:
        room = Classroom(hub, db_url)
        hub.start_servers(list(ANSWERS))
        yield room


def _answer(room: Classroom, student: str) -> None:
    """Open the fetched notebook through the student's server, type the answers, save it."""
    path = f"/user/{student}/api/contents/{course.ASSIGNMENT}/{course.ASSIGNMENT}.ipynb"
    model = room.as_user(student, "GET", path).json()
    first, second, _points = course.ANSWERS[ANSWERS[student]]
    for cell in model["content"]["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        cell["source"] = {"answer": first, "order": second}.get(grade_id, cell["source"])
    saved = room.as_user(student, "PUT", path, json={"type": "notebook", "content": model["content"]})
    assert saved.status_code == 200, saved.text[:500]


def test_release_fetch_submit_collect_autograde_gives_one_grade_per_student(classroom):
    room = classroom
    room.formgrader("teacher", "POST", f"/assignment/{course.ASSIGNMENT}/assign")
    room.formgrader("teacher", "POST", f"/assignment/{course.ASSIGNMENT}/release")
    for student in ANSWERS:
        fetched = room.exchange(student, "fetch")
        assert [a["status"] for a in fetched if a["assignment_id"] == course.ASSIGNMENT] == ["fetched"]
        _answer(room, student)
        room.exchange(student, "submit")
    usage = measure(room.hub)
    room.formgrader("teacher", "POST", f"/assignment/{course.ASSIGNMENT}/collect")
    seconds = []
    for student in ANSWERS:
        started = time.monotonic()
        room.formgrader("teacher", "POST", f"/submission/{course.ASSIGNMENT}/{student}/autograde")
        seconds.append(time.monotonic() - started)

    scores = {(student, cell): score for (student, cell), score in course.grades(room.db_url).items()}
    totals = {student: sum(s for (who, _), s in scores.items() if who == student) for student in ANSWERS}
    assert totals == {student: course.ANSWERS[kind][2] for student, kind in ANSWERS.items()}
    submissions = room.formgrader("ta", "GET", f"/submissions/{course.ASSIGNMENT}")
    assert sorted((s["student"], s["score"]) for s in submissions) == sorted(totals.items())
    _record({"processes": usage, "autograde_seconds_via_formgrader": seconds})


def _record(measured: dict) -> None:
    """Keep what this run measured, for docs/it-guide.md's sizing (artifacts/ is not committed)."""
    MEASUREMENTS.parent.mkdir(parents=True, exist_ok=True)
    MEASUREMENTS.write_text(json.dumps(measured, indent=2))


def test_only_instructors_and_graders_open_the_formgrader(classroom):
    for user in ("teacher", "ta"):
        assert classroom.as_user(user, "GET", f"{FORMGRADER}/api/status").status_code == 200
    for student in ANSWERS:
        assert classroom.as_user(student, "GET", f"{FORMGRADER}/api/status").status_code == 403
        assert classroom.as_user(student, "GET", f"{FORMGRADER}/manage_assignments").status_code == 403
        # nor can a student run a formgrader of their own in their server
        assert classroom.as_user(student, "GET", f"/user/{student}/formgrader").status_code == 404


def test_a_student_cannot_open_another_students_files(classroom):
    notebook = f"api/contents/{course.ASSIGNMENT}/{course.ASSIGNMENT}.ipynb"
    assert classroom.as_user("s1", "GET", "/user/s1/api/contents").status_code == 200
    assert classroom.as_user("s1", "GET", f"/user/s2/{notebook}").status_code == 403
    assert classroom.as_user("s1", "GET", "/user/s2/api/contents").status_code == 403
    climb = classroom.as_user("s1", "GET", "/user/s1/api/contents/..%2Fs2")
    assert climb.status_code in (403, 404), climb.text[:300]
