"""Autograding that a hostile submission cannot escape.

``nbgrader autograde`` runs each student's code with the teacher's rights.
This package keeps nbgrader where it is and puts only the kernel, where the
student's code runs, into a bubblewrap sandbox with limits
(:mod:`.command`, :mod:`.execute`, :mod:`.limits`). What it guarantees, and
where it cannot, is in ``docs/sandbox.md``.

A grading command uses three functions::

    from leninsmoscow import sandbox

    sandbox.require()                      # or refuse, naming the risk and --no-sandbox
    config.merge(sandbox.nbgrader_config(config))        # sandboxed kernels
    config.merge(sandbox.nbgrader_config(config, enabled=False))  # --no-sandbox

and reads what happened to a student from the graded notebook with
:func:`incidents`.
"""

from __future__ import annotations

import functools
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from .command import SandboxUnavailable
from .limits import ERROR_NAME, GiB, Limits, MiB

__all__ = [
    "ERROR_NAME",
    "RISK",
    "GiB",
    "Limits",
    "MiB",
    "SandboxUnavailable",
    "available",
    "incidents",
    "mode",
    "nbgrader_config",
    "problem",
    "require",
]

RISK = (
    "Without a sandbox, every student's code runs with your own rights: it can read solutions/ "
    "and the gradebook, change its own and others' grades, delete or rewrite your files, use the "
    "network, and exhaust the machine's memory and processes."
)


@functools.cache
def problem() -> str | None:
    """Why no sandbox can be made on this machine, or None when one can.

    Starts a real sandbox, as grading would, so that a container that forbids
    user namespaces or mounts is found out before the first student is graded.
    """
    if platform.system() != "Linux":
        return f"the grading sandbox (bubblewrap) needs Linux; this machine runs {platform.system()}"
    try:
        return _probe()
    except SandboxUnavailable as error:
        return str(error)


def _probe() -> str | None:
    from . import command

    with tempfile.TemporaryDirectory(prefix="leninsmoscow-probe-") as folder:
        scratch = Path(folder) / "scratch"
        (scratch / "work").mkdir(parents=True)
        readonly = command.readonly_paths([*command.environment_paths(sys.executable), *command.course_data()])
        plan = command.Plan(scratch=scratch, workdir=scratch / "work", home=scratch, readonly=readonly)
        if plan.as_root:
            command.hand_over(scratch, plan.workdir)
        # Finding ipykernel (not importing it) proves the environment is mounted, in a tenth of the time.
        probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('ipykernel') is None)"
        argv = [*command.bwrap_args(plan), *command.inner_prefix(plan), plan.python, "-c", probe]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"bubblewrap cannot make a sandbox here ({detail}); containers and some distributions "
                "forbid the user namespaces it needs")
    return None


def available() -> bool:
    return problem() is None


def require() -> None:
    """Raise SandboxUnavailable, with the risk and the flag that accepts it, when there is no sandbox."""
    reason = problem()
    if reason:
        raise SandboxUnavailable(  # one line: the command line prints it after "error:"
            f"no sandbox for students' code: {reason}. {RISK} To grade without a sandbox "
            "and accept that risk, run again with --no-sandbox (see docs/sandbox.md)."
        )


def mode(enabled: bool) -> str:
    """How students' code runs, for a report: "students' code runs <mode>"."""
    if enabled:
        return ("in the sandbox (bubblewrap): it sees only its own submission and the course's "
                "environment and data, without network, within limits")
    return "WITHOUT a sandbox (--no-sandbox): it runs with your own rights"


def nbgrader_config(base=None, *, enabled: bool = True, limits: Limits | None = None):
    """nbgrader config that runs the autograde pipeline's Execute step as SandboxedExecute.

    ``base`` is the course's config (``nbgrader_config.py`` loaded): its pipeline
    is kept, with only the Execute step swapped. ``enabled=False`` keeps the
    grader-side limits (time, output, dead kernels recorded per cell) but
    runs the kernel unconfined.
    """
    from traitlets.config import Config

    from leninsmoscow.grading import pipeline

    configured = base.get("Autograde", {}).get("autograde_preprocessors") if base is not None else None
    config = Config()
    config.Autograde.autograde_preprocessors = (pipeline.sandbox_execute(configured) if configured
                                                else pipeline.autograde(sandboxed=True))
    config.SandboxedExecute.sandbox = enabled
    if limits is not None:
        config.SandboxedExecute.memory_limit = limits.memory
        config.SandboxedExecute.process_limit = limits.processes
        config.SandboxedExecute.time_limit = limits.wall_time
        config.SandboxedExecute.output_limit = limits.output
        config.SandboxedExecute.scratch_limit = limits.scratch
    return config


def incidents(notebook) -> list[str]:
    """The limits a graded notebook hit, in order ("killed: used more than 2 GiB of memory").

    Takes a notebook, its path, or a student's graded folder (all its notebooks).
    """
    import nbformat

    if isinstance(notebook, (str, Path)) and Path(notebook).is_dir():
        return [reason for path in sorted(Path(notebook).glob("*.ipynb")) for reason in incidents(path)]
    if not hasattr(notebook, "cells"):
        notebook = nbformat.read(str(notebook), as_version=4)
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            reason = output.get("evalue", "")
            if output.get("ename") == ERROR_NAME and not reason.startswith("not run") and reason not in found:
                found.append(reason)
    return found
