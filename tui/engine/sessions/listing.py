"""Listing sessions for a start: the newest families first, the whole index after.

A store that keeps a list of its most recently active families (TinyDB's index/recent-families)
gives a start what it shows without reading every session; the rest is read in small
steps once the screen is up, so the app can draw and take keys in between.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.engine.sessions.model import Session, SessionRow

if TYPE_CHECKING:
    from tui.engine.store import SessionStore
    from tui.engine.store.recent import RecentFamilies


@dataclass(frozen=True)
class FirstRows:
    """The rows a start shows, newest first (archived ones left out)."""

    rows: list[SessionRow]
    complete: bool  # every row of the store; else whole families, the newest ones
    session: Callable[[str], Session]  # the session of a row, as the tree shows it
    shown: int  # the store's unarchived sessions, listed here or not
    from_list: bool = False  # read from the store's list of its newest families


def newest(rows: list[SessionRow], include_archived: bool = False) -> list[SessionRow]:
    """The rows (unarchived ones unless `include_archived`), most recently updated first."""
    kept = rows if include_archived else [r for r in rows if not r.archived]
    return sorted(kept, key=lambda r: r.updated, reverse=True)


def first_rows(
    store: SessionStore, families: int, every_row: Callable[[], list[SessionRow]],
    session: Callable[[str], Session],
) -> FirstRows:  # fmt: skip
    """At least the `families` most recently active families' rows, from the store's
    recent list when it can tell; else `every_row()`."""
    listed: RecentFamilies | None = getattr(store, "recent_families", lambda: None)()
    if listed is not None:
        shown: list[SessionRow] = []
        count = 0
        for family in listed.families:
            rows = [r for r in family if not r.archived]
            # above the floor no family was left out of the list: these are the newest
            if rows and (listed.floor is None or max(r.updated for r in rows) > listed.floor):
                shown.extend(rows)
                count += 1
        if listed.complete or count >= families:

            def read(session_id: str) -> Session:
                return listed.session(session_id) or session(session_id)

            return FirstRows(newest(shown), listed.complete, read, listed.shown, True)
    rows = every_row()
    return FirstRows(rows, True, session, len(rows))


def read_in_steps(store: SessionStore, whole: bool = False) -> Iterator[None]:
    """Read the store's index a part at a time (a store without parts: at once), as
    rows, or with `whole` as sessions."""
    steps = getattr(store, "list_in_steps", None)
    if steps is not None:
        yield from steps(shards=1, kind=Session) if whole else steps()
