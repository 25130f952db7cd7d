"""nbgrader configuration: the repository root is the course directory.

Teachers author in solutions/ (nbgrader's "source") and students receive
assignments/ (nbgrader's "release"); everything nbgrader writes while grading
stays out of git (see .gitignore).
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "leninsmoscow"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"


# nbgrader's default feedback keeps hidden tests; ours never shows them.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "leninsmoscow.grading.preprocessors.HideHiddenTests",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# nbgrader's own pipeline with two steps added (see leninsmoscow.grading): the
# hidden tests leave the notebook before the student's kernel runs it, and the
# grader judges the answers the kernel reported once it has run.
from nbgrader.converters.autograde import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

_pipeline = list(Autograde.class_traits()["autograde_preprocessors"].default())
_pipeline.insert(_pipeline.index(Execute) + 1, "leninsmoscow.grading.preprocessors.RequireReceipts")
_pipeline.insert(_pipeline.index(Execute), "leninsmoscow.grading.preprocessors.ExtractHiddenTests")
c.Autograde.autograde_preprocessors = _pipeline

# A deleted test cell comes back and is run, rather than waiting for a human.
c.OverwriteCells.add_missing_cells = True
# An endless loop costs one cell, not the whole class.
c.Execute.timeout = 60
