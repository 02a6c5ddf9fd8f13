"""A session's file history: recording what a tool call changed, and asking what the
files were at any message of a transcript.

Every change is a `FileChangePart` on the message whose tool call made it; its contents
live in the store's blobs. A transcript's file state at a message is the content each
file had before the first change after it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.engine.files.blobs import BlobStore, Blocks, matching_blocks
from tui.engine.files.watch import Change
from tui.engine.sessions.model import FileChangePart, Message


def line_counts(before: bytes | None, after: bytes | None) -> tuple[int, int]:
    """Lines added and removed from `before` to `after`."""
    return counts_of(matching_blocks(before or b"", after or b""), before, after)


def counts_of(blocks: Blocks, before: bytes | None, after: bytes | None) -> tuple[int, int]:
    """Lines added and removed, from the matching lines of `before` and `after`."""
    same = sum(size for _, _, size in blocks)
    old = len((before or b"").splitlines(keepends=True))
    new = len((after or b"").splitlines(keepends=True))
    return new - same, old - same


def record(blobs: BlobStore, tool_id: str, changes: Sequence[Change]) -> list[FileChangePart]:
    """Keep the contents of `changes` and return the parts that name them."""
    parts: list[FileChangePart] = []
    for change in changes:
        if not change.known:
            parts.append(FileChangePart(tool_id, change.path, None, None, recorded=False))
            continue
        before = blobs.put(change.before) if change.before is not None else None
        blocks = matching_blocks(change.before or b"", change.after or b"")
        after = (
            blobs.put(change.after, base=before, base_data=change.before, blocks=blocks)
            if change.after is not None
            else None
        )
        added, removed = counts_of(blocks, change.before, change.after)
        parts.append(FileChangePart(tool_id, change.path, before, after, added, removed))
    blobs.sync()
    return parts


def file_changes(messages: Iterable[Message]) -> list[FileChangePart]:
    """Every file change of `messages`, in order."""
    return [p for m in messages for p in m.parts if isinstance(p, FileChangePart)]


@dataclass(frozen=True, slots=True)
class FileSpan:
    """One file over a stretch of a transcript: its content at the start and at the end
    (blob hashes; None: absent), and the lines changed in between."""

    path: str
    start: str | None
    end: str | None
    added: int
    removed: int
    recorded: bool  # False: some change of it was too large or binary to keep

    @property
    def status(self) -> str:
        if self.start is None and self.end is not None:
            return "added"
        if self.end is None and self.start is not None:
            return "deleted"
        return "modified"


def spans(changes: Iterable[FileChangePart]) -> list[FileSpan]:
    """The files `changes` touched, each from its first change's before to its last
    change's after, in the order they were first changed; files left as they were drop."""
    first: dict[str, FileChangePart] = {}
    last: dict[str, FileChangePart] = {}
    counts: dict[str, tuple[int, int, bool]] = {}
    for change in changes:
        first.setdefault(change.path, change)
        last[change.path] = change
        added, removed, recorded = counts.get(change.path, (0, 0, True))
        counts[change.path] = (
            added + change.added,
            removed + change.removed,
            recorded and change.recorded,
        )
    out = []
    for path, head in first.items():
        added, removed, recorded = counts[path]
        start, end = head.before, last[path].after
        if recorded and start == end:
            continue
        out.append(FileSpan(path, start, end, added, removed, recorded))
    return out


def unified_diff(blobs: BlobStore, span: FileSpan, context: int = 3) -> str:
    """The span as a unified diff ("binary" for content that is not text)."""
    old = blobs.get(span.start) if span.start else b""
    new = blobs.get(span.end) if span.end else b""
    if b"\0" in old[:8192] or b"\0" in new[:8192]:
        return f"Binary file {span.path} changed\n"
    a = old.decode("utf-8", "replace").splitlines(keepends=True)
    b = new.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(
            a,
            b,
            "/dev/null" if span.start is None else f"a/{span.path}",
            "/dev/null" if span.end is None else f"b/{span.path}",
            n=context,
        )
    )
