"""What an import did, file by file: the summary `forktree import` prints and the app shows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class FileResult:
    path: str
    action: str  # imported | updated | unchanged | failed
    sessions: int = 0
    messages: int = 0
    skipped_lines: int = 0
    reason: str = ""


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for f in self.files if f.action == action)

    def to_dict(self) -> dict[str, object]:
        return {
            "imported": self.count("imported"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "failed": self.count("failed"),
            "sessions": sum(f.sessions for f in self.files),
            "messages": sum(f.messages for f in self.files),
            "skipped_lines": sum(f.skipped_lines for f in self.files),
            "files": [f.__dict__ for f in self.files if f.action != "unchanged"],
        }


def load_state(path: Path) -> dict[str, Any]:
    """An importer's memory of what it read (file -> signature, sessions); empty when
    missing or damaged (everything is then read again: imports are idempotent)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(path: Path, state: dict[str, Any]) -> None:
    from tui.engine.store.atomic import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(str(path), json.dumps(state).encode())
