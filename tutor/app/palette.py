"""The command palette (ctrl+p): jump to any lesson or step, and run the screen's actions (a
lesson's or a challenge's: an action the screen does not offer now, as the reveal key outside
a debugging challenge's hidden diagnosis, is not listed).

The routing view's actions come from `tutor.lab.actions.ACTIONS`, the same rows that make its
keys and the help screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tutor.app.app import TutorApp

SCREEN_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Reset step", "reset_step", "Undo back to this step's starting YAML (asks first)"),
    ("Check the goal", "check", "Check your manifest against the challenge's goal"),
    ("Next hint", "hint", "Show the challenge's next hint"),
    (
        "Show the solution",
        "solution",
        "Replace your manifest with the reference solution (asks first)",
    ),
    (
        "Reveal the cause",
        "reveal",
        "Debugging: show which Pods get traffic, and why (asks first)",
    ),
    (
        "Toggle behind the scenes",
        "toggle_behind",
        "Show or hide the kube-proxy rules, EndpointSlices and DNS records",
    ),
    ("Next step", "next_step", "Go to the next step"),
    ("Previous step", "previous_step", "Go back one step"),
    ("Challenges", "challenges", "Practise: fix a broken manifest"),
    ("Quiz", "quiz", "Check what you learned"),
    ("Skip this lesson", "skip_lesson", "Mark the lesson skipped and go back to the list"),
    (
        "Reset this lesson",
        "reset_lesson",
        "Forget this lesson's progress and edits and start it again (asks first)",
    ),
)

APP_ACTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Reset all progress",
        "reset_all_progress",
        "Forget every lesson's progress and edits (asks first)",
    ),
)


class TutorCommands(Provider):
    """Lessons, steps and the current screen's actions, fuzzy-matched."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: TutorApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, Callable[[], object], str]] = []
        for lesson in app.lessons:
            out.append(
                (f"Lesson: {lesson.title}", partial(app.open_lesson, lesson.id), lesson.summary)
            )
            for number, step in enumerate(lesson.steps, 1):
                out.append(
                    (
                        f"Step: {lesson.title} › {number}. {step.title}",
                        partial(app.open_lesson, lesson.id, number),
                        f"step {number} of {len(lesson.steps)}",
                    )
                )
        screen = self.screen
        for title, action, help_text in SCREEN_ACTIONS:
            if hasattr(screen, f"action_{action}") and screen.check_action(action, ()) is not False:
                out.append((title, partial(screen.run_action, action), help_text))
        if hasattr(screen, "action_cluster"):
            from tutor.lab.actions import ACTIONS

            for row in ACTIONS:
                run = partial(screen.run_action, f"cluster({row.id!r})")
                out.append((row.palette, run, f"{row.key_label}: {row.help}"))
        for title, action, help_text in APP_ACTIONS:
            out.append((title, partial(app.run_action, action), help_text))
        return out

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            if not title.startswith("Step:"):
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
