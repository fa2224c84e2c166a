"""`ktutor serve`: the tutor in web browsers for a workshop (one process per browser tab)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tutor import settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only; "
        "0.0.0.0 for a classroom: add --code)",
    )
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    parser.add_argument(
        "--lessons",
        action="append",
        default=[],
        metavar="DIR",
        help="add an instructor's lesson pack (repeatable)",
    )
    parser.add_argument(
        "--code",
        nargs="?",
        const="",
        default=None,
        metavar="WORD",
        help="browsers must type this workshop code before the name prompt (wrong codes are "
        "refused and slowed down, per browser and per network); --code alone makes one up "
        "(a word and 8 digits) and prints it. "
        f"Default: ${CODE_ENV} when set",
    )
    parser.add_argument(
        "--warm",
        type=int,
        default=DEFAULT_WARM,
        metavar="N",
        help="keep N tutors started ahead of time, waiting at the name prompt, so that N tabs "
        f"opened at once show it at once (default {DEFAULT_WARM}; about 30 MB each when "
        "forked, 45 MB with --no-fork; set it to the number of people who start together; "
        "0: start each tab's tutor when it connects)",
    )
    parser.add_argument(
        "--no-fork",
        dest="fork",
        action="store_false",
        help="start a separate `python -m tutor` for each tab instead of forking one process "
        "that has loaded the tutor already (the default on Linux: a tab starts in "
        "milliseconds and shares that process's memory)",
    )
    parser.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the address learners type, when it is not this machine's own (behind a proxy "
        "or a port forward), e.g. https://k8s-workshop.example.org; by default each page "
        "points back at the address its browser used",
    )
    parser.add_argument(
        "--data-dir",
        default=None,
        metavar="DIR",
        help="keep the learners' progress here (default: ktutor's data folder)",
    )


DEFAULT_WARM = 4
CODE_ENV = settings.JOIN_CODE
"""The workshop code from the environment (a Kubernetes Secret in deploy/)."""


def check(args: argparse.Namespace) -> str | None:
    """A one-line usage problem, or None."""
    from tutor.classroom.joining import code_problem

    if args.code:
        problem = code_problem(args.code)
        if problem is not None:
            return f"--code: {problem}"
    if not 0 <= args.warm <= 500:
        return f"--warm {args.warm}: must be between 0 and 500"
    if not 1 <= args.port <= 65535:
        return f"--port {args.port}: must be between 1 and 65535"
    for d in args.lessons:
        if not Path(d).expanduser().is_dir():
            return f"--lessons {d}: not a folder"
    if (
        args.data_dir is not None
        and Path(args.data_dir).exists()
        and not Path(args.data_dir).is_dir()
    ):
        return f"--data-dir {args.data_dir}: not a folder"
    if args.public_url is not None and not re.fullmatch(r"https?://[^\s/?#]+/?", args.public_url):
        return f"--public-url {args.public_url}: give scheme and address only, e.g. http://10.0.0.5:8000"
    return None


def pack_problems(dirs: list[str]) -> list[str]:
    """What learners would meet in the packs (`--lessons`, KTUTOR_LESSONS): each file that
    does not load (listed as broken) and each lesson that fails lint (listed, but it does not
    open), one line each, in file order. Nothing for the built-in lessons."""
    from tutor.course.lint import lint_file
    from tutor.course.loader import load_lessons
    from tutor.course.packs import BUILTIN_PACK

    if not dirs and not settings.lesson_dirs():
        return []  # the built-in lessons pass lint (the test suite holds them to it)
    found = load_lessons([Path(d).expanduser() for d in dirs])
    lines: list[tuple[str, str]] = [
        (str(e.file), f"{e} (learners see this file as broken)") for e in found.errors
    ]
    for lesson in found.lessons:
        if lesson.pack == BUILTIN_PACK or lesson.source is None:
            continue
        _, issues = lint_file(lesson.source, lesson.pack)
        if issues:
            more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
            lines.append(
                (
                    str(lesson.source),
                    f"{issues[0]}{more}: learners cannot open lesson `{lesson.id}` until "
                    f"`ktutor lint {lesson.source}` passes",
                )
            )
    return [line for _file, line in sorted(lines, key=lambda pair: pair[0])]


def run(args: argparse.Namespace) -> int:
    from tutor.classroom import serving

    problem = check(args)
    if problem is not None:
        print(f"ktutor serve: {problem}", file=sys.stderr)
        return 2
    from tutor.classroom.joining import code_problem, generate_code

    code: str | None = args.code
    if code is None and settings.join_code():
        code = settings.join_code()
        problem = code_problem(code)
        if problem is not None:
            print(f"ktutor serve: ${CODE_ENV}: {problem}", file=sys.stderr)
            return 2
    elif code == "":
        code = generate_code()
    for line in pack_problems(args.lessons):
        print(f"ktutor serve: {line}", file=sys.stderr)
    warning = serving.exposure_warning(args.host, args.port, code=code is not None)
    if warning is not None:
        print(warning, file=sys.stderr)
    if args.public_url is not None:
        urls = [args.public_url.rstrip("/")]
    else:
        urls = serving.learner_urls(args.host, args.port)
    if urls:
        where = "learners open " + " or ".join(urls)
    else:
        where = f"no address of this machine found; learners open http://<its address>:{args.port}"
    banner = [
        f"ktutor: serving on {args.host} port {args.port}: {where}",
        "ktutor: each browser tab gets its own tutor; Ctrl+C stops",
    ]
    if code is not None:
        banner.insert(1, f"ktutor: workshop code: {code}")
    try:
        serving.serve(
            args.host,
            args.port,
            args.lessons,
            args.data_dir,
            args.public_url,
            banner,
            code,
            args.warm,
            args.fork,
        )
    except OSError as exc:
        print(
            f"ktutor serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 2
    return 0
