"""Where a learner is: current step, steps done, challenges solved, quiz answers, unsaved edits.

One small JSON file per learner, rewritten atomically on every change (see `atomic.write_atomic`)
so a crash or a killed process never leaves half a file. Nothing here may stop the tutor: a
corrupt file is moved aside and a fresh one started, and a home directory that cannot be written
(read-only, full, missing) keeps progress in memory for the session. Either way `notice` holds one
sentence the app shows the learner.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import json
import os
import re
import stat
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from tutor import settings

from .atomic import write_atomic

if TYPE_CHECKING:
    from .lesson import Lesson

FORMAT = "ktutor-progress"
VERSION = 1
FILE_NAME = "progress.json"
LEARNERS_DIR = "learners"
MAX_FILE_BYTES = 16 * 1024 * 1024
"""A progress file larger than this is treated as corrupt (a real one is a few KB)."""
MAX_EDIT_CHARS = 256 * 1024
"""Edits longer than this are kept for the session but not written (they would make every
keystroke's save slow)."""

STALE_TEMP_SECONDS = 60.0

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def default_dir() -> Path:
    """`KTUTOR_DATA_DIR`, else the platform's user data folder for ktutor."""
    return settings.data_dir() or Path(platformdirs.user_data_dir("ktutor"))


def safe_learner_name(name: str) -> str:
    """A learner name usable as a file name, different for every distinct name: no separators,
    no leading dots, at most 64 characters. A name that is already safe is kept as it is;
    any other gets the safe part plus 8 hex digits of the name's hash, so `王芳` and `李雷`
    (no safe letters at all), or `Ada B` and `Ada_B`, never share a file. "" becomes
    `anonymous`."""
    name = unicodedata.normalize("NFC", name.strip())
    cleaned = re.sub(r"\.\.+", "_", _UNSAFE.sub("_", name))
    cleaned = re.sub(r"__+", "_", cleaned).strip("._")[:64].strip("._")
    if not name.strip("."):
        return "anonymous"
    if cleaned == name:
        return cleaned
    import hashlib  # here: only a learner name needs it, and `ktutor` opens progress at start

    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{cleaned[:55].strip('._') or 'learner'}-{digest}"


@dataclass(slots=True)
class LessonProgress:
    step: int = 0
    """The step the learner is on (0-based)."""
    done: bool = False
    steps_done: set[int] = field(default_factory=set)
    challenges_solved: set[str] = field(default_factory=set)
    challenges_revealed: set[str] = field(default_factory=set)
    """Debugging challenges (`routing: symptoms`) whose full routing view the learner opened
    (the reveal key, or the solution): it stays open when they come back, as a solved one does."""
    quiz: dict[int, int] = field(default_factory=dict)
    """Question index -> the first chosen answer's index in the file (see `tutor.course.quiz`:
    the score is worked out from these)."""
    skipped: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"step": self.step}
        if self.done:
            out["done"] = True
        if self.skipped:
            out["skipped"] = True
        if self.steps_done:
            out["steps_done"] = sorted(self.steps_done)
        if self.challenges_solved:
            out["challenges_solved"] = sorted(self.challenges_solved)
        if self.challenges_revealed:
            out["challenges_revealed"] = sorted(self.challenges_revealed)
        if self.quiz:
            out["quiz"] = {str(k): v for k, v in sorted(self.quiz.items())}
        return out

    @classmethod
    def from_json(cls, data: Any) -> LessonProgress:
        """Raises ValueError when `data` is not a lesson's progress."""
        if not isinstance(data, dict):
            raise ValueError("a lesson's progress is not a mapping")
        step = data.get("step", 0)
        steps_done = data.get("steps_done", [])
        solved = data.get("challenges_solved", [])
        revealed = data.get("challenges_revealed", [])
        quiz = data.get("quiz", {})
        if not _is_int(step) or step < 0:
            raise ValueError("`step` is not a step number")
        if not isinstance(steps_done, list) or not all(_is_int(i) and i >= 0 for i in steps_done):
            raise ValueError("`steps_done` is not a list of step numbers")
        if not isinstance(solved, list) or not all(isinstance(c, str) for c in solved):
            raise ValueError("`challenges_solved` is not a list of challenge ids")
        if not isinstance(revealed, list) or not all(isinstance(c, str) for c in revealed):
            raise ValueError("`challenges_revealed` is not a list of challenge ids")
        if not isinstance(quiz, dict) or not all(
            isinstance(k, str) and k.isdigit() and _is_int(v) for k, v in quiz.items()
        ):
            raise ValueError("`quiz` is not a mapping of question numbers to answers")
        return cls(
            step=step,
            done=data.get("done") is True,
            steps_done=set(steps_done),
            challenges_solved=set(solved),
            challenges_revealed=set(revealed),
            quiz={int(k): v for k, v in quiz.items()},
            skipped=data.get("skipped") is True,
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


RENAMED_LESSONS = {"dns": "service-names"}
"""Built-in lesson ids that changed, old -> new: what a progress file keeps under the old id
is read as the new one's. Lesson 11 was `dns`, and `ktutor dns` runs the DNS command, so the
README's `ktutor ID` could not open it."""


def _renamed(keyed: dict[str, Any]) -> None:
    for old, new in RENAMED_LESSONS.items():
        if old in keyed and new not in keyed:
            keyed[new] = keyed.pop(old)


def _parse(text: str) -> tuple[str, dict[str, LessonProgress], dict[str, dict[str, str]]]:
    """The progress file's JSON -> (learner, lessons, edits). Raises ValueError."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format", FORMAT) != FORMAT:
        raise ValueError("not a ktutor progress file")
    version = data.get("version", VERSION)
    if not _is_int(version):
        raise ValueError(f"progress file version {version!r} is not a number")
    if version > VERSION:
        raise NewerVersion(version)
    lessons_raw = data.get("lessons", {})
    edits_raw = data.get("edits", {})
    if not isinstance(lessons_raw, dict) or not isinstance(edits_raw, dict):
        raise ValueError("`lessons` and `edits` must be mappings")
    lessons = {str(k): LessonProgress.from_json(v) for k, v in lessons_raw.items()}
    edits: dict[str, dict[str, str]] = {}
    for lesson_id, saved in edits_raw.items():
        if not isinstance(saved, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in saved.items()
        ):
            raise ValueError("`edits` must map lesson ids to {key: text}")
        edits[str(lesson_id)] = dict(saved)
    _renamed(lessons)
    _renamed(edits)
    learner = data.get("learner", "")
    return (learner if isinstance(learner, str) else ""), lessons, edits


class NewerVersion(ValueError):
    """The file was written by a newer ktutor: it is kept untouched, not called corrupt."""

    def __init__(self, version: int) -> None:
        super().__init__(
            f"progress file version {version} was written by a newer ktutor "
            f"(this one reads up to version {VERSION})"
        )
        self.version = version


def read_regular(path: Path, limit: int) -> bytes:
    """Up to `limit` + 1 bytes of `path`, which must be a regular file. Opened without
    blocking: a FIFO (or a device) would wait for a writer forever, with the screen blank
    and ctrl+q dead. Raises FileNotFoundError, IsADirectoryError or OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""What the editor is never given: control characters (a paste shows them as pictures; tab,
newline and CR are text) and lone surrogates (JSON can spell them; no file can hold them)."""


def edit_problem(text: str) -> str:
    """Why a saved edit could not be handed to the editor, or ''. Checked as the app checks a
    text before the editor and its highlighter get it, and as a manifest is (size, nesting,
    aliases; a syntax error is fine: edits are saved mid-typing)."""
    from tutor.model.limits import MAX_HIGHLIGHT_DEPTH, InputRejected, highlight_safe
    from tutor.model.yamldoc import YamlSyntaxError, load_documents

    if len(text) > MAX_EDIT_CHARS:
        return f"it is over {MAX_EDIT_CHARS // 1024} KB"
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        code = ord(bad.group())
        line = text.count("\n", 0, bad.start()) + 1
        if 0xD800 <= code <= 0xDFFF:
            return f"it is not Unicode text (a lone surrogate U+{code:04X} at line {line})"
        return f"it holds a control character (U+{code:04X}) at line {line}"
    try:
        load_documents(text)
    except YamlSyntaxError:
        pass
    except InputRejected as exc:
        return str(exc)
    if not highlight_safe(text):
        return (
            f"it nests deeper than the editor's highlighter survives ({MAX_HIGHLIGHT_DEPTH} levels)"
        )
    return ""


# The keys of a lesson's saved edits (written here once: the screens save under them and
# `lesson_problem` checks an imported file's keys against them).


def step_key(index: int) -> str:
    """The key of a step's saved edit (0-based, as `reset_step` uses)."""
    return f"step-{index}"


def cluster_key(index: int) -> str:
    """The key of a step's cluster changes (deleted, moved, relabelled Pods, as JSON), kept
    next to the step's YAML so both come back after a restart."""
    return f"cluster-step-{index}"


def challenge_key(challenge_id: str) -> str:
    return f"challenge-{challenge_id}"


def console_key(challenge_id: str) -> str:
    """The key of the console lines run in a challenge (its `ran` goals)."""
    return f"console-challenge-{challenge_id}"


CONSOLE_KEY = "console"
"""The key of the console lines run in a lesson's steps (one history for them all, as in a
terminal)."""
_KEY = re.compile(r"(?:(cluster-)?step-(\d+)|(console-)?challenge-(.+)|console)\Z")


def _counted(owner: str, count: int, what: str) -> str:
    """`anatomy has 9 steps: 0 to 8` (the file counts from 0)."""
    plural = "s" if count != 1 else ""
    return f"{owner} has {count} {what}{plural}" + (f": 0 to {count - 1}" if count else "")


def lesson_problem(
    lesson_id: str, entry: LessonProgress | None, saved: dict[str, str], lesson: Lesson | None
) -> str:
    """Why a lesson's progress and saved edits from another file do not fit `lesson` (the
    lesson of that id here, None when there is none), naming the entry, or ''."""
    if lesson is None:
        return (
            f"lesson `{lesson_id}`: there is no such lesson here (if it comes from a lesson "
            "pack, add the pack with --lessons DIR)"
        )
    steps = len(lesson.steps)
    step_range = _counted(lesson_id, steps, "step")
    challenges = {c.id for c in lesson.challenges}
    if entry is not None:
        if entry.step and entry.step >= steps:
            return f"lesson `{lesson_id}`: step {entry.step} is out of range ({step_range})"
        for index in sorted(entry.steps_done):
            if index >= steps:
                return f"lesson `{lesson_id}`: steps_done has {index}, out of range ({step_range})"
        for name, ids in (
            ("challenges_solved", entry.challenges_solved),
            ("challenges_revealed", entry.challenges_revealed),
        ):
            for challenge in sorted(ids - challenges):
                return f"lesson `{lesson_id}`: {name} has `{challenge}`, not a challenge of it"
        for question, choice in sorted(entry.quiz.items()):
            if question >= len(lesson.quiz):
                return (
                    f"lesson `{lesson_id}`: quiz question {question} is out of range "
                    f"({_counted(lesson_id, len(lesson.quiz), 'question')})"
                )
            if not 0 <= choice < len(lesson.quiz[question].choices):
                return (
                    f"lesson `{lesson_id}`: quiz question {question}'s answer {choice} is out of "
                    f"range ({_counted('it', len(lesson.quiz[question].choices), 'choice')})"
                )
    for key in sorted(saved):
        where = f"the saved edit {lesson_id}/{key}"
        match = _KEY.match(key)
        if match is None:
            return f"{where}: `{key}` is not a key ktutor saves"
        if match.group(2) is not None and int(match.group(2)) >= steps:
            return f"{where}: step {match.group(2)} is out of range ({step_range})"
        if match.group(4) is not None and match.group(4) not in challenges:
            return f"{where}: `{match.group(4)}` is not a challenge of lesson `{lesson_id}`"
        if match.group(1):
            try:
                changes = json.loads(saved[key])
            except ValueError:
                changes = None
            if not isinstance(changes, dict):
                return f"{where}: not cluster changes ktutor can read (a JSON object)"
    return ""


def _aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    dest = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while dest.exists():
        n += 1
        dest = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    return dest


def _memory_notice(path: Path) -> str:
    return f"Cannot write to {path}: progress is kept in memory for this session."


def missing_home(folder: Path) -> Path | None:
    """The home folder when `folder` lies inside it and it does not exist: a wrong HOME must not
    make ktutor create a home folder (mkdir -p would, as root) just to save progress."""
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None
    inside = folder == home or home in folder.parents
    return home if inside and not home.exists() else None


class ProgressStore:
    """One learner's progress. Every change is saved at once; reads come from memory."""

    def __init__(
        self, path: Path, *, learner: str = "", persistent: bool = True, notice: str = ""
    ) -> None:
        self.path = path
        self.learner = learner
        self.persistent = persistent
        self.notice = notice
        self._lessons: dict[str, LessonProgress] = {}
        self._edits: dict[str, dict[str, str]] = {}
        self._lock = threading.RLock()
        self._held = 0
        """Above 0 inside `held()`: changes are kept in memory, written by a later `save()`."""
        self._last_written = ""
        self.current = ""
        """The lesson the learner last worked in (the instructor's roster shows it)."""
        self.challenge = ""
        """The challenge of `current` the learner was in when they left ("" for a step): the
        lesson list offers to continue there."""

    # --- opening --------------------------------------------------------------------------

    @classmethod
    def file_for(cls, path: Path | None = None, learner: str | None = None) -> Path:
        """Where `open(path, learner)` keeps its file.

        Without a learner: `path`, else `<data dir>/progress.json`. With a learner: the file is
        `<base>/learners/<name>.json`, where `<base>` is `path` when it is a folder, the folder
        of `path` when it names a `.json` file (so `DIR/progress.json` and `DIR` mean the same
        workshop), else the data dir. Learners never share a file.
        """
        if learner is None:
            return Path(path) if path is not None else default_dir() / FILE_NAME
        if path is None:
            base = default_dir()
        else:
            given = Path(path)
            base = given.parent if given.suffix == ".json" and not given.is_dir() else given
        return base / LEARNERS_DIR / f"{safe_learner_name(learner)}.json"

    @classmethod
    def open(cls, path: Path | None = None, learner: str | None = None) -> ProgressStore:
        """Open (or start) a progress file. Never raises for a bad file or an unwritable home:
        the store then works in memory and `notice` says why."""
        file = cls.file_for(path, learner)
        store = cls(file, learner=learner or "")
        home = missing_home(file.parent)
        if home is not None:
            store._memory(
                file.parent,
                f"Your home folder {home} does not exist: progress is "
                "kept in memory for this session.",
            )
            return store
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            store._memory(file.parent)
            return store
        store._load()
        if store.persistent:
            store._probe()
            store._sweep()
        return store

    @classmethod
    def read(cls, path: Path) -> ProgressStore:
        """Read a progress file without touching anything: no folder made, no file moved
        aside, nothing written (the store keeps changes in memory). For the instructor's
        roster, which reads every learner's file while their tutors write them: a corrupt
        file was moved aside by the listing itself. A file that cannot be read gives an empty
        store whose `notice` says why."""
        store = cls(Path(path), persistent=False)
        store._load(aside=False)
        return store

    @classmethod
    def blank(cls) -> ProgressStore:
        """A learner with no progress at all, kept in memory: what a lesson screen built
        before its learner is known reads and writes (`take_lesson` hands that over)."""
        return cls(Path(os.devnull), persistent=False)

    def _sweep(self) -> None:
        """Remove temporary files a killed writer left behind (old enough not to be another
        process's write in flight)."""
        cutoff = time.time() - STALE_TEMP_SECONDS
        with contextlib.suppress(OSError):
            for tmp in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    if tmp.stat().st_mtime < cutoff:
                        tmp.unlink()

    def _memory(self, where: Path, notice: str = "") -> None:
        self.persistent = False
        self.notice = notice or _memory_notice(where)

    def _probe(self) -> None:
        """Find out now, not at the first keystroke, whether the folder can be written."""
        try:
            with tempfile.TemporaryFile(dir=self.path.parent):
                pass
        except OSError:
            self._memory(self.path.parent)

    def _load(self, aside: bool = True) -> None:
        """Read the file; a corrupt one is moved aside (`aside`) and a new one started, or,
        without `aside`, left where it is with a `notice`."""
        file = self.path
        try:
            raw = read_regular(file, MAX_FILE_BYTES)
        except FileNotFoundError:
            return
        except IsADirectoryError:
            self._memory(
                file,
                f"{file} is a folder, not a progress file: progress is kept in "
                "memory for this session.",
            )
            return
        except OSError as exc:
            why = exc.strerror or str(exc)
            self._memory(
                file,
                f"Cannot read {file} ({why.lower()}): progress is kept in memory for this session.",
            )
            return
        try:
            if len(raw) > MAX_FILE_BYTES:
                raise ValueError("too large")
            learner, lessons, edits = _parse(raw.decode("utf-8"))
        except NewerVersion as exc:
            self._memory(
                file,
                f"Your progress file {file} is from a newer version of ktutor ({exc}): it is "
                "left untouched, and progress is kept in memory for this session.",
            )
            return
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            if not aside:
                why = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
                self._memory(file, f"{file} is not a progress file ktutor can read ({why})")
                return
            dest = _aside(file)
            try:
                os.replace(file, dest)
            except OSError:
                self._memory(
                    file,
                    f"Your progress file {file} is corrupt and cannot be moved "
                    "aside: progress is kept in memory for this session.",
                )
                return
            self.notice = (
                f"Your progress file was corrupt; it was moved to {dest} and a new one started."
            )
            return
        self._lessons, self._edits = lessons, edits
        self.learner = self.learner or learner
        with contextlib.suppress(ValueError, AttributeError):
            data = json.loads(raw)
            current, challenge = data.get("current", ""), data.get("challenge", "")
            current = RENAMED_LESSONS.get(current, current) if isinstance(current, str) else ""
            self.current = current
            self.challenge = challenge if isinstance(challenge, str) and self.current else ""
        self._last_written = raw.decode("utf-8")

    # --- saving ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            out: dict[str, Any] = {"format": FORMAT, "version": VERSION}
            if self.learner:
                out["learner"] = self.learner
            if self.current:
                out["current"] = self.current
            if self.current and self.challenge:
                out["challenge"] = self.challenge
            out["lessons"] = {k: v.to_json() for k, v in sorted(self._lessons.items())}
            edits = {
                lid: {k: t for k, t in sorted(saved.items()) if len(t) <= MAX_EDIT_CHARS}
                for lid, saved in sorted(self._edits.items())
                if saved
            }
            if edits:
                out["edits"] = edits
            return out

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Change several things and write them once, later: the app then calls `save()` from
        a thread, so writing a big edit (and its fsync) never holds up the screen."""
        with self._lock:
            self._held += 1
            try:
                yield
            finally:
                self._held -= 1

    def save(self) -> None:
        """Write the file now (every change calls this, except inside `held()`). A failed
        write switches to memory. Safe from any thread: it writes the state as it is when it
        runs, so writers that finish out of order still leave the newest state."""
        with self._lock:
            if not self.persistent or self._held:
                return
            text = self.dumps()
            if text == self._last_written:
                return
            try:
                write_atomic(self.path, text, mode=0o600)
            except OSError:
                self._memory(self.path)
                return
            self._last_written = text

    def _entry(self, lesson_id: str) -> LessonProgress:
        self.current = lesson_id
        entry = self._lessons.get(lesson_id)
        if entry is None:
            entry = self._lessons[lesson_id] = LessonProgress()
        return entry

    # --- reading --------------------------------------------------------------------------

    def lesson(self, lesson_id: str) -> LessonProgress:
        """A copy of one lesson's progress (change it through the store's methods)."""
        with self._lock:
            entry = self._lessons.get(lesson_id)
            return copy.deepcopy(entry) if entry is not None else LessonProgress()

    def lesson_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._lessons)

    def status(self, lesson_id: str, step_count: int) -> str:
        """ "done", "skipped", "in progress" or "new". All steps done counts as done."""
        with self._lock:
            entry = self._lessons.get(lesson_id)
            if entry is None:
                return "in progress" if self._edits.get(lesson_id) else "new"
            if entry.done or (
                step_count > 0 and all(i in entry.steps_done for i in range(step_count))
            ):
                return "done"
            if entry.skipped:
                return "skipped"
            if (
                entry.step
                or entry.steps_done
                or entry.challenges_solved
                or entry.challenges_revealed
                or entry.quiz
                or self._edits.get(lesson_id)
            ):
                return "in progress"
            return "new"

    def untouched(self, lesson_id: str) -> bool:
        """Nothing is kept for the lesson: no step, no edit, no answer (a new learner's)."""
        with self._lock:
            entry = self._lessons.get(lesson_id)
            return (entry is None or entry == LessonProgress()) and not self._edits.get(lesson_id)

    def take_lesson(self, other: ProgressStore, lesson_id: str) -> None:
        """Take what `other` (a `blank()` store a screen was built on) keeps for one lesson,
        as if this store had been written to: its progress and edits, and whether the
        learner is in it now. Changes nothing else here."""
        with self._lock, other._lock:
            entry = other._lessons.get(lesson_id)
            if entry is not None:
                self._lessons[lesson_id] = copy.deepcopy(entry)
            if other._edits.get(lesson_id):
                self._edits[lesson_id] = dict(other._edits[lesson_id])
            if other.current == lesson_id:
                self.current, self.challenge = other.current, other.challenge
            self.save()

    def saved_edit(self, lesson_id: str, key: str) -> str | None:
        with self._lock:
            return self._edits.get(lesson_id, {}).get(key)

    # --- changing -------------------------------------------------------------------------

    def set_step(self, lesson_id: str, index: int) -> None:
        with self._lock:
            self._entry(lesson_id).step = max(0, index)
            self.challenge = ""
            self.save()

    def enter_challenge(self, lesson_id: str, challenge_id: str) -> None:
        """The learner opened a challenge: where to continue if they quit in it."""
        with self._lock:
            self._entry(lesson_id)
            self.challenge = challenge_id
            self.save()

    def leave_challenge(self) -> None:
        """The learner went back from the challenge (quitting the app does not call this)."""
        with self._lock:
            if self.challenge:
                self.challenge = ""
                self.save()

    def mark_step_done(self, lesson_id: str, index: int) -> None:
        with self._lock:
            self._entry(lesson_id).steps_done.add(index)
            self.save()

    def mark_done(self, lesson_id: str) -> None:
        with self._lock:
            self._entry(lesson_id).done = True
            self.save()

    def skip(self, lesson_id: str) -> None:
        with self._lock:
            self._entry(lesson_id).skipped = True
            self.save()

    def solve_challenge(self, lesson_id: str, challenge_id: str) -> None:
        with self._lock:
            self._entry(lesson_id).challenges_solved.add(challenge_id)
            self.save()

    def reveal_challenge(self, lesson_id: str, challenge_id: str) -> None:
        """The learner opened a debugging challenge's full routing view: keep it open."""
        with self._lock:
            revealed = self._entry(lesson_id).challenges_revealed
            if challenge_id not in revealed:
                revealed.add(challenge_id)
                self.save()

    def answer_quiz(self, lesson_id: str, question: int, choice: int) -> bool:
        """Keep the learner's FIRST answer to a question (a later one cannot turn it right);
        True when this answer is the one kept."""
        with self._lock:
            answers = self._entry(lesson_id).quiz
            if question in answers:
                return False
            answers[question] = choice
            self.save()
            return True

    def save_edit(self, lesson_id: str, key: str, text: str) -> None:
        """Keep the learner's text for `key` ("step-3", "challenge-fix-selector"). Call it as
        they type; an unchanged text costs no write."""
        with self._lock:
            saved = self._edits.setdefault(lesson_id, {})
            if saved.get(key) != text:
                saved[key] = text
            self.save()  # also when unchanged: a change kept by `held()` may be unwritten

    def clear_edit(self, lesson_id: str, key: str) -> None:
        with self._lock:
            saved = self._edits.get(lesson_id)
            if saved is None or key not in saved:
                return
            del saved[key]
            if not saved:
                del self._edits[lesson_id]
            self.save()

    def reset_step(self, lesson_id: str, index: int) -> None:
        """Forget the learner's edit of step `index` and that it was done."""
        with self._lock:
            entry = self._lessons.get(lesson_id)
            if entry is not None:
                entry.steps_done.discard(index)
                entry.done = False
            saved = self._edits.get(lesson_id)
            if saved is not None:
                saved.pop(f"step-{index}", None)
                if not saved:
                    del self._edits[lesson_id]
            self.save()

    def reset_lesson(self, lesson_id: str) -> None:
        with self._lock:
            self._lessons.pop(lesson_id, None)
            self._edits.pop(lesson_id, None)
            if self.current == lesson_id:
                self.challenge = ""
            self.save()

    def reset_all(self) -> None:
        with self._lock:
            self._lessons.clear()
            self._edits.clear()
            self.current = self.challenge = ""
            self.save()

    # --- moving between machines ----------------------------------------------------------

    def export(self, path: Path) -> None:
        """Write everything (edits included) to `path`. Raises OSError when it cannot."""
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n"
        write_atomic(Path(path), text)

    def import_(self, path: Path, lessons: Mapping[str, Lesson] | None = None) -> None:
        """Merge an exported file into this store: steps, challenges and done flags add up,
        the imported step, quiz answers and edits win. Every saved edit must be a text the
        editor can be given (`edit_problem`); with `lessons` (the lessons here, by id), every
        lesson, step, challenge and quiz answer the file names must be one of theirs. Raises
        ValueError (bad file, naming the entry; a file with no progress in it) or OSError
        (unreadable) and then changes nothing."""
        raw = read_regular(Path(path), MAX_FILE_BYTES)
        if len(raw) > MAX_FILE_BYTES:
            raise ValueError(f"{path} is too large to be a progress file")
        try:
            _learner, lessons_in, edits = _parse(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ValueError(f"{path} is not a ktutor progress file (not UTF-8 text)") from None
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{path}:{exc.lineno}: not a ktutor progress file ({exc.msg})"
            ) from None
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        if not lessons_in and not edits:  # `{}` parses: say so rather than "imported"
            raise ValueError(
                f"{path} holds no progress (no lessons, no saved edits): nothing to import"
            )
        for lesson_id, saved in sorted(edits.items()):
            for key, text in sorted(saved.items()):
                problem = edit_problem(text)
                if problem:
                    raise ValueError(
                        f"{path}: the saved edit {lesson_id}/{key} cannot be imported: {problem}"
                    )
        known = lessons if lessons is not None else {}
        for lesson_id in sorted(set(lessons_in) | set(edits)) if lessons is not None else ():
            problem = lesson_problem(
                lesson_id, lessons_in.get(lesson_id), edits.get(lesson_id, {}), known.get(lesson_id)
            )
            if problem:
                raise ValueError(f"{path}: cannot be imported: {problem}")
        with self._lock:
            for lesson_id, theirs in lessons_in.items():
                mine = self._entry(lesson_id)
                mine.step = theirs.step
                mine.done = mine.done or theirs.done
                mine.skipped = mine.skipped or theirs.skipped
                mine.steps_done |= theirs.steps_done
                mine.challenges_solved |= theirs.challenges_solved
                mine.challenges_revealed |= theirs.challenges_revealed
                mine.quiz.update(theirs.quiz)
            for lesson_id, saved in edits.items():
                self._edits.setdefault(lesson_id, {}).update(saved)
            self.save()

    @classmethod
    def all_learners(cls, base_dir: Path | None = None) -> dict[str, ProgressStore]:
        """Every learner's store under `<base_dir>/learners/` (what `ktutor serve` writes),
        keyed by learner name, read only (`read`): a file that cannot be read is listed with
        its `notice`."""
        folder = (Path(base_dir) if base_dir is not None else default_dir()) / LEARNERS_DIR
        out: dict[str, ProgressStore] = {}
        with contextlib.suppress(OSError):
            for file in sorted(folder.glob("*.json")):
                store = cls.read(file)
                name = store.learner or file.stem
                while name in out:
                    name += "'"
                out[name] = store
        return out
