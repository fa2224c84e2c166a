"""Helpers shared by the test folders (on sys.path through pytest's `pythonpath`)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from textual import events
from textual.app import App
from textual.keys import ASCII_KEY_NAMES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, REPLACED_KEYS
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.widgets import OptionList
from textual.worker import WorkerCancelled, WorkerFailed

from tutor import resources
from tutor.course.lesson import Lesson
from tutor.course.loader import load_lessons

# libyaml's loader and emitter: the same data as yaml.safe_load / safe_dump at a tenth of the CPU
# (test inputs and generated texts only; the code under test chooses its own parser)
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# settle's bound: a busy turn idles 1 ms at most; a lesson opening takes ~20 turns
_SETTLE_TURNS = 20_000
_REFRESH_SECONDS = 30.0  # a screen refreshes within a frame of going idle: this is a hang


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, through libyaml."""
    return yaml.load(text, Loader=_LOADER)


def load_yaml_all(text: str) -> list[Any]:
    """`list(yaml.safe_load_all(text))`, through libyaml."""
    return list(yaml.load_all(text, Loader=_LOADER))


def dump_yaml(data: Any, **options: Any) -> str:
    """`yaml.safe_dump(data, **options)`, through libyaml (line breaks may fall elsewhere)."""
    return str(yaml.dump(data, Dumper=_DUMPER, **options))


def dump_yaml_all(docs: Iterable[Any], **options: Any) -> str:
    """`yaml.safe_dump_all(docs, **options)`, through libyaml."""
    return str(yaml.dump_all(docs, Dumper=_DUMPER, **options))


@functools.cache
def builtin_lessons() -> tuple[Lesson, ...]:
    """The built-in lessons as `load_lessons(use_env=False)` gives them (lessons/NN-*.yaml in
    course order), loaded once per process: several modules parametrize over them at
    collection (test_step_expect four times), tests that only need a built-in lesson's data
    read them here (reading the 14 files is ~1.2 CPU s, most of it the schema check), and every
    xdist worker collects every module. Lessons are frozen dataclasses, safe to share. The
    loader itself is tested in tests/course (test_course_loader, test_lesson_cache,
    test_course_content's per-file loads)."""
    found = load_lessons(use_env=False)
    assert not found.errors, [str(e) for e in found.errors]
    assert len(found.lessons) == len(list(resources.lessons_dir().glob("[0-9][0-9]-*.yaml")))
    return tuple(found.lessons)


def builtin_lesson(lesson_id: str) -> Lesson:
    """One built-in lesson by id (from `builtin_lessons`)."""
    return next(le for le in builtin_lessons() if le.id == lesson_id)


def builtin_app(
    lesson_id: str | None = None,
    step: int | None = None,
    data_dir: Path | None = None,
    *,
    warm_up: bool = False,
    from_files: bool = True,
) -> Any:
    """TutorApp on the built-in course, read from the files as `ktutor` reads them, for a test
    that drives it: no blinking cursor (a repaint every half second) and, unless asked, no
    warm-up (styles, tree-sitter, a collection of the heap and the spare editor: ~1 CPU s an
    app in a test process). The warm-up's own tests ask for it: test_app_chrome's, test_app_open,
    test_app_prebuilt_lesson, lesson 1 end to end. `from_files=False` hands the app the
    lessons this process already read (`builtin_lessons`), as `--lessons`-less tests of a
    screen need them: an app reading the 14 files into a fresh data folder (no lesson cache
    there yet) is ~0.2-0.4 CPU s more, and the reading is tested in tests/course and by
    test_app_chrome's second start."""
    from tutor.app.app import TutorApp

    lessons = None if from_files else list(builtin_lessons())
    app = TutorApp(lesson_id, step=step, data_dir=data_dir, lessons=lessons)
    app.cursor_blink = False
    app.warm_up = warm_up
    return app


def _busy(app: App[Any]) -> bool:
    """Whether a worker is unfinished, or a message waits in the queue of the app, a screen on
    the stack or one of the current screen's widgets."""
    if any(not worker.is_finished for worker in app.workers):
        return True
    pumps: list[MessagePump] = [app, *app.screen_stack, *app.screen.walk_children()]
    return any(pump.message_queue_size for pump in pumps)


async def _refreshed(app: App[Any]) -> None:
    """Wait until the current screen has laid out and painted what changed (its own update
    timer does it, at most a frame after the screen went idle), or is no longer current."""
    screen = app.screen
    done = asyncio.Event()
    screen.call_after_refresh(done.set)
    for _ in range(round(_REFRESH_SECONDS / 0.05)):
        if done.is_set() or app.screen is not screen or not app.is_running:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 0.05)
    assert done.is_set(), f"{screen!r} did not refresh in {_REFRESH_SECONDS} s"


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for screen switches, the workers (the analysis of a big text, lesson loading), every
    message they post, animations, and the layout and repaint that follow: until, twice in a
    row, nothing is queued, no worker runs, and the screen has refreshed (or the app quits).
    The waits are for events, so an idle app costs no CPU here and a busy one is waited for
    as long as it works.
    (`pilot.pause()` waits for the process's CPU to go quiet instead: at least 20 ms, and up
    to a second while anything keeps the process busy; `pilot.pause(0)` pokes every widget of
    the screen with a message, ~0.2 ms CPU each.)"""
    app = pilot.app
    quiet = 0
    for _ in range(_SETTLE_TURNS):
        if app.return_code is not None or not app.is_running:
            return  # quitting: run_test's exit waits for the rest
        running = [worker for worker in app.workers if worker.is_running]
        for worker in running:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()  # a failure is the app's to report
        await app.animator.wait_for_idle()
        if running or _busy(app):
            quiet = 0
            await asyncio.sleep(0.001)  # runs everything ready first: idles 1 ms at most
            continue
        await _refreshed(app)
        quiet += 1
        if quiet == 2:
            return
    raise AssertionError(f"the app was still busy after {_SETTLE_TURNS} turns")


def key_event(key: str) -> events.Key:
    """The Key event Pilot.press sends for `key` (a key name, or one character)."""
    if len(key) == 1 and not key.isalnum():
        try:
            key = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            key = ASCII_KEY_NAMES.get(key, key)
        key = KEY_NAME_REPLACEMENTS.get(key, key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(KEY_TO_UNICODE_NAME.get(original, original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """`pilot.press` without its sleeps: each key goes in as Pilot.press sends it, and the next
    one only once the app has `settle`d. (Pilot.press waits for the process's CPU to go quiet
    twice after every key: at least 40 ms, and longer while the app repaints.)"""
    for key in keys:
        pilot.app.post_message(key_event(key))
        await settle(pilot)


async def open_challenge(pilot: Pilot[Any]) -> None:
    """ctrl+o, then Enter on what the challenges-and-quiz list selects first: the lesson's first
    challenge."""
    await press(pilot, "ctrl+o")
    await settle(pilot)
    await press(pilot, "enter")
    await settle(pilot)


async def type_fast(pilot: Pilot[Any], *keys: str) -> None:
    """Keys as a terminal delivers fast typing: all queued at once, in order, then `settle`.
    Pilot.press waits for the app to go idle after every key (at least 20 ms, and a repaint of
    the screen each time); use it where a test looks at what one key did, this for typing a
    line whose end result is what the test checks (keys batched in order are a case the app
    handles: test_arrows_then_enter_typed_fast_open_the_lesson_the_arrows_reached, and the
    console's test_enter_typed_fast_behind_the_line_runs_the_whole_line)."""
    for key in keys:
        pilot.app.post_message(key_event(key))
    await settle(pilot)


async def until(pilot: Pilot[Any], done: Callable[[], object], seconds: float = 10.0) -> None:
    """Wait, in short sleeps, until `done()` is true: for what a timer or a thread does (the
    debounced save, a file written), instead of sleeping a guessed time. Fails after `seconds`.
    The app runs on this event loop meanwhile (its timers, workers' messages and repaints).
    Not `pilot.pause(0.02)`: each pause posts a message to every widget of the screen and
    updates it, ~6 ms of CPU a turn on a lesson screen (0.3 CPU s for a one-second wait)."""
    for _ in range(round(seconds / 0.02)):
        if done() or not pilot.app.is_running:
            break
        await asyncio.sleep(0.02)
    assert done(), f"still not true after {seconds} s"


@dataclasses.dataclass(frozen=True)
class Notice:
    message: str
    title: str


class Notices(list[Notice]):
    """What the app was asked to show with `notify`, in order, from the moment this is made
    (make it before `run_test`). Textual keeps the toasts it shows in a private list
    (`App._notifications`); this records the public calls instead, and `clear_notifications`
    empties both."""

    def __init__(self, app: App[Any]) -> None:
        super().__init__()
        notify, clear = app.notify, app.clear_notifications

        def recorded(message: str, *, title: str = "", **options: Any) -> None:
            self.append(Notice(str(message), title))
            notify(message, title=title, **options)

        def cleared() -> None:
            self.clear()
            clear()

        app.notify = recorded  # type: ignore[method-assign]
        app.clear_notifications = cleared  # type: ignore[method-assign]


def prompts(options: OptionList) -> list[str]:
    """What each option of `options` says, top to bottom."""
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def tree_paths(data: Any) -> list[tuple[Any, ...]]:
    """Every path into nested dicts and lists (the root excluded), parents before their
    children, for mutation strategies. One list filled in place: each level returning its own
    list to extend the parent's copied every path once per level above it (~2 CPU s of
    test_properties' mutated manifests, 80 levels deep after a `nest`)."""
    out: list[tuple[Any, ...]] = []

    def walk(node: Any, prefix: tuple[Any, ...]) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            path = (*prefix, key)
            out.append(path)
            if isinstance(value, (dict, list)):
                walk(value, path)

    if isinstance(data, (dict, list)):
        walk(data, ())
    return out


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    """The container holding the last step of `path`."""
    for key in path[:-1]:
        data = data[key]
    return data
