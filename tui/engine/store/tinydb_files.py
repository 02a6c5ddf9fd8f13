"""The TinyDB files a TinyDBStore is made of: string-keyed tables, one open file with
its dirty flag, and which index shard a session lives in."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import orjson
from tinydb import TinyDB
from tinydb.table import Document, Table

from tui.engine.store.atomic import AtomicJSONStorage, Signature

HEX2 = re.compile(r"^[0-9a-f]{2}")
SAFE_ID = re.compile(r"^[0-9A-Za-z_-]{1,80}$")
SESSIONS = "sessions"
MESSAGES = "messages"


def str_doc(data: dict[str, Any], doc_id: str) -> Document:
    """A document under our string id: TinyDB's annotations say int, but these tables
    set `document_id_class = str`."""
    return Document(data, doc_id=doc_id)  # type: ignore[arg-type]


def str_ids(ids: Iterable[str]) -> list[int]:
    """String ids where TinyDB's annotations say int (see `str_doc`)."""
    return cast(list[int], list(ids))


class StrIdTable(Table):
    """TinyDB table keyed by our own string ids (TinyDB's documented extension point)."""

    document_id_class = str  # type: ignore[assignment]  # our ids are strings (see str_doc)


class StoreDB(TinyDB):
    table_class = StrIdTable


def shard_of(session_id: str) -> str:
    """Index shard name for a session id: its first two hex digits."""
    head = session_id[:2].lower()
    return head if HEX2.match(head) else "zz"


class StoreFile:
    """One open TinyDB file with a memo of decoded objects, cleared when the file changes."""

    def __init__(self, path: Path, on_dirty: Callable[[StoreFile], None]) -> None:
        # No reference cycle back to this file: a family dropped from the store's cache
        # is freed at once, not at the next full collection (an import holds those off
        # while it runs, and would otherwise keep every family it wrote).
        ref = weakref.ref(self)

        def deferred(_: AtomicJSONStorage) -> None:
            file = ref()
            if file is not None:
                on_dirty(file)

        storage = self.storage = AtomicJSONStorage(str(path), on_defer=deferred)
        storage.defer = True
        self.db = StoreDB(storage=lambda: storage)
        self.memo: dict[str, Any] = {}
        self.memo_gen = -1
        self.path = path

    def size(self) -> int:
        """The file's bytes on disk when last read or written (0 if neither yet)."""
        sig = self.storage._sig
        return sig[1] if sig is not None else 0

    def signature(self) -> Signature | None:
        """The file's signature when last read or written (see atomic.signature)."""
        return self.storage._sig

    def table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)

    def raw(self, name: str) -> dict[str, Any]:
        data = self.storage.read() or {}
        if self.storage.generation != self.memo_gen:
            self.memo.clear()
            self.memo_gen = self.storage.generation
        return data.get(name, {})


def encode_family(sessions: Iterable[dict[str, Any]], messages: Iterable[dict[str, Any]]) -> bytes:
    """A family file's whole content from its sessions' and messages' documents
    (`Session.to_dict`, `Message.to_dict`): its two TinyDB tables."""
    return orjson.dumps(
        {SESSIONS: {s["id"]: s for s in sessions}, MESSAGES: {m["id"]: m for m in messages}}
    )


BAD_RECORD = (ValueError, TypeError, KeyError, AttributeError)  # what a damaged doc raises


def decode_all(
    kind: type[Any], raw: dict[str, Any], on_bad: Callable[[str, Exception], None]
) -> list[Any]:
    """Every record that reads as `kind`; `on_bad` hears of each one that does not."""
    try:
        return [kind.from_dict(d) for d in raw.values()]
    except BAD_RECORD:
        pass
    out = []
    for rid, doc in raw.items():
        try:
            out.append(kind.from_dict(doc))
        except BAD_RECORD as exc:
            on_bad(rid, exc)
    return out


def read_family_docs(path: Path) -> list[dict[str, Any]]:
    """A family file's message documents straight from disk, past every cache (the
    search index's build reads each family once, from a thread of its own). A file gone
    or damaged reads as no documents: the store reports and quarantines it when it
    reads it itself."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return []
    table = data.get(MESSAGES) if isinstance(data, dict) else None
    return list(table.values()) if isinstance(table, dict) else []
