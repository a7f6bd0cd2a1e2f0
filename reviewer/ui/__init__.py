"""The reviewer workspace (Gradio). Importing this package first switches off Gradio's analytics
and any hub access, so nothing leaves the machine: it must run before gradio is imported."""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")


def serve(host: str | None = None, port: int | None = None) -> None:
    """Start the workspace (`reviewer serve`); gradio is imported only here, it takes seconds."""
    from .app import serve as _serve

    _serve(host=host, port=port)
