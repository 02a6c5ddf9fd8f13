"""The models a provider's server says it has: `GET /v1/models` on Anthropic and on
OpenAI-compatible servers (OpenAI, Ollama, vLLM, llama.cpp, LM Studio all serve it).

Used by the model picker; a server that is down or says nothing gives an empty list and
a one-line reason, never an exception."""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

from tui.engine.providers.anthropic import API_VERSION
from tui.engine.providers.http import tls_context
from tui.engine.providers.registry import ProviderInfo

OPENAI_URL = "https://api.openai.com/v1"
ANTHROPIC_URL = "https://api.anthropic.com"
MAX_MODELS = 500


def models_url(info: ProviderInfo) -> str | None:
    if info.kind == "openai":
        return f"{(info.base_url or OPENAI_URL).rstrip('/')}/models"
    if info.kind == "anthropic":
        base = (info.base_url or ANTHROPIC_URL).rstrip("/")
        return f"{base.removesuffix('/v1')}/v1/models?limit=1000"
    return None  # echo, claude_code: nothing to ask


async def server_models(
    info: ProviderInfo, env: Mapping[str, str] | None = None, timeout: float = 3.0
) -> tuple[list[str], str | None]:
    """(model ids the server lists, sorted; None) or ([], why not)."""
    url = models_url(info)
    if url is None:
        return [], None
    env = os.environ if env is None else env
    key = env.get(info.key_source) if info.key_source else None
    headers = {"accept": "application/json"}
    if info.kind == "anthropic":
        headers |= {"x-api-key": key or "", "anthropic-version": API_VERSION}
    elif key:
        headers["authorization"] = f"Bearer {key}"
    try:
        async with httpx.AsyncClient(timeout=timeout, verify=tls_context()) as client:
            response = await client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        return [], f"{info.name}: could not list models ({type(exc).__name__})"
    if response.status_code != 200:
        return [], f"{info.name}: listing models answered HTTP {response.status_code}"
    try:
        data = response.json().get("data")
        ids = [str(m["id"]) for m in data if isinstance(m, dict) and m.get("id")]
    except (ValueError, AttributeError, TypeError):
        return [], f"{info.name}: the model list was not the JSON expected"
    return sorted(set(ids))[:MAX_MODELS], None
