"""Two of #11's practitioner bullets as `ktutor check` prints them: an error points at the field
(the `clusterIP:` line and column, not its parent `spec:`), and a file with `${VAR}` placeholders
gets "fill the placeholders in first" (envsubst, kustomize), not a raw type error alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: NAME
spec:
  selector: {app: web}
  clusterIP: CLUSTER_IP
  ports:
  - port: PORT
"""


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str]:
    path = tmp_path / "svc.yaml"
    path.write_text(text)
    code = main(["check", str(path)])
    return code, capsys.readouterr().out.replace(str(path), "FILE")


def test_an_error_points_at_the_field_not_its_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SERVICE.replace("NAME", "web").replace("CLUSTER_IP", "10.96.0.300")
    code, out = _check(tmp_path, capsys, text.replace("PORT", "80"))
    assert code == 1
    assert out.splitlines() == [
        'The Service "web" is invalid:',
        'FILE:7:3: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP '
        "address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
    ]


def test_envsubst_placeholders_say_fill_them_in_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SERVICE.replace("NAME", "${APP}").replace("  clusterIP: CLUSTER_IP\n", "")
    code, out = _check(tmp_path, capsys, text.replace("PORT", "${PORT}"))
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == (
        "FILE:8:5: strict decoding error: spec.ports[0].port: expected a whole number (int32), "
        'got a string "${PORT}"'
    )
    assert lines[2] == (
        "    hint: `${...}` is a placeholder for envsubst, not a value: fill the placeholders in "
        "first (envsubst < FILE > manifest.yaml, or the build that substitutes them: kustomize "
        "build DIR | envsubst)"
    )
    assert lines[3].startswith('FILE:4:3: metadata.name: Invalid value: "${APP}"')
