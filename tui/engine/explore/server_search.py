"""Search on a server store, in the database's own text search."""

from __future__ import annotations

from tui.engine.explore.search import Filters, Hit, session_for
from tui.engine.store.protocol import SessionStore


def server_search(
    store: SessionStore, text: str, filters: Filters | None = None, limit: int = 50
) -> list[Hit]:
    """Search on a server store in its own text search (PostgreSQL: a tsvector with a GIN
    index), with the same filters and hits as the local index."""
    filters = filters or Filters()
    if not text.strip():
        return []
    search = store.search_messages  # type: ignore[attr-defined]
    hits: list[Hit] = []
    for mid, root, role, created, snippet, score in search(
        text, filters.since, filters.until, limit * 4
    ):
        session = session_for(store, root, mid, filters)
        if session is not None:
            hits.append(Hit(mid, root, role, float(created), snippet, float(score), session))
            if len(hits) >= limit:
                break
    return hits
