"""Which providers are configured (settings + environment) and building them by name."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from tui.engine.config.settings import ProviderSettings, Settings, load_settings
from tui.engine.providers.base import (
    AGENT_CLI,
    CODEX_CLI,
    HTTP_API,
    OFFLINE,
    Capabilities,
    Provider,
    ProviderError,
)
from tui.engine.providers.defaults import ANTHROPIC_MODEL, CLAUDE_CODE_MODEL, OPENAI_MODEL
from tui.engine.providers.echo import EchoProvider

# The HTTP and subprocess providers (httpx and friends) load when one is built, not
# when forktree starts: most start-ups only list providers.

PREFERENCE = ("anthropic", "openai", "ollama")


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """A configured provider; `key_source` names the variable its key comes from."""

    name: str
    kind: str
    base_url: str | None
    model: str
    key_source: str | None
    has_key: bool


def _ollama_url(host: str) -> str:
    host = host.strip().rstrip("/")
    if "://" not in host:
        host = f"http://{host}"
    return host if host.endswith("/v1") else f"{host}/v1"


def configured(
    settings: Settings | None = None, env: Mapping[str, str] | None = None
) -> dict[str, ProviderInfo]:
    """Every usable provider, echo always last."""
    settings = settings or load_settings()[0]
    env = os.environ if env is None else env
    found: dict[str, ProviderInfo] = {}
    if env.get("ANTHROPIC_API_KEY"):
        found["anthropic"] = ProviderInfo(
            "anthropic",
            "anthropic",
            env.get("ANTHROPIC_BASE_URL"),
            ANTHROPIC_MODEL,
            "ANTHROPIC_API_KEY",
            True,
        )
    if env.get("OPENAI_API_KEY") or env.get("OPENAI_BASE_URL"):
        found["openai"] = ProviderInfo(
            "openai",
            "openai",
            env.get("OPENAI_BASE_URL"),
            OPENAI_MODEL,
            "OPENAI_API_KEY",
            bool(env.get("OPENAI_API_KEY")),
        )
    if env.get("OLLAMA_HOST"):
        found["ollama"] = ProviderInfo(
            "ollama", "openai", _ollama_url(env["OLLAMA_HOST"]), "llama3.2", None, False
        )
    for name, ps in settings.providers.items():
        found[name] = _merge(found.get(name), ps, env)
    claude = shutil.which(env.get("FORKTREE_CLAUDE_BIN", "claude"))
    if claude:
        found["claude_code"] = ProviderInfo(
            "claude_code", "claude_code", None, CLAUDE_CODE_MODEL, None, False
        )
    if shutil.which(env.get("FORKTREE_CODEX_BIN", "codex")):
        found["codex"] = ProviderInfo("codex", "codex", None, "gpt-5-codex", None, False)
    if shutil.which(env.get("FORKTREE_OPENCODE_BIN", "opencode")):
        found["opencode"] = ProviderInfo(
            "opencode", "opencode", None, "opencode-default", None, False
        )
    found["echo"] = ProviderInfo("echo", "echo", None, EchoProvider.default_model, None, False)
    return found


def _merge(base: ProviderInfo | None, ps: ProviderSettings, env: Mapping[str, str]) -> ProviderInfo:
    default_env = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}.get(ps.kind)
    key_env = (
        ps.api_key_env
        or (base.key_source if base else None)
        or (default_env if ps.name == ps.kind else None)
    )
    default_model = {"anthropic": ANTHROPIC_MODEL, "openai": OPENAI_MODEL}.get(
        ps.kind, EchoProvider.default_model
    )
    return ProviderInfo(
        name=ps.name,
        kind=ps.kind,
        base_url=ps.base_url or (base.base_url if base else None),
        model=ps.model or (base.model if base else default_model),
        key_source=key_env,
        has_key=bool(key_env and env.get(key_env)),
    )


def default_provider_name(
    settings: Settings | None = None, env: Mapping[str, str] | None = None
) -> str:
    settings = settings or load_settings()[0]
    available = configured(settings, env)
    if settings.default_provider in available:
        return settings.default_provider
    return next((n for n in PREFERENCE if n in available), "echo")


def capabilities(name: str, settings: Settings | None = None) -> Capabilities:
    """What the provider called `name` can do, without building it (no key needed)."""
    if name == "claude_code":
        return AGENT_CLI
    if name == "codex":
        return CODEX_CLI
    if name == "opencode":
        from tui.engine.providers.opencode import OPENCODE_CLI

        return OPENCODE_CLI
    if name == "echo":
        return OFFLINE
    info = configured(settings).get(name)
    return OFFLINE if info is not None and info.kind == "echo" else HTTP_API


def build(
    name: str, settings: Settings | None = None, env: Mapping[str, str] | None = None
) -> Provider:
    """The provider called `name`, with its key read from the environment now."""
    env = os.environ if env is None else env
    if name == "claude_code":  # always buildable: a missing binary is reported when used
        from tui.engine.providers.claude_code import ClaudeCodeProvider

        return ClaudeCodeProvider(env.get("FORKTREE_CLAUDE_BIN"))
    if name == "codex":
        from tui.engine.providers.codex import CodexProvider

        return CodexProvider(env.get("FORKTREE_CODEX_BIN"))
    if name == "opencode":
        from tui.engine.providers.opencode import OpenCodeProvider

        return OpenCodeProvider(env.get("FORKTREE_OPENCODE_BIN"))
    available = configured(settings, env)
    info = available.get(name)
    if info is None:
        raise ProviderError(
            f"provider {name!r} is not configured; available: "
            f"{', '.join(available)} (see `forktree providers`)"
        )
    if info.kind == "echo":
        try:
            delay = float(env.get("FORKTREE_ECHO_DELAY", "0.02"))
        except ValueError:
            delay = 0.02
        return EchoProvider(delay=max(0.0, delay))
    key = env.get(info.key_source) if info.key_source else None
    from tui.engine.providers.anthropic import AnthropicProvider
    from tui.engine.providers.openai import OpenAIProvider

    if info.kind == "anthropic":
        if not key:
            raise ProviderError(f"{name}: no API key; set {info.key_source or 'a key'}")
        return AnthropicProvider(
            key,
            base_url=info.base_url or "https://api.anthropic.com",
            default_model=info.model,
            key_source=info.key_source,
        )
    return OpenAIProvider(
        key,
        base_url=info.base_url or "https://api.openai.com/v1",
        default_model=info.model,
        name=name,
        key_source=info.key_source,
    )


def reachable(base_url: str | None, timeout: float = 0.3) -> bool:
    """A quick TCP connect to the server behind `base_url` (no request is sent)."""
    if not base_url:
        return False
    parsed = urlparse(base_url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False
