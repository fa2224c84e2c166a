"""`ktutor [LESSON-ID] [--lessons DIR] [--step N]`: start the tutor app.

Imports only the app module (which imports only the lesson list); the lesson screen, the editor
and Markdown load when a lesson opens. An unknown lesson id or a bad --step is a one-line error
before the screen is taken over.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
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
    from tutor.course.loader import load_lessons

    found = load_lessons(extra)
    if lesson_id is not None:
        lesson = found.get(lesson_id)
        if lesson is None:
            known = ", ".join(found.ids) or "none"
            print(f"ktutor: no lesson {lesson_id!r} (lessons: {known})", file=sys.stderr)
            return 2
        if step is not None and step > len(lesson.steps):
            print(f"ktutor: --step {step}: lesson {lesson_id!r} has {len(lesson.steps)} steps",
                  file=sys.stderr)
            return 2
    elif step is not None:
        print("ktutor: --step needs a lesson id (ktutor LESSON-ID --step N)", file=sys.stderr)
        return 2
    if not (sys.stdout.isatty() and sys.stdin.isatty()) and not os.environ.get("TEXTUAL_DRIVER"):
        print("ktutor: the tutor needs a terminal; `ktutor route FILE` prints plain output",
              file=sys.stderr)
        return 2
    if os.environ.get("TERM") == "dumb" and not os.environ.get("TEXTUAL_DRIVER"):
        # Emacs shell buffers and some CI logs: no cursor addressing, the UI would be garbage
        print("ktutor: this terminal (TERM=dumb) cannot show the tutor; run it in a full "
              "terminal, or use `ktutor route FILE` for plain output", file=sys.stderr)
        return 2
    from tutor.app.app import TutorApp

    app = TutorApp(lesson_id, step=step, extra_dirs=extra, lessons=found.lessons,
                   errors=found.errors)
    app.run()
    return app.return_code or 0
