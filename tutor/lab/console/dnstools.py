"""`nslookup` (busybox 1.28, the image the Kubernetes DNS-debugging page uses) and `dig`
(BIND 9.18, as in the dnsutils image) from the client Pod, answered from `tutor.model.dns`.

busybox 1.28 `nslookup` resolves through the Pod's resolv.conf (search path, ndots:5) and
prints the server, then each address with its reverse name (W · content/en/docs/tasks/
administer-cluster/dns-debugging-resolution.md and tasks/debug/debug-application/
debug-service.md show this layout). `dig` does not use the search list unless `+search`:
`dig web` asks for `web.` and gets NXDOMAIN, which is why the debugging pages use full names.
"""

from __future__ import annotations

import ipaddress

from tutor.model import dns
from tutor.model.dns import DnsRecord
from tutor.model.limits import visible
from tutor.model.manifests import stable_hash

from .output import Output
from .world import DNS_SERVER, World

BUILTIN = {
    "kubernetes.default.svc.cluster.local": "10.96.0.1",
    "kube-dns.kube-system.svc.cluster.local": DNS_SERVER,
}
"""Names every cluster answers that no manifest holds."""
SERVER_LINE = (
    f"Server:    {DNS_SERVER}\nAddress 1: {DNS_SERVER} kube-dns.kube-system.svc.cluster.local\n"
)


def lookup(world: World, name: str, namespace: str) -> list[DnsRecord]:
    """A, CNAME and the API server's and DNS server's own names, as CoreDNS answers a Pod."""
    answer = dns.resolve(world.analysis, name, namespace)
    if answer:
        return answer
    for cand in dns.candidates(name, namespace):
        ip = BUILTIN.get(cand)
        if ip and not world.analysis.service(cand.split(".")[1] + "/" + cand.split(".")[0]):
            return [DnsRecord(cand, dns.A, ip, "")]
    return []


def external_ip(name: str) -> str:
    """A stand-in public address for a name outside the cluster (documentation range)."""
    return f"203.0.113.{stable_hash('ext', name) % 200 + 20}"


def _reverse(world: World, ip: str) -> str:
    """The PTR name CoreDNS gives `ip`: a Service's name for its ClusterIP, a headless
    endpoint's own name (hostname or dashed IP) for a Pod behind a headless Service."""
    records = [
        r for r in dns.records(world.analysis) if r.type in (dns.A, dns.AAAA) and r.value == ip
    ]
    own = [r.name for r in records if r.pod and r.name.count(".") > 4]
    if own:
        return own[0]
    if records:
        return records[0].name
    for name, value in BUILTIN.items():
        if value == ip:
            return name
    return ""


def nslookup(world: World, argv: list[str], namespace: str) -> Output:
    if not argv or argv[0].startswith("-"):
        return Output(
            "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\n"
            "Usage: nslookup [HOST] [SERVER]\n\n"
            "Query the nameserver for the IP address of the given HOST\n"
            "optionally using a specified DNS server\n",
            1,
        )
    name = argv[0]
    text = SERVER_LINE + "\n"
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        ip = None
    if ip is not None:
        rev = _reverse(world, name)
        return Output(text + f"Name:      {name}\nAddress 1: {name}{' ' + rev if rev else ''}\n")
    answer = lookup(world, name, namespace)
    addresses: list[tuple[str, str]] = []
    # getaddrinfo asks for both families; with the lessons' ULA (fd00::/8) IPv6 addresses,
    # RFC 6724's precedence (musl: 3 for fc00::/7, 35 for IPv4) puts the IPv4 ones first
    for family in (dns.A, dns.AAAA):
        for rec in answer:
            if rec.type == family:
                rev = rec.name if not rec.pod else _reverse(world, rec.value)
                addresses.append((rec.value, rev))
    for rec in answer:
        if rec.type == dns.CNAME:
            addresses.append((external_ip(rec.value), rec.value))
    if not addresses:
        return Output(text + f"nslookup: can't resolve '{name}'\n", 1)
    text += f"Name:      {name}\n"
    for i, (addr, rev) in enumerate(addresses, 1):
        text += f"Address {i}: {addr}{' ' + rev if rev else ''}\n"
    return Output(text)


def _wire(name: str) -> int:
    """A name's length on the wire: each label with its length byte, then the root's zero."""
    labels = [x for x in name.rstrip(".").split(".") if x]
    return sum(len(x) + 1 for x in labels) + 1


def _rdata_size(rec: DnsRecord) -> int:
    """RDLENGTH of a record the console prints (RFC 1035 3.3-3.4, RFC 3596 2.2, RFC 2782)."""
    if rec.type == dns.A:
        return 4
    if rec.type == dns.AAAA:
        return 16
    if rec.type == dns.SRV:
        return 6 + _wire(rec.value)  # priority, weight, port, then the target
    return _wire(rec.value)  # CNAME, PTR: one name


def message_size(
    asked: str, answer: list[DnsRecord], soa: bool | None, extra: list[DnsRecord]
) -> int:
    """`;; MSG SIZE  rcvd:` of CoreDNS's reply: the 12-byte header, the question (name, type,
    class), each record (owner name, type, class, TTL, RDLENGTH: 10 bytes, then its data) and
    the 11-byte OPT record. Every name is written in full: CoreDNS's ScrubWriter calls
    `dns.Msg.Truncate`, which turns compression off when the reply fits (coredns request/
    request.go · `Scrub`; miekg/dns msg_truncate.go · `Truncate`), as real replies show
    (`fruits-api-service.micro-shake-factory.svc.cluster.local` A: 157 bytes). `soa`: the
    authority section's SOA, CoreDNS's own (True) or the root's (False), or None."""
    size = 12 + _wire(asked) + 4 + 11
    for rec in [*answer, *extra]:
        size += _wire(rec.name) + 10 + _rdata_size(rec)
    if soa is not None:
        owner, _, mname, rname, _ = SOA[soa]
        size += _wire(owner) + 10 + _wire(mname) + _wire(rname) + 20  # five 32-bit numbers
    return size


QTYPES = ("A", "AAAA", "SRV", "CNAME", "PTR", "TXT", "MX", "NS", "SOA", "ANY")


def dig(world: World, argv: list[str], namespace: str, when: str) -> Output:
    """`dig NAME [A|AAAA|SRV|CNAME] [+short] [+search]`; `-t TYPE` and `-q NAME` as dig reads
    them (`dig -t SRV NAME` was refused as `Invalid option: -t`)."""
    name = ""
    qtype = "A"
    short = search = False
    args = iter(argv)
    for arg in args:
        if arg == "-x":  # a reverse lookup: the PTR record of the address's in-addr.arpa name
            value = next(args, "")
            try:
                name, qtype = ipaddress.ip_address(value).reverse_pointer, "PTR"
            except ValueError:
                return Output(f"Invalid IP address {visible(value)[:60]}\n", 1)
            continue
        if arg in ("-t", "-q") or (arg[:2] in ("-t", "-q") and len(arg) > 2):
            value = arg[2:] or next(args, "")
            if not value:
                return Output(f"dig: option requires an argument -- '{arg[1]}'\n", 1)
            if arg[1] == "q":
                name = value
                continue
            if value.upper() not in QTYPES:
                continue  # dig warns and keeps the type it had
            arg = value
        low = arg.lower()
        if low in ("+short",):
            short = True
        elif low in ("+search",):
            search = True
        elif low.startswith("+"):
            continue
        elif arg.upper() in QTYPES:
            qtype = arg.upper()
        elif arg.startswith("@"):
            continue
        elif arg.startswith("-"):
            return Output(f"Invalid option: {arg}\n", 1)
        else:
            name = arg
    if not name:
        name, qtype = ".", "NS"
    fqdn = name.rstrip(".") + "."
    records: list[DnsRecord] = []
    asked = fqdn
    if search and not name.endswith("."):
        for cand in dns.candidates(name, namespace):
            found = _records(world, cand, qtype)
            if found:
                records, asked = found, cand + "."
                break
        else:
            asked = fqdn
    else:
        records = _records(world, fqdn.rstrip("."), qtype)
    exists = bool(records) or bool(_records(world, asked.rstrip("."), "ANY"))
    # CoreDNS's kubernetes plugin serves cluster.local and the reverse zones (kubeadm's and
    # kind's Corefile: `kubernetes cluster.local in-addr.arpa ip6.arpa`)
    in_zone = asked.rstrip(".").endswith("cluster.local") or (qtype == "PTR" and bool(records))
    status = "NOERROR" if exists else "NXDOMAIN"
    if short:
        return Output("".join(_rdata(r) + "\n" for r in records))
    qid = stable_hash("dig", asked, qtype) % 65536
    flags = "qr aa rd" if in_zone else "qr rd ra"
    authority = [] if records else [_soa(in_zone)]
    extra = _additional(world, records)
    lines = [
        "",
        f"; <<>> DiG 9.18.33 <<>> {' '.join(argv)}",
        ";; global options: +cmd",
        ";; Got answer:",
        f";; ->>HEADER<<- opcode: QUERY, status: {status}, id: {qid}",
        f";; flags: {flags}; QUERY: 1, ANSWER: {len(records)}, AUTHORITY: {len(authority)}, "
        f"ADDITIONAL: {len(extra) + 1}",
    ]
    if in_zone:
        lines.append(";; WARNING: recursion requested but not available")
    lines += ["", ";; OPT PSEUDOSECTION:", "; EDNS: version: 0, flags:; udp: 1232"]
    lines += [";; QUESTION SECTION:", columns(f";{asked}", ("", 24), ("IN", 32), (qtype, 40)), ""]
    if records:
        lines.append(";; ANSWER SECTION:")
        for rec in records:
            lines.append(
                columns(
                    f"{rec.name}.",
                    (str(dns.TTL), 24),
                    ("IN", 32),
                    (rec.type, 40),
                    (_rdata(rec), 48),
                )
            )
        lines.append("")
    if authority:
        lines += [";; AUTHORITY SECTION:", authority[0], ""]
    if extra:
        lines.append(";; ADDITIONAL SECTION:")
        for rec in extra:
            lines.append(
                columns(
                    f"{rec.name}.", (str(dns.TTL), 24), ("IN", 32), (rec.type, 40), (rec.value, 48)
                )
            )
        lines.append("")
    lines += [
        ";; Query time: 0 msec",
        f";; SERVER: {DNS_SERVER}#53({DNS_SERVER}) (UDP)",
        f";; WHEN: {when}",
        f";; MSG SIZE  rcvd: {message_size(asked, records, None if records else in_zone, extra)}",
        "",
    ]
    return Output("\n".join(lines) + "\n", 0)


def _additional(world: World, records: list[DnsRecord]) -> list[DnsRecord]:
    """The A and AAAA records of the SRV answers' targets, which CoreDNS adds to the additional
    section (coredns plugin/backend_lookup.go · `SRV`: each target's address once, in the
    answers' order): a Service's own name for a ClusterIP, each Pod's name for a headless one."""
    extra: list[DnsRecord] = []
    seen: set[tuple[str, str]] = set()
    for srv in records:
        if srv.type != dns.SRV:
            continue
        for rec in _records(world, srv.value, "ANY"):
            if rec.type in (dns.A, dns.AAAA) and (rec.name, rec.value) not in seen:
                seen.add((rec.name, rec.value))
                extra.append(rec)
    return extra


def columns(first: str, *cells: tuple[str, int]) -> str:
    """BIND's master-file layout (lib/dns/masterdump.c · `indent`): each field starts at its
    tab stop (24, 32, 40, 48), reached with tabs, or after one space when the text before it
    is already past the stop; an empty field (the question's TTL) only moves to its stop when short of it."""
    out, col = first, len(first)
    for text, stop in cells:
        if col >= stop and text:
            out += " "
            col += 1
        while col < stop:
            out += "\t"
            col = (col // 8 + 1) * 8
        out += text
        col += len(text)
    return out


def _records(world: World, name: str, qtype: str) -> list[DnsRecord]:
    name = name.rstrip(".").lower()
    if qtype == "PTR":
        ip = _from_reverse(name)
        rev = _reverse(world, ip) if ip else ""
        return [DnsRecord(name, "PTR", rev, "")] if rev else []
    everything = [r for r in dns.records(world.analysis) if r.name == name]
    if not everything and name in BUILTIN:
        everything = [DnsRecord(name, dns.A, BUILTIN[name], "")]
    if qtype == "ANY":
        return everything
    if qtype == "A":
        return [r for r in everything if r.type in (dns.A, dns.CNAME)]
    if qtype == dns.SRV and everything and not any(r.type == dns.SRV for r in everything):
        return dns.any_port_srv(world.analysis, name)  # a Service's own name: every port
    return [r for r in everything if r.type == qtype]


def _from_reverse(name: str) -> str:
    """The address an `in-addr.arpa` / `ip6.arpa` name stands for ("" for any other name)."""
    if name.endswith(".in-addr.arpa"):
        parts = name.removesuffix(".in-addr.arpa").split(".")
        text = ".".join(reversed(parts))
    elif name.endswith(".ip6.arpa"):
        nibbles = "".join(reversed(name.removesuffix(".ip6.arpa").split(".")))
        text = ":".join(nibbles[i : i + 4] for i in range(0, len(nibbles), 4))
    else:
        return ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def _rdata(rec: DnsRecord) -> str:
    if rec.type == dns.SRV:
        return f"{rec.priority} {rec.weight} {rec.port} {rec.value}."
    if rec.type in (dns.CNAME, "PTR"):
        return f"{rec.value}."
    return rec.value


SOA = {
    True: (
        "cluster.local.",
        "\t\t30",
        "ns.dns.cluster.local.",
        "hostmaster.cluster.local.",
        "1767258000 7200 1800 86400 30",
    ),
    False: (
        ".",
        "\t\t\t86400",
        "a.root-servers.net.",
        "nstld.verisign-grs.com.",
        "2026010100 1800 900 604800 86400",
    ),
}
"""The negative answer's SOA (owner, TTL after its tabs, MNAME, RNAME, the five numbers):
CoreDNS's own for cluster.local, the root's as the upstream resolver forwards it."""


def _soa(in_zone: bool) -> str:
    owner, ttl, mname, rname, numbers = SOA[in_zone]
    return f"{owner}{ttl}\tIN\tSOA\t{mname} {rname} {numbers}"
