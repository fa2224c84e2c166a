"""`route --summary`'s line per Service port (tutor.model.summary): the counts and the first
problem, which is always a verdict's or the Pod's own words (no second wording)."""

from __future__ import annotations

import pytest

from tutor.model import analyze
from tutor.model.summary import selector_text, summarize


def _svc(spec: str, name: str = "web") -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n{spec}---\n"


def _pod(name: str, labels: str, extra: str = "", ns: str = "default") -> str:
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: {ns}, labels: {labels}}}\n"
        f"spec:\n  containers: [{{name: c, image: x{extra}}}]\n---\n"
    )


PORT80 = "  ports: [{port: 80}]\n"
CASES = [
    (
        "all good",
        _svc("  selector: {app: web}\n" + PORT80) + _pod("web-1", "{app: web}"),
        ("80/TCP", 1, 1, 1, ""),
    ),
    (
        "no selector",
        _svc(PORT80) + _pod("web-1", "{app: web}"),
        (
            "80/TCP",
            None,
            0,
            0,
            "the Service has no selector, so Kubernetes makes no endpoints for it",
        ),
    ),
    (
        "empty selector",
        _svc("  selector: {}\n" + PORT80),
        (
            "80/TCP",
            None,
            0,
            0,
            "`selector: {}` selects nothing: Kubernetes makes no endpoints for it",
        ),
    ),
    (
        "a label typo: the closest Pod and why",
        _svc("  selector: {app: web, tier: front}\n" + PORT80)
        + _pod("db-1", "{app: db}")
        + _pod("web-1", "{app: web, tier: frontend}"),
        (
            "80/TCP",
            0,
            0,
            0,
            "no Pod matches app=web,tier=front; closest web-1: label `tier` is `frontend`, "
            "the Service wants `front`",
        ),
    ),
    (
        "Pods only in another namespace",
        _svc("  selector: {app: web}\n" + PORT80) + _pod("web-1", "{app: web}", ns="shop"),
        ("80/TCP", 0, 0, 0, "no Pods in namespace `default` (the selector app=web finds none)"),
    ),
    (
        "a Pod that gets traffic but listens elsewhere",
        _svc("  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n")
        + _pod("web-1", "{app: web}", ", ports: [{containerPort: 9090}]"),
        (
            "http:80/TCP",
            1,
            1,
            1,
            "web-1 refuses the traffic: nothing listens on port 8080 in web-1 "
            "(it declares only 9090/TCP)",
        ),
    ),
    (
        "a named targetPort no Pod has",
        _svc("  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n")
        + _pod("web-1", "{app: web}"),
        ("80/TCP", 1, 0, 0, "web-1: has no container port named `http`"),
    ),
    (
        "ExternalName",
        _svc("  type: ExternalName\n  externalName: db.example.com\n"),
        None,
    ),
    (
        "headless without ports still has a line",
        _svc("  clusterIP: None\n  selector: {app: db}\n", "db"),
        ("-", 0, 0, 0, "no Pods in namespace `default` (the selector app=db finds none)"),
    ),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_summary_line(text: str, want: tuple[str, int | None, int, int, str] | None) -> None:
    analysis = analyze(text)
    assert analysis.valid, analysis.errors
    (line,) = summarize(analysis, analysis.services)
    if want is None:  # ExternalName: nothing selected, nothing to fix
        assert (line.selected, line.traffic, line.problem) == (None, 0, "")
        return
    port, selected, ready, traffic, problem = want
    assert (line.port, line.selected, line.ready, line.traffic) == (port, selected, ready, traffic)
    assert line.problem.startswith(problem) if problem else line.problem == ""


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (None, "none"),
        ({}, "{} (selects nothing)"),
        ({"app": "web", "tier": "front"}, "app=web,tier=front"),
    ],
)
def test_selector_text(selector: dict[str, str] | None, text: str) -> None:
    assert selector_text(selector) == text
