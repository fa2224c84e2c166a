"""`ktutor [LESSON-ID] [--lessons DIR] [--step N]`: start the tutor app.

Imports only the app module (which imports only the lesson list); the lesson screen, the editor
and Markdown load when a lesson opens. An unknown lesson id or a bad --step is a one-line error
before the screen is taken over.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tutor import settings

if TYPE_CHECKING:
    import argparse


def _terminal_problem() -> str | None:
    """Why the full-screen tutor cannot run here (None when it can). The web driver
    (`ktutor serve`) needs no terminal."""
    if settings.web_driver():
        return None
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        return "ktutor: the tutor needs a terminal; `ktutor route FILE` prints plain output"
    if settings.dumb_terminal():
        # Emacs shell buffers and some CI logs: no cursor addressing, the UI would be garbage
        return (
            "ktutor: this terminal (TERM=dumb) cannot show the tutor; run it in a full "
            "terminal, or use `ktutor route FILE` for plain output"
        )
    return None


def _pause_collector() -> None:
    """Turn the cyclic garbage collector off until the app's first frame (`TutorApp._start`
    turns it back on): importing Textual and building the list makes ~60,000 objects that live
    as long as the app, and collecting young ones while they pile up was ~25 ms of the time to
    the first frame. Not in a served tab, whose app may wait minutes for the learner's name."""
    if not settings.serving():
        gc.disable()


def run(args: argparse.Namespace | None = None) -> int:
    """Start the tutor; `args` None is `ktutor` alone (nothing was parsed)."""
    lesson_id: str | None = getattr(args, "lesson", None)
    step: int | None = getattr(args, "step", None)
    extra = [Path(d).expanduser() for d in (getattr(args, "lessons", None) or ())]
    if step is not None and step < 1:
        print("ktutor: --step counts from 1", file=sys.stderr)
        return 2
    for directory in extra:
        if not directory.is_dir():
            print(f"ktutor: --lessons {directory}: not a folder", file=sys.stderr)
            return 2
    if lesson_id is None and step is None:
        # nothing to check before the screen is taken over: the app reads the lessons after
        # its first frame (the loader and its schema checks cost ~300 ms before it)
        if (refusal := _terminal_problem()) is not None:
            print(refusal, file=sys.stderr)
            return 2
        _pause_collector()
        from tutor.app.app import TutorApp

        app = TutorApp(None, extra_dirs=extra)
        app.run()
        return app.return_code or 0
    from tutor.course.loader import load_lessons

    found = load_lessons(extra)
    if lesson_id is not None:
        lesson = found.get(lesson_id)
        if lesson is None:
            print(f"ktutor: {found.not_found(lesson_id)}", file=sys.stderr)
            return 2
        if step is not None and step > len(lesson.steps):
            print(
                f"ktutor: --step {step}: lesson {lesson_id!r} has {len(lesson.steps)} steps",
                file=sys.stderr,
            )
            return 2
    elif step is not None:
        print("ktutor: --step needs a lesson id (ktutor LESSON-ID --step N)", file=sys.stderr)
        return 2
    if (refusal := _terminal_problem()) is not None:
        print(refusal, file=sys.stderr)
        return 2
    _pause_collector()
    from tutor.app.app import TutorApp

    app = TutorApp(
        lesson_id, step=step, extra_dirs=extra, lessons=found.lessons, errors=found.errors
    )
    app.run()
    return app.return_code or 0
