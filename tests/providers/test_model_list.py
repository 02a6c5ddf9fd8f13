"""The servers' model lists: parsed when given, a one-line reason when not."""

from __future__ import annotations

import json

from tests.fakes.server import FakeServer, Reply
from tui.engine.providers.model_list import server_models
from tui.engine.providers.registry import ProviderInfo


def _info(url: str, kind: str = "openai") -> ProviderInfo:
    return ProviderInfo("local", kind, url, "m", "LOCAL_KEY", True)


async def test_lists_sends_the_key_and_says_why_not() -> None:
    with FakeServer() as server:
        body = json.dumps({"data": [{"id": "b"}, {"id": "a"}, {"id": "a"}, {"x": 1}]})
        server.script(Reply(chunks=[body.encode()]), Reply(401, [b"{}"]), Reply(chunks=[b"<"]))
        env = {"LOCAL_KEY": "sk-local"}
        assert await server_models(_info(f"{server.url}/v1"), env) == (["a", "b"], None)
        assert server.seen[0].headers["authorization"] == "Bearer sk-local"
        assert await server_models(_info(f"{server.url}/v1"), env) == (
            [],
            "local: listing models answered HTTP 401",
        )
        models, why = await server_models(_info(f"{server.url}/v1"), env)
        assert models == [] and why == "local: the model list was not the JSON expected"
    models, why = await server_models(_info("http://127.0.0.1:9/v1"), {}, timeout=1)
    assert models == [] and why and why.startswith("local: could not list models")


async def test_anthropic_asks_its_own_endpoint() -> None:
    with FakeServer() as server:
        server.script(Reply(chunks=[b'{"data": [{"id": "claude-x"}]}']))
        models, _ = await server_models(_info(server.url, "anthropic"), {"LOCAL_KEY": "k"})
        assert models == ["claude-x"] and server.seen[0].path == "/v1/models?limit=1000"
        assert server.seen[0].headers["x-api-key"] == "k"
