"""The course's nbgrader pipelines, defined once, as dotted names.

``nbgrader_config.py`` (what plain ``nbgrader`` and the formgrader's buttons
use), the sandboxed ``leninsmoscow grade`` and release's validation all read
these lists, so the three cannot drift apart. The module imports nothing, so
reading the configuration costs nothing; nbgrader loads the classes by name.

nbgrader's own steps keep nbgrader's order (a test pins them against the
installed nbgrader); the course adds its steps around them:

1. ``ExtractHiddenTests`` before the student's kernel runs: the hidden checks
   stay with the grader;
2. ``JudgeHiddenTests`` right after: the grader's verdict becomes the only
   output of each test cell;
3. ``MakeStudentContentInert`` and ``RefuseOversizedNotebook`` before anything
   is saved: the graded notebook, from which the formgrader and the feedback
   pages are rendered, holds no active content, and is never too large to keep.
"""

from __future__ import annotations

EXECUTE = "nbgrader.preprocessors.Execute"
SANDBOXED_EXECUTE = "leninsmoscow.sandbox.execute.SandboxedExecute"

AUTOGRADE = (
    "leninsmoscow.grading.preprocessors.ExtractHiddenTests",
    EXECUTE,
    "leninsmoscow.grading.preprocessors.JudgeHiddenTests",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "leninsmoscow.grading.inert.MakeStudentContentInert",
    "leninsmoscow.grading.preprocessors.RefuseOversizedNotebook",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
)

# Steps that write to the gradebook or strip metadata: validation runs everything else.
GRADEBOOK_STEPS = (
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
)

# nbgrader's default feedback keeps hidden tests; the course's never shows them.
FEEDBACK = (
    "nbgrader.preprocessors.GetGrades",
    "leninsmoscow.grading.preprocessors.HideHiddenTests",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
)

# The answer key released after marking: nbgrader's GenerateSolution steps, with the hidden
# tests cleared before the notebook runs and the solution markers taken out of the page.
SOLUTION = (
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ClearHiddenTests",
    "leninsmoscow.grading.preprocessors.RemoveSolutionMarkers",
    EXECUTE,
)


def autograde(sandboxed: bool = False) -> list[str]:
    """The autograding steps; with ``sandboxed`` the kernel runs in the grading sandbox."""
    return sandbox_execute(AUTOGRADE) if sandboxed else list(AUTOGRADE)


def validation(steps=AUTOGRADE) -> list[str]:
    """What release runs on the teacher's and the student's versions: grading, without the gradebook."""
    return [name for name in map(dotted, steps) if name not in GRADEBOOK_STEPS]


def sandbox_execute(steps) -> list[str]:
    """A pipeline (the course's, or one a teacher configured) with its Execute step sandboxed."""
    return [SANDBOXED_EXECUTE if dotted(step) == EXECUTE else dotted(step) for step in steps]


def dotted(step) -> str:
    """A step by name; a class is named by the package that exports it (nbgrader.preprocessors.X)."""
    if isinstance(step, str):
        return step
    for package in ("nbgrader.preprocessors", "nbconvert.preprocessors"):
        if step.__module__.startswith(package + "."):
            return f"{package}.{step.__qualname__}"
    return f"{step.__module__}.{step.__qualname__}"
