"""Send traffic: one request's path, or a burst of N with a live count and a bar per Pod.

The numbers come from `tutor.model.proxy.simulate` (kube-proxy's random cascade and ClientIP
affinity, seeded); this widget only reveals the simulated sequence a few requests per frame.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from tutor.app.widgets.safe import scrub
from tutor.model.analysis import PortRoute, ServiceRoute
from tutor.model.proxy import Client, Simulation, simulate

FRAMES = 24
FRAME_SECONDS = 1 / 30
BAR_WIDTH = 30


def request_path(sr: ServiceRoute, pr: PortRoute, client: Client, seed: int) -> Text:
    """The hops of one request, as a learner would trace them."""
    svc = sr.service
    text = Text()
    text.append("one request  ", style="bold")
    text.append(f"{client.name} {client.ip}", style="bold")
    if svc.type == "ExternalName":
        text.append(f" → DNS {svc.dns_name} → CNAME {svc.external_name}: no proxy, no Pod")
        return text
    if svc.headless:
        ready = [ep for ep in pr.used]
        if not ready:
            text.append(f" → DNS {svc.dns_name}: no Ready Pod, no answer", style="red")
            return text
        first = ready[seed % len(ready)]
        text.append(f" → DNS {svc.dns_name} → A {first.pod.ip} ({first.pod.name})")
        text.append(f" → connects straight to {first.address}", style="green")
        text.append(" (headless: no kube-proxy)")
        return text
    sim = simulate(svc, pr.slice_endpoints, [client], 1, seed=seed)
    node = client.node or "the node"
    text.append(f" → {svc.name} {svc.cluster_ip}:{pr.port.port}")
    text.append(f" → kube-proxy on {node}")
    chosen = sim.sequence[0][1] if sim.sequence else ""
    if chosen:
        ep = next((e for e in pr.used if e.pod.name == chosen), None)
        addr = ep.address if ep else chosen
        text.append(" (DNAT)", style="dim")
        text.append(f" → {chosen} {addr}", style="bold green")
        text.append(f" → reply from {svc.cluster_ip}:{pr.port.port}", style="green")
    elif sim.dropped:
        text.append(
            " → DROP: internalTrafficPolicy Local and no Ready Pod on this node "
            "(the request times out)",
            style="bold red",
        )
    else:
        text.append(" → REJECT: no endpoints (connection refused)", style="bold red")
    return text


class TrafficView(Static):
    """The last request's path and the last burst's counts."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.path_text = Text(
            "ctrl+t sends one request, ctrl+g sends 100. c (in the routing view) picks the client.",
            style="dim",
        )
        self.sim: Simulation | None = None
        self.sim_title = ""
        self.affinity = False
        self.pods: list[str] = []
        self.shown = 0
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self.update(scrub(self.render_text()))

    def show_request(self, sr: ServiceRoute, pr: PortRoute, client: Client, seed: int) -> None:
        self.path_text = request_path(sr, pr, client, seed)
        self.update(scrub(self.render_text()))

    def start_burst(
        self,
        sr: ServiceRoute,
        pr: PortRoute,
        clients: list[Client],
        requests: int,
        seed: int,
        animate: bool = True,
    ) -> Simulation:
        """Simulate `requests` requests and reveal them over about a second."""
        svc = sr.service
        sim = simulate(
            svc, pr.slice_endpoints, clients, requests, seed=seed, keep_sequence=requests
        )
        self.sim = sim
        self.affinity = svc.session_affinity == "ClientIP"
        self.sim_title = f"{requests} requests to {svc.name}:{pr.port.port} from " + (
            clients[0].name if len(clients) == 1 else f"{len(clients)} clients"
        )
        self.pods = [p.name for p in (ep.pod for ep in pr.endpoints)]
        for name in sim.served:
            if name not in self.pods:
                self.pods.append(name)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if animate and requests > 1:
            self.shown = 0
            self._timer = self.set_interval(FRAME_SECONDS, self._tick)
        else:
            self.shown = requests
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
        """Requests per Pod among those revealed so far."""
        out: Counter[str] = Counter()
        if self.sim is None:
            return out
        for _client, pod in self.sim.sequence[: self.shown]:
            if pod:
                out[pod] += 1
        return out

    def render_text(self) -> Text:
        text = Text()
        text.append_text(self.path_text)
        sim = self.sim
        if sim is None:
            return text
        counts = self.counts()
        text.append("\n")
        text.append(f"{self.sim_title}: {self.shown}/{sim.requests} sent", style="bold")
        failed = self.shown - sum(counts.values())
        if failed:
            text.append(
                f"  {failed} failed ({'dropped' if sim.dropped else 'rejected'})", style="bold red"
            )
        total = max(1, sim.requests)
        width = max(8, min(BAR_WIDTH, self.size.width - 34)) if self.size.width else BAR_WIDTH
        name_width = max((len(p) for p in self.pods), default=4)
        for pod in self.pods:
            n = counts.get(pod, 0)
            bar = "█" * round(width * n / total)
            text.append(f"\n  {pod:<{name_width}} ")
            text.append(f"{bar:<{width}}", style="green" if n else "dim")
            text.append(f" {n:>4}")
        if self.affinity and self.shown:
            per_client: dict[str, set[str]] = {}
            for client, pod in sim.sequence[: self.shown]:
                if pod:
                    per_client.setdefault(client, set()).add(pod)
            sticky = ", ".join(f"{c} → {'/'.join(sorted(p))}" for c, p in per_client.items())
            text.append(
                f"\n  sessionAffinity ClientIP: each client sticks to one Pod: {sticky}",
                style="magenta",
            )
        return text
