from __future__ import annotations

import pytest

from tui.engine.providers import EchoProvider, ProviderError, ProviderRequest, get_provider
from tui.engine.sessions.events import (
    Done,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    ToolResult,
    UsageReport,
)
from tui.engine.sessions.model import Message, Role, TextPart


async def _collect(prompt: str) -> list[object]:
    msg = Message("u1", None, Role.USER, (TextPart(prompt),), 0.0)
    return [e async for e in EchoProvider().stream(ProviderRequest((msg,)))]


async def test_echo_is_deterministic_and_labelled_offline() -> None:
    first, second = await _collect("two words"), await _collect("two words")
    assert first == second
    text = "".join(e.text for e in first if isinstance(e, TextDelta))
    assert text.startswith("*Offline echo provider*") and "> two words" in text
    assert sum(isinstance(e, TextDelta) for e in first) > 10  # streamed word by word


async def test_echo_exercises_every_pane_in_order() -> None:
    events = await _collect("count these three")
    kinds = [type(e) for e in events]
    assert (
        kinds.index(ThinkingDelta)
        < kinds.index(ToolCall)
        < kinds.index(ToolResult)
        < kinds.index(TextDelta)
    )
    call = next(e for e in events if isinstance(e, ToolCall))
    result = next(e for e in events if isinstance(e, ToolResult))
    assert call.input == {"text": "count these three"} and result.tool_id == call.tool_id
    assert result.content.startswith("3 words")
    usage = next(e for e in events if isinstance(e, UsageReport)).usage
    assert usage.input_tokens == 3 and usage.output_tokens and usage.cost_usd == 0.0
    assert isinstance(events[-1], Done)


def test_unknown_provider_is_a_clear_error() -> None:
    with pytest.raises(ProviderError, match=r"provider .nope. is not configured"):
        get_provider("nope")
