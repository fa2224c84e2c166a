"""Lesson goals, checked by running the same core the app shows the learner.

A goal is data about the model's result (which Pods get a port's traffic, where the API server
rejects the manifest, a simulated share, a DNS answer), so a lesson can never claim something the
routing view contradicts. When a goal is not met, `detail` says what is missing in the words of
the routing view's reasons, e.g. "web-2 gets no traffic: label `app` is `web`, the Service wants
`my-app`".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tutor.model import console_words, dns
from tutor.model.analysis import Analysis, PortRoute, ServiceRoute, analyze, route_service
from tutor.model.endpoints import PodIndex
from tutor.model.network import ClusterNetwork
from tutor.model.paths import Path as FieldPath
from tutor.model.paths import format_path, parse_path
from tutor.model.proxy import CLUSTER_IP_ENTRY, Client, endpoints_for, entry_types, simulate
from tutor.model.report import Outcome, at_pod, request_to, summary, unreadable
from tutor.model.schema import SERVED_KINDS

from .lesson import Goal
from .schema import GOAL_KINDS

__all__ = ["GOAL_KINDS", "GoalResult", "evaluate", "evaluate_text", "goal_problems"]


@dataclass(frozen=True, slots=True)
class GoalResult:
    met: bool
    detail: str
    """One or two sentences: what holds (when met) or what is missing (when not)."""


def q(value: object) -> str:
    return f"`{value}`"


def names(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    lst = sorted(items)
    if not lst:
        return "no Pod"
    if len(lst) == 1:
        return lst[0]
    return f"{', '.join(lst[:-1])} and {lst[-1]}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _unreadable(analysis: Analysis) -> GoalResult | None:
    bad = unreadable(analysis)
    if bad is None:
        return None
    where = f"line {bad.line}: " if bad.line else ""
    return GoalResult(False, f"The manifest cannot be read: {where}{bad.message}.")


def _find_route(
    analysis: Analysis, data: Mapping[str, Any]
) -> tuple[ServiceRoute, PortRoute] | GoalResult:
    ref = str(data["service"])
    port = str(data["port"])
    sr = analysis.service(ref)
    if sr is None:
        name = ref.split("/", 1)[-1]
        rejected = [
            e
            for e in analysis.errors
            if e.kind == "Service" and (e.object == ref or e.object.endswith("/" + name))
        ]
        if rejected:
            return GoalResult(
                False,
                f"The API server rejects Service {q(name)}, so it routes "
                f"nothing: {rejected[0].message}.",
            )
        # a goal naming `ns/name`: say the namespace, and name the Services of other namespaces
        # with theirs ("no Service `cart` (it has `cart`)" when the learner moved it to default)
        ns = ref.split("/", 1)[0] if "/" in ref else ""
        known = [
            s.service.name if not ns or s.service.namespace == ns else s.service.ref
            for s in analysis.services
        ]
        listing = f" (it has {', '.join(q(h) for h in known)})" if known else ""
        where = f"in namespace {q(ns)}" if ns else "in the manifest"
        return GoalResult(False, f"There is no Service {q(name)} {where}{listing}.")
    pr = sr.port(port)
    if pr is None:
        have = ", ".join(p.port.label for p in sr.ports) or "none"
        return GoalResult(
            False, f"Service {q(sr.service.name)} has no port {q(port)} (its ports: {have})."
        )
    return sr, pr


def _is_address(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _why_not(pr: PortRoute, analysis: Analysis, pod: str, namespace: str) -> str:
    verdict = pr.verdicts.get(f"{namespace}/{pod}")
    elsewhere = analysis.cluster.pod(pod) if verdict is None else None
    if elsewhere is not None:  # in another namespace: the model's own words for it
        verdict = pr.verdicts.get(f"{elsewhere.namespace}/{pod}")
    if verdict is None:
        if elsewhere is None:
            rejected = any(
                e.kind == "Pod" and e.object.endswith("/" + pod) for e in analysis.errors
            )
            if rejected:
                return f"{pod} is rejected by the API server"
            if _is_address(pod):  # a hand-written slice's endpoint, named by its address
                return f"no endpoint of the Service has the address {q(pod)}"
            return f"there is no Pod named {q(pod)}"
        return f"{pod} is in another namespace"
    return f"{pod} gets no traffic: {verdict.reason}"


def _traffic(goal: Goal, analysis: Analysis, endpoints: bool) -> GoalResult:
    data = goal.data
    found = _find_route(analysis, data)
    if isinstance(found, GoalResult):
        return found
    sr, pr = found
    node = data.get("from_node")
    if node and not endpoints and node != analysis.from_node:
        cluster = analysis.cluster
        sr = route_service(sr.service, cluster, PodIndex(cluster.pods), str(node))
        pr = sr.port(str(data["port"])) or pr
    ns = sr.service.namespace
    chosen = pr.endpoints if endpoints else pr.used
    where = f"{q(sr.service.name)} port {pr.port.port}"
    if pr.port.name:
        where += f" ({pr.port.name})"
    entry = str(data.get("entry", CLUSTER_IP_ENTRY))
    if entry != CLUSTER_IP_ENTRY and not endpoints:
        svc = sr.service
        if entry not in entry_types(svc):
            return GoalResult(
                False,
                f"Service {q(svc.name)} is type {svc.type}: no traffic arrives through a "
                f"{entry}, which the goal needs",
            )
        chosen = endpoints_for(svc, pr.slice_endpoints, entry, str(node) if node else None)
        where += f" (through the {entry})"
    got = {ep.pod.name for ep in chosen}
    verb = "are endpoints of" if endpoints else "get traffic on"
    verb_one = "is an endpoint of" if endpoints else "gets traffic on"
    problems: list[str] = []
    missing: set[str] = set()
    extra: set[str] = set()
    if "pods" in data:
        missing |= set(data["pods"]) - got
        extra |= got - set(data["pods"])
    missing |= set(data.get("pods_include", ())) - got
    extra |= got & set(data.get("pods_exclude", ()))
    for pod in sorted(missing)[:2]:
        if endpoints:
            verdict = pr.verdicts.get(f"{ns}/{pod}")
            reason = verdict.reason if verdict else _why_not(pr, analysis, pod, ns)
            problems.append(f"{pod} is not an endpoint: {reason}")
        else:
            problems.append(_why_not(pr, analysis, pod, ns))
    if len(missing) > 2:
        problems.append(f"{len(missing) - 2} more wanted Pods are missing too")
    if extra:
        if len(extra) == 1:
            word = "is an endpoint" if endpoints else "gets traffic"
            problems.append(f"{names(extra)} {word} but the goal leaves it out")
        else:
            word = "are endpoints" if endpoints else "get traffic"
            problems.append(f"{names(extra)} {word} but the goal leaves them out")
    if "count" in data and len(got) != int(data["count"]):
        want = int(data["count"])
        if got:
            sentence = (
                f"{_plural(len(got), 'Pod')} {verb if len(got) > 1 else verb_one} "
                f"{where} ({names(got)}); the goal is {want}"
            )
        else:
            sentence = f"no Pod {verb_one} {where}; the goal is {want}"
        if len(got) < want and not missing:
            losers = [
                k.split("/", 1)[1]
                for k, v in pr.verdicts.items()
                if not v.gets_traffic
                and k.startswith(ns + "/")
                and (not endpoints or k.split("/", 1)[1] not in got)
            ]
            if losers and endpoints:
                verdict = pr.verdicts[f"{ns}/{losers[0]}"]
                sentence += f"; {losers[0]} is not an endpoint: {verdict.reason}"
            elif losers:
                sentence += f"; {_why_not(pr, analysis, losers[0], ns)}"
        problems.append(sentence)
    target = data.get("target_port")
    if target is not None and not endpoints:
        wrong = [ep for ep in chosen if ep.port != int(target)]
        if wrong:
            port = min(ep.port for ep in wrong)  # one sentence per port would be a list
            on_it = sorted({ep.pod.name for ep in wrong if ep.port == port})
            verb = "receives" if len(on_it) == 1 else "receive"
            problems.append(
                f"{names(on_it)} {verb} the traffic on port {port}; the goal is port {target}"
            )
        elif not chosen:
            problems.append(f"no Pod gets traffic on {where}, so nothing reaches port {target}")
    if data.get("answered") and not endpoints:
        for ep in chosen:
            ok, assumed, reason, _hop = at_pod(ep.pod, ep.port, pr.port.protocol)
            if not ok:
                said = summary(Outcome.REFUSED_BY_POD, ep.pod.name, ep.port, reason, assumed)
                problems.append(f"requests to {where} are {said}")
                break
    if problems and not got and not endpoints and entry == CLUSTER_IP_ENTRY:
        client = Client("client", "10.244.0.100", str(node) if node else "")
        said = request_to(analysis, sr, pr, client, rules=False).summary
        problems.append(f"a request{f' from {node}' if node else ''}: {said}")
    if problems:
        return GoalResult(False, "; ".join(problems) + ".")
    if not got:
        return GoalResult(True, f"No Pod {verb_one} {where}.")
    # the port the Pods receive the traffic on is what a goal with `target_port` is about
    received = ""
    if target is not None and not endpoints:
        received = f" and {'receive' if len(got) > 1 else 'receives'} it on port {target}"
    return GoalResult(True, f"{names(got)} {verb if len(got) > 1 else verb_one} {where}{received}.")


def _valid(analysis: Analysis) -> GoalResult:
    if analysis.valid:
        return GoalResult(True, "The API server accepts every object.")
    first = analysis.errors[0]
    more = len(analysis.errors) - 1
    tail = f" (and {_plural(more, 'more error')})" if more else ""
    return GoalResult(
        False, f"The API server rejects the manifest: line {first.line}: {first.message}{tail}."
    )


def _norm(path: str) -> str:
    try:
        return format_path(parse_path(path))
    except ValueError:
        return path.strip()


def _invalid(goal: Goal, analysis: Analysis) -> GoalResult:
    want = _norm(str(goal.data["path"]))
    contains = str(goal.data.get("message_contains", ""))
    if analysis.valid:
        return GoalResult(
            False, f"The API server accepts the manifest; the goal is an error at {q(want)}."
        )
    at_path = [e for e in analysis.errors if _norm(e.path) == want]
    if not at_path:
        first = analysis.errors[0]
        return GoalResult(
            False, f"The manifest is rejected, but not at {q(want)}: {first.message}."
        )
    matching = [e for e in at_path if contains in e.message]
    if not matching:
        return GoalResult(
            False,
            f"There is an error at {q(want)}, but it does not say "
            f"“{contains}”: {at_path[0].message}.",
        )
    return GoalResult(True, f"Rejected as expected: {matching[0].message}.")


def simulation_clients(analysis: Analysis, count: int) -> list[Client]:
    """`count` clients spread over the manifest's nodes (one per node, round-robin)."""
    nodes = analysis.cluster.nodes or ["node-1"]
    return [
        Client(f"client-{i + 1}", f"10.244.0.{100 + i % 150}", nodes[i % len(nodes)])
        for i in range(max(1, count))
    ]


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _share(goal: Goal, analysis: Analysis) -> GoalResult:
    data = goal.data
    found = _find_route(analysis, data)
    if isinstance(found, GoalResult):
        return found
    sr, pr = found
    requests = int(data.get("requests", 1000))
    lo = float(data.get("min", 0.0))
    hi = float(data.get("max", 1.0))
    sim = simulate(
        sr.service,
        pr.slice_endpoints,
        simulation_clients(analysis, int(data.get("clients", 1))),
        requests,
        int(data.get("seed", 0)),
        CLUSTER_IP_ENTRY,
    )
    pod = str(data["pod"])
    served = sim.served.get(pod, 0)
    share = served / requests
    if lo >= 1:
        wanted = "all of them"  # not "at least 100%"
    elif lo > 0 and hi < 1:
        wanted = f"between {_pct(lo)} and {_pct(hi)}"
    elif lo > 0:
        wanted = f"at least {_pct(lo)}"
    else:
        wanted = f"at most {_pct(hi)}"
    said = f"{pod} served {served} of {requests} requests ({_pct(share)})"
    if lo <= share <= hi:
        return GoalResult(True, f"{said}: {wanted}, as the goal asks.")
    reason = ""
    if served == 0:
        reason = f" ({_why_not(pr, analysis, pod, sr.service.namespace)})"
    others = sorted((name, n) for name, n in sim.served.items() if name != pod and n)
    if others and lo > 0:  # too little here: where the rest went (spread, or elsewhere)
        reason += f"; the rest went to {names(f'{name} ({n})' for name, n in others)}"
    return GoalResult(False, f"{said}{reason}; the goal is {wanted}.")


def _dns(goal: Goal, analysis: Analysis) -> GoalResult:
    data = goal.data
    name = str(data["name"])
    rtype = str(data["type"]) if data.get("type") else ""
    namespace = str(data.get("namespace", "default"))
    answers = dns.resolve(analysis, name, namespace)
    from_where = f"a Pod in namespace {q(namespace)}"
    if not answers:
        said = f"{q(name)} does not resolve for {from_where} (NXDOMAIN)"
        refused = _refused_behind(analysis, name, namespace)
        if refused:
            said += f": {refused}"
        return GoalResult(False, f"{said}.")
    typed = [a for a in answers if not rtype or a.type == rtype]
    if not typed:
        kinds = ", ".join(sorted({a.type for a in answers}))
        return GoalResult(False, f"{q(name)} resolves, but with {kinds} records, not {rtype}.")
    missing = [
        str(w)
        for w in data.get("answers_include", ())
        if not any(
            str(w) in (a.value, a.pod, str(a.port) if a.port else "") or str(w) in a.zone_line
            for a in typed
        )
    ]
    shown = ", ".join(a.value if a.type != dns.SRV else f"{a.value}:{a.port}" for a in typed[:4])
    if len(typed) > 4:
        shown += ", ..."
    kind = rtype or typed[0].type
    if missing:
        return GoalResult(
            False,
            f"{q(name)} resolves ({kind}: {shown}) but the answer lacks "
            f"{', '.join(q(m) for m in missing)}.",
        )
    return GoalResult(True, f"{q(name)} resolves for {from_where} ({kind}: {shown}).")


def _refused_behind(analysis: Analysis, name: str, namespace: str) -> str:
    """Why a Service's name is missing when the API server refused the Service (its name,
    or a `_port._proto` SRV name under it): "the API server rejects Service ...", else ""."""
    for full in dns.candidates(name, namespace):
        labels = [label for label in full.split(".") if not label.startswith("_")]
        if len(labels) < 3 or labels[2] != "svc":
            continue
        ref = f"{labels[1]}/{labels[0]}"
        rejected = [e for e in analysis.errors if e.kind == "Service" and e.object == ref]
        if rejected:
            return f"the API server rejects Service {q(labels[0])}: {rejected[0].message}"
    return ""


def split_object(ref: str) -> tuple[str, str, str]:
    """`Kind/name` or `Kind/namespace/name` -> (kind, namespace, name)."""
    parts = ref.split("/")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return parts[0], "default", parts[-1]


def written_objects(analysis: Analysis) -> Iterator[tuple[tuple[str, str, str], Any]]:
    """((kind, namespace, name), data as written) for every object of the text, `List` items
    included."""
    for doc in analysis.parsed.documents:
        data = doc.data
        items = data.get("items") if isinstance(data, dict) and data.get("kind") == "List" else None
        for obj in items if isinstance(items, list) else [data]:
            if not isinstance(obj, dict):
                continue
            meta = obj.get("metadata")
            meta = meta if isinstance(meta, dict) else {}
            kind, name = obj.get("kind"), meta.get("name")
            if isinstance(kind, str) and isinstance(name, str):
                ns = meta.get("namespace")
                yield (kind, ns if isinstance(ns, str) and ns else "default", name), obj


_MISSING = object()


def _at(data: Any, path: FieldPath) -> Any:
    for seg in path:
        if isinstance(data, dict):
            data = data.get(seg, _MISSING)
        elif isinstance(data, list) and isinstance(seg, int) and 0 <= seg < len(data):
            data = data[seg]
        else:
            return _MISSING
    return data


def _same(value: Any, want: Any) -> bool:
    """Equal as written: `3600` and "3600" agree, `true` and "true" do not."""
    if value == want and type(value) is type(want):
        return True
    if isinstance(value, bool) or isinstance(want, bool):
        return False
    return isinstance(value, (str, int, float)) and str(value) == str(want)


def _object_name(kind: str, ns: str, name: str) -> str:
    return f"{kind} {q(name)}" + (f" in namespace {q(ns)}" if ns != "default" else "")


def _field(goal: Goal, analysis: Analysis) -> GoalResult:
    data = goal.data
    kind, ns, name = split_object(str(data["object"]))
    path_text = _norm(str(data["path"]))
    objects = dict(written_objects(analysis))
    obj = objects.get((kind, ns, name))
    who = _object_name(kind, ns, name)
    if obj is None:
        return GoalResult(False, f"There is no {who} in the manifest.")
    try:
        value = _at(obj, parse_path(path_text))
    except ValueError:
        value = _MISSING
    field_name = f"{q(path_text)}"
    if "present" in data:
        if bool(data["present"]) == (value is not _MISSING):
            verb = "sets" if value is not _MISSING else "leaves out"
            return GoalResult(True, f"{who} {verb} {field_name}, as the goal asks.")
        if value is _MISSING:
            return GoalResult(False, f"{who} does not set {field_name}; the goal needs it set.")
        return GoalResult(
            False, f"{who} sets {field_name} to {q(value)}; the goal is to leave it out."
        )
    want = data.get("equals")
    if value is _MISSING:
        return GoalResult(False, f"{who} does not set {field_name}; the goal is {q(want)}.")
    if not _same(value, want):
        return GoalResult(False, f"{who}'s {field_name} is {q(value)}; the goal is {q(want)}.")
    return GoalResult(True, f"{who}'s {field_name} is {q(want)}.")


def _first_difference(old: Any, new: Any, path: FieldPath = ()) -> FieldPath | None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in old or key not in new:
                return (*path, key)
            found = _first_difference(old[key], new[key], (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            found = _first_difference(a, b, (*path, i))
            if found is not None:
                return found
        return None if len(old) == len(new) else (*path, min(len(old), len(new)))
    return None if _same(old, new) else path


def _unchanged(goal: Goal, analysis: Analysis) -> GoalResult:
    kinds = tuple(str(k) for k in goal.data.get("kinds", ()))
    start_text = str(goal.data.get("start", ""))
    what = " and ".join(f"{k}s" for k in kinds)
    if not start_text:
        return GoalResult(False, f"There is no start manifest to compare the {what} with.")
    start = analyze(start_text)
    before = {k: v for k, v in written_objects(start) if k[0] in kinds}
    now = {k: v for k, v in written_objects(analysis) if k[0] in kinds}
    keep = f"the goal keeps the {what} as they were at the start"
    for key, old in before.items():
        if key not in now:
            return GoalResult(False, f"{_object_name(*key)} is gone; {keep}.")
        where = _first_difference(old, now[key])
        if where is not None:
            at = f" at {q(format_path(where))}" if where else ""
            return GoalResult(False, f"{_object_name(*key)} changed{at}; {keep}.")
    for key in now:
        if key not in before:
            return GoalResult(False, f"{_object_name(*key)} was added; {keep}.")
    return GoalResult(True, f"The {what} are as they were at the start.")


def _ran(goal: Goal, commands: Sequence[str]) -> GoalResult:
    """The learner ran a console line that starts with the goal's command, both read in the
    console's normal form (`tutor.model.console_words.ran`: shell words, kubectl's resource
    names as plurals, flags in any order, curl's URL defaults)."""
    want = " ".join(str(goal.data["command"]).split())
    for command in commands:
        if console_words.ran(want, command):
            return GoalResult(True, f"You ran {q(' '.join(command.split()))}.")
    return GoalResult(False, f"Run {q(want)} in the console; it has not been run yet.")


def evaluate(goal: Goal, analysis: Analysis, commands: Sequence[str] = ()) -> GoalResult:
    """Whether `analysis` meets `goal`, and a sentence saying why (or what is missing).
    `commands` are the console commands the learner ran (for `ran` goals)."""
    result = _evaluate(goal, analysis, commands)
    if result.detail.endswith(".."):
        return GoalResult(result.met, result.detail[:-1])
    return result


def _evaluate(goal: Goal, analysis: Analysis, commands: Sequence[str]) -> GoalResult:
    if goal.kind == "all":
        results = [evaluate(g, analysis, commands) for g in goal.data.get("goals", ())]
        failed = [r for r in results if not r.met]
        if failed:
            return failed[0]
        return GoalResult(True, " ".join(r.detail for r in results))
    if goal.kind == "ran":
        return _ran(goal, commands)
    bad = _unreadable(analysis)
    if bad is not None:
        return bad
    if goal.kind == "valid":
        return _valid(analysis)
    if goal.kind == "invalid":
        return _invalid(goal, analysis)
    if goal.kind == "traffic":
        return _traffic(goal, analysis, endpoints=False)
    if goal.kind == "endpoints":
        return _traffic(goal, analysis, endpoints=True)
    if goal.kind == "share":
        return _share(goal, analysis)
    if goal.kind == "dns":
        return _dns(goal, analysis)
    if goal.kind == "field":
        return _field(goal, analysis)
    if goal.kind == "unchanged":
        return _unchanged(goal, analysis)
    return GoalResult(False, f"Unknown goal kind {q(goal.kind)}.")


def evaluate_text(
    goal: Goal,
    text: str,
    commands: Sequence[str] = (),
    network: ClusterNetwork | None = None,
) -> GoalResult:
    """`evaluate` on manifest text (parsed once; a `from_node` in the goal is honoured), on the
    lesson's cluster (`network`: its `cluster.ip_families`; default single-stack IPv4)."""
    return evaluate(goal, goal_analysis(goal, text, network), commands)


def goal_analysis(goal: Goal, text: str, network: ClusterNetwork | None = None) -> Analysis:
    """The analysis `goal` is evaluated on: `text` routed from the goal's `from_node`."""
    return analyze(text, from_node=goal_node(goal), network=network)


def goal_node(goal: Goal) -> str | None:
    """The node a goal's analysis routes from: a `traffic` goal's `from_node`, else none."""
    node = goal.data.get("from_node") if goal.kind == "traffic" else None
    return str(node) if node else None


def parts_of(goal: Goal) -> list[Goal]:
    """`goal` and, for `all`, every goal inside it."""
    if goal.kind == "all":
        return [g for sub in goal.data.get("goals", ()) for g in parts_of(sub)]
    return [goal]


def ran_commands(goal: Goal) -> tuple[str, ...]:
    """The commands `goal`'s `ran` parts ask for (lint takes them as run for a solution; the
    lab re-checks the goal when a console line is run only if there are any)."""
    return tuple(str(g.data["command"]) for g in parts_of(goal) if g.kind == "ran")


def _kind_typos(kinds: Any) -> list[str]:
    """`unchanged: {kinds: [Pods]}`: a kind close to one the API server serves but not one
    (no object has it, so the goal holds whatever the learner does). Other kinds (a CRD's,
    NetworkPolicy) are left alone: the model does not know every kind."""
    known = sorted(set().union(*SERVED_KINDS.values()))
    lowered = {k.lower(): k for k in known}
    out: list[str] = []
    for kind in kinds if isinstance(kinds, list | tuple) else ():
        kind = str(kind)
        if kind in lowered.values():
            continue
        close = lowered.get(kind.lower()) or lowered.get(kind.lower().removesuffix("s"))
        close = close or next(iter(difflib.get_close_matches(kind, known, 1)), None)
        if close is not None:
            out.append(
                f"`unchanged` names the kind `{kind}`, which is not a kind: did you mean `{close}`?"
            )
    return out


def goal_problems(goal: Goal) -> list[str]:
    """What is wrong with a goal beyond the schema: contradictions and paths that are not paths."""
    out: list[str] = []
    data = goal.data
    if goal.kind == "all":
        for sub in data.get("goals", ()):
            out.extend(goal_problems(sub))
        return out
    if goal.kind in ("traffic", "endpoints"):
        pods = set(data.get("pods", ()))
        include = set(data.get("pods_include", ()))
        exclude = set(data.get("pods_exclude", ()))
        if not (
            pods or include or exclude or "count" in data or "pods" in data or "target_port" in data
        ):
            out.append(
                f"the {goal.kind} goal says nothing about Pods: give `pods`, "
                "`pods_include`, `pods_exclude` or `count`"
            )
        if include & exclude:
            out.append(f"{names(include & exclude)} is both included and excluded")
        if "pods" in data and "count" in data and len(pods) != int(data["count"]):
            out.append(f"`pods` names {len(pods)} Pods but `count` is {data['count']}")
    if goal.kind == "invalid":
        try:
            parse_path(str(data["path"]))
        except ValueError as exc:
            out.append(str(exc))
    if goal.kind == "field":
        try:
            parse_path(str(data["path"]))
        except ValueError as exc:
            out.append(str(exc))
        if ("equals" in data) == ("present" in data):
            out.append("a field goal gives `equals` (the value as written) or `present`, not both")
    if goal.kind == "unchanged":
        out.extend(_kind_typos(data.get("kinds", ())))
    if goal.kind == "ran":
        why = console_words.problem(str(data["command"]))
        if why is not None:
            out.append(f"the console would not run `{data['command']}`: {why}")
    if goal.kind == "share" and float(data.get("min", 0.0)) > float(data.get("max", 1.0)):
        out.append(f"`min` ({data.get('min')}) is above `max` ({data.get('max')})")
    return out
