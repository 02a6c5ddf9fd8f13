"""Holding the search index's background build half-way, to look at it meanwhile."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tui.engine.explore import search_build


def hold_build(monkeypatch: pytest.MonkeyPatch, families: int) -> threading.Event:
    """The build reads `families` family files, then waits at the next until the
    returned event is set (the real reader still reads every file)."""
    gate = threading.Event()
    reader = search_build.read_family_docs
    read: list[Path] = []

    def held(path: Path) -> list[dict[str, object]]:
        read.append(path)
        if len(read) == families + 1:
            gate.wait(10)
        return reader(path)

    monkeypatch.setattr(search_build, "read_family_docs", held)
    return gate


def one_family_per_batch(monkeypatch: pytest.MonkeyPatch, background: int) -> None:
    """Batches of one family each (one message per family in these tests), and a build
    in the background from `background` families up."""
    monkeypatch.setattr(search_build, "FIRST_BATCH", 1)
    monkeypatch.setattr(search_build, "BATCH", 1)
    monkeypatch.setattr("tui.engine.explore.search.BACKGROUND_FAMILIES", background)
