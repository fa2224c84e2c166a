"""`env` in the client Pod: the variables the kubelet sets for Services
(K · pkg/kubelet/envvars/envvars.go · `FromServices`, `makeLinkVariables`; the kubelet passes
the Services of the Pod's namespace plus `kubernetes` from `default`, as they were when the
container started, K · pkg/kubelet/kubelet_pods.go · `getServiceEnvVarMap`)."""

from __future__ import annotations

from tutor.model.objects import Service


def _var(name: str) -> str:
    return name.upper().replace("-", "_")


def service_env(services: list[Service]) -> list[tuple[str, str]]:
    """`FromServices`: HOST and PORT for each Service with a ClusterIP, a PORT_<NAME> per named
    port, then the Docker-link variables; headless and ExternalName Services get none."""
    out: list[tuple[str, str]] = []
    for svc in services:
        if svc.cluster_ip in ("", "None") or not svc.ports:
            continue
        base = _var(svc.name)
        out.append((f"{base}_SERVICE_HOST", svc.cluster_ip))
        out.append((f"{base}_SERVICE_PORT", str(svc.ports[0].port)))
        for p in svc.ports:
            if p.name:
                out.append((f"{base}_SERVICE_PORT_{_var(p.name)}", str(p.port)))
        first = svc.ports[0]
        out.append((f"{base}_PORT", f"{first.protocol.lower()}://{svc.cluster_ip}:{first.port}"))
        for p in svc.ports:
            prefix = f"{base}_PORT_{p.port}_{p.protocol.upper()}"
            out.append((prefix, f"{p.protocol.lower()}://{svc.cluster_ip}:{p.port}"))
            out.append((f"{prefix}_PROTO", p.protocol.lower()))
            out.append((f"{prefix}_PORT", str(p.port)))
            out.append((f"{prefix}_ADDR", svc.cluster_ip))
    return out


def environment(hostname: str, services: list[Service]) -> list[str]:
    """Every `NAME=value` line `env` prints in a busybox container."""
    base = [
        ("HOSTNAME", hostname),
        ("SHLVL", "1"),
        ("HOME", "/root"),
        ("TERM", "xterm"),
        ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        ("PWD", "/"),
    ]
    svc_vars = service_env(services)
    return [f"{k}={v}" for k, v in svc_vars + base]
