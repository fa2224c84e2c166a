"""The pure core: Kubernetes Services, Pods, EndpointSlices, kube-proxy and DNS, with no UI.

Nothing here imports textual or rich (a test enforces it), so the CLI, the app, the lessons and
the tests all drive the same rules.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import Analysis, PortRoute, ServiceRoute, analyze
    from .errors import FieldError
    from .manifests import Parsed, parse

_HOME = {
    "Analysis": "analysis",
    "PortRoute": "analysis",
    "ServiceRoute": "analysis",
    "analyze": "analysis",
    "FieldError": "errors",
    "Parsed": "manifests",
    "parse": "manifests",
}


def __getattr__(name: str) -> Any:
    """Import the core on first use: `tutor.model.limits` alone (the lesson list's check of its
    cache) should not pay for the whole routing model."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = ["Analysis", "FieldError", "Parsed", "PortRoute", "ServiceRoute", "analyze", "parse"]
