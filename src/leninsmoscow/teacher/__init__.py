"""The library behind the teacher's commands; ``leninsmoscow.cli`` only wires it.

One module per concern, each command's work in the module of its name:

- :mod:`.course` finds the course folder, reads nbgrader_config.py and talks to nbgrader about it;
- :mod:`.release` refuses tests the grader cannot judge, generates, validates; :mod:`.bundle` builds
  the student bundle and :mod:`.secrets` reads it for solutions and hidden tests;
- :mod:`.collect` collects an export: :mod:`.exports` reads it as hostile input, :mod:`.lms` places
  each file by the export's structure, :mod:`.zipcollect` hands the placed files to nbgrader;
- :mod:`.grading` grades a class: :mod:`.workers` runs nbgrader in long-lived processes,
  :mod:`.receipts` remembers what was graded, :mod:`.gradebook` holds the few gradebook operations
  the course adds, :mod:`.nbgrader_log` reads nbgrader's log text;
- :mod:`.feedback` writes and checks feedback; :mod:`.report` and :mod:`.stats` make the report,
  :mod:`.pages` renders the pages a teacher opens and checks they run no student script;
- :mod:`.demo` runs the cycle on the synthetic class of :mod:`.synthetic`;
- :mod:`.console` is what the terminal shows.

Modules that need nbgrader, pandas or matplotlib import them inside their
functions, so a command that does not need them answers at once.
"""
