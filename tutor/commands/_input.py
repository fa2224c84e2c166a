"""Reading manifest files for the subcommands: limits first, one clear line when it fails."""

from __future__ import annotations

import argparse
import gc
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tutor.model.analysis import Analysis, analyze
from tutor.model.errors import ALREADY_EXISTS, FieldError
from tutor.model.limits import FILE, MAX_TEXT_BYTES, InputRejected, decode_bytes, too_large
from tutor.model.network import DUAL_STACK, SINGLE_STACK, ClusterNetwork
from tutor.model.report import unreadable
from tutor.model.validation import NOT_CONFIGURED, NOT_DUAL_STACK

from ._safe import terminal_safe

__all__ = [
    "InputError",
    "Manifest",
    "add_network_argument",
    "analyze_file",
    "format_errors",
    "network_of",
    "read_manifest",
    "terminal_safe",
]


class InputError(Exception):
    """The input cannot be read as manifests: exit code 2 with this one-line message."""


@dataclass(frozen=True, slots=True)
class Manifest:
    name: str
    """How messages name the file: its path, or `<stdin>`."""
    text: str


def read_manifest(path: str) -> Manifest:
    """Read a file (or `-` for stdin) within the command line's size limit (`limits.FILE`: a
    real cluster's dump fits; the editor keeps its smaller one), as UTF-8 text."""
    try:
        if path == "-":
            name = "<stdin>"
            _check_size(sys.stdin, name)
            data = sys.stdin.buffer.read(FILE.text_bytes + 1)
        else:
            p = Path(path)
            if p.is_dir():
                p = _only_manifest(p, path)
            data = _read_limited(p)
            name = str(p) if p != Path(path) else path
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = decode_bytes(data, limit=FILE.text_bytes)
    except InputRejected as exc:
        raise InputError(f"{name}: {exc.reason}") from None
    return Manifest(name, text)


def _only_manifest(folder: Path, given: str) -> Path:
    """The one manifest file (*.yaml, *.yml) in a folder, as `kubectl apply -f DIR` would take
    it; a folder with none or several is a one-line error (name the files instead)."""
    found = sorted(f for f in folder.iterdir() if f.suffix in (".yaml", ".yml") and f.is_file())
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(f"{given}: a folder with no manifest file (*.yaml, *.yml) in it")
    names = ", ".join(f.name for f in found[:4]) + (", ..." if len(found) > 4 else "")
    raise InputError(f"{given}: a folder with {len(found)} manifest files ({names}): name one")


def _check_size(file: int | IO[str], name: str) -> None:
    """A regular file over the limit is refused from its size, before a byte is read (reading
    256 MB to find it too large would cost that much memory); pipes are read up to the limit."""
    try:
        info = os.fstat(file if isinstance(file, int) else file.fileno())
    except (OSError, ValueError):
        return
    if stat.S_ISREG(info.st_mode) and info.st_size > FILE.text_bytes:
        raise InputError(f"{name}: {too_large(info.st_size, FILE.text_bytes).reason}")


def _read_limited(path: Path) -> bytes:
    """At most FILE.text_bytes + 1 bytes of `path`, without hanging on a FIFO nobody writes to.

    Opening a FIFO for reading blocks until a writer appears, so it is opened non-blocking and
    switched back once open: a pipe with a writer (`ktutor check <(kubectl ...)`) is read to its
    end as usual, and one without reads as empty at once.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        _check_size(fd, str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(FILE.text_bytes + 1)
    finally:
        os.close(fd)


def add_network_argument(parser: argparse.ArgumentParser) -> None:
    """`--dual-stack`: the commands that analyze a file share this switch."""
    parser.add_argument(
        "--dual-stack",
        action="store_true",
        help="simulate a dual-stack IPv4/IPv6 cluster (default: single-stack IPv4 as kind, "
        "Services 10.96.0.0/12, Pods 10.244.0.0/16; dual-stack adds fd00:10:96::/112 and "
        "fd00:10:244::/56)",
    )


def network_of(args: argparse.Namespace) -> ClusterNetwork:
    return DUAL_STACK if getattr(args, "dual_stack", False) else SINGLE_STACK


_KEPT: list[Any] = []
"""The last cluster dump read and its analysis, kept to the end of the process: taking their
millions of objects apart one by one when the command returns cost ~0.2 s of CPU for nothing.
The list holds itself, and `gc.freeze` puts it where the collector never looks, so neither
clearing this module at exit nor the last collection frees it; the next dump read in the same
process (a test, the console) replaces it, and only that one is freed."""
_KEPT.append(_KEPT)


def analyze_file(
    path: str | Manifest, from_node: str | None = None, network: ClusterNetwork | None = None
) -> tuple[Manifest, Analysis]:
    """Read (unless given what `--from-cluster` read) and analyze; unreadable, non-YAML or
    empty input raises InputError."""
    manifest = path if isinstance(path, Manifest) else read_manifest(path)
    large = len(manifest.text) > MAX_TEXT_BYTES
    collecting = gc.isenabled()
    if large:
        # a dump builds millions of objects and no garbage cycles: the collector's repeated
        # full passes over them cost as much as reading the JSON
        gc.disable()
    try:
        analysis = analyze(manifest.text, from_node=from_node, network=network, limits=FILE)
        if network in (None, SINGLE_STACK) and _read_back_dual_stack(analysis):
            analysis = analyze(manifest.text, from_node=from_node, network=DUAL_STACK, limits=FILE)
            print(
                f"ktutor: {manifest.name} was read back from a cluster with IPv6 Services: "
                "simulated as a dual-stack cluster (as --dual-stack does)",
                file=sys.stderr,
            )
        if large:
            _KEPT[1:] = [manifest, analysis]
    finally:
        if large:
            gc.freeze()  # the analysis lives until the command ends; later passes skip it
            if collecting:
                gc.enable()
    bad = unreadable(analysis)
    if bad is not None:
        where = f":{bad.line}:{bad.column}" if bad.line else ""
        raise InputError(f"{manifest.name}{where}: {bad.message}")
    if not analysis.parsed.documents:
        raise InputError(f"{manifest.name}: no Kubernetes objects in the file (it is empty)")
    return manifest, analysis


def _read_back_dual_stack(analysis: Analysis) -> bool:
    """A dump of a dual-stack (or IPv6) cluster: its Services were refused only because the
    simulated cluster is single-stack, and the text was read back from a cluster (its objects
    carry the API server's resourceVersion). A hand-written manifest keeps the refusal."""
    return any(e.message.endswith((NOT_CONFIGURED, NOT_DUAL_STACK)) for e in analysis.errors) and (
        '"resourceVersion"' in analysis.text or "resourceVersion:" in analysis.text
    )


@contextmanager
def collector_paused(analysis: Analysis) -> Iterator[None]:
    """For a dump (a text over the editor's size): no garbage collection while the command
    prints what it found. Printing 36,000 route rows or 57,000 iptables rules makes objects by
    the hundred thousand and no cycles, and the collector's passes over them cost ~0.05 s of
    CPU; the setting is back as it was when the block ends."""
    collecting = gc.isenabled()
    if len(analysis.text) > MAX_TEXT_BYTES:
        gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def open_analysis(
    path: str | Manifest, from_node: str | None = None, network: ClusterNetwork | None = None
) -> tuple[Manifest, Analysis] | None:
    """`analyze_file` for commands that print: the one-line reason on stderr and None when the
    input cannot be read; otherwise the analysis, its errors already printed (as `kubectl apply`
    reports the rejected objects and still creates the rest)."""
    try:
        manifest, analysis = analyze_file(path, from_node=from_node, network=network)
    except InputError as exc:
        print(f"ktutor: {exc}", file=sys.stderr)
        return None
    if analysis.errors:
        for line in format_errors(manifest.name, analysis.errors):
            print(line)
        print()
    return manifest, analysis


def format_errors(name: str, errors: list[FieldError], *, hints: bool = True) -> list[str]:
    """kubectl's `The Service "x" is invalid:` line (for a second object of one name, its
    `Error from server (AlreadyExists): error when creating "FILE":`), then
    `FILE:LINE:COL: message` per error."""
    lines: list[str] = []
    current = None
    for err in errors:
        exists = err.type == ALREADY_EXISTS
        header = (err.kind, err.object, exists)
        if header != current:
            current = header
            obj_name = err.object.split("/", 1)[-1] if err.object else ""
            if exists:
                lines.append(f'Error from server (AlreadyExists): error when creating "{name}":')
            elif err.kind:
                lines.append(f'The {err.kind} "{obj_name}" is invalid:')
            else:
                lines.append("The file is invalid:")
        lines.append(f"{name}:{err.line}:{err.column}: {err.message}")
        if hints and err.hint:
            lines.append(f"    hint: {err.hint}")
    return lines
