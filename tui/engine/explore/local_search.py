"""The embedded store's search index over a run: opened when first used, kept current
after each write, and replaced when damaged. It is a cache derived from the store, so
no search and no write ever fails because of it."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from typing import TypeVar

from tui.engine.explore.search import Filters, Hit, SearchIndex
from tui.engine.explore.search_build import BuildProgress, is_damage
from tui.engine.sessions.model import Message
from tui.engine.store.protocol import SessionStore
from tui.engine.store.quarantine import set_aside_search_index

T = TypeVar("T")


class LocalSearch:
    """One store's `SearchIndex`, in `search.sqlite3` beside its files."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self._index: SearchIndex | None = None

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex(self.store, self.store.home)
        return self._index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    def search(self, text: str, filters: Filters | None, limit: int) -> list[Hit]:
        def again(index: SearchIndex) -> None:  # a new index: its build runs behind
            index.sync(background=True)

        return self._use(lambda index: index.search(text, filters, limit), again)

    def prepare(self) -> BuildProgress | None:
        """Start a first build in the background when the index is far behind; its
        progress, or None when there is nothing to wait for (see `Engine.prepare_search`)."""
        before = self._index.progress if self._index is not None else None

        def start(index: SearchIndex) -> BuildProgress | None:
            index.sync(background=True)
            progress = index.progress
            if progress is None or (progress is before and not index.building):
                return None
            return progress  # this call's build, even one that already ended (or failed)

        return self._use(start)

    def add(self, root_id: str, messages: list[Message]) -> None:
        """Index a write's messages, once the index exists (the first search builds it)."""
        if self._index is None and not (self.store.home / "search.sqlite3").exists():
            return
        try:
            self.index.add(root_id, messages)
        except sqlite3.Error as exc:
            if is_damage(exc):
                self._drop(exc)
            # else (locked by another process past the timeout): the family's mark was
            # not moved, so the next sync re-indexes it from its changed file

    def _use(
        self, use: Callable[[SearchIndex], T], again: Callable[[SearchIndex], None] | None = None
    ) -> T:
        """`use` the index. A damaged one (a corrupt file, or one its build found damaged)
        is moved aside with a problem noted, and `use` runs once more on a new one, after
        `again` (which can start its build)."""
        if self._index is not None and self._index.damage is not None:
            self._drop(self._index.damage)
        try:
            return use(self.index)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._drop(exc)
        index = self.index
        if again is not None:
            again(index)
        return use(index)

    def _drop(self, exc: Exception) -> None:
        """Move the damaged index into quarantine/; the next use builds it again."""
        if self._index is not None:
            with contextlib.suppress(Exception):  # it is being thrown away
                self._index.close()
            self._index = None
        with contextlib.suppress(OSError):
            set_aside_search_index(self.store.home)
        self.store.problems.append(
            f"{self.store.home / 'search.sqlite3'} was damaged ({exc}); moved aside to "
            "quarantine/, search builds it again from the store"
        )
