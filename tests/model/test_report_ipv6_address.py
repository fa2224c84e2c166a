"""An IPv6 ClusterIP with its port is written as [address]:port, as the Pods' addresses are:
lesson 13's routing view and trace showed `fd00:10:96::a486:80`, where the port reads as part
of the address."""

from __future__ import annotations

from testkit import builtin_lesson

from tutor.model.analysis import analyze
from tutor.model.network import ClusterNetwork
from tutor.model.proxy import Client
from tutor.model.report import request, request_to

CLIENT = Client("client", "10.244.1.100", "node-1")


def test_the_service_hop_brackets_an_ipv6_cluster_ip() -> None:
    lesson = builtin_lesson("dual-stack")
    step = lesson.steps[2]  # ipFamilies [IPv6, IPv4]
    analysis = analyze(
        step.manifest or lesson.manifest, network=ClusterNetwork(tuple(lesson.ip_families))
    )
    sr = analysis.services[0]
    ip = sr.service.cluster_ip
    assert ":" in ip  # IPv6 first
    for outcome in (
        request_to(analysis, sr, sr.ports[0], CLIENT),
        request(analysis, CLIENT, "web", 80),
    ):
        service = next(hop for hop in outcome.hops if hop.at == "Service")
        assert service.text == f"web [{ip}]:80", service.text
