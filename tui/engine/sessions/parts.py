"""The parts a message is made of: text, thinking, a tool call and its result."""

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


Part = TextPart | ThinkingPart | ToolUsePart | ToolResultPart


def part_to_dict(part: Part) -> dict[str, Any]:
    if isinstance(part, TextPart | ThinkingPart):
        return {"kind": part.kind, "text": part.text}
    if isinstance(part, ToolUsePart):
        return {"kind": part.kind, "tool_id": part.tool_id, "name": part.name, "input": part.input}
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
    raise ValueError(f"unknown part kind {kind!r}")
