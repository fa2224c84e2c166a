"""The console's vocabulary: a line's normal form (what `ran` goals compare) and why the console
would not run a line (what `ktutor lint` reports)."""

from __future__ import annotations

import pytest

from tutor.model.console_words import problem, ran, read


@pytest.mark.parametrize(
    ("line", "normal"),
    [
        ("kubectl  describe   svc", "kubectl describe services"),
        ("kubectl describe Service/web", "kubectl describe services web"),
        ("kubectl -n shop get po", "kubectl get pods --namespace=shop"),
        ("kubectl get pods -owide", "kubectl get pods --output=wide"),
        ("kubectl get pods --output wide", "kubectl get pods --output=wide"),
        ("kubectl get svc,po", "kubectl get services,pods"),
        ("kubectl get endpointslices.discovery.k8s.io", "kubectl get endpointslices"),
        ("kubectl port-forward svc/web 8080:80", "kubectl port-forward services web 8080:80"),
        ("kubectl port-forward web-1 8080:80", "kubectl port-forward pods web-1 8080:80"),
        (
            "kubectl run debug --image=busybox -it",
            "kubectl run debug --image=busybox --stdin --tty",
        ),
        ("curl -s 'web'", "curl http://web:80/ --silent"),
        ("curl -m 2 http://Web.shop:8080/x", "curl http://web.shop:8080/x --max-time=2"),
        ("env | grep SERVICE", "env | grep SERVICE"),
        ("nslookup web  # a comment", "nslookup web"),
    ],
)
def test_normal_form(line: str, normal: str) -> None:
    assert str(read(line)) == normal


@pytest.mark.parametrize(
    ("want", "line", "met"),
    [
        ("kubectl describe svc", "kubectl describe svc web", True),
        ("kubectl describe svc", "kubectl describe services", True),
        ("kubectl describe svc", "kubectl describe svcs", False),
        ("kubectl describe svc web", "kubectl describe svc", False),
        ("kubectl describe svc web", "kubectl describe svc/web -n default", True),
        ("kubectl get pods -o wide", "kubectl get pods", False),
        ("kubectl get pods -o wide", "kubectl get -o wide pods", True),
        ("kubectl get pods -o wide", "kubectl get pods -o yaml", False),
        ("nslookup web", "nslookup web.default.svc.cluster.local", False),
        ("curl http://web", "curl web:80", True),
        ("curl http://web", "curl http://web:8080", False),
        ("env | grep SERVICE", "env | grep SERVICE_HOST", False),
        ("env", "env | grep SERVICE", True),
        ("kubectl get svc", "kubectl get 'svc", False),  # the shell cannot read the line
    ],
)
def test_ran_matches_words_as_a_prefix_and_flags_as_a_set(want: str, line: str, met: bool) -> None:
    assert ran(want, line) is met


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("kubectl get svc", None),
        ("kubectl -n shop describe endpointslice web-abc", None),
        ("dig +short web SRV", None),
        ("env | grep SERVICE", None),
        ("kubectl get", None),
        ("kubectl", "kubectl needs a verb"),
        ("kubectl rollout status deploy/web", "`kubectl rollout` is not simulated by the console"),
        ("kubectl gte pods", "`kubectl gte` is not a kubectl verb"),
        ("kubectl get foo", 'the server doesn\'t have a resource type "foo"'),
        ("kubectl get svc,foo", 'resource type "foo"'),
        ("ping web", "`ping` is not a command the console runs"),
        ("env | wc -l", "only pipes into `grep`"),
        ("env |", "a `|` has no command on one side"),
        ("   ", "it is empty"),
        ('nslookup "web', "a quote is not closed"),
    ],
)
def test_problem(line: str, why: str | None) -> None:
    found = problem(line)
    if why is None:
        assert found is None
    else:
        assert found is not None and why in found
