"""`ktutor` and its subcommands.

Each subcommand lives in `tutor/commands/<name>.py` with `add_arguments(parser)` and
`run(args) -> int`, imported only when it runs, so `ktutor check` never pays for Textual and the
TUI starts as fast as it can (`ktutor` alone does not even import argparse). Exit codes: 0 ok, 1 invalid input or a failed check, 2 unreadable
input or bad usage.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from tutor import __version__, settings
from tutor.command_names import COMMANDS

if TYPE_CHECKING:
    import argparse


READ_FILES = ("check", "route", "rules", "dns", "sim")


def file_limit() -> str:
    """The epilog of the commands that read files."""
    from tutor.model.limits import FILE_DOCUMENTS, FILE_TEXT_BYTES, MAX_TEXT_BYTES

    return (
        f"FILE may be a cluster dump of up to {FILE_TEXT_BYTES // (1024 * 1024)} MB and "
        f"{FILE_DOCUMENTS:,} YAML documents (`kubectl get svc,pods,endpointslices,nodes -A -o "
        f"json` of 10,000 Pods is ~110 MB); the tutor's editor and lesson files take "
        f"{MAX_TEXT_BYTES // (1024 * 1024)} MB."
    )


class UsageError(Exception):
    """Bad usage: exit code 2 with the message."""


def _parser(**kwargs: Any) -> argparse.ArgumentParser:
    """An argument parser whose usage errors exit 2. argparse is imported here: `ktutor`
    alone parses nothing, and importing it was ~5 ms of the tutor's start."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: error: {message}\n")

    return Parser(**kwargs)


def _module(name: str) -> object:
    return importlib.import_module(f"tutor.commands.{name.replace('-', '_')}")


def build_parser(include: Sequence[str] | None = None) -> argparse.ArgumentParser:
    import argparse

    parser = _parser(
        prog="ktutor",
        description="An interactive tutor for Kubernetes Services. With no command, starts the "
        "tutor; `ktutor LESSON-ID` opens a lesson directly.",
        epilog="commands:\n"
        + "\n".join(f"  {n:<11} {h}" for n, h in COMMANDS.items())
        + "\n\nRun `ktutor COMMAND --help` for a command's options.\n\n"
        + settings.help_text(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ktutor {__version__}")
    return parser


def _tui_parser() -> argparse.ArgumentParser:
    parser = build_parser()
    parser.add_argument("lesson", nargs="?", help="a lesson id to open directly")
    parser.add_argument(
        "--lessons",
        action="append",
        default=[],
        metavar="DIR",
        help="add an instructor's lesson pack (also KTUTOR_LESSONS)",
    )
    parser.add_argument("--step", type=int, default=None, help="open the lesson at this step")
    return parser


TOO_LONG = "path too long (a file or folder name over 255 bytes, or over 4,096 in all)"


def _shorten(filename: object) -> str:
    """A path for a one-line message: a 5,000-character path is cut in the middle."""
    text = os.fsdecode(filename) if isinstance(filename, (str, bytes)) else "a path"
    return text if len(text) <= 80 else f"{text[:40]}…{text[-30:]}"


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    try:
        if not args_list:  # `ktutor` alone: the tutor, with nothing to parse
            from tutor.commands import tui

            return tui.run()
        if first in COMMANDS:
            idx = args_list.index(first)
            sub = _parser(
                prog=f"ktutor {first}",
                description=COMMANDS[first],
                epilog=file_limit() if first in READ_FILES else None,
            )
            module = _module(first)
            module.add_arguments(sub)  # type: ignore[attr-defined]
            args = sub.parse_args(args_list[:idx] + args_list[idx + 1 :])
            code: int = module.run(args)  # type: ignore[attr-defined]
            return code
        args = _tui_parser().parse_args(args_list)
        from tutor.commands import tui

        return tui.run(args)
    except UsageError as exc:
        print(f"ktutor: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `ktutor rules x.yaml | head`: quietly stop, as Unix tools do (before OSError, its
        # base class, or the pipe's end would be a traceback)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
        # a name over 255 bytes or a path over 4,096: every command that takes a path
        prog = f"ktutor {first}" if first in COMMANDS else "ktutor"
        print(f"{prog}: {_shorten(exc.filename)}: {TOO_LONG}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
