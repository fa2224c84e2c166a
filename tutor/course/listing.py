"""What the lesson list shows of a lesson (its heading), from a `Lesson` or straight from the
lesson cache's data.

The list is the app's first frame. Building the lessons from the cache means importing
`tutor.course.lesson` (nine dataclasses: ~15 ms of CPU to create them) and making a few hundred
objects (~5 ms): a third of what ktutor added to a bare Textual app's first frame. A heading needs
none of that, so the list is drawn from the headings and the lessons are built right after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lesson import Lesson


class Heading:
    """A lesson's id, title, summary, minutes and pack, the titles of its steps and the ids and
    titles of its challenges (the "Continue where you left off" row names one of them)."""

    __slots__ = ("challenges", "id", "minutes", "pack", "steps", "summary", "title")

    def __init__(
        self,
        id: str,
        title: str,
        summary: str,
        minutes: int,
        pack: str,
        steps: tuple[str, ...],
        challenges: tuple[tuple[str, str], ...],
    ) -> None:
        self.id = id
        self.title = title
        self.summary = summary
        self.minutes = minutes
        self.pack = pack
        self.steps = steps
        """The steps' titles."""
        self.challenges = challenges
        """(id, title) of each challenge."""

    @classmethod
    def of(cls, lesson: Lesson) -> Heading:
        return cls(
            lesson.id,
            lesson.title,
            lesson.summary,
            lesson.minutes,
            lesson.pack,
            tuple(s.title for s in lesson.steps),
            tuple((c.id, c.title) for c in lesson.challenges),
        )

    @classmethod
    def of_data(cls, raw: Mapping[str, Any]) -> Heading:
        """From a lesson as the cache keeps it (`lesson_cache.lesson_out`); ValueError when a
        field the list shows is missing or not what the cache's writer writes."""
        heading = cls(
            raw["id"],
            raw["title"],
            raw["summary"],
            raw["minutes"],
            raw["pack"],
            tuple(s["title"] for s in raw["steps"]),
            tuple((c["id"], c["title"]) for c in raw["challenges"]),
        )
        texts = (heading.id, heading.title, heading.summary, heading.pack, *heading.steps)
        if not (
            all(isinstance(t, str) for t in texts)
            and all(isinstance(t, str) for pair in heading.challenges for t in pair)
            and isinstance(heading.minutes, int)
        ):
            raise ValueError("not a lesson heading")
        return heading

    def parts(self) -> tuple[object, ...]:
        """Every field, in order (for comparing headings)."""
        return tuple(getattr(self, name) for name in self.__slots__)

    def challenge_title(self, challenge_id: str) -> str | None:
        return next((title for cid, title in self.challenges if cid == challenge_id), None)
