"""kubectl's table aligner: `table` (the fast path for rows of equal length) prints what the
general tabwriter walk `align` prints, and the AGE column's `human_duration` follows
apimachinery's `HumanDuration`."""

from __future__ import annotations

import pytest

from tutor.lab.console.tabwriter import TABLE, align, table
from tutor.lab.console.world import human_duration

TABLES = {
    "kubectl get pods": [
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        ["web-1", "1/1", "Running", "0", "10m"],
        ["a-much-longer-pod-name", "0/1", "Terminating", "0", "3s"],
    ],
    "short cells get minwidth 6": [["A", "B", "C"], ["x", "y", "z"]],
    "braces and percent signs are text": [["{0}", "{}", "%s"], ["{name}", "}{", "{:>9}"]],
    "empty cells": [["NAME", "", "AGE"], ["", "", ""]],
    "one column": [["NAME"], ["web"]],
    "header only": [["NAME", "AGE"]],
    "non-ASCII": [["NAME", "LABELS"], ["café", "app=wébé"]],
}


@pytest.mark.parametrize("rows", TABLES.values(), ids=TABLES.keys())
def test_table_prints_what_the_tabwriter_walk_prints(rows: list[list[str]]) -> None:
    text = "".join("\t".join(r) + "\n" for r in rows)
    assert table(rows) == align(text, *TABLE)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (-5, "<invalid>"),
        (-0.5, "0s"),
        (0, "0s"),
        (119.9, "119s"),
        (120, "2m"),
        (150, "2m30s"),
        (600, "10m"),
        (10799, "179m"),
        (3 * 3600 + 120, "3h2m"),
        (8 * 3600, "8h"),
        (2 * 86400 + 3600, "2d1h"),
        (400 * 86400, "400d"),
        (3 * 365 * 86400 + 86400, "3y1d"),
        (9 * 365 * 86400, "9y"),
    ],
)
def test_human_duration(seconds: float, shown: str) -> None:
    assert human_duration(seconds) == shown
    assert human_duration(seconds) == shown  # the second time from the cache: the same
