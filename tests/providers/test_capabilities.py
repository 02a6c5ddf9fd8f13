"""Providers say what they can do; the engine asks instead of checking names."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tui.engine import Engine
from tui.engine.providers import ProviderRequest
from tui.engine.providers.base import AGENT_CLI, HTTP_API, OFFLINE, Capabilities
from tui.engine.providers.registry import capabilities
from tui.engine.sessions.events import Done, ProviderEvent, TextDelta
from tui.engine.sessions.model import Origin
from tui.engine.tools.base import ToolSpec


@dataclass
class Recorder:
    capabilities: Capabilities
    name: str = "recorder"
    default_model: str = "rec-1"
    requests: list[ProviderRequest] = field(default_factory=list)

    async def stream(self, request: ProviderRequest) -> AsyncIterator[ProviderEvent]:
        self.requests.append(request)
        yield TextDelta("ok")
        yield Done()


SPEC = ToolSpec("read_file", "Read a file", {"type": "object", "properties": {}})


def test_capabilities_by_name_need_no_key(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert capabilities("claude_code") is AGENT_CLI
    assert capabilities("echo") is OFFLINE
    assert capabilities("openai") is HTTP_API


async def test_tools_are_offered_only_to_providers_that_take_them(isolated_env: Path) -> None:
    for caps, offered in ((Capabilities(tools=False), ()), (Capabilities(tools=True), (SPEC,))):
        provider = Recorder(caps)
        engine = Engine.open(isolated_env, providers=lambda name, p=provider: p)
        sid = engine.new_session(provider="echo").id
        async for _ in engine.stream(sid, "hi", tools=(SPEC,)):
            pass
        assert provider.requests[-1].tools == offered
        engine.close()


async def test_a_native_session_is_resumed_by_its_own_id(isolated_env: Path) -> None:
    provider = Recorder(Capabilities(native_sessions=True, priced=False))
    engine = Engine.open(isolated_env, providers=lambda name: provider)
    origin = Origin(kind="native", source_id="agent-session-1")
    sid = engine.new_session(provider="echo", origin=origin).id
    async for _ in engine.stream(sid, "go on"):
        pass
    assert provider.requests[-1].resume_id == "agent-session-1"
    plain = Recorder(Capabilities())
    engine.streamer.providers = lambda name: plain
    async for _ in engine.stream(sid, "again"):
        pass
    assert plain.requests[-1].resume_id is None
    engine.close()
