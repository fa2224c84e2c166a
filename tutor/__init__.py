"""ktutor: an interactive terminal tutor for Kubernetes Services."""

__version__ = "0.1.0"
