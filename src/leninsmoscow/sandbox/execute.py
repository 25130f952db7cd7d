"""nbgrader's Execute step with the kernel in a sandbox and limits it cannot escape.

nbgrader (trusted: it holds the gradebook and the hidden tests) stays in the
grader's process; only the kernel, where student code runs, goes into the
bubblewrap sandbox. The two talk over ZMQ on unix sockets in the kernel's
scratch folder (``KernelManager.transport = "ipc"``), so the kernel needs no
network at all. The kernel is chosen the standard way: a kernelspec, written
to a private folder for this one kernel, whose argv wraps ipykernel in bwrap.

When a limit is hit the kernel is killed and the cell that was running gets an
error saying which limit (``GradingLimit: killed: used more than 2 GiB of
memory``); the cells after it are marked as not run. nbgrader then scores the
notebook as it scores any failed cell, and goes on with the next student. A
kernel that ends by itself (``os._exit``, a crash) is left to nbgrader, which
fails that one submission as it always has.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer, List, Unicode

from . import command
from .limits import (
    ERROR_NAME,
    OUTPUT_EXIT_STATUS,
    OUTPUT_LIMIT_VARIABLE,
    Limits,
    Watcher,
    reasons,
)

KERNEL_NAME = "leninsmoscow-sandbox"
PRIVATE_PREFIX = "leninsmoscow-grading-"  # then the grading process's id
# nbgrader tells the notebook whether it is being validated or autograded; nothing else
# of the grader's environment (tokens, database addresses) reaches the kernel.
NBGRADER_VARIABLES = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")
_DEFAULTS = Limits()


class SandboxedExecute(Execute):
    """Execute each notebook in a fresh sandboxed kernel, within limits.

    With ``sandbox = False`` the kernel runs unconfined, as nbgrader runs it,
    and only the limits the grader enforces from outside remain (time, output,
    the memory and processes of the kernel it watches).
    """

    sandbox = Bool(True, help="Run the kernel in a bubblewrap sandbox.").tag(config=True)
    memory_limit = Integer(_DEFAULTS.memory, help="Bytes of memory per notebook.").tag(config=True)
    process_limit = Integer(_DEFAULTS.processes, help="Processes and threads per notebook.").tag(config=True)
    time_limit = Float(_DEFAULTS.wall_time, help="Seconds of wall time per notebook.").tag(config=True)
    output_limit = Integer(_DEFAULTS.output, help="Bytes of output per notebook.").tag(config=True)
    scratch_limit = Integer(_DEFAULTS.scratch, help="Bytes written to the scratch folder.").tag(config=True)
    readonly_paths = List(Unicode(), help="More folders the kernel may read (the course data is always there).").tag(config=True)

    # -- the limits -------------------------------------------------------

    @property
    def limits(self) -> Limits:
        return Limits(memory=self.memory_limit, processes=self.process_limit, wall_time=self.time_limit,
                      output=self.output_limit, scratch=self.scratch_limit)

    # -- one notebook -----------------------------------------------------

    def preprocess(self, nb, resources=None, km=None):
        """Run the notebook, then remove everything the kernel could write."""
        sweep_stale(Path(tempfile.gettempdir()))
        self._private = Path(tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{os.getpid()}-"))
        self._watcher = None
        self._stopped = None
        self._output_bytes = 0
        self._student = (resources or {}).get("nbgrader", {}).get("student", "?")
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if self._watcher is not None:
                self._watcher.stop()
            remove_tree(self._private)

    def preprocess_cell(self, cell, resources, index):
        """Run a cell; after a kill, mark it (and every later cell) with the reason."""
        if self._stopped:
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = [limit_error(f"not run: the notebook was stopped earlier ({self._stopped})")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            reason = self._stop_reason() or self._limit_from_exit()
            if not reason:
                raise  # a kernel that ended by itself: nbgrader's own handling (this submission fails)
            self._stop(cell, reason)
            return cell, resources
        except CellTimeoutError:
            if not self._stop_reason():
                raise  # nbgrader's own per-cell timeout, handled as nbgrader handles it
            self._stop(cell, self._stop_reason())
            return cell, resources
        if self._stop_reason():
            self._stop(cell, self._stop_reason())
        elif self.sandbox and any(out.get("ename") == "MemoryError" for out in cell.get("outputs", [])):
            cell.outputs.append(limit_error(reasons(self.limits)["memory_error"]))
            self.log.warning("%s: %s", self._student, reasons(self.limits)["memory_error"])
        return cell, resources

    def _stop(self, cell, reason: str) -> None:
        self._stopped = reason
        cell.outputs.append(limit_error(reason))
        self.log.warning("%s: %s", self._student, reason)

    def _stop_reason(self) -> str | None:
        return self._watcher.reason if self._watcher is not None else None

    def _limit_from_exit(self) -> str | None:
        """The output limit, when the kernel's own streams stopped it (see .kernel)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() == OUTPUT_EXIT_STATUS:
            return reasons(self.limits)["output"]
        return None

    # -- the kernel -------------------------------------------------------

    def create_kernel_manager(self):
        """A kernel manager for the sandbox kernelspec, talking over unix sockets."""
        if not self.sandbox:
            return super().create_kernel_manager()
        self.kernel_name = KERNEL_NAME
        scratch = self._private / "scratch"
        self.km = self.kernel_manager_class(
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(self._private / "kernels")]),
            transport="ipc",
            connection_file=str(scratch / "kernel.json"),
            config=self.config,
        )
        return self.km

    async def async_start_new_kernel(self, **kwargs):
        """Prepare the scratch folder and kernelspec, start the kernel, start watching it."""
        if self.sandbox:
            workdir = self._prepare_sandbox(Path(self.resources.get("metadata", {}).get("path") or "."))
            # What the kernel writes outside its messages stays out of the teacher's terminal.
            await super().async_start_new_kernel(cwd=str(workdir), stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL, **kwargs)
        else:
            await super().async_start_new_kernel(**kwargs)
        self._watcher = Watcher(self.km.provisioner.pid, self.limits,
                                self._private / "scratch" if self.sandbox else None)
        self._watcher.start()

    start_new_kernel = run_sync(async_start_new_kernel)

    def _prepare_sandbox(self, submission: Path) -> Path:
        plan = self._plan(submission)
        write_kernelspec(self._private / "kernels" / KERNEL_NAME, command.kernel_argv(plan))
        self.km.write_connection_file()
        if plan.as_root:
            command.hand_over(plan.scratch, plan.workdir)
        return plan.workdir

    def _plan(self, submission: Path) -> command.Plan:
        """The sandbox for this submission: what it may read, and its own scratch copy."""
        scratch = self._private / "scratch"
        workdir, home = scratch / "work", scratch / "home"
        course = CourseDirectory(config=self.config)
        copy_submission(submission, workdir, links=submitted_links(course, self.resources))
        home.mkdir()
        seed_font_cache(home)
        readonly = command.readonly_paths([*command.environment_paths(sys.executable), *command.course_data(),
                                   *map(Path, self.readonly_paths)])
        command.check_exposure(readonly, private=[Path.home().resolve(), Path(course.root).resolve()])
        passed_on = tuple((name, os.environ[name]) for name in NBGRADER_VARIABLES if name in os.environ)
        return command.Plan(
            scratch=scratch, workdir=workdir, home=home, readonly=readonly,
            hidden=command.hidden_inside(readonly, sensitive_paths(course)),
            memory=self.memory_limit, processes=self.process_limit, file_size=self.scratch_limit,
            extra_env=(*passed_on, (OUTPUT_LIMIT_VARIABLE, str(self.output_limit))),
        )

    # -- output -----------------------------------------------------------

    def process_message(self, msg, cell, cell_index):
        """Count output bytes as they arrive; past the limit, kill the kernel and drop the rest."""
        size = message_size(msg)
        if size and self._watcher is not None:
            self._output_bytes += size
            if self._output_bytes > self.output_limit:
                self._watcher.kill(reasons(self.limits)["output"])
                return None
        return super().process_message(msg, cell, cell_index)


def limit_error(reason: str) -> NotebookNode:
    """An error output nbgrader scores like any failed cell, saying which limit was hit."""
    return NotebookNode(output_type="error", ename=ERROR_NAME, evalue=reason,
                        traceback=[f"{ERROR_NAME}: {reason}"])


# Messages that carry no output of the student's: the kernel's state and the echo of the cell's source.
NOT_OUTPUT = {"status", "execute_input"}


def message_size(msg: dict) -> int:
    """Bytes the kernel sent in an output message: everything it holds (data, metadata, error names
    and values, tracebacks, transient, comm state) and its binary buffers."""
    if msg.get("msg_type") in NOT_OUTPUT:
        return 0
    size = len(json.dumps(msg.get("content", {}), default=str))
    size += len(json.dumps(msg.get("metadata", {}), default=str))
    return size + sum(len(buffer) for buffer in msg.get("buffers", []) or [])


def write_kernelspec(folder: Path, argv: list[str]) -> None:
    """A standard kernelspec; interrupts go by message, since signals stop at the sandbox."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": argv, "display_name": "Python 3 (sandboxed for grading)", "language": "python",
            "interrupt_mode": "message", "metadata": {"debugger": False}}
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))


def copy_submission(submission: Path, workdir: Path, links: set[Path] = frozenset()) -> None:
    """The submission's files, without the notebooks (the graded copy holds the hidden tests)
    and without what the student handed in as a link (nbgrader copied what it points to)."""
    def ignored(folder, names):
        relative = Path(folder).relative_to(submission)
        return {name for name in names
                if name.endswith(".ipynb") or name == ".ipynb_checkpoints" or relative / name in links}

    shutil.copytree(submission, workdir, symlinks=True, ignore=ignored)


def submitted_links(course: CourseDirectory, resources: dict) -> set[Path]:
    """Paths that are links in the student's submitted folder, relative to it.

    nbgrader copies a submission's files by following links, so a link to
    ``solutions/`` would arrive in the graded folder as a copy of the solution.
    """
    ids = resources.get("nbgrader", {})
    if not ids.get("student") or not ids.get("assignment"):
        return set()
    submitted = Path(course.format_path(course.submitted_directory, ids["student"], ids["assignment"]))
    return {path.relative_to(submitted) for path in submitted.rglob("*") if path.is_symlink()}


def sensitive_paths(course: CourseDirectory) -> list[Path]:
    """What student code must never see, should a mounted folder contain it."""
    root = Path(course.root).resolve()
    names = [course.source_directory, course.solution_directory, course.submitted_directory,
             course.autograded_directory, course.feedback_directory, ".git"]
    paths = [root / name for name in names if name and "{" not in name]
    if course.db_url.startswith("sqlite:///"):
        paths.append(Path(course.db_url[len("sqlite:///"):]).resolve())
    return paths


def seed_font_cache(home: Path) -> None:
    """Give the kernel the teacher's matplotlib font list, so it is not rebuilt for every student."""
    base = Path(os.environ.get("MPLCONFIGDIR") or
                Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib")
    target = home / ".cache" / "matplotlib"
    for cached in base.glob("fontlist-*.json"):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(cached, target / cached.name)


def sweep_stale(temp: Path) -> None:
    """Remove what graders that were killed (a time limit, Ctrl-C) left behind: their
    processes are gone, so their folders, with copies of submissions, can go too."""
    for folder in temp.glob(f"{PRIVATE_PREFIX}*-*"):
        pid = folder.name[len(PRIVATE_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not process_exists(int(pid)):
            remove_tree(folder)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_tree(folder: Path) -> None:
    """Remove a scratch folder even where student code took away the permissions.

    Only folders are opened up again, never through a link, so a link the
    student left behind cannot turn this on the teacher's own files.
    """
    for parent, folders, _ in os.walk(folder):
        for name in folders:
            path = os.path.join(parent, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(folder, ignore_errors=True)
