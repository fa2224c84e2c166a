"""`ktutor rules` on a LoadBalancer Service (#11's kube-proxy bullets, as the command prints
them): the health-check nodePort's ACCEPT for `externalTrafficPolicy: Local`, the KUBE-FW chain
and KUBE-PROXY-FIREWALL's DROP for `loadBalancerSourceRanges`, the load balancer IP taken from
`status.loadBalancer.ingress` when the file gives one, and every value ktutor makes up (a
ClusterIP, a nodePort, a load balancer IP) named in a `# simulated:` line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.cli import main

LB = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  externalTrafficPolicy: Local
  loadBalancerSourceRanges: [203.0.113.0/24]
  ports: [{port: 80, targetPort: 8080}]
STATUS---
apiVersion: v1
kind: Pod
metadata: {name: web-1, labels: {app: web}}
spec:
  nodeName: node-1
  containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
status:
  phase: Running
  podIP: 10.244.1.5
  conditions: [{type: Ready, status: "True"}]
"""
INGRESS = "status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.7}]\n"


def _rules(tmp_path: Path, capsys: pytest.CaptureFixture[str], status: str) -> list[str]:
    path = tmp_path / "lb.yaml"
    path.write_text(LB.replace("STATUS", status))
    assert main(["rules", str(path), "--node", "node-1"]) == 0
    return capsys.readouterr().out.splitlines()


def test_rules_for_a_load_balancer_with_source_ranges_and_local_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _rules(tmp_path, capsys, INGRESS)
    simulated = [ln for ln in lines if ln.startswith("# simulated:")]
    assert [re.sub(r"\d+(\.\d+){3}|\b3\d{4}\b", "N", ln) for ln in simulated] == [
        "# simulated: default/web spec.clusterIP N: allocated by ktutor (the file sets none)",
        "# simulated: default/web spec.ports[0].nodePort N: allocated by ktutor (the file sets "
        "none)",
        "# simulated: default/web spec.healthCheckNodePort N: allocated by ktutor (the file "
        "sets none)",
    ]  # the ingress IP is the file's: not simulated
    health = simulated[2].split("healthCheckNodePort ")[1].split(":")[0]
    assert (
        '-A KUBE-NODEPORTS -m comment --comment "default/web health check node port" -m tcp '
        f"-p tcp --dport {health} -j ACCEPT"
    ) in lines
    [fw] = {m.group() for ln in lines if (m := re.search(r"KUBE-FW-\w{16}", ln))}
    ext = fw.replace("KUBE-FW-", "KUBE-EXT-")
    assert (
        '-A KUBE-SERVICES -m comment --comment "default/web loadbalancer IP" -m tcp -p tcp '
        f"-d 198.51.100.7 --dport 80 -j {fw}"
    ) in lines
    assert [ln for ln in lines if ln.startswith(f"-A {fw} ")] == [
        f'-A {fw} -m comment --comment "default/web loadbalancer IP" -s 203.0.113.0/24 -j {ext}',
        f'-A {fw} -m comment --comment "other traffic to default/web will be dropped by '
        'KUBE-PROXY-FIREWALL"',
    ]
    assert (
        '-A KUBE-PROXY-FIREWALL -m comment --comment "default/web traffic not accepted by '
        f'{fw}" -m tcp -p tcp -d 198.51.100.7 --dport 80 -j DROP'
    ) in lines


def test_a_load_balancer_ip_ktutor_makes_up_is_marked_simulated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _rules(tmp_path, capsys, "")
    [note] = [ln for ln in lines if "status.loadBalancer.ingress" in ln]
    ip = note.split("ingress ")[1].split(":")[0]
    assert note == (
        f"# simulated: default/web status.loadBalancer.ingress {ip}: simulated (no cloud load "
        "balancer controller writes a status in a file)"
    )
    assert any(f"-d {ip} --dport 80 -j KUBE-FW-" in ln for ln in lines)


@pytest.mark.parametrize(
    ("mode", "notes"),
    [
        ("iptables", ["--cluster-cidr 10.244.0.0/16"]),
        ("nftables", ["--cluster-cidr 10.244.0.0/16", "Service range 10.96.0.0/12"]),
    ],
)
def test_rules_of_another_clusters_dump_say_which_ranges_are_kinds(
    mode: str, notes: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """An EKS dump's Pods (192.168.x) and ClusterIPs (172.20.x) lie outside kind's ranges, which
    the masquerade rules (and nftables' cluster-ips-check) use: said as simulated, not left as
    if they were that cluster's (they were printed without a word)."""
    dump = Path(__file__).parents[1] / "scenarios" / "081-dump-of-another-service-cidr.yaml"
    assert main(["rules", str(dump), "--mode", mode]) == 0
    out = capsys.readouterr().out
    said = [line for line in out.splitlines() if line.startswith("# simulated: ")]
    assert [line.split(" (")[0].removeprefix("# simulated: ") for line in said] == notes
    assert "e.g. 192.168.14.201" in said[0]
    # a kind cluster's own dump gets no such note
    assert (
        main(["rules", str(dump.parent / "065-default-kubernetes-dump.yaml"), "--mode", mode]) == 0
    )
    assert "--cluster-cidr" not in capsys.readouterr().out
