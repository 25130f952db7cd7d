"""collect: an export is hostile input; each student is who the export's structure says.

Unit tests of the placement rules (leninsmoscow.teacher.lms) on listed
entries, then the command on real exports: links, archives inside the export,
oversized notebooks, zip bombs, names a file system cannot hold, names that
would drive the terminal, and one student's files that claim another's place.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from leninsmoscow.teacher import exports, lms

from helpers import minicourse

NOTEBOOKS = ["war-communism.ipynb"]
NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "leninsmoscow.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)


def files(*paths, size=100) -> list[exports.Entry]:
    return [exports.Entry(path, size, "file") for path in paths]


def placed(paths, notebooks=NOTEBOOKS, patterns=None):
    plan = lms.plan(files(*paths), notebooks, patterns)
    return {p.source: (p.student, p.notebook) for p in plan.placements}, {r.source: r.reason for r in plan.rejections}, plan


# -- who handed in what -------------------------------------------------------------


@pytest.mark.parametrize("source, student", [
    ("jdoe_war-communism.ipynb", "jdoe"),
    ("jdoe-war-communism.ipynb", "jdoe"),
    ("j.doe@uni.example_war-communism.ipynb", "j.doe@uni.example"),
    ("jdoe/war-communism.ipynb", "jdoe"),
    ("jdoe/any/depth/my_war-communism.ipynb", "jdoe"),
    ("Jane Doe_12345_assignsubmission_file_war-communism.ipynb", "12345"),
    ("Jane Doe_12345_assignsubmission_file_/war-communism.ipynb", "12345"),
    ("Jean-Luc de la Tour_777_assignsubmission_file_war-communism.ipynb", "777"),
])
def test_the_student_comes_from_the_first_level_of_the_export(source, student):
    found, _, _ = placed([source, "zz_war-communism.ipynb"])
    assert found[source] == (student, "war-communism.ipynb")


def test_one_folder_that_wraps_the_export_is_looked_through():
    found, _, _ = placed(["export-2024/jdoe/war-communism.ipynb", "export-2024/asmith_war-communism.ipynb"])
    assert set(found.values()) == {("jdoe", "war-communism.ipynb"), ("asmith", "war-communism.ipynb")}


def test_a_single_students_folder_is_not_taken_for_a_wrapper():
    found, _, _ = placed(["jdoe/war-communism.ipynb"])
    assert found == {"jdoe/war-communism.ipynb": ("jdoe", "war-communism.ipynb")}


def test_a_name_inside_a_students_folder_never_places_a_file_for_someone_else():
    """mallory's folder claims bob's and carol's places; both files are mallory's, so both are refused."""
    found, rejected, plan = placed(["bob/war-communism.ipynb", "carol_war-communism.ipynb",
                                    "mallory/bob_war-communism.ipynb", "mallory/carol/war-communism.ipynb"])
    assert found == {"bob/war-communism.ipynb": ("bob", "war-communism.ipynb"),
                     "carol_war-communism.ipynb": ("carol", "war-communism.ipynb")}
    assert plan.conflicts == {"mallory": ["mallory/bob_war-communism.ipynb", "mallory/carol/war-communism.ipynb"]}
    assert "more than one file claims mallory's war-communism.ipynb" in rejected["mallory/bob_war-communism.ipynb"]


def test_two_files_for_one_student_are_both_refused_whatever_their_dates():
    found, rejected, plan = placed(["jdoe_war-communism.ipynb", "jdoe/war-communism.ipynb", "asmith_war-communism.ipynb"])
    assert found == {"asmith_war-communism.ipynb": ("asmith", "war-communism.ipynb")}
    assert set(plan.conflicts["jdoe"]) == {"jdoe_war-communism.ipynb", "jdoe/war-communism.ipynb"}


@pytest.mark.parametrize("source, reason", [
    ("readme.txt", "not a notebook"),
    ("jdoe_war-communism.py", "not a notebook"),
    ("war-communism.ipynb", "no student id"),
    ("jdoe_lesson3.ipynb", "'lesson3.ipynb' is not a notebook of this assignment"),
    ("jdoe_war-communism (1).ipynb", "is not a notebook of this assignment"),
    ("Jane Doe_12345_assignsubmission_file_notes.ipynb", "'notes.ipynb' is not a notebook"),
    ("Jane Doe_war-communism.ipynb", "'Jane Doe' is not usable as a student id"),
    ("__MACOSX/._jdoe_war-communism.ipynb", "metadata added"),
    ("jdoe/.ipynb_checkpoints/war-communism-checkpoint.ipynb", "metadata added"),
    ("jdoe/backup.zip", "archives in an export are not opened"),
    ("../../etc/jdoe_war-communism.ipynb", "unsafe path"),
    ("x" * 129 + "_war-communism.ipynb", "longer than 128 characters"),
    ("y" * 250 + "/war-communism.ipynb", "longer than 128 characters"),
    ("é" * 140 + "_war-communism.ipynb", "longer than 255 bytes"),
])
def test_files_that_cannot_be_placed_say_why(source, reason):
    _, rejected, _ = placed([source, "zz_war-communism.ipynb"])
    assert reason in rejected[source]


def test_links_large_notebooks_and_odd_files_are_refused():
    plan = lms.plan([exports.Entry("jdoe_war-communism.ipynb", 100, "link"),
                     exports.Entry("asmith_war-communism.ipynb", 21 * 1024**2, "file"),
                     exports.Entry("bk_war-communism.ipynb", 0, "other")], NOTEBOOKS)
    reasons = {r.source: r.reason for r in plan.rejections}
    assert "links in an export are never followed" in reasons["jdoe_war-communism.ipynb"]
    assert "larger than 20 MiB" in reasons["asmith_war-communism.ipynb"]
    assert "not a regular file" in reasons["bk_war-communism.ipynb"]
    assert plan.placements == []


def test_a_longer_notebook_name_wins():
    found, _, _ = placed(["jdoe_part-2.ipynb"], notebooks=["2.ipynb", "part-2.ipynb"])
    assert found["jdoe_part-2.ipynb"] == ("jdoe", "part-2.ipynb")


def test_teacher_pattern_must_take_the_id_from_the_first_level():
    pattern = r"(?P<student_id>[a-z]+)__(?P<file_id>[^/]+)"
    found, rejected, _ = placed(["jdoe__war-communism.ipynb", "jdoe_war-communism.ipynb"], patterns=[pattern])
    assert found == {"jdoe__war-communism.ipynb": ("jdoe", "war-communism.ipynb")}
    assert "does not match the pattern" in rejected["jdoe_war-communism.ipynb"]
    deep = r"[^/]+/(?P<student_id>[a-z]+)__(?P<file_id>[^/]+)"
    _, rejected, _ = placed(["mallory/bob__war-communism.ipynb", "x__war-communism.ipynb"], patterns=[deep])
    assert "from inside a folder" in rejected["mallory/bob__war-communism.ipynb"]
    with pytest.raises(ValueError):
        lms.check_pattern("(?P<student>.*)")


# -- the export as a whole -------------------------------------------------------------


def zip_of(path: Path, members: dict, compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def test_a_zip_that_would_expand_too_far_is_refused_from_its_directory(tmp_path):
    small = zip_of(tmp_path / "a.zip", {"jdoe_war-communism.ipynb": "x" * 5000})
    with pytest.raises(exports.ExportRefused, match="over the limit of"):
        exports.entries(small, exports.CollectLimits(expanded=4000))
    with pytest.raises(exports.ExportRefused, match="times its own size"):
        exports.entries(small, exports.CollectLimits(ratio=2))
    assert [e.path for e in exports.entries(small)] == ["jdoe_war-communism.ipynb"]


def test_copy_out_stops_at_its_limit_and_leaves_nothing(tmp_path):
    archive = zip_of(tmp_path / "a.zip", {"big.ipynb": "x" * 10_000})
    [entry] = exports.entries(archive)
    target = tmp_path / "out" / "big.ipynb"
    with pytest.raises(exports.TooLarge):
        exports.copy_out(archive, entry, target, limit=4096)
    assert not target.exists()


# -- the command on hostile exports -------------------------------------------------------


@pytest.fixture(scope="module")
def course_template(tmp_path_factory) -> Path:
    return minicourse.make_course(tmp_path_factory.mktemp("template") / "course")


@pytest.fixture
def course(course_template, tmp_path) -> Path:
    import shutil

    return Path(shutil.copytree(course_template, tmp_path / "course"))


def submitted(course: Path) -> dict[str, int]:
    return {p.relative_to(course / "submitted").as_posix(): p.stat().st_size
            for p in (course / "submitted").rglob("*") if p.is_file()}


def test_collect_places_by_structure_replaces_earlier_work_and_lists_the_rest(course, tmp_path):
    export = tmp_path / "export"
    for name in ["jdoe_mini.ipynb", "asmith/mini.ipynb", "Jane Roe_12345_assignsubmission_file_mini.ipynb",
                 "mini.ipynb", "jdoe_lesson3.ipynb", "readme.txt"]:
        (export / name).parent.mkdir(parents=True, exist_ok=True)
        (export / name).write_text(NOTEBOOK)
    earlier = course / "submitted" / "jdoe" / "mini" / "mini.ipynb"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("an earlier submission")
    archive = zip_of(tmp_path / "moodle.zip", {p.relative_to(export).as_posix(): p.read_text()
                                                for p in export.rglob("*") if p.is_file()})
    for given in (export, archive):
        result = cli("collect", "mini", given, "--course", course)
        assert result.returncode == 0, result.stderr
        assert set(submitted(course)) == {"12345/mini/mini.ipynb", "asmith/mini/mini.ipynb", "jdoe/mini/mini.ipynb"}
        assert "collected 3 notebook(s) of 3 student(s)" in result.stdout and "could not place 3 file(s)" in result.stdout
    assert earlier.read_text() == NOTEBOOK


def test_one_students_folder_cannot_replace_anothers_submission(course, tmp_path):
    export = tmp_path / "export"
    for name in ["bob/mini.ipynb", "carol/mini.ipynb", "mallory/bob_mini.ipynb", "mallory/carol/mini.ipynb"]:
        (export / name).parent.mkdir(parents=True, exist_ok=True)
        (export / name).write_text(NOTEBOOK.replace("{", '{"owner": "%s", ' % name.split("/")[0], 1))
    result = cli("collect", "mini", export, "--course", course)
    assert result.returncode == 1, "a conflict must not pass unnoticed"
    assert set(submitted(course)) == {"bob/mini/mini.ipynb", "carol/mini/mini.ipynb"}
    assert json.loads((course / "submitted/bob/mini/mini.ipynb").read_text())["owner"] == "bob"
    assert "NOT collected" in result.stdout and "mallory: mallory/bob_mini.ipynb, mallory/carol/mini.ipynb" in result.stdout


def test_a_link_to_the_solution_is_not_followed(course, tmp_path):
    export = tmp_path / "export"
    (export / "jdoe").mkdir(parents=True)
    (export / "jdoe" / "mini.ipynb").symlink_to(course / "solutions" / "mini" / "mini.ipynb")
    (export / "asmith_mini.ipynb").symlink_to(course / "solutions" / "mini" / "mini.ipynb")
    (export / "linked").symlink_to(course / "solutions", target_is_directory=True)
    (export / "bob_mini.ipynb").write_text(NOTEBOOK)
    result = cli("collect", "mini", export, "--course", course)
    assert set(submitted(course)) == {"bob/mini/mini.ipynb"}
    assert result.stdout.count("links in an export are never followed") == 3


def test_archives_inside_an_export_are_not_opened_and_big_notebooks_not_collected(course, tmp_path):
    inner = zip_of(tmp_path / "inner.zip", {"eve_mini.ipynb": NOTEBOOK})
    import base64

    pad = base64.b64encode(os.urandom(16 * 1024**2)).decode()  # incompressible, so no zip bomb
    big = '{"cells": [], "metadata": {"pad": "' + pad + '"}, "nbformat": 4, "nbformat_minor": 5}'
    archive = zip_of(tmp_path / "export.zip", {"inner.zip": inner.read_bytes(), "jdoe_mini.ipynb": big,
                                                "bob_mini.ipynb": NOTEBOOK})
    result = cli("collect", "mini", archive, "--course", course)
    assert result.returncode == 0
    assert submitted(course) == {"bob/mini/mini.ipynb": len(NOTEBOOK)}
    assert "inner.zip: an archive inside the export" in result.stdout and "larger than 20 MiB" in result.stdout


def test_a_zip_bomb_is_refused_before_anything_is_written(course, tmp_path):
    bomb = zip_of(tmp_path / "bomb.zip", {"bob_mini.ipynb": NOTEBOOK, "jdoe_mini.ipynb": b"\0" * (30 * 1024**2)})
    assert bomb.stat().st_size < 100_000
    result = cli("collect", "mini", bomb, "--course", course)
    assert result.returncode == 1 and "export refused" in result.stderr and "times its own size" in result.stderr
    assert submitted(course) == {}


def test_names_that_escape_or_drive_the_terminal_are_harmless(course, tmp_path):
    outside = tmp_path / "outside.ipynb"
    outside.write_text("untouched")
    os.utime(outside, (1_000_000, 1_000_000))
    archive = zip_of(tmp_path / "export.zip", {"../../outside.ipynb": NOTEBOOK, "bob_mini.ipynb": NOTEBOOK,
                                                "\x1b[2J\x1b]0;pwned\x07_mini.ipynb": NOTEBOOK,
                                                "n" * 300 + "_mini.ipynb": NOTEBOOK})
    result = cli("collect", "mini", archive, "--course", course)
    assert result.returncode == 0 and set(submitted(course)) == {"bob/mini/mini.ipynb"}
    assert outside.read_text() == "untouched" and outside.stat().st_mtime == 1_000_000
    assert "\x1b" not in result.stdout + result.stderr and "\\x1b[2J" in result.stdout
    assert "longer than 255 bytes" in result.stdout
