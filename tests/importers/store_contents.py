"""What a store holds, document for document: to hold two ways of importing equal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui.engine import Engine
from tui.engine.importers import bulk


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


def reports_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[[Engine], dict[str, Any]]
) -> list[dict[str, Any]]:
    """`run` (an import) on a store at tmp_path/one in this process, then on one at
    tmp_path/workers with two worker processes: the two reports."""
    monkeypatch.setattr(bulk, "worker_count", lambda: 2)
    reports = []
    for home, floor in ((tmp_path / "one", 1 << 60), (tmp_path / "workers", 0)):
        monkeypatch.setattr(bulk, "PARALLEL_BYTES", floor)
        engine = Engine.open(home)
        reports.append(run(engine))
        engine.close()
    return reports
