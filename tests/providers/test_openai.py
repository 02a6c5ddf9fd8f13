"""The OpenAI-compatible provider against a local fake server (Chat Completions SSE)."""

from __future__ import annotations

from tests.fakes.server import FakeServer, Reply, sse
from tests.fakes.streams import openai_text, openai_tool_calls
from tui.engine.providers.base import ProviderRequest
from tui.engine.providers.http import RetryPolicy
from tui.engine.providers.openai import OpenAIProvider, to_openai_messages
from tui.engine.sessions.events import Done, Failed, TextDelta, ThinkingDelta, ToolCall, UsageReport
from tui.engine.sessions.model import Message, Role, TextPart, ToolResultPart, ToolUsePart

from .conftest import SleepRecorder

KEY = "sk-test-SECRET-abcdef"


def _provider(
    server: FakeServer, sleeps: SleepRecorder, key: str | None = KEY, **kw: object
) -> OpenAIProvider:
    return OpenAIProvider(key, base_url=f"{server.url}/v1", retry=RetryPolicy(sleep=sleeps, **kw))


async def _events(provider: OpenAIProvider) -> list[object]:
    msg = Message("u1", None, Role.USER, (TextPart("hi"),), 0.0)
    return [
        e async for e in provider.stream(ProviderRequest((msg,), model="m1", system_prompt="sys"))
    ]


async def test_text_and_usage(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=openai_text(["Hel", "lo"])))
    events = await _events(_provider(server, sleeps))
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Hello"
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert (usage.input_tokens, usage.output_tokens) == (9, 2)
    assert events[-1] == Done("stop")
    (req,) = server.seen
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == f"Bearer {KEY}"
    assert req.body["stream_options"] == {"include_usage": True} and req.body["model"] == "m1"
    assert req.body["messages"][0] == {"role": "system", "content": "sys"}


async def test_usage_missing_stays_unknown(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=openai_text(["x"], usage=False)))
    events = await _events(_provider(server, sleeps, key=None))
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert usage.input_tokens is None and usage.output_tokens is None
    assert "authorization" not in server.seen[0].headers  # a local server needs no key


async def test_reasoning_fields_go_to_thinking(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(
        Reply(chunks=openai_text(["a"], reasoning="hmm", field="reasoning_content")),
        Reply(chunks=openai_text(["b"], reasoning="ollama thinks", field="reasoning")),
    )
    provider = _provider(server, sleeps)
    first, second = await _events(provider), await _events(provider)
    assert [e.text for e in first if isinstance(e, ThinkingDelta)] == ["hmm"]
    assert [e.text for e in second if isinstance(e, ThinkingDelta)] == ["ollama thinks"]


async def test_parallel_tool_call_deltas(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=openai_tool_calls()))
    events = await _events(_provider(server, sleeps))
    calls = [e for e in events if isinstance(e, ToolCall)]
    assert calls == [
        ToolCall("call_a", "get_weather", {"city": "Paris"}),
        ToolCall("call_b", "get_time", {}),
    ]
    assert events[-1] == Done("tool_calls")


async def test_429_then_5xx_storm_then_success(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(
        Reply(429, [b'{"error":{"message":"rate"}}'], headers={"retry-after": "2"}),
        Reply(502, [b"bad gateway"]),
        Reply(503, [b"{}"]),
        Reply(chunks=openai_text(["ok"])),
    )
    events = await _events(_provider(server, sleeps, attempts=5))
    assert events[-1] == Done("stop") and len(server.seen) == 4
    assert sleeps.waits[0] == 2.0 and len(sleeps.waits) == 3


async def test_401_and_400_are_not_retried(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(
        Reply(401, [b'{"error":{"message":"Incorrect API key provided"}}']),
        Reply(400, [b'{"error":{"message":"model not found"}}']),
    )
    provider = _provider(server, sleeps)
    first, second = await _events(provider), await _events(provider)
    assert "rejected the API key from OPENAI_API_KEY (401)" in first[-1].error
    assert KEY not in first[-1].error
    assert "error 400: model not found" in second[-1].error
    assert len(server.seen) == 2 and not sleeps.waits


async def test_error_object_in_stream_and_garbage(
    server: FakeServer, sleeps: SleepRecorder
) -> None:
    server.script(
        Reply(
            chunks=[
                *openai_text(["a"])[:2],
                b"data: \x00\xff garbage\n\n",
                *sse([(None, {"error": {"message": "context length exceeded"}})]),
            ]
        )
    )
    events = await _events(_provider(server, sleeps))
    assert isinstance(events[-1], Failed) and "context length exceeded" in events[-1].error


async def test_dropped_connection(server: FakeServer, sleeps: SleepRecorder) -> None:
    server.script(Reply(chunks=openai_text(["one", "two", "three"]), drop_after=2))
    events = await _events(_provider(server, sleeps))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["one"]
    assert isinstance(events[-1], Failed)


def test_history_conversion() -> None:
    msgs = (
        Message("1", None, Role.USER, (TextPart("weather?"),), 0),
        Message(
            "2",
            "1",
            Role.ASSISTANT,
            (ToolUsePart("c1", "get_weather", {"c": "Oslo"}), ToolResultPart("c1", "-3C")),
            0,
        ),
    )
    out = to_openai_messages(ProviderRequest(msgs))
    assert out[1]["tool_calls"][0]["function"] == {
        "name": "get_weather",
        "arguments": '{"c": "Oslo"}',
    }
    assert out[2] == {"role": "tool", "tool_call_id": "c1", "content": "-3C"}
