"""pyproject.toml and environment.yml must name the same dependencies."""

from __future__ import annotations

import re
import sys

import pytest
from helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    name, spec = REQUIREMENT.match(requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(_split(item) for item in requirements)


def conda_requirements() -> dict[str, str]:
    listed = {}
    in_dependencies = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_dependencies = True
            continue
        match = re.match(r"^  - ([^:]+)$", line)
        if in_dependencies and match and match.group(1) not in ("pip",):
            name, spec = _split(match.group(1))
            listed[name] = spec
    listed.pop("python", None)
    return listed


def test_both_files_name_the_same_packages():
    assert set(pip_requirements()) == set(conda_requirements())


@pytest.mark.parametrize("name", sorted(pip_requirements()))
def test_both_files_give_the_same_versions(name):
    assert conda_requirements()[name] == pip_requirements()[name]


def test_installed_versions_satisfy_the_pins():
    from importlib.metadata import version

    from packaging.specifiers import SpecifierSet

    for name, spec in pip_requirements().items():
        assert version(name) in SpecifierSet(spec), f"{name} {version(name)} does not satisfy {spec}"


def test_students_get_the_runtime_dependencies_and_no_extras():
    """The student bundle's pyproject.toml and environment.yml (teacher/bundle.py) carry what the lessons need."""
    from leninsmoscow.teacher.bundle import student_files

    files = student_files()
    project = tomllib.loads(files["pyproject.toml"])["project"]
    runtime = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "optional-dependencies" not in project
    from packaging.specifiers import SpecifierSet

    def pins(items):
        return {name: SpecifierSet(spec) for name, spec in map(_split, items)}

    assert pins(project["dependencies"]) == pins(runtime)
    listed = files["environment.yml"].split("dependencies:")[1]
    conda = [line[4:] for line in listed.splitlines() if line.startswith("  - ") and ":" not in line]
    assert {_split(item)[0] for item in conda} - {"python", "pip"} == {_split(item)[0] for item in runtime}
