"""What a message becomes in the search index: its text and its home rowid, from a
decoded message or straight from its stored document (the first build reads every
message once, and decoding would be most of that)."""

from __future__ import annotations

import json
from typing import Any

from tui.engine.sessions.model import (
    FileChangePart,
    Message,
    TextPart,
    ThinkingPart,
    ToolResultPart,
    ToolUsePart,
)

TOOL_TEXT_LIMIT = 20_000


def searchable_text(message: Message) -> str:
    """What a search sees of a message: text, thinking, tool calls and their results."""
    pieces: list[str] = []
    for part in message.parts:
        if isinstance(part, TextPart | ThinkingPart):
            pieces.append(part.text)
        elif isinstance(part, ToolUsePart):
            pieces.append(f"{part.name} {json.dumps(part.input, ensure_ascii=False)}")
        elif isinstance(part, ToolResultPart):
            pieces.append(part.content[:TOOL_TEXT_LIMIT])
        elif isinstance(part, FileChangePart):
            pieces.append(part.path)
    return "\n".join(pieces)


def doc_text(doc: dict[str, Any]) -> str:
    """`searchable_text` of a stored message document, without decoding the message."""
    pieces: list[str] = []
    for part in doc.get("parts") or ():
        if not isinstance(part, dict):
            continue
        kind = part.get("kind")
        if kind in ("text", "thinking"):
            pieces.append(str(part.get("text", "")))
        elif kind == "tool_use":
            pieces.append(
                f"{part.get('name', '')} {json.dumps(part.get('input') or {}, ensure_ascii=False)}"
            )
        elif kind == "tool_result":
            pieces.append(str(part.get("content", ""))[:TOOL_TEXT_LIMIT])
        elif kind == "file_change":
            pieces.append(str(part.get("path", "")))
    return "\n".join(pieces)


def row_of(message: Message) -> int:
    """A message's home rowid: its time in ms, then 20 bits of its id. Stable (deletes go
    by rowid, never a scan) and ordered by time, so the newest matches come first."""
    return _home_row(message.id, message.created)


def doc_row(doc: dict[str, Any]) -> int:
    """`row_of` for a stored document."""
    created = doc.get("created")
    stamp = created if isinstance(created, int | float) and not isinstance(created, bool) else 0
    return _home_row(str(doc.get("id", "")), float(stamp))


def _home_row(message_id: str, created: float) -> int:
    try:
        bits = int(message_id[:5], 16)
    except ValueError:
        bits = int.from_bytes(message_id.encode()[:3].ljust(3, b"\0"), "big")
    return (stamp_ms(created) << 20) | (bits & 0xFFFFF)


def stamp_ms(stamp: float) -> int:
    """A time in ms, kept to the 42 bits a rowid gives it (years 1970 to 2109)."""
    return max(0, min(int(stamp * 1000), (1 << 42) - 1))
