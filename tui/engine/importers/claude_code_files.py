"""The files a Claude Code session's tool calls changed, read from the calls' inputs."""

from __future__ import annotations

from typing import Any

from tui.engine.sessions.model import FileChangePart

FILE_TOOLS = {"Edit", "MultiEdit", "Write", "NotebookEdit"}


def _lines(text: object) -> int:
    return len(text.splitlines()) if isinstance(text, str) else 0


def edits_of(
    tool_id: str, name: str, data: dict[str, Any], cwd: str | None
) -> list[FileChangePart]:
    """The file a Claude Code Edit / MultiEdit / Write call changed, read from its input:
    its path (relative to the session's folder when inside it) and lines changed. The
    contents are not kept (`recorded` False): forktree never rewrites that workspace."""
    if name not in FILE_TOOLS:
        return []
    path = data.get("file_path") or data.get("notebook_path")
    if not isinstance(path, str) or not path:
        return []
    if cwd and path.startswith(cwd.rstrip("/") + "/"):
        path = path[len(cwd.rstrip("/")) + 1 :]
    if name == "Write":
        added, removed = _lines(data.get("content")), 0
    elif name == "MultiEdit":
        edits = [e for e in data.get("edits") or () if isinstance(e, dict)]
        added = sum(_lines(e.get("new_string")) for e in edits)
        removed = sum(_lines(e.get("old_string")) for e in edits)
    else:
        added, removed = (
            _lines(data.get("new_string") or data.get("new_source")),
            _lines(data.get("old_string")),
        )
    return [FileChangePart(tool_id, path, None, None, added, removed, recorded=False)]
