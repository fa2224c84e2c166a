"""deploy/: the tutor checks its own Kubernetes manifests, and they keep what a workshop needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tutor.cli import main

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _objects() -> dict[str, Any]:
    docs = [d for d in yaml.safe_load_all((DEPLOY / "ktutor.yaml").read_text()) if d]
    return {d["kind"]: d for d in docs}


def test_check_and_route_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DEPLOY)]) == 0
    assert "valid" in capsys.readouterr().out
    assert main(["route", str(DEPLOY)]) == 0
    out = capsys.readouterr().out
    assert "ktutor/ktutor" in out and "WHY NOT" in out


def test_the_manifests_keep_what_a_workshop_needs() -> None:
    objs = _objects()
    svc, dep = objs["Service"]["spec"], objs["Deployment"]["spec"]
    assert svc["sessionAffinity"] == "ClientIP"  # a tab's page and websocket on one Pod
    assert svc["externalTrafficPolicy"] == "Local"  # the client's own address for affinity
    assert objs["PersistentVolumeClaim"]["spec"]["accessModes"] == ["ReadWriteMany"]
    pod = dep["template"]["spec"]
    (container,) = pod["containers"]
    assert container["args"][:3] == ["serve", "--host", "0.0.0.0"]
    assert "/data" in container["args"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    # a liveness restart ends every tab on the Pod: a busy rush (slow /healthz) must not
    # trigger one (the default timeout is 1 s, three failures in a minute)
    live = container["livenessProbe"]
    assert live.get("timeoutSeconds", 1) >= 5
    assert live.get("periodSeconds", 10) * live.get("failureThreshold", 3) >= 120
    secret = objs["Secret"]
    env = {e["name"]: e for e in container["env"]}
    ref = env["KTUTOR_JOIN_CODE"]["valueFrom"]["secretKeyRef"]
    assert ref["name"] == secret["metadata"]["name"] and ref["key"] in secret["stringData"]
    mount = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    (volume,) = pod["volumes"]
    assert mount[volume["name"]] == "/data"
    assert (
        volume["persistentVolumeClaim"]["claimName"]
        == objs["PersistentVolumeClaim"]["metadata"]["name"]
    )


def test_the_image_installs_the_wheel_and_runs_offline() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert "pip wheel" in text and "--no-index --find-links /wheels ktutor" in text
    assert 'ENTRYPOINT ["ktutor"]' in text and '"serve"' in text
    # what the build copies exists (the build context is the repository root)
    root = DEPLOY.parent
    for line in text.splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            for src in line.split()[1:-1]:
                assert (root / src).exists(), src
