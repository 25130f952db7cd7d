"""Students hand in under the name they signed in to the hub with.

nbgrader's file-system exchange otherwise names a submission after the
server's Unix account. With one system account per user that is the same
name; in containers (Kubernetes) every account is `jovyan` and nbgrader
falls back to JUPYTERHUB_USER anyway. Saying it here makes the hub's name the
student id everywhere, the one nbgrader's JupyterHub plugin checks against the
course's group. Only students' servers read this file: in an instructor's
terminal it would narrow every nbgrader command to the instructor.
"""

import os

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
