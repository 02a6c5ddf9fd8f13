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
import zlib
from collections import OrderedDict
from pathlib import Path

from tui.engine.store.atomic import fsync_dir, stage

WHOLE, DELTA = b"W", b"D"  # the body: a whole content, or a delta (base hash, then ops)
COPY, INSERT = b"C", b"I"
PACKED, PLAIN = b"z", b"p"  # on disk: the body deflated, or as it is (tiny deltas)
MAX_CHAIN = 64
_HASH_LEN = 32  # a delta names its base by the raw SHA-256
CACHE_BYTES = 16 * 1024 * 1024  # contents kept in memory: the next version's base
Blocks = list[tuple[int, int, int]]


class BlobError(OSError):
    """A blob is missing or damaged: the content it held cannot be given back."""


def blob_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def matching_blocks(base: bytes, data: bytes) -> Blocks:
    """Where `data`'s lines match `base`'s (difflib), for a delta and line counts. The
    lines both share at the start and the end are matched first, so an edit costs what
    it touched, not the size of the file."""
    old, new = base.splitlines(keepends=True), data.splitlines(keepends=True)
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle = difflib.SequenceMatcher(
        None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=False
    ).get_matching_blocks()
    blocks: Blocks = [(0, 0, head)] if head else []
    blocks += [(a + head, b + head, size) for a, b, size in middle if size]
    if tail:
        blocks.append((len(old) - tail, len(new) - tail, tail))
    blocks.append((len(old), len(new), 0))  # difflib's closing block
    return blocks


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i
        shift += 7


def _delta(data: bytes, blocks: Blocks) -> bytes:
    """`data` as copies of its base's lines (`blocks`) and inserted bytes."""
    new = data.splitlines(keepends=True)
    out = bytearray()
    cursor = 0
    for a, b, size in blocks:
        if b > cursor:
            inserted = b"".join(new[cursor:b])
            out += INSERT + _varint(len(inserted)) + inserted
        if size:
            out += COPY + _varint(a) + _varint(size)
        cursor = b + size
    return bytes(out)


def _apply(base: bytes, delta: bytes) -> bytes:
    lines = base.splitlines(keepends=True)
    out: list[bytes] = []
    i = 0
    while i < len(delta):
        op = delta[i : i + 1]
        if op == COPY:
            start, i = _read_varint(delta, i + 1)
            size, i = _read_varint(delta, i)
            out.extend(lines[start : start + size])
        elif op == INSERT:
            size, i = _read_varint(delta, i + 1)
            out.append(delta[i : i + size])
            i += size
        else:
            raise BlobError(f"a delta holds an unknown operation {op!r}")
    return b"".join(out)


class BlobStore:
    """Blobs in `folder`, named by their hash. Each is written atomically (fsynced, then
    renamed); `sync` makes the renames durable (one fsync of each folder touched)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._dirty: set[str] = set()
        self._chain: dict[str, int] = {}  # delta chain length of blobs seen this run
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached = 0

    def _path(self, digest: str) -> Path:
        return self.folder / digest  # one folder: one fsync makes a call's blobs durable

    def has(self, digest: str) -> bool:
        return self._path(digest).exists()

    def put(
        self,
        data: bytes,
        base: str | None = None,
        base_data: bytes | None = None,
        blocks: Blocks | None = None,
    ) -> str:
        """Keep `data` (once) and return its hash; a delta against `base` when that is
        smaller than the whole. A caller that has the base's content (`base_data`) and
        its matching lines (`blocks`) saves reading and matching them again."""
        digest = blob_hash(data)
        path = self._path(digest)
        if path.exists():
            self._remember(digest, data)
            return digest
        body = WHOLE + data
        if base is not None and base != digest and self.has(base):
            depth = self._depth(base)
            if depth < MAX_CHAIN:
                if blocks is None:
                    old = base_data if base_data is not None else self.get(base)
                    blocks = matching_blocks(old, data)
                delta = _delta(data, blocks)
                if len(delta) < len(data):
                    body = DELTA + bytes.fromhex(base) + delta
                    self._chain[digest] = depth + 1
        packed = zlib.compress(body, 6, wbits=-15)
        folder = str(path.parent)
        tmp = stage(PACKED + packed if len(packed) < len(body) else PLAIN + body, folder)
        os.replace(tmp, path)  # the temp file was fsynced: never a torn blob
        self._dirty.add(folder)
        self._remember(digest, data)
        return digest

    def _remember(self, digest: str, data: bytes) -> None:
        if len(data) > CACHE_BYTES // 4 or digest in self._cache:
            return
        self._cache[digest] = data
        self._cached += len(data)
        while self._cached > CACHE_BYTES:
            _, old = self._cache.popitem(last=False)
            self._cached -= len(old)

    def _depth(self, digest: str) -> int:
        if digest in self._chain:
            return self._chain[digest]
        raw = self._raw(digest)
        depth = 0 if raw[:1] == WHOLE else self._depth(raw[1 : 1 + _HASH_LEN].hex()) + 1
        self._chain[digest] = depth
        return depth

    def _raw(self, digest: str) -> bytes:
        try:
            stored = self._path(digest).read_bytes()
            if stored[:1] == PLAIN:
                return stored[1:]
            if stored[:1] != PACKED:
                raise zlib.error("not a blob")
            return zlib.decompress(stored[1:], wbits=-15)
        except FileNotFoundError:
            raise BlobError(f"blob {digest[:12]} is missing from {self.folder}") from None
        except (OSError, zlib.error) as exc:
            raise BlobError(f"blob {digest[:12]} cannot be read: {exc}") from None

    def get(self, digest: str) -> bytes:
        """The content of blob `digest`, checked against its hash."""
        if (cached := self._cache.get(digest)) is not None:
            return cached
        chain: list[bytes] = []
        current = digest
        while True:
            if (known := self._cache.get(current)) is not None:
                data = known
                break
            raw = self._raw(current)
            if raw[:1] == WHOLE:
                data = raw[1:]
                break
            if raw[:1] != DELTA or len(chain) > MAX_CHAIN:
                raise BlobError(f"blob {current[:12]} is damaged")
            chain.append(raw[1 + _HASH_LEN :])
            current = raw[1 : 1 + _HASH_LEN].hex()
        for delta in reversed(chain):
            data = _apply(data, delta)
        if blob_hash(data) != digest:
            raise BlobError(f"blob {digest[:12]} does not hold what its name says")
        self._remember(digest, data)
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
