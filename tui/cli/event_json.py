"""Runtime events as JSON objects, one a line, for `forktree send --stream-json`
(in the spirit of `claude -p --output-format stream-json`)."""

from __future__ import annotations

from typing import Any

from tui.engine.sessions.events import (
    Failed,
    ReplyStarted,
    ReplyUpdated,
    Retrying,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    ToolOutput,
    ToolResult,
    TurnFinished,
    TurnStarted,
    UsageReport,
)
from tui.engine.turns.runtime import RuntimeEvent, SessionRenamed, StateChanged, TurnResult


def event_json(event: RuntimeEvent) -> dict[str, Any] | None:
    """One event as a JSON object (None for what a script has no use for)."""
    sid = event.session_id
    if isinstance(event, TurnResult):
        return event.to_dict()
    if isinstance(event, StateChanged):
        return {"type": "state", "session_id": sid, "state": event.new.value,
                "previous": event.old.value, "reason": event.reason}  # fmt: skip
    if isinstance(event, TurnStarted):
        return {"type": "turn_started", "session_id": sid, "user_message_id": event.user.id,
                "reply_id": event.reply.id}  # fmt: skip
    if isinstance(event, ReplyStarted):
        return {"type": "reply_started", "session_id": sid, "reply_id": event.reply.id}
    if isinstance(event, TurnFinished):
        return {"type": "reply_finished", "session_id": sid, "reply_id": event.reply.id,
                "status": event.reply.status.value, "error": event.reply.error}  # fmt: skip
    if isinstance(event, SessionRenamed):
        return {"type": "renamed", "session_id": sid, "title": event.title}
    if not isinstance(event, ReplyUpdated):
        return None
    inner = event.event
    base = {"session_id": sid, "reply_id": event.reply.id}
    if isinstance(inner, TextDelta):
        return {"type": "text", **base, "text": inner.text}
    if isinstance(inner, ThinkingDelta):
        return {"type": "thinking", **base, "text": inner.text}
    if isinstance(inner, ToolCall):
        return {"type": "tool_call", **base, "tool_id": inner.tool_id, "name": inner.name,
                "input": inner.input}  # fmt: skip
    if isinstance(inner, ToolOutput):
        return {"type": "tool_output", **base, "tool_id": inner.tool_id, "text": inner.text}
    if isinstance(inner, ToolResult):
        return {"type": "tool_result", **base, "tool_id": inner.tool_id,
                "content": inner.content, "is_error": inner.is_error,
                "exit_code": inner.exit_code}  # fmt: skip
    if isinstance(inner, Retrying):
        return {"type": "retrying", **base, "reason": inner.reason, "delay_s": inner.delay_s,
                "attempt": inner.attempt, "attempts": inner.attempts}  # fmt: skip
    if isinstance(inner, UsageReport):
        return {"type": "usage", **base, "input_tokens": inner.usage.input_tokens,
                "output_tokens": inner.usage.output_tokens}  # fmt: skip
    if isinstance(inner, Failed):
        return {"type": "failed", **base, "error": inner.error}
    return None
