"""Report how many generated inputs the robustness property tests tried in this session."""

from __future__ import annotations

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)
    if cache is not None:
        cache.set("robustness/examples", {})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    cache = getattr(terminalreporter.config, "cache", None)
    counts: dict[str, int] = cache.get("robustness/examples", {}) if cache is not None else {}
    if counts:
        detail = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items()))
        terminalreporter.write_line(
            f"robustness property tests: {sum(counts.values())} generated inputs ({detail})"
        )
