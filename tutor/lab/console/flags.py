"""Command-line flags the way spf13/pflag reads them (kubectl, and the other tools' own way).

pflag accepts `--name value`, `--name=value`, `-n value`, `-nvalue`, `-n=value`, grouped
booleans (`-it`), flags anywhere between arguments, and `--` to end the flags. Its errors are
the texts kubectl prints after `error: ` (github.com/spf13/pflag · flag.go · `parseLongArg`,
`parseSingleShortArg`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class UsageError(Exception):
    """A command line the tool refuses: the message is the tool's own one line."""


@dataclass(frozen=True, slots=True)
class Flag:
    name: str
    short: str = ""
    value: bool = True
    """True when the flag takes a value; False for a boolean switch."""
    default: str = ""


@dataclass(slots=True)
class Parsed:
    args: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    after_dash: list[str] = field(default_factory=list)
    """Arguments after `--` (the command `kubectl run ... -- sh` runs)."""

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def on(self, name: str) -> bool:
        return self.values.get(name, "false") not in ("false", "0", "")


BOOL_VALUES = ("true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False", "T", "F")


def parse(argv: list[str], flags: list[Flag]) -> Parsed:
    """Split `argv` into arguments and flag values, or raise UsageError with pflag's text."""
    by_long = {f.name: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    out = Parsed()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            out.after_dash = argv[i:]
            break
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            flag = by_long.get(name)
            if flag is None:
                raise UsageError(f"unknown flag: --{name}")
            if flag.value:
                if not eq:
                    if i >= len(argv):
                        raise UsageError(f"flag needs an argument: --{name}")
                    value = argv[i]
                    i += 1
                out.values[flag.name] = value
            else:
                if eq and value not in BOOL_VALUES:
                    raise UsageError(
                        f'invalid argument "{value}" for "--{name}" flag: '
                        f'strconv.ParseBool: parsing "{value}": invalid syntax'
                    )
                out.values[flag.name] = value.lower() if eq else "true"
            continue
        if arg.startswith("-") and len(arg) > 1:
            shorts = arg[1:]
            j = 0
            while j < len(shorts):
                c = shorts[j]
                flag = by_short.get(c)
                if flag is None:
                    raise UsageError(f"unknown shorthand flag: '{c}' in {arg}")
                if not flag.value:
                    out.values[flag.name] = "true"
                    j += 1
                    continue
                rest = shorts[j + 1 :]
                if rest.startswith("="):
                    rest = rest[1:]
                if rest:
                    out.values[flag.name] = rest
                elif i < len(argv):
                    out.values[flag.name] = argv[i]
                    i += 1
                else:
                    raise UsageError(f"flag needs an argument: '{c}' in -{c}")
                break
            continue
        out.args.append(arg)
    return out


KUBECTL_GLOBAL = [
    Flag("namespace", "n"),
    Flag("context"),
    Flag("kubeconfig"),
    Flag("v", "v"),
    Flag("request-timeout"),
]
"""Flags every kubectl command takes (only --namespace changes anything here)."""
