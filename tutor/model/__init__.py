"""The pure core: Kubernetes Services, Pods, EndpointSlices, kube-proxy and DNS, with no UI.

Nothing here imports textual or rich (a test enforces it), so the CLI, the app, the lessons and
the tests all drive the same rules.
"""

from .analysis import Analysis, PortRoute, ServiceRoute, analyze
from .errors import FieldError
from .manifests import Parsed, parse

__all__ = ["Analysis", "FieldError", "Parsed", "PortRoute", "ServiceRoute", "analyze", "parse"]
