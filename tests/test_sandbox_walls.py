"""The sandbox's walls, probed from inside with a shell, for both ways it is built.

A teacher's own account builds it in a user namespace; root (containers, CI)
builds it with root's rights and then drops to `nobody`. The hostile class
(test_sandbox_hostile.py) runs as whoever runs the tests; here both ways are
tried, the teacher's one as `nobody` when the tests run as root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from leninsmoscow import sandbox
from leninsmoscow.sandbox import command

pytestmark = [pytest.mark.slow, pytest.mark.needs("bubblewrap")]
ROOT = Path(__file__).resolve().parents[1]
PROBE = r"""
echo "uid=$(id -u)"
touch /x 2>/dev/null && echo root=writable || echo root=read-only
touch /dev/shm/x 2>/dev/null && echo shm=writable || echo shm=read-only
touch "$WORK/x" 2>/dev/null && echo work=writable || echo work=read-only
touch "$ENVDIR/x" 2>/dev/null && echo env=writable || echo env=read-only
head -c 3000000 /dev/zero > /tmp/big 2>/dev/null && echo tmp=unbounded || echo tmp=bounded
[ -e "$COURSE" ] && echo course=visible || echo course=absent
echo "interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ,)"
echo "variables=$(env | cut -d= -f1 | sort | tr '\n' ,)"
/usr/bin/python3 -c '
import os, time
children = []
try:
    for _ in range(40):
        pid = os.fork()
        if pid == 0:
            time.sleep(2)
            os._exit(0)
        children.append(pid)
except OSError:
    pass
print("forked=%d" % len(children))
'
"""


def probe(as_root: bool) -> dict[str, str]:
    """Run the probe in a sandbox built one way; its findings as a dict."""
    private = Path(tempfile.mkdtemp(prefix="leninsmoscow-walls-"))
    try:
        private.chmod(0o755)  # bwrap opens the scratch folder as the teacher (here: nobody)
        scratch, env = private / "scratch", private / "env"
        (scratch / "work").mkdir(parents=True)
        env.mkdir()
        plan = command.Plan(scratch=scratch, workdir=scratch / "work", home=scratch, readonly=(env,),
                            processes=12, tmp_size=1024**2, as_root=as_root,
                            extra_env=(("WORK", str(scratch / "work")), ("ENVDIR", str(env)),
                                       ("COURSE", str(ROOT / "solutions"))))
        become_teacher = []
        if os.geteuid() == 0 and not as_root:
            become_teacher = [command.tool("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups"]
        if os.geteuid() == 0:
            command.hand_over(scratch, plan.workdir)
        argv = [*become_teacher, *command.bwrap_args(plan), *command.inner_prefix(plan), "/bin/sh", "-c", PROBE]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "TEACHERS_TOKEN": "secret"})
        assert result.returncode == 0, result.stderr
        return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    finally:
        shutil.rmtree(private, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def needs_a_sandbox():
    reason = sandbox.problem()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to sandbox grading: {reason}")
        pytest.skip(f"no sandbox on this machine: {reason}")


@pytest.mark.parametrize("as_root", [False, True], ids=["teacher", "root"])
def test_only_the_scratch_folder_and_a_bounded_tmp_can_be_written(as_root):
    if as_root and os.geteuid() != 0:
        pytest.skip("root's way needs root")
    found = probe(as_root)
    assert found["uid"] != "0"
    assert (found["work"], found["tmp"]) == ("writable", "bounded")
    assert (found["root"], found["shm"], found["env"]) == ("read-only",) * 3
    assert found["course"] == "absent"


@pytest.mark.parametrize("as_root", [False, True], ids=["teacher", "root"])
def test_no_network_no_teachers_variables_and_a_process_cap(as_root):
    if as_root and os.geteuid() != 0:
        pytest.skip("root's way needs root")
    found = probe(as_root)
    assert found["interfaces"] == "lo,"
    assert "TEACHERS_TOKEN" not in found["variables"]
    assert 0 < int(found["forked"]) < 12
