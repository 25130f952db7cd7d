"""nbgrader configuration: the repository root is the course directory.

Teachers author in solutions/ (nbgrader's "source") and students receive
assignments/ (nbgrader's "release"); everything nbgrader writes while grading
stays out of git (see .gitignore). The grading steps are the course's own
pipeline (leninsmoscow.grading.pipeline), which `leninsmoscow grade` also uses.
"""

import os

from leninsmoscow.grading import pipeline

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "leninsmoscow"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"

# Hidden tests judged by the grader, student content made inert, feedback without hidden tests.
c.Autograde.autograde_preprocessors = pipeline.autograde()
c.GenerateFeedback.preprocessors = list(pipeline.FEEDBACK)

# A deleted test cell comes back and is run, rather than waiting for a human.
c.OverwriteCells.add_missing_cells = True
# An endless loop costs one cell, not the whole class.
c.Execute.timeout = 60

# A laptop has no shared exchange (nbgrader's default, /srv/nbgrader/exchange, needs root), and the
# formgrader would warn that it is missing: the course keeps its own, beside this file (git ignores
# it). On JupyterHub the spawner sets LENINSMOSCOW_EXCHANGE and the shared exchange is configured
# there (deploy/jupyterhub/jupyter/common/nbgrader_config.py).
if "LENINSMOSCOW_EXCHANGE" not in os.environ:
    c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")
    try:  # nbgrader expects the exchange to exist; a read-only copy of the course simply has none
        os.makedirs(c.Exchange.root, exist_ok=True)
    except OSError:
        pass
