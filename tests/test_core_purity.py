"""The pure core never imports the UI stack: `tutor.model` and every submodule load without
textual or rich, checked in a fresh interpreter so nothing else has imported them first."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import tutor.model

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib, json, pkgutil, sys
import tutor.model
names = sorted(m.name for m in pkgutil.iter_modules(tutor.model.__path__, "tutor.model."))
for name in names:
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(json.dumps({"modules": names, "ui": bad}))
"""


def test_model_imports_no_ui() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    expected = sorted(m.name for m in pkgutil.iter_modules(tutor.model.__path__, "tutor.model."))
    assert out["modules"] == expected
    assert "tutor.model.analysis" in out["modules"]
    assert out["ui"] == []


def test_check_command_imports_no_ui() -> None:
    """`ktutor check` stays fast and headless: the CLI path must not pull in Textual either."""
    probe = (
        "import sys, tutor.cli, tutor.commands.check, tutor.commands.route; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_import_layers_hold() -> None:
    """The contracts in pyproject.toml (`lint-imports`, also run by .ci/run): layers
    app | commands -> classroom -> lab -> course -> model, and Textual only under tutor/app."""
    probe = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
