"""Anthropic Messages API over httpx with SSE streaming."""

from __future__ import annotations

import json
from typing import Any

import httpx
import orjson

from tui.engine.providers.base import ProviderRequest
from tui.engine.providers.defaults import ANTHROPIC_MODEL
from tui.engine.providers.http import DEFAULT_TIMEOUT, HTTPProvider, RetryPolicy
from tui.engine.sessions.events import (
    Done,
    Failed,
    ProviderEvent,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    UsageReport,
)
from tui.engine.sessions.model import Message, Role, TextPart, ToolResultPart, ToolUsePart, Usage

API_VERSION = "2023-06-01"
DEFAULT_MODEL = ANTHROPIC_MODEL


def to_anthropic_messages(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    """Our transcript as Messages API turns: tool results go in the next user turn,
    thinking from earlier turns is left out, same-role neighbours are merged."""
    out: list[dict[str, Any]] = []

    def add(role: str, blocks: list[dict[str, Any]]) -> None:
        if not blocks:
            return
        if out and out[-1]["role"] == role:
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": role, "content": blocks})

    for message in messages:
        if message.role is Role.SYSTEM:
            continue
        main: list[dict[str, Any]] = []
        results: list[dict[str, Any]] = []
        for part in message.parts:
            if isinstance(part, TextPart) and part.text:
                main.append({"type": "text", "text": part.text})
            elif isinstance(part, ToolUsePart):
                main.append(
                    {"type": "tool_use", "id": part.tool_id, "name": part.name, "input": part.input}
                )
            elif isinstance(part, ToolResultPart):
                results.append(
                    {
                        "type": "tool_result",
                        "tool_use_id": part.tool_id,
                        "content": part.content,
                        "is_error": part.is_error,
                    }
                )
        role = "assistant" if message.role is Role.ASSISTANT else "user"
        add(role, main)
        add("user", results)
    return out


class AnthropicProvider(HTTPProvider):
    """Streams text, thinking and tool calls; usage from message_start/message_delta."""

    name = "anthropic"
    path = "/v1/messages"

    def __init__(
        self,
        api_key: str,
        base_url: str = "https://api.anthropic.com",
        default_model: str = DEFAULT_MODEL,
        key_source: str | None = "ANTHROPIC_API_KEY",
        max_tokens: int = 8192,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(api_key, base_url, default_model, key_source, timeout, retry)
        self.max_tokens = max_tokens

    def headers(self) -> dict[str, str]:
        return {
            "x-api-key": self._api_key or "",
            "anthropic-version": API_VERSION,
            "content-type": "application/json",
            "accept": "text/event-stream",
        }

    def body(self, request: ProviderRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model or self.default_model,
            "max_tokens": request.max_tokens or self.max_tokens,
            "messages": to_anthropic_messages(request.messages),
            "stream": True,
        }
        if request.system_prompt:
            body["system"] = request.system_prompt
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.tools:
            body["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.input_schema}
                for t in request.tools
            ]
        return body

    def parser(self) -> AnthropicStreamParser:
        return AnthropicStreamParser(self.name)


RETRYABLE_ERRORS = ("overloaded_error", "api_error", "rate_limit_error")


class AnthropicStreamParser:
    """Turns Messages API SSE events into our events; synchronous, so it costs a call,
    not an async-generator hop, per token."""

    def __init__(self, name: str = "anthropic") -> None:
        self.name = name
        self.blocks: dict[int, dict[str, Any]] = {}
        self.usage_in: int | None = None
        self.usage_out: int | None = None
        self.stop_reason = "end_turn"
        self.finished = False
        self.over = False  # message_stop or an error event: nothing more to read

    def feed(self, event: str, raw: str) -> list[ProviderEvent]:
        try:
            data = orjson.loads(raw)
        except ValueError:
            return []  # a malformed line: skip it, keep the stream
        if not isinstance(data, dict):
            return []
        kind = data.get("type", event)
        if kind == "content_block_delta":  # by far the most frequent: first
            delta = data.get("delta") or {}
            dtype = delta.get("type")
            if dtype == "text_delta":
                return [TextDelta(str(delta.get("text", "")))]
            if dtype == "thinking_delta":
                return [ThinkingDelta(str(delta.get("thinking", "")))]
            if dtype == "input_json_delta":
                block = self.blocks.setdefault(int(data.get("index", 0)), {"_json": []})
                block["_json"].append(str(delta.get("partial_json", "")))
            return []
        if kind == "message_start":
            usage = (data.get("message") or {}).get("usage") or {}
            self.usage_in = usage.get("input_tokens")
            self.usage_out = usage.get("output_tokens")
        elif kind == "content_block_start":
            block = dict(data.get("content_block") or {})
            block["_json"] = []
            self.blocks[int(data.get("index", 0))] = block
            if block.get("type") == "text" and block.get("text"):
                return [TextDelta(block["text"])]
        elif kind == "content_block_stop":
            return self._close_block(int(data.get("index", 0)))
        elif kind == "message_delta":
            self.stop_reason = (data.get("delta") or {}).get("stop_reason") or self.stop_reason
            usage = data.get("usage") or {}
            self.usage_out = usage.get("output_tokens", self.usage_out)
            if usage.get("input_tokens") is not None:
                self.usage_in = usage["input_tokens"]
        elif kind == "message_stop":
            self.finished = self.over = True
        elif kind == "error":
            err = data.get("error") or {}
            etype = err.get("type", "error")
            self.over = True
            return [
                Failed(
                    f"{self.name} {etype}: {err.get('message', '')}".strip(),
                    retryable=etype in RETRYABLE_ERRORS,
                )
            ]
        return []

    def _close_block(self, index: int) -> list[ProviderEvent]:
        block = self.blocks.pop(index, {})
        if block.get("type") not in ("tool_use", "server_tool_use"):
            return []
        raw = "".join(block["_json"])
        try:
            args = json.loads(raw) if raw else dict(block.get("input") or {})
        except ValueError:
            args = {"_unparsed": raw}
        return [ToolCall(str(block.get("id", "")), str(block.get("name", "")), args)]

    def finish(self) -> list[ProviderEvent]:
        """Usage, then Done, or Failed when the stream stopped early (nothing after an error)."""
        if self.over and not self.finished:
            return []
        events: list[ProviderEvent] = [UsageReport(Usage(self.usage_in, self.usage_out))]
        if self.finished:
            events.append(Done(self.stop_reason))
        else:
            events.append(
                Failed(
                    f"{self.name}: the stream ended before the reply was complete", retryable=True
                )
            )
        return events
