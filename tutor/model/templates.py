"""Helm and envsubst templates given where manifests belong: say "render it first", not a parser
message.

A chart's `templates/service.yaml` (`name: {{ include "web.fullname" . }}`, `{{- if ... }}`) is
not YAML until `helm template` renders it: its `{{` starts a YAML flow mapping, so the parser
fails or builds a map with a map for a key. A file with `${VAR}` placeholders (envsubst, Flux's
post-build substitution) parses, but the API server would get the placeholder as the value.
A `kustomization.yaml` (kind `Kustomization` or `Component` of kustomize.config.k8s.io, or
kustomize's kind-less form: `resources:`, `patches:`...) lists manifests and changes to make
to them: `kubectl kustomize DIR` builds them. The first two are recognised only where they
break something (a syntax error, a map key that is a map,
a field error whose value holds one): a ConfigMap holding Prometheus rules with `{{ $labels }}`
in a quoted string or a block scalar is a real manifest and stays valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .errors import FieldError

HELM_ACTION = re.compile(
    r"(?<!\{)\{\{-?\s*[^{}\s][^{}]*?-?\}\}(?!\})|(?<!\{)\{\{-?\s*(?:[.$/\"(]|[A-Za-z_])"
)
"""A Go template action as Helm writes them: `{{ .Values.x }}`, `{{- include "x" . }}`, or an
action that opens here (`{{- if .Values.x`) and closes on a later line; not `{{{` nor `{{ :`."""
PLACEHOLDER = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:]?[-=?+][^}]*)?\}")
"""`${VAR}` and the shell's `${VAR:-default}` forms that envsubst and Flux substitute."""

HELM_HINT = (
    "render the chart first (helm template RELEASE CHART > manifest.yaml) and give ktutor "
    "the output"
)
PLACEHOLDER_HINT = (
    "fill the placeholders in first (envsubst < FILE > manifest.yaml, or the build that "
    "substitutes them: kustomize build DIR | envsubst)"
)

KUSTOMIZE_GROUP = "kustomize.config.k8s.io/"
KUSTOMIZE_KEYS = frozenset(
    {
        "resources",
        "bases",
        "components",
        "patches",
        "patchesStrategicMerge",
        "patchesJson6902",
        "configMapGenerator",
        "secretGenerator",
        "helmCharts",
        "namePrefix",
        "nameSuffix",
    }
)
"""Fields of kustomize's `Kustomization` type (sigs.k8s.io/kustomize/api/types/kustomization.go)
that say a kind-less document is a kustomization (kustomize accepts one without apiVersion)."""


def kustomization_message(data: object) -> str:
    """The one line for a kustomization given where manifests belong, else ""."""
    if not isinstance(data, dict):
        return ""
    api, kind = data.get("apiVersion"), data.get("kind")
    if isinstance(api, str) and api.startswith(KUSTOMIZE_GROUP):
        what = f"a kustomize {kind}" if isinstance(kind, str) and kind else "a kustomization"
    elif api is None and kind is None and not KUSTOMIZE_KEYS.isdisjoint(data):
        what = "a kustomization"
    else:
        return ""
    return (
        f"this is {what} (kustomization.yaml), not Kubernetes objects: build it first "
        "(kubectl kustomize DIR > manifest.yaml, or kustomize build DIR) and give ktutor the "
        "output"
    )


@dataclass(frozen=True, slots=True)
class Template:
    """Where a template's first marker sits (1-based), and the one line that says what to do."""

    line: int
    column: int
    marker: str

    @property
    def message(self) -> str:
        return (
            f"this looks like a Helm template (`{self.marker}` on line {self.line}), not "
            f"Kubernetes YAML: {HELM_HINT}"
        )


def _shown(marker: str) -> str:
    return marker if len(marker) <= 40 else marker[:37] + "..."


def helm_marker(text: str, upto_line: int = 0) -> Template | None:
    """The first Helm action in the text, skipping comment lines; None when there is none, or
    when it comes after `upto_line` (a syntax error before any template is a real one)."""
    if "{{" not in text:
        return None
    for number, line in enumerate(text.splitlines(), 1):
        if upto_line and number > upto_line:
            return None
        if "{{" not in line or line.lstrip().startswith("#"):
            continue
        match = HELM_ACTION.search(line)
        if match is not None:
            return Template(number, match.start() + 1, _shown(match.group().strip()))
    return None


def hint_for_value(text: str) -> str:
    """The hint for a field error whose value (or message) holds a template marker, else ""."""
    if "{{" in text and "}}" in text:
        return f"`{{{{ ... }}}}` is a Helm template action, not a value: {HELM_HINT}"
    if PLACEHOLDER.search(text):
        return f"`${{...}}` is a placeholder for envsubst, not a value: {PLACEHOLDER_HINT}"
    return ""


def with_template_hints(errors: list[FieldError]) -> list[FieldError]:
    """The first error whose value holds a template marker gets the hint to render it first;
    later ones lose their own hint (lower-casing `${APP_NAME}` helps nobody) rather than
    repeat it."""
    out = []
    hinted = set()
    for err in errors:
        hint = hint_for_value(err.message) if ("{{" in err.message or "${" in err.message) else ""
        if not hint:
            out.append(err)
            continue
        out.append(replace(err, hint="" if hint in hinted else hint))
        hinted.add(hint)
    return out
