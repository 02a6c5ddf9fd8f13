"""Session storage: the SessionStore protocol and its TinyDB implementation."""

from tui.engine.store.errors import (
    AmbiguousIdError,
    CorruptFileError,
    NotFoundError,
    StoreBusyError,
    StoreError,
)
from tui.engine.store.protocol import SessionStore
from tui.engine.store.tinydb_store import TinyDBStore

__all__ = [
    "AmbiguousIdError",
    "CorruptFileError",
    "NotFoundError",
    "SessionStore",
    "StoreBusyError",
    "StoreError",
    "TinyDBStore",
]
