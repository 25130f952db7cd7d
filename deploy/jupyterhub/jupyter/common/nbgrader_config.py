"""nbgrader settings every server of the course shares (students', staff's, the formgrader's).

JupyterHub puts this folder on JUPYTER_CONFIG_PATH (see ../../jupyterhub_config.py),
so nothing has to be copied to /etc/jupyter. The course folder's own
nbgrader_config.py (the repository's) is read after this one, by the formgrader.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "leninsmoscow"
# The file-system exchange every server on this machine sees (release, fetch, submit, collect).
c.Exchange.root = os.environ.get("LENINSMOSCOW_EXCHANGE", "/srv/nbgrader/exchange")
# Who may fetch and submit is who is in the hub's nbgrader-leninsmoscow group.
c.Authenticator.plugin_class = JupyterHubAuthPlugin

# Only the formgrader service is given the gradebook's address; students' servers never are.
if os.environ.get("LENINSMOSCOW_DB_URL"):
    c.CourseDirectory.db_url = os.environ["LENINSMOSCOW_DB_URL"]
