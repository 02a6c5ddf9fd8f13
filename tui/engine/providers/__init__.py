"""Model providers behind one protocol; `get_provider` builds one by name."""

from __future__ import annotations

from tui.engine.providers.base import Provider, ProviderError, ProviderRequest
from tui.engine.providers.echo import EchoProvider
from tui.engine.providers.registry import build, configured, default_provider_name

__all__ = [
    "EchoProvider",
    "Provider",
    "ProviderError",
    "ProviderRequest",
    "configured",
    "default_provider_name",
    "get_provider",
]


def get_provider(name: str) -> Provider:
    """The provider called `name`, from the settings file and the environment."""
    return build(name)
