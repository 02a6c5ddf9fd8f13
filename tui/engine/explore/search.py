"""Full-text search over every message of every session.

The index is SQLite FTS5 (in the standard library: BM25 ranking, a unicode tokenizer
that folds accents, incremental inserts in microseconds). It is a cache derived from the
store, kept up to date as messages are written and re-synced per family file when
another process changed one; deleting it loses nothing.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tui.engine.explore.search_build import PROBES, BackgroundBuild, BuildProgress, Family, build
from tui.engine.explore.search_rows import row_of, searchable_text, stamp_ms
from tui.engine.sessions.model import Message, Session
from tui.engine.sessions.tree import is_ancestor
from tui.engine.store.protocol import SessionStore

SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS messages USING fts5(
    body, message_id UNINDEXED, root_id UNINDEXED, role UNINDEXED, created UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS docs (
    root_id TEXT NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (root_id, row)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS families (root_id TEXT PRIMARY KEY, signature TEXT);
"""
SCHEMA_VERSION = 3  # 2: rowids ordered by time; 3: docs by family (older are rebuilt)
SYNC_BATCH = 200  # families re-indexed per transaction
BACKGROUND_FAMILIES = 500  # a first build this big runs in the background
RANK_WINDOW = 2000  # the newest matches ranked; a common word does not rank a million rows
MAX_ROW = (1 << 62) - 1
RACY_S = 2.0  # a folder changed this recently is listed again next time
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """User words -> an FTS5 query: every word must match, as a word or its start."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


@dataclass(frozen=True, slots=True)
class Hit:
    message_id: str
    root_id: str
    role: str
    created: float
    snippet: str  # with [ and ] around the matched words
    score: float
    session: Session | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    provider: str | None = None
    model: str | None = None
    project: str | None = None
    since: float | None = None
    until: float | None = None
    archived: bool = False  # include archived sessions


def _signature(path: Path) -> str:
    try:
        st = path.stat()
    except FileNotFoundError:
        return ""
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


class SearchIndex:
    """The FTS5 index of a file store, kept in `search.sqlite3` beside its files."""

    def __init__(self, store: SessionStore, home: Path) -> None:
        self.store = store
        self.home = home
        self.db = self._connect()
        try:
            if self.db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                with self.db:  # an older layout: start again, sync() rebuilds it
                    for table in ("messages", "docs", "families"):
                        self.db.execute(f"DROP TABLE IF EXISTS {table}")
                    self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.executescript(SCHEMA)
        except sqlite3.Error:
            self.db.close()  # a damaged file: the engine moves it aside
            raise
        self._folders: dict[str, int] = {}  # family folder -> mtime when last listed
        self._build: BackgroundBuild | None = None

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.home / "search.sqlite3", timeout=10.0, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # a derived cache, rebuilt from the store if lost: no fsync on every commit
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            db.close()  # a damaged file: the engine moves it aside
            raise
        return db

    def close(self) -> None:
        if self._build is not None:
            self._build.stop()
        self.db.close()

    @property
    def damage(self) -> sqlite3.DatabaseError | None:
        """The corruption the background build met, if it met one."""
        return self._build.progress.damage if self._build is not None else None

    @property
    def building(self) -> bool:
        """A first build is running in the background (searches see what it has done)."""
        return self._build is not None and self._build.running

    def _family_path(self, root_id: str) -> Path:
        return self.home / "families" / root_id[:2] / f"{root_id}.json"

    # -- keeping it up to date ---------------------------------------------------------

    def add(self, root_id: str, messages: list[Message]) -> None:
        """Index (or re-index) these messages; the family counts as synced again. During a
        background build the family is left to it (its file changed: the next sync or the
        build itself reads it)."""
        if self.building:
            return
        with self.db:
            self._put(root_id, messages)
            self._mark(root_id)

    def _slot(self, message: Message) -> int:
        """The rowid holding `message`, else the first free one from its home rowid."""
        home = row_of(message)
        for row in range(home, home + PROBES):
            found = self.db.execute(
                "SELECT message_id FROM messages WHERE rowid = ?", (row,)
            ).fetchone()
            if found is None or found[0] == message.id:
                return row
        raise sqlite3.IntegrityError(f"no free search slot near {home} for {message.id}")

    def _put(self, root_id: str, messages: list[Message]) -> None:
        for message in messages:
            row = self._slot(message)
            self.db.execute("DELETE FROM messages WHERE rowid = ?", (row,))
            self.db.execute(
                "INSERT INTO messages (rowid, body, message_id, root_id, role, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (row, searchable_text(message), message.id, root_id, message.role.value,
                 message.created),
            )  # fmt: skip
            self.db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?)", (root_id, row))

    def _drop_family(self, root_id: str) -> None:
        self.db.execute(
            "DELETE FROM messages WHERE rowid IN (SELECT row FROM docs WHERE root_id = ?)",
            (root_id,),
        )
        self.db.execute("DELETE FROM docs WHERE root_id = ?", (root_id,))

    def _mark(self, root_id: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO families VALUES (?, ?)",
            (root_id, _signature(self._family_path(root_id))),
        )

    def sync(self, background: bool = False) -> int:
        """Re-index every family file that changed since it was indexed; drop gone ones.
        Only folders whose mtime moved are listed (a store write replaces a file, which
        touches its folder), so a search in a quiet store costs one stat per folder.
        With `background`, a large first build goes on in a thread (`progress` tells how
        far) and this returns at once; while it runs, searches read what it has done."""
        if self.building:
            return 0
        last = self._build.progress if self._build is not None else None
        if last is not None and last.done < last.total:
            self._folders.clear()  # a build that stopped short: every folder listed again
            self._build = None
        fresh, again, gone = self._plan()
        if fresh and self.db.execute("SELECT 1 FROM docs LIMIT 1").fetchone():
            with self.db:  # not a first build: rows of families whose mark was lost
                for family in fresh:
                    self._drop_family(family.root_id)
        for start in range(0, len(again), SYNC_BATCH):
            with self.db:
                for root_id in again[start : start + SYNC_BATCH]:
                    self._reindex(root_id)
        if gone:
            with self.db:
                for root_id in gone:
                    self._drop_family(root_id)
                    self.db.execute("DELETE FROM families WHERE root_id = ?", (root_id,))
        if background and len(fresh) >= BACKGROUND_FAMILIES:
            self._build = BackgroundBuild(self._connect, self.store, fresh)
        elif fresh:
            build(self.db, self.store, fresh, BuildProgress(len(fresh)))
        return len(fresh) + len(again) + len(gone)

    @property
    def progress(self) -> BuildProgress | None:
        """The last background build's progress (None when there was none)."""
        return self._build.progress if self._build is not None else None

    def _plan(self) -> tuple[list[Family], list[str], set[str]]:
        """Families never indexed (newest first), changed ones, and gone ones."""
        known = dict(self.db.execute("SELECT root_id, signature FROM families"))
        fresh: list[tuple[int, Family]] = []
        again: list[str] = []
        gone: set[str] = set()
        try:
            folders = list(os.scandir(self.home / "families"))
        except FileNotFoundError:
            folders = []
        now_ns = time.time_ns()
        listed: set[str] = set()
        for folder in folders:
            if not folder.is_dir():
                continue
            listed.add(folder.name)
            mtime = folder.stat().st_mtime_ns
            if self._folders.get(folder.name) == mtime:
                continue
            seen: set[str] = set()
            for entry in os.scandir(folder.path):
                if not entry.name.endswith(".json") or entry.name.startswith("."):
                    continue
                root_id = entry.name[:-5]
                seen.add(root_id)
                st = entry.stat()
                signature = f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
                if root_id not in known:
                    fresh.append((st.st_mtime_ns, Family(root_id, signature)))
                elif known[root_id] != signature:
                    again.append(root_id)
            gone |= {r for r in known if r[:2] == folder.name and r not in seen}
            if now_ns - mtime > RACY_S * 1e9:  # else a write in the same tick could hide
                self._folders[folder.name] = mtime
        if not self._folders or len(listed) < len({r[:2] for r in known}):
            gone |= {r for r in known if r[:2] not in listed}  # a whole folder went away
        fresh.sort(key=lambda pair: pair[0], reverse=True)  # the latest work is found first
        return [family for _, family in fresh], again, gone

    def _reindex(self, root_id: str) -> None:
        ids = list(self.store.family_message_ids(root_id))
        messages = [self.store.get_message(root_id, mid) for mid in ids]
        self._drop_family(root_id)
        self._put(root_id, messages)
        self._mark(root_id)

    # -- querying ----------------------------------------------------------------------

    def search(
        self, text: str, filters: Filters | None = None, limit: int = 50, sync: bool = True
    ) -> list[Hit]:
        """Best matches first (BM25), each with the session to open it in."""
        query = fts_query(text)
        if query is None:
            return []
        if sync:
            self.sync()
        build = self._build
        if build is not None and build.running:
            with build.paused():  # the build waits: this answers from what it has done
                return self._search(query, filters or Filters(), limit)
        return self._search(query, filters or Filters(), limit)

    def _search(self, query: str, filters: Filters, limit: int) -> list[Hit]:
        low, high = self._window(query, filters)
        sql = (
            "SELECT message_id, root_id, role, created, "
            "snippet(messages, 0, '[', ']', '…', 12), rank "
            "FROM messages WHERE messages MATCH ? AND rowid BETWEEN ? AND ? "
            "ORDER BY rank LIMIT ?"  # rank is BM25; ~35% cheaper than ORDER BY bm25()
        )
        args: list[object] = [query, low, high, limit * 4]  # room for hits filters drop
        hits: list[Hit] = []
        for mid, root, role, created, snippet, score in self.db.execute(sql, args):
            session = self._session_for(root, mid, filters)
            if session is None:
                continue
            hits.append(Hit(mid, root, role, float(created), snippet, float(score), session))
            if len(hits) >= limit:
                break
        return hits

    def _window(self, query: str, filters: Filters) -> tuple[int, int]:
        """The rowid range to rank: the date filters, narrowed to the newest RANK_WINDOW
        matches, found in rowid (time) order without ranking anything."""
        low = stamp_ms(filters.since) << 20 if filters.since is not None else 0
        high = ((stamp_ms(filters.until) + 1) << 20) - 1 if filters.until is not None else MAX_ROW
        row = self.db.execute(
            "SELECT rowid FROM messages WHERE messages MATCH ? AND rowid BETWEEN ? AND ? "
            "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (query, low, high, RANK_WINDOW - 1),
        ).fetchone()
        return (max(low, row[0]) if row else low), high

    def _session_for(self, root_id: str, message_id: str, filters: Filters) -> Session | None:
        return session_for(self.store, root_id, message_id, filters)


def session_for(
    store: SessionStore, root_id: str, message_id: str, filters: Filters
) -> Session | None:
    """The most recent session holding the message that passes the filters."""
    lookup = lambda mid: store.get_message(root_id, mid)  # noqa: E731
    try:
        family = store.family_sessions(root_id)
    except Exception:
        return None
    for session in sorted(family, key=lambda s: s.updated, reverse=True):
        if session.archived and not filters.archived:
            continue
        if filters.provider and session.provider != filters.provider:
            continue
        if filters.model and session.model != filters.model:
            continue
        if filters.project and session.origin.project != filters.project:
            continue
        try:
            if is_ancestor(message_id, session.head_id, lookup):
                return session
        except Exception:
            continue
    return None
