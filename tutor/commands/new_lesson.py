"""`ktutor new-lesson NAME [--dir DIR]`: write a commented starter lesson that passes lint.

An instructor starts from a lesson that already works (steps, a step check, two challenges whose
goals the linter verifies, a quiz) and edits it, rather than from an empty file and the docs.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tutor.course.atomic import write_atomic

from ._safe import terminal_safe

_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

TEMPLATE = '''\
# A ktutor lesson. The format is documented in docs/lessons.md (ktutor's source).
# Check it with:   ktutor lint __FILE__
# Try it with:     ktutor --lessons __DIR__ __ID__
# Everything here is data. Goals (`check`, `goal`) are checked by running the same model the
# learner sees, so `ktutor lint` proves every challenge can be solved and is not solved already.

id: __ID__                      # unique; lower-case letters, digits and '-'
title: __TITLE__
summary: One line shown in the lesson list.
minutes: 10
# order: 100                     # where it sorts in the list (default: the file name's NN- prefix)

# The starting manifest: a Service plus the Pods (or a Deployment) it should reach.
# Bare Pods with names make goals easy to write; give them a status so they are Ready.
manifest: |
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
      app: web
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

steps:
  # `path` is the field the step explains, in the first Service of the step's manifest
  # (add `doc: Pod/web-1` to point into another document). "" means no field.
  - title: The selector
    path: spec.selector
    text: |
      **What it is.** The labels a Pod must carry to receive this Service's traffic.

      **Why it matters.** It is the only link between the Service and its Pods.
    try: Change `web` to `web-v2` in the selector and watch both Pods lose their traffic.
    check:                        # optional: met when the learner has done the "try"
      traffic: {service: web, port: "80", count: 0}
      description: No Pod gets traffic.
  - title: The target port
    path: spec.ports[0].targetPort
    text: |
      **What it is.** The port on the Pod that receives the traffic.

      **Why it matters.** It must be the port the application listens on.

challenges:                      # at least two
  - id: select-the-pods
    title: Send traffic to both Pods
    text: |
      The Service selects nothing. Fix the selector so both Pods get traffic.
    manifest: |                  # the broken start: must NOT meet the goal
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector:
          app: website
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
        containers:
        - name: app
          image: registry.example/web:1.0
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-2
        labels:
          app: web
      spec:
        containers:
        - name: app
          image: registry.example/web:1.0
    goal:
      traffic: {service: web, port: "80", pods: [web-1, web-2]}
      description: Both Pods get traffic on port 80.
    hints:                       # revealed one at a time
      - Compare the selector with the Pods' labels.
      - The Pods are labelled `app=web`.
    solution: |                  # must meet the goal
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
        containers:
        - name: app
          image: registry.example/web:1.0
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-2
        labels:
          app: web
      spec:
        containers:
        - name: app
          image: registry.example/web:1.0
  - id: valid-port
    title: Get the Service accepted
    text: |
      The API server rejects this Service. Fix it.
    manifest: |
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector:
          app: web
        ports:
        - port: 0
          targetPort: 8080
    goal:
      valid: true
    hints:
      - Read the error on `spec.ports[0].port`.
      - A port is a number from 1 to 65535.
    solution: |
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

quiz:                            # at least three; each question has exactly one correct choice
  - question: Which Pods does a Service send traffic to?
    choices:
      - text: Ready Pods in its namespace whose labels include every selector pair
        correct: true
        explain: Yes.
      - text: Every Pod in the cluster
        correct: false
        explain: Only Pods its selector matches, in its own namespace.
  - question: What does `targetPort` name?
    choices:
      - text: The port on the Pod
        correct: true
        explain: Yes; `port` is the one clients use.
      - text: The port clients connect to
        correct: false
        explain: That is `port`.
  - question: What happens with no `targetPort`?
    choices:
      - text: It defaults to `port`
        correct: true
        explain: Yes.
      - text: The Service is rejected
        correct: false
        explain: Defaulting fills it in before validation.
'''


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME",
                        help="the lesson id and file name (lower-case letters, digits, '-')")
    parser.add_argument("--dir", default=".", metavar="DIR",
                        help="where to write NAME.yaml (default: the current folder)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def starter(lesson_id: str, directory: Path) -> str:
    """The starter lesson's text for `lesson_id` written into `directory`."""
    file = directory / f"{lesson_id}.yaml"
    title = lesson_id.replace("-", " ").capitalize()
    return (TEMPLATE.replace("__ID__", lesson_id).replace("__TITLE__", title)
            .replace("__FILE__", str(file)).replace("__DIR__", str(directory)))


@terminal_safe
def run(args: argparse.Namespace) -> int:
    name: str = args.name
    if name.endswith((".yaml", ".yml")):
        name = name.rsplit(".", 1)[0]
    if not _ID.match(name) or len(name) > 63:
        print(f"ktutor: {args.name!r} cannot be a lesson id: use lower-case letters, digits "
              "and '-', starting with a letter or digit (e.g. `my-lesson`)", file=sys.stderr)
        return 2
    directory = Path(args.dir)
    file = directory / f"{name}.yaml"
    if file.exists() and not args.force:
        print(f"ktutor: {file} already exists (add --force to overwrite it)", file=sys.stderr)
        return 2
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic(file, starter(name, directory))
    except OSError as exc:
        print(f"ktutor: cannot write {file} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    print(f"Wrote {file}. Edit it, check it with `ktutor lint {file}`, and try it with "
          f"`ktutor --lessons {directory} {name}`.")
    return 0
