"""Go's `text/tabwriter`, the aligner behind every kubectl table and describer.

kubectl's tables use `minwidth 6, tabwidth 4, padding 3, padchar ' '` (K · staging/src/k8s.io/
cli-runtime/pkg/printers/tabwriter.go · `GetNewTabWriter`); describers use `0, 8, 2, ' '`
(K · staging/src/k8s.io/kubectl/pkg/describe/describe.go · `tabbedString`). A cell is text
ending in a tab; the text after a line's last tab is not a cell and is never padded. A column
block is a run of consecutive lines that have a cell in that column, and each block gets its
own width (Go · text/tabwriter · `Writer.format`), which is why describe output aligns in
groups.
"""

from __future__ import annotations

TABLE = (6, 3)
"""(minwidth, padding) of kubectl's table printer."""
DESCRIBE = (0, 2)
"""(minwidth, padding) of kubectl's describers."""


def align(text: str, minwidth: int, padding: int) -> str:
    """`text` (lines of tab-separated cells) as tabwriter would print it with padchar ' '."""
    lines = [line.split("\t") for line in text.split("\n")]
    trailing = lines and lines[-1] == [""]
    if trailing:
        lines.pop()
    out: list[str] = []
    widths: list[int] = []

    def write_lines(line0: int, line1: int) -> None:
        for i in range(line0, line1):
            cells = lines[i]
            parts: list[str] = []
            for j, cell in enumerate(cells):
                if j < len(widths) and j < len(cells) - 1:
                    parts.append(cell + " " * (widths[j] - len(cell)))
                else:
                    parts.append(cell)
            out.append("".join(parts))

    def fmt(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write_lines(line0, this)
            line0 = this
            width = minwidth
            while this < line1 and column < len(lines[this]) - 1:
                width = max(width, len(lines[this][column]) + padding)
                this += 1
            widths.append(width)
            fmt(line0, this)
            widths.pop()
            line0 = this
        write_lines(line0, line1)

    fmt(0, len(lines))
    return "\n".join(out) + ("\n" if trailing else "")


def table(rows: list[list[str]]) -> str:
    """Rows of cells (the header first) as kubectl's table printer aligns them.

    Every row has the same cells, so every column is one block spanning all lines: the widths
    are computed directly (what `align` does, without its per-block walk; a 500-Pod table takes
    a few milliseconds). Cells may not hold tabs or newlines (they would split cells)."""
    if not rows:
        return ""
    n = len(rows[0])
    if any(len(r) != n for r in rows):
        return align("".join("\t".join(r) + "\n" for r in rows), *TABLE)
    minwidth, padding = TABLE
    columns = list(zip(*rows, strict=True))[:-1]
    widths = [max(minwidth, max(map(len, column)) + padding) for column in columns]
    # one format per table: a row is one C-level call (the per-cell ljust was half the time)
    line = "".join(f"{{:<{w}}}" for w in widths) + "{}\n"
    return "".join(line.format(*r) for r in rows)
