"""Workloads beyond Deployments (DaemonSet, ReplicationController, Job), Node objects in the
input, hostNetwork Pods and unique simulated Pod IPs."""

from __future__ import annotations

import ipaddress

import pytest

from tutor.model import analyze
from tutor.model.changes import ClusterChanges
from tutor.model.manifests import parse

DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      {extra}
      containers: [{name: a, image: x, ports: [{containerPort: 9100, name: metrics}]}]
---
apiVersion: v1
kind: Service
metadata: {name: agent}
spec:
  selector: {app: agent}
  ports: [{port: 9100, targetPort: metrics}]
"""

NODES = """\
---
apiVersion: v1
kind: Node
metadata:
  name: cp
  labels: {node-role.kubernetes.io/control-plane: "", topology.kubernetes.io/zone: z1}
spec:
  podCIDR: 10.244.0.0/24
  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
status:
  addresses: [{type: InternalIP, address: 172.18.0.10}]
---
apiVersion: v1
kind: Node
metadata: {name: w1, labels: {topology.kubernetes.io/zone: z1, disk: ssd}}
spec: {podCIDR: 10.244.5.0/24}
status:
  addresses: [{type: Hostname, address: w1}, {type: InternalIP, address: 172.18.0.11}]
---
apiVersion: v1
kind: Node
metadata: {name: w2, labels: {topology.kubernetes.io/zone: z2}}
spec: {podCIDR: 10.244.6.0/24, unschedulable: true}
status:
  addresses: [{type: InternalIP, address: 172.18.0.12}]
"""


def _ds(extra: str = "", nodes: str = "") -> str:
    return DAEMONSET.replace("{extra}", extra or "hostNetwork: false") + nodes


def test_daemonset_runs_one_endpoint_per_simulated_node() -> None:
    a = analyze(_ds())
    pr = a.services[0].ports[0]
    assert sorted(ep.pod.node_name for ep in pr.used) == ["node-1", "node-2"]
    assert all(ep.port == 9100 for ep in pr.used)
    assert all(ep.pod.name.startswith("agent-") and len(ep.pod.name) == 11 for ep in pr.used)


@pytest.mark.parametrize(
    ("extra", "want"),
    [
        # the control-plane taint keeps it off `cp`; cordoned w2 still runs it (the DaemonSet
        # tolerates node.kubernetes.io/unschedulable)
        ("hostNetwork: false", ["w1", "w2"]),
        ("tolerations: [{operator: Exists}]", ["cp", "w1", "w2"]),
        (
            "tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, "
            "effect: NoSchedule}]",
            ["cp", "w1", "w2"],
        ),
        ("nodeSelector: {disk: ssd}", ["w1"]),
    ],
)
def test_daemonset_follows_node_objects_taints_and_selector(extra: str, want: list[str]) -> None:
    a = analyze(_ds(extra, NODES))
    assert a.valid, a.errors
    assert sorted(ep.pod.node_name for ep in a.services[0].ports[0].used) == want


def test_daemonset_cannot_be_scaled() -> None:
    parsed = parse(_ds())
    msg = ClusterChanges().scale(parsed.cluster, "DaemonSet/agent", 5)
    assert "one Pod on each node" in msg


def test_node_objects_replace_the_simulated_nodes() -> None:
    c = parse(_ds("", NODES)).cluster
    assert c.nodes == ["cp", "w1", "w2"]
    assert c.node_info["w1"].zone == "z1" and c.node_info["w1"].ip == "172.18.0.11"
    w1_pod = next(p for p in c.pods if p.node_name == "w1")
    assert ipaddress.ip_address(w1_pod.ip) in ipaddress.ip_network("10.244.5.0/24")


def test_simulated_nodes_without_node_objects() -> None:
    c = parse(_ds()).cluster
    assert c.nodes == ["node-1", "node-2"]
    assert [c.node_info[n].ip for n in c.nodes] == ["172.18.0.2", "172.18.0.3"]
    assert [c.node_info[n].pod_cidr for n in c.nodes] == ["10.244.1.0/24", "10.244.2.0/24"]
    assert all(c.node_info[n].zone == "" for n in c.nodes)


def test_host_network_pods_get_their_nodes_ip() -> None:
    c = parse(_ds("hostNetwork: true", NODES)).cluster
    by_node = {p.node_name: p.ip for p in c.pods}
    assert by_node == {"w1": "172.18.0.11", "w2": "172.18.0.12"}
    c = parse(_ds("hostNetwork: true")).cluster
    assert sorted(p.ip for p in c.pods) == ["172.18.0.2", "172.18.0.3"]


RC = """\
apiVersion: v1
kind: ReplicationController
metadata: {name: redis-master, labels: {app: redis}}
spec:
  replicas: 2
  {selector}
  template:
    metadata: {labels: {app: redis, role: master}}
    spec:
      containers: [{name: redis-master, image: redis, ports: [{name: redis-server, containerPort: 6379}]}]
---
apiVersion: v1
kind: Service
metadata: {name: redis-master}
spec:
  ports: [{port: 6379, targetPort: redis-server}]
  selector: {app: redis, role: master}
"""


@pytest.mark.parametrize("selector", ["selector: {app: redis, role: master}", ""])
def test_replication_controller_pods_are_endpoints(selector: str) -> None:
    a = analyze(RC.replace("{selector}", selector))
    assert a.valid, a.errors
    used = a.services[0].ports[0].used
    assert len(used) == 2 and all(ep.port == 6379 for ep in used)
    assert all(ep.pod.owner == "ReplicationController/redis-master" for ep in used)
    assert a.cluster.workloads[0].selector == {"app": "redis", "role": "master"}


JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {meta}
spec:
  {spec}
  template:
    metadata: {labels: {app: pi}}
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
"""


def _job(meta: str, spec: str = "parallelism: 1") -> str:
    return JOB.replace("{meta}", meta).replace("{spec}", spec)


def test_job_with_only_generate_name_gets_a_generated_name() -> None:
    parsed = parse(_job("{generateName: pi-}"))
    assert parsed.valid, parsed.errors
    wl = parsed.cluster.workloads[0]
    assert wl.name.startswith("pi-") and len(wl.name) == 8
    assert wl.ref != "Job/"
    (pod,) = parsed.cluster.pods
    assert pod.name.startswith(wl.name + "-") and len(pod.name) == len(wl.name) + 6
    assert pod.labels["job-name"] == wl.name
    assert pod.labels["batch.kubernetes.io/job-name"] == wl.name
    assert pod.labels["app"] == "pi"


@pytest.mark.parametrize(
    ("spec", "count"),
    [
        ("parallelism: 3", 3),
        ("parallelism: 3\n  completions: 2", 2),
        ("parallelism: 3\n  suspend: true", 0),
        ("completions: 5", 1),
    ],
)
def test_job_runs_parallelism_pods(spec: str, count: int) -> None:
    parsed = parse(_job("{name: pi}", spec))
    assert parsed.valid, parsed.errors
    assert len(parsed.cluster.pods) == count


def test_indexed_job_pods_carry_their_index() -> None:
    parsed = parse(
        _job("{name: work}", "completionMode: Indexed\n  parallelism: 2\n  completions: 2")
    )
    names = sorted(p.name for p in parsed.cluster.pods)
    assert [n.rsplit("-", 1)[0] for n in names] == ["work-0", "work-1"]
    assert sorted(p.hostname for p in parsed.cluster.pods) == ["work-0", "work-1"]
    assert sorted(
        p.labels["batch.kubernetes.io/job-completion-index"] for p in parsed.cluster.pods
    ) == [
        "0",
        "1",
    ]


def test_5000_simulated_pods_get_unique_ips_in_the_pod_cidr() -> None:
    docs = []
    for i in range(10):
        docs.append(
            f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: d{i}}}
spec:
  replicas: 500
  selector: {{matchLabels: {{app: d{i}}}}}
  template:
    metadata: {{labels: {{app: d{i}}}}}
    spec: {{containers: [{{name: c, image: x}}]}}
"""
        )
    c = parse("---\n".join(docs)).cluster
    ips = [p.ip for p in c.pods]
    assert len(ips) == 5000
    assert len(set(ips)) == 5000
    cidr = ipaddress.ip_network("10.244.0.0/16")
    assert all(ipaddress.ip_address(ip) in cidr for ip in ips)
    # the first 250 Pods of a node stay in its /24
    on_node1 = [p.ip for p in c.pods if p.node_name == "node-1"]
    in_block = [
        ip for ip in on_node1 if ipaddress.ip_address(ip) in ipaddress.ip_network("10.244.1.0/24")
    ]
    assert len(in_block) == 250
    # deterministic
    assert [p.ip for p in parse("---\n".join(docs)).cluster.pods] == ips


@pytest.mark.parametrize(
    ("policy", "spec", "error"),
    [
        (
            "",
            "parallelism: 1",
            'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        ),
        (
            "restartPolicy: Always",
            "parallelism: 1",
            'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        ),
        (
            "restartPolicy: never",
            "parallelism: 1",
            'spec.template.spec.restartPolicy: Unsupported value: "never": '
            'supported values: "OnFailure", "Never"',
        ),
        (
            "restartPolicy: OnFailure",
            "podFailurePolicy: {rules: []}",
            'spec.template.spec.restartPolicy: Invalid value: "OnFailure": '
            'only "Never" is supported when podFailurePolicy is specified',
        ),
        ("restartPolicy: OnFailure", "parallelism: 1", ""),
    ],
)
def test_a_job_s_pods_restart_policy_is_on_failure_or_never(
    policy: str, spec: str, error: str
) -> None:
    """`validateJobSpec`: a Job's Pod template without restartPolicy is defaulted to Always
    and refused (it was valid, and its Pods endpoints)."""
    parsed = parse(_job("{name: pi}", spec).replace("restartPolicy: Never", policy))
    assert [e.message for e in parsed.errors] == ([error] if error else [])
    assert bool(parsed.cluster.pods) is not bool(error)


def _read_back(kind: str, name: str, spec: str, owner: str = "") -> str:
    """A workload as `kubectl get -o yaml` prints it: resourceVersion, uid, maybe an owner."""
    owned = (
        f"\n  ownerReferences: [{{apiVersion: apps/v1, kind: Deployment, name: {owner}, "
        "uid: d1, controller: true}]"
        if owner
        else ""
    )
    return (
        f"---\napiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: {name}\n"
        f"  resourceVersion: '7'\n  uid: {name}-uid{owned}\nspec:\n  replicas: 3\n"
        f"  selector: {{matchLabels: {spec}}}\n  template:\n    metadata: {{labels: {spec}}}\n"
        "    spec: {containers: [{name: c, image: x}]}\n"
    )


READ_BACK_PODS = "".join(
    f"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7d9f8b6c5d-{s}\n"
    f"  resourceVersion: '9'\n  uid: p{s}\n  labels: {{app: web, pod-template-hash: 7d9f8b6c5d}}\n"
    f"spec: {{nodeName: node-1, containers: [{{name: c, image: x}}]}}\n"
    f"status: {{phase: Running, podIP: 10.244.1.{i + 2}, conditions: [{{type: Ready, status: 'True'}}]}}\n"
    for i, s in enumerate(["aaaaa", "bbbbb", "ccccc"])
)
DEPLOY_AND_RS = _read_back("Deployment", "web", "{app: web}") + _read_back(
    "ReplicaSet", "web-7d9f8b6c5d", "{app: web, pod-template-hash: 7d9f8b6c5d}", owner="web"
)


@pytest.mark.parametrize(
    ("text", "pods"),
    [
        # `kubectl get all -o yaml`: the Deployment, its ReplicaSet and the Pods they made
        (
            DEPLOY_AND_RS + READ_BACK_PODS,
            ["web-7d9f8b6c5d-aaaaa", "web-7d9f8b6c5d-bbbbb", "web-7d9f8b6c5d-ccccc"],
        ),
        # no Pods in the dump: the Deployment is simulated once, its ReplicaSet adds none
        (DEPLOY_AND_RS, 3),
        # a hand-written Deployment is simulated as always
        (
            _read_back("Deployment", "web", "{app: web}").replace(
                "  resourceVersion: '7'\n  uid: web-uid\n", ""
            ),
            3,
        ),
    ],
)
def test_a_dumps_workloads_do_not_add_pods_beside_the_ones_it_lists(
    text: str, pods: list[str] | int
) -> None:
    """A dump of `kubectl get all` lists a Deployment, its ReplicaSet and their 3 Pods: ktutor
    made 3 more Pods for each workload (9 selected instead of 3)."""
    parsed = parse(text)
    assert parsed.valid, parsed.errors
    names = sorted(p.name for p in parsed.cluster.pods)
    if isinstance(pods, int):
        assert len(names) == pods and all(n.startswith("web-") for n in names), names
    else:
        assert names == pods
