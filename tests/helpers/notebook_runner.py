"""Run a lesson notebook in a fresh kernel and report what a student would have seen go wrong.

The course promises to work offline and without errors, so a run collects
three kinds of trouble instead of stopping at the first:

* error outputs (tracebacks),
* anything written to stderr (warnings included: students see them too),
* network attempts: a guard cell injected before the lesson installs an audit
  hook (PEP 578) that records every socket connection, name lookup, urllib
  request and http.client connection to a host other than loopback, and a
  report cell injected after the last cell prints what it recorded.

The lesson tests and CI share this module, so a lesson is judged the
same way everywhere. Nothing is blocked: recording (rather than refusing)
means one run lists every attempt, not just the first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "LENINSMOSCOW-NETWORK-ATTEMPTS:"
GUARD_TAG = "leninsmoscow-guard"

GUARD_SOURCE = r'''
def _leninsmoscow_install_network_guard():
    """Record (never block) network attempts to hosts other than loopback."""
    import ipaddress
    import socket
    import sys
    import urllib.parse

    attempts = []

    def is_local(host):
        if host is None:
            return True
        if isinstance(host, (bytes, bytearray)):
            host = host.decode("ascii", "replace")
        host = str(host).strip().strip("[]").lower()
        if host in ("", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"):
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def host_of(event, args):
        if event in ("socket.connect", "socket.sendto"):
            sock, address = args[0], args[1]
            if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
                return None  # a Unix socket is not the network
            return address[0] if isinstance(address, tuple) else address
        if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
            return args[0]
        if event == "http.client.connect":
            return args[1]
        if event == "urllib.Request":
            parts = urllib.parse.urlsplit(str(args[0]))
            return None if parts.scheme in ("file", "data", "") else parts.hostname
        return None

    def hook(event, args):
        if not (event.startswith("socket.") or event.startswith("http.client.") or event == "urllib.Request"):
            return
        try:
            host = host_of(event, args)
            if host is not None and not is_local(host):
                attempts.append(f"{event} {host!s}")
        except Exception as error:  # never break the lesson because of the guard
            attempts.append(f"{event} (could not read the address: {error!r})")

    sys._leninsmoscow_network_attempts = attempts
    sys.addaudithook(hook)


_leninsmoscow_install_network_guard()
del _leninsmoscow_install_network_guard
'''

REPORT_SOURCE = f"""
import json as _leninsmoscow_json, sys as _leninsmoscow_sys
print({MARKER!r} + _leninsmoscow_json.dumps(getattr(_leninsmoscow_sys, "_leninsmoscow_network_attempts", None)))
"""


@dataclass
class NotebookRun:
    """What happened when a notebook ran: the executed notebook and its troubles."""

    path: Path
    notebook: object  # nbformat.NotebookNode, guard cells removed
    errors: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.stderr or self.network)

    def problems(self) -> str:
        """A report a lesson author can act on, one problem a line."""
        lines = [f"{self.path.name}: {line}" for line in self.errors]
        lines += [f"{self.path.name}: wrote to stderr: {line}" for line in self.stderr]
        lines += [f"{self.path.name}: tried to reach the network: {line} (the course must run offline)"
                  for line in self.network]
        return "\n".join(lines)


def guarded(notebook):
    """A copy of the notebook with the guard cell first and the report cell last."""
    import copy

    import nbformat

    notebook = copy.deepcopy(notebook)
    guard = nbformat.v4.new_code_cell(GUARD_SOURCE.strip())
    report = nbformat.v4.new_code_cell(REPORT_SOURCE.strip())
    for cell in (guard, report):
        cell.metadata["tags"] = [GUARD_TAG]
    notebook.cells = [guard, *notebook.cells, report]
    return notebook


def execute_notebook(path, timeout: int = 120, kernel_name: str = "python3") -> NotebookRun:
    """Run ``path`` in a fresh kernel, in its own folder, between the guard cells.

    Cell errors do not stop the run (every one is reported); a cell that runs
    past ``timeout`` seconds or a kernel that dies raises nbclient's error.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    notebook = guarded(nbformat.read(path, as_version=4))
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    client.execute()
    return _judge(path, notebook)


def _judge(path: Path, notebook) -> NotebookRun:
    guard_cells = [cell for cell in notebook.cells if GUARD_TAG in cell.metadata.get("tags", [])]
    lesson = [cell for cell in notebook.cells if GUARD_TAG not in cell.metadata.get("tags", [])]
    run = NotebookRun(path=path, notebook=notebook)
    for cell in guard_cells[:1]:
        run.errors += [f"the network guard failed: {line}" for line in _errors(cell)]
    for number, cell in enumerate(lesson):
        if cell.cell_type != "code":
            continue
        where = f"cell {number} ({_first_line(cell.source)})"
        run.errors += [f"{where}: {line}" for line in _errors(cell)]
        run.stderr += [f"{where}: {output.get('text', '').strip()}" for output in cell.outputs
                       if output.output_type == "stream" and output.name == "stderr"]
    run.network = _network_report(guard_cells[-1], run)
    notebook.cells = lesson
    return run


def _errors(cell) -> list[str]:
    return [f"{output.ename}: {output.evalue}" for output in cell.get("outputs", []) if output.output_type == "error"]


def _first_line(source: str) -> str:
    line = source.strip().splitlines()[0] if source.strip() else ""
    return line if len(line) <= 60 else line[:57] + "..."


def _network_report(report_cell, run: NotebookRun) -> list[str]:
    text = "".join(output.get("text", "") for output in report_cell.outputs
                   if output.output_type == "stream" and output.name == "stdout")
    for line in text.splitlines():
        if line.startswith(MARKER):
            attempts = json.loads(line[len(MARKER):])
            if attempts is None:
                run.errors.append("the network guard was not installed, so network use was not checked")
                return []
            return list(attempts)
    run.errors.append("the network report cell printed nothing (did the kernel restart or exit?)")
    return []
