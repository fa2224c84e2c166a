"""Issue #15 item 8's smaller points that the command line shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main
from tutor.model.yamldoc import YamlSyntaxError, load_documents


def test_lint_on_a_folder_without_lessons_says_so_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(tmp_path)]) == 1
    assert "no lesson files" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: b\x01\n", 1, 5),
        ("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\x01b\n", 4, 10),
        ('x: 1\n\ny: "a\x1bb"\n', 3, 6),
    ],
)
def test_a_control_character_is_reported_at_its_line(text: str, line: int, column: int) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load_documents(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert "control characters are not allowed" in str(caught.value)


REPLICAS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1000000
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: a
        image: nginx
"""


def test_route_says_when_replicas_are_capped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`replicas: 1000000` silently became 500 Pods."""
    path = tmp_path / "web.yaml"
    path.write_text(REPLICAS)
    main(["route", str(path)])
    out = capsys.readouterr().out
    assert "Deployment/web asks for 1,000,000 replicas: ktutor simulates 500 Pods" in out
    path.write_text(REPLICAS.replace("1000000", "500"))
    main(["route", str(path)])
    assert "asks for" not in capsys.readouterr().out
