"""The hub configuration as deployed (PAM, one Unix account per user), read without starting anything.

The hub suite runs it with two parts swapped for test ones; these quick checks
hold the production parts and the access rules themselves in place.
"""

from __future__ import annotations

import pytest
from helpers import ROOT
from traitlets.config.loader import PyFileConfigLoader

DEPLOY = ROOT / "deploy" / "jupyterhub"
ROSTER = "username,role\nivanova,instructor\npetrov,grader\ns0001,student\ns0002, Student \n"


@pytest.fixture
def config(tmp_path, monkeypatch):
    """deploy/jupyterhub/jupyterhub_config.py loaded as JupyterHub loads it."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    monkeypatch.setenv("LENINSMOSCOW_ROSTER", str(roster))
    monkeypatch.setenv("LENINSMOSCOW_FORMGRADER_TOKEN", "secret")
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def scopes_of(config, group: str) -> set[str]:
    """Every scope the roles give one group."""
    roles = [role for role in config.JupyterHub.load_roles if group in role.get("groups", [])]
    return {scope for role in roles for scope in role["scopes"]}


def test_production_uses_system_accounts_and_the_course_environment(config):
    assert config.JupyterHub.authenticator_class == "pam"
    assert config.JupyterHub.spawner_class == "localprocess"
    assert config.Spawner.cmd[0].endswith("/bin/jupyterhub-singleuser")
    assert config.Authenticator.allowed_users == {"ivanova", "petrov", "s0001", "s0002"}


def test_groups_follow_nbgrader_and_the_grading_account_cannot_log_in(config):
    groups = {name: sorted(group["users"]) for name, group in config.JupyterHub.load_groups.items()}
    assert groups == {
        "instructors": ["ivanova"],
        "formgrade-leninsmoscow": ["grader-leninsmoscow", "ivanova", "petrov"],
        "nbgrader-leninsmoscow": ["ivanova", "s0001", "s0002"],
    }
    assert "grader-leninsmoscow" not in config.Authenticator.allowed_users


def test_only_staff_may_open_the_formgrader_and_nobody_opens_others_servers(config):
    staff = scopes_of(config, "formgrade-leninsmoscow") | scopes_of(config, "instructors")
    students = scopes_of(config, "nbgrader-leninsmoscow")
    assert "access:services!service=leninsmoscow" in staff
    assert not any(scope.startswith(("access:", "admin", "groups", "tokens")) for scope in students)
    assert not any(scope.startswith("access:servers") for scope in staff)
    (service,) = config.JupyterHub.services
    assert service["name"] == "leninsmoscow" and service["url"].startswith("http://127.0.0.1:")
    assert "command" not in service, "the formgrader is started beside the hub, not by it (jupyterhub#5138)"


def test_an_unknown_role_in_the_roster_stops_the_hub(tmp_path, monkeypatch):
    roster = tmp_path / "roster.csv"
    roster.write_text("username,role\nivanova,professor\n")
    monkeypatch.setenv("LENINSMOSCOW_ROSTER", str(roster))
    monkeypatch.setenv("LENINSMOSCOW_FORMGRADER_TOKEN", "secret")
    with pytest.raises(ValueError, match="professor"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()
