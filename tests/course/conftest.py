"""Lesson texts shared by the course tests, handed out by the `texts` fixture (tests run with
--import-mode=importlib, so they cannot import each other)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

MANIFEST = """\
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: web
    ports:
    - port: 80
      targetPort: 8080
  ---
  apiVersion: v1
  kind: Pod
  metadata:
    name: web-1
    labels:
      app: web
  spec:
    nodeName: node-1
    containers:
    - name: app
      image: registry.example/web:1.0
  status:
    phase: Running
    podIP: 10.244.1.21
    conditions:
    - type: Ready
      status: "True"
  ---
  apiVersion: v1
  kind: Pod
  metadata:
    name: web-2
    labels:
      app: website
  spec:
    nodeName: node-2
    containers:
    - name: app
      image: registry.example/web:1.0
  status:
    phase: Running
    podIP: 10.244.2.22
    conditions:
    - type: Ready
      status: "True"
"""


def indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


BROKEN = indent(MANIFEST, 4)
FIXED = indent(MANIFEST.replace("app: website", "app: web"), 4)

GOOD = f"""\
id: sample
title: A sample lesson
summary: Used by the tests.
minutes: 5
manifest: |
{MANIFEST}steps:
  - title: The selector
    path: spec.selector
    text: What it is.
  - title: The target port
    path: spec.ports[0].targetPort
    text: Where traffic arrives.
    try: Change the selector.
    check:
      traffic: {{service: web, port: "80", count: 0}}
challenges:
  - id: both-pods
    title: Both Pods
    text: Send traffic to both Pods.
    manifest: |
{BROKEN}    goal:
      traffic: {{service: web, port: "80", pods: [web-1, web-2]}}
    hints:
      - Look at the labels.
    solution: |
{FIXED}  - id: second
    title: Only web-1
    text: Send traffic to web-1 only.
    manifest: |
{FIXED}    goal:
      traffic: {{service: web, port: "80", pods: [web-1]}}
    hints:
      - Relabel web-2.
    solution: |
{BROKEN}quiz:
  - question: Q1?
    choices:
      - {{text: sure, correct: true, explain: because}}
      - {{text: nope, correct: false, explain: because not}}
  - question: Q2?
    choices:
      - {{text: sure, correct: true, explain: because}}
      - {{text: nope, correct: false, explain: because not}}
  - question: Q3?
    choices:
      - {{text: sure, correct: true, explain: because}}
      - {{text: nope, correct: false, explain: because not}}
"""


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle` (`^x`: the line that is exactly x)."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if (line == needle[1:]) if needle.startswith("^") else (needle in line):
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in text")


@pytest.fixture
def texts() -> SimpleNamespace:
    return SimpleNamespace(
        GOOD=GOOD, MANIFEST=MANIFEST, BROKEN=BROKEN, FIXED=FIXED, line_of=line_of, indent=indent
    )


@pytest.fixture(scope="session")
def _data_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Fresh, empty folders in one folder of their own: `tmp_path_factory.mktemp` lists its
    whole base folder to number each new one (every earlier test's folder: 1,000 of them cost
    ~1.5 CPU s, growing with the square of the count)."""
    root = tmp_path_factory.mktemp("ktutor-data")

    def fresh() -> Iterator[Path]:
        for number in itertools.count():
            folder = root / str(number)
            folder.mkdir()
            yield folder

    return fresh()


@pytest.fixture(autouse=True)
def _no_env_lessons(monkeypatch: pytest.MonkeyPatch, _data_dirs: Iterator[Path]) -> None:
    """Keep the learner's own lesson packs and progress out of the tests."""
    monkeypatch.delenv("KTUTOR_LESSONS", raising=False)
    monkeypatch.setenv("KTUTOR_DATA_DIR", str(next(_data_dirs)))
