"""What the routing view says above the Pod rows agrees with the DNS lesson (lesson 11, walked
at 80x24): an ExternalName Service without ports is a CNAME, not "no ports" and "No Pods: add
a Pod"; a headless Service's Pods are in the DNS answer for the client to pick, not a 50/50
split by kube-proxy; the client line reads "from client (...)", not "client client (...)"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from testkit import builtin_app, press, prompts, settle

from tutor.app.widgets.routing import RoutingView


@pytest.fixture(autouse=True)
def only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)


def routing_text(app: Any) -> str:
    view = app.screen.query_one(RoutingView)
    shown = prompts(view)
    return " ".join(" ".join(shown).split())


async def test_the_headers_of_an_external_name_and_of_headless_services(tmp_path: Path) -> None:
    """Three steps of one app (each a test's app start and lesson read before): an
    ExternalName without ports is a CNAME (dns step 7); a headless Service lists its Pods as
    the DNS answer (dns step 5); and one without ports shows its DNS answer (service-types
    step 8, "A headless Service may even leave out ports": it said "has no ports")."""
    app = builtin_app("service-names", step=7, data_dir=tmp_path, from_files=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = routing_text(app)
        assert "Service mail ExternalName ns shop" in shown, "dns 7"
        assert "DNS answers with a CNAME to smtp.example.net" in shown, "dns 7"
        assert "no ports" not in shown and "No Pods" not in shown, "dns 7"

        assert app.open_lesson("service-names", 5)
        await settle(pilot)
        assert app.screen.index == 4
        shown = routing_text(app)
        assert "from client (10.244.1.100 on node-1)" in shown, "dns 5"
        assert "2 Pods in the DNS answer (the client picks one)" in shown, "dns 5"
        assert "about 50% each" not in shown, "dns 5"

        assert app.open_lesson("service-types", 8)
        await settle(pilot)
        assert app.screen.lesson.id == "service-types" and app.screen.index == 7
        shown = routing_text(app)
        assert "Service db headless, no ports" in shown, "service-types 8"
        assert "DNS answers with the ready Pods' IPs (10.244." in shown, "service-types 8"
        assert "has no ports" not in shown, "service-types 8"


async def test_a_requests_wrapped_hop_lines_stay_under_their_arrow(tmp_path: Path) -> None:
    """At 80x24 the hops of one request wrapped to column 0 (lesson 9 step 6, ctrl+t)."""
    from tutor.app.widgets.traffic import TrafficView

    app = builtin_app("service-types", step=6, data_dir=tmp_path, from_files=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f4", "ctrl+t")
        await settle(pilot)
        view = app.screen.query_one(TrafficView)
        width = view.size.width
        lines = view.render_text().plain.splitlines()
    assert lines[0].startswith("one request") and len(lines) > 5
    assert all(line.startswith("  ") and len(line) <= width for line in lines[1:]), lines
