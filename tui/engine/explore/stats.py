"""Metrics of a session: messages, steps, tool calls (and per tool), tokens and cost,
for its whole transcript, for its branch (since its fork point) and for its family."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.engine.sessions.model import Message, Role, ToolResultPart, ToolUsePart

if TYPE_CHECKING:
    from tui.engine.engine import Engine


@dataclass(frozen=True, slots=True)
class Counts:
    messages: int = 0
    prompts: int = 0  # the user's messages
    steps: int = 0  # the model's replies (a tool round is one more step)
    tool_calls: int = 0
    tool_errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    per_tool: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "prompts": self.prompts,
            "steps": self.steps,
            "tool_calls": self.tool_calls,
            "tool_errors": self.tool_errors,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "per_tool": dict(sorted(self.per_tool.items())),
        }


def count(messages: list[Message]) -> Counts:
    per_tool: dict[str, int] = {}
    errors = 0
    for message in messages:
        for part in message.parts:
            if isinstance(part, ToolUsePart):
                per_tool[part.name] = per_tool.get(part.name, 0) + 1
            elif isinstance(part, ToolResultPart) and part.is_error:
                errors += 1
    return Counts(
        messages=len(messages),
        prompts=sum(1 for m in messages if m.role is Role.USER),
        steps=sum(1 for m in messages if m.role is Role.ASSISTANT),
        tool_calls=sum(per_tool.values()),
        tool_errors=errors,
        input_tokens=sum(m.usage.input_tokens or 0 for m in messages),
        output_tokens=sum(m.usage.output_tokens or 0 for m in messages),
        cost_usd=sum(m.usage.cost_usd or 0.0 for m in messages),
        per_tool=per_tool,
    )


def session_stats(engine: Engine, session_id: str) -> dict[str, Any]:
    """The session's counts: `session` (its transcript), `branch` (what it added since
    its fork point) and `family` (every message of its tree, once)."""
    session = engine.session(session_id)
    transcript = engine.transcript(session.id)
    since = session.fork_depth + 1 if session.fork_depth is not None else 0
    root = session.root_id
    family = [engine.store.get_message(root, mid) for mid in engine.store.family_message_ids(root)]
    return {
        "session_id": session.id,
        "title": session.title,
        "session": count(transcript).to_dict(),
        "branch": count(transcript[since:]).to_dict(),
        "family": count(family).to_dict() | {"sessions": len(engine.family(session.id))},
    }
