"""`ktutor route FILE --compare`: the model's endpoints against real EndpointSlices."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from tutor.classroom.compare import CompareError, compare, read_slices
from tutor.cli import main
from tutor.model import analyze

DATA = Path(__file__).parent / "data"
AGREE = (DATA / "kind-agree.yaml").read_text()
POD_A = "web-6d8f7c9b5d-4xkqp"
POD_B = "web-6d8f7c9b5d-m9t2z"


def test_slices_are_read_from_a_kubectl_list() -> None:
    slices = {s.name: s for s in read_slices(AGREE)}
    assert set(slices) == {"kubernetes", "web-8h2kd"}
    web = slices["web-8h2kd"]
    assert web.service == "web"
    assert web.ports == [("http", "TCP", 8080)]
    assert [(p, ready) for p, _, ready in web.endpoints] == [(POD_A, True), (POD_B, False)]


def test_agreeing_snapshot_compares_every_selector_service_port() -> None:
    cmp = compare(analyze(AGREE))
    assert cmp.agrees
    assert [(pc.service, pc.port) for pc in cmp.ports] == [("default/web", "http (80/TCP)")]
    assert cmp.ports[0].cluster == {POD_A: (8080, True), POD_B: (8080, False)}
    # the apiserver's own Service has no selector: its slice is not the controller's to compare
    assert any(s.startswith("default/kubernetes") for s in cmp.skipped)


# (what changes in the snapshot, the pod that differs, model side, cluster side, words in why)
DIFFERS = [
    (
        "slice says another port",
        [("  ports:\n  - name: http\n    port: 8080", "  ports:\n  - name: http\n    port: 9090")],
        POD_A,
        (8080, True),
        (9090, True),
        "resolves targetPort http to 8080",
    ),
    (
        "slice marks the not-ready Pod ready",
        [("      ready: false\n      serving: false", "      ready: true\n      serving: true")],
        POD_B,
        (8080, False),
        (8080, True),
        "not Ready",
    ),
    (
        "Pod relabelled after the slice was written",
        [
            (
                "    labels:\n      app: web\n      pod-template-hash: 6d8f7c9b5d\n    name: "
                + POD_A,
                "    labels:\n      app: web-old\n      pod-template-hash: 6d8f7c9b5d\n    name: "
                + POD_A,
            )
        ],
        POD_A,
        None,
        (8080, True),
        "label `app` is `web-old`",
    ),
    (
        "slice lists a Pod that is not in the file",
        [
            (
                f"      name: {POD_B}\n      namespace: default\n      uid",
                "      name: web-6d8f7c9b5d-zzzzz\n      namespace: default\n      uid",
            )
        ],
        "web-6d8f7c9b5d-zzzzz",
        None,
        (8080, False),
        "not in the file",
    ),
]


@pytest.mark.parametrize(
    ("case", "edits", "pod", "model", "cluster", "why"), DIFFERS, ids=[d[0] for d in DIFFERS]
)
def test_differences_name_the_pod_and_the_models_reason(
    case: str,
    edits: list[tuple[str, str]],
    pod: str,
    model: tuple[int, bool] | None,
    cluster: tuple[int, bool] | None,
    why: str,
) -> None:
    text = AGREE
    for old, new in edits:
        assert text.count(old) == 1, f"fixture edit for {case!r} must match once"
        text = text.replace(old, new)
    cmp = compare(analyze(text))
    assert not cmp.agrees
    diffs = {d.pod: d for d in cmp.ports[0].differences}
    assert pod in diffs
    assert (diffs[pod].model, diffs[pod].cluster) == (model, cluster)
    assert why in diffs[pod].why


def test_a_missing_slice_for_a_selector_service_is_a_difference() -> None:
    start = AGREE.index("- addressType: IPv4")
    end = AGREE.index("kind: List")
    cmp = compare(analyze(AGREE[:start] + AGREE[end:]))
    assert not cmp.agrees
    assert "no EndpointSlice" in cmp.ports[0].note


def test_a_file_without_slices_cannot_be_compared() -> None:
    with pytest.raises(CompareError, match="no EndpointSlices"):
        compare(
            analyze(
                "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n"
                "  selector: {app: a}\n  ports: [{port: 80}]\n"
            )
        )


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(AGREE)
    assert main(["route", str(good), "--compare"]) == 0
    assert "agrees" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        AGREE.replace(
            "    port: 8080\n    protocol: TCP\nkind: List",
            "    port: 9090\n    protocol: TCP\nkind: List",
        )
    )
    assert main(["route", str(bad), "--compare"]) == 1
    out = capsys.readouterr().out
    assert "DIFFER" in out and "9090" in out
    assert main(["route", str(bad), "--compare", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["agree"] is False
    assert {d["pod"] for d in data["ports"][0]["differences"]} == {POD_A, POD_B}
    plain = tmp_path / "plain.yaml"
    plain.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
    assert main(["route", str(plain), "--compare"]) == 2
    assert "no EndpointSlices" in capsys.readouterr().err


def test_endpoints_split_over_slices_and_without_target_ref_still_agree() -> None:
    # the controller may spread one Service over several slices; a slice written by hand may
    # name endpoints by address only
    data = yaml.safe_load(AGREE)
    web = next(i for i in data["items"] if i["metadata"]["name"] == "web-8h2kd")
    moved = copy.deepcopy(web)
    moved["metadata"]["name"] = "web-zz9xq"
    moved["endpoints"] = [web["endpoints"].pop()]
    del moved["endpoints"][0]["targetRef"]
    data["items"].append(moved)
    text = yaml.safe_dump(data)
    assert len(read_slices(text)) == 3
    cmp = compare(analyze(text))
    assert cmp.agrees, [d.summary for pc in cmp.ports for d in pc.differences]
    assert cmp.ports[0].cluster == {POD_A: (8080, True), POD_B: (8080, False)}
