"""JupyterHub on 127.0.0.1 with the course's configuration, started and stopped by a test."""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import requests

from .servers import free_port, stop, wait_for_http

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DEPLOY = HERE.parents[1] / "deploy" / "jupyterhub"
PROXY = HERE.parents[1] / ".venv" / "hub-node" / "node_modules" / ".bin" / "configurable-http-proxy"


@dataclass
class Hub:
    """A running hub: its public address, the tester's token, and its process."""

    url: str
    token: str
    process: subprocess.Popen
    log: Path

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        """A request to the hub's REST API, as the tester unless another token is given."""
        headers = {"Authorization": f"token {token or self.token}"}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kwargs)

    def call(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        """A request through the proxy (a user's server or a service), as the token's owner."""
        headers = {"Authorization": f"token {token}"}
        kwargs.setdefault("allow_redirects", False)
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=300, **kwargs)

    def token_for(self, user: str) -> str:
        """An API token of the user's own, with the user's permissions and no more."""
        response = self.api("POST", f"/users/{user}/tokens", json={"note": "test", "expires_in": 3600})
        response.raise_for_status()
        return response.json()["token"]

    def start_servers(self, users: list[str], seconds: float = 180) -> None:
        """Ask for every user's server at once, then wait until all are ready."""
        for user in users:
            response = self.api("POST", f"/users/{user}/server")
            assert response.status_code in (201, 202), response.text
        deadline = time.monotonic() + seconds
        waiting = set(users)
        while waiting and time.monotonic() < deadline:
            for user in sorted(waiting):
                server = self.api("GET", f"/users/{user}").json()["servers"].get("", {})
                if server.get("ready"):
                    waiting.discard(user)
            time.sleep(0.5)
        if waiting:
            raise RuntimeError(f"servers of {sorted(waiting)} not ready in {seconds} s; see {self.log}")


def measure(hub: Hub) -> dict[str, dict[str, float]]:
    """Resident memory (MiB) and CPU seconds so far of the hub, its proxy and each user's server.

    Kernels are not included: each notebook a student opens adds one.
    """
    found = {"hub": _usage(psutil.Process(hub.process.pid))}
    for process in psutil.Process(hub.process.pid).children():
        with contextlib.suppress(psutil.Error):
            name = process.environ().get("JUPYTERHUB_USER") or ("proxy" if "node" in process.name() else None)
            if name:
                found[name] = _usage(process)
    return found


def _usage(process: psutil.Process) -> dict[str, float]:
    cpu = process.cpu_times()
    return {"rss_mib": round(process.memory_info().rss / 2**20, 1), "cpu_s": round(cpu.user + cpu.system, 2)}


def write_roster(path: Path, roster: dict[str, str]) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "role"])
        writer.writerows(sorted(roster.items()))
    return path


@contextlib.contextmanager
def running_hub(workdir: Path, roster: dict[str, str], course_dir: Path, db_url: str):
    """JupyterHub with the deployed configuration (tests/hub/jupyterhub_config.py says what
    differs), and the course's formgrader beside it, as deployed (deploy/jupyterhub/formgrader).

    On the way out both are stopped; the hub stops the servers it spawned, and
    any process of either tree still alive after that is killed by its id.
    """
    if not PROXY.exists():
        raise RuntimeError(f"configurable-http-proxy is missing: npm install --prefix {PROXY.parents[2]} "
                           "configurable-http-proxy (make test does it)")
    workdir.mkdir(parents=True, exist_ok=True)
    exchange, homes = workdir / "exchange", workdir / "homes"
    exchange.mkdir()
    exchange.chmod(0o1777)  # as nbgrader's guide sets it up: every user writes, nobody removes others' files
    homes.mkdir()
    port, hub_port, formgrader_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(16)
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "LENINSMOSCOW_"))},
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "LENINSMOSCOW_ROSTER": str(write_roster(workdir / "roster.csv", roster)),
        "LENINSMOSCOW_EXCHANGE": str(exchange),
        "LENINSMOSCOW_FORMGRADER_PORT": str(formgrader_port),
        "LENINSMOSCOW_FORMGRADER_TOKEN": secrets.token_hex(16),
        "LENINSMOSCOW_TEST_HOMES": str(homes),
        "LENINSMOSCOW_TEST_TOKEN": token,
        # Every process of this run carries it (the test config passes it to users' servers),
        # so teardown finds what a crashed hub would leave behind.
        "LENINSMOSCOW_TEST_RUN": secrets.token_hex(8),
    }
    command = [
        str(BIN / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py"),
        "--ip=127.0.0.1", f"--port={port}", f"--JupyterHub.hub_port={hub_port}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}",
    ]
    formgrader_env = {
        **env,
        "LENINSMOSCOW_DB_URL": db_url,
        "LENINSMOSCOW_COURSE_DIR": str(course_dir),
        "LENINSMOSCOW_HUB_API_URL": f"http://127.0.0.1:{hub_port}/hub/api",
    }
    log = workdir / "jupyterhub.log"
    processes: list[subprocess.Popen] = []
    try:
        with open(log, "w") as out:
            processes.append(subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT))
        hub = Hub(url=f"http://127.0.0.1:{port}", token=token, process=processes[0], log=log)
        wait_for_http(f"{hub.url}/hub/api", processes[0], seconds=120)
        with open(workdir / "formgrader.log", "w") as out:
            processes.append(subprocess.Popen([str(DEPLOY / "formgrader"), "--allow-root"], env=formgrader_env,
                                              stdout=out, stderr=subprocess.STDOUT))
        wait_for_http(f"http://127.0.0.1:{formgrader_port}/services/leninsmoscow/api", processes[1], seconds=120)
        yield hub
    finally:
        for process in reversed(processes):
            stop(process, seconds=60)  # the hub stops its proxy and its users' servers itself
        _kill_leftovers(env["LENINSMOSCOW_TEST_RUN"])


def _kill_leftovers(run: str) -> None:
    """Kill, by id, any process of this run still alive (one whose environment carries its marker)."""
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if process.environ().get("LENINSMOSCOW_TEST_RUN") == run:
                process.kill()
