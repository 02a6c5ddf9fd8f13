"""Model providers behind one protocol; `get_provider` builds one by name."""

from __future__ import annotations

import os

from .base import Provider, ProviderError, ProviderRequest
from .echo import EchoProvider

__all__ = ["EchoProvider", "Provider", "ProviderError", "ProviderRequest", "get_provider"]


def get_provider(name: str) -> Provider:
    """The provider called `name`; the echo delay comes from FORKTREE_ECHO_DELAY (seconds)."""
    if name == "echo":
        try:
            delay = float(os.environ.get("FORKTREE_ECHO_DELAY", "0.02"))
        except ValueError:
            delay = 0.02
        return EchoProvider(delay=max(0.0, delay))
    raise ProviderError(f"unknown provider {name!r}; available: echo")
