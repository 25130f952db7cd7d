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
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.CSSHTMLHeaderPreprocessor",
]
