"""The Lenin's Moscow course: sourced data, lesson widgets and teacher tooling.

Importing the package is cheap on purpose: the command line and the
autograder import it before they know whether pandas or ipywidgets are needed,
so each submodule imports its heavy libraries itself.
"""

__version__ = "0.1.0"
