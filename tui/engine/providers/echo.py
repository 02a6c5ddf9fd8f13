"""The offline echo provider: deterministic, no key, no network.

It exercises every pane: a thinking block, one tool call with its result, then the
reply streamed word by word, and usage figures. Every reply says it is offline.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator

from tui.engine.providers.base import OFFLINE, ProviderRequest
from tui.engine.sessions.events import (
    Done,
    ProviderEvent,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    ToolResult,
    UsageReport,
)
from tui.engine.sessions.model import Role, Usage

_WORDS = re.compile(r"\S+\s*|\s+")


def _tokens(text: str) -> list[str]:
    return _WORDS.findall(text)


class EchoProvider:
    """Replies by echoing the prompt; `delay` seconds between streamed words."""

    name = "echo"
    default_model = "echo-1"
    capabilities = OFFLINE

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    async def _pause(self) -> None:
        # Always yield to the loop so consumers and cancellation stay responsive.
        await asyncio.sleep(self.delay)

    async def stream(self, request: ProviderRequest) -> AsyncGenerator[ProviderEvent, None]:
        prompt = next((m.text for m in reversed(request.messages) if m.role is Role.USER), "")
        words = len(prompt.split())
        turn = sum(1 for m in request.messages if m.role is Role.USER)
        thinking = (
            f"Offline echo provider: no model is called. Turn {turn}; "
            f"the prompt has {words} word(s) and {len(prompt)} character(s)."
        )
        for token in _tokens(thinking):
            yield ThinkingDelta(token)
            await self._pause()
        tool_id = f"echo-tool-{turn}"
        yield ToolCall(tool_id, "count_words", {"text": prompt[:200]})
        await self._pause()
        yield ToolResult(tool_id, f"{words} words, {len(prompt)} characters")
        await self._pause()
        reply = self.reply_text(prompt)
        for token in _tokens(reply):
            yield TextDelta(token)
            await self._pause()
        context = sum(len(m.text.split()) for m in request.messages)
        yield UsageReport(
            Usage(input_tokens=context, output_tokens=len(reply.split()), cost_usd=0.0)
        )
        yield Done("end_turn")

    @staticmethod
    def reply_text(prompt: str) -> str:
        """The prompt quoted back, one blockquote per paragraph."""
        paragraphs = [p for p in re.split(r"\n\s*\n", prompt) if p.strip()]
        quoted = "\n\n".join(
            "\n".join(f"> {line}" for line in para.splitlines()) for para in paragraphs
        )
        return (
            "*Offline echo provider* — no model was called. You said:\n\n"
            f"{quoted}\n\n"
            "Set `ANTHROPIC_API_KEY` or `OPENAI_API_KEY` to talk to a real model."
        )
