"""File contents kept by the store, addressed by their SHA-256, each kept once.

A blob is stored zlib-compressed, either whole or as a line delta against an earlier
blob (the same file's previous version): `difflib`'s matching blocks say which lines are
copied, and only new lines are stored. So 100 small edits of one file cost about the
bytes they changed. A delta chain is cut every `MAX_CHAIN` links with a whole copy, so
reading a version never replays more than that."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import struct
import zlib
from pathlib import Path

from tui.engine.store.atomic import fsync_dir, stage

WHOLE, DELTA = b"W", b"D"
COPY, INSERT = b"C", b"I"
MAX_CHAIN = 64
_HASH_LEN = 64


class BlobError(OSError):
    """A blob is missing or damaged: the content it held cannot be given back."""


def blob_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _delta(base: bytes, data: bytes) -> bytes:
    """`data` as copies of `base`'s lines and inserted bytes."""
    old, new = base.splitlines(keepends=True), data.splitlines(keepends=True)
    out = bytearray()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    cursor = 0
    for a, b, size in matcher.get_matching_blocks():
        if b > cursor:
            inserted = b"".join(new[cursor:b])
            out += INSERT + struct.pack(">I", len(inserted)) + inserted
        if size:
            out += COPY + struct.pack(">II", a, size)
        cursor = b + size
    return bytes(out)


def _apply(base: bytes, delta: bytes) -> bytes:
    lines = base.splitlines(keepends=True)
    out: list[bytes] = []
    i = 0
    while i < len(delta):
        op = delta[i : i + 1]
        if op == COPY:
            start, size = struct.unpack_from(">II", delta, i + 1)
            out.extend(lines[start : start + size])
            i += 9
        elif op == INSERT:
            (size,) = struct.unpack_from(">I", delta, i + 1)
            out.append(delta[i + 5 : i + 5 + size])
            i += 5 + size
        else:
            raise BlobError(f"a delta holds an unknown operation {op!r}")
    return b"".join(out)


class BlobStore:
    """Blobs under `folder` (`ab/abcdef…`). Each is written atomically (fsynced, then
    renamed); `sync` makes the renames durable (one fsync of each folder touched)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._dirty: set[str] = set()
        self._chain: dict[str, int] = {}  # delta chain length of blobs seen this run

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / digest

    def has(self, digest: str) -> bool:
        return self._path(digest).exists()

    def put(self, data: bytes, base: str | None = None) -> str:
        """Keep `data` (once) and return its hash; a delta against `base` when that is
        smaller than the whole."""
        digest = blob_hash(data)
        path = self._path(digest)
        if path.exists():
            return digest
        body = WHOLE + data
        if base is not None and base != digest and self.has(base):
            depth = self._depth(base)
            if depth < MAX_CHAIN:
                delta = _delta(self.get(base), data)
                if len(delta) < len(data):
                    body = DELTA + base.encode() + delta
                    self._chain[digest] = depth + 1
        folder = str(path.parent)
        tmp = stage(zlib.compress(body, 6), folder)  # fsynced: it is named next
        os.replace(tmp, path)
        self._dirty.add(folder)
        return digest

    def _depth(self, digest: str) -> int:
        if digest in self._chain:
            return self._chain[digest]
        raw = self._raw(digest)
        depth = 0 if raw[:1] == WHOLE else self._depth(raw[1 : 1 + _HASH_LEN].decode()) + 1
        self._chain[digest] = depth
        return depth

    def _raw(self, digest: str) -> bytes:
        try:
            return zlib.decompress(self._path(digest).read_bytes())
        except FileNotFoundError:
            raise BlobError(f"blob {digest[:12]} is missing from {self.folder}") from None
        except (OSError, zlib.error) as exc:
            raise BlobError(f"blob {digest[:12]} cannot be read: {exc}") from None

    def get(self, digest: str) -> bytes:
        """The content of blob `digest`, checked against its hash."""
        chain: list[bytes] = []
        current = digest
        while True:
            raw = self._raw(current)
            if raw[:1] == WHOLE:
                data = raw[1:]
                break
            if raw[:1] != DELTA or len(chain) > MAX_CHAIN:
                raise BlobError(f"blob {current[:12]} is damaged")
            chain.append(raw[1 + _HASH_LEN :])
            current = raw[1 : 1 + _HASH_LEN].decode()
        for delta in reversed(chain):
            data = _apply(data, delta)
        if blob_hash(data) != digest:
            raise BlobError(f"blob {digest[:12]} does not hold what its name says")
        return data

    def sync(self) -> None:
        """Make the blobs written so far durable."""
        for folder in self._dirty:
            with contextlib.suppress(OSError):
                fsync_dir(folder)
        self._dirty.clear()

    def size(self) -> int:
        """Bytes on disk (for the benchmark and doctor)."""
        total = 0
        for path in self.folder.rglob("*"):
            if path.is_file():
                total += path.stat().st_size
        return total
