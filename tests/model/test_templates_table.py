"""A Helm chart template or a file with `${VAR}` placeholders gets "render it first" with the
line (#11), not the parser's complaint or `got a map {'?': None}`; a real manifest that merely
holds `{{ }}` text (Prometheus rules in a ConfigMap) stays valid."""

from __future__ import annotations

import pytest

from tutor.model import analyze
from tutor.model.report import problems

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
"""

HELM_REJECTED = [
    (
        "an include as a name",
        SERVICE.replace("name: web", 'name: {{ include "web.fullname" . }}'),
        (4, 9, '`{{ include "web.fullname" . }}` on line 4'),
    ),
    (
        "a value: a map with a map for a key, no syntax error",
        SERVICE.replace("port: 80", "port: {{ .Values.service.port }}"),
        (9, 13, "`{{ .Values.service.port }}` on line 9"),
    ),
    (
        "an if around the document",
        "{{- if .Values.enabled }}\n" + SERVICE + "{{- end }}\n",
        (1, 1, "`{{- if .Values.enabled }}` on line 1"),
    ),
    (
        "labels from a helper, the first marker named",
        SERVICE.replace(
            "  selector:\n    app: web\n",
            '  selector:\n    {{- include "web.sel" . | nindent 4 }}\n',
        )
        + "  type: {{ .Values.type }}\n",
        (7, 5, '`{{- include "web.sel" . | nindent 4 }}` on line 7'),
    ),
]


@pytest.mark.parametrize(
    ("text", "where"), [c[1:] for c in HELM_REJECTED], ids=[c[0] for c in HELM_REJECTED]
)
def test_helm_template_is_refused_with_its_line(text: str, where: tuple[int, int, str]) -> None:
    analysis = analyze(text)
    assert analysis.parsed.rejected is not None, analysis.errors
    line, column, marker = where
    (problem,) = problems(analysis)
    assert (problem.line, problem.column) == (line, column)
    assert problem.message.startswith(f"this looks like a Helm template ({marker}), not ")
    assert "helm template RELEASE CHART" in problem.message
    assert "{'?': None}" not in problem.message


PROMETHEUS_RULES = (
    """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: rules
data:
  alerts.yaml: |
    - alert: Down
      annotations:
        summary: "{{ $labels.instance }} is down"
---
"""
    + SERVICE
)


@pytest.mark.parametrize(
    "text",
    [
        PROMETHEUS_RULES,
        SERVICE.replace("name: web", "name: web  # rendered from {{ .Release.Name }}"),
        SERVICE + "    # port: {{ .Values.port }}\n",
    ],
    ids=["block scalar with an action", "action in a comment", "commented-out line"],
)
def test_real_manifests_with_braces_stay_valid(text: str) -> None:
    analysis = analyze(text)
    assert analysis.valid, (analysis.errors, analysis.parsed.rejected)


def test_a_syntax_error_before_any_template_is_a_syntax_error() -> None:
    text = "apiVersion: v1\nkind: [Service\n" + "metadata:\n  name: {{ .Values.name }}\n"
    analysis = analyze(text)
    # the parser stops on line 3, before the template's line: an ordinary syntax error
    assert analysis.parsed.syntax_error is not None and analysis.parsed.rejected is None
    assert analysis.parsed.syntax_error.line == 3
    bad = analyze("apiVersion: v1\nkind: Service\n  metadata: x\n# {{ not a template }}\n")
    assert bad.parsed.syntax_error is not None and bad.parsed.rejected is None
    braces = analyze("{{{ this: is [ not yaml\n  : : :\n")  # not a Go template action
    assert braces.parsed.syntax_error is not None and braces.parsed.rejected is None


def test_quoted_helm_action_gets_the_render_hint_once() -> None:
    text = SERVICE.replace("name: web", 'name: "{{ .Release.Name }}-web"').replace(
        "app: web", 'app: "{{ .Release.Name }}"'
    )
    analysis = analyze(text)
    assert not analysis.valid
    hints = [e.hint for e in analysis.errors]
    assert hints[0].startswith("`{{ ... }}` is a Helm template action, not a value: render")
    assert all(h == "" for h in hints[1:])
    assert analysis.errors[0].message.startswith('metadata.name: Invalid value: "{{ .Release')


def test_envsubst_placeholder_gets_the_substitute_hint() -> None:
    text = SERVICE.replace("port: 80", "port: ${PORT}").replace("name: web", "name: ${APP}")
    analysis = analyze(text)
    by_path = {e.path: e for e in analysis.errors}
    assert "spec.ports[0].port" in by_path and "metadata.name" in by_path
    first = analysis.errors[0]
    assert first.hint.startswith("`${...}` is a placeholder for envsubst, not a value")
    assert "envsubst < FILE" in first.hint and "kustomize build DIR" in first.hint
    assert all("lower case" not in e.hint for e in analysis.errors)


def test_a_placeholder_where_any_string_goes_is_left_alone() -> None:
    text = SERVICE.replace("name: web\n", "name: web\n  annotations:\n    image: ${IMAGE}\n")
    assert analyze(text).valid


KUSTOMIZATIONS = [
    (
        "kind Kustomization",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources:\n- service.yaml\nnamePrefix: dev-\n",
        "this is a kustomize Kustomization (kustomization.yaml)",
    ),
    (
        "kind Component",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- path: p.yaml\n",
        "this is a kustomize Component (kustomization.yaml)",
    ),
    (
        "kustomize's kind-less form",
        "resources:\n- ../base\nimages:\n- name: web\n  newTag: v2\n",
        "this is a kustomization (kustomization.yaml)",
    ),
]


@pytest.mark.parametrize(
    ("text", "what"), [c[1:] for c in KUSTOMIZATIONS], ids=[c[0] for c in KUSTOMIZATIONS]
)
def test_a_kustomization_says_build_it_first(text: str, what: str) -> None:
    """A kustomization.yaml given where manifests belong lists files and changes, not objects:
    it was 'not modelled, ignored: Kustomization/' (valid, nothing routed), or `kind: Required
    value` in kustomize's kind-less form."""
    analysis = analyze(SERVICE + "---\n" + text)
    assert analysis.parsed.rejected is not None, analysis.errors
    (problem,) = problems(analysis)
    assert (problem.line, problem.column) == (SERVICE.count("\n") + 2, 1)
    assert problem.message == (
        f"{what}, not Kubernetes objects: build it first (kubectl kustomize DIR > "
        "manifest.yaml, or kustomize build DIR) and give ktutor the output"
    )


def test_an_object_of_another_group_with_resources_is_not_a_kustomization() -> None:
    text = "apiVersion: example.com/v1\nkind: Bundle\nmetadata: {name: b}\nresources: [a]\n"
    analysis = analyze(text)
    assert analysis.valid and analysis.parsed.rejected is None
    assert [i.kind for i in analysis.cluster.ignored] == ["Bundle"]
