"""An IPv6 ClusterIP with its port is written as [address]:port, as the Pods' addresses are:
lesson 13's routing view and trace showed `fd00:10:96::a486:80`, where the port reads as part
of the address."""

from __future__ import annotations

from testkit import builtin_lesson

from tutor.model.analysis import analyze
from tutor.model.proxy import Client
from tutor.model.report import request, request_to

CLIENT = Client("client", "10.244.1.100", "node-1")


def test_the_service_hop_brackets_an_ipv6_cluster_ip() -> None:
    lesson = builtin_lesson("dual-stack")
    step = lesson.steps[2]  # ipFamilies [IPv6, IPv4]
    analysis = analyze(step.manifest or lesson.manifest, network=lesson.network)
    sr = analysis.services[0]
    ip = sr.service.cluster_ip
    assert ":" in ip  # IPv6 first
    for outcome in (
        request_to(analysis, sr, sr.ports[0], CLIENT),
        request(analysis, CLIENT, ip, 80),
    ):
        service = next(hop for hop in outcome.hops if hop.at == "Service")
        assert service.text == f"web [{ip}]:80", service.text


def test_a_request_by_name_goes_where_its_dns_answer_points() -> None:
    """`curl web` on a dual-stack cluster dials the A record: glibc's getaddrinfo orders
    answers by RFC 6724, where IPv4 (precedence 35) comes before a ULA IPv6 address such as
    kind's fd00::/8 (precedence 3). The trace's Service hop names the address dialled (it
    named the primary ClusterIP after a DNS hop that answered the other one)."""
    lesson = builtin_lesson("dual-stack")
    step = lesson.steps[2]  # ipFamilies [IPv6, IPv4]
    analysis = analyze(step.manifest or lesson.manifest, network=lesson.network)
    outcome = request(analysis, CLIENT, "web", 80)
    dns_hop = next(hop for hop in outcome.hops if hop.at == "DNS")
    answer = dns_hop.text.rsplit(" ", 1)[1]
    assert "→ A " in dns_hop.text and ":" not in answer
    service = next(hop for hop in outcome.hops if hop.at == "Service")
    assert service.text == f"web {answer}:80", service.text
    assert outcome.client.ip == CLIENT.ip  # an IPv4 destination: the IPv4 source


def test_a_request_to_an_ipv6_cluster_ip_comes_from_the_clients_ipv6_address() -> None:
    """A Pod on a dual-stack cluster sends to an IPv6 ClusterIP from its own IPv6 address
    (status.podIPs, one per family): lesson 13's trace said `client 10.244.1.100` sends to
    `[fd00:10:96::...]:80`, an IPv4 source talking to an IPv6 address."""
    lesson = builtin_lesson("dual-stack")
    step = lesson.steps[2]  # ipFamilies [IPv6, IPv4]
    network = lesson.network
    analysis = analyze(step.manifest or lesson.manifest, network=network)
    sr = analysis.services[0]
    v4 = next(ip for ip in sr.service.cluster_ips if ":" not in ip)
    for outcome in (
        request_to(analysis, sr, sr.ports[0], CLIENT),
        request(analysis, CLIENT, sr.service.cluster_ip, 80),
    ):
        assert outcome.client.ip == "fd00:10:244:1::100", outcome.client
        assert outcome.client.name == "client" and outcome.client.node == "node-1"
    # to the IPv4 ClusterIP the same client sends from its IPv4 address
    to_v4 = request(analysis, CLIENT, v4, 80)
    assert to_v4.client.ip == "10.244.1.100"
    assert next(h for h in to_v4.hops if h.at == "Service").text == f"web {v4}:80"
    # a Pod of the file as the client: its own IPv6 address from status.podIPs
    pod = next(p for p in analysis.cluster.pods if len(p.ips) == 2)
    own = request_to(analysis, sr, sr.ports[0], Client(pod.name, pod.ip, pod.node_name))
    assert own.client.ip == next(ip for ip in pod.ips if ":" in ip)


def test_a_single_stack_cluster_keeps_the_clients_address() -> None:
    analysis = analyze(builtin_lesson("one-request").manifest)
    outcome = request(analysis, CLIENT, "web", 80)
    assert outcome.client == CLIENT
