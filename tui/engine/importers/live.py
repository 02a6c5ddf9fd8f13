"""Live watch of an imported agent session that is running right now: its source file
is checked (a stat) and read again, incrementally, when it changed."""

from __future__ import annotations

import os
from pathlib import Path

from tui.engine.engine import Engine
from tui.engine.sessions.model import Session

WATCHED = ("claude_code", "codex")  # one rollout / transcript file per session


def source_signature(session: Session) -> tuple[int, int] | None:
    """(size, mtime) of the session's source file; None when it has none."""
    if session.origin.kind not in WATCHED or not session.origin.source_path:
        return None
    try:
        st = os.stat(session.origin.source_path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def refresh_from_source(engine: Engine, session: Session) -> int:
    """Import the session's source file again; the messages it read (0: unchanged)."""
    path = Path(session.origin.source_path or "")
    if session.origin.kind == "codex":
        from tui.engine.importers.codex import CodexImporter

        report = CodexImporter(engine).run(path)
    else:
        from tui.engine.importers.claude_code import ClaudeCodeImporter

        report = ClaudeCodeImporter(engine).run(path)
    return sum(f.messages for f in report.files if f.action in ("imported", "updated"))
