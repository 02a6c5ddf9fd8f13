"""What an import did, file by file: the summary `forktree import` prints and the app shows."""

from __future__ import annotations

from dataclasses import dataclass, field


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
