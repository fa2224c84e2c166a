"""`pip install .` (not only editable) must give a ktutor that finds its lessons and styles."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_WHEEL = """
import importlib, sys, tomllib
with open("pyproject.toml", "rb") as fh:
    backend = tomllib.load(fh)["build-system"]["build-backend"]
importlib.import_module(backend).build_wheel(sys.argv[1])
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` builds: pip calls the build backend pyproject.toml names (PEP
    517 `build_wheel`); called here directly, without pip's own start (pip wheel took 1.5 CPU s
    and 9 s on a busy machine, the backend 0.3 CPU s, for the same wheel)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-c",
            BUILD_WHEEL,
            str(out),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("ktutor-*.whl")
    return found


def test_wheel_contains_lessons_styles_and_schema(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    lessons = [n for n in names if n.startswith("tutor/_data/lessons/") and n.endswith(".yaml")]
    assert len(lessons) == len(list((ROOT / "lessons").glob("*.yaml"))) > 0
    assert any(n.endswith(".tcss") for n in names), "app styles missing from the wheel"
    assert "tutor/course/lesson.schema.json" in names
    assert "tutor/course/starter-lesson.yaml" in names, "ktutor new-lesson needs its template"
    assert "tutor/classroom/templates/app_index.html" in names, "ktutor serve's page"
    reference = zipfile.ZipFile(wheel).read("tutor/_data/lessons.md").decode()
    assert reference == (ROOT / "docs" / "lessons.md").read_text(), "new-lesson --help-format"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "ktutor = tutor.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_installed_wheel_finds_its_lessons(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-compile",  # the .pyc of every module (~0.5 CPU s): python compiles what it uses
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("KTUTOR_LESSONS", None)  # `ktutor lint` below checks the installed lessons alone
    code = (
        "import tutor, tutor.resources as r; "
        "print(tutor.__file__); print(r.lessons_dir()); "
        "print(len(list(r.lessons_dir().glob('*.yaml'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split("\n")
    assert out[0].startswith(str(target)), "the installed copy, not the checkout, was imported"
    assert out[1].startswith(str(target))
    assert int(out[2]) > 0
    lint = subprocess.run(
        [sys.executable, "-m", "tutor", "lint"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
