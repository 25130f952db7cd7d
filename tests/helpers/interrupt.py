"""Run `leninsmoscow grade` and SIGKILL the whole run at one chosen moment.

    python interrupt.py STAGE STUDENT grade ASSIGNMENT --course ...

The stage names a moment in the grading of STUDENT:

- ``worker-mid-grade``: a worker has run the student's notebook and is judging it;
- ``gradebook-mid-write``: nbgrader has saved some of the student's grades, not all;
- ``receipt-mid-write``: the parent is replacing the student's receipt (old one deleted,
  new one not yet written, inside the transaction);
- ``between-students``: the student's outcome is recorded and printed, the next not yet.

The patches are made when this module is imported, so they also apply in the
grading workers, which the multiprocessing "spawn" start method starts by
importing the parent's main module again. The whole process group is killed
(the driver is started in a session of its own), as a power cut or `kill -9`
would end a run.
"""

from __future__ import annotations

import os
import signal
import sys

STAGE = os.environ.get("INTERRUPT_STAGE", "")
STUDENT = os.environ.get("INTERRUPT_STUDENT", "")


def _kill_everything() -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _patch() -> None:
    if STAGE == "worker-mid-grade":
        from leninsmoscow.grading import preprocessors

        judge = preprocessors.JudgeHiddenTests.preprocess

        def judging(self, nb, resources):
            if resources.get("nbgrader", {}).get("student") == STUDENT:
                _kill_everything()
            return judge(self, nb, resources)

        preprocessors.JudgeHiddenTests.preprocess = judging
    elif STAGE == "gradebook-mid-write":
        from nbgrader.preprocessors import SaveAutoGrades

        add_score = SaveAutoGrades._add_score
        saved = []

        def adding(self, cell, resources):
            add_score(self, cell, resources)  # commits this grade
            if self.student_id == STUDENT:
                saved.append(cell)
                if len(saved) == 2:
                    _kill_everything()

        SaveAutoGrades._add_score = adding
    elif STAGE == "receipt-mid-write":
        from leninsmoscow.teacher import receipts

        record = receipts.Receipts.record

        def recording(self, assignment, receipt):
            if receipt.student != STUDENT:
                return record(self, assignment, receipt)
            table = self.table
            with self.engine.begin() as connection:
                connection.execute(table.delete().where(table.c.student_id == receipt.student))
                _kill_everything()

        receipts.Receipts.record = recording
    elif STAGE == "between-students":
        from leninsmoscow.teacher import console

        advance = console.Progress.advance

        def advancing(self, text=None):
            advance(self, text)
            if text and text.split()[0] == STUDENT:
                _kill_everything()

        console.Progress.advance = advancing
    elif STAGE:
        raise SystemExit(f"unknown stage {STAGE!r}")


_patch()

if __name__ == "__main__":
    from leninsmoscow.cli import main

    sys.exit(main(sys.argv[1:]))
