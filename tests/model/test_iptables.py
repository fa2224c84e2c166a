"""kube-proxy iptables rules: chain names, the random cascade, affinity, traffic policies and the
REJECT/DROP rules, checked against kube-proxy's proxier.go behaviour."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from testkit import dump_yaml_all

from tutor.model import analyze
from tutor.model.iptables import chain_name, kernel_probability, probability, program, render_rules
from tutor.model.network import DUAL_STACK

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _service(
    name: str = "web",
    *,
    ns: str = "default",
    ports: list[dict[str, Any]] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"selector": {"app": name}, "ports": ports or [{"port": 80}]}
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
    app: str = "web",
    node: str = "node-1",
    ready: bool = True,
    terminating: bool = False,
    ns: str = "default",
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": ns, "labels": {"app": app}}
    if terminating:
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "x"}]},
        "status": {
            "phase": "Running",
            "podIP": ip,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def _text(*objs: dict[str, Any]) -> str:
    return dump_yaml_all(objs, sort_keys=False)


def _rules(*objs: dict[str, Any], node: str | None = None) -> str:
    analysis = analyze(_text(*objs))
    assert analysis.valid, analysis.errors
    return render_rules(analysis, node)


def _table(text: str, name: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(f"*{name}")
    end = lines.index("COMMIT", start)
    return lines[start + 1 : end]


def _chain(text: str, table: str, chain: str) -> list[str]:
    return [ln for ln in _table(text, table) if ln.startswith(f"-A {chain} ")]


def _svc_chain(name: str, proto: str = "tcp") -> str:
    return chain_name("KUBE-SVC-", name, proto)


@pytest.mark.parametrize(
    ("prefix", "name", "proto", "endpoint", "expected"),
    [
        ("KUBE-SVC-", "kube-system/kube-dns:dns", "UDP", None, "KUBE-SVC-TCOU7JCQXEZGVUNU"),
        ("KUBE-SVC-", "default/kubernetes:https", "TCP", None, "KUBE-SVC-NPX46M4PTMTKRN6Y"),
        ("KUBE-SVC-", "default/my-service", "tcp", None, "KUBE-SVC-FXIYY6OHUSNBITIX"),
        ("KUBE-SVC", "default/my-service", "TCP", None, "KUBE-SVC-FXIYY6OHUSNBITIX"),
        # from a real node's iptables-save: default/test-svc and its two endpoints
        ("KUBE-SVC-", "default/test-svc", "tcp", None, "KUBE-SVC-QKNQQNIN727HO3XU"),
        ("KUBE-SEP-", "default/test-svc", "tcp", "10.244.1.3:80", "KUBE-SEP-SQEBHSRBMT4ZUBXZ"),
        ("KUBE-SEP-", "default/test-svc", "TCP", "10.244.2.3:80", "KUBE-SEP-SUSDB4Q4CAFDFR7F"),
    ],
)
def test_chain_names_match_kube_proxy(
    prefix: str, name: str, proto: str, endpoint: str | None, expected: str
) -> None:
    assert chain_name(prefix, name, proto, endpoint) == expected


def test_chain_prefixes_share_the_port_proto_hash() -> None:
    hashes = {
        chain_name(p, "default/web:http", "tcp")[len(p) :]
        for p in ("KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-FW-")
    }
    assert len(hashes) == 1
    assert chain_name("KUBE-SVC-", "default/web:http", "udp") != chain_name(
        "KUBE-SVC-", "default/web:http", "tcp"
    )


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, [None]),
        (2, ["0.5000000000", None]),
        (3, ["0.3333333333", "0.5000000000", None]),
        (4, ["0.2500000000", "0.3333333333", "0.5000000000", None]),
    ],
)
def test_random_cascade_probabilities(n: int, expected: list[str | None]) -> None:
    pods = [_pod(f"web-{i}", f"10.244.1.{20 + i}") for i in range(n)]
    text = _rules(_service(), *pods)
    jumps = [ln for ln in _chain(text, "nat", _svc_chain("default/web")) if "-j KUBE-SEP-" in ln]
    got = [m.group(1) if (m := re.search(r"--probability (\S+)", ln)) else None for ln in jumps]
    assert got == expected
    if n == 1:
        assert "statistic" not in text


def test_probability_format() -> None:
    assert probability(3) == "0.3333333333"
    assert probability(7) == f"{1 / 7:0.10f}"


def test_endpoints_sorted_as_strings_not_numbers() -> None:
    text = _rules(_service(), _pod("a", "10.244.1.9"), _pod("b", "10.244.1.10"))
    jumps = [ln for ln in _chain(text, "nat", _svc_chain("default/web")) if "->" in ln]
    assert [re.search(r"-> (\S+)\"", ln).group(1) for ln in jumps] == [  # type: ignore[union-attr]
        "10.244.1.10:80",
        "10.244.1.9:80",
    ]


def test_clusterip_capture_masquerade_and_dnat() -> None:
    analysis = analyze(
        _text(
            _service(ports=[{"name": "http", "port": 80, "targetPort": 8080}]),
            _pod("a", "10.244.1.5"),
        )
    )
    text = render_rules(analysis)
    cip = analysis.services[0].service.cluster_ip
    svc = _svc_chain("default/web:http")
    sep = chain_name("KUBE-SEP-", "default/web:http", "tcp", "10.244.1.5:8080")
    assert _chain(text, "nat", "KUBE-SERVICES")[0] == (
        f'-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp '
        f"-d {cip} --dport 80 -j {svc}"
    )
    assert _chain(text, "nat", svc)[0].endswith("! -s 10.244.0.0/16 -j KUBE-MARK-MASQ")
    assert _chain(text, "nat", sep) == [
        f"-A {sep} -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ",
        f"-A {sep} -m comment --comment default/web:http -m tcp -p tcp -j DNAT "
        "--to-destination 10.244.1.5:8080",
    ]


def test_udp_port_uses_udp_match() -> None:
    text = _rules(
        _service(ports=[{"name": "dns", "port": 53, "protocol": "UDP"}]), _pod("a", "10.244.1.5")
    )
    line = _chain(text, "nat", "KUBE-SERVICES")[0]
    assert "-m udp -p udp" in line
    assert line.endswith(_svc_chain("default/web:dns", "udp"))


@pytest.mark.parametrize(("affinity", "timeout"), [("ClientIP", 600), ("ClientIP", None)])
def test_client_ip_affinity_rules(affinity: str, timeout: int | None) -> None:
    spec: dict[str, Any] = {"sessionAffinity": affinity}
    if timeout is not None:
        spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": timeout}}
    text = _rules(_service(**spec), _pod("a", "10.244.1.5"), _pod("b", "10.244.2.6"))
    seconds = timeout if timeout is not None else 10800
    rules = [ln for ln in _chain(text, "nat", _svc_chain("default/web")) if "->" in ln]
    # the two recent checks come before the two load-balancing rules
    assert [("--rcheck" in ln) for ln in rules] == [True, True, False, False]
    for ln in rules[:2]:
        sep = ln.rsplit("-j ", 1)[1]
        assert f"-m recent --name {sep} --rcheck --seconds {seconds} --reap -j {sep}" in ln
        dnat = next(d for d in _chain(text, "nat", sep) if "DNAT" in d)
        assert f"-m recent --name {sep} --set" in dnat


def test_no_affinity_means_no_recent_module() -> None:
    assert "recent" not in _rules(_service(), _pod("a", "10.244.1.5"))


@pytest.mark.parametrize(
    "pods",
    [
        [],
        [_pod("a", "10.244.1.5", ready=False)],
        [_pod("a", "10.244.1.5", app="other")],
    ],
)
def test_no_usable_endpoints_rejects_in_filter_table(pods: list[dict[str, Any]]) -> None:
    text = _rules(_service(type="NodePort"), *pods)
    filt = _chain(text, "filter", "KUBE-SERVICES")
    assert len(filt) == 1
    assert '"default/web has no endpoints"' in filt[0] and filt[0].endswith("-j REJECT")
    ext = _chain(text, "filter", "KUBE-EXTERNAL-SERVICES")
    assert len(ext) == 1 and "--dst-type LOCAL" in ext[0] and ext[0].endswith("-j REJECT")
    assert "KUBE-SVC-" not in "\n".join(_table(text, "nat"))
    assert "KUBE-EXT-" not in "\n".join(_table(text, "nat"))


def test_terminating_fallback_gets_endpoint_chains() -> None:
    # serving (Ready condition True) and terminating: used only because nothing is ready
    text = _rules(
        _service(), _pod("a", "10.244.1.5", terminating=True), _pod("b", "10.244.1.6", ready=False)
    )
    assert "--to-destination 10.244.1.5:80" in text
    assert "10.244.1.6" not in text
    assert "REJECT" not in "\n".join(_chain(text, "filter", "KUBE-SERVICES"))


@pytest.mark.parametrize(
    "spec", [{"clusterIP": "None"}, {"type": "ExternalName", "externalName": "example.com"}]
)
def test_headless_and_external_name_are_skipped(spec: dict[str, Any]) -> None:
    svc = _service(**spec)
    if spec.get("type") == "ExternalName":
        del svc["spec"]["selector"]
    analysis = analyze(_text(svc, _pod("a", "10.244.1.5")))
    rs = program(analysis)
    assert all(r.service == "" for r in rs.nat.rules + rs.filter.rules)
    assert rs.skipped and rs.skipped[0].startswith("default/web: ")


@pytest.mark.parametrize(
    ("node", "local", "target"),
    [
        ("node-1", ["10.244.1.5:80"], "KUBE-SVL-"),
        ("node-2", [], "DROP"),
    ],
)
def test_internal_traffic_policy_local(node: str, local: list[str], target: str) -> None:
    text = _rules(
        _service(internalTrafficPolicy="Local"),
        _pod("a", "10.244.1.5", node="node-1"),
        _pod("b", "10.244.1.7", node="node-3"),
        node=node,
    )
    svl = chain_name("KUBE-SVL-", "default/web", "tcp")
    if target == "DROP":
        rule = _chain(text, "filter", "KUBE-SERVICES")
        assert len(rule) == 1 and '"default/web has no local endpoints"' in rule[0]
        assert rule[0].endswith("-j DROP")
        assert svl not in text
    else:
        assert _chain(text, "nat", "KUBE-SERVICES")[0].endswith(f"-j {svl}")
        dests = [ln.split("-> ")[1].split('"')[0] for ln in _chain(text, "nat", svl) if "->" in ln]
        assert dests == local
    assert _svc_chain("default/web") not in text  # not externally accessible: no KUBE-SVC


def test_external_traffic_policy_local_nodeport() -> None:
    objs = (
        _service(
            type="NodePort", externalTrafficPolicy="Local", ports=[{"port": 80, "nodePort": 30080}]
        ),
        _pod("a", "10.244.1.5", node="node-1"),
        _pod("b", "10.244.2.6", node="node-2"),
    )
    ext = chain_name("KUBE-EXT-", "default/web", "tcp")
    svc = _svc_chain("default/web")
    svl = chain_name("KUBE-SVL-", "default/web", "tcp")
    on1 = _rules(*objs, node="node-1")
    assert _chain(on1, "nat", "KUBE-NODEPORTS") == [
        f"-A KUBE-NODEPORTS -m comment --comment default/web -m tcp -p tcp --dport 30080 -j {ext}"
    ]
    ext_rules = _chain(on1, "nat", ext)
    assert f"-s 10.244.0.0/16 -j {svc}" in ext_rules[0]  # pods short-circuit to Cluster
    assert "--src-type LOCAL -j KUBE-MARK-MASQ" in ext_rules[1]
    assert ext_rules[-1] == f"-A {ext} -j {svl}"  # everyone else: local endpoints, no SNAT
    assert not any("masquerade traffic for" in ln for ln in ext_rules)
    assert len([ln for ln in _chain(on1, "nat", svl) if "->" in ln]) == 1
    # ClusterIP traffic is unaffected: both endpoints
    assert _chain(on1, "nat", "KUBE-SERVICES")[0].endswith(f"-j {svc}")
    assert len([ln for ln in _chain(on1, "nat", svc) if "->" in ln]) == 2

    on3 = _rules(*objs, node="node-3")
    assert _chain(on3, "nat", ext)[-1] != f"-A {ext} -j {svl}"
    drop = _chain(on3, "filter", "KUBE-EXTERNAL-SERVICES")
    assert len(drop) == 1 and "has no local endpoints" in drop[0] and drop[0].endswith("-j DROP")


def test_external_traffic_policy_cluster_masquerades_then_jumps_to_svc() -> None:
    text = _rules(
        _service(type="LoadBalancer", ports=[{"port": 443, "targetPort": 8443}]),
        _pod("a", "10.244.1.5"),
    )
    ext = chain_name("KUBE-EXT-", "default/web", "tcp")
    assert _chain(text, "nat", ext) == [
        f'-A {ext} -m comment --comment "masquerade traffic for default/web external '
        'destinations" -j KUBE-MARK-MASQ',
        f"-A {ext} -j {_svc_chain('default/web')}",
    ]
    lb = [ln for ln in _chain(text, "nat", "KUBE-SERVICES") if "loadbalancer IP" in ln]
    assert len(lb) == 1 and lb[0].endswith(f"--dport 443 -j {ext}")
    assert len(_chain(text, "nat", "KUBE-NODEPORTS")) == 1


def test_external_ips_are_captured() -> None:
    text = _rules(_service(externalIPs=["192.0.2.10"]), _pod("a", "10.244.1.5"))
    ext = chain_name("KUBE-EXT-", "default/web", "tcp")
    rule = [ln for ln in _chain(text, "nat", "KUBE-SERVICES") if "external IP" in ln]
    assert rule == [
        f'-A KUBE-SERVICES -m comment --comment "default/web external IP" '
        f"-m tcp -p tcp -d 192.0.2.10 --dport 80 -j {ext}"
    ]


def test_layout_filter_then_nat_and_nodeports_rule_last() -> None:
    text = _rules(_service(), _pod("a", "10.244.1.5"))
    lines = text.splitlines()
    assert lines.index("*filter") < lines.index("*nat")
    assert lines.count("COMMIT") == 2
    assert _chain(text, "nat", "KUBE-SERVICES")[-1].endswith(
        "-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"
    )
    assert ":KUBE-MARK-MASQ - [0:0]" in lines
    assert "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000" in lines


def test_unknown_default_node_is_first_node() -> None:
    analysis = analyze(_text(_service(), _pod("a", "10.244.1.5")))
    assert program(analysis).node == analysis.cluster.nodes[0]


def _declared_and_jumped(text: str, table: str) -> tuple[set[str], set[str]]:
    body = _table(text, table)
    declared = {ln[1:].split()[0] for ln in body if ln.startswith(":")}
    targets = {m.group(1) for ln in body if (m := re.search(r"-j (KUBE-\S+)", ln))}
    appended = {ln.split()[1] for ln in body if ln.startswith("-A ")}
    return declared, targets | appended


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_chain_used_is_declared(path: Path) -> None:
    """iptables-restore rejects a jump to, or a rule in, an undeclared chain."""
    for node in ("node-1", "node-2"):
        text = render_rules(analyze(path.read_text()), node)
        for table in ("filter", "nat"):
            declared, used = _declared_and_jumped(text, table)
            builtins = {"INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"}
            assert used - builtins <= declared, (table, used - declared)


def test_ipv4_proxier_ignores_ipv6_endpoints() -> None:
    text = _rules(_service(), _pod("a", "10.244.1.5"), _pod("b", "fd00:10:244::6"))
    assert "--to-destination 10.244.1.5:80" in text
    assert "fd00" not in text
    assert "statistic" not in text  # one usable endpoint, not two


def _lb(**spec: Any) -> dict[str, Any]:
    return _service(type="LoadBalancer", ports=[{"port": 80, "nodePort": 30080}], **spec)


def test_health_check_node_port_is_accepted_for_local_policy() -> None:
    """`syncProxyRules`: a health-check nodePort gets an ACCEPT in KUBE-NODEPORTS (filter), on
    every node, whether or not it has local endpoints."""
    svc = _lb(externalTrafficPolicy="Local", healthCheckNodePort=32000)
    for node in ("node-1", "node-2"):
        text = _rules(svc, _pod("a", "10.244.1.5", node="node-1"), node=node)
        assert _chain(text, "filter", "KUBE-NODEPORTS") == [
            '-A KUBE-NODEPORTS -m comment --comment "default/web health check node port" '
            "-m tcp -p tcp --dport 32000 -j ACCEPT"
        ]


def test_health_check_node_port_is_simulated_when_left_out() -> None:
    text = _rules(_lb(externalTrafficPolicy="Local"), _pod("a", "10.244.1.5"))
    [rule] = _chain(text, "filter", "KUBE-NODEPORTS")
    port = rule.split("--dport ")[1].split()[0]
    assert 30000 <= int(port) <= 32767
    assert f"# simulated: default/web spec.healthCheckNodePort {port}" in text
    assert "health check node port" not in _rules(_lb(), _pod("a", "10.244.1.5"))


def test_ingress_from_status_is_captured_and_not_marked_simulated() -> None:
    svc = _lb()
    svc["status"] = {
        "loadBalancer": {"ingress": [{"ip": "198.51.100.7"}, {"hostname": "x.example"}]}
    }
    text = _rules(svc, _pod("a", "10.244.1.5"))
    lb = [r for r in _chain(text, "nat", "KUBE-SERVICES") if "loadbalancer IP" in r]
    assert [r.split(" -d ")[1].split()[0] for r in lb] == ["198.51.100.7"]
    assert "status.loadBalancer.ingress" not in text


def test_proxy_mode_ingress_is_not_captured() -> None:
    svc = _lb()
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "198.51.100.7", "ipMode": "Proxy"}]}}
    text = _rules(svc, _pod("a", "10.244.1.5"))
    assert not [r for r in _chain(text, "nat", "KUBE-SERVICES") if "loadbalancer IP" in r]


def test_made_up_values_are_marked_simulated() -> None:
    text = _rules(_service(type="LoadBalancer"), _pod("a", "10.244.1.5"))
    notes = [ln for ln in text.splitlines() if ln.startswith("# simulated: ")]
    assert len(notes) == 3
    assert "spec.clusterIP 10.96." in notes[0]
    assert "spec.ports[0].nodePort 3" in notes[1]
    assert "status.loadBalancer.ingress 203.0.113." in notes[2]


def test_source_ranges_firewall_chain_and_drop() -> None:
    """`syncProxyRules`' firewall: the LB rule jumps to KUBE-FW-…, which sends each allowed
    source range to KUBE-EXT-… and otherwise falls through to KUBE-PROXY-FIREWALL's DROP."""
    svc = _lb(loadBalancerSourceRanges=["203.0.113.0/24", " 10.1.2.3/8 "])
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "198.51.100.7"}]}}
    text = _rules(svc, _pod("a", "10.244.1.5"))
    fw = chain_name("KUBE-FW-", "default/web", "tcp")
    ext = chain_name("KUBE-EXT-", "default/web", "tcp")
    assert f":{fw} - [0:0]" in _table(text, "nat")
    [lb_rule] = [r for r in _chain(text, "nat", "KUBE-SERVICES") if "loadbalancer IP" in r]
    assert lb_rule.endswith(f"-d 198.51.100.7 --dport 80 -j {fw}")
    assert _chain(text, "nat", fw) == [
        f'-A {fw} -m comment --comment "default/web loadbalancer IP" -s 203.0.113.0/24 -j {ext}',
        f'-A {fw} -m comment --comment "default/web loadbalancer IP" -s 10.0.0.0/8 -j {ext}',
        f'-A {fw} -m comment --comment "other traffic to default/web will be dropped by '
        'KUBE-PROXY-FIREWALL"',
    ]
    assert _chain(text, "filter", "KUBE-PROXY-FIREWALL") == [
        '-A KUBE-PROXY-FIREWALL -m comment --comment "default/web traffic not accepted by '
        f'{fw}" -m tcp -p tcp -d 198.51.100.7 --dport 80 -j DROP'
    ]


def test_no_firewall_without_source_ranges_or_endpoints() -> None:
    assert "KUBE-FW-" not in _rules(_lb(), _pod("a", "10.244.1.5"))
    assert "KUBE-FW-" not in _rules(_lb(loadBalancerSourceRanges=["10.0.0.0/8"]))


def test_probabilities_are_shown_as_iptables_save_prints_them() -> None:
    """kube-proxy writes `%0.10f`; the kernel keeps lround(p * 2^31) and iptables-save prints
    it with `%.11f` (course review §1.5)."""
    assert kernel_probability("0.3333333333") == "0.33333333349"
    assert kernel_probability("0.5000000000") == "0.50000000000"
    assert kernel_probability("0.2500000000") == "0.25000000000"
    pods = [_pod(n, f"10.244.1.{i + 2}") for i, n in enumerate("abc")]
    text = _rules(_service(), *pods)
    assert (
        "# --probability 0.3333333333 is what kube-proxy writes; iptables-save on a node "
        "prints 0.33333333349 (the kernel keeps it as a 31-bit fraction)"
    ) in text
    assert "prints 0.50000000000" in text


def test_dual_stack_programs_iptables_and_ip6tables() -> None:
    """One proxier per family (`NewDualStackProxier`): the IPv6 rules use the IPv6 ClusterIP,
    the Pods' IPv6 addresses and the IPv6 Pod range."""
    pod = _pod("a", "10.244.1.5")
    pod["status"]["podIPs"] = [{"ip": "10.244.1.5"}, {"ip": "fd00:10:244:1::5"}]
    svc = _service(ipFamilyPolicy="RequireDualStack")
    analysis = analyze(_text(svc, pod), network=DUAL_STACK)
    assert analysis.valid, analysis.errors
    v4 = program(analysis, family="IPv4").text()
    v6 = program(analysis, family="IPv6").text()
    assert "--to-destination 10.244.1.5:80" in v4 and "fd00" not in v4.split("*filter")[1]
    assert "--to-destination [fd00:10:244:1::5]:80" in v6
    assert "! -s fd00:10:244::/56" in v6
    assert "ip6tables-save" in v6.splitlines()[0]
    both = render_rules(analysis)
    assert both.index("iptables-save") < both.index("ip6tables-save")


def test_topology_hints_narrow_the_cluster_chain() -> None:
    """Lesson 10 step 4 (trafficDistribution PreferSameNode): F5 on node-2 showed KUBE-SVC
    jumping to all three caches while the routing view said node-2 uses its own. kube-proxy's
    `CategorizeEndpoints` (K · pkg/proxy/topology.go) keeps the endpoints hinted for the node
    (else its zone) in the cluster chain; without cache-2, node-2 falls back to zone-a's
    cache-1. nftables mode writes the same endpoints."""
    from testkit import builtin_lesson

    from tutor.model.nftables import render_nftables

    lesson = builtin_lesson("topology")
    index = next(i for i, s in enumerate(lesson.steps) if s.title.endswith("PreferSameNode"))
    text = lesson.step_manifest(index)
    ips = {"cache-1": "10.244.1.45", "cache-2": "10.244.2.156", "cache-3": "10.244.3.155"}
    for node, own in (("node-1", "cache-1"), ("node-2", "cache-2"), ("node-3", "cache-3")):
        rules = render_rules(analyze(text, network=lesson.network), node)
        jumps = [
            line for line in rules.splitlines() if line.startswith("-A KUBE-SVC-") and "->" in line
        ]
        assert len(jumps) == 1 and f"-> {ips[own]}:53" in jumps[0], (node, jumps)
        nft = render_nftables(analyze(text, network=lesson.network), node)
        assert ips[own] in nft and not any(ip in nft for name, ip in ips.items() if name != own), (
            node,
            nft,
        )
    docs = text.split("---\n")
    without = "---\n".join(d for d in docs if "name: cache-2\n" not in d)
    rules = render_rules(analyze(without, network=lesson.network), "node-2")
    jumps = [
        line for line in rules.splitlines() if line.startswith("-A KUBE-SVC-") and "->" in line
    ]
    assert len(jumps) == 1 and f"-> {ips['cache-1']}:53" in jumps[0], jumps
    assert f"--to-destination {ips['cache-3']}:53" not in rules, rules
