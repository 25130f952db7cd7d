"""nbgrader's zip_collect, taught the course's file names and made to explain itself.

nbgrader's ZipCollectApp extracts an export, asks a FileNameCollectorPlugin
for the student and notebook of each file, and copies the files into
submitted/<student>/<assignment>/. Three things are added here:

- the collector reads the layouts of :mod:`.lms` (or the teacher's pattern);
- a file that cannot be placed is remembered with its reason instead of only
  being logged, so the teacher gets one list of everything left out;
- duplicates are settled before nbgrader sees them (the newest file wins, by
  the time stored in the zip or on disk), where nbgrader would stop the whole
  import for want of a timestamp in the file name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps.zipcollectapp import ZipCollectApp
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.zipcollect import ExtractorPlugin, FileNameCollectorPlugin
from nbgrader.utils import capture_log
from traitlets import List, Unicode

from . import lms


@dataclass
class Collected:
    placements: list = field(default_factory=list)
    rejections: list = field(default_factory=list)


class TimedExtractor(ExtractorPlugin):
    """nbgrader's extractor, keeping each file's time (from the zip entry or the original file)."""

    def extract(self, archive_path: str, extracted_path: str) -> None:
        super().extract(archive_path, extracted_path)
        restore_times(Path(archive_path), Path(extracted_path), self.zip_ext)


def restore_times(archive: Path, extracted: Path, zip_ext) -> None:
    """nbgrader copies and unzips without keeping times; put them back so age settles duplicates."""
    for path in archive.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(archive)
        if path.suffix in zip_ext and zipfile.is_zipfile(path):
            folder = extracted / relative.parent / path.stem
            with zipfile.ZipFile(path) as export:
                for member in export.infolist():
                    target = folder / member.filename
                    if target.is_file():
                        stamp = time.mktime(member.date_time + (0, 0, -1))
                        os.utime(target, (stamp, stamp))
        elif (extracted / relative).is_file():
            shutil.copystat(path, extracted / relative)


class LmsCollector(FileNameCollectorPlugin):
    """Student and notebook from a file's path inside the export (see :mod:`leninsmoscow.teacher.lms`)."""

    notebooks = List(Unicode()).tag(config=True)
    patterns = List(Unicode()).tag(config=True)
    extracted_root = Unicode("").tag(config=True)

    def relative(self, submitted_file: str) -> str:
        return Path(submitted_file).relative_to(self.extracted_root).as_posix()

    def collect(self, submitted_file: str):
        result = lms.parse(self.relative(submitted_file), self.notebooks, self.patterns or None)
        if isinstance(result, lms.Rejection):
            return None
        return {"student_id": result.student, "file_id": result.notebook}


class LmsZipCollect(ZipCollectApp):
    """ZipCollectApp that settles duplicates itself and keeps every rejection with its reason."""

    def _collect_files(self, src_files):
        collector = self.collector_plugin_inst
        files = [(collector.relative(path), os.path.getmtime(path)) for path in src_files]
        placements, rejections = lms.plan(files, collector.notebooks, collector.patterns or None)
        self.collected = Collected(placements, rejections)
        kept = [os.path.join(collector.extracted_root, placement.source) for placement in placements]
        return super()._collect_files(sorted(kept))


def collect(course, assignment: str, export: Path, patterns: list[str] | None = None) -> Collected:
    """Place the notebooks of one export (a folder or a zip) into submitted/."""
    with tempfile.TemporaryDirectory(prefix="leninsmoscow-collect-") as work:
        work = Path(work)
        archive = work / assignment / "archive"
        archive.mkdir(parents=True)
        if export.is_dir():
            shutil.copytree(export, archive / export.name, copy_function=shutil.copy2)
        else:
            shutil.copy2(export, archive / export.name)
        config = course.nbgrader_config({
            "ZipCollectApp": {
                "collect_directory_structure": str(work).replace("{", "{{").replace("}", "}}")
                + "/{assignment_id}/{collect_step}",
                "force": True,
            },
            "ExtractorPlugin": {"force": True},
            "LmsCollector": {
                "notebooks": course.notebooks(assignment),
                "patterns": list(patterns or []),
                # paths are read as the teacher sees them inside the export
                "extracted_root": str(work / assignment / "extracted" / top_folder(export)),
            },
        })
        app = LmsZipCollect(config=config)
        app.collector_plugin = LmsCollector
        app.extractor_plugin = TimedExtractor
        app.coursedir = CourseDirectory(config=config)
        app.coursedir.assignment_id = assignment
        app.log.handlers = []
        app.log.propagate = False
        result = capture_log(app)
        if not result.get("success"):
            raise RuntimeError(_failure(result))
        return getattr(app, "collected", Collected())


def top_folder(export: Path) -> str:
    """The folder nbgrader's extractor puts an export in: the zip's name without .zip, or the folder's."""
    return export.name if export.is_dir() else export.stem


def _failure(result: dict) -> str:
    lines = [line for line in (result.get("log") or "").splitlines() if "ERROR" in line]
    return lines[-1].split("]", 1)[-1].strip() if lines else (result.get("error") or "unknown error").strip().splitlines()[-1]
