"""OpenAI-compatible Chat Completions over httpx with SSE: OpenAI, Ollama, vLLM,
llama.cpp server, LM Studio — any server speaking `/chat/completions`."""

from __future__ import annotations

import json
from typing import Any

import httpx
import orjson

from tui.engine.providers.base import ProviderRequest
from tui.engine.providers.defaults import OPENAI_MODEL
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
from tui.engine.sessions.model import Role, TextPart, ToolResultPart, ToolUsePart, Usage

DEFAULT_MODEL = OPENAI_MODEL


def to_openai_messages(request: ProviderRequest) -> list[dict[str, Any]]:
    """Our transcript as chat messages; tool calls and their results as the API pairs them."""
    out: list[dict[str, Any]] = []
    if request.system_prompt:
        out.append({"role": "system", "content": request.system_prompt})
    for message in request.messages:
        text = "".join(p.text for p in message.parts if isinstance(p, TextPart))
        calls = [p for p in message.parts if isinstance(p, ToolUsePart)]
        results = [p for p in message.parts if isinstance(p, ToolResultPart)]
        if message.role is Role.ASSISTANT:
            if text or calls:
                entry: dict[str, Any] = {"role": "assistant", "content": text or None}
                if calls:
                    entry["tool_calls"] = [
                        {
                            "id": c.tool_id,
                            "type": "function",
                            "function": {"name": c.name, "arguments": json.dumps(c.input)},
                        }
                        for c in calls
                    ]
                out.append(entry)
        elif text:
            out.append(
                {"role": "system" if message.role is Role.SYSTEM else "user", "content": text}
            )
        out.extend(
            {"role": "tool", "tool_call_id": r.tool_id, "content": r.content} for r in results
        )
    return out


class OpenAIProvider(HTTPProvider):
    """Streams content, `reasoning_content`/`reasoning` (to the thinking pane) and tool
    calls. Usage is asked for with `stream_options.include_usage`; when a server does
    not send it, it stays unknown."""

    path = "/chat/completions"

    def __init__(
        self,
        api_key: str | None,
        base_url: str = "https://api.openai.com/v1",
        default_model: str = DEFAULT_MODEL,
        name: str = "openai",
        key_source: str | None = "OPENAI_API_KEY",
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(api_key, base_url, default_model, key_source, timeout, retry)
        self.name = name

    def headers(self) -> dict[str, str]:
        headers = {"content-type": "application/json", "accept": "text/event-stream"}
        if self._api_key:
            headers["authorization"] = f"Bearer {self._api_key}"
        return headers

    def body(self, request: ProviderRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model or self.default_model,
            "messages": to_openai_messages(request),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if request.max_tokens:
            body["max_tokens"] = request.max_tokens
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.tools:
            body["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.input_schema,
                    },
                }
                for t in request.tools
            ]
        return body

    def parser(self) -> OpenAIStreamParser:
        return OpenAIStreamParser(self.name)


class OpenAIStreamParser:
    """Chat Completions chunks -> our events; tool-call arguments are assembled from
    their deltas and emitted when the stream ends."""

    def __init__(self, name: str = "openai") -> None:
        self.name = name
        self.calls: dict[int, dict[str, Any]] = {}
        self.usage = Usage()
        self.finish_reason: str | None = None
        self.done = False
        self.failed = False
        self.over = False

    def feed(self, event: str, raw: str) -> list[ProviderEvent]:
        if raw.strip() == "[DONE]":
            self.done = self.over = True
            return []
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return []  # malformed line: skipped
        if not isinstance(data, dict):
            return []
        if data.get("error"):
            err = data["error"]
            message = err.get("message", err) if isinstance(err, dict) else err
            self.failed = self.over = True
            return [Failed(f"{self.name} error: {message}")]
        if data.get("usage"):
            u = data["usage"]
            self.usage = Usage(u.get("prompt_tokens"), u.get("completion_tokens"))
        out: list[ProviderEvent] = []
        for choice in data.get("choices") or ():
            delta = choice.get("delta") or {}
            thinking = delta.get("reasoning_content") or delta.get("reasoning")
            if thinking:
                out.append(ThinkingDelta(str(thinking)))
            if delta.get("content"):
                out.append(TextDelta(str(delta["content"])))
            for call in delta.get("tool_calls") or ():
                slot = self.calls.setdefault(
                    int(call.get("index", len(self.calls))), {"id": "", "name": "", "args": []}
                )
                slot["id"] = call.get("id") or slot["id"]
                fn = call.get("function") or {}
                slot["name"] = fn.get("name") or slot["name"]
                slot["args"].append(fn.get("arguments") or "")
            self.finish_reason = choice.get("finish_reason") or self.finish_reason
        return out

    def finish(self) -> list[ProviderEvent]:
        if self.failed:
            return []
        out: list[ProviderEvent] = []
        for _, slot in sorted(self.calls.items()):
            raw = "".join(slot["args"])
            try:
                args = json.loads(raw) if raw else {}
            except ValueError:
                args = {"_unparsed": raw}
            out.append(
                ToolCall(
                    slot["id"], slot["name"], args if isinstance(args, dict) else {"value": args}
                )
            )
        out.append(UsageReport(self.usage))
        if self.done or self.finish_reason:
            out.append(Done(self.finish_reason or "stop"))
        else:
            out.append(
                Failed(
                    f"{self.name}: the stream ended before the reply was complete", retryable=True
                )
            )
        return out
