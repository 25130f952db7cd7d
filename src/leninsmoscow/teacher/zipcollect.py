"""nbgrader's zip_collect, fed only files the course has checked and placed.

nbgrader's ZipCollectApp extracts an export, asks a FileNameCollectorPlugin
for the student and notebook of each file, and copies the files into
submitted/<student>/<assignment>/. Its own extractor unpacks archives inside
archives, follows links and writes under the names in the export, and its
collector trusts any file name. So here:

- the export is listed and planned first (:mod:`.exports`, :mod:`.lms`): a zip
  bomb is refused before anything is written, and every file is placed by the
  export's structure or rejected with a reason;
- the extractor plugin writes only the placed files, each under the name
  ``<student>/<notebook>``, counting the bytes it writes;
- the collector reads those names back, so nbgrader's transfer into
  submitted/ is nbgrader's own, on files that cannot surprise it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps.zipcollectapp import ZipCollectApp
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.zipcollect import ExtractorPlugin, FileNameCollectorPlugin
from nbgrader.utils import capture_log

from . import exports, lms


@dataclass
class Collected:
    placements: list = field(default_factory=list)
    rejections: list = field(default_factory=list)
    conflicts: dict = field(default_factory=dict)


class PlannedExtractor(ExtractorPlugin):
    """Writes the planned files only, as <student>/<notebook>, each within its size limit."""

    def prepare(self, export: Path, planned: lms.Plan, limits: exports.CollectLimits) -> None:
        self.export, self.planned, self.limits = export, planned, limits

    def extract(self, archive_path: str, extracted_path: str) -> None:
        written = []
        for placement in self.planned.placements:
            target = Path(extracted_path) / placement.student / placement.notebook
            try:
                exports.copy_out(self.export, placement.entry, target, self.limits.notebook)
            except (exports.TooLarge, OSError, KeyError, ValueError) as problem:
                self.planned.rejections.append(lms.Rejection(placement.source, f"not collected: {problem}"))
                continue
            written.append(placement)
        self.planned.placements = written


class PlannedZipCollect(ZipCollectApp):
    """nbgrader's ZipCollectApp with the planned extractor and collector."""

    def __init__(self, export: Path, planned: lms.Plan, limits: exports.CollectLimits, **kwargs):
        super().__init__(**kwargs)
        self.plan_to_extract = (export, planned, limits)
        self.extractor_plugin = PlannedExtractor
        self.collector_plugin = PlacedCollector

    def init_plugins(self):
        super().init_plugins()
        self.extractor_plugin_inst.prepare(*self.plan_to_extract)


class PlacedCollector(FileNameCollectorPlugin):
    """Student and notebook of a file the extractor wrote as <student>/<notebook>."""

    def collect(self, submitted_file: str):
        path = Path(submitted_file)
        return {"student_id": path.parent.name, "file_id": path.name}


def collect(course, assignment: str, export: Path, patterns: list[str] | None = None,
            limits: exports.CollectLimits = exports.CollectLimits()) -> Collected:
    """Place the notebooks of one export (a folder or a zip) into submitted/.

    Raises exports.ExportRefused, before writing anything, for an export that
    would expand too far, and RuntimeError when nbgrader's transfer fails.
    """
    planned = lms.plan(exports.entries(export, limits), course.notebooks(assignment), patterns, limits)
    with tempfile.TemporaryDirectory(prefix="leninsmoscow-collect-") as work:
        (Path(work) / assignment / "archive").mkdir(parents=True)
        config = course.nbgrader_config({
            "ZipCollectApp": {
                "collect_directory_structure": work.replace("{", "{{").replace("}", "}}")
                + "/{assignment_id}/{collect_step}",
                "force": True,
            },
            "ExtractorPlugin": {"force": True},
        })
        app = PlannedZipCollect(export, planned, limits, config=config)
        app.coursedir = CourseDirectory(config=config)
        app.coursedir.assignment_id = assignment
        app.log.handlers = []
        app.log.propagate = False
        result = capture_log(app)
        if not result.get("success"):
            raise RuntimeError(_failure(result))
    return Collected(planned.placements, sorted(planned.rejections, key=lambda r: r.source), planned.conflicts)


def _failure(result: dict) -> str:
    lines = [line for line in (result.get("log") or "").splitlines() if "ERROR" in line]
    return lines[-1].split("]", 1)[-1].strip() if lines else (result.get("error") or "unknown error").strip().splitlines()[-1]
