"""Errors the store raises; each carries a message fit to show a user as is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tui.engine.errors import ForktreeError

T = TypeVar("T")


class StoreError(ForktreeError):
    """A store operation failed; the message says what and where."""


class NotFoundError(StoreError):
    """No session or message has that id."""


class AmbiguousIdError(StoreError):
    """A short id matches more than one session or message."""


class CorruptFileError(StoreError):
    """A store file could not be parsed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreWriteError(StoreError, OSError):
    """The disk refused a write (full, read-only, gone); nothing was changed."""


class StoreBusyError(StoreError):
    """Another process held the store lock for too long."""


def resolve_unique(matches: list[T], wanted: str, what: str, label: Callable[[T], str]) -> T:
    """The one match for a short id, or a clear error naming the candidates."""
    if not matches:
        raise NotFoundError(f"no {what} matches {wanted!r}")
    if len(matches) > 1:
        names = ", ".join(label(m) for m in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise AmbiguousIdError(f"{what} id {wanted!r} is ambiguous: {names}{more}")
    return matches[0]
