"""Cleanup: find sessions older than N days or matching a search, then archive or delete
them. Callers show the list first (a dry run) and act only when asked."""

from __future__ import annotations

import time

from tui.engine.engine import Engine
from tui.engine.errors import InvalidInputError
from tui.engine.sessions.model import Session


def candidates(
    engine: Engine,
    older_than_days: float | None = None,
    matching: str | None = None,
    include_archived: bool = False,
) -> list[Session]:
    """Sessions last updated more than `older_than_days` ago and/or holding a match."""
    if older_than_days is None and not matching:
        raise InvalidInputError("say which sessions: --older-than DAYS and/or --match QUERY")
    if older_than_days is not None and not (0 <= older_than_days < 1e6):
        raise InvalidInputError(f"--older-than takes a number of days >= 0, not {older_than_days}")
    pool = engine.sessions(include_archived=include_archived)
    if older_than_days is not None:
        cutoff = time.time() - older_than_days * 86400
        pool = [s for s in pool if s.updated < cutoff]
    if matching:
        from tui.engine.explore.search import Filters

        hits = engine.search(matching, Filters(archived=include_archived), limit=10_000)
        matched = {h.session.id for h in hits if h.session}
        pool = [s for s in pool if s.id in matched]
    return pool


def apply(engine: Engine, sessions: list[Session], delete: bool = False) -> int:
    """Archive (default) or delete these sessions; returns how many changed."""
    for session in sessions:
        if delete:
            engine.delete(session.id)
        else:
            engine.archive(session.id)
    return len(sessions)
