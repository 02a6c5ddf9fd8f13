"""Stream bodies in the providers' real wire formats (Anthropic Messages SSE and OpenAI
Chat Completions SSE), as the APIs document and send them."""

from __future__ import annotations

import json
from typing import Any

from .server import sse


def anthropic_text(
    words: list[str], input_tokens: int = 12, output_tokens: int = 7, thinking: str | None = None
) -> list[bytes]:
    events: list[tuple[str | None, Any]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_01",
                    "type": "message",
                    "role": "assistant",
                    "content": [],
                    "model": "claude-sonnet-4-5",
                    "stop_reason": None,
                    "usage": {"input_tokens": input_tokens, "output_tokens": 1},
                },
            },
        ),
        ("ping", {"type": "ping"}),
    ]
    index = 0
    if thinking:
        events += [
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "thinking", "thinking": ""},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "thinking_delta", "thinking": thinking},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "signature_delta", "signature": "sig"},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ]
        index = 1
    events.append(
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": index,
                "content_block": {"type": "text", "text": ""},
            },
        )
    )
    events += [
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "text_delta", "text": w},
            },
        )
        for w in words
    ]
    events += [
        ("content_block_stop", {"type": "content_block_stop", "index": index}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": output_tokens},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return sse(events)


def anthropic_tool_use() -> list[bytes]:
    return sse(
        [
            (
                "message_start",
                {
                    "type": "message_start",
                    "message": {
                        "id": "msg_02",
                        "role": "assistant",
                        "content": [],
                        "model": "claude-sonnet-4-5",
                        "usage": {"input_tokens": 40, "output_tokens": 1},
                    },
                },
            ),
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": "Checking."},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 1,
                    "content_block": {
                        "type": "tool_use",
                        "id": "toolu_01",
                        "name": "get_weather",
                        "input": {},
                    },
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 1,
                    "delta": {"type": "input_json_delta", "partial_json": ""},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 1,
                    "delta": {"type": "input_json_delta", "partial_json": '{"location": "San Fra'},
                },
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 1,
                    "delta": {"type": "input_json_delta", "partial_json": 'ncisco", "unit": "c"}'},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 1}),
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "tool_use"},
                    "usage": {"output_tokens": 55},
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        ]
    )


def anthropic_error_event(kind: str = "overloaded_error") -> list[bytes]:
    return anthropic_text(["Partial"])[:4] + sse(
        [("error", {"type": "error", "error": {"type": kind, "message": "Overloaded"}})]
    )


def openai_text(
    words: list[str],
    usage: bool = True,
    reasoning: str | None = None,
    field: str = "reasoning_content",
) -> list[bytes]:
    base = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o-mini",
    }
    chunks: list[tuple[str | None, Any]] = [
        (
            None,
            base
            | {
                "choices": [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": ""},
                        "finish_reason": None,
                    }
                ]
            },
        )
    ]
    if reasoning:
        chunks.append(
            (
                None,
                base
                | {"choices": [{"index": 0, "delta": {field: reasoning}, "finish_reason": None}]},
            )
        )
    chunks += [
        (None, base | {"choices": [{"index": 0, "delta": {"content": w}, "finish_reason": None}]})
        for w in words
    ]
    chunks.append((None, base | {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
    if usage:
        chunks.append(
            (
                None,
                base
                | {
                    "choices": [],
                    "usage": {
                        "prompt_tokens": 9,
                        "completion_tokens": len(words),
                        "total_tokens": 9 + len(words),
                    },
                },
            )
        )
    chunks.append((None, "[DONE]"))
    return sse(chunks)


def openai_tool_calls() -> list[bytes]:
    base = {"id": "chatcmpl-2", "object": "chat.completion.chunk", "model": "gpt-4o-mini"}

    def delta(d: dict[str, Any], finish: str | None = None) -> tuple[None, dict[str, Any]]:
        return (None, base | {"choices": [{"index": 0, "delta": d, "finish_reason": finish}]})

    return sse(
        [
            delta(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_a",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": ""},
                        }
                    ],
                }
            ),
            delta({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]}),
            delta(
                {
                    "tool_calls": [
                        {
                            "index": 1,
                            "id": "call_b",
                            "type": "function",
                            "function": {"name": "get_time", "arguments": "{}"},
                        }
                    ]
                }
            ),
            delta({"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]}),
            delta({}, "tool_calls"),
            (None, "[DONE]"),
        ]
    )


def anthropic_calls(calls: list[tuple[str, str, dict[str, Any]]], text: str = "") -> list[bytes]:
    """A Messages API reply that says `text`, then calls each (id, name, input) tool;
    the input JSON arrives split over two deltas, as the API sends it."""
    events: list[tuple[str | None, Any]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_tools",
                    "role": "assistant",
                    "content": [],
                    "usage": {"input_tokens": 30, "output_tokens": 1},
                },
            },
        )
    ]
    index = 0
    if text:
        events += [
            (
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
            ),
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": text},
                },
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ]
        index = 1
    for tool_id, name, data in calls:
        raw = json.dumps(data)
        half = len(raw) // 2
        events.append(
            (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {"type": "tool_use", "id": tool_id, "name": name, "input": {}},
                },
            )
        )
        for piece in (raw[:half], raw[half:]):
            events.append(
                (
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "input_json_delta", "partial_json": piece},
                    },
                )
            )
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
        index += 1
    events += [
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use" if calls else "end_turn"},
                "usage": {"output_tokens": 20},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return sse(events)


def openai_calls(calls: list[tuple[str, str, dict[str, Any]]]) -> list[bytes]:
    """A Chat Completions reply calling each (id, name, input) tool in parallel."""
    base = {"id": "chatcmpl-t", "object": "chat.completion.chunk", "model": "gpt-4o-mini"}

    def delta(d: dict[str, Any], finish: str | None = None) -> tuple[None, dict[str, Any]]:
        return (None, base | {"choices": [{"index": 0, "delta": d, "finish_reason": finish}]})

    chunks = [delta({"role": "assistant", "content": None})]
    for i, (tool_id, name, data) in enumerate(calls):
        chunks.append(
            delta(
                {
                    "tool_calls": [
                        {
                            "index": i,
                            "id": tool_id,
                            "type": "function",
                            "function": {"name": name, "arguments": json.dumps(data)},
                        }
                    ]
                }
            )
        )
    chunks += [delta({}, "tool_calls"), (None, "[DONE]")]
    return sse(chunks)
