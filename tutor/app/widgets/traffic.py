"""Send traffic: one request's path, or a burst of N with a live count and a bar per Pod.

What happens to a request (DNS, kube-proxy's choice or its REJECT/DROP, then whether the Pod
listens) comes from `tutor.model.report`, in its words, through the lab session (`Sent`); this
widget only lays it out and reveals a burst's seeded sequence a few requests per frame. A result
sent before the learner's last change is drawn dimmed, as history, with a note to send again.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import events
from textual.timer import Timer
from textual.widgets import Static

from tutor.app.widgets.inline import quoted
from tutor.app.widgets.quiet import rows, set_content
from tutor.app.widgets.routing import hang
from tutor.app.widgets.safe import scrub
from tutor.lab.session import Sent
from tutor.model.report import Outcome, RequestOutcome

FRAMES = 24
"""A burst is revealed in this many frames."""
FRAME_SECONDS = 1 / 30
"""The default time between frames; the app's `burst_frame_seconds` overrides it (tests set
0: the burst is shown at once)."""
BAR_WIDTH = 30
HINT = "ctrl+t sends one request, ctrl+g sends 100. c (in the routing view) picks the client."
RESEND = "Sent before your last change (ctrl+t, ctrl+g send again)."
"""One row in the routing column at 120 columns: a fresh result keeps that row blank."""


def request_path(outcome: RequestOutcome) -> Text:
    """The hops of one request, one per line, then what the client sees."""
    client = outcome.client
    text = Text()
    text.append("one request  ", style="bold")
    text.append(f"{client.name} {client.ip}", style="bold")
    text.append(f" → {outcome.target}:{outcome.port}")
    for hop in outcome.hops:
        text.append("\n  → ", style="dim")
        text.append(f"{hop.at}: ", style="bold" if hop.ok else "bold red")
        text.append_text(quoted(hop.text, "" if hop.ok else "red"))
    text.append("\n  = ", style="dim")
    text.append_text(quoted(outcome.summary, "bold green" if outcome.answered else "bold red"))
    return text


def client_saw(sent: Sent) -> Text:
    """What the client saw, as the curl the learner could type: one reply or error line, or
    a burst's lines counted (`... | sort | uniq -c`)."""
    text = Text()
    text.append(sent.title, style="bold")
    text.append(f"\n  $ {sent.command}", style="dim")
    burst = sent.burst is not None
    for count, line, answered in sent.seen:
        text.append(f"\n  {count:>4} " if burst else "\n  ")
        text.append(line, style="green" if answered else "bold red")
    return text


class TrafficView(Static):
    """The last request's path or the last burst's counts, from the session's `Sent`."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.sent: Sent | None = None
        self.shown = 0
        """Requests of the burst revealed so far."""
        self._timer: Timer | None = None
        self.symptoms = False
        self._drawn: tuple[Sent | None, bool, int] | None = None
        """The snapshot shows symptoms only: draw what the client saw (`Sent.seen`), not the
        request's path or the count per Pod."""

    def on_mount(self) -> None:
        set_content(self, scrub(self.render_text()))

    @property
    def frame_seconds(self) -> float:
        return float(getattr(self.app, "burst_frame_seconds", FRAME_SECONDS))

    def show(self, sent: Sent | None) -> None:
        """Draw `sent`; a new burst starts its reveal, the same one (marked stale) does not."""
        drawn = (sent, self.symptoms, self.size.width)
        if sent is self.sent and drawn == self._drawn:
            return  # the usual keystroke: the same result, already drawn
        self._drawn = drawn
        old = self.sent
        self.sent = sent
        burst = sent.burst if sent is not None else None
        if burst is None or old is None or old.burst is not burst:
            self._stop()
            self.shown = 0
            if burst is not None:
                if self.frame_seconds > 0 and burst.requests > 1:
                    self._timer = self.set_interval(self.frame_seconds, self._tick)
                else:
                    self.shown = burst.requests
        set_content(self, scrub(self.render_text()))

    def on_resize(self, event: events.Resize) -> None:
        """The path is wrapped at the width it was drawn at (`hang`): one sent while this pane
        was hidden (ctrl+t beside the step at 80x24, then F4) is drawn again at the width it
        is shown at."""
        if self._drawn is not None and self._drawn[2] != event.size.width:
            self._drawn = (self._drawn[0], self._drawn[1], event.size.width)
            set_content(self, scrub(self.render_text()))

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        burst = self.sent.burst if self.sent is not None else None
        if burst is None:
            self._stop()
            return
        step = max(1, burst.requests // FRAMES)
        self.shown = min(burst.requests, self.shown + step)
        if self.shown >= burst.requests:
            self._stop()
        set_content(self, scrub(self.render_text()))

    @property
    def animating(self) -> bool:
        return self._timer is not None

    def counts(self) -> Counter[str]:
        """Requests delivered to each Pod among those revealed so far."""
        out: Counter[str] = Counter()
        burst = self.sent.burst if self.sent is not None else None
        if burst is not None:
            for _client, pod, _kind in burst.sequence[: self.shown]:
                if pod:
                    out[pod] += 1
        return out

    def render_text(self) -> Text:
        sent = self.sent
        if sent is None:
            return Text(HINT, style="dim")
        text = Text()
        if self.symptoms:
            text.append_text(hang(client_saw(sent), self.size.width, 4))
        elif sent.request is not None:  # a hop's wrapped line stays under its arrow
            text.append_text(hang(request_path(sent.request), self.size.width, 4))
        if sent.burst is not None and not self.symptoms:
            text.append_text(hang(self._burst_text(sent), self.size.width, 4))
        if sent.stale:
            text.stylize("dim")
            text.append(f"\n{RESEND}", style="italic")
        elif self.size.width:  # the rows RESEND takes once this is history: a repaint then
            text.append("\n" * rows(self, RESEND, self.size.width))
        return text

    def _burst_text(self, sent: Sent) -> Text:
        burst = sent.burst
        assert burst is not None
        text = Text()
        revealed = burst.sequence[: self.shown]
        counts = self.counts()
        kinds = Counter(kind for _c, _p, kind in revealed)
        text.append(f"{sent.title}: {self.shown}/{burst.requests} sent", style="bold")
        pods = list(sent.pods) + [p for p in counts if p not in sent.pods]
        total = max(1, burst.requests)
        width = max(8, min(BAR_WIDTH, self.size.width - 34)) if self.size.width else BAR_WIDTH
        name_width = max((len(p) for p in pods), default=4)
        for pod in pods:
            n = counts.get(pod, 0)
            refuses = burst.refusals.get(pod)
            bar = "█" * round(width * n / total)
            text.append(f"\n  {pod:<{name_width}} ")
            text.append(f"{bar:<{width}}", style=("red" if refuses else "green") if n else "dim")
            text.append(f" {n:>4}")
            if refuses and n:
                text.append(f"  refused: {refuses}", style="red")
        for kind in (Outcome.REJECTED, Outcome.TIMED_OUT, Outcome.NAME_NOT_FOUND, Outcome.EXTERNAL):
            n = kinds.get(kind, 0)
            if n:
                text.append(f"\n  {n} ", style="bold red")
                text.append_text(quoted(burst.examples[kind].summary, "bold red"))
        if sent.affinity and self.shown:
            per_client: dict[str, set[str]] = {}
            for client, pod, _kind in revealed:
                if pod:
                    per_client.setdefault(client, set()).add(pod)
            sticky = ", ".join(f"{c} → {'/'.join(sorted(p))}" for c, p in per_client.items())
            text.append(
                f"\n  sessionAffinity ClientIP: each client sticks to one Pod: {sticky}",
                style="magenta",
            )
        return text
