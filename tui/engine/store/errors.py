"""Errors the store raises; each carries a message fit to show a user as is."""

from __future__ import annotations

from tui.engine.errors import ForktreeError


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


class StoreBusyError(StoreError):
    """Another process held the store lock for too long."""
