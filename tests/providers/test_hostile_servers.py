"""Slow and hostile servers, for both HTTP providers: keep-alives with no data, a silent
stall, a huge retry-after, and type-confused chunks. Each ends in one clear Failed event
(never a traceback, never minutes of silence); retries are announced before they wait."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_text, openai_text
from tests.providers.conftest import SleepRecorder
from tui.engine.providers import ProviderRequest
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.http import HTTPProvider, RetryPolicy
from tui.engine.providers.openai import OpenAIProvider
from tui.engine.sessions.events import Failed, ProviderEvent, Retrying
from tui.engine.sessions.model import Message, Role, TextPart

Make = Callable[[FakeServer, RetryPolicy], HTTPProvider]
PROVIDERS: dict[str, Make] = {
    "anthropic": lambda srv, policy: AnthropicProvider("sk-ant-k", base_url=srv.url, retry=policy),
    "openai": lambda srv, policy: OpenAIProvider("sk-k", base_url=f"{srv.url}/v1", retry=policy),
}
TEXT = {"anthropic": anthropic_text, "openai": openai_text}
REQUEST = ProviderRequest((Message("m1", None, Role.USER, (TextPart("hi"),), 0.0),))


async def _events(provider: HTTPProvider) -> list[ProviderEvent]:
    return [event async for event in provider.stream(REQUEST)]


def _data(obj: object) -> bytes:
    return f"data: {json.dumps(obj)}\n\n".encode()


@pytest.mark.parametrize("kind", list(PROVIDERS))
async def test_keep_alives_do_not_hold_off_the_idle_deadline(
    server: FakeServer, sleeps: SleepRecorder, kind: str
) -> None:
    server.script(Reply(chunks=[b": keep-alive\n\n"] * 40, gap=0.05))
    provider = PROVIDERS[kind](server, RetryPolicy(sleep=sleeps, idle_timeout=0.5))
    started = time.monotonic()
    events = await _events(provider)
    assert time.monotonic() - started < 1.8  # not the 2 s of keep-alives, nor 120 s
    assert isinstance(events[-1], Failed) and "no data for" in events[-1].error


@pytest.mark.parametrize("kind", list(PROVIDERS))
async def test_a_silent_stall_fails_at_the_idle_deadline(
    server: FakeServer, sleeps: SleepRecorder, kind: str
) -> None:
    server.script(Reply(stall=3.0, chunks=TEXT[kind](["late"])))
    provider = PROVIDERS[kind](server, RetryPolicy(sleep=sleeps, idle_timeout=0.4))
    started = time.monotonic()
    events = await _events(provider)
    assert time.monotonic() - started < 2.0
    assert isinstance(events[-1], Failed) and "stalled" in events[-1].error
    assert not sleeps.waits  # a stalled server is not asked again and again


@pytest.mark.parametrize("kind", list(PROVIDERS))
async def test_a_huge_retry_after_is_a_clear_error_not_minutes_of_silence(
    server: FakeServer, sleeps: SleepRecorder, kind: str
) -> None:
    server.script(Reply(429, [b'{"error":{"message":"slow down"}}'], {"retry-after": "1000"}))
    events = await _events(PROVIDERS[kind](server, RetryPolicy(sleep=sleeps)))
    assert not sleeps.waits
    assert isinstance(events[-1], Failed) and "asks to wait 1000s" in events[-1].error


@pytest.mark.parametrize("kind", list(PROVIDERS))
async def test_a_retry_is_announced_with_its_wait(
    server: FakeServer, sleeps: SleepRecorder, kind: str
) -> None:
    server.script(
        Reply(429, [b'{"error":{"message":"rate"}}'], {"retry-after": "3"}),
        Reply(chunks=TEXT[kind](["ok"])),
    )
    events = await _events(PROVIDERS[kind](server, RetryPolicy(sleep=sleeps)))
    retry = next(e for e in events if isinstance(e, Retrying))
    assert retry.delay_s == 3.0 and retry.attempt == 2 and "rate" in retry.reason
    assert sleeps.waits == [3.0] and not isinstance(events[-1], Failed)


CONFUSED = {
    "openai": [
        {"choices": 5},
        {"choices": [{"delta": "x"}]},
        {"choices": [{"delta": {"content": "a"}}], "usage": "lots"},
        {"choices": [{"delta": {"tool_calls": [{"index": "zero", "function": 3}]}}]},
        {"error": "plain"},
        [1, 2, 3],
        {"choices": [{"delta": {"tool_calls": "many"}}]},
    ],
    "anthropic": [
        {"type": "content_block_delta", "index": "one", "delta": "x"},
        {"type": "content_block_start", "index": 0, "content_block": "text"},
        {"type": "message_delta", "usage": "lots"},
        {"type": "message_start", "message": 5},
        {"type": "error", "error": "plain"},
        [1, 2, 3],
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": 5}},
    ],
}


@pytest.mark.parametrize("kind", list(PROVIDERS))
@pytest.mark.parametrize("case", range(7))
async def test_type_confused_chunks_end_in_a_clear_failure(
    server: FakeServer, sleeps: SleepRecorder, kind: str, case: int
) -> None:
    chunks = [_data(CONFUSED[kind][case])]
    server.script(Reply(chunks=chunks))
    events = await _events(PROVIDERS[kind](server, RetryPolicy(sleep=sleeps)))
    assert events, "the stream said nothing"
    last = events[-1]
    assert isinstance(last, Failed), events
    assert "\x1b" not in last.error and len(last.error) < 400
