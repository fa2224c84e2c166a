"""The app under stress: what tests/app does not cover already.

tests/app covers typing a syntax error, sizes from 40x12 to 300x100 with live resizing, a
corrupt (non-JSON) progress file, NO_COLOR as an attribute, and `\\e` in a node name. Here:
a 1 MB paste (refused at once with a notice, the event loop never blocked 100 ms) and the
largest paste the editor takes (it lands, the app stays usable), progress files that cannot be read at all, a hostile lesson pack (3,000
files, escape sequences), control characters in the messages the error list shows, and the real
`ktutor` in a pseudo-terminal with TERM=dumb and NO_COLOR at 40x12.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import importlib.util
import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ptykit import CSI, set_size
from testkit import Notices, settle
from textual import events
from textual.pilot import Pilot
from textual.widgets import OptionList

from tutor.app.app import TutorApp
from tutor.app.widgets.editor import MAX_TEXT, YamlEditor
from tutor.course.lesson import Lesson
from tutor.course.loader import load_lesson_file
from tutor.resources import lessons_dir as _lessons_dir

BUILT_IN = len(list(_lessons_dir().glob("*.yaml")))
"""The built-in course's lesson count (14 since Course 2.0)."""

ROOT = Path(__file__).resolve().parents[2]
LESSON_FILE = ROOT / "lessons" / "01-anatomy.yaml"
UNIT = (ROOT / "tests" / "scenarios" / "001-seed-basic.yaml").read_text(encoding="utf-8")

_SPEC = importlib.util.spec_from_file_location(
    "robustness_badfiles_app", Path(__file__).with_name("badfiles.py")
)
assert _SPEC is not None and _SPEC.loader is not None
bf: ModuleType = importlib.util.module_from_spec(_SPEC)
sys.modules["robustness_badfiles_app"] = bf
_SPEC.loader.exec_module(bf)


@functools.cache
def anatomy() -> Lesson:
    """Lesson 1, read once (a frozen dataclass: the apps share it)."""
    lesson = load_lesson_file(LESSON_FILE)
    assert isinstance(lesson, Lesson)
    return lesson


def make_app(data_dir: Path, lesson_id: str | None = "anatomy", **kw: Any) -> TutorApp:
    """The app on lesson 1 (or on `extra_dirs`' packs), without the warm-up (styles,
    tree-sitter, a collection of the heap, the spare editor: nothing these tests are about,
    and ~0.2 CPU s an app in a test process)."""
    if "extra_dirs" not in kw:
        kw.setdefault("lessons", [anatomy()])
    app = TutorApp(lesson_id, data_dir=data_dir, **kw)
    app.cursor_blink = False
    app.warm_up = False
    return app


def big_yaml(size: int) -> str:
    return ("---\n" + UNIT) * (size // (len(UNIT) + 4))


class LoopWatch:
    """The longest the event loop went without running a 2 ms ticker: how long the app was
    frozen (keys, repaints and resizes all wait for the loop). A gap counts the time this
    process ran in it (CPU time, all its threads), at most the wall time: on a machine busy
    with other test workers a 70 ms block took 136 ms of wall time (the process waited for a
    core), which says nothing about the app (a block that waits without running, a sleep or a
    synchronous read, is not counted). benchmarks/app.py measures the wall time on a
    quiet machine."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._stop = False
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last, last_cpu = time.perf_counter(), time.process_time()
        while not self._stop:
            await asyncio.sleep(0.002)
            now, cpu = time.perf_counter(), time.process_time()
            self.gaps.append(min(now - last, cpu - last_cpu))
            last, last_cpu = now, cpu

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._tick())

    async def stop(self) -> float:
        self._stop = True
        assert self._task is not None
        await self._task
        return max(self.gaps, default=0.0)


async def paste(pilot: Pilot[Any], text: str) -> None:
    """As the terminal driver does it: a Paste event to the app, forwarded to the focus."""
    pilot.app.post_message(events.Paste(text))
    await settle(pilot)


async def test_a_1mb_paste_is_refused_at_once_and_the_app_stays_usable(tmp_path: Path) -> None:
    """Past `MAX_TEXT` a paste is refused with a notice (the editor uses public Textual API
    only, and TextArea took 1.4 s for a 1 MB paste), and the event loop is never blocked
    100 ms meanwhile (was a test of its own on the same app); the biggest paste it takes
    lands."""
    app = make_app(tmp_path)
    seen = Notices(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        before = editor.text
        watch = LoopWatch()
        watch.start()
        await paste(pilot, big_yaml(1_000_000))
        await pilot.pause(0.7)  # a window, not a wait: past the editor's 0.4 s SAVE_DELAY
        worst = await watch.stop()
        assert worst < 0.100, f"event loop blocked for {worst * 1000:.0f} ms"
        assert editor.text == before, "a paste past the limit changed the text"
        assert any("Not pasted" in n.message for n in seen)
        editor.select_all()
        largest = big_yaml(MAX_TEXT)
        await paste(pilot, largest)
        assert editor.text == largest, "the paste was lost or doubled"
        await pilot.press("end", "x")
        await settle(pilot)
        assert editor.text.endswith("x")
        errors = app.screen.query_one("#errors", OptionList)
        assert errors.display and errors.option_count >= 1


@pytest.mark.parametrize("kind", ["a folder", "binary", "over 16 MB", "deeply nested"])
async def test_an_unreadable_progress_file_never_stops_the_app(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "progress.json"
    if kind == "a folder":
        target.mkdir()
    elif kind == "binary":
        target.write_bytes(bytes(range(256)) * 100)
    elif kind == "over 16 MB":
        with target.open("wb") as fh:
            fh.write(b'{"format": "ktutor-progress", "x": "' + b"a" * (17 * 1024 * 1024) + b'"}')
    else:
        target.write_text("[" * 100_000 + "]" * 100_000)
    app = make_app(tmp_path, lesson_id=None)
    seen = Notices(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        assert seen, "no notice about the progress file"
        assert any("progress" in n.message.lower() for n in seen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query(YamlEditor), "the lesson did not open"
    if kind != "a folder":
        assert list(tmp_path.glob("progress.json.corrupt-*")), "the bad file was not kept"


def pack_of_3000_files(shared_file: Any) -> Path:
    """badfiles' pack of 3,000 lesson files (writing it is ~0.9 CPU s), written once per test
    run under the name test_bad_inputs gives it (its `SHARED` inputs), so that whichever test
    comes first writes it for both; the app only reads it."""
    bad = next(b for b in bf.CATALOGUE if b.name == "pack-3000-files")

    def write(out: Path) -> None:
        out.mkdir()
        bad.build(out)

    (path,) = shared_file("bad-input-pack-3000-files", write).iterdir()
    return path


async def test_a_pack_of_3000_files_and_hostile_text_in_the_app(
    tmp_path: Path, shared_file: Any
) -> None:
    """3,000 pack files, a lesson with hostile text and a pack of evil file names: the list
    loads within its CPU budget, and neither the list (every row: was a test of its own on
    the evil pack alone) nor the hostile lesson paints a control character."""
    pack = pack_of_3000_files(shared_file)
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "01-anatomy.yaml").write_bytes(
        bf.hostile_lesson().replace(b"id: anatomy", b"id: hostile", 1)
    )
    evil = bf._pack_evil_names(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    app = make_app(data, lesson_id=None, extra_dirs=[pack, hostile, evil])
    start, cpu_start = time.perf_counter(), time.process_time()
    async with app.run_test(size=(120, 40)) as pilot:
        while app.loading and time.perf_counter() - start < 20:
            await pilot.pause(0.05)
        # the CPU time the app spent (its loader thread included): three test workers on two
        # cores made the wall time 4.4-7.1 s for the same work (CI at 13:31 UTC, 2026-12-03)
        waited = time.process_time() - cpu_start
        await settle(pilot)
        ids = [le.id for le in app.lessons]
        assert "hostile" in ids and "evil" in ids and len(ids) <= BUILT_IN + 30 + 2
        assert any("not loaded" in e.message for e in app.lesson_errors)
        assert any("01-a" in str(e.file) for e in app.lesson_errors)
        assert not app.loading, "the lesson list never finished loading"
        assert waited < 4.0, f"lesson list took {waited:.1f} s of CPU"
        svg = app.export_screenshot()
        assert not any(ch in svg for ch in bf.FORBIDDEN)
        # every row of the list, the evil pack's file names included, painted without escapes
        options = app.screen.query_one("#lessons", OptionList)
        painted = "\n".join(
            str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
        )
        assert "is missing the required field" in painted, "the evil pack's error is listed"
        leaked = sorted({repr(ch) for ch in bf.FORBIDDEN if ch in painted})
        assert not leaked, leaked
        app.post_message(__import__("tutor.app.app", fromlist=["OpenLesson"]).OpenLesson("hostile"))
        await settle(pilot)
        svg = app.export_screenshot()
        assert "Anatomy" in svg and not any(ch in svg for ch in bf.FORBIDDEN)


async def test_messages_in_the_error_list_carry_no_control_characters(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        editor = app.screen.query_one(YamlEditor)
        editor.load_text(bf.HOSTILE_MANIFEST.decode())
        await settle(pilot)
        errors = app.screen.query_one("#errors", OptionList)
        shown = "\n".join(
            str(errors.get_option_at_index(i).prompt) for i in range(errors.option_count)
        )
        assert errors.option_count >= 5
        leaked = sorted({repr(ch) for ch in bf.FORBIDDEN if ch in shown})
        assert not leaked, leaked


def _pty_run(
    env: dict[str, str],
    cols: int,
    rows: int,
    args: list[str],
    keys: list[tuple[bytes | tuple[int, int], bytes | None]],
    timeout: float = 40.0,
) -> tuple[int, str]:
    """Start `ktutor ARGS` in a pseudo-terminal of cols x rows and, once the lesson is on
    screen, send `keys` in order (a `(cols, rows)` pair instead of bytes resizes the terminal):
    after a key that names a text, the next one waits until the app has drawn that text (the
    app reads keys in order, so no wait is needed otherwise). Return its exit code and
    everything it wrote."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "tutor", *args], env)
        finally:
            os._exit(127)
    set_size(fd, cols, rows)
    out = bytearray()
    deadline = time.monotonic() + timeout
    pending = list(keys)
    awaited: bytes | None = b"natomy"
    since = 0
    status = 0
    reaped = False
    while time.monotonic() < deadline:
        while pending and (awaited is None or awaited in CSI.sub(b"", bytes(out[since:]))):
            key, awaited = pending.pop(0)
            since = len(out)
            if isinstance(key, tuple):
                set_size(fd, *key)
            else:
                os.write(fd, key)
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError as exc:
                if exc.errno == errno.EIO:
                    break
                raise
            if not chunk:
                break
            out += chunk
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            reaped = True
            break
    else:
        os.kill(pid, signal.SIGKILL)
    if not reaped:
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


SGR = re.compile(r"\x1b\[([0-9;]*)m")
GREY_16 = {30, 37, 90, 97, 40, 47, 100, 107}
GREY_256 = {0, 7, 8, 15, 16, 231, *range(232, 256)}


def colours(out: str) -> tuple[int, list[str]]:
    """How many colours the output sets, and those that are not a grey (any colour depth)."""
    count, bad = 0, []
    for match in SGR.finditer(out):
        codes = [int(c) for c in match.group(1).split(";") if c]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    count += 1
                    if codes[i + 2] not in GREY_256:
                        bad.append(f"{code};5;{codes[i + 2]}")
                    i += 3
                    continue
                if codes[i + 1] == 2 and i + 4 < len(codes):
                    count += 1
                    r, g, b = codes[i + 2 : i + 5]
                    if not r == g == b:
                        bad.append(f"{code};2;{r};{g};{b}")
                    i += 5
                    continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                count += 1
                if code not in GREY_16:
                    bad.append(str(code))
            i += 1
    return count, bad


def _clean_env(tmp_path: Path, term: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    # COLORTERM=truecolor: the richest colours, so NO_COLOR's effect is plain to see
    env.update(
        TERM=term,
        NO_COLOR="1",
        KTUTOR_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        COLORTERM="truecolor",
    )
    env.pop("KTUTOR_LESSONS", None)
    return env


@pytest.mark.slow
def test_real_terminal_sizes_with_no_color(tmp_path: Path) -> None:
    """The real `ktutor anatomy` in a pty with NO_COLOR, started at 40x12 and then resized (as
    a terminal window is: SIGWINCH) to 80x24 and 300x100: at each size F3 (the editor, in front
    at every size) and typing that the editor draws, a syntax error at the first size, whose
    message each resize draws again; Ctrl+Q. (It pressed Insert, which opens nothing: below
    300x100 the typing went nowhere and no error was drawn.) One app for the three sizes:
    three starts were ~2 CPU s each; TERM is xterm-256color for all (the `linux` case it had
    changed no colour: with COLORTERM set, Rich takes the colour system from it, and TERM
    counts only as `dumb`, tested below)."""
    env = _clean_env(tmp_path, "xterm-256color")
    keys: list[tuple[bytes | tuple[int, int], bytes | None]] = [
        (b"\x1bOR", b"apiVersion"),
        (b"::: [", b"YAML syntax error"),
    ]
    for cols, rows in ((80, 24), (300, 100)):
        mark = f"#at{cols}x{rows}".encode()
        keys += [((cols, rows), b"YAML syntax error"), (b"\x1bOR", None), (mark, mark)]
    code, out = _pty_run(env, 40, 12, ["anatomy"], [*keys, (b"\x11", None)])
    assert "Traceback" not in out, out[-3000:]
    assert code == 0, (code, out[-2000:])
    assert "Anatomy" in out or "anatomy" in out
    assert b"#at300x100" in CSI.sub(b"", out.encode()), "the typing at the last size was drawn"
    # NO_COLOR: Textual renders in monochrome, so every colour it sends is a grey
    count, not_grey = colours(out)
    assert count and not not_grey, sorted(set(not_grey))[:10]


@pytest.mark.slow
def test_without_no_color_the_same_run_is_in_colour(tmp_path: Path) -> None:
    """The control for the test above: the grey check does see colour when there is some."""
    env = _clean_env(tmp_path, "xterm-256color")
    env.pop("NO_COLOR")
    code, out = _pty_run(env, 80, 24, ["anatomy"], [(b"\x11", None)])
    assert code == 0 and "Traceback" not in out
    assert colours(out)[1], "no colour at all: the NO_COLOR test would prove nothing"


@pytest.mark.slow
def test_term_dumb_is_refused_with_a_message(tmp_path: Path) -> None:
    """`ktutor` alone, whose refusal comes before anything is loaded (0.07 CPU s; `ktutor
    anatomy` reads the lesson files first, 0.5 s, and its refusal, the same
    `_terminal_problem`, is test_ktutor_without_a_terminal_says_so's)."""
    env = _clean_env(tmp_path, "dumb")
    code, out = _pty_run(env, 80, 24, [], [(b"\x11", None)])
    assert "Traceback" not in out
    assert code == 2 and "terminal" in out and "\x1b[" not in out, (code, out[:300])


def test_ktutor_without_a_terminal_says_so(zygote: Any) -> None:
    """`ktutor anatomy` with no terminal (stdin /dev/null, output to files), in a child forked
    from the suite's prepared python (tests/conftest.py's `zygote`: every worker has one for
    the bad-input tests; a cold `python -m tutor` was 0.5 CPU s for a one-line refusal)."""
    answer = zygote.run(["anatomy"])
    assert answer.code == 2 and "needs a terminal" in answer.stderr, answer
    assert "Traceback" not in answer.stderr


async def test_a_pack_lesson_that_lint_rejects_is_not_opened(tmp_path: Path) -> None:
    """#15 item 1: a pack whose manifest holds 254 nesting levels was rejected by `ktutor lint`
    but opened by the app (and then crashed it); the same lesson, sound, opens."""
    from tutor.app.app import OpenLesson

    pack = tmp_path / "pack"
    pack.mkdir()
    text = LESSON_FILE.read_text(encoding="utf-8")
    (pack / "01-sound.yaml").write_text(text.replace("id: anatomy", "id: sound", 1))
    deep = "  " + "- " * 254 + "x\n"
    bad = text.replace("id: anatomy", "id: deep", 1).replace(
        "manifest: &base |\n", "manifest: &base |\n" + deep, 1
    )
    (pack / "02-deep.yaml").write_text(bad)
    data = tmp_path / "data"
    data.mkdir()
    app = make_app(data, lesson_id=None, extra_dirs=[pack])
    seen = Notices(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        while app.loading:
            await pilot.pause(0.05)
        await settle(pilot)
        assert {"sound", "deep"} <= {le.id for le in app.lessons}
        app.post_message(OpenLesson("deep"))
        await settle(pilot)
        assert not app.screen.query(YamlEditor), "a lesson lint rejects was opened"
        assert any("ktutor lint" in n.title for n in seen)
        app.post_message(OpenLesson("sound"))
        await settle(pilot)
        assert app.screen.query(YamlEditor)
