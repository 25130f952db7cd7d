"""Measure the course's speed against its floors, side by side, in one run.

Every figure is a median of several runs and is printed next to a floor
measured in the same run on the same machine, with their ratio, because a
shared 2-core machine is noisy and only ratios travel. Benchmarks never fail:
they print, and `--write` records the table in benchmarks/RESULTS.md.

    make bench                 # print the table
    make bench ARGS=--write    # and record it
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


@dataclass
class Row:
    group: str
    what: str
    seconds: float
    floor_name: str
    floor: float
    target: str

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor if self.floor else float("nan")


def median_seconds(action, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def run_quietly(command: list[str], **kwargs) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def bench_imports(repeat: int) -> list[Row]:
    floor = median_seconds(lambda: run_quietly(python("import pandas")), repeat)
    rows = []
    for module in ("leninsmoscow", "leninsmoscow.data", "leninsmoscow.widgets"):
        seconds = median_seconds(lambda: run_quietly(python(f"import {module}")), repeat)
        rows.append(Row("import", f"import {module}", seconds, "import pandas", floor, "close to pandas"))
    return rows


def bench_commands(repeat: int) -> list[Row]:
    entry = BIN / "leninsmoscow"
    if not entry.exists():
        return []
    floor = median_seconds(lambda: run_quietly(python("pass")), repeat)
    rows = [Row("command start", "leninsmoscow --help", median_seconds(lambda: run_quietly([str(entry), "--help"]), repeat),
                "python -c pass", floor, "< 1 s")]
    for command in ("release", "collect", "grade", "feedback", "report", "demo"):
        seconds = median_seconds(lambda: run_quietly([str(entry), command, "--help"]), repeat)
        rows.append(Row("command start", f"leninsmoscow {command} --help", seconds, "python -c pass", floor, "< 1 s"))
    return rows


def bench_lessons(repeat: int) -> list[Row]:
    from leninsmoscow.notebook_runner import execute_notebook  # noqa: PLC0415
    import nbformat  # noqa: PLC0415

    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if not lessons:
        return []
    with tempfile.TemporaryDirectory() as scratch:
        floor_path = Path(scratch) / "floor.ipynb"
        floor_nb = nbformat.v4.new_notebook()
        floor_nb.cells = [nbformat.v4.new_code_cell("import pandas\nimport leninsmoscow.data")]
        floor_nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(floor_nb, floor_path)
        floor = median_seconds(lambda: execute_notebook(floor_path), repeat)
    rows = []
    for lesson in lessons:
        seconds = median_seconds(lambda: execute_notebook(lesson), repeat)
        rows.append(Row("lessons", lesson.stem, seconds, "pandas + package", floor, "floor + 2 s"))
    return rows


def bench_widgets(repeat: int) -> list[Row]:
    try:
        from leninsmoscow.widgets import benchmarks as widget_benchmarks  # noqa: PLC0415
    except ImportError:
        return []
    rows = []
    for name, timings in widget_benchmarks.control_change_timings(repeat=max(repeat * 10, 30)).items():
        median, worst = statistics.median(timings), max(timings)
        rows.append(Row("widgets", f"{name}: median", median, "target", 0.030, "< 30 ms"))
        rows.append(Row("widgets", f"{name}: worst", worst, "target", 0.100, "< 100 ms"))
    return rows


def bench_grading(repeat: int) -> list[Row]:
    try:
        from leninsmoscow.teacher import benchmark as grading_benchmark  # noqa: PLC0415
    except ImportError:
        return []
    return [Row("autograde", *row) for row in grading_benchmark.rows(repeat=repeat)]


SECTIONS = {
    "imports": bench_imports,
    "commands": bench_commands,
    "widgets": bench_widgets,
    "lessons": bench_lessons,
    "grading": bench_grading,
}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        model = cpu
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def table(rows: list[Row]) -> str:
    lines = ["| group | measured | seconds | floor | floor s | ratio | target |", "|---|---|---:|---|---:|---:|---|"]
    for row in rows:
        lines.append(
            f"| {row.group} | {row.what} | {row.seconds:.3f} | {row.floor_name} | {row.floor:.3f} | {row.ratio:.2f} | {row.target} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (the median is shown)")
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    parser.add_argument("--write", action="store_true", help="record the table in benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for name in args.only or SECTIONS:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(SECTIONS[name](args.repeat))
        except Exception as error:  # a benchmark never stops the others
            print(f"{name} could not be measured: {error!r}", file=sys.stderr)
    report = f"Machine: {machine()}\nDate: {time.strftime('%Y-%m-%d')}; medians of {args.repeat} runs\n\n{table(rows)}\n"
    print(report)
    if args.write:
        RESULTS.write_text("# Benchmark results\n\nWritten by `make bench ARGS=--write`.\n\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
