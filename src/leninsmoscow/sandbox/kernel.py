"""What runs inside the sandboxed kernel: stdout and stderr that stop at the output limit.

The grader counts output as it arrives and kills the kernel past the limit,
but a print loop outruns it: ipykernel buffers everything printed between two
flushes and sends it as one message, so the kernel runs out of memory
building that message before the grader has seen a byte. Counting where the
text is written stops the loop first, with an exit status the grader reads
as "printed too much". Student code can replace ``sys.stdout``; then the
grader's own count and the memory limit still hold.
"""

from __future__ import annotations

import os

from ipykernel.iostream import OutStream

from .limits import OUTPUT_EXIT_STATUS, OUTPUT_LIMIT_VARIABLE

_written = 0


class LimitedOutStream(OutStream):
    """ipykernel's OutStream (stdout, stderr and captured file descriptors), counted."""

    def write(self, string):
        global _written
        _written += len(string)
        if _written > int(os.environ.get(OUTPUT_LIMIT_VARIABLE) or 0) > 0:
            os._exit(OUTPUT_EXIT_STATUS)
        return super().write(string)
