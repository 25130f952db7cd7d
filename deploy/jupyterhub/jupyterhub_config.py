"""JupyterHub for one course: Lenin's Moscow with nbgrader's exchange and a shared gradebook.

This is nbgrader's documented "one class, multiple graders" set-up
(https://nbgrader.readthedocs.io/en/stable/configuration/jupyterhub_config.html)
built only from standard parts:

- every user gets a single-user Jupyter server started from the course
  environment (the Python environment this hub runs from), as their own
  system account (JupyterHub's LocalProcessSpawner, PAM log-in);
- assignments move through nbgrader's file-system exchange
  (release, fetch, submit, collect) in LENINSMOSCOW_EXCHANGE;
- the formgrader runs once, as the JupyterHub service named after the
  course, in the course folder, as a grading account (./formgrader); only
  the group ``formgrade-leninsmoscow`` (instructors and graders) may open it;
- the gradebook is the database at LENINSMOSCOW_DB_URL (PostgreSQL), given
  to the formgrader only, so graders working from other servers or the
  command line share it.

Who is who comes from a roster CSV (``username,role`` with role one of
instructor, grader, student); see roster.example.csv and docs/it-guide.md.
"""

import csv
import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when JupyterHub loads this file)

COURSE = "leninsmoscow"  # nbgrader's course_id = the formgrader service's name = the groups' suffix
STAFF_GROUP = f"formgrade-{COURSE}"  # nbgrader's own convention: who may open the formgrader
STUDENT_GROUP = f"nbgrader-{COURSE}"  # nbgrader's own convention: who may fetch and submit
ROLES = {  # a roster role -> the hub groups it puts a user in
    "instructor": ("instructors", STAFF_GROUP, STUDENT_GROUP),
    "grader": (STAFF_GROUP,),
    "student": (STUDENT_GROUP,),
}
HERE = Path(__file__).resolve().parent
CONFIG_DIRS = HERE / "jupyter"
ENV_BIN = Path(sys.prefix) / "bin"  # the course environment: the hub runs from it, so do the servers


def setting(name: str, default: str) -> str:
    """A site setting from the environment, so this file is the same on every server."""
    return os.environ.get(f"LENINSMOSCOW_{name}", default)


def read_roster(path: Path) -> dict[str, str]:
    """Usernames mapped to their role in the course, from the roster CSV.

    A CSV because that is what registrars export; an unknown role stops the
    hub rather than quietly leaving someone out of the course.
    """
    with open(path, newline="", encoding="utf-8") as handle:
        roster = {row["username"].strip(): row["role"].strip().lower() for row in csv.DictReader(handle)}
    unknown = {name: role for name, role in roster.items() if role not in ROLES}
    if unknown:
        raise ValueError(f"{path}: roles must be one of {sorted(ROLES)}, not {unknown}")
    return roster


def course_groups(roster: dict[str, str], grader_account: str) -> dict[str, dict]:
    """JupyterHub groups named as nbgrader's JupyterHubAuthPlugin expects them.

    The formgrader's own account is a hub user in the staff group, as in
    nbgrader's guide: the plugin asks the hub which courses it grades. It is
    not an allowed user, so nobody can log in as it.
    """
    groups = {name: {"users": []} for names in ROLES.values() for name in names}
    for user, role in sorted(roster.items()):
        for group in ROLES[role]:
            groups[group]["users"].append(user)
    groups[STAFF_GROUP]["users"].append(grader_account)
    return groups


def course_roles() -> list[dict]:
    """What each group may do: least privilege, nothing more than its work needs."""
    service = f"service={COURSE}"
    return [
        # Instructors run the class: see users, start or stop a stuck server, enrol students.
        # They cannot open a student's server (that needs access:servers).
        {"name": "instructor", "groups": ["instructors"],
         "scopes": ["admin-ui", "list:users", "read:users", "admin:servers", "read:groups",
                    f"groups!group={STUDENT_GROUP}"]},
        {"name": STAFF_GROUP, "groups": [STAFF_GROUP],
         "scopes": [f"access:services!{service}", "list:services", f"read:services!{service}"]},
        {"name": STUDENT_GROUP, "groups": [STUDENT_GROUP],
         "scopes": ["list:services", f"read:services!{service}"]},
        # A server acts for its user: nbgrader asks the hub which courses the user is in.
        {"name": "server", "scopes": ["inherit"]},
        # The formgrader adds students it learns of to the students' group (nbgrader's plugin).
        {"name": f"{COURSE}-formgrader", "services": [COURSE],
         "scopes": ["list:users", "read:users", "list:groups", "read:groups", f"groups!group={STUDENT_GROUP}"]},
    ]


def jupyter_config_path(kind: str) -> str:
    """Jupyter config folders for one kind of server: its own, then the course's common one.

    They carry the global nbgrader_config.py and switch nbgrader's extensions
    on or off by role, as nbgrader's JupyterHub guide tabulates.
    """
    return os.pathsep.join(str(CONFIG_DIRS / name) for name in (kind, "common"))


def server_kind(spawner) -> str:
    """'staff' for instructors and graders, 'student' for everyone else."""
    groups = {group.name for group in spawner.user.groups}
    return "staff" if STAFF_GROUP in groups else "student"


def formgrader_service(port: int, token: str) -> dict:
    """The course's one formgrader, as an external service the hub routes to and vouches for.

    It is started beside the hub (./formgrader, systemd unit
    leninsmoscow-formgrader.service), not by it: a hub-managed service that
    takes over 10 s to start makes the hub exit (jupyterhub/jupyterhub#5138),
    and a busy server's Jupyter does. Only the formgrader holds the
    gradebook's address.
    """
    return {"name": COURSE, "url": f"http://127.0.0.1:{port}", "api_token": token, "oauth_no_confirm": True}


def proxy_command() -> list[str]:
    """configurable-http-proxy from npm: the repository-local install, else the one on PATH."""
    local = HERE.parents[1] / ".venv" / "hub-node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return [str(local) if local.exists() else shutil.which("configurable-http-proxy") or "configurable-http-proxy"]


roster = read_roster(Path(setting("ROSTER", "/etc/leninsmoscow/roster.csv")))
exchange = setting("EXCHANGE", "/srv/nbgrader/exchange")

c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(roster)
c.JupyterHub.load_groups = course_groups(roster, setting("GRADER_ACCOUNT", f"grader-{COURSE}"))
c.JupyterHub.load_roles = course_roles()

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": lambda spawner: jupyter_config_path(server_kind(spawner)),
    "LENINSMOSCOW_EXCHANGE": exchange,
}

# The secret the formgrader presents to the hub (the same value in both units' environment).
c.JupyterHub.services = [
    formgrader_service(port=int(setting("FORMGRADER_PORT", "9999")), token=os.environ["LENINSMOSCOW_FORMGRADER_TOKEN"])
]
c.ConfigurableHTTPProxy.command = proxy_command()
