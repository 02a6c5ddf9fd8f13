"""The Anthropic provider against a local fake server replaying the Messages SSE format."""

from __future__ import annotations

import httpx

from tests.fakes.server import FakeServer, Reply
from tests.fakes.streams import anthropic_error_event, anthropic_text, anthropic_tool_use
from tui.engine.providers.anthropic import AnthropicProvider, to_anthropic_messages
from tui.engine.providers.base import ProviderRequest
from tui.engine.providers.http import RetryPolicy
from tui.engine.sessions.events import Done, Failed, TextDelta, ThinkingDelta, ToolCall, UsageReport
from tui.engine.sessions.model import Message, Role, TextPart, ToolResultPart, ToolUsePart

from .conftest import SleepRecorder

KEY = "sk-ant-test-SECRET-0123456789"


def _request(text: str = "hi") -> ProviderRequest:
    msg = Message("u1", None, Role.USER, (TextPart(text),), 0.0)
    return ProviderRequest((msg,), system_prompt="be brief", temperature=0.2)


def _provider(server: FakeServer, sleeps: SleepRecorder, **kw: object) -> AnthropicProvider:
    return AnthropicProvider(KEY, base_url=server.url, retry=RetryPolicy(sleep=sleeps, **kw))


async def _events(provider: AnthropicProvider) -> list[object]:
    return [e async for e in provider.stream(_request())]


async def test_text_stream_usage_and_request_shape(
    server: FakeServer, sleeps: SleepRecorder
) -> None:
    server.script(Reply(chunks=anthropic_text(["Hel", "lo", "!"], 12, 7)))
    events = await _events(_provider(server, sleeps))
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello!"
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert (usage.input_tokens, usage.output_tokens) == (12, 7)
    assert events[-1] == Done("end_turn")
    (req,) = server.seen
    assert req.path == "/v1/messages"
    assert req.headers["x-api-key"] == KEY and req.headers["anthropic-version"] == "2023-06-01"
    assert req.body["stream"] is True and req.body["system"] == "be brief"
    assert req.body["temperature"] == 0.2
    assert req.body["messages"] == [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]


async def test_thinking_goes_to_thinking_deltas(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=anthropic_text(["ok"], thinking="Let me think.")))
    events = await _events(_provider(server, sleeps))
    assert [e.text for e in events if isinstance(e, ThinkingDelta)] == ["Let me think."]


async def test_tool_use_input_is_assembled_from_json_deltas(
    server: FakeServer, sleeps: SleepRecorder
) -> None:
    server.script(Reply(chunks=anthropic_tool_use()))
    events = await _events(_provider(server, sleeps))
    (call,) = [e for e in events if isinstance(e, ToolCall)]
    assert call == ToolCall("toolu_01", "get_weather", {"location": "San Francisco", "unit": "c"})
    assert events[-1] == Done("tool_use")


async def test_error_event_mid_stream(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=anthropic_error_event()))
    events = await _events(_provider(server, sleeps))
    failed = events[-1]
    assert isinstance(failed, Failed) and "overloaded_error" in failed.error
    assert failed.retryable


async def test_429_retry_after_is_honoured(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(
        Reply(
            429,
            [b'{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}'],
            headers={"retry-after": "7"},
        ),
        Reply(chunks=anthropic_text(["ok"])),
    )
    events = await _events(_provider(server, sleeps))
    assert sleeps.waits == [7.0]
    assert events[-1] == Done("end_turn") and len(server.seen) == 2


async def test_529_overload_backs_off_then_gives_up(
    server: FakeServer, sleeps: SleepRecorder
) -> None:
    server.script(
        Reply(529, [b'{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'])
    )
    events = await _events(_provider(server, sleeps, attempts=3, base=0.5))
    failed = events[-1]
    assert isinstance(failed, Failed) and "overloaded" in failed.error
    assert "gave up after 3 attempts" in failed.error
    assert len(server.seen) == 3 and len(sleeps.waits) == 2
    assert sleeps.waits[0] <= 0.5 and sleeps.waits[1] <= 1.0  # exponential, jittered


async def test_401_names_the_variable_and_never_the_key(
    server: FakeServer, sleeps: SleepRecorder
) -> None:
    server.script(
        Reply(
            401,
            [
                b'{"type":"error","error":{"type":"authentication_error",'
                b'"message":"invalid x-api-key"}}'
            ],
        )
    )
    events = await _events(_provider(server, sleeps))
    failed = events[-1]
    assert isinstance(failed, Failed)
    assert "rejected the API key from ANTHROPIC_API_KEY (401)" in failed.error
    assert KEY not in failed.error and len(server.seen) == 1  # no retry on 401


async def test_dropped_connection_mid_stream(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=anthropic_text(["one", "two", "three"]), drop_after=4))
    events = await _events(_provider(server, sleeps))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["one"]
    assert isinstance(events[-1], Failed) and "broke" in events[-1].error


async def test_read_timeout_mid_stream(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=anthropic_text(["a", "b"]), gap=0.6))
    provider = _provider(server, sleeps)
    provider.timeout = httpx.Timeout(5.0, read=0.2)
    events = await _events(provider)
    assert isinstance(events[-1], Failed) and "ReadTimeout" in events[-1].error


async def test_malformed_lines_are_skipped(server: FakeServer, sleeps: SleepRecorder) -> None:
    chunks = anthropic_text(["x", "y"])
    chunks.insert(3, b"data: {not json\n\n: a comment\n\nbogus line without colon\n\n")
    server.script(Reply(chunks=chunks))
    events = await _events(_provider(server, sleeps))
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "xy"
    assert events[-1] == Done("end_turn")


async def test_stream_ending_early_is_reported(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=anthropic_text(["a"])[:-2]))  # no message_delta/stop
    events = await _events(_provider(server, sleeps))
    assert isinstance(events[-1], Failed) and "before the reply was complete" in events[-1].error


async def test_unreachable_server_is_a_clear_failure(sleeps: SleepRecorder) -> None:
    provider = AnthropicProvider(
        KEY, base_url="http://127.0.0.1:9", retry=RetryPolicy(attempts=2, sleep=sleeps)
    )
    events = [e async for e in provider.stream(_request())]
    assert isinstance(events[-1], Failed) and "cannot reach" in events[-1].error
    assert KEY not in repr(provider)


def test_history_conversion_pairs_tool_results_and_merges_roles() -> None:
    msgs = (
        Message("1", None, Role.USER, (TextPart("weather?"),), 0),
        Message(
            "2",
            "1",
            Role.ASSISTANT,
            (
                TextPart("Checking."),
                ToolUsePart("t1", "get_weather", {"c": "Oslo"}),
                ToolResultPart("t1", "-3C"),
            ),
            0,
        ),
        Message("3", "2", Role.USER, (TextPart("thanks"),), 0),
    )
    out = to_anthropic_messages(msgs)
    assert [m["role"] for m in out] == ["user", "assistant", "user"]
    assert out[1]["content"][1] == {
        "type": "tool_use",
        "id": "t1",
        "name": "get_weather",
        "input": {"c": "Oslo"},
    }
    assert out[2]["content"][0]["type"] == "tool_result"
    assert out[2]["content"][1] == {"type": "text", "text": "thanks"}
