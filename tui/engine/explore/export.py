"""Export a session's transcript as readable Markdown or lossless JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tui.engine.sessions.model import (
    Message,
    Session,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
)

EXPORT_FORMAT = "forktree-session"
EXPORT_VERSION = 1


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _fence(text: str, lang: str = "") -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{lang}\n{text}\n{ticks}"


def to_markdown(session: Session, messages: list[Message]) -> str:
    """Readable Markdown: thinking and tool calls folded in <details> blocks."""
    lines = [f"# {session.title}", ""]
    meta = f"Session `{session.id}` · {session.provider}"
    if session.model:
        meta += f" / {session.model}"
    meta += f" · {len(messages)} messages · created {iso(session.created)}"
    lines += [meta, ""]
    for message in messages:
        who = {"user": "You", "assistant": "Assistant"}.get(
            message.role.value, message.role.value.title()
        )
        status = "" if message.status.value == "complete" else f" *({message.status.value})*"
        lines += [f"## {who}{status}", ""]
        for part in message.parts:
            if isinstance(part, TextPart):
                lines += [part.text, ""]
            elif isinstance(part, ThinkingPart):
                lines += [
                    "<details><summary>Thinking</summary>",
                    "",
                    part.text,
                    "",
                    "</details>",
                    "",
                ]
            elif isinstance(part, ToolUsePart):
                lines += [
                    f"<details><summary>Tool call: {part.name}</summary>",
                    "",
                    _fence(json.dumps(part.input, indent=2, ensure_ascii=False), "json"),
                    "",
                    "</details>",
                    "",
                ]
            elif isinstance(part, ToolResultPart):
                label = "Tool error" if part.is_error else "Tool result"
                lines += [
                    f"<details><summary>{label}</summary>",
                    "",
                    _fence(part.content),
                    "",
                    "</details>",
                    "",
                ]
        if message.error:
            lines += [f"> {message.error}", ""]
    return "\n".join(lines).rstrip() + "\n"


def to_json_data(session: Session, messages: list[Message]) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "session": session.to_dict(),
        "messages": [m.to_dict() for m in messages],
    }


def to_json(session: Session, messages: list[Message]) -> str:
    """Lossless JSON: the session doc and every message with all its parts."""
    return json.dumps(to_json_data(session, messages), indent=2, ensure_ascii=False) + "\n"


TREE_FORMAT = "forktree-tree"


def tree_to_json_data(sessions: list[Session], messages: list[Message]) -> dict[str, Any]:
    """A whole family, lossless: every session (branch heads, fork links) and message."""
    return {
        "format": TREE_FORMAT,
        "version": EXPORT_VERSION,
        "sessions": [s.to_dict() for s in sessions],
        "messages": [m.to_dict() for m in sorted(messages, key=lambda m: (m.depth, m.created))],
    }
