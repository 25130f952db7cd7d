"""The deployed hub configuration, with only what this test machine cannot run swapped out.

Everything course-specific (groups, roles, the formgrader service, the
exchange, the per-role extensions) comes unchanged
from deploy/jupyterhub/jupyterhub_config.py. Two production parts are replaced
by JupyterHub's own test parts:

- PAM log-in by the NullAuthenticator: nobody types a password; the test acts
  through API tokens the hub issues to each user, which carry exactly the
  user's permissions.
- LocalProcessSpawner (one system account per user) by SimpleLocalProcessSpawner
  (a home folder per user under the test's folder, every server running as
  root). The course environment's Python may live where only root can read it
  (here, /root/.pyenv), so servers under other accounts could not start. Users
  are still kept apart by the hub: each server answers its own user only.
  For the same reason the formgrader (deploy/jupyterhub/formgrader) runs as
  root, with --allow-root.

A `tester` service holds the token the test uses to issue users' tokens.
"""

import os
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub"
load_subconfig(str(DEPLOY / "jupyterhub_config.py"))  # noqa: F821

c = get_config()  # noqa: F821

c.JupyterHub.authenticator_class = "null"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(os.environ["LENINSMOSCOW_TEST_HOMES"], "{username}")
c.Spawner.args = ["--allow-root"]
c.Spawner.environment["LENINSMOSCOW_TEST_RUN"] = os.environ["LENINSMOSCOW_TEST_RUN"]  # for the test's clean-up
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

c.JupyterHub.services.append({"name": "tester", "api_token": os.environ["LENINSMOSCOW_TEST_TOKEN"]})
c.JupyterHub.load_roles.append(
    {"name": "tester", "services": ["tester"], "scopes": ["admin:users", "admin:servers", "tokens", "read:groups"]}
)
