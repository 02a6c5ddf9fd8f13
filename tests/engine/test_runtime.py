"""The session runtime: every state transition, queue order, abort, budget and turn limits."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_text
from tui.engine import Engine, MessageStatus, Role
from tui.engine.providers import EchoProvider, ProviderError
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.http import RetryPolicy
from tui.engine.sessions.events import ReplyUpdated, TextDelta
from tui.engine.turns.runtime import (
    RunSettings,
    RunState,
    SessionRuntime,
    StateChanged,
    StateError,
    TurnResult,
)


class Recorder:
    def __init__(self) -> None:
        self.events: list[object] = []

    async def __call__(self, event: object) -> None:
        self.events.append(event)

    def states(self) -> list[str]:
        return [e.new.value for e in self.events if isinstance(e, StateChanged)]


def _engine(home: Path, delay: float = 0.0) -> Engine:
    return Engine.open(home, providers=lambda name: EchoProvider(delay=delay))


async def test_states_of_a_normal_run(isolated_env: Path) -> None:
    engine = _engine(isolated_env)
    sid = engine.new_session().id
    rec = Recorder()
    runtime = SessionRuntime(engine, sid, listener=rec)
    result = await runtime.send("hello")
    assert rec.states() == ["initializing", "ready", "processing", "completed", "ready"]
    assert result.outcome == "success" and "hello" in result.text
    assert result.turns == 1 and result.output_tokens and result.duration_s >= 0
    assert isinstance(rec.events[-2], TurnResult)


async def test_queue_is_sent_in_order(isolated_env: Path) -> None:
    engine = _engine(isolated_env)
    sid = engine.new_session().id
    rec = Recorder()
    runtime = SessionRuntime(engine, sid, listener=rec)
    for text in ("one", "two", "three"):
        runtime.submit(text)
    results = await runtime.run()
    assert [r.outcome for r in results] == ["success"] * 3
    users = [m.text for m in engine.transcript(sid) if m.role is Role.USER]
    assert users == ["one", "two", "three"]
    assert rec.states()[2:] == ["processing", "completed"] * 3 + ["ready"]


async def test_abort_keeps_partial_and_drops_queue(isolated_env: Path) -> None:
    engine = _engine(isolated_env, delay=0.005)
    sid = engine.new_session().id
    words = 0
    runtime: SessionRuntime

    async def listener(event: object) -> None:
        nonlocal words
        if isinstance(event, ReplyUpdated) and isinstance(event.event, TextDelta):
            words += 1
            if words == 3:
                runtime.abort()

    runtime = SessionRuntime(engine, sid, listener=listener)
    runtime.submit("first")
    runtime.submit("never sent")
    results = await runtime.run()
    assert [r.outcome for r in results] == ["interrupted"]
    reply = engine.transcript(sid)[-1]
    assert reply.status is MessageStatus.INTERRUPTED and reply.text
    assert [m.text for m in engine.transcript(sid) if m.role is Role.USER] == ["first"]
    assert runtime.state is RunState.READY and not runtime.queue


async def test_max_turns_bounds_each_prompt_not_the_session(isolated_env: Path) -> None:
    # max turns bounds one prompt's model requests (its agent loop: see
    # test_send_scripted for a tool loop it stops); a session's later prompts start afresh
    engine = _engine(isolated_env)
    sid = engine.new_session().id
    runtime = SessionRuntime(engine, sid, RunSettings(max_turns=1))
    assert (await runtime.send("one")).outcome == "success"
    second = await runtime.send("two")
    assert second.outcome == "success" and second.turns == 1
    assert len(engine.transcript(sid)) == 4


async def test_budget_stops_before_overspending(isolated_env: Path) -> None:
    engine = _engine(isolated_env)
    session = engine.new_session(provider="anthropic", model="claude-opus-4-1")
    # the price table says opus: $15/M in, $75/M out; 4096 max tokens out ≈ $0.31
    runtime = SessionRuntime(engine, session.id, RunSettings(max_budget_usd=0.10))
    result = await runtime.send("hello")
    assert result.outcome == "error" and "past the budget" in (result.error or "")
    assert engine.transcript(session.id) == []
    cheap = SessionRuntime(engine, session.id, RunSettings(max_budget_usd=1.0, max_tokens=100))
    assert (await cheap.send("hello")).outcome == "success"


async def test_unknown_provider_fails_initializing(isolated_env: Path) -> None:
    engine = Engine.open(isolated_env)
    sid = engine.new_session(provider="echo").id
    engine.store.put_session(engine.session(sid).with_changes(provider="nope"))
    rec = Recorder()
    runtime = SessionRuntime(engine, sid, listener=rec)
    runtime.submit("hi")
    with pytest.raises(ProviderError):
        await runtime.run()
    assert rec.states() == ["initializing", "error"]


async def test_illegal_transition_is_refused(isolated_env: Path) -> None:
    runtime = SessionRuntime(_engine(isolated_env), _engine(isolated_env).new_session().id)
    with pytest.raises(StateError):
        await runtime._set(RunState.COMPLETED)


async def test_broken_stream_keeps_partial_as_interrupted(isolated_env: Path) -> None:
    with FakeServer() as server:
        server.script(Reply(chunks=anthropic_text(["partial ", "answer ", "lost"]), drop_after=5))
        engine = Engine.open(
            isolated_env,
            providers=lambda name: AnthropicProvider(
                "k", base_url=server.url, retry=RetryPolicy(attempts=1)
            ),
        )
        sid = engine.new_session(provider="anthropic", model="claude-sonnet-4-5").id
        result = await SessionRuntime(engine, sid).send("go")
    assert result.outcome == "interrupted" and "broke" in (result.error or "")
    reply = engine.transcript(sid)[-1]
    assert reply.status is MessageStatus.INTERRUPTED and reply.text == "partial answer "


async def test_cost_comes_from_the_price_table(isolated_env: Path) -> None:
    with FakeServer() as server:
        server.script(Reply(chunks=anthropic_text(["hi"], input_tokens=1000, output_tokens=1000)))
        engine = Engine.open(
            isolated_env, providers=lambda name: AnthropicProvider("k", base_url=server.url)
        )
        sid = engine.new_session(provider="anthropic", model="claude-sonnet-4-5").id
        result = await SessionRuntime(engine, sid).send("go")
    assert result.cost_usd == pytest.approx(0.018)  # 1000 * $3/M + 1000 * $15/M
    assert engine.session(sid).totals.cost_usd == pytest.approx(0.018)


async def test_two_runtimes_stream_at_once(isolated_env: Path) -> None:
    engine = _engine(isolated_env, delay=0.001)
    a, b = engine.new_session().id, engine.new_session().id
    ra, rb = SessionRuntime(engine, a), SessionRuntime(engine, b)
    res_a, res_b = await asyncio.gather(ra.send("to a"), rb.send("to b"))
    assert res_a.outcome == res_b.outcome == "success"
    assert "to a" in res_a.text and "to b" in res_b.text
