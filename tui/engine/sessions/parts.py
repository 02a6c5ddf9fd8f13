"""The parts a message is made of: text, thinking, a tool call and its result, and the
files a tool call changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class TextPart:
    text: str
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class ThinkingPart:
    text: str
    kind: str = "thinking"


@dataclass(frozen=True, slots=True)
class ToolUsePart:
    tool_id: str
    name: str
    input: dict[str, Any]
    kind: str = "tool_use"


@dataclass(frozen=True, slots=True)
class ToolResultPart:
    tool_id: str
    content: str
    is_error: bool = False
    kind: str = "tool_result"
    exit_code: int | None = None  # a shell command's, when one ran
    duration_s: float | None = None  # how long a tool we ran took


@dataclass(frozen=True, slots=True)
class FileChangePart:
    """One file a tool call changed, in the session's folder: its content before and
    after as blob hashes (None: the file did not exist), for restoring and diffing.
    `recorded` is False where the contents were not kept (a file over the size limit,
    or an imported agent's edit): then only its path and line counts are known.
    `added` / `removed` count its lines."""

    tool_id: str
    path: str  # relative to the session's folder
    before: str | None
    after: str | None
    added: int = 0
    removed: int = 0
    recorded: bool = True
    kind: str = "file_change"


Part = TextPart | ThinkingPart | ToolUsePart | ToolResultPart | FileChangePart


def part_to_dict(part: Part) -> dict[str, Any]:
    if isinstance(part, TextPart | ThinkingPart):
        return {"kind": part.kind, "text": part.text}
    if isinstance(part, ToolUsePart):
        return {"kind": part.kind, "tool_id": part.tool_id, "name": part.name, "input": part.input}
    if isinstance(part, FileChangePart):
        return {
            "kind": part.kind,
            "tool_id": part.tool_id,
            "path": part.path,
            "before": part.before,
            "after": part.after,
            "added": part.added,
            "removed": part.removed,
            "recorded": part.recorded,
        }
    data = {
        "kind": part.kind,
        "tool_id": part.tool_id,
        "content": part.content,
        "is_error": part.is_error,
    }
    if part.exit_code is not None:
        data["exit_code"] = part.exit_code
    if part.duration_s is not None:
        data["duration_s"] = part.duration_s
    return data


def part_from_dict(data: dict[str, Any]) -> Part:
    kind = data.get("kind")
    if kind == "text":
        return TextPart(str(data.get("text", "")))
    if kind == "thinking":
        return ThinkingPart(str(data.get("text", "")))
    if kind == "tool_use":
        return ToolUsePart(str(data["tool_id"]), str(data["name"]), dict(data.get("input") or {}))
    if kind == "tool_result":
        code, took = data.get("exit_code"), data.get("duration_s")
        return ToolResultPart(
            str(data["tool_id"]),
            str(data.get("content", "")),
            bool(data.get("is_error")),
            exit_code=int(code) if code is not None else None,
            duration_s=float(took) if took is not None else None,
        )
    if kind == "file_change":
        before, after = data.get("before"), data.get("after")
        return FileChangePart(
            str(data["tool_id"]),
            str(data["path"]),
            None if before is None else str(before),
            None if after is None else str(after),
            _count(data.get("added")),
            _count(data.get("removed")),
            bool(data.get("recorded", True)),
        )
    raise ValueError(f"unknown part kind {kind!r}")


def _count(value: object) -> int:
    """A line count: a whole number from 0 to 2**53, else a damaged record."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**53:
        raise ValueError(f"a line count is {value!r:.40}, not a count")
    return value
