"""Cluster DNS records and the ClusterFirst search path (KUBERNETES-SEMANTICS.md section 5)."""

from __future__ import annotations

from typing import Any

import pytest
from testkit import dump_yaml_all

from tutor.model import analyze
from tutor.model.analysis import Analysis
from tutor.model.dns import (
    DnsRecord,
    any_port_srv,
    candidates,
    headless_answer,
    records,
    resolve,
)
from tutor.model.network import DUAL_STACK


def _service(
    name: str,
    *,
    ns: str = "default",
    ports: list[dict[str, Any]] | None = None,
    selector: dict[str, str] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"ports": ports if ports is not None else [{"port": 80}]}
    if selector is not None:
        body["selector"] = selector
    body.update(spec)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": body,
    }


def _pod(
    name: str,
    ip: str,
    *,
    app: str = "db",
    ready: bool = True,
    ns: str = "default",
    hostname: str = "",
    subdomain: str = "",
    ports: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "nodeName": "node-1",
        "containers": [{"name": "c", "image": "x", "ports": ports or []}],
    }
    if hostname:
        spec["hostname"] = hostname
    if subdomain:
        spec["subdomain"] = subdomain
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": app}},
        "spec": spec,
        "status": {
            "phase": "Running",
            "podIP": ip,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def _analyze(*objs: dict[str, Any]) -> Analysis:
    analysis = analyze(dump_yaml_all(objs, sort_keys=False))
    assert analysis.valid, analysis.errors
    return analysis


def _summary(recs: list[DnsRecord]) -> list[tuple[str, str, str, int]]:
    return [(r.name, r.type, r.value, r.port) for r in recs]


def test_clusterip_service_gets_a_record_and_srv_for_named_ports_only() -> None:
    a = _analyze(
        _service(
            "api",
            ports=[{"name": "grpc", "port": 9090}, {"name": "dns", "port": 53, "protocol": "UDP"}],
            selector={"app": "api"},
        )
    )
    cip = a.services[0].service.cluster_ip
    fqdn = "api.default.svc.cluster.local"
    assert _summary(records(a)) == [
        (fqdn, "A", cip, 0),
        (f"_grpc._tcp.{fqdn}", "SRV", fqdn, 9090),
        (f"_dns._udp.{fqdn}", "SRV", fqdn, 53),
    ]
    assert all(r.weight == 100 and r.priority == 0 for r in records(a) if r.type == "SRV")


@pytest.mark.parametrize(
    ("ports", "srv"),
    [
        ([{"port": 80}], 0),
        ([{"name": "web", "port": 80}], 1),
    ],
)
def test_unnamed_port_has_no_srv(ports: list[dict[str, Any]], srv: int) -> None:
    a = _analyze(_service("web", ports=ports, selector={"app": "web"}))
    assert sum(r.type == "SRV" for r in records(a)) == srv


@pytest.mark.parametrize(
    ("ports", "answers"),
    [
        ([{"port": 80}], [(80, 100)]),  # unnamed: no `_name._proto` SRV, but this one
        (
            [{"name": "web", "port": 80}, {"name": "dns", "port": 53, "protocol": "UDP"}],
            [(80, 50), (53, 50)],
        ),
    ],
)
def test_srv_for_the_service_name_lists_every_port(
    ports: list[dict[str, Any]], answers: list[tuple[int, int]]
) -> None:
    """CoreDNS reads a missing `_port._proto` as "*": an SRV query of the Service's own name
    answers each port, unnamed ones included (review item 1.9, lesson 11 step 4)."""
    a = _analyze(_service("web", ports=ports, selector={"app": "web"}))
    got = any_port_srv(a, "web.default.svc.cluster.local.")
    assert [(r.port, r.weight) for r in got] == answers
    assert {r.value for r in got} == {"web.default.svc.cluster.local"}


def test_srv_for_a_headless_name_lists_each_ready_endpoint_and_port() -> None:
    a = _analyze(
        _service("db", clusterIP="None", selector={"app": "db"}, ports=[{"port": 5432}]),
        _pod("db-a", "10.244.1.9", hostname="db-a", subdomain="db"),
        _pod("db-b", "10.244.1.10"),
        _pod("db-c", "10.244.1.11", ready=False),
    )
    got = any_port_srv(a, "db.default.svc.cluster.local")
    assert [(r.value, r.port, r.weight) for r in got] == [
        ("10-244-1-10.db.default.svc.cluster.local", 5432, 50),
        ("db-a.db.default.svc.cluster.local", 5432, 50),
    ]
    assert any_port_srv(a, "nothing.default.svc.cluster.local") == []


def test_service_without_selector_still_has_a_record() -> None:
    a = _analyze(_service("manual"))
    assert [r.type for r in records(a)] == ["A"]


@pytest.mark.parametrize(
    ("publish", "expected"),
    [
        (False, ["10.244.1.10", "10.244.1.9"]),
        (True, ["10.244.1.10", "10.244.1.11", "10.244.1.9"]),
    ],
)
def test_headless_returns_ready_pod_ips(publish: bool, expected: list[str]) -> None:
    a = _analyze(
        _service("db", clusterIP="None", selector={"app": "db"}, publishNotReadyAddresses=publish),
        _pod("db-a", "10.244.1.9"),
        _pod("db-b", "10.244.1.10"),
        _pod("db-c", "10.244.1.11", ready=False),
        _pod("other", "10.244.1.12", app="other"),
        _pod("elsewhere", "10.244.1.13", ns="prod"),
    )
    got = [r.value for r in records(a) if r.name == "db.default.svc.cluster.local"]
    assert got == expected


def test_headless_pod_hostname_records_need_matching_subdomain() -> None:
    a = _analyze(
        _service(
            "db",
            clusterIP="None",
            selector={"app": "db"},
            ports=[{"name": "pg", "port": 5432, "targetPort": "pg"}],
        ),
        _pod(
            "db-0",
            "10.244.1.9",
            hostname="db-0",
            subdomain="db",
            ports=[{"name": "pg", "containerPort": 5432}],
        ),
        _pod(
            "db-1",
            "10.244.1.10",
            hostname="db-1",
            subdomain="other",
            ports=[{"name": "pg", "containerPort": 6432}],
        ),
        _pod("db-2", "10.244.1.11", hostname="db-2", subdomain="db"),
    )
    names = {r.name for r in records(a) if r.type == "A"}
    assert "db-0.db.default.svc.cluster.local" in names
    assert "db-1.db.default.svc.cluster.local" not in names  # subdomain is not the Service
    assert "10-244-1-10.db.default.svc.cluster.local" in names  # CoreDNS's IP-based name
    srv = [r for r in records(a) if r.type == "SRV"]
    # one answer per Pod that resolves the named port, each with its own port; db-2 has none
    assert sorted((r.value, r.port) for r in srv) == [
        ("10-244-1-10.db.default.svc.cluster.local", 6432),
        ("db-0.db.default.svc.cluster.local", 5432),
    ]
    assert {r.weight for r in srv} == {50}
    assert all(r.name == "_pg._tcp.db.default.svc.cluster.local" for r in srv)


def test_headless_without_ready_endpoints_has_no_records() -> None:
    a = _analyze(
        _service("db", clusterIP="None", selector={"app": "db"}),
        _pod("db-a", "10.244.1.9", ready=False),
    )
    assert records(a) == []


def test_external_name_is_a_cname() -> None:
    svc = _service("ext", ports=[], type="ExternalName", externalName="db.example.com.")
    a = _analyze(svc)
    assert _summary(records(a)) == [("ext.default.svc.cluster.local", "CNAME", "db.example.com", 0)]
    assert records(a)[0].zone_line.endswith("CNAME\tdb.example.com.")


@pytest.mark.parametrize(
    ("name", "ns", "expected"),
    [
        (
            "web",
            "default",
            ["web.default.svc.cluster.local", "web.svc.cluster.local", "web.cluster.local", "web"],
        ),
        (
            "web.shop",
            "default",
            [
                "web.shop.default.svc.cluster.local",
                "web.shop.svc.cluster.local",
                "web.shop.cluster.local",
                "web.shop",
            ],
        ),
        ("web.shop.svc.cluster.local.", "default", ["web.shop.svc.cluster.local"]),
        (
            "a.b.c.d.e.f",
            "x",
            [
                "a.b.c.d.e.f",
                "a.b.c.d.e.f.x.svc.cluster.local",
                "a.b.c.d.e.f.svc.cluster.local",
                "a.b.c.d.e.f.cluster.local",
            ],
        ),
        ("", "default", []),
    ],
)
def test_search_candidates(name: str, ns: str, expected: list[str]) -> None:
    assert candidates(name, ns) == expected


SHOP = "web.shop.svc.cluster.local"


@pytest.mark.parametrize(
    ("query", "client_ns", "found", "service"),
    [
        ("web", "shop", SHOP, "shop/web"),
        ("web", "default", "web.default.svc.cluster.local", "default/web"),
        ("web.shop", "default", SHOP, "shop/web"),
        ("web.shop.svc", "default", SHOP, "shop/web"),
        ("web.shop.svc.cluster.local", "default", SHOP, "shop/web"),
        ("WEB.Shop", "default", SHOP, "shop/web"),
        ("api", "default", None, None),
        ("web.nowhere", "default", None, None),
        ("_http._tcp.web.shop", "default", f"_http._tcp.{SHOP}", "shop/web"),
    ],
)
def test_resolve_applies_search_path(
    query: str, client_ns: str, found: str | None, service: str | None
) -> None:
    a = _analyze(
        _service("web", ns="shop", ports=[{"name": "http", "port": 80}], selector={"app": "web"}),
        _service("web", ns="default", selector={"app": "web"}),
        _service("api", ns="prod", selector={"app": "api"}),
    )
    answer = resolve(a, query, client_ns)
    assert {r.name for r in answer} == ({found} if found else set())
    assert {r.service for r in answer} == ({service} if service else set())


def test_resolve_pod_hostname_in_own_namespace() -> None:
    a = _analyze(
        _service("db", ns="data", clusterIP="None", selector={"app": "db"}),
        _pod("db-0", "10.244.1.9", ns="data", hostname="db-0", subdomain="db"),
    )
    assert [r.value for r in resolve(a, "db-0.db", "data")] == ["10.244.1.9"]
    assert resolve(a, "db-0.db", "default") == []
    assert [r.value for r in resolve(a, "db-0.db.data", "default")] == ["10.244.1.9"]


DUAL_TEXT = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ipFamilyPolicy: RequireDualStack
  clusterIP: 10.96.0.40
  clusterIPs: [10.96.0.40, "fd00:10:96::28"]
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  ipFamilyPolicy: RequireDualStack
  selector: {app: web}
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec: {hostname: web-1, subdomain: db, containers: [{name: c, image: x}]}
status:
  phase: Running
  podIP: 10.244.1.7
  podIPs: [{ip: 10.244.1.7}, {ip: "fd00:10:244:1::7"}]
  conditions: [{type: Ready, status: "True"}]
"""


def test_dual_stack_service_has_a_and_aaaa_records() -> None:
    analysis = analyze(DUAL_TEXT, network=DUAL_STACK)
    assert analysis.valid, analysis.errors
    lines = [r.zone_line for r in records(analysis) if r.service == "default/web"]
    assert lines == [
        "web.default.svc.cluster.local.\t5\tIN\tA\t10.96.0.40",
        "web.default.svc.cluster.local.\t5\tIN\tAAAA\tfd00:10:96::28",
    ]


def test_dual_stack_headless_answers_with_each_family() -> None:
    analysis = analyze(DUAL_TEXT, network=DUAL_STACK)
    got = [(r.name, r.type, r.value) for r in resolve(analysis, "db")]
    assert got == [
        ("db.default.svc.cluster.local", "A", "10.244.1.7"),
        ("db.default.svc.cluster.local", "AAAA", "fd00:10:244:1::7"),
    ]
    named = [(r.type, r.value) for r in resolve(analysis, "web-1.db")]
    assert named == [("A", "10.244.1.7"), ("AAAA", "fd00:10:244:1::7")]


def test_single_stack_cluster_has_no_aaaa() -> None:
    analysis = analyze(
        DUAL_TEXT.replace("RequireDualStack", "SingleStack").replace(
            '  clusterIPs: [10.96.0.40, "fd00:10:96::28"]\n', ""
        )
    )
    assert analysis.valid, analysis.errors
    assert all(r.type != "AAAA" for r in records(analysis))


@pytest.mark.parametrize(
    ("ready", "said"),
    [
        (True, "DNS answers with the ready Pods' IPs (10.244.1.9); a client connects to one"),
        (False, "default/db: headless with no ready endpoints, so its name does not resolve"),
    ],
)
def test_a_headless_service_without_ports_is_described_by_its_answer(
    ready: bool, said: str
) -> None:
    a = _analyze(
        _service("db", clusterIP="None", selector={"app": "db"}, ports=[]),
        _pod("db-a", "10.244.1.9", ready=ready),
    )
    assert headless_answer(a.services[0]).startswith(said)
