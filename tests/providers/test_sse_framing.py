"""SSE framing over raw bytes: every line end the spec allows, lines cut anywhere
between network chunks (inside a UTF-8 character, between CR and LF), compressed
bodies, and a stream that stops without its last line end."""

from __future__ import annotations

import gzip
import json

from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.server import FakeServer, Reply
from tui.engine.providers import ProviderRequest
from tui.engine.providers.anthropic import AnthropicProvider
from tui.engine.providers.sse_lines import SSELines
from tui.engine.sessions.events import Done, TextDelta
from tui.engine.sessions.model import Message, Role, TextPart

REQUEST = ProviderRequest((Message("m1", None, Role.USER, (TextPart("hi"),), 0.0),))
WORDS = ["héllo ", "wörld ", "日本語 ", "🙂 ", "end"]


def _lines(chunks: list[bytes]) -> list[str]:
    splitter = SSELines()
    lines = [line for chunk in chunks for line in splitter.feed(chunk)]
    rest = splitter.rest()
    return [*lines, rest] if rest else lines


def _events(eol: str) -> bytes:
    """An Anthropic reply of WORDS, each line ended by `eol`."""
    events: list[tuple[str, dict[str, object]]] = [
        ("message_start", {"type": "message_start", "message": {"usage": {"input_tokens": 3}}}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
    ]
    for word in WORDS:
        events.append(
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": word},
                },
            )
        )
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "usage": {"output_tokens": 5},
                "delta": {"stop_reason": "end_turn"},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    text = "".join(
        f"event: {name}{eol}data: {json.dumps(data, ensure_ascii=False)}{eol}{eol}"
        for name, data in events
    )
    return text.encode()


async def _text(server: FakeServer, reply: Reply) -> str:
    server.script(reply)
    provider = AnthropicProvider("sk-ant-k", base_url=server.url)
    events = [event async for event in provider.stream(REQUEST)]
    assert isinstance(events[-1], Done), events[-1]
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_each_line_end_the_spec_allows_ends_a_line() -> None:
    for eol in ("\n", "\r\n", "\r"):
        body = f"data: a{eol}{eol}event: x{eol}data: b{eol}"
        assert _lines([body.encode()]) == ["data: a", "", "event: x", "data: b"], repr(eol)


@given(st.sampled_from(["\n", "\r\n", "\r"]), st.lists(st.integers(0, 2000), max_size=12))
def test_lines_cut_anywhere_between_chunks_come_out_whole(eol: str, cuts: list[int]) -> None:
    body = _events(eol)
    points = sorted({min(c, len(body)) for c in cuts})
    chunks = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    assert _lines(chunks) == body.decode().replace(eol, "\n").split("\n")[:-1]


def test_a_last_line_without_its_end_is_kept() -> None:
    splitter = SSELines()
    assert splitter.feed(b"data: 1\ndata: 2") == ["data: 1"]
    assert splitter.rest() == "data: 2"
    assert splitter.rest() == ""


async def test_crlf_events_cut_inside_characters_stream_every_word(server: FakeServer) -> None:
    body = _events("\r\n")
    cut = body.index("日".encode()) + 1  # inside a three-byte character
    crlf = body.index(b"\r\n") + 1  # between a CR and its LF
    chunks = [body[:crlf], body[crlf:cut], body[cut:]]
    assert await _text(server, Reply(chunks=chunks)) == "".join(WORDS)


async def test_a_compressed_stream_is_read(server: FakeServer) -> None:
    packed = gzip.compress(_events("\n"))
    chunks = [packed[i : i + 7] for i in range(0, len(packed), 7)]
    reply = Reply(chunks=chunks, headers={"Content-Encoding": "gzip"})
    assert await _text(server, reply) == "".join(WORDS)


async def test_a_stream_ending_without_a_line_end_keeps_its_last_event(
    server: FakeServer,
) -> None:
    body = _events("\n").rstrip(b"\n")  # the last `data:` line has no end at all
    assert await _text(server, Reply(chunks=[body])) == "".join(WORDS)
