"""The search index's first build: families it has never seen, newest first.

Rows are computed from the stored documents without decoding messages (in worker
processes, for a big build of a file store: reading and decoding the files is half the
work, and the inserts are the other half), sorted by rowid and inserted many thousands
per transaction (FTS5 and the B-trees take sorted rows about twice as fast). Each batch
commits with the marks of its families, so a search meanwhile answers from what is
indexed so far, and a build stopped half-way (a kill, the app closing) goes on where it
stopped. A background build runs on a connection of its
own; SQLite's WAL lets the app's connection read while it writes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.engine.explore.search_rows import doc_row, doc_text
from tui.engine.store.protocol import SessionStore
from tui.engine.store.tinydb_files import read_family_docs
from tui.engine.util.process_pool import OrderedPool, worker_count

FIRST_BATCH = 1_000  # messages in the first transaction: the first results come soon
BATCH_MESSAGES = 50_000  # messages per transaction after it (memory stays bounded)
BATCH = 2_000  # families per transaction at most
GATE_ROWS = 256  # rows inserted between looks at whether a search waits
PROBES = 16  # rowid slots tried past a message's own when its time and hash collide
PARALLEL_FAMILIES = 200  # families of a build read by worker processes from this many
INLINE_FAMILIES = 64  # the first families, read here while the workers start
AHEAD_BYTES = 64 * 1024 * 1024  # of family files given to the workers ahead of the inserts
BUILD_CACHE_KB = 64 * 1024  # SQLite's page cache while building
INSERT_MESSAGE = (
    "INSERT INTO messages (rowid, body, message_id, root_id, role, created) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_DOC = "INSERT OR REPLACE INTO docs VALUES (?, ?)"
INSERT_FAMILY = "INSERT OR REPLACE INTO families VALUES (?, ?)"


@dataclass
class BuildProgress:
    """How far a build is: families indexed of those it set out to index."""

    total: int
    done: int = 0
    messages: int = 0
    finished: bool = False
    error: str | None = None
    damage: sqlite3.DatabaseError | None = None  # the index file is corrupt
    started: float = field(default_factory=time.perf_counter)
    batch_done: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def wait(self, timeout: float | None = None) -> None:
        """Until the next batch commits (or the build ends)."""
        with self.batch_done:
            if not self.finished:
                self.batch_done.wait(timeout)

    def _advance(self, families: int, messages: int) -> None:
        with self.batch_done:
            self.done += families
            self.messages += messages
            self.batch_done.notify_all()

    def _finish(self, error: str | None = None) -> None:
        with self.batch_done:
            self.finished, self.error = True, error
            self.batch_done.notify_all()


def is_damage(exc: sqlite3.Error) -> bool:
    """The index file is corrupt, or not a database (not: busy, locked, full)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


@dataclass(frozen=True, slots=True)
class Family:
    root_id: str
    signature: str  # the family file's, taken before it is read (a later write shows)


def build(
    db: sqlite3.Connection,
    store: SessionStore,
    families: Sequence[Family],
    progress: BuildProgress,
    stop: threading.Event | None = None,
    go: threading.Event | None = None,
) -> None:
    """Index `families` (newest first) in growing batches until done or `stop` is set.
    While `go` is clear (a search is running) the build waits, between families and
    every few hundred rows, so the search has the interpreter to itself."""
    used = {row for (row,) in db.execute("SELECT row FROM docs")}
    batch: list[Family] = []
    rows: list[tuple[Any, ...]] = []
    limit = FIRST_BATCH
    with _rows_source(store, families) as next_rows, _bulk(db):
        for number, family in enumerate(families, 1):
            if stop is not None and stop.is_set():
                return
            if go is not None:
                go.wait()
            for home, text, message_id, role, created in next_rows(family):
                row = home if home not in used else _free_slot(home, used)
                used.add(row)
                rows.append((row, text, message_id, family.root_id, role, created))
            batch.append(family)
            if len(rows) >= limit or len(batch) >= BATCH or number == len(families):
                _commit(db, batch, rows, go)
                progress._advance(len(batch), len(rows))
                batch, rows, limit = [], [], BATCH_MESSAGES


def _free_slot(home: int, used: set[int]) -> int:
    """The first rowid from `home` no other message of the build holds."""
    row = next((r for r in range(home, home + PROBES) if r not in used), None)
    if row is None:
        raise sqlite3.IntegrityError(f"no free search slot near {home}")
    return row


@contextmanager
def _bulk(db: sqlite3.Connection) -> Iterator[None]:
    """For the build only, given back after:
    - a page cache big enough for FTS5's segment merges (about 1.1x faster inserts
      here; fewer merges, FTS5's automerge, built a little faster but left searches
      slower);
    - no fsync at WAL checkpoints (1.1-1.15x faster here). A kill loses nothing; a power
      cut in the middle can leave a damaged file, which the engine moves aside and
      builds again (the index is derived from the store)."""
    (saved_cache,) = db.execute("PRAGMA cache_size").fetchone()
    (saved_sync,) = db.execute("PRAGMA synchronous").fetchone()
    db.execute(f"PRAGMA cache_size = {-BUILD_CACHE_KB}")
    db.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        db.execute(f"PRAGMA synchronous = {int(saved_sync)}")
        db.execute(f"PRAGMA cache_size = {int(saved_cache)}")


Rows = list[tuple[int, str, str, str, float]]  # (home rowid, text, id, role, created)
Reader = Callable[[str], list[dict[str, Any]]]


def rows_of(docs: Iterable[Any]) -> Rows:
    """The index rows of a family's stored message documents."""
    out: Rows = []
    for doc in docs:
        if isinstance(doc, dict):
            created = doc.get("created")
            out.append(
                (doc_row(doc), doc_text(doc), str(doc.get("id")), str(doc.get("role")),
                 created if isinstance(created, int | float) else 0.0)
            )  # fmt: skip
    return out


def file_rows(path: str) -> Rows:
    """The index rows of one family file (runs in a worker)."""
    return rows_of(read_family_docs(Path(path)))


@contextmanager
def _rows_source(
    store: SessionStore, families: Sequence[Family]
) -> Iterator[Callable[[Family], Rows]]:
    """Each family's rows, asked for in the order of `families`: read by worker
    processes ahead of the inserts when the families are many and in files, else here.
    The first INLINE_FAMILIES are read here while the workers start (a quarter of a
    second), so the first results come as soon as without them."""
    reader = _reader(store)
    count = worker_count()
    if count == 0 or len(families) < PARALLEL_FAMILIES or not _in_files(store):
        yield lambda family: rows_of(reader(family.root_id))
        return
    later = families[INLINE_FAMILIES:]
    jobs = (((str(_family_file(store, f.root_id)),), _size(f)) for f in later)
    pools: list[OrderedPool[Rows]] = []

    def start() -> None:  # where processes cannot start, every family is read here
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            pools.append(OrderedPool(file_rows, jobs, count, AHEAD_BYTES, [__name__]))

    starting = threading.Thread(target=start, name="search-build-workers", daemon=True)
    starting.start()
    asked = 0

    def next_rows(family: Family) -> Rows:
        nonlocal asked
        asked += 1
        if asked <= len(families) - len(later):
            return rows_of(reader(family.root_id))
        starting.join()
        return _taken(pools[0].next() if pools else None, reader, family)

    try:
        yield next_rows
    finally:
        starting.join()
        for pool in pools:
            pool.close()


def _taken(rows: Rows | None, reader: Reader, family: Family) -> Rows:
    return rows if rows is not None else rows_of(reader(family.root_id))  # a worker failed


def _size(family: Family) -> int:
    """The family file's size, from its signature (ino:size:mtime)."""
    parts = family.signature.split(":")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 1 << 20


def _commit(
    db: sqlite3.Connection,
    families: list[Family],
    rows: list[tuple[Any, ...]],
    go: threading.Event | None,
) -> None:
    """One batch, sorted by rowid, in one transaction with its families' marks."""
    rows.sort()
    with db:
        _insert(db, INSERT_MESSAGE, rows, go)
        _insert(db, INSERT_DOC, sorted((r[3], r[0]) for r in rows), go)
        db.executemany(INSERT_FAMILY, [(f.root_id, f.signature) for f in families])


def _insert(
    db: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]], go: threading.Event | None
) -> None:
    """`rows` in slices of GATE_ROWS, waiting before each while a search runs."""
    if go is None:
        db.executemany(sql, rows)
        return
    for start in range(0, len(rows), GATE_ROWS):
        go.wait()
        db.executemany(sql, rows[start : start + GATE_ROWS])


def _in_files(store: SessionStore) -> bool:
    """A file store: its families are files to read past it (see `_reader`)."""
    return getattr(store, "family_docs", None) is not None and not hasattr(store, "search_messages")


def _family_file(store: SessionStore, root_id: str) -> Path:
    return store.home / "families" / root_id[:2] / f"{root_id}.json"


def _reader(store: SessionStore) -> Reader:
    """A family's stored documents as they are: a file store's straight from its file
    (undecoded, and past the store's caches, which belong to the thread that owns it)."""
    if _in_files(store):
        return lambda root_id: read_family_docs(_family_file(store, root_id))
    return lambda root_id: [
        store.get_message(root_id, mid).to_dict() for mid in store.family_message_ids(root_id)
    ]


class BackgroundBuild:
    """A first build in a thread, on its own connection to the index file."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], store: SessionStore,
                 families: Sequence[Family]) -> None:  # fmt: skip
        self.progress = BuildProgress(total=len(families))
        self._stop = threading.Event()
        self._go = threading.Event()
        self._go.set()
        self._thread = threading.Thread(
            target=self._run, args=(connect, store, families), name="search-build", daemon=True
        )
        self._thread.start()

    def _run(self, connect: Callable[[], sqlite3.Connection], store: SessionStore,
             families: Sequence[Family]) -> None:  # fmt: skip
        error: str | None = None
        try:
            db = connect()
            try:
                build(db, store, families, self.progress, self._stop, self._go)
            finally:
                db.close()
        except Exception as exc:  # reported on the progress; the next sync tries again
            error = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, sqlite3.DatabaseError) and is_damage(exc):
                self.progress.damage = exc  # the engine moves the file aside
        self.progress._finish(error)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold the build while a search runs (both are Python: they share one GIL)."""
        self._go.clear()
        try:
            yield
        finally:
            self._go.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the batch being written (it commits whole, with its marks)."""
        self._stop.set()
        self._go.set()
        self._thread.join(timeout)
