"""The machinery behind the teacher's commands (``leninsmoscow.cli``).

- :mod:`.course` finds the course folder and talks to nbgrader about it;
- :mod:`.lms` reads submission file names as learning platforms export them;
- :mod:`.zipcollect` places them with nbgrader's zip_collect;
- :mod:`.workers` runs nbgrader's autograder in long-lived processes;
- :mod:`.receipts` remembers which submissions were graded, by checksum;
- :mod:`.secrets` finds solutions and hidden tests where they must not be;
- :mod:`.stats` turns the gradebook into the figures of the report;
- :mod:`.synthetic` makes the demo's class.

Modules that need nbgrader, pandas or matplotlib import them inside their
functions or are imported by a command only when it runs.
"""
