"""The bubblewrap command line that shuts a grading kernel in.

The sandbox is built from an allowlist: the kernel's root folder starts empty
and only the folders below are mounted into it.

- read-only: the system (``/usr`` and the few ``/etc`` files programs read
  while they start), the course environment (the Python that runs the kernel
  and every folder it imports from, the course package included) and the
  course data;
- read-write: the scratch folder (a copy of the submission folder, where the
  kernel starts, and the kernel's connection file and sockets) and a private
  ``/tmp`` of fixed size in memory.

Everything else (``solutions/``, the gradebook, other students' work, the
teacher's home) does not exist inside. On top of that the kernel gets its own
network (no interfaces but an unused loopback), its own process table, a
fresh session and a cleared environment, and runs as an unprivileged user with
rlimits for memory, processes and file size (``prlimit``).

RLIMIT_NPROC does not apply to root and is counted per user namespace, so how
the kernel drops its rights depends on who grades:

- a teacher's own account: bwrap makes a user namespace (as it does for any
  unprivileged user), the limits are set inside it;
- root (containers, CI): bwrap mounts with root's rights, so that it can read
  an environment under ``/root``, then keeps only the right to change user;
  ``setpriv`` becomes ``nobody`` with no capabilities and ``unshare --user``
  gives the kernel a user namespace of its own, so the process limit counts
  this kernel only, not every sandbox running as ``nobody``.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SANDBOX_UID = 65534  # nobody: the user the kernel runs as when root grades
SYSTEM_DIRS = ("/usr",)
SYSTEM_LINKS_OR_DIRS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# What a Python kernel and its libraries read in /etc; no more, because /etc can
# hold the machine's secrets.
ETC_FILES = (
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
    "/etc/localtime", "/etc/timezone", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
    "/etc/fonts", "/etc/mime.types", "/etc/matplotlibrc",
)
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


class SandboxUnavailable(RuntimeError):
    """No sandbox can be made here; the message names the risk and ``--no-sandbox``."""


@dataclass(frozen=True)
class Plan:
    """Everything one sandboxed kernel needs, as paths and numbers."""

    scratch: Path            # read-write, bound at the same path (the ZMQ sockets live here)
    workdir: Path            # where the kernel starts: the copy of the submission folder
    home: Path
    readonly: tuple[Path, ...]
    hidden: tuple[Path, ...] = ()
    memory: int = 2 * 1024**3
    processes: int = 64
    file_size: int = 256 * 1024**2
    tmp_size: int = 64 * 1024**2
    python: str = sys.executable
    as_root: bool = field(default_factory=lambda: os.geteuid() == 0)
    extra_env: tuple[tuple[str, str], ...] = ()


def kernel_argv(plan: Plan) -> list[str]:
    """The kernelspec argv: bwrap, then the rights drop and rlimits, then ipykernel."""
    return [*bwrap_args(plan), *inner_prefix(plan), plan.python, "-m", "ipykernel_launcher",
            "-f", "{connection_file}", "--HistoryManager.hist_file=:memory:",
            "--IPKernelApp.outstream_class=leninsmoscow.sandbox.kernel.LimitedOutStream"]


def bwrap_args(plan: Plan) -> list[str]:
    """bwrap's options: namespaces, mounts, environment and working folder."""
    args = [tool("bwrap"), "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not plan.as_root:
        args.append("--unshare-user")
    mounts = [*system_mounts(), ["--proc", "/proc"], ["--dev", "/dev"],
              ["--perms", "1777", "--size", str(plan.tmp_size), "--tmpfs", "/tmp"]]
    mounts += [["--ro-bind", str(path), str(path)] for path in plan.readonly]
    mounts += [["--bind", str(plan.scratch), str(plan.scratch)]]
    mounts += mask_args(plan.hidden)
    # Last, the root and /dev read-only: in a user namespace they belong to the
    # kernel's user, and as memory-backed folders without a size they would
    # let student code fill the machine's memory.
    mounts += [["--remount-ro", "/dev"], ["--remount-ro", "/"]]
    args += with_parents(mounts)
    args += environment_args(plan)
    args += ["--chdir", str(plan.workdir)]
    if plan.as_root:
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return [*args, "--"]


def with_parents(mounts: list[list[str]]) -> list[str]:
    """The mounts, each preceded by the folders above it that are not there yet.

    bwrap makes missing parents readable by their owner only, which shuts
    out the unprivileged kernel; these are made readable by all (0755).
    """
    args: list[str] = []
    made: set[Path] = {Path("/")}
    bound: list[Path] = []
    for mount in mounts:
        dest = Path(mount[-1])
        for parent in reversed(dest.parents):
            inside_bind = any(parent == b or b in parent.parents for b in bound)
            if parent not in made and not inside_bind:
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += mount
        made.add(dest)
        if "bind" in mount[0]:
            bound.append(dest)
    return args


def inner_prefix(plan: Plan) -> list[str]:
    """Inside the sandbox: become unprivileged (when root), then set the rlimits."""
    prefix = []
    if plan.as_root:
        prefix += [tool("setpriv"), f"--reuid={SANDBOX_UID}", f"--regid={SANDBOX_UID}",
                   "--clear-groups", "--inh-caps=-all", tool("unshare"), "--user"]
    prefix += [tool("prlimit"), f"--as={plan.memory}", f"--nproc={plan.processes}",
               f"--fsize={plan.file_size}", "--core=0", "--"]
    return prefix


def system_mounts() -> list[list[str]]:
    """/usr read-only, the merged-/usr links as links, and the /etc files programs need."""
    mounts = [["--ro-bind", path, path] for path in SYSTEM_DIRS]
    for path in SYSTEM_LINKS_OR_DIRS:
        if os.path.islink(path):
            mounts.append(["--symlink", os.readlink(path), path])
        elif os.path.isdir(path):
            mounts.append(["--ro-bind", path, path])
    return mounts + [["--ro-bind-try", path, path] for path in ETC_FILES if os.path.exists(path)]


def environment_args(plan: Plan) -> list[str]:
    """A cleared environment: no token or path of the teacher's reaches student code."""
    python_bin = str(Path(plan.python).parent)
    env = {
        "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(plan.home),
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        # One thread per library: the process limit counts threads, and a class
        # graded in parallel gains nothing from more.
        **{name: "1" for name in THREAD_VARIABLES},
        **dict(plan.extra_env),
    }
    args = ["--clearenv"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    return args


def mask_args(paths: Iterable[Path]) -> list[list[str]]:
    """Hide private paths that lie inside a mounted folder: an empty folder or file over each."""
    masks = []
    for path in paths:
        if path.is_dir():
            masks.append(["--perms", "0000", "--tmpfs", str(path)])
        elif path.exists():
            masks.append(["--ro-bind", "/dev/null", str(path)])
    return masks


def tool(name: str) -> str:
    """The absolute path of a standard tool, or SandboxUnavailable saying what to install."""
    found = shutil.which(name, path=os.environ.get("PATH") or os.defpath)
    if not found:
        package = "bubblewrap" if name == "bwrap" else "util-linux"
        raise SandboxUnavailable(f"`{name}` is not installed (install the `{package}` package)")
    return found


@functools.cache
def environment_paths(python: str = sys.executable) -> tuple[Path, ...]:
    """The folders the kernel's Python runs and imports from, asked of that Python itself.

    Run with an empty environment from ``/`` so that neither the teacher's
    PYTHONPATH nor the current folder (often the course folder) slips in.
    """
    probe = "import sys, json; print(json.dumps([sys.prefix, sys.base_prefix, *sys.path]))"
    result = subprocess.run([python, "-c", probe], cwd="/", env={}, capture_output=True, text=True, check=True)
    found = [Path(entry) for entry in json.loads(result.stdout) if entry]
    real = [Path(os.path.realpath(path)) for path in found]
    return outermost(path for path in [*found, *real] if path.is_absolute() and path.exists())


def outermost(paths: Iterable[Path]) -> tuple[Path, ...]:
    """The paths that are not inside another one of them, sorted and unique."""
    kept: list[Path] = []
    for path in sorted(set(paths), key=lambda p: len(p.parts)):
        if not any(path == other or other in path.parents for other in kept):
            kept.append(path)
    return tuple(sorted(kept))


def check_exposure(readonly: Sequence[Path], private: Sequence[Path]) -> None:
    """Refuse a mount that would show a private folder whole (the teacher's home, the course)."""
    for path in readonly:
        for secret in private:
            if path == secret or path in secret.parents:
                raise SandboxUnavailable(
                    f"the course environment imports from {path}, which contains {secret}; "
                    "mounting it would show student code your private files. Install the course "
                    "environment in its own folder (for example `make setup`'s .venv)"
                )


def hidden_inside(readonly: Sequence[Path], sensitive: Iterable[Path]) -> tuple[Path, ...]:
    """Sensitive paths that a read-only mount would otherwise show."""
    return tuple(path for path in sensitive
                 if path.exists() and any(mount in path.parents for mount in readonly))


def course_data() -> list[Path]:
    """The course's datasets, where the package itself looks for them (without loading pandas)."""
    from leninsmoscow.datafolder import data_dir

    return [data_dir().resolve()]


def readonly_paths(paths: Iterable[Path | str]) -> tuple[Path, ...]:
    """Existing paths, outermost only, without what the system mounts already show."""
    resolved = [Path(p).resolve() for p in paths if Path(p).exists()]
    system = [Path(p) for p in SYSTEM_DIRS]
    return outermost(p for p in resolved if not any(p == s or s in p.parents for s in system))


def hand_over(scratch: Path, workdir: Path) -> None:
    """Give the scratch folder to the sandbox's user when root grades.

    bwrap enters the working folder as root without capabilities, so the
    folders on the way in must be open to all (0755); the folder above the
    scratch, outside the sandbox, stays root's own.
    """
    for path in [scratch, *scratch.rglob("*")]:
        os.lchown(path, SANDBOX_UID, SANDBOX_UID)
    for folder in (scratch, workdir):
        os.chmod(folder, 0o755)
