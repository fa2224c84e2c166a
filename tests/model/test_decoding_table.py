"""Strict decoding (kubectl's fieldValidation=Strict) and error positions.

Every row is literal YAML text, so the expected line and column can be read off the text itself.
"""

from __future__ import annotations

import pytest

from tutor.model import analyze
from tutor.model.yamldoc import load_documents

HEAD = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n"
# line 6 is the first line of spec's body

ROWS: list[tuple[str, str, str, int, int, str]] = [
    # (description, spec body, message must contain, line, column, hint must contain)
    (
        "unknown field with a did-you-mean",
        "  selectr:\n    app: web\n  ports:\n  - port: 80\n",
        'strict decoding error: unknown field "spec.selectr"',
        6,
        3,
        "did you mean `selector`",
    ),
    (
        "unknown field, case only",
        "  Selector:\n    app: web\n  ports:\n  - port: 80\n",
        'unknown field "spec.Selector"',
        6,
        3,
        "`selector`",
    ),
    (
        "unknown field inside a port",
        "  ports:\n  - port: 80\n    targetport: 8080\n",
        'unknown field "spec.ports[0].targetport"',
        8,
        5,
        "`targetPort`",
    ),
    (
        "duplicate key",
        "  selector:\n    app: web\n    app: api\n  ports:\n  - port: 80\n",
        'duplicate field "spec.selector.app"',
        8,
        5,
        "only once",
    ),
    (
        "string where a number belongs",
        "  ports:\n  - port: '80'\n",
        "spec.ports[0].port: expected a whole number (int32), got a string",
        7,
        5,
        "without quotes: 80",
    ),
    (
        "list where a map belongs",
        "  selector:\n  - app: web\n  ports:\n  - port: 80\n",
        "spec.selector: expected a map of string keys to string values, got a list",
        6,
        3,
        "",
    ),
    (
        "map where a list belongs",
        "  ports:\n    port: 80\n",
        "spec.ports: expected a list, got a map",
        6,
        3,
        'starts with "- "',
    ),
    (
        "a map where a list of fields belongs",
        "  sessionAffinityConfig:\n  - clientIP: {}\n  ports:\n  - port: 80\n",
        "spec.sessionAffinityConfig: expected a map of fields, got a list",
        6,
        3,
        'remove the "- "',
    ),
    (
        "YAML 1.1 yes",
        "  selector:\n    enabled: yes\n  ports:\n  - port: 80\n",
        "spec.selector.enabled: expected a string, got a boolean yes",
        7,
        5,
        'quote it: "yes"',
    ),
    (
        "YAML 1.1 on",
        "  selector:\n    debug: on\n  ports:\n  - port: 80\n",
        "spec.selector.debug: expected a string, got a boolean on",
        7,
        5,
        'quote it: "on"',
    ),
    (
        "YAML 1.1 version 1.10",
        "  selector:\n    version: 1.10\n  ports:\n  - port: 80\n",
        "spec.selector.version: expected a string, got a decimal number 1.10",
        7,
        5,
        'quote it: "1.10"',
    ),
    (
        "number label value",
        "  selector:\n    tier: 2\n  ports:\n  - port: 80\n",
        "spec.selector.tier: expected a string, got a number 2",
        7,
        5,
        'quote it: "2"',
    ),
    (
        "bool where a string belongs (port name)",
        "  ports:\n  - port: 80\n    name: no\n",
        "spec.ports[0].name: expected a string, got a boolean no",
        8,
        5,
        'quote it: "no"',
    ),
    (
        "string where a boolean belongs",
        "  publishNotReadyAddresses: 'true'\n  ports:\n  - port: 80\n",
        "spec.publishNotReadyAddresses: expected true or false, got a string",
        6,
        3,
        "without quotes",
    ),
    ("int32 overflow", "  ports:\n  - port: 3000000000\n", "does not fit in an int32", 7, 5, ""),
]


@pytest.mark.parametrize(
    ("body", "needle", "line", "column", "hint"),
    [pytest.param(b, n, ln, c, h, id=d) for d, b, n, ln, c, h in ROWS],
)
def test_strict_decoding(body: str, needle: str, line: int, column: int, hint: str) -> None:
    result = analyze(HEAD + body)
    assert not result.valid
    hits = [e for e in result.errors if needle in e.message]
    assert hits, [e.message for e in result.errors]
    err = hits[0]
    assert (err.line, err.column) == (line, column), err.message
    assert hint in err.hint
    assert err.object == "default/web" and err.kind == "Service"


def test_wrong_type_hides_its_consequences() -> None:
    """A `ports:` map is one decoding error, not also "spec.ports: Required value"."""
    result = analyze(HEAD + "  ports:\n    port: 80\n")
    assert [e.path for e in result.errors] == ["spec.ports"]


def test_positions_of_several_errors_across_documents() -> None:
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n"  # lines 1-5
        "  ports:\n  - port: 0\n    targetPort: 80\n"  # 6-8
        "---\n"  # 9
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: B\nspec:\n"  # 10-14
        "  selector:\n    app: my app\n"  # 15-16
        "  ports:\n  - port: 80\n    protocol: tcp\n"  # 17-19
    )
    result = analyze(text)
    where = {(e.object, e.path): (e.line, e.column) for e in result.errors}
    assert where == {
        ("default/a", "spec.ports[0].port"): (7, 5),
        ("default/B", "metadata.name"): (13, 3),
        ("default/B", "spec.selector"): (16, 5),
        ("default/B", "spec.ports[0].protocol"): (19, 5),
    }


def test_required_ports_points_at_spec() -> None:
    result = analyze(HEAD + "  selector:\n    app: web\n")
    (err,) = result.errors
    assert err.message == "spec.ports: Required value"
    assert (err.line, err.column) == (5, 1)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: [1, 2\n", 2, 1),
        ("a: b\n c: d\n", 2, 3),
        ("key: 'unterminated\n", 2, 1),
        ("- a\nb: c\n", 2, 1),
    ],
)
def test_syntax_errors_have_positions(text: str, line: int, column: int) -> None:
    result = analyze(text)
    se = result.parsed.syntax_error
    assert se is not None
    assert (se.line, se.column) == (line, column)
    assert not result.valid
    assert result.route_json()["errors"][0]["message"].startswith("YAML syntax error: ")


def test_spans_are_one_based_and_point_at_keys() -> None:
    (doc,) = load_documents(HEAD + "  ports:\n  - port: 80\n    name: web\n")
    assert doc.spans[("spec", "ports", 0, "port")][:2] == (7, 5)
    assert doc.spans[("spec", "ports", 0)][:2] == (7, 5)
    span = doc.spans[("spec", "ports", 0, "name")]
    assert (span.line, span.column, span.value_line, span.value_column) == (8, 5, 8, 11)
    assert doc.span(("spec", "ports", 0, "nope")) == doc.spans[("spec", "ports", 0)]


def test_non_object_document() -> None:
    result = analyze("- just\n- a list\n")
    assert not result.valid
    assert "not a Kubernetes object" in result.errors[0].message


def test_missing_kind() -> None:
    result = analyze("apiVersion: v1\nmetadata:\n  name: x\n")
    assert [e.message for e in result.errors] == ["kind: Required value"]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            "kind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
            "apiVersion: Required value",
            1,
        ),
        (
            "apiVersion: apps/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n"
            "  - port: 80\n",
            'apiVersion: Invalid value: "apps/v1": no matches for kind "Service" in version "apps/v1"',
            1,
        ),
        (
            "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n"
            "    matchLabels:\n      app: x\n  template:\n    metadata:\n      labels:\n"
            "        app: x\n    spec:\n      containers: [{name: c, image: x}]\n",
            'apiVersion: Invalid value: "v1": no matches for kind "Deployment" in version "v1"',
            1,
        ),
    ],
)
def test_api_version_must_serve_the_kind(text: str, message: str, line: int) -> None:
    result = analyze(text)
    assert [(e.message, e.line) for e in result.errors] == [(message, line)]
    assert result.cluster.services == [] and result.cluster.pods == []


def test_unmodelled_kinds_keep_any_api_version() -> None:
    result = analyze("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n")
    assert result.valid and [i.kind for i in result.cluster.ignored] == ["Ingress"]


UNREAD = [
    # (kind's document, the duplicate's path, its line and column, the first one's line)
    (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '1'\n  a: '2'\n",
        "data.a",
        7,
        3,
        6,
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
        "spec:\n  size: 1\n  size: 2\n",
        "spec.size",
        7,
        3,
        6,
    ),
    (
        '{"apiVersion": "v1", "kind": "Secret",\n "metadata": {"name": "s"},\n'
        ' "stringData": {"k": "1",\n  "k": "2"}}\n',
        "stringData.k",
        4,
        3,
        3,
    ),
]


@pytest.mark.parametrize(("text", "path", "line", "column", "first"), UNREAD)
def test_a_duplicate_key_in_a_kind_the_model_does_not_read_is_refused(
    text: str, path: str, line: int, column: int, first: int
) -> None:
    """Strict decoding refuses a key given twice whatever the kind: a ConfigMap, a Secret or a
    custom resource beside the Services is refused as a Service would be, not listed as
    "not modelled, ignored" (it was, and `valid` stayed true)."""
    a = analyze(text)
    assert not a.valid
    (err,) = a.errors
    assert err.path == path
    assert (
        err.message
        == f'strict decoding error: duplicate field "{path}" (first set on line {first})'
    )
    assert (err.line, err.column) == (line, column)
    assert a.cluster.ignored == []


def test_a_kind_the_model_does_not_read_without_duplicates_is_still_only_listed() -> None:
    a = analyze("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '1'\n")
    assert a.valid
    assert [(i.kind, i.name) for i in a.cluster.ignored] == [("ConfigMap", "cfg")]


NAMELESS = [
    # (a nameless object, the same with a name or generateName)
    (
        "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: cfg-}\ndata: {a: b}\n",
    ),
    (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  labels: {a: b}\nspec: {}\n",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n",
    ),
]


@pytest.mark.parametrize(("text", "named"), NAMELESS)
def test_a_nameless_object_of_a_kind_the_model_does_not_read_is_refused(
    text: str, named: str
) -> None:
    """`ValidateObjectMetaAccessor` requires a name (or generateName) of every kind: it was
    listed as 'not modelled, ignored: ConfigMap/' in a valid file."""
    a = analyze(text)
    assert not a.valid
    (err,) = a.errors
    assert err.message == "metadata.name: Required value: name or generateName is required"
    assert a.cluster.ignored == []
    assert analyze(named).valid
