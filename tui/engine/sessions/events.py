"""Events: what a provider streams, and what the engine tells the UI and CLI about a turn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.engine.sessions.model import Message, Usage


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ThinkingDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ToolCall:
    tool_id: str
    name: str
    input: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolResult:
    tool_id: str
    content: str
    is_error: bool = False
    exit_code: int | None = None
    duration_s: float | None = None


@dataclass(frozen=True, slots=True)
class ToolOutput:
    """Live output of a tool we run (a shell command's), shown as it comes."""

    tool_id: str
    text: str


@dataclass(frozen=True, slots=True)
class UsageReport:
    usage: Usage


@dataclass(frozen=True, slots=True)
class SessionBound:
    """The provider's own id for this conversation (Claude Code's session id)."""

    external_id: str


@dataclass(frozen=True, slots=True)
class Done:
    stop_reason: str = "end_turn"


@dataclass(frozen=True, slots=True)
class Retrying:
    """The request failed in a way worth retrying; the next attempt starts in `delay_s`."""

    reason: str
    delay_s: float
    attempt: int  # the attempt about to start (2 for the first retry)
    attempts: int


@dataclass(frozen=True, slots=True)
class Failed:
    error: str
    retryable: bool = False


ProviderEvent = (
    TextDelta
    | ThinkingDelta
    | ToolCall
    | ToolResult
    | ToolOutput
    | UsageReport
    | SessionBound
    | Retrying
    | Done
    | Failed
)


@dataclass(frozen=True, slots=True)
class TurnStarted:
    """A user message was stored and an empty assistant reply opened under it."""

    session_id: str
    user: Message
    reply: Message


@dataclass(frozen=True, slots=True)
class ReplyStarted:
    """The model's next reply opened after its tool calls got their results."""

    session_id: str
    reply: Message


@dataclass(slots=True)
class ReplyUpdated:
    """The reply grew; `event` is the provider event that changed it. (One per token:
    not frozen, whose __init__ costs 3x as much, ~0.8 us a token; treat it as frozen.)"""

    session_id: str
    reply: Message
    event: ProviderEvent


@dataclass(frozen=True, slots=True)
class TurnFinished:
    """The reply is final: complete, interrupted (aborted or broken) or error."""

    session_id: str
    reply: Message
    duration_s: float


EngineEvent = TurnStarted | ReplyStarted | ReplyUpdated | TurnFinished
