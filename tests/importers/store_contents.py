"""What a store holds, document for document: to hold two ways of importing equal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.engine import Engine


def contents(engine: Engine) -> dict[str, Any]:
    """Every session's document and its transcript's documents, by session id."""
    return {s.id: (s.to_dict(), [m.to_dict() for m in engine.transcript(s.id)])
            for s in engine.sessions()}  # fmt: skip


def contents_at(home: Path) -> dict[str, Any]:
    """`contents` of the store at `home`."""
    engine = Engine.open(home)
    try:
        return contents(engine)
    finally:
        engine.close()
