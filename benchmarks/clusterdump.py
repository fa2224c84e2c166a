"""A synthetic `kubectl get svc,pods,endpointslices,nodes -A -o json|yaml` dump of a real-sized
cluster, for benchmarks/dump.py and the CLI's large-input tests.

Objects look like what kubectl prints: a `kind: List` whose items carry managedFields,
ownerReferences (Pods of ReplicaSets), container statuses, probes, projected token volumes,
tolerations, conditions with timestamps, and the controller's EndpointSlices (one per Service,
with targetRefs and node names). One Pod in ten is not Ready (its slice says so); Services are
spread over 50 namespaces, a few are headless or NodePort, and `default/kubernetes` is there
with its hand-written slice. Deterministic: the same arguments give the same bytes.

`python benchmarks/clusterdump.py PODS SERVICES OUT.json|OUT.yaml` writes one file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

NAMESPACES = 50
STAMP = "2026-01-05T09:12:44Z"


def _managed_fields(manager: str, fields: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": fields,
            "manager": manager,
            "operation": "Update",
            "time": STAMP,
        }
    ]


def node(i: int) -> dict[str, Any]:
    name = f"worker-{i:03d}"
    zone = f"europe-west1-{'bcd'[i % 3]}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": f"5f0c1d2e-0000-4000-8000-{i:012d}",
            "resourceVersion": str(900000 + i),
            "creationTimestamp": STAMP,
            "labels": {
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "node.kubernetes.io/instance-type": "e2-standard-8",
                "topology.kubernetes.io/region": "europe-west1",
                "topology.kubernetes.io/zone": zone,
            },
            "annotations": {"node.alpha.kubernetes.io/ttl": "0"},
        },
        "spec": {"podCIDR": f"10.{64 + i // 256}.{i % 256}.0/24", "providerID": f"gce://p/{name}"},
        "status": {
            "addresses": [
                {"address": f"10.132.{i // 250}.{i % 250 + 2}", "type": "InternalIP"},
                {"address": name, "type": "Hostname"},
            ],
            "allocatable": {"cpu": "7910m", "memory": "29202452Ki", "pods": "110"},
            "capacity": {"cpu": "8", "memory": "32877076Ki", "pods": "110"},
            "conditions": [
                {
                    "lastHeartbeatTime": STAMP,
                    "lastTransitionTime": STAMP,
                    "message": "kubelet is posting ready status",
                    "reason": "KubeletReady",
                    "status": "True",
                    "type": "Ready",
                }
            ],
            "nodeInfo": {
                "architecture": "amd64",
                "containerRuntimeVersion": "containerd://2.0.4",
                "kernelVersion": "6.6.56+",
                "kubeProxyVersion": "v1.35.0",
                "kubeletVersion": "v1.35.0",
                "operatingSystem": "linux",
                "osImage": "Container-Optimized OS from Google",
            },
            "images": [
                {"names": [f"registry.example/team-{k}/app@sha256:{k:064x}"], "sizeBytes": 1000 * k}
                for k in range(20)
            ],
        },
    }


def _namespace(s: int) -> str:
    return f"team-{s % NAMESPACES:02d}"


def service(s: int) -> dict[str, Any]:
    ns = _namespace(s)
    app = f"app-{s}"
    headless = s % 97 == 5
    node_port = s % 53 == 7
    ip = "None" if headless else f"10.96.{s // 200 + 1}.{s % 200 + 10}"
    ports: list[dict[str, Any]] = [
        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"},
        {"name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": 9090},
    ]
    if node_port:
        ports[0]["nodePort"] = 30000 + s % 2700
    spec: dict[str, Any] = {
        "clusterIP": ip,
        "clusterIPs": [ip],
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": ports,
        "selector": {"app.kubernetes.io/name": app, "app.kubernetes.io/component": "server"},
        "sessionAffinity": "None",
        "type": "NodePort" if node_port else "ClusterIP",
    }
    if node_port:
        spec["externalTrafficPolicy"] = "Cluster"
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "annotations": {
                "meta.helm.sh/release-name": app,
                "meta.helm.sh/release-namespace": ns,
            },
            "creationTimestamp": STAMP,
            "labels": {
                "app.kubernetes.io/instance": app,
                "app.kubernetes.io/managed-by": "Helm",
                "app.kubernetes.io/name": app,
                "helm.sh/chart": "server-1.4.2",
            },
            "managedFields": _managed_fields(
                "helm",
                {
                    "f:metadata": {"f:labels": {".": {}, "f:app.kubernetes.io/name": {}}},
                    "f:spec": {"f:ports": {".": {}}, "f:selector": {}, "f:type": {}},
                },
            ),
            "name": app,
            "namespace": ns,
            "resourceVersion": str(100000 + s),
            "uid": f"0a1b2c3d-0000-4000-8000-{s:012d}",
        },
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


def _pod_ip(p: int) -> str:
    return f"10.{64 + p // 65000}.{p // 250 % 256}.{p % 250 + 2}"


def pod(p: int, services: int, nodes: int) -> dict[str, Any]:
    s = p % services
    ns = _namespace(s)
    app = f"app-{s}"
    rs = f"{app}-7d4b9c6f5d"
    name = f"{rs}-{p:05d}"
    ready = p % 10 != 3
    node_name = f"worker-{p % nodes:03d}"
    ip = _pod_ip(p)
    ready_s = "True" if ready else "False"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "annotations": {"kubectl.kubernetes.io/restartedAt": STAMP},
            "creationTimestamp": STAMP,
            "generateName": f"{rs}-",
            "labels": {
                "app.kubernetes.io/component": "server",
                "app.kubernetes.io/name": app,
                "pod-template-hash": "7d4b9c6f5d",
            },
            "managedFields": _managed_fields(
                "kubelet",
                {
                    "f:status": {
                        "f:conditions": {'k:{"type":"Ready"}': {".": {}, "f:status": {}}},
                        "f:containerStatuses": {},
                        "f:podIP": {},
                        "f:podIPs": {".": {}, 'k:{"ip":"' + ip + '"}': {".": {}, "f:ip": {}}},
                    }
                },
            ),
            "name": name,
            "namespace": ns,
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "ReplicaSet",
                    "name": rs,
                    "uid": f"9e8d7c6b-0000-4000-8000-{s:012d}",
                }
            ],
            "resourceVersion": str(200000 + p),
            "uid": f"1b2c3d4e-0000-4000-8000-{p:012d}",
        },
        "spec": {
            "containers": [
                {
                    "env": [
                        {"name": "LOG_LEVEL", "value": "info"},
                        {
                            "name": "POD_NAME",
                            "valueFrom": {
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}
                            },
                        },
                    ],
                    "image": f"registry.example/{ns}/{app}:1.4.2",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "server",
                    "ports": [
                        {"containerPort": 8080, "name": "http", "protocol": "TCP"},
                        {"containerPort": 9090, "name": "metrics", "protocol": "TCP"},
                    ],
                    "readinessProbe": {
                        "failureThreshold": 3,
                        "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                        "periodSeconds": 10,
                        "successThreshold": 1,
                        "timeoutSeconds": 1,
                    },
                    "resources": {
                        "limits": {"memory": "256Mi"},
                        "requests": {"cpu": "50m", "memory": "128Mi"},
                    },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [
                        {
                            "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                            "name": "kube-api-access-x7k2q",
                            "readOnly": True,
                        }
                    ],
                }
            ],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "nodeName": node_name,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [
                {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "tolerationSeconds": 300,
                },
                {
                    "effect": "NoExecute",
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "tolerationSeconds": 300,
                },
            ],
            "volumes": [
                {
                    "name": "kube-api-access-x7k2q",
                    "projected": {
                        "defaultMode": 420,
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {
                                "configMap": {
                                    "items": [{"key": "ca.crt", "path": "ca.crt"}],
                                    "name": "kube-root-ca.crt",
                                }
                            },
                        ],
                    },
                }
            ],
        },
        "status": {
            "conditions": [
                {"lastProbeTime": None, "lastTransitionTime": STAMP, "status": "True", "type": t}
                for t in ("PodReadyToStartContainers", "Initialized", "PodScheduled")
            ]
            + [
                {
                    "lastProbeTime": None,
                    "lastTransitionTime": STAMP,
                    "status": ready_s,
                    "type": t,
                }
                for t in ("Ready", "ContainersReady")
            ],
            "containerStatuses": [
                {
                    "containerID": f"containerd://{p:064x}",
                    "image": f"registry.example/{ns}/{app}:1.4.2",
                    "imageID": f"registry.example/{ns}/{app}@sha256:{s:064x}",
                    "lastState": {},
                    "name": "server",
                    "ready": ready,
                    "restartCount": 0,
                    "started": True,
                    "state": {"running": {"startedAt": STAMP}},
                }
            ],
            "hostIP": f"10.132.{p % nodes // 250}.{p % nodes % 250 + 2}",
            "phase": "Running",
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "qosClass": "Burstable",
            "startTime": STAMP,
        },
    }


def endpoint_slice(s: int, pods: int, services: int, nodes: int) -> dict[str, Any]:
    ns = _namespace(s)
    app = f"app-{s}"
    endpoints = []
    for p in range(s, pods, services):
        ready = p % 10 != 3
        endpoints.append(
            {
                "addresses": [_pod_ip(p)],
                "conditions": {"ready": ready, "serving": ready, "terminating": False},
                "nodeName": f"worker-{p % nodes:03d}",
                "targetRef": {
                    "kind": "Pod",
                    "name": f"{app}-7d4b9c6f5d-{p:05d}",
                    "namespace": ns,
                    "uid": f"1b2c3d4e-0000-4000-8000-{p:012d}",
                },
                "zone": f"europe-west1-{'bcd'[p % nodes % 3]}",
            }
        )
    return {
        "addressType": "IPv4",
        "apiVersion": "discovery.k8s.io/v1",
        "endpoints": endpoints,
        "kind": "EndpointSlice",
        "metadata": {
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": STAMP},
            "creationTimestamp": STAMP,
            "generateName": f"{app}-",
            "generation": 3,
            "labels": {
                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                "kubernetes.io/service-name": app,
            },
            "name": f"{app}-{s % 99991:05d}",
            "namespace": ns,
            "ownerReferences": [
                {
                    "apiVersion": "v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "Service",
                    "name": app,
                    "uid": f"0a1b2c3d-0000-4000-8000-{s:012d}",
                }
            ],
            "resourceVersion": str(300000 + s),
            "uid": f"2c3d4e5f-0000-4000-8000-{s:012d}",
        },
        "ports": [
            {"name": "http", "port": 8080, "protocol": "TCP"},
            {"name": "metrics", "port": 9090, "protocol": "TCP"},
        ],
    }


def kubernetes_service() -> list[dict[str, Any]]:
    """`default/kubernetes`, selector-less, and its hand-written slice (in every dump)."""
    return [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "labels": {"component": "apiserver", "provider": "kubernetes"},
                "name": "kubernetes",
                "namespace": "default",
            },
            "spec": {
                "clusterIP": "10.96.0.1",
                "clusterIPs": ["10.96.0.1"],
                "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                "sessionAffinity": "None",
                "type": "ClusterIP",
            },
        },
        {
            "addressType": "IPv4",
            "apiVersion": "discovery.k8s.io/v1",
            "endpoints": [{"addresses": ["10.132.15.200"], "conditions": {"ready": True}}],
            "kind": "EndpointSlice",
            "metadata": {
                "labels": {"kubernetes.io/service-name": "kubernetes"},
                "name": "kubernetes",
                "namespace": "default",
            },
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        },
    ]


def dump(pods: int = 10_000, services: int = 1_000, nodes: int | None = None) -> dict[str, Any]:
    """The whole List, in kubectl's order for `get svc,pods,endpointslices,nodes`."""
    nodes = nodes or max(3, pods // 100)
    items: list[dict[str, Any]] = [kubernetes_service()[0]]
    items += [service(s) for s in range(services)]
    items += [pod(p, services, nodes) for p in range(pods)]
    items.append(kubernetes_service()[1])
    items += [endpoint_slice(s, pods, services, nodes) for s in range(services)]
    items += [node(i) for i in range(nodes)]
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def write(data: dict[str, Any], path: Path) -> None:
    """kubectl's layouts: JSON indented by 4, YAML in block style with `- ` at the key's indent."""
    with path.open("w", encoding="utf-8") as fh:
        if path.suffix == ".json":
            json.dump(data, fh, indent=4)
            fh.write("\n")
        else:
            yaml.dump(data, fh, Dumper=yaml.CSafeDumper, default_flow_style=False, sort_keys=False)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.splitlines()[-1])
    write(dump(int(sys.argv[1]), int(sys.argv[2])), Path(sys.argv[3]))
