"""Send traffic: one request's path, or a burst of N with a live count and a bar per Pod.

What happens to a request (DNS, kube-proxy's choice or its REJECT/DROP, then whether the Pod
listens) comes from `tutor.model.report`, in its words; this widget only lays it out and reveals
a burst's seeded sequence a few requests per frame.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from tutor.app.widgets.safe import scrub
from tutor.model.analysis import Analysis, PortRoute, ServiceRoute
from tutor.model.proxy import Client
from tutor.model.report import Burst, Outcome, RequestOutcome, request_to, requests

FRAMES = 24
FRAME_SECONDS = 1 / 30
BAR_WIDTH = 30


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
        text.append(hop.text, style="" if hop.ok else "red")
    text.append("\n  = ", style="dim")
    text.append(outcome.summary, style="bold green" if outcome.answered else "bold red")
    return text


class TrafficView(Static):
    """The last request's path and the last burst's counts."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.path_text = Text(
            "ctrl+t sends one request, ctrl+g sends 100. c (in the routing view) picks the client.",
            style="dim",
        )
        self.sim: Burst | None = None
        self.sim_title = ""
        self.affinity = False
        self.pods: list[str] = []
        self.shown = 0
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self.update(scrub(self.render_text()))

    def show_request(
        self, analysis: Analysis, sr: ServiceRoute, pr: PortRoute, client: Client, seed: int
    ) -> RequestOutcome:
        outcome = request_to(analysis, sr, pr, client, seed)
        self.path_text = request_path(outcome)
        self.update(scrub(self.render_text()))
        return outcome

    def start_burst(
        self,
        analysis: Analysis,
        sr: ServiceRoute,
        pr: PortRoute,
        clients: list[Client],
        count: int,
        seed: int,
        animate: bool = True,
    ) -> Burst:
        """Send `count` requests and reveal them over about a second."""
        svc = sr.service
        sim = requests(analysis, sr, pr, clients, count, seed)
        self.sim = sim
        self.affinity = svc.session_affinity == "ClientIP"
        self.sim_title = f"{count} requests to {svc.name}:{pr.port.port} from " + (
            clients[0].name if len(clients) == 1 else f"{len(clients)} clients"
        )
        self.pods = [p.name for p in (ep.pod for ep in pr.endpoints)]
        for _client, name, _kind in sim.sequence:
            if name and name not in self.pods:
                self.pods.append(name)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if animate and count > 1:
            self.shown = 0
            self._timer = self.set_interval(FRAME_SECONDS, self._tick)
        else:
            self.shown = count
        self.update(scrub(self.render_text()))
        return sim

    def _tick(self) -> None:
        if self.sim is None:
            return
        step = max(1, self.sim.requests // FRAMES)
        self.shown = min(self.sim.requests, self.shown + step)
        if self.shown >= self.sim.requests and self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.update(scrub(self.render_text()))

    @property
    def animating(self) -> bool:
        return self._timer is not None

    def counts(self) -> Counter[str]:
        """Requests delivered to each Pod among those revealed so far."""
        out: Counter[str] = Counter()
        if self.sim is None:
            return out
        for _client, pod, _kind in self.sim.sequence[: self.shown]:
            if pod:
                out[pod] += 1
        return out

    def render_text(self) -> Text:
        text = Text()
        text.append_text(self.path_text)
        sim = self.sim
        if sim is None:
            return text
        revealed = sim.sequence[: self.shown]
        counts = self.counts()
        kinds = Counter(kind for _c, _p, kind in revealed)
        text.append("\n")
        text.append(f"{self.sim_title}: {self.shown}/{sim.requests} sent", style="bold")
        total = max(1, sim.requests)
        width = max(8, min(BAR_WIDTH, self.size.width - 34)) if self.size.width else BAR_WIDTH
        name_width = max((len(p) for p in self.pods), default=4)
        for pod in self.pods:
            n = counts.get(pod, 0)
            refuses = sim.refusals.get(pod)
            bar = "█" * round(width * n / total)
            text.append(f"\n  {pod:<{name_width}} ")
            text.append(f"{bar:<{width}}", style=("red" if refuses else "green") if n else "dim")
            text.append(f" {n:>4}")
            if refuses and n:
                text.append(f"  refused: {refuses}", style="red")
        for kind in (Outcome.REJECTED, Outcome.TIMED_OUT, Outcome.NAME_NOT_FOUND, Outcome.EXTERNAL):
            n = kinds.get(kind, 0)
            if n:
                text.append(f"\n  {n} {sim.examples[kind].summary}", style="bold red")
        if self.affinity and self.shown:
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
