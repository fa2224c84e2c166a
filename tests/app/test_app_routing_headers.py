"""What the routing view says above the Pod rows agrees with the DNS lesson (lesson 11, walked
at 80x24): an ExternalName Service without ports is a CNAME, not "no ports" and "No Pods: add
a Pod"; a headless Service's Pods are in the DNS answer for the client to pick, not a 50/50
split by kube-proxy; the client line reads "from client (...)", not "client client (...)"."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import builtin_app, press, settle

from tutor.app.widgets.routing import RoutingView


@pytest.fixture(autouse=True)
def only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)


async def routing_text(tmp_path: Path, lesson: str, step: int) -> str:
    app = builtin_app(lesson, step=step, data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(RoutingView)
        prompts = [str(view.get_option_at_index(i).prompt) for i in range(view.option_count)]
    return " ".join(" ".join(prompts).split())


async def test_an_external_name_without_ports_is_a_cname(tmp_path: Path) -> None:
    shown = await routing_text(tmp_path, "dns", 7)
    assert "Service mail ExternalName ns shop" in shown
    assert "DNS answers with a CNAME to smtp.example.net" in shown
    assert "no ports" not in shown and "No Pods" not in shown


async def test_a_headless_service_lists_its_pods_as_the_dns_answer(tmp_path: Path) -> None:
    shown = await routing_text(tmp_path, "dns", 5)
    assert "from client (10.244.1.100 on node-1)" in shown
    assert "2 Pods in the DNS answer (the client picks one)" in shown
    assert "about 50% each" not in shown


async def test_a_headless_service_without_ports_shows_its_dns_answer(tmp_path: Path) -> None:
    """Lesson 9 step 8: "A headless Service may even leave out ports" (was "has no ports")."""
    shown = await routing_text(tmp_path, "service-types", 8)
    assert "Service db headless, no ports" in shown
    assert "DNS answers with the ready Pods' IPs (10.244." in shown
    assert "has no ports" not in shown


async def test_a_requests_wrapped_hop_lines_stay_under_their_arrow(tmp_path: Path) -> None:
    """At 80x24 the hops of one request wrapped to column 0 (lesson 9 step 6, ctrl+t)."""
    from tutor.app.widgets.traffic import TrafficView

    app = builtin_app("service-types", step=6, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "f4", "ctrl+t")
        await settle(pilot)
        view = app.screen.query_one(TrafficView)
        width = view.size.width
        lines = view.render_text().plain.splitlines()
    assert lines[0].startswith("one request") and len(lines) > 5
    assert all(line.startswith("  ") and len(line) <= width for line in lines[1:]), lines
