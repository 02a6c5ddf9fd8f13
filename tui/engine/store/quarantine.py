"""Corrupt store files moved aside into quarantine/, and index shards rebuilt."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tinydb.table import Document

from tui.engine.store.errors import CorruptFileError
from tui.engine.store.tinydb_files import SESSIONS, StoreFile, shard_of, str_doc

if TYPE_CHECKING:
    from tui.engine.store.tinydb_store import TinyDBStore


def quarantine(store: TinyDBStore, file: StoreFile, reason: str) -> None:
    """Move a corrupt file aside, say so in `problems`, and rebuild an index shard
    from the families."""
    with store.transaction():
        try:
            file.storage.discard()
            file.raw(SESSIONS)
            return  # another process repaired it meanwhile
        except CorruptFileError:
            pass
        rel = file.path.relative_to(store.home)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = store.home / "quarantine" / f"{str(rel).replace(os.sep, '__')}.{stamp}"
        os.replace(file.path, target)
        file.storage.discard()
        message = f"{file.path} was corrupt ({reason}); moved aside to {target}"
        if file.path.parent.name == "index":
            count = rebuild_shard(store, file)
            message += f"; rebuilt the index entry of {count} session(s) from their families"
        else:
            message += "; the messages of its sessions are in that file"
        store.problems.append(message)


def rebuild_shard(store: TinyDBStore, shard: StoreFile) -> int:
    name = shard.path.stem
    docs: list[Document] = []
    for path in (store.home / "families").glob("*/*.json"):
        family = store._family(path.stem)
        try:
            sessions = family.raw(SESSIONS)
        except CorruptFileError:
            continue
        docs.extend(str_doc(dict(d), sid) for sid, d in sessions.items() if shard_of(sid) == name)
    if docs:
        shard.table(SESSIONS).insert_multiple(docs)
    return len(docs)


def set_aside_search_index(home: Path) -> None:
    """Move a damaged search index (and its WAL files) into quarantine/; the next search
    builds it again from the store."""
    path = home / "search.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        damaged = Path(f"{path}{suffix}")
        with contextlib.suppress(FileNotFoundError):
            os.replace(damaged, home / "quarantine" / f"{damaged.name}.bad")
