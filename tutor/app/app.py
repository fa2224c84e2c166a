"""The ktutor Textual app: the lesson list first, a lesson screen on demand.

Only what the first screen needs is imported here; the lesson screen (editor, Markdown, routing
view) is imported the first time a lesson opens, so `ktutor` shows its list quickly.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from tutor import settings
from tutor.app.screens.lesson_list import LessonListScreen
from tutor.course.listing import Heading

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.css.stylesheet import Stylesheet

    from tutor.app.screens.lesson import LessonScreen
    from tutor.app.widgets.editor import YamlEditor
    from tutor.classroom.claims import NameClaim
    from tutor.course.lesson import Lesson, LessonError, LessonSet
    from tutor.course.lesson_cache import Kept
    from tutor.course.progress import ProgressStore

GC_THRESHOLD = 50_000
"""Allocations between young-generation collections (Python's default is 700)."""

_STYLESHEETS: dict[tuple[tuple[str, str], ...], Stylesheet] = {}
"""The stylesheet of this process's tutors, per set of CSS variables (a theme): see
`TutorApp.on_load`."""


def progress_path(data_dir: str | Path | None = None) -> Path | None:
    """The progress file: in `data_dir` or `$KTUTOR_DATA_DIR`, else the store's default."""
    base = Path(data_dir).expanduser() if data_dir is not None else settings.data_dir()
    return base / "progress.json" if base else None


def _tutor_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (keeps start-up lean)."""
    from tutor.app.palette import TutorCommands

    return TutorCommands


class LessonsLoaded(Message):
    """The lesson files were read (in a thread, after the first frame)."""

    def __init__(self, lessons: list[Lesson], errors: list[LessonError]) -> None:
        super().__init__()
        self.lessons = lessons
        self.errors = errors


class OpenLesson(Message):
    """Ask the app to open a lesson (from the list, the palette or the command line)."""

    def __init__(self, lesson_id: str, step: int | None = None) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.step = step


class TutorApp(App[None]):
    """Learn Kubernetes Services by editing a manifest and watching the traffic move."""

    CSS_PATH = "app.tcss"
    TITLE = "ktutor"
    SUB_TITLE = "Kubernetes Services, hands on"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {_tutor_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False, id="help-key"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(
        self,
        lesson_id: str | None = None,
        *,
        step: int | None = None,
        extra_dirs: Sequence[str | Path] = (),
        data_dir: str | Path | None = None,
        lessons: Sequence[Lesson] | None = None,
        errors: Sequence[LessonError] = (),
        learner: str | None = None,
    ) -> None:
        super().__init__()
        self.start_lesson = lesson_id
        self.start_step = step
        self.extra_dirs = [Path(d).expanduser() for d in extra_dirs]
        """`--lessons` folders; the loader adds `$KTUTOR_LESSONS` itself."""
        self.data_path = progress_path(data_dir)
        self.data_dir = data_dir
        self.learner = learner
        self._kept: Kept | None = None
        """The lessons as the lesson cache keeps them, until they are built (`lessons`)."""
        self._lessons: list[Lesson] = list(lessons) if lessons is not None else []
        self.lesson_errors: list[LessonError] = list(errors)
        self._given_lessons = lessons is not None
        self.loading = False
        """True while the lesson files are read in the background."""
        self._progress: ProgressStore | None = None
        self.started = False
        """False until the learner is known (a served session asks first): the list waits."""
        self._too_big: set[tuple[str, str]] = set()
        """Edits the learner was told are too big to save (told once each)."""
        self.cursor_blink = not settings.serving()
        """Off in a browser tab: each blink is a frame the tab's tutor draws and the web server
        relays, twice a second for as long as the tab is open; with 100 learners in a lesson
        that took more than one of a 2-core machine's CPUs while nobody typed (#14). Tests and
        screenshots turn it off so frames are stable."""
        self._preloaded = False
        """A served tab read its lessons while waiting for the learner's name."""
        self._warmed = False
        self.warm_up = True
        """False in a tab's fork of `ktutor serve`'s fork server (`tutor.app.fork_server`),
        which imported the lesson screen and ran the first analysis before forking: the styles
        warm-up then cost the tab 0.2 s of CPU (a fifth of joining) to save lesson 1's
        opening about 0.03 s. A warm pool's tutor, which waits for its learner anyway, keeps
        it."""
        self.prebuild = settings.warm_tutor()
        """A warm tutor of `ktutor serve` builds the first lesson's screen while it waits for
        its learner (`_prebuild_first_lesson`); tests turn it on themselves."""
        self.preview = False
        """The list shows the lessons as a new learner sees them while the name is asked (a
        warm tutor fills it before its learner comes; the learner's own progress refills it
        only where it differs)."""
        self._prebuilt: LessonScreen | None = None
        """That screen, until a lesson is opened (see `_take_prebuilt`)."""
        self._spare_editor: YamlEditor | None = None
        """An editor made while the learner reads a list, for the next lesson or challenge
        to open (`YamlEditor.create`)."""
        from tutor.app import shims

        shims.install()  # before the driver's input thread starts: bad bytes do not end the app
        self.name_claim: NameClaim | None = None
        """A served tab's hold on its learner name (`tutor.classroom.claims`)."""
        self.burst_frame_seconds = 1 / 30
        """Time between the frames that reveal a burst of requests; tests set 0 (all at once)."""
        self._stylesheet_shared = False
        """This app parses its CSS into the process's shared stylesheet (`on_load`)."""

    def on_load(self) -> None:
        """A tutor without the warm-up takes the stylesheet an earlier such tutor of this
        process parsed (for the same CSS variables: the same theme). Textual gives each app a
        new stylesheet and parses every widget class's CSS again the first time one mounts:
        about 50 ms of CPU, a seventh of a new app's start in a lesson; each Pilot test starts
        one. The shared one holds the styles of every widget class any of them mounted, as a
        tutor's warm-up registers them ahead (`tutor.app.prewarm`). A tutor that warms up
        (`ktutor`, a warm pool's tab: one per process) keeps its own: it registers them itself.
        Load comes after Textual added the app's own CSS sources and before anything is
        styled: the shared stylesheet has the same sources, parsed."""
        if self.warm_up:
            return
        key = tuple(sorted(self.get_css_variables().items()))
        self.stylesheet = _STYLESHEETS.setdefault(key, self.stylesheet)
        self._stylesheet_shared = True

    def refresh_css(self, animate: bool = True) -> None:
        """New CSS variables (a theme change) are parsed into this app's own copy: the shared
        stylesheet keeps those it was parsed with, for the next tutor."""
        if self._stylesheet_shared:
            self._stylesheet_shared = False
            self.stylesheet = self.stylesheet.copy()
        super().refresh_css(animate)

    # -- state --------------------------------------------------------------------------------

    @property
    def lessons(self) -> list[Lesson]:
        """Every lesson that loaded. Lessons from the cache are built on first use: the list
        of the first frame shows their headings (`tutor.course.listing`), and the app builds
        them right after that frame."""
        if self._kept is not None:
            kept, self._kept = self._kept, None
            try:
                found = kept.build()
            except Exception:  # a cache that is not what ktutor wrote: read the files
                found = self._read_lesson_files()
                self.call_later(self._fill_lists)
            self._lessons, self.lesson_errors = list(found.lessons), list(found.errors)
        return self._lessons

    @lessons.setter
    def lessons(self, lessons: list[Lesson]) -> None:
        self._kept = None
        self._lessons = lessons

    def headings(self) -> list[Heading]:
        """What the lesson list shows of each lesson (without building cached lessons)."""
        if self._kept is not None:
            return self._kept.headings
        return [Heading.of(lesson) for lesson in self._lessons]

    def heading(self, lesson_id: str) -> Heading | None:
        return next((h for h in self.headings() if h.id == lesson_id), None)

    @property
    def progress(self) -> ProgressStore:
        """The learner's progress, opened on first use (a notice is shown as a notification)."""
        if self._progress is None:
            from tutor.course.progress import ProgressStore

            self._progress = ProgressStore.open(self.data_path, learner=self.learner)
            notice = getattr(self._progress, "notice", "")
            if notice:
                self.notify(
                    str(notice), title="Progress", severity="warning", timeout=10, markup=False
                )
        return self._progress

    def load_lessons(self) -> None:
        """Read the lesson files now (the list's reload key)."""
        if self._given_lessons:
            return
        found = self._read_lesson_files()
        self.lessons = list(found.lessons)
        self.lesson_errors = list(found.errors)

    def _read_lesson_files(self) -> LessonSet:
        """Load the lesson files, and keep the result for the next start."""
        from tutor.course import lesson_cache
        from tutor.course.loader import load_lessons

        stamp = lesson_cache.fingerprint(self.extra_dirs)
        found = load_lessons(self.extra_dirs)
        lesson_cache.write(found, stamp, self.data_dir)
        return found

    def _cached_lessons(self) -> LessonSet | None:
        """The lessons as the last start loaded them, if no file has changed since."""
        from tutor.course import lesson_cache

        return lesson_cache.read(self.extra_dirs, self.data_dir)

    def _kept_lessons(self) -> Kept | None:
        """As `_cached_lessons`, not yet built."""
        from tutor.course import lesson_cache

        return lesson_cache.read_kept(self.extra_dirs, self.data_dir)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_in_background(self) -> None:
        found = self._read_lesson_files()
        self.post_message(LessonsLoaded(list(found.lessons), list(found.errors)))

    def on_lessons_loaded(self, message: LessonsLoaded) -> None:
        self.lessons, self.lesson_errors = message.lessons, message.errors
        self._listed()

    def _listed(self) -> None:
        """The lessons (or the cache's headings) are known: fill the list, then, after the
        frame that shows it, build the cached lessons and warm up."""
        self.loading = False
        self._fill_lists()
        if self.start_lesson:
            self.post_message(OpenLesson(self.start_lesson, self.start_step))
        if self._kept is not None:
            self.call_after_refresh(self._build_lessons)
        self.call_after_refresh(self._warm_up)  # not before the list is on screen

    def _build_lessons(self) -> None:
        _ = self.lessons

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """While the learner reads the list, import the lesson screen and run the model once,
        so opening a lesson does not pay for it (once per process)."""
        if self._warmed or not self.warm_up:
            return
        self._warmed = True
        import tutor.app.screens.lesson  # noqa: F401
        from tutor.model import analyze

        if self.lessons:
            analyze(self.lessons[0].manifest)
        self.call_from_thread(self._prime)

    def _prime(self) -> None:
        from tutor.app.prewarm import warm_styles
        from tutor.app.widgets.editor import YamlEditor

        editor = YamlEditor.create("warm: up\n")  # loads tree-sitter and its YAML language

        async def warm() -> None:
            prebuilding = self.prebuild and not self.started
            if not prebuilding:  # building the lesson screen registers its styles too
                await warm_styles(self.screen_stack[0], editor)
            # what the app holds now lives as long as it: collect once, and later collections
            # skip it (a young-generation pass over the list's objects was 10 ms of the
            # lesson's opening)
            gc.collect()
            gc.freeze()
            self.make_spare_editor()
            if prebuilding:
                await self._prebuild_first_lesson()
                gc.collect()
                gc.freeze()
                self.make_spare_editor()  # the screen took the spare: one for the next lesson
                self.preview = True  # and the list, as a new learner sees it
                self._fill_lists()

        self.run_worker(warm(), name="warm styles", group="warm-up", exit_on_error=False)

    async def _prebuild_first_lesson(self) -> None:
        """A served tab's tutor waiting for its learner: build the screen of the lesson a new
        learner opens first (the top of the list), with a blank progress store, at the
        terminal's size, without showing it (`prewarm.prebuild`). 40 learners who open the
        page together then each pay for showing it, not for building it (#14's rush).

        The styles warm-up (`warm_styles`) is skipped then: the screen registers the same
        styles, and removing its samples from under the name prompt sometimes waited for
        the learner's browser (a fork of the fork server: the removal completed only when
        the tab connected, and the rest of the warm-up with it)."""
        from tutor.app.prewarm import prebuild
        from tutor.app.screens.lesson import LessonScreen
        from tutor.course.progress import ProgressStore

        lesson = self.lessons[0] if self.lessons else None
        if lesson is None or self._lint_issues(lesson):
            return
        screen = LessonScreen(lesson, progress=ProgressStore.blank())
        if await prebuild(self, screen):
            self._prebuilt = screen

    def _take_prebuilt(self, lesson: Lesson, index: int | None) -> LessonScreen | None:
        """The prebuilt screen, when it shows exactly what a new `LessonScreen(lesson, index)`
        would for this learner (`LessonScreen.fits`: their first lesson, untouched); else
        None, and it is dropped: it is for the first lesson opened, never kept longer."""
        screen, self._prebuilt = self._prebuilt, None
        if screen is None:
            return None
        from tutor.app.prewarm import drop
        from tutor.app.widgets.workbench import NARROW_WIDTH

        narrow = self.size.width < NARROW_WIDTH
        if screen.lesson is not lesson or not screen.fits(self.progress, index, narrow):
            drop(self, screen)
            return None
        self.uninstall_screen(screen)  # popped later, it is removed as any lesson screen is
        screen.adopt()
        return screen

    def make_spare_editor(self) -> None:
        """Make the editor the next workbench takes, unless there is one (see
        `YamlEditor.create`; the lesson list calls this when it is shown again)."""
        if self._spare_editor is None and self._warmed:
            from tutor.app.widgets.editor import YamlEditor

            self._spare_editor = YamlEditor.create("")

    def take_spare_editor(self) -> YamlEditor | None:
        spare, self._spare_editor = self._spare_editor, None
        return spare

    def keep_edit(self, lesson_id: str, key: str, text: str, start: str) -> None:
        """Keep a step's or a challenge's text (forget it when it is back to `start`), and say
        once when it is too big to be written to disk."""
        from tutor.course.progress import MAX_EDIT_CHARS

        if text == start:
            self.progress.clear_edit(lesson_id, key)
        else:
            self.progress.save_edit(lesson_id, key, text)
        if len(text) <= MAX_EDIT_CHARS:
            self._too_big.discard((lesson_id, key))
        elif (lesson_id, key) not in self._too_big:
            self._too_big.add((lesson_id, key))
            self.notify(
                f"This text is over {MAX_EDIT_CHARS // 1024} KB: it stays while ktutor "
                "runs but is not saved to disk. Undo (ctrl+z) or reset the step to "
                "get back to a text that is saved.",
                title="Not saved",
                severity="warning",
                timeout=10,
            )

    def save_progress_soon(self) -> None:
        """Write the progress file from a thread (after changes made inside
        `progress.held()`): a 1 MB edit took 45 ms to write and fsync on the UI thread."""
        self.run_worker(
            self.progress.save,
            name="save progress",
            group="save-progress",
            thread=True,
            exit_on_error=False,
            description="save progress",
        )

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((le for le in self.lessons if le.id == lesson_id), None)

    # -- lifecycle ----------------------------------------------------------------------------

    def get_default_screen(self) -> LessonListScreen:
        """The lesson list is the app's own first screen: building a blank default screen and
        then pushing the list on top of it cost a third of the time to the first frame."""
        return LessonListScreen()

    def on_mount(self) -> None:
        from tutor.app import shims, signals

        signals.install(self)  # closing the terminal or `kill` saves first
        shims.listen(self)
        if settings.serving() and not self.learner:
            from tutor.app.screens.name import ask_learner_name

            if ask_learner_name(self, self._start_as, self._claim_name):
                self.call_after_refresh(self._prepare_for_a_name)
                return  # `_start_as` runs once the learner has typed a name
        self._start()

    def _prepare_for_a_name(self) -> None:
        """A served tab waiting for a name (`ktutor serve --warm` keeps such processes ready,
        for minutes): read the lessons from the cache and pay the lesson screen's one-time
        costs now, so that a name brings the list at once and a lesson soon after, even when a
        whole class types its names in the same second."""
        if self._given_lessons or self.lessons:
            return
        cached = self._cached_lessons()
        if cached is not None:
            self._preloaded_lessons(cached)
        else:  # a new data folder: read the files (this writes the cache for the next tabs)
            self._preload_in_background()

    @work(thread=True, group="preload", exit_on_error=False)
    def _preload_in_background(self) -> None:
        found = self._read_lesson_files()
        self.call_from_thread(self._preloaded_lessons, found)

    def _preloaded_lessons(self, found: LessonSet) -> None:
        if self.started:  # the name came first: `_start` loaded them its own way
            return
        self.lessons, self.lesson_errors = list(found.lessons), list(found.errors)
        self._preloaded = True
        self._warm_up()

    def _claim_name(self, name: str) -> str | None:
        """Take `name` for this tab (no other open tab may write the same progress file), or
        say why not; the claim is kept fresh while the app runs and given back as it exits."""
        from tutor.classroom import claims
        from tutor.course.progress import ProgressStore

        held = claims.claim(ProgressStore.file_for(self.data_path, name), name)
        if isinstance(held, str):
            return held
        self.name_claim = held
        self.set_interval(claims.HEARTBEAT_SECONDS, held.refresh)
        return None

    def on_unmount(self) -> None:
        """The last word on quitting: anything kept in memory but not yet written (a save
        thread that had not run) is written now, and the learner's name is free again. The
        workbench screens' own saves as they unmount write only when their text has something
        to keep: a console line or a cluster change kept with the YAML untouched is written
        here alone."""
        from tutor.app import signals

        signals.remove()
        if self._progress is not None:
            self._progress.save()
        if self.name_claim is not None:
            self.name_claim.release()

    def _start_as(self, name: str) -> None:
        """A served session's learner gave their name: their own progress file from now on."""
        self.learner = name
        self._progress = None
        self.progress.save()  # at once: the roster lists a learner who has only typed a name
        self._start()

    def _start(self) -> None:
        _ = self.progress
        self.started = True
        if self._given_lessons or self._preloaded:
            self.post_message(LessonsLoaded(self.lessons, self.lesson_errors))
        elif (kept := self._kept_lessons()) is not None:  # the list is full at once
            self._kept = kept
            if kept.has_errors:  # the list shows them: build now (a broken pack file)
                self._build_lessons()
            self._listed()
        else:
            self.loading = True
            self.call_after_refresh(self._load_in_background)
        if gc.isenabled():
            gc.freeze()
        else:  # `ktutor` paused it for the start (commands/tui.py): on after the first frame
            self.call_after_refresh(gc.enable)
        # Rendering makes ~5000 short-lived containers per keystroke, and many survive a
        # while in Textual's line caches: at the default threshold (700) the collector ran
        # eight times per keystroke, ~10 ms in all, with 50-70 ms full collections in the tail.
        gc.set_threshold(GC_THRESHOLD, 50, 100)

    def _fill_lists(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, LessonListScreen):
                screen.fill()

    def on_open_lesson(self, message: OpenLesson) -> None:
        self.open_lesson(message.lesson_id, message.step)

    def open_lesson(self, lesson_id: str, step: int | None = None) -> bool:
        """Show a lesson at `step` (1-based) or where the learner left it, right above the
        lesson list: whatever was open (another lesson, its challenges) is closed first, so
        Escape always goes back one level (a step opened from a challenge with ctrl+p took
        four Escapes to reach the list)."""
        lesson = self.lesson(lesson_id)
        if lesson is None:
            known = ", ".join(le.id for le in self.lessons) or "none"
            self.notify(
                f"no lesson {lesson_id!r} (lessons: {known})", severity="error", markup=False
            )
            return False
        if not self._passes_lint(lesson):
            return False
        from tutor.app.screens.lesson import LessonScreen

        index: int | None = None
        if step is not None:
            index = max(0, min(step - 1, len(lesson.steps) - 1))
        while len(self.screen_stack) > 1 and not isinstance(self.screen, LessonListScreen):
            self.pop_screen()
        screen = self._take_prebuilt(lesson, index)
        self.push_screen(screen if screen is not None else LessonScreen(lesson, index))
        return True

    def resume(self) -> bool:
        """Open the lesson the learner was in, at its step, or the challenge they were in
        (above the lesson and its challenge list, so Escape walks back through them)."""
        lesson = self.lesson(self.progress.current)
        if lesson is None:
            return False
        challenge_id = self.progress.challenge
        self.open_lesson(lesson.id)
        challenge = next((c for c in lesson.challenges if c.id == challenge_id), None)
        if challenge is not None:
            from tutor.app.screens.practice import ChallengeScreen, PracticeScreen

            self.push_screen(PracticeScreen(lesson))
            self.push_screen(ChallengeScreen(lesson, challenge))
        return True

    def _passes_lint(self, lesson: Lesson) -> bool:
        """A lesson from a pack opens only if `ktutor lint` accepts it (#15: a pack's manifest
        that lint rejected was still opened, and crashed the highlighter)."""
        issues = self._lint_issues(lesson)
        if not issues:
            return True
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        self.notify(
            f"{issues[0]}{more}. Run `ktutor lint {lesson.source}` for the whole list.",
            title="This lesson does not pass ktutor lint: not opened",
            severity="error",
            timeout=12,
            markup=False,
        )
        return False

    @staticmethod
    def _lint_issues(lesson: Lesson) -> list[str]:
        """What `ktutor lint` finds in a pack's lesson (none for a built-in one)."""
        from tutor.course.packs import BUILTIN_PACK

        if lesson.pack == BUILTIN_PACK or lesson.source is None:
            return []
        from tutor.course.lint import lint_file

        _, issues = lint_file(lesson.source, lesson.pack)
        return [str(issue) for issue in issues]

    def action_reset_all_progress(self) -> None:
        """Forget every lesson's progress (asks first); the learner lands on the lesson list."""
        from tutor.app.screens.dialogs import ConfirmScreen

        async def done(ok: bool | None) -> None:
            if not ok:
                return
            # close open lessons first: they save their edits as they unmount
            while len(self.screen_stack) > 1 and not isinstance(self.screen, LessonListScreen):
                await self.pop_screen()
            self.progress.reset_all()
            self._fill_lists()
            self.notify("All progress was reset.", timeout=4)

        self.push_screen(
            ConfirmScreen(
                "Forget the progress and edits of every lesson? This cannot be undone.",
                yes="Reset everything",
            ),
            done,
        )

    def action_help(self) -> None:
        from tutor.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
