"""`python -m tutor.app.fork_server SOCKET [--lessons DIR ...]`: the fork server of `ktutor serve`.

It pays once what every browser tab's tutor would pay at start (importing Textual, the app, the
lesson screen and the model; reading the lessons; the first analysis; the editor's YAML
grammar), then forks one child per tab (`tutor.classroom.forking`). `ktutor serve` starts it
with the environment textual-serve gives a tab (`TEXTUAL_DRIVER` and the rest, read by Textual
at import), so what it imports is what a tab would have imported.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from tutor import settings
from tutor.classroom.forking import ForkServer, prepare_to_fork


def preload(extra_dirs: list[Path]) -> None:
    """Import and run once what a tab's tutor needs to show the name prompt, the lesson list
    and a lesson, so that its children find it done (and share its memory)."""
    import concurrent.futures.thread  # noqa: F401  # Textual's thread workers
    import queue  # noqa: F401

    import textual.drivers.web_driver
    import textual.layouts.factory
    import textual.layouts.horizontal
    import textual.layouts.stream
    import textual.scrollbar  # noqa: F401
    from rich.cells import cell_len

    import tutor.app.app
    import tutor.app.palette
    import tutor.app.screens.lesson
    import tutor.app.screens.name
    import tutor.app.shims
    import tutor.app.signals
    import tutor.classroom.claims
    import tutor.course.locate  # noqa: F401
    from tutor.app.prewarm import samples
    from tutor.app.widgets.editor import YamlEditor
    from tutor.course import lesson_cache
    from tutor.course.loader import load_lessons
    from tutor.model import analyze

    cell_len("ktutor 王芳")  # loads rich's table of character widths
    stamp = lesson_cache.fingerprint(extra_dirs)
    found = load_lessons(extra_dirs)
    lesson_cache.write(found, stamp)  # what each tab reads while its name prompt shows
    if found.lessons:
        analyze(found.lessons[0].manifest)
    samples(YamlEditor.create("warm: up\n"))  # tree-sitter and its YAML language; the
    # widget modules a lesson screen mounts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutor.app.fork_server")
    parser.add_argument("socket")
    parser.add_argument("--lessons", action="append", default=[], metavar="DIR")
    args = parser.parse_args(argv)
    extra = [Path(d) for d in args.lessons]
    began = time.monotonic()
    preload(extra)
    prepare_to_fork()
    print(
        f"ktutor fork server: ready in {time.monotonic() - began:.1f} s",
        file=sys.stderr,
        flush=True,
    )

    def run_child() -> int:
        """What `ktutor` with no command runs (`tutor.commands.tui`), in the child."""
        from tutor.app.app import TutorApp

        sys.argv = ["ktutor"]
        app = TutorApp(None, extra_dirs=extra)
        app.warm_up = settings.warm_tutor()  # a tab's own: done here, before forking
        app.run()
        return app.return_code or 0

    server = ForkServer(args.socket, run_child)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C in the instructor's terminal
        server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
