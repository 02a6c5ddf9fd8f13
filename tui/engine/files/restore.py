"""Putting a session's folder back to what it was at a message, safely.

A plan first: for each file changed after the message, what it should become (its
content then), what forktree last left there, and what is there now. A file changed
since by someone else (the user, another branch) is a conflict and is never written
unless forced. Applying a plan writes the files atomically and keeps an undo record,
so every restore can itself be undone (`undo`)."""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tui.engine.errors import InvalidInputError
from tui.engine.files.blobs import BlobStore, blob_hash
from tui.engine.files.history import FileSpan, spans, unified_diff
from tui.engine.sessions.model import FileChangePart, new_id
from tui.engine.store.atomic import write_atomic


@dataclass(frozen=True, slots=True)
class RestoreItem:
    path: str
    target: str | None  # the content to put back (None: remove the file)
    expected: str | None  # what forktree's last change left there
    current: str | None  # what is there now
    recorded: bool = True

    @property
    def conflict(self) -> bool:
        """Changed since forktree's last change to it (by the user or another branch)."""
        return self.current != self.expected

    @property
    def needed(self) -> bool:
        return self.current != self.target

    @property
    def action(self) -> str:
        if not self.recorded:
            return "not recorded"
        if not self.needed:
            return "already so"
        if self.target is None:
            return "remove"
        return "create" if self.current is None else "rewrite"


@dataclass(frozen=True, slots=True)
class RestorePlan:
    folder: str
    items: tuple[RestoreItem, ...]

    @property
    def conflicts(self) -> list[RestoreItem]:
        return [i for i in self.items if i.recorded and i.needed and i.conflict]

    @property
    def writes(self) -> list[RestoreItem]:
        return [i for i in self.items if i.recorded and i.needed]

    def to_dict(self) -> dict[str, object]:
        return {
            "folder": self.folder,
            "files": [
                {"path": i.path, "action": i.action, "conflict": i.recorded and i.conflict}
                for i in self.items
            ],
        }


def current_hash(folder: Path, path: str) -> str | None:
    """The hash of what `path` holds in `folder` now (None: absent)."""
    try:
        return blob_hash((folder / path).read_bytes())
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return "(a folder)"


def plan(folder: Path, later: list[FileChangePart]) -> RestorePlan:
    """How to undo `later` (the changes after the message being restored) in `folder`."""
    items = []
    root = folder.resolve()
    for span in spans(later):
        if not (root / span.path).resolve().is_relative_to(root):
            raise InvalidInputError(f"{span.path!r}: a recorded path outside {root}; refusing")
        items.append(
            RestoreItem(
                span.path,
                target=span.start,
                expected=span.end,
                current=current_hash(folder, span.path),
                recorded=span.recorded,
            )
        )
    return RestorePlan(str(folder), tuple(items))


def preview(blobs: BlobStore, restore: RestorePlan) -> str:
    """The plan as a diff from what is there now to what it would become."""
    out = []
    folder = Path(restore.folder)
    for item in restore.writes:
        now: str | None = item.current
        if item.conflict and now is not None:  # what is there now is not a blob yet
            now = blobs.put((folder / item.path).read_bytes())
        span = FileSpan(item.path, now, item.target, 0, 0, True)
        mark = "  (changed outside forktree since: a conflict)" if item.conflict else ""
        out.append(f"--- {item.path}: {item.action}{mark}\n" + unified_diff(blobs, span))
    return "\n".join(out) or "nothing to change\n"


@dataclass(frozen=True, slots=True)
class Undo:
    """What a restore replaced, to put back: path -> the content it had (None: absent)."""

    id: str
    folder: str
    made: float
    files: dict[str, str | None]


def apply(blobs: BlobStore, restore: RestorePlan, undo_dir: Path, force: bool = False) -> Undo:
    """Write the plan's files; conflicts only with `force`. Returns the undo record."""
    if restore.conflicts and not force:
        names = ", ".join(i.path for i in restore.conflicts[:5])
        raise InvalidInputError(
            f"{len(restore.conflicts)} file(s) changed outside forktree since ({names}); "
            "nothing was written. Look at the preview, then force to overwrite them"
        )
    folder = Path(restore.folder)
    saved: dict[str, str | None] = {}
    for item in restore.writes:  # keep what is there first: the undo needs it
        path = folder / item.path
        saved[item.path] = blobs.put(path.read_bytes()) if path.is_file() else None
    blobs.sync()
    undo = Undo(new_id(), str(folder), time.time(), saved)
    undo_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(str(undo_dir / f"{undo.id}.json"), json.dumps(asdict(undo)).encode())
    for item in restore.writes:
        _put(folder / item.path, blobs.get(item.target) if item.target else None)
    return undo


def _put(path: Path, content: bytes | None) -> None:
    if content is None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(str(path), content, keep_mode=True)


def load_undo(undo_dir: Path, ref: str) -> Undo:
    """An undo record by id or unique prefix."""
    found = [p for p in undo_dir.glob(f"{ref}*.json")] if ref and "/" not in ref else []
    if len(found) != 1:
        raise InvalidInputError(
            f"no restore {ref!r} to undo" if not found else f"restore id {ref!r} is ambiguous"
        )
    data = json.loads(found[0].read_text(encoding="utf-8"))
    return Undo(data["id"], data["folder"], float(data["made"]), dict(data["files"]))


def undo(blobs: BlobStore, record: Undo, undo_dir: Path) -> list[str]:
    """Put back what the restore `record` replaced; the paths written."""
    folder = Path(record.folder)
    for path, content in record.files.items():
        _put(folder / path, blobs.get(content) if content else None)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(undo_dir / f"{record.id}.json")
    return sorted(record.files)
