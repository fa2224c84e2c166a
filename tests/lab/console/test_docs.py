"""The console against output recorded from real clusters, as the Kubernetes documentation
prints it (kubernetes/website): the cluster is rebuilt to match the page (same names, IPs and
ages), then the console's output must equal the page's text. Where a page's cluster differs in
a detail the format does not depend on (its DNS server address, a random slice suffix), that
value is substituted before comparing."""

from __future__ import annotations

from tutor.lab.console import Console
from tutor.model.changes import analyze_with_changes

MY_NGINX = """\
apiVersion: v1
kind: Service
metadata: {name: my-nginx, labels: {run: my-nginx}}
spec:
  clusterIP: 10.96.62.149
  selector: {run: my-nginx}
  ports: [{port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Pod
metadata: {name: my-nginx-3800858182-jr4a2, labels: {run: my-nginx}}
spec: {nodeName: node-1, containers: [{name: my-nginx, image: nginx, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: 10.244.3.4, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: my-nginx-3800858182-kna2y, labels: {run: my-nginx}}
spec: {nodeName: node-2, containers: [{name: my-nginx, image: nginx, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: 10.244.2.5, conditions: [{type: Ready, status: "True"}]}
"""

HOSTNAMES = """\
apiVersion: v1
kind: Service
metadata: {name: hostnames}
spec:
  clusterIP: 10.96.1.75
  selector: {app: hostnames}
  ports: [{name: default, port: 80, targetPort: 9376}]
---
apiVersion: v1
kind: Pod
metadata: {name: hostnames-632524106-bbpiw, labels: {app: hostnames}}
spec: {containers: [{name: hostnames, image: registry.k8s.io/serve_hostname}]}
status: {phase: Running, podIP: 10.244.0.5, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: hostnames-632524106-ly40y, labels: {app: hostnames}}
spec: {containers: [{name: hostnames, image: registry.k8s.io/serve_hostname}]}
status: {phase: Running, podIP: 10.244.0.6, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: hostnames-632524106-tlaok, labels: {app: hostnames}}
spec: {containers: [{name: hostnames, image: registry.k8s.io/serve_hostname}]}
status: {phase: Running, podIP: 10.244.0.7, conditions: [{type: Ready, status: "True"}]}
"""


PAGE_IPS = {"10.96.62.149": "10.0.162.149", "10.96.1.75": "10.0.1.175", "10.96.0.1": "10.0.0.1"}
"""The simulated cluster's Service range is 10.96.0.0/12 (kind's), the pages' 10.0.0.0/16: the
manifests use addresses of the same length, so the columns line up the same."""


def run(manifest: str, line: str, age: float) -> str:
    """The console's output, with the Service IPs written as the pages' cluster had them."""
    console = Console(now=lambda: 0.0, initial_age=age)
    text = console.run(line, analyze_with_changes(manifest, console.changes)).text
    for ours, page in PAGE_IPS.items():
        text = text.replace(ours, page)
    return text


def test_get_svc_as_connect_applications_page() -> None:
    """W · content/en/docs/tutorials/services/connect-applications-service.md."""
    page = (
        "NAME       TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\n"
        "my-nginx   ClusterIP   10.0.162.149   <none>        80/TCP    21s\n"
    )
    assert run(MY_NGINX, "kubectl get svc my-nginx", 21) == page


def test_get_endpointslices_as_connect_applications_page() -> None:
    page = (
        "NAME             ADDRESSTYPE   PORTS   ENDPOINTS               AGE\n"
        "my-nginx-7vzhx   IPv4          80      10.244.2.5,10.244.3.4   21s\n"
    )
    got = run(MY_NGINX, "kubectl get endpointslices -l kubernetes.io/service-name=my-nginx", 21)
    name = got.splitlines()[1].split()[0]
    assert got.replace(name, "my-nginx-7vzhx") == page.replace(
        "10.244.2.5,10.244.3.4", "10.244.3.4,10.244.2.5"
    )


def test_env_as_connect_applications_page() -> None:
    """The page's `printenv | grep SERVICE` in a Pod started after the Service (any order:
    the kubelet builds the list from a map)."""
    page = {
        "KUBERNETES_SERVICE_PORT=443",
        "MY_NGINX_SERVICE_HOST=10.0.162.149",
        "KUBERNETES_SERVICE_HOST=10.0.0.1",
        "MY_NGINX_SERVICE_PORT=80",
        "KUBERNETES_SERVICE_PORT_HTTPS=443",
    }
    got = run(MY_NGINX, "env | grep SERVICE", 21)
    assert set(got.splitlines()) == page


def test_nslookup_as_debug_services_page() -> None:
    """W · content/en/docs/tasks/debug/debug-application/debug-service.md (busybox nslookup;
    that cluster's DNS Service is 10.0.0.10)."""
    page = (
        "Server:    10.0.0.10\n"
        "Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local\n"
        "\n"
        "Name:      hostnames\n"
        "Address 1: 10.0.1.175 hostnames.default.svc.cluster.local\n"
    )
    assert run(HOSTNAMES, "nslookup hostnames", 60).replace("10.96.0.10", "10.0.0.10") == page


def test_get_endpoints_as_debug_services_page() -> None:
    """The page shows `kubectl get endpoints hostnames` (NAME and ENDPOINTS columns); v1.33+
    adds the deprecation warning and the AGE column was always printed."""
    got = run(HOSTNAMES, "kubectl get endpoints hostnames", 3600)
    assert got == (
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
        "NAME        ENDPOINTS                                         AGE\n"
        "hostnames   10.244.0.5:9376,10.244.0.6:9376,10.244.0.7:9376   60m\n"
    )


def test_wget_as_debug_services_page() -> None:
    """`wget -qO- CLUSTER-IP:80` again and again answers with the three Pods' names."""
    console = Console(now=lambda: 0.0)
    analysis = analyze_with_changes(HOSTNAMES, console.changes)
    names = {console.run("wget -qO- 10.96.1.75:80", analysis).text for _ in range(30)}
    assert names == {
        "hostnames-632524106-bbpiw\n",
        "hostnames-632524106-ly40y\n",
        "hostnames-632524106-tlaok\n",
    }


def test_not_found_as_debug_services_page() -> None:
    """The page's `kubectl get svc hostnames` before the Service exists (current kubectl no
    longer prints the old "No resources found." line before the error)."""
    got = run(MY_NGINX, "kubectl get svc hostnames", 60)
    assert got == 'Error from server (NotFound): services "hostnames" not found\n'
