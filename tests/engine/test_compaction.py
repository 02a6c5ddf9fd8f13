"""Compaction: what the model sees afterwards, the history kept, the runtime's state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tui.engine import Engine, Role
from tui.engine.providers import ProviderRequest
from tui.engine.providers.base import Capabilities
from tui.engine.sessions.events import Done, ProviderEvent, TextDelta
from tui.engine.turns import compaction as compaction_mod
from tui.engine.turns.compaction import compact, needs_compaction
from tui.engine.turns.runtime import RunSettings, SessionRuntime, StateChanged


class Recording:
    """A provider that remembers every request and answers with a fixed text."""

    name = "recording"
    default_model = "rec-1"
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.requests: list[ProviderRequest] = []

    async def stream(self, request: ProviderRequest) -> AsyncIterator[ProviderEvent]:
        self.requests.append(request)
        yield TextDelta("- the goal is X\n- we chose Y")
        yield Done()


def _chat(engine: Engine, turns: int) -> str:
    sid = engine.new_session(title="long").id
    for i in range(turns):
        engine.append(sid, "user", f"question {i}")
        engine.append(sid, "assistant", f"answer {i}")
    return sid


async def test_model_sees_summary_onward_and_history_stays(isolated_env: Path) -> None:
    provider = Recording()
    engine = Engine.open(isolated_env, providers=lambda name: provider)
    sid = _chat(engine, 3)
    summary = await compact(engine, sid)
    assert summary.compact and summary.role is Role.SYSTEM
    assert "the goal is X" in summary.text and "6 messages above" in summary.text
    ask = provider.requests[0].messages
    assert len(ask) == 7 and "Summarise the conversation" in ask[-1].text
    await engine.send(sid, "next question")
    sent = provider.requests[-1].messages
    assert [m.text for m in sent[1:]] == ["next question"]
    assert sent[0].id == summary.id
    history = [m.text for m in engine.transcript(sid)]
    assert history[:6] == [f"{w} {i}" for i in range(3) for w in ("question", "answer")]
    assert engine.session(sid).status.value == "idle"


async def test_runtime_compacts_when_the_context_is_nearly_full(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = Recording()
    engine = Engine.open(isolated_env, providers=lambda name: provider)
    sid = _chat(engine, 4)
    assert not needs_compaction(engine, sid)
    monkeypatch.setattr(compaction_mod, "DEFAULT_WINDOW", 20)
    assert needs_compaction(engine, sid)
    states: list[str] = []

    async def listener(event: object) -> None:
        if isinstance(event, StateChanged):
            states.append(event.new.value)

    result = await SessionRuntime(engine, sid, listener=listener).send("go on")
    assert result.outcome == "success"
    assert states[:5] == ["initializing", "ready", "processing", "compacting", "processing"]
    assert any(m.compact for m in engine.transcript(sid))
    off = SessionRuntime(engine, sid, RunSettings(auto_compact=False))
    before = sum(m.compact for m in engine.transcript(sid))
    await off.send("no compaction please")
    assert sum(m.compact for m in engine.transcript(sid)) == before


async def test_nothing_to_compact(engine: Engine) -> None:
    sid = engine.new_session().id
    with pytest.raises(Exception, match="nothing to compact"):
        await compact(engine, sid)
