"""Long-lived grading processes: nbgrader is imported once per process, not once per student.

Starting ``nbgrader autograde`` costs seconds before the first cell runs. Here
each worker process imports nbgrader once, builds one NbGraderAPI for the
course, then grades student after student with ``api.autograde`` as the
parent hands them out.

The parent keeps the time: a worker that has not finished a student within
the time limit is killed together with its kernel (and whatever the student's
code started) and replaced by a fresh one, so an endless loop or a kernel that
ignores interrupts costs one time limit, never the run. A worker that dies
(the kernel took it down, memory ran out) is replaced the same way. Workers
end themselves when the parent disappears, so killing a run leaves nothing
behind that could write to the gradebook later.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path


class PoolError(Exception):
    """The workers cannot grade at all (nbgrader does not load, the course config is broken)."""


@dataclass
class Outcome:
    """What became of one student's grading."""

    student: str
    ok: bool
    seconds: float
    log: str = ""
    error: str = ""
    killed: str = ""  # why the parent ended the worker, if it did


class _Worker:
    """One grading process and the pipe to it."""

    def __init__(self, context, setup: dict):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=serve, args=(child, os.getpid(), setup), daemon=True)
        self.process.start()
        child.close()
        self.student: str | None = None
        self.started: float | None = None
        self.ready = False

    def give(self, student: str) -> None:
        self.student, self.started = student, None
        self.connection.send(student)

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except OSError:
            pass

    def kill(self) -> None:
        kill_tree(self.process.pid)
        self.process.join(5)
        self.connection.close()


class GradingPool:
    """Grade students with ``jobs`` workers, each student within ``time_limit`` seconds."""

    def __init__(self, setup: dict, jobs: int, time_limit: float):
        self.setup = setup
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []

    def start(self) -> None:
        """Start the workers now, so that they load nbgrader while the caller prepares their work."""
        if not self.workers:
            self.workers = [_Worker(self.context, self.setup) for _ in range(self.jobs)]

    def run(self, students, on_outcome, on_tick=None) -> None:
        """Grade every student; ``on_outcome(outcome)`` may return True to grade that student again.

        ``on_tick()`` is called at least once a second (to redraw a progress bar)."""
        queue = deque(students)
        self.start()
        for spare in self.workers[len(queue):]:
            spare.kill()
        self.workers = self.workers[: max(1, len(queue))]
        try:
            while queue or any(w.student for w in self.workers):
                for worker in self.workers:
                    if worker.student is None and queue:
                        worker.give(queue.popleft())
                for outcome in self._next_outcomes():
                    if on_outcome(outcome):
                        queue.append(outcome.student)
                if on_tick:
                    on_tick()
        finally:
            self.close()

    def close(self) -> None:
        """Let idle workers end on their own; kill those still loading or grading."""
        for worker in self.workers:
            if worker.ready and not worker.student:
                worker.stop()
        for worker in self.workers:
            worker.process.join(2 if worker.ready and not worker.student else 0)
            if worker.process.is_alive():
                worker.kill()
        self.workers = []

    def _next_outcomes(self) -> list[Outcome]:
        """Wait for messages, deaths or deadlines; return the students that ended."""
        busy = [w for w in self.workers if w.student]
        waits = [w.connection for w in busy] + [w.process.sentinel for w in busy]
        deadlines = [w.started + self.time_limit for w in busy if w.started]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else 1.0
        ready = wait(waits, timeout=min(timeout, 1.0))
        outcomes = []
        for worker in list(busy):
            if worker.connection in ready or worker.process.sentinel in ready:
                outcome = self._read(worker)
                if outcome:
                    outcomes.append(outcome)
            if worker.student and worker.started and time.monotonic() - worker.started > self.time_limit:
                outcomes.append(self._replace(worker, f"time limit of {self.time_limit:g} s exceeded"))
        return outcomes

    def _read(self, worker: _Worker) -> Outcome | None:
        try:
            while worker.connection.poll():
                message = worker.connection.recv()
                kind = message[0]
                if kind == "ready":
                    worker.ready = True
                elif kind == "start":
                    worker.started = time.monotonic()
                elif kind == "fatal":
                    self.close()
                    raise PoolError(f"a grading process could not start nbgrader: {message[1]}")
                elif kind == "done":
                    _, student, ok, log, error, seconds = message
                    worker.student, worker.started = None, None
                    return Outcome(student, ok, seconds, log, error)
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            if not worker.ready:
                self.close()
                raise PoolError(f"a grading process ended while starting (exit code {worker.process.exitcode})")
            return self._replace(worker, f"the grading process died (exit code {worker.process.exitcode})")
        return None

    def _replace(self, worker: _Worker, why: str) -> Outcome:
        """End a worker that overran or died, with its kernel, and start a fresh one in its place."""
        student = worker.student
        seconds = time.monotonic() - worker.started if worker.started else 0.0
        worker.kill()
        self.workers[self.workers.index(worker)] = _Worker(self.context, self.setup)
        return Outcome(student, False, seconds, killed=why)


# -- inside a worker ------------------------------------------------------------


def serve(connection, parent_pid: int, setup: dict) -> None:
    """A worker's life: load nbgrader once, then autograde each student the parent sends."""
    signal.signal(signal.SIGINT, lambda *_: None)  # Ctrl-C is the parent's to handle
    _send_output_to(setup.get("log"))
    threading.Thread(target=_end_with_parent, args=(parent_pid,), daemon=True).start()
    try:
        api = _api(setup)
    except BaseException as error:
        lines = traceback.format_exc().strip().splitlines()
        connection.send(("fatal", f"{type(error).__name__}: {error}" if str(error) else lines[-1]))
        return
    connection.send(("ready", os.getpid()))
    while True:
        try:
            student = connection.recv()
        except (EOFError, OSError):
            return
        if student is None:
            return
        connection.send(("start", student))
        started = time.monotonic()
        result = api.autograde(setup["assignment"], student, force=True, create=True)
        connection.send(("done", student, bool(result.get("success")), result.get("log") or "",
                         result.get("error") or "", time.monotonic() - started))


def _api(setup: dict):
    from leninsmoscow.teacher.course import Course, skip_unused_slow_imports

    skip_unused_slow_imports()  # a spawned worker starts with a fresh sys.modules
    os.chdir(setup["root"])
    course = Course(Path(setup["root"]))
    return course.api(setup.get("config"), db_url=setup["db_url"])


def _send_output_to(path: str | None) -> None:
    """Kernels and nbgrader write to this process's stdout and stderr: keep them off the teacher's screen."""
    target = os.open(path or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(target, 1)
    os.dup2(target, 2)
    os.close(target)


def _end_with_parent(parent_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            kill_tree(os.getpid(), include_root=False)
            os._exit(1)


# -- processes ------------------------------------------------------------------


def kill_tree(pid: int, include_root: bool = True) -> None:
    """SIGKILL a process and everything it started (stopped first, so that it starts nothing more)."""
    if include_root:
        _signal(pid, signal.SIGSTOP)
    from leninsmoscow.sandbox.limits import descendants

    for _ in range(2):  # a second pass catches what was being started during the first
        for victim in descendants(pid):
            _signal(victim, signal.SIGKILL)
    if include_root:
        _signal(pid, signal.SIGKILL)


def _signal(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except (ProcessLookupError, PermissionError):
        pass


if sys.platform == "win32":  # pragma: no cover - the course targets Linux and macOS laptops
    raise ImportError("parallel grading needs a POSIX system (Linux or macOS)")
