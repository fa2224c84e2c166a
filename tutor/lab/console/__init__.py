"""The lab console's engine: kubectl, nslookup, dig, curl and env against the simulated cluster.

Pure (no Textual): `Console.run(line, analysis) -> Output`. The app's console pane and
`ktutor sim` both use it; mutating commands go through the learner's ClusterChanges.
"""

from .output import AppendManifest, Changed, Clear, Effect, OpenEditor, Output
from .session import DEFAULT_CLIENT, ClientPod, Console

__all__ = [
    "DEFAULT_CLIENT",
    "AppendManifest",
    "Changed",
    "Clear",
    "ClientPod",
    "Console",
    "Effect",
    "OpenEditor",
    "Output",
]
