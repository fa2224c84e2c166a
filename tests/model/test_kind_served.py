"""A kind its apiVersion does not serve is kubectl's RESTMapper refusal (`no matches for kind
"Servce" in version "v1"`), not an object to skip: a typo in `kind:` used to be listed as "not
modelled, ignored". Kinds of other group/versions (a CRD's, rbac's) are still only listed."""

from __future__ import annotations

import pytest

from tutor.model import analyze


@pytest.mark.parametrize(
    ("api_version", "kind", "message", "hint"),
    [
        (
            "v1",
            "Servce",
            'kind: Invalid value: "Servce": no matches for kind "Servce" in version "v1"',
            "did you mean Service?",
        ),
        (
            "v1",
            "CronJob",
            'kind: Invalid value: "CronJob": no matches for kind "CronJob" in version "v1"',
            "a CronJob is in apiVersion: batch/v1",
        ),
        (
            "apps/v1",
            "Widget",
            'kind: Invalid value: "Widget": no matches for kind "Widget" in version "apps/v1"',
            "apps/v1 serves: ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet",
        ),
        ("v1", "ConfigMap", "", ""),
        ("v1", "ServiceAccount", "", ""),
        ("batch/v1", "CronJob", "", ""),
        ("apps/v1", "ControllerRevision", "", ""),
        ("example.com/v1", "Widget", "", ""),
        ("rbac.authorization.k8s.io/v1", "Role", "", ""),
    ],
)
def test_a_kind_its_version_does_not_serve(
    api_version: str, kind: str, message: str, hint: str
) -> None:
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n"
    result = analyze(text)
    if not message:
        assert result.errors == []
        assert [i.kind for i in result.cluster.ignored] == [kind]
        return
    (err,) = result.errors
    assert (err.message, err.hint, err.line) == (message, hint, 2)
    assert f"{kind}/default/x" in result.parsed.invalid_objects
    assert result.cluster.ignored == []


def test_a_half_typed_kind_is_no_valid_text() -> None:
    """Typing a Pod above a Service document, `kind: P` made one document of an unknown kind
    whose other keys were never read: it counted as a valid text with no Service."""
    result = analyze(
        "apiVersion: v1\nkind: P\n\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
    )
    assert not result.valid
    assert result.errors[0].message.endswith('no matches for kind "P" in version "v1"')
