"""`ktutor check` on hand-written endpoints (#11): a legacy v1 Endpoints object and an FQDN
EndpointSlice get the API server's paths and messages (kubectl's `The Endpoints "db" is
invalid:` line, then one line per error at the field), and `route --compare` leaves the refused
Endpoints out: the mirroring controller never sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main

FILE = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: db}
subsets:
- addresses:
  - ip: 10.0.0.300
  ports:
  - {port: 5432}
  - {name: metrics, port: 9187, protocol: HTTP}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext
  labels: {kubernetes.io/service-name: ext}
addressType: FQDN
endpoints:
- addresses: ["db.example.com.", "localhost"]
ports: [{port: 5432}]
"""


def test_check_prints_each_endpoints_error_at_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "db.yaml"
    path.write_text(FILE)
    code = main(["check", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    ip = "must be a valid IP address"
    assert out.splitlines()[:7] == [
        'The Endpoints "db" is invalid:',
        f'{path}:12:5: subsets[0].addresses[0].ip: Invalid value: "10.0.0.300": {ip}, '
        "(e.g. 10.9.8.7 or 2001:db8::ffff)",
        f'{path}:12:5: subsets[0].addresses[0].ip: Invalid value: "10.0.0.300": {ip}',
        f"{path}:14:5: subsets[0].ports[0].name: Required value",
        f'{path}:15:33: subsets[0].ports[1].protocol: Unsupported value: "HTTP": supported '
        'values: "SCTP", "TCP", "UDP"',
        'The EndpointSlice "ext" is invalid:',
        f'{path}:24:34: endpoints[0].addresses[1]: Invalid value: "localhost": should be a '
        "domain with at least two segments separated by dots",
    ]


def test_route_compare_leaves_a_refused_endpoints_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "db.yaml"
    path.write_text(FILE)
    assert main(["route", str(path)]) == 1
    out = capsys.readouterr().out
    assert "10.0.0.300" not in out.split("Service default/db", 1)[1]
