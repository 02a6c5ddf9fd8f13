"""Session storage: the SessionStore protocol and its TinyDB implementation."""

from .errors import AmbiguousIdError, CorruptFileError, NotFoundError, StoreBusyError, StoreError
from .protocol import SessionStore
from .tinydb_store import TinyDBStore

__all__ = [
    "AmbiguousIdError",
    "CorruptFileError",
    "NotFoundError",
    "SessionStore",
    "StoreBusyError",
    "StoreError",
    "TinyDBStore",
]
