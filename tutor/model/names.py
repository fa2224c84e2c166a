"""Name, label and port checks with the API machinery's exact messages.

K · staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go (`IsDNS1035Label`,
`IsDNS1123Label`, `IsDNS1123Subdomain`, `IsQualifiedName`, `IsValidLabelValue`, `IsValidPortNum`,
`IsValidPortName`, `IsValidIP`, `RegexError`, `MaxLenError`) and its successor
K · staging/src/k8s.io/apimachinery/pkg/api/validate/content (kube.go `IsLabelKey`, `IsLabelValue`;
dns.go `IsDNS1123Label`). Each returns its messages, none when the value is fine, because the
validator emits one error per message; the name checks are cached (a dump repeats the same label
keys and namespaces thousands of times). Lengths are Go `len()`, i.e. UTF-8 bytes, not characters.
"""

from __future__ import annotations

import functools
import ipaddress
import re


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """`RegexError`: note the doubled space before "or", kept as Go prints it."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    body = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {body}regex used for validation is '{fmt}')"


def max_len_error(n: int) -> str:
    return f"must be no more than {n} characters"


DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character"
)
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character"
)
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
QUALIFIED_NAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character"
)
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character"
)

_DNS1123_LABEL = re.compile(DNS1123_LABEL_FMT + r"\Z")
_DNS1123_SUBDOMAIN = re.compile(DNS1123_SUBDOMAIN_FMT + r"\Z")
_DNS1035_LABEL = re.compile(DNS1035_LABEL_FMT + r"\Z")
_QUALIFIED_NAME = re.compile(QUALIFIED_NAME_FMT + r"\Z")
_LABEL_VALUE = re.compile(LABEL_VALUE_FMT + r"\Z")
_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+\Z")
_PORT_NAME_LETTER = re.compile(r"[a-z]")


def _blen(value: str) -> int:
    """Go's `len(string)`: the UTF-8 byte count."""
    return len(value.encode("utf-8", "surrogatepass"))


@functools.lru_cache(maxsize=4096)
def is_dns1123_label(value: str) -> tuple[str, ...]:
    """`IsDNS1123Label`: a valid *subdomain* that is not a label can only have dots in it, and
    says so instead of printing the regex."""
    errs = []
    if _blen(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS1123_LABEL.match(value):
        if _DNS1123_SUBDOMAIN.match(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return tuple(errs)


@functools.lru_cache(maxsize=4096)
def is_dns1123_subdomain(value: str) -> tuple[str, ...]:
    errs = []
    if _blen(value) > 253:
        errs.append(max_len_error(253))
    if not _DNS1123_SUBDOMAIN.match(value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return tuple(errs)


@functools.lru_cache(maxsize=4096)
def is_dns1035_label(value: str) -> tuple[str, ...]:
    errs = []
    if _blen(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS1035_LABEL.match(value):
        errs.append(regex_error(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return tuple(errs)


@functools.lru_cache(maxsize=4096)
def is_qualified_name(value: str) -> tuple[str, ...]:
    """`IsQualifiedName` / `content.IsLabelKey`: label keys and appProtocol. An empty name part
    gets both "must be non-empty" and the regex message, as in Go (the regex check is not in
    an else branch)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return (
            "a qualified name "
            + regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        )
    if not name:
        errs.append("name part must be non-empty")
    elif _blen(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _QUALIFIED_NAME.match(name):
        errs.append(
            "name part "
            + regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        )
    return tuple(errs)


@functools.lru_cache(maxsize=4096)
def is_label_value(value: str) -> tuple[str, ...]:
    errs = []
    if _blen(value) > 63:
        errs.append(max_len_error(63))
    if not _LABEL_VALUE.match(value):
        errs.append(regex_error(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return tuple(errs)


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else ["must be between 1 and 65535, inclusive"]


@functools.lru_cache(maxsize=4096)
def is_valid_port_name(name: str) -> tuple[str, ...]:
    """`IsValidPortName` (IANA_SVC_NAME): one message per failed rule."""
    errs = []
    if _blen(name) > 15:
        errs.append(max_len_error(15))
    if not _PORT_NAME_CHARS.match(name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER.search(name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return tuple(errs)


def is_valid_ip(value: str) -> list[str]:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    return []


def non_special_ip(value: str) -> list[str]:
    """`ValidateNonSpecialIP` (externalIPs): no unspecified, loopback or link-local addresses.
    K · pkg/apis/core/validation/validation.go (not re-read)."""
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return ["must be a valid IP address"]
    errs = []
    if ip.is_unspecified:
        errs.append(f"may not be unspecified ({value})")
    if ip.is_loopback:
        errs.append("may not be in the loopback range (127.0.0.0/8, ::1/128)")
    if ip.is_link_local:
        errs.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)")
    if ip in _LL_MCAST4 or ip in _LL_MCAST6:
        errs.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
    return errs


_LL_MCAST4 = ipaddress.ip_network("224.0.0.0/24")
_LL_MCAST6 = ipaddress.ip_network("ff02::/16")
