"""OpenAI-compatible Chat Completions over httpx with SSE: OpenAI, Ollama, vLLM,
llama.cpp server, LM Studio — any server speaking `/chat/completions`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson

from ..events import Done, Failed, ProviderEvent, TextDelta, ThinkingDelta, ToolCall, UsageReport
from ..model import Role, TextPart, ToolResultPart, ToolUsePart, Usage
from .base import ProviderRequest
from .http import DEFAULT_TIMEOUT, ProviderHTTPError, RetryPolicy, open_stream
from .sse import iter_sse

DEFAULT_MODEL = "gpt-4o-mini"


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


class OpenAIProvider:
    """Streams content, `reasoning_content`/`reasoning` (to the thinking pane) and tool
    calls. Usage is asked for with `stream_options.include_usage`; when a server does
    not send it, it stays unknown."""

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
        self._api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.default_model = default_model
        self.name = name
        self.key_source = key_source
        self.timeout = timeout
        self.retry = retry or RetryPolicy()

    def __repr__(self) -> str:  # never show the key
        return f"OpenAIProvider(name={self.name!r}, base_url={self.base_url!r})"

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
        return body

    async def stream(self, request: ProviderRequest) -> AsyncIterator[ProviderEvent]:
        headers = {"content-type": "application/json", "accept": "text/event-stream"}
        if self._api_key:
            headers["authorization"] = f"Bearer {self._api_key}"
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            try:
                async with open_stream(
                    client,
                    f"{self.base_url}/chat/completions",
                    name=self.name,
                    headers=headers,
                    body=self.body(request),
                    policy=self.retry,
                    key_source=self.key_source,
                ) as resp:
                    async for event in self._events(resp):
                        yield event
            except ProviderHTTPError as exc:
                yield Failed(str(exc), retryable=exc.retryable)
            except (httpx.TransportError, httpx.StreamError) as exc:
                yield Failed(
                    f"{self.name}: the stream broke ({type(exc).__name__})", retryable=True
                )

    async def _events(self, response: httpx.Response) -> AsyncIterator[ProviderEvent]:
        calls: dict[int, dict[str, Any]] = {}
        usage = Usage()
        finish: str | None = None
        done = False
        async for sse in iter_sse(response):
            if sse.data.strip() == "[DONE]":
                done = True
                break
            try:
                data = orjson.loads(sse.data)
            except ValueError:
                continue  # malformed line: skipped
            if not isinstance(data, dict):
                continue
            if data.get("error"):
                err = data["error"]
                message = err.get("message", err) if isinstance(err, dict) else err
                yield Failed(f"{self.name} error: {message}")
                return
            if data.get("usage"):
                u = data["usage"]
                usage = Usage(u.get("prompt_tokens"), u.get("completion_tokens"))
            for choice in data.get("choices") or ():
                delta = choice.get("delta") or {}
                thinking = delta.get("reasoning_content") or delta.get("reasoning")
                if thinking:
                    yield ThinkingDelta(str(thinking))
                if delta.get("content"):
                    yield TextDelta(str(delta["content"]))
                for call in delta.get("tool_calls") or ():
                    slot = calls.setdefault(
                        int(call.get("index", len(calls))), {"id": "", "name": "", "args": []}
                    )
                    slot["id"] = call.get("id") or slot["id"]
                    fn = call.get("function") or {}
                    slot["name"] = fn.get("name") or slot["name"]
                    slot["args"].append(fn.get("arguments") or "")
                finish = choice.get("finish_reason") or finish
        for _, slot in sorted(calls.items()):
            raw = "".join(slot["args"])
            try:
                args = json.loads(raw) if raw else {}
            except ValueError:
                args = {"_unparsed": raw}
            yield ToolCall(
                slot["id"], slot["name"], args if isinstance(args, dict) else {"value": args}
            )
        yield UsageReport(usage)
        if done or finish:
            yield Done(finish or "stop")
        else:
            yield Failed(
                f"{self.name}: the stream ended before the reply was complete", retryable=True
            )
