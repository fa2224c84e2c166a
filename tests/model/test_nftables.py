"""kube-proxy's nftables mode: the `kube-proxy` table as K · pkg/proxy/nftables/proxier.go
programs it (`setupNFTables`, `syncProxyRules`, `writeServiceToEndpointRules`)."""

from __future__ import annotations

from typing import Any

import pytest
from testkit import dump_yaml, dump_yaml_all

from tutor.model import analyze
from tutor.model.nftables import hash_and_truncate, nft_duration, program, render_nftables


def _service(name: str = "web", **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"selector": {"app": name}, "ports": [{"name": "http", "port": 80}]}
    body.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def _pod(name: str, ip: str, node: str = "node-1", ready: bool = True) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "web"}},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "x"}]},
        "status": {
            "phase": "Running",
            "podIP": ip,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def _nft(*objs: dict[str, Any], node: str | None = None) -> str:
    analysis = analyze(dump_yaml_all(objs, sort_keys=False))
    assert analysis.valid, analysis.errors
    return render_nftables(analysis, node)


def _chain(text: str, name: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(f"\tchain {name} {{")
    end = lines.index("\t}", start)
    return [ln.strip() for ln in lines[start + 1 : end]]


def _elements(text: str, name: str) -> str:
    lines = text.splitlines()
    start = next(
        i
        for i, ln in enumerate(lines)
        if ln.startswith(f"\tmap {name} {{") or ln.startswith(f"\tset {name} {{")
    )
    end = lines.index("\t}", start)
    return "\n".join(lines[start:end])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # the examples in proxier.go's own comments
        ("ns1/svc1/tcp/p80", "ULMVA6XW-ns1/svc1/tcp/p80"),
        ("ns1/svc1/tcp/p80__10.180.0.1/80", "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"),
    ],
)
def test_chain_names_match_kube_proxy(name: str, expected: str) -> None:
    assert hash_and_truncate(name) == expected


def test_numgen_vmap_chooses_among_the_endpoints() -> None:
    text = _nft(
        _service(), _pod("a", "10.244.1.5"), _pod("b", "10.244.2.5"), _pod("c", "10.244.1.10")
    )
    svc_chain = "service-" + hash_and_truncate("default/web/tcp/http")
    eps = [
        "endpoint-" + hash_and_truncate(f"default/web/tcp/http__{ip}/80")
        for ip in ("10.244.1.10", "10.244.1.5", "10.244.2.5")  # sorted as "IP:port" strings
    ]
    assert _chain(text, svc_chain) == [
        # v1.35 matches the addresses only (kubernetes#131492: service-ips matched the port)
        f"ip daddr {_cluster_ip(text)} ip saddr != 10.244.0.0/16 jump mark-for-masquerade",
        f"numgen random mod 3 vmap {{ 0 : goto {eps[0]}, 1 : goto {eps[1]}, 2 : goto {eps[2]} }}",
    ]
    assert _chain(text, eps[1]) == [
        "ip saddr 10.244.1.5 jump mark-for-masquerade",
        "meta l4proto tcp dnat to 10.244.1.5:80",
    ]
    assert f": goto {svc_chain}" in _elements(text, "service-ips")
    assert "probability" not in text


def _cluster_ip(text: str) -> str:
    line = next(ln for ln in text.splitlines() if "spec.clusterIP " in ln)
    return line.split("spec.clusterIP ")[1].split(":")[0]


def test_unnamed_port_chain_name_ends_with_a_slash() -> None:
    text = _nft(_service(ports=[{"port": 80}]), _pod("a", "10.244.1.5"))
    assert "\tchain service-" + hash_and_truncate("default/web/tcp/") + " {" in text


def test_no_endpoints_goes_to_the_reject_chain() -> None:
    text = _nft(_service())
    assert 'comment "default/web:http" : goto reject-chain' in _elements(
        text, "no-endpoint-services"
    )
    assert "service-" + hash_and_truncate("default/web/tcp/http") not in text
    assert _chain(text, "reject-chain")[-1] == "reject"


def test_internal_traffic_policy_local_without_local_endpoint_drops() -> None:
    svc = _service(internalTrafficPolicy="Local")
    text = _nft(svc, _pod("a", "10.244.2.5", node="node-2"), node="node-1")
    assert ": drop" in _elements(text, "no-endpoint-services")
    local = _nft(svc, _pod("a", "10.244.2.5", node="node-2"), node="node-2")
    assert ": goto local-" + hash_and_truncate("default/web/tcp/http") in _elements(
        local, "service-ips"
    )


def test_client_ip_affinity_sets_and_updates() -> None:
    text = _nft(
        _service(
            sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 600}}
        ),
        _pod("a", "10.244.1.5"),
    )
    base = hash_and_truncate("default/web/tcp/http__10.244.1.5/80")
    assert f"\tset affinity-{base} {{" in text
    assert "timeout 10m" in _elements(text, f"affinity-{base}")
    svc_chain = "service-" + hash_and_truncate("default/web/tcp/http")
    assert _chain(text, svc_chain)[1] == f"ip saddr @affinity-{base} goto endpoint-{base}"
    assert f"update @affinity-{base} {{ ip saddr }}" in _chain(text, f"endpoint-{base}")


@pytest.mark.parametrize(
    ("ranges", "rule"),
    [
        # `nft list` prints a one-element anonymous set without its braces
        (["198.51.100.0/24"], "ip saddr != 198.51.100.0/24 drop"),
        (
            ["198.51.100.0/24", "203.0.113.0/25"],
            "ip saddr != { 198.51.100.0/24, 203.0.113.0/25 } drop",
        ),
    ],
)
def test_source_ranges_firewall(ranges: list[str], rule: str) -> None:
    svc = _service(type="LoadBalancer", loadBalancerSourceRanges=ranges)
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}
    text = _nft(svc, _pod("a", "10.244.1.5"))
    fw = "firewall-" + hash_and_truncate("default/web/tcp/http")
    assert f'192.0.2.10 . tcp . 80 comment "default/web:http" : goto {fw}' in _elements(
        text, "firewall-ips"
    )
    assert _chain(text, fw) == [rule]


def test_external_traffic_policy_local_short_circuits() -> None:
    text = _nft(_service(type="NodePort", externalTrafficPolicy="Local"), _pod("a", "10.244.1.5"))
    base = hash_and_truncate("default/web/tcp/http")
    assert _chain(text, f"external-{base}") == [
        f'ip saddr 10.244.0.0/16 goto service-{base} comment "short-circuit pod traffic"',
        'fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
        f'fib saddr type local goto service-{base} comment "short-circuit local traffic"',
        f"goto local-{base}",
    ]


def test_fixed_chains_and_masquerade_mark() -> None:
    text = _nft(_service())
    assert "table ip kube-proxy {" in text.splitlines()
    # kube-proxy writes `mark set mark or 0x004000`, `mark and 0x004000 == 0 return`...: nft
    # lists them in its own form, as on a real node
    assert _chain(text, "mark-for-masquerade") == ["meta mark set meta mark | 0x00004000"]
    assert _chain(text, "masquerading") == [
        "meta mark & 0x00004000 == 0x00000000 return",
        "meta mark set meta mark ^ 0x00004000",
        "masquerade fully-random",
    ]
    assert _chain(text, "cluster-ips-check")[1] == (
        'ip daddr 10.96.0.0/12 drop comment "Drop traffic to unallocated ClusterIPs"'
    )
    assert _chain(text, "nat-prerouting") == [
        "type nat hook prerouting priority dstnat; policy accept;",
        "jump services",
    ]


def test_durations() -> None:
    assert [nft_duration(s) for s in (10800, 600, 90, 86400, 1)] == [
        "3h",
        "10m",
        "1m30s",
        "1d",
        "1s",
    ]


def test_one_table_per_family() -> None:
    analysis = analyze(dump_yaml(_service()))
    assert program(analysis).ip == "ip"
    assert "table ip6 kube-proxy" not in render_nftables(analysis)


BASE_CHAINS_1_35 = {
    # K · pkg/proxy/nftables/proxier_test.go `baseRules` (after kubernetes#132456): each base
    # chain's hook and priority as `nft list` prints them (it names `dstnat` at prerouting
    # only: -110 is `dstnat - 10` there and -110 at output; 0 is `filter`), its jumps in order
    "filter-prerouting-pre-dnat": (
        "type filter hook prerouting priority dstnat - 10; policy accept;",
        ["ct state new jump firewall-check"],
    ),
    "filter-output-pre-dnat": (
        "type filter hook output priority -110; policy accept;",
        ["ct state new jump firewall-check"],
    ),
    "filter-input": (
        "type filter hook input priority filter; policy accept;",
        ["ct state new jump nodeport-endpoints-check", "ct state new jump service-endpoints-check"],
    ),
    "filter-forward": (
        "type filter hook forward priority filter; policy accept;",
        ["ct state new jump service-endpoints-check", "ct state new jump cluster-ips-check"],
    ),
    "filter-output": (
        "type filter hook output priority filter; policy accept;",
        ["ct state new jump service-endpoints-check", "ct state new jump cluster-ips-check"],
    ),
    "nat-prerouting": (
        "type nat hook prerouting priority dstnat; policy accept;",
        ["jump services"],
    ),
    "nat-output": ("type nat hook output priority -100; policy accept;", ["jump services"]),
    "nat-postrouting": (
        "type nat hook postrouting priority srcnat; policy accept;",
        ["jump masquerading"],
    ),
}


def test_base_chains_are_v1_35_s() -> None:
    """v1.35 has the firewall check in two pre-DNAT chains and the other filter chains at the
    filter priority (`filter-output-post-dnat` merged into `filter-output`); ktutor printed the
    v1.31 layout (`filter-prerouting`, every filter chain at dstnat - 10)."""
    text = _nft(_service(), _pod("web-1", "10.244.1.5"))
    chains = [line.split()[1] for line in text.splitlines() if line.startswith("\tchain ")]
    base = [name for name in chains if " hook " in _chain(text, name)[0]]
    assert base == list(BASE_CHAINS_1_35)
    for name, (header, jumps) in BASE_CHAINS_1_35.items():
        assert _chain(text, name) == [header, *jumps], name
