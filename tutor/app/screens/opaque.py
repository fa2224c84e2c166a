"""A full screen over another one: what the screen below redraws never shows through it."""

from __future__ import annotations

from typing import Self, TypeVar

from textual import events, on
from textual.geometry import Region
from textual.screen import Screen

ResultType = TypeVar("ResultType")


class OpaqueScreen(Screen[ResultType]):
    """A screen pushed over another (a lesson over the list, a challenge over its lesson),
    which repaints itself only for what changes on it.

    Textual keeps the screen below "current" (a modal dialog lets it show through), so
    whenever that screen handles anything (the app's Resize, the lesson list filled while a
    lesson opens) it lays itself out and hands the regions it marked dirty to the top screen
    as `app.screen.refresh(*regions)`; a screen below that was never drawn hands over the
    whole terminal, and marks itself dirty again, so it did so at each of its turns. This
    screen's background is opaque (it covers everything below), so a refresh of some regions
    alone is nothing to draw: its own widgets' repaints never come this way.

    And a screen shown for the first time (or at a new size) is laid out and drawn whole as
    Textual resumes it, which then asks for one more repaint of the whole screen: nothing
    has changed in between (what a widget changes later it repaints itself).

    And a layout of the screen repaints what it moves; Textual's own layout refresh after
    the screen's widgets mount also asked for a repaint of all of it.

    Those were three of the four full repaints of a lesson's opening: its first frame is
    the one left."""

    _drawn_whole = False
    """Textual is resuming this screen at a new size: it lays it out and draws it whole
    before its `refresh()` (see `_note_resume`)."""

    @on(events.ScreenResume)
    def _note_resume(self) -> None:
        """Runs before Textual's own handler (`Screen._on_screen_resume`), which draws the
        screen whole when its size changed (the first time it is shown), then calls
        `refresh()`."""
        self._drawn_whole = self.outer_size != self.app.size
        if self._drawn_whole:
            self.call_next(self._forget_drawn_whole)

    def _forget_drawn_whole(self) -> None:
        self._drawn_whole = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if not layout and not recompose:
            if regions and self.styles.background.a == 1:
                return self  # redrawn under this screen: nothing of it shows
            if not regions and self._drawn_whole:
                self._drawn_whole = False
                return self  # drawn whole a moment ago, as Textual resumed it
        elif layout and not regions and not recompose:
            # the layout repaints every region whose widgets it moves, adds or removes (a
            # colour change repaints through a refresh of its own): a whole-screen repaint
            # with it (Textual's, after the screen's own widgets mounted) draws the same
            repaint = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
