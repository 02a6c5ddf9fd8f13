"""Titles from the session's own model after its first reply (opt-in)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_text
from tui.engine import Engine
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.http import RetryPolicy
from tui.engine.turns.runtime import RunSettings, RuntimeEvent, SessionRenamed, SessionRuntime
from tui.engine.turns.titles import clean_title


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as srv:
        yield srv


def _engine(engine: Engine, server: FakeServer) -> Engine:
    return Engine(
        engine.store,
        providers=lambda name: AnthropicProvider(
            "sk-test", base_url=server.url, retry=RetryPolicy(attempts=1)
        ),
    )


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Fixing the parser timeout", "Fixing the parser timeout"),
        ('"Retry logic in one place."\n', "Retry logic in one place"),
        ("Title: **Café opening hours**", "Café opening hours"),
        ("\n\n  ...  \n", None),
        ("x" * 80, None),
    ],
)
def test_clean_title(raw: str, title: str | None) -> None:
    assert clean_title(raw) == title


async def test_first_reply_brings_a_model_title(engine: Engine, server: FakeServer) -> None:
    server.script(
        Reply(chunks=anthropic_text(["Move the retry ", "into one helper."])),
        Reply(chunks=anthropic_text(["Retry logic ", "in one place"])),
        Reply(chunks=anthropic_text(["Sure."])),
    )
    eng = _engine(engine, server)
    sid = eng.new_session(provider="anthropic").id
    seen: list[RuntimeEvent] = []

    async def listen(event: RuntimeEvent) -> None:
        seen.append(event)

    runtime = SessionRuntime(eng, sid, RunSettings(model_titles=True), listener=listen)
    await runtime.send("why does the parser retry twice when it times out?")
    assert eng.session(sid).title == "Retry logic in one place"
    assert SessionRenamed(sid, "Retry logic in one place") in seen
    asked = server.seen[1].body
    assert asked["max_tokens"] == 24 and "title" in asked["system"]
    assert "parser retry twice" in asked["messages"][0]["content"][0]["text"]
    assert len(eng.transcript(sid)) == 2  # the question is not part of the session
    await runtime.send("thanks")  # later replies do not retitle
    assert len(server.seen) == 3 and eng.session(sid).title == "Retry logic in one place"


async def test_no_model_title_when_off_renamed_or_offline(
    engine: Engine, server: FakeServer
) -> None:
    server.script(Reply(chunks=anthropic_text(["Answer."])))
    eng = _engine(engine, server)
    off = eng.new_session(provider="anthropic").id
    await SessionRuntime(eng, off).send("a question about caching")
    assert eng.session(off).title == "a question about caching" and len(server.seen) == 1

    named = eng.new_session(provider="anthropic").id
    runtime = SessionRuntime(eng, named, RunSettings(model_titles=True))
    runtime.submit("another question")
    eng.rename(named, "My own name")
    await runtime.run()
    assert eng.session(named).title == "My own name" and len(server.seen) == 2

    offline = engine.new_session(provider="echo").id  # echo does not name sessions
    await SessionRuntime(engine, offline, RunSettings(model_titles=True)).send("hello there")
    assert engine.session(offline).title == "hello there"


async def test_a_failing_title_request_keeps_the_prompt_title(
    engine: Engine, server: FakeServer
) -> None:
    server.script(
        Reply(chunks=anthropic_text(["Answer."])),
        Reply(500, [b'{"error": {"message": "overloaded"}}']),
    )
    eng = _engine(engine, server)
    sid = eng.new_session(provider="anthropic").id
    result = await SessionRuntime(eng, sid, RunSettings(model_titles=True)).send("keep my title")
    assert result.outcome == "success" and eng.session(sid).title == "keep my title"
