"""Small hand-written Claude Code transcripts, one pitfall at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SID = "11111111-2222-3333-4444-555555555555"


class Transcript:
    """Builds JSONL lines in Claude Code's on-disk format."""

    def __init__(self, session_id: str = SID, cwd: str = "/work/proj", branch: str = "main"):
        self.lines: list[dict[str, Any]] = []
        self.sid, self.cwd, self.branch = session_id, cwd, branch
        self.n = 0

    def _base(self, kind: str, parent: str | None, **extra: Any) -> dict[str, Any]:
        self.n += 1
        uuid = extra.pop("uuid", f"u{self.n:04d}")
        rec = {
            "parentUuid": parent,
            "isSidechain": False,
            "userType": "external",
            "cwd": self.cwd,
            "sessionId": self.sid,
            "version": "2.1.7",
            "gitBranch": self.branch,
            "type": kind,
            "uuid": uuid,
            "timestamp": extra.pop(
                "timestamp", f"2026-01-01T10:{self.n // 60:02d}:{self.n % 60:02d}.000Z"
            ),
        }
        rec.update(extra)
        self.lines.append(rec)
        return rec

    def user(self, text: str | list[Any], parent: str | None, **extra: Any) -> str:
        return self._base("user", parent, message={"role": "user", "content": text}, **extra)[
            "uuid"
        ]

    def result(
        self, tool_id: str, content: Any, parent: str, is_error: bool = False, **extra: Any
    ) -> str:
        block = {
            "type": "tool_result",
            "tool_use_id": tool_id,
            "content": content,
            "is_error": is_error,
        }
        return self.user([block], parent, **extra)

    def assistant(
        self,
        blocks: list[dict[str, Any]],
        parent: str | None,
        msg_id: str,
        out_tokens: int = 5,
        model: str = "claude-sonnet-4-5",
        **extra: Any,
    ) -> str:
        message = {
            "model": model,
            "id": msg_id,
            "type": "message",
            "role": "assistant",
            "content": blocks,
            "stop_reason": None,
            "usage": {
                "input_tokens": 100,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": out_tokens,
            },
        }
        return self._base("assistant", parent, message=message, requestId=f"req_{msg_id}", **extra)[
            "uuid"
        ]

    def system(self, subtype: str, parent: str | None, **extra: Any) -> str:
        return self._base("system", parent, subtype=subtype, **extra)["uuid"]

    def raw(self, obj: dict[str, Any]) -> None:
        self.lines.append(obj)

    def text(self) -> str:
        return "\n".join(json.dumps(line) for line in self.lines) + "\n"

    def write(self, path: Path, trailing_newline: bool = True) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = self.text()
        path.write_text(body if trailing_newline else body.rstrip("\n"))
        return path


def text(t: str) -> dict[str, Any]:
    return {"type": "text", "text": t}


def tool_use(tool_id: str, name: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_use", "id": tool_id, "name": name, "input": data}
