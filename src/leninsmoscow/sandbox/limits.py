"""The limits a graded kernel runs under, and the sentence that says which one was hit.

The kernel itself enforces what the operating system can (rlimits on memory
per process, processes and file size). A watcher thread in the grader
enforces the rest (wall time, the memory and processes of the whole sandbox,
the size of the scratch folder) and counts output as it arrives, and stops
the kernel with a reason the teacher and the student can read in the result.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

KiB, MiB, GiB = 1024, 1024**2, 1024**3
ERROR_NAME = "GradingLimit"  # the ename of every error the sandbox records in a cell
OUTPUT_LIMIT_VARIABLE = "LENINSMOSCOW_OUTPUT_LIMIT"  # tells the kernel's own streams the limit
OUTPUT_EXIT_STATUS = 86  # how the kernel says it stopped at the output limit


@dataclass(frozen=True)
class Limits:
    """Per notebook. Defaults fit the course's notebooks with a wide margin."""

    memory: int = 2 * GiB
    processes: int = 64          # processes and threads, as the kernel counts them
    wall_time: float = 600.0     # seconds for the whole notebook
    output: int = 16 * MiB       # bytes of output the grader accepts
    scratch: int = 256 * MiB     # bytes written to the scratch folder (and the largest file)


def size_text(size: float) -> str:
    """2147483648 -> '2 GiB', in the unit that reads best."""
    for unit, factor in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if size >= factor:
            return f"{size / factor:g} {unit}" if size % factor == 0 else f"{size / factor:.1f} {unit}"
    return f"{int(size)} bytes"


def time_text(seconds: float) -> str:
    """600 -> '10 minutes', 15 -> '15 s'."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes"
    return f"{seconds:g} s"


def reasons(limits: Limits) -> dict[str, str]:
    """The sentence for each limit, as it appears in the graded notebook."""
    return {
        "memory": f"killed: used more than {size_text(limits.memory)} of memory",
        "memory_error": f"stopped: asked for more than {size_text(limits.memory)} of memory",
        "processes": f"killed: started more than {limits.processes} processes",
        "wall_time": f"killed: ran longer than {time_text(limits.wall_time)}",
        "output": f"killed: printed more than {size_text(limits.output)} of output",
        "scratch": f"killed: wrote more than {size_text(limits.scratch)} of files",
    }


class Watcher(threading.Thread):
    """Polls a running kernel and kills it, with a reason, when it passes a limit.

    The rlimits inside the sandbox bound each process; this bounds the sum
    over all of them and the time, which no rlimit can. Twice a second: a scan
    of /proc costs a few milliseconds, and between two scans a kernel that
    forks can pass the memory limit by what it allocates in half a second.
    """

    def __init__(self, pid: int, limits: Limits, scratch: Path | None, interval: float = 0.5):
        super().__init__(name=f"sandbox-watcher-{pid}", daemon=True)
        self.pid = pid
        self.limits = limits
        self.scratch = scratch
        self.interval = interval
        self.reason: str | None = None
        self._stop_event = threading.Event()
        self._lock = threading.Lock()
        self._deadline = time.monotonic() + limits.wall_time
        self._sentences = reasons(limits)

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            reason = self.check()
            if reason:
                self.kill(reason)
                return

    def stop(self) -> None:
        self._stop_event.set()

    def kill(self, reason: str) -> None:
        """Stop the whole sandbox at once; the first reason given is the one recorded."""
        with self._lock:
            if self.reason is None:
                self.reason = reason
        for send in (os.killpg, os.kill):
            try:
                send(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                continue

    def check(self) -> str | None:
        """The reason to stop the kernel now, or None."""
        if time.monotonic() > self._deadline:
            return self._sentences["wall_time"]
        memory, tasks = self._usage()
        if memory > self.limits.memory:
            return self._sentences["memory"]
        if tasks >= self.limits.processes:
            return self._sentences["processes"]
        if self.scratch is not None and scratch_usage(self.scratch) > self.limits.scratch:
            return self._sentences["scratch"]
        return None

    def _usage(self) -> tuple[int, int]:
        """Resident memory and tasks (threads included) of the kernel and all it started."""
        memory = tasks = 0
        for process in process_tree(self.pid):
            try:
                with process.oneshot():
                    memory += process.memory_info().rss
                    tasks += process.num_threads()
            except psutil.Error:
                continue
        return memory, tasks


def process_tree(pid: int) -> list:
    """A process and every process below it, through psutil.

    Kernels start their own sessions, so a process group would miss what a
    kernel started; the parent links do not.
    """
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def descendants(pid: int) -> list[int]:
    """The processes below ``pid``, not ``pid`` itself."""
    return [process.pid for process in process_tree(pid)[1:]]


def scratch_usage(folder: Path, max_entries: int = 20_000) -> int:
    """Bytes under a folder; a folder with absurdly many entries counts as full."""
    total = entries = 0
    stack = [folder]
    while stack:
        try:
            with os.scandir(stack.pop()) as listing:
                for entry in listing:
                    entries += 1
                    if entries > max_entries:
                        return 1 << 62
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_blocks * 512
        except OSError:
            continue
    return total
