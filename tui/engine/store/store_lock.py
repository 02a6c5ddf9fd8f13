"""The cross-process lock every write to a TinyDB store holds (store.lock, filelock's)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.engine.store.errors import StoreBusyError, StoreError

if TYPE_CHECKING:
    from filelock import FileLock


def make_lock(home: Path) -> FileLock:
    """Made by the first write: reads take no lock, so a start-up never loads filelock."""
    from filelock import FileLock

    return FileLock(str(home / "store.lock"), thread_local=False)


def acquire(lock: FileLock, home: Path, timeout: float) -> None:
    """Take the lock, or say in one line why not (held too long, or not lockable)."""
    from filelock import Timeout

    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise StoreBusyError(
            f"the store at {home} is locked by another forktree process "
            f"for over {timeout:.0f}s; try again"
        ) from None
    except OSError as exc:  # store.lock is a folder, the store read-only, …
        raise StoreError(
            f"cannot lock the store at {home}: {exc.strerror or exc} "
            f"({home / 'store.lock'}); nothing was changed"
        ) from None
