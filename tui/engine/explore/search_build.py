"""The search index's first build: families it has never seen, newest first.

Rows are computed from the stored documents without decoding messages, sorted by rowid
and inserted many thousands per transaction (FTS5 and the B-trees take sorted rows
about twice as fast). Each batch commits with the marks of its families, so a search
meanwhile answers from what is indexed so far, and a build stopped half-way (a kill, the
app closing) goes on where it stopped. A background build runs on a connection of its
own; SQLite's WAL lets the app's connection read while it writes.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tui.engine.store.protocol import SessionStore
from tui.engine.store.tinydb_files import read_family_docs

FIRST_BATCH = 1_000  # messages in the first transaction: the first results come soon
BATCH_MESSAGES = 50_000  # messages per transaction after it (memory stays bounded)
BATCH = 2_000  # families per transaction at most
GATE_ROWS = 256  # rows inserted between looks at whether a search waits
PROBES = 16  # rowid slots tried past a message's own when its time and hash collide
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
    from tui.engine.explore.search import doc_row, doc_text

    reader = _reader(store)
    used = {row for (row,) in db.execute("SELECT row FROM docs")}
    batch: list[Family] = []
    rows: list[tuple[Any, ...]] = []
    limit = FIRST_BATCH
    for number, family in enumerate(families, 1):
        if stop is not None and stop.is_set():
            return
        if go is not None:
            go.wait()
        for doc in reader(family.root_id):
            if not isinstance(doc, dict):
                continue
            home = doc_row(doc)
            row = next((r for r in range(home, home + PROBES) if r not in used), None)
            if row is None:
                raise sqlite3.IntegrityError(f"no free search slot near {home}")
            used.add(row)
            created = doc.get("created")
            rows.append(
                (row, doc_text(doc), str(doc.get("id")), family.root_id,
                 str(doc.get("role")), created if isinstance(created, int | float) else 0.0)
            )  # fmt: skip
        batch.append(family)
        if len(rows) >= limit or len(batch) >= BATCH or number == len(families):
            _commit(db, batch, rows, go)
            progress._advance(len(batch), len(rows))
            batch, rows, limit = [], [], BATCH_MESSAGES


def _commit(
    db: sqlite3.Connection,
    families: list[Family],
    rows: list[tuple[Any, ...]],
    go: threading.Event | None,
) -> None:
    """One batch, sorted by rowid, in one transaction with its families' marks."""
    rows.sort()
    with db:
        db.executemany(INSERT_MESSAGE, _gated(rows, go))
        db.executemany(INSERT_DOC, _gated([(r[3], r[0]) for r in rows], go))
        db.executemany(INSERT_FAMILY, [(f.root_id, f.signature) for f in families])


def _gated(rows: list[tuple[Any, ...]], go: threading.Event | None) -> Iterator[tuple[Any, ...]]:
    if go is None:
        yield from rows
        return
    for start in range(0, len(rows), GATE_ROWS):
        go.wait()
        yield from rows[start : start + GATE_ROWS]


def _reader(store: SessionStore) -> Callable[[str], list[dict[str, Any]]]:
    """A family's stored documents as they are: a file store's straight from its file
    (undecoded, and past the store's caches, which belong to the thread that owns it)."""
    if getattr(store, "family_docs", None) is not None:
        families = store.home / "families"
        return lambda root_id: read_family_docs(families / root_id[:2] / f"{root_id}.json")
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
