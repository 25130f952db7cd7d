"""`leninsmoscow`: the teacher's assessment cycle in one command line.

This module only wires the subcommands. Each command lives in its own module
(``release``, ``collect``, ``grade``, ``feedback``, ``report``, ``solutions``, ``demo``) and is
imported only when it is the one asked for, so ``leninsmoscow --help`` and a
mistyped command answer at once instead of waiting seconds for nbgrader,
pandas or matplotlib to load.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

PROG = "leninsmoscow"

# name -> one line of help; the order is the order of the cycle.
COMMANDS = {
    "release": "regenerate the student versions, validate them and build the student bundle",
    "collect": "import submissions exported from a learning platform (folder or zip)",
    "grade": "autograde every submission in parallel, each within a time limit",
    "feedback": "write each student's feedback and check that it reveals no hidden test",
    "report": "grades and item statistics as CSV files and one HTML page",
    "solutions": "the answer key as HTML, to hand out once marking is done (no hidden test in it)",
    "demo": "run the whole cycle on a synthetic class and show where the report is",
}

EPILOG = """\
the cycle: release -> hand out the bundle -> collect -> grade -> (manual grading in
the formgrader) -> feedback -> report -> solutions (the answer key, after marking).  Start with `leninsmoscow demo`.
Every command takes --course PATH (default: the current folder if it holds
nbgrader_config.py, else the course this package was installed from).
"""


class CommandError(Exception):
    """A problem the teacher can fix, reported in one line without a traceback."""


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code (0 when all went well)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(chosen_command(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    from leninsmoscow.teacher.course import (
        CourseError,
        put_environment_on_path,
        skip_unused_slow_imports,
    )

    put_environment_on_path()
    skip_unused_slow_imports()
    try:
        return int(args.run(args) or 0)
    except (CommandError, CourseError) as error:
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\n{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130


def chosen_command(argv: list[str]) -> str | None:
    """The subcommand named on the line, found without importing anything."""
    for word in argv:
        if word in COMMANDS:
            return word
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the chosen command's module is imported to add its options."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The Lenin's Moscow course: the teacher's assessment cycle, nbgrader underneath.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        sub = subcommands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        if name == command:
            module = importlib.import_module(f"{__name__}.{name}")
            add_course_option(sub)
            module.add_arguments(sub)
            if module.__doc__:
                sub.description = module.__doc__.strip()
                sub.formatter_class = argparse.RawDescriptionHelpFormatter
            sub.set_defaults(run=module.run)
    return parser


def add_course_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--course",
        metavar="PATH",
        help="the course folder (holds nbgrader_config.py); default: the current folder "
        "if it is one, else the course this package was installed from",
    )


def add_sandbox_argument(parser: argparse.ArgumentParser) -> None:
    """--no-sandbox, for the commands that run students' code (grade, demo)."""
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run students' code with your own rights, outside the sandbox, where no sandbox "
                             "can be made (see docs/sandbox.md for the risk)")


def existing_path(text: str) -> Path:
    """An argparse type: a path that must exist, made absolute at once."""
    path = Path(text).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file or folder")
    return path.resolve()


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number of seconds greater than 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{value} is not greater than 0")
    return value


def _version() -> str:
    from leninsmoscow import __version__

    return __version__


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
