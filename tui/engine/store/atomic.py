"""A TinyDB storage that writes atomically and re-reads only when the file changed.

TinyDB's stock JSONStorage truncates the file in place, so a crash mid-write loses
it. Here every write goes to a temporary file in the same folder, is fsynced and
then renamed over the old one, so the file on disk is always the old or the new
state. Reads are cached and checked against the file's stat signature, so a
second process's writes are seen on the next read.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from typing import Any

import orjson
from tinydb.storages import Storage

from tui.engine.store.errors import CorruptFileError

Signature = tuple[int, int, int, int]
_KNOWN_DIRS: set[str] = set()  # folders made already: mkdir is slow on some filesystems


def signature(path: str) -> Signature | None:
    """A file's identity and version (inode, size, mtime, ctime); None when missing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def stage(payload: bytes, folder: str, mode_of: str | None = None, sync: bool = True) -> str:
    """`payload` in a new temp file in `folder` (made if missing), fsynced unless told
    not to; its path. With `mode_of`, the temp file takes that file's permission bits
    (else 0600)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    except FileNotFoundError:  # the folder is new, or went away since we made it
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if mode_of is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.fchmod(handle.fileno(), os.stat(mode_of).st_mode & 0o7777)
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def write_atomic(
    path: str, payload: bytes, keep_mode: bool = False, staging: str | None = None
) -> None:
    """Write `payload` to `path` via temp file, fsync and rename. With `keep_mode`, a
    file that exists keeps its permission bits (else the file is private, 0600). The
    temp file is made in `staging` (same filesystem) or else beside `path`."""
    folder = staging or os.path.dirname(path) or "."
    tmp = stage(payload, folder, path if keep_mode else None)
    try:
        if staging is not None:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def fsync_dir(folder: str) -> None:
    """Make the folder's entries (a rename, a new or removed file) durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicJSONStorage(Storage):
    """JSON file storage with atomic replace, stat-checked read cache and deferred writes.

    While `defer` is true, `write` only keeps the data in memory and marks the
    storage dirty; `flush` then writes it once. The store uses this to turn the
    several table writes of one transaction into a single file write.
    """

    def __init__(
        self,
        path: str,
        create_dirs: bool = True,
        on_defer: Callable[[AtomicJSONStorage], None] | None = None,
    ) -> None:
        self.path = path
        self.on_defer = on_defer
        self.staging: str | None = None  # where temp files go (the store's staging folder)
        folder = os.path.dirname(path) or "."
        if create_dirs and folder not in _KNOWN_DIRS:
            os.makedirs(folder, exist_ok=True)
            _KNOWN_DIRS.add(folder)
        self._data: dict[str, Any] | None = None
        self._staged: str | None = None  # a temp file holding the unwritten content
        self._sig: Signature | None = None
        self.generation = 0
        self.defer = False
        self.dirty = False

    def read(self) -> dict[str, Any] | None:
        if self.dirty:
            if self._staged is not None:  # adopted: read it, and from now on hold it
                with open(self._staged, "rb") as handle:
                    self._data = self._parse(handle.read())
                self._drop_staged()
            return self._data
        sig = signature(self.path)
        if sig is None:
            self._data, self._sig = None, None
            return None
        if sig != self._sig or self._data is None:
            try:
                with open(self.path, "rb") as handle:
                    raw = handle.read()
            except FileNotFoundError:
                self._data, self._sig = None, None
                return None
            self._data = self._parse(raw)
            self._sig = sig
            self.generation += 1
        return self._data

    def _parse(self, raw: bytes) -> dict[str, Any]:
        if not raw.strip():
            raise CorruptFileError(self.path, "the file is empty")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise CorruptFileError(self.path, f"not valid JSON ({exc})") from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise CorruptFileError(self.path, "not a TinyDB document (wrong schema)")
        return data

    def write(self, data: dict[str, Any]) -> None:
        self._drop_staged()
        self._data = data
        self._written()

    def adopt(self, staged: str) -> None:
        """`write` of content another process wrote to the temp file `staged`, on this
        file's filesystem: it is synced and moved into place as it is at the commit,
        and read only if it is read before then."""
        self._drop_staged()
        self._data, self._staged = None, staged
        self._written()

    def _drop_staged(self) -> None:
        if self._staged is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._staged)
            self._staged = None

    def _written(self) -> None:
        if self.defer:
            if self.on_defer is not None:
                self.on_defer(self)
            self.dirty = True
            return
        self._write_now()

    def flush(self) -> None:
        if self.dirty:
            self._write_now()

    def discard(self) -> None:
        """Forget unwritten changes and the cache; the next read goes to disk."""
        self.dirty = False
        self._drop_staged()
        self._data = None
        self._sig = None
        self.generation += 1

    def _write_now(self) -> None:
        try:
            if self._staged is not None:
                os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
                os.replace(self.stage(""), self.path)
            else:  # orjson: several times faster than json.dumps on large session files
                write_atomic(self.path, orjson.dumps(self._data), staging=self.staging)
        except BaseException:
            self.discard()
            raise
        self.committed()

    def stage(self, folder: str) -> str:
        """The unwritten changes in a temp file in `folder`, for a multi-file commit
        (see journal.py); `committed()` once it has been renamed into place."""
        if self._staged is not None:  # written, not yet synced: its writer went on
            fd = os.open(self._staged, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            return self._staged
        return stage(orjson.dumps(self._data), folder)

    def committed(self) -> None:
        self.dirty = False
        if self._staged is not None:  # moved into place unread: a read reads the file
            self._staged = self._data = None
            self._sig = None
            return
        self._sig = signature(self.path)

    def close(self) -> None:
        self.flush()
