"""The grading sandbox, piece by piece: its command line, its refusals, its limits.

These need neither bubblewrap nor a kernel; the real sandboxed runs are in
test_sandbox_hostile.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from leninsmoscow import sandbox
from leninsmoscow.sandbox import command
from leninsmoscow.sandbox.limits import Limits, reasons, scratch_usage

ROOT = Path(__file__).resolve().parents[1]


def make_plan(tmp_path: Path, **changes) -> command.Plan:
    scratch = tmp_path / "private" / "scratch"
    (scratch / "work").mkdir(parents=True)
    env = tmp_path / "env"
    env.mkdir()
    return command.Plan(scratch=scratch, workdir=scratch / "work", home=scratch / "home",
                        readonly=(env,), memory=123_000_000, processes=17, file_size=4_000_000, **changes)


def pairs(argv: list[str], option: str) -> list[tuple[str, str]]:
    return [(argv[i + 1], argv[i + 2]) for i, arg in enumerate(argv) if arg == option]


def test_the_kernel_gets_no_network_no_processes_and_no_environment_of_the_teachers(tmp_path):
    argv = command.kernel_argv(make_plan(tmp_path, as_root=False))
    sandbox_options = argv[:argv.index("--")]
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-user", "--die-with-parent", "--new-session",
                 "--clearenv"):
        assert flag in sandbox_options
    assert ("HOME", str(tmp_path / "private" / "scratch" / "home")) in pairs(argv, "--setenv")
    kernel = argv[argv.index("ipykernel_launcher") - 2:]
    assert kernel[0] == sys.executable and kernel[3:5] == ["-f", "{connection_file}"]
    assert "--IPKernelApp.outstream_class=leninsmoscow.sandbox.kernel.LimitedOutStream" in kernel


def test_only_the_scratch_folder_is_writable_and_the_environment_is_read_only(tmp_path):
    plan = make_plan(tmp_path, as_root=False)
    argv = command.kernel_argv(plan)
    assert pairs(argv, "--bind") == [(str(plan.scratch), str(plan.scratch))]
    assert (str(tmp_path / "env"),) * 2 in pairs(argv, "--ro-bind")
    assert ("--chdir", str(plan.workdir)) == tuple(argv[argv.index("--chdir"):argv.index("--chdir") + 2])
    mounted = {dest for _, dest in pairs(argv, "--ro-bind") + pairs(argv, "--bind")}
    assert not any(Path(dest) == ROOT or Path(dest) in ROOT.parents for dest in mounted)


def test_the_limits_are_set_inside_the_sandbox(tmp_path):
    argv = command.kernel_argv(make_plan(tmp_path, as_root=False))
    inner = argv[argv.index("--") + 1:]
    assert inner[0].endswith("prlimit")
    assert {"--as=123000000", "--nproc=17", "--fsize=4000000", "--core=0"} <= set(inner)


def test_root_grades_as_nobody_in_a_user_namespace_of_its_own(tmp_path):
    argv = command.kernel_argv(make_plan(tmp_path, as_root=True))
    inner = argv[argv.index("--") + 1:]
    assert "--unshare-user" not in argv[:argv.index("--")]  # bwrap mounts with root's rights...
    assert ["--cap-drop", "ALL"] == argv[argv.index("--cap-drop"):argv.index("--cap-drop") + 2]
    assert inner[0].endswith("setpriv") and "--reuid=65534" in inner  # ...then the kernel is nobody
    assert inner[inner.index("--inh-caps=-all") + 1].endswith("unshare") and "--user" in inner


def test_folders_above_a_mount_are_made_readable_for_the_unprivileged_kernel():
    args = command.with_parents([["--ro-bind", "/opt/env", "/opt/env"],
                                 ["--tmpfs", "/opt/env/private"],
                                 ["--bind", "/tmp/x/scratch", "/tmp/x/scratch"]])
    assert args[:4] == ["--perms", "0755", "--dir", "/opt"]
    assert "/opt/env" not in pairs(args, "--dir")  # inside a bind: it is there already
    assert args.count("--dir") == 3  # /opt, /tmp, /tmp/x


def test_a_mount_that_would_show_the_teachers_home_or_the_course_is_refused(tmp_path):
    home, course = tmp_path / "home", tmp_path / "home" / "course"
    command.check_exposure([course / ".venv", tmp_path / "python"], private=[home, course])
    for exposing in (home, course, tmp_path):
        with pytest.raises(sandbox.SandboxUnavailable, match="private files"):
            command.check_exposure([exposing], private=[home, course])


def test_private_course_folders_inside_a_mount_are_hidden(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "gradebook.db").write_text("")
    hidden = command.hidden_inside([tmp_path], [tmp_path / "solutions", tmp_path / "gradebook.db",
                                                tmp_path / "absent", Path("/elsewhere/solutions")])
    assert hidden == (tmp_path / "solutions", tmp_path / "gradebook.db")
    masks = command.mask_args(hidden)
    assert masks[0][-2:] == ["--tmpfs", str(tmp_path / "solutions")]
    assert masks[1] == ["--ro-bind", "/dev/null", str(tmp_path / "gradebook.db")]


def test_the_environment_comes_from_the_kernels_python_not_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    command.environment_paths.cache_clear()
    paths = command.environment_paths(sys.executable)
    assert Path(sys.prefix).resolve() in [p.resolve() for p in paths] or any(
        p in Path(sys.prefix).resolve().parents for p in paths)
    assert tmp_path not in paths and Path.cwd() not in paths


def test_without_a_sandbox_grading_refuses_naming_the_risk_and_the_flag(monkeypatch):
    monkeypatch.setattr(sandbox.platform, "system", lambda: "Darwin")
    sandbox.problem.cache_clear()
    try:
        with pytest.raises(sandbox.SandboxUnavailable) as refused:
            sandbox.require()
    finally:
        sandbox.problem.cache_clear()
    message = str(refused.value)
    for words in ("needs Linux", "Darwin", "solutions/", "gradebook", "--no-sandbox"):
        assert words in message


def test_a_missing_bubblewrap_is_named_with_its_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(sandbox.SandboxUnavailable, match="`bwrap` is not installed.*bubblewrap"):
        command.tool("bwrap")


def test_the_autograde_pipeline_keeps_its_steps_with_execute_sandboxed():
    from traitlets.config import PyFileConfigLoader

    from leninsmoscow.grading import pipeline

    course = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    before = list(course.Autograde.autograde_preprocessors)
    config = sandbox.nbgrader_config(course, limits=Limits(memory=5))
    after = config.Autograde.autograde_preprocessors
    assert after[before.index(pipeline.EXECUTE)] == pipeline.SANDBOXED_EXECUTE
    assert all(isinstance(step, str) for step in after)  # plain data for the worker processes
    assert [s for s in after if s != pipeline.SANDBOXED_EXECUTE] == [s for s in before if s != pipeline.EXECUTE]
    assert config.SandboxedExecute.sandbox is True and config.SandboxedExecute.memory_limit == 5
    assert sandbox.nbgrader_config(enabled=False).SandboxedExecute.sandbox is False


def test_limit_reasons_read_as_sentences():
    said = reasons(Limits())
    assert said["memory"] == "killed: used more than 2 GiB of memory"
    assert said["wall_time"] == "killed: ran longer than 10 minutes"
    assert said["output"] == "killed: printed more than 16 MiB of output"
    assert said["processes"] == "killed: started more than 64 processes"
    assert reasons(Limits(wall_time=12, output=1536 * 1024))["output"].endswith("1.5 MiB of output")


def test_incidents_are_read_back_from_the_graded_notebook(tmp_path):
    from leninsmoscow.sandbox.execute import limit_error

    notebook = nbformat.v4.new_notebook()
    first, second = nbformat.v4.new_code_cell("x"), nbformat.v4.new_code_cell("y")
    first.outputs = [limit_error("killed: used more than 2 GiB of memory")]
    second.outputs = [limit_error("not run: the notebook was stopped earlier (...)")]
    notebook.cells = [first, second]
    nbformat.write(notebook, tmp_path / "graded.ipynb")
    assert sandbox.incidents(tmp_path / "graded.ipynb") == ["killed: used more than 2 GiB of memory"]


def test_output_is_counted_in_every_form_it_arrives():
    from leninsmoscow.sandbox.execute import message_size

    text = message_size({"msg_type": "stream", "content": {"name": "stdout", "text": "abc"}})
    assert 3 < text < 40
    bulky = 50 * 1024**2
    # every part the kernel can fill counts, not only the data
    for content in ({"data": {"text/plain": "x"}, "metadata": {"x": "m" * bulky}},
                    {"data": {}, "metadata": {}, "transient": {"display_id": "d" * bulky}},
                    {"ename": "E" * bulky, "evalue": "", "traceback": []},
                    {"ename": "E", "evalue": "v" * bulky, "traceback": []}):
        assert message_size({"msg_type": "display_data", "content": content}) > bulky
    assert message_size({"msg_type": "display_data", "content": {}, "metadata": {"m": "x" * bulky}}) > bulky
    assert message_size({"msg_type": "comm_msg", "content": {"data": {}}, "buffers": [b"1" * bulky]}) > bulky
    assert message_size({"msg_type": "status", "content": {"execution_state": "idle"}}) == 0


def test_scratch_usage_counts_bytes_and_treats_a_swarm_of_files_as_full(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 100_000)
    assert 100_000 <= scratch_usage(tmp_path) < 200_000
    for index in range(30):
        (tmp_path / f"f{index}").touch()
    assert scratch_usage(tmp_path, max_entries=20) > 2**60


def test_removing_a_scratch_folder_never_follows_a_students_link(tmp_path):
    from leninsmoscow.sandbox.execute import remove_tree

    outside = tmp_path / "teachers-file"
    outside.write_text("mine")
    outside.chmod(0o600)
    scratch = tmp_path / "scratch"
    (scratch / "locked" / "deep").mkdir(parents=True)
    (scratch / "link").symlink_to(outside)
    (scratch / "dirlink").symlink_to(tmp_path)
    (scratch / "locked").chmod(0)
    remove_tree(scratch)
    assert not scratch.exists()
    assert outside.read_text() == "mine" and (outside.stat().st_mode & 0o777) == 0o600


def test_grade_refuses_without_a_sandbox_and_names_the_mode_it_runs_in(monkeypatch):
    from traitlets.config import Config

    from leninsmoscow.teacher import grading
    from leninsmoscow.teacher.course import CourseError

    class Course:
        def nbgrader_config(self):
            return Config()

    monkeypatch.setattr(sandbox, "problem", lambda: "no bubblewrap here")
    with pytest.raises(CourseError, match="no bubblewrap here.*--no-sandbox"):
        grading.kernel_config(Course(), sandboxed=True, say=lambda _: None)
    said = []
    config = grading.kernel_config(Course(), sandboxed=False, say=said.append)
    assert said == [f"students' code runs {sandbox.mode(False)}"] and "WITHOUT a sandbox" in said[0]
    assert config.SandboxedExecute.sandbox is False
    from leninsmoscow.grading import pipeline

    assert config.Autograde.autograde_preprocessors == pipeline.autograde(sandboxed=True)


def test_folders_left_by_a_killed_grader_are_swept_and_live_ones_kept(tmp_path):
    import subprocess

    from leninsmoscow.sandbox.execute import PRIVATE_PREFIX, sweep_stale

    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / f"{PRIVATE_PREFIX}{gone.pid}-abc"
    live = tmp_path / f"{PRIVATE_PREFIX}{os.getpid()}-def"
    other = tmp_path / "leninsmoscow-grading-notes"
    for folder in (stale / "scratch", live, other):
        folder.mkdir(parents=True)
    sweep_stale(tmp_path)
    assert not stale.exists() and live.exists() and other.exists()


def test_a_process_tree_is_found_and_killed_whole(tmp_path):
    """Through psutil: what a kernel started in its own session is still below it, and dies with it."""
    import subprocess
    import time

    from leninsmoscow.sandbox.limits import descendants, process_tree
    from leninsmoscow.teacher.workers import kill_tree

    root = subprocess.Popen(["sh", "-c", "setsid sleep 60 & sleep 60 & wait"])
    try:
        deadline = time.monotonic() + 10
        while len(descendants(root.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        below = descendants(root.pid)
        assert len(below) == 2 and root.pid not in below
        assert [process.pid for process in process_tree(root.pid)] == [root.pid, *below]
        kill_tree(root.pid)
        root.wait(timeout=10)
        time.sleep(0.2)
        assert not [pid for pid in below if psutil_alive(pid)]
    finally:
        if root.poll() is None:
            root.kill()
    assert process_tree(root.pid) == [] and descendants(root.pid) == []


def psutil_alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_finding_the_course_data_to_mount_does_not_load_pandas():
    """The grade command and each worker ask for the data folder first: pandas would cost them a second."""
    probe = ("import sys; from leninsmoscow.sandbox import command; folder = command.course_data()[0]; "
             "print((folder / 'dictionary.csv').is_file(), 'pandas' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["True", "False"]
