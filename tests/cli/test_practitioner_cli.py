"""The practitioner on a dump of many namespaces (#11): `-n`/`--service` filters on route, rules,
check and dns, `route --summary`, selectors printed as `k=v`, the JSON's named targetPort, and
`dns` on a headless Service."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main

ROOT = Path(__file__).resolve().parents[2]

SHOP = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web, tier: front}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web, tier: front}}
spec:
  nodeName: node-1
  containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
status:
  phase: Running
  podIP: 10.244.1.10
  conditions: [{type: Ready, status: "True"}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: shop, labels: {app: web, tier: front}}
spec:
  nodeName: node-2
  containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
status:
  phase: Running
  podIP: 10.244.2.10
  conditions: [{type: Ready, status: "False"}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: shop, labels: {app: API}}
spec:
  nodeName: node-1
  containers: [{name: api, image: api}]
status:
  phase: Running
  podIP: 10.244.1.11
  conditions: [{type: Ready, status: "True"}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: blog}
spec:
  selector: {app: blog}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: blog-1, namespace: blog, labels: {app: blog}}
spec:
  nodeName: node-2
  containers: [{name: blog, image: blog}]
status:
  phase: Running
  podIP: 10.244.2.11
  conditions: [{type: Ready, status: "True"}]
"""

INVALID_ELSEWHERE = (
    SHOP
    + """\
---
apiVersion: v1
kind: Service
metadata: {name: broken, namespace: other}
spec:
  ports: [{port: 0}]
"""
)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "dump.yaml"
    path.write_text(SHOP)
    return path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_one_aligned_line_per_service_port(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["route", str(shop), "--summary"], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 4  # the header and one line per Service port
    head = lines[0]
    assert head.split() == [
        "NAMESPACE",
        "NAME",
        "PORT",
        "SELECTED",
        "READY",
        "TRAFFIC",
        "FIRST",
        "PROBLEM",
    ]
    # kubectl's layout: every column starts where its header does
    starts = [m.start() for m in re.finditer(r"\S+", head)][1:-1]
    for line in lines[1:]:
        for start in starts:
            assert line[start - 3 : start] == "   " and line[start] != " ", (line, start)
    rows = {tuple(line.split()[:2]): line.split(None, 6) for line in lines[1:]}
    web = rows[("shop", "web")]
    assert web[2:6] == ["http:80/TCP", "2", "1", "1"]
    assert web[6].startswith("web-2: not Ready")
    api = rows[("shop", "api")]
    assert api[2:6] == ["8080/TCP", "0", "0", "0"]
    assert "no Pod matches app=api" in api[6] and "api-1" in api[6]
    assert "case-sensitive" in api[6]
    blog = rows[("blog", "web")]
    assert blog[2:] == ["80/TCP", "1", "1", "1", "-"]


def test_namespace_filter_keeps_one_namespace(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["route", str(shop), "-n", "blog"], capsys)
    assert code == 0
    assert "Service blog/web" in out and "shop/" not in out
    code, out, _ = _run(["route", str(shop), "--namespace", "shop", "--summary"], capsys)
    assert [line.split()[:2] for line in out.splitlines()[1:]] == [
        ["shop", "web"],
        ["shop", "api"],
    ]


def test_service_filter_by_name_or_namespace_and_name(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["route", str(shop), "--service", "web", "--summary"], capsys)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["shop", "blog"]
    code, out, _ = _run(["route", str(shop), "--service", "blog/web", "--json"], capsys)
    assert code == 0
    assert list(json.loads(out)["services"]) == ["blog/web"]


def test_filter_matching_nothing_is_one_line_exit_2(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["route", str(shop), "--service", "shop/db"], capsys)
    assert code == 2 and out == ""
    assert (
        err.strip()
        == 'ktutor route: no Service "db" in namespace "shop" (there is shop/api, shop/web)'
    )
    code, out, err = _run(["route", str(shop), "-n", "kube-system"], capsys)
    assert code == 2 and err.strip() == 'ktutor route: no Services in namespace "kube-system"'


def test_selectors_print_as_k_equals_v(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["route", str(shop), "--service", "shop/web"], capsys)
    assert code == 0
    assert "selector: app=web,tier=front" in out
    assert "{" not in out and "'" not in out.split("selector:")[1].splitlines()[0]


def test_json_keeps_the_named_target_port(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["route", str(shop), "--json"], capsys)
    assert code == 0
    ports = json.loads(out)["services"]
    named = ports["shop/web"]["http"]
    assert named["targetPort"] is None  # the contract: null when targetPort is a name
    assert named["targetPortName"] == "http"
    assert named["endpoints"] == {"web-1": 8080, "web-2": 8080}
    assert ports["blog/web"]["80"]["targetPort"] == 80
    assert ports["blog/web"]["80"]["targetPortName"] is None


def test_errors_elsewhere_are_counted_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dump.yaml"
    path.write_text(INVALID_ELSEWHERE)
    code, out, _ = _run(["route", str(path), "-n", "blog"], capsys)
    assert code == 0
    assert "spec.ports[0].port" not in out
    assert "2 error(s) in objects the filters leave out" in out
    code, out, _ = _run(["check", str(path), "-n", "blog"], capsys)
    assert code == 1
    assert 'valid in namespace "blog" (1 Service(s), 1 Pod(s))' in out
    assert "2 error(s) in other namespaces" in out
    code, out, _ = _run(["check", str(path), "-n", "other"], capsys)
    assert code == 1 and "spec.ports[0].port: Invalid value: 0" in out
    # the Service asked for is invalid: its own errors, not "no Service"
    code, out, err = _run(["route", str(path), "--service", "other/broken"], capsys)
    assert code == 1 and err == ""
    assert out.splitlines()[0] == 'The Service "broken" is invalid:'
    code, _, err = _run(["rules", str(path), "--service", "other/broken"], capsys)
    assert code == 2
    assert (
        err
        == 'ktutor rules: Service "broken" in namespace "other" is invalid: the API server rejects it\n'
    )


def test_rules_for_one_service(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, everything, _ = _run(["rules", str(shop)], capsys)
    assert code == 0
    code, out, _ = _run(["rules", str(shop), "--service", "blog/web"], capsys)
    assert code == 0
    assert "blog/web" in out and "shop/web" not in out and "shop/api" not in out
    assert "shop/web" in everything
    code, _, err = _run(["rules", str(shop), "-n", "nowhere"], capsys)
    assert code == 2 and err.startswith("ktutor rules: no Services in namespace")


HEADLESS_ONLY = """\
apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
"""


def test_dns_headless_without_ready_pods_is_still_a_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "db.yaml"
    path.write_text(HEADLESS_ONLY)
    code, out, _ = _run(["dns", str(path)], capsys)
    assert code == 0
    assert "the file has no Services" not in out
    assert out.splitlines() == [
        "; data/db",
        "; data/db: headless with no ready endpoints, so its name does not resolve (NXDOMAIN)",
    ]


def test_dns_headless_prints_its_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "db.yaml"
    path.write_text(
        HEADLESS_ONLY
        + """\
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: data, labels: {app: db}}
spec:
  nodeName: node-1
  containers: [{name: pg, image: postgres, ports: [{name: pg, containerPort: 5432}]}]
status:
  phase: Running
  podIP: 10.244.1.9
  conditions: [{type: Ready, status: "True"}]
"""
    )
    code, out, _ = _run(["dns", str(path), "--service", "db"], capsys)
    assert code == 0
    assert "db.data.svc.cluster.local.\t5\tIN\tA\t10.244.1.9" in out
    assert "_pg._tcp.db.data.svc.cluster.local.\t5\tIN\tSRV\t0 100 5432 " in out
    assert "no Services" not in out


def test_route_json_into_a_closed_pipe_is_quiet(shop: Path) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m tutor route {shop} --json | head -1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout == "{\n"
    assert "Traceback" not in proc.stderr


def test_check_a_helm_template_says_render_it_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "service.yaml"
    path.write_text(
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "web.fullname" . }}\n'
        "spec:\n  ports:\n    - port: {{ .Values.service.port }}\n"
    )
    code, out, err = _run(["check", str(path)], capsys)
    assert code == 2 and out == ""
    assert err == (
        f"ktutor: {path}:4:9: this looks like a Helm template "
        '(`{{ include "web.fullname" . }}` on line 4), not Kubernetes YAML: render the chart '
        "first (helm template RELEASE CHART > manifest.yaml) and give ktutor the output\n"
    )


def test_check_refuses_an_endpointslice_without_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "scenarios" / "078-endpointslice-without-name.yaml"
    code, out, _ = _run(["check", str(path)], capsys)
    assert code == 1
    assert out.splitlines()[:2] == [
        'The EndpointSlice "" is invalid:',
        f"{path}:14:1: metadata.name: Required value: name or generateName is required",
    ]


def test_dns_headless_from_the_inputs_slices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A selector-less headless Service with a hand-written slice: CoreDNS answers with the
    slice's ready addresses (the endpoint's hostname names it), as `route` shows DNS returning."""
    path = tmp_path / "ext.yaml"
    path.write_text(
        """\
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: data}
spec:
  clusterIP: None
  ports: [{name: pg, port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext-1
  namespace: data
  labels: {kubernetes.io/service-name: ext}
addressType: IPv4
ports: [{name: pg, port: 5432, protocol: TCP}]
endpoints:
- addresses: ["192.168.10.5"]
  hostname: db-a
- addresses: ["192.168.10.6"]
  conditions: {ready: false}
"""
    )
    code, out, _ = _run(["dns", str(path)], capsys)
    assert code == 0
    assert out.splitlines() == [
        "; data/ext",
        "ext.data.svc.cluster.local.\t5\tIN\tA\t192.168.10.5",
        "db-a.ext.data.svc.cluster.local.\t5\tIN\tA\t192.168.10.5",
        "_pg._tcp.ext.data.svc.cluster.local.\t5\tIN\tSRV\t0 100 5432 "
        "db-a.ext.data.svc.cluster.local.",
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("{a: 1}", 'got a map {"a": 1}'), ("'80'", 'got a string "80"'), ("[80]", "got a list [80]")],
)
def test_a_wrong_value_prints_as_written_not_as_python(
    value: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "svc.yaml"
    path.write_text(
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: w}}\nspec:\n  ports:\n  - port: {value}\n"
    )
    code, out, _ = _run(["check", str(path)], capsys)
    assert code == 1
    assert f"spec.ports[0].port: expected a whole number (int32), {shown}" in out
    assert "'" not in out.splitlines()[1]


def _many_pods(tmp_path: Path) -> Path:
    """60 Pods (more than a lesson's file): 30 `app: web` and 30 `app: api` in `shop`, and one
    `app: web` in `blog`; Services `web`, `api` (its selector misspelt `Api`) in `shop`."""
    docs = [
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
        "spec: {selector: {app: web}, ports: [{port: 80}]}",
        "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\n"
        "spec: {selector: {app: Api}, ports: [{port: 80}]}",
    ]
    for app in ("web", "api"):
        for i in range(30):
            docs.append(
                f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {app}-{i}, namespace: shop, "
                f"labels: {{app: {app}}}}}\nspec: {{containers: [{{name: c, image: x}}]}}"
            )
    docs.append(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: stray, namespace: blog, labels: {app: web}}\n"
        "spec: {containers: [{name: c, image: x}]}"
    )
    path = tmp_path / "many.yaml"
    path.write_text("\n---\n".join(docs) + "\n")
    return path


def test_route_on_a_dump_lists_the_pods_that_concern_each_port(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _many_pods(tmp_path)
    code, out, _ = _run(["route", str(path), "--service", "shop/web"], capsys)
    assert code == 0
    pods = [line.split()[1] for line in out.splitlines() if line.startswith("    >")]
    assert pods == [f"web-{i}" for i in range(30)]
    # the Pod in another namespace whose labels match is still explained
    assert any(
        line.split()[0] == "stray" and "namespace `blog`" in line for line in out.splitlines()
    )
    assert (
        "(30 other Pod(s) in namespace shop left out: they match none of the selector's labels)"
        in out
    )
    assert "api-0" not in out
    code, out, _ = _run(["route", str(path), "--service", "shop/api"], capsys)
    assert code == 0
    # nothing selected: the closest few (a case typo), then how many are left out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("       api-")]
    assert listed == ["api-0", "api-1", "api-2", "api-3", "api-4"]
    assert "(values are case-sensitive)" in out
    assert "(55 other Pod(s) in namespace shop left out" in out


def test_route_and_the_console_give_the_same_reason_for_a_pod_not_ready(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One truth: `route`'s WHY NOT and the console's `kubectl describe pod` event both say
    what tutor.model.explain says about the failing readiness probe."""
    path = ROOT / "tests" / "scenarios" / "077-readiness-probe-why-not.yaml"
    detail = "readiness probe httpGet :8080/healthz fails (container web not ready)"
    code, out, _ = _run(["route", str(path), "--service", "shop/web"], capsys)
    assert code == 0 and f"not Ready: {detail}" in out
    code, out, _ = _run(
        ["sim", str(path), "--", "kubectl", "describe", "pod", "web-probe-fails", "-n", "shop"],
        capsys,
    )
    assert code == 0
    assert f"Readiness probe failed: simulated ({detail})" in out
    code, out, _ = _run(
        ["sim", str(path), "--", "kubectl", "describe", "pod", "web-crashing", "-n", "shop"],
        capsys,
    )
    assert "Reason:       CrashLoopBackOff" in out
    # a waiting container is not probed: the kubelet's event is its back-off, not a probe
    assert "Back-off restarting failed container web in pod web-crashing_shop(" in out
    assert "Readiness probe failed" not in out
    code, out, _ = _run(["route", str(path), "--service", "shop/web"], capsys)
    assert "container web is waiting (CrashLoopBackOff)" in out


def test_route_on_a_dump_lists_the_closest_partial_matches_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A label every Pod of a namespace has (`tier: back`) must not list the namespace under
    each port: the NEAR Pods matching most pairs, then "+ N more", and `--all` lists them."""
    docs = [
        "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\n"
        "spec: {selector: {app: db, tier: back, team: data}, ports: [{port: 5432}]}",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: db-0, namespace: shop, "
        "labels: {app: db, tier: back, team: data}}\nspec: {containers: [{name: c, image: x}]}",
        # matches two of the three pairs: the closest, listed first although last in the file
        "apiVersion: v1\nkind: Pod\nmetadata: {name: db-old, namespace: shop, "
        "labels: {app: db, tier: back}}\nspec: {containers: [{name: c, image: x}]}",
    ]
    for i in range(60):
        docs.insert(
            1,
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: api-{59 - i}, namespace: shop, "
            "labels: {app: api, tier: back}}\nspec: {containers: [{name: c, image: x}]}",
        )
    docs.append(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: cache, namespace: shop, labels: {app: c}}\n"
        "spec: {containers: [{name: c, image: x}]}"
    )
    path = tmp_path / "shop.yaml"
    path.write_text("\n---\n".join(docs) + "\n")
    code, out, _ = _run(["route", str(path)], capsys)
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("       ")]
    assert listed == ["POD", "db-old", "api-0", "api-1"]
    assert "    >  db-0 " in out
    assert (
        "    + 58 more Pod(s) in namespace shop that match part of the selector "
        "(--all lists them)" in out
    )
    assert "(1 other Pod(s) in namespace shop left out: they match none" in out
    code, out, _ = _run(["route", str(path), "--all"], capsys)
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("       ")]
    assert listed == ["POD", "db-old"] + [f"api-{i}" for i in range(60)]
    assert "more Pod(s)" not in out
    assert "(1 other Pod(s) in namespace shop left out" in out


@pytest.mark.parametrize("flag", ["-n", "--namespace"])
def test_dns_namespace_filter_narrows_the_records_as_on_route(
    flag: str, shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["dns", str(shop), flag, "blog"], capsys)
    assert code == 0
    heads = [line for line in out.splitlines() if line.startswith("; ") and "/" in line]
    assert heads == ["; blog/web"]
    assert "web.blog.svc.cluster.local." in out and "shop.svc" not in out
    code, out, err = _run(["dns", str(shop), flag, "nope"], capsys)
    assert code == 2 and 'no Services in namespace "nope"' in err


def test_dns_namespace_with_resolve_is_the_pods_namespace(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --resolve, -n is where the Pod doing the lookup lives (kubectl exec -n NS ...):
    a Service of another namespace still resolves by its longer name."""
    code, out, _ = _run(["dns", str(shop), "-n", "blog", "--resolve", "web.shop"], capsys)
    assert code == 0
    assert "; search blog.svc.cluster.local svc.cluster.local cluster.local" in out
    assert any(line.startswith("web.shop.svc.cluster.local.\t") for line in out.splitlines())
    code, out, _ = _run(["dns", str(shop), "-n", "blog", "--resolve", "web"], capsys)
    assert code == 0
    assert any(line.startswith("web.blog.svc.cluster.local.\t") for line in out.splitlines())


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n"
            "  containers: [{name: c, image: x}]\n",
            "the file has no Services",
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports: [{port: 0}]\n",
            "the API server rejects every Service in the file",
        ),
    ],
)
@pytest.mark.parametrize("summary", [[], ["--summary"]])
def test_route_without_services_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, why: str, summary: list[str]
) -> None:
    """`route` printed nothing at all (or only --summary's header) for a file without a valid
    Service; `dns` said why. Both say it in the same words."""
    path = tmp_path / "m.yaml"
    path.write_text(text)
    code, out, _ = _run(["route", str(path), *summary], capsys)
    assert f"nothing to route: {why}\n" in out
    assert "NAMESPACE" not in out
    assert code == (0 if "no Services" in why else 1)
    _, out, _ = _run(["dns", str(path)], capsys)
    assert out.endswith(f"; no DNS records: {why}\n")


def test_route_a_kustomization_says_build_it_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kustomization.yaml"
    path.write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources:\n- service.yaml\n"
    )
    code, out, err = _run(["route", str(path)], capsys)
    assert code == 2 and out == ""
    assert err == (
        f"ktutor: {path}:1:1: this is a kustomize Kustomization (kustomization.yaml), not "
        "Kubernetes objects: build it first (kubectl kustomize DIR > manifest.yaml, or "
        "kustomize build DIR) and give ktutor the output\n"
    )


def test_route_of_an_external_name_says_where_a_request_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An ExternalName port printed 'no Pods in the file' and nothing else: it has no Pods to
    have, its traffic leaves the cluster by a CNAME (the report's own words)."""
    path = tmp_path / "ext.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec:\n  type: ExternalName\n"
        "  externalName: db.example.com\n  ports: [{port: 5432}]\n"
    )
    code, out, _ = _run(["route", str(path)], capsys)
    assert code == 0
    assert out.splitlines()[1:3] == [
        "  port 5432/TCP -> targetPort 5432",
        "    a request: DNS answers with a CNAME to db.example.com: the request leaves the "
        "cluster (no kube-proxy, no Pod)",
    ]
    assert "no Pods in the file" not in out


DUAL_STACK_DUMP = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: default, resourceVersion: "812", uid: 5b0e}
  spec:
    clusterIP: 10.96.50.5
    clusterIPs: [10.96.50.5, "fd00:10:96::5"]
    ipFamilies: [IPv4, IPv6]
    ipFamilyPolicy: PreferDualStack
    selector: {app: web}
    ports: [{port: 80, protocol: TCP, targetPort: 80}]
- apiVersion: v1
  kind: Pod
  metadata: {name: w1, namespace: default, labels: {app: web}, resourceVersion: "790", uid: 7c1d}
  spec: {nodeName: node-1, containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
  status:
    phase: Running
    podIP: 10.244.1.5
    podIPs: [{ip: 10.244.1.5}, {ip: "fd00:10:244:1::5"}]
    conditions: [{type: Ready, status: "True"}]
"""


def test_a_dual_stack_clusters_dump_is_simulated_dual_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dump of a dual-stack cluster was refused ('spec.ipFamilies[1]: ... not configured on
    this cluster') unless --dual-stack was given; read back from a cluster (resourceVersion),
    it now runs on a dual-stack cluster and says so. Written by hand, it is still refused."""
    dump = tmp_path / "dump.yaml"
    dump.write_text(DUAL_STACK_DUMP)
    code, out, err = _run(["dns", str(dump)], capsys)
    assert code == 0
    assert "web.default.svc.cluster.local.\t5\tIN\tAAAA\tfd00:10:96::5" in out
    assert err == (
        f"ktutor: {dump} was read back from a cluster with IPv6 Services: simulated as a "
        "dual-stack cluster (as --dual-stack does)\n"
    )
    written = tmp_path / "written.yaml"
    written.write_text(
        DUAL_STACK_DUMP.replace('resourceVersion: "812", ', "").replace(
            'resourceVersion: "790", ', ""
        )
    )
    code, out, _ = _run(["check", str(written)], capsys)
    assert code == 1 and 'spec.ipFamilies[1]: Invalid value: "IPv6": not configured' in out
