"""The routing view's Pod rows show the address the Service's traffic goes to: on the dual-stack
cluster, an IPv6-first Service's endpoints are the Pods' IPv6 addresses (the slice of its
primary family lists them), so its rows show those, not the Pods' first (IPv4) IP."""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import builtin_app, builtin_lesson, prompts, settle, type_fast

from tutor.app.widgets.editor import YamlEditor
from tutor.app.widgets.routing import RoutingView, symptom_header
from tutor.model.analysis import analyze
from tutor.model.network import ClusterNetwork
from tutor.model.proxy import Client
from tutor.model.report import request_to


@pytest.fixture(autouse=True)
def only_builtin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.delenv("KTUTOR_SERVE", raising=False)


def pod_rows(view: RoutingView) -> list[str]:
    return [p for p in prompts(view) if "TRAFFIC" in p or "no traffic" in p]


async def test_an_ipv6_first_service_shows_the_pods_ipv6_addresses(tmp_path: Path) -> None:
    app = builtin_app(
        "dual-stack", step=3, data_dir=tmp_path, from_files=False
    )  # "ipFamilies and clusterIPs"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(RoutingView)
        rows = pod_rows(view)
        assert len(rows) == 2
        assert all("[fd00:10:244:" in row and "]:8080" in row for row in rows), rows
        # the client sends to the IPv6 ClusterIP from its own IPv6 address, as the trace says
        assert any("from client (fd00:10:244:1::100 on node-1)" in p for p in prompts(view))
        editor = app.screen.query_one(YamlEditor)
        editor.focus()
        line = editor.text.splitlines().index("  ipFamilies: [IPv6, IPv4]")
        editor.cursor_location = (line, len("  ipFamilies: ["))
        await type_fast(pilot, *["delete"] * len("IPv6, IPv4"), *"IPv4, IPv6")
        rows = pod_rows(view)
        assert all(" 10.244." in row and ":8080" in row and "fd00" not in row for row in rows)
        assert any("from client (10.244.1.100 on node-1)" in p for p in prompts(view))


def test_the_symptoms_header_names_the_address_the_client_sends_from() -> None:
    """A `routing: symptoms` view's header says who sends as the full view's header and the
    trace do: to an IPv6-first Service's ClusterIP the client sends from its IPv6 address (it
    named the client's primary IPv4 address). Called without an app: the header is a
    function of the analysis, and `RoutingView.show` passes its snapshot's."""
    lesson = builtin_lesson("dual-stack")
    step = lesson.steps[2]  # ipFamilies [IPv6, IPv4]
    network = ClusterNetwork(tuple(lesson.ip_families))
    analysis = analyze(step.manifest or lesson.manifest, network=network)
    sr = analysis.services[0]
    client = Client("client", "10.244.1.100", "node-1")
    header = symptom_header(sr, sr.ports[0], client, analysis).plain
    assert header.startswith("from client (fd00:10:244:1::100 on node-1)"), header
    assert request_to(analysis, sr, sr.ports[0], client).client.ip == "fd00:10:244:1::100"
    ipv4_first = analyze(
        (step.manifest or lesson.manifest).replace("[IPv6, IPv4]", "[IPv4, IPv6]"),
        network=network,
    )
    sr = ipv4_first.services[0]
    header = symptom_header(sr, sr.ports[0], client, ipv4_first).plain
    assert header.startswith("from client (10.244.1.100 on node-1)"), header
