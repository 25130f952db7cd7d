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
import re
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
# The benchmark modules (bench_grading.py, bench_widgets.py) sit beside this script: development tools, not
# part of the package students receive.
sys.path.insert(0, str(Path(__file__).resolve().parent))


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

    @property
    def met(self) -> str:
        """"yes" or "no" against the target, "" where the row has none (reference figures)."""
        for pattern, test in TARGETS:
            match = re.fullmatch(pattern, self.target)
            if match:
                return "yes" if test(self, float(match.group(1))) else "no"
        return ""


# How each kind of target in the table is read.
TARGETS = (
    (r"< ([\d.]+) s", lambda row, limit: row.seconds < limit),
    (r"< ([\d.]+) ms", lambda row, limit: row.seconds < limit / 1000),
    (r"floor \+ ([\d.]+) s", lambda row, limit: row.seconds <= row.floor + limit),
    (r"<= ([\d.]+) x floor", lambda row, limit: row.ratio <= limit),
    (r"<= ([\d.]+) \(.*\)", lambda row, limit: row.ratio <= limit),
)


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


# The whole package as a lesson uses it: the data and every widget class. The
# widgets load lazily, so "import leninsmoscow.widgets" alone costs nothing and
# would hide matplotlib and ipywidgets, which the first chart loads.
WHOLE_PACKAGE = ("import leninsmoscow.data\nimport leninsmoscow.widgets as w\n"
                 "for name in w.__all__:\n    getattr(w, name)")


def bench_imports(repeat: int) -> list[Row]:
    floor = median_seconds(lambda: run_quietly(python("import pandas")), repeat)
    rows = []
    for what, code in (("import leninsmoscow", "import leninsmoscow"),
                       ("import leninsmoscow.data", "import leninsmoscow.data"),
                       ("import leninsmoscow.widgets (classes not yet used)", "import leninsmoscow.widgets"),
                       ("the data and every widget class", WHOLE_PACKAGE)):
        seconds = median_seconds(lambda: run_quietly(python(code)), repeat)
        rows.append(Row("import", what, seconds, "import pandas", floor, "close to pandas"))
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


def run_all_seconds(path: Path) -> float:
    """From a fresh kernel's start to the last cell's reply, as "Restart Kernel and Run All Cells".

    Shutting the kernel down comes after the student has the results (0.6 to
    1.1 s here, longer the more the kernel loaded), so it is left out of the
    lesson and of its floor alike. The run is the student's: no network guard.
    """
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        return time.perf_counter() - started


def floor_notebook(folder: Path, name: str, source: str) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def bench_lessons(repeat: int) -> list[Row]:
    lessons = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if not lessons:
        return []
    with tempfile.TemporaryDirectory() as scratch:
        floors = {
            "pandas + package": floor_notebook(Path(scratch), "package", f"import pandas\n{WHOLE_PACKAGE}"),
            "pandas + data module": floor_notebook(Path(scratch), "data", "import pandas\nimport leninsmoscow.data"),
        }
        floor_seconds = {name: median_seconds(lambda: run_all_seconds(path), repeat) for name, path in floors.items()}
    rows = [Row("lessons", "floor: pandas + data module only", floor_seconds["pandas + data module"],
                "pandas + package", floor_seconds["pandas + package"], "(for reference)")]
    for lesson in lessons:
        seconds = median_seconds(lambda: run_all_seconds(lesson), repeat)
        rows.append(Row("lessons", lesson.stem, seconds, "pandas + package", floor_seconds["pandas + package"],
                        "floor + 2 s"))
    return rows


def bench_widgets(repeat: int) -> list[Row]:
    import bench_widgets as widget_benchmarks  # beside this script

    rows = []
    for name, timings in widget_benchmarks.control_change_timings(repeat=max(repeat * 10, 30)).items():
        median, worst = statistics.median(timings), max(timings)
        rows.append(Row("widgets", f"{name}: median", median, "target", 0.030, "< 30 ms"))
        rows.append(Row("widgets", f"{name}: worst", worst, "target", 0.100, "< 100 ms"))
    return rows


def bench_grading(repeat: int) -> list[Row]:
    import bench_grading as grading_benchmark  # beside this script

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
    lines = ["| group | measured | seconds | floor | floor s | ratio | target | met |",
             "|---|---|---:|---|---:|---:|---|---|"]
    for row in rows:
        lines.append(f"| {row.group} | {row.what} | {row.seconds:.3f} | {row.floor_name} | {row.floor:.3f} "
                     f"| {row.ratio:.2f} | {row.target} | {row.met} |")
    return "\n".join(lines)


def record(report: str) -> None:
    """Put the new table in RESULTS.md between its markers, keeping the prose around it."""
    start, end = "<!-- table: written by benchmarks/run.py --write -->", "<!-- end of table -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else f"# Benchmark results\n\n{start}\n{end}\n"
    if start not in text or end not in text:
        raise SystemExit(f"{RESULTS} has lost its table markers; put back {start!r} and {end!r}")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    RESULTS.write_text(f"{before}{start}\n{report}{end}{after}", encoding="utf-8")


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
        record(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
