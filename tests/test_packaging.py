"""The package works installed from a wheel, from any folder, with its data inside."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from helpers import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
    )
    (built,) = out.glob("leninsmoscow-*.whl")
    return built


def test_the_wheel_carries_every_dataset_and_the_dictionary(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for csv in (ROOT / "data").glob("*.csv"):
        assert f"leninsmoscow/_data/{csv.name}" in names
    assert "leninsmoscow/_data/basemap/land_europe.geojson" in names
    assert not any("solutions/" in name for name in names), "the wheel must not carry the teacher's solutions"


def test_an_installed_wheel_loads_every_dataset_from_a_student_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    home = tmp_path / "student-home"
    home.mkdir()
    script = (
        "import json, leninsmoscow\n"
        "from leninsmoscow import data, validation\n"
        "print(json.dumps({'file': leninsmoscow.__file__, 'dir': str(data.data_dir()),\n"
        "  'rows': {name: len(data.load(name)) for name in data.names()},\n"
        "  'problems': validation.problems()}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=home,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["file"].startswith(str(target))
    assert report["dir"].startswith(str(target))
    assert report["problems"] == []
    assert all(count > 0 for count in report["rows"].values())
