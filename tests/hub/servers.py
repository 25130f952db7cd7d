"""Free ports, waiting for servers, and a throw-away PostgreSQL cluster."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

# initdb refuses to run as root; Debian's postgresql package creates this account.
PG_ACCOUNT = "postgres"


def free_port() -> int:
    """A port nothing listens on now: the suites run beside other servers on this machine."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen | None = None, seconds: float = 90) -> None:
    """Return once url answers 200, failing early if the server died.

    A proxy answers 404 before the service behind it has registered its
    routes, so only success counts as up.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode} before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:  # refused, or an HTTPError from the proxy
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {seconds} s")


def stop(process: subprocess.Popen, seconds: float = 20) -> None:
    """SIGTERM, then SIGKILL: only the process this suite started, never by name."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(seconds)


def pg_bindir() -> Path:
    """Where Debian's postgresql puts initdb and pg_ctl (they are not on PATH there)."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL's server is not installed: run `bash .ci/system-packages` (Debian's postgresql)")
    return Path(versions[-1]).parent


@contextlib.contextmanager
def postgres_cluster(database: str = "gradebook"):
    """A PostgreSQL server of its own in a temporary folder; yields a SQLAlchemy URL.

    As root it runs as the unprivileged `postgres` account (initdb refuses
    root); otherwise as the developer running the tests. It trusts connections
    from loopback only and keeps its socket in its own folder, so it never
    meets a system cluster. Durability is switched off: a test's data lives
    for seconds.
    """
    bindir = pg_bindir()
    top = Path(tempfile.mkdtemp(prefix="lm-pg-"))
    data, log = top / "data", top / "server.log"
    as_pg = {"cwd": top, "check": True, "capture_output": True,
             "env": {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}}
    if os.geteuid() == 0:
        account = pwd.getpwnam(PG_ACCOUNT)
        os.chown(top, account.pw_uid, account.pw_gid)
        as_pg.update(user=account.pw_uid, group=account.pw_gid)
    port = free_port()
    try:
        subprocess.run([bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--no-sync"], **as_pg)
        options = f"-p {port} -k {top} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run([bindir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"], **as_pg)
        subprocess.run([bindir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                        database], **as_pg)
        yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").decode(errors="replace")
        if log.exists():
            detail += log.read_text(errors="replace")
        raise RuntimeError(f"PostgreSQL failed: {error.cmd}\n{detail}") from error
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                           **{**as_pg, "check": False})
        shutil.rmtree(top, ignore_errors=True)
