"""What one tool call changed in a session's folder, found cheaply.

`write_file` and `edit_file` name their file: only it is read before and after. A shell
command may touch anything: in a git folder, `git status` before and after says which
files can have changed (a file clean before is read back from HEAD); elsewhere, a scan
of the folder's files (their stat, and the content of small ones) is compared."""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

NAMED_WRITERS = {"write_file": "path", "edit_file": "path"}
SCANNED = {"run_command"}  # tools that may change any file
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache", ".tox"}
SCAN_FILES = 5_000  # files a scan of a folder without git looks at, at most
SCAN_BYTES = 32 * 1024 * 1024  # and the contents it keeps, at most
GIT_TIMEOUT = 10.0

Content = bytes | None  # None: the file does not exist
Read = bytes | None | Literal[False]  # False: over the size limit, or unreadable


@dataclass(slots=True)
class Change:
    """A file a call changed: `before` / `after` content, or None where it was absent.
    `known` is False when its content before could not be kept (a scan over its limit)."""

    path: str  # relative to the folder
    before: Content
    after: Content
    known: bool = True


@dataclass(slots=True)
class Before:
    """What the folder held before the call, as much as needed to see its changes."""

    folder: Path
    named: dict[str, Content] = field(default_factory=dict)  # the named file's content
    git_top: Path | None = None
    dirty: dict[str, Content] | None = None  # git: files dirty before, their content
    scan: dict[str, tuple[int, int, Read]] | None = None  # rel: (mtime, size, content)


def _read(path: Path, limit: int) -> Read:
    """The file's bytes; None if absent; False if it is over `limit` (or unreadable)."""
    try:
        if path.stat().st_size > limit:
            return False
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except (IsADirectoryError, PermissionError, OSError):
        return False


def git_top(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, or None (no git, or not a repo)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def _git_dirty(top: Path, folder: Path) -> list[str] | None:
    """Paths (relative to `folder`) git sees as changed or untracked, inside `folder`."""
    try:
        out = subprocess.run(
            ["git", "-C", str(top), "status", "--porcelain=v1", "-z", "--untracked-files=all"],
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    paths: list[str] = []
    entries = out.stdout.split(b"\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, name = entry[:2], os.fsdecode(entry[3:])
        if status[:1] in (b"R", b"C"):
            i += 1  # the next entry is the old name of a rename or copy
        full = top / name
        with contextlib.suppress(ValueError):
            paths.append(str(full.relative_to(folder)))
    return paths


def _git_head(top: Path, folder: Path, rel: str, limit: int) -> Read:
    """The file as HEAD has it (a file clean before the call), or None if HEAD has none."""
    name = (folder / rel).relative_to(top).as_posix()
    try:
        out = subprocess.run(
            ["git", "-C", str(top), "show", f"HEAD:{name}"],
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    if out.returncode != 0:
        return None
    return out.stdout if len(out.stdout) <= limit else False


def _scan(folder: Path, limit: int) -> dict[str, tuple[int, int, Read]]:
    seen: dict[str, tuple[int, int, Read]] = {}
    kept = 0
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in files:
            path = Path(here) / name
            try:
                st = path.lstat()
            except OSError:
                continue
            content: Read = False
            if st.st_size <= limit and kept + st.st_size <= SCAN_BYTES:
                content = _read(path, limit)
                kept += st.st_size
            seen[str(path.relative_to(folder))] = (st.st_mtime_ns, st.st_size, content)
            if len(seen) >= SCAN_FILES:
                return seen
    return seen


def before_call(
    folder: Path, tool: str, args: dict[str, object], limit: int, top: Path | None
) -> Before | None:
    """What to remember before `tool` runs (None: a tool that changes no file)."""
    key = NAMED_WRITERS.get(tool)
    if key is not None:
        raw = args.get(key)
        if not isinstance(raw, str) or not raw.strip():
            return None
        target = (folder / raw).resolve()
        try:
            rel = str(target.relative_to(folder))
        except ValueError:
            return None  # outside the folder (an extra root): not this folder's history
        return Before(folder, named={rel: _known(_read(target, limit))})
    if tool not in SCANNED:
        return None
    if top is not None:
        dirty = _git_dirty(top, folder)
        if dirty is not None:
            return Before(
                folder,
                git_top=top,
                dirty={p: _known(_read(folder / p, limit)) for p in dirty},
            )
    return Before(folder, scan=_scan(folder, limit))


def _known(content: Read) -> Content:
    return None if content is False else content


def after_call(before: Before, limit: int) -> list[Change]:
    """The files that differ now from what `before` saw, in path order."""
    folder = before.folder
    changes: list[Change] = []
    if before.named:
        for rel, old in before.named.items():
            new = _read(folder / rel, limit)
            if new is not False and new != old:
                changes.append(Change(rel, old, new))
        return changes
    if before.dirty is not None and before.git_top is not None:
        now = _git_dirty(before.git_top, folder) or []
        for rel in sorted(set(before.dirty) | set(now)):
            new = _read(folder / rel, limit)
            was: Read = (
                before.dirty[rel]
                if rel in before.dirty
                else _git_head(before.git_top, folder, rel, limit)
            )
            if new is False or was is False:
                changes.append(Change(rel, None, None, known=False))
            elif new != was:
                changes.append(Change(rel, was, new))
        return changes
    after = _scan(folder, limit)
    old_scan = before.scan or {}
    for rel in sorted(set(old_scan) | set(after)):
        then, now_ = old_scan.get(rel), after.get(rel)
        if then is not None and now_ is not None and then[:2] == now_[:2]:
            continue
        old_content = None if then is None else then[2]
        new_content = None if now_ is None else now_[2]
        if old_content is False or new_content is False:
            changes.append(Change(rel, None, None, known=False))
        elif old_content != new_content:
            changes.append(Change(rel, old_content, new_content))
    return changes
