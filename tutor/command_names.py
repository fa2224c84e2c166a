"""The `ktutor` subcommands' names and one-line help, apart from the CLI that runs them: the
lesson linter refuses a lesson id that is one of them (`ktutor ID` runs a command before it
looks for a lesson), and the course may not import the CLI (the layers in pyproject.toml)."""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "check": "validate manifests as the API server would",
    "route": "show which Pods get each Service port's traffic, and why",
    "rules": "print the iptables rules kube-proxy would program",
    "dns": "print the DNS records for the Services",
    "sim": "run a kubectl, nslookup, dig or curl command against the manifest",
    "lint": "check lesson files: schema, field paths, challenges, quizzes",
    "progress": "show, export or import your progress",
    "new-lesson": "write a commented starter lesson",
    "serve": "serve ktutor to web browsers (for workshops)",
    "print": "write a lesson as one document (Markdown or HTML)",
    "export": "write a lesson's manifests for a real cluster",
}
